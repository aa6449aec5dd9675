"""Full disks and read-only drives: a clear Vietnamese message, and the database as it was.

Real small file systems (tmpfs mounts) where this runs as root on Linux; an
injected ENOSPC at the file-system layer everywhere else.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import uuid

import pytest

from binhan import cli
from app.errors import BackupError
from tests.conftest import ADMIN_PASSWORD, sample_case
from tests.faults import harness


def _can_mount() -> str | None:
    if sys.platform != "linux":
        return "tmpfs mounts are a Linux thing"
    if os.geteuid() != 0:
        return "mounting a small tmpfs needs root (the injected-ENOSPC tests still run)"
    return None


@pytest.fixture
def mount(tmp_path):
    """mount(size_kib, read_only=False) -> a folder on its own small tmpfs, unmounted afterwards."""
    reason = _can_mount()
    if reason:
        pytest.skip(reason)
    mounted = []

    def make(size_kib: int, *, read_only: bool = False):
        folder = tmp_path / f"mnt-{uuid.uuid4().hex[:6]}"
        folder.mkdir()
        options = f"size={size_kib}k" + (",ro" if read_only else "")
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
        if result.returncode != 0:
            pytest.skip(f"cannot mount tmpfs here: {result.stderr.decode(errors='replace').strip()}")
        mounted.append(folder)
        return folder

    yield make
    for folder in reversed(mounted):
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill(folder) -> None:
    """Write until the file system says it is full (big blocks, then small ones for the last bytes)."""
    for n, block in enumerate((65536, 512)):
        fd = os.open(folder / f"filler{n}", os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while True:
                os.write(fd, b"\0" * block)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
        finally:
            os.close(fd)


def table_dump(store) -> dict:
    tables = [r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {t: store.conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}


def cli_run(monkeypatch, capsys, *argv) -> tuple[int, str]:
    monkeypatch.setenv("BINHAN_PASSWORD", harness.PASSWORD)
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _exported_world(tmp_path):
    world = harness.World(tmp_path / "world")
    from app.node import Node

    commune = Node.open(world.commune_dir).login("admin", harness.PASSWORD)
    with commune.store.transaction():
        for case in harness.case_batch(7):
            commune.cases.save(case)
    commune.close()
    return world


@pytest.mark.parametrize("drive", ["full", "read-only"])
def test_package_export_to_a_full_or_read_only_drive_says_so(tmp_path, mount, monkeypatch, capsys, drive):
    world = _exported_world(tmp_path)
    target = mount(256, read_only=drive == "read-only")
    if drive == "full":
        fill(target)
    from app.store.db import DB_NAME, Store

    store = Store.open(world.commune_dir / DB_NAME, world.commune_key)
    before = {t: rows for t, rows in table_dump(store).items() if t in ("cases", "outbox", "case_identities")}
    sent_before = store.scalar("SELECT count(*) FROM sync_outgoing WHERE sent_at IS NOT NULL")
    store.close()
    code, said = cli_run(monkeypatch, capsys, "--data-dir", str(world.commune_dir), "--user", "admin",
                         "sync", "export", "--out", str(target / "usb"))
    assert code == 2
    assert ("Ổ đĩa đã đầy" if drive == "full" else "chỉ đọc") in said
    assert "Lỗi không mong đợi" not in said
    assert not [p for p in target.rglob("*.pkg.binhan")]
    store = Store.open(world.commune_dir / DB_NAME, world.commune_key)
    try:
        after = {t: rows for t, rows in table_dump(store).items() if t in before}
        assert after == before
        # The package was built (and noted as built) but never marked sent: the next export sends it again.
        assert store.scalar("SELECT count(*) FROM sync_outgoing WHERE sent_at IS NOT NULL") == sent_before
        assert store.scalar("PRAGMA integrity_check") == "ok"
    finally:
        store.close()


def test_saving_on_a_full_disk_says_so_and_keeps_the_database(tmp_path, mount, monkeypatch, capsys):
    from app.node import Node

    disk = mount(8192)
    node, _ = Node.create(disk / "node", kind="commune", name="Xã Đầy", code="D01", parent_code="TB",
                          profile_code="thai_binh", admin_username="admin", admin_password=harness.PASSWORD)
    session = node.login("admin", harness.PASSWORD)
    session.cases.save(sample_case())
    session.store.checkpoint()
    before = table_dump(session.store)
    session.close()
    fill(disk)
    cases = tmp_path / "cases.json"
    import json

    cases.write_text(json.dumps(harness.case_batch(1) * 40, ensure_ascii=False), encoding="utf-8")
    code, said = cli_run(monkeypatch, capsys, "--data-dir", str(node.data_dir), "--user", "admin",
                         "case", "add", "--json", str(cases))
    assert code == 2, said
    assert "Ổ đĩa đã đầy" in said
    for filler in disk.glob("filler*"):
        filler.unlink()
    session = node.login("admin", harness.PASSWORD)
    try:
        assert session.store.scalar("PRAGMA integrity_check") == "ok"
        after = table_dump(session.store)
        assert after["cases"] == before["cases"] and after["outbox"] == before["outbox"]
    finally:
        session.close()


def test_backup_onto_a_full_disk_says_so_and_leaves_no_half_file(session, monkeypatch):
    real_fsync = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    session.cases.save(sample_case())
    before = session.store.scalar("SELECT count(*) FROM cases")
    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(BackupError) as refused:
        session.backups.create()
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert "Không sao lưu được" in str(refused.value) and "chỗ trống" in str(refused.value)
    assert list(session.node.backups_dir.glob("*")) == []
    assert session.store.scalar("SELECT count(*) FROM cases") == before


def test_backup_onto_a_really_full_disk(tmp_path, mount):
    from app.node import Node

    disk = mount(8192)
    node, _ = Node.create(disk / "node", kind="commune", name="Xã Đầy", code="D02", parent_code="TB",
                          profile_code="thai_binh", admin_username="admin", admin_password=ADMIN_PASSWORD)
    session = node.login("admin", ADMIN_PASSWORD)
    try:
        session.cases.save(sample_case())
        session.store.checkpoint()
        fill(disk)
        with pytest.raises(BackupError) as refused:
            session.backups.create()
        assert "Không sao lưu được" in str(refused.value)
        assert [p.name for p in node.backups_dir.glob("binhan-*")] == []
    finally:
        for filler in disk.glob("filler*"):
            filler.unlink()
        session.close()


def test_disk_filling_during_a_session_fails_the_save_whole(tmp_path, mount):
    from app.node import Node
    from app.store.check import explain_write_failure

    disk = mount(8192)
    node, _ = Node.create(disk / "node", kind="commune", name="Xã Đầy", code="D03", parent_code="TB",
                          profile_code="thai_binh", admin_username="admin", admin_password=ADMIN_PASSWORD)
    session = node.login("admin", ADMIN_PASSWORD)
    try:
        session.cases.save(sample_case())
        fill(disk)
        count = session.store.scalar("SELECT count(*) FROM cases")
        with pytest.raises(Exception) as failed:
            with session.store.transaction():
                for case in harness.case_batch(1) * 60:
                    session.cases.save(case)
        problem = explain_write_failure(failed.value, disk)
        assert problem is not None and "Ổ đĩa đã đầy" in str(problem), failed.value
        assert session.store.scalar("SELECT count(*) FROM cases") == count
    finally:
        for filler in disk.glob("filler*"):
            filler.unlink()
        session.close()
    session = node.login("admin", ADMIN_PASSWORD)
    try:
        assert session.store.scalar("PRAGMA integrity_check") == "ok"
        assert session.store.scalar("SELECT count(*) FROM cases") == 1
    finally:
        session.close()
