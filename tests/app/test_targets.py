"""Targets: every figure recomputed here from the raw rows, in Python, without the core's SQL."""

from __future__ import annotations

from datetime import date

import pytest

from app.errors import BinhAnError
from app.targets import (COMMUNICATION_GROUPS, DUPLICATE_STATUS, REFERRED_STATUS, REPORTING_SCOPE, Period,
                         countable_cases, targets, targets_by_quarter, targets_for)
from tests.conftest import ADMIN_PASSWORD, sample_case


def consent(given_on="2025-01-01", withdrawn_on=None, given=True):
    return {"services": {"given": True, "on": given_on},
            "reporting": {"given": given, "on": given_on if given else None, "withdrawn_on": withdrawn_on},
            "sharing": {"given": False}}


def make_case(session, reported_on, *, services=None, referrals=None, actions=None, perpetrators=None,
              violence_type="physical_assault", reported_elsewhere=False, status="open", reporting=None):
    data = sample_case(
        status=status,
        intake={"reported_on": reported_on, "incident_on": reported_on, "disclosure_channel": "self"},
        incident={"violence_type": violence_type, "location_type": "shared_home",
                  "reported_elsewhere": reported_elsewhere},
        consent=reporting or consent(given_on=reported_on),
    )
    if services is not None:
        data["services"] = [{"service": s, "status": st, "on": reported_on} for s, st in services]
    if referrals is not None:
        data["referrals"] = [{"service": s, "provider_name": "Trạm y tế", "referred_on": reported_on,
                              "consent": True, "outcome": outcome} for s, outcome in referrals]
    if actions is not None:
        data["perpetrator_actions"] = [{"action": a, "on": reported_on} for a in actions]
    if perpetrators is not None:
        data["perpetrators"] = perpetrators
    return session.cases.save(data)


@pytest.fixture
def cases(session):
    """A node's cases covering every rule that decides whether a case counts."""
    made = {}
    made["default"] = make_case(session, "2025-03-10")  # needs help, helped, 1 perpetrator handled
    made["declined_only"] = make_case(
        session, "2025-04-02", services=[("health_care", "declined"), ("legal_aid", "not_applicable")],
        referrals=[], actions=[], perpetrators=[{"sex": "male", "relationship": "family_other", "count": 2}])
    made["referred_pending"] = make_case(
        session, "2025-05-05", services=[("health_care", "referred")], referrals=[("health_care", "pending")],
        actions=[])
    made["unavailable"] = make_case(session, "2025-07-01", services=[("safe_shelter", "unavailable")],
                                    referrals=[], actions=["administrative_sanction"])
    made["referral_received_only"] = make_case(
        session, "2025-08-01", services=[("legal_aid", "referred")], referrals=[("legal_aid", "received")])
    made["withdrawn_mid_year"] = make_case(session, "2025-02-03",
                                           reporting=consent(given_on="2025-02-03", withdrawn_on="2025-06-30"))
    made["consent_after_q1"] = make_case(session, "2025-02-10", reporting=consent(given_on="2025-05-01"))
    made["reported_elsewhere"] = make_case(session, "2025-03-11", reported_elsewhere=True)
    made["duplicate"] = make_case(session, "2025-03-12", status=DUPLICATE_STATUS)
    made["not_gbv"] = make_case(session, "2025-03-13", violence_type="not_gbv")
    made["no_consent"] = make_case(session, "2025-03-14", reporting=consent(given=False))
    made["last_year"] = make_case(session, "2024-12-31")
    deleted = make_case(session, "2025-03-15")
    session.cases.delete(deleted["id"])
    made["deleted"] = deleted
    return made


