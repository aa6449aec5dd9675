"""A message line on a page: what just happened, in plain words, without a pop-up to dismiss."""

from __future__ import annotations

from ui.qt import QLabel, Qt

_STYLES = {
    "info": "background: #eef4fb; border: 1px solid #b7cde8; color: #1d3550;",
    "success": "background: #e9f5ec; border: 1px solid #a9d5b4; color: #1b4d2a;",
    "error": "background: #fdecea; border: 1px solid #f0b4ac; color: #8a1c12;",
}


class MessageLine(QLabel):
    """Hidden until a page has something to say; the text can be selected and copied (file names, codes)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("pageMessage")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = ""
        self.hide()

    def say(self, text: str, kind: str = "info") -> None:
        self.kind = kind
        self.setStyleSheet(f"QLabel {{ {_STYLES.get(kind, _STYLES['info'])} border-radius: 3px; padding: 6px 8px; }}")
        self.setText(text)
        self.show()

    def success(self, text: str) -> None:
        self.say(text, "success")

    def error(self, text: str) -> None:
        self.say(text, "error")

    def clear_message(self) -> None:
        self.kind = ""
        self.clear()
        self.hide()
