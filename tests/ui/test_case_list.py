import uuid

import pytest

from app.cases import CaseFilter
from tests.conftest import ADMIN_PASSWORD, sample_case
from ui.cases.list_model import OVERDUE_COLOUR, CaseListModel, PackedIds
from ui.cases.page import CasesPage
from ui.i18n import format_count, format_date
from ui.qt import QPoint, Qt


def open_page(qtbot, session):
    page = CasesPage(session)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    qtbot.waitExposed(page)
    return page


def codes_shown(page):
    model = page.model
    return [model.index(r, CaseListModel.CODE).data() for r in range(model.rowCount())]


def cell(page, code, column, role=Qt.ItemDataRole.DisplayRole):
    row = codes_shown(page).index(code)
    return page.model.index(row, column).data(role)


def test_list_shows_the_saved_cases_newest_first_and_counts_them(qtbot, session, three_cases):
    page = open_page(qtbot, session)
    assert codes_shown(page) == [three_cases["later"], three_cases["overdue"], three_cases["closed"]]
    assert page.count_label.text() == "3 vụ việc"


def test_cells_show_dates_as_day_month_year_and_codes_as_vietnamese_labels(qtbot, session, three_cases):
    page = open_page(qtbot, session)
    code = three_cases["overdue"]
    assert cell(page, code, CaseListModel.REPORTED) == "10/03/2025"
    assert cell(page, code, CaseListModel.TYPE) == session.reference["violence_type"].label("physical_assault", "vi")
    assert cell(page, code, CaseListModel.STATUS) == "Đang theo dõi, hỗ trợ"
    assert cell(page, code, CaseListModel.AGE_BAND) == "26–40 tuổi"
    assert cell(page, code, CaseListModel.SERVICES) == "Chăm sóc y tế, Tư vấn, tham vấn tâm lý"
    assert cell(page, code, CaseListModel.NEXT_FOLLOW_UP) == "⚠ 10/04/2025"  # overdue: a sign, not only red
    assert cell(page, three_cases["later"], CaseListModel.NEXT_FOLLOW_UP).startswith(("0", "1", "2", "3"))
    assert cell(page, three_cases["closed"], CaseListModel.STATUS) == "Đã kết thúc"


def test_headers_are_vietnamese(qtbot, session):
    page = open_page(qtbot, session)
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.model.columnCount())]
    assert headers == ["Mã vụ việc", "Ngày tiếp nhận", "Loại bạo lực", "Trạng thái", "Nhóm tuổi",
                       "Dịch vụ hỗ trợ", "Theo dõi tiếp"]


def test_only_an_open_case_past_its_follow_up_is_red(qtbot, session, three_cases):
    page = open_page(qtbot, session)
    red = cell(page, three_cases["overdue"], CaseListModel.NEXT_FOLLOW_UP, Qt.ItemDataRole.ForegroundRole)
    assert red is not None and red.color() == OVERDUE_COLOUR
    assert cell(page, three_cases["later"], CaseListModel.NEXT_FOLLOW_UP, Qt.ItemDataRole.ForegroundRole) is None
    # Closed: its old follow-up date is history, not a warning.
    assert cell(page, three_cases["closed"], CaseListModel.NEXT_FOLLOW_UP, Qt.ItemDataRole.ForegroundRole) is None
    assert cell(page, three_cases["overdue"], CaseListModel.CODE, Qt.ItemDataRole.ForegroundRole) is None


def test_typing_a_name_without_marks_narrows_the_list(qtbot, session, three_cases):
    page = open_page(qtbot, session)
    assert page.search_edit.placeholderText() == "Tìm theo mã hoặc tên (không cần dấu)…"
    qtbot.keyClicks(page.search_edit, "nguyen")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=2000)
    assert codes_shown(page) == [three_cases["overdue"]]
    assert page.count_label.text() == "1 vụ việc"

    page.search_edit.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=2000)
    assert page.count_label.text() == "3 vụ việc"


