"""A small read-only table model over a list of rows, for lists of tens or hundreds of rows.

    columns = [Column(tr("Mã"), lambda row: row["code"]),
               Column(tr("Gói gần nhất"), lambda row: format_time(row["last_package_at"]))]
    model = RowsModel(columns, tone=lambda row: "late" if row["late"] else None)
    model.set_rows(rows)

Long lists that grow without bound use their own model that fetches on demand
(see ui/cases/list_model.py); these hold what the core returns, already limited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ui.qt import QAbstractItemView, QAbstractTableModel, QBrush, QColor, QHeaderView, QModelIndex, Qt, QTableView

#: Row tones: text colour for a row that needs attention, or is done.
TONES = {"bad": "#a11d12", "good": "#1b6b34", "warn": "#8a5a00", "muted": "#666666"}


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[Any], object]  # a row: a dict, or a record such as a BackupInfo
    tooltip: Callable[[Any], str | None] | None = None
    align_right: bool = False


class RowsModel(QAbstractTableModel):
    def __init__(self, columns: list[Column], parent=None, *, tone: Callable[[Any], str | None] | None = None):
        super().__init__(parent)
        self.columns = columns
        self.rows: list[dict] = []
        self._tone = tone

    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = column.value(row)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.tooltip is not None:
                return column.tooltip(row)
            value = column.value(row)
            return None if value in (None, "") else str(value)
        if role == Qt.ItemDataRole.ForegroundRole and self._tone is not None:
            tone = self._tone(row)
            return QBrush(QColor(TONES[tone])) if tone in TONES else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt's name
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None

    def cell(self, row: int, column: int) -> str:
        """What the person reads in one cell (tests, copying)."""
        return self.data(self.index(row, column)) or ""


def read_only_list(view: QTableView, name: str, model) -> QTableView:
    """`view` set up as every list of the window is: whole rows chosen one at a time, read only, one line a row,
    columns the person may widen (never sized from the contents: that would read every row)."""
    view.setObjectName(name)
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(False)
    return view


def rows_view(model: RowsModel, name: str, *, widths: dict[int, str] | None = None, stretch: int | None = None
              ) -> QTableView:
    """A read-only table over `model`; `widths` gives sample texts that size columns (column -> sample)."""
    view = read_only_list(QTableView(), name, model)
    header = view.horizontalHeader()
    header.setStretchLastSection(stretch is None)
    metrics = view.fontMetrics()
    for column, sample in (widths or {}).items():
        heading = model.headerData(column, Qt.Orientation.Horizontal) or ""
        view.setColumnWidth(column, max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(heading) + 16)
                            + 20)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view
