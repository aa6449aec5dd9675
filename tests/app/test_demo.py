"""The demo generator: deterministic, valid against the core, obviously fictional, never in the future."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta

import nacl.pwhash
import pytest

from app.cases import CaseFilter
from app.cases.validate import clean_case, derive
from app.demo import create_demo_node
from app.node import Node
from app.reference import load_reference
from app.store import keyslots
from tests.conftest import MemoryKeyring

PASSWORD = "demo"

# (table, column, reference list); "json:" columns hold a JSON list of codes
CODE_COLUMNS = [
    ("cases", "status", "case_status"),
    ("cases", "disclosure_channel", "disclosure_channel"),
    ("cases", "referral_source", "disclosure_channel"),
    ("cases", "survivor_age_band", "age_band"),
    ("cases", "survivor_sex", "sex"),
    ("cases", "marital_status", "marital_status"),
    ("cases", "disability", "disability"),
    ("cases", "ethnicity", "ethnicity"),
    ("cases", "time_of_day", "time_of_day"),
    ("cases", "location_type", "location_type"),
    ("cases", "violence_type", "violence_type"),
    ("cases", "delay_band", "reporting_delay_band"),
    ("cases", "json:closure_items", "closure_item"),
    ("case_dv_acts", "act", "dv_act"),
    ("case_perpetrators", "sex", "sex"),
    ("case_perpetrators", "age_group", "age_band"),
    ("case_perpetrators", "relationship", "relationship"),
    ("case_consents", "scope", "consent_scope"),
    ("case_services", "service", "service"),
    ("case_services", "status", "service_status"),
    ("case_referrals", "service", "service"),
    ("case_referrals", "outcome", "referral_outcome"),
    ("case_follow_ups", "status", "follow_up_status"),
    ("case_perpetrator_actions", "action", "perpetrator_action"),
    ("activities", "kind", "activity_kind"),
    ("activities", "json:target_groups", "target_group"),
    ("models", "kind", "model_kind"),
    ("models", "status", "model_status"),
    ("model_status_events", "status", "model_status"),
    ("schools", "level", "school_level"),
    ("providers", "kind", "provider_kind"),
    ("accounts", "role", "role"),
]
# (table, column) of dates that may never be after today
PAST_DATES = [
    ("cases", "reported_on"), ("cases", "incident_on"), ("cases", "safety_plan_on"), ("cases", "closed_on"),
    ("case_consents", "given_on"), ("case_consents", "withdrawn_on"), ("case_services", "on_date"),
    ("case_referrals", "referred_on"), ("case_referrals", "consent_on"), ("case_referrals", "outcome_on"),
    ("case_follow_ups", "done_on"), ("case_perpetrator_actions", "on_date"),
    ("activities", "starts_on"), ("activities", "ends_on"), ("models", "established_on"),
    ("model_status_events", "on_date"),
]


def _build(path, **kwargs):
    return create_demo_node(path, **kwargs)


@pytest.fixture(scope="module")
def commune(tmp_path_factory):
    """One commune-scale demo node shared by this module's read-only tests (cheap KDF, in-memory keyring)."""
    saved = keyslots.KDF_OPSLIMIT, keyslots.KDF_MEMLIMIT
    keyslots.KDF_OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_MIN
    keyslots.KDF_MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_MIN
    keyslots.set_keyring_backend(MemoryKeyring())
    calls = []
    try:
        node, summary = _build(tmp_path_factory.mktemp("demo") / "node", seed=7,
                               progress=lambda done, total: calls.append((done, total)))
    finally:
        keyslots.KDF_OPSLIMIT, keyslots.KDF_MEMLIMIT = saved
        keyslots.set_keyring_backend(None)
    return node, summary, calls


@pytest.fixture
def admin(commune):
    session = commune[0].login("admin", PASSWORD)
    yield session
    session.close()


def facts(session) -> list[tuple]:
    return sorted(tuple(r.values()) for r in session.store.query(
        "SELECT reported_on, violence_type, survivor_age_band, survivor_sex, status FROM cases"))


def code_violations(session, reference) -> list[str]:
    bad = []
    for table, column, list_name in CODE_COLUMNS:
        as_json = column.startswith("json:")
        column = column.removeprefix("json:")
        known = reference[list_name].codes
        for (value,) in session.store.execute(f"SELECT DISTINCT {column} FROM {table}").fetchall():
            values = json.loads(value) if as_json else [value]
            bad += [f"{table}.{column}={v!r}" for v in values if v is not None and v not in known]
    return bad


