"""Disclosure control: which counts a reader may see, proven by linear programming (DESIGN §7, issue 16).

A *ledger* holds every count about people that one period's outputs print
(annual report, statistics workbook, Overview, charts: they share their
margins, so they are protected together), each named by a *key* that says what
it counts — the same key wherever the same quantity is printed — and the
relations a reader knows between them:

- `Sum(total, parts)`: a total is the sum of its parts (a table's rows and
  columns, the quarters of a year, the communes of a province);
- `Ratio(num, den, figure)`: a printed percentage ties its numerator to its
  denominator (Excel keeps the full value, so the tie is exact);
- `AtMost(part, whole)`: a numerator never exceeds its denominator.

`protect(ledger, settings)` hides counts from 1 to threshold-1 (*primary*),
then more (*secondary*, printed "x") until the audit passes: for every hidden
count — and every count not printed at all whose value is small, such as a
commune's numerator behind a printed rate — the smallest and largest value over
all tables consistent with everything printed (each printed figure, each
printed zero, that a "<5" lies in 1..threshold-1 and that an "x" is at least
the threshold) must be at least `protection_range` apart (a primary count
never needs more than its label already says, threshold-2). The bounds come
from linear programs solved by HiGHS (`highspy`); the integers a reader could
hold lie inside them, so an interval that is wide enough by LP is wide enough.

A percentage follows its cells: it is hidden when its numerator or its
denominator is. The node's own grand total may be printed exactly (a
commune's report to its own parent: `Settings.own_totals_exact`); the audit
then takes it as printed like any other figure.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

from app.errors import BinhAnError
from app.reports.model import MASKED, PRIMARY, SECONDARY, Figure, Table

#: A count's name: (universe, ((dimension, code), …) sorted) — e.g. ("cases", (("sex", "female"), ("type", "rape"))).
Key = tuple

DEFAULT_PROTECTION_RANGE = 3  # with the threshold 5: a hidden count stays anywhere in 1..4, as "<5" says
DEFAULT_K_ANONYMITY = 3


class DisclosureError(BinhAnError):
    pass


@dataclass(frozen=True)
class Settings:
    threshold: int = 5
    label: str = "<5"
    protection_range: int = DEFAULT_PROTECTION_RANGE
    k_anonymity: int = DEFAULT_K_ANONYMITY
    own_totals_exact: bool = True  # a commune's report states its own totals exactly (the profile may say no)

    @property
    def active(self) -> bool:
        return self.threshold > 1

    def required(self, primary_like: bool) -> int:
        """The width a hidden count's interval must reach."""
        if primary_like:
            return max(0, min(self.protection_range, self.threshold - 2))
        return self.protection_range


def settings_of(session) -> Settings:
    """The profile's disclosure settings (`small_cell_threshold`, `protection_range`, `k_anonymity`,
    `commune_totals_exact`); defaults without a profile."""
    profile = session.profile
    if profile is None:
        return Settings()
    raw = profile.raw

    def whole(name: str, default: int, least: int) -> int:
        value = raw.get(name, default)
        if type(value) is not int or value < least:
            raise DisclosureError(f"Hồ sơ tỉnh: '{name}' phải là số nguyên từ {least} trở lên.",
                                  f"Province profile: '{name}' must be a whole number of at least {least}.")
        return value

    exact = raw.get("commune_totals_exact", True)
    if type(exact) is not bool:
        raise DisclosureError("Hồ sơ tỉnh: 'commune_totals_exact' phải là true hoặc false.",
                              "Province profile: 'commune_totals_exact' must be true or false.")
    return Settings(threshold=profile.small_cell_threshold, label=profile.small_cell_label,
                    protection_range=whole("protection_range", DEFAULT_PROTECTION_RANGE, 0),
                    k_anonymity=whole("k_anonymity", DEFAULT_K_ANONYMITY, 1), own_totals_exact=exact)


def key(universe: str, *conditions: tuple[str, str]) -> Key:
    return (universe, tuple(sorted(conditions)))


