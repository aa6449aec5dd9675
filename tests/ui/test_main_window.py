import os
import subprocess
import sys

import app
from tests.conftest import ADMIN_PASSWORD
from ui.main_window import PAGE_KEYS, MainWindow, PlaceholderPage
from ui.qt import QApplication, QKeySequence, QMessageBox, Qt

NAVIGATION = ["Tổng quan", "Vụ việc", "Hoạt động", "Báo cáo", "Đồng bộ", "Danh mục", "Tài khoản", "Sao lưu",
              "Cài đặt"]


def show_active(qtbot, window):
    """Show the window and make it the active one, so its keyboard shortcuts work."""
    window.show()
    qtbot.waitExposed(window)
    window.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def navigation_texts(window):
    return [window.navigation.item(i).text() for i in range(window.navigation.count())]


def test_title_names_node_user_and_role(main_window):
    assert main_window.windowTitle() == "Bình An — Xã Thử Nghiệm — Quản trị thử (Quản trị viên)"
    assert "DEMO" not in main_window.windowTitle()


def test_demo_node_says_so_in_the_title(qtbot, demo_node):
    session = demo_node.login("admin", ADMIN_PASSWORD)
    window = MainWindow(session)
    qtbot.addWidget(window)
    assert window.windowTitle() == "Bình An — Xã Mẫu Đông Hưng — Cán bộ mẫu (Quản trị viên) [DỮ LIỆU MẪU / DEMO]"
    window.close()
    assert session.store is None


def test_status_bar_shows_node_user_and_role(main_window):
    assert main_window.status_node.text() == "Đơn vị: Xã Thử Nghiệm (TN01)"
    assert main_window.status_user.text() == "Người dùng: Quản trị thử"
    assert main_window.status_role.text() == "Vai trò: Quản trị viên"


def test_navigation_lists_the_pages_in_order_and_starts_on_overview(main_window):
    assert navigation_texts(main_window) == NAVIGATION
    assert main_window.current_page_key() == "overview"
    assert main_window.stack.currentIndex() == 0


