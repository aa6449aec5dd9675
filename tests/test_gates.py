"""The lint and type gates (issue 20.2): `.ci/run` runs them before the tests, and each fails on a fault planted
in a copy of the rooms (the repository itself is never touched)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROOMS = ("app", "sync", "binhan", "ui")


def _copy_of_the_rooms(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    for room in ROOMS:
        shutil.copytree(ROOT / room, tree / room, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def _gate(tree: Path, *command: str) -> subprocess.CompletedProcess:
    """The gate as .ci/run calls it (`uv run ruff check`, `uv run mypy`: the project's settings, no arguments)."""
    return subprocess.run([sys.executable, "-m", *command], cwd=tree, capture_output=True, text=True, timeout=900,
                          stdin=subprocess.DEVNULL)


def _plant(path: Path, after: str, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert after in text
    path.write_text(text.replace(after, after + line, 1), encoding="utf-8")


def test_ci_runs_both_gates_before_the_tests_and_stops_on_failure():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "set -euo pipefail" in script
    lines = [line.strip() for line in script.splitlines()]
    ruff = lines.index("uv run ruff check </dev/null")
    mypy = lines.index("uv run mypy </dev/null")
    tests = lines.index("uv run pytest </dev/null")
    assert ruff < mypy < tests


def test_ruff_gate_fails_on_a_planted_unused_import(tmp_path):
    tree = _copy_of_the_rooms(tmp_path)
    clean = _gate(tree, "ruff", "check", "--no-cache")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    _plant(tree / "app" / "text.py", "from __future__ import annotations\n", "\nimport textwrap\n")
    planted = _gate(tree, "ruff", "check", "--no-cache")
    assert planted.returncode == 1
    assert "app/text.py" in planted.stdout and "F401" in planted.stdout


def test_mypy_gate_fails_on_a_planted_type_error(tmp_path):
    tree = _copy_of_the_rooms(tmp_path)
    # A count given a word: what a wrong annotation or a forgotten None lets through at run time.
    _plant(tree / "sync" / "status.py", "from __future__ import annotations\n",
           "\nPLANTED: int = 'not a number'\n")
    planted = _gate(tree, "mypy", "--cache-dir", str(tmp_path / "mypy-cache"))
    assert planted.returncode == 1, planted.stdout + planted.stderr
    # The planted error is the only one: the rest of the tree passes the same gate.
    assert "sync/status.py" in planted.stdout and "[assignment]" in planted.stdout
    assert "Found 1 error in 1 file" in planted.stdout, planted.stdout
