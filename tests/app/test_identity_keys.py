"""Issue 13: identities only the right people can open, even with the files and the raw libraries."""

from __future__ import annotations

import nacl.exceptions
import pytest

from app.cases import CaseFilter, identity
from app.errors import FieldError, NotFound, ValidationFailed, WrongSecret
from app.node import Node
from tests.app import attacker
from tests.conftest import ADMIN_PASSWORD, CANARY_NAME, sample_case

LEADER_PASSWORD = "lãnh-đạo-xã-mật-khẩu"
CADRE_PASSWORD = "cán-bộ-điểm-một-mật-khẩu"
CANARY_PHONE = "0912345678"
CANARY_ADDRESS = "Thôn Canary"
OTHER_NAME = "Bạch Thị Canarypoint"
OTHER_PHONE = "0987 650 432"


def _canaries(text: str) -> list[str]:
    folded_name = "xuan canary quynh"
    return [c for c in (CANARY_NAME, CANARY_PHONE, CANARY_ADDRESS, folded_name, "Trần Văn Canary") if c in text]


def _bytes_canaries(data: bytes) -> list[str]:
    found = []
    for c in (CANARY_NAME, CANARY_PHONE, CANARY_ADDRESS, "xuan canary quynh", "Canary"):
        for enc in ("utf-8", "utf-16-le", "utf-16-be"):
            if c.encode(enc) in data:
                found.append(f"{c} ({enc})")
    return found


@pytest.fixture
def planted(new_node, session):
    """A commune with the canary case (no point), a case at point P2, a leader and a cadre of point P1."""
    session.add_user("lanhdao", LEADER_PASSWORD, "leader", "Chủ tịch xã")
    session.add_user("canbo", CADRE_PASSWORD, "cadre", "Cán bộ điểm 1", point_id="P1")
    first = session.cases.save(sample_case())
    other = session.cases.save(sample_case(point_id="P2", identity={
        "name": OTHER_NAME, "phone": OTHER_PHONE, "address": "Xóm Canarypoint", "narrative": "Chuyện ở điểm 2."}))
    own = session.cases.save(sample_case(point_id="P1", identity={"name": "Hà Thị Điểm Một", "phone": "0900111222"}))
    session.backups.create()
    return new_node, session, first, other, own


def test_the_leaders_password_and_the_raw_libraries_read_no_identity(planted):
    node, session, *_ = planted
    # The admin's session is still open: its latest writes may sit in the WAL, which is read too.
    text, pages, opened = attacker.everything(node.data_dir, "lanhdao", LEADER_PASSWORD)
    assert "TN01-2025-00001" in text and b"TN01-2025-00001" in pages, "the attacker's reading works: facts are there"
    assert "lanhdao" in text
    assert _canaries(text) == []
    assert _bytes_canaries(pages) == []
    assert opened == []
    _db_key, keys = attacker.unwrap(node.slots_path, "lanhdao", LEADER_PASSWORD)
    assert keys == {}, "a leader's slot holds no identity key"


def test_the_admins_raw_reading_does_open_identities(planted):
    """The same raw reading with the administrator's password: the attack code above is not blind."""
    node, *_ = planted
    _text, _pages, opened = attacker.everything(node.data_dir, "admin", ADMIN_PASSWORD)
    assert CANARY_NAME in opened and OTHER_NAME in opened


def test_a_cadres_password_opens_her_points_identities_only(planted):
    node, *_ = planted
    text, pages, opened = attacker.everything(node.data_dir, "canbo", CADRE_PASSWORD)
    assert "Hà Thị Điểm Một" in opened
    assert CANARY_NAME not in opened and OTHER_NAME not in opened
    assert _canaries(text) == [] and _bytes_canaries(pages) == []
    assert OTHER_NAME not in text and OTHER_NAME.encode() not in pages


def test_the_keyring_slot_opens_no_identity(planted, memory_keyring):
    node, *_ = planted
    raw = node.slots.slots
    keyring = next(s for s in raw if s.kind == "keyring")
    assert not keyring.grants and not keyring.public


def test_identities_are_read_back_and_searched_without_accents(planted):
    node, session, first, other, own = planted
    assert session.cases.get(first["id"], with_identity=True)["identity"]["name"] == CANARY_NAME
    found = set(session.cases.ids(CaseFilter(search="xuan cana")))
    assert found == {first["id"]}
    assert set(session.cases.ids(CaseFilter(search="canarypoint"))) == {other["id"]}
    assert set(session.cases.ids(CaseFilter(search="0987 65"))) == {other["id"]}
    assert set(session.cases.ids(CaseFilter(search="Bạch"))) == {other["id"]}
    assert session.cases.ids(CaseFilter(search="quynh xuan zzz")) == []


