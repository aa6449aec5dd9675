"""First run: the set-up wizard that creates this computer's node and its administrator.

Pages: welcome · the node (kind, name, code, parent) · the province profile ·
the administrator · check and create (the commit page: the node is created in
the background, then the administrator is logged in) · the recovery key, shown
once, with its printable PDF sheet and the checkbox without which Finish stays
disabled.

After Finish, `wizard.node` is the new node and `wizard.session` the
administrator's open session (None only if that first login failed: ask for it
again); the caller owns the session. Once the node exists the wizard cannot be
cancelled: the key would be lost with it.

The rules (which codes are valid, how long a password must be) are the core's:
each page asks `app.node` and shows the answer next to the field at fault.
"""

from __future__ import annotations

import logging
from pathlib import Path

import app
from app.errors import BinhAnError, ValidationFailed
from app.node import NODE_KINDS, Node
from ui import tasks
from ui.i18n import error_text, format_date, language
from ui.qt import (QCheckBox, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QProgressBar,
                   QPushButton, Qt, QVBoxLayout, QWizard, QWizardPage, Signal)
from ui.setup.recovery import RecoveryKeyPanel

log = logging.getLogger(__name__)

ERROR_STYLE = "color: #b00020;"


def _error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


def _show(label: QLabel, text: str | None) -> None:
    label.setText(text or "")
    label.setVisible(bool(text))


def _core_field_errors(values: dict) -> dict[str, str]:
    """Ask the core which of the set-up values it would refuse: {field path: message in our language}."""
    from app.node import check_node_fields  # the same check Node.create runs

    errors = check_node_fields(values["kind"], values["name"], values["code"], values["profile_code"],
                                values["admin_username"], values["admin_password"],
                                profile_in_file=values.get("profile_file") is not None)
    return {e.path: e.message(language()) for e in errors}


class IntroPage(QWizardPage):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTitle(self.tr("Chào mừng đến với {app}").format(app=app.NAME))
        self.setSubTitle(self.tr("Máy tính này chưa có đơn vị nào. Vài bước sau sẽ thiết lập đơn vị của bạn."))
        text = QLabel(self.tr(
            "Bạn sẽ:\n"
            "• cho biết đơn vị của mình (cấp, tên, mã, đơn vị cấp trên);\n"
            "• chọn hồ sơ kế hoạch của tỉnh;\n"
            "• tạo tài khoản quản trị viên;\n"
            "• nhận mã khôi phục để in và cất giữ.\n\n"
            "Dữ liệu được mã hóa và chỉ lưu trên máy này. Không ai, kể cả người viết phần mềm, mở được dữ liệu "
            "nếu không có mật khẩu hoặc mã khôi phục."))
        text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addStretch(1)


