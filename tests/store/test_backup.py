import pytest

from app.errors import BackupError
from app.node import Node
from tests.conftest import ADMIN_PASSWORD, sample_case


def test_backup_then_restore_brings_back_what_was_saved(session, new_node):
    kept = session.cases.save(sample_case())
    backup = session.backups.create()
    session.cases.save(sample_case())
    session.cases.delete(kept["id"])
    aside = session.backups.restore(backup)
    assert aside.exists(), "the current file is kept aside"
    assert session.cases.ids() == [kept["id"]]
    assert session.verify_audit().ok


def test_backups_rotate(session):
    for _ in range(17):
        session.cases.save(sample_case())
        session.backups.create()
    assert len(session.backups.list()) == 14


def test_automatic_backup_on_close_when_something_changed(session, new_node):
    session.cases.save(sample_case())
    session.close()
    assert len(list(new_node.backups_dir.glob("binhan-*.db"))) == 1
    again = new_node.login("admin", ADMIN_PASSWORD)
    again.close()  # only a logout since: no new backup
    assert len(list(new_node.backups_dir.glob("binhan-*.db"))) == 1


def test_restore_refuses_a_backup_of_another_node(session, tmp_path):
    other, _ = Node.create(tmp_path / "other", kind="commune", name="Xã Khác", code="KH", parent_code=None,
                           profile_code="thai_binh", admin_username="admin", admin_password=ADMIN_PASSWORD)
    other_session = other.login("admin", ADMIN_PASSWORD)
    foreign = other_session.backups.create()
    other_session.close()
    session.cases.save(sample_case())
    with pytest.raises(BackupError) as caught:
        session.backups.restore(foreign)
    assert "không thuộc đơn vị hiện tại" in str(caught.value)
    assert session.cases.count() == 1


def test_forced_restore_of_another_nodes_backup_takes_its_keys(session, tmp_path):
    other, _ = Node.create(tmp_path / "other", kind="commune", name="Xã Khác", code="KH", parent_code=None,
                           profile_code="thai_binh", admin_username="admin", admin_password=ADMIN_PASSWORD)
    other_session = other.login("admin", ADMIN_PASSWORD)
    other_session.cases.save(sample_case())
    other_session.cases.save(sample_case())
    foreign = other_session.backups.create()
    other_session.close()
    session.backups.restore(foreign, force=True, password=ADMIN_PASSWORD)
    assert session.cases.count() == 2
    assert session.node_info.code == "KH"
    node = session.node
    session.close()
    node.__dict__.pop("slots", None)
    Node.open(node.data_dir).login("admin", ADMIN_PASSWORD).close()


def test_damaged_backup_is_refused_with_a_message(session):
    session.cases.save(sample_case())
    backup = session.backups.create()
    data = bytearray(backup.read_bytes())
    for i in range(5000, 5200):
        data[i] ^= 0xFF
    backup.write_bytes(bytes(data))
    with pytest.raises(BackupError):
        session.backups.restore(backup)
    assert session.cases.count() == 1


# --- the list, automatic backups, progress and cancel --------------------------------------------------
from datetime import datetime, timedelta, UTC  # noqa: E402

from app.errors import ValidationFailed  # noqa: E402
from app.store import backup as backups  # noqa: E402


def test_list_says_when_which_node_who_and_why(session, new_node):
    made = session.backups.create()
    [info] = session.backups.list()
    assert info.path == made and info.size == made.stat().st_size > 0
    assert (info.node_code, info.node_name, info.made_by, info.reason) == ("TN01", "Xã Thử Nghiệm", "admin", "manual")
    assert info.made_by_name == "Quản trị thử"
    assert abs(datetime.fromisoformat(info.made_at) - datetime.now(UTC)) < timedelta(minutes=1)
    assert not info.other_node
    assert info.audit_head[0] >= 1


def test_a_backup_without_its_info_file_is_still_listed_from_its_name(session):
    made = session.backups.create()
    made.with_name(made.name + backups.INFO_SUFFIX).unlink()
    [info] = session.backups.list()
    assert info.node_code == "TN01" and info.made_at.startswith(str(datetime.now(UTC).year))
    assert info.made_by is None and not info.other_node


def test_automatic_backup_waits_for_a_change_and_for_its_hours(session, new_node):
    session.backups.create()
    assert not session.backups.due(), "nothing changed"
    session.cases.save(sample_case())
    assert session.backups.changed_since_last()
    assert not session.backups.due(), "changed, but the last backup is minutes old"
    later = datetime.now(UTC) + timedelta(hours=backups.DEFAULT_EVERY_HOURS, minutes=1)
    assert session.backups.due(now=later)
    session.close()
    assert len(list(new_node.backups_dir.glob("binhan-*.db"))) == 1, "log-out within the hours: no copy"


