"""The Activities page: the list, its search and filters, and the activity form driven from the keyboard."""

from __future__ import annotations

from datetime import date

import pytest

from app.activities import ActivityFilter
from tests.conftest import ADMIN_PASSWORD
from ui import tasks
from ui.activities.form import QUANTITY_GROUPS, ActivityForm
from ui.activities.list_model import ActivityListModel
from ui.activities.page import ActivitiesPage
from ui.qt import QApplication, Qt


def open_page(qtbot, session) -> ActivitiesPage:
    page = ActivitiesPage(session)
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


def new_form(qtbot, page: ActivitiesPage) -> ActivityForm:
    page.new_activity()
    form = page.open_forms()[-1]
    qtbot.addWidget(form)
    activate(qtbot, form)
    return form


def last_25_november() -> date:
    """The latest 25/11 that is not in the future (the core refuses start dates after today)."""
    today = date.today()
    year = today.year if today >= date(today.year, 11, 25) else today.year - 1
    return date(year, 11, 25)


def titles_shown(page: ActivitiesPage) -> list[str]:
    model = page.model
    return [model.index(r, ActivityListModel.TITLE).data() for r in range(model.rowCount())]


def cell(page: ActivitiesPage, title: str, column: int):
    row = titles_shown(page).index(title)
    return page.model.index(row, column).data()


def choose_kind_by_keyboard(qtbot, form: ActivityForm, kind: str) -> None:
    combo = form.kind_combo
    combo.setFocus()
    for _ in range(combo.count()):
        if combo.currentData() == kind:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == kind, f"{kind} cannot be reached with the arrow keys"


def type_date(qtbot, field, day: date) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, day.strftime("%d%m%Y"))


def type_count(qtbot, form: ActivityForm, path: str, number: int) -> None:
    field = form.boxes[path].field
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, str(number))


def save_with_ctrl_s(qtbot, form: ActivityForm) -> None:
    qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def login_as(session, node, username: str, role: str):
    session.add_user(username, ADMIN_PASSWORD, role, username.title())
    return node.login(username, ADMIN_PASSWORD)


GROUPS = ("communication_event", "mass_media", "printed_material", "training", "conference", "model_operation",
          "inspection", "commendation", "hotline", "other")


# --- the form, through every group of kinds ---------------------------------------------------------------
@pytest.mark.parametrize("group", GROUPS)
def test_an_activity_of_each_group_is_typed_saved_and_listed_with_its_campaign_mark(qtbot, session, type_text,
                                                                                    group):
    kind = next(o.code for o in session.reference["activity_kind"] if o.get("group") == group)
    page = open_page(qtbot, session)
    form = new_form(qtbot, page)
    day = last_25_november()

    choose_kind_by_keyboard(qtbot, form, kind)
    # Copies and broadcasts are asked for only where the kind is counted that way.
    assert form.quantity_shown() == (group in QUANTITY_GROUPS)
    title = f"Hoạt động thử nhóm {group} – Ngày quốc tế xóa bỏ bạo lực"
    form.boxes["title"].field.setFocus()
    type_text(form.boxes["title"].field, title)
    type_date(qtbot, form.boxes["starts_on"].field, day)
    assert form.campaign_label.text() == "Thuộc đợt: Tháng hành động · 25/11"
    form.boxes["place"].field.setFocus()
    type_text(form.boxes["place"].field, "Nhà văn hóa thôn Đông")
    form.boxes["organiser"].field.setFocus()
    type_text(form.boxes["organiser"].field, "Hội Liên hiệp Phụ nữ xã")
    residential = form.boxes["target_groups"].field.boxes["residential_areas"]
    residential.setFocus()
    qtbot.keyClick(residential, Qt.Key.Key_Space)
    type_count(qtbot, form, "participants.total", 120)
    type_count(qtbot, form, "participants.female", 70)
    type_count(qtbot, form, "participants.male", 50)
    type_count(qtbot, form, "participants.youth", 30)
    if form.quantity_shown():
        type_count(qtbot, form, "quantity", 12)
    budget = form.boxes["budget_vnd"].field
    budget.setFocus()
    qtbot.keyClicks(budget, "1500000")
    qtbot.keyClick(budget, Qt.Key.Key_Tab)
    assert budget.text() == "1 500 000"
    save_with_ctrl_s(qtbot, form)

    assert form.field_errors() == {}
    assert form.banner.text() == "Đã lưu hoạt động (lần sửa 1)."
    stored = session.activities.get(form.activity_id)
    assert (stored["kind"], stored["title"], stored["starts_on"]) == (kind, title, day.isoformat())
    assert stored["participants"] == {"total": 120, "female": 70, "male": 50, "youth": 30}
    assert stored["target_groups"] == ["residential_areas"]
    assert stored["budget_vnd"] == 1_500_000
    assert stored["quantity"] == (12 if group in QUANTITY_GROUPS else None)
    assert stored["derived"]["group"] == group

    # The list was asked to reload: the activity is there, with its kind, numbers and marks.
    assert titles_shown(page) == [title]
    assert cell(page, title, ActivityListModel.DATE) == day.strftime("%d/%m/%Y")
    assert cell(page, title, ActivityListModel.KIND) == session.reference["activity_kind"].label(kind, "vi")
    assert cell(page, title, ActivityListModel.PARTICIPANTS) == "120"
    assert cell(page, title, ActivityListModel.FEMALE) == "70"
    assert cell(page, title, ActivityListModel.TARGET_GROUPS) == "Cộng đồng khu dân cư"
    assert cell(page, title, ActivityListModel.CAMPAIGNS) == "Tháng hành động · 25/11"
    assert page.count_label.text() == "1 hoạt động"