# --- relations ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sum:
    total: Key
    parts: tuple

    def members(self) -> tuple:
        return (self.total, *self.parts)


@dataclass(frozen=True, eq=False)
class Ratio:
    num: Key
    den: Key
    figure: Figure  # the printed percentage (value in percent); no tie while it is hidden

    def members(self) -> tuple:
        return (self.num, self.den)


@dataclass(frozen=True)
class AtMost:
    part: Key
    whole: Key

    def members(self) -> tuple:
        return (self.part, self.whole)


@dataclass
class Ledger:
    """The counts one period's outputs print, by key, with the relations between them."""

    figures: dict = field(default_factory=dict)  # key -> [Figure]
    relations: list = field(default_factory=list)
    unprinted: dict = field(default_factory=dict)  # key -> value: counts only a relation names
    exact: set = field(default_factory=set)  # keys printed as they are, however small
    # Once a small count prints "x" too (`MASKED`), a reader can no longer take an "x" for at least the threshold.
    x_may_be_small: bool = False
    _hidden: set = field(default_factory=set, repr=False)  # keys hidden (kept by `add` and `hide`)
    _by_member: dict | None = field(default=None, repr=False)  # key -> the relations naming it (built once)

    def relations_of(self, figure_key: Key) -> list:
        if self._by_member is None or self._by_member.get(None) != len(self.relations):
            index: dict = {None: len(self.relations)}
            for relation in self.relations:
                for m in relation.members():
                    index.setdefault(m, []).append(relation)
            self._by_member = index
        return self._by_member.get(figure_key, [])

    def x_may_be_zero(self) -> bool:
        """A zero was hidden: an "x" may be 0."""
        return any(self.hidden(k) and self.value(k) == 0 for k in self.figures)

    def add(self, figure: Figure, figure_key: Key | None = None) -> Figure:
        figure_key = figure_key if figure_key is not None else figure.key
        if figure_key is None:
            raise ValueError("a figure without a key cannot be protected")
        figure.key, figure.sensitive = figure_key, True
        declared = self.unprinted.pop(figure_key, None)
        if declared is not None and declared != int(figure.value or 0):
            raise AssertionError(f"disclosure: {figure_key} was declared {declared}, printed {figure.value}")
        self.figures.setdefault(figure_key, []).append(figure)
        if figure.suppressed:
            self._hidden.add(figure_key)
        return figure

    def add_table(self, table: Table) -> Table:
        for cell in table.figures():
            if cell.key is not None:
                self.add(cell)
        self.relations += table.relations
        return table

    def declare(self, figure_key: Key, value: int) -> None:
        """A count no output prints, that a relation names (its value, for the audit)."""
        if figure_key in self.figures:
            if self.value(figure_key) != int(value):
                raise AssertionError(f"disclosure: {figure_key} is printed as {self.value(figure_key)}, not {value}")
        elif self.unprinted.setdefault(figure_key, int(value)) != int(value):
            raise AssertionError(f"disclosure: {figure_key} was declared with two values")

    def relate(self, relation) -> None:
        self.relations.append(relation)

    def value(self, figure_key: Key) -> int:
        figures = self.figures.get(figure_key)
        if figures:
            return int(figures[0].value or 0)
        return self.unprinted[figure_key]

    def hidden(self, figure_key: Key) -> bool:
        return figure_key in self._hidden

    def reason(self, figure_key: Key) -> str:
        return next((f.reason for f in self.figures.get(figure_key, ()) if f.suppressed), "")

    def hide(self, figure_key: Key, reason: str) -> None:
        for figure in self.figures.get(figure_key, ()):
            if not figure.suppressed:
                figure.hide(reason)
        if figure_key in self.figures:
            self._hidden.add(figure_key)

    def check(self) -> None:
        """Every figure of a key agrees, and every relation holds on the true values (else the audit is wrong)."""
        for figure_key, figures in self.figures.items():
            values = {int(f.value or 0) for f in figures}
            if len(values) > 1:
                raise AssertionError(f"disclosure: {figure_key} is printed with different values {sorted(values)}")
        for relation in self.relations:
            missing = [m for m in relation.members() if m not in self.figures and m not in self.unprinted]
            if missing:
                raise AssertionError(f"disclosure: a relation names counts nobody declared: {missing[:3]}")
            if isinstance(relation, Sum):
                if self.value(relation.total) != sum(self.value(p) for p in relation.parts):
                    raise AssertionError(f"disclosure: {relation.total} is not the sum of its parts")
            elif isinstance(relation, AtMost):
                if self.value(relation.part) > self.value(relation.whole):
                    raise AssertionError(f"disclosure: {relation.part} exceeds {relation.whole}")


