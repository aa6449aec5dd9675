"""The Overview page shows the core's figures (never its own) and opens the list behind a number."""

from __future__ import annotations

from datetime import date

import pytest

from app.activities import ActivityFilter
from app.cases import CaseFilter
from app.reports.period import target_quarters
from app.targets import targets
from tests.conftest import sample_case
from ui.i18n import format_count, format_date
from ui.overview.page import OverviewPage, percent_text
from ui.qt import QApplication, QEvent, Qt

YEAR = 2025


def consent(given_on: str, withdrawn_on: str | None = None) -> dict:
    return {"services": {"given": True, "on": given_on},
            "reporting": {"given": True, "on": given_on, "withdrawn_on": withdrawn_on},
            "sharing": {"given": False}}


def make_case(session, reported_on: str, **changes) -> dict:
    data = sample_case(intake={"reported_on": reported_on, "incident_on": reported_on, "disclosure_channel": "self"},
                       consent=changes.pop("consent", consent(reported_on)))
    data.update(changes)
    return session.cases.save(data)


@pytest.fixture
def year_of_work(session):
    """2025: one case counted, one whose survivor withdrew consent to be counted (left out of every target), one
    another agency also reported (still counted here: the commune does not hold that agency's record); two
    activities, one at a school; two schools of the target's levels."""
    made = {"counted": make_case(session, "2025-03-10")}
    made["withdrawn"] = make_case(session, "2025-04-02", consent=consent("2025-04-02", withdrawn_on="2025-05-01"))
    made["elsewhere"] = make_case(
        session, "2025-08-20",
        incident={"time_of_day": "morning", "location_type": "shared_home", "violence_type": "physical_assault",
                  "dv_acts": [], "reported_elsewhere": True},
        services=[{"service": "health_care", "status": "referred", "on": "2025-08-20"}], referrals=[],
        perpetrator_actions=[])
    # Closed the year before: neither open nor overdue, and not in 2025's figures.
    made["closed"] = make_case(session, "2024-05-02", status="closed",
                               closure={"items": ["needs_met"], "closed_on": "2024-07-01"},
                               follow_ups=[{"due_on": "2024-06-01", "status": "planned"}])
    # Followed up later: open, not overdue.
    made["counted"] = session.cases.save(dict(session.cases.get(made["counted"]["id"]),
                                              follow_ups=[{"due_on": f"{date.today().year + 1}-01-15",
                                                           "status": "planned"}]))
    school = session.registries.save_school({"name": "Trường THPT Bình An", "level": "upper_secondary"})
    session.registries.save_school({"name": "Trường Trung cấp nghề", "level": "vocational"})
    session.activities.save({"kind": "thematic_talk", "title": "Nói chuyện chuyên đề ở trường",
                             "starts_on": "2025-11-25", "school_id": school["id"], "target_groups": ["schools"],
                             "participants": {"total": 120, "female": 70, "male": 50}})
    session.activities.save({"kind": "rally", "title": "Mít tinh", "starts_on": "2025-06-05",
                             "participants": {"total": 300, "female": 180, "male": 120}})
    return made