def test_tab_follows_the_form_from_top_to_bottom(qtbot, session):
    page = open_page(qtbot, session)
    form = new_form(qtbot, page)
    assert QApplication.focusWidget() is form.kind_combo
    expected = [form.boxes[p].field for p in ("title", "topic", "starts_on", "ends_on", "place", "organiser")]
    expected.append(next(iter(form.boxes["target_groups"].field.boxes.values())))
    for widget in expected:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is widget


def test_every_kind_of_the_reference_list_can_be_chosen_and_headings_cannot(qtbot, session):
    page = open_page(qtbot, session)
    form = new_form(qtbot, page)
    combo = form.kind_combo
    offered = [combo.itemData(i) for i in range(combo.count()) if combo.itemData(i)]
    assert offered == [o.code for g in session.reference["activity_group"] for o in session.reference["activity_kind"]
                       if o.get("group") == g.code]
    headings = [i for i in range(1, combo.count()) if combo.itemData(i) is None]
    assert len(headings) == len(GROUPS)
    assert all(not combo.model().item(i).isEnabled() for i in headings)


def test_a_june_activity_is_marked_june_and_one_spanning_into_the_action_month_is_marked_too(qtbot, session):
    today = date.today()
    june_year = today.year if today >= date(today.year, 7, 1) else today.year - 1
    base = {"target_groups": [], "participants": {"total": 10}}
    session.activities.save({**base, "kind": "rally", "title": "Mít tinh tháng sáu",
                             "starts_on": f"{june_year}-06-10"})
    # Starts before 15/11 and ends inside the Action Month: the list rows carry the first day only.
    session.activities.save({**base, "kind": "communication_campaign", "title": "Chiến dịch dài ngày",
                             "starts_on": f"{june_year - 1}-11-01", "ends_on": f"{june_year - 1}-11-20"})
    session.activities.save({**base, "kind": "seminar", "title": "Tọa đàm tháng ba",
                             "starts_on": f"{june_year}-03-10"})
    page = open_page(qtbot, session)
    assert cell(page, "Mít tinh tháng sáu", ActivityListModel.CAMPAIGNS) == "Tháng 6"
    assert cell(page, "Chiến dịch dài ngày", ActivityListModel.CAMPAIGNS) == "Tháng hành động"
    assert cell(page, "Tọa đàm tháng ba", ActivityListModel.CAMPAIGNS) == ""


