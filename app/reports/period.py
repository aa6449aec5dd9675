"""Every count about people one period's outputs print, built and protected together.

The annual report, the statistics workbook, the Overview's table by commune and
the charts of a period share their margins (the same totals by type, sex,
month, commune), so a reader holding all of them could combine them. They are
therefore built here from one ledger (`app.reports.disclosure`) and protected
in one pass; each output takes its tables from the result. The suppression is
a function of the data alone, so every output of the period hides the same
counts, and the audit covers what all of them print together.

    with CountedCases(session, period) as counted, ActivityWindow(session, period) as window:
        figures = period_figures(session, period, counted, window)
        figures.stats["Loai bao luc"], figures.quarters, figures.targets, figures.audit.line()
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.reports.activities import ActivityWindow
from app.reports.cases import CountedCases, statistics_tables
from app.reports.communes import (cases_by_commune, holds_communes, key_figures_by_commune, new_communes,
                                  relate_new_communes, targets_over)
from app.reports.progress import Cancelled
from app.reports.disclosure import AtMost, AuditResult, Ledger, Ratio, Settings, Sum, key, protect, settings_of
from app.reports.model import COUNT, PERCENT, TEXT, Chart, Column, Figure, Series, Table
from app.targets import Period, TargetResult, Trace

#: Targets whose denominator is a count printed elsewhere under another name (the same quantity, one key).
SHARED_DENOMINATORS = {"survivors_seeking_help": "cases", "perpetrators_handled": "perpetrators"}
NOT_ABOUT_PEOPLE = ("schools_integrating",)


def target_keys(result: TargetResult, *unit: tuple[str, str]) -> tuple:
    """(numerator key, denominator key) of a target's counts (of one unit when `unit` is given)."""
    den = SHARED_DENOMINATORS.get(result.formula, f"target:{result.code}:den")
    return key(f"target:{result.code}:num", *unit), key(den, *unit)


@dataclass
class PeriodFigures:
    settings: Settings
    total: Figure  # counted cases
    stats: dict  # the statistics tables by key
    quarters: list  # [(label, Figure)] counted cases by quarter of the period
    results: list  # TargetResult
    targets: Table
    target_chart: Chart
    by_commune: list = field(default_factory=list)  # [key figures by commune, cases by commune] at a province
    by_new_commune: bool = False  # the tables by commune are by the new communes of 2025 (`new_communes`)
    audit: AuditResult = field(default_factory=AuditResult)

    def quarter_chart(self, period: Period) -> Chart:
        label = self.settings.label
        quarters = self.quarters
        series = Series("Số vụ việc", "Cases", [None if q.suppressed else q.value for _, q in quarters],
                        suppressed=[q.suppressed for _, q in quarters], reasons=[q.reason for _, q in quarters])
        return Chart(key="chart_cases", title_vi=f"Số vụ việc được thống kê theo quý, {period.label()}",
                     title_en=f"Counted cases by quarter, {period.label('en')}",
                     categories=[name + (f" ({q.hidden_text(label)})" if q.suppressed else "") for name, q in quarters],
                     series=[series], suppress_label=label)


def period_figures(session, period: Period, counted: CountedCases, window: ActivityWindow | None = None, *,
                   by_new_commune: bool = False, stop=None) -> PeriodFigures:
    """The period's protected figures. At a province, the tables by commune are by the unit that kept the records,
    or with `by_new_commune` by the new communes of the 2025 arrangement (`app.reports.communes.new_communes`).

    Every output of the period (the Overview, the default reports) prints the figures as kept, protected as
    always. The new communes' tables are protected *after* them, against them: first the period's figures as
    kept are protected exactly as those outputs protect them, then every count they print is fixed as printed
    (`Ledger.exact`), every count they hide stays hidden, and the new communes' rows are added with "new commune
    = sum of its former units" for every count; only the new rows may be hidden more. A reader holding a report
    of each kind therefore cannot subtract one from the other, and the reports that do not ask for the new
    communes pay nothing for them (neither time nor extra hidden cells).

    `stop()` (optional): asked between the parts of the work; `app.reports.Cancelled` is raised once it is true
    (the Overview asks for newer figures)."""
    def check() -> None:
        if stop is not None and stop():
            raise Cancelled()

    settings = settings_of(session)
    ledger = Ledger()
    province = holds_communes(session)

    total = ledger.add(counted.total(), key("cases"))
    if settings.own_totals_exact and not province:
        ledger.exact.add(key("cases"))  # a commune's own total to its own parent (DESIGN §7)

    check()
    stats = {t.key: ledger.add_table(t) for t in statistics_tables(session, period, counted, protect=False)}
    check()
    quarters = _quarters(session, period, counted, ledger)

    results, by_origin = targets_over(session, period, counted, window)
    check()
    targets = _targets_table(results, ledger, settings)

    by_commune: list[Table] = []
    grouped = False
    if province:
        cases_table = ledger.add_table(cases_by_commune(session, period, counted, protect=False))
        key_table = key_figures_by_commune(session, period, counted, results, by_origin, window=window, ledger=ledger)
        by_commune = [key_table, cases_table]

    check()
    audit = protect(ledger, settings)
    grouping = new_communes(session) if province and by_new_commune else None
    if grouping is not None:
        check()
        # What the outputs as kept print is fixed now; only the new communes' rows may be hidden more.
        ledger.exact.update(k for k in ledger.figures if not ledger.hidden(k))
        new_cases = ledger.add_table(cases_by_commune(session, period, counted, protect=False, grouping=grouping))
        new_key = key_figures_by_commune(session, period, counted, results, by_origin, window=window,
                                         ledger=ledger, grouping=grouping)
        relate_new_communes(ledger, grouping)
        check()
        audit = protect(ledger, settings)
        by_commune, grouped = [new_key, new_cases], True
    chart = _finish_targets(results, targets)
    return PeriodFigures(settings=settings, total=total, stats=stats, quarters=quarters, results=results,
                         targets=targets, target_chart=chart, by_commune=by_commune, by_new_commune=grouped,
                         audit=audit)


