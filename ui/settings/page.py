"""The Settings page: language, idle lock, one's own account and password, the key slots, and a new recovery
key (with its sheet printed or saved) for admins."""

from __future__ import annotations

import logging

from app.errors import BinhAnError
from ui import tasks
from ui.accounts.password import NewPasswordFields, wipe
from ui.i18n import error_text, language
from ui.widgets.text_size_box import TextSizeBox
from ui.qt import (QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton,
                   QScrollArea, QSpinBox, QVBoxLayout, QWidget, Signal)
from ui.settings import (MAX_IDLE_LOCK_MINUTES, MIN_IDLE_LOCK_MINUTES, idle_lock_minutes, set_idle_lock_minutes)
from ui.setup.recovery import RecoveryKeyDialog, node_kind_label

log = logging.getLogger(__name__)


class SettingsPage(QWidget):
    #: The person chose another language ("vi" or "en"); the window applies it.
    language_chosen = Signal(str)
    #: The idle-lock time changed (minutes).
    idle_minutes_changed = Signal(int)
    #: The person chose another text size (percent); the window applies and remembers it.
    text_size_chosen = Signal(int)

    def __init__(self, session, parent=None, *, idle_minutes: int | None = None):
        """`idle_minutes`: the node's idle-lock time when the caller has read it already (else read here)."""
        super().__init__(parent)
        self.session = session
        self.recovery_dialog: RecoveryKeyDialog | None = None
        lang = language()
        user = session.user
        can_manage = session.can("settings.manage")

        # --- language ------------------------------------------------------------------------------
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("languageChoice")
        # Each language is named in itself, so a person who reads only one can find it.
        self.language_combo.addItem("Tiếng Việt", "vi")
        self.language_combo.addItem("English", "en")
        self.language_combo.setCurrentIndex(1 if lang == "en" else 0)
        self.language_combo.currentIndexChanged.connect(
            lambda _i: self.language_chosen.emit(self.language_combo.currentData()))
        language_note = QLabel(self.tr("Đổi ngôn ngữ có hiệu lực ngay: cửa sổ được dựng lại (hãy lưu những gì "
                                       "đang nhập dở trước). Lựa chọn được nhớ cho những lần mở sau trên máy này."))
        language_note.setWordWrap(True)
        language_box = QGroupBox(self.tr("Ngôn ngữ"))
        form = QFormLayout(language_box)
        language_row = QHBoxLayout()
        language_row.addWidget(self.language_combo)
        language_row.addStretch(1)
        form.addRow(self.tr("Ngôn ngữ hiển thị:"), language_row)
        form.addRow(language_note)
        self.text_size_box = TextSizeBox()
        self.text_size_box.text_size_chosen.connect(self.text_size_chosen)

        # --- idle lock --------------------------------------------------------------------------------
        self.idle_spin = QSpinBox()
        self.idle_spin.setObjectName("idleMinutes")
        self.idle_spin.setRange(MIN_IDLE_LOCK_MINUTES, MAX_IDLE_LOCK_MINUTES)
        self.idle_spin.setSuffix(self.tr(" phút"))
        self.idle_spin.setValue(idle_lock_minutes(session) if idle_minutes is None else idle_minutes)
        self.idle_spin.setEnabled(can_manage)
        self.idle_save = QPushButton(self.tr("Lưu"))
        self.idle_save.setObjectName("saveIdleMinutes")
        self.idle_save.setEnabled(can_manage)
        self.idle_save.clicked.connect(self.save_idle_minutes)
        self.idle_message = QLabel()
        self.idle_message.setObjectName("idleMessage")
        self.idle_message.setWordWrap(True)
        self.idle_message.hide()
        idle_row = QHBoxLayout()
        idle_row.addWidget(self.idle_spin)
        idle_row.addWidget(self.idle_save)
        idle_row.addStretch(1)
        idle_note = QLabel(self.tr("Khi không ai dùng bàn phím hay chuột trong thời gian này, cửa sổ tự khóa và "
                                   "ẩn dữ liệu. Khóa ngay bất cứ lúc nào: Ctrl+L."))
        idle_note.setWordWrap(True)
        idle_box = QGroupBox(self.tr("Tự động khóa"))
        form = QFormLayout(idle_box)
        form.addRow(self.tr("Khóa sau khi không dùng:"), idle_row)
        form.addRow(idle_note)
        if not can_manage:
            form.addRow(QLabel(self.tr("Chỉ quản trị viên được thay đổi thời gian này.")))
        form.addRow(self.idle_message)

        # --- account -----------------------------------------------------------------------------------
        account_box = QGroupBox(self.tr("Tài khoản"))
        form = QFormLayout(account_box)
        self.account_username = QLabel(user.username)
        self.account_username.setObjectName("accountUsername")
        self.account_name = QLabel(user.display_name)
        self.account_role = QLabel(session.reference["role"].label(user.role, lang))
        self.account_role.setObjectName("accountRole")
        form.addRow(self.tr("Tên đăng nhập:"), self.account_username)
        form.addRow(self.tr("Họ và tên:"), self.account_name)
        form.addRow(self.tr("Vai trò:"), self.account_role)

        # --- one's own password -------------------------------------------------------------------------
        password_box = QGroupBox(self.tr("Đổi mật khẩu của bạn"))
        password_box.setObjectName("ownPassword")
        self.current_password = QLineEdit()
        self.current_password.setObjectName("currentPassword")
        self.current_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.current_password.setMaximumWidth(NewPasswordFields.FIELD_WIDTH)
        self.password_button = QPushButton(self.tr("Đổi mật khẩu"))
        self.password_button.setObjectName("changeOwnPassword")
        self.password_button.setEnabled(False)
        self.password_button.clicked.connect(self.change_own_password)
        self.current_password.textChanged.connect(self._password_ready)
        self.password_message = QLabel()
        self.password_message.setObjectName("passwordMessage")
        self.password_message.setWordWrap(True)
        self.password_message.hide()
        form = QFormLayout(password_box)
        form.addRow(self.tr("Mật khẩu hiện tại:"), self.current_password)
        self.new_password = NewPasswordFields(password_box, username=user.username, form=form)
        self.new_password.changed.connect(self._password_ready)
        password_row = QHBoxLayout()
        password_row.addWidget(self.password_button)
        password_row.addStretch(1)
        form.addRow(password_row)
        form.addRow(self.password_message)

        # --- key slots ----------------------------------------------------------------------------------
        keys_box = QGroupBox(self.tr("Cách mở khóa dữ liệu"))
        keys = QVBoxLayout(keys_box)
        kinds = set(session.node.slot_kinds())
        explanations = (
            ("password", self.tr("Mật khẩu của từng người dùng"),
             self.tr("Chưa có mật khẩu nào.")),
            ("recovery", self.tr("Mã khôi phục (tờ in cất trong tủ)"),
             self.tr("Chưa có mã khôi phục: quản trị viên hãy tạo ngay.")),
            ("keyring", self.tr("Kho khóa của hệ điều hành (sao lưu tự động khi chưa ai đăng nhập)"),
             self.tr("Máy này không có kho khóa của hệ điều hành: chỉ mật khẩu và mã khôi phục mở được dữ liệu.")),
        )
        self.slot_labels: dict[str, QLabel] = {}
        people = len(session.node.slots.users())
        explanations = ((explanations[0][0], self.tr("Mật khẩu của từng người dùng ({count} tài khoản)", None,
                                                      people).format(count=people), explanations[0][2]),
                        *explanations[1:])
        keys_note = QLabel(self.tr("Dữ liệu được mã hóa; những cách dưới đây mở được nó. Trang này không hiện bí mật "
                                   "nào (mật khẩu, mã khôi phục không được lưu ở dạng đọc được)."))
        keys_note.setWordWrap(True)
        keys.addWidget(keys_note)
        for kind, present, absent in explanations:
            label = QLabel(("✔ " + present) if kind in kinds else ("✘ " + absent))
            label.setObjectName(f"slot_{kind}")
            label.setWordWrap(True)
            if kind not in kinds:
                label.setStyleSheet("color: #8a5300;")
            self.slot_labels[kind] = label
            keys.addWidget(label)

        self.recovery_button = QPushButton(self.tr("Thay mã khôi phục và in tờ mới…"))
        self.recovery_button.setObjectName("newRecoveryKey")
        self.recovery_button.clicked.connect(self.ask_new_recovery_key)
        self.recovery_message = QLabel()
        self.recovery_message.setObjectName("recoveryMessage")
        self.recovery_message.setWordWrap(True)
        self.recovery_message.setStyleSheet("color: #b00020;")
        self.recovery_message.hide()
        if session.can("user.manage"):
            row = QHBoxLayout()
            row.addWidget(self.recovery_button)
            row.addStretch(1)
            keys.addSpacing(6)
            keys.addLayout(row)
            keys.addWidget(self.recovery_message)
        else:
            self.recovery_button.hide()

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 12, 0)
        for box in (language_box, self.text_size_box, idle_box, account_box, password_box, keys_box):
            layout.addWidget(box)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # --- idle lock --------------------------------------------------------------------------------------
    def save_idle_minutes(self) -> None:
        session, minutes = self.session, self.idle_spin.value()
        self.idle_save.setEnabled(False)
        tasks.run_in_background(lambda: set_idle_lock_minutes(session, minutes), on_done=self._idle_saved,
                                on_error=self._idle_failed, owner=self)

    def _idle_saved(self, minutes: int) -> None:
        self.idle_save.setEnabled(True)
        self.idle_spin.setValue(minutes)
        self.idle_message.setStyleSheet("color: #1b5e20;")
        self.idle_message.setText(self.tr("Đã lưu: cửa sổ sẽ khóa sau {minutes} phút không dùng.").format(
            minutes=minutes))
        self.idle_message.show()
        self.idle_minutes_changed.emit(minutes)

    def _idle_failed(self, error: BaseException) -> None:
        self.idle_save.setEnabled(True)
        self.idle_message.setStyleSheet("color: #b00020;")
        self.idle_message.setText(error_text(error))
        self.idle_message.show()

    # --- one's own password ---------------------------------------------------------------------------
    def _password_ready(self) -> None:
        self.password_button.setEnabled(bool(self.current_password.text())
                                        and self.new_password.password() is not None)

    def change_own_password(self) -> None:
        old, new = self.current_password.text(), self.new_password.password()
        if not old or new is None:
            return
        session = self.session
        self.password_button.setEnabled(False)
        tasks.run_in_background(lambda: session.change_password(old, new), on_done=self._password_changed,
                                on_error=self._password_failed, owner=self)

    def _password_changed(self, _result) -> None:
        wipe(self.current_password)
        self.new_password.clear()
        self.password_message.setStyleSheet("color: #1b5e20;")
        self.password_message.setText(self.tr("Đã đổi mật khẩu. Từ lần đăng nhập tới, hãy dùng mật khẩu mới."))
        self.password_message.show()

    def _password_failed(self, error: BaseException) -> None:
        if not isinstance(error, BinhAnError):
            log.error("changing the password failed: %s", type(error).__name__)
        wipe(self.current_password)
        self.password_message.setStyleSheet("color: #b00020;")
        self.password_message.setText(error_text(error))
        self.password_message.show()
        self.current_password.setFocus()

    # --- a new recovery key --------------------------------------------------------------------------
    def ask_new_recovery_key(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setObjectName("confirmNewRecoveryKey")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Tạo mã khôi phục mới"))
        box.setText(self.tr("Mã khôi phục hiện nay sẽ hết hiệu lực ngay. Bạn có chắc muốn tạo mã mới?"))
        box.setInformativeText(self.tr("Mã mới chỉ hiện một lần: hãy chuẩn bị in hoặc lưu tờ khôi phục."))
        box.setStandardButtons(QMessageBox.StandardButton.NoButton)
        confirm = box.addButton(self.tr("Tạo mã mới"), QMessageBox.ButtonRole.AcceptRole)
        confirm.setObjectName("confirmNewKey")
        box.addButton(self.tr("Không"), QMessageBox.ButtonRole.RejectRole)
        box.buttonClicked.connect(lambda button: self.make_new_recovery_key() if button is confirm else None)
        box.open()
        return box

    def make_new_recovery_key(self) -> None:
        session = self.session
        self.recovery_button.setEnabled(False)
        tasks.run_in_background(session.new_recovery_key, on_done=self._show_new_key,
                                on_error=self._recovery_failed, owner=self)

    def _show_new_key(self, key: str) -> None:
        self.recovery_button.setEnabled(True)
        self.recovery_message.hide()
        info = self.session.node_info
        self.recovery_dialog = RecoveryKeyDialog(key, info, node_kind_label(self.session.reference, info.kind),
                                                 self)
        self.recovery_dialog.open()

    def _recovery_failed(self, error: BaseException) -> None:
        self.recovery_button.setEnabled(True)
        if not isinstance(error, BinhAnError):
            log.error("new recovery key failed: %s", type(error).__name__)
        self.recovery_message.setText(error_text(error))
        self.recovery_message.show()
