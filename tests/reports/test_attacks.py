"""The issue's attacks, repeated on fresh demo outputs (a province of three demo communes, and a commune).

Each attack reads the files as a reader would — the Excel workbooks, cell by cell — and solves what they
print with its own linear programs (HiGHS directly, not `app.reports.disclosure`): no hidden count may come
out narrower than the profile's range. Then the attacks of the issue one by one: counting per-case rows,
a rate over hidden counts, a chart quarter as the total minus the others, the chart against the tables.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest
from openpyxl import load_workbook

from app.reports import build, export, export_many
from app.reports.model import Figure, Paragraph, Section
from app.targets import Period

REQUIRED = 3  # the profiles' protection range (DEFAULT_PROTECTION_RANGE)


def sheet_rows(wb, name: str) -> list[list]:
    rows = []
    for row in wb[name].iter_rows(min_row=3, values_only=True):
        if row[0] is None:
            break  # the blank row before the note
        rows.append(list(row))
    return rows


def reader_bounds(value, x_low: int) -> tuple[float, float] | None:
    """What a reader knows of a printed cell: None for a number; "<5": 1..4; "x": at least `x_low`."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return None
    if value == "<5":
        return 1.0, 4.0
    if value == "x":
        return float(x_low), math.inf
    raise AssertionError(f"unexpected cell {value!r}")


def solve_sheet(rows: list[list], columns: int, has_row_totals: bool, x_low: int) -> list[tuple]:
    """(row, column, low, high) of every hidden cell of one count sheet, from its rows and totals alone."""
    import highspy

    body, total = rows[:-1], rows[-1]
    assert total[0] == "Tổng số"
    last = columns + (1 if has_row_totals else 0)
    grid = [line[1:1 + last] for line in body] + [total[1:1 + last]]
    index, lower, upper = {}, [], []
    for i, line in enumerate(grid):
        for j, value in enumerate(line):
            known = reader_bounds(value, x_low)
            if known is not None:
                index[(i, j)] = len(lower)
                lower.append(known[0]), upper.append(known[1])
    if not index:
        return []
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.addVars(len(lower), np.array(lower), np.array([highspy.kHighsInf if u == math.inf else u for u in upper]))

    def add(cells: list[tuple[int, int]], total_cell: tuple[int, int]) -> None:
        coefficients, constant = {}, 0.0
        for sign, cell in [(1.0, c) for c in cells] + [(-1.0, total_cell)]:
            if cell in index:
                coefficients[index[cell]] = coefficients.get(index[cell], 0.0) + sign
            else:
                constant += sign * grid[cell[0]][cell[1]]
        if coefficients:
            h.addRow(-constant, -constant, len(coefficients), np.array(list(coefficients), dtype=np.int32),
                     np.array(list(coefficients.values())))

    n = len(grid) - 1
    width = columns
    for j in range(width):
        add([(i, j) for i in range(n)], (n, j))
    if has_row_totals:
        for i in range(n + 1):
            add([(i, j) for j in range(width)], (i, width))
        add([(i, width) for i in range(n)], (n, width))
    out = []
    for (i, j), column in index.items():
        bounds = []
        for sense in (1.0, -1.0):
            cost = np.zeros(len(lower))
            cost[column] = sense
            h.changeColsCost(len(lower), np.arange(len(lower), dtype=np.int32), cost)
            h.run()
            status = h.getModelStatus()
            if status != highspy.HighsModelStatus.kOptimal:
                h.clearSolver()
                h.run()
                status = h.getModelStatus()
            if status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
                bounds.append(math.inf)
            else:
                assert status == highspy.HighsModelStatus.kOptimal, status
                bounds.append(h.getSolution().col_value[column])
        low, high = math.ceil(bounds[0] - 1e-6), (math.inf if bounds[1] == math.inf else math.floor(bounds[1] + 1e-6))
        out.append((i, j, low, high))
    return out


def count_sheets(report) -> list:
    """The report's count tables whose rows and columns add up (the ones a reader can solve)."""
    return [t for t in report.tables() if t.relations and t.total is not None]


def attack_workbook(report, wb) -> int:
    """Solve every count sheet of the workbook; assert each hidden cell stays wide; how many were solved."""
    solved = 0
    x_low = report.disclosure.x_low
    for table in count_sheets(report):
        name = table.key  # the sheet's name (keys are short and plain)
        assert name in wb.sheetnames
        has_row_totals = table.columns[-1].key == "total"
        columns = len(table.columns) - 1 - (1 if has_row_totals else 0)
        lines = list(table.rows) + [table.total]
        for i, j, low, high in solve_sheet(sheet_rows(wb, name), columns, has_row_totals, x_low):
            truth = lines[i][j + 1]
            assert low <= truth.value <= high, (name, i, j)
            if truth.value:  # a zero hidden to cover another count may come out: zeros are printed anyway
                assert high - low >= REQUIRED, (name, i, j, low, high)
            solved += 1
    return solved


@pytest.fixture(scope="module")
def province_outputs(tmp_path_factory):
    from app.demo import create_demo_node

    node, _ = create_demo_node(tmp_path_factory.mktemp("demo") / "province", scale="province", communes=3, years=1,
                               seed=5, check_every=50)
    session = node.login("admin", "demo")
    period = Period.of(date.today().year)
    folder = tmp_path_factory.mktemp("out")
    out = {"session": session, "period": period, "folder": folder}
    for kind in ("annual", "statistics"):
        (path,) = export_many(session, kind, period, {"xlsx": folder / f"{kind}.xlsx"})
        out[kind] = build(session, kind, period), load_workbook(path)
    yield out
    session.store.close()


