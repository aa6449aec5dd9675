import sqlcipher3
import pytest

from app import audit
from tests.conftest import sample_case


def _tamper(session, sql, params=()):
    """Edit the log by hand, as someone with the key and a SQLite shell could."""
    conn = session.store.conn
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute(sql, params)


def test_log_is_append_only_through_sql(session):
    session.cases.save(sample_case())
    with pytest.raises(sqlcipher3.IntegrityError):
        session.store.execute("UPDATE audit_log SET action = 'nothing' WHERE seq = 1")
    with pytest.raises(sqlcipher3.IntegrityError):
        session.store.execute("DELETE FROM audit_log WHERE seq = 1")


def test_intact_chain_verifies(session):
    for _ in range(3):
        session.cases.save(sample_case())
    verdict = session.verify_audit()
    assert verdict.ok and verdict.entries >= 5


def test_altered_entry_is_named(session):
    session.cases.save(sample_case())
    session.cases.save(sample_case())
    _tamper(session, "UPDATE audit_log SET username = 'someone-else' WHERE seq = 3")
    verdict = audit.verify(session.store)
    assert not verdict.ok and verdict.broken_seq == 3
    assert "số 3" in verdict.message()


def test_removed_entry_is_named(session):
    session.cases.save(sample_case())
    session.cases.save(sample_case())
    _tamper(session, "DELETE FROM audit_log WHERE seq = 2")
    verdict = audit.verify(session.store)
    assert not verdict.ok and verdict.broken_seq == 2
    assert "đã bị xóa" in verdict.message()


def test_removing_the_newest_entries_shows(session):
    session.cases.save(sample_case())
    last = session.store.scalar("SELECT max(seq) FROM audit_log")
    _tamper(session, "DELETE FROM audit_log WHERE seq = ?", (last,))
    verdict = audit.verify(session.store)
    assert not verdict.ok and verdict.broken_seq == last


def test_logins_exports_and_backups_are_logged(session, new_node):
    session.backups.create()
    actions = {r["action"] for r in session.store.query("SELECT action FROM audit_log")}
    assert {"node.create", "login", "backup.create"} <= actions
