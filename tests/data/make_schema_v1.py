"""How tests/data/schema_v1/ was made (kept for the record; never re-run over the committed files).

A node at schema version 1 (release 0.1.0 development), user `admin` with
password `schema-v1`, one case with an identity. Run:
    uv run python tests/data/make_schema_v1.py OUT_DIR

This script predates tests/store/test_every_schema.py and writes no expected.json: the
schema_v1/expected.json beside the file was read later (issue 20) from the committed file, untouched and
still at schema 1, with the raw libraries; its values are the ones written here.
"""

import json
import sys
from pathlib import Path

import nacl.pwhash

from app import audit
from app.accounts import hash_password
from app.store import keyslots, migrations
from app.store.db import Store, connect

keyslots.KDF_OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_MIN
keyslots.KDF_MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_MIN

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
key = keyslots.new_database_key()
node = {"id": "01900000-0000-7000-8000-000000000001", "kind": "commune", "name": "Xã Lược Đồ Một",
        "code": "V1", "parent_code": None, "profile_code": "thai_binh", "demo": False}
slots = keyslots.KeySlots(out / "keyslots.json", node=node)
slots.add_password("admin", "schema-v1", key)
slots.save()
store = Store(out / "binhan.db", connect(out / "binhan.db", key))
migrations.upgrade(store, stop_at=1)
now = "2025-06-01T08:00:00.000+00:00"
with store.transaction() as conn:
    for k, v in node.items():
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (f"node_{k}", json.dumps(v)))
    conn.execute("INSERT INTO accounts VALUES ('u1', 'admin', 'Quản trị', 'admin', NULL, ?, 1, ?, ?)",
                 (hash_password("schema-v1"), now, now))
    conn.execute(
        "INSERT INTO cases (id, origin, rev, created_at, updated_at, deleted, code, status, reported_on,"
        " incident_on, disclosure_channel, survivor_age, survivor_age_band, survivor_sex, violence_type,"
        " delay_band, perpetrator_count, ctx_intimate_partner)"
        " VALUES ('c1', ?, 1, ?, ?, 0, 'V1-2025-00001', 'open', '2025-05-30', '2025-05-29', 'self', 41,"
        " 'age_41_60', 'female', 'physical_assault', 'days_0_3', 1, 1)", (node["id"], now, now))
    conn.execute("INSERT INTO case_perpetrators VALUES ('c1', 0, 'male', 'age_41_60', 'intimate_partner', 1)")
    conn.execute("INSERT INTO case_consents VALUES ('c1', 'reporting', 1, '2025-05-30', NULL)")
    conn.execute("INSERT INTO case_identities (case_id, survivor_name, name_norm, updated_at)"
                 " VALUES ('c1', 'Đặng Thị Lược Đồ', 'dang thi luoc do', ?)", (now,))
    conn.execute("INSERT INTO outbox (table_name, record_id, rev, changed_at) VALUES ('cases', 'c1', 1, ?)", (now,))
    audit.record(conn, user_id="u1", username="admin", action="case.create", target_table="cases", target_id="c1")
store.close()
print("schema", 1, "written to", out)
