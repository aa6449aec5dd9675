"""«Quên mật khẩu?»: back in with the recovery key — the key, then whose password, then the new password.

The key is checked first (a wrong key is said at once, before anything else is
asked). Only then are the accounts that may log in offered, so a stranger at the
log-in learns no user name. `node.recover` rewrites the chosen person's password
slot and opens a session for her, which `session` holds once the dialog is accepted.
"""

from __future__ import annotations

import logging

from app.errors import BinhAnError
from ui import tasks
from ui.accounts.password import NewPasswordFields, wipe
from ui.i18n import error_text
from ui.qt import (QComboBox, QDialog, QFontDatabase, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                   QStackedWidget, Qt, QVBoxLayout, QWidget)

log = logging.getLogger(__name__)


def recover_and_hold(node, recovery_key: str, username: str, new_password: str):
    """The node's instance lock, as a window's log-in takes it, then `node.recover`.

    The lock comes first: with the node open in another window the recovery is refused before
    any password is changed (DataInUse names who has it open).
    """
    from app.store.instance import InstanceLock

    lock = InstanceLock(node.data_dir)
    lock.acquire(username)
    try:
        session = node.recover(recovery_key, username, new_password)
    except BaseException:
        lock.release()
        raise
    if getattr(session, "instance_lock", None) is None:
        session.instance_lock = lock
    else:
        lock.release()  # a core that holds it itself
    return session


class RecoveryDialog(QDialog):
    KEY_STEP, PASSWORD_STEP = 0, 1

    def __init__(self, node, parent=None):
        super().__init__(parent)
        self.setObjectName("recoveryLogin")
        self.node = node
        self.session = None
        self._key = ""
        self._busy = False
        self.setWindowTitle(self.tr("Khôi phục bằng mã khôi phục"))
        self.setMinimumWidth(520)

        # --- step 1: the key ------------------------------------------------------------------
        key_page = QWidget()
        intro = QLabel(self.tr(
            "Mã khôi phục nằm trên tờ khôi phục đã in khi thiết lập đơn vị (quản trị viên cất giữ). Nhập đủ "
            "các nhóm ký tự; không phân biệt chữ hoa, chữ thường, có hay không có dấu gạch ngang đều được."))
        intro.setWordWrap(True)
        self.key_edit = QLineEdit()
        self.key_edit.setObjectName("recoveryKeyInput")
        self.key_edit.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX-…")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.key_edit.setFont(font)
        key_layout = QVBoxLayout(key_page)
        key_layout.setContentsMargins(0, 0, 0, 0)
        key_layout.addWidget(intro)
        key_layout.addSpacing(6)
        key_form = QFormLayout()
        key_form.addRow(self.tr("Mã khôi phục:"), self.key_edit)
        key_layout.addLayout(key_form)
        key_layout.addStretch(1)

        # --- step 2: whose password, and the new one ------------------------------------------------
        password_page = QWidget()
        accepted = QLabel(self.tr("Mã khôi phục đúng. Chọn tài khoản cần đặt lại mật khẩu, rồi đặt mật khẩu mới "
                                  "cho tài khoản đó. Việc này được ghi vào nhật ký."))
        accepted.setWordWrap(True)
        accepted.setStyleSheet("color: #1b5e20;")
        self.account_combo = QComboBox()
        self.account_combo.setObjectName("recoveryAccount")
        self.account_combo.setEditable(True)  # an account whose slot is gone can still be named
        account_form = QFormLayout()
        account_form.addRow(self.tr("Tài khoản:"), self.account_combo)
        self.fields = NewPasswordFields(password_page, form=account_form)
        password_layout = QVBoxLayout(password_page)
        password_layout.setContentsMargins(0, 0, 0, 0)
        password_layout.addWidget(accepted)
        password_layout.addSpacing(6)
        password_layout.addLayout(account_form)
        password_layout.addStretch(1)

        self.steps = QStackedWidget()
        self.steps.addWidget(key_page)
        self.steps.addWidget(password_page)

        self.message = QLabel()
        self.message.setObjectName("recoveryMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        self.next_button = QPushButton(self.tr("Kiểm tra mã"))
        self.next_button.setObjectName("recoveryNext")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.next_step)
        self.cancel_button = QPushButton(self.tr("Hủy"))
        self.cancel_button.setObjectName("recoveryCancel")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.steps, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.key_edit.setFocus()

    def next_step(self) -> None:
        if self._busy:
            return
        if self.steps.currentIndex() == self.KEY_STEP:
            self.check_key()
        else:
            self.recover()

    # --- step 1 -------------------------------------------------------------------------------------
    def check_key(self) -> None:
        key = self.key_edit.text().strip()
        if not key:
            self._say(self.tr("Hãy nhập mã khôi phục."))
            return
        node = self.node

        def check() -> list[str]:
            node.slots.open_with_recovery(key)  # raises WrongSecret; the key it opens is dropped here
            return sorted(node.slots.users(), key=str.lower)

        self._set_busy(True)
        tasks.run_in_background(check, on_done=lambda users: self._key_accepted(key, users),
                                on_error=self._failed, owner=self)

    def _key_accepted(self, key: str, users: list[str]) -> None:
        self._set_busy(False)
        self._key = key
        wipe(self.key_edit)
        self.message.hide()
        self.account_combo.clear()
        self.account_combo.addItems(users)
        self.steps.setCurrentIndex(self.PASSWORD_STEP)
        self.next_button.setText(self.tr("Đặt mật khẩu và đăng nhập"))
        self.fields.new_edit.setFocus()

    # --- step 2 -------------------------------------------------------------------------------------
    def recover(self) -> None:
        username = self.account_combo.currentText().strip()
        if not username:
            self._say(self.tr("Hãy chọn tài khoản."))
            return
        self.fields.username = username
        problems = self.fields.problems()
        new = self.fields.password()
        if new is None:
            self._say("\n".join(problems) or self.tr("Hãy nhập mật khẩu mới hai lần."))
            return
        node, key = self.node, self._key
        self._set_busy(True)
        tasks.run_in_background(lambda: recover_and_hold(node, key, username, new), on_done=self._recovered,
                                on_error=self._failed, owner=self)

    def _recovered(self, session) -> None:
        self._set_busy(False)
        self.session = session
        self._key = ""
        self.fields.clear()
        self.accept()

    # --- small things -----------------------------------------------------------------------------------
    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if not isinstance(error, BinhAnError):
            log.error("recovery failed: %s", type(error).__name__)
        self._say(error_text(error))

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.next_button.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)

    def reject(self) -> None:
        if self._busy:
            return  # a recovery still running would open a session nobody closes
        self._key = ""
        wipe(self.key_edit)
        self.fields.clear()
        super().reject()
