from datetime import date, timedelta

import pytest

from app.activities import MAX_ATTACHMENT_BYTES, ActivityFilter
from app.activities.calendar import campaign_flags, overlaps
from app.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from app.store.db import DB_NAME
from tests.conftest import ADMIN_PASSWORD

OTHER_PASSWORD = "mật-khẩu-khác"


def sample_activity(**overrides) -> dict:
    activity = {
        "kind": "thematic_talk",
        "title": "Hội thảo phòng chống bạo lực gia đình thôn Đông",
        "starts_on": "2025-03-08",
        "ends_on": None,
        "place": "Nhà văn hóa thôn Đông",
        "organiser": "Hội Phụ nữ xã",
        "target_groups": ["women_members", "men"],
        "participants": {"total": 80, "female": 50, "male": 30, "youth": 10},
        "quantity": None,
        "budget_vnd": 1_500_000,
        "notes": None,
    }
    activity.update(overrides)
    return activity


@pytest.fixture
def users(session):
    session.add_user("cadre1", OTHER_PASSWORD, "cadre", "Cán bộ điểm 1", point_id="P1")
    session.add_user("leader1", OTHER_PASSWORD, "leader", "Chủ tịch xã")
    return session.node


def test_every_activity_kind_in_the_reference_list_saves_and_reads_back(session):
    kinds = session.reference["activity_kind"]
    assert len(kinds.codes) >= 20
    for option in kinds.options:
        saved = session.activities.save(sample_activity(kind=option.code, title=f"Hoạt động {option.vi}"))
        again = session.activities.get(saved["id"])
        assert again["kind"] == option.code
        assert again["derived"]["group"] == option.extra["group"]
        assert again["title"] == f"Hoạt động {option.vi}"
    assert session.activities.count() == len(kinds.codes)


def test_saved_activity_reads_back_in_the_contract_shape(session):
    saved = session.activities.save(sample_activity(starts_on="08/03/2025", target_groups=["men", "women_members"]))
    again = session.activities.get(saved["id"])
    assert set(again) == {"id", "origin", "rev", "created_at", "updated_at", "deleted", "kind", "title",
                          "starts_on", "ends_on", "place", "organiser", "target_groups", "participants",
                          "quantity", "model_id", "school_id", "budget_vnd", "notes", "point_id", "derived",
                          "topic", "funding_source"}
    assert again["starts_on"] == "2025-03-08"  # dd/mm/yyyy is read as a person writes it
    assert again["origin"] == session.origin and again["rev"] == 1 and again["deleted"] is False
    assert again["participants"] == {"total": 80, "female": 50, "male": 30, "youth": 10}
    assert again["target_groups"] == ["women_members", "men"]  # reference order, whatever the form's order
    assert again["derived"] == {"group": "communication_event", "action_month": False, "day_25_11": False,
                                "june_action_month": False}
    # What get() returns, save() takes back unchanged.
    assert session.activities.save(again) == again


def test_every_save_appends_outbox_and_audit(session):
    saved = session.activities.save(sample_activity())
    session.activities.save(dict(saved, title="Hội thảo (sửa)"))
    session.activities.delete(saved["id"])
    outbox = session.store.query("SELECT table_name, record_id, rev FROM outbox ORDER BY seq")
    assert outbox == [{"table_name": "activities", "record_id": saved["id"], "rev": n} for n in (1, 2, 3)]
    actions = [r["action"] for r in session.store.query("SELECT action FROM audit_log ORDER BY seq")]
    assert actions[-3:] == ["activity.create", "activity.update", "activity.delete"]


def test_participants_errors_name_the_field(session):
    with pytest.raises(ValidationFailed) as caught:
        session.activities.save(sample_activity(participants={"total": 40, "female": 30, "male": 20, "youth": 5}))
    fields = caught.value.by_field()
    assert set(fields) == {"participants.total"}
    assert "Tổng số người tham gia" in fields["participants.total"].vi
    assert "Total participants" in fields["participants.total"].en

    with pytest.raises(ValidationFailed) as caught:
        session.activities.save(sample_activity(participants={"total": 10, "female": 5, "male": 5, "youth": 11}))
    assert "thanh thiếu niên" in caught.value.by_field()["participants.youth"].vi

    with pytest.raises(ValidationFailed) as caught:
        session.activities.save(sample_activity(participants={"total": -1, "female": "nhiều", "male": 2}))
    fields = caught.value.by_field()
    assert "Tổng số người tham gia" in fields["participants.total"].vi
    assert "Số người tham gia là nữ" in fields["participants.female"].vi
    assert session.activities.count() == 0
    assert session.store.scalar("SELECT count(*) FROM outbox") == 0


