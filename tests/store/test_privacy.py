"""The node folder is private: 0700 for folders, 0600 for files, checked and repaired at each start (POSIX)."""

from __future__ import annotations

import json
import os
import stat

import pytest

from binhan import cli
from app.errors import NodeNotFound, WrongSecret
from app.node import Node
from app.store import privacy
from tests.conftest import ADMIN_PASSWORD, sample_case

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX; Windows relies on the profile")


def modes(folder) -> dict[str, int]:
    found = {".": stat.S_IMODE(folder.stat().st_mode)}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = os.path.join(root, name)
            found[os.path.relpath(path, folder)] = stat.S_IMODE(os.lstat(path).st_mode)
    return found


def assert_private(folder) -> None:
    for name, mode in modes(folder).items():
        want = privacy.DIR_MODE if (folder / name).is_dir() else privacy.FILE_MODE
        assert mode == want, f"{name}: {mode:o}"


@pytest.fixture
def open_umask():
    """A process started with the usual umask (022): the app must not rely on the caller's."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_every_file_the_node_makes_is_private_from_the_start(open_umask, tmp_path):
    os.umask(0o022)
    node, _ = Node.create(tmp_path / "node", kind="commune", name="Xã Riêng", code="R01", parent_code=None,
                          profile_code="thai_binh", admin_username="admin", admin_password=ADMIN_PASSWORD)
    with pytest.raises(WrongSecret):
        node.login("admin", "sai-mật-khẩu")  # writes the log-in counters
    session = node.login("admin", ADMIN_PASSWORD)
    session.cases.save(sample_case())
    session.backups.create()
    assert (node.data_dir / "binhan.db-wal").exists()
    assert_private(node.data_dir)  # while open: the -wal and -shm too
    session.close()
    assert_private(node.data_dir)
    assert session.folder_repairs == []
    names = set(modes(node.data_dir))
    assert {"binhan.db", "keyslots.json", "keyslots.json.lock", "audit-head.json", "backups"} <= names


def test_an_opened_up_folder_is_repaired_with_a_warning_and_audited_once(new_node, monkeypatch, capsys):
    session = new_node.login("admin", ADMIN_PASSWORD)
    session.backups.create()
    session.close()
    os.chmod(new_node.data_dir, 0o755)
    os.chmod(new_node.db_path, 0o644)
    os.chmod(new_node.data_dir / "backups", 0o775)
    stray = new_node.data_dir / "goi-gui-len.binhan"
    stray.write_bytes(b"package")
    os.chmod(stray, 0o666)
    for backup in (new_node.data_dir / "backups").iterdir():
        os.chmod(backup, 0o644)

    node = Node.open(new_node.data_dir)
    repaired = {r.path for r in node.folder_repairs}
    assert {".", "binhan.db", "backups", "goi-gui-len.binhan"} <= repaired
    assert_private(node.data_dir)
    assert "có thể bị tài khoản khác trên máy này đọc được" in node.folder_repairs[0].message()

    session = node.login("admin", ADMIN_PASSWORD)
    try:
        assert {r.path for r in session.folder_repairs} == repaired  # the window shows these
        entries = session.store.query("SELECT detail FROM audit_log WHERE action = 'folder.private'")
        assert len(entries) == 1
        assert {r["path"] for r in json.loads(entries[0]["detail"])["repaired"]} == repaired
    finally:
        session.close()
    again = Node.open(new_node.data_dir).login("admin", ADMIN_PASSWORD)
    again.close()
    assert len(again.folder_repairs) == 0


def test_the_command_line_prints_the_repair(new_node, monkeypatch, capsys):
    os.chmod(new_node.slots_path, 0o644)
    monkeypatch.setenv("BINHAN_PASSWORD", ADMIN_PASSWORD)
    assert cli.main(["--data-dir", str(new_node.data_dir), "--user", "admin", "case", "list"]) == 0
    err = capsys.readouterr().err
    assert "keyslots.json" in err and "Cảnh báo" in err
    assert stat.S_IMODE(new_node.slots_path.stat().st_mode) == 0o600


def test_symbolic_links_are_left_alone(new_node, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("x")
    os.chmod(outside, 0o644)
    (new_node.data_dir / "link").symlink_to(outside)
    privacy.make_private(new_node.data_dir)
    assert stat.S_IMODE(outside.stat().st_mode) == 0o644


def test_a_folder_that_holds_no_node_is_never_touched(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    photo = home / "anh.jpg"
    photo.write_bytes(b"x")
    os.chmod(home, 0o755)
    os.chmod(photo, 0o644)
    with pytest.raises(NodeNotFound):
        Node.open(home)  # a mistyped --data-dir
    assert stat.S_IMODE(home.stat().st_mode) == 0o755 and stat.S_IMODE(photo.stat().st_mode) == 0o644