# --- what the core refuses -------------------------------------------------------------------------------
def test_too_few_participants_for_women_plus_men_is_shown_beside_the_total_and_nothing_is_saved(qtbot, session,
                                                                                                type_text):
    page = open_page(qtbot, session)
    form = new_form(qtbot, page)
    choose_kind_by_keyboard(qtbot, form, "thematic_talk")
    form.boxes["title"].field.setFocus()
    type_text(form.boxes["title"].field, "Nói chuyện chuyên đề")
    type_count(qtbot, form, "participants.total", 10)
    type_count(qtbot, form, "participants.female", 8)
    type_count(qtbot, form, "participants.male", 5)
    type_count(qtbot, form, "participants.youth", 40)
    save_with_ctrl_s(qtbot, form)

    errors = form.field_errors()
    assert set(errors) == {"participants.total", "participants.youth"}
    assert errors["participants.total"].startswith("Tổng số người tham gia (10) ít hơn số nữ (8) cộng số nam (5)")
    assert "không thể nhiều hơn tổng số người tham gia (10)" in errors["participants.youth"]
    box = form.boxes["participants.total"]
    assert box.error_label.isVisibleTo(form) and box.field.property("invalid") is True
    assert form.banner.text().startswith("Chưa lưu: có 2 chỗ chưa hợp lệ")
    assert QApplication.focusWidget() is box.field
    assert session.activities.count() == 0
    assert page.model.rowCount() == 0

    # Correcting the total clears its message as soon as it is typed, and the save goes through.
    type_count(qtbot, form, "participants.total", 60)
    assert box.error is None
    save_with_ctrl_s(qtbot, form)
    assert form.field_errors() == {}
    assert session.activities.count() == 1


def test_a_missing_kind_and_title_are_named_beside_their_fields(qtbot, session):
    page = open_page(qtbot, session)
    form = new_form(qtbot, page)
    form.save_button.click()
    assert set(form.field_errors()) == {"kind", "title"}
    assert form.field_errors()["title"] == "Hãy nhập tên hoạt động."
    assert session.activities.count() == 0


def test_pressing_save_twice_makes_one_activity(qtbot, session, type_text):
    page = open_page(qtbot, session)
    form = new_form(qtbot, page)
    choose_kind_by_keyboard(qtbot, form, "rally")
    form.boxes["title"].field.setFocus()
    type_text(form.boxes["title"].field, "Mít tinh hưởng ứng")
    form.save_button.click()
    form.save_button.click()
    save_with_ctrl_s(qtbot, form)
    assert session.activities.count() == 1
    assert session.activities.get(form.activity_id)["rev"] == 1
    assert form.banner.text() == "Không có thay đổi nào cần lưu."


def test_pressing_save_twice_while_the_first_save_runs_makes_one_activity(qtbot, session, type_text, monkeypatch):
    monkeypatch.setattr(tasks, "SYNCHRONOUS", False)
    page = ActivitiesPage(session)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.count_label.text() != "", timeout=3000)
    page.new_activity()
    qtbot.waitUntil(lambda: bool(page.open_forms()), timeout=3000)
    form = page.open_forms()[0]
    choose_kind_by_keyboard(qtbot, form, "rally")
    form.boxes["title"].field.setFocus()
    type_text(form.boxes["title"].field, "Mít tinh")
    with qtbot.waitSignal(form.saved, timeout=3000):
        form.save()
        form.save()
        save_with_ctrl_s(qtbot, form)
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=3000)
    tasks.wait_for_jobs()
    assert session.activities.count() == 1


def test_esc_closes_an_unchanged_form_and_asks_about_a_changed_one(qtbot, session, type_text):
    page = open_page(qtbot, session)
    form = new_form(qtbot, page)
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert form.isHidden() and page.open_forms() == []

    form = new_form(qtbot, page)
    form.boxes["title"].field.setFocus()
    type_text(form.boxes["title"].field, "Tọa đàm")
    qtbot.keyClick(form.boxes["title"].field, Qt.Key.Key_Escape)
    assert form.unsaved_box is not None and form.isVisible()
    form.unsaved_cancel.click()
    assert form.isVisible()


