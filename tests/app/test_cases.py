from datetime import date, timedelta

import pytest

from app.cases import CaseFilter
from app.errors import Conflict, PermissionDenied, ValidationFailed
from tests.conftest import CANARY_NAME, sample_case


def test_saved_case_reads_back_whole_with_derived_facts(session):
    saved = session.cases.save(sample_case())
    again = session.cases.get(saved["id"], with_identity=True)
    assert again["code"] == "TN01-2025-00001"
    assert again["rev"] == 1
    assert again["identity"]["name"] == CANARY_NAME
    assert again["survivor"]["age_band"] == "age_26_40"
    assert again["derived"] == {"delay_band": "days_0_3", "perpetrator_count": 1,
                                "contexts": ["intimate_partner_violence"], "next_follow_up": "2025-04-10",
                                "risk_level": None, "risk_assessed_on": None}
    assert again["referrals"][0]["outcome"] == "received"


def test_every_save_appends_outbox_and_audit_in_same_transaction(session):
    saved = session.cases.save(sample_case())
    outbox = session.store.query("SELECT table_name, record_id, rev FROM outbox")
    assert outbox == [{"table_name": "cases", "record_id": saved["id"], "rev": 1}]
    actions = [r["action"] for r in session.store.query("SELECT action FROM audit_log ORDER BY seq")]
    assert actions[-1] == "case.create"


def test_saving_same_form_twice_makes_one_case(session):
    form = sample_case()
    first = session.cases.save(form)
    form_again = dict(form, id=first["id"], rev=0)  # the second click still carries the old revision
    second = session.cases.save(form_again)
    assert second["id"] == first["id"] and second["rev"] == 1
    assert session.cases.count() == 1
    assert session.store.scalar("SELECT count(*) FROM outbox") == 1


def test_edit_bumps_revision_and_stale_edit_is_refused(session):
    saved = session.cases.save(sample_case())
    edited = session.cases.get(saved["id"], with_identity=True)
    edited["survivor"]["age"] = 35
    after = session.cases.save(edited)
    assert after["rev"] == 2
    stale = dict(edited, rev=1)
    stale["survivor"] = dict(edited["survivor"], age=36)
    with pytest.raises(Conflict):
        session.cases.save(stale)
    assert session.cases.get(saved["id"])["survivor"]["age"] == 35


def test_each_bad_field_is_named_and_nothing_is_saved(session):
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    bad = sample_case(
        intake={"reported_on": tomorrow, "disclosure_channel": "telepathy"},
        survivor={"age": 130, "sex": "female"},
        incident={"violence_type": None},
        status="closed",
        closure={"items": [], "closed_on": "2020-01-01"},
    )
    with pytest.raises(ValidationFailed) as caught:
        session.cases.save(bad)
    fields = caught.value.by_field()
    assert "intake.reported_on" in fields and "hôm nay" in fields["intake.reported_on"].vi
    assert "intake.disclosure_channel" in fields and "telepathy" in fields["intake.disclosure_channel"].vi
    assert "survivor.age" in fields and "120" in fields["survivor.age"].vi
    assert "incident.violence_type" in fields
    assert "closure.items" in fields
    assert session.cases.count() == 0
    assert session.store.scalar("SELECT count(*) FROM outbox") == 0


def test_closure_before_intake_is_a_contradiction(session):
    case = sample_case(status="closed", closure={"items": ["needs_met"], "closed_on": "2025-03-01"})
    with pytest.raises(ValidationFailed) as caught:
        session.cases.save(case)
    assert "closure.closed_on" in caught.value.by_field()


def test_contexts_child_sexual_abuse_and_early_marriage(session):
    csa = session.cases.save(sample_case(
        survivor={"age": 14, "sex": "female"},
        incident={"violence_type": "sexual_assault"},
        perpetrators=[{"relationship": "neighbour_family_friend"}],
        consent={"services": {"given": True, "given_by": "both"}, "reporting": {"given": True, "given_by": "both"}}))
    assert csa["derived"]["contexts"] == ["child_sexual_abuse"]
    early = session.cases.save(sample_case(
        survivor={"age": 16, "sex": "female"}, incident={"violence_type": "forced_marriage"},
        perpetrators=[{"relationship": "family_other", "count": 2}]))
    assert early["derived"]["contexts"] == ["early_marriage"]
    assert early["derived"]["perpetrator_count"] == 2


