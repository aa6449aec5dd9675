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


def test_core_and_sync_never_import_qt_or_ui():
    offenders = []
    for folder in ("app", "sync"):
        for path in (ROOT / folder).rglob("*.py"):
            for name in _imports(path):
                top = name.split(".")[0]
                if top in ("PySide6", "shiboken6", "ui", "PyQt5", "PyQt6"):
                    if not (path.name == "cli.py" and top == "ui"):  # the CLI starts the window lazily
                        offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_importing_the_core_loads_no_qt():
    code = ("import sys, app.node, app.cases, app.audit, app.store.backup, app.cli, app.demo; "
            "import app.activities, app.activities.registries; "
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'ui'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"
