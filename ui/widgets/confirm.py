"""A yes/no question that does not block: «No» is the default button and Esc, the answer comes by callback.

    self.delete_box = confirm(self, name="deleteRecordBox", title=…, text=…, info=…, yes=self.tr("Xóa"),
                              no=self.tr("Không xóa"), answered=self._delete_answered,
                              yes_role=QMessageBox.ButtonRole.DestructiveRole)

The box is window-modal and opened at once (`open`, not `exec`), so tests and the
event loop keep running; `answered(True)` only when the yes button was pressed,
after which the box deletes itself.
"""

from __future__ import annotations

from collections.abc import Callable

from ui.qt import QMessageBox, QWidget


def confirm(parent: QWidget, *, name: str, title: str, text: str, info: str, yes: str, no: str,
            answered: Callable[[bool], object], icon: QMessageBox.Icon = QMessageBox.Icon.Warning,
            yes_role: QMessageBox.ButtonRole = QMessageBox.ButtonRole.AcceptRole) -> QMessageBox:
    """Open the question (object name `name`) and return it; `answered(yes)` once it is closed."""
    box = QMessageBox(parent)
    box.setObjectName(name)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(text)
    box.setInformativeText(info)
    box.setStandardButtons(QMessageBox.StandardButton.NoButton)
    yes_button = box.addButton(yes, yes_role)
    no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no_button)
    box.setEscapeButton(no_button)

    def finished(_result) -> None:
        confirmed = box.clickedButton() is yes_button
        box.deleteLater()
        answered(confirmed)

    box.finished.connect(finished)
    box.open()
    return box


__all__ = ["confirm"]
