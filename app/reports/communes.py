"""Figures by commune at a province or district node, and the targets read over the counted cases once.

A province (or district) holds every commune's records, received by sync: each
record keeps the id of the node that wrote it (`origin`, DESIGN §6), and
`sync_peers` names those nodes (a district's communes arrive as
`descendant`s). A demo province keeps its communes in `meta.demo_communes`.
Records with an origin this node cannot name are shown as "Đơn vị chưa rõ".

    if holds_communes(session):
        with CountedCases(session, period) as counted:
            results, by_origin = targets_over(session, period, counted)
            cases = cases_by_commune(session, period, counted)
            key = key_figures_by_commune(session, period, counted, results, by_origin)

Every figure carries the query that recomputes it alone (`Figure.trace`),
written over the full counting rules; only the values are read over the
counted cases' temporary table. Small counts are hidden by the same rule as
elsewhere (`figures.suppress`). At a commune nothing here is used.
"""

from __future__ import annotations

import json
import re
from typing import Any
from dataclasses import dataclass

from app.reports.activities import MEASURE, ActivityWindow, activity_base
from app.reports.cases import CountedCases, suppression
from app.reports.figures import TOTAL, count_table, options, suppress
from app.reports.disclosure import AtMost, Ratio, Sum, key
from app.reports.model import COUNT, PERCENT, SECONDARY, TEXT, Column, Figure, Table
from app.targets import FORMULAS, Period, TargetResult, Trace, gbv_types, result_extra

UNKNOWN = ("Đơn vị chưa rõ", "Unknown unit")
OWN = ("(nhập tại đơn vị này)", "(entered at this node)")
COMMUNE_HEADER = ("Xã, phường, đặc khu", "Commune")


def holds_communes(session) -> bool:
    """A province or district: its figures are broken down by commune."""
    return session.node_info.kind in ("province", "district")


@dataclass(frozen=True)
class Unit:
    origin: str  # the node id its records carry
    code: str
    name: str

    def label(self, lang: str = "vi") -> str:
        name = self.name.strip() or (UNKNOWN[1] if lang == "en" else "Đơn vị")
        return f"{name} ({self.code})" if self.code else name


def roster(session) -> list[Unit]:
    """The units whose records this node may hold: itself, then its communes (and districts) by code."""
    info = session.node_info
    units: dict[str, Unit] = {}
    for row in session.store.query("SELECT value FROM meta WHERE key = 'demo_communes'"):
        try:
            for entry in json.loads(row["value"]):
                units[entry["id"]] = Unit(entry["id"], entry.get("code") or "", entry.get("name") or "")
        except (ValueError, TypeError, KeyError):
            pass  # a damaged roster only loses names; the records still count under "unknown"
    for row in session.store.query("SELECT node_id, code, name FROM sync_peers WHERE relation != 'parent'"
                                   " AND kind != 'point'"):  # a point counts in its commune (`unit_of`)
        units[row["node_id"]] = Unit(row["node_id"], row["code"] or "", row["name"] or "")
    own = Unit(info.id, info.code, f"{info.name} {OWN[0]}")
    return [own] + sorted((u for u in units.values() if u.origin != info.id), key=lambda u: (u.code, u.name))


def unit_of(alias: str) -> str:
    """SQL: the unit a record of `alias` counts under. Its origin, except that a trusted-address point's records
    count in the commune the point belongs to (its parent by code): a point is part of its commune, never a
    row of its own."""
    return (f"coalesce((SELECT u.node_id FROM sync_peers pt JOIN sync_peers u ON u.code = pt.parent_code"
            f" AND u.kind = 'commune' AND u.relation IN ('child', 'descendant') WHERE pt.node_id = {alias}.origin"
            f" AND pt.kind = 'point' ORDER BY u.status = 'active' DESC LIMIT 1), {alias}.origin)")


