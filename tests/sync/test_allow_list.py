"""What leaves a node: planted identities never do; the shape is the allow-list and nothing more."""

import base64
import json
import re
import shutil
import subprocess
import unicodedata

import pytest

from app import sync_allow
from app.reports import submission
from sync import importer, package
from sync import keys as node_keys

from tests.conftest import CANARY_NAME, sample_case
from tests.sync.conftest import add_case, dump

PHONE, ID_NUMBER = "0912345678", "034190001234"
PLANTED = [CANARY_NAME, "Canary", "canary", PHONE, ID_NUMBER, "Trần Văn Canary", "Thôn Canary"]


def _payloads(province, built) -> list[bytes]:
    out = []
    for p in built:
        parsed = importer.verify(province, p.data)
        key = node_keys.by_id(province, parsed.header["recipient_key_id"], node_keys.ENCRYPTION)
        out.append(package.inflate(parsed.header, package.decrypt(parsed, key.private)))
    return out


def _forms(text: str) -> list[bytes]:
    """The ways a string could show up in bytes: UTF-8 (NFC and NFD) and JSON's \\u escapes."""
    forms = {unicodedata.normalize(f, text).encode("utf-8") for f in ("NFC", "NFD")}
    forms.add(json.dumps(text).strip('"').encode("ascii"))
    return sorted(forms)


def _plant_everything(session) -> dict:
    # The activity is saved before the case: once the case's identity is stored, its names in an activity's free
    # text are refused on save (issue 13.8); here they must travel as far as the allow-list to be dropped there.
    reg = session.registries
    provider = reg.save_provider({"kind": "health", "name": f"Phòng khám {CANARY_NAME}", "phone": PHONE,
                                  "address": "Thôn Canary", "notes": CANARY_NAME})
    model = reg.save_model({"kind": "trusted_address", "name": f"Nhà bà {CANARY_NAME}", "established_on": "2022-03-08",
                            "status": "active", "notes": f"gọi {PHONE}"})
    school = reg.save_school({"name": f"Trường {CANARY_NAME}", "level": "primary", "notes": CANARY_NAME,
                              "integrations": {"2024": True}})
    activity = session.activities.save({
        "kind": "thematic_talk", "title": f"Hòa giải nhà {CANARY_NAME}", "starts_on": "2025-03-08",
        "place": "Thôn Canary", "organiser": f"Chị {CANARY_NAME}", "target_groups": ["women_members"],
        "participants": {"total": 30, "female": 20, "male": 10}, "model_id": model["id"], "school_id": school["id"],
        "budget_vnd": 500000, "notes": f"{CANARY_NAME} {PHONE} {ID_NUMBER}"})
    session.activities.add_attachment(activity["id"], "danh-sach.txt", f"{CANARY_NAME} {PHONE}".encode(), "text/plain")
    case = session.cases.save(sample_case(
        intake={"reported_on": "2025-03-10", "incident_on": "2025-03-08", "disclosure_channel": "self",
                "referral_source": "family", "taken_by": f"Cán bộ {CANARY_NAME}"}))
    # The annual report goes up whole (figures and PDF): built over all of the above, it must name none of it.
    annual = submission.finalise(session, 2025)
    return {"case": case, "provider": provider, "model": model, "school": school, "activity": activity,
            "annual_reports": annual}


def test_planted_identities_are_absent_from_every_decrypted_payload(tree):
    _plant_everything(tree.commune)
    built = package.build(tree.commune)
    payloads = _payloads(tree.province, built)
    assert payloads and all(payloads)
    for payload in payloads:
        for planted in PLANTED:
            for form in _forms(planted):
                assert form not in payload, f"{planted!r} left the node"
    records = [json.loads(line) for p in payloads for line in p.split(b"\n")[1:] if line]
    assert {r["table"] for r in records} == {"cases", "activities", "models", "schools", "annual_reports"}, \
        "providers never leave"
    # The PDF's text is compressed inside it: read it as a person at the province would.
    (annual,) = [r["record"] for r in records if r["table"] == "annual_reports"]
    pdf = base64.b64decode(annual["pdf"])
    assert pdf.startswith(b"%PDF-")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                              check=True).stdout.decode("utf-8")
        assert "BÁO CÁO" in text
        for planted in PLANTED:
            assert planted not in text and unicodedata.normalize("NFD", planted) not in text


def test_planted_identities_never_reach_the_province_database(tree):
    _plant_everything(tree.commune)
    for p in package.build(tree.commune):
        importer.import_package(tree.province, p.data)
    everything = repr(dump(tree.province)).encode("utf-8")
    for planted in PLANTED:
        for form in _forms(planted):
            assert form not in everything