# --- an independent recomputation: raw rows, Python rules ------------------------------------------
def raw_rows(session):
    q = session.store.query
    cases = {r["id"]: r for r in q("SELECT * FROM cases")}
    consents = {(r["case_id"], r["scope"]): r for r in q("SELECT * FROM case_consents")}
    services, referrals, actions = {}, {}, {}
    for r in q("SELECT * FROM case_services"):
        services.setdefault(r["case_id"], []).append(r["status"])
    for r in q("SELECT * FROM case_referrals"):
        referrals.setdefault(r["case_id"], []).append(r["outcome"])
    for r in q("SELECT * FROM case_perpetrator_actions"):
        actions.setdefault(r["case_id"], []).append(r["action"])
    return cases, consents, services, referrals, actions


def expected_counted(session, start: str, end: str) -> set[str]:
    cases, consents, *_ = raw_rows(session)
    out = set()
    for cid, c in cases.items():
        k = consents.get((cid, "reporting"))
        consented = (k is not None and k["given"] == 1 and (k["given_on"] or "") <= end
                     and (k["withdrawn_on"] is None or k["withdrawn_on"] > end))
        if (c["deleted"] == 0 and c["status"] != "duplicate" and c["violence_type"] != "not_gbv"
                and c["reported_elsewhere"] == 0 and start <= c["reported_on"] <= end and consented):
            out.add(cid)
    return out


def expected_targets(session, start: str, end: str) -> dict[str, tuple[int, int]]:
    cases, _, services, referrals, actions = raw_rows(session)
    counted = expected_counted(session, start, end)
    need = {c for c in counted if set(services.get(c, [])) & {"referred", "provided", "already_received",
                                                               "unavailable"}}
    helped = {c for c in need if set(services.get(c, [])) & {"provided", "already_received"}
              or "received" in referrals.get(c, [])}
    sought = {c for c in counted if set(services.get(c, [])) & {"provided", "already_received", "referred"}
              or referrals.get(c)}
    perps = sum(cases[c]["perpetrator_count"] for c in counted)
    handled = sum(cases[c]["perpetrator_count"] for c in counted if actions.get(c))
    return {"cases_needing_help_helped": (len(helped), len(need)),
            "perpetrators_handled": (handled, perps),
            "survivors_seeking_help": (len(sought), len(counted))}


def by_formula(results):
    return {r.formula: r for r in results}


# --- tests -------------------------------------------------------------------------------------------
def test_counted_cases_follow_every_rule(session, cases):
    sql, params = countable_cases(session, Period.of(2025))
    counted = {r[0] for r in session.store.execute(sql, params).fetchall()}
    names = {cases[k]["id"]: k for k in cases}
    assert {names[c] for c in counted} == {"default", "declined_only", "referred_pending", "unavailable",
                                           "referral_received_only", "consent_after_q1"}
    assert counted == expected_counted(session, "2025-01-01", "2025-12-31")


def test_withdrawal_counts_from_its_date_and_late_consent_only_after_it(session, cases):
    q1 = Period.of(2025, "Q1")
    sql, params = countable_cases(session, q1)
    counted = {r[0] for r in session.store.execute(sql, params).fetchall()}
    assert cases["withdrawn_mid_year"]["id"] in counted  # withdrawn 30/06: still counted for Q1
    assert cases["consent_after_q1"]["id"] not in counted  # consent only given in May
    assert counted == expected_counted(session, "2025-01-01", "2025-03-31")
    h1 = countable_cases(session, Period.of(2025, "H1"))
    assert cases["withdrawn_mid_year"]["id"] not in {r[0] for r in session.store.execute(*h1).fetchall()}


@pytest.mark.parametrize("part,start,end", [(None, "2025-01-01", "2025-12-31"), ("Q1", "2025-01-01", "2025-03-31"),
                                            ("Q3", "2025-07-01", "2025-09-30"), ("H1", "2025-01-01", "2025-06-30")])
def test_thai_binh_case_targets_match_an_independent_count(session, cases, part, start, end):
    results = by_formula(targets(session, 2025, part))
    expected = expected_targets(session, start, end)
    for formula in ("cases_needing_help_helped", "perpetrators_handled"):
        r = results[formula]
        assert (r.numerator, r.denominator) == expected[formula], formula
        assert r.period.start.isoformat() == start and r.period.end.isoformat() == end


