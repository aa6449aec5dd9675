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
    service_rows, referral_rows = {}, {}
    for r in q("SELECT * FROM case_services"):
        service_rows.setdefault(r["case_id"], []).append((r["service"], r["status"]))
    for r in q("SELECT * FROM case_referrals"):
        referral_rows.setdefault(r["case_id"], []).append((r["service"], r["outcome"]))
    raw_rows.services, raw_rows.referrals = service_rows, referral_rows
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
        other = cases.get(c["duplicate_of"]) if c["duplicate_of"] else None
        # reported by another agency: out only where this node holds that agency's record of the case
        held_elsewhere = (c["reported_elsewhere"] == 1 and other is not None and other["deleted"] == 0
                          and other["origin"] != c["origin"])
        if (c["deleted"] == 0 and c["status"] != "duplicate" and c["violence_type"] != "not_gbv"
                and not held_elsewhere and start <= c["reported_on"] <= end and consented):
            out.add(cid)
    return out


def expected_targets(session, start: str, end: str) -> dict[str, tuple[int, int]]:
    cases, _, services, referrals, actions = raw_rows(session)
    counted = expected_counted(session, start, end)
    need = {c for c in counted if set(services.get(c, [])) & {"referred", "provided", "already_received",
                                                               "unavailable"}}
    helped = {c for c in need if set(services.get(c, [])) & {"provided", "already_received"}
              or "received" in referrals.get(c, [])}
    received = {c: {svc for svc, outcome in raw_rows.referrals.get(c, []) if outcome == "received"} for c in counted}
    every = {c for c in need if all(st in ("provided", "already_received") or (st == "referred" and svc in received[c])
                                    for svc, st in raw_rows.services.get(c, [])
                                    if st in ("referred", "provided", "already_received", "unavailable"))}
    # sought help: a service given or received elsewhere, or a referral not declined; a "referred" service with
    # no referral row at all counts, one whose every referral was declined does not
    sought = {c for c in counted if set(services.get(c, [])) & {"provided", "already_received"}
              or any(o != "declined" for o in referrals.get(c, []))
              or ("referred" in services.get(c, []) and not referrals.get(c))}
    reached = {c for c in counted if set(services.get(c, [])) & {"provided", "already_received"}
               or "received" in referrals.get(c, [])}

    def persons(c, codes):  # a measure recorded n times reached n people, at most the case's perpetrators
        most = max((actions.get(c, []).count(a) for a in codes), default=0)
        return min(cases[c]["perpetrator_count"], most)

    handling = ("ordered_to_stop", "summoned_to_commune_police", "counselled", "community_criticism",
                "administrative_sanction", "criminal_proceedings", "behaviour_change_education", "no_contact_order",
                "community_service")  # "detected" alone is not handling
    perps = sum(cases[c]["perpetrator_count"] for c in counted)
    handled = sum(persons(c, handling) for c in counted)
    eligible = {c: cases[c]["perpetrator_count"] - persons(c, ("criminal_proceedings",)) for c in counted}
    counselled = sum(min(eligible[c], persons(c, ("counselled",))) for c in counted)
    return {"cases_needing_help_helped": (len(helped), len(need)),
            "every_need_met": (len(every), len(need)),
            "perpetrators_handled": (handled, perps),
            "survivors_seeking_help": (len(sought), len(counted)),
            "survivors_reached_service": (len(reached), len(counted)),
            "perpetrators_counselled": (counselled, sum(eligible.values()))}


def by_formula(results):
    return {r.formula: r for r in results}


# --- tests -------------------------------------------------------------------------------------------
def test_counted_cases_follow_every_rule(session, cases):
    sql, params = countable_cases(session, Period.of(2025))
    counted = {r[0] for r in session.store.execute(sql, params).fetchall()}
    names = {cases[k]["id"]: k for k in cases}
    # "reported_elsewhere" stays: this node does not hold the other agency's record of the case
    assert {names[c] for c in counted} == {"default", "declined_only", "referred_pending", "unavailable",
                                           "referral_received_only", "consent_after_q1", "reported_elsewhere"}
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
    # need: default, referred_pending, unavailable, referral_received_only, consent_after_q1, reported_elsewhere
    assert (helped.numerator, helped.denominator) == (4, 6)
    assert helped.value == pytest.approx(400 / 6) and helped.status == "not_met" and helped.goal == 100.0
    assert helped.extra["every_need_met"] == 4 == expected_targets(session, "2025-01-01", "2025-12-31")[
        "every_need_met"][0]
    handled = results["perpetrators_handled"]
    # perpetrators: 1 + 2 + 1 + 1 + 1 + 1 + 1 = 8; counselled or handled: default, unavailable,
    # referral_received_only, consent_after_q1, reported_elsewhere (1 each) = 5
    assert (handled.numerator, handled.denominator) == (5, 8)
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
    # also reported by another agency: still in this node's own figures
    assert (again.numerator, again.denominator) == (after.numerator, after.denominator)

    # Where the node holds the other agency's record of the same case (here: a record from another origin,
    # as a province holds what another node sent), the case is counted once: the agency's record only.
    agency = make_case(session, "2024-06-01")  # outside the year: only the commune's copy could count
    with session.store.transaction() as conn:
        conn.execute("UPDATE cases SET origin = 'another-agency' WHERE id = ?", (agency["id"],))
    other = session.cases.get(cases["referral_received_only"]["id"])
    other["duplicate_of"] = agency["id"]
    session.cases.save(other)
    once = by_formula(targets(session, 2025))["cases_needing_help_helped"]
    assert (once.numerator, once.denominator) == (after.numerator - 1, after.denominator - 1)
    assert (once.numerator, once.denominator) == \
        expected_targets(session, "2025-01-01", "2025-12-31")["cases_needing_help_helped"]
    with session.store.transaction() as conn:  # the other agency's record deleted: the commune's counts again
        conn.execute("UPDATE cases SET deleted = 1 WHERE id = ?", (agency["id"],))
    assert by_formula(targets(session, 2025))["cases_needing_help_helped"].denominator == after.denominator


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
    # declined the one referral and received no service: did not seek help from a provider
    make_case(s, "2025-06-12", services=[("health_care", "referred")], referrals=[("health_care", "declined")],
              actions=[])
    results = by_formula(targets(s, 2025))
    assert [r.code for r in targets(s, 2025)] == ["hy_survivors_seeking_help", "hy_cases_helped"]
    expected = expected_targets(s, "2025-01-01", "2025-12-31")
    seeking = results["survivors_seeking_help"]
    assert (seeking.numerator, seeking.denominator) == expected["survivors_seeking_help"] == (3, 6)
    assert seeking.value == pytest.approx(50.0) and seeking.status == "met"  # goal ≥ 50 %
    helped = results["cases_needing_help_helped"]
    assert (helped.numerator, helped.denominator) == expected["cases_needing_help_helped"] == (2, 4)


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


