"""The plan's targets (chỉ tiêu), computed from the node's data for any period.

Each target of the session's province profile is data (wording, goal,
comparison, the "how this is computed" text); its `formula` names one of the
functions below, which count numerator and denominator straight from the
database.

Every figure about cases — here and in every report — starts from one
definition, `countable_cases()`: a GBV case (type not "not GBV"), first
reported in the period, not deleted, not a duplicate, whose survivor consented
to be counted and had not withdrawn that consent on or before the period's
last day. A case another agency also reported stays in the figures of the node
that recorded it; it is left out only where this node holds the other agency's
record of the same case (the case names it in `duplicate_of` and that record
is here, from another origin) — de-duplication at the province. Nothing else
may decide which cases count.

The targets of a period come from the profile version in force for it
(`app.reference.periods.profile_for`): a 2025 report keeps its 2025 plan after
a newer profile arrives.

    for result in targets(session, 2025):             # the whole year
        print(result.code, result.numerator, result.denominator, result.value, result.status)
    targets(session, 2025, "Q3")                     # a quarter; "H1", "H2" for halves
    targets_for(session, Period.between(date(2025, 1, 1), date(2025, 5, 31)))

Each result carries the SQL (with its parameters) that recomputes its
numerator and denominator, so a figure printed anywhere can be traced.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.errors import BinhAnError

__all__ = [
    "COMMUNICATION_GROUPS",
    "FORMULAS",
    "Period",
    "TargetResult",
    "Trace",
    "countable_cases",
    "targets",
    "targets_by_quarter",
    "targets_for",
]

# Reference codes this module names (checked by tests/app/test_targets.py).
DUPLICATE_STATUS = "duplicate"
REPORTING_SCOPE = "reporting"
REFERRED_STATUS = "referred"

#: Activity groups that count as "communication" for the schools target.
COMMUNICATION_GROUPS = ("communication_event", "mass_media", "printed_material")

#: An activity that overlaps a period is looked for among those starting at most this long before it:
#: activities are events (a talk, a course, a campaign), and reading only the recent ones keeps a
#: province's 400 000 activities from being scanned whole for every figure.
LONGEST_ACTIVITY_DAYS = 366

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_PART_RE = re.compile(r"^(H[12]|Q[1-4])$")


class PeriodError(BinhAnError):
    pass


# --- periods ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    """A reporting period: first and last day, both included."""

    start: date
    end: date
    code: str  # "2025", "2025-H1", "2025-Q3", or "2025-01-01..2025-05-31"

    @classmethod
    def of(cls, year: int, part: str | None = None) -> Period:
        """The year, or its half ("H1", "H2") or quarter ("Q1".."Q4")."""
        if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 9999:
            raise PeriodError(f"Năm báo cáo '{year}' không hợp lệ.", f"The report year '{year}' is not valid.")
        if part in (None, "", "year", "Y"):
            return cls(date(year, 1, 1), date(year, 12, 31), str(year))
        part = str(part).upper()
        if not _PART_RE.match(part):
            raise PeriodError(
                f"Kỳ báo cáo '{part}' không hợp lệ: dùng H1, H2 (6 tháng) hoặc Q1, Q2, Q3, Q4 (quý).",
                f"The period '{part}' is not valid: use H1, H2 (halves) or Q1, Q2, Q3, Q4 (quarters).")
        number = int(part[1])
        months = 6 if part[0] == "H" else 3
        first = (number - 1) * months + 1
        last = first + months - 1
        return cls(date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1]), f"{year}-{part}")

    @classmethod
    def between(cls, start: date, end: date) -> Period:
        if end < start:
            raise PeriodError("Ngày kết thúc kỳ báo cáo không thể trước ngày bắt đầu.",
                              "The period cannot end before it starts.")
        whole = cls.of(start.year)
        if (start, end) == (whole.start, whole.end):
            return whole
        return cls(start, end, f"{start.isoformat()}..{end.isoformat()}")

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def part(self) -> str | None:
        """"H1".."Q4" for a half or quarter, None for a whole year or a date range."""
        return self.code.split("-", 1)[1] if re.fullmatch(r"\d{4}-(H[12]|Q[1-4])", self.code) else None

    @property
    def whole_year(self) -> int | None:
        """The year when the period is exactly one calendar year."""
        return self.start.year if re.fullmatch(r"\d{4}", self.code) else None

    @property
    def text_key(self) -> str:
        """The period as stored in keys: "year", "H1", "Q3", or "2025-01-01..2025-05-31"."""
        if self.whole_year:
            return "year"
        return self.part or self.code

    def label(self, lang: str = "vi") -> str:
        part = self.part
        en = lang.lower().startswith("en")
        if self.whole_year:
            return f"year {self.year}" if en else f"năm {self.year}"
        if part and part[0] == "H":
            if en:
                return f"{'first' if part == 'H1' else 'second'} half of {self.year}"
            return f"6 tháng {'đầu' if part == 'H1' else 'cuối'} năm {self.year}"
        if part:
            return f"Q{part[1]} {self.year}" if en else f"quý {_ROMAN[int(part[1])]} năm {self.year}"
        s, e = self.start, self.end
        if en:
            return f"{s:%d/%m/%Y} to {e:%d/%m/%Y}"
        return f"từ ngày {s:%d/%m/%Y} đến ngày {e:%d/%m/%Y}"

    @property
    def earliest_overlapping_start(self) -> date:
        """The earliest start date of an activity that may still overlap the period."""
        return self.start - timedelta(days=LONGEST_ACTIVITY_DAYS)

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month the period touches, in order."""
        out, y, m = [], self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    def quarters(self) -> list[Period]:
        """The quarters of the period's first year (for trend charts)."""
        return [Period.of(self.year, f"Q{n}") for n in range(1, 5)]


