"""The Registries page: models with their status over time, schools ticked per year, providers and hotlines."""

from __future__ import annotations

from datetime import date

from tests.conftest import ADMIN_PASSWORD
from ui.qt import QApplication, QMessageBox, Qt
from ui.registries.dialogs import ModelDialog, ProviderDialog, StatusDialog
from ui.registries.page import ModelsTab, RegistriesPage


def open_page(qtbot, session) -> RegistriesPage:
    page = RegistriesPage(session)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    qtbot.waitExposed(page)
    return page


def activate(qtbot, window) -> None:
    qtbot.waitExposed(window)
    window.activateWindow()
    window.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)


def names(tab) -> list[str]:
    return [tab.table.item(r, 0).text() for r in range(tab.table.rowCount())]


def choose(qtbot, combo, value) -> None:
    """Pick an entry with the arrow keys, as a person would."""
    combo.setFocus()
    target = combo.findData(value)
    assert target >= 0, value
    while combo.currentIndex() < target:
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    while combo.currentIndex() > target:
        qtbot.keyClick(combo, Qt.Key.Key_Up)
    assert combo.currentData() == value


def type_date(qtbot, field, day: str) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, day.replace("/", ""))


def test_adding_a_model_and_changing_its_status_keeps_both_in_its_history(qtbot, session, type_text):
    page = open_page(qtbot, session)
    tab = page.models_tab
    assert tab.empty_label.isVisibleTo(page)
    tab.add_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, ModelDialog)
    activate(qtbot, dialog)
    choose(qtbot, dialog.field("model.kind"), "trusted_address")
    name = dialog.field("model.name")
    name.setFocus()
    type_text(name, "Địa chỉ tin cậy thôn Đông")
    type_date(qtbot, dialog.field("model.established_on"), "08/03/2022")
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert not dialog.isVisible()
    assert names(tab) == ["Địa chỉ tin cậy thôn Đông"]
    row = [tab.table.item(0, c).text() for c in range(tab.table.columnCount())]
    assert row == ["Địa chỉ tin cậy thôn Đông", "Địa chỉ tin cậy – nhà tạm lánh cộng đồng", "08/03/2022",
                   "Đang hoạt động", "08/03/2022"]
    assert tab.history_lines() == ["08/03/2022 — Đang hoạt động"]

    tab.table.selectRow(0)
    tab.status_button.click()
    status = tab.dialog
    assert isinstance(status, StatusDialog)
    activate(qtbot, status)
    choose(qtbot, status.field("model.status"), "suspended")
    type_date(qtbot, status.field("model.status_on"), "01/06/2025")
    status.save_button.click()

    assert tab.table.item(0, ModelsTab.STATUS).text() == "Tạm dừng hoạt động"
    assert tab.table.item(0, ModelsTab.SINCE).text() == "01/06/2025"
    # Newest first: the present status heads the history.
    assert tab.history_lines() == ["01/06/2025 — Tạm dừng hoạt động", "08/03/2022 — Đang hoạt động"]
    stored = session.registries.models()[0]
    assert stored["history"] == [{"on": "2022-03-08", "status": "active"}, {"on": "2025-06-01", "status": "suspended"}]


def test_a_status_dated_before_the_last_change_is_refused_beside_the_date(qtbot, session):
    model = session.registries.save_model({"kind": "club", "name": "CLB thôn Tây", "established_on": "2023-01-05",
                                           "status": "active"})
    page = open_page(qtbot, session)
    tab = page.models_tab
    tab.select(model["id"])
    status = StatusDialog(session, tab.selected(), tab)
    qtbot.addWidget(status)
    status.field("model.status").set_value("closed")
    status.field("model.status_on").set_value("01/01/2020")
    status.save()
    assert "model.status_on" in status.field_errors()
    assert session.registries.get_model(model["id"])["status"] == "active"


