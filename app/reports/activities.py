"""Activity figures for reports: by kind, by month, by target group, in campaign windows, budget.

Activities are counted when not deleted and starting within the period. They
are counts of events and participants, not of people harmed, so they are not
suppressed.
"""

from __future__ import annotations

import calendar
from datetime import date

from app.activities.calendar import PROFILE_CAMPAIGNS, windows_for
from app.reports.figures import TOTAL, options
from app.reports.model import COUNT, MONEY, TEXT, Column, Figure, Table
from app.targets import Period, Trace

MEASURES = (
    ("activities", "count(*)", ("Số hoạt động", "Activities")),
    ("total", "coalesce(sum(a.participants_total), 0)", ("Tổng số người tham gia", "Participants")),
    ("female", "coalesce(sum(a.participants_female), 0)", ("Nữ", "Female")),
    ("male", "coalesce(sum(a.participants_male), 0)", ("Nam", "Male")),
    ("youth", "coalesce(sum(a.participants_youth), 0)", ("Thanh thiếu niên", "Young people")),
    ("quantity", "coalesce(sum(a.quantity), 0)", ("Số lượng (bản, tin bài, lượt)", "Quantity (copies, items)")),
    ("budget", "coalesce(sum(a.budget_vnd), 0)", ("Kinh phí (đồng)", "Budget (VND)")),
)


def activity_base(period: Period) -> tuple[str, tuple]:
    """`FROM activities a WHERE …`: the live activities that start within the period."""
    return ("FROM activities a WHERE a.deleted = 0 AND a.starts_on >= ? AND a.starts_on <= ?",
            (period.start.isoformat(), period.end.isoformat()))


def _measure_table(store, *, key, title, row_header, rows, where_for_row, base, params, measures, totals=True,
                   note=("", "")) -> Table:
    """Rows × measures; each figure is `measure` over `base AND where_for_row(code)`."""
    columns = [Column("row", *row_header, kind=TEXT, width=44)]
    columns += [Column(m[0], *m[2], kind=MONEY if m[0] == "budget" else COUNT) for m in measures]
    body = []
    for code, vi, _ in rows:
        where, extra = where_for_row(code)
        line = [vi]
        for _, expr, _ in measures:
            sql = f"SELECT {expr} {base} AND {where}"
            trace = Trace(sql, (*params, *extra))
            line.append(Figure(int(trace.run(store)), trace))
        body.append(line)
    total = None
    if totals:
        total = [TOTAL[0]]
        for _, expr, _ in measures:
            trace = Trace(f"SELECT {expr} {base}", params)
            total.append(Figure(int(trace.run(store)), trace))
    return Table(key=key, title_vi=title[0], title_en=title[1], columns=columns, rows=body, total=total,
                 note_vi=note[0], note_en=note[1])


def kinds_of(reference, groups: tuple[str, ...] | None = None) -> list[tuple[str, str, str]]:
    """Activity kinds (code, vi, en), in the order of their group, then of the list."""
    order = [g.code for g in reference["activity_group"].options]
    kinds = [o for o in reference["activity_kind"].options if groups is None or o.extra.get("group") in groups]
    kinds.sort(key=lambda o: order.index(o.extra.get("group")) if o.extra.get("group") in order else len(order))
    return [(o.code, o.vi, o.en) for o in kinds]


def by_kind(session, period: Period, *, groups: tuple[str, ...] | None = None, key="Theo loai",
            title=("Hoạt động theo loại", "Activities by kind"), measures=MEASURES, keep_empty=False) -> Table:
    base, params = activity_base(period)
    rows = kinds_of(session.reference, groups)
    if groups is not None:
        kinds = [r[0] for r in rows]
        base = f"{base} AND a.kind IN ({','.join('?' for _ in kinds) or 'NULL'})"
        params = (*params, *kinds)
    if not keep_empty:
        present = {r[0] for r in session.store.execute(f"SELECT DISTINCT a.kind {base}", params).fetchall()}
        rows = [r for r in rows if r[0] in present]
    return _measure_table(session.store, key=key, title=title, row_header=("Loại hoạt động", "Kind of activity"),
                          rows=rows, where_for_row=lambda code: ("a.kind = ?", (code,)), base=base, params=params,
                          measures=measures)