def future_dates(session, today: date) -> list[str]:
    bad = []
    for table, column in PAST_DATES:
        latest = session.store.scalar(f"SELECT max({column}) FROM {table}")
        if latest and latest > today.isoformat():
            bad.append(f"{table}.{column}={latest}")
    latest = session.store.scalar("SELECT max(due_on) FROM case_follow_ups WHERE status != 'planned'")
    if latest and latest > today.isoformat():
        bad.append(f"follow-up done/missed but due {latest}")
    return bad


# --- commune scale ---------------------------------------------------------------------------------
def test_same_seed_gives_same_case_facts_and_another_seed_does_not(commune, admin, tmp_path):
    again, _ = _build(tmp_path / "again", seed=7)
    other, _ = _build(tmp_path / "other", seed=8, years=1)
    s2, s3 = again.login("admin", PASSWORD), other.login("admin", PASSWORD)
    try:
        assert facts(s2) == facts(admin)
        activities = "SELECT starts_on, kind, participants_total, budget_vnd FROM activities ORDER BY 1, 2, 3, 4"
        assert s2.store.query(activities) == admin.store.query(activities)
        current_year = [f for f in facts(admin) if f[0] >= f"{date.today().year}-01-01"]
        assert sorted(facts(s3)) != current_year
    finally:
        s2.close()
        s3.close()


def test_summary_counts_and_plausible_rates(commune, admin):
    node, summary, calls = commune
    assert node.info.demo and "dữ liệu mẫu" in node.info.name and node.info.code == "DEMO01"
    assert summary["cases"] == admin.store.scalar("SELECT count(*) FROM cases")
    assert summary["activities"] == admin.store.scalar("SELECT count(*) FROM activities")
    assert calls and calls[-1][0] == calls[-1][1] == summary["cases"] + summary["activities"]

    last_year = str(date.today().year - 1)
    per_year = admin.store.scalar("SELECT count(*) FROM cases WHERE substr(reported_on, 1, 4) = ?", (last_year,))
    assert 55 <= per_year <= 140
    acts = admin.store.scalar("SELECT count(*) FROM activities WHERE substr(starts_on, 1, 4) = ?", (last_year,))
    assert 140 <= acts <= 270
    types = Counter(r["violence_type"] for r in admin.store.query("SELECT violence_type FROM cases"))
    assert types["physical_assault"] + types["psychological_abuse"] > sum(types.values()) / 2
    sexes = Counter(r["survivor_sex"] for r in admin.store.query("SELECT survivor_sex FROM cases"))
    assert sexes["female"] > 0.75 * sum(sexes.values()) and sexes["male"] > 0
    assert admin.store.scalar("SELECT count(*) FROM cases WHERE ctx_intimate_partner = 1") > per_year // 2

    # Action Month and June are busier than an ordinary day
    starts = [date.fromisoformat(r["starts_on"]) for r in admin.store.query(
        "SELECT starts_on FROM activities WHERE substr(starts_on, 1, 4) = ?", (last_year,))]
    year_days = [date(int(last_year), 1, 1) + timedelta(days=n) for n in range(365)]

    def action_month(d):
        return (11, 15) <= (d.month, d.day) <= (12, 15)

    def per_day(test):
        return sum(1 for d in starts if test(d)) / sum(1 for d in year_days if test(d))

    ordinary = per_day(lambda d: not action_month(d) and d.month != 6)
    assert per_day(action_month) > 1.5 * ordinary
    assert per_day(lambda d: d.month == 6) > ordinary


