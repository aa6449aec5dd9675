"""Old communes merged into one bring their nodes' data into the new commune's node (`binhan node merge FOLDER`):
same ids, owners and codes, so earlier years are still reported per old unit; the province takes the old node's
records through the new one on the old node's own signed statement, and the old computer speaks no more."""

import nacl.exceptions
import pytest

from app.reports.communes import roster
from sync import enrol, importer, merge, package, vouch
from sync.errors import PackageError
from tests.conftest import ADMIN_PASSWORD
from tests.sync.conftest import add_case
from tests.sync.test_cli import binhan  # noqa: F401  (fixture)
from tests.sync.test_vouching import declaring


def test_a_merged_commune_s_history_comes_in_and_travels_through_the_new_commune(tree):
    old_case = add_case(tree.commune2)
    importer.import_package(tree.province, package.build(tree.commune2)[0].data)

    done = merge.merge(tree.commune, tree.commune2.node.data_dir, "admin", ADMIN_PASSWORD)
    assert done["code"] == "TN02" and done["records"]["cases"] == 1
    copied = tree.commune.store.query("SELECT origin, code FROM cases WHERE id = ?", (old_case["id"],))[0]
    assert copied == {"origin": tree.commune2.origin, "code": old_case["code"]}  # owner and old code kept
    assert tree.commune.store.scalar("SELECT count(*) FROM case_identities WHERE case_id = ?", (old_case["id"],)) == 1

    add_case(tree.commune)
    result = importer.import_package(tree.province, package.build(tree.commune)[0].data)
    assert result.kept_aside == [] and result.applied == 1 and result.unchanged == 1
    peer = enrol.peer(tree.province, tree.commune2.origin)
    assert (peer["relation"], peer["via"], peer["status"]) == ("descendant", tree.commune.origin, "active")
    assert tree.province.store.scalar("SELECT count(*) FROM sync_peer_keys WHERE node_id = ? AND retired_at IS NULL",
                                      (tree.commune2.origin,)) == 0
    # Earlier years are still reported per old unit: it keeps its own row.
    assert [u.code for u in roster(tree.province)] == ["TB", "TN01", "TN02"]

    # The old computer speaks no more.
    add_case(tree.commune2)
    with pytest.raises(PackageError):
        importer.import_package(tree.province, package.build(tree.commune2)[0].data)
    # Later packages of the new commune keep carrying the merged node without asking again.
    add_case(tree.commune)
    assert importer.import_package(tree.province, package.build(tree.commune)[0].data).kept_aside == []


def test_a_merge_claimed_without_the_old_node_s_own_key_is_quarantined(tree, monkeypatch):
    add_case(tree.commune2)
    importer.import_package(tree.province, package.build(tree.commune2)[0].data)
    # TN01 writes the statement itself, signed with its own key, as if TN02 had merged into it.
    forged = merge.statement(tree.commune, {"id": tree.commune.origin, "code": "TN01"})
    forged["document"]["node"] = {"id": tree.commune2.origin, "kind": "commune", "code": "TN02", "name": "X",
                                  "parent_code": "TB"}
    declaring(monkeypatch, tree.commune, [{"id": tree.commune2.origin, "kind": "commune", "code": "TN02",
                                           "name": "X", "merged": forged}])
    add_case(tree.commune)
    importer.import_package(tree.province, package.build(tree.commune)[0].data)
    assert enrol.peer(tree.province, tree.commune2.origin)["relation"] == "child"
    assert {q["reason"] for q in vouch.quarantined(tree.province)} == {"unvouched"}


def test_merging_from_the_command_line(tree, binhan, monkeypatch):  # noqa: F811
    add_case(tree.commune2)
    monkeypatch.setenv("BINHAN_MERGE_PASSWORD", ADMIN_PASSWORD)
    code, out, err = binhan(tree.commune.node, "node", "merge", str(tree.commune2.node.data_dir),
                            "--from-user", "admin")
    assert code == 0, err
    assert "Đã gộp Xã Bên Cạnh (TN02)" in out
    code, _, err = binhan(tree.commune.node, "node", "merge", str(tree.province.node.data_dir), "--from-user", "admin")
    assert code == 2 and "cùng cấp" in err


