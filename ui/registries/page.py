"""The Registries page: prevention models, schools, and service providers and hotlines, one tab each.

Editable only when the session may (`registry.write`); otherwise every list is
shown the same but read-only, and the page says so. Registers are small (a
commune has tens of records), so each tab reads its whole list from the core.

Hooks for the main window: `refresh()` (reads the lists again), `show_tab(key)`
with key "models", "schools" or "providers".
"""

from __future__ import annotations

import logging

from app.errors import BinhAnError
from ui import tasks
from ui.i18n import error_text, format_date, language
from ui.qt import (QAbstractItemView, QBrush, QColor, QHBoxLayout, QHeaderView, QLabel, QListWidget, QMessageBox,
                   QPushButton, Qt, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget, Signal)
from ui.registries.dialogs import ModelDialog, ProviderDialog, SchoolDialog, StatusDialog
from ui.widgets.confirm import confirm

log = logging.getLogger(__name__)

#: How many years (up to this one) the school list shows a tick box for.
SCHOOL_YEARS_SHOWN = 5


class RegisterTab(QWidget):
    """One register: a table of its records, the buttons that change them, and a line for problems."""

    #: A record was saved or deleted (the other pages' pickers may want to know).
    changed = Signal()

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.lang = language()
        self.editable = session.can("registry.write")
        self.records: list[dict] = []
        self.dialog = None
        self._select_next: str | None = None
        self.delete_box: QMessageBox | None = None

        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.problem_label = QLabel()
        self.problem_label.setObjectName("registerProblem")
        self.problem_label.setStyleSheet("color: #b00020;")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        self.empty_label = QLabel()
        self.empty_label.setObjectName("registerEmpty")
        self.empty_label.setStyleSheet("color: #555;")
        self.empty_label.hide()

        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(6)

    def fit_columns(self, samples: dict[int, str]) -> None:
        """Each column wide enough for its heading (in whatever language) and a typical value."""
        metrics = self.fontMetrics()
        for column, sample in samples.items():
            item = self.table.horizontalHeaderItem(column)
            heading = item.text() if item is not None else ""
            self.table.setColumnWidth(column, max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(heading)
                                                  + 12) + 28)

    def button(self, name: str, text: str, slot, *, needs_selection: bool = True) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        button.setProperty("needsSelection", needs_selection)
        button.setVisible(self.editable)
        self.buttons.addWidget(button)
        return button

    # --- reading ---------------------------------------------------------------------------------
    def fetch(self) -> list[dict]:
        """The register's records, read in the background: each tab (models, schools, providers) defines it."""
        raise NotImplementedError("each register tab reads its own records")

    def load(self) -> None:
        tasks.run_in_background(self.fetch, on_done=self.show_records, on_error=self.show_problem, owner=self)

    def show_records(self, records: list[dict]) -> None:
        chosen = self.selected()
        wanted = self._select_next or (chosen["id"] if chosen is not None else None)
        self._select_next = None
        self.records = records
        self.problem_label.hide()
        self.table.blockSignals(True)
        self.table.setRowCount(len(records))
        for row, record in enumerate(records):
            for column, item in enumerate(self.items(record)):
                item.setData(Qt.ItemDataRole.UserRole, record["id"])
                if item.toolTip() == "":
                    item.setToolTip(item.text())
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        self.empty_label.setVisible(not records)
        if wanted is not None:
            self.select(wanted)
        elif records:
            self.table.selectRow(0)
        self._selection_changed()

    def items(self, record: dict) -> list[QTableWidgetItem]:
        """One table row's cells for `record`: each tab defines its own columns."""
        raise NotImplementedError("each register tab lays out its own columns")

    def selected(self) -> dict | None:
        row = self.table.currentRow()
        return self.records[row] if 0 <= row < len(self.records) and self.table.selectedItems() else None

    def select(self, record_id: str) -> None:
        for row, record in enumerate(self.records):
            if record["id"] == record_id:
                self.table.selectRow(row)
                return

    def row_of(self, name: str) -> int:
        return next((n for n, r in enumerate(self.records) if r["name"] == name), -1)

    def _selection_changed(self) -> None:
        has_one = self.selected() is not None
        for i in range(self.buttons.count()):
            item = self.buttons.itemAt(i)
            widget = item.widget() if item is not None else None
            if isinstance(widget, QPushButton) and widget.property("needsSelection"):
                widget.setEnabled(has_one)
        self.selection_changed()

    def selection_changed(self) -> None:
        """A subclass shows more about the chosen record."""

    def show_problem(self, error: BaseException) -> None:
        if not isinstance(error, BinhAnError):
            log.error("a register operation failed: %s", type(error).__name__)
        self.problem_label.setText(error_text(error))
        self.problem_label.show()

    # --- changing -------------------------------------------------------------------------------
    def open_dialog(self, dialog) -> None:
        if not self.editable:
            return
        self.dialog = dialog
        dialog.saved.connect(self._record_saved)
        dialog.open()

    def _record_saved(self, record: dict) -> None:
        self._select_next = record["id"]
        self.load()
        self.changed.emit()

    def ask_delete(self, what: str, delete_call) -> QMessageBox | None:
        record = self.selected()
        if record is None or not self.editable:
            return None
        def answered(yes: bool) -> None:
            self.delete_box = None
            if yes:
                record_id = record["id"]
                tasks.run_in_background(lambda: delete_call(record_id), on_done=lambda _r: self._deleted(),
                                        on_error=self.show_problem, owner=self)

        self.delete_box = confirm(
            self, name="deleteRecordBox", title=self.tr("Xóa khỏi danh mục"),
            text=self.tr("Xóa {what} “{name}” khỏi danh mục?").format(what=what, name=record["name"]),
            info=self.tr("Các hoạt động đã gắn với bản ghi này vẫn giữ nguyên."), yes=self.tr("Xóa"),
            no=self.tr("Không xóa"), answered=answered, yes_role=QMessageBox.ButtonRole.DestructiveRole)
        return self.delete_box

    def _deleted(self) -> None:
        self.load()
        self.changed.emit()