def test_perpetrators_are_counted_one_by_one_and_detection_alone_is_not_handling(session):
    group = [{"sex": "male", "relationship": "family_other", "count": 3}]
    make_case(session, "2025-02-01", actions=["detected"])  # 1 perpetrator, only detected: not handled
    make_case(session, "2025-02-02", perpetrators=group, actions=["counselled", "counselled"])  # 2 of 3
    make_case(session, "2025-02-03", perpetrators=group, actions=["counselled", "administrative_sanction"])  # 1 of 3
    make_case(session, "2025-02-04", perpetrators=[{"sex": "male", "relationship": "intimate_partner", "count": 1}],
              actions=["community_criticism", "counselled", "criminal_proceedings"])  # 1 of 1, not 3
    results = by_formula(targets(session, 2025))
    handled = results["perpetrators_handled"]
    assert (handled.numerator, handled.denominator) == (4, 8)
    assert (handled.numerator, handled.denominator) == \
        expected_targets(session, "2025-01-01", "2025-12-31")["perpetrators_handled"]


def test_every_need_met_beside_at_least_one(session):
    make_case(session, "2025-02-01", services=[("health_care", "provided"), ("safe_shelter", "unavailable")],
              referrals=[])  # one need met, one not
    make_case(session, "2025-02-02", services=[("legal_aid", "referred"), ("health_care", "provided")],
              referrals=[("legal_aid", "received")])  # every need met
    make_case(session, "2025-02-03", services=[("legal_aid", "referred"), ("health_care", "provided")],
              referrals=[("health_care", "received")])  # the referral received is for another service
    helped = by_formula(targets(session, 2025))["cases_needing_help_helped"]
    assert (helped.numerator, helped.denominator) == (3, 3)
    assert helped.extra["every_need_met"] == 1
    assert helped.extra["every_need_met_trace"].run(session.store) == 1
    assert expected_targets(session, "2025-01-01", "2025-12-31")["every_need_met"] == (1, 3)


def test_2026_follows_the_national_baseline_and_2025_keeps_its_plan(session, cases):
    make_case(session, "2026-02-01", services=[("health_care", "provided")], referrals=[],
              perpetrators=[{"sex": "male", "relationship": "family_other", "count": 2}],
              actions=["counselled", "counselled"])
    make_case(session, "2026-03-01", services=[("health_care", "declined")], referrals=[],
              actions=["criminal_proceedings"])
    make_case(session, "2026-03-02", services=[("legal_aid", "referred")], referrals=[("legal_aid", "pending")],
              actions=["detected"])
    before = [r.as_dict() for r in targets(session, 2025)]
    results = targets(session, 2026)
    assert [r.code for r in results] == ["nat_survivors_reached_service", "nat_perpetrators_counselled"]
    expected = expected_targets(session, "2026-01-01", "2026-12-31")
    reached, counselled = by_formula(results)["survivors_reached_service"], by_formula(results)["perpetrators_counselled"]
    assert (reached.numerator, reached.denominator) == expected["survivors_reached_service"] == (1, 3)
    # 4 perpetrators, 1 prosecuted: 3 eligible, 2 counselled
    assert (counselled.numerator, counselled.denominator) == expected["perpetrators_counselled"] == (2, 3)
    assert reached.goal == 90.0 and counselled.goal == 70.0
    assert [r.code for r in targets(session, 2025)] == ["tb_cases_helped", "tb_perpetrators_handled",
                                                         "tb_schools_integrating"]
    assert [r.as_dict() for r in targets(session, 2025)] == before
