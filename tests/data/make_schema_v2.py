"""How tests/data/schema_v2/ was made (kept for the record; never re-run over the committed files).

Made WITH THE CODE OF COMMIT 41a067d8e1e7966c5d68c36d9d19cb1e6665501c, the last commit at schema
version 2 (the next one, b967980, added step 3). This script imports that commit's `app`, not
today's; it does not run against the current code. To make the file again:

    git worktree add --detach /tmp/schemas-v2 41a067d8e1e7966c5d68c36d9d19cb1e6665501c
    cd /tmp/schemas-v2 && PYTHONPATH=/tmp/schemas-v2 uv run --frozen --project /path/to/binhan \\
        python /path/to/binhan/tests/data/make_schema_v2.py OUT_DIR
    git worktree remove /tmp/schemas-v2

(that commit's dependencies are a subset of today's, so today's environment runs it; `uv sync --frozen` and
`uv run --frozen python ...` inside the old worktree work too; check
`app.__file__` is under /tmp/schemas-v2). Ids, keys, salts and time stamps are random or the clock's;
everything else is fixed here. The node is made through that release's own services (Node.create,
add_user, registries, cases, activities), so its key slots (format 1, with a keyring slot whose
secret lived in a keyring now gone), audit chain, outbox and counters are as that release wrote them.
The automatic backups that release made are removed to keep the file small.

Accounts and passwords:

    admin    (admin)              schema-v2-quan-tri
    lanhdao  (leader)             schema-v2-lanh-dao
    canbo    (cadre of the point) schema-v2-can-bo

The recovery key and every record's facts are written to OUT_DIR/expected.json, which
tests/store/test_every_schema.py compares with what the newest code reads after the upgrade.
"""

import json
import shutil
import sys
from pathlib import Path

import nacl.pwhash
from keyring.backend import KeyringBackend

import app
from app.node import Node
from app.store import keyslots, migrations

VERSION = 2
CODE = "V2"
PASSWORDS = {"admin": "schema-v2-quan-tri", "lanhdao": "schema-v2-lanh-dao", "canbo": "schema-v2-can-bo"}
NAMES = ("Đặng Thị Hai Một", "Lê Thị Hai Điểm", "Phạm Văn Hai Xóa")


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


def case(name: str, phone: str, reported_on: str, **overrides) -> dict:
    data = {
        "status": "open",
        "intake": {"reported_on": reported_on, "incident_on": reported_on, "disclosure_channel": "self",
                   "referral_source": "family"},
        "survivor": {"age": 34, "sex": "female", "marital_status": "married", "disability": "none",
                     "ethnicity": "kinh"},
        "identity": {"name": name, "address": f"Thôn Hai, nhà {name}", "phone": phone, "id_number": "034190002222",
                     "narrative": f"{name} kể lại sự việc.", "perpetrator_names": "Trần Văn Hai",
                     "safety_notes": "Gọi trước khi đến."},
        "incident": {"time_of_day": "evening_night", "location_type": "shared_home",
                     "violence_type": "physical_assault", "dv_acts": [], "reported_elsewhere": False},
        "perpetrators": [{"sex": "male", "age_group": "age_26_40", "relationship": "intimate_partner", "count": 1}],
        "consent": {"services": {"given": True, "on": reported_on}, "reporting": {"given": True, "on": reported_on},
                    "sharing": {"given": False}},
        "services": [{"service": "health_care", "status": "referred", "on": reported_on}],
        "referrals": [{"service": "health_care", "provider_name": "Trạm y tế xã", "referred_on": reported_on,
                       "consent": True, "outcome": "received", "outcome_on": reported_on}],
        "follow_ups": [{"due_on": "2025-12-10", "status": "planned"}],
        "perpetrator_actions": [{"action": "detected", "on": reported_on}],
        "safety_plan": {"in_place": True, "on": reported_on},
        "closure": {"items": [], "closed_on": None},
    }
    data.update(overrides)
    return data


def activity(title: str, **overrides) -> dict:
    data = {"kind": "thematic_talk", "title": title, "starts_on": "2025-03-08", "ends_on": None,
            "place": "Nhà văn hóa thôn Hai", "organiser": "Hội Phụ nữ xã", "target_groups": ["women_members", "men"],
            "participants": {"total": 80, "female": 50, "male": 30, "youth": 10}, "quantity": None,
            "budget_vnd": 1_500_000, "notes": None}
    data.update(overrides)
    return data


# The tables whose rows are the node's records, and the columns that are not facts to compare.
RECORD_TABLES = ("cases", "case_dv_acts", "case_perpetrators", "case_consents", "case_services", "case_referrals",
                 "case_follow_ups", "case_perpetrator_actions", "models", "model_status_events", "schools",
                 "school_integrations", "providers", "activities", "accounts")
