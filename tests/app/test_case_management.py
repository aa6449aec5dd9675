"""Case management as caseworkers practise it (issue 18): consent by age and law, risk, plans, follow-ups that
remind, supervision and closure, one person across incidents, erasure of the identity."""

from __future__ import annotations

from datetime import date

import pytest

from app.cases import CaseFilter
from app.errors import PermissionDenied, ValidationFailed
from app.targets import Period, targets_for
from tests.conftest import ADMIN_PASSWORD, CANARY_NAME, sample_case


def _paths(failed: ValidationFailed) -> set[str]:
    return {e.path for e in failed.errors}


def child(age: int, *, given_by: str | None, **overrides) -> dict:
    consent = {"given": True, "on": "2025-03-10"}
    if given_by:
        consent["given_by"] = given_by
    return sample_case(survivor={"age": age, "sex": "female"},
                       consent={"services": dict(consent), "reporting": dict(consent), "sharing": {"given": False}},
                       perpetrators=[{"sex": "male", "relationship": "family_other", "count": 1}], **overrides)


# --- consent as the law has it (issue 18.7) ------------------------------------------------------------------
def test_a_child_of_6_is_consented_for_by_a_parent_or_guardian(session):
    with pytest.raises(ValidationFailed) as failed:
        session.cases.save(child(6, given_by="survivor"))
    assert "consent.services.given_by" in _paths(failed.value)
    saved = session.cases.save(child(6, given_by="guardian"))
    assert saved["consent"]["services"]["given_by"] == "guardian"


def test_a_child_of_7_consents_together_with_a_guardian(session):
    for alone in ("survivor", "guardian", None):
        with pytest.raises(ValidationFailed) as failed:
            session.cases.save(child(7, given_by=alone))
        assert "consent.reporting.given_by" in _paths(failed.value), alone
    assert session.cases.save(child(7, given_by="both"))["consent"]["reporting"]["given_by"] == "both"


def test_a_child_of_15_still_needs_both_and_a_person_of_16_consents_herself(session):
    with pytest.raises(ValidationFailed):
        session.cases.save(child(15, given_by="survivor"))
    assert session.cases.save(child(15, given_by="both"))
    assert session.cases.save(child(16, given_by="survivor"))
    with pytest.raises(ValidationFailed) as failed:
        session.cases.save(child(16, given_by="guardian"))  # no guardianship recorded
    assert "consent.services.given_by" in _paths(failed.value)


def test_an_adult_may_consent_without_the_giver_written_and_a_consent_not_given_has_none(session):
    saved = session.cases.save(sample_case())
    assert saved["consent"]["services"]["given_by"] is None  # an adult's own, as before issue 18
    both = {"given": False, "given_by": "both"}
    saved = session.cases.save(sample_case(consent={"services": both, "reporting": {"given": True}}))
    assert saved["consent"]["services"]["given_by"] is None  # not given: no giver kept


def test_a_referral_without_consent_needs_a_legal_basis_and_a_reason_never_a_tick(session):
    no_consent = {"service": "health_care", "referred_on": "2025-03-10", "consent": False}
    with pytest.raises(ValidationFailed) as failed:
        session.cases.save(sample_case(referrals=[no_consent]))
    assert "referrals[0].consent" in _paths(failed.value)
    with pytest.raises(ValidationFailed) as failed:
        session.cases.save(sample_case(referrals=[dict(no_consent, legal_basis="emergency_life_health")]))
    assert "referrals[0].basis_reason" in _paths(failed.value)


def test_an_emergency_referral_without_consent_is_recorded_and_audited(session):
    saved = session.cases.save(sample_case(referrals=[{
        "service": "health_care", "referred_on": "2025-03-10", "consent": False,
        "legal_basis": "emergency_life_health", "basis_reason": "Chấn thương đầu, bất tỉnh khi đến trạm"}]))
    referral = saved["referrals"][0]
    assert referral["consent"] is False and referral["legal_basis"] == "emergency_life_health"
    audit = session.store.query("SELECT detail FROM audit_log WHERE action = 'case.shared_without_consent'")
    assert len(audit) == 1 and "emergency_life_health" in audit[0]["detail"]
    assert "bất tỉnh" not in audit[0]["detail"]  # the reason stays on the case, not in the log
    session.cases.save(dict(saved, status="open"))  # saved again unchanged: no second audit entry
    assert session.store.scalar("SELECT count(*) FROM audit_log WHERE action = 'case.shared_without_consent'") == 1


