"""The case form, driven as a person drives it, against a real encrypted node."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app import audit
from app.errors import ValidationFailed
from tests.conftest import ADMIN_PASSWORD, CANARY_NAME, sample_case
from ui.cases.form import CaseForm
from ui.cases.list_model import CaseListModel
from ui.cases.page import CasesPage
from ui.qt import (QAbstractButton, QApplication, QComboBox, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, Qt,
                   QWidget)


# --- helpers ------------------------------------------------------------------------------------------------------
def dmy(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def activate(qtbot, window) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)


def focused() -> QWidget:
    return QApplication.focusWidget()


def key(qtbot, k, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), k, modifier)


def tab_to(qtbot, widget: QWidget, limit: int = 120) -> None:
    """Press Tab until the keyboard is in `widget`, as a person would."""
    for _ in range(limit):
        if focused() is widget:
            return
        key(qtbot, Qt.Key.Key_Tab)
    assert focused() is widget, f"Tab never reached {widget!r}"


def choose(qtbot, combo: QComboBox, value) -> None:
    """Pick an entry of the focused combo box with the arrow keys."""
    assert focused() is combo
    target = combo.findData(value)
    assert target >= 0, value
    while combo.currentIndex() < target:
        key(qtbot, Qt.Key.Key_Down)
    while combo.currentIndex() > target:
        key(qtbot, Qt.Key.Key_Up)
    assert combo.currentData() == value


def field(form: CaseForm, path: str):
    return form.boxes[path].field


def open_page(qtbot, session) -> CasesPage:
    page = CasesPage(session)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    return page


def opened_form(qtbot, page: CasesPage, opener) -> CaseForm:
    forms = []
    page.form_opened.connect(forms.append)
    opener()
    assert forms, "no form opened"
    return forms[-1]


def codes_shown(page: CasesPage) -> list[str]:
    return [page.model.index(r, CaseListModel.CODE).data() for r in range(page.model.rowCount())]


def fill_valid(form: CaseForm) -> None:
    """The least a valid case needs, put in directly (for tests about something else than typing)."""
    field(form, "intake.reported_on").set_value("2025-03-10")
    field(form, "intake.disclosure_channel").set_value("self")
    field(form, "survivor.sex").set_value("female")
    field(form, "incident.violence_type").set_value("physical_assault")
    if "identity.name" in form.boxes:
        field(form, "identity.name").set_value("Trần Thị Lưu")


def visible_texts(root: QWidget) -> list[str]:
    """Every piece of text any widget under `root` holds (shown or not), window title included."""
    texts = [root.windowTitle(), root.toolTip()]
    for widget in [root] + root.findChildren(QWidget):
        texts.append(widget.toolTip())
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QLineEdit):
            texts += [widget.text(), widget.placeholderText()]
        elif isinstance(widget, QPlainTextEdit):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
            texts += [str(widget.itemData(i, Qt.ItemDataRole.ToolTipRole) or "") for i in range(widget.count())]
    return texts


@pytest.fixture
def stored_case(session):
    return session.cases.save(sample_case())


def login_as(session, new_node, username, role, **extra):
    session.add_user(username, ADMIN_PASSWORD, role, username.title(), **extra)
    return new_node.login(username, ADMIN_PASSWORD)


# --- the whole case from the keyboard -------------------------------------------------------------------------
def test_a_whole_case_entered_with_the_keyboard_alone_is_saved_and_listed(qtbot, session, type_text):
    page = open_page(qtbot, session)
    activate(qtbot, page)
    page.table.setFocus()
    key(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.open_forms(), "Ctrl+N opened no form"
    form = page.open_forms()[0]
    activate(qtbot, form)
    due = date.today() + timedelta(days=14)

    # 1. Intake: the keyboard starts in the date first reported.
    assert focused() is field(form, "intake.reported_on")
    qtbot.keyClicks(focused(), "10032025")
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is field(form, "intake.incident_on")
    qtbot.keyClicks(focused(), "08032025")
    key(qtbot, Qt.Key.Key_Tab)
    choose(qtbot, field(form, "intake.disclosure_channel"), "hotline")

    # 2. Survivor: identity first, then the facts.
    tab_to(qtbot, field(form, "identity.name"))
    type_text(focused(), "Nguyễn Thị Bàn Phím")
    tab_to(qtbot, field(form, "identity.phone"))
    qtbot.keyClicks(focused(), "0912 000 111")
    tab_to(qtbot, field(form, "survivor.age"))
    qtbot.keyClicks(focused(), "29")
    tab_to(qtbot, field(form, "survivor.marital_status"))
    choose(qtbot, focused(), "married")

    # 3. Incident: the GBVIMS type, with its definition shown as it is chosen; one act of the DV law.
    tab_to(qtbot, field(form, "incident.violence_type"))
    choose(qtbot, focused(), "physical_assault")
    definition = session.reference["violence_type"].get("physical_assault").definition("vi")
    assert form.violence_type_definition.text() == definition
    first_act = field(form, "incident.dv_acts").boxes["physical_abuse_threat"]
    tab_to(qtbot, first_act)
    key(qtbot, Qt.Key.Key_Space)
    tab_to(qtbot, field(form, "identity.narrative"))
    type_text(focused(), "Bị chồng đánh khi say rượu.")

    # 4. A perpetrator, added with the keyboard.
    perpetrators = form.row_lists["perpetrators"]
    tab_to(qtbot, perpetrators.add_button)
    key(qtbot, Qt.Key.Key_Space)
    card = perpetrators.cards[0]
    assert focused() is card.boxes["relationship"].field
    choose(qtbot, focused(), "intimate_partner")
    key(qtbot, Qt.Key.Key_Tab)
    choose(qtbot, focused(), "male")
    key(qtbot, Qt.Key.Key_Tab)
    choose(qtbot, focused(), "age_26_40")

    # 5. Consent to services and to be counted.
    tab_to(qtbot, field(form, "consent.services.given"))
    key(qtbot, Qt.Key.Key_Space)
    tab_to(qtbot, field(form, "consent.reporting.given"))
    key(qtbot, Qt.Key.Key_Space)

    # 6. A service given here (Enter works on the add button too).
    services = form.row_lists["services"]
    tab_to(qtbot, services.add_button)
    key(qtbot, Qt.Key.Key_Return)
    choose(qtbot, focused(), "psychosocial_counselling")
    key(qtbot, Qt.Key.Key_Tab)
    choose(qtbot, focused(), "provided")
    key(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), "10032025")

    # 7. A follow-up in two weeks.
    follow_ups = form.row_lists["follow_ups"]
    tab_to(qtbot, follow_ups.add_button)
    key(qtbot, Qt.Key.Key_Space)
    qtbot.keyClicks(focused(), dmy(due).replace("/", ""))

    # Save, then leave.
    key(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert form.field_errors() == {}, form.banner.text()
    assert form.code and form.rev == 1
    key(qtbot, Qt.Key.Key_Escape)
    assert not form.isVisible()

    stored = session.cases.get(form.case_id, with_identity=True)
    assert stored["intake"]["reported_on"] == "2025-03-10"
    assert stored["intake"]["incident_on"] == "2025-03-08"
    assert stored["intake"]["disclosure_channel"] == "hotline"
    assert stored["identity"]["name"] == "Nguyễn Thị Bàn Phím"
    assert stored["identity"]["narrative"] == "Bị chồng đánh khi say rượu."
    assert stored["survivor"]["age"] == 29 and stored["survivor"]["age_band"] == "age_26_40"
    assert stored["survivor"]["marital_status"] == "married"
    assert stored["incident"]["violence_type"] == "physical_assault"
    assert stored["incident"]["dv_acts"] == ["physical_abuse_threat"]
    assert stored["perpetrators"] == [{"sex": "male", "age_group": "age_26_40", "relationship": "intimate_partner",
                                       "count": 1}]
    assert stored["consent"]["services"]["given"] and stored["consent"]["reporting"]["given"]
    assert not stored["consent"]["sharing"]["given"]
    assert stored["services"][0]["service"] == "psychosocial_counselling"
    assert stored["services"][0]["status"] == "provided"
    assert stored["follow_ups"] == [{"due_on": due.isoformat(), "done_on": None, "status": "planned", "outcome": None,
                                     "next_on": None}]
    assert stored["derived"]["contexts"] == ["intimate_partner_violence"]

    # The list has it, and finds it typed without accents.
    assert codes_shown(page) == [form.code]
    assert page.count_label.text() == "1 vụ việc"
    page.search_edit.setFocus()
    qtbot.keyClicks(page.search_edit, "nguyen thi ban phim")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    assert codes_shown(page) == [form.code]


def test_a_case_is_edited_then_closed_from_the_keyboard(qtbot, session, stored_case):
    page = open_page(qtbot, session)
    activate(qtbot, page)
    page.table.setFocus()
    page.table.selectRow(0)
    form = opened_form(qtbot, page, lambda: key(qtbot, Qt.Key.Key_Return))
    assert form.case_id == stored_case["id"] and form.rev == 1
    activate(qtbot, form)

    # Edit: a new age; the age group follows on save.
    key(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    tab_to(qtbot, field(form, "survivor.age"))
    focused().selectAll()
    qtbot.keyClicks(focused(), "45")
    key(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert form.field_errors() == {}, form.banner.text()
    assert form.rev == 2
    assert field(form, "survivor.age_band").value() == "age_41_60"
    assert "lần sửa 2" in form.banner.text()

    # Close: status, one closure item, the closing date — Alt+0 is the last section.
    key(qtbot, Qt.Key.Key_0, Qt.KeyboardModifier.AltModifier)
    assert focused() is field(form, "status")
    assert form.section_list.currentRow() == 9
    choose(qtbot, focused(), "closed")
    tab_to(qtbot, field(form, "closure.items").boxes["needs_met"])
    key(qtbot, Qt.Key.Key_Space)
    tab_to(qtbot, field(form, "closure.closed_on"))
    qtbot.keyClicks(focused(), "01062025")
    key(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert form.field_errors() == {}, form.banner.text()

    stored = session.cases.get(stored_case["id"])
    assert stored["rev"] == 3
    assert stored["survivor"]["age"] == 45
    assert stored["status"] == "closed"
    assert stored["closure"] == {"items": ["needs_met"], "closed_on": "2025-06-01", "knows_can_return": None}
    # The list was refreshed after the save.
    row = codes_shown(page).index(stored["code"])
    assert page.model.index(row, CaseListModel.STATUS).data() == "Đã kết thúc"


def test_sections_are_reached_with_ctrl_page_down_and_up(qtbot, session):
    form = CaseForm(session)
    qtbot.addWidget(form)
    activate(qtbot, form)
    assert form.section_list.currentRow() == 0
    key(qtbot, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert form.section_list.currentRow() == 1
    assert form.section_of(focused()) == 1
    key(qtbot, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert form.section_of(focused()) == 2
    key(qtbot, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert form.section_of(focused()) == 1
    for number in range(1, 11):
        key(qtbot, getattr(Qt.Key, f"Key_{number % 10}"), Qt.KeyboardModifier.AltModifier)
        assert form.section_list.currentRow() == number - 1
        assert form.section_of(focused()) == number - 1


def test_tab_order_follows_the_sections_top_to_bottom(qtbot, session, stored_case):
    form = CaseForm(session, session.cases.get(stored_case["id"]))
    qtbot.addWidget(form)
    activate(qtbot, form)
    seen_sections = []
    for _ in range(len(form.tab_chain()) + 5):
        section = form.section_of(focused())
        if section >= 0 and (not seen_sections or seen_sections[-1] != section):
            seen_sections.append(section)
        key(qtbot, Qt.Key.Key_Tab)
        if focused() is form.save_button:
            break
    assert seen_sections == list(range(10))
    # Tab from the last card's field reaches the buttons, never jumps back up the form.
    assert focused() is form.save_button


# --- validation -----------------------------------------------------------------------------------------------------
def test_every_message_from_the_core_reaches_its_field_and_nothing_is_saved(qtbot, session):
    form = CaseForm(session)
    qtbot.addWidget(form)
    activate(qtbot, form)
    tomorrow = date.today() + timedelta(days=1)
    field(form, "intake.reported_on").set_value(date.today().isoformat())
    field(form, "intake.incident_on").set_value(dmy(tomorrow))        # in the future
    field(form, "intake.disclosure_channel").set_value("self")
    field(form, "survivor.age").set_value("130")                      # too old
    field(form, "incident.violence_type").set_value(None)             # missing
    field(form, "status").set_value("closed")                         # closed without a date
    form.row_lists["perpetrators"].add_row()                            # a row without its relationship

    # What the core itself says about this case.
    with pytest.raises(ValidationFailed) as failed:
        session.cases.save(form.collect())
    expected = {e.path: e.vi for e in failed.value.errors}
    assert {"intake.incident_on", "survivor.age", "incident.violence_type", "closure.closed_on",
            "perpetrators[0].relationship"} <= set(expected)

    form.save_button.click()
    assert form.field_errors() == expected
    assert session.cases.count() == 0
    for path in expected:
        box = form.box_for(path)
        assert box.error_label.isVisibleTo(form)
        assert box.field.property("invalid") is True
    assert form.banner.property("kind") == "error"
    assert f"{len(expected)} chỗ chưa hợp lệ" in form.banner.text()
    # The keyboard is taken to the first field at fault, in the order of the form.
    assert focused() is field(form, "intake.incident_on")
    assert form.section_list.currentRow() == 0

    # Correcting a field takes its message away; the others stay until the next save.
    qtbot.keyClicks(field(form, "survivor.age"), "")
    field(form, "survivor.age").selectAll()
    qtbot.keyClicks(field(form, "survivor.age"), "30")
    assert "survivor.age" not in form.field_errors()
    assert "incident.violence_type" in form.field_errors()


def test_the_first_error_shown_is_the_first_in_the_form_even_in_a_later_section(qtbot, session):
    form = CaseForm(session)
    qtbot.addWidget(form)
    activate(qtbot, form)
    fill_valid(form)
    field(form, "status").set_value("closed")
    form.save_button.click()
    assert set(form.field_errors()) == {"closure.closed_on", "closure.items"}
    assert form.section_list.currentRow() == 9
    # The checklist comes before the closing date on the screen.
    assert focused() is next(iter(field(form, "closure.items").boxes.values()))


# --- saving twice, unsaved changes ---------------------------------------------------------------------------------
def test_two_quick_clicks_on_save_make_one_case(qtbot, session, monkeypatch):
    form = CaseForm(session)
    qtbot.addWidget(form)
    activate(qtbot, form)
    fill_valid(form)
    real_save = session.cases.save
    during = []

    def slow_save(data):
        during.append(form.save_button.isEnabled())
        if len(during) == 1:
            # A second click, and Ctrl+S, while the first save is still running.
            qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
            key(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        return real_save(data)

    monkeypatch.setattr(session.cases, "save", slow_save)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert during == [False]  # the clicks during the save did not start another
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert during == [False, False]
    assert session.cases.count() == 1
    assert session.cases.get(form.case_id)["rev"] == 1  # the second save carried the id and changed nothing
    assert form.banner.text() == "Không có thay đổi nào cần lưu."


def test_closing_with_unsaved_changes_asks_and_cancel_keeps_what_was_typed(qtbot, session, type_text):
    form = CaseForm(session)
    qtbot.addWidget(form)
    activate(qtbot, form)
    name = field(form, "identity.name")
    name.setFocus()
    type_text(name, "Đỗ Thị Chưa Lưu")
    key(qtbot, Qt.Key.Key_Escape)
    box = form.unsaved_box
    assert box is not None and box.isVisible()
    assert box.text() == "Vụ việc này có thay đổi chưa lưu."
    assert {b.text() for b in box.buttons()} == {"Lưu", "Không lưu", "Hủy"}
    form.unsaved_cancel.click()
    assert form.isVisible()
    assert name.text() == "Đỗ Thị Chưa Lưu"
    assert session.cases.count() == 0

    form.close()  # the window's close box asks the same question
    assert form.isVisible() and form.unsaved_box is not None
    form.unsaved_discard.click()
    assert not form.isVisible()
    assert session.cases.count() == 0


def test_choosing_save_in_the_question_saves_then_closes(qtbot, session):
    form = CaseForm(session)
    qtbot.addWidget(form)
    activate(qtbot, form)
    fill_valid(form)
    key(qtbot, Qt.Key.Key_Escape)
    form.unsaved_save.click()
    assert not form.isVisible()
    assert session.cases.count() == 1


def test_choosing_save_with_an_invalid_case_keeps_the_form_open_with_its_errors(qtbot, session):
    form = CaseForm(session)
    qtbot.addWidget(form)
    activate(qtbot, form)
    field(form, "survivor.age").set_value("130")
    key(qtbot, Qt.Key.Key_Escape)
    form.unsaved_save.click()
    assert form.isVisible()
    assert "survivor.age" in form.field_errors()
    assert session.cases.count() == 0


def test_an_untouched_case_closes_without_a_question(qtbot, session, stored_case):
    form = CaseForm(session, session.cases.get(stored_case["id"]))
    qtbot.addWidget(form)
    activate(qtbot, form)
    assert not form.is_dirty()
    key(qtbot, Qt.Key.Key_Escape)
    assert form.unsaved_box is None
    assert not form.isVisible()


# --- identity --------------------------------------------------------------------------------------------------------
def test_identity_stays_hidden_until_asked_and_asking_is_audited_once(qtbot, session, stored_case):
    page = open_page(qtbot, session)
    form = opened_form(qtbot, page, lambda: page.open_case(stored_case["id"]))
    qtbot.waitExposed(form)
    reads = lambda: len(audit.entries(session.store, action="identity.read"))  # noqa: E731
    name = field(form, "identity.name")
    assert reads() == 0
    assert not any(CANARY_NAME in text for text in visible_texts(form))
    assert not name.isVisibleTo(form)
    assert form.identity_button.text() == "Hiện thông tin nhận dạng"

    qtbot.mouseClick(form.identity_button, Qt.MouseButton.LeftButton)
    assert reads() == 1
    assert name.isVisible() and name.text() == CANARY_NAME
    assert field(form, "identity.phone").text() == "0912345678"
    assert form.identity_button.text() == "Ẩn thông tin nhận dạng"
    assert not form.is_dirty()  # what was read is not a change

    qtbot.mouseClick(form.identity_button, Qt.MouseButton.LeftButton)  # hide
    assert not name.isVisibleTo(form)
    qtbot.mouseClick(form.identity_button, Qt.MouseButton.LeftButton)  # show again: already read
    assert reads() == 1
    form.save_button.click()
    assert session.cases.get(stored_case["id"])["rev"] == 1


def test_a_stored_case_saved_without_showing_identity_keeps_its_identity(qtbot, session, stored_case):
    form = CaseForm(session, session.cases.get(stored_case["id"]))
    qtbot.addWidget(form)
    field(form, "survivor.age").set_value("35")
    form.save()
    stored = session.cases.get(stored_case["id"], with_identity=True)
    assert stored["rev"] == 2
    assert stored["identity"]["name"] == CANARY_NAME


def test_a_new_case_shows_empty_identity_fields_without_reading_anything(qtbot, session):
    form = CaseForm(session)
    qtbot.addWidget(form)
    form.show()
    assert field(form, "identity.name").isVisible()
    assert field(form, "identity.name").text() == ""
    assert audit.entries(session.store, action="identity.read") == []


def test_a_leader_never_sees_a_name_anywhere_in_the_form(qtbot, session, new_node, stored_case):
    leader = login_as(session, new_node, "lanhdao", "leader")
    try:
        page = open_page(qtbot, leader)
        assert not page.new_case_button.isVisibleTo(page) and not page.new_case_action.isEnabled()
        form = opened_form(qtbot, page, lambda: page.open_case(stored_case["id"]))
        for index in range(len(form.sections)):
            form.go_to_section(index)
            texts = visible_texts(form)
            assert not any(CANARY_NAME in t or "Canary" in t for t in texts)
        assert form.identity_button is None
        assert not [path for path in form.boxes if path.startswith("identity.")]
        assert form.findChildren(QWidget, "identityBox") == []
        # Facts are there, read-only; nothing to save.
        violence_type = field(form, "incident.violence_type")
        assert violence_type.value() == "physical_assault"
        violence_type.setFocus()
        qtbot.keyClick(violence_type, Qt.Key.Key_Down)
        qtbot.mouseClick(violence_type, Qt.MouseButton.LeftButton)
        assert violence_type.value() == "physical_assault"
        needs_met = field(form, "closure.items").boxes["needs_met"]
        qtbot.mouseClick(needs_met, Qt.MouseButton.LeftButton)
        assert not needs_met.isChecked()
        assert field(form, "survivor.age").isReadOnly()
        assert not form.save_button.isVisibleTo(form)
        assert not form.row_lists["perpetrators"].add_button.isVisibleTo(form)
        assert not form.is_dirty()
        assert form.banner.text() == "Chỉ xem: vai trò của bạn không sửa được vụ việc."
    finally:
        leader.close()


# --- a cadre's reach, refusals and conflicts --------------------------------------------------------------------------
def test_a_cadre_cannot_open_another_points_case_and_is_told_so(qtbot, session, new_node):
    other = session.cases.save(sample_case(point_id="point-B"))
    cadre = login_as(session, new_node, "canbo", "cadre", point_id="point-A")
    try:
        page = open_page(qtbot, cadre)
        page.open_case(other["id"])
        assert page.open_forms() == []
        assert page.error_box is not None and page.error_box.isVisible()
        assert page.error_box.text() == "Không tìm thấy vụ việc (hoặc bạn không được phép xem)."
        assert CANARY_NAME not in page.error_box.text()
    finally:
        cadre.close()


def test_a_cadre_records_a_case_for_her_own_point_without_choosing_it(qtbot, session, new_node):
    cadre = login_as(session, new_node, "canbo", "cadre", point_id="point-A")
    try:
        page = open_page(qtbot, cadre)
        form = opened_form(qtbot, page, page.new_case)
        assert "point_id" not in form.boxes
        fill_valid(form)
        form.save()
        assert form.field_errors() == {}, form.banner.text()
        assert cadre.cases.get(form.case_id)["point_id"] == "point-A"
        assert page.model.rowCount() == 1
    finally:
        cadre.close()


def test_a_refusal_from_the_core_is_shown_plainly_and_nothing_typed_is_lost(qtbot, session, new_node):
    mine = session.cases.save(sample_case(point_id="point-A"))
    cadre = login_as(session, new_node, "canbo", "cadre", point_id="point-A")
    try:
        form = CaseForm(cadre, cadre.cases.get(mine["id"]))
        qtbot.addWidget(form)
        # Meanwhile the officer moves the case to another point.
        session.cases.save(dict(session.cases.get(mine["id"]), point_id="point-B"))
        field(form, "survivor.age").set_value("36")
        form.save()
        assert form.banner.property("kind") == "error"
        assert form.banner.text() == "Không tìm thấy vụ việc (hoặc bạn không được phép xem)."  # as if absent (13.8)
        assert field(form, "survivor.age").text() == "36"
        assert form.is_dirty()
    finally:
        cadre.close()


def test_a_stale_case_gives_the_core_message_and_keeps_what_was_typed(qtbot, session, stored_case, type_text):
    form = CaseForm(session, session.cases.get(stored_case["id"]))
    qtbot.addWidget(form)
    activate(qtbot, form)
    # Someone else saves a change after the form was opened.
    session.cases.save(dict(session.cases.get(stored_case["id"]), status="open",
                            survivor=dict(stored_case["survivor"], age=40, age_band=None)))
    field(form, "survivor.age").set_value("33")
    taken_by = field(form, "intake.taken_by")
    taken_by.clear()
    taken_by.setFocus()
    type_text(taken_by, "Cán bộ Hòa")
    key(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert form.banner.property("kind") == "error"
    assert form.banner.text().startswith("Vụ việc này đã được sửa ở nơi khác sau khi bạn mở.")
    assert field(form, "survivor.age").text() == "33"
    assert taken_by.text() == "Cán bộ Hòa"
    assert form.is_dirty() and form.rev == 1
    assert session.cases.get(stored_case["id"])["survivor"]["age"] == 40
    assert form.save_button.isEnabled()


# --- showing stored values --------------------------------------------------------------------------------------------
def test_a_stored_case_is_shown_whole_and_saving_it_untouched_changes_nothing(qtbot, session, stored_case):
    form = CaseForm(session, session.cases.get(stored_case["id"]))
    qtbot.addWidget(form)
    assert form.title_label.text() == f"Vụ việc {stored_case['code']}"
    assert field(form, "intake.reported_on").text() == "10/03/2025"
    assert field(form, "intake.disclosure_channel").currentText() == "Người bị bạo lực tự trình báo, tự tìm đến"
    assert [card.value()["service"] for card in form.row_lists["services"].cards] == \
        ["health_care", "psychosocial_counselling"]
    assert form.row_lists["referrals"].cards[0].boxes["provider_name"].field.text() == "Trạm y tế xã"
    assert len(form.row_lists["perpetrator_actions"].cards) == 2
    assert not form.is_dirty()
    form.save()
    assert session.cases.get(stored_case["id"])["rev"] == 1


def test_removing_a_row_removes_it_from_the_saved_case(qtbot, session, stored_case):
    form = CaseForm(session, session.cases.get(stored_case["id"]))
    qtbot.addWidget(form)
    actions = form.row_lists["perpetrator_actions"]
    qtbot.mouseClick(actions.cards[0].remove_button, Qt.MouseButton.LeftButton)
    assert [c.title_label.text() for c in actions.cards] == ["Biện pháp 1"]
    assert form.is_dirty()
    form.save()
    assert session.cases.get(stored_case["id"])["perpetrator_actions"] == [{"action": "counselled",
                                                                            "on": "2025-03-15"}]


def test_an_empty_optional_date_stays_empty(qtbot, session):
    form = CaseForm(session)
    qtbot.addWidget(form)
    fill_valid(form)
    assert field(form, "intake.incident_on").value() is None
    form.save()
    assert session.cases.get(form.case_id)["intake"]["incident_on"] is None
    assert field(form, "intake.incident_on").value() is None


def test_the_definition_beside_the_violence_type_follows_the_choice(qtbot, session):
    form = CaseForm(session)
    qtbot.addWidget(form)
    combo = field(form, "incident.violence_type")
    for option in session.reference["violence_type"]:
        combo.setCurrentIndex(combo.findData(option.code))
        assert form.violence_type_definition.text() == option.definition("vi")
        assert combo.itemData(combo.currentIndex(), Qt.ItemDataRole.ToolTipRole) == option.definition("vi")


def test_form_labels_are_the_cores_labels(qtbot, session):
    from app.cases.fields import LABELS

    form = CaseForm(session)
    qtbot.addWidget(form)
    labels = {label.text() for label in form.findChildren(QLabel)}
    checks = {box.text() for box in form.findChildren(QAbstractButton)}
    for path in ("intake.reported_on", "survivor.age", "incident.violence_type", "closure.closed_on",
                 "identity.name", "consent.sharing.withdrawn_on"):
        assert LABELS[path][0] in labels
    assert LABELS["incident.reported_elsewhere"][0] in checks


def test_grabbing_each_section_gives_a_picture(qtbot, session, stored_case, tmp_path):
    form = CaseForm(session, session.cases.get(stored_case["id"]))
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    for index in range(len(form.sections)):
        path = tmp_path / f"section_{index + 1}.png"
        assert form.grab_section(index).save(str(path))
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_refused_identity_read_is_reported_in_the_banner(qtbot, session, stored_case, monkeypatch):
    from app.errors import PermissionDenied

    form = CaseForm(session, session.cases.get(stored_case["id"]))
    qtbot.addWidget(form)

    def refuse(case_id, with_identity=False):
        raise PermissionDenied("Vai trò của bạn không được phép xem thông tin nhận dạng.", "Not allowed.")

    monkeypatch.setattr(session.cases, "get", refuse)
    form.toggle_identity()
    assert form.banner.text() == "Vai trò của bạn không được phép xem thông tin nhận dạng."
    assert not form.identity_visible()
    assert form.identity_button.isEnabled()


def test_closing_without_asking_for_a_lock_or_logout_leaves_no_question_behind(qtbot, session):
    form = CaseForm(session)
    qtbot.addWidget(form)
    form.show()
    field(form, "survivor.age").set_value("20")
    form.reject()
    assert isinstance(form.unsaved_box, QMessageBox)
    form.discard_and_close()
    assert form.unsaved_box is None and not form.isVisible()


def test_the_forms_signals_can_fire_all_day_without_wearing_python_down(qtbot, session):
    """PySide 6.12.0's emit() takes a reference from True each time it is called (ui.qt balances it); without
    that, a long day of saving cases ends with Python aborting: "deallocating True or False"."""
    import sys

    form = CaseForm(session)
    qtbot.addWidget(form)
    before = sys.getrefcount(True)
    for _ in range(500):
        form.saved.emit("id")
        form.row_lists["services"].edited.emit()
    # A few references may come and go with Qt's own caches; a thousand lost ones would be the fault.
    assert abs(sys.getrefcount(True) - before) < 20
