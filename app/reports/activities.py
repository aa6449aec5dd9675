"""Activity figures for reports: by kind, by group, by month, by target group, in campaign windows.

Activities are counted when not deleted and starting within the period. They
are counts of events and participants, not of people harmed, so they are not
suppressed.

The period's activities are read once, by kind (`PeriodActivities`); tables
by kind and by group and the annual report's sentences add those up. Every
figure still carries its own query, so each can be recomputed alone.
"""

from __future__ import annotations

import calendar
import re
import uuid
from collections.abc import Sequence
from datetime import date

from app.activities.calendar import PROFILE_CAMPAIGNS, windows_for
from app.reports.figures import TOTAL, options
from app.reports.model import COUNT, MONEY, TEXT, Column, Figure, Table
from app.targets import Period, Trace

# key, what one activity adds (SQL over `activities a`), (Vietnamese, English)
_ADDS = (
    ("activities", "1", ("Số hoạt động", "Activities")),
    ("total", "a.participants_total", ("Tổng số người tham gia", "Participants")),
    ("female", "a.participants_female", ("Nữ", "Female")),
    ("male", "a.participants_male", ("Nam", "Male")),
    ("youth", "a.participants_youth", ("Thanh thiếu niên", "Young people")),
    ("quantity", "a.quantity", ("Số lượng (bản, tin bài, lượt)", "Quantity (copies, items)")),
    ("budget", "a.budget_vnd", ("Kinh phí (đồng)", "Budget (VND)")),
)
# key, aggregate SQL, labels
MEASURES = tuple((key, "count(*)" if adds == "1" else f"coalesce(sum({adds}), 0)", labels)
                 for key, adds, labels in _ADDS)
MEASURE = {m[0]: m for m in MEASURES}
ADDS = {key: adds for key, adds, _ in _ADDS}


def activity_base(period: Period) -> tuple[str, tuple]:
    """`FROM activities a WHERE …`: the live activities that start within the period."""
    return ("FROM activities a WHERE a.deleted = 0 AND a.starts_on >= ? AND a.starts_on <= ?",
            (period.start.isoformat(), period.end.isoformat()))


def _in(codes) -> str:
    return f"a.kind IN ({','.join('?' for _ in codes) or 'NULL'})"


class ActivityWindow:
    """The live activities that may touch the period, read once into a temporary table for one build.

    That is every activity starting from `Period.earliest_overlapping_start` to the period's
    end: the period's own, and earlier long ones that may run into it. `read(sql)` turns a
    query over `FROM activities a WHERE a.deleted = 0 …` into the same query over that table
    when every `a.` column it names is in the table (otherwise it stays as it is); a query
    over activities starting in that window gets the same rows either way. Traces keep
    reading `activities` itself.

        with ActivityWindow(session, period) as window:
            data = PeriodActivities(session, period, window)
    """

    COLUMNS = ("id", "origin", "kind", "starts_on", "ends_on", "school_id", "participants_total",
               "participants_female", "participants_male", "participants_youth", "quantity", "budget_vnd")
    _COLUMN = re.compile(r"\ba\.(\w+)")
    _FROM = "FROM activities a WHERE a.deleted = 0"

    def __init__(self, session, period: Period):
        self.session, self.period = session, period
        self.table = f"temp.bn_activities_{uuid.uuid4().hex}"

    def __enter__(self) -> ActivityWindow:
        columns = ", ".join(self.COLUMNS)
        with self.session.store.lock:
            conn = self.session.store.conn
            conn.execute(f"CREATE TABLE {self.table} ({columns})")
            conn.execute(f"INSERT INTO {self.table} ({columns}) SELECT {', '.join(f'a.{c}' for c in self.COLUMNS)}"
                         f" {self._FROM} AND a.starts_on >= ? AND a.starts_on <= ?",
                         (self.period.earliest_overlapping_start.isoformat(), self.period.end.isoformat()))
        return self

    def __exit__(self, *exc) -> None:
        with self.session.store.lock:
            self.session.store.conn.execute(f"DROP TABLE IF EXISTS {self.table}")

    def read(self, sql: str, params: tuple) -> tuple[str, tuple]:
        named = set(self._COLUMN.findall(sql.replace(self._FROM, "")))
        if sql.count(self._FROM) != 1 or not named <= set(self.COLUMNS):
            return sql, params
        if "a.starts_on >= ?" not in sql.split(self._FROM, 1)[1]:
            return sql, params  # not limited to a start in the window: read the whole table
        return sql.replace(self._FROM, f"FROM {self.table} a WHERE 1"), params