# --- traces -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Trace:
    """A query that recomputes one figure: `store.scalar(trace.sql, trace.params)`."""

    sql: str
    params: tuple = ()
    description: str = ""

    def run(self, store):
        """The figure, recomputed (counts are written so that nothing counts 0; a rate of nothing is None)."""
        return store.scalar(self.sql, self.params)


# --- the one definition of counted cases ---------------------------------------------------
def gbv_types(reference) -> list[str]:
    return [o.code for o in reference["violence_type"].options if o.extra.get("counts_as_gbv", True)]


def countable_cases(session, period: Period) -> tuple[str, tuple]:
    """`SELECT c.id FROM cases c WHERE …` and its parameters: the cases every figure counts.

    A case counts when it is not deleted, not a duplicate, of a GBV type, first
    reported within the period, and its survivor consented to be counted on or
    before the period's last day without withdrawing that consent by then (a
    withdrawal takes effect from its date). A case marked as reported by another
    agency counts too, unless this node holds that agency's record of the same
    case (named in `duplicate_of`, held here from another origin). The user's
    case scope (a cadre: her own point) applies too.
    """
    types = gbv_types(session.reference)
    scope_sql, scope_params = session.case_scope()
    end = period.end.isoformat()
    sql = (
        "SELECT c.id FROM cases c WHERE c.deleted = 0"
        " AND c.status != ?"
        f" AND c.violence_type IN ({_marks(types)})"
        " AND NOT (c.reported_elsewhere = 1 AND c.duplicate_of IS NOT NULL AND EXISTS (SELECT 1 FROM cases o"
        " WHERE o.id = c.duplicate_of AND o.deleted = 0 AND o.origin != c.origin))"
        " AND c.reported_on >= ? AND c.reported_on <= ?"
        " AND EXISTS (SELECT 1 FROM case_consents k WHERE k.case_id = c.id AND k.scope = ? AND k.given = 1"
        " AND (k.given_on IS NULL OR k.given_on <= ?) AND (k.withdrawn_on IS NULL OR k.withdrawn_on > ?))"
        f" AND ({scope_sql.replace('point_id', 'c.point_id')})"
    )
    # Records received from below carry month-level dates ("2025-01", DESIGN §6). "2025-01" sorts
    # before "2025-01-01", so a period starting on the 1st starts at its month to include them.
    start = period.start.isoformat()[:7] if period.start.day == 1 else period.start.isoformat()
    params = (DUPLICATE_STATUS, *types, start, end, REPORTING_SCOPE, end, end,
              *scope_params)
    return sql, params


# --- results -------------------------------------------------------------------------------------
STATUS_LABELS = {
    "met": ("Đạt", "Met"),
    "not_met": ("Chưa đạt", "Not met"),
    "no_data": ("Chưa có số liệu", "No data"),
}