def test_year_figures_are_the_ones_the_cases_imply(session, cases):
    results = by_formula(targets(session, 2025))
    helped = results["cases_needing_help_helped"]
    # need: default, referred_pending, unavailable, referral_received_only, consent_after_q1
    assert (helped.numerator, helped.denominator) == (3, 5)
    assert helped.value == pytest.approx(60.0) and helped.status == "not_met" and helped.goal == 100.0
    handled = results["perpetrators_handled"]
    # perpetrators: 1 + 2 + 1 + 1 + 1 + 1 = 7; handled: default, unavailable, referral_received_only,
    # consent_after_q1 (1 each) = 4
    assert (handled.numerator, handled.denominator) == (4, 7)
    assert handled.status == "not_met"
    assert "Tử số" in helped.definition_vi and "Numerator" in helped.definition("en")


def test_withdrawn_consent_and_double_reporting_change_the_counts(session, cases):
    before = by_formula(targets(session, 2025))["cases_needing_help_helped"]
    case = session.cases.get(cases["default"]["id"])
    case["consent"]["reporting"]["withdrawn_on"] = "2025-10-01"
    session.cases.save(case)
    after = by_formula(targets(session, 2025))["cases_needing_help_helped"]
    assert (after.numerator, after.denominator) == (before.numerator - 1, before.denominator - 1)
    q1 = by_formula(targets(session, 2025, "Q1"))["cases_needing_help_helped"]
    assert q1.denominator == expected_targets(session, "2025-01-01", "2025-03-31")["cases_needing_help_helped"][1]
    assert q1.denominator >= 1  # the default case still counts for Q1: withdrawn later

    other = session.cases.get(cases["referral_received_only"]["id"])
    other["incident"]["reported_elsewhere"] = True
    session.cases.save(other)
    again = by_formula(targets(session, 2025))["cases_needing_help_helped"]
    assert (again.numerator, again.denominator) == (after.numerator - 1, after.denominator - 1)
    assert (again.numerator, again.denominator) == \
        expected_targets(session, "2025-01-01", "2025-12-31")["cases_needing_help_helped"]


def test_no_cases_means_no_data_not_zero_percent(session):
    results = targets(session, 2025)
    helped = by_formula(results)["cases_needing_help_helped"]
    assert helped.denominator == 0 and helped.value is None and helped.status == "no_data"


def test_perfect_year_is_met(session):
    make_case(session, "2025-03-10")
    results = by_formula(targets(session, 2025))
    assert results["cases_needing_help_helped"].status == "met"
    assert results["perpetrators_handled"].value == pytest.approx(100.0)
    assert results["perpetrators_handled"].status == "met"


@pytest.fixture
def schools(session):
    reg = session.registries
    s1 = reg.save_school({"name": "THPT Đông Hưng", "level": "upper_secondary"})
    s2 = reg.save_school({"name": "THPT Bắc Sơn", "level": "upper_secondary", "integrations": {"2025": True}})
    s3 = reg.save_school({"name": "Đại học Y", "level": "university", "integrations": {"2025": False}})
    s4 = reg.save_school({"name": "Tiểu học Đông", "level": "primary"})
    gone = reg.save_school({"name": "Cao đẳng cũ", "level": "college", "integrations": {"2025": True}})
    reg.delete_school(gone["id"])

    def activity(kind, school, starts_on, ends_on=None):
        session.activities.save({"kind": kind, "title": f"Hoạt động {kind}", "starts_on": starts_on,
                                 "ends_on": ends_on, "school_id": school["id"],
                                 "participants": {"total": 40, "female": 20, "male": 20}})

    activity("thematic_talk", s1, "2025-03-20")
    activity("inspection_thematic", s3, "2025-05-20")  # not communication
    activity("club_meeting", s4, "2025-04-01")  # a primary school: not a level of the target
    activity("rally", s3, "2024-12-30", "2025-01-02")  # spans the new year: counts for 2025 Q1 too
    return {"s1": s1, "s2": s2, "s3": s3, "s4": s4}


