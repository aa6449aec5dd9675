"""The audit head sealed outside the database: attacks by someone holding the folder, a password and raw sqlcipher3."""

from __future__ import annotations

import json
import shutil

import pytest
import sqlcipher3

from app import audit
from binhan import cli
from app.audit import seal as seals
from app.node import Node
from tests.conftest import ADMIN_PASSWORD, sample_case


def verify_cli(node, monkeypatch, capsys, lang="vi") -> tuple[int, str]:
    monkeypatch.setenv("BINHAN_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("BINHAN_LANG", lang)
    code = cli.main(["--data-dir", str(node.data_dir), "--user", "admin", "audit", "verify"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def raw(node):
    """The database opened as an attacker would: the key from a password slot, SQLCipher, no app."""
    key = node.slots.open_with_password("admin", ADMIN_PASSWORD)
    conn = sqlcipher3.connect(str(node.db_path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def work(node, cases: int = 1) -> None:
    session = node.login("admin", ADMIN_PASSWORD)
    try:
        for _ in range(cases):
            session.cases.save(sample_case())
    finally:
        session.close()


def sealed(node) -> dict:
    return json.loads((node.data_dir / seals.SEAL_NAME).read_text())


def test_the_seal_follows_every_commit_that_adds_entries(session, new_node):
    session.cases.save(sample_case())
    session.store.audit_seal.flush()  # written on the seal's own thread: a save never waits for it
    assert sealed(new_node)["count"] == audit.head(session.store)[0]
    assert tuple(sealed(new_node).values())[1:3] == audit.head(session.store)
    assert session.verify_audit().ok


def test_head_is_the_last_entry_or_genesis(session):
    seq, digest = audit.head(session.store)
    assert seq == session.store.scalar("SELECT max(seq) FROM audit_log")
    assert digest == session.store.scalar("SELECT hash FROM audit_log WHERE seq = ?", (seq,))
    empty = sqlcipher3.connect(":memory:")
    empty.execute("CREATE TABLE audit_log (seq INTEGER, hash TEXT)")
    assert audit.head(empty) == (0, audit.GENESIS)


def test_a_whole_node_verifies_from_the_command_line(new_node, monkeypatch, capsys):
    work(new_node, 2)
    code, out = verify_cli(new_node, monkeypatch, capsys)
    assert code == 0, out
    assert "chuỗi băm đúng" in out


def test_database_rolled_back_by_a_plain_copy_is_named(new_node, tmp_path, monkeypatch, capsys):
    work(new_node)
    old_copy = tmp_path / "old.db"
    shutil.copyfile(new_node.db_path, old_copy)  # closed: the WAL was checkpointed into the file
    work(new_node, 3)
    shutil.copyfile(old_copy, new_node.db_path)
    code, out = verify_cli(new_node, monkeypatch, capsys)
    assert code == 3
    assert "đã bị thay bằng một bản sao cũ hơn" in out
    # Logging in again and working on the old copy never moves the seal past the break.
    work(new_node, 5)
    code, out = verify_cli(new_node, monkeypatch, capsys, lang="en")
    assert code == 3
    assert "replaced by another copy" in out or "put back by an older copy" in out


def test_cut_tail_with_its_head_marker_is_named(new_node, monkeypatch, capsys):
    work(new_node, 3)
    conn = raw(new_node)
    last = conn.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE seq > ?", (last - 3,))
    conn.execute("DELETE FROM meta WHERE key = 'audit_head'")
    conn.close()
    code, out = verify_cli(new_node, monkeypatch, capsys)
    assert code == 3
    assert f"sau mục số {last - 3}" in out and "đã bị xóa cùng với dấu đầu chuỗi" in out


def test_cut_tail_leaving_the_head_marker_ahead_is_named(new_node, monkeypatch, capsys):
    work(new_node, 3)
    conn = raw(new_node)
    last = conn.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE seq > ?", (last - 2,))
    conn.close()
    code, out = verify_cli(new_node, monkeypatch, capsys, lang="en")
    assert code == 3
    assert f"The last audit entries ({last - 1} to {last}) were removed" in out


def test_cut_tail_with_the_head_marker_rewritten_still_shows_against_the_seal(new_node, monkeypatch, capsys):
    work(new_node, 3)
    conn = raw(new_node)
    last = conn.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE seq > ?", (last - 2,))
    seq, digest = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (f"{seq}:{digest}",))
    conn.close()
    code, out = verify_cli(new_node, monkeypatch, capsys)
    assert code == 3
    assert f"tệp chỉ có {last - 2} mục" in out


def test_altered_middle_entry_is_named(new_node, monkeypatch, capsys):
    work(new_node, 3)
    conn = raw(new_node)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET username = 'ai-đó' WHERE seq = 4")
    conn.close()
    code, out = verify_cli(new_node, monkeypatch, capsys)
    assert code == 3
    assert "Mục nhật ký số 4" in out and "đã bị sửa" in out


def test_deleted_seal_is_named_and_never_silently_replaced(new_node, monkeypatch, capsys):
    work(new_node)
    (new_node.data_dir / seals.SEAL_NAME).unlink()
    code, out = verify_cli(new_node, monkeypatch, capsys)
    assert code == 3
    assert "audit-head.json" in out and "đã bị xóa" in out
    work(new_node)  # more work does not make a new seal that would hide the deletion
    assert not (new_node.data_dir / seals.SEAL_NAME).exists()
    code, out = verify_cli(new_node, monkeypatch, capsys, lang="en")
    assert code == 3 and "was deleted" in out


def test_forged_seal_is_named(new_node, monkeypatch, capsys):
    work(new_node)
    path = new_node.data_dir / seals.SEAL_NAME
    body = json.loads(path.read_text())
    body["count"] -= 1
    path.write_text(json.dumps(body))
    code, out = verify_cli(new_node, monkeypatch, capsys)
    assert code == 3
    assert "mã xác thực không đúng" in out


def test_seal_lagging_behind_a_crash_is_fine(session, new_node, monkeypatch):
    session.cases.save(sample_case())
    monkeypatch.setattr(seals.AuditSeal, "write", lambda self, count, digest: (_ for _ in ()).throw(OSError(5, "x")))
    session.cases.save(sample_case())  # committed; its seal was never written (power cut)
    monkeypatch.undo()
    session.close()
    again = new_node.login("admin", ADMIN_PASSWORD)
    try:
        verdict = again.verify_audit()
        assert verdict.ok, verdict.message()
        again.store.audit_seal.flush()
        assert sealed(new_node)["count"] == audit.head(again.store)[0], "the seal caught up at the next write"
    finally:
        again.close()


def test_verify_judges_the_file_before_its_own_log_in_entry(new_node):
    """After a cut, the session's own log-in entry makes the file consistent again: verify looks past it."""
    work(new_node, 2)
    conn = raw(new_node)
    last = conn.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE seq = ?", (last,))
    conn.close()
    session = new_node.login("admin", ADMIN_PASSWORD)
    try:
        assert session.store.scalar("SELECT value FROM meta WHERE key = 'audit_head'").startswith(f"{last}:")
        verdict = session.verify_audit()
        assert not verdict.ok and verdict.kind == "cut"
    finally:
        session.close()


# --- restoring never erases history --------------------------------------------------------------------
def test_restore_writes_what_was_restored_and_keeps_the_later_entries(session, new_node):
    session.cases.save(sample_case())
    backup = session.backups.create()
    backup_head = audit.head(session.store)
    session.cases.save(sample_case())
    later = session.store.query("SELECT seq, action, hash FROM audit_log WHERE seq > ?", (backup_head[0],))
    session.backups.restore(backup)
    entry = audit.entries(session.store, action="backup.restored")[0]
    detail = json.loads(entry["detail"])
    assert detail["file"] == backup.name and detail["backup_head"] == list(backup_head)
    assert detail["backup_made_at"]
    annex = session.store.query("SELECT seq, action, hash FROM audit_annex WHERE restore_id = ? ORDER BY seq",
                                (detail["annex"],))
    assert [(r["seq"], r["action"], r["hash"]) for r in annex][: len(later)] == \
        [(r["seq"], r["action"], r["hash"]) for r in later]
    assert detail["replaced_head"] == [annex[-1]["seq"], annex[-1]["hash"]]
    assert session.verify_audit().ok
    assert sealed(new_node)["count"] == audit.head(session.store)[0]


def test_a_second_restore_keeps_the_first_restores_annex(session):
    session.cases.save(sample_case())
    first = session.backups.create()
    session.cases.save(sample_case())
    session.backups.restore(first)
    groups_before = session.store.query("SELECT restore_id, count(*) AS n FROM audit_annex GROUP BY restore_id")
    session.backups.restore(first)
    groups_after = {r["restore_id"]: r["n"] for r in
                    session.store.query("SELECT restore_id, count(*) AS n FROM audit_annex GROUP BY restore_id")}
    for group in groups_before:
        assert groups_after[group["restore_id"]] == group["n"]
    assert len(groups_after) == len(groups_before) + 1
    assert session.verify_audit().ok


def test_restore_then_verify_from_the_command_line(session, new_node, monkeypatch, capsys):
    session.cases.save(sample_case())
    backup = session.backups.create()
    session.cases.save(sample_case())
    session.backups.restore(backup)
    session.close()
    code, out = verify_cli(new_node, monkeypatch, capsys)
    assert code == 0, out


def test_restore_cut_off_before_its_seal_still_verifies(session, new_node, monkeypatch):
    session.cases.save(sample_case())
    backup = session.backups.create()
    session.cases.save(sample_case())
    real_write = seals.AuditSeal.write
    monkeypatch.setattr(seals.AuditSeal, "write", lambda self, count, digest: (_ for _ in ()).throw(OSError(5, "x")))
    session.backups.restore(backup)  # the file is in place, its seal never written
    monkeypatch.setattr(seals.AuditSeal, "write", real_write)
    session.store = None  # the process "died"
    again = Node.open(new_node.data_dir).login("admin", ADMIN_PASSWORD)
    try:
        verdict = again.verify_audit()
        assert verdict.ok, verdict.message()
        again.store.audit_seal.flush()
        assert sealed(new_node)["count"] == audit.head(again.store)[0]
    finally:
        again.close()


def test_altered_annex_entry_is_named(session, new_node):
    session.cases.save(sample_case())
    backup = session.backups.create()
    session.cases.save(sample_case())
    session.backups.restore(backup)
    conn = session.store.conn
    conn.execute("DROP TRIGGER audit_annex_no_update")
    conn.execute("UPDATE audit_annex SET action = 'nothing' WHERE seq = (SELECT max(seq) FROM audit_annex)")
    verdict = audit.verify(session.store)
    assert not verdict.ok and verdict.kind == "annex_altered"
    assert "giữ lại khi khôi phục" in verdict.message()


def test_annex_is_append_only(session):
    session.cases.save(sample_case())
    backup = session.backups.create()
    session.cases.save(sample_case())
    session.backups.restore(backup)
    with pytest.raises(sqlcipher3.IntegrityError):
        session.store.execute("DELETE FROM audit_annex")


def test_a_stray_seal_left_by_a_set_up_that_failed_is_replaced(tmp_path):
    folder = tmp_path / "node"
    folder.mkdir()
    (folder / seals.SEAL_NAME).write_text('{"format": 1, "count": 9, "hash": "x", "at": "", "mac": "y"}')
    node, _ = Node.create(folder, kind="commune", name="Xã Mới", code="M01", parent_code=None,
                          profile_code="thai_binh", admin_username="admin", admin_password=ADMIN_PASSWORD)
    session = node.login("admin", ADMIN_PASSWORD)
    try:
        assert session.verify_audit().ok
        session.store.audit_seal.flush()
        assert sealed(node)["count"] == audit.head(session.store)[0]
    finally:
        session.close()


def accept_cli(node, monkeypatch, capsys) -> tuple[int, str]:
    monkeypatch.setenv("BINHAN_PASSWORD", ADMIN_PASSWORD)
    code = cli.main(["--data-dir", str(node.data_dir), "--user", "admin", "audit", "accept"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_backup_copied_in_by_hand_is_accepted_and_the_log_says_so(new_node, tmp_path, monkeypatch, capsys):
    work(new_node)
    old_copy = tmp_path / "old.db"
    shutil.copyfile(new_node.db_path, old_copy)
    work(new_node, 2)
    shutil.copyfile(old_copy, new_node.db_path)
    code, out = verify_cli(new_node, monkeypatch, capsys)
    assert code == 3 and "binhan audit accept" in out
    code, out = accept_cli(new_node, monkeypatch, capsys)
    assert code == 0, out
    code, out = verify_cli(new_node, monkeypatch, capsys)
    assert code == 0, out
    session = new_node.login("admin", ADMIN_PASSWORD)
    try:
        [entry] = audit.entries(session.store, action=audit.ACCEPTED_ACTION)
        assert json.loads(entry["detail"])["kind"] == "rolled_back"
    finally:
        session.close()
    code, out = accept_cli(new_node, monkeypatch, capsys)
    assert code == 2 and "không có gì sai" in out


def test_a_break_inside_the_chain_cannot_be_accepted(new_node, monkeypatch, capsys):
    work(new_node, 2)
    conn = raw(new_node)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET action = 'khác' WHERE seq = 3")
    conn.close()
    code, out = accept_cli(new_node, monkeypatch, capsys)
    assert code == 2 and "giữ nguyên tệp" in out
    code, out = verify_cli(new_node, monkeypatch, capsys)
    assert code == 3


def test_only_the_administrator_accepts(session, new_node):
    from app.errors import PermissionDenied

    session.add_user("canbo", "mật-khẩu-cán-bộ", "officer")
    officer = new_node.login("canbo", "mật-khẩu-cán-bộ")
    try:
        with pytest.raises(PermissionDenied):
            audit.accept(officer)
    finally:
        officer.close()
