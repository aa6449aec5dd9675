"""«Trùng với vụ việc» travels as an id, and only where the province needs it (issue 17.6 with issue 16): a case
another agency reported too names that agency's record, and the province, holding both, counts the case once. A
duplicate within the commune needs no link up the tree (its status keeps it out of every count)."""

from app import sync_allow
from app.targets import Period, countable_cases
from sync import importer, package
from tests.conftest import sample_case
from tests.sync.conftest import add_case
from tests.sync.test_strict_import import forging


def _outgoing(session, case_id):
    with session.store.lock:
        return sync_allow.outgoing(session.store.conn, "cases", case_id, k=1)


def _counted(session) -> set[str]:
    sql, params = countable_cases(session, Period.of(2025))
    return {r["id"] for r in session.store.query(sql, params)}


def test_the_link_leaves_only_with_a_case_reported_elsewhere(tree):
    session = tree.commune
    original = add_case(session)
    elsewhere = session.cases.save(sample_case(
        duplicate_of=original["id"],
        incident={"time_of_day": "evening_night", "location_type": "shared_home", "violence_type": "physical_assault",
                  "dv_acts": [], "reported_elsewhere": True}))
    repeated = session.cases.save(sample_case(status="duplicate", duplicate_of=original["id"], follow_ups=[]))
    assert _outgoing(session, elsewhere["id"])["duplicate_of"] == original["id"]
    assert _outgoing(session, repeated["id"])["duplicate_of"] is None
    assert _outgoing(session, original["id"])["duplicate_of"] is None


def test_the_province_counts_a_case_reported_by_two_agencies_once(tree, monkeypatch):
    agency = add_case(tree.commune)  # the other agency's record of the case, held at the province
    importer.import_package(tree.province, package.build(tree.commune)[0].data)
    ours = tree.commune2.cases.save(sample_case(
        incident={"time_of_day": "evening_night", "location_type": "shared_home", "violence_type": "physical_assault",
                  "dv_acts": [], "reported_elsewhere": True}))
    # The second commune names the record it knows of (the form picks it; here written into what leaves).
    forging(monkeypatch, "cases", lambda r: r.update(duplicate_of=agency["id"]))
    result = importer.import_package(tree.province, package.build(tree.commune2)[0].data)
    assert result.applied == 1 and result.kept_aside == []
    assert tree.province.store.scalar("SELECT duplicate_of FROM cases WHERE id = ?", (ours["id"],)) == agency["id"]
    assert _counted(tree.province) == {agency["id"]}
    assert _counted(tree.commune2) == {ours["id"]}  # in the commune's own figures it stays