@pytest.mark.parametrize("kind", ["annual", "statistics"])
def test_no_hidden_count_of_a_province_output_can_be_solved_from_its_sheets(province_outputs, kind):
    report, wb = province_outputs[kind]
    assert report.disclosure.ok, report.disclosure.line()
    assert attack_workbook(report, wb) > 20


def test_the_audit_of_a_province_is_the_same_for_every_output_of_the_period(province_outputs):
    annual, statistics = province_outputs["annual"][0], province_outputs["statistics"][0]
    assert annual.disclosure.as_dict() | {"solved": 0} == statistics.disclosure.as_dict() | {"solved": 0}
    # A count printed in both hides in both, or in neither: together they give away no more than each.
    in_annual = {f.key: f.suppressed for f in annual.figures() if f.key}
    shared = [f for f in statistics.figures() if f.key in in_annual]
    assert len(shared) > 50 and all(f.suppressed == in_annual[f.key] for f in shared)
    for report in (annual, statistics):  # stored with the output and shown in the preview
        assert report.disclosure.line() in report.notes
        assert report.disclosure.line().startswith("Kiểm tra bảo vệ số liệu nhỏ:")


def test_counting_rows_gives_nothing_back_at_a_province(province_outputs):
    _, wb = province_outputs["statistics"]
    assert "Du lieu" not in wb.sheetnames  # no per-case sheet beside the protected tables
    session, period, folder = province_outputs["session"], province_outputs["period"], province_outputs["folder"]
    own = session.node_info.code
    for kind, sheet, code_column, filled in (("case_data", "Du lieu", 0, 1), ("register", "So theo doi", 1, 0)):
        book = load_workbook(export(session, kind, period, "xlsx", folder / f"{kind}.xlsx"))
        assert book["Thong tin"]["A1"].value == "HẠN CHẾ TIẾP CẬN"
        rows = [r for r in book[sheet].iter_rows(min_row=3, values_only=True) if r[filled] is not None]
        codes = [row[code_column] for row in rows if not str(row[0] or "").startswith("Mỗi dòng")]
        assert len(codes) > 20 and all(code is None or str(code).startswith(own) for code in codes)


def test_a_rate_over_hidden_counts_is_hidden_too(province_outputs):
    for kind in ("annual", "statistics"):
        report, _ = province_outputs[kind]
        for table in report.tables():
            if table.key == "Chi tieu":
                for row in table.rows:
                    num, den, rate = row[3], row[4], row[5]
                    if num.suppressed or den.suppressed:
                        assert rate.suppressed and row[6] == "x"  # 3/7 = 42.9 % no longer gives the 3 back
    annual, wb = province_outputs["annual"]
    by_commune = next(t for t in annual.tables() if t.key == "Chi tieu theo xa")
    for row in by_commune.rows:  # a commune's rate is hidden with its count of cases
        if row[1].suppressed:
            assert all(c.suppressed for c in row[4:] if isinstance(c, Figure) and c.sensitive)


def test_the_quarterly_chart_counts_the_tables_cases_and_gives_no_quarter_back(province_outputs):
    report, wb = province_outputs["annual"]
    chart = next(c for c in report.charts() if c.key == "chart_cases")
    by_type = next(t for t in report.tables() if t.key == "Loai bao luc")
    quarters = next(s for s in report.walk(Section) if s.title.startswith("5.")).figures
    assert sum(q.value for q in quarters) == by_type.total[-1].value  # withdrawals left out of both
    hidden = [q for q in quarters if q.suppressed]
    assert len(hidden) != 1 or by_type.total[-1].suppressed  # never the total minus the others
    series = chart.series[0]
    assert [v is None for v in series.values] == series.suppressed == [q.suppressed for q in quarters]


# --- a commune: its own totals exactly, its cross-tabulations protected ------------------------------------------
def test_a_communes_annual_report_states_its_own_total_and_protects_the_rest(session, year_of_data, tmp_path):
    small = [p for p in (Period.of(2025, q) for q in ("Q1", "Q2", "Q3", "Q4"))
             if 0 < build(session, "annual", p).disclosure.hidden and
             0 < next(f for f in build(session, "annual", p).figures() if f.key == ("cases", ())).value < 5]
    assert small
    period = small[0]
    (path,) = export_many(session, "annual", period, {"xlsx": tmp_path / "bc.xlsx"})
    report = build(session, "annual", period)
    total = next(f for f in report.figures() if f.key == ("cases", ()))
    assert not total.suppressed and total.value < 5  # "tiếp nhận 3 vụ việc", not "<5"
    text = next(p.text for p in report.walk(Paragraph) if "Trong kỳ tiếp nhận" in p.text)
    assert f"tiếp nhận {total.value} vụ việc" in text
    assert report.disclosure.ok
    attack_workbook(report, load_workbook(path))


def test_a_stricter_profile_hides_the_communes_own_small_total(session, year_of_data, monkeypatch):
    import app.reports.period as period_module
    from app.reports.disclosure import Settings

    monkeypatch.setattr(period_module, "settings_of", lambda s: Settings(own_totals_exact=False))
    report = build(session, "annual", Period.of(2025, "H1"))
    total = next(f for f in report.figures() if f.key == ("cases", ()))
    assert total.suppressed and report.disclosure.ok


def test_per_case_lists_at_a_province_are_for_its_office_alone(province_outputs):
    from app.errors import PermissionDenied

    session, period = province_outputs["session"], province_outputs["period"]
    session.add_user("lanhdao_tinh", "mật-khẩu-lãnh-đạo", "leader", "Lãnh đạo")
    leader = session.node.login("lanhdao_tinh", "mật-khẩu-lãnh-đạo")
    try:
        for kind in ("register", "case_data"):
            with pytest.raises(PermissionDenied):
                build(leader, kind, period)
        assert build(leader, "annual", period).disclosure.ok  # the protected report stays open to a leader
    finally:
        leader.close()
