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


# --- contrast ----------------------------------------------------------------------------------------------------
def test_every_colour_pair_of_the_palette_meets_wcag_aa():
    from ui import style

    weak = {name: round(pair.ratio(), 2) for name, pair in style.PAIRS.items() if pair.ratio() < pair.minimum}
    assert not weak, weak


def test_the_contrast_arithmetic_is_wcag_s():
    from ui.style import contrast_ratio

    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the well-known AA grey
    # The colours the issue measured: the old amber badge and the old orange bars fail.
    assert contrast_ratio("#ffffff", "#b26a00") == pytest.approx(4.24, abs=0.01)
    assert contrast_ratio("#ef8f00", "#ffffff") == pytest.approx(2.44, abs=0.01)


def test_the_target_badges_and_the_short_columns_use_the_palette(qtbot, session):
    from ui import style
    from ui.overview import charts, page

    assert page.STATUS_COLOURS == style.STATUS_BACKGROUNDS
    assert charts.SHORT_COLOUR == style.CHART_SHORT and charts.SHORT_HATCH


# --- keyboard: Return, tables ------------------------------------------------------------------------------------
def test_return_presses_the_focused_button_on_a_page(qtbot, main_window, three_cases):
    show_active(qtbot, main_window)
    main_window.show_page("overview")
    overview = main_window.overview_page
    button = overview.open_card.button
    button.setFocus(Qt.FocusReason.TabFocusReason)
    asked = []
    overview.open_list_requested.connect(lambda key, what: asked.append(key))
    press(qtbot, Qt.Key.Key_Return)
    assert asked == ["cases"]
    assert main_window.current_page_key() == "cases"


def test_a_table_is_crossed_with_the_arrows_and_left_with_one_tab(qtbot, main_window, three_cases):
    from ui.qt import QTableView

    show_active(qtbot, main_window)
    main_window.show_page("cases")
    table = main_window.cases_page.findChild(QTableView)
    table.setFocus(Qt.FocusReason.TabFocusReason)
    table.setCurrentIndex(table.model().index(0, 0))
    press(qtbot, Qt.Key.Key_Down)
    assert table.currentIndex().row() == 1
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is not table and not table.isAncestorOf(focused())


def test_the_focus_ring_follows_the_keyboard_whatever_brought_it(qtbot, main_window, accessibility_helper):
    show_active(qtbot, main_window)
    main_window.show_page("overview")
    combo = main_window.overview_page.year_combo
    combo.setFocus(Qt.FocusReason.OtherFocusReason)  # not Tab: Qt's own styles draw no focus for this
    ring = accessibility_helper.ring
    assert ring is not None and ring.widget() is combo and ring.isVisible()
    assert ring.parentWidget() is combo and ring.geometry() == combo.rect()
    # It is drawn over the combo's edge, in the palette's focus colour.
    from ui import style

    picture = combo.grab().toImage()
    assert picture.pixelColor(combo.width() // 2, 0).name() == style.FOCUS_RING
    main_window.overview_page.open_card.button.setFocus(Qt.FocusReason.MouseFocusReason)
    assert ring.widget() is main_window.overview_page.open_card.button and ring.isVisible()


# --- work in progress --------------------------------------------------------------------------------------------
def test_after_a_year_switch_the_old_figures_are_greyed_until_the_new_ones_come(qtbot, session, monkeypatch, said):
    from ui import tasks
    from ui.overview.page import OverviewPage

    page = OverviewPage(session)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.data is not None)
    assert not page.is_loading() and page.open_card.isEnabled()
    waiting = []
    monkeypatch.setattr(tasks, "run_in_background",
                        lambda job, on_done, on_error, **kw: waiting.append((job, on_done)))
    page.set_year(page.year() - 1)
    assert page.is_loading()
    assert str(page.year()) in page.loading_label.text()
    assert not page.open_card.isEnabled() and page.open_card.graphicsEffect() is not None
    assert any(str(page.year()) in text for _, text, _ in said)
    job, on_done = waiting.pop(0)
    on_done(job())
    assert not page.is_loading()
    assert page.open_card.isEnabled() and page.open_card.graphicsEffect() is None
    assert page.data.year == page.year()