# --- the audit ---------------------------------------------------------------------------------------------
@dataclass
class Interval:
    """What a reader can narrow one hidden count to.

    `exact`: `low`..`high` is the whole interval (both bounds solved). Otherwise it is a part of it that
    points already found prove reachable — enough to show the width is at least `required`.
    """

    key: Key
    low: int
    high: float  # math.inf when unbounded
    required: int
    value: int
    exact: bool = True

    @property
    def width(self) -> float:
        return self.high - self.low

    @property
    def ok(self) -> bool:
        return self.width >= self.required


@dataclass
class AuditResult:
    """What the audit proved: every hidden count's interval, and whether each is wide enough."""

    hidden: int = 0  # hidden counts (keys: one quantity printed in several tables counts once)
    intervals: list = field(default_factory=list)
    required: int = 0
    solved: int = 0  # linear programs run
    active: bool = True
    x_low: int = 0  # what a reader may take an "x" for, at least
    threshold: int = 0
    component: dict = field(default_factory=dict, repr=False)  # key -> its component (what ties it)

    @property
    def failures(self) -> list:
        return [i for i in self.intervals if not i.ok]

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def narrowest(self) -> float | None:
        return min((i.width for i in self.intervals), default=None)

    def line(self, lang: str = "vi") -> str:
        """The one line stored with the output and shown in the preview."""
        en = lang.lower().startswith("en")
        if not self.active:
            return ("Small-cell protection: not applied (the profile sets no threshold)." if en else
                    "Kiểm tra bảo vệ số liệu nhỏ: không áp dụng (hồ sơ tỉnh không đặt ngưỡng).")
        narrow = self.narrowest
        narrow_text = "—" if narrow is None else ("∞" if narrow == math.inf else str(int(narrow)))
        failures = len(self.failures)
        wide = self.x_low < self.threshold
        if en:
            verdict = "passed" if not failures else f"FAILED for {failures} count(s)"
            if wide:
                verdict += " (an “x” may stand for a small count" + (" or 0)" if self.x_low == 0 else ")")
            return (f"Small-cell protection check: {self.hidden} hidden count(s), narrowest interval {narrow_text} "
                    f"(required ≥ {self.required}; linear programming over every figure printed for the period): "
                    f"{verdict}.")
        verdict = "đạt" if not failures else f"KHÔNG ĐẠT ở {failures} ô"
        if wide:
            verdict += " (ô ghi “x” cũng có thể là số nhỏ" + (" hoặc số 0)" if self.x_low == 0 else ")")
        return (f"Kiểm tra bảo vệ số liệu nhỏ: {self.hidden} ô ẩn, khoảng hẹp nhất {narrow_text} "
                f"(yêu cầu ≥ {self.required}; quy hoạch tuyến tính trên mọi số in trong kỳ): {verdict}.")

    def as_dict(self) -> dict:
        narrow = self.narrowest
        return {"hidden": self.hidden, "required": self.required, "ok": self.ok, "failures": len(self.failures),
                "narrowest": None if narrow is None else (None if narrow == math.inf else int(narrow)),
                "solved": self.solved}


_EPS = 1e-6


