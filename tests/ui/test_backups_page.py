"""The Backups page, driven as a person would: back up now, restore with its question, cancel, roles."""

from __future__ import annotations

import json
import os
import stat

import pytest

from app import audit
from tests.conftest import ADMIN_PASSWORD, sample_case
from ui.backups.page import COL_BY, COL_NODE, COL_WHY, BackupsPage
from ui.qt import QApplication, QMessageBox, Qt


def open_backups(qtbot, main_window) -> BackupsPage:
    main_window.show()
    qtbot.waitExposed(main_window)
    main_window.show_page("backups")
    page = main_window.pages["backups"]
    assert isinstance(page, BackupsPage)
    return page


def answer(qtbot, name: str, yes: bool) -> None:
    box = next(w for w in QApplication.topLevelWidgets() if w.objectName() == name and w.isVisible())
    wanted = QMessageBox.ButtonRole.AcceptRole if yes else QMessageBox.ButtonRole.RejectRole
    button = next(b for b in box.buttons() if box.buttonRole(b) == wanted)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def select_row(qtbot, page, row: int) -> None:
    view = page.table
    rect = view.visualRect(page.model.index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_back_up_now_appears_in_the_list(qtbot, main_window, session):
    page = open_backups(qtbot, main_window)
    assert page.model.rowCount() == 0 and page.empty_label.isVisible()
    qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 1
    assert page.model.cell(0, COL_NODE) == "Xã Thử Nghiệm (TN01)"
    assert page.model.cell(0, COL_BY) == "Quản trị thử"
    assert page.model.cell(0, COL_WHY) == "Sao lưu ngay"
    assert page.message.kind == "success" and "Đã sao lưu" in page.message.text()
    assert page.progress_dialog is None, "the progress dialog closed when the job ended"


def test_restore_asks_then_brings_the_data_back_and_the_audit_says_so(qtbot, main_window, session):
    kept = session.cases.save(sample_case())
    page = open_backups(qtbot, main_window)
    qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    session.cases.save(sample_case())
    session.cases.delete(kept["id"])
    replaced = []
    main_window.replaced.connect(replaced.append)

    select_row(qtbot, page, 0)
    assert page.restore_button.isEnabled()
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    answer(qtbot, "restoreBackupBox", yes=False)  # "Không khôi phục": nothing happens
    assert session.cases.ids() != [kept["id"]] and not replaced

    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    answer(qtbot, "restoreBackupBox", yes=True)
    assert session.cases.ids() == [kept["id"]], "the data is back"
    entry = audit.entries(session.store, action="backup.restored")[0]
    assert json.loads(entry["detail"])["file"].startswith("binhan-TN01-")
    assert session.verify_audit().ok
    # The window is rebuilt on the restored data, on the Backups page, saying what happened.
    assert len(replaced) == 1
    successor = replaced[0]
    qtbot.addWidget(successor)
    new_page = successor.pages["backups"]
    assert successor.current_page_key() == "backups"
    assert "Đã khôi phục bản sao lưu" in new_page.message.text()
    reasons = [new_page.model.cell(row, COL_WHY) for row in range(new_page.model.rowCount())]
    assert "Trước khi khôi phục" in reasons, "the data replaced is kept as a backup"
    successor.close()


def test_cancel_stops_a_backup_and_leaves_nothing(qtbot, main_window, session, new_node, monkeypatch):
    from ui.widgets import progress as progress_module

    page = open_backups(qtbot, main_window)
    real_update = progress_module.Progress.update

    def press_cancel_at_the_first_step(self, *args, **kwargs):
        real_update(self, *args, **kwargs)
        page.progress_dialog.cancel_button.click()  # the person presses Cancel while the copy runs

    monkeypatch.setattr(progress_module.Progress, "update", press_cancel_at_the_first_step)
    qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    assert "Đã hủy" in page.message.text()
    assert page.model.rowCount() == 0
    assert [p.name for p in new_node.backups_dir.iterdir()] == []


def test_a_backup_of_another_node_is_explained_not_restored(qtbot, main_window, session, tmp_path):
    from app.node import Node

    other, _ = Node.create(tmp_path / "other", kind="commune", name="Xã Khác", code="KH", parent_code=None,
                           profile_code="thai_binh", admin_username="admin", admin_password=ADMIN_PASSWORD)
    other_session = other.login("admin", ADMIN_PASSWORD)
    foreign = other_session.backups.create()
    other_session.close()
    session.cases.save(sample_case())
    page = open_backups(qtbot, main_window)

    class Chosen:
        def open_file(self, *args, **kwargs):
            return str(foreign)

    page.files = Chosen()
    qtbot.mouseClick(page.restore_file_button, Qt.MouseButton.LeftButton)
    assert page.message.kind == "error"
    assert "Xã Khác" in page.message.text() and "không có gì bị thay đổi" in page.message.text()
    assert session.cases.count() == 1


def test_an_officer_backs_up_but_cannot_restore(qtbot, session, new_node):
    from ui.main_window import MainWindow

    session.add_user("canbo", "mật-khẩu-cán-bộ", "officer")
    officer = new_node.login("canbo", "mật-khẩu-cán-bộ")
    window = MainWindow(officer)
    qtbot.addWidget(window)
    page = open_backups(qtbot, window)
    assert page.backup_button.isVisible() and not page.restore_button.isVisible()
    assert not page.every_spin.isEnabled()
    window.close()


def test_a_leader_sees_the_page_say_she_cannot(qtbot, session, new_node):
    from ui.main_window import MainWindow

    session.add_user("lanhdao", "mật-khẩu-lãnh-đạo", "leader")
    leader = new_node.login("lanhdao", "mật-khẩu-lãnh-đạo")
    window = MainWindow(leader)
    qtbot.addWidget(window)
    page = open_backups(qtbot, window)
    assert not page.backup_button.isVisible() and "không sao lưu" in page.intro.text()
    window.close()


def test_the_administrator_sets_the_hours(qtbot, main_window, session):
    page = open_backups(qtbot, main_window)
    assert page.every_spin.value() == 6
    page.every_spin.setValue(12)
    qtbot.mouseClick(page.every_save, Qt.MouseButton.LeftButton)
    assert session.backups.every_hours() == 12


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_a_folder_found_open_is_said_in_the_status_bar(qtbot, new_node):
    from app.node import Node
    from ui.main_window import MainWindow

    os.chmod(new_node.db_path, 0o644)
    session = Node.open(new_node.data_dir).login("admin", ADMIN_PASSWORD)
    window = MainWindow(session)
    qtbot.addWidget(window)
    assert window.folder_warning is not None and "binhan.db" in window.folder_warning.text()
    assert stat.S_IMODE(new_node.db_path.stat().st_mode) == 0o600
    window.close()
