"""The case list as a Qt table model that holds ids only and fetches rows a page at a time.

With 200 000 cases the model keeps 200 000 ids, packed into one bytes object
(`PackedIds`: 7 MB, where a list of Python strings takes about 20 MB; the activity
list packs its ids the same way), and asks
the core for the rows of a page only when the view shows one of them; a few
recent pages are cached. `sort()` and a new filter ask the core for the ids again.
Identities are never in these rows: `session.cases.rows` returns facts only.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence

from app.cases import CaseFilter
from app.errors import BinhAnError
from ui import tasks
from ui.i18n import format_date, language
from ui.qt import QAbstractTableModel, QBrush, QColor, QModelIndex, Qt, Signal

OVERDUE_COLOUR = QColor("#c62828")


class PackedIds(Sequence):
    """Ids of one width (uuids) packed end to end in one bytes object (or bytearray); reads like a list of str."""

    __slots__ = ("_data", "_width", "_count")

    def __init__(self, data: bytes | bytearray, width: int):
        self._data, self._width = data, width
        self._count = len(data) // width if width else 0

    @classmethod
    def of(cls, ids: list[str]) -> Sequence[str]:
        """`ids` packed, or the list itself when they are not all ASCII of one width (nothing is lost)."""
        if not ids:
            return ids
        width = len(ids[0])
        if width == 0 or any(len(i) != width or not i.isascii() for i in ids):
            return ids
        return cls("".join(ids).encode("ascii"), width)  # one str, then its bytes: no object an id on the way

    @classmethod
    def of_batches(cls, batches: Iterable[list[str]]) -> Sequence[str]:
        """`of` for ids that come a slice at a time: only one slice is ever a list of str, so loading them
        never holds every id as a str as well as packed (a province's 400 000 activity ids: ~35 MB)."""
        data, width, plain = bytearray(), 0, None
        for batch in batches:
            if plain is not None:
                plain.extend(batch)
                continue
            if not batch:
                continue
            width = width or len(batch[0])
            text = "".join(batch)
            if width and text.isascii() and all(len(i) == width for i in batch):
                data += text.encode("ascii")
            else:  # not all of one width after all: a plain list, nothing lost
                plain = (list(cls(data, width)) if data else []) + list(batch)
        if plain is not None:
            return plain
        return cls(data, width) if data else []

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        width = self._width
        if isinstance(index, slice):
            start, stop, step = index.indices(self._count)
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            chunk = self._data[start * width:max(start, stop) * width].decode("ascii")
            return [chunk[i:i + width] for i in range(0, len(chunk), width)]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("id index out of range")
        return self._data[index * width:(index + 1) * width].decode("ascii")

    def index(self, value, start: int = 0, stop: int | None = None) -> int:
        """The position of id `value` (ValueError when absent), found in the bytes, not id by id."""
        width = self._width
        stop = self._count if stop is None else min(stop, self._count)
        if not isinstance(value, str) or len(value) != width or not value.isascii():
            raise ValueError(f"{value!r} is not in the list")
        needle, at = value.encode("ascii"), start * width
        while (at := self._data.find(needle, at, stop * width)) >= 0:
            if at % width == 0:
                return at // width
            at += 1
        raise ValueError(f"{value!r} is not in the list")


def _same_start(ids: Sequence[str], shown: Sequence[str]) -> bool:
    """True when `ids` begins with exactly the ids in `shown`."""
    count = len(shown)
    if len(ids) < count:
        return False
    if isinstance(ids, PackedIds) and isinstance(shown, PackedIds) and ids._width == shown._width:
        return ids._data[:count * ids._width] == shown._data
    return list(ids[:count]) == list(shown)


class CaseListModel(QAbstractTableModel):
    CODE, REPORTED, TYPE, STATUS, AGE_BAND, SERVICES, NEXT_FOLLOW_UP = range(7)
    COLUMN_COUNT = 7
    PAGE_SIZE = 200
    CACHED_PAGES = 8

    # The core's sort keys; a column missing here is not sortable.
    SORT_KEYS = {CODE: "code", REPORTED: "reported_on", TYPE: "violence_type", STATUS: "status",
                 AGE_BAND: "survivor_age_band", NEXT_FOLLOW_UP: "next_follow_up"}

    #: Ids were (re)loaded; carries how many cases match.
    reloaded = Signal(int)
    #: Loading ids failed; carries the exception (the page shows its message).
    load_failed = Signal(object)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.filter = CaseFilter()
        self.order = "reported_on"
        self.descending = True
        self._ids: Sequence[str] = []
        self._pages: OrderedDict[int, dict[str, dict]] = OrderedDict()
        self._generation = 0
        self._today = session.cases.today()
        self._labels = {name: session.reference[name] for name in
                        ("violence_type", "case_status", "age_band", "service")}
        self._lang = language()

    # --- loading -----------------------------------------------------------------------------
    def set_filter(self, flt: CaseFilter) -> None:
        self.filter = flt
        self.reload()

    def reload(self) -> None:
        """Ask the core for the matching ids again (in the background); rows follow on demand.

        Two steps, so a list of 200 000 cases shows its first page at once: the first
        page's ids, then all of them (appended below, the view does not jump).
        """
        self._generation += 1
        generation = self._generation
        cases, flt, order, descending = self.session.cases, self.filter, self.order, self.descending
        tasks.run_in_background(lambda: cases.ids(flt, order=order, descending=descending, limit=self.PAGE_SIZE),
                                on_done=lambda ids: self._set_first_ids(generation, ids),
                                on_error=self.load_failed.emit, owner=self)
        tasks.run_in_background(lambda: PackedIds.of(cases.ids(flt, order=order, descending=descending)),
                                on_done=lambda ids: self._set_ids(generation, ids),
                                on_error=self.load_failed.emit, owner=self)

    def _set_first_ids(self, generation: int, ids: list[str]) -> None:
        if generation != self._generation:
            return
        self._reset_to(ids)

    def _set_ids(self, generation: int, ids: Sequence[str]) -> None:
        if generation != self._generation:
            return  # a newer search is on its way
        shown = len(self._ids)
        if shown and _same_start(ids, self._ids):
            if len(ids) > shown:
                self.beginInsertRows(QModelIndex(), shown, len(ids) - 1)
                self._ids = ids
                self.endInsertRows()
        else:
            self._reset_to(ids)
        self.reloaded.emit(len(ids))

    def _reset_to(self, ids: Sequence[str]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._pages.clear()
        self._today = self.session.cases.today()
        self.endResetModel()

    def _row(self, row: int) -> dict | None:
        page = row // self.PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            ids = self._ids[page * self.PAGE_SIZE:(page + 1) * self.PAGE_SIZE]
            try:
                rows = {r["id"]: r for r in self.session.cases.rows(ids)}
            except BinhAnError as error:
                # data() is called by Qt's painting: report, show the rows empty, never raise into Qt.
                rows = {}
                self.load_failed.emit(error)
            self._pages[page] = rows
            while len(self._pages) > self.CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        # A case deleted or moved out of scope since the ids were read has no row.
        return rows.get(self._ids[row])

    def case_id(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def is_overdue(self, case: dict) -> bool:
        due = case.get("next_follow_up")
        return case.get("status") == "open" and bool(due) and due < self._today.isoformat()

    # --- Qt model -------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            self.CODE: self.tr("Mã vụ việc"),
            self.REPORTED: self.tr("Ngày tiếp nhận"),
            self.TYPE: self.tr("Loại bạo lực"),
            self.STATUS: self.tr("Trạng thái"),
            self.AGE_BAND: self.tr("Nhóm tuổi"),
            self.SERVICES: self.tr("Dịch vụ hỗ trợ"),
            self.NEXT_FOLLOW_UP: self.tr("Theo dõi tiếp"),
        }.get(section)

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == Qt.ItemDataRole.UserRole:
            return self._ids[index.row()]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole):
            return None
        case = self._row(index.row())
        if case is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.NEXT_FOLLOW_UP and self.is_overdue(case):
                return QBrush(OVERDUE_COLOUR)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.NEXT_FOLLOW_UP and self.is_overdue(case):
                return self.tr("Quá hạn theo dõi")
            # The whole text, for cells too narrow to show it.
            return self._display(case, column) or None
        return self._display(case, column)

    def _display(self, case: dict, column: int) -> str:
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
            return format_date(case["next_follow_up"])
        return ""

    def _label(self, list_name: str, code: str | None) -> str:
        return self._labels[list_name].label(code, self._lang) if code else ""

    def _services(self, case: dict) -> str:
        codes = [c for c in (case.get("services") or "").split(",") if c]
        # A service given twice is listed once.
        return ", ".join(self._label("service", c) for c in dict.fromkeys(codes))

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        key = self.SORT_KEYS.get(column)
        if key is None:
            return
        self.order = key
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    def sort_column(self) -> int:
        """The column the ids are ordered by now."""
        return next(c for c, key in self.SORT_KEYS.items() if key == self.order)
