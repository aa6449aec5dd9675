"""How tests/data/schema_v5/ was made (kept for the record; never re-run over the committed files).

A commune node at schema version 5 — the release before identity keys (issue 13): key slots in
format 1 (every password wraps the one database key; no key pairs, no identity keys) and identities
in clear columns of `case_identities`. Accounts and passwords:

    admin    (admin)   schema-v5-quan-tri
    lanhdao  (leader)  schema-v5-lanh-dao
    canbo    (cadre of point P1)  schema-v5-can-bo
    recovery key       V5V5V-V5V5V-V5V5V-V5V5V-V5V5V-V5V5V-V5V5V-V5V5V

Two cases with identities: c1 at point P1 (survivor "Đặng Thị Năm Điểm", phone 0977 555 111),
c2 of no point ("Lê Văn Năm Xã", phone 0966 555 222); a backup of the file in backups/ (with its
key-slot copy), as the old release left one. Run:
    uv run python tests/data/make_schema_v5.py OUT_DIR

This script predates tests/store/test_every_schema.py and writes no expected.json: the
schema_v5/expected.json beside the file was read later (issue 20) from the committed file, untouched and
still at schema 5, with the raw libraries; its values are the ones written here.
"""

import json
import shutil
import sys
import uuid
from pathlib import Path

import nacl.pwhash
import nacl.secret
import nacl.utils

from app import audit
from app.accounts import hash_password
from app.store import keyslots, migrations
from app.store.db import Store, connect

keyslots.KDF_OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_MIN
keyslots.KDF_MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_MIN
OPS, MEM = keyslots.KDF_OPSLIMIT, keyslots.KDF_MEMLIMIT
RECOVERY = "V5V5V-V5V5V-V5V5V-V5V5V-V5V5V-V5V5V-V5V5V-V5V5V"
USERS = [("u1", "admin", "Quản trị", "admin", None, "schema-v5-quan-tri"),
         ("u2", "lanhdao", "Chủ tịch xã", "leader", None, "schema-v5-lanh-dao"),
         ("u3", "canbo", "Cán bộ điểm", "cadre", "P1", "schema-v5-can-bo")]

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
key = keyslots.new_database_key()
node = {"id": "01900000-0000-7000-8000-000000000005", "kind": "commune", "name": "Xã Lược Đồ Năm",
        "code": "V5", "parent_code": None, "profile_code": "thai_binh", "demo": False}


def slot(kind, secret, user=None):
    salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    wrapping = nacl.pwhash.argon2id.kdf(32, secret.encode("utf-8"), salt, opslimit=OPS, memlimit=MEM)
    box = nacl.secret.SecretBox(wrapping).encrypt(key)
    entry = {"id": uuid.uuid4().hex, "kind": kind, "box": keyslots._b64(bytes(box)), "salt": keyslots._b64(salt),
             "opslimit": OPS, "memlimit": MEM}
    if user:
        entry["user"] = user
    return entry


# The format the release before identity keys wrote (app/store/keyslots.py, SLOTS_FORMAT = 1).
slots = [slot("password", pw, user) for _, user, _, _, _, pw in USERS]
slots.append(slot("recovery", keyslots.normalise_recovery_key(RECOVERY)))
(out / "keyslots.json").write_text(json.dumps({
    "format": 1, "note": "Bình An key slots: the database key wrapped per password, recovery key and keyring. "
                         "No secret is stored in the clear.", "node": node, "slots": slots},
    ensure_ascii=False, indent=1), encoding="utf-8")

store = Store(out / "binhan.db", connect(out / "binhan.db", key))
migrations.upgrade(store, stop_at=5)
now = "2026-06-01T08:00:00.000+00:00"
with store.transaction() as conn:
    for k, v in node.items():
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (f"node_{k}", json.dumps(v)))
    for uid, user, display, role, point, pw in USERS:
        conn.execute("INSERT INTO accounts VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
                     (uid, user, display, role, point, hash_password(pw), now, now))
    conn.execute("INSERT INTO models (id, origin, rev, created_at, updated_at, deleted, kind, name, status)"
                 " VALUES ('P1', ?, 1, ?, ?, 0, 'trusted_address', 'Địa chỉ tin cậy thôn Năm', 'active')",
                 (node["id"], now, now))
    for cid, code, point, name, phone in (("c1", "V5-2026-00001", "P1", "Đặng Thị Năm Điểm", "0977 555 111"),
                                          ("c2", "V5-2026-00002", None, "Lê Văn Năm Xã", "0966 555 222")):
        conn.execute(
            "INSERT INTO cases (id, origin, rev, created_at, updated_at, deleted, code, point_id, status, reported_on,"
            " incident_on, disclosure_channel, survivor_age, survivor_age_band, survivor_sex, violence_type,"
            " delay_band, perpetrator_count, ctx_intimate_partner)"
            " VALUES (?, ?, 1, ?, ?, 0, ?, ?, 'open', '2026-05-30', '2026-05-29', 'self', 41,"
            " 'age_41_60', 'female', 'physical_assault', 'days_0_3', 1, 1)", (cid, node["id"], now, now, code, point))
        conn.execute("INSERT INTO case_consents VALUES (?, 'reporting', 1, '2026-05-30', NULL)", (cid,))
        conn.execute("INSERT INTO case_identities (case_id, survivor_name, name_norm, address, phone, narrative,"
                     " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (cid, name, name.lower(), f"Thôn Năm, nhà {name}", phone, f"{name} kể lại sự việc.", now))
        conn.execute("INSERT INTO outbox (table_name, record_id, rev, changed_at) VALUES ('cases', ?, 1, ?)",
                     (cid, now))
        audit.record(conn, user_id="u1", username="admin", action="case.create", target_table="cases", target_id=cid)
store.checkpoint()
# A backup as the old release made one: the encrypted file (journal DELETE) and its key slots beside it.
(out / "backups").mkdir(exist_ok=True)
backup = out / "backups" / "binhan-V5-20260601T080000000000Z.db"
target = __import__("sqlcipher3").connect(str(backup), isolation_level=None)
target.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
store.conn.backup(target)
target.execute("PRAGMA journal_mode = DELETE")
target.close()
shutil.copyfile(out / "keyslots.json", backup.with_name(backup.name + ".keyslots.json"))
store.close()
for leftover in ("binhan.db-wal", "binhan.db-shm"):
    (out / leftover).unlink(missing_ok=True)
print("schema", 5, "written to", out)
