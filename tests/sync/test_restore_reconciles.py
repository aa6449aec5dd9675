"""After a restore at a commune, the province's next receipt tells it what it holds, the commune lifts its
revisions above that and resends, and both sides hold the same records again."""

from app import sync_allow
from sync import down, importer, package, receipt
from tests.sync.conftest import add_case


def violence(session, case_id, kind):
    case = session.cases.get(case_id)
    case["incident"]["violence_type"] = kind
    return session.cases.save(case)


def exchange(tree):
    """Every package of the commune to the province, and the province's receipt back."""
    results = [importer.import_package(tree.province, p.data) for p in package.build(tree.commune)]
    _, data = receipt.build(tree.province, tree.commune.origin, results)
    return results, receipt.apply(tree.commune, data)


def allowed(session, case_id):
    with session.store.lock:
        return sync_allow.outgoing(session.store.conn, "cases", case_id)


def test_the_morning_backup_and_the_afternoon_edits_converge(tree):
    x, y = add_case(tree.commune), add_case(tree.commune)
    exchange(tree)
    morning = tree.commune.backups.create()

    # Afternoon: both cases edited and sent; the province holds the afternoon versions.
    violence(tree.commune, x["id"], "psychological_abuse")
    violence(tree.commune, y["id"], "denial_of_resources")
    exchange(tree)
    afternoon_rev = tree.province.cases.get(x["id"])["rev"]

    # The computer fails; the morning backup is restored, and x is edited again, differently, reusing the
    # revision number the province already holds.
    tree.commune.backups.restore(morning)
    again = violence(tree.commune, x["id"], "sexual_assault")
    assert again["rev"] == afternoon_rev
    results, shown = exchange(tree)
    # Same revision, other content: the province either takes it (by the content's hash, the total order) or
    # keeps its own and says which revision it holds; never silently different.
    stale = [k["reason"] for k in results[0].kept_aside]
    assert (results[0].applied, stale) in ((1, []), (0, ["stale_revision"]))
    # The receipt is taken (not refused), and the commune sees that it went back in time.
    assert shown["rolled_back"] and shown["revisions_lifted"] == len(stale)
    assert shown["kept_aside"] == []  # nothing for the officer to mend: it is the machine's own catching up

    # The next exchanges carry everything again; the province answers what it holds, the commune lifts.
    for _ in range(3):
        exchange(tree)
    for case in (x, y):
        assert allowed(tree.commune, case["id"]) == allowed(tree.province, case["id"])
    assert tree.province.cases.get(x["id"])["incident"]["violence_type"] == "sexual_assault"
    # y went back to its morning state at the commune: the commune's word is final, the province follows.
    assert tree.province.cases.get(y["id"])["incident"]["violence_type"] == "physical_assault"
    assert tree.province.store.scalar("SELECT count(*) FROM kept_aside WHERE resolved_at IS NULL") == 0
    assert not receipt.reconciling(tree.commune)

    # And ordinary life goes on: a new edit travels and its receipt is taken.
    violence(tree.commune, y["id"], "psychological_abuse")
    results, shown = exchange(tree)
    assert results[0].applied == 1 and not shown["rolled_back"]
    assert allowed(tree.commune, y["id"]) == allowed(tree.province, y["id"])


def test_a_down_package_brings_the_same_news(tree):
    x = add_case(tree.commune)
    exchange(tree)
    morning = tree.commune.backups.create()
    violence(tree.commune, x["id"], "psychological_abuse")
    for p in package.build(tree.commune):
        importer.import_package(tree.province, p.data)
    tree.commune.backups.restore(morning)
    result = down.apply(tree.commune, down.build(tree.province, tree.commune.origin).data)
    assert result.receipt is not None and result.receipt["rolled_back"]
    assert receipt.reconciling(tree.commune)
    for _ in range(3):
        exchange(tree)
    assert allowed(tree.commune, x["id"]) == allowed(tree.province, x["id"])


