"""No identity ever touches the disk in the clear (issue 13, item 7): the preview of a case file is laid out and
drawn in memory, and an export of one writes nothing until its pages are all laid out, then only under the
temporary name beside the file the person chose. A process killed halfway leaves nothing behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ADMIN_PASSWORD, CANARY_NAME

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import os, sys, time
from pathlib import Path
from tests.conftest import MemoryKeyring
from app.store import keyslots
keyslots.set_keyring_backend(MemoryKeyring())
from app.node import Node

session = Node.open(Path(sys.argv[1])).login("admin", sys.argv[2])
case_id = sys.argv[3]
mode = sys.argv[4]

def halfway():
    print("HALFWAY", flush=True)
    time.sleep(120)

if mode == "preview":
    from PIL import Image
    from ui.reports import work
    from ui.widgets.progress import Progress
    save = Image.Image.save
    def save_then_wait(self, *args, **kwargs):  # the first page is drawn; the others are not yet
        save(self, *args, **kwargs)
        halfway()
    Image.Image.save = save_then_wait
    work.render_preview(session, "case_file", None, [case_id], Progress())
else:
    from app.reports import export
    from reportlab.platypus import BaseDocTemplate
    handle = BaseDocTemplate.handle_pageEnd
    pages = []
    def page_then_wait(self):  # the second page is laid out, the file not yet written
        handle(self)
        pages.append(1)
        if len(pages) == 2:
            halfway()
    BaseDocTemplate.handle_pageEnd = page_then_wait
    export(session, "case_file", None, "pdf", Path(sys.argv[5]) / "hồ-sơ.pdf", case_ids=[case_id])
"""


def _files(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _holds_identity(data: bytes) -> bool:
    needles = [CANARY_NAME, "Canary", "0912345678", "Thôn Canary"]
    return any(n.encode(enc) in data for n in needles for enc in ("utf-8", "utf-16-le", "utf-16-be"))


@pytest.mark.parametrize("mode", ["preview", "export"])
def test_a_process_killed_halfway_through_a_case_file_leaves_no_identity_on_disk(session, year_of_data, tmp_path,
                                                                                  mode):
    case = session.cases.get(year_of_data["counted"][0]["id"], with_identity=True)
    case["identity"]["narrative"] = ("Chị Xuân Canary Quỳnh kể lại sự việc.\n" * 120)[:3990]
    session.cases.save(case)
    data_dir = session.node.data_dir
    session.close()
    scratch, chosen = tmp_path / "tmp", tmp_path / "chosen"
    scratch.mkdir()
    chosen.mkdir()
    before = set(_files(data_dir))
    env = dict(os.environ, TMPDIR=str(scratch), TEMP=str(scratch), TMP=str(scratch), QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(ROOT), PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(CHILD), str(data_dir), ADMIN_PASSWORD, case["id"],
                              mode, str(chosen)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path)
    try:
        line = child.stdout.readline().decode().strip()
        assert line == "HALFWAY", child.stderr.read().decode()[-3000:]
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert list(scratch.rglob("*")) == [], "nothing in the temporary folder"
    assert list(chosen.iterdir()) == [], "nothing under the chosen name before the pages are laid out"
    after = _files(data_dir)
    new = {p.name for p in set(after) - before}
    assert new <= {"binhan.db-wal", "binhan.db-shm"}, new
    left = [p for p, data in {**after, **_files(tmp_path)}.items() if _holds_identity(data)]
    assert left == [], f"identity in the clear in {left}"
