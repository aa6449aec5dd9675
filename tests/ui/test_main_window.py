import app
from tests.conftest import ADMIN_PASSWORD
from ui.main_window import PAGE_KEYS, MainWindow, PlaceholderPage
from ui.qt import QApplication, QKeySequence, QMessageBox, Qt

NAVIGATION = ["Tổng quan", "Vụ việc", "Hoạt động", "Báo cáo", "Đồng bộ", "Danh mục", "Cài đặt"]


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


def test_pages_not_built_yet_say_so_plainly(main_window):
    for key in ("activities", "reports", "sync", "registries", "settings"):
        page = main_window.pages[key]
        assert isinstance(page, PlaceholderPage)
        assert page.message.text() == "Trang này sẽ có trong phiên bản sau."


def test_overview_shows_the_core_counts(three_cases, main_window):
    overview = main_window.overview_page
    assert overview.total_value.text() == "3"
    assert overview.open_value.text() == "2"
    assert overview.overdue_value.text() == "1"


def test_overview_counts_again_when_shown_again(three_cases, session, main_window):
    from tests.conftest import sample_case

    session.cases.save(sample_case())
    main_window.show_page("cases")
    main_window.show_page("overview")
    assert main_window.overview_page.total_value.text() == "4"


def test_menus_offer_quit_with_ctrl_q_and_about(main_window):
    menus = [a.text() for a in main_window.menuBar().actions()]
    assert menus == ["&Tệp", "Trợ &giúp"]
    assert main_window.quit_action.shortcut() == QKeySequence("Ctrl+Q")
    assert main_window.quit_action.text().replace("&", "") == "Thoát"


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
