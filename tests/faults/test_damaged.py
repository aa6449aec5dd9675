"""Damaged files, damaged for real on disk: each gets its own message and a way forward."""

from __future__ import annotations

import pytest

from binhan import cli
from app.errors import BackupError, DatabaseDamaged, WrongSecret
from app.node import Node
from app.store import check
from app.store.db import Store
from tests.conftest import ADMIN_PASSWORD, sample_case
from tests.faults import harness

PAGE = 4096  # SQLCipher's page size


def flip(path, offset: int, count: int = 16) -> None:
    data = bytearray(path.read_bytes())
    for i in range(offset, offset + count):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.fixture
def backed_up(new_node):
    """A node with two cases and one good backup, closed."""
    session = new_node.login("admin", ADMIN_PASSWORD)
    session.cases.save(sample_case())
    session.cases.save(sample_case())
    backup = session.backups.create()
    session.close()
    return new_node, backup


def run_check(node, monkeypatch, capsys) -> tuple[int, str]:
    monkeypatch.setenv("BINHAN_PASSWORD", ADMIN_PASSWORD)
    code = cli.main(["--data-dir", str(node.data_dir), "--user", "admin", "check"])
    return code, capsys.readouterr().out


def test_check_passes_on_a_whole_node(backed_up, monkeypatch, capsys):
    node, _ = backed_up
    code, out = run_check(node, monkeypatch, capsys)
    assert code == 0, out
    assert out.startswith("Mọi kiểm tra đều đạt")


def test_flipped_bytes_in_a_page_are_caught_at_start_up_and_by_check(backed_up, monkeypatch, capsys):
    node, backup = backed_up
    key = node.slots.open_with_password("admin", ADMIN_PASSWORD)
    store = Store.open(node.db_path, key)
    cases_page = store.scalar("SELECT rootpage FROM sqlite_master WHERE name = 'cases'")
    store.close()
    flip(node.db_path, PAGE * (cases_page - 1) + 200)
    session = node.login("admin", ADMIN_PASSWORD, exclusive=True)
    report = session.start_up_check()  # the window's start-up quick_check, on a connection of its own
    assert not report.ok
    assert "khôi phục bản sao lưu" in report.findings[0].message("vi")
    backups_before = sorted(p.name for p in node.backups_dir.iterdir())
    session.close()  # no automatic backup of a file found damaged: it would push out a good one
    assert sorted(p.name for p in node.backups_dir.iterdir()) == backups_before
    code, out = run_check(node, monkeypatch, capsys)
    assert code == 3
    assert "Cơ sở dữ liệu bị hỏng" in out
    assert f"Bản sao lưu tốt gần nhất: {backup}" in out
    # A command that meets the damaged page says so (not "unexpected error").
    assert cli.main(["--data-dir", str(node.data_dir), "--user", "admin", "case", "list"]) == 2
    said = capsys.readouterr().err
    assert "Cơ sở dữ liệu bị hỏng" in said and "binhan check" in said


def test_damaged_first_page_is_called_damage_not_a_wrong_password(backed_up):
    node, _ = backed_up
    flip(node.db_path, 40)
    with pytest.raises(DatabaseDamaged) as refused:
        node.login("admin", ADMIN_PASSWORD)
    assert not isinstance(refused.value, WrongSecret)
    assert "binhan check" in str(refused.value)


def test_full_check_finds_a_case_missing_from_the_outbox(session):
    session.cases.save(sample_case())
    session.store.execute("DELETE FROM outbox")
    report = check.full(session.store)
    assert [f.what for f in report.findings] == ["outbox"]


def test_damaged_key_slot_file_names_its_copies_and_the_recovery_key_still_opens(new_node):
    slots = new_node.slots_path
    text = slots.read_text(encoding="utf-8")
    slots.write_text(text[: len(text) // 2], encoding="utf-8")  # cut off, as by a pulled plug
    with pytest.raises(DatabaseDamaged) as refused:
        Node.open(new_node.data_dir).login("admin", ADMIN_PASSWORD)
    assert "keyslots.json" in str(refused.value) and "backups" in str(refused.value)
    # A damaged password slot only: the recovery key opens and writes the slot anew.
    slots.write_text(text, encoding="utf-8")
    node = Node.open(new_node.data_dir)
    for slot in node.slots.slots:
        if slot.kind == "password":
            slot.box = slot.box[:10] + ("A" if slot.box[10] != "A" else "B") + slot.box[11:]
    node.slots.save()
    node = Node.open(new_node.data_dir)
    with pytest.raises(WrongSecret):
        node.login("admin", ADMIN_PASSWORD)
    session = node.recover(new_node.recovery_key_for_tests, "admin", "mật-khẩu-mới-dài")
    session.close()
    Node.open(new_node.data_dir).login("admin", "mật-khẩu-mới-dài").close()


def test_damaged_backup_is_refused_and_named_by_check(backed_up, monkeypatch, capsys):
    node, backup = backed_up
    flip(backup, PAGE * 3 + 100)
    session = node.login("admin", ADMIN_PASSWORD)
    try:
        with pytest.raises(BackupError) as refused:
            session.backups.restore(backup)
        assert "Hãy chọn bản sao lưu khác" in str(refused.value)
    finally:
        session.close()  # makes a fresh, whole backup
    code, out = run_check(node, monkeypatch, capsys)
    assert code == 3
    assert f"Bản sao lưu {backup.name} bị hỏng" in out


@pytest.mark.parametrize("damage", ["truncated", "flipped"])
def test_damaged_package_is_refused_with_ask_again_and_changes_nothing(tmp_path, damage):
    from sync import importer
    from sync.errors import PackageError

    world = harness.World(tmp_path / "world")
    package = sorted(world.incoming.glob("*.pkg.binhan"))[0]
    data = package.read_bytes()
    package.write_bytes(data[: len(data) * 2 // 3] if damage == "truncated"
                        else data[:-200] + bytes(b ^ 0xFF for b in data[-200:-190]) + data[-190:])
    province = Node.open(world.province_dir).login("admin", harness.PASSWORD)
    try:
        before = province.store.scalar("SELECT count(*) FROM cases")
        with pytest.raises(PackageError) as refused:
            importer.import_package(province, package)
        assert "gửi lại" in str(refused.value)
        assert province.store.scalar("SELECT count(*) FROM cases") == before
    finally:
        province.close()
