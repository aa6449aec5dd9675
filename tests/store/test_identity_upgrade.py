"""Issue 13.3: a node made before identity keys is sealed at its first administrator's log-in."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.errors import WrongSecret
from app.node import Node
from app.store import migrations
from tests.app import attacker

DATA = Path(__file__).resolve().parent.parent / "data"
V5 = {"admin": "schema-v5-quan-tri", "lanhdao": "schema-v5-lanh-dao", "canbo": "schema-v5-can-bo"}
V5_RECOVERY = "V5V5V-V5V5V-V5V5V-V5V5V-V5V5V-V5V5V-V5V5V-V5V5V"
V5_NAMES = ("Đặng Thị Năm Điểm", "Lê Văn Năm Xã")


def _copy(tmp_path, name) -> Path:
    target = tmp_path / name
    shutil.copytree(DATA / name, target)
    return target


def _clear_names_in(folder: Path, user: str, password: str, names) -> list[str]:
    text, pages, _ = attacker.everything(folder, user, password)
    return [n for n in names if n in text or n.encode("utf-8") in pages]


def test_until_an_administrator_logs_in_nothing_changes_in_who_reads_what(tmp_path):
    folder = _copy(tmp_path, "schema_v5")
    leader = Node.open(folder).login("lanhdao", V5["lanhdao"])  # the schema step runs; no key exists yet
    try:
        assert leader.store.user_version == migrations.CURRENT_VERSION
    finally:
        leader.close()
    cadre = Node.open(folder).login("canbo", V5["canbo"])
    try:
        assert cadre.cases.get("c1", with_identity=True)["identity"]["name"] == V5_NAMES[0]
    finally:
        cadre.close()
    assert json.loads((folder / "keyslots.json").read_text())["identity_keys"] == []


def test_schema_5_node_is_sealed_at_the_admins_first_log_in(tmp_path):
    folder = _copy(tmp_path, "schema_v5")
    assert _clear_names_in(folder, "lanhdao", V5["lanhdao"], V5_NAMES) == list(V5_NAMES), "the names are clear before"
    node = Node.open(folder)
    admin = node.login("admin", V5["admin"])
    try:
        assert admin.store.user_version == migrations.CURRENT_VERSION
        assert admin.cases.get("c1", with_identity=True)["identity"]["name"] == V5_NAMES[0]
        assert admin.cases.get("c2", with_identity=True)["identity"]["phone"] == "0966 555 222"
        assert admin.store.scalar("SELECT count(*) FROM case_identities WHERE key_id IS NULL") == 0
        assert admin.verify_audit().ok
        assert any("mã khôi phục mới" in vi for vi, _ in admin.notices), "told to make a new recovery key"
        actions = [r["action"] for r in admin.store.query("SELECT action FROM audit_log ORDER BY seq")]
        assert {"identity.keys_created", "identity.sealed", "recovery.needs_replacing",
                "identity.copies_sealed"} <= set(actions)
        assert actions.index("backup.create") < actions.index("identity.sealed"), "backed up first"
        from app.cases import CaseFilter

        assert admin.cases.ids(CaseFilter(search="nam diem")) == ["c1"]
        assert admin.cases.ids(CaseFilter(search="0966")) == ["c2"]
    finally:
        admin.close()
    slots = json.loads((folder / "keyslots.json").read_text())
    assert slots["format"] == 2 and {k["scope"] for k in slots["identity_keys"]} == {"node", "point:P1"}
    # The leader, with the files and the raw libraries: no name anywhere, backups and copies included.
    assert _clear_names_in(folder, "lanhdao", V5["lanhdao"], V5_NAMES) == []
    assert attacker.everything(folder, "lanhdao", V5["lanhdao"])[2] == []
    assert list(folder.glob("binhan.db.schema5-*.bak")), "the copy set aside before the step is still there"
    # The cadre had no key pair at the upgrade: she gets one at her log-in, her grant at the admin's next.
    cadre = node.login("canbo", V5["canbo"])
    cadre.close()
    node.login("admin", V5["admin"]).close()
    cadre = node.login("canbo", V5["canbo"])
    try:
        assert cadre.cases.get("c1", with_identity=True)["identity"]["name"] == V5_NAMES[0]
        assert set(cadre.identity.keys) == {node.slots.key_id_for("point:P1")}
    finally:
        cadre.close()
    # The old recovery key opens the database, not the identities: the administrator makes a new one.
    admin = node.login("admin", V5["admin"])
    try:
        new_key = admin.new_recovery_key()
    finally:
        admin.close()
    with pytest.raises(WrongSecret):
        node.recover(V5_RECOVERY, "admin", "một-mật-khẩu-mới-sau-khôi-phục")
    again = node.recover(new_key, "admin", "mật-khẩu-thứ-ba-sau-khôi-phục")
    try:
        assert again.cases.get("c2", with_identity=True)["identity"]["name"] == V5_NAMES[1]
        assert again.cases.get("c1", with_identity=True)["identity"]["name"] == V5_NAMES[0]
    finally:
        again.close()


def test_schema_1_node_upgrades_to_the_newest_and_is_sealed(tmp_path):
    folder = _copy(tmp_path, "schema_v1")
    node = Node.open(folder)
    session = node.login("admin", "schema-v1")
    try:
        assert session.store.user_version == migrations.CURRENT_VERSION
        assert session.cases.get("c1", with_identity=True)["identity"]["name"] == "Đặng Thị Lược Đồ"
        assert session.store.scalar("SELECT count(*) FROM case_identities WHERE key_id IS NULL") == 0
        assert session.store.scalar("SELECT count(*) FROM case_identities WHERE name_norm IS NOT NULL") == 0
        assert session.verify_audit().ok
    finally:
        session.close()
    text, pages, _ = attacker.everything(folder, "admin", "schema-v1")
    assert "Lược Đồ" not in text.replace("Xã Lược Đồ Một", "") and "dang thi luoc do" not in text
    assert "Đặng Thị Lược Đồ".encode() not in pages and b"dang thi luoc do" not in pages


def test_the_upgrade_is_one_transaction(tmp_path, monkeypatch):
    folder = _copy(tmp_path, "schema_v5")
    from app.cases import identity

    real = identity.write
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("power cut in the middle of the re-encryption")
        return real(*args, **kwargs)

    monkeypatch.setattr(identity, "write", failing)
    stopped = Node.open(folder).login("admin", V5["admin"])  # the log-in goes on; the re-encryption waits
    try:
        assert any("Chưa hoàn tất" in vi for vi, _ in stopped.notices)
        assert "identity.upgrade_unfinished" in [r["action"] for r in stopped.store.query("SELECT action FROM audit_log")]
    finally:
        stopped.close()
    monkeypatch.undo()
    leader = Node.open(folder).login("lanhdao", V5["lanhdao"])
    try:
        assert leader.store.scalar("SELECT count(*) FROM case_identities WHERE key_id IS NULL") == 2
    finally:
        leader.close()
    admin = Node.open(folder).login("admin", V5["admin"])
    try:
        assert admin.store.scalar("SELECT count(*) FROM case_identities WHERE key_id IS NULL") == 0
        assert admin.cases.get("c1", with_identity=True)["identity"]["name"] == V5_NAMES[0]
    finally:
        admin.close()


def test_a_kill_after_the_re_encryption_but_before_the_copies_are_sealed_is_finished_next_time(tmp_path, monkeypatch):
    folder = _copy(tmp_path, "schema_v5")
    from app.cases import identity

    def killed(session):
        raise KeyboardInterrupt("the power went")

    monkeypatch.setattr(identity, "scrub_copies", killed)
    with pytest.raises(KeyboardInterrupt):
        Node.open(folder).login("admin", V5["admin"])
    monkeypatch.undo()
    assert _clear_names_in(folder, "lanhdao", V5["lanhdao"], V5_NAMES) != [], "the old backup is still clear"
    Node.open(folder).login("admin", V5["admin"]).close()
    assert _clear_names_in(folder, "lanhdao", V5["lanhdao"], V5_NAMES) == []