@dataclass(frozen=True)
class TargetResult:
    code: str
    label_vi: str
    label_en: str
    formula: str
    period: Period
    numerator: int | None
    denominator: int | None
    value: float | None  # percent, unrounded
    goal: float
    comparison: str
    unit: str
    status: str  # "met" | "not_met" | "no_data"
    definition_vi: str
    definition_en: str
    numerator_trace: Trace | None = None
    denominator_trace: Trace | None = None
    extra: dict = field(default_factory=dict, compare=False)

    def label(self, lang: str = "vi") -> str:
        return self.label_en if lang.lower().startswith("en") else self.label_vi

    def definition(self, lang: str = "vi") -> str:
        return self.definition_en if lang.lower().startswith("en") else self.definition_vi

    def status_label(self, lang: str = "vi") -> str:
        vi, en = STATUS_LABELS[self.status]
        return en if lang.lower().startswith("en") else vi

    @property
    def goal_text(self) -> str:
        """"≥ 80%": the goal as a reader writes it."""
        sign = {">=": "≥", "<=": "≤", "==": "="}.get(self.comparison, self.comparison)
        goal = f"{self.goal:g}".replace(".", ",")
        return f"{sign} {goal}%" if self.unit == "percent" else f"{sign} {goal}"

    def as_dict(self) -> dict:
        return {
            "code": self.code, "label_vi": self.label_vi, "label_en": self.label_en, "formula": self.formula,
            "period": self.period.code, "period_start": self.period.start.isoformat(),
            "period_end": self.period.end.isoformat(), "numerator": self.numerator,
            "denominator": self.denominator, "value": None if self.value is None else round(self.value, 2),
            "goal": self.goal, "comparison": self.comparison, "unit": self.unit, "status": self.status,
            "definition_vi": self.definition_vi, "definition_en": self.definition_en,
        }


# --- formulas ------------------------------------------------------------------------------------
def _marks(values) -> str:
    return ",".join("?" for _ in values) or "NULL"


def _codes_with(reference, list_name: str, key: str) -> list[str]:
    return [o.code for o in reference[list_name].options if o.extra.get(key)]


def _met_sql(ref) -> tuple[str, tuple]:
    """A case with at least one need met: a service provided by us or received elsewhere, or a referral
    the provider received."""
    helped = _codes_with(ref, "service_status", "helped")
    received = _codes_with(ref, "referral_outcome", "helped")
    return ((f"(EXISTS (SELECT 1 FROM case_services s WHERE s.case_id = c.id AND s.status IN ({_marks(helped)}))"
             f" OR EXISTS (SELECT 1 FROM case_referrals r WHERE r.case_id = c.id"
             f" AND r.outcome IN ({_marks(received)})))"), (*helped, *received))


def _need_sql(ref) -> tuple[str, tuple]:
    needed = _codes_with(ref, "service_status", "needed")
    return (f"EXISTS (SELECT 1 FROM case_services s WHERE s.case_id = c.id AND s.status IN ({_marks(needed)}))",
            tuple(needed))


def _every_need_met_sql(ref) -> tuple[str, tuple]:
    """No need left unmet: every service needed was provided, received elsewhere, or referred with a
    referral for that service the provider received."""
    unmet = [c for c in _codes_with(ref, "service_status", "needed")
             if c not in _codes_with(ref, "service_status", "helped")]
    received = _codes_with(ref, "referral_outcome", "helped")
    return (f"NOT EXISTS (SELECT 1 FROM case_services s WHERE s.case_id = c.id AND s.status IN ({_marks(unmet)})"
            f" AND NOT (s.status = ? AND EXISTS (SELECT 1 FROM case_referrals r WHERE r.case_id = c.id"
            f" AND r.service = s.service AND r.outcome IN ({_marks(received)}))))",
            (*unmet, REFERRED_STATUS, *received))


def _cases_needing_help_helped(session, period: Period) -> tuple[Trace, Trace]:
    ref = session.reference
    counted, params = countable_cases(session, period)
    need, need_p = _need_sql(ref)
    got, got_p = _met_sql(ref)
    den = Trace(f"SELECT count(*) FROM cases c WHERE c.id IN ({counted}) AND {need}", (*params, *need_p),
                "counted cases with a service need")
    num = Trace(f"SELECT count(*) FROM cases c WHERE c.id IN ({counted}) AND {need} AND {got}",
                (*params, *need_p, *got_p), "counted cases with at least one need met")
    return num, den


def every_need_met(session, period: Period) -> Trace:
    """Beside "at least one need met": the counted cases with a need whose every need was met."""
    ref = session.reference
    counted, params = countable_cases(session, period)
    need, need_p = _need_sql(ref)
    every, every_p = _every_need_met_sql(ref)
    return Trace(f"SELECT count(*) FROM cases c WHERE c.id IN ({counted}) AND {need} AND {every}",
                 (*params, *need_p, *every_p), "counted cases with a need, every need met")


# A person counts once however many of her incidents count: cases the officer linked as the same person share a
# `person_id` (issue 18.6; it stays home, so a parent counts each case received as one person).
PERSONS = "count(DISTINCT coalesce(c.person_id, c.id))"


