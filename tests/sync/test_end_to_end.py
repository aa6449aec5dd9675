from sync import enrol, importer, package, receipt
from sync.transports import folder

from tests.sync.conftest import add_case, dump


def _send(child, parent, tmp_path, **kw):
    built = package.build(child, **kw)
    out = folder.send_packages(child, built, tmp_path / "usb")
    results = [importer.import_package(parent, path) for path in out]
    return built, results


def test_commune_case_arrives_at_province_without_identity(tree, tmp_path):
    case = add_case(tree.commune)
    built, results = _send(tree.commune, tree.province, tmp_path)
    assert [r.verdict for r in results] == ["applied"]
    stored = tree.province.cases.get(case["id"])
    assert stored["origin"] == tree.commune.origin
    assert stored["code"] == case["code"]
    # The commune's only case of its year: k-anonymity (k = 3) sends its quarter, not its month, and neither
    # its age band nor its sex (nothing else could stand beside it); it still counts in the province's figures.
    assert stored["intake"]["reported_on"] == "2025-01"
    assert tree.province.store.scalar("SELECT reported_precision FROM cases WHERE id = ?", (case["id"],)) == "quarter"
    assert stored["survivor"]["age"] is None and stored["survivor"]["age_band"] == "unknown"
    assert stored["point_id"] is None and stored["intake"]["taken_by"] is None
    assert tree.province.store.scalar("SELECT count(*) FROM case_identities") == 0
    assert [r["provider_name"] for r in stored["referrals"]] == [None]


def test_receipt_moves_watermark_and_no_empty_package_follows(tree, tmp_path):
    add_case(tree.commune)
    built, results = _send(tree.commune, tree.province, tmp_path)
    name, data = receipt.build(tree.province, tree.commune.origin, results)
    shown = receipt.apply(tree.commune, data)
    high = tree.commune.store.scalar("SELECT max(seq) FROM outbox")
    assert shown["acknowledged_through"] == high
    assert package.acked_seq(tree.commune, tree.province.origin) == high
    row = tree.commune.store.query("SELECT * FROM sync_outgoing")[0]
    assert row["built_at"] and row["sent_at"] and row["received_at"] and row["confirmed_at"]
    assert package.build(tree.commune) == []  # nothing left to confirm: no package at all


def test_lost_package_is_resent_in_the_next_one(tree, tmp_path):
    first = add_case(tree.commune)
    package.build(tree.commune)  # the USB stick with this one is lost
    second = add_case(tree.commune, status="open")
    built, results = _send(tree.commune, tree.province, tmp_path)
    assert results[0].applied == 2
    assert tree.province.cases.get(first["id"]) and tree.province.cases.get(second["id"])


def test_replayed_package_changes_nothing(tree, tmp_path):
    add_case(tree.commune)
    built = package.build(tree.commune)
    importer.import_package(tree.province, built[0].data)
    before = dump(tree.province)
    again = importer.import_package(tree.province, built[0].data)
    assert again.verdict == "replayed"
    assert dump(tree.province) == before


def test_out_of_order_packages_converge(tree, tmp_path):
    case = add_case(tree.commune)
    old = package.build(tree.commune)[0]
    changed = dict(tree.commune.cases.get(case["id"]), status="closed",
                   closure={"items": ["needs_met"], "closed_on": "2025-04-01"})
    tree.commune.cases.save(changed)
    new = package.build(tree.commune)[0]
    importer.import_package(tree.province, new.data)
    importer.import_package(tree.province, old.data)
    assert tree.province.cases.get(case["id"])["status"] == "closed"
    assert tree.province.cases.get(case["id"])["rev"] == 2


def test_district_passes_commune_records_to_province(district_tree, tmp_path):
    t = district_tree
    case = add_case(t.commune3)
    _, results = _send(t.commune3, t.district, tmp_path / "a")
    assert results[0].applied == 1
    _, up = _send(t.district, t.province, tmp_path / "b")
    assert up[0].applied == 1
    at_province = t.province.cases.get(case["id"])
    assert at_province["origin"] == t.commune3.origin
    below = {p["code"]: p for p in enrol.children(t.province)}
    assert below["TN03"]["relation"] == "descendant" and below["TN03"]["via"] == t.district.origin


def test_a_reinstalled_province_restores_its_keys_and_keeps_receiving(tree, tmp_path):
    from sync import keys as node_keys

    add_case(tree.commune)
    backup = node_keys.export_backup(tree.province, tmp_path / "tb.keys.binhan", "cất ở tủ sắt phòng văn thư")
    # The province PC dies; a new installation (a new node id) restores the key backup.
    reinstalled = tree.node("TB-new", kind="province", name="Tỉnh Thái Bình", parent=None)
    summary = node_keys.import_backup(reinstalled, backup, "cất ở tủ sắt phòng văn thư")
    assert summary["adopted"]
    result = importer.import_package(reinstalled, package.build(tree.commune)[0].data)
    assert result.applied == 1
    _, data = receipt.build(reinstalled, tree.commune.origin, [result])
    assert receipt.apply(tree.commune, data)["acknowledged_through"] > 0


def test_package_status_moves_built_sent_received_confirmed(tree, tmp_path):
    from sync import status

    case = add_case(tree.commune)
    assert status.record_state(tree.commune, "cases", case["id"]) == "unsent"
    built = package.build(tree.commune)
    assert status.record_state(tree.commune, "cases", case["id"]) == "built"
    folder.send_packages(tree.commune, built, tmp_path / "usb")
    assert status.record_state(tree.commune, "cases", case["id"]) == "sent"
    assert status.summary(tree.commune)["records_awaiting_receipt"] == 1
    result = importer.import_package(tree.province, built[0].data)
    _, data = receipt.build(tree.province, tree.commune.origin, [result])
    receipt.apply(tree.commune, data)
    assert status.record_state(tree.commune, "cases", case["id"]) == "confirmed"
    assert [p["state"] for p in status.outgoing(tree.commune)] == ["confirmed"]
    assert status.record_state(tree.commune, "providers", "x") == "local"
    row = {r["code"]: r for r in status.registry(tree.province)}["TN01"]
    assert row["packages"] == 1 and row["last_receipt_at"] and row["fingerprint"]
    assert status.inbox(tree.province)[0]["from_code"] == "TN01"
