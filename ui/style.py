"""Every colour that carries meaning, with the background it is drawn on; WCAG contrast checked by a test.

A colour is named by what it says (`error`, `warning`, `success`…), never by
its hue, and each is kept as a `Pair`: the foreground, the background it sits
on, and whether it is text (WCAG AA: 4.5:1) or a graphic — a bar, a border, a
focus ring (3:1). `tests/ui/test_accessibility.py` computes every pair's ratio
from here, so a new colour cannot slip under the bar.

Colour never carries meaning alone: beside red or amber there is always a word
or a sign (`WARNING_SIGN`), so a person who cannot tell the colours apart, or
a screen reader, gets the same message.
"""

from __future__ import annotations

from dataclasses import dataclass

#: WCAG 2.1 AA minimum contrast ratios.
TEXT_MINIMUM = 4.5
GRAPHIC_MINIMUM = 3.0

#: Put before a warning or an error shown in colour (the word says it, the sign catches the eye).
WARNING_SIGN = "⚠"

WHITE = "#ffffff"
#: The window's own grey (Fusion's Window role); pages and panels are drawn on it.
WINDOW = "#efefef"


@dataclass(frozen=True)
class Pair:
    foreground: str
    background: str
    kind: str = "text"  # "text" (4.5:1) or "graphic" (3:1)

    @property
    def minimum(self) -> float:
        return TEXT_MINIMUM if self.kind == "text" else GRAPHIC_MINIMUM

    def ratio(self) -> float:
        return contrast_ratio(self.foreground, self.background)


# --- the palette --------------------------------------------------------------------------------------------
#: Text on the window or on white (a QLabel on a page or in a form).
ERROR = "#b00020"
WARNING = "#8a5300"  # amber text: 6.3:1 on white (the old #b26a00 was 3.7:1)
SUCCESS = "#1b5e20"
MUTED = "#555555"
LINK = "#1e63b4"
CAMPAIGN = "#6a1b9a"

#: Target status badges: white words on a coloured ground.
STATUS_BACKGROUNDS = {"met": "#2e7d32", "at_risk": "#8a5300", "missed": "#c62828", "no_data": "#616161"}

#: Banners and message lines: (text, background, border).
BANNERS = {
    "error": ("#8b0000", "#fdecea", "#e3a7a1"),
    "info": ("#1b5e20", "#e8f5e9", "#a5d6a7"),
    "notice": ("#1f3b63", "#eef3fb", "#b3c6e6"),
    "success": ("#1b4d2a", "#e9f5ec", "#a9d5b4"),
    "loading": ("#1f3b63", "#eef3fb", "#b3c6e6"),
}

#: Chart colours, on the charts' white ground.
CHART_MET = "#2e7d32"
CHART_SHORT = "#b35c00"  # 4.1:1 on white; the old #ef8f00 was 2.4:1. Short columns are hatched too.
CHART_GOAL = "#c62828"
CHART_BAR = "#1e63b4"
CHART_AXIS = "#6b6b6b"
CHART_TEXT = "#212121"
CHART_NO_DATA = "#767676"  # the dashed outline of a quarter without data (marked "—" too)

#: The ring drawn round whatever has the keyboard (ui.widgets.a11y.FocusRing).
FOCUS_RING = "#1a56b3"

#: Row tones of the small tables (ui.widgets.table).
TONES = {"bad": "#a11d12", "good": "#1b6b34", "warn": "#8a5a00", "muted": "#595959"}

#: Every pair the window draws; the test checks each against its minimum.
PAIRS: dict[str, Pair] = {
    **{f"{name} on white": Pair(colour, WHITE) for name, colour in
       (("error", ERROR), ("warning", WARNING), ("success", SUCCESS), ("muted", MUTED), ("link", LINK),
        ("campaign", CAMPAIGN))},
    **{f"{name} on window": Pair(colour, WINDOW) for name, colour in
       (("error", ERROR), ("warning", WARNING), ("success", SUCCESS), ("muted", MUTED), ("link", LINK),
        ("campaign", CAMPAIGN))},
    **{f"status {name}": Pair(WHITE, ground) for name, ground in STATUS_BACKGROUNDS.items()},
    **{f"status {name} as text": Pair(ground, WHITE) for name, ground in STATUS_BACKGROUNDS.items()},
    **{f"banner {name}": Pair(text, ground) for name, (text, ground, _border) in BANNERS.items()},
    **{f"tone {name}": Pair(colour, WHITE) for name, colour in TONES.items()},
    **{f"tone {name} on alternate row": Pair(colour, "#f7f7f7") for name, colour in TONES.items()},
    "chart met bar": Pair(CHART_MET, WHITE, "graphic"),
    "chart short bar": Pair(CHART_SHORT, WHITE, "graphic"),
    "chart goal line": Pair(CHART_GOAL, WHITE, "graphic"),
    "chart count bar": Pair(CHART_BAR, WHITE, "graphic"),
    "chart no-data outline": Pair(CHART_NO_DATA, WHITE, "graphic"),
    "chart axis": Pair(CHART_AXIS, WHITE, "text"),
    "chart text": Pair(CHART_TEXT, WHITE, "text"),
    "focus ring on window": Pair(FOCUS_RING, WINDOW, "graphic"),
    "focus ring on white": Pair(FOCUS_RING, WHITE, "graphic"),
    "field error border": Pair(ERROR, WHITE, "graphic"),
}


# --- WCAG arithmetic ---------------------------------------------------------------------------------------
def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of "#rrggbb" (or "#rgb")."""
    text = colour.lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    r, g, b = (int(text[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """(L1 + 0.05) / (L2 + 0.05), the lighter over the darker: 1 (none) … 21 (black on white)."""
    a, b = relative_luminance(foreground), relative_luminance(background)
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)


# --- style sheet pieces --------------------------------------------------------------------------------------
def text_colour(colour: str, *, bold: bool = False) -> str:
    return f"color: {colour};" + (" font-weight: bold;" if bold else "")


def banner_style(kind: str) -> str:
    """The declarations of a banner or message line of `kind` (a key of `BANNERS`)."""
    text, ground, border = BANNERS[kind]
    return f"background: {ground}; color: {text}; border: 1px solid {border};"


__all__ = ["BANNERS", "CAMPAIGN", "ERROR", "FOCUS_RING", "LINK", "MUTED", "PAIRS", "Pair", "STATUS_BACKGROUNDS",
           "SUCCESS", "TONES", "WARNING", "WARNING_SIGN", "banner_style", "contrast_ratio", "relative_luminance",
           "text_colour"]
