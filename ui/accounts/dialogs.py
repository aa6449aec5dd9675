"""The Accounts page's dialogs: a new account, another role, and a one-time password shown once."""

from __future__ import annotations

import logging

from app.errors import BinhAnError, ValidationFailed
from ui import tasks
from ui.accounts.password import NewPasswordFields
from ui.i18n import error_text, language, translate
from ui.qt import (QApplication, QComboBox, QDialog, QDialogButtonBox, QFont, QFontDatabase, QFormLayout, QFrame,
                   QHBoxLayout, QLabel, QLineEdit, QPushButton, Qt, QTimer, QVBoxLayout, Signal)

log = logging.getLogger(__name__)

#: Roles offered for a new account, in this order; "admin" last (few people should have it).
ROLE_ORDER = ("officer", "cadre", "leader", "province_officer", "admin")


class _RoleAndPoint:
    """A role list and, for a trusted-address cadre, her point chosen by name from the registry."""

    def _build_role_and_point(self, roles, points: list[dict], form: QFormLayout, role: str | None = None,
                              point_id: str | None = None) -> None:
        lang = language()
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("accountRole")
        for code in ROLE_ORDER:
            if code in {o.code for o in roles}:
                self.role_combo.addItem(roles.label(code, lang), code)
        self.role_combo.setCurrentIndex(max(0, self.role_combo.findData(role)) if role else 0)
        self.point_combo = QComboBox()
        self.point_combo.setObjectName("accountPoint")
        for point in points:
            self.point_combo.addItem(point["name"], point["id"])
        if point_id is not None:
            self.point_combo.setCurrentIndex(max(0, self.point_combo.findData(point_id)))
        self.point_label = QLabel(translate("AccountRoles", "Điểm (địa chỉ tin cậy):"))
        self.no_points = QLabel(translate("AccountRoles", "Danh mục chưa có địa chỉ tin cậy nào: hãy thêm điểm ở "
                                                          "trang Danh mục trước, rồi thêm cán bộ của điểm."))
        self.no_points.setObjectName("noPoints")
        self.no_points.setWordWrap(True)
        self.no_points.setStyleSheet("color: #8a5300;")
        form.addRow(translate("AccountRoles", "Vai trò:"), self.role_combo)
        form.addRow(self.point_label, self.point_combo)
        form.addRow(self.no_points)
        self.role_combo.currentIndexChanged.connect(self._role_changed)
        self._role_changed()

    def _role_changed(self) -> None:
        cadre = self.role_combo.currentData() == "cadre"
        self.point_label.setVisible(cadre)
        self.point_combo.setVisible(cadre and self.point_combo.count() > 0)
        self.no_points.setVisible(cadre and self.point_combo.count() == 0)

    def chosen_point(self) -> str | None:
        return self.point_combo.currentData() if self.role_combo.currentData() == "cadre" else None


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("dialogMessage")
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