def _survivors_reached_service(session, period: Period) -> tuple[Trace, Trace]:
    ref = session.reference
    counted, params = countable_cases(session, period)
    got, got_p = _met_sql(ref)
    den = Trace(f"SELECT {PERSONS} FROM cases c WHERE c.id IN ({counted})", params,
                "detected survivors: survivors of counted cases (one a person)")
    num = Trace(f"SELECT {PERSONS} FROM cases c WHERE c.id IN ({counted}) AND {got}", (*params, *got_p),
                "of whom reached at least one support service")
    return num, den


def _persons(codes: list[str]) -> str:
    """Per case, how many of its perpetrators a measure in `codes` reached: a measure recorded n times
    reached n people, never more than the case's perpetrators (a measure does not say whom it reached;
    one perpetrator → that person).

    The codes are written into the SQL as literals, not parameters: every figure's query keeps the shape
    "SELECT aggregate FROM cases c WHERE …" with its parameters after WHERE, which the by-commune tables
    rely on. A code is checked to be ASCII snake_case first, so nothing but a code can get in."""
    from app.reference import is_code

    if not all(is_code(c) for c in codes):
        raise ValueError(f"not reference codes: {codes!r}")
    listed = ",".join(f"'{c}'" for c in codes) or "NULL"
    return (f"min(c.perpetrator_count, coalesce((SELECT max(n) FROM (SELECT count(*) AS n"
            f" FROM case_perpetrator_actions a WHERE a.case_id = c.id AND a.action IN ({listed})"
            f" GROUP BY a.action)), 0))")


def _perpetrators_handled(session, period: Period) -> tuple[Trace, Trace]:
    """Perpetrators counselled or dealt with under the law, per perpetrator; "detected" alone does not count."""
    counted, params = countable_cases(session, period)
    reached = _persons(_codes_with(session.reference, "perpetrator_action", "handling"))
    den = Trace(f"SELECT coalesce(sum(c.perpetrator_count), 0) FROM cases c WHERE c.id IN ({counted})", params,
                "perpetrators in counted cases")
    num = Trace(f"SELECT coalesce(sum({reached}), 0) FROM cases c WHERE c.id IN ({counted})", params,
                "perpetrators in counted cases counselled or handled")
    return num, den


def _perpetrators_counselled(session, period: Period) -> tuple[Trace, Trace]:
    """Perpetrators not criminally prosecuted who were counselled, per perpetrator (Resolution 28/NQ-CP)."""
    ref = session.reference
    counted, params = countable_cases(session, period)
    criminal = _persons(_codes_with(ref, "perpetrator_action", "criminal"))
    counselled = _persons(_codes_with(ref, "perpetrator_action", "counselling"))
    eligible = f"(c.perpetrator_count - {criminal})"
    den = Trace(f"SELECT coalesce(sum({eligible}), 0) FROM cases c WHERE c.id IN ({counted})", params,
                "perpetrators in counted cases not criminally prosecuted")
    num = Trace(f"SELECT coalesce(sum(min({eligible}, {counselled})), 0) FROM cases c WHERE c.id IN ({counted})",
                params, "of whom counselled")
    return num, den


def _survivors_seeking_help(session, period: Period) -> tuple[Trace, Trace]:
    """Survivors who sought help from a provider: a service given or received elsewhere, or a referral
    the survivor did not decline. Declining every referral and receiving no service is not seeking help."""
    ref = session.reference
    counted, params = countable_cases(session, period)
    helped = _codes_with(ref, "service_status", "helped")
    declined = _codes_with(ref, "referral_outcome", "declined")
    den = Trace(f"SELECT {PERSONS} FROM cases c WHERE c.id IN ({counted})", params,
                "survivors of counted cases (one a person)")
    num = Trace(f"SELECT {PERSONS} FROM cases c WHERE c.id IN ({counted})"
                f" AND (EXISTS (SELECT 1 FROM case_services s WHERE s.case_id = c.id"
                f" AND s.status IN ({_marks(helped)}))"
                " OR EXISTS (SELECT 1 FROM case_referrals r WHERE r.case_id = c.id"
                f" AND (r.outcome IS NULL OR r.outcome NOT IN ({_marks(declined)})))"
                " OR (EXISTS (SELECT 1 FROM case_services s WHERE s.case_id = c.id AND s.status = ?)"
                " AND NOT EXISTS (SELECT 1 FROM case_referrals r WHERE r.case_id = c.id)))",
                (*params, *helped, *declined, REFERRED_STATUS),
                "survivors of counted cases with a service provided or received elsewhere, or a referral "
                "they did not decline")
    return num, den