def _read(window: ActivityWindow | None, sql: str, params: tuple) -> tuple[str, tuple]:
    return window.read(sql, params) if window is not None else (sql, params)


class PeriodActivities:
    """Every measure of the period's activities, by kind, read in one pass."""

    def __init__(self, session, period: Period, window: ActivityWindow | None = None, *,
                 measures: tuple[str, ...] | None = None):
        """`measures`: only these (keys of `MEASURE`); the Overview's two are read from an index alone."""
        self.session, self.period = session, period
        self.base, self.params = activity_base(period)
        self.measures = tuple(m[0] for m in MEASURES) if measures is None else tuple(measures)
        exprs = ", ".join(MEASURE[m][1] for m in self.measures)
        self.by_kind: dict[str, tuple] = {
            row[0]: tuple(int(v or 0) for v in row[1:])
            for row in session.store.execute(*_read(window, f"SELECT a.kind, {exprs} {self.base} GROUP BY 1",
                                                    self.params))}

    def sum(self, kinds, measure: str) -> int:
        i = self.measures.index(measure)
        return sum(self.by_kind.get(k, (0,) * len(self.measures))[i] for k in kinds)

    def figure(self, kinds, measure: str) -> Figure:
        kinds = list(kinds)
        trace = Trace(f"SELECT {MEASURE[measure][1]} {self.base} AND {_in(kinds)}", (*self.params, *kinds))
        return Figure(self.sum(kinds, measure), trace)

    def figure_all(self, measure: str) -> Figure:
        return Figure(self.sum(self.by_kind, measure), Trace(f"SELECT {MEASURE[measure][1]} {self.base}", self.params))


def kinds_of(reference, groups: tuple[str, ...] | None = None) -> list[tuple[str, str, str]]:
    """Activity kinds (code, vi, en), in the order of their group, then of the list."""
    order = [g.code for g in reference["activity_group"].options]
    kinds = [o for o in reference["activity_kind"].options if groups is None or o.extra.get("group") in groups]
    kinds.sort(key=lambda o: order.index(o.extra.get("group")) if o.extra.get("group") in order else len(order))
    return [(o.code, o.vi, o.en) for o in kinds]


def _columns(row_header: tuple[str, str], measures: Sequence[tuple[str, str, tuple[str, str]]]) -> list[Column]:
    columns = [Column("row", *row_header, kind=TEXT, width=44)]
    return columns + [Column(m[0], *m[2], kind=MONEY if m[0] == "budget" else COUNT) for m in measures]


def _table(key, title, columns, body, total=None, note=("", "")) -> Table:
    return Table(key=key, title_vi=title[0], title_en=title[1], columns=columns, rows=body, total=total,
                 note_vi=note[0], note_en=note[1])


def by_kind(session, period: Period, *, groups: tuple[str, ...] | None = None, key="Theo loai",
            title=("Hoạt động theo loại", "Activities by kind"), measures=MEASURES,
            data: PeriodActivities | None = None) -> Table:
    """One row a kind held in the period (kinds of `groups` only, when given), with a totals row."""
    data = data or PeriodActivities(session, period)
    rows = [r for r in kinds_of(session.reference, groups) if r[0] in data.by_kind]
    if groups is None:  # a kind from a newer reference list still counts, shown as its code
        known = {r[0] for r in rows}
        rows += [(code, code, code) for code in sorted(data.by_kind) if code not in known and
                 code not in session.reference["activity_kind"].codes]
    body = [[vi, *(data.figure([code], m[0]) for m in measures)] for code, vi, _ in rows]
    if groups is None:
        total = [TOTAL[0], *(data.figure_all(m[0]) for m in measures)]
    else:
        every = [r[0] for r in kinds_of(session.reference, groups)]
        total = [TOTAL[0], *(data.figure(every, m[0]) for m in measures)]
    return _table(key, title, _columns(("Loại hoạt động", "Kind of activity"), measures), body, total)


