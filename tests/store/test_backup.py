import pytest

from app.errors import BackupError
from app.node import Node
from tests.conftest import ADMIN_PASSWORD, sample_case


def test_backup_then_restore_brings_back_what_was_saved(session, new_node):
    kept = session.cases.save(sample_case())
    backup = session.backups.create()
    session.cases.save(sample_case())
    session.cases.delete(kept["id"])
    aside = session.backups.restore(backup)
    assert aside.exists(), "the current file is kept aside"
    assert session.cases.ids() == [kept["id"]]
    assert session.verify_audit().ok


def test_backups_rotate(session):
    for _ in range(17):
        session.cases.save(sample_case())
        session.backups.create()
    assert len(session.backups.list()) == 14


def test_automatic_backup_on_close_when_something_changed(session, new_node):
    session.cases.save(sample_case())
    session.close()
    assert len(list(new_node.backups_dir.glob("binhan-*.db"))) == 1
    again = new_node.login("admin", ADMIN_PASSWORD)
    again.close()  # only a logout since: no new backup
    assert len(list(new_node.backups_dir.glob("binhan-*.db"))) == 1


def test_restore_refuses_a_backup_of_another_node(session, tmp_path):
    other, _ = Node.create(tmp_path / "other", kind="commune", name="Xã Khác", code="KH", parent_code=None,
                           profile_code="thai_binh", admin_username="admin", admin_password=ADMIN_PASSWORD)
    other_session = other.login("admin", ADMIN_PASSWORD)
    foreign = other_session.backups.create()
    other_session.close()
    session.cases.save(sample_case())
    with pytest.raises(BackupError) as caught:
        session.backups.restore(foreign)
    assert "không thuộc đơn vị hiện tại" in str(caught.value)
    assert session.cases.count() == 1


def test_forced_restore_of_another_nodes_backup_takes_its_keys(session, tmp_path):
    other, _ = Node.create(tmp_path / "other", kind="commune", name="Xã Khác", code="KH", parent_code=None,
                           profile_code="thai_binh", admin_username="admin", admin_password=ADMIN_PASSWORD)
    other_session = other.login("admin", ADMIN_PASSWORD)
    other_session.cases.save(sample_case())
    other_session.cases.save(sample_case())
    foreign = other_session.backups.create()
    other_session.close()
    session.backups.restore(foreign, force=True, password=ADMIN_PASSWORD)
    assert session.cases.count() == 2
    assert session.node_info.code == "KH"
    node = session.node
    session.close()
    node.__dict__.pop("slots", None)
    Node.open(node.data_dir).login("admin", ADMIN_PASSWORD).close()


def test_damaged_backup_is_refused_with_a_message(session):
    session.cases.save(sample_case())
    backup = session.backups.create()
    data = bytearray(backup.read_bytes())
    for i in range(5000, 5200):
        data[i] ^= 0xFF
    backup.write_bytes(bytes(data))
    with pytest.raises(BackupError):
        session.backups.restore(backup)
    assert session.cases.count() == 1
