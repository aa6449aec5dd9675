"""Hidden figures say the truth: "<5" only for a count from 1 to 4, "x" for one hidden to protect it.

Secondary suppression hides figures of any size (a part of a line, a total, a
rate) so that a small count cannot be worked out from them. Printing those as
"<5" would state a false range, so they print "x", and a table that holds one
says what "x" means. Each check compares against the figures' true values.
"""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from app.reports import build, export, export_many
from app.reports.model import MASKED, PRIMARY, SECONDARY, Figure, Table, secondary_note
from app.targets import Period

from tests.reports.conftest import needs_poppler

YEAR = Period.of(2025)
X_NOTE_VI = "x: số được ẩn thêm để không tính ngược ra được các ô có số nhỏ (ghi “<5”)."
X_NOTE_EN = "x: a figure hidden as well, so that the small counts (shown “<5”) cannot be worked out from it."


def truth(cell, threshold: int = 5) -> str | None:
    """What a cell must read, from its true value alone (None: not a hidden figure)."""
    if not (isinstance(cell, Figure) and cell.suppressed):
        return None
    return "<5" if 0 < cell.value < threshold and cell.reason != MASKED else "x"


def by_type(report) -> Table:
    return next(t for t in report.tables() if t.key == "Loai bao luc")


def lines_of(table: Table) -> list[list]:
    return list(table.rows) + ([table.total] if table.total else [])


def test_the_model_says_why_each_figure_is_hidden(session, year_of_data):
    report = build(session, "statistics", YEAR)
    table = by_type(report)
    hidden = [f for f in table.figures() if f.suppressed]
    # Women: 8 assaults and 2 rapes. The 2 is small; the 8, the assaults' total 8 and the women's total 10
    # are hidden only so that the 2 cannot be worked out.
    secondary = sorted(f.value for f in hidden if f.reason == SECONDARY)
    assert {8, 10} <= set(secondary) and all(v == 0 or v >= 5 for v in secondary)
    for figure in hidden:
        if figure.reason == MASKED:  # a small count printed "x": its "<5" would have helped narrow it down
            assert 0 < figure.value < 5 and report.disclosure.x_low < 5
        else:
            assert figure.reason == (PRIMARY if 0 < figure.value < 5 else SECONDARY)
        assert figure.hidden_text(table.suppress_label) == truth(figure)
    assert table.note("vi").endswith(X_NOTE_VI) and table.note("en").endswith(X_NOTE_EN)


def test_the_note_about_x_only_where_an_x_is_printed(session, year_of_data):
    report = build(session, "statistics", YEAR)
    with_x = without_x = 0
    for table in report.tables():
        has_x = any(truth(f) == "x" for f in table.figures())
        assert (X_NOTE_VI in table.note("vi")) == has_x, table.key
        assert (X_NOTE_EN in table.note("en")) == has_x, table.key
        with_x += has_x
        without_x += not has_x and any(f.suppressed for f in table.figures())
    assert with_x >= 3 and without_x >= 1  # both kinds of table are in the report


def test_a_note_is_added_to_not_replaced(session, year_of_data):
    referrals = next(t for t in build(session, "statistics", YEAR).tables() if t.key == "Chuyen tuyen")
    assert referrals.note_vi and referrals.note("vi") == f"{referrals.note_vi} {X_NOTE_VI}"
    assert secondary_note("≤10", "en") == X_NOTE_EN.replace("<5", "≤10")  # the profile's own label


@needs_poppler
def test_pdf_prints_x_for_a_secondary_cell_and_explains_it(session, year_of_data, tmp_path):
    path = export(session, "annual", YEAR, "pdf", tmp_path / "bc.pdf", report_date=date(2025, 12, 31))
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    table = by_type(build(session, "annual", YEAR))
    start = text.index(table.title())
    printed_table = text[start:text.index("Bảng ", start)].splitlines()
    width = len(table.columns) - 1
    checked = 0
    for line in lines_of(table):
        printed = next((p for p in printed_table if p.startswith(line[0] + " ")), None)
        if printed is None:
            continue  # a long label wraps over lines
        cells = printed[len(line[0]):].split()
        assert len(cells) == width, printed
        for got, cell in zip(cells, line[1:], strict=True):
            want = truth(cell)
            if want is not None:
                assert got == want, (line[0], cell.value)
                checked += 1
    assert checked >= 6  # the 2s and 3s as "<5", the 8s and the 10 as "x"
    assert X_NOTE_VI in " ".join(text.split())