# --- the new communes of the 2025 arrangement ------------------------------------------------------------
NEW_PREFIX = "new:"  # a new commune's row id: never a node id (those are uuids), never a key of a unit as kept


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class NewCommunes:
    """The units of this node's roster grouped into the communes they make up since the 2025 arrangement.

    A unit belongs to a new commune when its node was merged into that commune's node (`binhan node merge`: the
    old node's signed statement, kept with its peer row), or when the province's commune map
    (`data/commune_maps/*.toml`) lists its code among the new commune's former communes, or when its code is the
    new commune's own. Units in no group stay rows of their own. Every figure of a group is the sum of its
    members' figures, and `app.reports.period` relates them so for the disclosure audit.
    """

    group_of: dict  # origin -> group id (NEW_PREFIX + the new commune's code)
    labels: dict  # group id -> (vi, en)
    members_vi: dict  # group id -> the names of its former units, for the note

    def sql(self, alias: str) -> str:
        """SQL: the row a record of `alias` counts under, its new commune's where it has one."""
        unit = unit_of(alias)
        if not self.group_of:
            return unit
        cases = " ".join(f"WHEN {_quoted(o)} THEN {_quoted(g)}" for o, g in sorted(self.group_of.items()))
        return f"(CASE {unit} {cases} ELSE {unit} END)"

    def of(self, origin: str) -> str:
        return self.group_of.get(origin, origin)

    def members(self, group: str) -> list[str]:
        return sorted(o for o, g in self.group_of.items() if g == group)

    def note(self) -> tuple[str, str]:
        parts = [f"{self.labels[g][0]}: {', '.join(self.members_vi[g])}" for g in sorted(self.labels)]
        return ("Theo xã mới (sắp xếp đơn vị hành chính cấp xã năm 2025); mỗi xã mới gồm số liệu của các đơn vị cũ: "
                + "; ".join(parts) + ".",
                "By the new communes of the 2025 arrangement; each adds up the former units listed in the Vietnamese "
                "note.")


def _merged_into(voucher: str | None) -> tuple[str, str] | None:
    """(id, code) of the node an old node was merged into, from the merge statement kept with its peer row."""
    try:
        document = json.loads(voucher or "")["merged"]["document"]
        into = document["merged_into"]
        return str(into["id"]), str(into["code"])
    except (ValueError, TypeError, KeyError):
        return None


def new_communes(session, units: list[Unit] | None = None) -> NewCommunes | None:
    """This node's units grouped by new commune (None when no unit belongs to one: nothing to regroup)."""
    from app.reference.communes import load_all_commune_maps

    units = roster(session) if units is None else units
    by_code = {u.code: u for u in units if u.code}
    code_of = {u.origin: u.code for u in units if u.code}
    maps = load_all_commune_maps()
    merged_old = {code: m for cmap in maps for m in cmap.merges for code in m.old}
    new_by_code = {m.new_code: m for cmap in maps for m in cmap.merges}
    group_of: dict[str, str] = {}
    labels: dict[str, tuple[str, str]] = {}
    names: dict[str, str] = {}
    for row in session.store.query("SELECT node_id, code, name, voucher FROM sync_peers"
                                   " WHERE voucher LIKE '%\"merged\"%'"):
        into = _merged_into(row["voucher"])
        if into is not None:
            # The new node's code as this node registered it (the statement's own word only for a node not known).
            code = code_of.get(into[0]) or into[1]
            group_of[row["node_id"]] = NEW_PREFIX + code
            group_of.setdefault(into[0], NEW_PREFIX + code)
            names.setdefault(code, by_code[code].name if code in by_code else "")
    for unit in units:
        if unit.origin in group_of:
            continue
        merge = merged_old.get(unit.code) or new_by_code.get(unit.code)
        if merge is not None:
            group_of[unit.origin] = NEW_PREFIX + merge.new_code
            names.setdefault(merge.new_code, merge.new_name_vi)
    if not group_of:
        return None
    label_of = {u.origin: u.label("vi") for u in units}
    members_vi: dict[str, list[str]] = {}
    for origin, group in sorted(group_of.items()):
        code = group[len(NEW_PREFIX):]
        name = names.get(code) or (new_by_code[code].new_name_vi if code in new_by_code else "")
        name = name or (by_code[code].name if code in by_code else "Xã mới")
        labels[group] = (f"{name} ({code}) – xã mới", f"{name} ({code}) – new commune")
        members_vi.setdefault(group, []).append(label_of.get(origin) or _unknown(origin))
    return NewCommunes(group_of=group_of, labels=labels,
                       members_vi={g: sorted(names_of) for g, names_of in members_vi.items()})


def _rows(session, grouping: NewCommunes | None = None) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    units = roster(session)
    rows = [(u.origin, u.label("vi"), u.label("en")) for u in units if grouping is None or u.origin not in
            grouping.group_of]
    if grouping is not None:
        rows += [(g, *grouping.labels[g]) for g in sorted(grouping.labels, key=lambda g: grouping.labels[g][0])]
    return rows, {r[0]: r[1] for r in rows}


def _unit(alias: str, grouping: NewCommunes | None) -> str:
    return unit_of(alias) if grouping is None else grouping.sql(alias)