def open_page(qtbot, session, year: int = YEAR) -> OverviewPage:
    page = OverviewPage(session)
    qtbot.addWidget(page)
    page.resize(1000, 900)
    page.show()
    qtbot.waitExposed(page)
    with qtbot.waitSignal(page.loaded, timeout=5000) if page.year() != year else _nothing():
        page.set_year(year)
    assert page.data is not None and page.data.year == year
    return page


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_each_target_shows_the_core_s_value_goal_and_numbers_for_the_year(qtbot, session, year_of_work):
    page = open_page(qtbot, session)
    results = targets(session, YEAR)
    quarters = target_quarters(session, YEAR)
    assert [card.result.code for card in page.target_cards] == [r.code for r in results]
    units = {"cases_needing_help_helped": "vụ việc", "perpetrators_handled": "người gây bạo lực",
             "schools_integrating": "trường"}
    for card, result in zip(page.target_cards, results, strict=True):
        assert card.title.text() == result.label_vi
        assert card.value_label.text() == percent_text(result.value)
        assert card.goal_label.text() == f"Mục tiêu: {result.goal_text}"
        assert card.numbers_button.text() == (f"{format_count(result.numerator)} / "
                                              f"{format_count(result.denominator)} {units[result.formula]}")
        shown = [(c.value, c.text) for c in card.chart.columns]
        assert shown == [(q.value, percent_text(q.value)) for q in quarters[result.code]]

    # The withdrawn consent is not counted; the case another agency also reported is (its need not met, its
    # perpetrator not handled).
    by_code = {r.code: r for r in results}
    assert (by_code["tb_cases_helped"].numerator, by_code["tb_cases_helped"].denominator) == (1, 2)
    assert (by_code["tb_perpetrators_handled"].numerator, by_code["tb_perpetrators_handled"].denominator) == (1, 2)
    assert page.target_cards[0].numbers_button.text() == "1 / 2 vụ việc"
    assert page.target_cards[0].value_label.text() == "50%"
    assert "mọi nhu cầu đều được đáp ứng: 1 / 2" in page.target_cards[0].definition.text()
    # One school of two held a communication activity: half, below the goal of 100 %.
    schools = page.target_cards[2]
    assert schools.numbers_button.text() == "1 / 2 trường"
    assert schools.value_label.text() == "50%"
    over = date(YEAR, 12, 31) < page.data.today
    assert schools.status_label.text() == ("Chưa đạt — kỳ đã kết thúc" if over else "Chưa đạt — kỳ chưa kết thúc")
    assert page.target_cards[0].status_label.text() == schools.status_label.text()


def test_a_year_without_cases_says_no_data_rather_than_zero(qtbot, session, year_of_work):
    page = open_page(qtbot, session, 2023)
    first = page.target_cards[0]
    assert first.value_label.text() == "—"
    assert first.status_label.text() == "Chưa có số liệu"
    assert first.numbers_button.text() == "0 / 0 vụ việc"
    assert all(c.value is None and c.text == "—" for c in first.chart.columns)


def test_how_a_target_is_computed_is_the_profile_s_definition(qtbot, session, year_of_work):
    page = open_page(qtbot, session)
    card = page.target_cards[1]
    assert card.how_button.toolTip() == session.profile.target("tb_perpetrators_handled").definition_vi
    assert not card.definition.isVisibleTo(page)
    qtbot.mouseClick(card.how_button, Qt.MouseButton.LeftButton)
    assert card.definition.isVisibleTo(page)
    assert card.definition.text().startswith("Đếm theo từng người gây bạo lực, không theo vụ việc. Tử số:")


def test_the_counts_are_the_core_s_and_clicking_open_cases_asks_for_the_open_cases(qtbot, session, year_of_work):
    page = open_page(qtbot, session)
    assert page.open_card.button.text() == format_count(session.cases.count(CaseFilter(status="open"))) == "3"
    assert page.overdue_card.button.text() == "2"
    assert page.overdue_card.button.text() == format_count(session.cases.count(CaseFilter(overdue=True)))
    assert page.activities_card.button.text() == "2"
    assert page.participants_card.button.text() == "420"
    assert page.activities_card.caption.text() == "Hoạt động trong năm 2025"

    with qtbot.waitSignal(page.open_list_requested, timeout=1000) as opened:
        qtbot.mouseClick(page.open_card.button, Qt.MouseButton.LeftButton)
    assert opened.args == ["cases", CaseFilter(status="open")]
    with qtbot.waitSignal(page.open_list_requested, timeout=1000) as opened:
        qtbot.mouseClick(page.overdue_card.button, Qt.MouseButton.LeftButton)
    assert opened.args == ["cases", CaseFilter(overdue=True)]
    with qtbot.waitSignal(page.open_list_requested, timeout=1000) as opened:
        qtbot.mouseClick(page.activities_card.button, Qt.MouseButton.LeftButton)
    assert opened.args == ["activities", ActivityFilter(year=YEAR)]
    with qtbot.waitSignal(page.open_list_requested, timeout=1000) as opened:
        qtbot.mouseClick(page.target_cards[2].numbers_button, Qt.MouseButton.LeftButton)
    assert opened.args == ["registries", "schools"]


def test_activities_by_kind_are_bars_and_a_bar_opens_that_kind_s_list(qtbot, session, year_of_work):
    page = open_page(qtbot, session)
    chart = page.kind_chart
    assert [(b.label, b.value) for b in chart.bars] == [("Mít tinh", 1), ("Nói chuyện chuyên đề", 1)]
    assert chart.bars[0].tooltip == "Mít tinh: 1 hoạt động, 300 lượt người tham gia"
    with qtbot.waitSignal(page.open_list_requested, timeout=1000) as opened:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.bar_rect(1).center())
    assert opened.args == ["activities", ActivityFilter(year=YEAR, kind="thematic_talk")]


