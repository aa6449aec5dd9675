"""Old communes merged into one bring their nodes' data into the new commune's node (`binhan node merge FOLDER`):
same ids, owners and codes, so earlier years are still reported per old unit; the province takes the old node's
records through the new one on the old node's own signed statement, and the old computer speaks no more."""

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
