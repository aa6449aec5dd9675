"""Large packages split into signed parts; a district passes records (and withheld stubs) up."""

from sync import importer, package, receipt
from sync.transports import folder

from tests.sync.conftest import add_case


def test_large_change_set_is_split_into_parts_each_a_complete_package(tree, tmp_path):
    cases = [add_case(tree.commune) for _ in range(12)]
    built = package.build(tree.commune, part_limit=3_000)
    assert len(built) > 1
    assert [p.part for p in built] == list(range(1, len(built) + 1)) and {p.parts for p in built} == {len(built)}
    assert all(len(p.data) <= 3_000 for p in built)
    assert built[0].seq_from == 1 and built[-1].seq_to == tree.commune.store.scalar("SELECT max(seq) FROM outbox")
    assert all(a.seq_to + 1 == b.seq_from for a, b in zip(built, built[1:], strict=False))
    paths = folder.send_packages(tree.commune, built, tmp_path / "usb")
    assert len({p.name for p in paths}) == len(built)
    # Parts arriving in any order, one missing: the receipt confirms only up to the gap.
    results = [importer.import_package(tree.province, paths[i]) for i in (2, 0)]
    _, data = receipt.build(tree.province, tree.commune.origin, results)
    assert receipt.apply(tree.commune, data)["acknowledged_through"] == built[0].seq_to
    for path in paths[1:2] + paths[3:]:
        importer.import_package(tree.province, path)
    assert tree.province.store.scalar("SELECT count(*) FROM cases") == len(cases)
    _, data = receipt.build(tree.province, tree.commune.origin)
    assert receipt.apply(tree.commune, data)["acknowledged_through"] == built[-1].seq_to


def test_withheld_case_is_passed_up_by_the_district_and_removes_the_province_copy(district_tree):
    t = district_tree
    case = add_case(t.commune3)
    importer.import_package(t.district, package.build(t.commune3)[0].data)
    importer.import_package(t.province, package.build(t.district)[0].data)
    assert t.province.store.scalar("SELECT count(*) FROM cases") == 1
    withdrawn = t.commune3.cases.get(case["id"])
    withdrawn["consent"]["reporting"]["withdrawn_on"] = "2025-06-01"
    t.commune3.cases.save(withdrawn)
    importer.import_package(t.district, package.build(t.commune3)[0].data)
    result = importer.import_package(t.province, package.build(t.district)[0].data)
    assert result.applied == 1
    assert t.province.store.scalar("SELECT count(*) FROM cases") == 0
    assert t.district.store.scalar("SELECT count(*) FROM cases") == 0


def test_record_passed_through_a_district_is_byte_identical(district_tree):
    from app import sync_allow

    t = district_tree
    case = add_case(t.commune3)
    importer.import_package(t.district, package.build(t.commune3)[0].data)
    with t.commune3.store.lock, t.district.store.lock:
        assert sync_allow.outgoing(t.commune3.store.conn, "cases", case["id"]) == \
            sync_allow.outgoing(t.district.store.conn, "cases", case["id"])


def test_district_cannot_claim_a_commune_enrolled_directly_with_the_province(district_tree):
    t = district_tree
    case = add_case(t.district)
    t.district.store.execute("UPDATE cases SET origin = ? WHERE id = ?", (t.commune.origin, case["id"]))
    result = importer.import_package(t.province, package.build(t.district)[0].data)
    assert [k["reason"] for k in result.kept_aside] == ["foreign_origin"]
