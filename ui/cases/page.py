"""The Cases page: a search box, how many cases match, and the read-only list."""

from __future__ import annotations

from app.cases import CaseFilter
from ui.cases.list_model import CaseListModel
from ui.i18n import error_text, format_count
from ui.qt import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, Qt, QTableView, QTimer,
                   QVBoxLayout, QWidget, Signal)


class CasesPage(QWidget):
    #: Milliseconds of quiet typing before the search runs.
    SEARCH_DELAY_MS = 250

    #: A case was chosen (double-click or Enter); carries its id. Nothing opens it yet.
    case_activated = Signal(str)

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
        samples = {CaseListModel.CODE: "XXXX-0000-00000", CaseListModel.REPORTED: "00/00/0000",
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

        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addSpacing(12)
        top.addWidget(self.count_label)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

        self.model.reloaded.connect(self._show_count)
        self.model.load_failed.connect(self._load_failed)
        self.model.reload()

    # --- searching and sorting ----------------------------------------------------------------
    def apply_search(self) -> None:
        self._search_timer.stop()
        text = self.search_edit.text().strip()
        if text == self.model.filter.search:
            return
        flt = self.model.filter
        self.model.set_filter(CaseFilter(status=flt.status, violence_type=flt.violence_type, year=flt.year,
                                         overdue=flt.overdue, search=text))

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

    # --- what the person sees ---------------------------------------------------------------------
    def _show_count(self, count: int) -> None:
        self.count_label.setStyleSheet("")
        self.count_label.setText(self.tr("{count} vụ việc", None, count).format(count=format_count(count)))

    def _load_failed(self, error: BaseException) -> None:
        self.count_label.setStyleSheet("color: #b00020;")
        self.count_label.setText(error_text(error))
