"""Strict import: what a commune could not have saved at home is kept aside at the parent, with its reason, and
the receipt tells the commune. Packages built with the project's own modules by an enrolled commune gone wrong
(or hostile): impossible dates, unknown schema versions, absurd and contradictory counts, a decompression bomb."""

import json
import tracemalloc
import zlib

import orjson
import pytest

from app import sync_allow
from sync import importer, package, receipt
from sync import keys as node_keys
from sync.errors import PackageContentInvalid
from tests.sync.conftest import add_case, as_older_sender


def forging(monkeypatch, table, change):
    """The commune's next package carries its `table` records with `change(record)` applied."""
    original = package.outgoing_json_many

    def outgoing(conn, name, ids, **options):
        found = original(conn, name, ids, **options)
        if name != table:
            return found
        out = {}
        for record_id, text in found.items():
            record = orjson.loads(text)
            change(record)
            out[record_id] = orjson.dumps(record).decode("utf-8")
        return out
    monkeypatch.setattr(package, "outgoing_json_many", outgoing)


def add_activity(session, **overrides):
    activity = {"kind": "thematic_talk", "title": "Truyền thông", "starts_on": "2025-03-10",
                "ends_on": "2025-03-10", "target_groups": [],
                "participants": {"total": 30, "female": 20, "male": 10, "youth": 5}, "budget_vnd": 0}
    activity.update(overrides)
    return session.activities.save(activity)


def imported(tree):
    return importer.import_package(tree.province, package.build(tree.commune)[0].data)


def reasons(result):
    return sorted(k["reason"] for k in result.kept_aside)


@pytest.mark.parametrize("change, field", [
    (lambda r: r.update(starts_on="2026-02-31"), "starts_on"),
    (lambda r: r.update(ends_on="2025-04-31"), "ends_on"),
    (lambda r: r.update(starts_on="0001-01-01"), "starts_on"),
    (lambda r: r.update(ends_on="2025-03-01"), "ends_on"),  # before it started
    (lambda r: r.update(participants_total=10**15, participants_female=10**15 - 1), "participants_total"),
    (lambda r: r.update(participants_female=25), "participants_total"),  # 25 women + 10 men of 30 people
    (lambda r: r.update(participants_youth=31), "participants_youth"),
    (lambda r: r.update(budget_vnd=10**15), "budget_vnd"),
    (lambda r: r.update(target_groups=["schools"] * 10_000), "target_groups"),
])
def test_an_activity_a_commune_could_not_save_is_kept_aside_never_applied(tree, monkeypatch, change, field):
    add_activity(tree.commune)
    forging(monkeypatch, "activities", change)
    result = imported(tree)
    assert result.applied == 0 and len(result.kept_aside) == 1
    assert result.kept_aside[0]["reason"] in ("malformed", "invalid")
    assert any(p["field"].startswith(field) for p in result.kept_aside[0]["detail"])
    assert tree.province.store.scalar("SELECT count(*) FROM activities") == 0


@pytest.mark.parametrize("change, field", [
    (lambda r: r.update(reported_on="2025-13"), "reported_on"),
    (lambda r: r.update(reported_on="2099-01"), "reported_on"),  # in the future
    (lambda r: r.update(perpetrator_count=10**15), "perpetrator_count"),
    (lambda r: r.update(perpetrator_count=7), "perpetrator_count"),  # one perpetrator row of one
    (lambda r: r.update(duplicate_of=r["id"]), "duplicate_of"),
    (lambda r: r.update(perpetrators=[{"sex": "male", "relationship": "husband", "count": 1}] * 500),
     "perpetrators"),
    (lambda r: r["referrals"][0].update(consent=False), "referrals"),  # a referral row that says: no consent
    (lambda r: r["consents"][0].update(withdrawn_on="2099-01"), "consents"),
])
def test_a_case_a_commune_could_not_save_is_kept_aside_never_applied(tree, monkeypatch, change, field):
    add_case(tree.commune)
    forging(monkeypatch, "cases", change)
    result = imported(tree)
    assert result.applied == 0 and len(result.kept_aside) == 1
    assert any(p["field"].startswith(field) for p in result.kept_aside[0]["detail"]), result.kept_aside
    assert tree.province.store.scalar("SELECT count(*) FROM cases") == 0


