"""Records the parent cannot place are kept aside and reported, never dropped."""

import json

from app.records import append_outbox, now_utc
from sync import importer, package, receipt

from tests.sync.conftest import add_case


def _give_unknown_code(session, case_id: str, code: str = "violence_from_next_year") -> None:
    """What a commune with newer reference data would send: a code this province does not know yet."""
    with session.store.transaction() as conn:
        rev = conn.execute("SELECT rev FROM cases WHERE id = ?", (case_id,)).fetchone()[0] + 1
        conn.execute("UPDATE cases SET violence_type = ?, rev = ? WHERE id = ?", (code, rev, case_id))
        append_outbox(conn, "cases", case_id, rev, now_utc())


def test_record_with_unknown_code_is_kept_aside_and_reported_in_the_receipt(tree):
    case = add_case(tree.commune)
    _give_unknown_code(tree.commune, case["id"])
    result = importer.import_package(tree.province, package.build(tree.commune)[0].data)
    assert result.applied == 0 and [k["reason"] for k in result.kept_aside] == ["unknown_code"]
    row = tree.province.store.query("SELECT * FROM kept_aside")[0]
    assert row["record_id"] == case["id"] and json.loads(row["record"])["violence_type"] == "violence_from_next_year"
    _, data = receipt.build(tree.province, tree.commune.origin, [result])
    shown = receipt.apply(tree.commune, data)
    assert shown["kept_aside"][0]["record_id"] == case["id"]
    assert shown["kept_aside"][0]["detail"][0] == {"reason": "unknown_code", "field": "violence_type",
                                                   "code": "violence_from_next_year"}


def test_kept_aside_record_is_resolved_by_a_newer_good_version(tree):
    case = add_case(tree.commune)
    _give_unknown_code(tree.commune, case["id"])
    importer.import_package(tree.province, package.build(tree.commune)[0].data)
    fixed = tree.commune.cases.get(case["id"])
    fixed["incident"]["violence_type"] = "physical_assault"
    tree.commune.cases.save(fixed)
    result = importer.import_package(tree.province, package.build(tree.commune)[0].data)
    assert result.applied == 1
    assert tree.province.store.scalar("SELECT count(*) FROM kept_aside WHERE resolved_at IS NULL") == 0


def test_kept_aside_records_apply_once_the_reference_knows_the_code(tree, monkeypatch):
    case = add_case(tree.commune)
    _give_unknown_code(tree.commune, case["id"], code="physical_assault_x")
    importer.import_package(tree.province, package.build(tree.commune)[0].data)
    tree.province.store.execute(
        "UPDATE kept_aside SET record = replace(record, 'physical_assault_x', 'physical_assault')")
    assert importer.retry_kept_aside(tree.province) == 1
    assert tree.province.cases.get(case["id"])["incident"]["violence_type"] == "physical_assault"


def test_records_of_a_newer_schema_are_kept_aside(tree, monkeypatch):
    add_case(tree.commune)
    monkeypatch.setattr(package, "SYNC_SCHEMA", 99)
    result = importer.import_package(tree.province, package.build(tree.commune)[0].data)
    assert [k["reason"] for k in result.kept_aside] == ["newer_schema"]
    assert tree.province.store.scalar("SELECT count(*) FROM cases") == 0


def test_a_commune_cannot_send_records_in_another_communes_name(tree):
    case = add_case(tree.commune2)
    tree.commune2.store.execute("UPDATE cases SET origin = ? WHERE id = ?", (tree.commune.origin, case["id"]))
    result = importer.import_package(tree.province, package.build(tree.commune2)[0].data)
    assert [k["reason"] for k in result.kept_aside] == ["foreign_origin"]
    assert tree.province.store.scalar("SELECT count(*) FROM cases") == 0


def test_a_case_code_already_held_by_another_record_is_kept_aside(tree):
    first = add_case(tree.commune)
    importer.import_package(tree.province, package.build(tree.commune)[0].data)
    clash = add_case(tree.commune2)
    tree.commune2.store.execute("UPDATE cases SET code = ? WHERE id = ?", (first["code"], clash["id"]))
    result = importer.import_package(tree.province, package.build(tree.commune2)[0].data)
    assert [k["reason"] for k in result.kept_aside] == ["code_conflict"]


def test_a_malformed_value_is_not_kept_even_aside(tree):
    from app import sync_allow
    from tests.conftest import CANARY_NAME

    case = add_case(tree.commune)
    with tree.commune.store.lock:
        record = sync_allow.outgoing(tree.commune.store.conn, "cases", case["id"])
    record["status"] = CANARY_NAME  # free text where a code belongs: a sender gone wrong
    with tree.province.store.transaction() as conn:
        result = importer.ImportResult("p", {"id": tree.commune.origin}, "", "applied", 1, 1)
        importer.apply_records(tree.province, conn, package_id="p", sender_id=tree.commune.origin,
                               schema_version=1, manifest={}, records=[("cases", record)], result=result)
    assert [k["reason"] for k in result.kept_aside] == ["malformed"]
    stored = tree.province.store.query("SELECT record, detail FROM kept_aside")[0]
    assert "Canary" not in stored["record"] and "Canary" not in stored["detail"]