def test_clicking_a_page_in_the_navigation_shows_it(qtbot, main_window):
    main_window.show()
    qtbot.waitExposed(main_window)
    item = main_window.navigation.item(PAGE_KEYS.index("cases"))
    rect = main_window.navigation.visualItemRect(item)
    qtbot.mouseClick(main_window.navigation.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert main_window.current_page_key() == "cases"
    assert main_window.stack.currentWidget().isAncestorOf(main_window.cases_page)


def test_arrow_keys_in_the_navigation_move_between_pages(qtbot, main_window):
    main_window.show()
    qtbot.waitExposed(main_window)
    main_window.navigation.setFocus()
    qtbot.keyClick(main_window.navigation, Qt.Key.Key_Down)
    assert main_window.current_page_key() == "cases"
    qtbot.keyClick(main_window.navigation, Qt.Key.Key_Down)
    assert main_window.current_page_key() == "activities"
    qtbot.keyClick(main_window.navigation, Qt.Key.Key_End)
    assert main_window.current_page_key() == "settings"


def test_control_and_a_digit_jumps_to_a_page(qtbot, main_window):
    show_active(qtbot, main_window)
    qtbot.keyClick(main_window.navigation, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert main_window.current_page_key() == "sync"


def test_pages_not_built_yet_say_so_plainly(main_window, monkeypatch):
    import ui.main_window as main_window_module

    for key in ("activities", "reports", "sync", "registries"):
        page = main_window.pages[key]
        if isinstance(page, PlaceholderPage):
            assert page.message.text() == "Trang này sẽ có trong phiên bản sau."
    # A release without a page's module gets the placeholder, never a crash.
    monkeypatch.setitem(main_window_module.PAGE_MODULES, "reports", ("ui.no_such_page", "Nothing"))
    assert main_window_module.page_class("reports") is None


def test_the_fallback_overview_shows_the_core_counts(qtbot, three_cases, session):
    from ui.main_window import OverviewPage

    overview = OverviewPage(session)
    qtbot.addWidget(overview)
    overview.refresh()
    assert overview.total_value.text() == "3"
    assert overview.open_value.text() == "2"
    assert overview.overdue_value.text() == "⚠ 1"  # red, and a sign beside it: not the colour alone


def test_menus_follow_the_usual_order_with_the_usual_shortcuts(main_window):
    menus = [a.text() for a in main_window.menuBar().actions()]
    assert menus == ["&Tệp", "&Chỉnh sửa", "&Xem", "Trợ &giúp"]
    shortcuts = {a.text().replace("&", ""): a.shortcut().toString()
                 for menu in main_window.menuBar().actions() for a in menu.menu().actions() if a.text()}
    assert shortcuts["Vụ việc mới"] == "Ctrl+N"
    assert shortcuts["Lưu"] == "Ctrl+S"
    assert shortcuts["Khóa ngay"] == "Ctrl+L"
    assert shortcuts["Đổi người dùng…"] == ""
    assert shortcuts["Thoát"] == "Ctrl+Q"
    assert shortcuts["Tìm vụ việc"] == "Ctrl+F"
    assert [shortcuts[title] for title in NAVIGATION] == [f"Ctrl+{n}" for n in range(1, len(NAVIGATION) + 1)]
    assert main_window.quit_action.shortcut() == QKeySequence("Ctrl+Q")


def test_ctrl_f_goes_to_the_case_search(qtbot, main_window):
    show_active(qtbot, main_window)
    qtbot.keyClick(main_window.navigation, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert main_window.current_page_key() == "cases"
    assert QApplication.focusWidget() is main_window.cases_page.search_edit


def test_the_settings_page_is_built(main_window):
    from ui.settings.page import SettingsPage

    assert isinstance(main_window.pages["settings"], SettingsPage)


def test_status_bar_counts_unsent_changes_and_has_no_receipt_yet(qtbot, session, main_window):
    from sync.status import summary
    from tests.conftest import sample_case

    before = summary(session)["records_unsent"]
    assert main_window.status_unsent.text() == f"Chưa gửi: {before} thay đổi"
    assert main_window.status_receipt.text() == "Biên nhận gần nhất: chưa có"
    session.cases.save(sample_case())
    after = summary(session)["records_unsent"]
    assert after > before
    main_window.show_page("cases")  # changing page counts again
    assert main_window.status_unsent.text() == f"Chưa gửi: {after} thay đổi"


def test_switch_user_opens_a_window_for_the_next_person(qtbot, session, new_node, main_window):
    session.add_user("canbo", ADMIN_PASSWORD, "officer", "Lê Thị Hoa")
    main_window.show()
    replaced = []
    main_window.replaced.connect(replaced.append)

    main_window.switch_user_action.trigger()
    assert session.store is None  # the first person is logged out at once
    assert main_window.is_locked and not main_window.content.isVisible()
    dialog = main_window.login_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.username_edit.setText("canbo")
    dialog.password_edit.setText(ADMIN_PASSWORD)
    dialog.login_button.click()

    assert len(replaced) == 1
    successor = replaced[0]
    qtbot.addWidget(successor)
    try:
        assert successor.windowTitle() == "Bình An — Xã Thử Nghiệm — Lê Thị Hoa (Công chức văn hóa – xã hội)"
        assert successor.status_user.text() == "Người dùng: Lê Thị Hoa"
        assert successor.isVisible() and not main_window.isVisible()
        assert successor.session.user.username == "canbo"
    finally:
        successor.close()
    assert successor.session.store is None


def test_cancelling_switch_user_closes_the_window(qtbot, session, main_window):
    main_window.show()
    main_window.switch_user()
    main_window.login_dialog.reject()
    assert not main_window.isVisible()
    assert session.store is None


def test_about_names_the_app_and_its_version(qtbot, main_window):
    main_window.about_action.trigger()
    box = main_window.findChild(QMessageBox, "aboutBox")
    assert box is not None and box.isVisible()
    assert app.NAME in box.text() and app.__version__ in box.text()
    box.close()


def test_ctrl_q_closes_the_window_and_the_session(qtbot, session, main_window):
    show_active(qtbot, main_window)
    qtbot.keyClick(main_window.navigation, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not main_window.isVisible()
    assert session.store is None


def test_closing_closes_the_session_exactly_once(qtbot, session, main_window, monkeypatch):
    calls = []
    real_close = session.close
    monkeypatch.setattr(session, "close", lambda: (calls.append(1), real_close()))
    main_window.show()
    main_window.close()
    main_window.close()
    main_window.close_session()
    assert calls == [1]
    assert session.store is None


def test_ctrl_n_on_the_activities_page_makes_an_activity(qtbot, main_window):
    page = main_window.activities_page
    if page is None:
        return
    main_window.show_page("activities")
    assert main_window.new_case_action.text().replace("&", "") == "Hoạt động mới"
    assert main_window.find_action.text().replace("&", "") == "Tìm hoạt động"
    calls = []
    page.new_activity = lambda: calls.append("activity")
    main_window.cases_page.new_case = lambda: calls.append("case")
    main_window.new_case_action.trigger()
    main_window.show_page("cases")
    assert main_window.new_case_action.text().replace("&", "") == "Vụ việc mới"
    main_window.new_case_action.trigger()
    assert calls == ["activity", "case"]


def test_a_number_on_the_overview_opens_its_list(qtbot, three_cases, main_window):
    from app.cases import CaseFilter

    main_window.open_list("cases", CaseFilter(overdue=True))
    assert main_window.current_page_key() == "cases"
    assert main_window.cases_page.model.filter.overdue is True
    assert main_window.cases_page.model.rowCount() == 1


def test_choosing_english_in_settings_rebuilds_the_window_in_english(qtbot, session, main_window, tmp_path,
                                                                      monkeypatch):
    import ui.settings as settings
    from ui import i18n

    monkeypatch.setattr(settings, "PREFERENCES_PATH", tmp_path / "window.json")
    main_window.show()
    replaced = []
    main_window.replaced.connect(replaced.append)
    try:
        combo = main_window.settings_page.language_combo
        combo.setCurrentIndex(combo.findData("en"))
        assert len(replaced) == 1
        successor = replaced[0]
        qtbot.addWidget(successor)
        assert successor.navigation.item(0).text() == "Overview"
        assert successor.current_page_key() == "settings"
        assert successor.session is session and session.store is not None  # the same session goes on
        assert not main_window.isVisible() and successor.isVisible()
        assert settings.saved_language() == "en"
        successor.close()
        assert session.store is None  # closed once, by the window that owns it now
    finally:
        i18n._language = None
        i18n.install_translators(QApplication.instance())


def test_a_clock_set_back_is_warned_about_in_the_status_bar(qtbot, session):
    from ui.main_window import MainWindow

    with session.store.transaction() as conn:  # the last saved change seems to come from two years ahead
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('id_clock', ?)",
                     (str(int((__import__("time").time() + 2 * 365 * 86400) * 1000)),))
    window = MainWindow(session)
    qtbot.addWidget(window)
    assert window.clock_warning is not None
    assert "Đồng hồ máy tính" in window.clock_warning.text()


def test_a_right_clock_gets_no_warning(qtbot, session):
    from ui.main_window import MainWindow

    window = MainWindow(session)
    qtbot.addWidget(window)
    assert window.clock_warning is None


def test_a_province_shows_no_unsent_count_for_what_it_received(qtbot, tmp_path):
    """A province sends nothing up: records received from communes must not read as "unsent" changes."""
    from app.node import Node
    from tests.conftest import ADMIN_PASSWORD, sample_case
    from ui.main_window import MainWindow

    node, _ = Node.create(tmp_path / "TB", kind="province", name="Tỉnh Thái Bình", code="TB", parent_code=None,
                          profile_code="thai_binh", admin_username="admin", admin_password=ADMIN_PASSWORD)
    session = node.login("admin", ADMIN_PASSWORD)
    try:
        session.cases.save(sample_case())
        window = MainWindow(session)
        qtbot.addWidget(window)
        window.show()
        assert window.status_unsent.isHidden() and window.status_receipt.isHidden()
        assert "Chưa gửi" not in " ".join(w.text() for w in window.statusBar().findChildren(type(window.status_unsent))
                                           if w.isVisible())
    finally:
        session.close()


def in_a_fresh_interpreter(script: str) -> None:
    """Run `script` in a new Python (modules imported here cannot show what a thread loads); it must exit 0."""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-800:]


def test_what_is_slow_to_load_and_never_touches_qt_loads_while_the_password_is_typed():
    # In a fresh interpreter: modules already imported here cannot show whether the thread loads them.
    script = ("import sys\n"
              "from ui.main_window import PRELOADED_MODULES, preload_pages\n"
              "from app.reference import _load_reference_cached\n"
              "assert 'matplotlib.figure' not in sys.modules\n"
              "thread = preload_pages(); thread.join(60)\n"
              "assert not thread.is_alive()\n"
              "assert all(m in sys.modules for m in PRELOADED_MODULES), 'not loaded'\n"
              "assert _load_reference_cached.cache_info().currsize == 1, 'reference lists not parsed'\n"
              "assert 'ui.overview.charts' not in sys.modules, 'a Qt module was imported off the GUI thread'\n")
    in_a_fresh_interpreter(script)


def test_the_preloading_stops_between_two_modules_while_paused_and_goes_on_when_resumed():
    script = ("import sys, time\n"
              "from ui.main_window import PRELOADED_MODULES, pause_preloading, preload_pages, resume_preloading\n"
              "from app.reference import _load_reference_cached\n"
              "pause_preloading()\n"
              "thread = preload_pages(); thread.join(3)\n"
              "assert thread.is_alive(), 'it did not wait'\n"
              "assert _load_reference_cached.cache_info().currsize == 1, 'reference lists not parsed first'\n"
              "assert 'matplotlib' not in sys.modules, 'a module was loaded while paused'\n"
              "resume_preloading(); thread.join(60)\n"
              "assert not thread.is_alive() and all(m in sys.modules for m in PRELOADED_MODULES)\n")
    in_a_fresh_interpreter(script)


def test_a_damaged_file_found_by_the_start_up_check_is_said_and_the_window_closes(qtbot, new_node, monkeypatch):
    from app.store.db import Store
    from tests.conftest import sample_case
    from tests.faults.test_damaged import PAGE, flip

    session = new_node.login("admin", ADMIN_PASSWORD)
    session.cases.save(sample_case())
    session.close()
    key = new_node.slots.open_with_password("admin", ADMIN_PASSWORD)
    store = Store.open(new_node.db_path, key)
    cases_page = store.scalar("SELECT rootpage FROM sqlite_master WHERE name = 'cases'")
    store.close()
    flip(new_node.db_path, PAGE * (cases_page - 1) + 200)
    backups_before = sorted(new_node.backups_dir.glob("*.db"))
    said = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a, **k: said.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: None)  # closing a damaged file may warn too
    window = MainWindow(new_node.login("admin", ADMIN_PASSWORD, exclusive=True))
    qtbot.addWidget(window)
    assert len(said) == 1 and "Cơ sở dữ liệu bị hỏng" in said[0] and "khôi phục bản sao lưu" in said[0]
    assert window.session.store is None  # closed, and without an automatic backup of the damaged file
    assert sorted(new_node.backups_dir.glob("*.db")) == backups_before


def test_pages_not_needed_at_start_are_built_when_first_shown(qtbot, main_window):
    from ui.main_window import BUILT_WHEN_FIRST_SHOWN

    main_window.show()
    qtbot.waitExposed(main_window)
    assert not set(BUILT_WHEN_FIRST_SHOWN) & set(main_window.pages.keys())
    main_window.show_page("sync")
    page = main_window.pages["sync"]
    assert "sync" in main_window.pages.keys()
    assert main_window.stack.currentWidget().isAncestorOf(page) and page.isVisible()
    main_window.show_page("cases")
    main_window.show_page("sync")
    assert main_window.pages["sync"] is page  # built once


def test_the_overview_is_read_once_at_start_and_again_each_time_it_comes_back(qtbot, session, monkeypatch):
    import ui.overview.page as overview

    reads = []
    real = overview.load_overview
    monkeypatch.setattr(overview, "load_overview", lambda *a, **kw: reads.append(a[1]) or real(*a, **kw))
    window = MainWindow(session)
    qtbot.addWidget(window)
    assert len(reads) == 1  # asked for while the window is built, before the other pages' reads
    window.show()
    qtbot.waitExposed(window)
    assert len(reads) == 1 and window.overview_page.data is not None  # the first show reads nothing more
    window.show_page("cases")
    window.show_page("overview")
    assert len(reads) == 2


def test_the_other_pages_are_built_once_the_overview_s_figures_are_painted_or_when_first_used(qtbot, session):
    import ui.main_window as main_window_module
    from ui.main_window import BUILT_AFTER_FIRST_FIGURES, pause_preloading

    pause_preloading()  # as a log-in leaves it
    try:
        window = MainWindow(session)
        qtbot.addWidget(window)
        assert not any(window.pages.is_built(key) for key in BUILT_AFTER_FIRST_FIGURES)
        assert not main_window_module._PRELOAD_MAY_RUN.is_set()
        assert window.new_case_action.isEnabled() and window.find_action.isEnabled()  # known without building
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: all(window.pages.is_built(key) for key in BUILT_AFTER_FIRST_FIGURES),
                        timeout=5000)
        assert main_window_module._PRELOAD_MAY_RUN.is_set()  # the figures are on screen: matplotlib may load
    finally:
        main_window_module.resume_preloading()

    early = MainWindow(session)  # Ctrl+2 before anything was painted: the page is built there and then
    qtbot.addWidget(early)
    early.show_page("cases")
    assert early.pages.is_built("cases") and early.cases_page is not None
    assert early.stack.currentIndex() == 1