class _Solver:
    """One component's linear program in HiGHS, re-solved with a new objective for each bound (warm start)."""

    _quiet = False

    def __init__(self, lower, upper, rows):
        import numpy as np

        highspy = _highspy()
        self.np = np
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        self.inf = highspy.kHighsInf
        self.optimal = highspy.HighsModelStatus.kOptimal
        self.unbounded = (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible)
        n = len(lower)
        self.n = n
        self.h.addVars(n, np.array(lower, dtype=np.float64),
                       np.array([self.inf if u == math.inf else u for u in upper], dtype=np.float64))
        for low, high, coefficients in rows:
            idx = np.array(list(coefficients), dtype=np.int32)
            val = np.array([coefficients[i] for i in coefficients], dtype=np.float64)
            self.h.addRow(-self.inf if low == -math.inf else low, self.inf if high == math.inf else high,
                          len(idx), idx, val)
        self.all = np.arange(n, dtype=np.int32)
        self.solved = 0
        self.seen_low = [math.inf] * n
        self.seen_high = [-math.inf] * n

    def spread(self, columns: list[int]) -> None:
        """Two points far apart for many counts at once (all low, all high): most intervals are proven by them."""
        if len(columns) > 1:
            for sense in (1.0, -1.0):
                self._run(columns, sense)

    def _run(self, column, sense: float) -> float | None:
        """The optimum of sense·x[column] (or of the sum of a list of columns; None: unbounded); remembers
        the point it found."""
        np = self.np
        cost = np.zeros(self.n)
        cost[column] = sense
        self.h.changeColsCost(self.n, self.all, cost)
        self.h.run()
        self.solved += 1
        status = self.h.getModelStatus()
        if status != self.optimal and status not in self.unbounded:
            self.h.clearSolver()  # a warm start after an unbounded run can end undecided: start afresh
            self.h.run()
            self.solved += 1
            status = self.h.getModelStatus()
        if status in self.unbounded:
            return None
        if status != self.optimal:
            raise AssertionError(f"disclosure: the audit's linear program has no solution ({status})")
        values = self.h.getSolution().col_value
        for i, v in enumerate(values):
            if v < self.seen_low[i]:
                self.seen_low[i] = v
            if v > self.seen_high[i]:
                self.seen_high[i] = v
        return values[column] if isinstance(column, int) else None

    def interval(self, column: int, required: float) -> tuple[int, float, bool]:
        """(lowest, highest, exact) integer bounds of x[column].

        Stops early once points already seen prove `required` (then the bounds are those points', not exact).
        """
        def proven() -> bool:
            if self.seen_low[column] == math.inf:
                return False
            return math.floor(self.seen_high[column] + _EPS) - math.ceil(self.seen_low[column] - _EPS) >= required

        if not proven():
            low = self._run(column, 1.0)
            if low is None:  # every variable has a finite lower bound (0, 1 or x_low): a minimum exists
                raise AssertionError("disclosure: the audit's linear program is unbounded below")
            if not proven():
                high = self._run(column, -1.0)
                return math.ceil(low - _EPS), (math.inf if high is None else math.floor(high + _EPS)), True
        return math.ceil(self.seen_low[column] - _EPS), math.floor(self.seen_high[column] + _EPS), False


def _highspy():
    """highspy, imported with its one-time banner kept off standard output (it would corrupt `--json` output)."""
    import highspy

    if not _Solver._quiet:
        _Solver._quiet = True
        try:
            saved = os.dup(1)
        except OSError:
            return highspy
        try:
            with open(os.devnull, "wb") as null:
                os.dup2(null.fileno(), 1)
                try:
                    highspy.Highs()
                finally:
                    os.dup2(saved, 1)
        finally:
            os.close(saved)
    return highspy