# --- text size, small screens --------------------------------------------------------------------------------------
SCREENS = [  # (width, height, text size): the laptop, a smaller one, each at 125 % text
    (1366, 768, 125), (1280, 720, 100), (1280, 720, 125)]


@pytest.fixture
def screen(monkeypatch, request):
    """A screen of the given size (less a 40-pixel task bar) and the given text size; the windows fitted to it."""
    from ui import text_size
    from ui.qt import QRect

    width, height, percent = request.param
    area = QRect(0, 0, width, height - 40)
    monkeypatch.setattr(text_size, "available_geometry", lambda widget=None: area)
    fitted = []
    real_fit = text_size.fit_on_screen

    def fit(window, w, h, **options):
        real_fit(window, w, h, **options)
        fitted.append(window)

    monkeypatch.setattr(text_size, "fit_on_screen", fit)
    text_size.apply(percent)
    return area, percent, fitted


def fits(window, area) -> bool:
    return (window.width() <= area.width() and window.height() <= area.height()
            and window.minimumSize().width() <= area.width() and window.minimumSize().height() <= area.height())


@pytest.mark.parametrize("screen", SCREENS, indirect=True, ids=lambda s: f"{s[0]}x{s[1]}-{s[2]}pc")
def test_the_window_and_every_page_fit_the_screen(qtbot, session, three_cases, screen):
    from ui import text_size
    from ui.main_window import PAGE_KEYS, MainWindow

    area, percent, _fitted = screen
    text_size.remember(percent, session)
    window = MainWindow(session)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    assert QApplication.font().pointSizeF() == pytest.approx(text_size._base_point_size * percent / 100)
    for key in PAGE_KEYS:
        window.show_page(key)
        qtbot.wait(1)
        hint = window.minimumSizeHint()
        assert hint.width() <= area.width() and hint.height() <= area.height(), (key, hint.toTuple())
    assert fits(window, area), window.size().toTuple()


@pytest.mark.parametrize("screen", SCREENS, indirect=True, ids=lambda s: f"{s[0]}x{s[1]}-{s[2]}pc")
def test_a_whole_case_is_entered_by_keyboard_on_a_small_screen_at_a_large_text_size(qtbot, session, type_text,
                                                                                     screen):
    from tests.ui import test_case_form
    from ui.cases.form import CaseForm

    area, _percent, fitted = screen
    test_case_form.test_a_whole_case_entered_with_the_keyboard_alone_is_saved_and_listed(qtbot, session, type_text)
    forms = [w for w in fitted if isinstance(w, CaseForm)]
    assert forms and all(fits(form, area) for form in forms)
    assert all(form.minimumSizeHint().height() <= area.height() for form in forms)