def expected_schools(session, start: str, end: str, year: int | None):
    q = session.store.query
    levels = {"upper_secondary", "vocational", "college", "university"}
    comm = {o.code for o in session.reference["activity_kind"].options if o.extra["group"] in COMMUNICATION_GROUPS}
    live = [s for s in q("SELECT * FROM schools") if s["deleted"] == 0 and s["level"] in levels]
    acts = q("SELECT * FROM activities WHERE deleted = 0")
    marks = {(m["school_id"], m["year"]): m["integrated"] for m in q("SELECT * FROM school_integrations")}
    done = 0
    for s in live:
        held = any(a["school_id"] == s["id"] and a["kind"] in comm and a["starts_on"] <= end
                   and (a["ends_on"] or a["starts_on"]) >= start for a in acts)
        if held or (year is not None and marks.get((s["id"], year)) == 1):
            done += 1
    return done, len(live)


def test_schools_integrating_counts_activities_and_the_yearly_mark(session, schools):
    kinds = session.reference["activity_kind"]
    assert kinds.get("inspection_thematic").extra["group"] not in COMMUNICATION_GROUPS
    year = by_formula(targets(session, 2025))["schools_integrating"]
    assert (year.numerator, year.denominator) == (3, 3)  # s1 activity, s2 mark, s3 rally across new year
    assert (year.numerator, year.denominator) == expected_schools(session, "2025-01-01", "2025-12-31", 2025)
    q2 = by_formula(targets(session, 2025, "Q2"))["schools_integrating"]
    assert (q2.numerator, q2.denominator) == (0, 3) == expected_schools(session, "2025-04-01", "2025-06-30", None)
    assert q2.status == "not_met" and q2.value == 0.0
    q1 = by_formula(targets(session, 2025, "Q1"))["schools_integrating"]
    assert (q1.numerator, q1.denominator) == expected_schools(session, "2025-01-01", "2025-03-31", None) == (2, 3)


@pytest.fixture
def hy_session(tmp_path):
    from app.node import Node

    node, _ = Node.create(tmp_path / "hy", kind="commune", name="Xã Hưng Thử", code="HY01", parent_code="HY",
                          profile_code="hung_yen", admin_username="admin", admin_password=ADMIN_PASSWORD)
    session = node.login("admin", ADMIN_PASSWORD)
    yield session
    session.close()


def test_hung_yen_targets_match_an_independent_count(hy_session):
    s = hy_session
    make_case(s, "2025-03-10")
    make_case(s, "2025-04-10", services=[("health_care", "declined")], referrals=[], actions=[])
    make_case(s, "2025-05-10", services=[], referrals=[("legal_aid", "pending")], actions=[])
    make_case(s, "2025-06-10", services=[("health_care", "unavailable")], referrals=[], actions=[])
    make_case(s, "2025-06-11", reported_elsewhere=True)
    results = by_formula(targets(s, 2025))
    assert [r.code for r in targets(s, 2025)] == ["hy_survivors_seeking_help", "hy_cases_helped"]
    expected = expected_targets(s, "2025-01-01", "2025-12-31")
    seeking = results["survivors_seeking_help"]
    assert (seeking.numerator, seeking.denominator) == expected["survivors_seeking_help"] == (2, 4)
    assert seeking.value == pytest.approx(50.0) and seeking.status == "met"  # goal ≥ 50 %
    helped = results["cases_needing_help_helped"]
    assert (helped.numerator, helped.denominator) == expected["cases_needing_help_helped"] == (1, 2)


def test_each_result_carries_queries_that_recompute_it(session, cases, schools):
    for result in targets(session, 2025, "H2") + targets(session, 2025):
        assert result.numerator_trace.run(session.store) == result.numerator
        assert result.denominator_trace.run(session.store) == result.denominator
        assert result.as_dict()["period"] == result.period.code