def _unknown(origin: str) -> str:
    """A unit this node cannot name, told apart by the end of its id (the start of a time-ordered id is shared)."""
    return f"{UNKNOWN[0]} (…{origin[-8:]})" if len(origin) > 8 else UNKNOWN[0]


def _name_unknown(table: Table, known: dict[str, str]) -> Table:
    """Rows `count_table` added for origins this node cannot name: say so instead of printing an id."""
    for row in table.rows:
        if isinstance(row[0], str) and row[0] not in known.values() and row[0] != TOTAL[0]:
            row[0] = _unknown(row[0])
    return table


def cases_by_commune(session, period: Period, counted: CountedCases, *, protect: bool = True,
                     grouping: NewCommunes | None = None) -> Table:
    """Counted cases by commune (rows) and GBV type (columns), with totals; small cells hidden.

    `protect=False`: left for `app.reports.period` to protect with the period's other tables.
    `grouping`: rows by new commune (`new_communes`) instead of by the unit that kept the records.
    """
    ref = session.reference
    threshold, label = suppression(session)
    gbv = set(gbv_types(ref))
    rows, known = _rows(session, grouping)
    unit = f"SELECT {_unit('c', grouping)} AS r, c.violence_type AS k, 1 AS n FROM cases c WHERE c.id IN ({counted.sql})"
    table = count_table(session.store, key="Theo xa", title=("Vụ việc được thống kê theo xã và loại bạo lực",
                                                              "Counted cases by commune and type of violence"),
                        unit_sql=unit, params=counted.params, rows=rows,
                        cols=[o for o in options(ref, "violence_type") if o[0] in gbv], row_header=COMMUNE_HEADER,
                        threshold=threshold if protect else 0, suppress_label=label, keep_empty_rows=False,
                        read_as=counted.read(unit, counted.params), dims=("cases", "unit", "type"),
                        note=(("Theo đơn vị đã ghi vụ việc (xã gửi lên qua đồng bộ). Ô có số nhỏ được ẩn.",
                               "By the unit that recorded the case (sent up by sync). Small cells are hidden.")
                              if grouping is None else
                              (f"{grouping.note()[0]} Ô có số nhỏ được ẩn.",
                               f"{grouping.note()[1]} Small cells are hidden.")))
    return _name_unknown(table, known)


def _note(grouping: NewCommunes | None, note: tuple[str, str]) -> tuple[str, str]:
    if grouping is None:
        return note
    vi, en = grouping.note()
    return f"{note[0]} {vi}", f"{note[1]} {en}"


# --- targets over the counted cases --------------------------------------------------------------------
_AGGREGATE = re.compile(r"SELECT (?P<agg>.+?) FROM (?P<table>cases|schools) (?P<alias>\w+) WHERE (?P<rest>.*)\Z",
                        re.S)


def _grouped(store, trace: Trace, counted: CountedCases, window: ActivityWindow | None) -> dict[str, int] | None:
    """The trace's value for each origin (None when its query is not one aggregate over cases or schools)."""
    match = _AGGREGATE.match(trace.sql)
    if match is None:
        return None
    agg, table, alias, rest = match["agg"], match["table"], match["alias"], match["rest"]
    sql, params = counted.read(f"SELECT {unit_of(alias)}, {agg} FROM {table} {alias} WHERE {rest} GROUP BY 1",
                               trace.params)
    if window is not None:
        sql, params = window.read(sql, params)
    return {origin: int(value or 0) for origin, value in store.execute(sql, params).fetchall()}


def _whole(store, trace: Trace, counted: CountedCases, window: ActivityWindow | None) -> int:
    """The trace's value, read over the counted cases' temporary table (and the activity window)."""
    sql, params = counted.read(trace.sql, trace.params)
    if window is not None:
        sql, params = window.read(sql, params)
    return int(store.execute(sql, params).fetchone()[0] or 0)


def origin_trace(trace: Trace | None, origin: str, grouping: NewCommunes | None = None) -> Trace | None:
    """The trace limited to the records of one origin, or of one new commune's row with `grouping` (None without a
    trace, or of a shape not understood)."""
    if trace is None:
        return None
    match = _AGGREGATE.match(trace.sql)
    if match is None:
        return None
    agg, table, alias, rest = match["agg"], match["table"], match["alias"], match["rest"]
    return Trace(f"SELECT {agg} FROM {table} {alias} WHERE {_unit(alias, grouping)} = ? AND ({rest})",
                 (origin, *trace.params),
                 f"{trace.description} (one unit)".strip())


