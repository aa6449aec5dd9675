from ui.login import LoginDialog
from ui.qt import QLineEdit, Qt
from tests.conftest import ADMIN_PASSWORD


def open_dialog(qtbot, node):
    dialog = LoginDialog(node)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def type_login(qtbot, type_text, dialog, username, password):
    dialog.username_edit.clear()
    type_text(dialog.username_edit, username)
    type_text(dialog.password_edit, password)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)


def test_dialog_names_the_node_and_hides_the_password(qtbot, new_node):
    dialog = open_dialog(qtbot, new_node)
    assert dialog.node_label.text() == "Xã Thử Nghiệm"
    assert dialog.password_edit.echoMode() == QLineEdit.EchoMode.Password
    assert not dialog.demo_label.isVisible()


def test_wrong_password_shows_the_core_message_and_clears_the_field(qtbot, type_text, new_node):
    dialog = open_dialog(qtbot, new_node)
    type_login(qtbot, type_text, dialog, "admin", "không-đúng")
    assert dialog.message_label.isVisible()
    assert dialog.message_label.text() == "Sai tên đăng nhập hoặc mật khẩu."
    assert "Traceback" not in dialog.message_label.text()
    assert dialog.password_edit.text() == ""
    assert dialog.session is None
    assert dialog.isVisible() and dialog.result() != LoginDialog.DialogCode.Accepted


def test_right_password_accepts_and_hands_over_a_session(qtbot, type_text, new_node):
    dialog = open_dialog(qtbot, new_node)
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        type_login(qtbot, type_text, dialog, "admin", ADMIN_PASSWORD)
    try:
        assert dialog.result() == LoginDialog.DialogCode.Accepted
        assert dialog.session.user.username == "admin"
        assert dialog.password_edit.text() == ""
    finally:
        dialog.session.close()


def test_empty_user_name_is_asked_for_without_calling_the_core(qtbot, new_node, monkeypatch):
    calls = []
    monkeypatch.setattr(new_node, "login", lambda *a: calls.append(a))
    dialog = open_dialog(qtbot, new_node)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    assert calls == []
    assert dialog.message_label.text() == "Hãy nhập tên đăng nhập."


def test_too_many_wrong_passwords_disable_login_with_a_countdown(qtbot, type_text, new_node, monkeypatch):
    monkeypatch.setattr(LoginDialog, "COUNTDOWN_STEP_MS", 20)
    now = [1_000_000.0]
    monkeypatch.setattr(new_node.throttle, "clock", lambda: now[0])
    for _ in range(4):  # three free tries, then each failure doubles the wait: 2 s now
        new_node.throttle.failed("admin")
    dialog = open_dialog(qtbot, new_node)
    type_login(qtbot, type_text, dialog, "admin", ADMIN_PASSWORD)

    assert dialog.session is None
    assert not dialog.login_button.isEnabled()
    assert "chờ 2 giây" in dialog.message_label.text()
    assert dialog.password_edit.text() == ""
    qtbot.waitUntil(lambda: "chờ 1 giây" in dialog.message_label.text(), timeout=2000)
    assert not dialog.login_button.isEnabled()

    now[0] += 2  # the core's wait is over when the countdown ends
    qtbot.waitUntil(dialog.login_button.isEnabled, timeout=2000)
    assert dialog.seconds_to_wait() == 0
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        type_login(qtbot, type_text, dialog, "admin", ADMIN_PASSWORD)
    dialog.session.close()


def test_demo_node_is_marked_in_the_dialog(qtbot, demo_node):
    dialog = open_dialog(qtbot, demo_node)
    assert dialog.demo_label.isVisible()


def test_a_second_window_on_the_same_node_is_told_who_has_it_open(qtbot, type_text, new_node, monkeypatch):
    import app.store.instance as instance

    monkeypatch.setattr(instance, "WAIT_SECONDS", 0.1, raising=False)
    first = open_dialog(qtbot, new_node)
    type_login(qtbot, type_text, first, "admin", ADMIN_PASSWORD)
    assert first.session is not None
    try:
        second = open_dialog(qtbot, type(new_node)(new_node.data_dir))
        type_login(qtbot, type_text, second, "admin", ADMIN_PASSWORD)
        assert second.session is None
        assert "Dữ liệu đang được mở bởi" in second.message_label.text()
    finally:
        first.session.close()


def test_the_preloading_waits_while_a_log_in_runs_and_after_a_good_one_until_the_window_resumes_it(
        qtbot, new_node, monkeypatch):
    import ui.app
    import ui.main_window as main_window

    seen = []

    class ScriptedLogin(LoginDialog):
        """The real dialog, its exec() replaced by a wrong password, then the right one."""

        def exec(self):
            self.busy_changed.connect(lambda busy: seen.append((busy, main_window._PRELOAD_MAY_RUN.is_set())))
            for password in ("không-đúng", ADMIN_PASSWORD):
                self.username_edit.setText("admin")
                self.password_edit.setText(password)
                self.try_login()  # the tests' worker runs at once
                seen.append(("after", main_window._PRELOAD_MAY_RUN.is_set()))
            return self.result()

    monkeypatch.setattr(ui.app, "LoginDialog", ScriptedLogin)
    session = ui.app._log_in(new_node)
    try:
        assert session is not None
        # A wrong password lets it go on; a right one keeps it waiting for the window's first figures.
        assert seen == [(True, False), (False, True), ("after", True), (True, False), (False, False),
                        ("after", False)]
    finally:
        main_window.resume_preloading()
        session.close()
