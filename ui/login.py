"""The login dialog: user name and password for one node.

The core decides everything (right password, throttling, disabled and locked
accounts); the dialog shows the core's message in the dialog itself and never a
stack trace. On success `dialog.session` holds the open session and the dialog is
accepted; whoever opened the dialog owns the session from then on.

Two ways round the plain log-in: «Quên mật khẩu?» opens the recovery with the
node's recovery key (ui.accounts.recover), whose session is taken the same way;
and a person who logged in with a one-time password (`session.must_change_password`)
sets her own before the dialog is accepted — leaving that question logs her out.
"""

from __future__ import annotations

import logging

import app
from app.errors import BinhAnError, LoginThrottled
from ui import tasks
from ui.i18n import error_text
from ui.qt import (QAction, QDialog, QFormLayout, QHBoxLayout, QKeySequence, QLabel, QLineEdit, QPushButton, QTimer,
                   QVBoxLayout, Qt, Signal)

log = logging.getLogger(__name__)


class LoginDialog(QDialog):
    #: One step of the countdown after too many wrong passwords (tests shorten it).
    COUNTDOWN_STEP_MS = 1000
    #: A log-in started (True) or ended (False; `session` is set first when it succeeded).
    busy_changed = Signal(bool)

    def __init__(self, node, parent=None):
        super().__init__(parent)
        self.node = node
        self.session = None
        self._busy = False
        self._wait_left = 0
        self._countdown = QTimer(self)
        self._countdown.setInterval(self.COUNTDOWN_STEP_MS)
        self._countdown.timeout.connect(self._tick)

        info = node.info
        self.setWindowTitle(self.tr("Đăng nhập — {app}").format(app=app.NAME))
        self.setMinimumWidth(420)

        self.node_label = QLabel(info.name)
        self.node_label.setObjectName("nodeName")
        font = self.node_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.node_label.setFont(font)
        self.node_label.setWordWrap(True)

        self.demo_label = QLabel(self.tr("Dữ liệu mẫu để tập huấn, không phải hồ sơ thật."))
        self.demo_label.setObjectName("demoNotice")
        self.demo_label.setStyleSheet("color: #8a5300;")
        self.demo_label.setVisible(info.demo)

        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("username")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)

        form = QFormLayout()
        form.addRow(self.tr("Tên đăng nhập:"), self.username_edit)
        form.addRow(self.tr("Mật khẩu:"), self.password_edit)

        self.message_label = QLabel()
        self.message_label.setObjectName("loginMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet("color: #b00020;")
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.hide()

        self.login_button = QPushButton(self.tr("Đăng nhập"))
        self.login_button.setObjectName("loginButton")
        self.login_button.setDefault(True)
        self.login_button.clicked.connect(self.try_login)
        self.cancel_button = QPushButton(self.tr("Thoát"))
        self.cancel_button.clicked.connect(self.reject)
        # A forgotten password: back in with the recovery key (ui.accounts.recover); F1 opens the guide there.
        self.help_button = QPushButton(self.tr("Quên mật khẩu?"))
        self.help_button.setObjectName("loginHelp")
        self.help_button.setFlat(True)
        self.help_button.setAutoDefault(False)
        self.help_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.help_button.setStyleSheet("color: #1a5fb4; text-decoration: underline;")
        self.help_button.setToolTip(self.tr("Đặt lại mật khẩu bằng mã khôi phục của đơn vị (F1: hướng dẫn)"))
        self.help_button.clicked.connect(self.start_recovery)
        self.recovery_dialog = None
        self.change_dialog = None
        help_action = QAction(self)
        help_action.setShortcut(QKeySequence("F1"))
        help_action.triggered.connect(lambda checked=False: self.show_help())
        self.addAction(help_action)
        self.guide_window = None
        buttons = QHBoxLayout()
        buttons.addWidget(self.help_button)
        buttons.addStretch(1)
        buttons.addWidget(self.login_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.node_label)
        layout.addWidget(self.demo_label)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.username_edit.setFocus()

    def show_help(self):
        """The user guide, at what to do about a forgotten password."""
        from ui.help import GuideWindow

        if self.guide_window is None:
            self.guide_window = GuideWindow(self)
        self.guide_window.show()
        self.guide_window.raise_()
        self.guide_window.show_topic("forgotten_password")
        return self.guide_window

    def start_recovery(self):
        """«Quên mật khẩu?»: the recovery key, the account, a new password; the session it opens is ours."""
        from ui.accounts.recover import RecoveryDialog

        if self._busy:
            return None
        dialog = RecoveryDialog(self.node, self)
        self.recovery_dialog = dialog
        dialog.accepted.connect(lambda: self._logged_in(dialog.session))
        dialog.open()
        return dialog

    # --- logging in -----------------------------------------------------------------------
    def try_login(self) -> None:
        if self._busy or self._wait_left > 0:
            return
        username = self.username_edit.text().strip()
        password = self.password_edit.text()
        if not username:
            self._show_message(self.tr("Hãy nhập tên đăng nhập."))
            self.username_edit.setFocus()
            return
        self._set_busy(True)
        node = self.node
        tasks.run_in_background(lambda: node.login(username, password, exclusive=True),
                                on_done=lambda session: self._logged_in(session, password),
                                on_error=self._login_failed, owner=self)

    def _logged_in(self, session, password: str | None = None) -> None:
        must_change = password is not None and bool(getattr(session, "must_change_password", False))
        if not must_change:
            self.session = session  # before the busy signal: whoever listens sees the log-in succeeded
        self._set_busy(False)
        self.password_edit.clear()
        if must_change and password is not None:  # must_change holds only with a password
            self._ask_new_password(session, password)
            return
        self.accept()

    def _ask_new_password(self, session, password: str) -> None:
        """A one-time password: a password of her own before anything else, or back to the log-in."""
        from ui.accounts.password import ChangePasswordDialog

        self._busy = True  # nobody else logs in meanwhile
        for widget in (self.login_button, self.cancel_button, self.username_edit, self.password_edit):
            widget.setEnabled(False)
        dialog = ChangePasswordDialog(session, password, self)
        self.change_dialog = dialog

        def finished(result: int) -> None:
            self._busy = False
            self._set_busy(False)  # (the log-in had ended: this says so once more, harmlessly)
            self.change_dialog = None
            if result == QDialog.DialogCode.Accepted:
                self.session = session
                self.accept()
                return
            try:
                session.close()
            except BinhAnError as error:
                self._show_message(error_text(error))
                return
            self._show_message(self.tr("Chưa đặt mật khẩu mới: hãy đăng nhập lại bằng mật khẩu dùng một lần."),
                               error=False)

        dialog.finished.connect(finished)
        dialog.open()

    def _login_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.password_edit.clear()
        if isinstance(error, LoginThrottled):
            self._start_countdown(error.seconds)
        elif isinstance(error, BinhAnError):
            self._show_message(error_text(error))
        else:
            log.error("login failed unexpectedly: %s", type(error).__name__)
            self._show_message(error_text(error))
        self.password_edit.setFocus()

    # --- waiting after too many wrong passwords ------------------------------------------------
    def _start_countdown(self, seconds: float) -> None:
        self._wait_left = max(1, int(seconds + 0.999))
        self.login_button.setEnabled(False)
        self._show_message(error_text(LoginThrottled(self._wait_left)))
        self._countdown.start()

    def _tick(self) -> None:
        self._wait_left -= 1
        if self._wait_left > 0:
            self._show_message(error_text(LoginThrottled(self._wait_left)))
            return
        self._countdown.stop()
        self.login_button.setEnabled(True)
        self._show_message(self.tr("Bạn có thể thử đăng nhập lại."), error=False)

    def seconds_to_wait(self) -> int:
        return self._wait_left

    # --- small things ------------------------------------------------------------------------------
    def _show_message(self, text: str, *, error: bool = True) -> None:
        self.message_label.setStyleSheet("color: #b00020;" if error else "")
        self.message_label.setText(text)
        self.message_label.show()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy_changed.emit(busy)
        self.login_button.setEnabled(not busy and self._wait_left == 0)
        self.cancel_button.setEnabled(not busy)
        self.username_edit.setEnabled(not busy)
        self.password_edit.setEnabled(not busy)

    def reject(self) -> None:
        # A login still running would open a session nobody closes.
        if self._busy:
            return
        self._countdown.stop()
        self.password_edit.clear()
        super().reject()
