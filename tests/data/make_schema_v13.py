"""How tests/data/schema_v13/ was made (kept for the record; never re-run over the committed files).

Schema version 13: schema 12 (the wave of issues 13-19, see make_schema_v12.py) and step 13, indexes for the
province's Overview (`_step_overview_indexes`: no record changes). Made WITH THE CODE OF COMMIT
421b9f43f017c688216743aae78195f0387a7f06 (the code is the same as the script's own commit but for this
script and the folder), as `commit` in expected.json says. Made with the same services and the same records
as schema_v12 (its docstring describes them), so that the next schema step is tested against a real file of
this one. Once a step 14 is added this script no longer runs with the newest code; to make the file again
check that commit out as tests/data/README.md says and run, in its worktree:

    uv run python tests/data/make_schema_v13.py OUT_DIR

The node is made through the services of that code (Node.create, add_user, registries, cases with the case
management parts, review, link_person, erase_identity, activities, sync.keys), so its key slots are in
today's format 2 (key pairs; the node's identity key granted to the administrator, the officer and the
recovery key, the point's to the cadre, none to the leader), its identities are sealed under identity keys
from the start, and its audit chain, outbox and counters are what that code writes. Cheap Argon2 cost; the
keyring slot's secret lived in a keyring now gone; the automatic backups are removed to keep the file small.

Accounts and passwords:

    admin    (admin)                    schema-v13-quan-tri
    canbohoi (officer, a supervisor)    schema-v13-can-bo-hoi
    lanhdao  (leader, a supervisor)     schema-v13-lanh-dao
    canbo    (cadre of the point)       schema-v13-can-bo
    recovery key                        in expected.json (`recovery_key`); Node.create draws it at random

Cases (codes V13-2026-0000n in the order saved):

    1  admin, no point: the full case management of the wave: privacy notice, caseworker facts, consent
       given by the survivor, two risk assessments, a safety plan with its parts and the identity fields
       of issue 18 (safe places, emergency contacts, code word, contact way, wishes), an action plan, a
       follow-up done with its outcome and the next one planned; reviewed by the officer who approved its
       closure, then closed (knows she can come back)
    2  the cadre, at her point: a girl of 15, consent given by both her and her guardian, a high risk,
       an action plan; reviewed by the leader (a comment, no approval)
    3  admin, no point: a referral made without consent on a legal basis; its identity then erased at the
       person's request (`identity_erased_on`; no identity row left)
    4  admin, no point: deleted (a tombstone, its identity kept)
    5  admin, no point: a second incident of the person of case 1, linked to it (`person_id`)

Activities carry the wave's topic and funding source (one saved without a topic takes the default).
Everything the test compares is written to OUT_DIR/expected.json: passwords, the recovery key, the sync
fingerprint, every identity kept, the erased identity's old values (`erased`, which must be nowhere in the
file), and every row of the record tables.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nacl.pwhash
from keyring.backend import KeyringBackend

import app
from app.node import Node
from app.store import keyslots, migrations
from sync import keys

VERSION = 13
CODE = "V13"
PASSWORDS = {"admin": "schema-v13-quan-tri", "canbohoi": "schema-v13-can-bo-hoi", "lanhdao": "schema-v13-lanh-dao",
             "canbo": "schema-v13-can-bo"}
NAMES = ("Đặng Thị Mười Ba", "Lê Thị Điểm Mười Ba", "Vũ Thị Xóa Danh", "Phạm Văn Mười Ba Xóa")


class GoneKeyring(KeyringBackend):
    """The keyring of the PC that made the file: it stays behind (the slot's secret is lost)."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.secrets = {}

    def get_password(self, service, username):
        return self.secrets.get((service, username))

    def set_password(self, service, username, password):
        self.secrets[(service, username)] = password

    def delete_password(self, service, username):
        self.secrets.pop((service, username), None)


def identity(name: str, phone: str, **more) -> dict:
    data = {"name": name, "address": f"Thôn Mười Ba, nhà {name}", "phone": phone, "id_number": "034190012012",
            "narrative": f"{name} kể lại sự việc.", "perpetrator_names": "Trần Văn Mười Ba",
            "safety_notes": "Gọi trước khi đến.", "safe_places": None, "emergency_contacts": None, "code_word": None,
            "contact_way": None, "wishes": None}
    data.update(more)
    return data


def case(ident: dict, reported_on: str, **overrides) -> dict:
    data = {
        "status": "open",
        "intake": {"reported_on": reported_on, "incident_on": reported_on, "disclosure_channel": "self",
                   "referral_source": "family"},
        "survivor": {"age": 34, "sex": "female", "marital_status": "married", "disability": "none",
                     "ethnicity": "kinh", "occupation": "farming_fishing", "residence_status": "permanent_resident",
                     "nationality": "vietnamese", "children_count": 2, "children_at_risk": "no",
                     "interpreter": "none"},
        "identity": ident,
        "incident": {"time_of_day": "evening_night", "location_type": "shared_home",
                     "violence_type": "physical_assault", "dv_acts": [], "reported_elsewhere": False,
                     "money_exchanged": "no", "abduction": "none", "weapon": "blunt_object",
                     "perpetrator_previous": "yes"},
        "perpetrators": [{"sex": "male", "age_group": "age_26_40", "relationship": "intimate_partner", "count": 1}],
        "consent": {"services": {"given": True, "on": reported_on, "given_by": "survivor"},
                    "reporting": {"given": True, "on": reported_on, "given_by": "survivor"},
                    "sharing": {"given": False}},
        "privacy_notice": {"on": reported_on},
        "services": [{"service": "health_care", "status": "referred", "on": reported_on}],
        "referrals": [{"service": "health_care", "provider_name": "Trạm y tế xã", "referred_on": reported_on,
                       "consent": True, "outcome": "received", "outcome_on": reported_on}],
        "follow_ups": [{"due_on": "2026-12-20", "status": "planned"}],
        "perpetrator_actions": [{"action": "detected", "on": reported_on}],
        "safety_plan": {"in_place": True, "on": reported_on},
        "closure": {"items": [], "closed_on": None},
    }
    data.update(overrides)
    return data


def activity(title: str, **overrides) -> dict:
    data = {"kind": "thematic_talk", "title": title, "starts_on": "2026-03-08", "ends_on": None,
            "place": "Nhà văn hóa thôn Mười Ba", "organiser": "Hội Phụ nữ xã", "target_groups": ["women_members", "men"],
            "participants": {"total": 80, "female": 50, "male": 30, "youth": 10}, "quantity": None,
            "budget_vnd": 1_500_000, "notes": None, "topic": "domestic_violence", "funding_source": "state_budget"}
    data.update(overrides)
    return data


# The tables whose rows are the node's records, and the columns that are not facts to compare (a log-in
# writes `last_login_at`).
RECORD_TABLES = ("cases", "case_dv_acts", "case_perpetrators", "case_consents", "case_services", "case_referrals",
                 "case_follow_ups", "case_perpetrator_actions", "case_risk_assessments", "case_actions",
                 "case_reviews", "models", "model_status_events", "schools", "school_integrations", "providers",
                 "activities", "accounts")
NOT_FACTS = {"accounts": {"password_hash", "last_login_at"}}


def dump(store) -> dict:
    tables = {}
    for table in RECORD_TABLES:
        rows = store.query(f"SELECT * FROM {table} ORDER BY 1, 2")
        tables[table] = [{k: v for k, v in r.items() if k not in NOT_FACTS.get(table, ())} for r in rows]
    return tables


def commit_of_the_code() -> str:
    root = Path(app.__file__).resolve().parent.parent
    git = ["git", "-C", str(root)]
    changed = subprocess.run([*git, "status", "--porcelain", "--", "app", "sync", "data"], check=True,
                             capture_output=True, text=True).stdout
    assert not changed, f"the code that makes the file is its commit's, unchanged:\n{changed}"
    return subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()


def main(out: Path) -> None:
    assert migrations.CURRENT_VERSION == VERSION, migrations.CURRENT_VERSION
    commit = commit_of_the_code()
    keyslots.KDF_OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_MIN
    keyslots.KDF_MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_MIN
    keyslots.set_keyring_backend(GoneKeyring())
    node, recovery = Node.create(out, kind="commune", name="Xã Lược Đồ Mười Ba", code=CODE, parent_code="TB",
                                 profile_code="thai_binh", admin_username="admin",
                                 admin_password=PASSWORDS["admin"], admin_display_name="Quản trị xã")
    admin = node.login("admin", PASSWORDS["admin"])
    point = admin.registries.save_model({"kind": "trusted_address", "name": "Địa chỉ tin cậy thôn Mười Ba",
                                         "established_on": "2022-03-08", "status": "active", "notes": None})
    admin.registries.set_model_status(point["id"], "suspended", "2026-06-01")
    admin.registries.set_model_status(point["id"], "active", "2026-09-01")
    school = admin.registries.save_school({"name": "Trường THCS Lược Đồ Mười Ba", "level": "lower_secondary",
                                           "notes": None, "integrations": {"2026": True}})
    provider = admin.registries.save_provider({"kind": "health", "name": "Trạm y tế xã Lược Đồ Mười Ba",
                                               "phone": "0227 121 212", "address": "Thôn Mười Ba", "hotline": False,
                                               "notes": None})
    admin.add_user("canbohoi", PASSWORDS["canbohoi"], "officer", "Cán bộ Hội Phụ nữ")
    admin.add_user("lanhdao", PASSWORDS["lanhdao"], "leader", "Chủ tịch xã")
    admin.add_user("canbo", PASSWORDS["canbo"], "cadre", "Cán bộ điểm", point_id=point["id"])

    # 1: the whole case management of the wave.
    first = admin.cases.save(case(
        identity(NAMES[0], "0977 121 111", safe_places="Nhà chị gái ở thôn Đông", code_word="mua muối",
                 emergency_contacts="Chị gái Đặng Thị Hoa 0912 121 000", contact_way="Nhắn tin sau 18 giờ",
                 wishes="Muốn ở lại với các con"),
        "2026-09-14",
        risk_assessments=[{"on": "2026-09-14", "answers": {"weapon": "yes", "escalation": "yes"}},
                          {"on": "2026-10-14", "answers": {"weapon": "no", "escalation": "no",
                                                           "survivor_afraid": "yes"}}],
        safety_plan={"in_place": True, "on": "2026-09-15", "to_take": ["id_papers", "medicine"],
                     "steps": ["escape_route", "signal_neighbour"], "children": "in_plan", "agreed": True,
                     "review_on": "2026-10-15"},
        action_plan={"needs": ["health_care", "legal_aid"], "goals": "An toàn cho chị và các con; tư vấn pháp lý.",
                     "actions": [{"what": "Khám sức khỏe", "service": "health_care", "provider_id": provider["id"],
                                  "due_on": "2026-09-16", "status": "done", "done_on": "2026-09-16"},
                                 {"what": "Gặp trợ giúp pháp lý", "service": "legal_aid", "person": "Luật sư xã",
                                  "due_on": "2026-10-01", "status": "in_progress"}]},
        follow_ups=[{"due_on": "2026-10-14", "done_on": "2026-10-14", "status": "done", "outcome": "progress",
                     "next_on": "2026-11-14"}],
        closure={"items": ["needs_met", "safety_plan_reviewed"], "closed_on": None}))
    # 2: the cadre's case of a girl of 15 (consent of both her and her guardian).
    cadre = node.login("canbo", PASSWORDS["canbo"])
    second = cadre.cases.save(case(
        identity(NAMES[1], "0988 121 222", code_word="hái chè"), "2026-10-02",
        survivor={"age": 15, "sex": "female", "marital_status": "single", "disability": "none", "ethnicity": "tay",
                  "occupation": "student", "children_count": 0, "children_at_risk": "no"},
        perpetrators=[{"sex": "male", "relationship": "family_other", "count": 1}],
        consent={"services": {"given": True, "on": "2026-10-02", "given_by": "both"},
                 "reporting": {"given": True, "on": "2026-10-02", "given_by": "both"}, "sharing": {"given": False}},
        risk_assessments=[{"on": "2026-10-02", "answers": {"threat_to_kill": "yes", "isolation": "unknown"}}],
        action_plan={"needs": ["psychosocial_counselling", "education"], "goals": "Em tiếp tục đi học.",
                     "actions": [{"what": "Tư vấn tâm lý", "service": "psychosocial_counselling",
                                  "due_on": "2026-10-10", "status": "planned"}]}))
    cadre.activities.save(activity("Sinh hoạt nhóm ở địa chỉ tin cậy thôn Mười Ba", kind="club_meeting",
                                   starts_on="2026-05-05", budget_vnd=0, topic="child_sexual_abuse",
                                   funding_source="project"))
    cadre.close()
    # 3: a referral without consent, then the identity erased at her request.
    third = admin.cases.save(case(
        identity(NAMES[2], "0966 121 333", emergency_contacts="Mẹ đẻ Vũ Thị Lan 0904 121 999"), "2026-08-03",
        consent={"services": {"given": False}, "reporting": {"given": True, "on": "2026-08-03"},
                 "sharing": {"given": False}},
        referrals=[{"service": "health_care", "referred_on": "2026-08-03", "consent": False,
                    "legal_basis": "emergency_life_health", "basis_reason": "Chấn thương nặng, bất tỉnh khi đến"}],
        action_plan={"needs": ["safe_shelter"], "goals": "Chỗ ở an toàn.",
                     "actions": [{"what": "Tìm chỗ ở tạm", "service": "safe_shelter", "status": "planned"}]}))
    erased = admin.cases.get(third["id"], with_identity=True)["identity"]
    # 4: deleted; 5: the same person as case 1 again, linked.
    gone = admin.cases.save(case(identity(NAMES[3], "0955 121 444"), "2026-07-01"))
    admin.cases.delete(gone["id"])
    again = admin.cases.save(case(identity(NAMES[0], "0977 121 111"), "2026-11-20",
                                  incident={"violence_type": "psychological_abuse", "dv_acts": [],
                                            "reported_elsewhere": False}))
    admin.cases.link_person(first["id"], again["id"])
    admin.activities.save(activity("Tọa đàm thôn Mười Ba về phòng chống bạo lực gia đình", model_id=point["id"]))
    admin.activities.save(activity("Ngoại khóa ở trường THCS Lược Đồ Mười Ba", kind="contest",
                                   school_id=school["id"], target_groups=["schools", "youth"], starts_on="2026-04-02",
                                   participants={"total": 120, "female": 60, "male": 60, "youth": 120},
                                   topic="school_violence", funding_source="socialised"))
    admin.activities.save(activity("Họp dân thôn Mười Ba", starts_on="2026-02-10", topic=None,
                                   funding_source=None))
    keys.ensure_keys(admin)  # the node's sync key pairs, wrapped under the database key
    admin.close()

    # The supervisors: the officer approves closing case 1, the leader reviews case 2.
    officer = node.login("canbohoi", PASSWORDS["canbohoi"])
    officer.cases.review(first["id"], "Đã đáp ứng nhu cầu; đồng ý kết thúc.", approves_closure=True)
    officer.close()
    leader = node.login("lanhdao", PASSWORDS["lanhdao"])
    leader.cases.review(second["id"], "Theo dõi sát, nguy cơ cao.")
    leader.close()

    admin = node.login("admin", PASSWORDS["admin"])
    stored = admin.cases.get(first["id"], with_identity=True)
    admin.cases.save(dict(stored, status="closed", closure={"items": ["needs_met", "safety_plan_reviewed"],
                                                            "closed_on": "2026-11-30", "knows_can_return": True}))
    admin.cases.erase_identity(third["id"], reason="request")
    assert admin.verify_audit().ok
    ids = [r["id"] for r in admin.store.query("SELECT id FROM cases ORDER BY code")]
    kept = [r["case_id"] for r in admin.store.query("SELECT case_id FROM case_identities")]
    assert third["id"] not in kept and len(kept) == len(ids) - 1
    expected = {
        "schema": VERSION, "commit": commit, "node": node.info.as_dict(),
        "passwords": PASSWORDS, "admin": "admin", "leader": "lanhdao", "recovery_key": recovery,
        "identities": {cid: admin.cases.get(cid, with_identity=True)["identity"] for cid in ids if cid in kept},
        "erased": {third["id"]: {k: v for k, v in erased.items() if v}},
        "audit_entries": admin.store.scalar("SELECT count(*) FROM audit_log"),
        "tables": dump(admin.store),
        "sync_fingerprint": keys.own_fingerprint(admin),
    }
    admin.close()
    # The code backs up by itself before changes: dropped to keep the file small (schema_v5/ keeps an old backup).
    shutil.rmtree(out / "backups", ignore_errors=True)
    (out / "keyslots.json.lock").unlink(missing_ok=True)  # the lock's empty file: made again at the first open
    for leftover in ("binhan.db-wal", "binhan.db-shm"):
        assert not (out / leftover).exists(), leftover
    (out / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                       encoding="utf-8")
    print("schema", VERSION, "written to", out, "with the code of", commit)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