def test_search_waits_for_a_pause_in_typing(qtbot, session, three_cases, monkeypatch):
    page = open_page(qtbot, session)
    searches = []
    real_ids = session.cases.ids
    monkeypatch.setattr(session.cases, "ids", lambda flt, **kw: (searches.append(flt.search), real_ids(flt, **kw))[1])
    qtbot.keyClicks(page.search_edit, "nguyen")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=2000)
    assert searches == ["nguyen", "nguyen"]  # one search after the pause: its first page, then every id


def test_searching_by_code(qtbot, session, three_cases):
    page = open_page(qtbot, session)
    qtbot.keyClicks(page.search_edit, three_cases["closed"].lower())
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    assert codes_shown(page) == [three_cases["closed"]]


def test_a_leader_is_offered_search_by_code_only_and_finds_no_names(qtbot, session, new_node, three_cases):
    session.add_user("lanhdao", ADMIN_PASSWORD, "leader", "Chủ tịch xã")
    leader = new_node.login("lanhdao", ADMIN_PASSWORD)
    try:
        page = open_page(qtbot, leader)
        assert page.search_edit.placeholderText() == "Tìm theo mã vụ việc…"
        qtbot.keyClicks(page.search_edit, "nguyen")
        qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
        assert page.model.rowCount() == 0
        assert page.count_label.text() == "0 vụ việc"
    finally:
        leader.close()


def test_clicking_the_code_header_sorts_by_code(qtbot, session, three_cases):
    page = open_page(qtbot, session)
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(CaseListModel.CODE) + header.sectionSize(CaseListModel.CODE) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    shown = codes_shown(page)
    assert page.model.order == "code"
    assert shown == sorted(shown, reverse=page.model.descending)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    assert codes_shown(page) == shown[::-1]


def test_the_services_column_does_not_pretend_to_sort(qtbot, session, three_cases):
    page = open_page(qtbot, session)
    before = codes_shown(page)
    page.table.horizontalHeader().setSortIndicator(CaseListModel.SERVICES, Qt.SortOrder.AscendingOrder)
    assert page.table.horizontalHeader().sortIndicatorSection() == CaseListModel.REPORTED
    assert codes_shown(page) == before


def test_the_list_is_read_only(qtbot, session, three_cases):
    page = open_page(qtbot, session)
    index = page.model.index(0, CaseListModel.CODE)
    assert not page.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert page.model.setData(index, "X-1") is False


def test_the_model_fetches_only_the_pages_it_shows(qtbot, session, monkeypatch):
    for n in range(450):
        day = 1 + n % 28
        session.cases.save(sample_case(identity={"name": f"Người thử {n}"},
                                       intake={"reported_on": f"2025-02-{day:02d}", "incident_on": None,
                                               "disclosure_channel": "self"}))
    fetched = []
    real_rows = session.cases.rows
    monkeypatch.setattr(session.cases, "rows", lambda ids: (fetched.append(len(ids)), real_rows(ids))[1])

    page = open_page(qtbot, session)
    model = page.model
    assert model.rowCount() == 450
    assert page.count_label.text() == "450 vụ việc"
    qtbot.waitUntil(lambda: bool(fetched), timeout=2000)  # the view has painted its first rows
    qtbot.wait(20)
    assert fetched == [CaseListModel.PAGE_SIZE]  # the first screenful, nothing more

    page.table.scrollToBottom()
    qtbot.wait(10)
    last = model.index(449, CaseListModel.CODE).data()
    assert last
    assert fetched == [200, 50]  # the last page, without the one in between
    assert sum(fetched) < 450

    page.table.scrollToTop()
    qtbot.wait(10)
    assert model.index(0, CaseListModel.CODE).data()
    assert fetched == [200, 50]  # served from the cache