class NodePage(QWizardPage):
    def __init__(self, reference, parent=None):
        super().__init__(parent)
        self.setTitle(self.tr("Đơn vị của bạn"))
        self.setSubTitle(self.tr("Mã đơn vị do cấp trên cấp; hỏi cán bộ phụ trách ở tỉnh nếu chưa có."))
        lang = language()
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("nodeKind")
        self._kind_labels = {kind: reference["node_kind"].label(kind, lang) for kind in NODE_KINDS}
        # Since 01/07/2025 local government has two tiers (province, commune): a district is offered only to
        # a deployment that still has one, when asked.
        self.district_check = QCheckBox(self.tr("Địa phương còn cấp huyện (trước ngày 01/07/2025)"))
        self.district_check.setObjectName("withDistricts")
        self.district_check.toggled.connect(self._fill_kinds)
        self._fill_kinds()
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("nodeName")
        self.name_edit.setPlaceholderText(self.tr("Ví dụ: Xã Đông Hưng"))
        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("nodeCode")
        self.code_edit.setPlaceholderText(self.tr("Ví dụ: 12345 (chữ, số, - và _)"))
        self.parent_edit = QLineEdit()
        self.parent_edit.setObjectName("parentCode")
        self.parent_edit.setPlaceholderText(self.tr("Để trống nếu đơn vị là tỉnh"))
        self.errors = {path: _error_label(f"error_{path}") for path in ("kind", "name", "code")}

        form = QFormLayout(self)
        form.addRow(self.tr("Cấp đơn vị:"), self.kind_combo)
        form.addRow("", self.district_check)
        form.addRow("", self.errors["kind"])
        form.addRow(self.tr("Tên đơn vị:"), self.name_edit)
        form.addRow("", self.errors["name"])
        form.addRow(self.tr("Mã đơn vị:"), self.code_edit)
        form.addRow("", self.errors["code"])
        form.addRow(self.tr("Mã đơn vị cấp trên:"), self.parent_edit)
        # Where the parent's code comes from, and what it is for (issue 14): it only guards which profile is taken.
        self.parent_note = QLabel(self.tr(
            "Mã của đơn vị nhận số liệu của bạn (thường là tỉnh). Cán bộ phụ trách ở tỉnh cho bạn mã này cùng tệp "
            "hồ sơ tỉnh; mã cũng hiện trên trang Đồng bộ khi nhập hồ sơ đó. Phần mềm chỉ nhận hồ sơ của đúng đơn "
            "vị có mã này. Chưa biết thì để trống: đơn vị vẫn ghi vụ việc, hoạt động và lập báo cáo; cấp trên là "
            "đơn vị của hồ sơ tỉnh được nhập đầu tiên."))
        self.parent_note.setObjectName("parentCodeNote")
        self.parent_note.setWordWrap(True)
        self.parent_note.setStyleSheet("color: #555555;")
        form.addRow("", self.parent_note)

        for edit in (self.name_edit, self.code_edit):
            edit.textChanged.connect(self.completeChanged)

    def _fill_kinds(self) -> None:
        chosen = self.kind_combo.currentData() or "commune"
        kinds = [k for k in NODE_KINDS if k != "district" or self.district_check.isChecked()]
        self.kind_combo.blockSignals(True)
        self.kind_combo.clear()
        for kind in kinds:
            self.kind_combo.addItem(self._kind_labels[kind], kind)
        self.kind_combo.setCurrentIndex(kinds.index(chosen if chosen in kinds else "commune"))
        self.kind_combo.blockSignals(False)

    def isComplete(self) -> bool:
        return bool(self.name_edit.text().strip() and self.code_edit.text().strip())

    def show_errors(self, errors: dict[str, str]) -> bool:
        for path, label in self.errors.items():
            _show(label, errors.get(path))
        return not any(errors.get(path) for path in self.errors)

    def validatePage(self) -> bool:
        return self.show_errors(_core_field_errors(_setup(self).values(checking="node")))