def test_quarterly_trend_has_four_results_per_target(session, cases):
    trend = targets_by_quarter(session, 2025)
    assert set(trend) == {t.code for t in session.profile.targets}
    for results in trend.values():
        assert [r.period.part for r in results] == ["Q1", "Q2", "Q3", "Q4"]
    helped = trend["tb_cases_helped"]
    assert [r.denominator for r in helped] == [
        expected_targets(session, s, e)["cases_needing_help_helped"][1]
        for s, e in (("2025-01-01", "2025-03-31"), ("2025-04-01", "2025-06-30"), ("2025-07-01", "2025-09-30"),
                     ("2025-10-01", "2025-12-31"))]


def test_periods():
    assert Period.of(2025, "Q3").start == date(2025, 7, 1) and Period.of(2025, "Q3").end == date(2025, 9, 30)
    assert Period.of(2024, "Q1").end == date(2024, 3, 31)
    assert Period.of(2025, "h2").code == "2025-H2" and Period.of(2025, "H2").label() == "6 tháng cuối năm 2025"
    assert Period.of(2025, "Q4").label() == "quý IV năm 2025" and Period.of(2025).label("en") == "year 2025"
    assert Period.between(date(2025, 1, 1), date(2025, 12, 31)) == Period.of(2025)
    custom = Period.between(date(2025, 1, 1), date(2025, 5, 31))
    assert custom.part is None and custom.whole_year is None and len(custom.months()) == 5
    with pytest.raises(BinhAnError) as err:
        Period.of(2025, "Q5")
    assert "Q1, Q2, Q3, Q4" in str(err.value)
    with pytest.raises(BinhAnError):
        Period.between(date(2025, 2, 1), date(2025, 1, 1))


def test_codes_the_targets_name_exist_in_the_reference_data(session):
    ref = session.reference
    assert DUPLICATE_STATUS in ref["case_status"].codes
    assert REPORTING_SCOPE in ref["consent_scope"].codes
    assert REFERRED_STATUS in ref["service_status"].codes
    assert set(COMMUNICATION_GROUPS) <= ref["activity_group"].codes
    assert {o.code for o in ref["school_level"].options if o.extra.get("target_integration")} == {
        "upper_secondary", "vocational", "college", "university"}


def test_every_formula_of_the_shipped_profiles_is_computed(session):
    from app.reference import KNOWN_FORMULAS, load_profiles
    from app.targets import FORMULAS

    assert set(FORMULAS) == set(KNOWN_FORMULAS)
    for profile in load_profiles().values():
        for target in profile.targets:
            assert target.formula in FORMULAS


def test_a_cadre_sees_the_targets_of_her_own_point_only(session, new_node):
    make_case(session, "2025-03-10")
    data = sample_case(point_id="P1")
    session.cases.save(data)
    session.add_user("cadre1", "mật-khẩu-khác", "cadre", "Cán bộ", point_id="P1")
    cadre = new_node.login("cadre1", "mật-khẩu-khác")
    try:
        mine = by_formula(targets_for(cadre, Period.of(2025)))["perpetrators_handled"]
        assert mine.denominator == 1
    finally:
        cadre.close()
    assert by_formula(targets(session, 2025))["perpetrators_handled"].denominator == 2


def test_month_level_dates_received_from_below_count_in_their_period(session):
    """At a province, cases arrive with "YYYY-MM" dates (the sync allow-list); January must count."""
    from app.targets import Period, countable_cases

    saved = session.cases.save(sample_case(intake={"reported_on": "2025-01-20", "disclosure_channel": "self"}))
    with session.store.transaction() as conn:
        conn.execute("UPDATE cases SET reported_on = '2025-01' WHERE id = ?", (saved["id"],))
        conn.execute("UPDATE case_consents SET given_on = '2025-01' WHERE case_id = ?", (saved["id"],))
    sql, params = countable_cases(session, Period.of(2025))
    assert [r[0] for r in session.store.execute(sql, params)] == [saved["id"]]
    sql, params = countable_cases(session, Period.of(2024))
    assert list(session.store.execute(sql, params)) == []
