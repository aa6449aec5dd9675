"""The Cases page: search, filters, how many cases match, the list, and the case forms opened from it.

A record page (ui.widgets.record_page): what is particular here is the filters
(status, type of violence, year, overdue), the search box's words (names only
for roles that may read identities), and new cases, whose form gets its id when
first saved.

Hooks for the main window: `new_case_action` (Ctrl+N), `open_case_action`,
`find_action` (Ctrl+F), all in `menu_actions`; `new_case()`, `open_case(id)`;
`open_forms()`, `has_unsaved_forms()`, `close_forms()` for locking and logging out.
"""

from __future__ import annotations

from typing import cast

from app.cases import CaseFilter
from app.errors import BinhAnError
from ui import tasks
from ui.cases.form import CaseForm
from ui.cases.list_model import CaseListModel
from ui.i18n import format_count, language
from ui.qt import QAction, QCheckBox, QComboBox, QPushButton, Signal
from ui.widgets.record_page import RecordListPage, present


class CasesPage(RecordListPage):
    NAMES = {"search": "caseSearch", "count": "caseCount", "table": "caseTable", "open_error": "caseOpenError"}

    #: A case was chosen (double-click or Enter); carries its id. The page opens it.
    case_activated = Signal(str)
    #: A case form was opened (new or stored); carries the form.
    form_opened = Signal(object)
    #: A form saved a case; carries its id (the list has been asked to reload).
    case_saved = Signal(str)

    def __init__(self, session, parent=None):
        placeholder = (self.tr("Tìm theo mã hoặc tên (không cần dấu)…") if session.can("identity.read")
                       else self.tr("Tìm theo mã vụ việc…"))
        # Wide enough for the header and a typical value; longer labels are elided, the tooltip has them whole.
        samples = {CaseListModel.CODE: "DEMO01W-0000-00000", CaseListModel.REPORTED: "00/00/0000",
                   CaseListModel.TYPE: "Bạo lực tâm lý, tinh thần", CaseListModel.STATUS: "Đang theo dõi, hỗ trợ",
                   CaseListModel.AGE_BAND: "Từ 61 tuổi", CaseListModel.NEXT_FOLLOW_UP: "00/00/0000"}
        super().__init__(session, CaseListModel(session), parent, samples=samples, stretch=CaseListModel.SERVICES,
                         placeholder=placeholder)
        self._new_forms: list[CaseForm] = []
        self.table.setAccessibleName(self.tr("Danh sách vụ việc"))
        self._build_filters()
        self._build_actions()
        self.lay_out(self.new_case_button,
                     [(self.status_caption, self.status_filter), (self.type_caption, self.type_filter),
                      (self.year_caption, self.year_filter)],
                     [self.overdue_filter, self.due_filter])
        self.model.reload()
        self.load_years()

    def _build_filters(self) -> None:
        lang = language()
        reference = self.session.reference
        self.status_filter = self.filter_combo("statusFilter",
                                               ((o.code, o.label(lang)) for o in reference["case_status"]))
        self.type_filter = self.filter_combo("typeFilter",
                                             ((o.code, o.label(lang)) for o in reference["violence_type"]))
        self.year_filter = self.filter_combo("yearFilter", ())
        self.year_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.status_caption = self.caption(self.tr("Trạng thái:"), self.status_filter)
        self.type_caption = self.caption(self.tr("Loại bạo lực:"), self.type_filter)
        self.year_caption = self.caption(self.tr("Năm tiếp nhận:"), self.year_filter)
        self.overdue_filter = QCheckBox(self.tr("Chỉ vụ việc quá hạn theo dõi"))
        self.overdue_filter.setObjectName("overdueFilter")
        self.overdue_filter.toggled.connect(self.apply_filters)
        self.due_filter = QCheckBox(self.tr("Chỉ vụ việc có việc đến hạn của tôi"))
        self.due_filter.setObjectName("dueFilter")
        self.due_filter.toggled.connect(self.apply_filters)

    def _build_actions(self) -> None:
        may_write = self.session.can("case.write")
        self.open_case_action = QAction(self.tr("&Mở vụ việc đang chọn"), self)
        self.open_case_action.setObjectName("openCaseAction")
        self.open_case_action.triggered.connect(self.open_selected)
        self.new_case_action = self.build_actions(self.tr("Vụ việc &mới"), "newCaseAction", self.new_case,
                                                  may_write, self.tr("&Tìm vụ việc"), "findCaseAction",
                                                  [self.open_case_action])
        self.new_case_button = QPushButton(self.tr("+ Vụ việc mới (Ctrl+N)"))
        self.new_case_button.setObjectName("newCaseButton")
        self.new_case_button.clicked.connect(self.new_case)
        self.new_case_button.setVisible(may_write)

    # --- searching ----------------------------------------------------------------------------------------------
    def current_filter(self) -> CaseFilter:
        return CaseFilter(status=self.status_filter.currentData(), violence_type=self.type_filter.currentData(),
                          year=self.year_filter.currentData(), overdue=self.overdue_filter.isChecked(),
                          due=self.due_filter.isChecked(), search=self.search_edit.text().strip())

    def clear_filters(self) -> None:
        for widget in (self.status_filter, self.type_filter, self.year_filter, self.overdue_filter, self.due_filter):
            widget.blockSignals(True)
        for combo in (self.status_filter, self.type_filter, self.year_filter):
            combo.setCurrentIndex(0)
        self.overdue_filter.setChecked(False)
        self.due_filter.setChecked(False)
        for widget in (self.status_filter, self.type_filter, self.year_filter, self.overdue_filter, self.due_filter):
            widget.blockSignals(False)
        self.apply_filters()

    def years_reader(self):
        cases = self.session.cases
        # this year is always offered, so a new case's year can be chosen before it exists
        return lambda: sorted(set(cases.years()) | {cases.today().year}, reverse=True)

    # --- case forms ------------------------------------------------------------------------------------------
    def open_record(self, case_id: str) -> None:
        self.case_activated.emit(case_id)
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
        if self.bring_forward(case_id):
            return
        cases, registries = self.session.cases, self.session.registries
        tasks.run_in_background(lambda: (cases.get(case_id),) + _pickers(registries),
                                on_done=lambda loaded: self._show_form(*loaded),
                                on_error=self._open_failed, owner=self)

    def _show_form(self, case: dict | None, providers: list, points: list) -> CaseForm:
        if case is not None and case["id"] in self._forms:
            form = cast(CaseForm, self._forms[case["id"]])  # this page keeps case forms only
        else:
            form = CaseForm(self.session, case, providers=providers, points=points, parent=self)
            form.saved.connect(self._form_saved)
            form.finished.connect(lambda _result, f=form: self._forget_form(f))
            if case is None:
                self._new_forms.append(form)
            else:
                self._forms[case["id"]] = form
        present(form)
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
        super()._forget_form(form)

    def _open_failed(self, error: BaseException) -> None:
        self.open_failed_box(error, self.tr("Không mở được vụ việc"))

    def open_forms(self) -> list[CaseForm]:
        """Every case form open now, new ones too (the lock hides them; logging out closes them)."""
        return super().open_forms() + list(self._new_forms)

    def count_text(self, count: int) -> str:
        return self.tr("{count} vụ việc", None, count).format(count=format_count(count))


def _pickers(registries) -> tuple[list, list]:
    """Providers and trusted-address points for the form's pickers; a refusal leaves them empty."""
    try:
        return registries.providers(), registries.models(kind="trusted_address")
    except BinhAnError:
        return [], []