class ProfilePage(QWizardPage):
    """The province's plan: one of the profiles shipped with the program, or a file the province sent."""

    def __init__(self, profiles: dict, parent=None):
        super().__init__(parent)
        self.setTitle(self.tr("Hồ sơ kế hoạch của tỉnh"))
        self.setSubTitle(self.tr("Hồ sơ cho biết chỉ tiêu, hạn báo cáo và nơi nhận báo cáo của tỉnh."))
        self.profiles = profiles
        self.imported_file: Path | None = None  # a profile file the province sent, kept by the node
        self.imported_code: str | None = None
        lang = language()
        self.profile_combo = QComboBox()
        self.profile_combo.setObjectName("profile")
        for code, profile in sorted(profiles.items(), key=lambda item: item[1].province(lang)):
            if profile.kind == "national":
                text = self.tr("Chuẩn quốc gia — {number} (khi tỉnh chưa có kế hoạch)").format(
                    number=profile.plan_number)
            elif profile.has_plan:
                text = self.tr("{province} — Kế hoạch {number}").format(
                    province=profile.province(lang), number=profile.plan_number)
            else:
                text = self.tr("{province} — từ ngày {date}").format(
                    province=profile.province(lang), date=format_date(profile.governs_from))
            self.profile_combo.addItem(text, code)
        self.profile_combo.addItem(self.tr("Chưa chọn (chọn sau khi tỉnh gửi hồ sơ)"), None)
        self.profile_combo.currentIndexChanged.connect(self._describe)

        self.import_button = QPushButton(self.tr("Nhập hồ sơ từ tệp…"))
        self.import_button.setObjectName("importProfile")
        self.import_button.clicked.connect(self.choose_file)

        self.details = QLabel()
        self.details.setObjectName("profileDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.import_message = QLabel()
        self.import_message.setObjectName("profileImportMessage")
        self.import_message.setWordWrap(True)
        self.import_message.hide()
        self.error = _error_label("error_profile")

        row = QHBoxLayout()
        row.addWidget(self.profile_combo, 1)
        row.addWidget(self.import_button)
        caption = QLabel(self.tr("Hồ sơ tỉnh:"))
        caption.setBuddy(self.profile_combo)  # its name for screen readers
        layout = QVBoxLayout(self)
        layout.addWidget(caption)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addSpacing(8)
        layout.addWidget(self.details)
        layout.addWidget(self.import_message)
        layout.addStretch(1)
        self._describe()

    def profile_code(self) -> str | None:
        return self.profile_combo.currentData()

    def profile_file(self) -> Path | None:
        """The imported file, when the profile chosen is the one it holds."""
        chosen = self.profile_code()
        return self.imported_file if chosen is not None and chosen == self.imported_code else None

    def _describe(self) -> None:
        profile = self.profiles.get(self.profile_code() or "")
        if profile is None:
            self.details.setText(self.tr("Chưa có hồ sơ tỉnh: phần mềm vẫn ghi vụ việc và hoạt động, nhưng chưa "
                                         "tính được chỉ tiêu và hạn báo cáo."))
            return
        lang = language()
        month, day = profile.report_deadline
        if not profile.has_plan:
            # A province that has not issued its plan yet: its earlier versions and the national baseline apply.
            self.details.setText(self.tr(
                "Áp dụng từ ngày {date}; tỉnh chưa ban hành kế hoạch riêng cho giai đoạn này (chỉ tiêu theo kế "
                "hoạch cũ đến hết kỳ của nó, sau đó theo chuẩn quốc gia).\n"
                "Nơi nhận báo cáo: {body}{unconfirmed}\n"
                "Hạn báo cáo năm: ngày {day:02d}/{month:02d}").format(
                    date=format_date(profile.governs_from), body=profile.receiving_body(lang),
                    unconfirmed=self.tr(" (chờ tỉnh xác nhận)") if not profile.receiving_body_confirmed else "",
                    day=day, month=month))
            return
        self.details.setText(self.tr(
            "Kế hoạch {number} ngày {date}\n"
            "Nơi nhận báo cáo: {body}\n"
            "Hạn báo cáo năm: ngày {day:02d}/{month:02d}\n"
            "Số chỉ tiêu: {targets}").format(
                number=profile.plan_number, date=format_date(profile.plan_date), body=profile.receiving_body(lang),
                day=day, month=month, targets=len(profile.targets)))

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Chọn tệp hồ sơ tỉnh"), str(Path.home()),
                                              self.tr("Hồ sơ tỉnh (*.toml)"))
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Read a profile file the province sent, off the GUI thread, and say what can be done with it."""
        from app.reference import load_profile_file

        self.import_button.setEnabled(False)
        tasks.run_in_background(lambda: load_profile_file(path), on_done=lambda found: self._imported(found, path),
                                on_error=self._import_failed, owner=self)

    def _imported(self, profile, path: Path) -> None:
        self.import_button.setEnabled(True)
        lang = language()
        shipped = self.profiles.get(profile.code)
        if shipped is None or profile.version > shipped.version:
            # The node keeps the file (Node.create(profile_file=…)) and uses it.
            self.imported_file, self.imported_code = Path(path), profile.code
            self.profiles[profile.code] = profile
            index = self.profile_combo.findData(profile.code)
            label = self.tr("{province} — Kế hoạch {number}").format(province=profile.province(lang),
                                                                    number=profile.plan_number)
            if index < 0:
                self.profile_combo.insertItem(self.profile_combo.count() - 1, label, profile.code)
                index = self.profile_combo.findData(profile.code)
            else:
                self.profile_combo.setItemText(index, label)
            self.profile_combo.setCurrentIndex(index)
            self._describe()
            self._say_import(self.tr("Đã nhập hồ sơ {province}, phiên bản {version}, từ tệp. Đơn vị sẽ giữ và dùng "
                                     "hồ sơ này.").format(province=profile.province(lang), version=profile.version),
                             error=False)
            return
        self.profile_combo.setCurrentIndex(self.profile_combo.findData(profile.code))
        if profile.version > shipped.version:
            text = self.tr("Tệp là hồ sơ {province}, phiên bản {version}, mới hơn bản có sẵn (phiên bản {shipped}). "
                           "Đơn vị sẽ dùng bản có sẵn; hãy cập nhật phần mềm để dùng bản mới.")
        else:
            text = self.tr("Tệp là hồ sơ {province}, phiên bản {version}; phần mềm đã có sẵn hồ sơ này "
                           "(phiên bản {shipped}) và đã chọn nó.")
        self._say_import(text.format(province=profile.province(lang), version=profile.version,
                                     shipped=shipped.version), error=False)

    def _import_failed(self, error: BaseException) -> None:
        self.import_button.setEnabled(True)
        if isinstance(error, ValueError | OSError):
            detail = str(error) if isinstance(error, ValueError) else (error.strerror or "")
            text = self.tr("Tệp này không phải hồ sơ tỉnh hợp lệ, hoặc không đọc được. Chi tiết: {detail}").format(
                detail=detail)
        else:
            text = error_text(error)
        self._say_import(text, error=True)

    def _say_import(self, text: str, *, error: bool) -> None:
        self.import_message.setStyleSheet(ERROR_STYLE if error else "color: #1b5e20;")
        self.import_message.setText(text)
        self.import_message.show()

    def validatePage(self) -> bool:
        message = _core_field_errors(_setup(self).values(checking="profile")).get("profile")
        _show(self.error, message)
        return message is None


class AdminPage(QWizardPage):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTitle(self.tr("Quản trị viên"))
        self.setSubTitle(self.tr("Người quản trị tạo tài khoản cho cán bộ khác và giữ mã khôi phục."))
        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("adminUsername")
        self.username_edit.setPlaceholderText(self.tr("Ví dụ: quantri (không dấu cách)"))
        self.display_edit = QLineEdit()
        self.display_edit.setObjectName("adminDisplayName")
        self.display_edit.setPlaceholderText(self.tr("Ví dụ: Nguyễn Thị Lan"))
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("adminPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = QLineEdit()
        self.repeat_edit.setObjectName("adminPasswordRepeat")
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.errors = {path: _error_label(f"error_{path}")
                       for path in ("admin_username", "admin_password", "admin_password_repeat")}
        hint = QLabel(self.tr("Hãy chọn mật khẩu dài, dễ nhớ với bạn nhưng khó đoán với người khác, ví dụ "
                              "một câu ngắn. Không ghi mật khẩu lên giấy dán cạnh máy."))
        hint.setWordWrap(True)

        form = QFormLayout(self)
        form.addRow(self.tr("Tên đăng nhập:"), self.username_edit)
        form.addRow("", self.errors["admin_username"])
        form.addRow(self.tr("Họ và tên:"), self.display_edit)
        form.addRow(self.tr("Mật khẩu:"), self.password_edit)
        form.addRow("", self.errors["admin_password"])
        form.addRow(self.tr("Nhập lại mật khẩu:"), self.repeat_edit)
        form.addRow("", self.errors["admin_password_repeat"])
        form.addRow("", hint)
        for edit in (self.username_edit, self.password_edit, self.repeat_edit):
            edit.textChanged.connect(self.completeChanged)

    def isComplete(self) -> bool:
        return bool(self.username_edit.text().strip() and self.password_edit.text() and self.repeat_edit.text())

    def validatePage(self) -> bool:
        errors = _core_field_errors(_setup(self).values(checking="admin"))
        if self.password_edit.text() != self.repeat_edit.text():
            errors["admin_password_repeat"] = self.tr("Hai lần nhập mật khẩu không giống nhau.")
        for path, label in self.errors.items():
            _show(label, errors.get(path))
        if errors.get("admin_password_repeat"):
            self.repeat_edit.clear()
        return not any(errors.get(path) for path in self.errors)

    def clear_passwords(self) -> None:
        for edit in (self.password_edit, self.repeat_edit):
            edit.clear()


class CreatePage(QWizardPage):
    """Check what will be created; Next creates it (in the background) and logs the administrator in."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTitle(self.tr("Kiểm tra và tạo đơn vị"))
        self.setSubTitle(self.tr("Xem lại thông tin. Sau khi tạo, tên và mã đơn vị chỉ sửa được bằng cách "
                                 "thiết lập lại."))
        self.setCommitPage(True)
        self.summary = QLabel()
        self.summary.setObjectName("setupSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.busy_label = QLabel(self.tr("Đang tạo đơn vị và mã hóa dữ liệu, xin chờ…"))
        self.busy_label.setObjectName("setupBusy")
        self.progress = QProgressBar()
        self.progress.setObjectName("setupProgress")
        self.progress.setRange(0, 0)  # busy, with no known end
        self.progress.setTextVisible(False)
        self.busy_label.hide()
        self.progress.hide()
        self.error = _error_label("setupError")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addSpacing(12)
        layout.addWidget(self.busy_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def initializePage(self) -> None:
        wizard = _setup(self)
        values = wizard.values()
        profile = wizard.profiles.get(values["profile_code"] or "")
        lang = language()
        lines = [
            self.tr("Cấp đơn vị: {kind}").format(kind=wizard.reference["node_kind"].label(values["kind"], lang)),
            self.tr("Tên đơn vị: {name}").format(name=values["name"]),
            self.tr("Mã đơn vị: {code}").format(code=values["code"]),
            self.tr("Mã đơn vị cấp trên: {parent}").format(parent=values["parent_code"] or self.tr("(không có)")),
            self.tr("Hồ sơ tỉnh: {profile}").format(
                profile=profile.province(lang) if profile else self.tr("(chưa chọn)")),
            self.tr("Quản trị viên: {name} ({username})").format(
                name=values["admin_display_name"] or values["admin_username"], username=values["admin_username"]),
            self.tr("Thư mục dữ liệu: {folder}").format(folder=wizard.data_dir),
        ]
        self.summary.setText("\n".join(lines))
        _show(self.error, None)

    def validatePage(self) -> bool:
        wizard = _setup(self)
        if wizard.node is not None:
            return True
        if not wizard.busy:
            wizard.start_creating()
        return False

    def set_busy(self, busy: bool) -> None:
        self.busy_label.setVisible(busy)
        self.progress.setVisible(busy)

    def show_error(self, text: str) -> None:
        _show(self.error, text)


class KeyPage(QWizardPage):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTitle(self.tr("Mã khôi phục"))
        self.setSubTitle(self.tr("Đơn vị đã được tạo. Mã dưới đây chỉ hiện một lần."))
        self.panel: RecoveryKeyPanel | None = None
        self._layout = QVBoxLayout(self)

    def show_key(self, recovery_key: str, node_info, kind_label: str) -> None:
        if self.panel is not None:
            self.panel.setParent(None)
            self.panel.deleteLater()
        self.panel = RecoveryKeyPanel(recovery_key, node_info, kind_label)
        self.panel.confirmed_changed.connect(self.completeChanged)
        self._layout.addWidget(self.panel)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.panel is not None and self.panel.confirmed


def _setup(page: QWizardPage) -> SetupWizard:
    """The wizard a page belongs to (every page here is added to a SetupWizard)."""
    wizard = page.wizard()
    if not isinstance(wizard, SetupWizard):
        raise RuntimeError("a setup page outside the setup wizard")
    return wizard


class SetupWizard(QWizard):
    """Creates the node in `data_dir`; after Finish, `session` is the administrator's (the caller owns it)."""

    INTRO, NODE, PROFILE, ADMIN, CREATE, KEY = range(6)

    #: Emitted once the node exists (before the key is confirmed).
    node_created = Signal()

    def __init__(self, data_dir: Path, parent=None):
        super().__init__(parent)
        from app.reference import load_profiles, load_reference

        self.data_dir = Path(data_dir)
        self.reference = load_reference()
        self.profiles = load_profiles()
        self.node: Node | None = None
        self.session = None
        self.busy = False

        self.setObjectName("setupWizard")
        self.setWindowTitle(self.tr("Thiết lập {app}").format(app=app.NAME))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setMinimumSize(720, 560)
        # Qt has no Vietnamese translation of its own buttons: name them ourselves, in both languages.
        for which, text in ((QWizard.WizardButton.BackButton, self.tr("< Quay lại")),
                            (QWizard.WizardButton.NextButton, self.tr("Tiếp >")),
                            (QWizard.WizardButton.CommitButton, self.tr("Tạo đơn vị")),
                            (QWizard.WizardButton.FinishButton, self.tr("Hoàn tất")),
                            (QWizard.WizardButton.CancelButton, self.tr("Hủy"))):
            self.setButtonText(which, text)

        self.intro_page = IntroPage()
        self.node_page = NodePage(self.reference)
        self.profile_page = ProfilePage(self.profiles)
        self.admin_page = AdminPage()
        self.create_page = CreatePage()
        self.key_page = KeyPage()
        for number, page in enumerate((self.intro_page, self.node_page, self.profile_page, self.admin_page,
                                       self.create_page, self.key_page)):
            self.setPage(number, page)
        self.setStartId(self.INTRO)

    # --- what was typed -------------------------------------------------------------------------
    def values(self, checking: str | None = None) -> dict:
        """The set-up values as the core takes them.

        `checking` names the page being checked; the pages after it are not filled
        yet, so stand-in values keep the core from reporting them.
        """
        admin_filled = checking in (None, "admin")
        return {
            "kind": self.node_page.kind_combo.currentData(),
            "name": self.node_page.name_edit.text().strip(),
            "code": self.node_page.code_edit.text().strip(),
            "parent_code": self.node_page.parent_edit.text().strip() or None,
            "profile_code": self.profile_page.profile_code() if checking != "node" else None,
            "profile_file": self.profile_page.profile_file() if checking != "node" else None,
            "admin_username": self.admin_page.username_edit.text().strip() if admin_filled else "x",
            "admin_display_name": self.admin_page.display_edit.text().strip() or None,
            "admin_password": self.admin_page.password_edit.text() if admin_filled else "x" * 64,
        }

    # --- creating -----------------------------------------------------------------------------------
    def start_creating(self) -> None:
        values = self.values()
        data_dir = self.data_dir
        self._set_busy(True)

        def create_and_log_in():  # worker thread: no widgets
            node, recovery = Node.create(
                data_dir, kind=values["kind"], name=values["name"], code=values["code"],
                parent_code=values["parent_code"], profile_code=values["profile_code"],
                admin_username=values["admin_username"], admin_password=values["admin_password"],
                admin_display_name=values["admin_display_name"], profile_file=values["profile_file"])
            try:
                session = node.login(values["admin_username"], values["admin_password"])
            except BinhAnError:  # the node exists: its key is shown all the same, and the login asked later
                session = None
            return node, recovery, session

        tasks.run_in_background(create_and_log_in, on_done=self._created, on_error=self._create_failed)

    def _created(self, result) -> None:
        self.node, recovery, self.session = result
        self._set_busy(False)
        self.admin_page.clear_passwords()
        info = self.node.info
        self.key_page.show_key(recovery, info, self.reference["node_kind"].label(info.kind, language()))
        # From here the only way out is Finish: the node exists and its key must not be lost.
        self.setOption(QWizard.WizardOption.NoCancelButton, True)
        self.node_created.emit()
        self.next()

    def _create_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, ValidationFailed):
            lang = language()
            by_field = {e.path: e.message(lang) for e in error.errors}
            self.node_page.show_errors(by_field)
            for path, label in self.admin_page.errors.items():
                _show(label, by_field.get(path))
            text = self.tr("Chưa tạo được đơn vị. Hãy quay lại và sửa:") + "\n" + "\n".join(
                f"• {message}" for message in by_field.values())
        elif isinstance(error, BinhAnError):
            text = error_text(error)
        else:
            log.error("creating the node failed: %s", type(error).__name__)
            text = error_text(error)
        self.create_page.show_error(text)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.create_page.set_busy(busy)
        for which in (QWizard.WizardButton.BackButton, QWizard.WizardButton.CommitButton,
                      QWizard.WizardButton.CancelButton):
            button = self.button(which)
            if button is not None:
                button.setEnabled(not busy)

    # --- leaving ------------------------------------------------------------------------------------
    def reject(self) -> None:
        # While creating, or once the node exists, Cancel/Esc/close would lose the session or the key.
        if self.busy or self.node is not None:
            return
        super().reject()

    def accept(self) -> None:
        if self.node is None or not self.key_page.isComplete():
            return
        super().accept()

    def sample_key_for_screenshots(self, key: str) -> None:
        """Show the key page with `key` without creating anything (screenshots only)."""
        from app.node import NodeInfo

        values = self.values()
        info = NodeInfo("-", values["kind"], values["name"], values["code"], values["parent_code"],
                        values["profile_code"], False)
        self.key_page.show_key(key, info, self.reference["node_kind"].label(values["kind"], language()))
