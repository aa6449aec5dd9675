"""The raw aggregate queries behind every figure of the annual report: the floor its build stands on.

`raw_annual(session, period)` runs, as plain SQL written once by hand, what the
annual report's figures need and nothing else: the counted cases (the one
counting rule of `app.targets.countable_cases`, for the year, and those by
quarter — the chart counts the year's cases, issue 16), the case tables the report prints (type × sex, service × status,
referral × outcome, action on the perpetrator), the activities of the year by
kind with every measure, in the campaign windows, the models by kind and status
at the year's end, and the targets' numerators and denominators in one pass.
It returns the figures it computed, so the bench can check them against the
report's own before timing (a floor that counts something else is no floor).
"""

from __future__ import annotations

from app.reports.activities import campaign_windows
from app.targets import COMMUNICATION_GROUPS, DUPLICATE_STATUS, REFERRED_STATUS, REPORTING_SCOPE, Period, gbv_types


def _marks(values) -> str:
    return ",".join("?" for _ in values) or "NULL"


def _codes_with(reference, list_name: str, key: str) -> list[str]:
    return [o.code for o in reference[list_name].options if o.extra.get(key)]


def counted_sql(session, period: Period) -> tuple[str, tuple]:
    types = gbv_types(session.reference)
    end = period.end.isoformat()
    start = period.start.isoformat()[:7] if period.start.day == 1 else period.start.isoformat()
    sql = ("SELECT c.id FROM cases c WHERE c.deleted = 0 AND c.status != ?"
           f" AND c.violence_type IN ({_marks(types)})"
           # reported by another agency: counted unless the other agency's record is held here (issue 17.6)
           " AND NOT (c.reported_elsewhere = 1 AND c.duplicate_of IS NOT NULL AND EXISTS (SELECT 1 FROM cases o"
           " WHERE o.id = c.duplicate_of AND o.deleted = 0 AND o.origin != c.origin))"
           " AND c.reported_on >= ? AND c.reported_on <= ?"
           " AND EXISTS (SELECT 1 FROM case_consents k WHERE k.case_id = c.id AND k.scope = ? AND k.given = 1"
           " AND (k.given_on IS NULL OR k.given_on <= ?) AND (k.withdrawn_on IS NULL OR k.withdrawn_on > ?))")
    return sql, (DUPLICATE_STATUS, *types, start, end, REPORTING_SCOPE, end, end)