# --- the list --------------------------------------------------------------------------------------------
def make_activities(session):
    for kind, title, day in (("conference_workshop", "Hội thảo phòng, chống bạo lực gia đình", "2025-05-10"),
                             ("rally", "Mít tinh hưởng ứng Tháng hành động", "2025-11-16"),
                             ("training_officials", "Tập huấn cán bộ xã", "2024-09-01")):
        session.activities.save({"kind": kind, "title": title, "starts_on": day, "target_groups": ["officials"],
                                 "participants": {"total": 30, "female": 20, "male": 10}})


def test_searching_without_marks_finds_the_title_with_them(qtbot, session):
    make_activities(session)
    page = open_page(qtbot, session)
    assert page.count_label.text() == "3 hoạt động"
    qtbot.keyClicks(page.search_edit, "hoi thao")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=2000)
    assert titles_shown(page) == ["Hội thảo phòng, chống bạo lực gia đình"]
    assert page.count_label.text() == "1 hoạt động"
    page.search_edit.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=2000)


def test_filters_by_group_kind_and_year_narrow_the_list(qtbot, session):
    make_activities(session)
    page = open_page(qtbot, session)
    years = [page.year_filter.itemData(i) for i in range(1, page.year_filter.count())]
    assert 2025 in years and 2024 in years
    page.year_filter.setCurrentIndex(page.year_filter.findData(2025))
    assert sorted(titles_shown(page)) == ["Hội thảo phòng, chống bạo lực gia đình",
                                          "Mít tinh hưởng ứng Tháng hành động"]
    page.group_filter.setCurrentIndex(page.group_filter.findData("communication_event"))
    assert titles_shown(page) == ["Mít tinh hưởng ứng Tháng hành động"]
    # The kind filter offers the kinds of the chosen group only.
    offered = {page.kind_filter.itemData(i) for i in range(1, page.kind_filter.count())}
    assert "rally" in offered and "training_officials" not in offered
    page.clear_filters_button.click()
    assert page.count_label.text() == "3 hoạt động"


def test_show_filter_puts_the_overview_s_filter_in_the_boxes(qtbot, session):
    make_activities(session)
    page = open_page(qtbot, session)
    page.show_filter(ActivityFilter(year=2025, kind="rally"))
    assert page.year_filter.currentData() == 2025 and page.kind_filter.currentData() == "rally"
    assert titles_shown(page) == ["Mít tinh hưởng ứng Tháng hành động"]


def test_enter_on_a_row_opens_the_activity_with_what_was_stored(qtbot, session):
    make_activities(session)
    page = open_page(qtbot, session)
    page.table.setFocus()
    page.table.selectRow(titles_shown(page).index("Tập huấn cán bộ xã"))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    form = page.open_forms()[0]
    qtbot.addWidget(form)
    assert form.boxes["title"].field.text() == "Tập huấn cán bộ xã"
    assert form.boxes["starts_on"].field.text() == "01/09/2024"
    assert form.kind_combo.currentData() == "training_officials"
    assert form.boxes["participants.total"].field.text() == "30"
    assert not form.is_dirty()


# --- files ------------------------------------------------------------------------------------------------
def png_bytes() -> bytes:
    """A small real picture, as a phone's photo would be (PNG)."""
    from ui.qt import QImage, QtCore

    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(0x3366AA)
    buffer = QtCore.QBuffer()
    buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


def test_files_chosen_before_the_first_save_are_attached_after_it_and_can_be_removed(qtbot, session, type_text,
                                                                                    tmp_path):
    photo = tmp_path / "ảnh hội nghị.png"
    photo.write_bytes(png_bytes())
    page = open_page(qtbot, session)
    form = new_form(qtbot, page)
    choose_kind_by_keyboard(qtbot, form, "conference_workshop")
    form.boxes["title"].field.setFocus()
    type_text(form.boxes["title"].field, "Hội nghị")
    form.add_files([photo])
    assert form.attachment_list.item(0).text() == "ảnh hội nghị.png (sẽ đính kèm khi lưu)"
    assert form.is_dirty()
    save_with_ctrl_s(qtbot, form)
    stored = session.activities.attachments(form.activity_id)
    assert [a["filename"] for a in stored] == ["ảnh hội nghị.png"]
    assert form.attachment_list.item(0).text().startswith("ảnh hội nghị.png (1 kB, thêm ngày")
    assert not form.is_dirty()

    # Seeing the picture is the core's audited read; it opens inside the window.
    form.attachment_list.setCurrentRow(0)
    form.open_file_button.click()
    assert form.viewer is not None and form.viewer.isVisible()
    form.viewer.reject()

    form.attachment_list.setCurrentRow(0)
    form.remove_file_button.click()
    assert session.activities.attachments(form.activity_id) == []
    assert form.attachment_list.count() == 0
    assert form.files_note.text() == "Chưa có tệp nào."