def _schools_integrating(session, period: Period) -> tuple[Trace, Trace]:
    """Schools of the target's levels with an integrated communication activity in the period.

    The evidence is an activity of a communication kind recorded against the
    school whose dates overlap the period. For a whole calendar year the
    register's yearly mark "integrated this year" (kept for schools that held
    their own activity) also counts; a quarter or half cannot use a yearly mark.
    """
    ref = session.reference
    levels = _codes_with(ref, "school_level", "target_integration")
    kinds = [o.code for o in ref["activity_kind"].options if o.extra.get("group") in COMMUNICATION_GROUPS]
    schools = f"FROM schools sc WHERE sc.deleted = 0 AND sc.level IN ({_marks(levels)})"
    # Not correlated: the activities are read once, not once a school (activities.school_id has no index).
    activity = ("sc.id IN (SELECT a.school_id FROM activities a WHERE a.deleted = 0 AND a.school_id IS NOT NULL"
                f" AND a.kind IN ({_marks(kinds)}) AND a.starts_on >= ? AND a.starts_on <= ?"
                " AND coalesce(a.ends_on, a.starts_on) >= ?)")
    params = (*levels, *kinds, period.earliest_overlapping_start.isoformat(), period.end.isoformat(),
              period.start.isoformat())
    if period.whole_year:
        activity = (f"({activity} OR sc.id IN (SELECT i.school_id FROM school_integrations i"
                    " WHERE i.year = ? AND i.integrated = 1))")
        params = (*params, period.whole_year)
    den = Trace(f"SELECT count(*) {schools}", tuple(levels), "schools of the target's levels in the register")
    num = Trace(f"SELECT count(*) {schools} AND {activity}", params,
                "of which with an integrated communication activity in the period")
    return num, den


FORMULAS = {
    "cases_needing_help_helped": _cases_needing_help_helped,
    "perpetrators_handled": _perpetrators_handled,
    "perpetrators_counselled": _perpetrators_counselled,
    "survivors_reached_service": _survivors_reached_service,
    "survivors_seeking_help": _survivors_seeking_help,
    "schools_integrating": _schools_integrating,
}


# --- computing ------------------------------------------------------------------------------------
def result_extra(session, target, period: Period, computed: bool, read=None) -> dict:
    """What a result carries beside its rate: for "helped", the cases whose every need was met.

    `read(sql, params) -> (sql, params)`: an equivalent, faster query to read the value with (the counted
    cases' temporary table, `app.reports.cases.CountedCases.read`); the trace stays the full query."""
    extra: dict = {"computed": computed}
    if computed and target.formula == "cases_needing_help_helped":
        every = every_need_met(session, period)
        value = every.run(session.store) if read is None else session.store.scalar(*read(every.sql, every.params))
        extra.update(every_need_met=int(value or 0), every_need_met_trace=every)
    return extra


def _result(session, target, period: Period) -> TargetResult:
    formula = FORMULAS.get(target.formula) if target.computed else None
    num_trace = den_trace = None
    numerator = denominator = value = None
    if formula is not None:
        num_trace, den_trace = formula(session, period)
        numerator = int(num_trace.run(session.store))
        denominator = int(den_trace.run(session.store))
        if denominator:
            value = 100.0 * numerator / denominator
    extra = result_extra(session, target, period, formula is not None)
    met = target.is_met(value)
    status = "no_data" if met is None else ("met" if met else "not_met")
    return TargetResult(
        code=target.code, label_vi=target.vi, label_en=target.en, formula=target.formula, period=period,
        numerator=numerator, denominator=denominator, value=value, goal=target.goal,
        comparison=target.comparison, unit=target.unit, status=status, definition_vi=target.definition_vi,
        definition_en=target.definition_en, numerator_trace=num_trace, denominator_trace=den_trace,
        extra=extra,
    )


def targets_for(session, period: Period) -> list[TargetResult]:
    """Every target of the plan in force for `period` (`app.reference.periods.profile_for`): the
    province's plan that covers it, else the national baseline; none when no plan covers it."""
    from app.reference.periods import profile_for

    session.require("case.read")
    profile = profile_for(session, period)
    if profile is None:
        return []
    with session.store.lock:
        return [_result(session, target, period) for target in profile.targets]


def targets(session, year: int, period: str | None = None) -> list[TargetResult]:
    """Every target for `year`, or its half ("H1", "H2") or quarter ("Q1".."Q4")."""
    return targets_for(session, Period.of(year, period))


def targets_by_quarter(session, year: int) -> dict[str, list[TargetResult]]:
    """Target code -> its four quarterly results (for trend charts)."""
    out: dict[str, list[TargetResult]] = {}
    for quarter in Period.of(year).quarters():
        for result in targets_for(session, quarter):
            out.setdefault(result.code, []).append(result)
    return out
