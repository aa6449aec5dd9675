"""The activity list as a Qt table model that holds ids only and fetches rows a page at a time.

A record list (ui.widgets.record_list), like the case list: the core gives the
matching ids in order (`session.activities.id_batches`), and the rows of a page
are asked for only when the view shows one of them; a few recent pages are cached.

The campaign marks (Action Month 15/11–15/12, 25/11, June) are the core's
`derived` flags: computed from the activity's first and last day with the
province profile's windows, never decided here.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.activities import ActivityFilter
from app.activities.calendar import campaign_flags
from ui.i18n import format_count, format_date, language, translate
from ui.qt import QBrush, QColor, Qt
from ui.widgets.record_list import PackedIds, RecordListModel

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


class ActivityListModel(RecordListModel):
    DATE, KIND, TITLE, PARTICIPANTS, FEMALE, TARGET_GROUPS, CAMPAIGNS = range(7)
    COLUMN_COUNT = 7

    SORT_KEYS = {DATE: "starts_on", KIND: "kind", TITLE: "title", PARTICIPANTS: "participants_total"}

    def __init__(self, session, parent=None):
        super().__init__(session, ActivityFilter(), "starts_on", parent)
        self._lang = language()
        self._labels = {name: session.reference[name] for name in ("activity_kind", "target_group")}

    # --- loading -----------------------------------------------------------------------------
    def read_ids(self, flt, order: str, descending: bool) -> Sequence[str]:
        # A province holds ~400 000 activities: their ids packed take 15 MB, as a list of str ~35 MB.
        return PackedIds.of_batches(self.session.activities.id_batches(flt, order=order, descending=descending))

    def fetch(self, ids: list[str]) -> dict[str, dict]:
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

    def activity_id(self, row: int) -> str | None:
        return self.record_id(row)

    # --- cells ----------------------------------------------------------------------------------
    def headers(self) -> dict[int, str]:
        return {
            self.DATE: self.tr("Ngày"),
            self.KIND: self.tr("Loại hoạt động"),
            self.TITLE: self.tr("Tên hoạt động"),
            self.PARTICIPANTS: self.tr("Số người"),
            self.FEMALE: self.tr("Nữ"),
            self.TARGET_GROUPS: self.tr("Nhóm đối tượng"),
            self.CAMPAIGNS: self.tr("Đợt cao điểm"),
        }

    def alignment(self, column: int) -> int | None:
        if column in (self.PARTICIPANTS, self.FEMALE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def foreground(self, activity: dict, column: int):
        return QBrush(CAMPAIGN_COLOUR) if column == self.CAMPAIGNS else None

    def tooltip(self, activity: dict, column: int) -> str | None:
        if column == self.CAMPAIGNS:
            return "\n".join(campaign_title(f) for f in self.campaigns(activity)) or None
        return super().tooltip(activity, column)

    def campaigns(self, activity: dict) -> list[str]:
        """The campaign flags the activity falls in, in the order they are shown."""
        derived = activity.get("derived") or {}
        return [flag for flag in CAMPAIGN_FLAGS if derived.get(flag)]

    def display(self, activity: dict, column: int) -> str:
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


__all__ = ["ActivityListModel", "CAMPAIGN_FLAGS", "campaign_mark", "campaign_title"]