def test_total_is_filled_from_female_and_male_when_left_at_zero(session):
    saved = session.activities.save(sample_activity(participants={"female": 12, "male": 8}))
    assert saved["participants"] == {"total": 20, "female": 12, "male": 8, "youth": 0}


def test_each_bad_field_is_named_and_nothing_is_saved(session):
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    bad = sample_activity(kind="picnic", title="", starts_on=tomorrow, target_groups=["aliens"],
                          budget_vnd=-5, model_id="no-such-model", school_id="no-such-school", notes="x" * 4001)
    with pytest.raises(ValidationFailed) as caught:
        session.activities.save(bad)
    fields = caught.value.by_field()
    assert "picnic" in fields["kind"].vi
    assert "title" in fields and "starts_on" in fields and "hôm nay" in fields["starts_on"].vi
    assert "aliens" in fields["target_groups"].vi
    assert {"budget_vnd", "model_id", "school_id", "notes"} <= set(fields)
    assert session.activities.count() == 0


def test_end_before_start_is_refused(session):
    with pytest.raises(ValidationFailed) as caught:
        session.activities.save(sample_activity(starts_on="2025-03-08", ends_on="2025-03-07"))
    assert "ends_on" in caught.value.by_field()


def test_budget_written_with_thousands_dots_is_read_as_dong(session):
    saved = session.activities.save(sample_activity(budget_vnd="2.500.000"))
    assert saved["budget_vnd"] == 2_500_000


def test_action_month_day_25_11_and_june_flags_follow_the_dates(session):
    def flags(starts_on, ends_on=None):
        saved = session.activities.save(sample_activity(starts_on=starts_on, ends_on=ends_on,
                                                        title=f"Hoạt động {starts_on} {ends_on}"))
        d = saved["derived"]
        return d["action_month"], d["day_25_11"], d["june_action_month"]

    assert flags("2024-11-25") == (True, True, False)
    assert flags("2024-11-15") == (True, False, False)
    assert flags("2024-12-15") == (True, False, False)
    assert flags("2024-12-16") == (False, False, False)
    assert flags("2024-11-14") == (False, False, False)
    assert flags("2024-11-10", "2024-11-16") == (True, False, False)  # overlaps the month's first days
    assert flags("2024-11-20", "2024-11-30") == (True, True, False)
    assert flags("2024-06-01") == (False, False, True)
    assert flags("2024-05-20", "2024-06-02") == (False, False, True)
    assert flags("2024-07-01") == (False, False, False)


def test_default_windows_stand_in_without_a_profile_and_a_profile_overrides_them():
    assert campaign_flags("2024-06-01") == {"action_month": False, "day_25_11": False, "june_action_month": True}
    assert campaign_flags("2024-05-31")["june_action_month"] is False
    assert campaign_flags("2024-11-25", "2024-11-25") == {"action_month": True, "day_25_11": True,
                                                          "june_action_month": False}

    class Window:
        def __init__(self, code, start, end):
            self.code, self.start, self.end = code, start, end

    class Profile:
        campaigns = (Window("action_month_domestic_violence", (6, 10), (7, 10)),)

    assert campaign_flags("2024-06-05", profile=Profile())["june_action_month"] is False
    assert campaign_flags("2024-07-05", profile=Profile())["june_action_month"] is True


def test_campaign_windows_cross_years_and_long_spans():
    assert overlaps(date(2024, 12, 20), date(2025, 1, 5), ((12, 25), (1, 2)))
    assert overlaps(date(2025, 1, 1), None, ((12, 25), (1, 2)))
    assert not overlaps(date(2025, 1, 3), date(2025, 1, 10), ((12, 25), (1, 2)))
    assert campaign_flags("2023-01-01", "2024-12-31") == {"action_month": True, "day_25_11": True,
                                                          "june_action_month": True}


def test_accent_insensitive_title_search(session):
    session.activities.save(sample_activity(title="Hội thảo về bình đẳng giới"))
    session.activities.save(sample_activity(title="Tập huấn kỹ năng cho cộng tác viên"))
    session.activities.save(sample_activity(title="Mít tinh hưởng ứng Tháng hành động"))
    found = session.activities.list(ActivityFilter(search="hoi thao"))
    assert [r["title"] for r in found] == ["Hội thảo về bình đẳng giới"]
    assert session.activities.count(ActivityFilter(search="BÌNH ĐẲNG")) == 1
    assert session.activities.count(ActivityFilter(search="thang hanh dong")) == 1
    assert session.activities.count(ActivityFilter(search="%")) == 0  # a LIKE wildcard is just a character