def test_log_ins_and_log_outs_alone_never_make_a_backup_due(session, new_node):
    session.backups.create()
    session.close()
    for _ in range(2):
        new_node.login("admin", ADMIN_PASSWORD).close()
    again = new_node.login("admin", ADMIN_PASSWORD)
    try:
        assert not again.backups.changed_since_last()
        assert not again.backups.due(now=datetime.now(UTC) + timedelta(days=30))
    finally:
        again.close()


def test_the_administrator_sets_the_hours_between_automatic_backups(session, new_node):
    assert session.backups.every_hours() == backups.DEFAULT_EVERY_HOURS
    session.backups.create()
    assert session.backups.set_every_hours(0) == 0
    session.cases.save(sample_case())
    assert session.backups.due()
    with pytest.raises(ValidationFailed):
        session.backups.set_every_hours(-1)
    with pytest.raises(ValidationFailed):
        session.backups.set_every_hours("many")
    assert "settings.change" in {r["action"] for r in session.store.query("SELECT action FROM audit_log")}


def test_cancelled_backup_leaves_nothing_behind(session, new_node):
    for _ in range(3):
        session.cases.save(sample_case())
    seen = []

    class Stop(Exception):
        pass

    def progress(step, done, total):
        seen.append((step, done, total))
        raise Stop()

    with pytest.raises(Stop):
        session.backups.create(progress=progress)
    assert seen and seen[0][0] == "backup" and seen[0][2] > 0
    assert [p.name for p in new_node.backups_dir.iterdir()] == []
    assert session.cases.count() == 3


def test_backup_reports_progress_to_the_end(session, monkeypatch):
    monkeypatch.setattr(backups, "STEP_PAGES", 2)
    seen = []
    session.backups.create(progress=lambda step, done, total: seen.append((done, total)))
    assert len(seen) > 2 and seen[-1][0] == seen[-1][1]


def test_cancelled_restore_changes_nothing(session, new_node):
    kept = session.cases.save(sample_case())
    made = session.backups.create()
    session.cases.save(sample_case())

    class Stop(Exception):
        pass

    def progress(step, done, total):
        if step == "copy":
            raise Stop()

    with pytest.raises(Stop):
        session.backups.restore(made, progress=progress)
    assert session.cases.count() == 2 and kept
    assert not list(new_node.data_dir.glob(".binhan.db.restore.tmp*"))
    assert session.verify_audit().ok


def test_restore_keeps_the_current_file_as_a_listed_backup(session):
    session.cases.save(sample_case())
    made = session.backups.create()
    session.cases.save(sample_case())
    before = session.backups.restore(made)
    listed = {info.path: info for info in session.backups.list()}
    assert listed[before].reason == "before-restore"
    assert session.cases.count() == 1
    session.backups.restore(before)  # and back again
    assert session.cases.count() == 2
    assert session.verify_audit().ok


def test_a_backup_of_another_node_is_explained_plainly(session, tmp_path):
    other, _ = Node.create(tmp_path / "other", kind="commune", name="Xã Khác", code="KH", parent_code=None,
                           profile_code="thai_binh", admin_username="admin", admin_password=ADMIN_PASSWORD)
    other_session = other.login("admin", ADMIN_PASSWORD)
    foreign = other_session.backups.create()
    other_session.close()
    info = backups.describe(foreign, session.node_info.id)
    assert info.other_node
    with pytest.raises(BackupError) as caught:
        session.backups.restore(foreign)
    said = str(caught.value)
    assert "Xã Khác" in said and "KH" in said and "không có gì bị thay đổi" in said


def test_backup_command_lists_and_sets_the_hours(session, new_node, monkeypatch, capsys):
    from binhan import cli

    session.backups.create()
    session.close()
    monkeypatch.setenv("BINHAN_PASSWORD", ADMIN_PASSWORD)
    base = ["--data-dir", str(new_node.data_dir), "--user", "admin", "backup"]
    assert cli.main(base + ["--list"]) == 0
    line = capsys.readouterr().out.strip().splitlines()[0].split("\t")
    assert line[2:5] == ["TN01", "admin", "manual"]
    assert cli.main(base + ["--every", "12"]) == 0
    assert "12 giờ" in capsys.readouterr().out
    assert cli.main(base + ["--every", "-3"]) == 2
