"""A node speaks only for its own registered subtree: an enrolled but hostile commune builds packages with the
project's own modules and tries to claim nodes it never accepted, squat codes, and flood the registry."""

import nacl.public
import nacl.signing
import pytest

from app.records import new_id
from sync import enrol, importer, package, vouch
from sync import keys as node_keys
from sync.codec import b64, sign_document
from sync.errors import PackageContentInvalid, PackageRevoked
from tests.sync.conftest import add_case


def fake_keys():
    signing, encryption = nacl.signing.SigningKey.generate(), nacl.public.PrivateKey.generate()
    publics = {node_keys.SIGNING: bytes(signing.verify_key), node_keys.ENCRYPTION: bytes(encryption.public_key)}
    return signing, {p: {"key_id": node_keys.key_id(pub), "public": b64(pub)} for p, pub in publics.items()}


def vouched_node(acceptor_id, acceptor_kind, acceptor_code, signer_id, signer, *, kind="point", code=None,
                 parent_code=None, node_id=None):
    """A declared node with an acceptance signed by `signer` (key id, SigningKey): (entry, its signing key)."""
    node_signing, keys = fake_keys()
    node = {"node_id": node_id or new_id(), "kind": kind, "code": code or f"P{new_id()[-6:]}",
            "name": "Điểm giả", "parent_code": acceptor_code if parent_code is None else parent_code}
    document = vouch.acceptance(node, keys, {"id": acceptor_id, "kind": acceptor_kind, "code": acceptor_code},
                                "2026-12-01T00:00:00+00:00")
    entry = {"id": node["node_id"], "kind": kind, "code": node["code"], "name": node["name"],
             "parent_code": node["parent_code"], "via": None,
             "voucher": sign_document(vouch.ACCEPTANCE_FORMAT, document, [(signer_id, signer)])}
    return entry, (keys[node_keys.SIGNING]["key_id"], node_signing)


def by_commune(session, **kw):
    """A node the commune itself vouches for, signed with its own current key."""
    me = node_keys.current(session, node_keys.SIGNING)
    info = session.node_info
    return vouched_node(info.id, info.kind, info.code, me.key_id, me.private, **kw)


def declaring(monkeypatch, session, extra):
    """`session`'s next packages declare its true subtree plus `extra` nodes."""
    original = vouch.subtree

    def subtree(conn, info, signer):
        found = original(conn, info, signer)
        return found + list(extra) if info.id == session.origin else found
    monkeypatch.setattr(vouch, "subtree", subtree)


def forged_case(session, origin):
    """A case in the commune's own database, rewritten (raw SQL, as with sqlcipher3) to name another origin."""
    case = add_case(session)
    session.store.execute("UPDATE cases SET origin = ? WHERE id = ?", (origin, case["id"]))
    return case


def province_cases(tree, origin):
    return tree.province.store.scalar("SELECT count(*) FROM cases WHERE origin = ?", (origin,))


def test_a_node_without_an_acceptance_is_quarantined_and_its_records_never_applied(tree, monkeypatch):
    ghost = new_id()
    declaring(monkeypatch, tree.commune, [{"id": ghost, "kind": "point", "code": "TN02", "name": "Giả",
                                           "parent_code": "TN01"}])
    forged_case(tree.commune, ghost)
    result = importer.import_package(tree.province, package.build(tree.commune)[0].data)
    assert [k["reason"] for k in result.kept_aside] == ["foreign_origin"]
    assert province_cases(tree, ghost) == 0 and enrol.peer(tree.province, ghost) is None
    shown = vouch.quarantined(tree.province)
    assert [(q["node_id"], q["reason"], q["via_code"]) for q in shown] == [(ghost, "unvouched", "TN01")]