def test_list_filters_by_kind_group_and_year_and_orders_by_date(session):
    a = session.activities.save(sample_activity(kind="rally", starts_on="2024-11-20", title="Mít tinh"))
    b = session.activities.save(sample_activity(kind="training_officials", starts_on="2025-02-01", title="Tập huấn"))
    c = session.activities.save(sample_activity(kind="training_trainers", starts_on="2025-04-01", title="TOT"))
    assert session.activities.ids() == [c["id"], b["id"], a["id"]]
    assert session.activities.ids(descending=False) == [a["id"], b["id"], c["id"]]
    assert session.activities.ids(ActivityFilter(group="training")) == [c["id"], b["id"]]
    assert session.activities.ids(ActivityFilter(kind="rally")) == [a["id"]]
    assert session.activities.ids(ActivityFilter(year=2025)) == [c["id"], b["id"]]
    rows = session.activities.rows([a["id"], c["id"]])
    assert [r["id"] for r in rows] == [a["id"], c["id"]]
    assert set(rows[0]) == {"id", "kind", "title", "starts_on", "ends_on", "participants_total", "participants_female",
                            "target_groups"}
    assert rows[0]["target_groups"] == ["women_members", "men"]
    assert session.activities.list(limit=1) == session.activities.rows([c["id"]])


def test_saving_same_form_twice_makes_one_record(session):
    form = sample_activity()
    first = session.activities.save(form)
    second = session.activities.save(dict(form, id=first["id"], rev=0))  # the double click carries the old rev
    assert second["id"] == first["id"] and second["rev"] == 1
    assert session.activities.count() == 1
    assert session.store.scalar("SELECT count(*) FROM outbox") == 1


def test_stale_revision_with_other_content_is_a_conflict(session):
    saved = session.activities.save(sample_activity())
    edited = session.activities.save(dict(saved, title="Sửa lần một"))
    assert edited["rev"] == 2
    with pytest.raises(Conflict):
        session.activities.save(dict(saved, title="Sửa lần hai từ bản cũ"))  # still carries rev 1
    assert session.activities.get(saved["id"])["title"] == "Sửa lần một"


def test_delete_leaves_a_tombstone(session):
    saved = session.activities.save(sample_activity())
    session.activities.delete(saved["id"])
    gone = session.activities.get(saved["id"])
    assert gone["deleted"] is True and gone["rev"] == 2
    assert session.activities.count() == 0
    assert session.activities.count(ActivityFilter(include_deleted=True)) == 1
    session.activities.delete(saved["id"])  # again: nothing more happens
    assert session.store.scalar("SELECT count(*) FROM outbox") == 2
    with pytest.raises(Conflict):
        session.activities.save(dict(gone, title="Sống lại"))
    with pytest.raises(NotFound):
        session.activities.delete("no-such-id")


def test_linked_model_and_school_must_exist(session):
    model = session.registries.save_model({"kind": "club", "name": "CLB Nam giới tiên phong", "status": "active"})
    school = session.registries.save_school({"name": "THPT Bắc Duyên Hà", "level": "upper_secondary"})
    saved = session.activities.save(sample_activity(kind="model_operation", model_id=model["id"],
                                                    school_id=school["id"]))
    assert saved["model_id"] == model["id"] and saved["school_id"] == school["id"]
    session.registries.delete_model(model["id"])
    # An existing link survives its model's deletion; a new link to a deleted model does not.
    assert session.activities.save(dict(saved, title="Sinh hoạt CLB tháng 3"))["rev"] == 2
    with pytest.raises(ValidationFailed) as caught:
        session.activities.save(sample_activity(model_id=model["id"]))
    assert "model_id" in caught.value.by_field()


def test_attachment_round_trip_and_bytes_are_not_in_the_raw_database_file(session):
    saved = session.activities.save(sample_activity())
    payload = b"CANARY-ATTACHMENT-" + bytes(range(256)) * 64 + b"-END-CANARY"
    attachment_id = session.activities.add_attachment(saved["id"], r"C:\Ảnh\danh sách.jpg", payload)
    listed = session.activities.attachments(saved["id"])
    assert len(listed) == 1
    assert listed[0]["filename"] == "danh sách.jpg" and listed[0]["mime"] == "image/jpeg"
    assert listed[0]["size"] == len(payload) and "data" not in listed[0]
    assert session.activities.attachment_data(attachment_id) == payload

    session.store.checkpoint()
    raw = b"".join(p.read_bytes() for p in session.node.data_dir.glob(DB_NAME + "*"))
    assert len(raw) > 0
    assert b"CANARY-ATTACHMENT-" not in raw and b"-END-CANARY" not in raw
    assert "danh sách".encode() not in raw
    actions = [r["action"] for r in session.store.query("SELECT action FROM audit_log ORDER BY seq")]
    assert "attachment.add" in actions and "attachment.open" in actions

    session.activities.remove_attachment(attachment_id)
    assert session.activities.attachments(saved["id"]) == []
    with pytest.raises(NotFound):
        session.activities.attachment_data(attachment_id)