def test_coming_back_to_the_page_shows_what_was_saved_meanwhile(qtbot, session, year_of_work):
    page = open_page(qtbot, session)
    assert page.open_card.button.text() == "3"
    page.hide()
    make_case(session, "2025-09-09")
    page.show()
    assert page.open_card.button.text() == "4"


def test_the_next_deadline_of_the_profile_and_the_days_left(qtbot, session):
    page = open_page(qtbot, session, date.today().year)
    from app.reference.periods import profile_for

    today = session.cases.today()
    deadline = profile_for(session, today.year).deadline_for(today.year)
    if deadline < today:
        deadline = profile_for(session, today.year + 1).deadline_for(today.year + 1)
    days = (deadline - today).days
    text = page.deadline_label.text()
    assert text.startswith(f"Hạn gửi báo cáo năm {deadline.year}: {format_date(deadline)} (")
    assert (f"còn {days} ngày" in text) if days else ("hôm nay là hạn cuối" in text)
    # each year's receiving body from the version in force: Thái Bình's before the merger, the merged province's after
    assert ("Ủy ban nhân dân tỉnh Thái Bình" in text) if deadline.year <= 2025 else ("Sở Nội vụ tỉnh Hưng Yên" in text)


def test_percentages_are_written_the_vietnamese_way():
    assert percent_text(94.11764) == "94,1%"
    assert percent_text(100.0) == "100%"
    assert percent_text(None) == "—"


def test_the_figures_come_before_the_charts_and_a_chart_is_made_once_seen(qtbot, session, year_of_work):
    page = OverviewPage(session)
    qtbot.addWidget(page)
    page.set_year(YEAR)  # read (the tests' worker runs at once) while out of view: laid out when shown
    assert page.data is None and not page.target_cards and page.open_card.button.text() == "—"
    page.resize(1000, 900)
    with qtbot.waitSignal(page.loaded, timeout=1000):
        page.show()
    assert page.open_card.button.text() == "3" and page.target_cards
    assert not any(slot.is_made for slot in page.chart_slots())  # the figures first: no chart, no matplotlib
    qtbot.waitExposed(page)
    first = page.target_cards[0].chart_slot
    qtbot.waitUntil(lambda: first.is_made, timeout=5000)
    quarters = target_quarters(session, YEAR)[page.target_cards[0].result.code]
    assert [c.value for c in first.chart().columns] == [q.value for q in quarters]


def test_quarters_of_an_older_read_are_not_shown_on_newer_figures(qtbot, session, year_of_work, monkeypatch):
    from ui import tasks

    page = open_page(qtbot, session)
    held = []
    real = tasks.run_in_background

    def hold_first_quarters(fn, on_done=None, on_error=None, **kw):
        if not held and on_done is not None and on_done.__qualname__.startswith("OverviewPage._show."):
            held.append((fn, on_done))  # the quarters' job of the 2024 figures, answered late
            return
        real(fn, on_done, on_error, **kw)

    monkeypatch.setattr(tasks, "run_in_background", hold_first_quarters)
    page.set_year(2024)
    assert held and page.data.year == 2024
    page.set_year(YEAR)  # newer figures, with their own quarters
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the 2024 cards are gone
    fn, on_done = held[0]
    on_done(fn())
    quarters = target_quarters(session, YEAR)
    assert page.data.year == YEAR and page.data.quarters == quarters
    card = page.target_cards[0]
    assert [c.value for c in card.chart.columns] == [q.value for q in quarters[card.result.code]]


def test_a_year_no_provincial_plan_covers_says_so_and_follows_the_national_baseline(qtbot, session):
    page = open_page(qtbot, session, 2026)
    assert page.targets_heading.text() == "Chỉ tiêu năm 2026 theo chuẩn quốc gia (28/NQ-CP)"
    assert page.targets_note.text().startswith("Không có kế hoạch nào của tỉnh cho năm 2026")
    assert [c.result.code for c in page.target_cards] == ["nat_survivors_reached_service",
                                                          "nat_perpetrators_counselled"]
