"""The Accounts page, Settings' own password and the log-in's recovery, driven as a person would,
over the real account core (app.node.Session, the key slots)."""

from __future__ import annotations

import pytest

from app.errors import BinhAnError
from tests.conftest import ADMIN_PASSWORD
from ui.qt import QApplication, QDialog, QMessageBox, Qt

BOB_PASSWORD = "mật khẩu của bob"


@pytest.fixture
def page(qtbot, session):
    from ui.accounts.page import AccountsPage

    page = AccountsPage(session)
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()
    return page


@pytest.fixture
def bob(session):
    session.add_user("bob", BOB_PASSWORD, "officer", display_name="Trần Văn Bình")
    return "bob"


def cell(page, username: str, column: int) -> str:
    for number, row in enumerate(page.model.rows):
        if row["username"] == username:
            return page.model.cell(number, column)
    raise AssertionError(f"{username} is not listed")


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def answer_yes(box: QMessageBox) -> None:
    yes = next(b for b in box.buttons() if box.buttonRole(b) != QMessageBox.ButtonRole.RejectRole)
    yes.click()


def test_the_list_shows_each_account_with_its_role_and_state(page, bob):
    page.reload()
    assert cell(page, "admin", page.ROLE) == "Quản trị viên"
    assert cell(page, "bob", page.DISPLAY) == "Trần Văn Bình"
    assert cell(page, "bob", page.STATE) == "Đang dùng"
    assert cell(page, "bob", page.LAST_LOGIN) == "chưa có"


def test_the_administrator_adds_an_account_that_can_then_log_in(qtbot, page, new_node, type_text):
    click(qtbot, page.add_button)
    dialog = page.dialog
    qtbot.keyClicks(dialog.username_edit, "lan")
    type_text(dialog.display_edit, "Nguyễn Thị Lan")
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("leader"))
    type_text(dialog.fields.new_edit, "một câu dài")
    type_text(dialog.fields.repeat_edit, "một câu dài")
    click(qtbot, dialog.save_button)
    assert not dialog.isVisible()
    assert cell(page, "lan", page.ROLE) == "Lãnh đạo UBND"
    assert page.message.text() == "Đã thêm tài khoản lan."
    other = new_node.login("lan", "một câu dài")
    assert other.user.display_name == "Nguyễn Thị Lan" and other.user.role == "leader"
    other.close()


def test_a_new_account_with_a_weak_or_unrepeated_password_is_not_added(qtbot, page, session):
    click(qtbot, page.add_button)
    dialog = page.dialog
    qtbot.keyClicks(dialog.username_edit, "lan")
    qtbot.keyClicks(dialog.fields.new_edit, "ab")
    qtbot.keyClicks(dialog.fields.repeat_edit, "ab")
    click(qtbot, dialog.save_button)
    assert dialog.isVisible() and "ít nhất" in dialog.message.text()
    dialog.fields.new_edit.setText("một câu dài")
    dialog.fields.repeat_edit.setText("một câu khác")
    click(qtbot, dialog.save_button)
    assert dialog.isVisible() and "chưa giống nhau" in dialog.message.text()
    assert [a.username for a in session.accounts()] == ["admin"]


def test_a_cadre_is_given_her_point_chosen_by_name(qtbot, page, session, new_node):
    point = session.registries.save_model({"kind": "trusted_address", "name": "Địa chỉ tin cậy thôn Đông"})
    click(qtbot, page.add_button)
    dialog = page.dialog
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("cadre"))
    assert dialog.point_combo.isVisible()
    assert dialog.point_combo.currentText() == "Địa chỉ tin cậy thôn Đông"
    qtbot.keyClicks(dialog.username_edit, "canbo")
    dialog.fields.new_edit.setText("một câu dài")
    dialog.fields.repeat_edit.setText("một câu dài")
    click(qtbot, dialog.save_button)
    assert cell(page, "canbo", page.POINT) == "Địa chỉ tin cậy thôn Đông"
    other = new_node.login("canbo", "một câu dài")
    assert other.user.point_id == point["id"]
    other.close()


def test_disabling_an_account_stops_that_person_logging_in(qtbot, page, bob, new_node):
    page.reload()
    assert page.select("bob")
    click(qtbot, page.disable_button)
    answer_yes(page.dialog)
    assert cell(page, "bob", page.STATE) == "Đã vô hiệu hóa"
    assert page.enable_button.isVisible() and not page.disable_button.isVisible()
    with pytest.raises(BinhAnError):
        new_node.login("bob", BOB_PASSWORD)


def test_saying_no_disables_nothing(qtbot, page, bob, new_node):
    page.reload()
    page.select("bob")
    click(qtbot, page.disable_button)
    page.dialog.reject()
    assert cell(page, "bob", page.STATE) == "Đang dùng"
    new_node.login("bob", BOB_PASSWORD).close()


def test_the_administrator_cannot_disable_or_reset_her_own_account_here(page):
    page.reload()
    page.select("admin")
    assert not page.disable_button.isEnabled()
    assert not page.reset_button.isEnabled()
    assert "tài khoản của bạn" in page.disable_button.toolTip()


