"""Real `binhan` processes killed with SIGKILL at seeded moments lose nothing and half-save nothing.

CI runs a short version (BINHAN_FAULT_RUNS, default 20); the long run is
`uv run python -m tests.faults.harness --runs 300` (figures in tests/FAULTS.md).
"""

from __future__ import annotations

import os
import sys

import pytest

from tests.faults import harness

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is a POSIX signal")


def test_killed_commands_lose_no_reported_save_and_leave_no_half_file(tmp_path):
    runs = int(os.environ.get("BINHAN_FAULT_RUNS", "20"))
    figures = harness.run(runs, seed=int(os.environ.get("BINHAN_FAULT_SEED", "1")), root=tmp_path, log=None)
    assert figures.problems == []
    assert figures.lost == 0
    assert figures.runs == runs
    # How many runs a kill lands in depends on the machine's speed; some must, or nothing was tested.
    assert figures.kills >= max(1, runs // 10), figures.line()


def test_restore_cut_off_before_the_new_file_is_in_place_leaves_the_old_database(session, monkeypatch):
    """The one moment a random kill rarely hits: between keeping the old file aside and putting the new one in."""
    from app.node import Node
    from app.store import backup as backups
    from tests.conftest import ADMIN_PASSWORD, sample_case

    session.cases.save(sample_case())
    made = session.backups.create()
    session.cases.save(sample_case())
    real_replace = os.replace

    def power_cut(src, dst):
        if str(dst) == str(session.node.db_path):
            raise KeyboardInterrupt("power cut")
        return real_replace(src, dst)

    monkeypatch.setattr(backups.os, "replace", power_cut)
    with pytest.raises(KeyboardInterrupt):
        session.backups.restore(made)
    monkeypatch.setattr(backups.os, "replace", real_replace)
    session.store = None  # the process "died": its connection is gone
    again = Node.open(session.node.data_dir).login("admin", ADMIN_PASSWORD)
    try:
        assert again.store.scalar("SELECT count(*) FROM cases") == 2
        assert again.store.scalar("PRAGMA integrity_check") == "ok"
    finally:
        again.close()