def test_ticking_a_school_s_year_is_stored_at_once_and_unticking_too(qtbot, session):
    school = session.registries.save_school({"name": "Trường THPT Bình An", "level": "upper_secondary"})
    page = open_page(qtbot, session)
    tab = page.schools_tab
    year = date.today().year
    box = tab.tick_box("Trường THPT Bình An", year)
    assert box.checkState() == Qt.CheckState.Unchecked
    assert box.flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert tab.table.item(0, tab.COUNTED).text() == "Có"

    # A person ticks it with the keyboard: Space on the cell.
    tab.table.setFocus()
    tab.table.setCurrentItem(box)
    qtbot.keyClick(tab.table, Qt.Key.Key_Space)
    assert session.registries.get_school(school["id"])["integrations"] == {str(year): True}
    assert tab.tick_box("Trường THPT Bình An", year).checkState() == Qt.CheckState.Checked

    tab.tick_box("Trường THPT Bình An", year).setCheckState(Qt.CheckState.Unchecked)
    assert session.registries.get_school(school["id"])["integrations"] == {str(year): False}


def test_a_hotline_without_a_phone_number_is_refused_beside_the_number(qtbot, session, type_text):
    page = open_page(qtbot, session)
    page.show_tab("providers")
    tab = page.providers_tab
    tab.add_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, ProviderDialog)
    dialog.field("provider.kind").set_value("hotline")
    dialog.field("provider.name").setFocus()
    type_text(dialog.field("provider.name"), "Đường dây nóng xã")
    dialog.field("provider.hotline").click()
    dialog.save_button.click()
    assert dialog.field_errors() == {"provider.phone": "Đường dây nóng cần có số điện thoại."}
    assert session.registries.providers() == []

    qtbot.keyClicks(dialog.field("provider.phone"), "111")
    dialog.save_button.click()
    assert names(tab) == ["Đường dây nóng xã"]
    assert tab.table.item(0, tab.HOTLINE).text() == "Có"
    assert tab.table.item(0, tab.PHONE).text() == "111"


def test_deleting_a_school_asks_first(qtbot, session):
    session.registries.save_school({"name": "Trường Tiểu học", "level": "primary"})
    page = open_page(qtbot, session)
    tab = page.schools_tab
    tab.table.selectRow(0)
    box = tab.delete_school()
    assert isinstance(box, QMessageBox)
    assert box.text() == "Xóa trường “Trường Tiểu học” khỏi danh mục?"
    next(b for b in box.buttons() if b.text() == "Không xóa").click()
    assert names(tab) == ["Trường Tiểu học"]
    box = tab.delete_school()
    next(b for b in box.buttons() if b.text() == "Xóa").click()
    assert names(tab) == [] and session.registries.schools() == []


def test_a_leader_sees_every_register_read_only_and_is_told_so(qtbot, session, new_node):
    registries = session.registries
    registries.save_model({"kind": "club", "name": "CLB thôn Tây", "status": "active"})
    registries.save_school({"name": "Trường THPT Bình An", "level": "upper_secondary", "integrations": {"2024": True}})
    registries.save_provider({"kind": "health", "name": "Trạm y tế xã", "phone": "0900000101"})
    session.add_user("lanhdao", ADMIN_PASSWORD, "leader", "Chủ tịch xã")
    leader = new_node.login("lanhdao", ADMIN_PASSWORD)
    page = None
    try:
        page = open_page(qtbot, leader)
        assert page.read_only_note.isVisibleTo(page)
        assert page.read_only_note.text().startswith("Chỉ xem: vai trò của bạn không sửa được danh mục.")
        for tab in page.tab_widgets():
            assert len(names(tab)) == 1
            buttons = [tab.buttons.itemAt(i).widget() for i in range(tab.buttons.count())]
            assert not any(b is not None and b.isVisibleTo(page) for b in buttons)
        school_tab = page.schools_tab
        tick = school_tab.tick_box("Trường THPT Bình An", 2024)
        assert tick.checkState() == Qt.CheckState.Checked
        assert not tick.flags() & Qt.ItemFlag.ItemIsUserCheckable
        page.models_tab.add_model()
        page.models_tab.edit_model()
        assert page.models_tab.dialog is None
        assert page.models_tab.history_lines() != []
    finally:
        if page is not None:
            page.hide()
        leader.close()
