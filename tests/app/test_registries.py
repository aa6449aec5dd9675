from datetime import date

import pytest

from app.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

OTHER_PASSWORD = "mật-khẩu-khác"


@pytest.fixture
def users(session):
    session.add_user("cadre1", OTHER_PASSWORD, "cadre", "Cán bộ điểm 1", point_id="P1")
    session.add_user("leader1", OTHER_PASSWORD, "leader", "Chủ tịch xã")
    return session.node


def trusted_address(**overrides) -> dict:
    model = {"kind": "trusted_address", "name": "Địa chỉ tin cậy thôn Đông", "established_on": "2022-03-08",
             "status": "active", "notes": None}
    model.update(overrides)
    return model


# --- models -------------------------------------------------------------------------------------
def test_model_reads_back_with_its_first_status_in_history(session):
    saved = session.registries.save_model(trusted_address())
    again = session.registries.get_model(saved["id"])
    assert again["kind"] == "trusted_address" and again["status"] == "active" and again["rev"] == 1
    assert again["history"] == [{"on": "2022-03-08", "status": "active"}]
    assert set(again) >= {"id", "kind", "name", "established_on", "status", "notes", "history", "origin", "rev",
                          "deleted"}


def test_model_status_history_grows_with_each_change_and_bumps_the_revision(session):
    reg = session.registries
    model = reg.save_model(trusted_address())
    reg.set_model_status(model["id"], "suspended", "2024-06-01")
    reg.set_model_status(model["id"], "suspended", "2024-07-01")  # unchanged: no new entry
    after = reg.set_model_status(model["id"], "active", "15/01/2025")
    assert after["status"] == "active" and after["rev"] == 3
    assert after["history"] == [{"on": "2022-03-08", "status": "active"},
                                {"on": "2024-06-01", "status": "suspended"},
                                {"on": "2025-01-15", "status": "active"}]
    # The history travels with the model: every change is a new revision of it in the outbox.
    outbox = session.store.query("SELECT table_name, rev FROM outbox WHERE record_id = ? ORDER BY seq", (model["id"],))
    assert outbox == [{"table_name": "models", "rev": n} for n in (1, 2, 3)]


def test_saving_a_changed_status_without_a_date_records_today(session):
    model = session.registries.save_model(trusted_address())
    changed = session.registries.save_model(dict(model, status="closed"))
    assert changed["history"][-1] == {"on": date.today().isoformat(), "status": "closed"}


def test_status_change_cannot_be_dated_before_the_last_one(session):
    model = session.registries.save_model(trusted_address())
    session.registries.set_model_status(model["id"], "suspended", "2024-06-01")
    with pytest.raises(ValidationFailed) as caught:
        session.registries.set_model_status(model["id"], "active", "2024-05-01")
    assert "01/06/2024" in caught.value.by_field()["model.status_on"].vi


def test_model_fields_are_checked_with_named_messages(session):
    with pytest.raises(ValidationFailed) as caught:
        session.registries.save_model({"kind": "spaceship", "name": " ", "status": "dormant",
                                       "established_on": "2999-01-01"})
    fields = caught.value.by_field()
    assert "spaceship" in fields["model.kind"].vi
    assert "tên mô hình" in fields["model.name"].vi
    assert "dormant" in fields["model.status"].vi
    assert "model.established_on" in fields
    assert session.registries.models() == []


def test_models_list_by_kind_and_tombstone(session):
    reg = session.registries
    a = reg.save_model(trusted_address())
    b = reg.save_model({"kind": "club", "name": "CLB phòng chống bạo lực giới", "status": "active"})
    assert [m["id"] for m in reg.models(kind="club")] == [b["id"]]
    reg.delete_model(a["id"])
    assert [m["id"] for m in reg.models()] == [b["id"]]
    gone = reg.get_model(a["id"])
    assert gone["deleted"] is True and gone["rev"] == 2
    assert {m["id"] for m in reg.models(include_deleted=True)} == {a["id"], b["id"]}
    assert reg.models(include_deleted=True)[0]["history"]


def test_same_model_saved_twice_is_one_record_and_stale_edit_is_a_conflict(session):
    reg = session.registries
    form = trusted_address()
    first = reg.save_model(form)
    again = reg.save_model(dict(form, id=first["id"], rev=0))
    assert again["rev"] == 1 and len(reg.models()) == 1
    reg.save_model(dict(first, notes="Có 5 thành viên nòng cốt"))
    with pytest.raises(Conflict):
        reg.save_model(dict(first, notes="Bản cũ"))


def test_a_second_model_with_the_same_name_and_kind_is_refused(session):
    session.registries.save_model(trusted_address())
    with pytest.raises(ValidationFailed) as caught:
        session.registries.save_model(trusted_address(name="dia chi tin cay thon dong"))
    assert "model.name" in caught.value.by_field()


# --- schools ------------------------------------------------------------------------------------
def test_school_integration_is_kept_per_year(session):
    reg = session.registries
    school = reg.save_school({"name": "THPT Bắc Duyên Hà", "level": "upper_secondary",
                              "integrations": {"2023": True}})
    assert school["integrations"] == {"2023": True}
    reg.set_school_integration(school["id"], 2024, False)
    after = reg.set_school_integration(school["id"], 2025, True)
    assert after["integrations"] == {"2023": True, "2024": False, "2025": True}
    assert after["rev"] == 3
    # A save that leaves integrations out keeps them; one that sends them replaces them.
    renamed = reg.save_school({"id": school["id"], "name": "THPT Bắc Duyên Hà (cơ sở 2)", "level": "upper_secondary"})
    assert renamed["integrations"] == {"2023": True, "2024": False, "2025": True}
    replaced = reg.save_school(dict(renamed, integrations={"2025": True}))
    assert replaced["integrations"] == {"2025": True}
    rows = session.store.query("SELECT year, integrated FROM school_integrations WHERE school_id = ?", (school["id"],))
    assert rows == [{"year": 2025, "integrated": 1}]
    outbox = session.store.query("SELECT rev FROM outbox WHERE table_name = 'schools' ORDER BY seq")
    assert [r["rev"] for r in outbox] == [1, 2, 3, 4, 5]


