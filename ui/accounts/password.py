"""Choosing a new password: two fields that must agree, the core's own objections shown as one types.

`NewPasswordFields` is used by Settings (one's own password), the Accounts page
(a new account), the recovery dialog and the log-in's "choose a new password
now". The rule for what is good enough is the core's (`password_problems`); the
widget only shows its words. Fields are wiped when cleared.
"""

from __future__ import annotations

import logging

from app.errors import FieldError
from ui import tasks
from ui.i18n import error_text, language
from ui.qt import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPushButton, Qt, QVBoxLayout, QWidget,
                   Signal)

log = logging.getLogger(__name__)


def password_problems(password: str, *, username: str | None = None, path: str = "password") -> list[FieldError]:
    """The core's objections to `password` (empty when it is good enough)."""
    from app import accounts

    core = getattr(accounts, "password_problems", None)
    if core is not None:
        return list(core(password, username=username, path=path))
    # A core without the rule yet: its one check today, in its own words.
    if len(password or "") < accounts.MIN_PASSWORD_LENGTH:
        n = accounts.MIN_PASSWORD_LENGTH
        return [FieldError(path, f"Mật khẩu phải có ít nhất {n} ký tự.",
                           f"The password must have at least {n} characters.")]
    return []


def wipe(edit: QLineEdit) -> None:
    """Clear a password field: its text overwritten before it is dropped, no undo history left."""
    edit.setText("\0" * len(edit.text()))
    edit.clear()


class NewPasswordFields(QWidget):
    """A new password and its repetition; `password()` is None until both agree and the core has no objection."""

    changed = Signal()
    #: The widest a password field grows.
    FIELD_WIDTH = 420

    def __init__(self, parent=None, *, username: str | None = None, first_label: str | None = None,
                 second_label: str | None = None, form: QFormLayout | None = None):
        """`form`: a form of the dialog to add the rows to (their labels then line up with its other rows);
        without one the widget lays them out itself."""
        super().__init__(parent)
        self.username = username
        self.new_edit = QLineEdit()
        self.new_edit.setObjectName("newPassword")
        self.new_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = QLineEdit()
        self.repeat_edit.setObjectName("repeatPassword")
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        for edit in (self.new_edit, self.repeat_edit):
            edit.setMaximumWidth(self.FIELD_WIDTH)  # a sentence fits; a page-wide field reads as something else
        self.hint = QLabel()
        self.hint.setObjectName("passwordHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #8a5300;")
        self.hint.hide()
        if form is None:
            form = QFormLayout(self)
            form.setContentsMargins(0, 0, 0, 0)
        else:
            self.hide()  # its rows live in the dialog's form; this widget only keeps them together
        form.addRow(first_label or self.tr("Mật khẩu mới:"), self.new_edit)
        form.addRow(second_label or self.tr("Nhập lại mật khẩu mới:"), self.repeat_edit)
        form.addRow(self.hint)
        note = QLabel(self.tr("Nên dùng một câu dài dễ nhớ (có thể gõ tiếng Việt có dấu)."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555555;")
        form.addRow(note)
        for edit in (self.new_edit, self.repeat_edit):
            edit.textChanged.connect(self._update)

    def problems(self) -> list[str]:
        """What stops this password now, in the window's language (empty when it may be used)."""
        text = self.new_edit.text()
        found = [e.message(language()) for e in password_problems(text, username=self.username)]
        if text and self.repeat_edit.text() != text:
            found.append(self.tr("Hai lần nhập mật khẩu mới chưa giống nhau."))
        return found

    def password(self) -> str | None:
        return self.new_edit.text() if self.new_edit.text() and not self.problems() else None

    def _update(self) -> None:
        if self.new_edit.text() and self.repeat_edit.text():
            problems = self.problems()
            self.hint.setText("\n".join(problems))
            self.hint.setVisible(bool(problems))
        else:
            self.hint.hide()
        self.changed.emit()

    def clear(self) -> None:
        wipe(self.new_edit)
        wipe(self.repeat_edit)
        self.hint.hide()


class ChangePasswordDialog(QDialog):
    """After logging in with a one-time password: a new password before anything else.

    `current_password` is what was just typed to log in; it is used once for
    `session.change_password` and dropped. Leaving without a new password rejects the dialog
    (the log-in then closes the session).
    """

    def __init__(self, session, current_password: str, parent=None):
        super().__init__(parent)
        self.setObjectName("mustChangePassword")
        self.session = session
        self._current = current_password
        self.setWindowTitle(self.tr("Đặt mật khẩu mới"))
        self.setMinimumWidth(460)
        intro = QLabel(self.tr("Bạn vừa đăng nhập bằng mật khẩu dùng một lần. Hãy đặt mật khẩu của riêng bạn "
                               "trước khi làm việc; từ nay chỉ bạn biết mật khẩu này."))
        intro.setWordWrap(True)
        self.fields = NewPasswordFields(username=session.user.username)
        self.message = QLabel()
        self.message.setObjectName("changePasswordMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.hide()
        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton(self.tr("Lưu mật khẩu mới"))
        self.save_button.setObjectName("saveNewPassword")
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("Đăng xuất"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.fields.changed.connect(lambda: self.save_button.setEnabled(self.fields.password() is not None))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addWidget(self.fields)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.fields.new_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> None:
        new = self.fields.password()
        if new is None:
            return
        session, old = self.session, self._current
        self.save_button.setEnabled(False)
        tasks.run_in_background(lambda: session.change_password(old, new), on_done=self._saved,
                                on_error=self._failed, owner=self)

    def _saved(self, _result) -> None:
        self._current = ""
        self.fields.clear()
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.message.setText(error_text(error))
        self.message.show()

    def done(self, result: int) -> None:
        self._current = ""
        self.fields.clear()
        super().done(result)