def by_group(session, period: Period, *, measures=MEASURES, key="Theo nhom",
             title=("Hoạt động theo nhóm", "Activities by group"), data: PeriodActivities | None = None) -> Table:
    data = data or PeriodActivities(session, period)
    ref = session.reference
    body = []
    for group, vi, _ in options(ref, "activity_group"):
        kinds = [o.code for o in ref["activity_kind"].options if o.extra.get("group") == group]
        body.append([vi, *(data.figure(kinds, m[0]) for m in measures)])
    grouped = [o.code for o in ref["activity_kind"].options if o.extra.get("group")]
    total = [TOTAL[0], *(data.figure(grouped, m[0]) for m in measures)]
    return _table(key, title, _columns(("Nhóm hoạt động", "Group"), measures), body, total)


def _grouped_table(session, period, *, key, title, row_header, rows, join, row_expr, where_sql, measures,
                   totals, note=("", "")) -> Table:
    """Rows × measures from one GROUP BY pass; each figure traced by `base AND where_sql` with the row's code."""
    base, params = activity_base(period)
    exprs = ", ".join(m[1] for m in measures)
    source = base.replace("FROM activities a", f"FROM activities a{join}", 1)
    values = {r[0]: r[1:] for r in session.store.execute(f"SELECT {row_expr}, {exprs} {source} GROUP BY 1", params)}
    empty = (0,) * len(measures)
    body = []
    for code, vi, _ in rows:
        line = [vi]
        for (_, expr, _), value in zip(measures, values.get(code, empty), strict=True):
            line.append(Figure(int(value or 0), Trace(f"SELECT {expr} {base} AND {where_sql}", (*params, code))))
        body.append(line)
    total = None
    if totals:
        sums = session.store.execute(f"SELECT {exprs} {base}", params).fetchone()
        total = [TOTAL[0], *(Figure(int(v or 0), Trace(f"SELECT {m[1]} {base}", params)) for m, v in zip(measures, sums, strict=True))]
    return _table(key, title, _columns(row_header, measures), body, total, note)


def by_month(session, period: Period) -> Table:
    rows = [(f"{y:04d}-{m:02d}", f"Tháng {m:02d}/{y}", f"{y}-{m:02d}") for y, m in period.months()]
    return _grouped_table(session, period, key="Theo thang", title=("Hoạt động theo tháng", "Activities by month"),
                          row_header=("Tháng", "Month"), rows=rows, join="", row_expr="substr(a.starts_on, 1, 7)",
                          where_sql="substr(a.starts_on, 1, 7) = ?", measures=MEASURES[:5], totals=True)


def by_target_group(session, period: Period) -> Table:
    return _grouped_table(
        session, period, key="Theo doi tuong", title=("Hoạt động theo nhóm đối tượng", "Activities by target group"),
        row_header=("Nhóm đối tượng", "Target group"), rows=options(session.reference, "target_group"),
        join=", json_each(a.target_groups) g", row_expr="g.value",
        where_sql="EXISTS (SELECT 1 FROM json_each(a.target_groups) g WHERE g.value = ?)", measures=MEASURES[:5],
        totals=False, note=("Một hoạt động có thể hướng tới nhiều nhóm đối tượng nên các dòng không cộng dồn.",
                            "An activity may reach several target groups, so the rows do not add up."))


def _with_unknown(rows: list, vi: str, en: str) -> list:
    return [*rows, ("", vi, en)]


def by_topic(session, period: Period) -> Table:
    """What the period's activities were about (one topic an activity)."""
    return _grouped_table(
        session, period, key="Theo chu de", title=("Hoạt động theo chủ đề", "Activities by topic"),
        row_header=("Chủ đề", "Topic"),
        rows=_with_unknown(options(session.reference, "activity_topic"), "Chưa ghi chủ đề", "No topic recorded"),
        join="", row_expr="coalesce(a.topic, '')", where_sql="coalesce(a.topic, '') = ?", measures=MEASURES[:5],
        totals=True)


