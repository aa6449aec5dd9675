"""The Activities page: search, filters by group, kind and year, how many match, the list, and the forms.

Hooks for the main window: `new_activity_action` (Ctrl+N while the page has
the focus), `find_action` (Ctrl+F), both in `menu_actions`; `new_activity()`,
`open_activity(id)`, `show_filter(ActivityFilter)` (the Overview's "open the
list behind this number"), `refresh()`; `open_forms()`, `has_unsaved_forms()`,
`close_forms()` for locking and logging out.
"""

from __future__ import annotations

import logging

from app.activities import ActivityFilter
from app.errors import BinhAnError
from ui import tasks
from ui.activities.form import ActivityForm
from ui.activities.list_model import ActivityListModel
from ui.i18n import error_text, format_count, language
from ui.qt import (QAbstractItemView, QAction, QComboBox, QHBoxLayout, QHeaderView, QKeySequence, QLabel, QLineEdit,
                   QMessageBox, QPushButton, Qt, QTableView, QTimer, QVBoxLayout, QWidget, Signal)

log = logging.getLogger(__name__)


class ActivitiesPage(QWidget):
    #: Milliseconds of quiet typing before the search runs.
    SEARCH_DELAY_MS = 250
    #: How many years back the year filter looks for activities.
    YEARS_BACK = 10

    #: An activity form was opened (new or stored); carries the form.
    form_opened = Signal(object)
    #: A form saved or deleted an activity; carries its id (the list has been asked to reload).
    activity_saved = Signal(str)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.model = ActivityListModel(session, self)

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("activitySearch")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(self.tr("Tìm theo tên hoạt động (không cần dấu)…"))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(self.SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.search_edit.returnPressed.connect(self.apply_search)

        self.count_label = QLabel()
        self.count_label.setObjectName("activityCount")

        self.table = QTableView()
        self.table.setObjectName("activityTable")
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
        samples = {ActivityListModel.DATE: "00/00/0000", ActivityListModel.KIND: "Hội nghị tuyên truyền",
                   ActivityListModel.PARTICIPANTS: "000 000", ActivityListModel.FEMALE: "000 000",
                   ActivityListModel.TARGET_GROUPS: "Cộng đồng khu dân cư",
                   ActivityListModel.CAMPAIGNS: "Tháng hành động · 25/11"}
        numeric = (ActivityListModel.PARTICIPANTS, ActivityListModel.FEMALE)
        for column, sample in samples.items():
            heading = self.model.headerData(column, Qt.Orientation.Horizontal) or ""
            # Room for the sort arrow beside the heading; numbers need less than words.
            width = max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(heading) + 20)
            self.table.setColumnWidth(column, width + (10 if column in numeric else 20))
        header.setSectionResizeMode(ActivityListModel.TITLE, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(metrics.height() + 10)
        header.setSortIndicator(ActivityListModel.DATE, Qt.SortOrder.DescendingOrder)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.sortIndicatorChanged.connect(self._sort_changed)
        self.table.activated.connect(self._activated)

        self._build_filters()
        self._build_actions()
        self._forms: dict[str, ActivityForm] = {}
        self.error_box: QMessageBox | None = None

        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addSpacing(12)
        top.addWidget(self.count_label)
        top.addSpacing(12)
        top.addWidget(self.new_activity_button)

        filters = QHBoxLayout()
        filters.setSpacing(6)
        for caption, widget in ((self.group_caption, self.group_filter), (self.kind_caption, self.kind_filter),
                                (self.year_caption, self.year_filter)):
            filters.addWidget(caption)
            filters.addWidget(widget)
            filters.addSpacing(10)
        filters.addWidget(self.clear_filters_button)
        filters.addStretch(1)

        self.read_only_note = QLabel(self.tr("Chỉ xem: vai trò của bạn không ghi được hoạt động."))
        self.read_only_note.setObjectName("activitiesReadOnly")
        self.read_only_note.setStyleSheet("color: #1f3b63;")
        self.read_only_note.setVisible(not session.can("activity.write"))

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.read_only_note)
        layout.addWidget(self.table, 1)

        self.model.reloaded.connect(self._show_count)
        self.model.load_failed.connect(self._load_failed)
        self.model.reload()
        self.load_years()

    def _build_filters(self) -> None:
        lang = language()
        reference = self.session.reference
        self.group_filter = self._filter_combo("groupFilter", self.tr("Tất cả"),
                                               ((o.code, o.label(lang)) for o in reference["activity_group"]))
        self.kind_filter = self._filter_combo("kindFilter", self.tr("Tất cả"), ())
        self._fill_kinds()
        self.year_filter = self._filter_combo("yearFilter", self.tr("Tất cả"), ())
        self.year_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.group_filter.currentIndexChanged.connect(self._group_changed)
        self.group_caption = QLabel(self.tr("Nhóm:"))
        self.group_caption.setBuddy(self.group_filter)
        self.kind_caption = QLabel(self.tr("Loại:"))
        self.kind_caption.setBuddy(self.kind_filter)
        self.year_caption = QLabel(self.tr("Năm:"))
        self.year_caption.setBuddy(self.year_filter)
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
        combo.setMinimumContentsLength(16)
        self._widen_popup(combo)
        combo.currentIndexChanged.connect(lambda index: combo.setToolTip(combo.itemText(index)))
        combo.currentIndexChanged.connect(self.apply_filters)
        return combo

    @staticmethod
    def _widen_popup(combo: QComboBox) -> None:
        widest = max(combo.fontMetrics().horizontalAdvance(combo.itemText(i)) for i in range(combo.count()))
        combo.view().setMinimumWidth(widest + 40)

    def _fill_kinds(self) -> None:
        """The kind filter offers the kinds of the chosen group (every kind when no group is chosen)."""
        lang = language()
        group = self.group_filter.currentData()
        chosen = self.kind_filter.currentData()
        self.kind_filter.blockSignals(True)
        while self.kind_filter.count() > 1:
            self.kind_filter.removeItem(1)
        for option in self.session.reference["activity_kind"]:
            if group is None or option.get("group") == group:
                self.kind_filter.addItem(option.label(lang), option.code)
        self.kind_filter.setCurrentIndex(max(self.kind_filter.findData(chosen), 0) if chosen else 0)
        self._widen_popup(self.kind_filter)
        self.kind_filter.blockSignals(False)

    def _group_changed(self) -> None:
        self._fill_kinds()
        self.apply_filters()

    def _build_actions(self) -> None:
        may_write = self.session.can("activity.write")
        self.new_activity_action = QAction(self.tr("Hoạt động &mới"), self)
        self.new_activity_action.setObjectName("newActivityAction")
        self.new_activity_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_activity_action.triggered.connect(self.new_activity)
        self.new_activity_action.setEnabled(may_write)
        self.new_activity_action.setVisible(may_write)
        self.find_action = QAction(self.tr("&Tìm hoạt động"), self)
        self.find_action.setObjectName("findActivityAction")
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.focus_search)
        #: For the main window's menu; their shortcuts work while the page has the focus.
        self.menu_actions = [self.new_activity_action, self.find_action]
        for action in self.menu_actions:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.new_activity_button = QPushButton(self.tr("+ Hoạt động mới"))
        self.new_activity_button.setObjectName("newActivityButton")
        self.new_activity_button.clicked.connect(self.new_activity)
        self.new_activity_button.setVisible(may_write)

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
    def current_filter(self) -> ActivityFilter:
        """What the search box and the filters above the list ask for now."""
        return ActivityFilter(group=self.group_filter.currentData(), kind=self.kind_filter.currentData(),
                              year=self.year_filter.currentData(), search=self.search_edit.text().strip())

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

    def show_filter(self, flt: ActivityFilter) -> None:
        """Show the list `flt` asks for, with the search box and the filters saying so (from the Overview)."""
        widgets = (self.group_filter, self.kind_filter, self.year_filter, self.search_edit)
        for widget in widgets:
            widget.blockSignals(True)
        self.group_filter.setCurrentIndex(max(self.group_filter.findData(flt.group), 0) if flt.group else 0)
        self._fill_kinds()
        self.kind_filter.setCurrentIndex(max(self.kind_filter.findData(flt.kind), 0) if flt.kind else 0)
        if flt.year and self.year_filter.findData(flt.year) < 0:
            self.year_filter.addItem(str(flt.year), flt.year)
        self.year_filter.setCurrentIndex(max(self.year_filter.findData(flt.year), 0) if flt.year else 0)
        self.search_edit.setText(flt.search)
        for widget in widgets:
            widget.blockSignals(False)
        self._search_timer.stop()
        self.model.set_filter(self.current_filter())

    def clear_filters(self) -> None:
        self.show_filter(ActivityFilter(search=self.search_edit.text().strip()))

    def refresh(self) -> None:
        """Read the list and the years again (the window calls it when the page is shown after a sync)."""
        self.model.reload()
        self.load_years()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def load_years(self) -> None:
        """Fill the year filter with the years that have activities (and this year), newest first."""
        activities = self.session.activities

        def years() -> list[int]:
            this_year = activities.today().year
            return [year for year in range(this_year, this_year - self.YEARS_BACK - 1, -1)
                    if year == this_year or activities.count(ActivityFilter(year=year))]

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
        if column not in ActivityListModel.SORT_KEYS:
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
        activity_id = self.model.activity_id(index.row())
        if activity_id:
            self.open_activity(activity_id)

    # --- forms ----------------------------------------------------------------------------------------------
    def open_selected(self) -> None:
        index = self.table.currentIndex()
        activity_id = self.model.activity_id(index.row()) if index.isValid() else None
        if activity_id:
            self.open_activity(activity_id)

    def new_activity(self) -> None:
        """Open an empty activity form (for roles that may record activities)."""
        if not self.session.can("activity.write"):
            return
        registries = self.session.registries
        tasks.run_in_background(lambda: (None, *_pickers(registries), []),
                                on_done=lambda loaded: self._show_form(*loaded),
                                on_error=self._open_failed, owner=self)

    def open_activity(self, activity_id: str) -> None:
        """Open a stored activity (read-only for roles that may not record activities)."""
        form = self._forms.get(activity_id)
        if form is not None:
            form.show()
            form.raise_()
            form.activateWindow()
            return
        activities, registries = self.session.activities, self.session.registries
        tasks.run_in_background(
            lambda: (activities.get(activity_id), *_pickers(registries), activities.attachments(activity_id)),
            on_done=lambda loaded: self._show_form(*loaded), on_error=self._open_failed, owner=self)

    def _show_form(self, activity: dict | None, models: list, schools: list, attachments: list) -> ActivityForm:
        if activity is not None and activity["id"] in self._forms:
            form = self._forms[activity["id"]]
        else:
            form = ActivityForm(self.session, activity, models=models, schools=schools, attachments=attachments,
                                parent=self)
            form.saved.connect(self._form_saved)
            form.deleted.connect(self._form_saved)
            form.finished.connect(lambda _result, f=form: self._forget_form(f))
            self._forms[form.activity_id] = form
        form.show()
        form.raise_()
        form.activateWindow()
        self.form_opened.emit(form)
        return form

    def _form_saved(self, activity_id: str) -> None:
        self.model.reload()
        self.load_years()
        self.activity_saved.emit(activity_id)

    def _forget_form(self, form: ActivityForm) -> None:
        for activity_id, open_form in list(self._forms.items()):
            if open_form is form:
                del self._forms[activity_id]

    def _open_failed(self, error: BaseException) -> None:
        if not isinstance(error, BinhAnError):
            log.error("opening an activity failed: %s", type(error).__name__)
        box = QMessageBox(self)
        box.setObjectName("activityOpenError")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Không mở được hoạt động"))
        box.setText(error_text(error))
        box.setStandardButtons(QMessageBox.StandardButton.NoButton)
        box.addButton(self.tr("Đóng"), QMessageBox.ButtonRole.AcceptRole)
        box.finished.connect(box.deleteLater)
        self.error_box = box
        box.open()

    def open_forms(self) -> list[ActivityForm]:
        """Every activity form open now (the lock hides them; logging out closes them)."""
        return list(self._forms.values())

    def has_unsaved_forms(self) -> bool:
        return any(form.is_dirty() for form in self.open_forms())

    def close_forms(self) -> None:
        """Close every form without asking (the caller has asked the person already, or must not wait)."""
        for form in self.open_forms():
            form.discard_and_close()

    # --- what the person sees ---------------------------------------------------------------------
    def _show_count(self, count: int) -> None:
        self.count_label.setStyleSheet("")
        self.count_label.setText(self.tr("{count} hoạt động", None, count).format(count=format_count(count)))

    def _load_failed(self, error: BaseException) -> None:
        self.count_label.setStyleSheet("color: #b00020;")
        self.count_label.setText(error_text(error))


def _pickers(registries) -> tuple[list, list]:
    """Models and schools for the form's pickers (deleted ones too, for old links); a refusal leaves them empty."""
    try:
        return registries.models(include_deleted=True), registries.schools(include_deleted=True)
    except BinhAnError:
        return [], []


__all__ = ["ActivitiesPage"]
