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
    assert stored["intake"]["reported_on"] == "2025-03"
    assert stored["survivor"]["age"] is None and stored["survivor"]["age_band"] == case["survivor"]["age_band"]
    assert stored["point_id"] is None and stored["intake"]["taken_by"] is None
    assert tree.province.store.scalar("SELECT count(*) FROM case_identities") == 0
    assert [r["provider_name"] for r in stored["referrals"]] == [None]


def test_receipt_moves_watermark_and_next_package_is_empty(tree, tmp_path):
    add_case(tree.commune)
    built, results = _send(tree.commune, tree.province, tmp_path)
    name, data = receipt.build(tree.province, tree.commune.origin, results)
    shown = receipt.apply(tree.commune, data)
    high = tree.commune.store.scalar("SELECT max(seq) FROM outbox")
    assert shown["acknowledged_through"] == high
    assert package.acked_seq(tree.commune, tree.province.origin) == high
    row = tree.commune.store.query("SELECT * FROM sync_outgoing")[0]
    assert row["built_at"] and row["sent_at"] and row["received_at"] and row["confirmed_at"]
    again = package.build(tree.commune)
    assert [p.records for p in again] == [0]


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
