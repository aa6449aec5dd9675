"""The child's audit-chain head travels in every package; the parent keeps it as a witness and flags a child
whose head went backwards (fewer entries, or as many with another hash): a cut log or a rolled-back file."""

from app.audit import head
from sync import importer, package, receipt
from tests.sync.conftest import add_case


def send(tree):
    results = [importer.import_package(tree.province, p.data) for p in package.build(tree.commune)]
    _, data = receipt.build(tree.province, tree.commune.origin, results)
    return receipt.apply(tree.commune, data), data


def witnessed(tree):
    return tree.province.store.query("SELECT * FROM sync_witness WHERE node_id = ?", (tree.commune.origin,))[0]


def test_the_head_travels_and_the_province_keeps_the_furthest(tree):
    add_case(tree.commune)
    with tree.commune.store.lock:
        seq, digest = head(tree.commune.store.conn)
    send(tree)
    row = witnessed(tree)
    assert (row["audit_seq"], row["audit_hash"]) == (seq, digest) and row["problem"] is None
    add_case(tree.commune)
    send(tree)
    assert witnessed(tree)["audit_seq"] > seq and importer.witness_problems(tree.province) == []


def test_a_restored_commune_s_head_going_back_is_flagged(tree):
    add_case(tree.commune)
    send(tree)
    morning = tree.commune.backups.create()
    for _ in range(5):
        add_case(tree.commune)
    send(tree)
    ahead = witnessed(tree)["audit_seq"]
    tree.commune.backups.restore(morning)
    add_case(tree.commune)
    send(tree)
    found = importer.witness_problems(tree.province)
    assert [(f["code"], f["had"]["seq"]) for f in found] == [("TN01", ahead)] and found[0]["now"]["seq"] < ahead
    _, data = receipt.build(tree.province, tree.commune.origin)
    assert receipt.verify(tree.commune, data)["audit_witness"]["went_back"]["had"]["seq"] == ahead


def test_as_many_entries_with_another_hash_is_flagged_and_a_late_old_package_is_not(tree):
    add_case(tree.commune)
    early = package.build(tree.commune)[0].data
    add_case(tree.commune)
    late = package.build(tree.commune)[0].data
    importer.import_package(tree.province, late)
    importer.import_package(tree.province, early)  # built before: says nothing about now
    assert importer.witness_problems(tree.province) == []
    row = witnessed(tree)
    with tree.province.store.transaction() as conn:
        importer._witness(conn, tree.commune.origin, {"package_id": "forged", "created": "2999-01-01T00:00:00"},
                          {"seq": row["audit_seq"], "hash": "f" * 64})
    assert [f["now"]["hash"] for f in importer.witness_problems(tree.province)] == ["f" * 64]


def test_the_province_page_names_the_commune(qtbot, tree, monkeypatch):
    from sync.transports import folder as folder_transport
    from ui.sync.page import SyncPage

    monkeypatch.setattr(folder_transport, "removable_drives", lambda: [])
    add_case(tree.commune)
    send(tree)
    with tree.province.store.transaction() as conn:
        importer._witness(conn, tree.commune.origin, {"package_id": "x", "created": "2999-01-01T00:00:00"},
                          {"seq": 1, "hash": "e" * 64})
    page = SyncPage(tree.province)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.snapshot is not None)
    assert "Nhật ký kiểm tra của Xã Thử Nghiệm (TN01) đi lùi" in page.downstream.trust_label.text()