@pytest.mark.parametrize("change, field", [
    (lambda r: r.update(incident_on="2025-04"), "incident_on"),  # after it was reported (2025-03)
    (lambda r: r.update(status="closed"), "closed_on"),  # closed, no closing date
    (lambda r: r.update(survivor_sex="male", pregnant=True), "pregnant"),
    (lambda r: r.update(ctx_early_marriage=True), "ctx_early_marriage"),
    (lambda r: r.update(dv_acts=["no_such_act"]), "dv_acts"),
    (lambda r: r["referrals"][0].update(referred_on="2099-01"), "referrals"),
    (lambda r: r.pop("safety_plan"), "safety_plan"),  # an older sender always sent it
    (lambda r: r["referrals"][0].pop("consent"), "referrals[0].consent"),
])
def test_an_older_senders_case_is_still_checked_whole(tree, monkeypatch, change, field):
    """A case in an older version's shape (the fields that stay home now, sent as before) passes the local save's
    rules on all of them: the retired fields are accepted, never taken on trust."""
    add_case(tree.commune)

    def older(record):
        snapshot = as_older_sender(tree.commune, record)
        record.clear()
        record.update(snapshot)
        change(record)
    forging(monkeypatch, "cases", older)
    result = imported(tree)
    assert result.applied == 0 and len(result.kept_aside) == 1
    assert any(p["field"].startswith(field) for p in result.kept_aside[0]["detail"]), result.kept_aside
    assert tree.province.store.scalar("SELECT count(*) FROM cases") == 0


def test_an_older_senders_case_is_accepted_and_keeps_what_it_carried(tree, monkeypatch):
    case = add_case(tree.commune, closure={"items": ["needs_met"], "closed_on": "2025-04-02"}, status="closed",
                    incident={"time_of_day": "evening_night", "location_type": "shared_home",
                              "violence_type": "physical_assault", "dv_acts": ["physical_abuse_threat"],
                              "reported_elsewhere": False})

    def older(record):
        snapshot = as_older_sender(tree.commune, record)
        record.clear()
        record.update(snapshot)
    forging(monkeypatch, "cases", older)
    result = imported(tree)
    assert result.applied == 1 and result.kept_aside == []
    (row,) = tree.province.store.query("SELECT * FROM cases WHERE id = ?", (case["id"],))
    assert (row["incident_on"], row["closed_on"], row["ethnicity"], row["disclosure_channel"]) == (
        "2025-03", "2025-04", "kinh", "self")
    assert tree.province.store.scalar("SELECT act FROM case_dv_acts WHERE case_id = ?", (case["id"],)) == "physical_abuse_threat"


def test_a_newer_senders_closed_case_is_accepted_without_its_closure(tree):
    """What stays home is not asked for: a closed case travels without its closing date and checklist."""
    case = add_case(tree.commune, closure={"items": ["needs_met"], "closed_on": "2025-04-02"}, status="closed")
    result = imported(tree)
    assert result.applied == 1 and result.kept_aside == []
    (row,) = tree.province.store.query("SELECT status, closed_on, closure_items FROM cases WHERE id = ?",
                                       (case["id"],))
    assert (row["status"], row["closed_on"], row["closure_items"]) == ("closed", None, "[]")


def test_a_case_with_only_some_retired_fields_is_neither_shape_and_kept_aside(tree, monkeypatch):
    add_case(tree.commune)
    forging(monkeypatch, "cases", lambda r: r.update(incident_on="2025-03"))
    result = imported(tree)
    assert result.applied == 0 and len(result.kept_aside) == 1
    assert {p["field"] for p in result.kept_aside[0]["detail"]} >= set(sync_allow.CASE_RETIRED_REQUIRED)


def test_the_untouched_records_still_apply(tree):
    add_case(tree.commune)
    add_activity(tree.commune)
    result = imported(tree)
    assert result.applied == 2 and result.kept_aside == []


@pytest.mark.parametrize("version", [0, -7])
def test_an_unknown_schema_version_keeps_every_record_aside(tree, monkeypatch, version):
    add_case(tree.commune)
    monkeypatch.setattr(package, "SYNC_SCHEMA", version)
    result = imported(tree)
    assert reasons(result) == ["unknown_schema"]
    assert tree.province.store.scalar("SELECT count(*) FROM cases") == 0


def test_a_manifest_counting_ten_to_the_fifteen_records_is_refused_whole(tree, monkeypatch):
    add_case(tree.commune)
    original = package.encode_payload

    def encode(manifest, lines):
        payload = original(manifest, lines)
        head, _, rest = payload.partition(b"\n")
        manifest = json.loads(head)
        manifest["records"] = 10**15
        manifest["counts"] = {"cases": 10**15}
        return json.dumps(manifest, sort_keys=True).encode() + b"\n" + rest
    monkeypatch.setattr(package, "encode_payload", encode)
    with pytest.raises(PackageContentInvalid):
        imported(tree)
    assert tree.province.store.scalar("SELECT count(*) FROM sync_inbox") == 0


