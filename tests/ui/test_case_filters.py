"""The filters above the case list, its shortcuts, and opening cases from it."""

from __future__ import annotations

from datetime import date

from app.cases import CaseFilter
from tests.conftest import sample_case
from ui.cases.form import CaseForm
from ui.cases.list_model import CaseListModel
from ui.cases.page import CasesPage
from ui.qt import QApplication, QPoint, Qt


def open_page(qtbot, session) -> CasesPage:
    page = CasesPage(session)
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()
    qtbot.waitExposed(page)
    return page


def activate(qtbot, window) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)


def codes_shown(page) -> list[str]:
    return [page.model.index(r, CaseListModel.CODE).data() for r in range(page.model.rowCount())]


def pick(qtbot, combo, value) -> None:
    """Choose an entry with the arrow keys, as a person would."""
    combo.setFocus()
    target = combo.findData(value) if value is not None else 0
    assert target >= 0, value
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up)


def test_the_filters_offer_the_reference_lists_and_the_years_with_cases(qtbot, session, three_cases):
    page = open_page(qtbot, session)
    statuses = [page.status_filter.itemText(i) for i in range(page.status_filter.count())]
    assert statuses == ["Tất cả"] + [o.vi for o in session.reference["case_status"]]
    types = [page.type_filter.itemData(i) for i in range(1, page.type_filter.count())]
    assert types == [o.code for o in session.reference["violence_type"]]
    years = [page.year_filter.itemData(i) for i in range(1, page.year_filter.count())]
    assert years == sorted({2025, date.today().year}, reverse=True)


def test_each_filter_narrows_the_list_and_the_count_follows(qtbot, session, three_cases):
    page = open_page(qtbot, session)
    assert page.count_label.text() == "3 vụ việc"

    pick(qtbot, page.status_filter, "closed")
    assert codes_shown(page) == [three_cases["closed"]]
    assert page.count_label.text() == "1 vụ việc"

    pick(qtbot, page.status_filter, "open")
    assert sorted(codes_shown(page)) == sorted([three_cases["overdue"], three_cases["later"]])
    assert page.count_label.text() == "2 vụ việc"

    page.overdue_filter.click()
    assert codes_shown(page) == [three_cases["overdue"]]
    assert page.count_label.text() == "1 vụ việc"

    page.clear_filters_button.click()
    assert page.count_label.text() == "3 vụ việc"
    assert page.status_filter.currentIndex() == 0 and not page.overdue_filter.isChecked()

    pick(qtbot, page.type_filter, "psychological_abuse")
    assert codes_shown(page) == [three_cases["later"]]
    assert page.count_label.text() == "1 vụ việc"
    page.clear_filters_button.click()

    pick(qtbot, page.year_filter, 2025)
    assert page.count_label.text() == "3 vụ việc"
    if date.today().year != 2025:
        pick(qtbot, page.year_filter, date.today().year)
        assert codes_shown(page) == []
        assert page.count_label.text() == "0 vụ việc"


def test_filters_and_search_work_together(qtbot, session, three_cases):
    page = open_page(qtbot, session)
    pick(qtbot, page.status_filter, "closed")
    qtbot.keyClicks(page.search_edit, "nguyen")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    assert codes_shown(page) == []  # Nguyễn Thị Đào's case is open
    assert page.model.filter == CaseFilter(status="closed", search="nguyen")
    pick(qtbot, page.status_filter, None)
    assert codes_shown(page) == [three_cases["overdue"]]
    assert page.count_label.text() == "1 vụ việc"


def test_ctrl_f_puts_the_keyboard_in_the_search_box(qtbot, session, three_cases):
    page = open_page(qtbot, session)
    activate(qtbot, page)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is page.search_edit


def test_enter_on_a_row_opens_that_case(qtbot, session, three_cases):
    page = open_page(qtbot, session)
    activate(qtbot, page)
    opened = []
    page.form_opened.connect(opened.append)
    page.table.setFocus()
    page.table.selectRow(1)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert len(opened) == 1 and isinstance(opened[0], CaseForm)
    assert opened[0].code == codes_shown(page)[1]