def audit(ledger: Ledger, settings: Settings, *, exact: bool = False, _cache: dict | None = None) -> AuditResult:
    """The interval a reader can narrow each hidden count to, from everything the ledger prints.

    `exact`: solve both bounds of every count (by default a count stops as soon as the points
    already found prove its interval wide enough; its `Interval.exact` says which).
    """
    result = AuditResult(required=settings.required(False), active=settings.active, threshold=settings.threshold)
    if not settings.active:
        return result
    t = settings.threshold
    hidden = {k for k in ledger.figures if ledger.hidden(k)}
    result.hidden = len(hidden)
    # In a fixed order, never a set's: the same data must give the same hidden figures in every process (two
    # outputs of a period built on different days must hide alike, else together they give away more).
    known_unknown = hidden | set(ledger.unprinted)
    unknown = sorted(known_unknown, key=repr)

    def protected(k) -> bool:  # a hidden zero protects others; it needs no protection itself
        return (k in hidden and ledger.value(k) > 0) or 0 < ledger.unprinted.get(k, 0) < t

    # Relations that tie at least one unknown count; a hidden percentage ties nothing.
    active = []
    for relation in ledger.relations:
        if isinstance(relation, Ratio) and (relation.figure.suppressed or relation.figure.value is None):
            continue
        if any(m in known_unknown for m in relation.members()):
            active.append(relation)

    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for k in unknown:
        find(k)
    for relation in active:
        members = [m for m in relation.members() if m in known_unknown]
        for m in members[1:]:
            parent[find(m)] = find(members[0])
    components: dict = {}
    for k in unknown:
        components.setdefault(find(k), []).append(k)
    ties: dict = {}
    for relation in active:
        first = next(m for m in relation.members() if m in known_unknown)
        ties.setdefault(find(first), []).append(relation)

    cache = _cache if _cache is not None else {}
    x_low = 0 if ledger.x_may_be_zero() else (1 if ledger.x_may_be_small else t)
    result.x_low = x_low
    for root, members in components.items():
        for k in members:
            result.component[k] = root
        targets = [k for k in members if protected(k)]
        if not targets:
            continue
        relations = ties.get(root, [])
        signature = (frozenset(members), frozenset(map(id, relations)),
                     frozenset((k, ledger.reason(k)) for k in members if k in hidden), x_low, exact)
        known = cache.get(signature)
        if known is None:
            known, solved = _bounds(ledger, settings, members, targets, relations, hidden, x_low, exact)
            cache[signature] = known
            result.solved += solved
        result.intervals += known
    return result


def _bounds(ledger: Ledger, settings: Settings, members: list, targets: list, relations: list, hidden: set,
            x_low: int, exact: bool = False) -> tuple[list, int]:
    t = settings.threshold
    index = {k: i for i, k in enumerate(members)}
    lower, upper = [], []
    for k in members:
        if k in hidden:
            primary = ledger.reason(k) == PRIMARY
            value = ledger.value(k)
            if primary:  # "<5"
                lower.append(1.0)
                upper.append(float(t - 1))
            else:  # "x": at least the threshold, unless a small count or a zero may print "x" too
                lower.append(float(min(x_low, value)))
                upper.append(math.inf)
        else:
            lower.append(0.0)
            upper.append(math.inf)
    rows = []
    for relation in relations:
        coefficients: dict[int, float] = {}
        constant = 0.0

        def put(k, c, coefficients=coefficients):  # this relation's row (called only within this iteration)
            nonlocal constant
            if k in index:
                coefficients[index[k]] = coefficients.get(index[k], 0.0) + c
            else:
                constant += c * ledger.value(k)

        if isinstance(relation, Sum):
            put(relation.total, 1.0)
            for part in relation.parts:
                put(part, -1.0)
            rows.append((-constant, -constant, coefficients))
        elif isinstance(relation, Ratio):
            if relation.figure.value is None:  # no rate printed: nothing ties the two counts
                continue
            rate = float(relation.figure.value) / 100.0
            put(relation.num, 1.0)
            put(relation.den, -rate)
            # Tolerance for a rate printed from a float; a reader gets no more from it than this.
            rows.append((-constant - 1e-9, -constant + 1e-9, coefficients))
        else:
            put(relation.part, 1.0)
            put(relation.whole, -1.0)
            rows.append((-math.inf, -constant, coefficients))
    rows = [r for r in rows if r[2]]
    out = []
    if not rows:  # nothing ties these counts: a reader knows what their labels say, no more
        for k in targets:
            i = index[k]
            primary_like = (k in hidden and ledger.reason(k) in (PRIMARY, MASKED)) or k not in hidden
            out.append(Interval(k, int(lower[i]), upper[i], settings.required(primary_like), ledger.value(k)))
        return out, 0
    solver = _Solver(lower, upper, rows)
    if not exact:  # the counts a label bounds (1..threshold-1): their sum, lowest and highest
        solver.spread([index[k] for k in targets if upper[index[k]] != math.inf])
    for k in targets:
        primary_like = (k in hidden and ledger.reason(k) in (PRIMARY, MASKED)) or k not in hidden
        required = settings.required(primary_like)
        low, high, solved_both = solver.interval(index[k], math.inf if exact else required)
        out.append(Interval(k, low, high, required, ledger.value(k), solved_both))
    return out, solver.solved