def test_child_abuse_is_reported_without_consent_when_the_guardian_is_the_abuser(session):
    report = {"service": "police_security", "referred_on": "2025-03-10", "consent": False,
              "legal_basis": "child_abuse_report", "basis_reason": "Cha đẻ xâm hại; trẻ 10 tuổi"}
    case = sample_case(survivor={"age": 10, "sex": "female"}, incident={"violence_type": "sexual_assault"},
                       perpetrators=[{"sex": "male", "relationship": "family_other", "count": 1}],
                       consent={"services": {"given": False}, "reporting": {"given": False},
                                "sharing": {"given": False}},
                       services=[{"service": "police_security", "status": "referred", "on": "2025-03-10"}],
                       referrals=[report])
    saved = session.cases.save(case)
    assert saved["referrals"][0]["legal_basis"] == "child_abuse_report"
    # The same basis for an adult survivor with no child at risk is refused.
    adult = dict(case, survivor={"age": 30, "sex": "female"})
    with pytest.raises(ValidationFailed) as failed:
        session.cases.save(adult)
    assert "referrals[0].legal_basis" in _paths(failed.value)
    adult["survivor"] = {"age": 30, "sex": "female", "children_count": 2, "children_at_risk": "yes"}
    assert session.cases.save(adult)["referrals"][0]["legal_basis"] == "child_abuse_report"


def test_being_told_what_is_kept_is_recorded_with_who_told(session):
    saved = session.cases.save(sample_case(privacy_notice={"on": "2025-03-10"}))
    assert saved["privacy_notice"] == {"on": "2025-03-10", "by": "Quản trị thử"}


# --- risk, safety plan, follow-ups (18.1, 18.2, 18.4) ---------------------------------------------------------
def test_risk_is_scored_by_the_rule_in_the_data_and_a_red_flag_is_high(session):
    from app.cases.validate import score_risk

    ref = session.reference
    assert score_risk({"escalation": "yes"}, ref) == (2, "low")
    assert score_risk({"escalation": "yes", "survivor_afraid": "yes"}, ref)[1] == "medium"
    assert score_risk({"threat_to_kill": "yes"}, ref)[1] == "high"
    assert score_risk({c: "unknown" for c in ref["risk_question"].codes}, ref)[1] == "medium"
    saved = session.cases.save(sample_case(risk_assessments=[
        {"on": "2025-03-10", "answers": {"weapon": "yes", "escalation": "yes"}},
        {"on": "2025-04-10", "answers": {"weapon": "no", "escalation": "no"}}]))
    assert [a["level"] for a in saved["risk_assessments"]] == ["high", "low"]
    assert saved["derived"]["risk_level"] == "low"  # the newest assessment decides
    with pytest.raises(ValidationFailed):
        session.cases.save(sample_case(risk_assessments=[{"on": "2025-03-10", "answers": {"no_such": "yes"}}]))


def test_a_high_risk_case_comes_first_in_the_due_list(session):
    session.cases.today = lambda: date(2025, 5, 1)
    calm = session.cases.save(sample_case(follow_ups=[{"due_on": "2025-04-01", "status": "planned"}]))
    risky = session.cases.save(sample_case(
        follow_ups=[{"due_on": "2025-05-05", "status": "planned"}],
        risk_assessments=[{"on": "2025-03-10", "answers": {"strangulation": "yes"}}]))
    due = session.cases.due()
    assert [d["code"] for d in due][:2] == [risky["code"], calm["code"]]
    assert due[0]["risk_level"] == "high" and not due[0]["overdue"] and due[1]["overdue"]
    assert set(session.cases.ids(CaseFilter(due=True))) == {calm["id"], risky["id"]}


def test_a_follow_up_done_says_what_it_found_and_plans_the_next(session):
    case = sample_case(follow_ups=[{"due_on": "2025-03-20", "done_on": "2025-03-20", "status": "done"}])
    with pytest.raises(ValidationFailed) as failed:
        session.cases.save(case)
    assert "follow_ups[0].outcome" in _paths(failed.value)
    case["follow_ups"][0].update(outcome="needs_more_help", next_on="2025-04-20")
    saved = session.cases.save(case)
    assert saved["follow_ups"][1] == {"due_on": "2025-04-20", "done_on": None, "status": "planned",
                                      "outcome": None, "next_on": None}
    assert saved["derived"]["next_follow_up"] == "2025-04-20"


