"""A schema upgrade killed mid-way leaves the old database usable, and the next start completes it."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.node import Node
from app.store import migrations
from app.store.db import DB_NAME, Store, connect
from tests.faults import harness

V1 = Path(__file__).resolve().parents[1] / "data" / "schema_v1"
V1_PASSWORD = "schema-v1"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is a POSIX signal")


def _start(node_dir: Path) -> subprocess.Popen:
    env = dict(harness.os.environ, BINHAN_PASSWORD=V1_PASSWORD, BINHAN_LANG="en", PYTHONPATH=str(harness.REPO))
    return subprocess.Popen([sys.executable, "-m", "binhan", "--data-dir", str(node_dir), "--user", "admin",
                             "case", "list"], cwd=harness.REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_upgrade_killed_at_random_moments_leaves_a_usable_database_and_finishes_next_time(tmp_path):
    rng = random.Random(8)
    # How long a whole start with upgrade takes here.
    probe = tmp_path / "probe"
    shutil.copytree(V1, probe)
    started = time.monotonic()
    assert _start(probe).wait(timeout=120) == 0
    whole = time.monotonic() - started
    kills = 0
    for run in range(8):
        node_dir = tmp_path / f"run{run}"
        shutil.copytree(V1, node_dir)
        proc = _start(node_dir)
        try:
            proc.wait(timeout=rng.uniform(0.5, 1.1) * whole)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
        node = Node.open(node_dir)
        key = node.slots.open_with_password("admin", V1_PASSWORD)
        store = Store.open(node_dir / DB_NAME, key, migrate=False)  # as the kill left it
        try:
            assert store.scalar("PRAGMA integrity_check") == "ok"
            assert 1 <= store.user_version <= migrations.CURRENT_VERSION
            assert store.scalar("SELECT count(*) FROM cases WHERE id = 'c1'") == 1
        finally:
            store.close()
        for copy in node_dir.glob("binhan.db.schema*.bak"):  # the copy set aside is whole, or not there
            conn = connect(copy, key)
            try:
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            finally:
                conn.close()
        session = node.login("admin", V1_PASSWORD)  # the next start completes the upgrade
        try:
            assert session.store.user_version == migrations.CURRENT_VERSION
            assert session.cases.get("c1")["incident"]["violence_type"] == "physical_assault"
            assert session.verify_audit().ok
        finally:
            session.close()
    assert kills >= 1
