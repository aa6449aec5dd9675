"""Revocation holds: a retired key never verifies anything again — packages, receipts, down-packages, signed HTTP
requests, registrations — and re-registering after a revocation needs new keys."""

import json
import threading

import pytest

from sync import down, enrol, importer, package, receipt
from sync import keys as node_keys
from sync.errors import EnrolmentRefused, PackageRetiredKey, ReceiptRetiredKey
from sync.transports import http
from tests.sync.conftest import add_case, dump


def signing_with(monkeypatch, session, pair):
    """Make `session` sign with `pair` (an old key it still holds), as whoever kept the old computer would."""
    original = node_keys.current

    def current(s, purpose, node_id=None):
        if s is session and purpose == node_keys.SIGNING:
            return pair
        return original(s, purpose, node_id)
    monkeypatch.setattr(node_keys, "current", current)


def old_signing_key(session):
    return node_keys.current(session, node_keys.SIGNING)


def re_register(tree, child):
    registration = enrol.export_registration(child, tree.files / f"{child.node_info.code}.again")
    said_on_phone = enrol.read_registration(registration)["fingerprint"]
    return enrol.import_registration(tree.province, registration, accept_fingerprint=said_on_phone)


def test_a_package_signed_with_the_revoked_key_is_refused_after_the_commune_re_registers(tree, monkeypatch):
    stolen = old_signing_key(tree.commune)
    enrol.revoke_child(tree.province, "TN01")
    node_keys.rotate(tree.commune)  # the real commune, on its new computer, makes new keys
    re_register(tree, tree.commune)
    assert enrol.peer(tree.province, tree.commune.origin)["status"] == "active"

    # Whoever kept the old computer builds a package after the revocation, signed with the old key.
    add_case(tree.commune, code="FORGED-1")
    signing_with(monkeypatch, tree.commune, stolen)
    forged = package.build(tree.commune)[0].data
    monkeypatch.undo()
    before = dump(tree.province)
    with pytest.raises(PackageRetiredKey) as refused:
        importer.import_package(tree.province, forged)
    assert "khóa đã thôi dùng" in refused.value.message("vi")
    after = dump(tree.province)
    assert {t: rows for t, rows in after.items() if t != "sync_refusals"} == \
        {t: rows for t, rows in before.items() if t != "sync_refusals"}
    assert tree.province.store.scalar("SELECT count(*) FROM cases WHERE code = 'FORGED-1'") == 0
    # The commune's own new key is taken.
    assert importer.import_package(tree.province, package.build(tree.commune)[0].data).verdict == "applied"


def test_re_registering_after_a_revocation_with_the_old_keys_is_refused_even_with_the_fingerprint(tree):
    enrol.revoke_child(tree.province, "TN01")
    registration = enrol.export_registration(tree.commune, tree.files / "same-keys")
    said_on_phone = enrol.read_registration(registration)["fingerprint"]
    with pytest.raises(EnrolmentRefused) as refused:
        enrol.import_registration(tree.province, registration, accept_fingerprint=said_on_phone)
    assert "keys rotate" in refused.value.message("vi")
    assert enrol.peer(tree.province, tree.commune.origin)["status"] == "revoked"
    assert tree.province.store.scalar("SELECT count(*) FROM sync_peer_keys WHERE node_id = ? AND retired_at IS NULL",
                                      (tree.commune.origin,)) == 0


def test_a_rotated_away_key_cannot_endorse_or_sign_any_more(tree, monkeypatch):
    old = old_signing_key(tree.commune)
    node_keys.rotate(tree.commune)
    re_register(tree, tree.commune)  # endorsed by the old key while it was still in use: a rotation
    add_case(tree.commune)
    signing_with(monkeypatch, tree.commune, old)
    late = package.build(tree.commune)[0].data
    monkeypatch.undo()
    with pytest.raises(PackageRetiredKey):
        importer.import_package(tree.province, late)


def test_a_receipt_and_a_down_package_signed_with_the_parent_s_retired_key_are_refused(tree, monkeypatch):
    add_case(tree.commune)
    importer.import_package(tree.province, package.build(tree.commune)[0].data)
    old = old_signing_key(tree.province)
    node_keys.rotate(tree.province)
    profile = enrol.export_profile(tree.province, tree.files / "rotated.profile")
    enrol.import_profile(tree.commune, profile)  # endorsed by the old key: the commune follows the rotation
    signing_with(monkeypatch, tree.province, old)
    _, old_receipt = receipt.build(tree.province, tree.commune.origin)
    old_down = down.build(tree.province, tree.commune.origin).data
    monkeypatch.undo()
    mark = package.acked_seq(tree.commune, tree.province.origin)
    with pytest.raises(ReceiptRetiredKey):
        receipt.apply(tree.commune, old_receipt)
    with pytest.raises(PackageRetiredKey):
        down.apply(tree.commune, old_down)
    assert package.acked_seq(tree.commune, tree.province.origin) == mark
    _, fresh = receipt.build(tree.province, tree.commune.origin)
    assert receipt.apply(tree.commune, fresh)["acknowledged_through"] >= 1


def test_an_old_profile_carrying_the_parent_s_retired_keys_is_refused(tree):
    stale = enrol.export_profile(tree.province, tree.files / "before.profile")
    node_keys.rotate(tree.province)
    enrol.import_profile(tree.commune, enrol.export_profile(tree.province, tree.files / "after.profile"))
    with pytest.raises(EnrolmentRefused):
        enrol.import_profile(tree.commune, stale)


def test_a_signed_http_request_with_a_retired_key_is_unauthenticated(tree, monkeypatch):
    old = old_signing_key(tree.commune)
    node_keys.rotate(tree.commune)
    re_register(tree, tree.commune)
    server = http.make_server(tree.province, "127.0.0.1", 0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.effective_port}"
        path = f"/v1/children/{tree.commune.origin}/receipt"
        signing_with(monkeypatch, tree.commune, old)
        headers = http.sign_request(tree.commune, "GET", path)
        monkeypatch.undo()
        with pytest.raises(http.TransportRefused):
            http._request(url + path, method="GET", headers=headers, attempts=1, timeout=10)
        fresh = http.sign_request(tree.commune, "GET", path)
        assert json.loads(http._request(url + path, method="GET", headers=fresh, attempts=1, timeout=10))["format"] \
            == "binhan-receipt"
    finally:
        server.close()
        thread.join(timeout=5)