def test_a_case_leaves_with_month_dates_and_an_age_band_only(tree):
    case = add_case(tree.commune)
    with tree.commune.store.lock:
        record = sync_allow.outgoing(tree.commune.store.conn, "cases", case["id"], k=1)  # as recorded
    assert set(record) == set(sync_allow.SENT["cases"])  # only what a province output needs (issue 16)
    assert not set(record) & set(sync_allow.CASE_RETIRED)
    assert "survivor_age" not in record and record["survivor_age_band"] == case["survivor"]["age_band"]
    assert "ethnicity" not in record and record["ethnic_minority"] in (True, False, None)
    month = re.compile(r"^\d{4}-\d{2}$")
    for key in ("reported_on", "created_at", "updated_at"):
        assert record[key] is None or month.match(record[key]), key
    for row in record["consents"]:
        assert row["given_on"] is None or month.match(row["given_on"])
    assert all(set(r) == {"service", "outcome"} for r in record["referrals"])
    assert all(set(r) == {"service", "status"} for r in record["services"])
    assert all(set(r) == {"sex", "relationship", "count"} for r in record["perpetrators"])


def test_a_column_added_to_a_table_later_stays_home(tree):
    case = add_case(tree.commune)
    tree.commune.store.execute("ALTER TABLE cases ADD COLUMN whispered TEXT")
    tree.commune.store.execute("UPDATE cases SET whispered = ? WHERE id = ?", (CANARY_NAME, case["id"]))
    for payload in _payloads(tree.province, package.build(tree.commune)):
        assert b"Canary" not in payload and b"whispered" not in payload


def test_every_table_sends_exactly_its_spec(tree):
    made = _plant_everything(tree.commune)
    with tree.commune.store.lock:
        conn = tree.commune.store.conn
        for table, key in (("cases", "case"), ("activities", "activity"), ("models", "model"), ("schools", "school"),
                           ("annual_reports", "annual_reports")):
            assert set(sync_allow.outgoing(conn, table, made[key]["id"])) == set(sync_allow.SENT[table])
        assert sync_allow.outgoing(conn, "providers", made["provider"]["id"]) is None


def test_a_case_without_consent_to_be_counted_leaves_as_a_stub_and_withdrawal_removes_the_copy(tree):
    case = add_case(tree.commune)
    importer.import_package(tree.province, package.build(tree.commune)[0].data)
    assert tree.province.store.scalar("SELECT count(*) FROM cases") == 1
    withdrawn = tree.commune.cases.get(case["id"])
    withdrawn["consent"]["reporting"] = {"given": True, "on": "2025-03-10", "withdrawn_on": "2025-05-02"}
    tree.commune.cases.save(withdrawn)
    built = package.build(tree.commune)
    (payload,) = _payloads(tree.province, built)
    stub = json.loads(payload.split(b"\n")[1])["record"]
    assert stub["withheld"] is True and set(stub) == set(sync_allow.WITHHELD)
    importer.import_package(tree.province, built[0].data)
    assert tree.province.store.scalar("SELECT count(*) FROM cases") == 0
    assert tree.province.store.scalar("SELECT count(*) FROM case_consents") == 0
    assert tree.province.store.scalar("SELECT withheld FROM sync_versions WHERE record_id = ?", (case["id"],)) == 1


@pytest.mark.parametrize("table", sorted(sync_allow.SPEC))
def test_check_refuses_unknown_fields(tree, table):
    problems = sync_allow.check(table, {"survivor_name": CANARY_NAME}, tree.province.reference)
    assert any(p.reason == "unexpected_field" and p.field == "survivor_name" for p in problems)
    assert "survivor_name" not in sync_allow.keep_only_allowed(table, {"survivor_name": CANARY_NAME, "id": "x"})


def test_an_activity_s_topic_and_funding_source_reach_the_province_as_codes(tree):
    activity = tree.commune.activities.save({
        "kind": "other", "title": "Hoạt động khác", "starts_on": "2025-03-08", "topic": "school_violence",
        "funding_source": "socialised", "budget_vnd": 1_000_000, "participants": {"total": 5}})
    for p in package.build(tree.commune):
        importer.import_package(tree.province, p.data)
    row = tree.province.store.query("SELECT kind, topic, funding_source, title FROM activities WHERE id = ?",
                                    (activity["id"],))[0]
    assert (row["kind"], row["topic"], row["funding_source"], row["title"]) == ("other", "school_violence",
                                                                                "socialised", "")