def test_a_load_failure_shows_the_core_message_in_place_of_the_count(qtbot, session, monkeypatch):
    from app.errors import PermissionDenied

    page = open_page(qtbot, session)

    def refuse(*args, **kwargs):
        raise PermissionDenied("Vai trò của bạn không được phép xem danh sách vụ việc.", "Not allowed.")

    monkeypatch.setattr(session.cases, "ids", refuse)
    page.model.set_filter(CaseFilter(search="x"))
    assert page.count_label.text() == "⚠ Vai trò của bạn không được phép xem danh sách vụ việc."  # a sign, not red alone


def test_numbers_and_dates_are_written_the_vietnamese_way():
    assert format_count(1234) == "1 234"
    assert format_count(1234567) == "1 234 567"
    assert format_count(7) == "7"
    assert format_date("2025-03-09") == "09/03/2025"
    assert format_date(None) == ""


def test_a_big_list_shows_its_first_page_before_every_id_arrives(qtbot, session, monkeypatch):
    for day in range(1, 6):
        session.cases.save(sample_case(intake={"reported_on": f"2025-03-0{day}", "disclosure_channel": "self"}))
    from ui.cases.list_model import CaseListModel

    monkeypatch.setattr(CaseListModel, "PAGE_SIZE", 2)
    calls = []
    real_ids = session.cases.ids
    monkeypatch.setattr(session.cases, "ids", lambda flt, **kw: (calls.append(kw.get("limit")), real_ids(flt, **kw))[1])
    model = CaseListModel(session)
    inserted = []
    model.rowsInserted.connect(lambda parent, first, last: inserted.append((first, last)))
    model.reload()
    qtbot.waitUntil(lambda: model.rowCount() == 5, timeout=2000)
    assert calls == [2, None]
    assert inserted == [(2, 4)], "the rest is appended below the first page, the view does not jump"


def test_packed_ids_read_back_as_the_ids_given_and_odd_ids_stay_a_list():
    ids = [str(uuid.uuid4()) for _ in range(450)]
    packed = PackedIds.of(ids)
    assert isinstance(packed, PackedIds)
    assert len(packed) == 450
    assert [packed[i] for i in (0, 199, 200, 449, -1)] == [ids[0], ids[199], ids[200], ids[449], ids[-1]]
    assert packed[200:400] == ids[200:400] and packed[400:600] == ids[400:] and packed[::100] == ids[::100]
    with pytest.raises(IndexError):
        packed[450]
    odd = ids[:3] + ["short-id"]
    assert PackedIds.of(odd) is odd
    assert PackedIds.of([]) == []
    # Found where it is, never at an offset that straddles two ids.
    assert [packed.index(ids[i]) for i in (0, 1, 449)] == [0, 1, 449]
    straddling = ids[0][20:] + ids[1][:20]
    for absent in (straddling, "short-id", str(uuid.uuid4())):
        with pytest.raises(ValueError):
            packed.index(absent)
    with pytest.raises(ValueError):
        packed.index(ids[5], 6)


def test_ids_packed_as_they_come_a_slice_at_a_time_read_back_as_given():
    ids = [str(uuid.uuid4()) for _ in range(25)]
    packed = PackedIds.of_batches(ids[i:i + 10] for i in range(0, 25, 10))
    assert isinstance(packed, PackedIds) and list(packed) == ids and packed.index(ids[24]) == 24
    # One odd id in the last slice: every id comes back, as a plain list.
    odd = ids[:20] + ["ngắn"]
    assert PackedIds.of_batches(odd[i:i + 10] for i in range(0, 21, 10)) == odd
    assert PackedIds.of_batches(iter([])) == [] and PackedIds.of_batches([[], []]) == []


def test_the_count_says_loading_until_the_ids_arrive(qtbot, session, three_cases):
    page = open_page(qtbot, session)
    seen = []
    page.model.loading.connect(lambda: seen.append(page.count_label.text()))
    page.model.reloaded.connect(lambda _n: seen.append(page.count_label.text()))
    page.model.reload()
    assert seen == ["đang tải…", "3 vụ việc"]


def test_the_list_has_a_name_of_its_own_for_a_screen_reader(qtbot, session):
    page = open_page(qtbot, session)
    assert page.table.accessibleName() == "Danh sách vụ việc"