class AccountDialog(QDialog, _RoleAndPoint):
    """A new account: user name, full name, role (and point), first password. `added` carries the user name."""

    added = Signal(str)

    def __init__(self, session, roles, points: list[dict], parent=None):
        super().__init__(parent)
        self.setObjectName("addAccountDialog")
        self.session = session
        self.setWindowTitle(self.tr("Thêm tài khoản"))
        self.setMinimumWidth(520)
        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("accountUsername")
        self.username_edit.setPlaceholderText(self.tr("không dấu, không dấu cách, ví dụ: lan.nguyen"))
        self.display_edit = QLineEdit()
        self.display_edit.setObjectName("accountDisplayName")
        form = QFormLayout()
        form.addRow(self.tr("Tên đăng nhập:"), self.username_edit)
        form.addRow(self.tr("Họ và tên:"), self.display_edit)
        self._build_role_and_point(roles, points, form)
        self.fields = NewPasswordFields(self, first_label=self.tr("Mật khẩu ban đầu:"),
                                        second_label=self.tr("Nhập lại mật khẩu:"), form=form)
        note = QLabel(self.tr("Đưa mật khẩu ban đầu tận tay người dùng; không gửi qua Zalo, Facebook hay thư "
                              "điện tử."))
        note.setWordWrap(True)
        self.message = _error_label()
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(self.tr("Thêm tài khoản"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveAccount")
        self.save_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.save_button.clicked.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.username_edit.setFocus()

    def save(self) -> None:
        username = self.username_edit.text().strip()
        self.fields.username = username
        password = self.fields.password()
        if password is None:
            problems = self.fields.problems()
            self._say("\n".join(problems) or self.tr("Hãy nhập mật khẩu ban đầu hai lần."))
            return
        display, role, point = self.display_edit.text().strip() or None, self.role_combo.currentData(), \
            self.chosen_point()
        session = self.session
        self.save_button.setEnabled(False)
        tasks.run_in_background(lambda: session.add_user(username, password, role, display_name=display,
                                                         point_id=point),
                                on_done=lambda _account: self._saved(username), on_error=self._failed, owner=self)

    def _saved(self, username: str) -> None:
        self.fields.clear()
        self.accept()
        self.added.emit(username)

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, ValidationFailed):
            self._say("\n".join(e.message(language()) for e in error.errors))
            return
        if not isinstance(error, BinhAnError):
            log.error("adding an account failed: %s", type(error).__name__)
        self._say(error_text(error))

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def done(self, result: int) -> None:
        self.fields.clear()
        super().done(result)


class RoleDialog(QDialog, _RoleAndPoint):
    """Another role (and point) for one account. `changed` carries the user name."""

    changed = Signal(str)

    def __init__(self, session, roles, points: list[dict], account: dict, parent=None):
        super().__init__(parent)
        self.setObjectName("roleDialog")
        self.session = session
        self.username = account["username"]
        self.setWindowTitle(self.tr("Đổi vai trò"))
        self.setMinimumWidth(460)
        who = QLabel(self.tr("Tài khoản: {user} ({name})").format(user=account["username"],
                                                                   name=account["display_name"]))
        who.setWordWrap(True)
        form = QFormLayout()
        self._build_role_and_point(roles, points, form, account["role"], account.get("point_id"))
        note = QLabel(self.tr("Vai trò quyết định người này xem và làm được gì; có hiệu lực từ lần đăng nhập tới."))
        note.setWordWrap(True)
        self.message = _error_label()
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(self.tr("Lưu"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveRole")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.save_button.clicked.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(who)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def save(self) -> None:
        session, username, role, point = self.session, self.username, self.role_combo.currentData(), \
            self.chosen_point()
        self.save_button.setEnabled(False)
        tasks.run_in_background(lambda: session.set_role(username, role, point_id=point),
                                on_done=lambda _r: self._saved(), on_error=self._failed, owner=self)

    def _saved(self) -> None:
        self.accept()
        self.changed.emit(self.username)

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if not isinstance(error, BinhAnError):
            log.error("changing a role failed: %s", type(error).__name__)
        self.message.setText("\n".join(e.message(language()) for e in error.errors)
                             if isinstance(error, ValidationFailed) else error_text(error))
        self.message.show()


class OneTimePasswordDialog(QDialog):
    """A one-time password, shown once in large type; copying it leaves the clipboard after a minute."""

    #: How long a copied password stays on the clipboard (if nothing else was copied since).
    CLIPBOARD_MS = 60_000

    def __init__(self, username: str, display_name: str, password: str, parent=None):
        super().__init__(parent)
        self.setObjectName("oneTimePassword")
        self.setWindowTitle(self.tr("Mật khẩu dùng một lần"))
        self.setMinimumWidth(480)
        self._password = password
        intro = QLabel(self.tr("Mật khẩu dùng một lần của {user} ({name}). Hãy đưa tận tay người đó (đọc hoặc "
                               "viết ra giấy), không gửi qua Zalo, Facebook hay thư điện tử. Người đó phải đặt "
                               "mật khẩu mới ngay khi đăng nhập. Mật khẩu này chỉ hiện một lần."
                               ).format(user=username, name=display_name))
        intro.setWordWrap(True)
        self.password_label = QLabel(password)
        self.password_label.setObjectName("oneTimePasswordText")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(16.0, font.pointSizeF() * 1.6))
        font.setWeight(QFont.Weight.Bold)
        self.password_label.setFont(font)
        self.password_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.password_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.password_label.setFrameShape(QFrame.Shape.Box)
        self.password_label.setContentsMargins(12, 10, 12, 10)
        self.copy_button = QPushButton(self.tr("Sao chép"))
        self.copy_button.setObjectName("copyOneTimePassword")
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy)
        self.close_button = QPushButton(self.tr("Đóng"))
        self.close_button.setObjectName("closeOneTimePassword")
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(self.copy_button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.password_label)
        layout.addLayout(row)

    def copy(self) -> None:
        clipboard = QApplication.clipboard()
        clipboard.setText(self._password)
        copied = self._password

        def clear_if_still_there() -> None:
            if clipboard.text() == copied:
                clipboard.clear()

        QTimer.singleShot(self.CLIPBOARD_MS, clear_if_still_there)

    def done(self, result: int) -> None:
        self._password = ""
        self.password_label.clear()
        super().done(result)