# --- identities come under the new node's keys; the merged cases are the new commune's to keep -------------------
def _all_values(session) -> list:
    conn = session.store.conn
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return [v for t in tables for row in conn.execute(f"SELECT * FROM {t}").fetchall() for v in row]


def test_a_merged_identity_is_sealed_again_under_the_new_node_s_key_and_found_there(tree):
    from app.cases import identity
    from app.cases import CaseFilter
    from tests.conftest import CANARY_NAME

    old_case = add_case(tree.commune2)
    (old_row,) = tree.commune2.store.query("SELECT * FROM case_identities WHERE case_id = ?", (old_case["id"],))
    old_keys = dict(tree.commune2.identity.keys)
    assert old_row["key_id"] in old_keys  # sealed at the old node under its own key

    done = merge.merge(tree.commune, tree.commune2.node.data_dir, "admin", ADMIN_PASSWORD)
    assert done["records"]["case_identities"] == 1
    (row,) = tree.commune.store.query("SELECT * FROM case_identities WHERE case_id = ?", (old_case["id"],))
    assert row["key_id"] == tree.commune.identity.held("node")[0] and row["key_id"] not in old_keys
    assert bytes(row["survivor_name"]) != bytes(old_row["survivor_name"])  # sealed again, not copied
    # The new node reads it and finds it by name and by phone.
    case = tree.commune.cases.get(old_case["id"], with_identity=True)
    assert case["identity"]["name"] == CANARY_NAME and case["identity"]["phone"] == "0912345678"
    assert old_case["id"] in tree.commune.cases.ids(CaseFilter(search="Canary"))
    assert old_case["id"] in tree.commune.cases.ids(CaseFilter(search="0912345"))
    # The old node's keys never came: no old key id, no old key, anywhere in the new node's database or slots.
    values = _all_values(tree.commune)
    for key_id, key in old_keys.items():
        assert key_id not in tree.commune.node.slots.scopes()
        assert not any(isinstance(v, str) and key_id in v for v in values)
        assert not any(isinstance(v, bytes) and key in v for v in values)
        with pytest.raises(nacl.exceptions.CryptoError):  # and the old key does not open what the new node sealed
            identity.unseal(key, row["key_id"], old_case["id"], "survivor_name", row["survivor_name"])


def test_an_identity_the_old_account_cannot_open_stops_the_merge_with_nothing_written(tree, monkeypatch):
    from app.cases import identity

    old_case = add_case(tree.commune2)
    before = tree.commune.store.scalar("SELECT count(*) FROM cases")
    monkeypatch.setattr(identity, "read", lambda keys, row: (_ for _ in ()).throw(identity.IdentityLocked()))
    with pytest.raises(Exception) as refused:
        merge.merge(tree.commune, tree.commune2.node.data_dir, "admin", ADMIN_PASSWORD)
    assert "nothing was merged" in refused.value.en
    assert tree.commune.store.scalar("SELECT count(*) FROM cases") == before
    assert tree.commune.store.scalar("SELECT count(*) FROM cases WHERE id = ?", (old_case["id"],)) == 0


def test_a_merged_case_is_the_new_commune_s_to_edit_keeping_its_owner_and_code(tree):
    """The old node is retired and the new commune serves the same people: it records their follow-ups and a
    withdrawn consent, and the change travels up as the merged unit's record (issue 15.7)."""
    from app.cases import CaseFilter
    from app.errors import PermissionDenied

    old_case = add_case(tree.commune2)
    importer.import_package(tree.province, package.build(tree.commune2)[0].data)
    assert tree.province.store.scalar("SELECT count(*) FROM cases WHERE id = ?", (old_case["id"],)) == 1
    merge.merge(tree.commune, tree.commune2.node.data_dir, "admin", ADMIN_PASSWORD)
    importer.import_package(tree.province, package.build(tree.commune)[0].data)

    case = tree.commune.cases.get(old_case["id"], with_identity=True)
    case["identity"]["phone"] = "0987654321"
    case["consent"]["reporting"] = {"given": True, "on": "2025-03-10", "withdrawn_on": "2025-06-01"}
    saved = tree.commune.cases.save(case)
    assert (saved["origin"], saved["code"], saved["rev"]) == (tree.commune2.origin, old_case["code"], 2)
    assert old_case["id"] in tree.commune.cases.ids(CaseFilter(search="0987654"))
    # The withdrawal travels through the new commune: the province keeps no copy.
    result = importer.import_package(tree.province, package.build(tree.commune)[0].data)
    assert result.kept_aside == []
    assert tree.province.store.scalar("SELECT count(*) FROM cases WHERE id = ?", (old_case["id"],)) == 0

    # Records of a node that was not merged in stay its own: the province still cannot edit a commune's case.
    other = add_case(tree.commune)
    importer.import_package(tree.province, package.build(tree.commune)[0].data)
    with pytest.raises(PermissionDenied):
        tree.province.cases.delete(other["id"])