def test_an_acceptance_signed_by_another_key_or_naming_another_parent_is_not_a_chain(tree, monkeypatch):
    stranger_signing, _ = fake_keys()
    info = tree.commune.node_info
    forged, _ = vouched_node(info.id, info.kind, info.code, "0123456789abcdef", stranger_signing)
    wrong_parent, _ = by_commune(tree.commune, parent_code="TN02")
    same_rank, _ = by_commune(tree.commune, kind="commune")
    # Signed as if the other commune had accepted it: TN02 is not below TN01, so its word counts for nothing here.
    other = node_keys.current(tree.commune2, node_keys.SIGNING)
    other_info = tree.commune2.node_info
    borrowed, _ = vouched_node(other_info.id, other_info.kind, other_info.code, other.key_id, other.private)
    declaring(monkeypatch, tree.commune, [forged, wrong_parent, same_rank, borrowed])
    for entry in (forged, wrong_parent, same_rank, borrowed):
        forged_case(tree.commune, entry["id"])
    result = importer.import_package(tree.province, package.build(tree.commune)[0].data)
    assert result.applied == 0 and len(result.kept_aside) == 4
    reasons = {q["node_id"]: q["reason"] for q in vouch.quarantined(tree.province)}
    assert reasons == {e["id"]: "unvouched" for e in (forged, wrong_parent, same_rank, borrowed)}
    assert tree.province.store.scalar("SELECT count(*) FROM sync_peers WHERE relation = 'descendant'") == 0


def test_a_commune_s_own_point_is_admitted_through_the_chain_and_its_records_applied(tree, monkeypatch):
    point, (point_key_id, point_key) = by_commune(tree.commune)
    # …and a node the point accepted in turn would chain through the point's key (ranks stop it: nothing is
    # below a point), so a grandchild "under" a point is quarantined.
    below_point, _ = vouched_node(point["id"], "point", point["code"], point_key_id, point_key, kind="point")
    declaring(monkeypatch, tree.commune, [point, below_point])
    forged_case(tree.commune, point["id"])
    result = importer.import_package(tree.province, package.build(tree.commune)[0].data)
    assert result.applied == 1 and province_cases(tree, point["id"]) == 1
    peer = enrol.peer(tree.province, point["id"])
    assert (peer["relation"], peer["via"], peer["status"], peer["code"]) == \
        ("descendant", tree.commune.origin, "active", point["code"])
    assert {q["node_id"]: q["reason"] for q in vouch.quarantined(tree.province)} == {below_point["id"]: "unvouched"}


def test_a_squatted_code_yields_to_the_genuine_registration_and_does_not_survive_the_squatter(tree, monkeypatch):
    # TN01 vouches for a "point" under the code of a commune that has not registered yet.
    squat, _ = by_commune(tree.commune, code="TN09")
    declaring(monkeypatch, tree.commune, [squat])
    forged_case(tree.commune, squat["id"])
    importer.import_package(tree.province, package.build(tree.commune)[0].data)
    assert enrol.peer(tree.province, squat["id"])["code"] == "TN09"

    genuine = tree.node("TN09", kind="commune", name="Xã Thật", parent="TB")
    tree.enrol(tree.province, genuine)  # the genuine registration, checked by phone, is not refused
    assert enrol.peer(tree.province, genuine.origin)["status"] == "active"
    assert enrol.peer(tree.province, squat["id"])["status"] == "detached"
    assert {q["node_id"]: q["reason"] for q in vouch.quarantined(tree.province)} == {squat["id"]: "code_taken"}
    # The squatter's later records for that node are kept aside; the genuine commune's are applied.
    forged_case(tree.commune, squat["id"])
    result = importer.import_package(tree.province, package.build(tree.commune)[0].data)
    assert result.applied == 0 and {k["reason"] for k in result.kept_aside} == {"foreign_origin"}
    assert {q["reason"] for q in vouch.quarantined(tree.province)} == {"code_taken"}
    add_case(genuine)
    assert importer.import_package(tree.province, package.build(genuine)[0].data).applied == 1


def test_revoking_a_commune_detaches_what_it_vouched_for_and_frees_the_codes(tree, monkeypatch):
    squat, _ = by_commune(tree.commune, code="TN09")
    declaring(monkeypatch, tree.commune, [squat])
    add_case(tree.commune)
    importer.import_package(tree.province, package.build(tree.commune)[0].data)
    enrol.revoke_child(tree.province, "TN01")
    assert enrol.peer(tree.province, squat["id"])["status"] == "detached"
    with pytest.raises(PackageRevoked):
        importer.import_package(tree.province, package.build(tree.commune)[0].data)
    genuine = tree.node("TN09", kind="commune", name="Xã Thật", parent="TB")
    tree.enrol(tree.province, genuine)
    assert enrol.peer(tree.province, genuine.origin)["code"] == "TN09"