def test_safety_plan_parts_are_coded_and_its_places_are_identity(session):
    saved = session.cases.save(sample_case(
        safety_plan={"in_place": True, "on": "2025-03-11", "to_take": ["id_papers", "medicine"],
                     "steps": ["escape_route"], "children": "in_plan", "agreed": True, "review_on": "2025-04-11"},
        identity=dict(sample_case()["identity"], safe_places="Nhà chị Canary Hoa", code_word="mua muối",
                      emergency_contacts="Chị Canary 0987654321")))
    assert saved["safety_plan"]["to_take"] == ["id_papers", "medicine"]
    row = session.store.query("SELECT safe_places, code_word FROM case_identities WHERE case_id = ?", (saved["id"],))[0]
    assert isinstance(row["safe_places"], bytes) and b"Canary" not in row["safe_places"]
    again = session.cases.get(saved["id"], with_identity=True)
    assert again["identity"]["code_word"] == "mua muối"


# --- supervision and closure (18.3, 18.5) --------------------------------------------------------------------
def test_closure_needs_a_supervisors_approval_and_reopening_a_reason(session):
    session.add_user("canbo", "mat-khau-cb", "cadre", "Cán bộ Hội", point_id="point-A")
    session.add_user("lanhdao", "mat-khau-ld", "leader", "Chủ tịch xã")
    cadre = session.node.login("canbo", "mat-khau-cb")
    leader = session.node.login("lanhdao", "mat-khau-ld")
    try:
        saved = cadre.cases.save(sample_case(closure={"items": ["needs_met"], "closed_on": None}))
        closing = dict(saved, status="closed", closure={"items": ["needs_met"], "closed_on": "2025-04-30",
                                                        "knows_can_return": True})
        with pytest.raises(ValidationFailed) as failed:
            cadre.cases.save(closing)
        assert "closure.items" in _paths(failed.value)
        assert [d["kind"] for d in leader.cases.due()] == ["closure_approval"]  # follow-ups are the cadre's
        assert "closure_approval" not in [d["kind"] for d in cadre.cases.due()]
        with pytest.raises(PermissionDenied):
            cadre.cases.review(saved["id"], "ok", approves_closure=True)
        reviewed = leader.cases.review(saved["id"], "Đã đáp ứng nhu cầu; đồng ý kết thúc.", approves_closure=True)
        assert reviewed["reviews"][0]["approves_closure"] and reviewed["reviews"][0]["by"] == "Chủ tịch xã"
        closed = cadre.cases.save(closing)
        assert closed["status"] == "closed" and closed["closure"]["knows_can_return"] is True
        reopen = dict(closed, status="open", closure={"items": [], "closed_on": None})
        with pytest.raises(ValidationFailed) as failed:
            cadre.cases.save(reopen)
        assert "reopen.reason" in _paths(failed.value)
        again = cadre.cases.save(dict(reopen, reopen={"reason": "survivor_returned", "on": "2025-06-01"}))
        assert again["status"] == "open" and again["reopen"]["reason"] == "survivor_returned"
        # The old approval does not close the reopened case.
        with pytest.raises(ValidationFailed):
            cadre.cases.save(dict(again, status="closed", closure={"items": ["needs_met"], "closed_on": "2025-06-30"}))
    finally:
        cadre.close()
        leader.close()
    actions = [r["action"] for r in session.store.query("SELECT action FROM audit_log ORDER BY seq")]
    assert "case.review" in actions and "case.reopen" in actions


# --- one person across incidents (18.6) -----------------------------------------------------------------------
def test_a_second_incident_of_the_same_person_is_proposed_linked_on_confirmation_and_counted_once(session):
    first = session.cases.save(sample_case())
    second = session.cases.save(sample_case(intake={"reported_on": "2025-06-02", "disclosure_channel": "self"},
                                            survivor={"age": 34, "sex": "female"}))
    other = session.cases.save(sample_case(identity={"name": CANARY_NAME, "phone": "0988888888"},
                                           survivor={"age": 60, "sex": "female"}))  # same name, not her
    period = Period.of(2025)
    from app.targets import FORMULAS

    def survivors():
        return [trace.run(session.store) for trace in FORMULAS["survivors_reached_service"](session, period)]

    before = survivors()
    matches = session.cases.person_matches(second["id"])
    assert [m["id"] for m in matches] == [first["id"]]
    assert session.cases.get(second["id"])["person"]["id"] is None  # proposed, not linked
    session.cases.link_person(second["id"], first["id"])
    shown = session.cases.get(second["id"])["person"]
    assert [x["code"] for x in shown["incidents"]] == [first["code"]]
    assert before == [3, 3]
    assert survivors() == [2, 2]  # she is one person
    assert other["id"] not in {m["id"] for m in session.cases.person_matches(first["id"])}


