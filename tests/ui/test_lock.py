"""The lock: by hand (Ctrl+L) or when idle, it hides every piece of data until the password is typed."""

import pytest

from tests.conftest import ADMIN_PASSWORD, CANARY_NAME
from ui.lock import IdleWatcher, LockScreen
from ui.qt import (QAbstractButton, QApplication, QComboBox, QDialog, QLabel, QLineEdit, QListWidget, QTableView,
                   Qt, QWidget)
from ui.settings import DEFAULT_IDLE_LOCK_MINUTES, idle_lock_minutes, set_idle_lock_minutes


def show_active(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    window.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def visible_texts(top: QWidget) -> list[str]:
    """Every text a person could read in `top` and its visible children, table cells included."""
    texts = []
    for widget in [top, *top.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QLineEdit):
            texts.append(widget.text())
        elif isinstance(widget, QComboBox):
            texts.extend(widget.itemText(i) for i in range(widget.count()))
        elif isinstance(widget, QListWidget):
            texts.extend(widget.item(i).text() for i in range(widget.count()))
        elif isinstance(widget, QTableView) and widget.model() is not None:
            model = widget.model()
            for row in range(model.rowCount()):
                for column in range(model.columnCount()):
                    texts.append(str(model.index(row, column).data() or ""))
    return texts


@pytest.fixture
def window_with_a_case(qtbot, session, three_cases):
    from ui.main_window import MainWindow

    window = MainWindow(session)
    qtbot.addWidget(window)
    window.resize(1100, 700)
    window.show_page("cases")
    window.show()
    qtbot.waitExposed(window)
    code = three_cases["overdue"]
    qtbot.waitUntil(lambda: any(code in t for t in visible_texts(window)), timeout=2000)
    return window, code


def test_locking_hides_every_case_and_name(qtbot, window_with_a_case):
    window, code = window_with_a_case
    window.cases_page.search_edit.setText("Nguyễn")  # what someone was typing is data too

    window.lock_action.trigger()

    assert window.is_locked and window.session.locked
    assert not window.content.isVisible()
    assert window.lock_screen.isVisible()
    texts = visible_texts(window)
    assert texts, "the lock screen shows something"
    assert not any(code in t for t in texts)
    assert not any(CANARY_NAME in t or "Nguyễn" in t for t in texts)
    # The title still names the node and the person, and nothing else.
    assert window.windowTitle() == "Bình An — Xã Thử Nghiệm — Quản trị thử (Quản trị viên)"
    # Menus that reach data are off while locked.
    assert not window.find_action.isEnabled()
    assert not window.page_actions["cases"].isEnabled()
    assert window.lock_action.isEnabled() and window.switch_user_action.isEnabled()


def test_ctrl_l_locks(qtbot, main_window):
    show_active(qtbot, main_window)
    qtbot.keyClick(main_window.navigation, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert main_window.is_locked
    assert QApplication.focusWidget() is main_window.lock_screen.password_edit


def test_a_wrong_password_keeps_it_locked_and_says_so(qtbot, type_text, window_with_a_case):
    window, code = window_with_a_case
    window.lock()
    screen = window.lock_screen
    type_text(screen.password_edit, "sai-mật-khẩu")
    qtbot.keyClick(screen.password_edit, Qt.Key.Key_Return)
    assert window.is_locked and not window.content.isVisible()
    assert screen.message_label.isVisible()
    assert screen.message_label.text() == "Sai mật khẩu."
    assert screen.password_edit.text() == ""


def test_the_right_password_brings_everything_back(qtbot, type_text, window_with_a_case):
    window, code = window_with_a_case
    window.lock()
    type_text(window.lock_screen.password_edit, ADMIN_PASSWORD)
    qtbot.mouseClick(window.lock_screen.unlock_button, Qt.MouseButton.LeftButton)
    assert not window.is_locked and not window.session.locked
    assert window.content.isVisible() and not window.lock_screen.isVisible()
    assert any(code in t for t in visible_texts(window))
    assert window.current_page_key() == "cases"
    assert window.find_action.isEnabled()


def test_too_many_wrong_passwords_make_the_lock_wait(qtbot, type_text, main_window, new_node, monkeypatch):
    monkeypatch.setattr(LockScreen, "COUNTDOWN_STEP_MS", 20)
    now = [1_000_000.0]
    monkeypatch.setattr(new_node.throttle, "clock", lambda: now[0])
    main_window.lock()
    screen = main_window.lock_screen
    for _ in range(4):  # three free tries, then the core asks for a wait
        type_text(screen.password_edit, "sai")
        screen.try_unlock()
    assert "chờ" in screen.message_label.text()
    assert not screen.unlock_button.isEnabled()
    assert screen.seconds_to_wait() > 0
    type_text(screen.password_edit, ADMIN_PASSWORD)
    screen.try_unlock()  # refused while waiting, without asking the core
    assert main_window.is_locked
    now[0] += 60
    qtbot.waitUntil(screen.unlock_button.isEnabled, timeout=5000)
    screen.try_unlock()  # what was typed while waiting is still there
    assert not main_window.is_locked


def test_a_case_form_or_dialog_of_the_window_is_hidden_too(qtbot, main_window):
    main_window.show()
    dialog = QDialog(main_window)
    label = QLabel(CANARY_NAME, dialog)
    dialog.show()
    assert label.isVisible()
    main_window.lock()
    assert not dialog.isVisible()
    assert not any(CANARY_NAME in t for w in QApplication.topLevelWidgets() if w.isVisible()
                   for t in visible_texts(w))
    main_window.lock_screen.password_edit.setText(ADMIN_PASSWORD)
    main_window.lock_screen.try_unlock()
    assert dialog.isVisible()


# --- idle ------------------------------------------------------------------------------------------------

class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_the_idle_watcher_fires_after_the_set_minutes_without_input(qtbot, main_window):
    clock = FakeClock()
    watcher = IdleWatcher(2, clock=clock)
    fired = []
    watcher.idle.connect(lambda: fired.append(clock.now))
    watcher.start()
    try:
        clock.now += 119
        assert not watcher.check()
        qtbot.keyClick(main_window.navigation, Qt.Key.Key_Down)  # a person is here: the count starts again
        clock.now += 119
        assert not watcher.check()
        clock.now += 1
        assert watcher.check()
        assert fired == [clock.now]
        assert not watcher.running
    finally:
        watcher.stop()


def test_the_window_locks_when_idle(qtbot, main_window):
    clock = FakeClock()
    main_window.idle_watcher.clock = clock
    main_window.idle_watcher.last_input = clock.now
    clock.now += DEFAULT_IDLE_LOCK_MINUTES * 60 - 1
    main_window.idle_watcher.check()
    assert not main_window.is_locked
    clock.now += 1
    main_window.idle_watcher.check()
    assert main_window.is_locked and not main_window.content.isVisible()


def test_the_idle_timer_really_runs(qtbot, session, monkeypatch):
    from ui.main_window import MainWindow

    monkeypatch.setattr(IdleWatcher, "CHECK_INTERVAL_MS", 20)
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.idle_watcher.set_minutes(0.002)  # 0.12 s
    window.show()
    qtbot.waitUntil(lambda: window.is_locked, timeout=3000)


def test_idle_minutes_are_kept_per_node_and_default_to_ten(session):
    assert idle_lock_minutes(session) == 10
    assert set_idle_lock_minutes(session, 3) == 3
    assert idle_lock_minutes(session) == 3
    assert set_idle_lock_minutes(session, 0) == 1  # never "never"
    action = session.store.scalar("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1")
    assert action == "settings.change"


def test_the_settings_page_changes_the_idle_time_of_the_open_window(qtbot, session, main_window):
    page = main_window.settings_page
    page.idle_spin.setValue(4)
    qtbot.mouseClick(page.idle_save, Qt.MouseButton.LeftButton)
    assert idle_lock_minutes(session) == 4
    assert main_window.idle_watcher.minutes == 4
    assert page.idle_message.text() == "Đã lưu: cửa sổ sẽ khóa sau 4 phút không dùng."


def test_a_new_window_uses_the_nodes_idle_time(qtbot, session):
    from ui.main_window import MainWindow

    set_idle_lock_minutes(session, 7)
    window = MainWindow(session)
    qtbot.addWidget(window)
    assert window.idle_watcher.minutes == 7


def test_only_a_settings_manager_may_change_the_idle_time(qtbot, session, new_node):
    from app.errors import PermissionDenied
    from ui.settings.page import SettingsPage

    session.add_user("lanhdao", ADMIN_PASSWORD, "leader", "Chủ tịch xã")
    leader = new_node.login("lanhdao", ADMIN_PASSWORD)
    try:
        with pytest.raises(PermissionDenied):
            set_idle_lock_minutes(leader, 30)
        page = SettingsPage(leader)
        qtbot.addWidget(page)
        assert not page.idle_spin.isEnabled() and not page.idle_save.isEnabled()
        assert page.recovery_button.isHidden()
    finally:
        leader.close()


def test_switch_user_from_the_lock_screen(qtbot, session, main_window):
    main_window.show()
    main_window.lock()
    qtbot.mouseClick(main_window.lock_screen.switch_button, Qt.MouseButton.LeftButton)
    assert session.store is None
    assert main_window.login_dialog is not None and main_window.login_dialog.isVisible()
    assert not main_window.lock_screen.password_edit.isEnabled()
    main_window.login_dialog.reject()


def test_an_open_case_form_is_hidden_by_the_lock_and_back_after(qtbot, session, three_cases):
    from ui.main_window import MainWindow

    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    case_id = session.cases.ids()[0]
    window.open_case(case_id)
    forms = window.cases_page.open_forms()
    if not forms:
        pytest.skip("this Cases page opens no case form yet")
    form = forms[0]
    assert form.isVisible()
    window.lock()
    assert not form.isVisible()
    for top in QApplication.topLevelWidgets():
        if top.isVisible():
            texts = visible_texts(top)
            assert not any(code in t for code in three_cases.values() for t in texts)
    window.lock_screen.password_edit.setText(ADMIN_PASSWORD)
    window.lock_screen.try_unlock()
    assert form.isVisible()


def test_switching_user_closes_case_forms_without_asking(qtbot, session, three_cases):
    from ui.main_window import MainWindow

    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    window.new_case()
    forms = window.cases_page.open_forms()
    if not forms:
        pytest.skip("this Cases page opens no case form yet")
    form = forms[0]
    window.switch_user()
    assert not form.isVisible()
    assert not [w for w in QApplication.topLevelWidgets()
                if w.isVisible() and w.objectName() == "unsavedChangesBox"]
    window.login_dialog.reject()
