"""How tests/sync/data/golden_v1/ was made (kept for the record; never re-run over the committed files).

A province TB and a commune TN01 enrolled with it (package format 1, payload
schema 1, database schema 3), user `admin` with password `golden-v1` on both;
the commune recorded one case (with a canary identity), one activity, one
model and one school, then built its first package. The province has not
imported it: `tests/sync/test_golden.py` does, with every later version.
    uv run python tests/sync/data/make_golden.py OUT_DIR
"""

import shutil
import sys
from pathlib import Path

import nacl.pwhash

from app.node import Node
from app.store import keyslots
from sync import enrol, package
from tests.conftest import MemoryKeyring, sample_case

keyslots.KDF_OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_MIN
keyslots.KDF_MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_MIN
keyslots.set_keyring_backend(MemoryKeyring())
PASSWORD = "golden-v1"

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=False)
province, _ = Node.create(out / "province", kind="province", name="Tỉnh Thái Bình", code="TB", parent_code=None,
                          profile_code="thai_binh", admin_username="admin", admin_password=PASSWORD)
commune, _ = Node.create(out / "commune", kind="commune", name="Xã Vàng Mẫu", code="TN01", parent_code="TB",
                         profile_code="thai_binh", admin_username="admin", admin_password=PASSWORD)
p, c = province.login("admin", PASSWORD), commune.login("admin", PASSWORD)
enrol.import_profile(c, enrol.export_profile(p, out / "TB.profile.binhan"))
registration = enrol.export_registration(c, out / "TN01.registration.binhan")
enrol.import_registration(p, registration, accept_fingerprint=enrol.read_registration(registration)["fingerprint"])
c.cases.save(sample_case())
model = c.registries.save_model({"kind": "trusted_address", "name": "Địa chỉ tin cậy thôn Đông",
                                 "established_on": "2022-03-08", "status": "active"})
school = c.registries.save_school({"name": "Trường Tiểu học Vàng", "level": "primary", "integrations": {"2024": True}})
c.activities.save({"kind": "thematic_talk", "title": "Nói chuyện chuyên đề", "starts_on": "2025-03-08",
                   "target_groups": ["women_members"], "participants": {"total": 30, "female": 20, "male": 10},
                   "model_id": model["id"], "school_id": school["id"], "budget_vnd": 500000})
(built,) = package.build(c)
(out / "package.pkg.binhan").write_bytes(built.data)
p.close()
c.close()
for node in (province, commune):
    shutil.rmtree(node.data_dir / "backups", ignore_errors=True)
for leftover in out.rglob("*-wal"):
    leftover.unlink()
for leftover in out.rglob("*-shm"):
    leftover.unlink()
