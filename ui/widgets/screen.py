"""Windows that fit the screen they open on: many commune PCs have 1366 × 768 screens with a taskbar.

    fit_to_screen(form, 1080, 700)   # instead of form.resize(1080, 760)

A dialog asks for at most `MAX_DIALOG_HEIGHT` (its form scrolls inside), and never
for more than the screen's free area less a margin for the title bar.
"""

from __future__ import annotations

from ui.qt import QWidget

#: The tallest a dialog opens: 768 less a taskbar (~40) and a title bar (~30).
MAX_DIALOG_HEIGHT = 700
#: Room kept free around a window for its frame and title bar.
FRAME_MARGIN = 40


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize `widget` to `width` × `height`, made smaller where its screen (or 700 px high) needs it."""
    from ui import text_size

    # Grown with the chosen text size, but never beyond the screen's free area (the form scrolls inside).
    text_size.fit_on_screen(widget, width, min(height, MAX_DIALOG_HEIGHT))


__all__ = ["MAX_DIALOG_HEIGHT", "fit_to_screen"]