def test_a_cadre_searches_and_reads_only_her_point(planted):
    node, session, first, other, own = planted
    cadre = node.login("canbo", CADRE_PASSWORD)
    try:
        assert cadre.cases.ids(CaseFilter(search="canarypoint")) == []
        assert cadre.cases.ids(CaseFilter(search="0987")) == []
        assert cadre.cases.ids(CaseFilter(search="diem mot")) == [own["id"]]
        assert cadre.cases.get(own["id"], with_identity=True)["identity"]["name"] == "Hà Thị Điểm Một"
    finally:
        cadre.close()


def test_name_searches_are_audited_as_a_keyed_hash_only(planted):
    node, session, *_ = planted
    session.cases.ids(CaseFilter(search="Xuân Canary"))
    session.cases.count(CaseFilter(search="Xuân Canary"))  # the same search again: one entry
    rows = session.store.query("SELECT detail FROM audit_log WHERE action = 'identity.search'")
    assert len(rows) == 1
    assert "canary" not in rows[0]["detail"].lower() and "xuan" not in rows[0]["detail"].lower()
    assert '"search"' in rows[0]["detail"]


def test_changing_a_role_rewraps_and_disabling_removes_the_keys_at_once(planted):
    node, session, first, other, own = planted
    assert set(node.slots.password_slot("canbo").grants) == {node.slots.key_id_for("point:P1")}
    session.set_role("canbo", "leader")
    assert node.slots.password_slot("canbo").grants == {}
    _key, keys = attacker.unwrap(node.slots_path, "canbo", CADRE_PASSWORD)
    assert keys == {}
    session.set_role("lanhdao", "officer")
    _key, keys = attacker.unwrap(node.slots_path, "lanhdao", LEADER_PASSWORD)
    assert set(keys) == set(node.slots.scopes())
    officer = node.login("lanhdao", LEADER_PASSWORD)
    try:
        assert officer.cases.get(other["id"], with_identity=True)["identity"]["name"] == OTHER_NAME
    finally:
        officer.close()
    session.disable_user("lanhdao")
    assert node.slots.password_slot("lanhdao") is None
    with pytest.raises(WrongSecret):
        node.login("lanhdao", LEADER_PASSWORD)
    one_time = session.enable_user("lanhdao")
    again = node.login("lanhdao", one_time)
    try:
        assert again.must_change_password
        again.change_password(one_time, "một-mật-khẩu-mới-của-lãnh-đạo")
        assert not again.must_change_password
        assert again.cases.get(other["id"], with_identity=True)["identity"]["name"] == OTHER_NAME
    finally:
        again.close()
    actions = [r["action"] for r in session.store.query("SELECT action FROM audit_log")]
    assert {"user.role", "user.disable", "user.enable"} <= set(actions)


def test_a_role_set_by_editing_the_database_earns_no_key(planted):
    """A leader with the database key makes herself 'admin' in the accounts table: no grant follows."""
    node, session, *_ = planted
    session.store.execute("UPDATE accounts SET role = 'admin' WHERE username = 'lanhdao'")
    session.close()
    Node.open(node.data_dir).login("admin", ADMIN_PASSWORD).close()  # an administrator's log-in fulfils grants
    _key, keys = attacker.unwrap(node.slots_path, "lanhdao", LEADER_PASSWORD)
    assert keys == {}


def test_a_new_point_key_reaches_the_admin_the_recovery_key_and_that_points_cadre(planted):
    node, session, *_ = planted
    session.add_user("canbo3", CADRE_PASSWORD, "cadre", "Cán bộ điểm 3", point_id="P3")
    kid = node.slots.key_id_for("point:P3")
    assert kid in node.slots.password_slot("admin").grants
    assert kid in node.slots.recovery_slot().grants
    assert kid not in node.slots.password_slot("canbo").grants
    assert kid not in (node.slots.password_slot("lanhdao").grants or {})