# --- the person's rights (18.8) -------------------------------------------------------------------------------
def test_erasing_an_identity_leaves_no_trace_in_the_file_or_later_backups_and_the_case_still_counts(session):
    from tests.app import attacker

    node_dir = session.node.data_dir
    saved = session.cases.save(sample_case(identity=dict(sample_case()["identity"], code_word="Canary-mật-hiệu")))
    kept = session.cases.save(sample_case(identity={"name": "Người Khác Giữ Lại"}))
    session.backups.create(reason="manual")  # a backup made before the erasure
    period = Period.of(2025)
    before = [(t.code, t.numerator, t.denominator) for t in targets_for(session, period)]
    session.cases.erase_identity(saved["id"])
    session.backups.create(reason="manual")
    session.close()

    text, pages, opened = attacker.everything(node_dir, "admin", ADMIN_PASSWORD)
    for secret in (CANARY_NAME, "Canary-mật-hiệu", "0912345678", "034190001234", "Trần Văn Canary"):
        assert secret not in text and secret.encode() not in pages, secret
        assert not any(secret in value for value in opened), secret
    assert "Người Khác Giữ Lại" in opened  # the other case's identity is untouched

    again = session.node.login("admin", ADMIN_PASSWORD)
    try:
        case = again.cases.get(saved["id"], with_identity=True)
        assert case["identity_erased_on"] and case["identity"]["name"] is None
        assert [(t.code, t.numerator, t.denominator) for t in targets_for(again, period)] == before
        assert again.cases.get(kept["id"], with_identity=True)["identity"]["name"] == "Người Khác Giữ Lại"
        with pytest.raises(ValidationFailed):
            again.cases.save(dict(case, identity=dict(case["identity"], name="Ghi Lại")))
        audit = [r["action"] for r in again.store.query("SELECT action FROM audit_log")]
        assert "case.identity_erased" in audit
    finally:
        again.close()


def test_an_erasure_travels_up_as_such_and_the_package_holds_no_identity(session):
    from app import sync_allow

    saved = session.cases.save(sample_case())
    session.cases.erase_identity(saved["id"])
    with session.store.transaction() as conn:
        record = sync_allow.outgoing(conn, "cases", saved["id"], k=1)
    assert record["identity_erased_on"] == date.today().isoformat()[:7]
    assert CANARY_NAME not in str(record) and "provider_name" not in record
    assert session.store.scalar("SELECT count(*) FROM outbox WHERE record_id = ? AND rev = 2", (saved["id"],)) == 1


def test_the_retention_review_lists_cases_closed_longer_than_the_profile_allows(session):
    saved = session.cases.save(sample_case(status="closed", closure={"items": ["needs_met"],
                                                                     "closed_on": "2025-04-30"}))
    assert session.cases.retention_due() == []
    session.cases.today = lambda: date(2030, 5, 1)
    assert [r["code"] for r in session.cases.retention_due()] == [saved["code"]]
    assert "retention" in [d["kind"] for d in session.cases.due()]
    session.cases.erase_identity(saved["id"], reason="retention")
    assert session.cases.retention_due() == []


def test_the_command_line_lists_what_is_due_and_erases_an_identity(new_node, capsys, monkeypatch):
    from binhan.cli import main

    session = new_node.login("admin", ADMIN_PASSWORD)
    saved = session.cases.save(sample_case(follow_ups=[{"due_on": "2025-04-10", "status": "planned"}]))
    session.close()
    monkeypatch.setenv("BINHAN_PASSWORD", ADMIN_PASSWORD)
    common = ["--data-dir", str(new_node.data_dir), "--user", "admin"]
    assert main(["case", "due", *common]) == 0
    assert saved["code"] in capsys.readouterr().out
    assert main(["case", "erase-identity", saved["code"], *common]) == 0
    capsys.readouterr()
    assert main(["case", "show", saved["code"], "--json", "--identity", *common]) == 0
    out = capsys.readouterr().out
    assert CANARY_NAME not in out and '"identity_erased_on"' in out