def by_group(session, period: Period, *, measures=MEASURES, key="Theo nhom",
             title=("Hoạt động theo nhóm", "Activities by group")) -> Table:
    base, params = activity_base(period)
    groups = options(session.reference, "activity_group")
    kinds = {g: [o.code for o in session.reference["activity_kind"].options if o.extra.get("group") == g]
             for g, _, _ in groups}

    def where(code):
        codes = kinds[code]
        return f"a.kind IN ({','.join('?' for _ in codes) or 'NULL'})", tuple(codes)

    return _measure_table(session.store, key=key, title=title, row_header=("Nhóm hoạt động", "Group"), rows=groups,
                          where_for_row=where, base=base, params=params, measures=measures)


def by_month(session, period: Period) -> Table:
    base, params = activity_base(period)
    rows = [(f"{y:04d}-{m:02d}", f"Tháng {m:02d}/{y}", f"{y}-{m:02d}") for y, m in period.months()]
    return _measure_table(session.store, key="Theo thang", title=("Hoạt động theo tháng", "Activities by month"),
                          row_header=("Tháng", "Month"), rows=rows,
                          where_for_row=lambda code: ("substr(a.starts_on, 1, 7) = ?", (code,)), base=base,
                          params=params, measures=MEASURES[:5])


def by_target_group(session, period: Period) -> Table:
    base, params = activity_base(period)
    return _measure_table(
        session.store, key="Theo doi tuong", title=("Hoạt động theo nhóm đối tượng", "Activities by target group"),
        row_header=("Nhóm đối tượng", "Target group"), rows=options(session.reference, "target_group"),
        where_for_row=lambda code: ("EXISTS (SELECT 1 FROM json_each(a.target_groups) g WHERE g.value = ?)", (code,)),
        base=base, params=params, measures=MEASURES[:5], totals=False,
        note=("Một hoạt động có thể hướng tới nhiều nhóm đối tượng nên các dòng không cộng dồn.",
              "An activity may reach several target groups, so the rows do not add up."))


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


def by_campaign(session, period: Period) -> Table:
    """Activities held (in part) within each campaign window that falls in the period."""
    base, params = "FROM activities a WHERE a.deleted = 0", ()
    windows = {code: spans for code, _, _, spans in campaign_windows(period, session.profile)}
    rows = [(code, vi, en) for code, vi, en, spans in campaign_windows(period, session.profile)]

    def where(code):
        spans = windows[code]
        if not spans:
            return "0", ()
        clause = " OR ".join("(a.starts_on <= ? AND coalesce(a.ends_on, a.starts_on) >= ?)" for _ in spans)
        extra = tuple(v for s, e in spans for v in (e.isoformat(), s.isoformat()))
        return f"({clause})", extra

    return _measure_table(session.store, key="Thang hanh dong",
                          title=("Hoạt động trong các đợt cao điểm, tháng hành động",
                                 "Activities in the campaign windows"),
                          row_header=("Đợt", "Campaign"), rows=rows, where_for_row=where, base=base, params=params,
                          measures=MEASURES[:4], totals=False,
                          note=("Hoạt động diễn ra (một phần) trong đợt; một hoạt động có thể thuộc nhiều đợt.",
                                "Activities held (at least partly) within the window; one may fall in several."))


def group_total(session, period: Period, groups: tuple[str, ...], expr: str = "count(*)") -> Figure:
    """One measure over the activities of some groups (for sentences in the annual report)."""
    base, params = activity_base(period)
    kinds = [r[0] for r in kinds_of(session.reference, groups)]
    trace = Trace(f"SELECT {expr} {base} AND a.kind IN ({','.join('?' for _ in kinds) or 'NULL'})",
                  (*params, *kinds))
    return Figure(int(trace.run(session.store) or 0), trace)
