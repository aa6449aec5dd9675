"""Everyone can use it (issue 21): names for screen readers, the keyboard alone, contrast, text size.

The walks go through every page of the window and every section of the forms
offscreen, as a screen reader or a keyboard user would meet them.
"""

from __future__ import annotations

import pytest

from ui.qt import QApplication, QWidget, Qt


def show_active(qtbot, window) -> None:
    window.show()
    qtbot.waitExposed(window)

    def active() -> bool:
        if QApplication.activeWindow() is not window:
            window.windowHandle().requestActivate()  # offscreen, the first request is sometimes lost
            return False
        return True

    qtbot.waitUntil(active, timeout=4000)


def focused() -> QWidget:
    return QApplication.focusWidget()


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), key, modifier)


def describe(widget) -> str:
    return f"{type(widget).__name__}({widget.objectName()!r}, {widget.accessibleName()!r})"


# --- keyboard traps --------------------------------------------------------------------------------------------
def tab_walk(qtbot, presses: int = 60) -> list[QWidget]:
    seen = []
    for _ in range(presses):
        seen.append(focused())
        press(qtbot, Qt.Key.Key_Tab)
    return seen


@pytest.mark.parametrize("page_number", range(1, 8))
def test_tab_leaves_the_navigation_and_comes_back_on_every_page(qtbot, main_window, page_number):
    show_active(qtbot, main_window)
    main_window.navigation.setFocus()
    press(qtbot, getattr(Qt.Key, f"Key_{page_number}"), Qt.KeyboardModifier.ControlModifier)
    main_window.navigation.setFocus()
    walk = tab_walk(qtbot)
    outside = [w for w in walk if w is not None and w is not main_window.navigation]
    assert outside, "Tab never left the navigation list"
    assert walk.count(main_window.navigation) >= 2, "Tab never came back round to the navigation list: " + \
        ", ".join(describe(w) for w in walk[-8:])


# --- names for screen readers ----------------------------------------------------------------------------------
def test_every_page_names_every_field(qtbot, three_cases, main_window):
    from ui.main_window import PAGE_KEYS
    from ui.widgets.a11y import unnamed_fields

    show_active(qtbot, main_window)
    missing = {}
    for key in PAGE_KEYS:
        main_window.show_page(key)
        page = main_window.pages[key]
        for tab in getattr(page, "TAB_KEYS", None) or [None]:
            if tab is not None:
                page.show_tab(tab)
            qtbot.wait(1)
            for widget in unnamed_fields(main_window):
                missing.setdefault(f"{key}/{tab}", []).append(describe(widget))
    assert not missing, "\n".join(f"{k}: {v}" for k, v in missing.items())
