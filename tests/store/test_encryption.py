"""The data is about people in danger: prove the names never sit on disk in the clear."""

import json

import pytest

from app.errors import WrongSecret
from app.node import Node
from tests.conftest import ADMIN_PASSWORD, CANARY_NAME, sample_case


def _needles():
    canary = CANARY_NAME
    return [canary.encode("utf-8"), canary.encode("utf-16-le"), b"Canary", b"0912345678", b"034190001234"]


def _all_node_files(folder):
    return [p for p in folder.rglob("*") if p.is_file()]


def test_canary_bytes_absent_from_database_wal_and_backups(session, new_node):
    for _ in range(30):
        session.cases.save(sample_case())
    # the WAL holds the newest pages before a checkpoint: look at it while it is full
    wal = new_node.db_path.with_name("binhan.db-wal")
    assert wal.exists() and wal.stat().st_size > 0
    for path in [new_node.db_path, wal]:
        data = path.read_bytes()
        for needle in _needles():
            assert needle not in data, f"{needle!r} found in {path.name}"
    backup = session.backups.create()
    session.close()
    files = _all_node_files(new_node.data_dir)
    assert backup in files
    for path in files:
        data = path.read_bytes()
        for needle in _needles():
            assert needle not in data, f"{needle!r} found in {path.name}"


def test_database_key_is_never_written_in_the_clear(session, new_node):
    key = session._key()
    session.close()
    for path in _all_node_files(new_node.data_dir):
        data = path.read_bytes()
        assert key not in data and key.hex().encode() not in data


def test_wrong_password_gives_clear_message_and_leaves_file_untouched(session, new_node):
    session.cases.save(sample_case())
    session.close()
    before = new_node.db_path.read_bytes()
    with pytest.raises(WrongSecret) as caught:
        new_node.login("admin", "not-the-password")
    assert "Sai tên đăng nhập hoặc mật khẩu" in str(caught.value)
    assert new_node.db_path.read_bytes() == before


def test_unknown_user_gets_same_message_as_wrong_password(new_node):
    with pytest.raises(WrongSecret) as caught:
        new_node.login("nobody", "x")
    assert "Sai tên đăng nhập hoặc mật khẩu" in str(caught.value)


def test_recovery_key_opens_when_password_is_forgotten(new_node):
    typed = new_node.recovery_key_for_tests.lower().replace("-", " ")  # as a person retypes it
    session = new_node.recover(typed, "admin", "mật-khẩu-mới")
    session.close()
    new_node.login("admin", "mật-khẩu-mới").close()
    with pytest.raises(WrongSecret):
        new_node.login("admin", ADMIN_PASSWORD)


def test_wrong_recovery_key_is_refused(new_node):
    with pytest.raises(WrongSecret) as caught:
        new_node.recover("AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF-GGGGG-HHHHH", "admin", "một-mật-khẩu-mới-dài")
    assert "Mã khôi phục không đúng" in str(caught.value)


def test_keyring_slot_exists_when_a_backend_does(new_node, memory_keyring):
    assert new_node.slot_kinds() == ["keyring", "password", "recovery"]
    store = new_node.open_with_keyring()
    assert store is not None
    store.close()


def test_losing_the_keyring_entry_loses_nothing(new_node, memory_keyring):
    memory_keyring.secrets.clear()
    assert new_node.open_with_keyring() is None
    new_node.login("admin", ADMIN_PASSWORD).close()


def test_no_keyring_backend_is_normal(node_dir, no_keyring):
    node, _ = Node.create(node_dir, kind="commune", name="Xã Không Keyring", code="NK", parent_code=None,
                          profile_code="hung_yen", admin_username="admin", admin_password="abcd1234-trau-den-trau-den")
    assert node.slot_kinds() == ["password", "recovery"]
    node.login("admin", "abcd1234-trau-den-trau-den").close()


def test_slots_file_names_no_secret(new_node):
    raw = json.loads(new_node.slots_path.read_text(encoding="utf-8"))
    text = json.dumps(raw)
    assert ADMIN_PASSWORD not in text
    assert new_node.recovery_key_for_tests not in text
