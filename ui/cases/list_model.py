"""The case list: a record list (ui.widgets.record_list) of cases, newest reported first.

Identities are never in these rows: `session.cases.rows` returns facts only. A
list of 200 000 cases shows its first page at once: the first page's ids are
read first, then all of them (appended below, the view does not jump).
"""

from __future__ import annotations

from collections.abc import Sequence

from app.cases import CaseFilter
from ui import style, tasks
from ui.i18n import format_date, language
from ui.qt import QBrush, QColor
from ui.widgets.record_list import PackedIds, RecordListModel

OVERDUE_COLOUR = QColor(style.ERROR)  # with a sign before the date: never the colour alone


class CaseListModel(RecordListModel):
    CODE, REPORTED, TYPE, STATUS, AGE_BAND, SERVICES, NEXT_FOLLOW_UP = range(7)
    COLUMN_COUNT = 7

    SORT_KEYS = {CODE: "code", REPORTED: "reported_on", TYPE: "violence_type", STATUS: "status",
                 AGE_BAND: "survivor_age_band", NEXT_FOLLOW_UP: "next_follow_up"}

    def __init__(self, session, parent=None):
        super().__init__(session, CaseFilter(), "reported_on", parent)
        self._today = session.cases.today()
        self._labels = {name: session.reference[name] for name in
                        ("violence_type", "case_status", "age_band", "service")}
        self._lang = language()

    # --- loading -----------------------------------------------------------------------------
    def reload(self) -> None:
        """The first page's ids, then all of them (in the background); rows follow on demand."""
        self._generation += 1
        self.loading.emit()
        generation = self._generation
        cases, flt, order, descending = self.session.cases, self.filter, self.order, self.descending
        tasks.run_in_background(lambda: cases.ids(flt, order=order, descending=descending, limit=self.PAGE_SIZE),
                                on_done=lambda ids: self._set_first_ids(generation, ids),
                                on_error=self.load_failed.emit, owner=self)
        tasks.run_in_background(lambda: self.read_ids(flt, order, descending),
                                on_done=lambda ids: self._set_ids(generation, ids, extend=True),
                                on_error=self.load_failed.emit, owner=self)

    def _set_first_ids(self, generation: int, ids: list[str]) -> None:
        if generation == self._generation:
            self._reset_to(ids)

    def read_ids(self, flt, order: str, descending: bool) -> Sequence[str]:
        return PackedIds.of(self.session.cases.ids(flt, order=order, descending=descending))

    def fetch(self, ids: list[str]) -> dict[str, dict]:
        # A case deleted or moved out of scope since the ids were read has no row.
        return {r["id"]: r for r in self.session.cases.rows(ids)}

    def reset_done(self) -> None:
        self._today = self.session.cases.today()

    def case_id(self, row: int) -> str | None:
        return self.record_id(row)

    def is_overdue(self, case: dict) -> bool:
        due = case.get("next_follow_up")
        return case.get("status") == "open" and bool(due) and due < self._today.isoformat()

    # --- cells ----------------------------------------------------------------------------------
    def headers(self) -> dict[int, str]:
        return {
            self.CODE: self.tr("Mã vụ việc"),
            self.REPORTED: self.tr("Ngày tiếp nhận"),
            self.TYPE: self.tr("Loại bạo lực"),
            self.STATUS: self.tr("Trạng thái"),
            self.AGE_BAND: self.tr("Nhóm tuổi"),
            self.SERVICES: self.tr("Dịch vụ hỗ trợ"),
            self.NEXT_FOLLOW_UP: self.tr("Theo dõi tiếp"),
        }

    def foreground(self, case: dict, column: int):
        if column == self.NEXT_FOLLOW_UP and self.is_overdue(case):
            return QBrush(OVERDUE_COLOUR)
        return None

    def tooltip(self, case: dict, column: int) -> str | None:
        if column == self.NEXT_FOLLOW_UP and self.is_overdue(case):
            return self.tr("Quá hạn theo dõi")
        return super().tooltip(case, column)

    def display(self, case: dict, column: int) -> str:
        if column == self.CODE:
            return case["code"]
        if column == self.REPORTED:
            return format_date(case["reported_on"])
        if column == self.TYPE:
            return self._label("violence_type", case["violence_type"])
        if column == self.STATUS:
            return self._label("case_status", case["status"])
        if column == self.AGE_BAND:
            return self._label("age_band", case["survivor_age_band"])
        if column == self.SERVICES:
            return self._services(case)
        if column == self.NEXT_FOLLOW_UP:
            shown = format_date(case["next_follow_up"])
            return f"{style.WARNING_SIGN} {shown}" if self.is_overdue(case) else shown
        return ""

    def _label(self, list_name: str, code: str | None) -> str:
        return self._labels[list_name].label(code, self._lang) if code else ""

    def _services(self, case: dict) -> str:
        codes = [c for c in (case.get("services") or "").split(",") if c]
        # A service given twice is listed once.
        return ", ".join(self._label("service", c) for c in dict.fromkeys(codes))


__all__ = ["CaseListModel", "OVERDUE_COLOUR", "PackedIds"]
