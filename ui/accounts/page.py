"""The Accounts page (administrator): who may log in here, and what the administrator can do about it.

The list shows each account's role, point (by name), last log-in and whether it
is disabled, locked after wrong passwords, or waiting for its new password. The
buttons act on the chosen account: add, disable / re-enable, reset the password
(to a one-time password shown once, to be changed at the next log-in), unlock,
change the role. Every rule and every audit entry is the core's (`session.…`);
the page asks and shows. Other roles see one sentence instead.
"""

from __future__ import annotations

import logging
from datetime import datetime

from app.errors import BinhAnError
from ui import tasks
from ui.accounts.dialogs import AccountDialog, OneTimePasswordDialog, RoleDialog
from ui.i18n import error_text, format_date, language
from ui.qt import QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget, Signal
from ui.widgets.confirm import confirm
from ui.widgets.message import MessageLine
from ui.widgets.table import Column, RowsModel, rows_view

log = logging.getLogger(__name__)


def account_facts(row) -> dict:
    """One account as the page shows it; a core without some of the facts (locked…) gives their default."""
    return {
        "id": getattr(row, "id", None), "username": row.username, "display_name": row.display_name,
        "role": row.role, "point_id": getattr(row, "point_id", None),
        "point_name": getattr(row, "point_name", None), "active": bool(getattr(row, "active", True)),
        "locked": bool(getattr(row, "locked", False)), "last_login": getattr(row, "last_login", ""),
        "must_change_password": bool(getattr(row, "must_change_password", False)),
    }


