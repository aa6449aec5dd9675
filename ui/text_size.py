"""The window's text size: 100–150 % of the system's own, remembered for each user.

The size scales the application font, so every widget without a font of its
own follows it, and headings (made as "1.5 × the widget's font") follow too
because the window is built again after a change (as for the language). The
system's display scaling (Windows' 125 %, Qt's high-DPI scaling) applies on
top: a point is still a point, and the two multiply.

Where it is kept: the preferences file of the computer's user (`ui.settings`),
one entry a Bình An user — keyed by the node's id and the user's id, both
random, so the file names no one — and the last size chosen on this computer,
used by the login before anyone is known. No personal data, nothing secret.
"""

from __future__ import annotations

import logging

from ui.qt import QApplication, QGuiApplication, QRect, QWidget

log = logging.getLogger(__name__)

MIN_PERCENT = 100
MAX_PERCENT = 150
#: The sizes offered in the menu and in Settings.
CHOICES = (100, 115, 125, 135, 150)
STEP = 5

LAST_KEY = "text_scale"
BY_USER_KEY = "text_scale_by_user"

#: The application font's point size before any scaling (read once, the first time a size is applied).
_base_point_size: float | None = None
_percent = 100


def clamp(percent) -> int:
    try:
        value = int(round(float(percent)))
    except (TypeError, ValueError):
        return MIN_PERCENT
    return max(MIN_PERCENT, min(MAX_PERCENT, value))


def current() -> int:
    """The text size applied now, in percent."""
    return _percent


def factor() -> float:
    return _percent / 100


def scaled(pixels: int | float) -> int:
    """A length in pixels that holds text (a label column, a field's width) at the current text size."""
    return int(round(pixels * _percent / 100))


def apply(percent: int, qapp: QApplication | None = None) -> int:
    """Scale the application font to `percent` of the system's size; returns the size applied."""
    global _base_point_size, _percent
    found = qapp or QApplication.instance()
    percent = clamp(percent)
    if found is None:
        return percent
    font = QApplication.font()  # static: the application's default font (the same object for any instance)
    if _base_point_size is None:
        _base_point_size = font.pointSizeF() if font.pointSizeF() > 0 else 9.0
    font.setPointSizeF(_base_point_size * percent / 100)
    QApplication.setFont(font)
    _percent = percent
    return percent


# --- remembering -----------------------------------------------------------------------------------------------
def user_key(session) -> str:
    return f"{session.node_info.id}/{session.user.id}"


def saved(session=None) -> int:
    """The size this user chose (`session`), else the last one chosen on this computer, else 100 %."""
    from ui.settings import load_preferences

    preferences = load_preferences()
    if session is not None:
        by_user = preferences.get(BY_USER_KEY)
        if isinstance(by_user, dict) and user_key(session) in by_user:
            return clamp(by_user[user_key(session)])
    return clamp(preferences.get(LAST_KEY, MIN_PERCENT))


def remember(percent: int, session=None) -> int:
    """Keep `percent` for this user and as this computer's last choice; returns what was kept."""
    from ui.settings import load_preferences, save_preference

    percent = clamp(percent)
    try:
        if session is not None:
            by_user = load_preferences().get(BY_USER_KEY)
            by_user = dict(by_user) if isinstance(by_user, dict) else {}
            by_user[user_key(session)] = percent
            save_preference(BY_USER_KEY, by_user)
        save_preference(LAST_KEY, percent)
    except OSError:
        log.warning("the text size could not be saved")
    return percent


# --- fitting a window on the screen ----------------------------------------------------------------------------
#: A screen to fit windows to instead of the real one (`binhan screenshots --size`), in logical pixels.
SCREEN_OVERRIDE: QRect | None = None


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The part of the screen a window may use (without the task bar), in Qt's logical pixels."""
    if SCREEN_OVERRIDE is not None:
        return QRect(SCREEN_OVERRIDE)
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 728)


def fit_on_screen(window: QWidget, width: int, height: int, *, area: QRect | None = None) -> None:
    """Give `window` the size it would like (`width` × `height`, grown with the text), but never more than the
    screen offers; its minimum size shrinks to fit too, so a form scrolls inside rather than running off."""
    area = area if area is not None else available_geometry(window)
    # A window's frame (title bar, borders) takes some of the screen too.
    room_w, room_h = max(area.width() - 16, 320), max(area.height() - 40, 240)
    minimum = window.minimumSize()
    window.setMinimumSize(min(minimum.width(), room_w), min(minimum.height(), room_h))
    window.resize(min(scaled(width), room_w), min(scaled(height), room_h))


def keep_on_screen(window: QWidget) -> bool:
    """Shrink a window larger than the screen to the screen (as far as its layout lets it); True if it changed.

    Called for every window as it is shown (ui.widgets.a11y), so a dialog or the set-up wizard made for
    a larger screen, or grown by a large text size, still fits a 1366 × 768 laptop at 125 % scaling.
    """
    area = available_geometry(window)
    if window.width() <= area.width() and window.height() <= area.height():
        return False  # a maximised window is exactly the area
    room_w, room_h = max(area.width() - 16, 320), max(area.height() - 40, 240)
    window.resize(min(window.width(), room_w), min(window.height(), room_h))
    return True


__all__ = ["CHOICES", "MAX_PERCENT", "MIN_PERCENT", "apply", "available_geometry", "clamp", "current", "factor",
           "fit_on_screen", "keep_on_screen", "remember", "saved", "scaled"]
