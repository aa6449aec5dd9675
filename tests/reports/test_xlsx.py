"""Excel files read back with openpyxl: real numbers, yes/no never blank, frozen headers, no identity."""

from __future__ import annotations

import datetime as dt
import unicodedata
import zipfile

import pytest
from openpyxl import load_workbook

from app.reports import build, export
from app.reports.model import YESNO, Figure
from app.targets import Period
from tests.app.test_targets import expected_counted
from tests.conftest import CANARY_NAME


def rows_of(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def body_of(ws):
    """The table's rows: after the title and header rows, up to the blank row before the note."""
    out = []
    for row in rows_of(ws)[2:]:
        if row[0] is None:
            break
        out.append(row)
    return out


@pytest.fixture
def statistics_xlsx(session, year_of_data, tmp_path):
    path = export(session, "statistics", Period.of(2025), "xlsx", tmp_path / "thống-kê.xlsx")
    return load_workbook(path), path


def test_one_sheet_per_table_with_frozen_titled_headers_and_print_setup(session, statistics_xlsx):
    wb, _ = statistics_xlsx
    report = build(session, "statistics", Period.of(2025))
    tables = list(report.tables())
    assert len(wb.sheetnames) == 1 + len(tables) == 11  # no per-case sheet beside protected tables
    for ws, t in zip(wb.worksheets[1:], tables, strict=True):
        assert ws.freeze_panes == "B3", ws.title
        assert ws["A1"].value == t.title_vi
        assert [c.value for c in ws[2]] == [c.vi for c in t.columns]
        assert ws.page_setup.paperSize == 9  # A4
        assert ws.print_title_rows == "$1:$2"
        assert ws.column_dimensions["A"].width >= 18


def test_numbers_are_numbers_and_match_the_model(session, statistics_xlsx):
    wb, _ = statistics_xlsx
    report = build(session, "statistics", Period.of(2025))
    checked = 0
    for ws, t in zip(wb.worksheets[1:], report.tables(), strict=True):
        if t.big:
            continue
        sheet_rows = rows_of(ws)[2:]
        model_rows = list(t.rows) + ([t.total] if t.total else [])
        for got, want in zip(sheet_rows[:len(model_rows)], model_rows, strict=True):  # a note may follow
            for value, cell in zip(got, want, strict=True):
                if isinstance(cell, Figure):
                    if cell.suppressed:  # the label for a small count, "x" for one hidden to protect it
                        assert value == cell.hidden_text(t.suppress_label)
                        assert value == "x" or 0 < cell.value < 5
                    else:
                        assert isinstance(value, int) and not isinstance(value, bool) and value == cell.value
                        checked += 1
    assert checked > 100
    by_type = wb["Loai bao luc"]
    grand = rows_of(by_type)[2:][len(list(build(session, "statistics", Period.of(2025)).tables())[0].rows)][-1]
    assert grand == len(expected_counted(session, "2025-01-01", "2025-12-31")) == 13


def test_data_sheet_rows_months_and_yes_no_are_never_blank(session, year_of_data, tmp_path):
    wb = load_workbook(export(session, "case_data", Period.of(2025), "xlsx", tmp_path / "du-lieu.xlsx"))
    ws = wb["Du lieu"]
    assert ws.freeze_panes == "B3" and ws.auto_filter.ref.startswith("A2:")
    report = build(session, "case_data", Period.of(2025))
    sheet = next(t for t in report.tables() if t.key == "Du lieu")
    body = body_of(ws)
    assert len(body) == 13
    yes_no_cols = [i for i, c in enumerate(sheet.columns) if c.kind == YESNO]
    assert len(yes_no_cols) >= 6
    for row in body:
        for i in yes_no_cols:
            assert row[i] in ("Có", "Không", "Không rõ")
        assert isinstance(row[1], dt.datetime) and row[1].day == 1  # month of report, as a real date
        assert isinstance(row[12], int)  # number of perpetrators
    assert ws.cell(row=3, column=2).number_format == "mm/yyyy"
    elsewhere = [c.key for c in sheet.columns].index("elsewhere")
    assert {row[elsewhere] for row in body} == {"Không"}  # a counted case is never one reported elsewhere


@pytest.mark.parametrize("kind", ["statistics", "activities", "register"])
def test_no_identity_in_files_for_other_bodies(session, year_of_data, tmp_path, kind):
    path = export(session, kind, Period.of(2025), "xlsx", tmp_path / f"{kind}.xlsx")
    with zipfile.ZipFile(path) as archive:
        blob = b"".join(archive.read(name) for name in archive.namelist())
    for secret in (CANARY_NAME, "Canary", "0912345678", "034190001234", "Thôn Canary"):
        assert secret.encode("utf-8") not in blob
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            assert not any(isinstance(v, str) and "Canary" in v for v in row)


def test_activity_summary_workbook(session, year_of_data, tmp_path):
    path = export(session, "activities", Period.of(2025), "xlsx", tmp_path / "hoat-dong.xlsx")
    wb = load_workbook(path)
    assert {"Theo loai", "Theo thang", "Theo doi tuong", "Thang hanh dong", "Theo nhom"} <= set(wb.sheetnames)
    by_kind = {r[0]: r for r in rows_of(wb["Theo loai"])[2:]}
    talk = by_kind[session.reference.label("activity_kind", "thematic_talk")]
    assert talk[1:5] == [2, 140, 90, 50]  # activities, participants, female, male
    money = by_kind["Tổng số"][7]
    assert isinstance(money, int) and money == session.store.scalar(
        "SELECT sum(budget_vnd) FROM activities WHERE deleted = 0 AND starts_on LIKE '2025%'")
    months = {r[0]: r for r in rows_of(wb["Theo thang"])[2:]}
    assert months["Tháng 03/2025"][1:3] == [1, 80] and months["Tháng 01/2025"][1] == 0


def test_register_workbook_has_a_row_per_counted_case(session, year_of_data, tmp_path):
    path = export(session, "register", Period.of(2025), "xlsx", tmp_path / "so.xlsx")
    ws = load_workbook(path)["So theo doi"]
    body = body_of(ws)
    assert [r[0] for r in body] == list(range(1, 14))
    assert all(r[14] in ("Có", "Không") and r[15] in ("Có", "Không") for r in body)


def test_big_sheet_text_writer_reads_back_as_openpyxl_would_write_it(tmp_path):
    """The fast writer of big sheets (SpreadsheetML text) against openpyxl writing the same cells one by one."""
    from openpyxl import Workbook

    from app.reports.model import COUNT, DATE, MONEY, MONTH, TEXT, Column, Report, Table
    from app.reports.xlsx import _Cells, render_xlsx

    columns = [Column("t", "Chữ", "Text", TEXT), Column("n", "Số", "Count", COUNT),
               Column("m", "Tháng", "Month", MONTH), Column("d", "Ngày", "Date", DATE), Column("y", "Có/không", "Yes/no", YESNO),
               Column("v", "Tiền", "Money", MONEY)]
    odd = ["a & b < c > d", "  leading and trailing  ", "Nguye\u0302\u0303n", "ctrl\x01char", "", None,
           "\"quoted\" 'x'", "Xã Mẫu số 001", "]]>"]
    rows = []
    for i in range(60):
        rows.append([odd[i % len(odd)], [0, 7, None, 12345678901, 2.5][i % 5],
                     [dt.date(2025, 1 + i % 12, 1), None][i % 2], dt.date(2024, 2, 29) if i % 3 else None,
                     [True, False, None][i % 3], Figure(i, suppressed=i % 4 == 0) if i % 2 else 10 ** 9 + i])
    table = Table(key="Du lieu", title_vi="Bảng lớn", title_en="Big", columns=columns, rows=rows, big=True,
                  note_vi="Ghi chú & chú thích", note_en="Note")
    fast = render_xlsx(Report(kind="statistics", title="T", subject="S", blocks=[table]), tmp_path / "fast.xlsx")

    # What openpyxl itself writes for the same cells (the renderer's earlier way).
    wb = Workbook()
    ws = wb.active
    cells = _Cells(ws, table, "vi")
    ws.append(["Bảng lớn"])
    ws.append([c.vi for c in columns])
    for line in rows:
        values = [cells.value(c.kind, raw) for c, raw in zip(columns, line, strict=True)]
        values = [unicodedata.normalize("NFC", v).replace("\x01", "") if isinstance(v, str) else v for v in values]
        ws.append([None if v == "" else v for v in values])
    ws.append([])
    ws.append(["Ghi chú & chú thích"])
    wb.save(tmp_path / "slow.xlsx")

    got = rows_of(load_workbook(fast)["Du lieu"])
    want = rows_of(load_workbook(tmp_path / "slow.xlsx").active)
    assert len(got) == len(want) == 2 + 60 + 2
    assert got == want
    sheet = load_workbook(fast)["Du lieu"]
    months = [sheet.cell(row=r, column=3) for r in range(3, 63) if sheet.cell(row=r, column=3).value is not None]
    assert months and all(c.number_format == "mm/yyyy" and c.is_date for c in months)
    assert sheet.cell(row=4, column=4).number_format == "dd/mm/yyyy"
    assert sheet["A5"].value == "Nguyễn" and len(sheet["A5"].value) == 6  # NFC
    assert sheet["A64"].font.i  # the note, in italics


def test_every_part_of_the_statistics_workbook_is_compressed(session, statistics_xlsx):
    """The big sheets are written by our own writer: stored uncompressed, a province's workbook was 70 MB."""
    _, path = statistics_xlsx
    with zipfile.ZipFile(path) as archive:
        stored = [i.filename for i in archive.infolist() if i.compress_type != zipfile.ZIP_DEFLATED]
        sizes = {i.filename: (i.compress_size, i.file_size) for i in archive.infolist()}
    assert stored == []
    data_part = max(sizes, key=lambda name: sizes[name][1])
    assert sizes[data_part][0] < sizes[data_part][1] / 3, sizes[data_part]