def test_delete_is_a_tombstone_that_travels(session):
    saved = session.cases.save(sample_case())
    session.cases.delete(saved["id"])
    assert session.cases.count() == 0
    row = session.store.query("SELECT deleted, rev FROM cases WHERE id = ?", (saved["id"],))[0]
    assert row == {"deleted": 1, "rev": 2}
    assert session.store.scalar("SELECT max(rev) FROM outbox WHERE record_id = ?", (saved["id"],)) == 2


def test_accent_insensitive_search_finds_names_for_allowed_roles(session):
    session.cases.save(sample_case(identity={"name": "Nguyễn Thị Đào"}))
    session.cases.save(sample_case(identity={"name": "Lê Văn Bình"}))
    assert session.cases.count(CaseFilter(search="nguyen")) == 1
    assert session.cases.count(CaseFilter(search="dao")) == 1
    assert session.cases.count(CaseFilter(search="TN01-2025-00002")) == 1


def test_leader_never_sees_names_even_by_search(session):
    session.cases.save(sample_case(identity={"name": "Nguyễn Thị Đào"}))
    session.add_user("lanhdao", "mat-khau-ld", "leader", "Chủ tịch xã")
    leader = session.node.login("lanhdao", "mat-khau-ld")
    try:
        assert leader.cases.count() == 1
        assert leader.cases.count(CaseFilter(search="nguyen")) == 0
        case_id = leader.cases.ids()[0]
        assert "identity" not in leader.cases.get(case_id)
        with pytest.raises(PermissionDenied):
            leader.cases.get(case_id, with_identity=True)
    finally:
        leader.close()


def test_cadre_sees_only_her_point(session):
    mine = session.cases.save(sample_case(point_id="point-A"))
    session.cases.save(sample_case(point_id="point-B"))
    session.add_user("canbo", "mat-khau-cb", "cadre", "Cán bộ Hội", point_id="point-A")
    cadre = session.node.login("canbo", "mat-khau-cb")
    try:
        assert cadre.cases.ids() == [mine["id"]]
        saved = cadre.cases.save(sample_case())
        assert saved["point_id"] == "point-A"
        with pytest.raises(PermissionDenied):
            cadre.cases.save(sample_case(point_id="point-B"))
    finally:
        cadre.close()


def test_identity_read_is_audited(session):
    saved = session.cases.save(sample_case())
    session.cases.get(saved["id"])
    assert session.store.scalar("SELECT count(*) FROM audit_log WHERE action = 'identity.read'") == 0
    session.cases.get(saved["id"], with_identity=True)
    assert session.store.scalar("SELECT count(*) FROM audit_log WHERE action = 'identity.read'") == 1
    # The audit log never holds the name itself.
    assert CANARY_NAME not in str(session.store.query("SELECT * FROM audit_log"))


def test_dates_typed_as_dd_mm_yyyy_are_accepted(session):
    saved = session.cases.save(sample_case(intake={"reported_on": "10/03/2025", "incident_on": "08/03/2025",
                                                    "disclosure_channel": "hotline"}))
    assert saved["intake"]["reported_on"] == "2025-03-10"


def test_first_ids_can_be_fetched_alone_in_the_same_order(session):
    for day in range(1, 6):
        session.cases.save(sample_case(intake={"reported_on": f"2025-03-0{day}", "disclosure_channel": "self"}))
    everything = session.cases.ids()
    assert session.cases.ids(limit=2) == everything[:2]
    assert session.cases.ids(order="code", descending=False, limit=3) == sorted(
        everything, key=lambda i: session.cases.get(i)["code"])[:3]


def test_years_lists_the_years_of_visible_cases_newest_first(session):
    for day in ("2024-05-01", "2025-03-01", "2025-04-01"):
        session.cases.save(sample_case(intake={"reported_on": day, "disclosure_channel": "self"}))
    assert session.cases.years() == [2025, 2024]
