"""The Overview at a province: a table of the key figures by commune; at a commune, none."""

from __future__ import annotations

from datetime import date

import pytest

from app.reports.communes import commune_overview, roster
from app.targets import Period
from tests.ui.test_overview_page import open_page
from ui.i18n import format_count
from ui.overview.page import percent_text

YEAR = date.today().year


@pytest.fixture
def province(tmp_path):
    from app.demo import create_demo_node

    node, _ = create_demo_node(tmp_path / "province", scale="province", communes=3, years=1, seed=3, check_every=50)
    session = node.login("admin", "demo")
    yield session
    session.store.close()


def hidden(figure, label: str) -> str:
    """The label ("<5") only for a count that is small itself (unless the audit masked it); any other reads "x"."""
    return label if 0 < figure.value < 5 and figure.reason != "masked" else "x"


def cells(grid) -> list[list[str]]:
    return [[grid.item(r, c).text() for c in range(grid.columnCount())] for r in range(grid.rowCount())]


def test_a_province_sees_each_commune_s_cases_activities_and_targets(qtbot, province):
    page = open_page(qtbot, province, YEAR)
    grid = page.communes_table
    assert grid.isVisible() and page.communes_heading.text() == f"Số liệu theo xã năm {YEAR}"
    model = commune_overview(province, Period.of(YEAR))
    shown = cells(grid)
    assert len(shown) == len(list(model.rows)) + 1 == 4  # three communes and the total
    names = [u.label() for u in roster(province)[1:]]
    assert [row[0] for row in shown[:3]] == names
    for row, line in zip(shown, list(model.rows) + [model.total], strict=True):
        assert row[1] == (hidden(line[1], model.suppress_label) if line[1].suppressed else format_count(line[1].value))
        assert row[2] == format_count(line[2].value)  # activities
        for text, figure in zip(row[4:], line[4:], strict=True):
            # A result is never a small count itself: hidden to protect the one behind it, it reads "x".
            assert text == ("x" if figure.suppressed else percent_text(figure.value))
    assert shown[-1][0] == "Tổng số" and grid.item(3, 0).font().bold()
    # The note says what "x" means exactly when a cell shows one.
    assert ("Ô ghi “x” được ẩn thêm" in page.communes_note.text()) == any("x" in row for row in shown)
    total_activities = province.store.scalar(
        "SELECT count(*) FROM activities WHERE deleted = 0 AND starts_on >= ? AND starts_on <= ?",
        (f"{YEAR}-01-01", f"{YEAR}-12-31"))
    assert shown[-1][2] == format_count(total_activities)
    assert shown[-1][4] == percent_text(page.data.targets[0].value)  # the province's own target 1
    first_target = grid.horizontalHeaderItem(4)
    assert first_target.text() == "Chỉ tiêu 1 (%)" and first_target.toolTip() == page.data.targets[0].label_vi


def test_a_cell_hidden_to_protect_a_small_one_reads_x_and_the_note_says_why(qtbot, province):
    from tests.reports.test_communes import recount

    unit = roster(province)[1]
    keep = [c["id"] for c in recount(province, YEAR)[unit.origin][:3]]  # one commune's cases: a small count
    with province.store.transaction() as conn:
        conn.execute(f"UPDATE cases SET deleted = 1 WHERE origin = ? AND id NOT IN ({','.join('?' * len(keep))})",
                     (unit.origin, *keep))
    page = open_page(qtbot, province, YEAR)
    model = commune_overview(province, Period.of(YEAR))
    shown = cells(page.communes_table)
    column = [line[1] for line in list(model.rows) + [model.total]]
    assert [row[1] for row in shown] == [hidden(f, "<5") if f.suppressed else format_count(f.value) for f in column]
    # 3 cases ("<5", or "x" where the label would help narrow it down), and a larger count hidden too
    assert shown[0][1] in ("<5", "x") and column[0].suppressed and "x" in [row[1] for row in shown[1:]]
    assert all(f.value >= 5 or f.reason == "masked" for f in column if f.suppressed and f is not column[0])
    assert page.communes_note.text().endswith(
        "Ô ghi “x” được ẩn thêm (số thật có thể lớn) để không tính ngược ra được các ô ghi “<5”.")


def test_a_commune_sees_no_table_by_commune(qtbot, session):
    page = open_page(qtbot, session, 2025)
    assert page.data.communes is None
    assert not page.communes_table.isVisible() and not page.communes_heading.isVisible()