@pytest.mark.parametrize("screen", SCREENS, indirect=True, ids=lambda s: f"{s[0]}x{s[1]}-{s[2]}pc")
def test_a_whole_activity_is_entered_by_keyboard_on_a_small_screen_at_a_large_text_size(qtbot, session, type_text,
                                                                                         screen):
    from ui.activities.form import ActivityForm
    from ui.activities.page import ActivitiesPage

    area, _percent, fitted = screen
    page = ActivitiesPage(session)
    qtbot.addWidget(page)
    show_active(qtbot, page)
    page.new_activity()  # what Ctrl+N does in the window (tested with the window's menus)
    form = page.open_forms()[-1]
    qtbot.addWidget(form)
    show_active(qtbot, form)
    assert fits(form, area)

    def tab_to(widget, limit=60):
        for _ in range(limit):
            if focused() is widget:
                return
            press(qtbot, Qt.Key.Key_Tab)
        assert focused() is widget, describe(widget)

    assert focused() is form.kind_combo
    kind = next(o.code for o in session.reference["activity_kind"] if o.get("group") == "communication_event")
    while form.kind_combo.currentData() != kind:
        press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is form.boxes["title"].field
    type_text(focused(), "Nói chuyện chuyên đề bằng bàn phím")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is form.boxes["topic"].field  # what it was about: the list's default, already there
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is form.boxes["starts_on"].field  # today, already there
    tab_to(form.boxes["place"].field)
    type_text(focused(), "Nhà văn hóa thôn Đông")
    groups = form.boxes["target_groups"].field.boxes
    tab_to(next(iter(groups.values())))
    press(qtbot, Qt.Key.Key_Right)
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_Tab)  # one Tab leaves the target groups
    assert focused() is form.boxes["participants.total"].field
    qtbot.keyClicks(focused(), "40")
    press(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), "25")
    press(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), "15")
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert form.field_errors() == {}, form.banner.text()
    stored = session.activities.get(form.activity_id)
    assert stored["title"] == "Nói chuyện chuyên đề bằng bàn phím"
    assert stored["target_groups"] == [list(groups)[1]]
    assert stored["participants"]["total"] == 40 and stored["participants"]["male"] == 15
    assert [w for w in fitted if isinstance(w, ActivityForm)]


def test_the_text_size_is_remembered_for_each_user_and_rebuilds_the_window(qtbot, session, new_node, main_window):
    from tests.conftest import ADMIN_PASSWORD
    from ui import text_size

    show_active(qtbot, main_window)
    main_window.show_page("reports")
    base = QApplication.font().pointSizeF()
    replaced = []
    main_window.replaced.connect(replaced.append)
    main_window.text_size_actions[125].trigger()
    assert len(replaced) == 1
    successor = replaced[0]
    qtbot.addWidget(successor)
    assert successor.current_page_key() == "reports"
    assert text_size.current() == 125
    assert QApplication.font().pointSizeF() == pytest.approx(base * 1.25)
    assert successor.text_size_actions[125].isChecked()
    # Ctrl+- steps down to the next smaller size.
    show_active(qtbot, successor)
    successor.replaced.connect(replaced.append)
    successor.step_text_size(-1)
    assert len(replaced) == 2
    qtbot.addWidget(replaced[1])
    assert text_size.current() == 115
    # Another user keeps a size of her own; the first user's comes back with her.
    session.add_user("canbo2", ADMIN_PASSWORD, "officer", "Cán bộ hai")
    other = new_node.login("canbo2", ADMIN_PASSWORD)
    try:
        text_size.remember(150, other)
        assert text_size.saved(other) == 150
        assert text_size.saved(session) == 115
    finally:
        other.close()
    # The file names no one: ids only.
    from ui.settings import preferences_path

    written = preferences_path().read_text(encoding="utf-8")
    assert "canbo2" not in written and "admin" not in written


def test_text_sizes_outside_100_to_150_are_brought_back_within():
    from ui import text_size

    assert text_size.clamp(90) == 100 and text_size.clamp(400) == 150 and text_size.clamp("x") == 100


def test_the_settings_box_for_the_text_size_offers_100_to_150_and_says_which_is_used(qtbot):
    from ui import text_size
    from ui.widgets.text_size_box import TextSizeBox

    text_size.apply(125)
    box = TextSizeBox()
    qtbot.addWidget(box)
    sizes = [box.combo.itemData(i) for i in range(box.combo.count())]
    assert sizes[0] == 100 and sizes[-1] == 150 and box.combo.currentData() == 125
    chosen = []
    box.text_size_chosen.connect(chosen.append)
    box.combo.setCurrentIndex(box.combo.findData(150))
    assert chosen == [150]


@pytest.mark.parametrize("screen", [(1366, 768, 125)], indirect=True, ids=["1366x768-125pc"])
def test_a_window_larger_than_the_screen_is_shrunk_to_it_when_shown(qtbot, screen):
    from ui.qt import QDialog

    area, _percent, _fitted = screen
    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.resize(1500, 900)
    show_active(qtbot, dialog)
    assert dialog.width() <= area.width() and dialog.height() <= area.height()