def test_the_data_shows_every_feature(admin):
    q = admin.store.scalar
    today = date.today().isoformat()
    assert q("SELECT count(*) FROM cases WHERE status = 'closed' AND closure_items != '[]'") > 5
    assert q("SELECT count(*) FROM cases WHERE status = 'open' AND next_follow_up < ?", (today,)) > 0
    assert q("SELECT count(*) FROM cases WHERE reported_elsewhere = 1") > 0
    assert q("SELECT count(*) FROM case_consents WHERE scope = 'reporting' AND withdrawn_on IS NOT NULL") > 0
    assert q("SELECT count(*) FROM cases WHERE ctx_child_sexual_abuse = 1") > 0
    assert q("SELECT count(*) FROM cases WHERE violence_type = 'forced_marriage'") > 0
    assert q("SELECT count(*) FROM cases WHERE delay_band = 'over_month'") > 0
    assert q("SELECT count(*) FROM case_referrals WHERE consent = 1") == q("SELECT count(*) FROM case_referrals") > 0
    assert q("SELECT count(DISTINCT status) FROM case_services") >= 5
    assert q("SELECT count(DISTINCT case_id) FROM case_perpetrator_actions") > 0.7 * q("SELECT count(*) FROM cases")
    assert q("SELECT count(*) FROM cases WHERE status = 'duplicate' AND duplicate_of IN (SELECT id FROM cases)") \
        == q("SELECT count(*) FROM cases WHERE status = 'duplicate'")
    # two trusted-address points, cases spread over both and the commune office
    points = [r["id"] for r in admin.store.query("SELECT id FROM models WHERE kind = 'trusted_address'")]
    assert len(points) == 2
    spread = Counter(r["point_id"] for r in admin.store.query("SELECT point_id FROM cases"))
    assert all(spread[p] > 0 for p in points) and spread[None] > 0
    assert q("SELECT count(DISTINCT kind) FROM models") >= 5
    assert q("SELECT count(*) FROM schools") == 6 and q("SELECT count(DISTINCT level) FROM schools") == 6
    assert q("SELECT count(*) FROM providers") >= 8 and q("SELECT count(*) FROM providers WHERE hotline = 1") == 1
    # every activity group of the reference, every year
    reference = load_reference()
    group_of = {o.code: o.get("group") for o in reference["activity_kind"].options}
    for year in (date.today().year - 1, date.today().year):
        kinds = [r["kind"] for r in admin.store.query(
            "SELECT kind FROM activities WHERE substr(starts_on, 1, 4) = ?", (str(year),))]
        assert {group_of[k] for k in kinds} == set(reference["activity_group"].codes)
    # schools marked integrating hold an activity that year
    for row in admin.store.query("SELECT school_id, year FROM school_integrations WHERE integrated = 1"):
        assert q("SELECT count(*) FROM activities WHERE school_id = ? AND substr(starts_on, 1, 4) = ?",
                 (row["school_id"], str(row["year"]))) > 0


def test_every_code_is_in_the_reference_and_no_date_is_in_the_future(admin):
    assert code_violations(admin, load_reference()) == []
    assert future_dates(admin, date.today()) == []
    first = f"{date.today().year - 1}-01-01"
    assert admin.store.scalar("SELECT min(reported_on) FROM cases") >= first
    assert admin.store.scalar("SELECT min(starts_on) FROM activities") >= first


def test_every_case_and_activity_passes_core_validation_and_resaving_is_a_no_op(admin):
    outbox = admin.store.scalar("SELECT count(*) FROM outbox")
    for case_id in admin.cases.ids(CaseFilter(include_deleted=True)):
        stored = admin.cases.get(case_id, with_identity=True)
        again = admin.cases.save(stored)
        assert again["rev"] == stored["rev"] == 1
    for activity_id in [r["id"] for r in admin.store.query("SELECT id FROM activities")]:
        stored = admin.activities.get(activity_id)
        assert admin.activities.save(stored)["rev"] == 1
    assert admin.store.scalar("SELECT count(*) FROM outbox") == outbox


def test_identities_are_obviously_fictional_and_searchable_without_accents(admin):
    from app.cases import identity

    rows = [identity.read(admin.identity, r) for r in admin.store.query("SELECT * FROM case_identities")]
    assert len(rows) == admin.store.scalar("SELECT count(*) FROM cases")
    for r in rows:
        assert "Mẫu" in r["survivor_name"]
        assert r["address"].startswith("Thôn Mẫu số ")
        assert r["phone"] is None or (r["phone"].startswith("0900000") and len(r["phone"]) == 10)
        assert r["id_number"] is None or r["id_number"].startswith("000000000")
        assert all("Mẫu" in name for name in (r["perpetrator_names"] or "").split(", ") if name)
        assert "[Dữ liệu mẫu]" in r["narrative"]
    for table in ("models", "schools", "providers"):
        for (name,) in admin.store.execute(f"SELECT name FROM {table}").fetchall():
            assert "mẫu" in name.lower(), name
    for (display,) in admin.store.execute("SELECT display_name FROM accounts").fetchall():
        assert "Mẫu" in display
    # accent-insensitive search finds the fictional names
    assert admin.cases.count(CaseFilter(search="thi mau")) > 0
    assert admin.cases.count(CaseFilter(search="nguyen")) == sum(
        1 for r in rows if r["survivor_name"].startswith("Nguyễn ")) > 0