def raw_annual(session, period: Period) -> dict:
    """Run every query the annual report's figures need; returns {name: rows}."""
    ref = session.reference
    conn = session.store.conn
    out: dict = {}
    with session.store.lock:
        sql, params = counted_sql(session, period)
        conn.execute("DROP TABLE IF EXISTS temp.bench_counted")
        conn.execute("CREATE TEMP TABLE bench_counted (id TEXT PRIMARY KEY)")
        conn.execute(f"INSERT INTO bench_counted (id) {sql}", params)
        counted = "SELECT id FROM temp.bench_counted"
        out["counted"] = conn.execute("SELECT count(*) FROM temp.bench_counted").fetchone()[0]
        by_quarter = dict(conn.execute(
            "SELECT (CAST(substr(reported_on, 6, 2) AS INTEGER) + 2) / 3, count(*) FROM cases"
            f" WHERE id IN ({counted}) GROUP BY 1").fetchall())
        out["quarters"] = [by_quarter.get(q, 0) for q in range(1, 5)]
        out["type_sex"] = conn.execute(
            f"SELECT violence_type, survivor_sex, count(*) FROM cases WHERE id IN ({counted}) GROUP BY 1, 2").fetchall()
        out["service_status"] = conn.execute(
            f"SELECT service, status, count(*) FROM case_services WHERE case_id IN ({counted}) GROUP BY 1, 2"
        ).fetchall()
        out["referral_outcome"] = conn.execute(
            f"SELECT service, outcome, count(*) FROM case_referrals WHERE case_id IN ({counted}) GROUP BY 1, 2"
        ).fetchall()
        out["actions"] = conn.execute(
            f"SELECT action, count(DISTINCT case_id) FROM case_perpetrator_actions WHERE case_id IN ({counted})"
            " GROUP BY 1").fetchall()

        # targets: the three case targets in one pass over the counted cases
        needed = _codes_with(ref, "service_status", "needed")
        helped = _codes_with(ref, "service_status", "helped")
        received = _codes_with(ref, "referral_outcome", "helped")
        # The plans' definitions (issue 17.6): perpetrators per person, counselled or handled ("detected" alone
        # is not); a person counts once however many incidents (18.6); seeking help is a service provided or
        # received elsewhere, or a referral not declined.
        handling = _codes_with(ref, "perpetrator_action", "handling")
        declined = _codes_with(ref, "referral_outcome", "declined")
        out["case_targets"] = conn.execute(
            "SELECT sum(need), sum(need AND got), sum(perps), sum(min(perps, handled)), count(DISTINCT person),"
            " count(DISTINCT CASE WHEN sought THEN person END) FROM ("
            " SELECT c.perpetrator_count AS perps, coalesce(c.person_id, c.id) AS person,"
            f" EXISTS (SELECT 1 FROM case_services s WHERE s.case_id = c.id AND s.status IN ({_marks(needed)})) AS need,"
            f" (EXISTS (SELECT 1 FROM case_services s WHERE s.case_id = c.id AND s.status IN ({_marks(helped)}))"
            f"  OR EXISTS (SELECT 1 FROM case_referrals r WHERE r.case_id = c.id AND r.outcome IN ({_marks(received)})))"
            " AS got,"
            " coalesce((SELECT max(n) FROM (SELECT count(*) AS n FROM case_perpetrator_actions a"
            f"  WHERE a.case_id = c.id AND a.action IN ({_marks(handling)}) GROUP BY a.action)), 0) AS handled,"
            f" (EXISTS (SELECT 1 FROM case_services s WHERE s.case_id = c.id AND s.status IN ({_marks(helped)}))"
            "  OR EXISTS (SELECT 1 FROM case_referrals r WHERE r.case_id = c.id"
            f"   AND (r.outcome IS NULL OR r.outcome NOT IN ({_marks(declined)})))"
            "  OR (EXISTS (SELECT 1 FROM case_services s WHERE s.case_id = c.id AND s.status = ?)"
            "   AND NOT EXISTS (SELECT 1 FROM case_referrals r WHERE r.case_id = c.id))) AS sought"
            f" FROM cases c WHERE c.id IN ({counted}))",
            (*needed, *helped, *received, *handling, *helped, *declined, REFERRED_STATUS)).fetchone()
        levels = _codes_with(ref, "school_level", "target_integration")
        kinds = [o.code for o in ref["activity_kind"].options if o.extra.get("group") in COMMUNICATION_GROUPS]
        out["schools"] = conn.execute(
            "SELECT count(*), sum(sc.id IN (SELECT a.school_id FROM activities a WHERE a.deleted = 0"
            f" AND a.school_id IS NOT NULL AND a.kind IN ({_marks(kinds)}) AND a.starts_on >= ? AND a.starts_on <= ?"
            " AND coalesce(a.ends_on, a.starts_on) >= ?) OR sc.id IN (SELECT i.school_id FROM school_integrations i"
            " WHERE i.year = ? AND i.integrated = 1))"
            f" FROM schools sc WHERE sc.deleted = 0 AND sc.level IN ({_marks(levels)})",
            (*kinds, period.earliest_overlapping_start.isoformat(), period.end.isoformat(),
             period.start.isoformat(), period.year, *levels)).fetchone()

        # activities of the year by kind, every measure; in the campaign windows; models at the year's end
        out["activities"] = conn.execute(
            "SELECT kind, count(*), sum(participants_total), sum(participants_female), sum(participants_male),"
            " sum(participants_youth), sum(quantity), sum(budget_vnd) FROM activities"
            " WHERE deleted = 0 AND starts_on >= ? AND starts_on <= ? GROUP BY 1",
            (period.start.isoformat(), period.end.isoformat())).fetchall()
        windows = [spans for _code, _vi, _en, spans in campaign_windows(period, session.profile) if spans]
        sums, sum_params = [], []
        for spans in windows:
            clause = " OR ".join("(starts_on <= ? AND coalesce(ends_on, starts_on) >= ?)" for _ in spans)
            sums.append(f"sum({clause}), sum(CASE WHEN {clause} THEN participants_total END),"
                        f" sum(CASE WHEN {clause} THEN participants_female END),"
                        f" sum(CASE WHEN {clause} THEN participants_male END)")
            sum_params += [v for s, e in spans for v in (e.isoformat(), s.isoformat())] * 4
        if sums:
            out["campaigns"] = conn.execute(
                f"SELECT {', '.join(sums)} FROM activities WHERE deleted = 0 AND starts_on >= ? AND starts_on <= ?"
                " AND coalesce(ends_on, starts_on) >= ?",
                (*sum_params, period.earliest_overlapping_start.isoformat(), period.end.isoformat(),
                 period.start.isoformat())).fetchone()
        end = period.end.isoformat()
        out["models"] = conn.execute(
            "SELECT kind, status_at_end, count(*) FROM (SELECT m.kind,"
            " coalesce((SELECT e.status FROM model_status_events e WHERE e.model_id = m.id AND e.on_date <= ?"
            " ORDER BY e.on_date DESC, e.rowid DESC LIMIT 1), CASE WHEN NOT EXISTS (SELECT 1 FROM"
            " model_status_events e WHERE e.model_id = m.id) AND (m.established_on IS NULL OR m.established_on <= ?)"
            " THEN m.status END) AS status_at_end FROM models m WHERE m.deleted = 0)"
            " WHERE status_at_end IS NOT NULL GROUP BY 1, 2", (end, end)).fetchall()
        conn.execute("DROP TABLE temp.bench_counted")
    return out


def check_against_report(session, period: Period, raw: dict) -> None:
    """Raise AssertionError when the raw figures differ from the report's own (counts and targets)."""
    from app.reports.cases import CountedCases, counted_total
    from app.reports.disclosure import Ledger
    from app.reports.period import _quarters
    from app.targets import targets_for

    assert raw["counted"] == counted_total(session, period).value, "counted cases differ"
    with CountedCases(session, period) as counted:  # the chart's quarters, as the report reads them
        quarters = [f.value for _, f in _quarters(session, period, counted, Ledger())]
    assert raw["quarters"] == quarters, "quarters differ"
    by_formula = {r.formula: r for r in targets_for(session, period)}
    need, got, perps, handled, total, sought = (int(v or 0) for v in raw["case_targets"])
    expected = {"cases_needing_help_helped": (got, need), "perpetrators_handled": (handled, perps),
                "survivors_seeking_help": (sought, total)}
    if raw["schools"] is not None:
        expected["schools_integrating"] = (int(raw["schools"][1] or 0), int(raw["schools"][0] or 0))
    for formula, (numerator, denominator) in expected.items():
        result = by_formula.get(formula)
        if result is not None and result.numerator is not None:
            assert (result.numerator, result.denominator) == (numerator, denominator), f"target {formula} differs"