def targets_over(session, period: Period, counted: CountedCases, window: ActivityWindow | None = None, *,
                 by_unit: bool = True) -> tuple[list[TargetResult], dict[str, dict[str, tuple[int, int]]]]:
    """`app.targets.targets_for(session, period)`, and each target's (numerator, denominator) by origin.

    Each numerator and denominator is read once, grouped by origin, over the counted
    cases' temporary table; the whole is the sum of the parts. The results (values,
    traces, status) are those `targets_for` gives — `tests/reports/test_communes.py`
    checks it on generated data. With `by_unit=False` each is read whole over the same table (no counts by
    origin: the Overview's cards need the totals only, and finding each record's unit is the dear part).
    """
    session.require("case.read")
    from app.reference.periods import profile_for

    profile = profile_for(session, period)  # the plan in force for the period (app.reference.periods)
    if profile is None:
        return [], {}
    store = session.store
    results, by_origin = [], {}
    with store.lock:
        for target in profile.targets:
            formula = FORMULAS.get(target.formula) if target.computed else None
            num_trace = den_trace = None
            numerator = denominator = value = None
            if formula is not None:
                num_trace, den_trace = formula(session, period)
                nums, dens = ((_grouped(store, num_trace, counted, window), _grouped(store, den_trace, counted, window))
                              if by_unit else (None, None))
                if not by_unit:
                    numerator, denominator = (_whole(store, num_trace, counted, window),
                                              _whole(store, den_trace, counted, window))
                elif nums is None or dens is None:  # a formula of another shape: read it whole
                    numerator, denominator = int(num_trace.run(store)), int(den_trace.run(store))
                else:
                    numerator, denominator = sum(nums.values()), sum(dens.values())
                    by_origin[target.code] = {o: (nums.get(o, 0), dens.get(o, 0)) for o in set(nums) | set(dens)}
                if denominator:
                    value = 100.0 * numerator / denominator
            met = target.is_met(value)
            results.append(TargetResult(
                code=target.code, label_vi=target.vi, label_en=target.en, formula=target.formula, period=period,
                numerator=numerator, denominator=denominator, value=value, goal=target.goal,
                comparison=target.comparison, unit=target.unit,
                status="no_data" if met is None else ("met" if met else "not_met"),
                definition_vi=target.definition_vi, definition_en=target.definition_en,
                numerator_trace=num_trace, denominator_trace=den_trace,
                extra=result_extra(session, target, period, formula is not None, read=counted.read)))
    return results, by_origin


# --- the key figures by commune ------------------------------------------------------------------------
def _rate(num: Figure, den: Figure, threshold: int, *, people: bool) -> Figure:
    """num / den in percent; hidden (with both counts) when either count of people is small."""
    value = 100.0 * (num.value or 0) / den.value if den.value else None
    trace = None
    if num.trace is not None and den.trace is not None:
        trace = Trace(f"SELECT 100.0 * ({num.trace.sql}) / nullif(({den.trace.sql}), 0)",
                      (*num.trace.params, *den.trace.params), "numerator / denominator")
    small = people and any(f.value is not None and 0 < f.value < threshold for f in (num, den))
    # A rate is never itself a small count: it is hidden so that the small one behind it cannot be worked out.
    return Figure(value, trace, suppressed=small, sensitive=people, reason=SECONDARY if small else "")