def test_twenty_thousand_nodes_refuse_the_package_and_a_few_hundred_are_admitted_a_bounded_number_at_a_time(
        tree, monkeypatch):
    me = node_keys.current(tree.commune, node_keys.SIGNING)
    info = tree.commune.node_info
    one, _ = by_commune(tree.commune)
    declaring(monkeypatch, tree.commune, [one] * 20_000)
    add_case(tree.commune)
    with pytest.raises(PackageContentInvalid):
        importer.import_package(tree.province, package.build(tree.commune)[0].data)
    assert tree.province.store.scalar("SELECT count(*) FROM sync_peers") == 2  # the two communes and nothing else
    monkeypatch.undo()

    # Codes of their own (six random characters each could, once in a few hundred runs, give two the same code).
    many = [vouched_node(info.id, info.kind, info.code, me.key_id, me.private, code=f"P{n:05d}")[0]
            for n in range(vouch.MAX_NEW_NODES + 30)]
    declaring(monkeypatch, tree.commune, many)
    importer.import_package(tree.province, package.build(tree.commune)[0].data)
    admitted = tree.province.store.scalar("SELECT count(*) FROM sync_peers WHERE relation = 'descendant'")
    assert admitted == vouch.MAX_NEW_NODES
    assert {q["reason"] for q in vouch.quarantined(tree.province)} == {"too_many_new"}
    add_case(tree.commune)
    importer.import_package(tree.province, package.build(tree.commune)[0].data)  # the next package brings the rest
    assert tree.province.store.scalar("SELECT count(*) FROM sync_peers WHERE relation = 'descendant'") == len(many)
    assert vouch.quarantined(tree.province) == []


def test_a_commune_below_a_district_travels_with_the_district_s_acceptance_and_cannot_be_claimed_elsewhere(
        district_tree, monkeypatch):
    t = district_tree
    add_case(t.commune3)
    importer.import_package(t.district, package.build(t.commune3)[0].data)
    importer.import_package(t.province, package.build(t.district)[0].data)
    peer = enrol.peer(t.province, t.commune3.origin)
    assert (peer["relation"], peer["via"], peer["status"]) == ("descendant", t.district.origin, "active")
    assert province_cases(t, t.commune3.origin) == 1
    # TN01 claims the district's commune as its own point (it signs the acceptance itself).
    me = node_keys.current(t.commune, node_keys.SIGNING)
    info = t.commune.node_info
    claim, _ = vouched_node(info.id, info.kind, info.code, me.key_id, me.private, node_id=t.commune3.origin,
                            code="TN03")
    declaring(monkeypatch, t.commune, [claim])
    forged_case(t.commune, t.commune3.origin)
    result = importer.import_package(t.province, package.build(t.commune)[0].data)
    assert result.applied == 0 and [k["reason"] for k in result.kept_aside] == ["foreign_origin"]
    assert {q["reason"] for q in vouch.quarantined(t.province)} == {"claimed_elsewhere"}
    assert enrol.peer(t.province, t.commune3.origin)["via"] == t.district.origin


def test_the_province_revokes_a_commune_below_a_district(district_tree):
    t = district_tree
    add_case(t.commune3)
    importer.import_package(t.district, package.build(t.commune3)[0].data)
    importer.import_package(t.province, package.build(t.district)[0].data)
    revoked = enrol.revoke_child(t.province, "TN03")
    assert revoked["relation"] == "descendant"
    assert t.province.store.scalar("SELECT count(*) FROM sync_peer_keys WHERE node_id = ? AND retired_at IS NULL",
                                   (t.commune3.origin,)) == 0
    add_case(t.commune3)
    importer.import_package(t.district, package.build(t.commune3)[0].data)
    result = importer.import_package(t.province, package.build(t.district)[0].data)
    assert result.applied == 0 and province_cases(t, t.commune3.origin) == 1  # what came before stays
    assert enrol.peer(t.province, t.commune3.origin)["status"] == "revoked"
