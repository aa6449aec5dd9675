"""Everyone can use it (issue 21): names for screen readers, the keyboard alone, contrast, text size.

The walks go through every page of the window and every section of the forms
offscreen, as a screen reader or a keyboard user would meet them.
"""

from __future__ import annotations

import pytest

from ui.qt import QApplication, QWidget, Qt


def show_active(qtbot, window) -> None:
    window.show()
    qtbot.waitExposed(window)

    def active() -> bool:
        if QApplication.activeWindow() is not window:
            window.windowHandle().requestActivate()  # offscreen, the first request is sometimes lost
            return False
        return True

    qtbot.waitUntil(active, timeout=4000)


def focused() -> QWidget:
    return QApplication.focusWidget()


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), key, modifier)


def describe(widget) -> str:
    return f"{type(widget).__name__}({widget.objectName()!r}, {widget.accessibleName()!r})"


# --- keyboard traps --------------------------------------------------------------------------------------------
def tab_walk(qtbot, presses: int = 60) -> list[QWidget]:
    seen = []
    for _ in range(presses):
        seen.append(focused())
        press(qtbot, Qt.Key.Key_Tab)
    return seen


@pytest.mark.parametrize("page_number", range(1, 8))
def test_tab_leaves_the_navigation_and_comes_back_on_every_page(qtbot, main_window, page_number):
    show_active(qtbot, main_window)
    main_window.navigation.setFocus()
    press(qtbot, getattr(Qt.Key, f"Key_{page_number}"), Qt.KeyboardModifier.ControlModifier)
    main_window.navigation.setFocus()
    walk = tab_walk(qtbot)
    outside = [w for w in walk if w is not None and w is not main_window.navigation]
    assert outside, "Tab never left the navigation list"
    assert walk.count(main_window.navigation) >= 2, "Tab never came back round to the navigation list: " + \
        ", ".join(describe(w) for w in walk[-8:])


# --- names for screen readers ----------------------------------------------------------------------------------
def test_every_page_names_every_field(qtbot, three_cases, main_window):
    from ui.main_window import PAGE_KEYS
    from ui.widgets.a11y import unnamed_fields

    show_active(qtbot, main_window)
    missing = {}
    for key in PAGE_KEYS:
        main_window.show_page(key)
        page = main_window.pages[key]
        for tab in getattr(page, "TAB_KEYS", None) or [None]:
            if tab is not None:
                page.show_tab(tab)
            qtbot.wait(1)
            for widget in unnamed_fields(main_window):
                missing.setdefault(f"{key}/{tab}", []).append(describe(widget))
    assert not missing, "\n".join(f"{k}: {v}" for k, v in missing.items())


def case_form(qtbot, session, case=None, **options):
    from ui.cases.form import CaseForm

    form = CaseForm(session, case, providers=session.registries.providers(), **options)
    qtbot.addWidget(form)
    return form


@pytest.fixture
def stored_case(session):
    from tests.conftest import sample_case

    return session.cases.save(sample_case())


def test_every_field_of_the_case_form_is_named_from_its_label(qtbot, session, stored_case):
    from app.cases.fields import LABELS
    from ui.widgets.a11y import unnamed_fields

    form = case_form(qtbot, session, session.cases.get(stored_case["id"]))
    show_active(qtbot, form)
    form.toggle_identity()
    assert form.identity_visible()
    assert unnamed_fields(form) == [], [describe(w) for w in unnamed_fields(form)]
    # The name is the visible label's, on the field itself (not on the wrapper with its error line).
    assert form.boxes["survivor.age"].field.accessibleName() == LABELS["survivor.age"][0]
    assert form.boxes["identity.name"].field.accessibleName() == LABELS["identity.name"][0]
    relationship = form.row_lists["perpetrators"].cards[0].boxes["relationship"].field
    assert relationship.accessibleName() == LABELS["perpetrators[].relationship"][0]
    assert form.boxes["survivor.age"].accessibleName() == ""
    # A hint shown under a field is its description.
    assert "nhóm tuổi được tính từ tuổi" in form.boxes["survivor.age_band"].field.accessibleDescription()


def test_every_field_of_the_activity_form_is_named_from_its_label(qtbot, session):
    from ui.activities.form import ActivityForm
    from ui.widgets.a11y import unnamed_fields

    form = ActivityForm(session)
    qtbot.addWidget(form)
    show_active(qtbot, form)
    assert unnamed_fields(form) == [], [describe(w) for w in unnamed_fields(form)]
    assert form.boxes["kind"].field.accessibleName() == "Loại hoạt động"
    assert form.boxes["participants.female"].field.accessibleName() == "Nữ"
    assert form.boxes["budget_vnd"].field.accessibleName() == "Kinh phí đã chi"


@pytest.fixture
def said(monkeypatch):
    """What the window said to screen readers: (event type, text) in order."""
    from ui.qt import QAccessible
    from ui.widgets import a11y

    heard = []

    def hear(event):
        text = event.message() if event.type() == QAccessible.Event.Announcement else ""
        heard.append((event.type(), text, event.object()))

    monkeypatch.setattr(a11y, "_send", hear)
    return heard