def test_demo_users_log_in_with_their_roles(commune):
    node = commune[0]
    cadre = node.login("canbo", PASSWORD)
    leader = node.login("lanhdao", PASSWORD)
    try:
        assert cadre.user.role == "cadre" and leader.user.role == "leader"
        first_point = cadre.store.scalar(
            "SELECT id FROM models WHERE kind = 'trusted_address' ORDER BY established_on LIMIT 1")
        assert cadre.user.point_id == first_point
        assert 0 < cadre.cases.count() < leader.cases.count()
        assert not leader.can("identity.read")
    finally:
        cadre.close()
        leader.close()


# --- province scale ------------------------------------------------------------------------------------
@pytest.fixture
def province(tmp_path):
    calls = []
    node, summary = _build(tmp_path / "province", scale="province", communes=3, years=2, seed=5,
                           progress=lambda done, total: calls.append((done, total)))
    session = node.login("admin", PASSWORD)
    yield node, summary, session, calls
    session.close()


def test_province_scale_holds_many_communes_without_identities(province):
    node, summary, session, calls = province
    q = session.store.scalar
    assert node.info.kind == "province" and node.info.demo
    assert calls[-1] == (6, 6)  # 3 communes × 2 years
    assert summary["cases"] == q("SELECT count(*) FROM cases") > 600
    assert summary["activities"] == q("SELECT count(*) FROM activities") > 1200
    origins = {r["origin"] for r in session.store.query("SELECT DISTINCT origin FROM cases")}
    assert len(origins) == 3 and node.info.id not in origins
    assert {r["origin"] for r in session.store.query("SELECT DISTINCT origin FROM activities")} == origins
    roster = json.loads(q("SELECT value FROM meta WHERE key = 'demo_communes'"))
    assert {c["id"] for c in roster} == origins
    # identities never leave a commune, and the province keeps no outbox for others' records
    assert q("SELECT count(*) FROM case_identities") == 0
    assert q("SELECT count(*) FROM cases WHERE taken_by IS NOT NULL OR survivor_age IS NOT NULL") == 0
    assert q("SELECT count(*) FROM case_referrals WHERE provider_name IS NOT NULL") == 0
    assert q("SELECT count(*) FROM outbox") == 0
    assert q("SELECT count(*) FROM cases WHERE rev != 1") == 0
    assert q("SELECT count(DISTINCT code) FROM cases") == q("SELECT count(*) FROM cases")
    assert q("SELECT count(*) FROM cases WHERE point_id IS NOT NULL AND point_id NOT IN"
             " (SELECT id FROM models WHERE kind = 'trusted_address')") == 0
    assert code_violations(session, load_reference()) == []
    assert future_dates(session, date.today()) == []


def test_province_rows_carry_what_the_core_derives(province):
    _, _, session, _ = province
    reference, today = load_reference(), date.today()
    ids = [r["id"] for r in session.store.query("SELECT id FROM cases ORDER BY id")]
    for case_id in ids:
        loaded = session.cases.get(case_id)
        cleaned = clean_case(loaded, reference, today, with_identity=False)
        assert derive(cleaned, reference) == loaded["derived"], loaded["code"]
        assert cleaned["survivor"]["age_band"] == loaded["survivor"]["age_band"]
    bands = Counter(r["delay_band"] for r in session.store.query("SELECT delay_band FROM cases"))
    assert len(bands) >= 5


def test_province_scale_is_deterministic(tmp_path):
    def case_facts(path):
        node, _ = _build(path, scale="province", communes=2, years=1, seed=11)
        s = node.login("admin", PASSWORD)
        try:
            return s.store.query("SELECT code, reported_on, violence_type, survivor_age_band, delay_band, status"
                                 " FROM cases ORDER BY code")
        finally:
            s.close()

    assert case_facts(tmp_path / "a") == case_facts(tmp_path / "b")


def test_unknown_scale_is_refused(tmp_path):
    with pytest.raises(ValueError):
        create_demo_node(tmp_path / "x", scale="district")
    assert not Node.exists(tmp_path / "x")