def key_figures_by_commune(session, period: Period, counted: CountedCases, results: list[TargetResult],
                           by_origin: dict[str, dict[str, tuple[int, int]]], cases_table: Table | None = None,
                           window: ActivityWindow | None = None, ledger=None,
                           grouping: NewCommunes | None = None) -> Table:
    """One row a commune: counted cases, activities and participants, and each target's result there.

    `grouping`: one row a new commune (`new_communes`); `by_origin` stays by origin and is added up here.

    `ledger` (`app.reports.disclosure.Ledger`): the counts and rates are entered in it, with how they
    relate (the communes add up to the totals; a rate ties a commune's numerator to its denominator),
    and left for it to protect with the period's other tables (`app.reports.period`). Without one,
    small counts are hidden here: `cases_table` (`cases_by_commune`) prints the same communes' totals,
    so a count hidden there is hidden here too.
    """
    threshold, label = suppression(session)
    rows, known = _rows(session, grouping)
    store = session.store
    if grouping is not None:
        by_origin = _regrouped(by_origin, grouping)
    unit_sql = _unit('c', grouping)

    cases_sql = f"SELECT count(*) FROM cases c WHERE c.id IN ({counted.sql})"
    cases = dict(store.execute(*counted.read(f"SELECT {unit_sql}, count(*) FROM cases c"
                                             f" WHERE c.id IN ({counted.sql}) GROUP BY 1", counted.params)).fetchall())
    base, params = activity_base(period)
    acts_sql = f"SELECT {_unit('a', grouping)}, {MEASURE['activities'][1]}, {MEASURE['total'][1]} {base} GROUP BY 1"
    acts = {r[0]: (int(r[1] or 0), int(r[2] or 0))
            for r in store.execute(*(window.read(acts_sql, params) if window is not None else (acts_sql, params)))}
    shown = [t for t in results if t.code in by_origin]
    origins = [r[0] for r in rows]
    origins += sorted({o for o in (*cases, *acts, *(o for t in shown for o in by_origin[t.code]))
                       if o not in origins})
    labels = {r[0]: r[1] for r in rows}

    columns = [Column("row", *COMMUNE_HEADER, kind=TEXT, width=30),
               Column("cases", "Vụ việc được thống kê", "Counted cases", COUNT),
               Column("activities", "Số hoạt động", "Activities", COUNT),
               Column("participants", "Lượt người tham gia", "Participants", COUNT, 13)]
    columns += [Column(f"target_{t.code}", f"Chỉ tiêu {n} (%)", f"Target {n} (%)", PERCENT)
                for n, t in enumerate(results, start=1) if t in shown]

    case_figures, body = [], []
    for origin in origins:
        n_cases = cases.get(origin, 0)
        n_acts, n_people = acts.get(origin, (0, 0))
        figures = {t.code: by_origin[t.code].get(origin, (0, 0)) for t in shown}
        if not (n_cases or n_acts or any(num or den for num, den in figures.values())):
            continue  # a unit with nothing in the period
        case_fig = Figure(n_cases, Trace(f"SELECT count(*) FROM cases c WHERE {unit_sql} = ?"
                                         f" AND c.id IN ({counted.sql})", (origin, *counted.params)), sensitive=True)
        case_figures.append(case_fig)
        in_unit = f"AND {_unit('a', grouping)} = ?"
        if ledger is not None:
            ledger.add(case_fig, key("cases", ("unit", origin)))
        line: list[Any] = [labels.get(origin) or _unknown(origin), case_fig,
                Figure(n_acts, Trace(f"SELECT {MEASURE['activities'][1]} {base} {in_unit}", (*params, origin))),
                Figure(n_people, Trace(f"SELECT {MEASURE['total'][1]} {base} {in_unit}", (*params, origin)))]
        for t in shown:
            num, den = figures[t.code]
            people = t.formula != "schools_integrating"
            rate = _rate(Figure(num, origin_trace(t.numerator_trace, origin, grouping)),
                         Figure(den, origin_trace(t.denominator_trace, origin, grouping)), threshold if ledger is None else 0,
                         people=people)
            if ledger is not None and people:
                _enter_rate(ledger, t, rate, num, den, ("unit", origin))
            line.append(rate)
        body.append(line)

    total_cases = Figure(sum(cases.values()), Trace(cases_sql, counted.params), sensitive=True)
    if ledger is not None:
        ledger.add(total_cases, key("cases"))
        ledger.relate(Sum(key("cases"), tuple(f.key for f in case_figures)))
    elif cases_table is not None:
        hidden = {row[0]: row[-1] for row in cases_table.rows if isinstance(row[-1], Figure) and row[-1].suppressed}
        for line in body:
            if line[0] in hidden:
                line[1].hide(hidden[line[0]].reason)
        if cases_table.total and cases_table.total[-1].suppressed:
            total_cases.hide(cases_table.total[-1].reason)
    if threshold > 1 and ledger is None:  # the cases column with its total, as in every count table
        suppress([[f] for f in case_figures], None, [total_cases], None, threshold)
    total = [TOTAL[0], total_cases,
             Figure(sum(v[0] for v in acts.values()), Trace(f"SELECT {MEASURE['activities'][1]} {base}", params)),
             Figure(sum(v[1] for v in acts.values()), Trace(f"SELECT {MEASURE['total'][1]} {base}", params))]
    for t in shown:
        people = t.formula != "schools_integrating"
        rate = _rate(Figure(t.numerator, t.numerator_trace), Figure(t.denominator, t.denominator_trace),
                     threshold if ledger is None else 0, people=people)
        if ledger is not None and people:
            if t.numerator is None or t.denominator is None:  # targets_over reads both of every target it groups
                raise AssertionError(f"target {t.code}: counts by origin without its totals")
            _enter_rate(ledger, t, rate, t.numerator, t.denominator)
            units = [o for o in by_origin[t.code]]
            num_key, den_key = _target_keys(t)
            ledger.relate(Sum(num_key, tuple(_target_keys(t, ("unit", o))[0] for o in units)))
            ledger.relate(Sum(den_key, tuple(_target_keys(t, ("unit", o))[1] for o in units)))
        total.append(rate)
    note = _note(grouping, ("Chỉ tiêu n (%): kết quả của chỉ tiêu thứ n tại xã (xem mục III). Kết quả được ẩn khi "
                            "từ đó có thể suy ra một số nhỏ.",
                            "Target n (%): the result of target n in the commune (see part III). A result is hidden "
                            "where a small count could be worked out from it."))
    return Table(key="Chi tieu theo xa", title_vi="Kết quả chính theo xã", title_en="Key figures by commune",
                 columns=columns, rows=body, total=total, suppress_label=label, note_vi=note[0], note_en=note[1])