def _quarters(session, period: Period, counted: CountedCases, ledger: Ledger) -> list:
    """Counted cases by quarter of the period (the same cases as the tables: consent as of the period's end)."""
    out = []
    store = session.store
    months_by_quarter: dict = {}
    for y, m in period.months():
        months_by_quarter.setdefault((y, (m - 1) // 3 + 1), []).append(f"{y:04d}-{m:02d}")
    fast = (f"SELECT c.reported_on FROM {counted.table} c" if "reported_on" in counted.columns else
            f"SELECT c.reported_on FROM cases c WHERE c.id IN ({counted.fast})")
    counts: dict = {}
    for (reported,) in store.execute(fast).fetchall():
        if reported:
            y, m = int(reported[:4]), int(reported[5:7])
            counts[(y, (m - 1) // 3 + 1)] = counts.get((y, (m - 1) // 3 + 1), 0) + 1
    for (y, q), months in months_by_quarter.items():
        first, last = months[0], months[-1]
        trace = Trace(f"SELECT count(*) FROM cases c WHERE c.id IN ({counted.sql})"
                      " AND substr(c.reported_on, 1, 7) >= ? AND substr(c.reported_on, 1, 7) <= ?",
                      (*counted.params, first, last), f"counted cases, quarter {q} of {y}")
        # A period within one quarter: its quarter is its total, the same count under the same key.
        whole = len(months_by_quarter) == 1
        figure_key = key("cases") if whole else key("cases", ("quarter", f"{y:04d}-Q{q}"))
        figure = ledger.add(Figure(counts.get((y, q), 0), trace), figure_key)
        # The quarter's months, and its row of cases received as a quarter only (when the month table has one).
        parts = [key("cases", ("month", month)) for month in months]
        if whole:
            ledger.relate(Sum(figure_key, tuple(p for p in parts if p in ledger.figures)
                              + tuple(k for k in [key("cases", ("month", f"{y:04d}-Q{q}"))] if k in ledger.figures)))
            out.append((f"Quý {('I', 'II', 'III', 'IV')[q - 1]}", figure))
            continue
        if key("cases", ("month", f"{y:04d}-Q{q}")) in ledger.figures:
            parts.append(key("cases", ("month", f"{y:04d}-Q{q}")))
        ledger.relate(Sum(figure_key, tuple(parts)))
        name = f"Quý {('I', 'II', 'III', 'IV')[q - 1]}" + (f"/{y}" if period.start.year != period.end.year else "")
        out.append((name, figure))
    return out


def _targets_table(results: list, ledger: Ledger, settings: Settings) -> Table:
    columns = [Column("no", "STT", "No.", COUNT, 7), Column("target", "Chỉ tiêu", "Target", TEXT, 60),
               Column("goal", "Mục tiêu", "Goal", TEXT, 10), Column("numerator", "Tử số", "Numerator", COUNT),
               Column("denominator", "Mẫu số", "Denominator", COUNT),
               Column("value", "Kết quả (%)", "Result (%)", PERCENT),
               Column("status", "Đánh giá", "Assessment", TEXT, 14)]
    rows = []
    for n, r in enumerate(results, start=1):
        num = Figure(r.numerator, r.numerator_trace)
        den = Figure(r.denominator, r.denominator_trace)
        value = Figure(r.value)
        if r.numerator_trace is not None:
            value.trace = Trace(f"SELECT 100.0 * ({r.numerator_trace.sql}) / nullif(({r.denominator_trace.sql}), 0)",
                                (*r.numerator_trace.params, *r.denominator_trace.params), "numerator / denominator")
        if r.formula not in NOT_ABOUT_PEOPLE and r.numerator is not None:
            num_key, den_key = target_keys(r)
            ledger.add(num, num_key)
            ledger.add(den, den_key)
            value.sensitive = True
            ledger.relate(Ratio(num_key, den_key, value))
            ledger.relate(AtMost(num_key, den_key))
        rows.append([n, r.label_vi, r.goal_text, num, den, value, r])  # the assessment: after protection
    return Table(key="Chi tieu", title_vi="Kết quả thực hiện các chỉ tiêu", title_en="Targets", columns=columns,
                 rows=rows, suppress_label=settings.label,
                 note_vi="Kết quả (%) = Tử số / Mẫu số × 100. Kết quả được ẩn khi tử số hoặc mẫu số được ẩn.",
                 note_en="Result (%) = numerator / denominator × 100. A result is hidden when its numerator or "
                         "denominator is.")


def _finish_targets(results: list, targets: Table) -> Chart:
    """Once protected: each assessment ("x" where the result is hidden: "met" would bound it), and the chart."""
    values, hidden, reasons = [], [], []
    for row in targets.rows:
        figure = row[5]
        hidden.append(figure.suppressed)
        reasons.append(figure.reason)
        values.append(None if figure.suppressed else figure.value)
    for row in targets.rows:
        row[6] = "x" if row[5].suppressed else row[6].status_label("vi")
    return Chart(key="chart_targets", title_vi="Kết quả so với mục tiêu (%)", title_en="Result against goal (%)",
                 categories=[f"Chỉ tiêu {n}" for n in range(1, len(results) + 1)],
                 series=[Series("Kết quả", "Result", values, suppressed=hidden, reasons=reasons),
                         Series("Mục tiêu", "Goal", [r.goal for r in results])], unit="%")


_QUARTER_OF = "((CAST(substr(c.reported_on, 6, 2) AS INTEGER) + 2) / 3)"


def target_quarters(session, year: int, *, stop=None) -> dict:
    """Target code -> its four quarterly results, counting the cases the year counts (the Overview's charts).

    A quarter of a case target counts the year's counted cases reported in that quarter — consent as of
    the year's end, so a case whose survivor withdrew is left out of every quarter, as out of the year's
    figure and the tables (`app.targets.targets_by_quarter` judges each quarter by its own end). Targets that
    are not about cases (schools) keep their own quarters. The year's results and the quarters' counts are
    read over the year's counted cases once (`CountedCases`); `stop()` is asked between targets
    (`app.reports.Cancelled`).
    """
    from app.reference.periods import profile_for

    session.require("case.read")
    # The plan in force for that year, as targets_for reads it: each target beside its own result (the
    # session's profile is today's, whose targets may differ from a past year's).
    profile = profile_for(session, Period.of(year))
    if profile is None:
        return {}
    if stop is not None and stop():
        raise Cancelled()  # before the counted cases' table is made
    with CountedCases(session, Period.of(year)) as counted:
        return _target_quarters(session, year, profile, counted, stop)


def _target_quarters(session, year: int, profile, counted: CountedCases, stop) -> dict:
    import dataclasses
    import re

    from app.reports.communes import targets_over
    from app.targets import FORMULAS, targets_by_quarter

    whole = Period.of(year)
    quarters = whole.quarters()
    own = None
    out: dict = {}
    shape = re.compile(r"SELECT (?P<agg>.+?) FROM cases c WHERE (?P<rest>.*)\Z", re.S)
    results = targets_over(session, whole, counted, by_unit=False)[0]
    for target, result in zip(profile.targets, results, strict=True):
        if stop is not None and stop():
            raise Cancelled()
        formula = FORMULAS.get(target.formula) if target.computed else None
        traces = formula(session, whole) if formula is not None else None
        matches = [m for m in (shape.match(t.sql) for t in traces) if m is not None] if traces else []
        if traces is None or not matches or len(matches) != len(traces):
            own = own if own is not None else targets_by_quarter(session, year)
            out[result.code] = own.get(result.code, [])
            continue
        counts = []
        for trace, match in zip(traces, matches, strict=True):
            sql = f"SELECT {_QUARTER_OF}, {match['agg']} FROM cases c WHERE {match['rest']} GROUP BY 1"
            counts.append({int(q): int(v or 0) for q, v in session.store.execute(*counted.read(sql, trace.params))})
        series = []
        for n, quarter in enumerate(quarters, start=1):
            numerator, denominator = counts[0].get(n, 0), counts[1].get(n, 0)
            value = 100.0 * numerator / denominator if denominator else None
            met = target.is_met(value)

            def limited(trace: Trace, match: re.Match[str], n: int = n) -> Trace:
                return Trace(f"SELECT {match['agg']} FROM cases c WHERE ({match['rest']}) AND {_QUARTER_OF} = ?",
                             (*trace.params, n), f"{trace.description} (quarter {n})".strip())

            series.append(dataclasses.replace(
                result, period=quarter, numerator=numerator, denominator=denominator, value=value,
                status="no_data" if met is None else ("met" if met else "not_met"),
                numerator_trace=limited(traces[0], matches[0]), denominator_trace=limited(traces[1], matches[1])))
        out[result.code] = series
    return out


__all__ = ["PeriodFigures", "period_figures", "target_keys", "target_quarters"]