def test_attachment_over_20_mb_is_refused_with_a_clear_message(session):
    saved = session.activities.save(sample_activity())
    with pytest.raises(ValidationFailed) as caught:
        session.activities.add_attachment(saved["id"], "video.mp4", b"\0" * (MAX_ATTACHMENT_BYTES + 1))
    message = caught.value.by_field()["attachment.data"]
    assert "20 MB" in message.vi and "20 MB" in message.en
    with pytest.raises(ValidationFailed):
        session.activities.add_attachment(saved["id"], "empty.txt", b"")
    assert session.activities.attachments(saved["id"]) == []


def test_leader_cannot_write_activities(session, users):
    saved = session.activities.save(sample_activity())
    leader = users.login("leader1", OTHER_PASSWORD)
    try:
        assert leader.activities.get(saved["id"])["title"] == saved["title"]
        assert leader.activities.count() == 1
        with pytest.raises(PermissionDenied):
            leader.activities.save(sample_activity())
        with pytest.raises(PermissionDenied):
            leader.activities.delete(saved["id"])
        with pytest.raises(PermissionDenied):
            leader.activities.add_attachment(saved["id"], "a.txt", b"x")
    finally:
        leader.close()
    assert session.activities.count() == 1


def test_cadre_writes_activities_of_her_own_point_only(session, users):
    commune = session.activities.save(sample_activity(title="Hoạt động của xã"))
    cadre = users.login("cadre1", OTHER_PASSWORD)
    try:
        mine = cadre.activities.save(sample_activity(title="Sinh hoạt CLB tại điểm"))
        assert mine["point_id"] == "P1"
        with pytest.raises(PermissionDenied):
            cadre.activities.save(sample_activity(point_id="P2"))
        with pytest.raises(PermissionDenied):
            cadre.activities.save(dict(commune, title="Sửa hoạt động của xã"))
        with pytest.raises(PermissionDenied):
            cadre.activities.delete(commune["id"])
        attachment_id = cadre.activities.add_attachment(mine["id"], "anh.png", b"\x89PNG fake")
        assert cadre.activities.attachment_data(attachment_id) == b"\x89PNG fake"
    finally:
        cadre.close()
    assert session.activities.get(commune["id"])["rev"] == 1


def test_activity_owned_by_another_node_cannot_be_edited_here(session):
    saved = session.activities.save(sample_activity())
    session.store.execute("UPDATE activities SET origin = 'other-node' WHERE id = ?", (saved["id"],))
    with pytest.raises(PermissionDenied):
        session.activities.save(dict(saved, title="Sửa của đơn vị khác"))
    with pytest.raises(PermissionDenied):
        session.activities.save(sample_activity(id="brand-new", origin="other-node"))


def test_saved_activity_is_there_after_logging_in_again(new_node):
    first = new_node.login("admin", ADMIN_PASSWORD)
    try:
        first.activities.save(sample_activity())
    finally:
        first.close()
    second = new_node.login("admin", ADMIN_PASSWORD)
    try:
        assert second.activities.count() == 1
    finally:
        second.close()


def test_every_activity_has_a_topic_and_may_name_its_funding_source(session):
    saved = session.activities.save({"kind": "rally", "title": "Mít tinh", "starts_on": "2025-06-05",
                                     "participants": {"total": 10}})
    assert saved["topic"] == "gbv_prevention_response" and saved["funding_source"] is None  # the list's default
    again = session.activities.save({"kind": "other", "title": "Hoạt động khác", "starts_on": "2025-06-06",
                                     "topic": "domestic_violence", "funding_source": "socialised",
                                     "budget_vnd": 2_000_000})
    stored = session.activities.get(again["id"])
    assert (stored["kind"], stored["topic"], stored["funding_source"]) == ("other", "domestic_violence", "socialised")
    assert session.reference["activity_kind"].get("other").get("group") == "other"
    with pytest.raises(ValidationFailed) as caught:
        session.activities.save({"kind": "rally", "title": "x", "starts_on": "2025-06-05", "topic": "gossip",
                                 "funding_source": "lottery"})
    assert {e.path for e in caught.value.errors} == {"topic", "funding_source"}
