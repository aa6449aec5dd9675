"""The Activities page: search, filters by group, kind and year, how many match, the list, and the forms.

A record page (ui.widgets.record_page): what is particular here is the filters
(a group, then the kinds of that group, and the year), the note for roles that
may only read, and the Overview's "open the list behind this number".

Hooks for the main window: `new_activity_action` (Ctrl+N while the page has
the focus), `find_action` (Ctrl+F), both in `menu_actions`; `new_activity()`,
`open_activity(id)`, `show_filter(ActivityFilter)` (the Overview's "open the
list behind this number"), `refresh()`; `open_forms()`, `has_unsaved_forms()`,
`close_forms()` for locking and logging out.
"""

from __future__ import annotations

from typing import cast

from app.activities import ActivityFilter
from app.errors import BinhAnError
from ui import tasks
from ui.activities.form import ActivityForm
from ui.activities.list_model import ActivityListModel
from ui.i18n import format_count, language
from ui.qt import QComboBox, QLabel, QPushButton, Signal
from ui.widgets.record_page import RecordListPage, present, widen_popup


class ActivitiesPage(RecordListPage):
    NAMES = {"search": "activitySearch", "count": "activityCount", "table": "activityTable",
             "open_error": "activityOpenError"}
    #: How many years back the year filter looks for activities.
    YEARS_BACK = 10

    #: An activity form was opened (new or stored); carries the form.
    form_opened = Signal(object)
    #: A form saved or deleted an activity; carries its id (the list has been asked to reload).
    activity_saved = Signal(str)

    def __init__(self, session, parent=None):
        samples = {ActivityListModel.DATE: "00/00/0000", ActivityListModel.KIND: "Hội nghị tuyên truyền",
                   ActivityListModel.PARTICIPANTS: "000 000", ActivityListModel.FEMALE: "000 000",
                   ActivityListModel.TARGET_GROUPS: "Cộng đồng khu dân cư",
                   ActivityListModel.CAMPAIGNS: "Tháng hành động · 25/11"}
        super().__init__(session, ActivityListModel(session), parent, samples=samples,
                         stretch=ActivityListModel.TITLE,
                         numeric=(ActivityListModel.PARTICIPANTS, ActivityListModel.FEMALE),
                         placeholder=self.tr("Tìm theo tên hoạt động (không cần dấu)…"))
        self.table.setAccessibleName(self.tr("Danh sách hoạt động"))
        self._build_filters()
        may_write = session.can("activity.write")
        self.new_activity_action = self.build_actions(self.tr("Hoạt động &mới"), "newActivityAction",
                                                      self.new_activity, may_write, self.tr("&Tìm hoạt động"),
                                                      "findActivityAction")
        self.new_activity_button = QPushButton(self.tr("+ Hoạt động mới"))
        self.new_activity_button.setObjectName("newActivityButton")
        self.new_activity_button.clicked.connect(self.new_activity)
        self.new_activity_button.setVisible(may_write)

        self.read_only_note = QLabel(self.tr("Chỉ xem: vai trò của bạn không ghi được hoạt động."))
        self.read_only_note.setObjectName("activitiesReadOnly")
        self.read_only_note.setStyleSheet("color: #1f3b63;")
        self.read_only_note.setVisible(not may_write)

        self.lay_out(self.new_activity_button,
                     [(self.group_caption, self.group_filter), (self.kind_caption, self.kind_filter),
                      (self.year_caption, self.year_filter)], [], [self.read_only_note])
        self.model.reload()
        self.load_years()

    def _build_filters(self) -> None:
        lang = language()
        self.group_filter = self.filter_combo(
            "groupFilter", ((o.code, o.label(lang)) for o in self.session.reference["activity_group"]), shortest=16)
        self.kind_filter = self.filter_combo("kindFilter", (), shortest=16)
        self._fill_kinds()
        self.year_filter = self.filter_combo("yearFilter", (), shortest=16)
        self.year_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.group_filter.currentIndexChanged.connect(self._group_changed)
        self.group_caption = self.caption(self.tr("Nhóm:"), self.group_filter)
        self.kind_caption = self.caption(self.tr("Loại:"), self.kind_filter)
        self.year_caption = self.caption(self.tr("Năm:"), self.year_filter)

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
        widen_popup(self.kind_filter)
        self.kind_filter.blockSignals(False)

    def _group_changed(self) -> None:
        self._fill_kinds()
        self.apply_filters()

    # --- searching ----------------------------------------------------------------------------------------------
    def current_filter(self) -> ActivityFilter:
        return ActivityFilter(group=self.group_filter.currentData(), kind=self.kind_filter.currentData(),
                              year=self.year_filter.currentData(), search=self.search_edit.text().strip())

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

    def years_reader(self):
        activities, back = self.session.activities, self.YEARS_BACK

        def years() -> list[int]:
            this_year = activities.today().year
            return [year for year in range(this_year, this_year - back - 1, -1)
                    if year == this_year or activities.count(ActivityFilter(year=year))]

        return years

    # --- forms ----------------------------------------------------------------------------------------------
    def open_record(self, activity_id: str) -> None:
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
        if self.bring_forward(activity_id):
            return
        activities, registries = self.session.activities, self.session.registries
        tasks.run_in_background(
            lambda: (activities.get(activity_id), *_pickers(registries), activities.attachments(activity_id)),
            on_done=lambda loaded: self._show_form(*loaded), on_error=self._open_failed, owner=self)

    def _show_form(self, activity: dict | None, models: list, schools: list, attachments: list) -> ActivityForm:
        if activity is not None and activity["id"] in self._forms:
            form = cast(ActivityForm, self._forms[activity["id"]])  # this page keeps activity forms only
        else:
            form = ActivityForm(self.session, activity, models=models, schools=schools, attachments=attachments,
                                parent=self)
            form.saved.connect(self._form_saved)
            form.deleted.connect(self._form_saved)
            form.finished.connect(lambda _result, f=form: self._forget_form(f))
            self._forms[form.activity_id] = form
        present(form)
        self.form_opened.emit(form)
        return form

    def _form_saved(self, activity_id: str) -> None:
        self.model.reload()
        self.load_years()
        self.activity_saved.emit(activity_id)

    def _open_failed(self, error: BaseException) -> None:
        self.open_failed_box(error, self.tr("Không mở được hoạt động"))

    def count_text(self, count: int) -> str:
        return self.tr("{count} hoạt động", None, count).format(count=format_count(count))


def _pickers(registries) -> tuple[list, list]:
    """Models and schools for the form's pickers (deleted ones too, for old links); a refusal leaves them empty."""
    try:
        return registries.models(include_deleted=True), registries.schools(include_deleted=True)
    except BinhAnError:
        return [], []


__all__ = ["ActivitiesPage"]