def test_a_merged_activity_and_register_record_are_the_new_commune_s_to_edit(tree):
    model = tree.commune2.registries.save_model({"kind": "trusted_address", "name": "Địa chỉ tin cậy thôn 2",
                                                 "established_on": "2022-03-08", "status": "active"})
    activity = tree.commune2.activities.save({
        "kind": "thematic_talk", "title": "Truyền thông", "starts_on": "2025-03-10", "ends_on": "2025-03-10",
        "target_groups": [], "participants": {"total": 30, "female": 20, "male": 10, "youth": 5}, "budget_vnd": 0})
    merge.merge(tree.commune, tree.commune2.node.data_dir, "admin", ADMIN_PASSWORD)
    edited = tree.commune.activities.save({**tree.commune.activities.get(activity["id"]), "budget_vnd": 100000})
    assert (edited["origin"], edited["rev"], edited["budget_vnd"]) == (tree.commune2.origin, 2, 100000)
    stored = tree.commune.store.query("SELECT * FROM models WHERE id = ?", (model["id"],))[0]
    tree.commune.registries.save_model({**stored, "status": "suspended"})
    assert tree.commune.store.query("SELECT origin, rev, status FROM models WHERE id = ?", (model["id"],))[0] == {
        "origin": tree.commune2.origin, "rev": 2, "status": "suspended"}


def test_a_merged_commune_s_follow_ups_are_due_at_the_new_commune(tree):
    """What is due is the work of the node that keeps the case: after the merge, the old commune's."""
    old_case = add_case(tree.commune2, follow_ups=[{"due_on": "2025-03-20", "status": "planned"}])
    assert [d["case_id"] for d in tree.commune2.cases.due()] == [old_case["id"]]
    merge.merge(tree.commune, tree.commune2.node.data_dir, "admin", ADMIN_PASSWORD)
    due = {d["case_id"]: d for d in tree.commune.cases.due()}
    assert old_case["id"] in due and due[old_case["id"]]["code"] == old_case["code"]


def test_a_merge_the_province_s_commune_map_does_not_list_is_done_and_said(tree, monkeypatch, tmp_path):
    """Issue 17.4: the map puts old commune TN02 into TN09, not into TN01; the merge goes ahead (the map is the
    province's to confirm) and says so; where the map agrees, nothing is said."""
    from app.reference import communes as commune_maps

    folder = tmp_path / "maps"
    folder.mkdir()
    monkeypatch.setattr(commune_maps, "maps_root", lambda: folder)
    (folder / "tinh.toml").write_text(
        'province = "tinh"\neffective = 2025-07-01\n'
        '[[merge]]\nnew_code = "TN09"\nnew_name_vi = "Xã Hợp Nhất"\nold = ["TN02"]\n'
        '[[merge]]\nnew_code = "TN01"\nnew_name_vi = "Xã Thử Nghiệm"\nold = ["TN01", "TN05"]\n', encoding="utf-8")
    done = merge.merge(tree.commune, tree.commune2.node.data_dir, "admin", ADMIN_PASSWORD)
    assert done["records"] is not None and done["warning"] is not None
    assert "Xã Hợp Nhất (mã TN09)" in done["warning"][0] and "TN01" in done["warning"][0]
    assert merge.map_warning("TN05", "TN01") is None  # the map agrees
    assert merge.map_warning("TN02", "ZZ99") is None  # this node is no new commune of the map