def resealed(tree, payload: bytes) -> bytes:
    """A package from the commune, properly signed and addressed, whose compressed payload is `payload`."""
    add_case(tree.commune)
    built = package.build(tree.commune)[0]
    header = {k: v for k, v in built.header.items() if k not in ("body_length", "chunk_size")}
    signer = node_keys.current(tree.commune, node_keys.SIGNING)
    province_key = tree.commune.store.query("SELECT public_key FROM sync_peer_keys WHERE node_id = ? AND purpose = ?"
                                            " AND retired_at IS NULL", (tree.province.origin, node_keys.ENCRYPTION))
    return package.seal(header, payload, signer.private, province_key[0]["public_key"])


def test_a_decompression_bomb_is_refused_without_reading_it_whole(tree):
    inflater = zlib.compressobj(9)
    bomb = b"".join(inflater.compress(b"\0" * (1024 * 1024)) for _ in range(300)) + inflater.flush()
    assert len(bomb) < 400 * 1024  # ~300 KB on the wire, 300 MB once inflated
    data = resealed(tree, bomb)
    tracemalloc.start()
    try:
        with pytest.raises(PackageContentInvalid):
            importer.import_package(tree.province, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 256 * 1024 * 1024
    assert peak < 2 * package.MAX_PAYLOAD + 16 * 1024 * 1024
    assert tree.province.store.scalar("SELECT count(*) FROM sync_inbox") == 0


def test_too_many_record_lines_are_refused_before_they_are_read(tree, monkeypatch):
    monkeypatch.setattr(package, "MAX_RECORDS", 10)
    lines = [b'{"record":{},"table":"cases"}'] * 11
    manifest = {"counts": {"cases": 11}}
    data = resealed(tree, zlib.compress(package.encode_payload(manifest, lines)))
    with pytest.raises(PackageContentInvalid):
        importer.import_package(tree.province, data)


def test_the_receipt_tells_the_commune_what_was_kept_aside_and_why(tree, monkeypatch):
    add_activity(tree.commune)
    forging(monkeypatch, "activities", lambda r: r.update(starts_on="2026-02-31"))
    result = imported(tree)
    _, data = receipt.build(tree.province, tree.commune.origin, [result])
    shown = receipt.apply(tree.commune, data)
    assert [k["reason"] for k in shown["kept_aside"]] == ["malformed"]
    assert shown["kept_aside"][0]["detail"][0]["field"] == "starts_on"


def test_the_fast_check_and_the_careful_check_agree_on_impossible_dates():
    from app.reference import load_reference

    reference = load_reference()
    for value in ("2026-02-31", "2025-04-31", "2024-02-30", "0999-01-01"):
        assert not sync_allow._real(sync_allow._DATE, value)
    assert sync_allow._real(sync_allow._DATE, "2024-02-29")
    assert reference is not None


def test_a_payload_of_countless_tiny_lists_is_refused_before_it_is_read(tree, monkeypatch):
    monkeypatch.setattr(package, "MAX_CONTAINERS", 1000)
    lines = [b'{"record":{"a":[' + b",".join([b"[]"] * 100) + b']},"table":"cases"}'] * 11
    data = resealed(tree, zlib.compress(package.encode_payload({"counts": {"cases": 11}}, lines)))
    with pytest.raises(PackageContentInvalid):
        importer.import_package(tree.province, data)


def test_the_quick_rule_check_never_accepts_what_the_local_validator_refuses(tree):
    """`_case_values_hold` is the fast way of `_case_values` (the local save's validator over the travelling
    fields): over many altered records it may refuse more, never less."""
    import datetime
    import itertools

    ref = tree.province.reference
    today = datetime.date(2025, 6, 15)
    bases = []
    for overrides in ({}, {"status": "closed", "closure": {"items": ["needs_met"], "closed_on": "2025-04-01"}},
                      {"perpetrators": []}, {"follow_ups": [{"due_on": "2025-05-10", "status": "done",
                                                             "done_on": "2025-05-10", "outcome": "progress"}]}):
        case = add_case(tree.commune, **overrides)
        with tree.commune.store.lock:
            newer = sync_allow.outgoing(tree.commune.store.conn, "cases", case["id"])
        # Both shapes: as this version sends it, and as an older one did (every retired field).
        bases += [newer, as_older_sender(tree.commune, newer)]
    months = [None, "2024-12", "2025-02", "2025-03", "2025-04", "2025-06", "2025-07", "2026-01"]
    changes = [("reported_on", m) for m in months[1:]] + [("incident_on", m) for m in months] + \
        [("closed_on", m) for m in months] + [("next_follow_up", m) for m in months] + \
        [("status", s) for s in ("open", "closed", "duplicate", "referred")] + \
        [("perpetrator_count", n) for n in (0, 1, 2, 3)] + \
        [(k, v) for k in ("ctx_intimate_partner", "ctx_child_sexual_abuse", "ctx_early_marriage", "pregnant")
         for v in (True, False)] + [("survivor_sex", "male"), ("survivor_age_band", "age_12_17"),
                                     ("violence_type", "rape"), ("violence_type", "forced_marriage"),
                                     ("closure_items", []), ("disclosure_channel", None),
                                     ("duplicate_of", "01935f2e-0000-7000-8000-000000000000")]
    rows = [("consents", [{"scope": "reporting", "given": g, "given_on": o, "withdrawn_on": w}])
            for g, o, w in itertools.product((True, False), (None, "2025-03", "2025-05"),
                                             (None, "2025-02", "2025-04", "2025-07"))]
    rows += [("perpetrators", [{"sex": "male", "age_group": None, "relationship": r, "count": c}])
             for r, c in itertools.product(("intimate_partner", "family_other", None), (0, 1, 2, 51))]
    rows += [("follow_ups", [{"due": d, "status": st}]) for d, st in itertools.product(("2025-04", "2025-09"),
                                                                                        ("planned", "done"))]
    rows += [("referrals", [{"service": "health_care", "referred_on": d, "consent": c, "outcome": None}])
             for d, c in itertools.product((None, "2025-03", "2025-08"), (True, False))]
    rows += [("services", [{"service": "health_care", "status": "provided", "on": "2025-03"}] * n) for n in (1, 2)]
    rows += [("referrals", [{"service": s, "outcome": o, **extra}])  # a newer sender's rows, and one that says more
             for s, o, extra in itertools.product(("health_care", None), ("received", None),
                                                  ({}, {"consent": False}, {"referred_on": "2025-08"}))]
    checked, older = 0, 0
    for base in bases:
        for (k1, v1), (k2, v2) in itertools.product(changes + rows, [(None, None)] + changes[:12]):
            record = {**base, k1: v1} if k2 is None else {**base, k1: v1, k2: v2}
            if any(p.reason != "invalid" for p in sync_allow.check_carefully("cases", record, ref)):
                continue  # not of the right shape: never reaches the value rules
            quick = sync_allow._case_values_hold(record, ref, today)
            careful = sync_allow._case_values(record, ref, today)
            assert not (quick and careful), (k1, v1, k2, v2, careful)
            checked += 1
            older += sync_allow.older_sender(record)
    assert checked > 1000 and older > 500


def test_the_quick_activity_check_never_accepts_what_the_local_validator_refuses(tree):
    import datetime
    import itertools

    from app.activities import MAX_BUDGET_VND, MAX_PEOPLE

    ref = tree.province.reference
    today = datetime.date(2025, 6, 15)
    activity = add_activity(tree.commune)
    with tree.commune.store.lock:
        base = sync_allow.outgoing(tree.commune.store.conn, "activities", activity["id"])
    values = {"starts_on": ["2025-03-10", "2025-06-15", "2025-06-20", "2026-01-01"],
              "ends_on": [None, "2025-03-09", "2025-03-10", "2025-12-31"],
              "participants_total": [0, 10, 30, MAX_PEOPLE + 1], "participants_female": [0, 20, 25],
              "participants_male": [0, 10], "participants_youth": [0, 5, 31],
              "budget_vnd": [0, MAX_BUDGET_VND, MAX_BUDGET_VND + 1], "quantity": [None, 0, 10**9]}
    checked = 0
    for (k1, v1s), (k2, v2s) in itertools.combinations(values.items(), 2):
        for v1, v2 in itertools.product(v1s, v2s):
            record = {**base, k1: v1, k2: v2}
            quick = sync_allow._activity_values_hold(record, today)
            careful = sync_allow._activity_values(record, ref, today)
            assert not (quick and careful), (k1, v1, k2, v2, careful)
            checked += 1
    assert checked > 250