# --- protection ----------------------------------------------------------------------------------------------
def protect(ledger: Ledger, settings: Settings, *, max_rounds: int = 200) -> AuditResult:
    """Primary, then secondary suppression until the audit passes (or nothing more can be hidden)."""
    if not settings.active:
        return AuditResult(active=False)
    ledger.check()
    t = settings.threshold
    for k, figures in ledger.figures.items():
        if k in ledger.exact:
            continue
        earlier = next((f.reason for f in figures if f.suppressed), None)
        if earlier is not None:
            ledger.hide(k, earlier)
        elif 0 < ledger.value(k) < t:
            ledger.hide(k, PRIMARY)
    _follow_rates(ledger, t)
    _lines(ledger, t)
    cache: dict = {}
    result, solved = _more_until_safe(ledger, settings, cache, allow_zero=False, max_rounds=max_rounds)
    for attempt in range(8):
        if not result.failures:
            break
        # The labels themselves narrow these counts (three "<5" months under a "<5" quarter lie in 3..4): print
        # the small counts beside a failing one as "x" too — from then on an "x" may be small. Nearest first;
        # the whole of what ties them when that is not enough; zeros may go too after two tries.
        ledger.x_may_be_small = True
        failing = {i.key for i in result.failures}
        near = set(failing)
        for relation in ledger.relations:
            members = relation.members()
            if any(m in failing for m in members):
                near.update(members)
        masked = _mask(ledger, near)
        if not masked:
            roots = {result.component.get(k) for k in failing}
            masked = _mask(ledger, {k for k, root in result.component.items() if root in roots})
        result, more = _more_until_safe(ledger, settings, cache, allow_zero=attempt >= 2 or not masked,
                                        max_rounds=max_rounds)
        solved += more
    result.solved = solved
    return result


def _mask(ledger: Ledger, keys) -> int:
    """Print these small counts as "x" rather than "<5"; how many were."""
    n = 0
    for k in keys:
        if ledger.reason(k) == PRIMARY:
            for figure in ledger.figures.get(k, ()):
                figure.reason = MASKED
            n += 1
    return n


def _more_until_safe(ledger: Ledger, settings: Settings, cache: dict, *, allow_zero: bool, max_rounds: int):
    """Audit; hide one more figure beside each count that fails; again, until none fails or nothing is left."""
    t = settings.threshold
    result = audit(ledger, settings, _cache=cache)
    solved = result.solved
    failed: dict = {}  # a count that keeps failing gets more hidden beside it each round (1, 1, 1, 2, 4, 8)
    for _ in range(max_rounds):
        if not result.failures:
            break
        changed = False
        for interval in sorted(result.failures, key=lambda i: repr(i.key)):
            failed[interval.key] = failed.get(interval.key, 0) + 1
            for _ in range(min(2 ** max(0, failed[interval.key] - 3), 8)):
                if not _hide_more(ledger, interval.key, t, allow_zero):
                    break
                changed = True
        if not changed:
            break
        _follow_rates(ledger, t)
        _lines(ledger, t)
        result = audit(ledger, settings, _cache=cache)
        solved += result.solved
    return result, solved