NOT_FACTS = {"accounts": {"password_hash"}}


def dump(store) -> dict:
    tables = {}
    for table in RECORD_TABLES:
        rows = store.query(f"SELECT * FROM {table} ORDER BY 1, 2")
        tables[table] = [{k: v for k, v in r.items() if k not in NOT_FACTS.get(table, ())} for r in rows]
    return tables


def main(out: Path) -> None:
    assert Path(app.__file__).resolve().is_relative_to(Path.cwd().resolve()), (
        f"run this in the worktree of its commit (app is {app.__file__})")
    assert migrations.CURRENT_VERSION == VERSION, migrations.CURRENT_VERSION
    keyslots.KDF_OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_MIN
    keyslots.KDF_MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_MIN
    keyslots.set_keyring_backend(GoneKeyring())
    node, recovery = Node.create(out, kind="commune", name="Xã Lược Đồ Hai", code=CODE, parent_code="TB",
                                 profile_code="thai_binh", admin_username="admin",
                                 admin_password=PASSWORDS["admin"], admin_display_name="Quản trị xã")
    admin = node.login("admin", PASSWORDS["admin"])
    point = admin.registries.save_model({"kind": "trusted_address", "name": "Địa chỉ tin cậy thôn Hai",
                                         "established_on": "2022-03-08", "status": "active", "notes": None})
    admin.registries.set_model_status(point["id"], "suspended", "2024-06-01")
    admin.registries.set_model_status(point["id"], "active", "2024-09-01")
    school = admin.registries.save_school({"name": "Trường THCS Lược Đồ Hai", "level": "lower_secondary",
                                           "notes": None, "integrations": {"2024": True}})
    admin.registries.save_provider({"kind": "health", "name": "Trạm y tế xã Lược Đồ Hai", "phone": "0227 222 222",
                                    "address": "Thôn Hai", "hotline": False, "notes": None})
    admin.add_user("lanhdao", PASSWORDS["lanhdao"], "leader", "Chủ tịch xã")
    admin.add_user("canbo", PASSWORDS["canbo"], "cadre", "Cán bộ điểm", point_id=point["id"])

    first = admin.cases.save(case(NAMES[0], "0977 222 111", "2025-05-30"))
    admin.cases.save(dict(first, status="closed", closure={"items": ["needs_met", "safety_plan_reviewed"], "closed_on": "2025-06-20"}))
    gone = admin.cases.save(case(NAMES[2], "0966 222 333", "2025-06-02"))
    admin.cases.delete(gone["id"])
    admin.activities.save(activity("Tọa đàm thôn Hai về phòng chống bạo lực gia đình", model_id=point["id"]))
    admin.activities.save(activity("Ngoại khóa ở trường THCS Lược Đồ Hai", kind="contest",
                                   school_id=school["id"], target_groups=["schools", "youth"], starts_on="2025-04-02",
                                   participants={"total": 120, "female": 60, "male": 60, "youth": 120}))
    admin.close()

    cadre = node.login("canbo", PASSWORDS["canbo"])
    cadre.cases.save(case(NAMES[1], "0988 222 444", "2025-06-01",
                          survivor={"age": 17, "sex": "female", "marital_status": "single", "disability": "none",
                                    "ethnicity": "kinh"}))
    cadre.activities.save(activity("Sinh hoạt nhóm ở địa chỉ tin cậy thôn Hai", kind="club_meeting",
                                   starts_on="2025-05-05", budget_vnd=0))
    cadre.close()
    node.login("lanhdao", PASSWORDS["lanhdao"]).close()

    admin = node.login("admin", PASSWORDS["admin"])
    assert admin.verify_audit().ok
    ids = [r["id"] for r in admin.store.query("SELECT id FROM cases ORDER BY code")]
    expected = {
        "schema": VERSION, "commit": "41a067d8e1e7966c5d68c36d9d19cb1e6665501c", "node": node.info.as_dict(),
        "passwords": PASSWORDS, "admin": "admin", "leader": "lanhdao", "recovery_key": recovery,
        "identities": {cid: admin.cases.get(cid, with_identity=True)["identity"] for cid in ids},
        "audit_entries": admin.store.scalar("SELECT count(*) FROM audit_log"),
        "tables": dump(admin.store),
    }
    admin.close()
    # That release backed up by itself before changes (two copies here): dropped to keep the file small;
    # tests/data/schema_v5/ keeps an old backup.
    shutil.rmtree(out / "backups", ignore_errors=True)
    for leftover in ("binhan.db-wal", "binhan.db-shm"):
        assert not (out / leftover).exists(), leftover
    (out / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                       encoding="utf-8")
    print("schema", VERSION, "written to", out)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
