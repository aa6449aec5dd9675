"""Issue 20.3: a real node made by every released schema version upgrades to the newest and keeps everything.

Each `tests/data/schema_vN/` was made by `tests/data/make_schema_vN.py` with the code of the release at
schema N; `expected.json` beside it holds what that script wrote (passwords, identities, the rows of
every record table). The folders are found by glob: a new schema step adds its folder and is tested here
with no change to this file.

Files made before the identity-key step (issue 13; schema_v1..v5, written by releases in users' hands) hold
identities in the clear and key slots of format 1, whose recovery key opens the database only. A file made at
or after that step (schema_v12, the schema of the wave of issues 13-19, made with its own code) has key slots of
format 2, identities sealed from the start and a recovery key made with the identity keys: the checks that
differ say which kind of file they are about (`born_sealed`); every other check is the same for all.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import sqlcipher3

from app.errors import WrongSecret
from app.node import Node
from app.store import keyslots, migrations
from tests.app import attacker
from tests.conftest import CANARY_NAME, sample_case

DATA = Path(__file__).resolve().parent.parent / "data"
LAST_RELEASED = 5  # the newest schema of a release in users' hands before this wave (0.x, 2026-11)
# Steps 6-12 came in one release (the wave of issues 13-19): no release wrote 6-11, which have no file;
# schema_v12 is that wave's file.
IDENTITY_KEYS = migrations.STEPS.index(migrations._step_identity_keys) + 1  # the identity-key step (7)


def _version(folder: Path) -> int:
    return int(re.fullmatch(r"schema_v(\d+)", folder.name).group(1))


FOLDERS = sorted((p for p in DATA.glob("schema_v*") if p.is_dir()), key=_version)


def _born_sealed(expected: dict) -> bool:
    """The file was made by code with identity keys: sealed identities, slots of format 2, a recovery key that
    holds the identity keys."""
    return expected["schema"] >= IDENTITY_KEYS


def _raw_version(folder: Path, user: str, password: str) -> int:
    db_key, _ = attacker.unwrap(folder / "keyslots.json", user, password)
    conn = sqlcipher3.connect(str(folder / "binhan.db"))
    try:
        conn.execute(f"PRAGMA key = \"x'{db_key.hex()}'\"")
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def _rows(store, table: str, columns: list[str]) -> list[str]:
    have = {r["name"] for r in store.query(f"PRAGMA table_info({table})")}
    missing = [c for c in columns if c not in have]
    assert not missing, f"{table}: the upgrade dropped the columns {missing}"
    cols = ", ".join(f'"{c}"' for c in columns)
    return sorted(json.dumps(list(r.values()), ensure_ascii=False)
                  for r in store.query(f"SELECT {cols} FROM {table}"))


def test_a_file_of_every_released_schema_is_kept():
    versions = [_version(p) for p in FOLDERS]
    assert set(range(1, LAST_RELEASED + 1)) <= set(versions), f"missing schema files: {versions}"
    assert max(versions) <= migrations.CURRENT_VERSION
    # Each new schema step adds its file, made with the step's own code (tests/data/README.md, "When you add
    # a schema step"): the newest schema always has one, and the next step is tested against a real file of it.
    assert migrations.CURRENT_VERSION in versions, (
        f"schema {migrations.CURRENT_VERSION} has no tests/data/schema_v{migrations.CURRENT_VERSION}/: "
        f"make it with tests/data/make_schema_v12.py as a model")
    for v in versions:
        assert (DATA / f"make_schema_v{v}.py").is_file(), f"schema_v{v} without the script that made it"
        assert (DATA / f"schema_v{v}" / "expected.json").is_file(), f"schema_v{v} without expected.json"


@pytest.mark.parametrize("first", ["admin", "leader"])
@pytest.mark.parametrize("source", FOLDERS, ids=[p.name for p in FOLDERS])
def test_the_node_of_every_schema_upgrades_to_the_newest_with_everything_in_it(tmp_path, source, first):
    """`first`: who logs in first after the update: the administrator (schema steps and identity keys at
    once) or the leader (the schema steps run; the identities are sealed only at the administrator's)."""
    folder = tmp_path / source.name
    shutil.copytree(source, folder)
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    passwords = expected["passwords"]
    admin_name, leader_name = expected["admin"], expected["leader"]
    assert expected["schema"] == _version(source)
    assert _raw_version(folder, admin_name, passwords[admin_name]) == expected["schema"], "the file is that version"
    born_sealed = _born_sealed(expected)
    assert json.loads((folder / "keyslots.json").read_text())["format"] == (2 if born_sealed else 1)

    node = Node.open(folder)
    if first == "leader":
        if not leader_name:
            pytest.skip("this file has no leader")
        leader = node.login(leader_name, passwords[leader_name])
        try:
            assert leader.store.user_version == migrations.CURRENT_VERSION
            assert leader.verify_audit().ok
        finally:
            leader.close()
    admin = node.login(admin_name, passwords[admin_name])
    try:
        assert admin.store.user_version == migrations.CURRENT_VERSION
        # Every record of the old file is still there with the facts it had (new columns may be added).
        for table, rows in expected["tables"].items():
            if not rows:
                continue
            columns = list(rows[0])
            want = sorted(json.dumps([r[c] for c in columns], ensure_ascii=False) for r in rows)
            assert _rows(admin.store, table, columns) == want, f"{table} changed in the upgrade"
        # The old chain is kept whole (verified below) and goes on: nothing of it was dropped.
        assert admin.store.scalar("SELECT count(*) FROM audit_log") > expected["audit_entries"]
        # Identities: the administrator reads them, and the file keeps them only sealed under identity keys.
        for case_id, identity in expected["identities"].items():
            got = admin.cases.get(case_id, with_identity=True)["identity"]
            assert {k: got.get(k) for k in identity} == identity, case_id
        key_ids = {k["id"] for k in node.slots.identity_keys}
        sealed = admin.store.query("SELECT * FROM case_identities")
        assert len(sealed) == len(expected["identities"])
        assert all(r["key_id"] in key_ids for r in sealed), "an identity not sealed under an identity key"
        clear = repr(sealed)
        for identity in expected["identities"].values():
            for value in identity.values():
                if value:
                    assert value not in clear, f"{value!r} in the clear in case_identities"
        # An identity erased before the upgrade (schema 12 on) stays erased: the case and its facts are there,
        # no identity comes back.
        for case_id in expected.get("erased", {}):
            got = admin.cases.get(case_id, with_identity=True)
            assert got["identity_erased_on"] and not any(got["identity"].values()), case_id
        # Work goes on: a new case takes a free code of its year and its identity is sealed like the rest.
        new = admin.cases.save(sample_case())
        assert new["code"] not in {c["code"] for c in expected["tables"]["cases"]}
        assert admin.cases.get(new["id"], with_identity=True)["identity"]["name"] == CANARY_NAME
        assert admin.store.scalar("SELECT count(*) FROM case_identities WHERE key_id IS NULL") == 0
        assert admin.verify_audit().ok
        if "sync_fingerprint" in expected:
            from sync import keys

            assert keys.own_fingerprint(admin) == expected["sync_fingerprint"], "the node's sync keys changed"
    finally:
        admin.close()

    slots = json.loads((folder / "keyslots.json").read_text())
    assert slots["format"] == 2 and any(k["scope"] == "node" for k in slots["identity_keys"])
    # With a copy of the folder and the raw libraries, not one identity value is left in the clear: not in a
    # table, a free page or the copy set aside before the upgrade.
    text, pages, opened = attacker.everything(folder, admin_name, passwords[admin_name])
    for identity in [*expected["identities"].values(), {"name": CANARY_NAME}]:
        for value in (identity.get(k) for k in ("name", "phone", "narrative", "safe_places", "emergency_contacts",
                                                  "code_word")):
            assert not value or (value not in text and value.encode("utf-8") not in pages), value
    # An erased identity is gone, not only out of sight: every identity key of the administrator opens nothing of it.
    for erased in expected.get("erased", {}).values():
        for key in ("name", "address", "phone", "narrative", "emergency_contacts"):
            if erased.get(key):
                assert erased[key] not in opened and erased[key] not in text, erased[key]
    if leader_name:
        # The leader's password opens the database, never an identity key.
        assert attacker.unwrap(folder / "keyslots.json", leader_name, passwords[leader_name])[1] == {}
        assert attacker.everything(folder, leader_name, passwords[leader_name])[2] == []
        leader = node.login(leader_name, passwords[leader_name])
        try:
            assert leader.store.user_version == migrations.CURRENT_VERSION
            assert leader.identity.keys == {} and leader.verify_audit().ok
        finally:
            leader.close()
    if expected.get("recovery_key"):
        recovery = keyslots.normalise_recovery_key(expected["recovery_key"])
        held = attacker.unwrap(folder / "keyslots.json", None, recovery, kind="recovery")[1]
        if born_sealed:
            # A recovery key made with identity keys (issue 13: Node.create, new_recovery_key) holds every one.
            assert set(held) == {k["id"] for k in slots["identity_keys"]}
        else:
            # The old recovery key still opens the database (the file is not lost) but no identity key.
            assert held == {}
    cadres = [a for a in expected["tables"]["accounts"] if a["role"] == "cadre"]
    for cadre in cadres:
        # In a file before identity keys a cadre had no key pair at the upgrade: she gets one at her log-in, her
        # point's grant at the administrator's next log-in. Either way she then reads the identities of her
        # point's cases, only those.
        node.login(cadre["username"], passwords[cadre["username"]]).close()
        node.login(admin_name, passwords[admin_name]).close()
        session = node.login(cadre["username"], passwords[cadre["username"]])
        try:
            mine = [c["id"] for c in expected["tables"]["cases"]
                    if c["point_id"] == cadre["point_id"] and not c["deleted"]]
            assert mine, "the file has a case at the cadre's point"
            for case_id in mine:
                got = session.cases.get(case_id, with_identity=True)["identity"]
                assert got["name"] == expected["identities"][case_id]["name"]
            assert set(session.identity.keys) == {node.slots.key_id_for(f"point:{cadre['point_id']}")}
        finally:
            session.close()


WITH_RECOVERY = [p for p in FOLDERS if json.loads((p / "expected.json").read_text(encoding="utf-8")).get("recovery_key")]


@pytest.mark.parametrize("source", WITH_RECOVERY, ids=[p.name for p in WITH_RECOVERY])
def test_an_administrator_who_forgot_the_password_recovers_the_old_node_with_its_recovery_key(tmp_path, source):
    folder = tmp_path / source.name
    shutil.copytree(source, folder)
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    node = Node.open(folder)
    session = node.recover(expected["recovery_key"], expected["admin"], "mật-khẩu-mới-sau-khôi-phục-lần-một")
    try:
        assert session.store.user_version == migrations.CURRENT_VERSION
        assert session.store.scalar("SELECT count(*) FROM case_identities WHERE key_id IS NULL") == 0
        for case_id, identity in expected["identities"].items():
            assert session.cases.get(case_id, with_identity=True)["identity"]["name"] == identity["name"]
        told = [vi for vi, _ in session.notices if vi.startswith("Mã khôi phục hiện tại chỉ mở được")]
        # An old recovery key (before identity keys) opens no identity key: told once to make a new one. One
        # made with identity keys needs no telling.
        assert len(told) == (0 if _born_sealed(expected) else 1), told
        new_key = session.new_recovery_key()
        assert session.verify_audit().ok
    finally:
        session.close()
    with pytest.raises(WrongSecret):
        node.recover(expected["recovery_key"], expected["admin"], "mật-khẩu-mới-sau-khôi-phục-lần-hai")
    again = node.recover(new_key, expected["admin"], "mật-khẩu-mới-sau-khôi-phục-lần-ba")
    try:
        for case_id, identity in expected["identities"].items():
            assert again.cases.get(case_id, with_identity=True)["identity"]["name"] == identity["name"]
    finally:
        again.close()
