"""The schema step for trust in the tree: a committed schema-1 file and a tree enrolled before the step both
upgrade, and the tree goes on syncing (vouching, witness, quarantine) after it."""

import shutil
from pathlib import Path

from app.node import Node
from app.store import migrations
from sync import importer, package, receipt
from tests.conftest import ADMIN_PASSWORD
from tests.sync.conftest import Tree, add_case

DATA = Path(__file__).resolve().parents[1] / "data"
STEP = migrations.STEPS.index(migrations._step_trust) + 1


def test_the_committed_schema_1_file_gains_the_trust_tables(tmp_path):
    shutil.copytree(DATA / "schema_v1", tmp_path / "v1")
    session = Node.open(tmp_path / "v1").login("admin", "schema-v1")
    try:
        assert session.store.user_version == migrations.CURRENT_VERSION
        columns = {r["name"] for r in session.store.query("PRAGMA table_info(sync_peers)")}
        assert "voucher" in columns
        assert session.store.scalar("SELECT count(*) FROM sync_quarantine") == 0
        assert session.store.scalar("SELECT count(*) FROM sync_witness") == 0
    finally:
        session.close()


def test_a_tree_enrolled_before_the_step_syncs_after_it(tmp_path, monkeypatch):
    monkeypatch.setattr(migrations, "STEPS", migrations.STEPS[:STEP - 1])
    monkeypatch.setattr(migrations, "CURRENT_VERSION", STEP - 1)
    tree = Tree(tmp_path)
    province = tree.node("TB", kind="province", name="Tỉnh", parent=None)
    district = tree.node("D01", kind="district", name="Huyện", parent="TB")
    commune = tree.node("TN03", kind="commune", name="Xã", parent="D01")
    tree.enrol(province, district)
    tree.enrol(district, commune)
    assert province.store.user_version == STEP - 1
    tree.close()
    monkeypatch.undo()

    opened = {code: Node.open(tmp_path / code).login("admin", ADMIN_PASSWORD) for code in ("TB", "D01", "TN03")}
    try:
        assert opened["TB"].store.user_version == migrations.CURRENT_VERSION
        case = add_case(opened["TN03"])
        results = [importer.import_package(opened["D01"], p.data) for p in package.build(opened["TN03"])]
        up = importer.import_package(opened["TB"], package.build(opened["D01"])[0].data)
        assert up.applied == 1 and up.kept_aside == []
        assert opened["TB"].store.scalar("SELECT origin FROM cases WHERE id = ?", (case["id"],)) == \
            opened["TN03"].origin
        _, data = receipt.build(opened["D01"], opened["TN03"].origin, results)
        assert receipt.apply(opened["TN03"], data)["acknowledged_through"] >= 1
        assert opened["TB"].store.scalar("SELECT count(*) FROM sync_witness") == 1
    finally:
        for session in opened.values():
            session.close()