def by_funding_source(session, period: Period) -> Table:
    """The period's money by where it came from (state budget, socialised funds, projects)."""
    return _grouped_table(
        session, period, key="Nguon kinh phi", title=("Kinh phí theo nguồn", "Budget by funding source"),
        row_header=("Nguồn kinh phí", "Funding source"),
        rows=_with_unknown(options(session.reference, "funding_source"), "Chưa ghi nguồn", "No source recorded"),
        join="", row_expr="coalesce(a.funding_source, '')", where_sql="coalesce(a.funding_source, '') = ?",
        measures=(MEASURES[0], MEASURES[6]), totals=True)


def _on(year: int, month_day: tuple[int, int]) -> date:
    month, day = month_day
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def campaign_windows(period: Period, profile) -> list[tuple[str, str, str, list[tuple[date, date]]]]:
    """(code, vi, en, [(first day, last day) of each window within the period])."""
    names = {c.code: (c.vi, c.en) for c in getattr(profile, "campaigns", ()) or ()}
    flags = {flag: code for code, flag in PROFILE_CAMPAIGNS.items()}
    out = []
    for flag, (first, last) in windows_for(profile).items():
        code = flags.get(flag, flag)
        vi, en = names.get(code, (flag, flag))
        spans = []
        for year in range(period.start.year - 1, period.end.year + 1):
            opens = _on(year, first)
            closes = _on(year if first <= last else year + 1, last)
            start, end = max(opens, period.start), min(closes, period.end)
            if start <= end:
                spans.append((start, end))
        out.append((code, vi, en, spans))
    return out


def by_campaign(session, period: Period, window: ActivityWindow | None = None) -> Table:
    """Activities held (at least partly) within each campaign window that falls in the period (one pass)."""
    from app.reference.periods import profile_for

    windows = campaign_windows(period, profile_for(session, period))
    measures = MEASURES[:4]
    base = ("FROM activities a WHERE a.deleted = 0 AND a.starts_on >= ? AND a.starts_on <= ?"
            " AND coalesce(a.ends_on, a.starts_on) >= ?")
    params = (period.earliest_overlapping_start.isoformat(), period.end.isoformat(), period.start.isoformat())

    def where(spans):
        if not spans:
            return "0", ()
        clause = " OR ".join("(a.starts_on <= ? AND coalesce(a.ends_on, a.starts_on) >= ?)" for _ in spans)
        return f"({clause})", tuple(v for s, e in spans for v in (e.isoformat(), s.isoformat()))

    selects, select_params = [], []
    for _, _, _, spans in windows:
        clause, extra = where(spans)
        for key, _, _ in measures:
            selects.append(f"coalesce(sum(CASE WHEN {clause} THEN {ADDS[key]} ELSE 0 END), 0)")
            select_params += extra
    values = session.store.execute(*_read(window, f"SELECT {', '.join(selects)} {base}",
                                          (*select_params, *params))).fetchone()
    body, n = [], 0
    for _code, vi, _, spans in windows:
        clause, extra = where(spans)
        line: list[object] = [vi]
        for _, expr, _ in measures:
            line.append(Figure(int(values[n] or 0), Trace(f"SELECT {expr} {base} AND {clause}", (*params, *extra))))
            n += 1
        body.append(line)
    return _table("Thang hanh dong", ("Hoạt động trong các đợt cao điểm, tháng hành động",
                                      "Activities in the campaign windows"),
                  _columns(("Đợt", "Campaign"), measures), body,
                  note=("Hoạt động diễn ra (một phần) trong đợt; một hoạt động có thể thuộc nhiều đợt.",
                        "Activities held (at least partly) within the window; one may fall in several."))


def group_kinds(reference, groups: tuple[str, ...]) -> list[str]:
    return [r[0] for r in kinds_of(reference, groups)]