def test_the_table_by_commune_follows_the_figures_and_says_it_is_being_worked_out(qtbot, province, monkeypatch):
    """The year's figures are painted first; the table by commune (the period's figures protected together) comes
    in a job of its own, and meanwhile its place says so."""
    from ui import tasks
    from ui.overview.page import OverviewPage

    jobs = []
    monkeypatch.setattr(tasks, "run_in_background",
                        lambda fn, on_done=None, on_error=None, **kw: jobs.append((fn, on_done)))
    page = OverviewPage(province)
    qtbot.addWidget(page)
    page.resize(1000, 900)
    page.show()
    page.set_year(YEAR)
    figures = next(job for job in jobs if job[1] == page._received)
    with qtbot.waitSignal(page.loaded):
        figures[1](figures[0]())
    assert page.open_card.button.text() != "—" and page.data.communes is None
    assert page.communes_heading.isVisible() and not page.communes_table.isVisible()
    assert "Đang tính bảng số liệu theo xã" in page.communes_note.text()
    assert "Đang tính" in page.communes_note.accessibleName()
    with qtbot.waitSignal(page.communes_loaded):
        for fn, done in jobs[1:]:  # the table by commune, and the targets' quarters
            done(fn())
    assert page.communes_table.isVisible() and page.data.communes is not None
    assert page.communes_table.rowCount() == len(page.data.communes.rows) + 1
    assert "Đang tính" not in page.communes_note.text() and page.communes_note.accessibleName() == ""


def test_another_year_asked_for_goes_first_and_the_old_year_s_table_is_not_worked_out(qtbot, province, monkeypatch):
    """The bench's year switch: the new year's figures jump the queue (priority), and the jobs that followed the
    old year's figures (its table by commune, its quarters) return at once without reading anything."""
    from ui import tasks
    from ui.overview import page as overview
    from ui.overview.page import OverviewPage

    jobs = []
    monkeypatch.setattr(tasks, "run_in_background",
                        lambda fn, on_done=None, on_error=None, **kw: jobs.append((fn, on_done, kw)))
    worked = []
    real_communes, real_quarters = overview.load_communes, overview.load_quarters
    monkeypatch.setattr(overview, "load_communes", lambda *a, **kw: worked.append("communes") or real_communes(*a, **kw))
    monkeypatch.setattr(overview, "load_quarters", lambda *a, **kw: worked.append("quarters") or real_quarters(*a, **kw))
    page = OverviewPage(province)
    qtbot.addWidget(page)
    page.show()
    page.set_year(YEAR)
    fn, done, kw = jobs[-1]
    assert kw.get("priority") == 1  # the figures the person asked for
    done(fn())
    followers = jobs[1:]
    assert len(followers) == 2 and all(kw.get("priority", 0) == 0 for _, _, kw in followers)
    page.set_year(YEAR - 1)
    assert jobs[-1][2].get("priority") == 1
    for fn, done, _ in followers:
        done(fn())  # the old year's table and quarters: nothing read, nothing shown
    assert worked == [] and page.data.year == YEAR and page.data.communes is None
    fn, done, _ = jobs[-1]
    done(fn())
    assert page.data.year == YEAR - 1


def test_the_following_work_stops_when_no_longer_wanted(province):
    from app.reports import Cancelled
    from app.reports.period import target_quarters

    asked = []
    with pytest.raises(Cancelled):
        commune_overview(province, Period.of(YEAR), stop=lambda: asked.append(1) or len(asked) > 1)
    assert len(asked) == 2  # asked before the work and between its parts: stopped at the first part
    with pytest.raises(Cancelled):
        target_quarters(province, YEAR, stop=lambda: True)
    assert target_quarters(province, YEAR, stop=lambda: False) == target_quarters(province, YEAR)


def test_the_overview_s_two_activity_measures_are_the_reports_own(province):
    from app.reports.activities import PeriodActivities

    period = Period.of(YEAR)
    full, narrow = PeriodActivities(province, period), PeriodActivities(province, period, measures=("activities",
                                                                                                    "total"))
    assert set(narrow.by_kind) == set(full.by_kind) and full.by_kind
    for kind in full.by_kind:
        for measure in ("activities", "total"):
            assert narrow.sum([kind], measure) == full.sum([kind], measure)
    with pytest.raises(ValueError):
        narrow.sum(list(full.by_kind), "budget")  # not read: never a silent zero


def test_a_province_s_deadline_names_the_ministry_not_its_own_department(qtbot, province):
    """Issue 17.5: a province's report is addressed to the ministry; the Overview and the Reports page say so."""
    from ui.reports.page import ReportsPage

    page = open_page(qtbot, province, YEAR)
    assert "— gửi Bộ " in page.deadline_label.text() and "gửi Sở" not in page.deadline_label.text()
    reports = ReportsPage(province)
    qtbot.addWidget(reports)
    assert "Nơi nhận chính (theo hồ sơ tỉnh): Bộ " in reports.receiving_label.text()
