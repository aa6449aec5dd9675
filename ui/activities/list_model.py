"""The activity list as a Qt table model that holds ids only and fetches rows a page at a time.

Same shape as the case list (ui/cases/list_model.py): the core gives the
matching ids in order (`session.activities.ids`), and the rows of a page are
asked for only when the view shows one of them; a few recent pages are cached.

The campaign marks (Action Month 15/11–15/12, 25/11, June) are the core's
`derived` flags: computed from the activity's first and last day with the
province profile's windows, never decided here.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from app.activities import ActivityFilter
from app.activities.calendar import campaign_flags
from app.errors import BinhAnError
from ui import tasks
from ui.cases.list_model import PackedIds
from ui.i18n import format_count, format_date, language, translate
from ui.qt import QAbstractTableModel, QBrush, QColor, QModelIndex, Qt, Signal

CAMPAIGN_COLOUR = QColor("#6a1b9a")

#: The core's campaign flags, in the order the marks are shown.
CAMPAIGN_FLAGS = ("action_month", "day_25_11", "june_action_month")


def campaign_mark(flag: str) -> str:
    """The short mark shown in the list for one campaign flag."""
    return {
        "action_month": translate("ActivityList", "Tháng hành động"),
        "day_25_11": translate("ActivityList", "25/11"),
        "june_action_month": translate("ActivityList", "Tháng 6"),
    }[flag]


def campaign_title(flag: str) -> str:
    """The campaign's whole name, for tooltips."""
    return {
        "action_month": translate("ActivityList", "Tháng hành động vì bình đẳng giới và phòng ngừa, ứng phó "
                                                  "với bạo lực trên cơ sở giới (15/11–15/12)"),
        "day_25_11": translate("ActivityList", "Ngày quốc tế xóa bỏ bạo lực đối với phụ nữ (25/11)"),
        "june_action_month": translate("ActivityList", "Tháng hành động quốc gia về phòng, chống bạo lực gia "
                                                       "đình (tháng 6)"),
    }[flag]


class ActivityListModel(QAbstractTableModel):
    DATE, KIND, TITLE, PARTICIPANTS, FEMALE, TARGET_GROUPS, CAMPAIGNS = range(7)
    COLUMN_COUNT = 7
    PAGE_SIZE = 200
    CACHED_PAGES = 8

    # The core's sort keys; a column missing here is not sortable.
    SORT_KEYS = {DATE: "starts_on", KIND: "kind", TITLE: "title", PARTICIPANTS: "participants_total"}

    #: Ids were (re)loaded; carries how many activities match.
    reloaded = Signal(int)
    #: Loading failed; carries the exception (the page shows its message).
    load_failed = Signal(object)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.filter = ActivityFilter()
        self.order = "starts_on"
        self.descending = True
        self._ids: Sequence[str] = []
        self._pages: OrderedDict[int, dict[str, dict]] = OrderedDict()
        self._generation = 0
        self._lang = language()
        self._labels = {name: session.reference[name] for name in ("activity_kind", "target_group")}

    # --- loading -----------------------------------------------------------------------------
    def set_filter(self, flt: ActivityFilter) -> None:
        self.filter = flt
        self.reload()

    def reload(self) -> None:
        """Ask the core for the matching ids again (in the background); rows follow on demand."""
        self._generation += 1
        generation = self._generation
        activities, flt, order, descending = self.session.activities, self.filter, self.order, self.descending
        # A province holds ~400 000 activities: their ids packed take 15 MB, as a list of str ~35 MB.
        tasks.run_in_background(
            lambda: PackedIds.of_batches(activities.id_batches(flt, order=order, descending=descending)),
            on_done=lambda ids: self._set_ids(generation, ids), on_error=self.load_failed.emit, owner=self)

    def _set_ids(self, generation: int, ids: Sequence[str]) -> None:
        if generation != self._generation:
            return  # a newer search is on its way
        self.beginResetModel()
        self._ids = ids
        self._pages.clear()
        self.endResetModel()
        self.reloaded.emit(len(ids))

    def _fetch(self, ids: list[str]) -> dict[str, dict]:
        activities = self.session.activities
        rows = {r["id"]: r for r in activities.rows(ids)}
        profile = self.session.profile
        for row in rows.values():
            if "derived" in row:
                continue
            if "ends_on" in row:
                row["derived"] = campaign_flags(row["starts_on"], row["ends_on"], profile)
            else:
                # The list rows carry the first day only; a campaign may fall on a later day of the activity.
                row["derived"] = activities.get(row["id"])["derived"]
        return rows

    def _row(self, row: int) -> dict | None:
        page = row // self.PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            ids = self._ids[page * self.PAGE_SIZE:(page + 1) * self.PAGE_SIZE]
            try:
                rows = self._fetch(ids)
            except BinhAnError as error:
                # data() is called by Qt's painting: report, show the rows empty, never raise into Qt.
                rows = {}
                self.load_failed.emit(error)
            self._pages[page] = rows
            while len(self._pages) > self.CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        # An activity deleted since the ids were read has no row.
        return rows.get(self._ids[row])

    def activity_id(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, activity_id: str) -> int:
        try:
            return self._ids.index(activity_id)
        except ValueError:
            return -1

    # --- Qt model -------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            self.DATE: self.tr("Ngày"),
            self.KIND: self.tr("Loại hoạt động"),
            self.TITLE: self.tr("Tên hoạt động"),
            self.PARTICIPANTS: self.tr("Số người"),
            self.FEMALE: self.tr("Nữ"),
            self.TARGET_GROUPS: self.tr("Nhóm đối tượng"),
            self.CAMPAIGNS: self.tr("Đợt cao điểm"),
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
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole,
                        Qt.ItemDataRole.TextAlignmentRole):
            return None
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (self.PARTICIPANTS, self.FEMALE):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        activity = self._row(index.row())
        if activity is None:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(CAMPAIGN_COLOUR) if column == self.CAMPAIGNS else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.CAMPAIGNS:
                return "\n".join(campaign_title(f) for f in self.campaigns(activity)) or None
            # The whole text, for cells too narrow to show it.
            return self._display(activity, column) or None
        return self._display(activity, column)

    def campaigns(self, activity: dict) -> list[str]:
        """The campaign flags the activity falls in, in the order they are shown."""
        derived = activity.get("derived") or {}
        return [flag for flag in CAMPAIGN_FLAGS if derived.get(flag)]

    def _display(self, activity: dict, column: int) -> str:
        if column == self.DATE:
            return format_date(activity["starts_on"])
        if column == self.KIND:
            return self._labels["activity_kind"].label(activity["kind"], self._lang)
        if column == self.TITLE:
            return activity["title"]
        if column == self.PARTICIPANTS:
            return format_count(activity["participants_total"] or 0) if activity["participants_total"] else ""
        if column == self.FEMALE:
            return format_count(activity["participants_female"] or 0) if activity["participants_total"] else ""
        if column == self.TARGET_GROUPS:
            groups = self._labels["target_group"]
            return ", ".join(groups.label(code, self._lang) for code in activity.get("target_groups") or [])
        if column == self.CAMPAIGNS:
            return " · ".join(campaign_mark(flag) for flag in self.campaigns(activity))
        return ""

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


__all__ = ["ActivityListModel", "CAMPAIGN_FLAGS", "campaign_mark", "campaign_title"]