def test_free_text_holding_a_recorded_name_or_phone_is_refused(planted):
    node, session, first, *_ = planted
    assert identity.find_identities_in(session, "Đã gặp chị xuân CANARY quỳnh hôm qua") == ["xuân CANARY quỳnh"]
    assert identity.find_identities_in(session, "Gọi số 0912.345.678 để hẹn") == ["0912.345.678"]
    assert identity.find_identities_in(session, "Nói chuyện với các chị em trong thôn") == []
    from tests.app.test_activities import sample_activity

    activity = sample_activity(notes=f"Có chị {CANARY_NAME} tham gia.")
    with pytest.raises(ValidationFailed) as refused:
        session.activities.save(activity)
    assert refused.value.errors[0].path == "notes" and "nhận dạng" in refused.value.errors[0].vi
    activity["notes"] = "Có nhiều chị em tham gia."
    assert session.activities.save(activity)["notes"] == activity["notes"]
    from app.targets import Period
    from app.reports.texts import save_report_text

    with pytest.raises(ValidationFailed):
        save_report_text(session, Period.of(2025), "situation", f"Trường hợp {CANARY_NAME} đã được hỗ trợ.")


def test_a_cadre_cannot_tell_another_points_case_code_from_one_that_does_not_exist(planted, monkeypatch, capsys):
    node, session, first, other, own = planted
    session.close()
    from binhan.cli import main

    monkeypatch.setenv("BINHAN_PASSWORD", CADRE_PASSWORD)
    messages = []
    for code in (other["code"], "TN01-2025-99999"):
        assert main(["--data-dir", str(node.data_dir), "--user", "canbo", "case", "show", code]) == 2
        messages.append(capsys.readouterr().err.replace(code, "CODE"))
    assert messages[0] == messages[1]
    cadre = node.login("canbo", CADRE_PASSWORD)
    try:
        with pytest.raises(NotFound) as a:
            cadre.cases.get(other["id"])
        with pytest.raises(NotFound) as b:
            cadre.cases.get("no-such-id")
        assert str(a.value) == str(b.value)
        assert cadre.cases.find_by_code(other["code"]) is None
        with pytest.raises(NotFound):
            cadre.cases.save(dict(other, point_id="P1"))
    finally:
        cadre.close()


def test_a_case_moved_to_another_point_goes_under_that_points_key(planted):
    node, session, first, other, own = planted
    stored = session.cases.get(other["id"])
    session.cases.save(dict(stored, point_id="P1"))
    row = session.store.query("SELECT key_id FROM case_identities WHERE case_id = ?", (other["id"],))[0]
    assert row["key_id"] == node.slots.key_id_for("point:P1")
    cadre = node.login("canbo", CADRE_PASSWORD)
    try:
        assert cadre.cases.get(other["id"], with_identity=True)["identity"]["name"] == OTHER_NAME
    finally:
        cadre.close()


def test_an_identity_value_moved_to_another_case_or_field_does_not_open(planted):
    node, session, first, other, own = planted
    row = session.store.query("SELECT * FROM case_identities WHERE case_id = ?", (first["id"],))[0]
    session.store.execute("UPDATE case_identities SET address = ? WHERE case_id = ?",
                          (row["survivor_name"], first["id"]))
    with pytest.raises(nacl.exceptions.CryptoError):
        session.cases.get(first["id"], with_identity=True)


def test_weak_passwords_are_refused_with_vietnamese_reasons(session):
    with pytest.raises(ValidationFailed) as short:
        session.add_user("bob", "ngan", "officer")
    assert "ít nhất 10 ký tự" in str(short.value)
    with pytest.raises(ValidationFailed) as weak:
        session.add_user("bob", "password123", "officer")
    assert "quá dễ đoán" in str(weak.value) and "mật khẩu rất phổ biến" in str(weak.value)
    with pytest.raises(ValidationFailed):
        session.change_password(ADMIN_PASSWORD, "1234567890")
    assert all(isinstance(e, FieldError) for e in weak.value.errors)


def test_relabelling_the_keys_in_the_slot_file_does_not_put_a_case_under_a_points_key(planted):
    """A leader swaps the scopes of the node's key and point P1's key in keyslots.json, hoping the next case of
    no point is sealed under P1's key (which the cadre holds). The key ids betray the lie: nothing is sealed."""
    import json

    node, session, *_ = planted
    session.close()
    raw = json.loads(node.slots_path.read_text(encoding="utf-8"))
    scopes = {k["scope"]: k for k in raw["identity_keys"]}
    scopes["node"]["scope"], scopes["point:P1"]["scope"] = "point:P1", "node"
    node.slots_path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    admin = Node.open(node.data_dir).login("admin", ADMIN_PASSWORD)
    try:
        with pytest.raises(identity.IdentityLocked):
            admin.cases.save(sample_case(identity={"name": "Người Không Thuộc Điểm"}))
    finally:
        admin.close()
    _text, _pages, opened = attacker.everything(node.data_dir, "canbo", CADRE_PASSWORD)
    assert "Người Không Thuộc Điểm" not in opened