def test_screenshots_can_be_taken_for_a_given_screen_and_text_size(qtbot, tmp_path):
    from tests.ui.test_screenshots import small_node
    from ui import text_size
    from ui.qt import QImage
    from ui.screenshots import main

    out = tmp_path / "shots"
    assert main(out, langs=("vi",), make_node=small_node, size=(1280, 720), text_percent=125) == 0
    overview = QImage(str(next((out / "vi").glob("*-overview.png"))))
    assert (overview.width(), overview.height()) == (1280, 680)
    for path in (out / "vi").glob("*-case-form-*.png"):
        picture = QImage(str(path))
        assert picture.width() <= 1280 and picture.height() <= 680, path.name
    assert text_size.SCREEN_OVERRIDE is None and text_size.current() == 100  # put back


def test_every_text_colour_written_in_the_window_s_code_is_readable():
    """Colours outside the palette too (style sheets, item foregrounds): 4.5:1 on their background, or on both
    white and the window's grey where the line names none. Disabled text is exempt (WCAG: inactive controls)."""
    import re
    from pathlib import Path

    from ui import style

    root = Path(style.__file__).parent
    weak = []
    for path in sorted(root.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if ":disabled" in line:
                continue
            colours = re.findall(r'(?<![-\w])color:\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\b', line)
            colours += re.findall(r'QColor\("(#[0-9a-fA-F]{6})"\)', line)
            ground = re.search(r'background:\s*(#[0-9a-fA-F]{6})', line)
            grounds = [ground.group(1)] if ground else [style.WHITE, style.WINDOW]
            for colour in colours:
                ratio = min(style.contrast_ratio(colour, g) for g in grounds)
                if ratio < style.TEXT_MINIMUM:
                    weak.append(f"{path.relative_to(root.parent)}:{number} {colour} {ratio:.2f}")
    assert not weak, weak


def _walk_dialog(qtbot, dialog) -> list[str]:
    from ui.widgets.a11y import unnamed_fields

    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)  # a window is prepared when it first gets the keyboard
    return [describe(w) for w in unnamed_fields(dialog)]


def test_every_field_of_the_dialogs_is_named(qtbot, session, new_node, tmp_path):
    from ui.lock import LockScreen
    from ui.login import LoginDialog
    from ui.registries.dialogs import ModelDialog, ProviderDialog, SchoolDialog
    from ui.setup.wizard import SetupWizard

    missing = {}
    for name, make in (("login", lambda: LoginDialog(new_node)),
                       ("model", lambda: ModelDialog(session)),
                       ("school", lambda: SchoolDialog(session)),
                       ("provider", lambda: ProviderDialog(session)),
                       ("lock", lambda: LockScreen(session))):
        unnamed = _walk_dialog(qtbot, make())
        if unnamed:
            missing[name] = unnamed
    wizard = SetupWizard(tmp_path / "wizard")
    qtbot.addWidget(wizard)
    show_active(qtbot, wizard)
    for page_id in wizard.pageIds():
        wizard.setStartId(page_id)
        wizard.restart()
        qtbot.wait(1)
        from ui.widgets.a11y import unnamed_fields

        unnamed = [describe(w) for w in unnamed_fields(wizard) if wizard.currentPage().isAncestorOf(w)]
        if unnamed:
            missing[f"wizard {page_id}"] = unnamed
    assert not missing, missing


def test_the_text_size_is_chosen_in_settings_too(qtbot, main_window):
    from ui import text_size

    show_active(qtbot, main_window)
    main_window.show_page("settings")
    combo = main_window.pages["settings"].text_size_box.combo
    assert combo.accessibleName()  # named from its box for a screen reader
    replaced = []
    main_window.replaced.connect(replaced.append)
    combo.setCurrentIndex(combo.findData(135))
    assert len(replaced) == 1 and text_size.current() == 135
    qtbot.addWidget(replaced[0])
    assert replaced[0].current_page_key() == "settings"
