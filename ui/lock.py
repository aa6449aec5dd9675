"""Locking the window: after a while with no keyboard or mouse use, or at once (Ctrl+L).

A locked window shows the lock screen in place of every page: lists and forms
are hidden, not merely covered, so nothing of them can be seen, grabbed or
reached with the keyboard. Only the password of the person logged in opens it
again (`session.unlock`, throttled by the core), or they can hand the computer
to someone else ("Đổi người dùng").

`IdleWatcher` watches the whole application (every window and dialog), so a
person typing in a dialog is not locked out.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import app
from app.errors import BinhAnError, LoginThrottled
from ui import tasks
from ui.i18n import error_text
from ui.qt import (QApplication, QEvent, QFont, QFrame, QHBoxLayout, QLabel, QLineEdit, QObject, QPushButton,
                   Qt, QTimer, QVBoxLayout, QWidget, Signal)

log = logging.getLogger(__name__)

# What counts as a person at the computer. Paint, timer and focus events do not.
_INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate, QEvent.Type.InputMethod, QEvent.Type.TabletPress,
})


class IdleWatcher(QObject):
    """Emits `idle` once no key or mouse event has reached the application for `minutes`.

    `clock` (seconds, monotonic) and the check interval can be replaced in tests.
    """

    idle = Signal()

    #: How often the time since the last input is checked.
    CHECK_INTERVAL_MS = 15_000

    def __init__(self, minutes: float, *, clock: Callable[[], float] = time.monotonic, parent=None):
        super().__init__(parent)
        self.minutes = minutes
        self.clock = clock
        self.last_input = clock()
        self._running = False
        self._timer = QTimer(self)
        self._timer.setInterval(self.CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        if self._running:
            return
        self._running = True
        self.last_input = self.clock()
        qapp = QApplication.instance()
        if qapp is None:
            raise RuntimeError("the idle lock needs the running application")
        qapp.installEventFilter(self)
        self._timer.start()

    def stop(self) -> None:
        if not self._running:
            return
        self._running = False
        self._timer.stop()
        qapp = QApplication.instance()
        if qapp is not None:
            qapp.removeEventFilter(self)

    @property
    def running(self) -> bool:
        return self._running

    def set_minutes(self, minutes: float) -> None:
        self.minutes = minutes

    def eventFilter(self, watched, event) -> bool:
        if event.type() in _INPUT_EVENTS:
            self.last_input = self.clock()
        return False

    def seconds_idle(self) -> float:
        return self.clock() - self.last_input

    def check(self) -> bool:
        """Emit `idle` (once, then stop) if the time is up; returns whether it was."""
        if self._running and self.seconds_idle() >= self.minutes * 60:
            self.stop()
            self.idle.emit()
            return True
        return False


class LockScreen(QWidget):
    """What a locked window shows: the node and who is logged in, a password field, nothing else."""

    unlocked = Signal()
    switch_user_requested = Signal()

    #: One step of the countdown after too many wrong passwords (tests shorten it).
    COUNTDOWN_STEP_MS = 1000

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("lockScreen")
        self.setAutoFillBackground(True)  # opaque: nothing behind it shows through
        self._busy = False
        self._wait_left = 0
        self._countdown = QTimer(self)
        self._countdown.setInterval(self.COUNTDOWN_STEP_MS)
        self._countdown.timeout.connect(self._tick)

        info = session.node_info
        user = session.user
        self.title_label = QLabel(self.tr("Màn hình đã khóa"))
        self.title_label.setObjectName("lockTitle")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setWeight(QFont.Weight.Bold)
        self.title_label.setFont(font)
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.who_label = QLabel(self.tr("{app} — {node}").format(app=app.NAME, node=info.name))
        self.who_label.setObjectName("lockWho")
        self.who_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.who_label.setWordWrap(True)
        self.user_label = QLabel(self.tr("Người dùng: {user}").format(user=user.display_name))
        self.user_label.setObjectName("lockUser")
        self.user_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.explain_label = QLabel(self.tr("Dữ liệu đang được ẩn. Nhập mật khẩu của bạn để mở lại."))
        self.explain_label.setObjectName("lockExplain")
        self.explain_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.explain_label.setWordWrap(True)

        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("unlockPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(self.tr("Mật khẩu"))
        self.password_edit.returnPressed.connect(self.try_unlock)
        self.unlock_button = QPushButton(self.tr("Mở khóa"))
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.message_label = QLabel()
        self.message_label.setObjectName("unlockMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setStyleSheet("color: #b00020;")
        self.message_label.hide()
        self.switch_button = QPushButton(self.tr("Đổi người dùng…"))
        self.switch_button.setObjectName("lockSwitchUser")
        self.switch_button.clicked.connect(self.switch_user_requested)

        row = QHBoxLayout()
        row.addWidget(self.password_edit, 1)
        row.addWidget(self.unlock_button)

        card = QFrame()
        card.setObjectName("lockCard")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setFixedWidth(540)  # a fixed width lets the wrapped lines below get their full height
        box = QVBoxLayout(card)
        box.setContentsMargins(28, 24, 28, 24)
        box.setSpacing(10)
        box.addWidget(self.title_label)
        box.addWidget(self.who_label)
        box.addWidget(self.user_label)
        box.addSpacing(6)
        box.addWidget(self.explain_label)
        box.addLayout(row)
        box.addWidget(self.message_label)
        box.addSpacing(6)
        box.addWidget(self.switch_button, 0, Qt.AlignmentFlag.AlignCenter)

        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    # --- showing ---------------------------------------------------------------------------------------
    def reset(self) -> None:
        """Ready for the password: empty field, no old message (unless a wait is still running)."""
        self.password_edit.clear()
        if self._wait_left == 0:
            self.message_label.hide()
        self.password_edit.setEnabled(True)
        self.unlock_button.setEnabled(self._wait_left == 0)
        self.switch_button.setEnabled(True)
        self.explain_label.setText(self.tr("Dữ liệu đang được ẩn. Nhập mật khẩu của bạn để mở lại."))
        self.password_edit.setFocus()

    def set_signed_out(self) -> None:
        """The session is closed (switching user): nothing to unlock any more."""
        self._countdown.stop()
        self.password_edit.clear()
        self.password_edit.setEnabled(False)
        self.unlock_button.setEnabled(False)
        self.switch_button.setEnabled(False)
        self.message_label.hide()
        self.explain_label.setText(self.tr("Đã đăng xuất. Mời người dùng tiếp theo đăng nhập."))

    # --- unlocking --------------------------------------------------------------------------------------
    def try_unlock(self) -> None:
        if self._busy or self._wait_left > 0 or not self.password_edit.isEnabled():
            return
        password = self.password_edit.text()
        if not password:
            self._show_message(self.tr("Hãy nhập mật khẩu."))
            return
        self._set_busy(True)
        session = self.session
        tasks.run_in_background(lambda: session.unlock(password), on_done=self._unlocked,
                                on_error=self._unlock_failed, owner=self)

    def _unlocked(self, _result) -> None:
        self._set_busy(False)
        self.password_edit.clear()
        self.message_label.hide()
        self.unlocked.emit()

    def _unlock_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.password_edit.clear()
        if isinstance(error, LoginThrottled):
            self._wait_left = max(1, int(error.seconds + 0.999))
            self.unlock_button.setEnabled(False)
            self._show_message(error_text(LoginThrottled(self._wait_left)))
            self._countdown.start()
        elif isinstance(error, BinhAnError):
            self._show_message(error_text(error))
        else:
            log.error("unlocking failed unexpectedly: %s", type(error).__name__)
            self._show_message(error_text(error))
        self.password_edit.setFocus()

    def _tick(self) -> None:
        self._wait_left -= 1
        if self._wait_left > 0:
            self._show_message(error_text(LoginThrottled(self._wait_left)))
            return
        self._countdown.stop()
        self.unlock_button.setEnabled(True)
        self._show_message(self.tr("Bạn có thể thử lại."), error=False)

    def seconds_to_wait(self) -> int:
        return self._wait_left

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.unlock_button.setEnabled(not busy and self._wait_left == 0)
        self.password_edit.setEnabled(not busy)

    def _show_message(self, text: str, *, error: bool = True) -> None:
        self.message_label.setStyleSheet("color: #b00020;" if error else "")
        self.message_label.setText(text)
        self.message_label.show()