def test_excel_and_word_print_the_same_truth(session, year_of_data, tmp_path):
    xlsx, docx = export_many(session, "annual", YEAR, {"xlsx": tmp_path / "bc.xlsx", "docx": tmp_path / "bc.docx"},
                             report_date=date(2025, 12, 31))
    table = by_type(build(session, "annual", YEAR))

    sheet = [list(r) for r in load_workbook(xlsx)["Loai bao luc"].iter_rows(min_row=3, values_only=True)]
    lines = lines_of(table)
    for got, want in zip(sheet[:len(lines)], lines, strict=True):  # a note may follow the table
        for value, cell in zip(got, want, strict=True):
            if truth(cell) is not None:
                assert value == truth(cell), (want[0], cell.value)
            elif isinstance(cell, Figure):
                assert value == cell.value
    assert X_NOTE_VI in [row[0] for row in sheet]

    doc = Document(docx)
    header = [c.label() for c in table.columns]
    (grid,) = [t for t in doc.tables if [c.text for c in t.rows[0].cells] == header]
    for row, want in zip(grid.rows[1:], lines_of(table), strict=True):
        for got, cell in zip((c.text for c in row.cells), want, strict=True):
            if truth(cell) is not None:
                assert got == truth(cell), (want[0], cell.value)
    paragraphs = [p.text for p in doc.paragraphs]
    assert any(p.endswith(X_NOTE_VI) for p in paragraphs)
    # One note under every table with an "x", and under every chart's table of numbers with one.
    from app.reports.xlsx import chart_table

    def reads_x(f) -> bool:  # a chart's hidden point carries no value, only why it is hidden
        return f.suppressed and (f.reason != PRIMARY if f.value is None else truth(f) == "x")
    report = build(session, "annual", YEAR)
    with_x = [t for t in report.tables()] + [chart_table(c, n) for n, c in enumerate(report.charts(), 1)]
    assert sum(X_NOTE_VI in p for p in paragraphs) == sum(any(reads_x(f) for f in t.figures()) for t in with_x)


def test_the_preview_without_pages_prints_the_same_truth(session, year_of_data):
    from ui.reports.work import summary_text

    table = by_type(build(session, "statistics", YEAR))
    text = summary_text(build(session, "statistics", YEAR))
    for line in lines_of(table):
        printed = next(p.strip() for p in text.splitlines() if p.strip().startswith(line[0] + " | "))
        for got, cell in zip(printed.split(" | ")[1:], line[1:], strict=True):
            if truth(cell) is not None:
                assert got == truth(cell), (line[0], cell.value)
    assert X_NOTE_VI in text


def test_the_chart_sheet_keeps_the_label_for_its_small_quarters(session, year_of_data, tmp_path):
    (xlsx,) = export_many(session, "annual", YEAR, {"xlsx": tmp_path / "bc.xlsx"})
    rows = [list(r) for r in load_workbook(xlsx)["Bieu do 1"].iter_rows(min_row=3, values_only=True)]
    chart = next(c for c in build(session, "annual", YEAR).charts() if c.key == "chart_cases")
    quarters = {row[0]: row[1] for row in rows[:4]}
    series = chart.series[0]
    for i, (category, hidden) in enumerate(zip(chart.categories, series.suppressed, strict=True)):
        if hidden:  # as the quarter's cell reads anywhere: "<5" for a small count, else "x"
            assert quarters[category] == series.hidden_text(i, "<5")
            assert category.endswith(f"({quarters[category]})")
        else:
            assert isinstance(quarters[category], int)


# --- the property, over a demo province: no "<5" anywhere holds a count of 5 or more ------------------------
@pytest.fixture(scope="module")
def demo_reports(tmp_path_factory):
    """The annual report and the statistics of a small demo province, with their Excel files."""
    from app.demo import create_demo_node

    node, _ = create_demo_node(tmp_path_factory.mktemp("demo") / "province", scale="province", communes=3, years=1,
                               seed=3, check_every=50)
    session = node.login("admin", "demo")
    period = Period.of(date.today().year)
    folder = tmp_path_factory.mktemp("demo-out")
    out = {}
    for kind in ("annual", "statistics"):
        (path,) = export_many(session, kind, period, {"xlsx": folder / f"{kind}.xlsx"})
        out[kind] = build(session, kind, period), load_workbook(path)
    threshold, label = session.profile.small_cell_threshold, session.profile.small_cell_label
    session.store.close()
    return out, threshold, label


@pytest.mark.parametrize("kind", ["annual", "statistics"])
def test_no_label_of_a_small_count_holds_a_larger_one(demo_reports, kind):
    out, threshold, label = demo_reports
    report, wb = out[kind]
    seen = {"x": 0, label: 0}
    for figure in report.figures():
        if figure.suppressed:
            text = figure.hidden_text(label)
            seen[text] += 1
            if text == label:
                assert figure.sensitive and 0 < figure.value < threshold
    assert seen[label] and (seen["x"] or kind == "statistics")  # at a province the rates by commune are "x"

    # What the Excel file prints, cell by cell against the model's true values.
    names = {t.key: t for t in report.tables() if not t.big}
    for name in wb.sheetnames:
        table = names.get(name)
        if table is None:
            continue
        sheet = [list(r) for r in wb[name].iter_rows(min_row=3, values_only=True)]
        lines = lines_of(table)
        for got, want in zip(sheet[:len(lines)], lines, strict=True):  # a note may follow the table
            for value, cell in zip(got, want, strict=True):
                if value == label:
                    assert isinstance(cell, Figure) and 0 < cell.value < threshold, (name, cell)
                if isinstance(cell, Figure) and cell.suppressed and not 0 < cell.value < threshold:
                    assert value == "x", (name, cell)
        has_x = any(f.suppressed and not 0 < f.value < threshold for f in table.figures())
        assert any(row and row[0] == secondary_note(label) or str(row[0] or "").endswith(secondary_note(label))
                   for row in sheet) == has_x, name