def test_an_ordinary_late_package_is_not_taken_for_a_restore(tree):
    x = add_case(tree.commune)
    first = package.build(tree.commune)[0].data
    violence(tree.commune, x["id"], "psychological_abuse")
    second = package.build(tree.commune)[0].data
    importer.import_package(tree.province, second)
    late = importer.import_package(tree.province, first)  # the older copy arrives last: it just changes nothing
    assert late.kept_aside == [] and late.unchanged == 1
    _, data = receipt.build(tree.province, tree.commune.origin)
    assert not receipt.apply(tree.commune, data)["rolled_back"]


def test_the_same_revision_with_other_content_is_answered_with_the_revision_held(tree):
    import hashlib

    from sync.codec import canonical_record

    x = add_case(tree.commune)
    exchange(tree)
    held = allowed(tree.province, x["id"])
    digest = hashlib.sha256(canonical_record(held)).hexdigest()
    # The same revision with other content whose hash sorts lower: by the total order alone it would lose.
    candidates = ({**held, "violence_type": kind, "location_type": where}
                  for kind in ("rape", "sexual_assault", "forced_marriage", "denial_of_resources", "psychological_abuse")
                  for where in ("survivor_home", "perpetrator_home", "shared_home", "school", "road", None))
    other = next(c for c in candidates if hashlib.sha256(canonical_record(c)).hexdigest() < digest)
    with tree.province.store.transaction() as conn:
        result = importer.ImportResult("p2", {"id": tree.commune.origin}, "", "applied", 1, 1)
        importer.apply_records(tree.province, conn, package_id="p2", sender_id=tree.commune.origin,
                               schema_version=1, manifest={}, records=[("cases", other)], result=result)
    assert [(k["reason"], k["detail"]) for k in result.kept_aside] == [("stale_revision", {"held_rev": held["rev"]})]
    _, data = receipt.build(tree.province, tree.commune.origin)
    shown = receipt.apply(tree.commune, data)
    assert shown["revisions_lifted"] == 1 and tree.commune.cases.get(x["id"])["rev"] == held["rev"] + 1


def test_a_case_numbered_again_after_a_restore_takes_a_code_above_the_province_s(tree):
    """A backup from before three cases; after the restore the next case is numbered 00001 again, a code the
    province holds for another case. The receipt says so, with the highest code held there; the commune gives
    its case the next free code above them all (audited, said to the officer) and it arrives."""
    early = tree.commune.backups.create()
    sent = [add_case(tree.commune) for _ in range(3)]
    exchange(tree)
    tree.commune.backups.restore(early)

    fresh = add_case(tree.commune)
    assert fresh["code"] == sent[0]["code"]  # the restored counter starts again from below
    results, shown = exchange(tree)
    assert [k["reason"] for r in results for k in r.kept_aside] == ["code_conflict"]
    prefix = sent[0]["code"].rsplit("-", 1)[0]
    assert shown["codes_changed"] == [{"record_id": fresh["id"], "from": sent[0]["code"], "to": f"{prefix}-00004"}]
    assert shown["kept_aside"] == []
    assert tree.commune.store.scalar("SELECT count(*) FROM audit_log WHERE action = 'case.recoded'") == 1

    for _ in range(2):
        exchange(tree)
    assert tree.province.cases.get(fresh["id"])["code"] == f"{prefix}-00004"
    assert allowed(tree.commune, fresh["id"]) == allowed(tree.province, fresh["id"])
    assert [tree.province.cases.get(c["id"])["code"] for c in sent] == [c["code"] for c in sent]
    assert tree.province.store.scalar("SELECT count(*) FROM kept_aside WHERE resolved_at IS NULL") == 0
    assert add_case(tree.commune)["code"] == f"{prefix}-00005"


def test_a_receipt_cannot_recode_a_case_that_is_not_the_commune_s_own_numbering(tree):
    case = add_case(tree.commune)
    with tree.commune.store.transaction() as conn:
        assert tree.commune.cases.take_code_above(conn, case["id"], "OTHER-2025-00001") is None
        assert tree.commune.cases.take_code_above(conn, "no-such-id", case["code"]) is None
    assert tree.commune.cases.get(case["id"])["code"] == case["code"]