def _follow_rates(ledger: Ledger, t: int) -> None:
    """A percentage is hidden when its numerator or denominator is hidden, or is small and not printed."""
    for relation in ledger.relations:
        if isinstance(relation, Ratio) and not relation.figure.suppressed:
            for k in relation.members():
                if ledger.hidden(k) or 0 < ledger.unprinted.get(k, 0) < t:
                    relation.figure.hide(SECONDARY)
                    break


def _lines(ledger: Ledger, t: int) -> None:
    """The classic rule, cheap and before any program: no sum with exactly one unknown small or hidden member."""
    changed = True
    while changed:
        changed = False
        for relation in ledger.relations:
            if not isinstance(relation, Sum):
                continue
            members = relation.members()
            unknown = [m for m in members if ledger.hidden(m) or m in ledger.unprinted]
            if len(unknown) != 1:
                continue
            lone = unknown[0]
            if not (ledger.hidden(lone) or 0 < ledger.unprinted.get(lone, 0) < t):
                continue
            candidate = _cheapest(ledger, [(m, m == relation.total) for m in members if m != lone], allow_zero=False)
            if candidate is not None:
                ledger.hide(candidate, SECONDARY)
                changed = True


def _hideable(ledger: Ledger, k, allow_zero: bool) -> bool:
    if k not in ledger.figures or ledger.hidden(k) or k in ledger.exact:
        return False
    return allow_zero or ledger.value(k) > 0


def _cheapest(ledger: Ledger, members: list, allow_zero: bool):
    """The printed count whose hiding costs readers least: a part before a total, a small one before a large."""
    best, best_cost = None, None
    for k, is_total in members:
        if not _hideable(ledger, k, allow_zero):
            continue
        cost = (is_total, ledger.value(k), repr(k))
        if best_cost is None or cost < best_cost:
            best, best_cost = k, cost
    return best


def _hide_more(ledger: Ledger, failing, t: int, allow_zero: bool, depth_limit: int = 4) -> bool:
    """Hide one more figure near a count the audit could narrow too far; False when nothing is left to hide.

    Looks outward from the failing count through the counts a reader does not see (hidden or never
    printed): first the relations that hold it, then theirs. A printed percentage tied to it goes first
    (it costs a reader least); then the nearest printed count — a part before a total, a small one
    before a large one, a zero only when `allow_zero` and nothing else is left.
    """
    seen = {failing}
    frontier = [failing]
    candidates = []  # (zero, depth, is_total, value, repr, key)
    for depth in range(depth_limit):
        next_frontier = []
        members_of = list({id(r): r for m in frontier for r in ledger.relations_of(m)}.values())
        for relation in members_of:
            if isinstance(relation, Ratio) and not relation.figure.suppressed and relation.figure.value is not None:
                relation.figure.hide(SECONDARY)
                return True
            for m in relation.members():
                is_total = isinstance(relation, Sum) and m == relation.total
                if _hideable(ledger, m, allow_zero):
                    value = ledger.value(m)
                    candidates.append((value == 0, depth, is_total, value, repr(m), m))
                elif m not in seen and (ledger.hidden(m) or m in ledger.unprinted):
                    seen.add(m)
                    next_frontier.append(m)
        if any(not c[0] for c in candidates):
            break  # a count that is not zero, as near as can be
        frontier = next_frontier
        if not frontier:
            break
    if not candidates:
        return False
    ledger.hide(min(candidates)[-1], SECONDARY)
    return True


__all__ = ["AtMost", "AuditResult", "DisclosureError", "Interval", "Key", "Ledger", "Ratio", "Settings", "Sum",
           "audit", "key", "protect", "settings_of"]
