"""The base of the long record lists (cases, activities): ids in order, rows fetched a page at a time.

With 200 000 cases the model keeps 200 000 ids, packed into one bytes object
(`PackedIds`: 7 MB, where a list of Python strings takes about 20 MB), and asks
the core for the rows of a page only when the view shows one of them; a few
recent pages are cached. `sort()` and a new filter ask the core for the ids again.

A list says what differs in a few hooks: `read_ids` (on the worker), `fetch`
(one page's rows), `headers`, `display`, and optionally `foreground`, `tooltip`,
`alignment`. Never call a widget from `read_ids`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence

from app.errors import BinhAnError
from ui import tasks
from ui.qt import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal


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


class RecordListModel(QAbstractTableModel):
    """Ids of the records a filter matches, in the core's order; rows asked for a page at a time."""

    PAGE_SIZE = 200
    CACHED_PAGES = 8
    COLUMN_COUNT = 0
    #: Column -> the core's sort key; a column missing here is not sortable.
    SORT_KEYS: dict[int, str] = {}

    #: Ids were (re)loaded; carries how many records match.
    reloaded = Signal(int)
    #: Loading failed; carries the exception (the page shows its message).
    load_failed = Signal(object)
    #: Ids are being read again (the page says so until `reloaded`).
    loading = Signal()

    def __init__(self, session, flt, order: str, parent=None, *, descending: bool = True):
        super().__init__(parent)
        self.session = session
        self.filter = flt
        self.order = order
        self.descending = descending
        self._ids: Sequence[str] = []
        self._pages: OrderedDict[int, dict[str, dict]] = OrderedDict()
        self._generation = 0

    # --- what a list says about itself ----------------------------------------------------------------------
    def read_ids(self, flt, order: str, descending: bool) -> Sequence[str]:
        """The matching ids in order (runs on the worker: no widget here)."""
        raise NotImplementedError("each record list reads its own ids")

    def fetch(self, ids: list[str]) -> dict[str, dict]:
        """The rows of `ids` by id; a record gone since its id was read is simply absent."""
        raise NotImplementedError("each record list fetches its own rows")

    def headers(self) -> dict[int, str]:
        raise NotImplementedError("each record list names its own columns")

    def display(self, record: dict, column: int) -> str:
        raise NotImplementedError("each record list shows its own cells")

    def foreground(self, record: dict, column: int):
        return None

    def tooltip(self, record: dict, column: int) -> str | None:
        return self.display(record, column) or None  # the whole text, for cells too narrow to show it

    def alignment(self, column: int) -> int | None:
        return None

    def reset_done(self) -> None:
        """Called inside each reset, after the ids changed (a list may refresh what its cells compare with)."""

    # --- loading ---------------------------------------------------------------------------------------------
    def set_filter(self, flt) -> None:
        self.filter = flt
        self.reload()

    def reload(self) -> None:
        """Ask the core for the matching ids again (in the background); rows follow on demand."""
        self._generation += 1
        self.loading.emit()
        generation, flt, order, descending = self._generation, self.filter, self.order, self.descending
        tasks.run_in_background(lambda: self.read_ids(flt, order, descending),
                                on_done=lambda ids: self._set_ids(generation, ids),
                                on_error=self.load_failed.emit, owner=self)

    def _set_ids(self, generation: int, ids: Sequence[str], *, extend: bool = False) -> None:
        """Show `ids`; with `extend`, ids that only add to what is shown are appended (the view does not jump)."""
        if generation != self._generation:
            return  # a newer search is on its way
        shown = len(self._ids)
        if extend and shown and _same_start(ids, self._ids):
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
        self.reset_done()
        self.endResetModel()

    def _row(self, row: int) -> dict | None:
        page = row // self.PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            ids = self._ids[page * self.PAGE_SIZE:(page + 1) * self.PAGE_SIZE]
            try:
                rows = self.fetch(list(ids))  # one page: a list of its few hundred ids
            except BinhAnError as error:
                # data() is called by Qt's painting: report, show the rows empty, never raise into Qt.
                rows = {}
                self.load_failed.emit(error)
            self._pages[page] = rows
            while len(self._pages) > self.CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        return rows.get(self._ids[row])

    def record_id(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, record_id: str) -> int:
        try:
            return self._ids.index(record_id)
        except ValueError:
            return -1

    # --- Qt model ------------------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt's
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.headers().get(section)

    def flags(self, index: QModelIndex | QPersistentModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == Qt.ItemDataRole.UserRole:
            return self._ids[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(column)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole):
            return None
        record = self._row(index.row())
        if record is None:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(record, column)
        return self.display(record, column)

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


__all__ = ["PackedIds", "RecordListModel"]
