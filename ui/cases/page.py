"""The Cases page: search, filters, how many cases match, the list, and the case forms opened from it.

Hooks for the main window: `new_case_action` (Ctrl+N), `open_case_action`,
`find_action` (Ctrl+F), all in `menu_actions`; `new_case()`, `open_case(id)`;
`open_forms()`, `has_unsaved_forms()`, `close_forms()` for locking and logging out.
"""

from __future__ import annotations

import logging

from app.cases import CaseFilter
from app.errors import BinhAnError
from ui import tasks
from ui.cases.form import CaseForm
from ui.cases.list_model import CaseListModel
from ui.i18n import error_text, format_count, language
from ui.qt import (QAbstractItemView, QAction, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QKeySequence, QLabel,
                   QLineEdit, QMessageBox, QPushButton, Qt, QTableView, QTimer, QVBoxLayout, QWidget, Signal)

log = logging.getLogger(__name__)


class CasesPage(QWidget):
    #: Milliseconds of quiet typing before the search runs.
    SEARCH_DELAY_MS = 250

    #: A case was chosen (double-click or Enter); carries its id. The page opens it.
    case_activated = Signal(str)
    #: A case form was opened (new or stored); carries the form.
    form_opened = Signal(object)
    #: A form saved a case; carries its id (the list has been asked to reload).
    case_saved = Signal(str)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.model = CaseListModel(session, self)

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("caseSearch")
        self.search_edit.setClearButtonEnabled(True)
        if session.can("identity.read"):
            self.search_edit.setPlaceholderText(self.tr("Tìm theo mã hoặc tên (không cần dấu)…"))
        else:
            self.search_edit.setPlaceholderText(self.tr("Tìm theo mã vụ việc…"))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(self.SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.search_edit.returnPressed.connect(self.apply_search)

        self.count_label = QLabel()
        self.count_label.setObjectName("caseCount")

        self.table = QTableView()
        self.table.setObjectName("caseTable")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        # Fixed widths from the font, never from the contents: measuring contents would load every row.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        metrics = self.fontMetrics()
        # Wide enough for the header and a typical value; longer labels are elided, the tooltip has them whole.
        samples = {CaseListModel.CODE: "DEMO01W-0000-00000", CaseListModel.REPORTED: "00/00/0000",
                   CaseListModel.TYPE: "Bạo lực tâm lý, tinh thần", CaseListModel.STATUS: "Đang theo dõi, hỗ trợ",
                   CaseListModel.AGE_BAND: "Từ 61 tuổi", CaseListModel.NEXT_FOLLOW_UP: "00/00/0000"}
        for column, sample in samples.items():
            heading = self.model.headerData(column, Qt.Orientation.Horizontal) or ""
            width = max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(heading) + 24)
            self.table.setColumnWidth(column, width + 20)
        header.setSectionResizeMode(CaseListModel.SERVICES, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header.setSortIndicator(CaseListModel.REPORTED, Qt.SortOrder.DescendingOrder)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.sortIndicatorChanged.connect(self._sort_changed)
        self.table.activated.connect(self._activated)

        self._build_filters()
        self._build_actions()
        self._forms: dict[str, CaseForm] = {}
        self._new_forms: list[CaseForm] = []
        self.error_box: QMessageBox | None = None

        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addSpacing(12)
        top.addWidget(self.count_label)
        top.addSpacing(12)
        top.addWidget(self.new_case_button)

        filters = QHBoxLayout()
        filters.setSpacing(6)
        for caption, widget in ((self.status_caption, self.status_filter), (self.type_caption, self.type_filter),
                                (self.year_caption, self.year_filter)):
            filters.addWidget(caption)
            filters.addWidget(widget)
            filters.addSpacing(10)
        filters.addWidget(self.overdue_filter)
        filters.addSpacing(10)
        filters.addWidget(self.clear_filters_button)
        filters.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

        self.model.reloaded.connect(self._show_count)
        self.model.load_failed.connect(self._load_failed)
        self.model.reload()
        self.load_years()

    def _build_filters(self) -> None:
        lang = language()
        reference = self.session.reference
        self.status_filter = self._filter_combo("statusFilter", self.tr("Tất cả"),
                                                ((o.code, o.label(lang)) for o in reference["case_status"]))
        self.type_filter = self._filter_combo("typeFilter", self.tr("Tất cả"),
                                              ((o.code, o.label(lang)) for o in reference["violence_type"]))
        self.year_filter = self._filter_combo("yearFilter", self.tr("Tất cả"), ())
        self.year_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.status_caption = QLabel(self.tr("Trạng thái:"))
        self.status_caption.setBuddy(self.status_filter)
        self.type_caption = QLabel(self.tr("Loại bạo lực:"))
        self.type_caption.setBuddy(self.type_filter)
        self.year_caption = QLabel(self.tr("Năm tiếp nhận:"))
        self.year_caption.setBuddy(self.year_filter)
        self.overdue_filter = QCheckBox(self.tr("Chỉ vụ việc quá hạn theo dõi"))
        self.overdue_filter.setObjectName("overdueFilter")
        self.overdue_filter.toggled.connect(self.apply_filters)
        self.clear_filters_button = QPushButton(self.tr("Bỏ lọc"))
        self.clear_filters_button.setObjectName("clearFilters")
        self.clear_filters_button.clicked.connect(self.clear_filters)

    def _filter_combo(self, name: str, everything: str, entries) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.addItem(everything, None)
        for value, label in entries:
            combo.addItem(label, value)
        # Long labels are elided in the box and read whole in the popup and the tooltip.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(12)
        widest = max(combo.fontMetrics().horizontalAdvance(combo.itemText(i)) for i in range(combo.count()))
        combo.view().setMinimumWidth(widest + 40)
        combo.currentIndexChanged.connect(lambda index: combo.setToolTip(combo.itemText(index)))
        combo.currentIndexChanged.connect(self.apply_filters)
        return combo

    def _build_actions(self) -> None:
        may_write = self.session.can("case.write")
        self.new_case_action = QAction(self.tr("Vụ việc &mới"), self)
        self.new_case_action.setObjectName("newCaseAction")
        self.new_case_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_case_action.triggered.connect(self.new_case)
        self.new_case_action.setEnabled(may_write)
        self.new_case_action.setVisible(may_write)
        self.open_case_action = QAction(self.tr("&Mở vụ việc đang chọn"), self)
        self.open_case_action.setObjectName("openCaseAction")
        self.open_case_action.triggered.connect(self.open_selected)
        self.find_action = QAction(self.tr("&Tìm vụ việc"), self)
        self.find_action.setObjectName("findCaseAction")
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.focus_search)
        #: For the main window's menu. Their shortcuts work while the page has the focus; a window
        #: that wants them everywhere sets `setShortcutContext(Qt.ShortcutContext.WindowShortcut)`.
        self.menu_actions = [self.new_case_action, self.open_case_action, self.find_action]
        for action in self.menu_actions:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.new_case_button = QPushButton(self.tr("+ Vụ việc mới (Ctrl+N)"))
        self.new_case_button.setObjectName("newCaseButton")
        self.new_case_button.clicked.connect(self.new_case)
        self.new_case_button.setVisible(may_write)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self._yield_shortcuts_to_window()
        super().showEvent(event)

    def _yield_shortcuts_to_window(self) -> None:
        """Drop a page shortcut the window already has (its menu's Ctrl+N): two would cancel each other out."""
        window = self.window()
        if window is self:
            return
        taken = {action.shortcut().toString() for action in window.findChildren(QAction)
                 if action not in self.menu_actions and not action.shortcut().isEmpty()}
        for action in self.menu_actions:
            if action in self.actions() and action.shortcut().toString() in taken:
                self.removeAction(action)

    # --- searching and sorting ----------------------------------------------------------------
    def current_filter(self) -> CaseFilter:
        """What the search box and the filters above the list ask for now."""
        return CaseFilter(status=self.status_filter.currentData(), violence_type=self.type_filter.currentData(),
                          year=self.year_filter.currentData(), overdue=self.overdue_filter.isChecked(),
                          search=self.search_edit.text().strip())

    def apply_search(self) -> None:
        self._search_timer.stop()
        if self.search_edit.text().strip() == self.model.filter.search:
            return
        self.model.set_filter(self.current_filter())

    def apply_filters(self) -> None:
        self._search_timer.stop()
        flt = self.current_filter()
        if flt != self.model.filter:
            self.model.set_filter(flt)

    def clear_filters(self) -> None:
        for combo in (self.status_filter, self.type_filter, self.year_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.overdue_filter.blockSignals(True)
        self.overdue_filter.setChecked(False)
        self.overdue_filter.blockSignals(False)
        self.apply_filters()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def load_years(self) -> None:
        """Fill the year filter with the years that have cases (and this year), newest first."""
        cases = self.session.cases

        def years() -> list[int]:
            # this year is always offered, so a new case's year can be chosen before it exists
            return sorted(set(cases.years()) | {cases.today().year}, reverse=True)

        tasks.run_in_background(years, on_done=self._show_years, on_error=self._load_failed, owner=self)

    def _show_years(self, years: list[int]) -> None:
        chosen = self.year_filter.currentData()
        self.year_filter.blockSignals(True)
        while self.year_filter.count() > 1:
            self.year_filter.removeItem(1)
        for year in sorted(set(years) | ({chosen} if chosen else set()), reverse=True):
            self.year_filter.addItem(str(year), year)
        self.year_filter.setCurrentIndex(max(self.year_filter.findData(chosen), 0) if chosen else 0)
        self.year_filter.blockSignals(False)

    def _sort_changed(self, column: int, order) -> None:
        if column not in CaseListModel.SORT_KEYS:
            # Not sortable: put the arrow back where the list really is sorted.
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column(),
                                    Qt.SortOrder.DescendingOrder if self.model.descending
                                    else Qt.SortOrder.AscendingOrder)
            header.blockSignals(False)
            return
        self.model.sort(column, order)

    def _activated(self, index) -> None:
        case_id = self.model.case_id(index.row())
        if case_id:
            self.case_activated.emit(case_id)
            self.open_case(case_id)

    # --- case forms --------------------------------------------------------------------------------
    def open_selected(self) -> None:
        index = self.table.currentIndex()
        case_id = self.model.case_id(index.row()) if index.isValid() else None
        if case_id:
            self.open_case(case_id)

    def new_case(self) -> None:
        """Open an empty case form (for roles that may record cases)."""
        if not self.session.can("case.write"):
            return
        registries = self.session.registries
        tasks.run_in_background(lambda: (None,) + _pickers(registries),
                                on_done=lambda loaded: self._show_form(*loaded),
                                on_error=self._open_failed, owner=self)

    def open_case(self, case_id: str) -> None:
        """Open a stored case (facts only; identity waits for the form's "show identity").

        A case the person may not see gives the core's message, not a form.
        """
        form = self._forms.get(case_id)
        if form is not None:
            form.show()
            form.raise_()
            form.activateWindow()
            return
        cases, registries = self.session.cases, self.session.registries
        tasks.run_in_background(lambda: (cases.get(case_id),) + _pickers(registries),
                                on_done=lambda loaded: self._show_form(*loaded),
                                on_error=self._open_failed, owner=self)

    def _show_form(self, case: dict | None, providers: list, points: list) -> CaseForm:
        if case is not None and case["id"] in self._forms:
            form = self._forms[case["id"]]
        else:
            form = CaseForm(self.session, case, providers=providers, points=points, parent=self)
            form.saved.connect(self._form_saved)
            form.finished.connect(lambda _result, f=form: self._forget_form(f))
            if case is None:
                self._new_forms.append(form)
            else:
                self._forms[case["id"]] = form
        form.show()
        form.raise_()
        form.activateWindow()
        self.form_opened.emit(form)
        return form

    def _form_saved(self, case_id: str) -> None:
        form = self.sender()
        if isinstance(form, CaseForm) and form in self._new_forms:
            # A new case has its id now: opening it from the list finds this form.
            self._new_forms.remove(form)
            self._forms[case_id] = form
        self.model.reload()
        self.load_years()
        self.case_saved.emit(case_id)

    def _forget_form(self, form: CaseForm) -> None:
        if form in self._new_forms:
            self._new_forms.remove(form)
        for case_id, open_form in list(self._forms.items()):
            if open_form is form:
                del self._forms[case_id]

    def _open_failed(self, error: BaseException) -> None:
        if not isinstance(error, BinhAnError):
            log.error("opening a case failed: %s", type(error).__name__)
        box = QMessageBox(self)
        box.setObjectName("caseOpenError")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Không mở được vụ việc"))
        box.setText(error_text(error))
        box.setStandardButtons(QMessageBox.StandardButton.NoButton)
        box.addButton(self.tr("Đóng"), QMessageBox.ButtonRole.AcceptRole)
        box.finished.connect(box.deleteLater)
        self.error_box = box
        box.open()

    def open_forms(self) -> list[CaseForm]:
        """Every case form open now (the lock hides them; logging out closes them)."""
        return list(self._forms.values()) + list(self._new_forms)

    def has_unsaved_forms(self) -> bool:
        return any(form.is_dirty() for form in self.open_forms())

    def close_forms(self) -> None:
        """Close every form without asking (the caller has asked the person already, or must not wait)."""
        for form in self.open_forms():
            form.discard_and_close()

    # --- what the person sees ---------------------------------------------------------------------
    def _show_count(self, count: int) -> None:
        self.count_label.setStyleSheet("")
        self.count_label.setText(self.tr("{count} vụ việc", None, count).format(count=format_count(count)))

    def _load_failed(self, error: BaseException) -> None:
        self.count_label.setStyleSheet("color: #b00020;")
        self.count_label.setText(error_text(error))


def _pickers(registries) -> tuple[list, list]:
    """Providers and trusted-address points for the form's pickers; a refusal leaves them empty."""
    try:
        return registries.providers(), registries.models(kind="trusted_address")
    except BinhAnError:
        return [], []