def _item(text: str | None, *, centre: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text or "")
    if centre:
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    return item


class ModelsTab(RegisterTab):
    """Models with their present status and, beside the list, the chosen model's history of statuses."""

    NAME, KIND, ESTABLISHED, STATUS, SINCE = range(5)

    def __init__(self, session, parent=None):
        super().__init__(session, parent)
        self.setObjectName("modelsTab")
        self.table.setObjectName("modelTable")
        self.table.setColumnCount(5)
        self.table.setHorizontalHeaderLabels([self.tr("Tên mô hình"), self.tr("Loại mô hình"),
                                              self.tr("Ngày thành lập"), self.tr("Tình trạng hiện nay"),
                                              self.tr("Từ ngày")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(self.NAME, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        self.fit_columns({self.KIND: "Địa chỉ tin cậy – nhà tạm lánh cộng", self.ESTABLISHED: "00/00/0000",
                          self.STATUS: "Tạm dừng hoạt động", self.SINCE: "00/00/0000"})
        self.empty_label.setText(self.tr("Chưa có mô hình nào trong danh mục."))
        self.table.doubleClicked.connect(lambda _index: self.edit_model())

        self.add_button = self.button("addModel", self.tr("+ Thêm mô hình"), self.add_model, needs_selection=False)
        self.edit_button = self.button("editModel", self.tr("Sửa…"), self.edit_model)
        self.status_button = self.button("changeStatus", self.tr("Đổi tình trạng…"), self.change_status)
        self.delete_button = self.button("deleteModel", self.tr("Xóa…"), self.delete_model)
        self.buttons.addStretch(1)

        self.history_title = QLabel(self.tr("Lịch sử tình trạng"))
        self.history_title.setObjectName("historyTitle")
        font = self.history_title.font()
        font.setBold(True)
        self.history_title.setFont(font)
        self.history_list = QListWidget()
        self.history_list.setObjectName("statusHistory")
        self.history_list.setMaximumHeight(metrics.lineSpacing() * 5 + 20)
        self.history_hint = QLabel(self.tr("Chọn một mô hình để xem các lần đổi tình trạng."))
        self.history_hint.setWordWrap(True)
        self.history_hint.setStyleSheet("color: #555;")

        layout = QVBoxLayout(self)
        layout.addLayout(self.buttons)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.history_title)
        layout.addWidget(self.history_list, 1)
        layout.addWidget(self.history_hint)

    def fetch(self) -> list[dict]:
        return self.session.registries.models()

    def items(self, model: dict) -> list[QTableWidgetItem]:
        ref = self.session.reference
        since = model["history"][-1]["on"] if model["history"] else None
        status = _item(ref["model_status"].label(model["status"], self.lang))
        if model["status"] != "active":
            status.setForeground(QBrush(QColor("#8b0000" if model["status"] == "closed" else "#8a5300")))
        return [_item(model["name"]), _item(ref["model_kind"].label(model["kind"], self.lang)),
                _item(format_date(model["established_on"])), status, _item(format_date(since))]

    def selection_changed(self) -> None:
        model = self.selected()
        self.history_list.clear()
        if model is None:
            self.history_title.setText(self.tr("Lịch sử tình trạng"))
            self.history_hint.show()
            return
        self.history_title.setText(self.tr("Lịch sử tình trạng — {name}").format(name=model["name"]))
        self.history_hint.hide()
        labels = self.session.reference["model_status"]
        # Newest first: the present status is the top line.
        for event in reversed(model["history"]):
            self.history_list.addItem(f"{format_date(event['on'])} — {labels.label(event['status'], self.lang)}")

    def history_lines(self) -> list[str]:
        return [self.history_list.item(i).text() for i in range(self.history_list.count())]

    def add_model(self) -> None:
        self.open_dialog(ModelDialog(self.session, None, self))

    def edit_model(self) -> None:
        model = self.selected()
        if model is not None:
            self.open_dialog(ModelDialog(self.session, model, self))

    def change_status(self) -> None:
        model = self.selected()
        if model is not None:
            self.open_dialog(StatusDialog(self.session, model, self))

    def delete_model(self):
        return self.ask_delete(self.tr("mô hình"), self.session.registries.delete_model)


class SchoolsTab(RegisterTab):
    """Schools with a tick box per year: did the school integrate GBV communication that year."""

    NAME, LEVEL, COUNTED = range(3)

    def __init__(self, session, parent=None):
        super().__init__(session, parent)
        self.setObjectName("schoolsTab")
        self.table.setObjectName("schoolTable")
        this_year = session.registries.today().year
        self.years = list(range(this_year - SCHOOL_YEARS_SHOWN + 1, this_year + 1))
        self.table.setColumnCount(3 + len(self.years))
        self.table.setHorizontalHeaderLabels([self.tr("Tên trường"), self.tr("Cấp học"), self.tr("Tính vào chỉ tiêu")]
                                             + [str(y) for y in self.years])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(self.NAME, QHeaderView.ResizeMode.Stretch)
        self.fit_columns({self.LEVEL: "Trung học chuyên nghiệp, trung cấp", self.COUNTED: "Có",
                          **{3 + n: "00000" for n in range(len(self.years))}})
        self.table.itemChanged.connect(self._tick_changed)
        self.table.doubleClicked.connect(self._double_clicked)
        self.empty_label.setText(self.tr("Chưa có trường nào trong danh mục."))

        self.explanation = QLabel(self.tr(
            "Đánh dấu năm trường đã lồng ghép tuyên truyền về phòng ngừa, ứng phó với bạo lực trên cơ sở giới, "
            "bạo lực học đường (kể cả khi trường tự tổ chức). Hoạt động truyền thông ghi gắn với trường cũng được "
            "tính. Cột “Tính vào chỉ tiêu” cho biết cấp học có thuộc chỉ tiêu của tỉnh hay không."))
        self.explanation.setWordWrap(True)
        self.explanation.setStyleSheet("color: #444;")

        self.add_button = self.button("addSchool", self.tr("+ Thêm trường"), self.add_school, needs_selection=False)
        self.edit_button = self.button("editSchool", self.tr("Sửa…"), self.edit_school)
        self.delete_button = self.button("deleteSchool", self.tr("Xóa…"), self.delete_school)
        self.buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(self.buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.problem_label)

    def fetch(self) -> list[dict]:
        return self.session.registries.schools()

    def items(self, school: dict) -> list[QTableWidgetItem]:
        ref = self.session.reference
        level = ref["school_level"].get(school["level"])
        counted = bool(level is not None and level.get("target_integration"))
        out = [_item(school["name"]), _item(ref["school_level"].label(school["level"], self.lang)),
               _item(self.tr("Có") if counted else "", centre=True)]
        for year in self.years:
            item = QTableWidgetItem()
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if self.editable:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
            item.setFlags(flags)
            ticked = school["integrations"].get(str(year), False)
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole + 1, year)
            item.setToolTip(self.tr("Năm {year}: đã lồng ghép tuyên truyền").format(year=year) if ticked
                            else self.tr("Năm {year}: chưa lồng ghép").format(year=year))
            out.append(item)
        return out

    def tick_box(self, name: str, year: int) -> QTableWidgetItem | None:
        row = self.row_of(name)
        if row < 0 or year not in self.years:
            return None
        return self.table.item(row, 3 + self.years.index(year))

    def _tick_changed(self, item: QTableWidgetItem) -> None:
        year = item.data(Qt.ItemDataRole.UserRole + 1)
        if year is None or not self.editable:
            return
        school_id = item.data(Qt.ItemDataRole.UserRole)
        ticked = item.checkState() == Qt.CheckState.Checked
        registries = self.session.registries

        def failed(error: BaseException) -> None:
            self.load()  # show what is stored, not what was ticked
            self.show_problem(error)

        tasks.run_in_background(lambda: registries.set_school_integration(school_id, year, ticked),
                                on_done=self._record_saved, on_error=failed, owner=self)

    def _double_clicked(self, index) -> None:
        if index.column() < 3:
            self.edit_school()

    def add_school(self) -> None:
        self.open_dialog(SchoolDialog(self.session, None, self))

    def edit_school(self) -> None:
        school = self.selected()
        if school is not None:
            self.open_dialog(SchoolDialog(self.session, school, self))

    def delete_school(self):
        return self.ask_delete(self.tr("trường"), self.session.registries.delete_school)


class ProvidersTab(RegisterTab):
    """Service providers and hotlines, with their phone numbers."""

    NAME, KIND, PHONE, HOTLINE, ADDRESS = range(5)

    def __init__(self, session, parent=None):
        super().__init__(session, parent)
        self.setObjectName("providersTab")
        self.table.setObjectName("providerTable")
        self.table.setColumnCount(5)
        self.table.setHorizontalHeaderLabels([self.tr("Tên cơ quan"), self.tr("Loại cơ quan"), self.tr("Số điện thoại"),
                                              self.tr("Đường dây nóng"), self.tr("Địa chỉ")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(self.NAME, QHeaderView.ResizeMode.Stretch)
        self.fit_columns({self.KIND: "Cơ sở trợ giúp xã hội, công tác", self.PHONE: "0000 000 000 00",
                          self.HOTLINE: "Có", self.ADDRESS: "Xã Bình An (dữ liệu mẫu)"})
        self.table.doubleClicked.connect(lambda _index: self.edit_provider())
        self.empty_label.setText(self.tr("Chưa có cơ quan nào trong danh mục."))

        self.add_button = self.button("addProvider", self.tr("+ Thêm cơ quan"), self.add_provider,
                                      needs_selection=False)
        self.edit_button = self.button("editProvider", self.tr("Sửa…"), self.edit_provider)
        self.delete_button = self.button("deleteProvider", self.tr("Xóa…"), self.delete_provider)
        self.buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(self.buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.problem_label)

    def fetch(self) -> list[dict]:
        # Hotlines first: they are what an officer looks up in a hurry.
        providers = self.session.registries.providers()
        return sorted(providers, key=lambda p: not p["hotline"])

    def items(self, provider: dict) -> list[QTableWidgetItem]:
        ref = self.session.reference
        hotline = _item(self.tr("Có") if provider["hotline"] else "", centre=True)
        return [_item(provider["name"]), _item(ref["provider_kind"].label(provider["kind"], self.lang)),
                _item(provider["phone"]), hotline, _item(provider["address"])]

    def add_provider(self) -> None:
        self.open_dialog(ProviderDialog(self.session, None, self))

    def edit_provider(self) -> None:
        provider = self.selected()
        if provider is not None:
            self.open_dialog(ProviderDialog(self.session, provider, self))

    def delete_provider(self):
        return self.ask_delete(self.tr("cơ quan"), self.session.registries.delete_provider)


class RegistriesPage(QWidget):
    """Three registers in tabs; read-only, and saying so, for roles that may not change them."""

    TAB_KEYS = ("models", "schools", "providers")

    #: A register changed (saved or deleted record): pickers elsewhere may read it again.
    registry_changed = Signal()

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.editable = session.can("registry.write")

        self.read_only_note = QLabel(self.tr("Chỉ xem: vai trò của bạn không sửa được danh mục. "
                                             "Công chức văn hóa – xã hội hoặc quản trị viên cập nhật danh mục."))
        self.read_only_note.setObjectName("registriesReadOnly")
        self.read_only_note.setWordWrap(True)
        self.read_only_note.setContentsMargins(8, 6, 8, 6)
        self.read_only_note.setStyleSheet("background: #eef3fb; color: #1f3b63; border: 1px solid #b3c6e6; "
                                          "border-radius: 4px;")
        self.read_only_note.setVisible(not self.editable)

        self.models_tab = ModelsTab(session)
        self.schools_tab = SchoolsTab(session)
        self.providers_tab = ProvidersTab(session)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("registryTabs")
        self.tabs.addTab(self.models_tab, self.tr("Mô hình"))
        self.tabs.addTab(self.schools_tab, self.tr("Trường học"))
        self.tabs.addTab(self.providers_tab, self.tr("Cơ quan cung cấp dịch vụ / đường dây nóng"))
        for tab in self.tab_widgets():
            tab.changed.connect(self.registry_changed)

        layout = QVBoxLayout(self)
        layout.addWidget(self.read_only_note)
        layout.addWidget(self.tabs, 1)
        self.refresh()

    def tab_widgets(self) -> tuple[RegisterTab, ...]:
        return self.models_tab, self.schools_tab, self.providers_tab

    def refresh(self) -> None:
        """Read every register again (after a sync brought changes, or when the page is shown)."""
        for tab in self.tab_widgets():
            tab.load()

    def show_tab(self, key: str) -> None:
        if key in self.TAB_KEYS:
            self.tabs.setCurrentIndex(self.TAB_KEYS.index(key))


__all__ = ["ModelsTab", "ProvidersTab", "RegistriesPage", "SchoolsTab"]