def test_double_click_on_a_row_opens_that_case_once(qtbot, session, three_cases):
    page = open_page(qtbot, session)
    opened = []
    page.form_opened.connect(opened.append)
    rect = page.table.visualRect(page.model.index(0, CaseListModel.CODE))
    # A real double click: press and release, then the double-click press.
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == []  # one click only selects
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(opened) == 1 and opened[0].code == codes_shown(page)[0]
    # Asking again brings the same form forward instead of opening a second one.
    page.open_case(opened[0].case_id)
    assert page.open_forms() == [opened[0]]


def test_the_list_refreshes_after_a_form_saves(qtbot, session, three_cases):
    page = open_page(qtbot, session)
    page.new_case_button.click()
    form = page.open_forms()[0]
    form.boxes["intake.reported_on"].field.set_value("2025-07-01")
    form.boxes["intake.disclosure_channel"].field.set_value("self")
    form.boxes["incident.violence_type"].field.set_value("rape")
    form.save()
    assert form.code in codes_shown(page)
    assert page.count_label.text() == "4 vụ việc"
    pick(qtbot, page.type_filter, "rape")
    assert codes_shown(page) == [form.code]


def test_a_role_that_cannot_record_cases_has_no_new_case(qtbot, session, new_node, three_cases):
    from tests.conftest import ADMIN_PASSWORD

    session.add_user("lanhdao", ADMIN_PASSWORD, "leader", "Chủ tịch xã")
    leader = new_node.login("lanhdao", ADMIN_PASSWORD)
    try:
        page = open_page(qtbot, leader)
        assert not page.new_case_action.isEnabled()
        assert not page.new_case_button.isVisible()
        page.new_case()
        assert page.open_forms() == []
        # Filters work the same for a leader.
        pick(qtbot, page.status_filter, "closed")
        assert page.count_label.text() == "1 vụ việc"
    finally:
        leader.close()


def test_the_menu_actions_are_offered_to_the_main_window(qtbot, session):
    page = open_page(qtbot, session)
    names = [a.objectName() for a in page.menu_actions]
    assert names == ["newCaseAction", "openCaseAction", "findCaseAction"]
    assert page.new_case_action.shortcut().toString() == "Ctrl+N"
    assert page.find_action.shortcut().toString() == "Ctrl+F"


def test_a_year_with_a_new_case_joins_the_year_filter_after_saving(qtbot, session):
    session.cases.save(sample_case())
    page = open_page(qtbot, session)
    assert page.year_filter.findData(2024) < 0
    page.new_case()
    form = page.open_forms()[0]
    form.boxes["intake.reported_on"].field.set_value("2024-12-30")
    form.boxes["intake.disclosure_channel"].field.set_value("self")
    form.boxes["incident.violence_type"].field.set_value("rape")
    form.save()
    assert page.year_filter.findData(2024) > 0
    # Header clicks still sort (the filters did not take the header's place).
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(CaseListModel.CODE) + header.sectionSize(CaseListModel.CODE) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    assert page.model.order == "code"


def test_inside_a_window_with_its_own_ctrl_n_the_page_leaves_the_shortcut_to_it(qtbot, session):
    from ui.qt import QAction, QKeySequence, QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    page = CasesPage(session)
    window.setCentralWidget(page)
    menu_new = QAction("new", window)
    menu_new.setShortcut(QKeySequence("Ctrl+N"))
    window.menuBar().addMenu("file").addAction(menu_new)
    fired = []
    menu_new.triggered.connect(lambda: fired.append("window"))
    activate(qtbot, window)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert fired == ["window"]  # one action answered, not none (two would be ambiguous)
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is page.search_edit  # the page's own Ctrl+F, the window has none


def test_ctrl_n_on_the_page_alone_opens_a_new_case(qtbot, session):
    page = open_page(qtbot, session)
    activate(qtbot, page)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(page.open_forms()) == 1 and page.open_forms()[0].case_id is None