def test_re_enabling_gives_a_one_time_password_that_must_be_changed_at_the_next_log_in(qtbot, page, bob, new_node):
    page.reload()
    page.select("bob")
    click(qtbot, page.disable_button)
    answer_yes(page.dialog)
    page.select("bob")
    click(qtbot, page.enable_button)
    one_time = page.dialog.password_label.text()
    assert one_time and page.dialog.isVisible()
    page.dialog.accept()
    assert cell(page, "bob", page.STATE) == "Chờ đổi mật khẩu dùng một lần"
    session = new_node.login("bob", one_time)
    assert session.must_change_password
    session.close()


def test_a_reset_password_is_shown_once_and_the_log_in_asks_for_a_new_one(qtbot, page, bob, new_node):
    from ui.login import LoginDialog

    page.reload()
    page.select("bob")
    click(qtbot, page.reset_button)
    answer_yes(page.dialog)
    shown = page.dialog
    one_time = shown.password_label.text()
    click(qtbot, shown.copy_button)
    assert QApplication.clipboard().text() == one_time
    shown.accept()
    assert shown.password_label.text() == ""  # not left in a closed dialog
    with pytest.raises(BinhAnError):
        new_node.login("bob", BOB_PASSWORD).close()  # the old password is gone

    login = LoginDialog(new_node)
    qtbot.addWidget(login)
    login.show()
    qtbot.keyClicks(login.username_edit, "bob")
    qtbot.keyClicks(login.password_edit, one_time)
    click(qtbot, login.login_button)
    change = login.change_dialog
    assert change is not None and change.isVisible() and login.session is None
    change.fields.new_edit.setText("mật khẩu riêng của bob")
    change.fields.repeat_edit.setText("mật khẩu riêng của bob")
    click(qtbot, change.save_button)
    assert login.result() == QDialog.DialogCode.Accepted and login.session is not None
    assert not login.session.must_change_password
    login.session.close()
    new_node.login("bob", "mật khẩu riêng của bob").close()
    with pytest.raises(BinhAnError):
        new_node.login("bob", one_time)


def test_leaving_the_new_password_question_logs_out(qtbot, page, bob, new_node):
    from ui.login import LoginDialog

    one_time = page.session.reset_password("bob")
    login = LoginDialog(new_node)
    qtbot.addWidget(login)
    login.show()
    login.username_edit.setText("bob")
    login.password_edit.setText(one_time)
    login.try_login()
    login.change_dialog.reject()
    assert login.session is None and login.isVisible() and login.login_button.isEnabled()
    assert "mật khẩu dùng một lần" in login.message_label.text()


def test_unlocking_lets_a_locked_out_person_try_again_at_once(qtbot, page, bob, new_node):
    for _ in range(10):  # the lock-out's default: ten wrong passwords, each after the slow-down's wait
        later = new_node.throttle.clock() + 400
        new_node.throttle.clock = lambda later=later: later
        with pytest.raises(BinhAnError):
            new_node.login("bob", "sai")
    page.reload()
    assert cell(page, "bob", page.STATE) == "Bị khóa do nhập sai mật khẩu nhiều lần"
    page.select("bob")
    click(qtbot, page.unlock_button)
    assert "Đã mở khóa" in page.message.text()
    new_node.login("bob", BOB_PASSWORD).close()


def test_a_role_changes_from_the_page(qtbot, page, bob, new_node):
    page.reload()
    page.select("bob")
    click(qtbot, page.role_button)
    dialog = page.dialog
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("leader"))
    click(qtbot, dialog.save_button)
    assert cell(page, "bob", page.ROLE) == "Lãnh đạo UBND"


def test_other_roles_see_one_sentence_and_no_list(qtbot, session, new_node, bob):
    from ui.accounts.page import AccountsPage

    other = new_node.login("bob", BOB_PASSWORD)
    page = AccountsPage(other)
    qtbot.addWidget(page)
    assert page.model is None
    assert "Chỉ quản trị viên" in page.findChild(type(page.layout().itemAt(0).widget()),
                                                 "accountsNotAllowed").text()
    other.close()


# --- one's own password (Settings) -----------------------------------------------------------------------------

@pytest.fixture
def settings(qtbot, session):
    from ui.settings.page import SettingsPage

    page = SettingsPage(session)
    qtbot.addWidget(page)
    page.show()
    return page


def test_a_person_changes_her_own_password_in_settings(qtbot, settings, new_node):
    settings.current_password.setText(ADMIN_PASSWORD)
    settings.new_password.new_edit.setText("một câu mới dài")
    assert not settings.password_button.isEnabled()  # not repeated yet
    settings.new_password.repeat_edit.setText("một câu mới dài")
    click(qtbot, settings.password_button)
    assert "Đã đổi mật khẩu" in settings.password_message.text()
    assert settings.current_password.text() == "" and settings.new_password.new_edit.text() == ""
    new_node.login("admin", "một câu mới dài").close()
    with pytest.raises(BinhAnError):
        new_node.login("admin", ADMIN_PASSWORD)