def _regrouped(by_origin: dict, grouping: NewCommunes) -> dict:
    """Each target's (numerator, denominator) by origin, added up by new commune."""
    out: dict = {}
    for code, values in by_origin.items():
        grouped: dict = {}
        for origin, (num, den) in values.items():
            n, d = grouped.get(grouping.of(origin), (0, 0))
            grouped[grouping.of(origin)] = (n + num, d + den)
        out[code] = grouped
    return out


def relate_new_communes(ledger, grouping: NewCommunes) -> None:
    """For the disclosure audit: every count of a new commune's row is the sum of the same count of its former
    units (printed in the tables as kept, or zero where a unit had nothing), so that hiding a former unit's count
    in one output and printing its new commune's in another cannot give it away.

    Called once the counts as kept are fixed as printed (`Ledger.exact`, `app.reports.period`): a new commune's
    count whose every part is printed (or an absent unit's zero) is public already, and is printed as it is —
    hiding it would protect nothing, and the audit could never find it hidden."""
    groups = set(grouping.labels)
    for figure_key in list(ledger.figures) + list(ledger.unprinted):
        universe, conditions = figure_key
        unit = dict(conditions).get("unit")
        if not isinstance(unit, str) or unit not in groups:
            continue
        parts = []
        for origin in grouping.members(unit):
            part = key(universe, *((name, origin if name == "unit" else value) for name, value in conditions))
            if part not in ledger.figures and part not in ledger.unprinted:
                ledger.declare(part, 0)
            parts.append(part)
        ledger.relate(Sum(figure_key, tuple(parts)))
        if all(part in ledger.exact and not ledger.hidden(part) or ledger.unprinted.get(part, None) == 0
               for part in parts):
            ledger.exact.add(figure_key)


def _target_keys(result: TargetResult, *unit):
    from app.reports.period import target_keys

    return target_keys(result, *unit)


def _enter_rate(ledger, result: TargetResult, rate: Figure, num: int, den: int, *unit) -> None:
    """A printed rate in the ledger: it ties the numerator to the denominator, neither printed here."""
    num_key, den_key = _target_keys(result, *unit)
    ledger.declare(num_key, num)
    ledger.declare(den_key, den)
    rate.sensitive = True
    ledger.relate(Ratio(num_key, den_key, rate))
    ledger.relate(AtMost(num_key, den_key))


def commune_overview(session, period: Period, *, stop=None) -> Table | None:
    """The key figures by commune for the Overview page (None at a commune, or without the rights to read both).

    Protected with the period's reports (`app.reports.period`): it hides what they hide. `stop()`: true once
    the table is no longer wanted (`app.reports.period.period_figures` stops between its parts).
    """
    if not (holds_communes(session) and session.can("case.read") and session.can("activity.read")):
        return None
    from app.reports.period import period_figures
    from app.reports.progress import Cancelled

    if stop is not None and stop():
        raise Cancelled()  # before the temporary tables are made (half a second at a large province)
    with CountedCases(session, period) as counted, ActivityWindow(session, period) as window:
        return period_figures(session, period, counted, window, stop=stop).by_commune[0]


__all__ = ["NewCommunes", "Unit", "cases_by_commune", "commune_overview", "holds_communes", "key_figures_by_commune",
           "new_communes", "origin_trace", "relate_new_communes", "roster", "targets_over", "unit_of"]
