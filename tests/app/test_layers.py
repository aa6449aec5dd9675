"""The core does not know Qt exists (STYLE "The house")."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


#: The rooms from the bottom up; each may import only the rooms before it (and itself). `binhan` is the
#: composition root above them all: the command line that registers every room's commands.
ROOMS = ("app", "sync", "ui", "binhan")
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def test_no_room_imports_a_room_above_it():
    """Every import, lazy ones inside functions included, points down the rooms (STYLE "The house")."""
    offenders = []
    for level, room in enumerate(ROOMS):
        above = set(ROOMS[level + 1:])
        for path in (ROOT / room).rglob("*.py"):
            for name in _imports(path):
                top = name.split(".")[0]
                if top in above or (room in ("app", "sync") and top in QT):
                    offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_the_rooms_import_graph_has_no_circle():
    """Drawn from the code: an arrow from room A to room B when a module of A imports B. No circle."""
    arrows = {room: set() for room in ROOMS}
    for room in ROOMS:
        for path in (ROOT / room).rglob("*.py"):
            for name in _imports(path):
                top = name.split(".")[0]
                if top in ROOMS and top != room:
                    arrows[room].add(top)

    def reaches(start, goal, seen=()):
        return any(nxt == goal or (nxt not in seen and reaches(nxt, goal, (*seen, nxt))) for nxt in arrows[start])

    assert [room for room in ROOMS if reaches(room, room)] == []


def test_the_shared_command_line_helpers_import_no_room_s_commands():
    """`app.cli_support` is what every room's commands import downward: it imports no `*.cli` module itself."""
    assert [name for name in _imports(ROOT / "app" / "cli_support.py") if name.endswith("cli")] == []


def test_the_direction_test_sees_a_planted_upward_import(tmp_path, monkeypatch):
    """The walk is not blind: an `import ui` written into a core module is found."""
    planted = tmp_path / "app"
    planted.mkdir()
    (planted / "bad.py").write_text("def f():\n    from ui.app import run_window\n", encoding="utf-8")
    assert list(_imports(planted / "bad.py")) == ["ui.app"]


def test_importing_the_core_loads_no_qt():
    code = ("import sys, app.node, app.cases, app.audit, app.store.backup, app.cli, app.cli_support, app.demo; "
            "import app.activities, app.activities.registries; "
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'ui'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"