def test_school_integration_year_must_be_real(session):
    next_year = date.today().year + 1
    with pytest.raises(ValidationFailed) as caught:
        session.registries.save_school({"name": "THCS Đông Hưng", "level": "lower_secondary",
                                        "integrations": {"hai nghìn": True, str(next_year): True, "2024": "có"}})
    fields = caught.value.by_field()
    assert {"school.integrations.hai nghìn", f"school.integrations.{next_year}", "school.integrations.2024"} <= set(fields)


def test_schools_list_by_level(session):
    reg = session.registries
    a = reg.save_school({"name": "Trường Cao đẳng Y tế", "level": "college"})
    b = reg.save_school({"name": "THPT Đông Thụy Anh", "level": "upper_secondary"})
    assert [s["id"] for s in reg.schools(level="college")] == [a["id"]]
    assert [s["name"] for s in reg.schools()] == ["THPT Đông Thụy Anh", "Trường Cao đẳng Y tế"]
    reg.delete_school(b["id"])
    assert [s["id"] for s in reg.schools()] == [a["id"]]
    with pytest.raises(NotFound):
        reg.delete_school("no-such-school")


# --- providers ----------------------------------------------------------------------------------
def test_provider_hotline_filter(session):
    reg = session.registries
    hotline = reg.save_provider({"kind": "hotline", "name": "Tổng đài quốc gia bảo vệ trẻ em", "phone": "111",
                                 "hotline": True})
    police = reg.save_provider({"kind": "police", "name": "Công an xã", "phone": "0227 3851 113",
                                "address": "Trụ sở UBND xã", "hotline": True})
    health = reg.save_provider({"kind": "health", "name": "Trạm y tế xã", "phone": "0227 3851 000"})
    assert health["hotline"] is False
    assert {p["id"] for p in reg.providers(hotline=True)} == {hotline["id"], police["id"]}
    assert [p["id"] for p in reg.providers(hotline=False)] == [health["id"]]
    assert [p["id"] for p in reg.providers(kind="police", hotline=True)] == [police["id"]]
    assert len(reg.providers()) == 3
    reg.delete_provider(police["id"])
    assert [p["id"] for p in reg.providers(hotline=True)] == [hotline["id"]]


def test_provider_phone_is_checked_and_a_hotline_needs_one(session):
    with pytest.raises(ValidationFailed) as caught:
        session.registries.save_provider({"kind": "health", "name": "Bệnh viện huyện", "phone": "gọi 113"})
    assert "provider.phone" in caught.value.by_field()
    with pytest.raises(ValidationFailed) as caught:
        session.registries.save_provider({"kind": "hotline", "name": "Đường dây nóng xã", "hotline": True})
    assert "provider.phone" in caught.value.by_field()


# --- who may write ----------------------------------------------------------------------------------
def test_every_registry_write_is_audited(session):
    reg = session.registries
    m = reg.save_model(trusted_address())
    reg.set_model_status(m["id"], "closed", "2025-01-01")
    s = reg.save_school({"name": "THPT A", "level": "upper_secondary"})
    p = reg.save_provider({"kind": "health", "name": "Trạm y tế"})
    reg.delete_model(m["id"])
    reg.delete_school(s["id"])
    reg.delete_provider(p["id"])
    actions = [r["action"] for r in session.store.query(
        "SELECT action FROM audit_log WHERE target_table IN ('models', 'schools', 'providers') ORDER BY seq")]
    assert actions == ["model.create", "model.update", "school.create", "provider.create",
                       "model.delete", "school.delete", "provider.delete"]


def test_cadre_writes_activities_but_not_registries(session, users):
    cadre = users.login("cadre1", OTHER_PASSWORD)
    try:
        assert cadre.activities.save({"kind": "club_meeting", "title": "Sinh hoạt CLB",
                                      "starts_on": "2025-03-01"})["point_id"] == "P1"
        with pytest.raises(PermissionDenied):
            cadre.registries.save_model(trusted_address())
        with pytest.raises(PermissionDenied):
            cadre.registries.save_school({"name": "THPT A", "level": "upper_secondary"})
        with pytest.raises(PermissionDenied):
            cadre.registries.save_provider({"kind": "health", "name": "Trạm y tế"})
        assert cadre.registries.models() == []  # reading is allowed
    finally:
        cadre.close()


def test_leader_reads_registries_but_cannot_change_them(session, users):
    model = session.registries.save_model(trusted_address())
    leader = users.login("leader1", OTHER_PASSWORD)
    try:
        assert leader.registries.get_model(model["id"])["name"] == model["name"]
        with pytest.raises(PermissionDenied):
            leader.registries.set_model_status(model["id"], "closed", "2025-01-01")
        with pytest.raises(PermissionDenied):
            leader.registries.delete_model(model["id"])
    finally:
        leader.close()
    assert session.registries.get_model(model["id"])["rev"] == 1