def format_moment(value: str | None) -> str:
    """An ISO time (UTC as the core keeps it) as dd/mm/yyyy HH:MM in this computer's time; empty for none."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return format_date(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return f"{format_date(moment.date())} {moment.hour:02d}:{moment.minute:02d}"


class AccountsPage(QWidget):
    #: An account changed (added, disabled, reset…): carries its user name.
    changed = Signal(str)

    NAME, DISPLAY, ROLE, POINT, LAST_LOGIN, STATE = range(6)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.dialog = None  # the dialog or question open now (tests reach it here)
        self._points: list[dict] | None = None
        self._lang = language()
        self._roles = session.reference["role"]
        layout = QVBoxLayout(self)

        if not session.can("user.manage"):
            note = QLabel(self.tr("Chỉ quản trị viên quản lý tài khoản. Bạn đổi mật khẩu của mình ở trang Cài đặt."))
            note.setObjectName("accountsNotAllowed")
            note.setWordWrap(True)
            layout.addWidget(note)
            layout.addStretch(1)
            self.model: RowsModel | None = None  # no list: nothing below runs on this page
            return

        intro = QLabel(self.tr("Mỗi người dùng một tài khoản riêng; không dùng chung mật khẩu. Mọi thay đổi ở "
                               "đây được ghi vào nhật ký."))
        intro.setWordWrap(True)

        self.model = RowsModel([
            Column(self.tr("Tên đăng nhập"), lambda r: r["username"]),
            Column(self.tr("Họ và tên"), lambda r: r["display_name"]),
            Column(self.tr("Vai trò"), lambda r: self._roles.label(r["role"], self._lang)),
            Column(self.tr("Điểm (địa chỉ tin cậy)"), self._point_label),
            Column(self.tr("Đăng nhập gần nhất"), self._last_login),
            Column(self.tr("Tình trạng"), self.state_text),
        ], self, tone=self._tone)
        widest_role = max((o.label(self._lang) for o in self._roles), key=len)
        self.table = rows_view(self.model, "accountTable", stretch=self.DISPLAY, widths={
            self.NAME: "nguyenthilan", self.ROLE: widest_role, self.POINT: "Địa chỉ tin cậy – nhà tạm lánh",
            self.LAST_LOGIN: "00/00/0000 00:00", self.STATE: self.tr("Chờ đổi mật khẩu dùng một lần")})
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.table.activated.connect(lambda _index: self.change_role())

        self.add_button = self._button(self.tr("+ Thêm tài khoản…"), "addAccount", self.add_account)
        self.disable_button = self._button(self.tr("Vô hiệu hóa"), "disableAccount", self.disable_account)
        self.enable_button = self._button(self.tr("Bật lại"), "enableAccount", self.enable_account)
        self.reset_button = self._button(self.tr("Đặt lại mật khẩu…"), "resetPassword", self.reset_password)
        self.unlock_button = self._button(self.tr("Mở khóa"), "unlockAccount", self.unlock_account)
        self.role_button = self._button(self.tr("Đổi vai trò…"), "changeRole", self.change_role)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addSpacing(16)
        for button in (self.role_button, self.reset_button, self.unlock_button, self.disable_button,
                       self.enable_button):
            row.addWidget(button)
        row.addStretch(1)

        self.message = MessageLine()
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        self.reload()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        # A change made elsewhere (the command line, another administrator) shows when the page is shown again.
        if self.model is not None and self.isVisible():
            self.reload()
        super().showEvent(event)

    def _button(self, text: str, name: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda checked=False: slot())
        return button

    # --- what the list says ---------------------------------------------------------------------------
    def state_text(self, row: dict) -> str:
        if not row["active"]:
            return self.tr("Đã vô hiệu hóa")
        if row["locked"]:
            return self.tr("Bị khóa do nhập sai mật khẩu nhiều lần")
        if row["must_change_password"]:
            return self.tr("Chờ đổi mật khẩu dùng một lần")
        return self.tr("Đang dùng")

    def _last_login(self, row: dict) -> str:
        if row["last_login"] is None:
            return self.tr("chưa có")
        return format_moment(row["last_login"])  # empty where the core does not say

    @staticmethod
    def _tone(row: dict) -> str | None:
        if not row["active"]:
            return "muted"
        if row["locked"]:
            return "bad"
        return "warn" if row["must_change_password"] else None

    def _point_label(self, row: dict) -> str:
        if row["point_name"]:
            return row["point_name"]
        if row["point_id"]:
            names = {p["id"]: p["name"] for p in self._points or []}
            return names.get(row["point_id"], self.tr("(điểm không còn trong danh mục)"))
        return ""

    # --- reading ----------------------------------------------------------------------------------------
    def reload(self) -> None:
        session = self.session

        def read() -> tuple[list[dict], list[dict]]:
            rows = [account_facts(r) for r in session.accounts()]
            points = points_of(session) if any(r["point_id"] and not r["point_name"] for r in rows) else []
            return rows, points

        tasks.run_in_background(read, on_done=self._show, on_error=self._failed, owner=self)

    def _show(self, loaded: tuple[list[dict], list[dict]]) -> None:
        rows, points = loaded
        if points:
            self._points = points
        if self.model is None:
            return
        chosen = self.current_username()
        self.model.set_rows(rows)
        for number, row in enumerate(rows):
            if row["username"] == chosen:
                self.table.selectRow(number)
        self._update_buttons()

    def current_row(self) -> dict | None:
        if self.model is None:
            return None
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() and index.row() < len(self.model.rows) else None

    def current_username(self) -> str | None:
        row = self.current_row()
        return row["username"] if row else None

    def select(self, username: str) -> bool:
        """Choose the account `username` in the list (True when it is there)."""
        if self.model is None:
            return False
        for number, row in enumerate(self.model.rows):
            if row["username"] == username:
                self.table.selectRow(number)
                self._update_buttons()
                return True
        return False

    def _update_buttons(self) -> None:
        row = self.current_row()
        own = row is not None and row["username"] == self.session.user.username
        self.disable_button.setVisible(row is None or row["active"])
        self.enable_button.setVisible(row is not None and not row["active"])
        self.disable_button.setEnabled(row is not None and row["active"] and not own)
        self.enable_button.setEnabled(row is not None and not row["active"])
        self.reset_button.setEnabled(row is not None and row["active"] and not own)
        self.unlock_button.setEnabled(row is not None and row["locked"])
        self.role_button.setEnabled(row is not None and row["active"] and not own)
        why = self.tr("Đây là tài khoản của bạn: hãy nhờ một quản trị viên khác.") if own else ""
        for button in (self.disable_button, self.reset_button, self.role_button):
            button.setToolTip(why)

    # --- acting -------------------------------------------------------------------------------------------
    def add_account(self) -> AccountDialog:
        self.dialog = AccountDialog(self.session, self._roles, self._load_points(), self)
        self.dialog.added.connect(lambda username: self._done(
            username, self.tr("Đã thêm tài khoản {user}.").format(user=username)))
        self.dialog.open()
        return self.dialog

    def change_role(self) -> RoleDialog | None:
        row = self.current_row()
        if row is None or not self.role_button.isEnabled():
            return None
        self.dialog = RoleDialog(self.session, self._roles, self._load_points(), row, self)
        self.dialog.changed.connect(lambda username: self._done(
            username, self.tr("Đã đổi vai trò của {user}.").format(user=username)))
        self.dialog.open()
        return self.dialog

    def disable_account(self) -> QMessageBox | None:
        row = self.current_row()
        if row is None or not self.disable_button.isEnabled():
            return None
        username = row["username"]
        self.dialog = confirm(
            self, name="confirmDisableAccount", title=self.tr("Vô hiệu hóa tài khoản"),
            text=self.tr("Vô hiệu hóa tài khoản {user} ({name})?").format(user=username, name=row["display_name"]),
            info=self.tr("Người này không đăng nhập được nữa, kể cả bằng mật khẩu cũ. Hồ sơ họ đã ghi vẫn "
                         "còn. Có thể bật lại sau (khi đó cần mật khẩu dùng một lần mới)."),
            yes=self.tr("Vô hiệu hóa"), no=self.tr("Không"),
            answered=lambda yes: self._run(
                lambda s: s.disable_user(username), username,
                self.tr("Đã vô hiệu hóa tài khoản {user}.").format(user=username)) if yes else None)
        return self.dialog

    def enable_account(self) -> None:
        row = self.current_row()
        if row is None or not self.enable_button.isEnabled():
            return
        username = row["username"]
        self._run(lambda s: s.enable_user(username), username, None, one_time=True)

    def reset_password(self) -> QMessageBox | None:
        row = self.current_row()
        if row is None or not self.reset_button.isEnabled():
            return None
        username = row["username"]
        self.dialog = confirm(
            self, name="confirmResetPassword", title=self.tr("Đặt lại mật khẩu"),
            text=self.tr("Đặt lại mật khẩu của {user} ({name})?").format(user=username, name=row["display_name"]),
            info=self.tr("Mật khẩu hiện nay hết hiệu lực ngay. Bạn nhận một mật khẩu dùng một lần để đưa tận "
                         "tay người đó; họ phải đổi nó ở lần đăng nhập tới."),
            yes=self.tr("Đặt lại"), no=self.tr("Không"),
            answered=lambda yes: self._run(lambda s: s.reset_password(username), username, None,
                                           one_time=True) if yes else None)
        return self.dialog

    def unlock_account(self) -> None:
        row = self.current_row()
        if row is None or not self.unlock_button.isEnabled():
            return
        username = row["username"]
        self._run(lambda s: s.unlock_user(username), username,
                  self.tr("Đã mở khóa tài khoản {user}: người đó đăng nhập lại được ngay.").format(user=username))

    def _run(self, action, username: str, done_text: str | None, *, one_time: bool = False) -> None:
        session = self.session
        self.message.clear_message()
        tasks.run_in_background(lambda: action(session),
                                on_done=lambda result: self._acted(username, done_text, result if one_time else None),
                                on_error=self._failed, owner=self)

    def _acted(self, username: str, done_text: str | None, one_time_password: str | None) -> None:
        if one_time_password:
            row = next((r for r in (self.model.rows if self.model is not None else []) if r["username"] == username), None)
            self.dialog = OneTimePasswordDialog(username, row["display_name"] if row else username,
                                                one_time_password, self)
            self.dialog.open()
            done_text = self.tr("Đã cấp mật khẩu dùng một lần cho {user}.").format(user=username)
        self._done(username, done_text)

    def _done(self, username: str, text: str | None) -> None:
        if text:
            self.message.success(text)
        self.changed.emit(username)
        self.reload()

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, BinhAnError):
            log.error("an account action failed: %s", type(error).__name__)
        self.message.error(error_text(error))

    def _load_points(self) -> list[dict]:
        if self._points is None:
            self._points = points_of(self.session)
        return self._points


def points_of(session) -> list[dict]:
    """The trusted-address points of the registry (id, name), by name; a refusal gives none."""
    try:
        models = session.registries.models(kind="trusted_address")
    except BinhAnError:
        return []
    return sorted(({"id": m["id"], "name": m["name"]} for m in models), key=lambda p: p["name"].lower())


__all__ = ["AccountsPage"]
