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
    assert figures.kills > runs // 3, figures.line()
