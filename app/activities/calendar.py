"""The yearly campaign windows an activity can fall in.

Both provincial plans ask that activities held during the Action Month for
gender equality and GBV prevention (15/11–15/12), on 25/11 (International Day
for the Elimination of Violence against Women) and in June (national action
month on domestic-violence prevention) be reported as such. The windows are the
province profile's data (`[[campaign]]`); the defaults below only stand in for
a node without a profile, or a profile that leaves one out.

An activity counts for a window when its days (starts_on..ends_on, both
included) overlap the window in any year.
"""

from __future__ import annotations

import calendar as _calendar
from datetime import date

MonthDay = tuple[int, int]

# flag name in an activity's `derived` -> the window used when the profile has none
DEFAULT_WINDOWS: dict[str, tuple[MonthDay, MonthDay]] = {
    "action_month": ((11, 15), (12, 15)),
    "day_25_11": ((11, 25), (11, 25)),
    "june_action_month": ((6, 1), (6, 30)),
}

# campaign code in a province profile -> flag name
PROFILE_CAMPAIGNS: dict[str, str] = {
    "action_month_gender_equality": "action_month",
    "day_eliminate_violence_women": "day_25_11",
    "action_month_domestic_violence": "june_action_month",
}


def windows_for(profile=None) -> dict[str, tuple[MonthDay, MonthDay]]:
    """The windows of each flag: the profile's campaigns where it has them, else the defaults."""
    windows = dict(DEFAULT_WINDOWS)
    for campaign in getattr(profile, "campaigns", ()) or ():
        flag = PROFILE_CAMPAIGNS.get(campaign.code)
        if flag:
            windows[flag] = (tuple(campaign.start), tuple(campaign.end))
    return windows


def _on(year: int, month_day: MonthDay) -> date:
    # 29/02 in a common year falls back to 28/02 rather than failing.
    month, day = month_day
    return date(year, month, min(day, _calendar.monthrange(year, month)[1]))


def overlaps(start: date, end: date | None, window: tuple[MonthDay, MonthDay]) -> bool:
    """True when some day of start..end lies in the yearly window (which may cross the new year)."""
    end = end or start
    if end < start:
        start, end = end, start
    if (end - start).days >= 366:
        return True
    first, last = window
    for year in range(start.year - 1, end.year + 1):
        opens = _on(year, first)
        closes = _on(year if first <= last else year + 1, last)
        if opens <= end and start <= closes:
            return True
    return False


def campaign_flags(starts_on: str | date, ends_on: str | date | None = None, profile=None) -> dict[str, bool]:
    """{"action_month", "day_25_11", "june_action_month"} for an activity's dates (ISO or date)."""
    start = date.fromisoformat(starts_on) if isinstance(starts_on, str) else starts_on
    end = date.fromisoformat(ends_on) if isinstance(ends_on, str) else ends_on
    return {flag: overlaps(start, end, window) for flag, window in windows_for(profile).items()}
