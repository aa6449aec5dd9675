"""The shared yes/no question: No is the default and Esc, the answer comes once, the box goes away."""

from __future__ import annotations

from ui.qt import QApplication, QEvent, QMessageBox, Qt, QWidget
from ui.widgets.confirm import confirm


def ask(qtbot, answers: list) -> tuple[QWidget, QMessageBox]:
    parent = QWidget()
    qtbot.addWidget(parent)
    box = confirm(parent, name="testBox", title="Xóa", text="Xóa bản ghi?", info="Không hoàn tác được.",
                  yes="Xóa", no="Không xóa", answered=answers.append,
                  yes_role=QMessageBox.ButtonRole.DestructiveRole)
    return parent, box


def test_esc_and_enter_both_answer_no(qtbot):
    for key in (Qt.Key.Key_Escape, Qt.Key.Key_Return):
        answers = []
        _parent, box = ask(qtbot, answers)
        assert box.isVisible() and box.objectName() == "testBox"
        assert box.defaultButton().text() == "Không xóa" and box.escapeButton().text() == "Không xóa"
        qtbot.keyClick(box, key)
        assert answers == [False]


def test_yes_answers_yes_once_and_the_box_is_deleted(qtbot):
    answers = []
    _parent, box = ask(qtbot, answers)
    destroyed = []
    box.destroyed.connect(lambda: destroyed.append(True))
    yes = next(b for b in box.buttons() if b.text() == "Xóa")
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert answers == [True] and destroyed == [True]
