import nacl.exceptions
import nacl.public
import nacl.signing
import pytest

from sync import keys as node_keys
from sync.errors import KeyBackupWrongPassphrase, WeakPassphrase


def test_node_gets_encryption_and_signing_keys_with_ids(session):
    assert node_keys.ensure_keys(session) is True
    assert node_keys.ensure_keys(session) is False
    enc = node_keys.current(session, node_keys.ENCRYPTION)
    sig = node_keys.current(session, node_keys.SIGNING)
    assert isinstance(enc.private, nacl.public.PrivateKey) and isinstance(sig.private, nacl.signing.SigningKey)
    assert enc.key_id == node_keys.key_id(enc.public) and len(enc.key_id) == 16
    assert enc.key_id != sig.key_id


def test_private_keys_are_stored_wrapped_not_in_the_clear(session):
    sig = node_keys.current(session, node_keys.SIGNING)
    raw = bytes(sig.private)
    for row in session.store.query("SELECT private_box FROM sync_keys"):
        assert raw not in row["private_box"]
        assert session._key() not in row["private_box"]


def test_a_key_row_copied_onto_another_id_does_not_open(session):
    node_keys.ensure_keys(session)
    rows = session.store.query("SELECT key_id, private_box FROM sync_keys ORDER BY purpose")
    session.store.execute("UPDATE sync_keys SET private_box = ? WHERE key_id = ?",
                          (rows[0]["private_box"], rows[1]["key_id"]))
    with pytest.raises(nacl.exceptions.CryptoError):
        node_keys.by_id(session, rows[1]["key_id"], "signing")


def test_fingerprint_is_five_groups_of_four_digits_and_changes_with_keys(session):
    first = node_keys.own_fingerprint(session)
    groups = first.split(" ")
    assert [len(g) for g in groups] == [4] * 5 and all(g.isdigit() for g in groups)
    node_keys.rotate(session)
    assert node_keys.own_fingerprint(session) != first
    assert node_keys.normalise_fingerprint("1234-5678 9012") == "123456789012"


def test_rotation_keeps_old_keys_for_reading(session):
    old = node_keys.current(session, node_keys.ENCRYPTION)
    node_keys.rotate(session)
    new = node_keys.current(session, node_keys.ENCRYPTION)
    assert new.key_id != old.key_id
    kept = node_keys.by_id(session, old.key_id, node_keys.ENCRYPTION)
    assert bytes(kept.private) == bytes(old.private)
    assert [k.key_id for k in node_keys.retired_signers(session)]


def test_key_backup_round_trip_and_wrong_passphrase(session, tmp_path):
    sig = node_keys.current(session, node_keys.SIGNING)
    path = node_keys.export_backup(session, tmp_path / "tb.keys.binhan", "một câu mật khẩu dài")
    text = path.read_bytes()
    assert bytes(sig.private) not in text and b"private" not in text
    with pytest.raises(KeyBackupWrongPassphrase):
        node_keys.import_backup(session, path, "sai mật khẩu rồi nhé")
    session.store.execute("DELETE FROM sync_keys")
    summary = node_keys.import_backup(session, path, "một câu mật khẩu dài")
    assert summary["keys_restored"] == 2 and not summary["adopted"]
    assert bytes(node_keys.current(session, node_keys.SIGNING).private) == bytes(sig.private)


def test_key_backup_needs_a_long_passphrase(session, tmp_path):
    with pytest.raises(WeakPassphrase):
        node_keys.export_backup(session, tmp_path / "x.keys.binhan", "ngắn")
