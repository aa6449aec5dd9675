import json

import pytest

from sync import enrol
from sync import keys as node_keys
from sync.errors import DocumentInvalid, EnrolmentRefused, FingerprintMismatch, FingerprintRequired


def test_profile_carries_keys_and_province_profile(tree):
    child_parent = enrol.parent(tree.commune)
    assert child_parent["node_id"] == tree.province.origin and child_parent["code"] == "TB"
    profile = enrol.received_profile(tree.commune)
    assert profile["code"] == "thai_binh" and profile["report_deadline"] == "11-30"
    assert enrol.peer_key(tree.commune, tree.province.origin, "encryption")["key_id"] == \
        node_keys.current(tree.province, "encryption").key_id


def test_registration_is_refused_without_the_phone_checked_fingerprint(tree):
    newcomer = tree.node("TN09", kind="commune", name="Xã Mới", parent="TB")
    profile = enrol.export_profile(tree.province, tree.files / "p")
    enrol.import_profile(newcomer, profile)
    reg = enrol.export_registration(newcomer, tree.files / "r")
    with pytest.raises(FingerprintRequired) as caught:
        enrol.import_registration(tree.province, reg)
    assert node_keys.own_fingerprint(newcomer) in str(caught.value)
    with pytest.raises(FingerprintMismatch):
        enrol.import_registration(tree.province, reg, accept_fingerprint="0000 0000 0000 0000 0000")
    assert enrol.peer(tree.province, newcomer.origin) is None
    said = node_keys.own_fingerprint(newcomer).replace(" ", "-")
    enrol.import_registration(tree.province, reg, accept_fingerprint=said)
    assert enrol.peer(tree.province, newcomer.origin)["relation"] == "child"


def test_altered_profile_or_registration_is_refused(tree):
    profile = enrol.export_profile(tree.province, tree.files / "p")
    doc = json.loads(profile.read_text())
    doc["document"]["node"]["name"] = "Tỉnh Giả"
    profile.write_text(json.dumps(doc))
    with pytest.raises(DocumentInvalid):
        enrol.import_profile(tree.commune, profile)
    reg = enrol.export_registration(tree.commune, tree.files / "r")
    doc = json.loads(reg.read_text())
    doc["document"]["keys"]["encryption"] = doc["document"]["keys"]["signing"]
    reg.write_text(json.dumps(doc))
    with pytest.raises(DocumentInvalid):
        enrol.import_registration(tree.province, reg, accept_fingerprint="1")


def test_registration_addressed_to_another_province_is_refused(tree):
    other = tree.node("HY", kind="province", name="Tỉnh Hưng Yên", parent=None, profile="hung_yen")
    reg = enrol.export_registration(tree.commune, tree.files / "r")
    fp = enrol.read_registration(reg)["fingerprint"]
    with pytest.raises(EnrolmentRefused):
        enrol.import_registration(other, reg, accept_fingerprint=fp)


def test_profile_of_a_province_that_is_not_this_communes_parent_is_refused(tree):
    other = tree.node("HY", kind="province", name="Tỉnh Hưng Yên", parent=None, profile="hung_yen")
    with pytest.raises(EnrolmentRefused):
        enrol.import_profile(tree.commune, enrol.export_profile(other, tree.files / "hy"))


def test_two_nodes_cannot_share_a_code(tree):
    twin = tree.node("TN01b", kind="commune", name="Xã Sinh Đôi", parent="TB")
    enrol.import_profile(twin, enrol.export_profile(tree.province, tree.files / "p"))
    reg = enrol.export_registration(twin, tree.files / "r")
    doc = json.loads(reg.read_text())
    assert doc["document"]["node"]["code"] == "TN01b"
    tree.province.store.execute("UPDATE sync_peers SET code = 'TN01b' WHERE node_id = ?", (tree.commune.origin,))
    with pytest.raises(EnrolmentRefused):
        enrol.import_registration(tree.province, reg, accept_fingerprint=enrol.read_registration(reg)["fingerprint"])


def test_rotated_keys_are_accepted_without_a_call_when_endorsed_by_the_old_key(tree):
    node_keys.rotate(tree.commune)
    reg = enrol.export_registration(tree.commune, tree.files / "rotated")
    result = enrol.import_registration(tree.province, reg)
    assert result["keys_changed"]
    new_id = node_keys.current(tree.commune, "signing").key_id
    assert enrol.peer_key(tree.province, tree.commune.origin, "signing")["key_id"] == new_id


def test_province_rotation_reaches_commune_through_endorsed_profile(tree):
    node_keys.rotate(tree.province)
    result = enrol.import_profile(tree.commune, enrol.export_profile(tree.province, tree.files / "p2"))
    assert result["keys_changed"]
    assert enrol.peer_key(tree.commune, tree.province.origin, "encryption")["key_id"] == \
        node_keys.current(tree.province, "encryption").key_id


def test_commune_moving_to_another_province_needs_replace(tree):
    other = tree.node("HY", kind="province", name="Tỉnh Hưng Yên", parent=None, profile="hung_yen")
    tree.commune.store.execute("DELETE FROM meta WHERE key = 'node_parent_code'")
    tree.commune.store.execute("INSERT INTO meta (key, value) VALUES ('node_parent_code', 'null')")
    tree.commune.__dict__.pop("node_info", None)
    profile = enrol.export_profile(other, tree.files / "hy")
    with pytest.raises(EnrolmentRefused):
        enrol.import_profile(tree.commune, profile)
    result = enrol.import_profile(tree.commune, profile, replace=True)
    assert result["replaced"] and enrol.parent(tree.commune)["code"] == "HY"