def test_errors_are_attached_to_their_fields_announced_and_visited_with_f8(qtbot, session, said):
    from ui.qt import QAccessible

    form = case_form(qtbot, session)
    show_active(qtbot, form)
    form.boxes["intake.reported_on"].field.set_value("")
    form.boxes["survivor.age"].field.set_value("300")
    form.boxes["incident.violence_type"].field.set_value(None)
    said.clear()
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    errors = form.field_errors()
    assert len(errors) >= 3, errors
    # The banner was announced, interrupting; it gives the count and the key.
    announced = [text for kind, text, _ in said if kind == QAccessible.Event.Announcement]
    assert announced and announced[-1] == form.banner.text()
    assert "F8" in form.banner.text()
    # Each field carries its own message in its description.
    for path, message in errors.items():
        assert form.box_for(path).focus_targets()[0].accessibleDescription().startswith(message), path
    # The keyboard is in the first field at fault; F8 goes round them all in the form's order, Shift+F8 back.
    first = focused()
    visited = [first]
    for _ in range(len(errors) - 1):
        press(qtbot, Qt.Key.Key_F8)
        visited.append(focused())
    assert len(set(map(id, visited))) == len(errors)
    chain = form.tab_chain()
    assert [chain.index(w) for w in visited] == sorted(chain.index(w) for w in visited)
    press(qtbot, Qt.Key.Key_F8)
    assert focused() is first
    press(qtbot, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is visited[-1]

    # Once put right, a field's message leaves its description too.
    age = form.boxes["survivor.age"].field
    age.setFocus()
    age.selectAll()
    qtbot.keyClicks(age, "30")
    assert "survivor.age" not in form.field_errors()
    assert age.accessibleDescription() == ""


def test_the_activity_form_s_errors_are_visited_with_f8_too(qtbot, session, said):
    from ui.activities.form import ActivityForm

    form = ActivityForm(session)
    qtbot.addWidget(form)
    show_active(qtbot, form)
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    errors = form.field_errors()
    assert set(errors) >= {"kind", "title"}
    assert focused() is form.boxes["kind"].field
    assert form.boxes["kind"].field.accessibleDescription().startswith(errors["kind"])
    press(qtbot, Qt.Key.Key_F8)
    assert focused() is form.boxes["title"].field


def test_the_violence_acts_are_crossed_with_the_arrows_and_left_with_one_tab(qtbot, session):
    form = case_form(qtbot, session)
    show_active(qtbot, form)
    acts = form.boxes["incident.dv_acts"].field
    boxes = list(acts.boxes.values())
    assert len(boxes) > 10
    boxes[0].setFocus(Qt.FocusReason.TabFocusReason)
    for expected in boxes[1:4]:
        press(qtbot, Qt.Key.Key_Down)
        assert focused() is expected
    press(qtbot, Qt.Key.Key_Space)
    assert acts.value() == [boxes[3].property("code")]
    press(qtbot, Qt.Key.Key_Up)
    assert focused() is boxes[2]
    press(qtbot, Qt.Key.Key_Tab)
    after = focused()
    assert after not in boxes and acts.isAncestorOf(after) is False
    chain = form.tab_chain()
    assert chain.index(after) == chain.index(boxes[-1]) + 1
    press(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() in boxes  # back into the list
    boxes[5].setFocus(Qt.FocusReason.TabFocusReason)
    press(qtbot, Qt.Key.Key_Backtab)
    assert chain.index(focused()) == chain.index(boxes[0]) - 1


def test_showing_the_identity_keeps_the_keyboard_on_the_button(qtbot, session, stored_case, said):
    form = case_form(qtbot, session, session.cases.get(stored_case["id"]))
    show_active(qtbot, form)
    button = form.identity_button
    button.setFocus(Qt.FocusReason.TabFocusReason)
    press(qtbot, Qt.Key.Key_Return)
    assert form.identity_visible()
    assert focused() is button and button.text() == "Ẩn thông tin nhận dạng"
    assert any(text == "Thông tin nhận dạng đang hiện." for _, text, _ in said)
    # Hiding it while the keyboard is in an identity field hands the keyboard back to the button.
    form.boxes["identity.phone"].field.setFocus()
    form.toggle_identity()
    assert not form.identity_visible()
    assert focused() is button


def test_the_case_form_opens_at_once_and_builds_its_sections_after_its_first_paint(qtbot, session, stored_case):
    form = case_form(qtbot, session, session.cases.get(stored_case["id"]), deferred=True)
    assert not form.is_built() and form.sections == []
    assert form.windowTitle().startswith(f"Vụ việc {stored_case['code']}")
    assert form.section_list.count() == len(form.SECTION_KEYS)
    assert not form.is_dirty()
    with qtbot.waitSignal(form.built, timeout=5000):
        form.show()
    assert len(form.sections) == len(form.SECTION_KEYS)
    assert form.boxes["survivor.age"].field.value() == "34"
    assert not form.is_dirty()
    assert focused() is None or focused() is form.first_input(0) or not form.isActiveWindow()


def test_a_deferred_form_saved_at_once_builds_itself_first(qtbot, session, stored_case):
    form = case_form(qtbot, session, session.cases.get(stored_case["id"]), deferred=True)
    form.save()
    assert form.is_built()
    assert form.rev == stored_case["rev"]  # nothing changed, nothing new stored
    assert "Không có thay đổi" in form.banner.text()
