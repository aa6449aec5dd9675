"""The e-mail and network settings of the Sync page: how packages travel when there is no USB stick.

The dialog only gathers what the person typed; the page saves it on the
worker through `ui.sync.work.save_wires`, which hands passwords to the OS
keyring (never to the database or a file). A password box left empty keeps
the password saved before.
"""

from __future__ import annotations

from dataclasses import replace

from ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    Signal,
)

_SECURITY = (("starttls", "STARTTLS"), ("ssl", "SSL/TLS"))


def _line(name: str, value: str | None, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(value or "")
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def _port(name: str, value: int | None) -> QSpinBox:
    box = QSpinBox()
    box.setObjectName(name)
    box.setRange(0, 65535)
    box.setValue(value or 0)
    return box


def _security(name: str, value: str) -> QComboBox:
    box = QComboBox()
    box.setObjectName(name)
    for code, label in _SECURITY:
        box.addItem(label, code)
    box.setCurrentIndex(max(0, box.findData(value)))
    return box


def _password(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class WiresDialog(QDialog):
    """Stays open until the page has saved what was typed (`saved()`), or shows why not (`show_error`)."""

    #: The person pressed Save: the page saves on the worker, then calls `saved()` or `show_error(text)`.
    save_requested = Signal()

    def __init__(self, wires, *, sends: bool, parent=None):
        super().__init__(parent)
        self.setObjectName("wiresDialog")
        self.setWindowTitle(self.tr("Cài đặt thư điện tử và máy chủ"))
        self.setMinimumWidth(560)
        mail = wires.mail
        self._mail = mail
        kept = self.tr("để trống: giữ mật khẩu đã lưu")

        intro = QLabel(self.tr(
            "Gói luôn được mã hóa và ký trước khi rời máy, nên gửi qua thư hay qua mạng cũng an toàn như USB. Mật "
            "khẩu thư được giữ trong kho khóa của hệ điều hành, không ghi vào dữ liệu."))
        intro.setWordWrap(True)

        self.smtp_host = _line("smtpHost", mail.smtp_host, "smtp.gmail.com")
        self.smtp_port = _port("smtpPort", mail.smtp_port)
        self.smtp_security = _security("smtpSecurity", mail.smtp_security)
        self.smtp_user = _line("smtpUser", mail.smtp_user)
        self.smtp_password = _password("smtpPassword")
        self.smtp_password.setPlaceholderText(kept)
        self.mail_from = _line("mailFrom", mail.mail_from, "vhxh.xa@…")
        self.mail_to = _line("mailTo", mail.mail_to, "dongbo.tinh@…")
        send_box = QGroupBox(self.tr("Gửi thư (SMTP)"))
        form = QFormLayout(send_box)
        form.addRow(self.tr("Máy chủ gửi thư:"), self.smtp_host)
        form.addRow(self.tr("Cổng:"), self.smtp_port)
        form.addRow(self.tr("Bảo mật:"), self.smtp_security)
        form.addRow(self.tr("Tên đăng nhập:"), self.smtp_user)
        form.addRow(self.tr("Mật khẩu:"), self.smtp_password)
        form.addRow(self.tr("Địa chỉ thư của đơn vị:"), self.mail_from)
        form.addRow(self.tr("Hộp thư nhận gói của cấp trên:"), self.mail_to)

        self.imap_host = _line("imapHost", mail.imap_host, "imap.gmail.com")
        self.imap_port = _port("imapPort", mail.imap_port)
        self.imap_security = _security("imapSecurity", mail.imap_security)
        self.imap_user = _line("imapUser", mail.imap_user)
        self.imap_password = _password("imapPassword")
        self.imap_password.setPlaceholderText(kept)
        self.imap_folder = _line("imapFolder", mail.imap_folder or "INBOX")
        fetch_box = QGroupBox(self.tr("Nhận thư (IMAP)"))
        form = QFormLayout(fetch_box)
        form.addRow(self.tr("Máy chủ nhận thư:"), self.imap_host)
        form.addRow(self.tr("Cổng:"), self.imap_port)
        form.addRow(self.tr("Bảo mật:"), self.imap_security)
        form.addRow(self.tr("Tên đăng nhập:"), self.imap_user)
        form.addRow(self.tr("Mật khẩu:"), self.imap_password)
        form.addRow(self.tr("Thư mục:"), self.imap_folder)

        self.endpoint = _line("endpoint", wires.endpoint, "https://dongbo.tinh.gov.vn")
        net_box = QGroupBox(self.tr("Gửi qua mạng"))
        form = QFormLayout(net_box)
        form.addRow(self.tr("Địa chỉ máy chủ của cấp trên:"), self.endpoint)
        net_box.setVisible(sends)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Lưu"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Hủy"))
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.error_label = QLabel()
        self.error_label.setObjectName("wiresError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(send_box)
        layout.addWidget(fetch_box)
        layout.addWidget(net_box)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        for port in (self.smtp_port, self.imap_port):
            port.setSpecialValueText(self.tr("mặc định"))

    def _save(self) -> None:
        self.save_button.setEnabled(False)
        self.error_label.hide()
        self.save_requested.emit()

    def saved(self) -> None:
        self.accept()

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        self.save_button.setEnabled(True)

    def settings(self):
        """The mail settings as typed (sync.transports.email.MailSettings)."""
        def text(edit: QLineEdit) -> str | None:
            return edit.text().strip() or None

        return replace(self._mail, smtp_host=text(self.smtp_host), smtp_port=self.smtp_port.value() or None,
                       smtp_security=self.smtp_security.currentData(), smtp_user=text(self.smtp_user),
                       mail_from=text(self.mail_from), mail_to=text(self.mail_to), imap_host=text(self.imap_host),
                       imap_port=self.imap_port.value() or None, imap_security=self.imap_security.currentData(),
                       imap_user=text(self.imap_user), imap_folder=text(self.imap_folder) or "INBOX")

    def passwords(self) -> dict[str, str]:
        return {"smtp": self.smtp_password.text(), "imap": self.imap_password.text()}

    def endpoint_url(self) -> str | None:
        return self.endpoint.text().strip() or None