def test_a_wrong_current_password_changes_nothing(qtbot, settings, new_node):
    settings.current_password.setText("không đúng")
    settings.new_password.new_edit.setText("một câu mới dài")
    settings.new_password.repeat_edit.setText("một câu mới dài")
    click(qtbot, settings.password_button)
    assert settings.password_message.text() == "Mật khẩu hiện tại không đúng."
    new_node.login("admin", ADMIN_PASSWORD).close()


def test_settings_list_the_kinds_of_slot_and_no_secret(settings, new_node):
    texts = " ".join(label.text() for label in settings.slot_labels.values())
    assert "Mật khẩu của từng người dùng (1 tài khoản)" in texts
    assert "Mã khôi phục" in texts
    assert new_node.recovery_key_for_tests not in texts


# --- recovery from the log-in ------------------------------------------------------------------------------------

def test_recovery_from_the_log_in_sets_a_new_password_and_opens_the_window(qtbot, new_node):
    from ui.login import LoginDialog

    login = LoginDialog(new_node)
    qtbot.addWidget(login)
    login.show()
    click(qtbot, login.help_button)
    recovery = login.recovery_dialog
    assert recovery.isVisible() and recovery.account_combo.count() == 0  # no user name before the key
    qtbot.keyClicks(recovery.key_edit, "AAAAA-BBBBB-CCCCC")
    click(qtbot, recovery.next_button)
    assert "không đúng" in recovery.message.text()
    assert recovery.steps.currentIndex() == recovery.KEY_STEP

    recovery.key_edit.setText(new_node.recovery_key_for_tests.lower())
    click(qtbot, recovery.next_button)
    assert recovery.steps.currentIndex() == recovery.PASSWORD_STEP
    assert [recovery.account_combo.itemText(i) for i in range(recovery.account_combo.count())] == ["admin"]
    recovery.fields.new_edit.setText("mật khẩu sau khôi phục")
    recovery.fields.repeat_edit.setText("mật khẩu sau khôi phục")
    click(qtbot, recovery.next_button)
    assert login.result() == QDialog.DialogCode.Accepted
    session = login.session
    assert session is not None and session.user.username == "admin"
    session.close()
    new_node.login("admin", "mật khẩu sau khôi phục").close()
    with pytest.raises(BinhAnError):
        new_node.login("admin", ADMIN_PASSWORD)


def test_a_cancelled_recovery_changes_nothing(qtbot, new_node):
    from ui.login import LoginDialog

    login = LoginDialog(new_node)
    qtbot.addWidget(login)
    login.show()
    recovery = login.start_recovery()
    recovery.key_edit.setText(new_node.recovery_key_for_tests)
    recovery.check_key()
    recovery.reject()
    assert login.session is None and login.isVisible()
    new_node.login("admin", ADMIN_PASSWORD).close()


# --- the recovery sheet printed ----------------------------------------------------------------------------------

def test_the_recovery_sheet_prints_from_memory(qtbot, session, tmp_path):
    import shutil
    import subprocess

    from ui.qt import QPrinter
    from ui.setup.recovery import RecoveryKeyDialog, node_kind_label

    info = session.node_info
    key = session.new_recovery_key()
    dialog = RecoveryKeyDialog(key, info, node_kind_label(session.reference, info.kind))
    qtbot.addWidget(dialog)
    dialog.show()
    out = tmp_path / "printer" / "sheet.pdf"
    out.parent.mkdir()

    def pdf_printer(_parent):
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return printer

    dialog.panel.choose_printer = pdf_printer
    click(qtbot, dialog.panel.print_button)
    assert "máy in" in dialog.panel.saved_label.text()
    assert sorted(p.name for p in out.parent.iterdir()) == ["sheet.pdf"]  # nothing else written on the way
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
        assert key.split("-")[0] in text and "TỜ KHÔI PHỤC DỮ LIỆU" in text and info.name in text
    dialog.panel.choose_printer = lambda _parent: None
    assert dialog.panel.print_button.isEnabled()
    assert not dialog.panel.print_sheet()


def test_recovery_is_refused_before_any_password_changes_while_the_node_is_open_elsewhere(qtbot, new_node):
    from app.store.instance import InstanceLock
    from ui.login import LoginDialog

    elsewhere = InstanceLock(new_node.data_dir)
    elsewhere.acquire("admin")
    try:
        login = LoginDialog(new_node)
        qtbot.addWidget(login)
        login.show()
        recovery = login.start_recovery()
        recovery.key_edit.setText(new_node.recovery_key_for_tests)
        recovery.check_key()
        recovery.fields.new_edit.setText("mật khẩu sau khôi phục")
        recovery.fields.repeat_edit.setText("mật khẩu sau khôi phục")
        recovery.recover()
        assert login.session is None and recovery.isVisible() and recovery.message.text()
    finally:
        elsewhere.release()
    new_node.login("admin", ADMIN_PASSWORD).close()  # the old password still works: nothing was changed


def test_a_change_made_elsewhere_shows_when_the_page_is_shown_again(page, session):
    page.hide()
    session.add_user("mai", "một câu dài", "leader")
    page.show()
    assert "mai" in [row["username"] for row in page.model.rows]
