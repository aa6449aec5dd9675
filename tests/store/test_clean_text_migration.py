"""The schema step that mends text typed before the door checked it (issue 19): on the committed schema-1 file."""

import json
import shutil
from pathlib import Path

from app.cases import CaseFilter
from app.node import Node
from app.store import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def test_old_text_with_control_characters_is_mended_and_audited_without_its_content(tmp_path, monkeypatch):
    folder = tmp_path / "v1"
    shutil.copytree(DATA / "schema_v1", folder)
    node = Node.open(folder)
    step = migrations.STEPS.index(migrations._step_clean_text)
    # Upgrade to the version before the step, then plant what an older Bình An let in.
    monkeypatch.setattr(migrations, "STEPS", migrations.STEPS[:step])
    monkeypatch.setattr(migrations, "CURRENT_VERSION", step)
    session = node.login("admin", "schema-v1")
    store = session.store
    with store.transaction() as conn:
        conn.execute("UPDATE case_identities SET narrative = ?, survivor_name = ? WHERE case_id = 'c1'",
                     ("Bị đánh\x0bnhiều lần\x00.", "Đặng Thị\x07 Lược Đồ"))
        conn.execute("UPDATE cases SET taken_by = ? WHERE id = 'c1'", ("Cán bộ\x1b A",))
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                     ("report_text:2025:year:situation", json.dumps("Tình hình\x0bổn định")))
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                     ("report_setting:recipients", json.dumps(["Sở Y tế\x0c", "Lưu: VT"])))
    audit_before = store.scalar("SELECT count(*) FROM audit_log")
    session.close()
    monkeypatch.undo()

    session = Node.open(folder).login("admin", "schema-v1")
    try:
        assert session.store.user_version == migrations.CURRENT_VERSION
        case = session.cases.get("c1", with_identity=True)
        assert case["identity"]["narrative"] == "Bị đánh\nnhiều lần."
        assert case["identity"]["name"] == "Đặng Thị Lược Đồ"
        assert case["intake"]["taken_by"] == "Cán bộ A"
        texts = {r["key"]: json.loads(r["value"]) for r in session.store.query(
            "SELECT key, value FROM meta WHERE key LIKE 'report_%'")}
        assert texts["report_text:2025:year:situation"] == "Tình hình\nổn định"
        assert texts["report_setting:recipients"] == ["Sở Y tế\n", "Lưu: VT"]
        entries = session.store.query("SELECT action, detail FROM audit_log WHERE seq > ? AND action = "
                                      "'data.clean_text'", (audit_before,))
        assert len(entries) == 1
        detail = json.loads(entries[0]["detail"])["mended"]
        assert detail["case_identities.narrative"] == 1 and detail["case_identities.survivor_name"] == 1
        assert detail["cases.taken_by"] == 1 and detail["meta.report_text"] == 1
        assert "Lược" not in entries[0]["detail"] and "nhiều" not in entries[0]["detail"]
        assert session.verify_audit().ok
        # The mended name is found by search again (through the identity keys' index, once sealed).
        assert session.cases.ids(CaseFilter(search="luoc do")) == ["c1"]
    finally:
        session.close()


def test_a_clean_database_gets_no_audit_entry_from_the_step(tmp_path):
    folder = tmp_path / "v1"
    shutil.copytree(DATA / "schema_v1", folder)
    session = Node.open(folder).login("admin", "schema-v1")
    try:
        assert session.store.scalar("SELECT count(*) FROM audit_log WHERE action = 'data.clean_text'") == 0
    finally:
        session.close()