# --- who may do what ------------------------------------------------------------------------------------
def test_a_leader_reads_activities_but_cannot_change_them_or_open_their_files(qtbot, session, new_node, tmp_path):
    make_activities(session)
    activity_id = session.activities.ids(ActivityFilter(search="hoi thao"))[0]
    session.activities.add_attachment(activity_id, "danh sách ký tên.png", png_bytes())
    leader = login_as(session, new_node, "lanhdao", "leader")
    page = None
    try:
        page = open_page(qtbot, leader)
        assert not page.new_activity_button.isVisibleTo(page)
        assert page.read_only_note.isVisibleTo(page)
        page.new_activity()
        assert page.open_forms() == []
        page.open_activity(activity_id)
        form = page.open_forms()[0]
        qtbot.addWidget(form)
        assert form.banner.text() == "Chỉ xem: vai trò của bạn không sửa được hoạt động."
        assert not form.save_button.isVisibleTo(form) and not form.delete_button.isVisibleTo(form)
        assert form.boxes["title"].field.isReadOnly()
        assert form.attachment_list.count() == 1
        assert not form.add_file_button.isVisibleTo(form)
        assert not form.open_file_button.isEnabled()
        save_with_ctrl_s(qtbot, form)
        assert leader.activities.get(activity_id)["rev"] == 1
        assert not form.is_dirty()
    finally:
        if page is not None:  # nothing may paint (and read) after the session is closed
            page.close_forms()
            page.hide()
        leader.close()


def test_deleting_an_activity_asks_first_and_takes_it_off_the_list(qtbot, session):
    make_activities(session)
    page = open_page(qtbot, session)
    page.open_activity(session.activities.ids(ActivityFilter(search="tap huan"))[0])
    form = page.open_forms()[0]
    qtbot.addWidget(form)
    box = form.ask_delete()
    assert box.text() == "Xóa hoạt động “Tập huấn cán bộ xã”?"
    next(b for b in box.buttons() if b.text() == "Xóa").click()
    assert session.activities.count() == 2
    assert "Tập huấn cán bộ xã" not in titles_shown(page)


def test_the_list_holds_its_ids_packed_and_finds_an_activity_s_row(qtbot, session):
    from ui.cases.list_model import PackedIds

    saved = [session.activities.save({"kind": "rally", "title": f"Mít tinh {n}", "starts_on": f"2025-06-{n + 1:02d}",
                                      "participants": {"total": 10, "female": 6, "male": 4}}) for n in range(5)]
    model = ActivityListModel(session)
    model.reload()  # the tests' worker runs at once
    assert isinstance(model._ids, PackedIds) and model.rowCount() == 5
    newest_first = [a["id"] for a in sorted(saved, key=lambda a: a["starts_on"], reverse=True)]
    assert [model.row_of(i) for i in newest_first] == [0, 1, 2, 3, 4]
    assert model.activity_id(2) == newest_first[2] and model.row_of("không-có") == -1


def test_the_form_records_what_an_activity_was_about_and_who_paid(qtbot, session):
    page = open_page(qtbot, session)
    form = new_form(qtbot, page)
    assert form.boxes["topic"].field.value() == "gbv_prevention_response"  # every activity has a topic
    form.boxes["topic"].field.set_value("school_violence")
    form.boxes["funding_source"].field.set_value("project")
    data = form.collect()
    assert (data["topic"], data["funding_source"]) == ("school_violence", "project")
