"""Every document is what it says: the activity summary is an administrative report (recipients, signature);
the "Noi dung" sheet prints as it reads (wrapped, sized, rows as tall as their lines, print area, portrait)."""

from __future__ import annotations

from datetime import date

from openpyxl import load_workbook

from app.reports import build, export, save_report_settings
from app.targets import Period
from tests.reports.conftest import needs_poppler, pdf_text


def test_the_activity_summary_has_recipients_and_a_signature(session, year_of_data):
    save_report_settings(session, signer_name="Nguyễn Văn Ký")
    report = build(session, "activities", Period.of(2025))
    assert report.title == "BÁO CÁO" and report.header is not None
    assert report.recipients[-1] == "Lưu: VT" and len(report.recipients) >= 2
    assert report.signature is not None and report.signature.name == "Nguyễn Văn Ký"


@needs_poppler
def test_the_activity_summary_pdf_ends_with_recipients_and_signature(session, year_of_data, tmp_path):
    save_report_settings(session, signer_name="Nguyễn Văn Ký")
    path = export(session, "activities", Period.of(2025), "pdf", tmp_path / "hd.pdf", report_date=date(2026, 1, 5))
    text = pdf_text(path)
    assert "Nơi nhận:" in text and "Nguyễn Văn Ký" in text and "TM. ỦY BAN NHÂN DÂN" in text
    assert "Trên đây là tổng hợp hoạt động" in text


def test_the_contents_sheet_wraps_fits_a_portrait_page_and_sets_its_print_area(session, year_of_data, tmp_path):
    path = export(session, "annual", Period.of(2025), "xlsx", tmp_path / "bc.xlsx")
    wb = load_workbook(path)
    ws = wb["Noi dung"]
    assert ws.page_setup.orientation == "portrait" and ws.page_setup.paperSize == 9
    assert ws.print_area == "'Noi dung'!$A$1:$A$" + str(ws.max_row)
    # One column no wider than a portrait A4 page between half-inch margins (~100 characters of 7 pixels).
    assert 80 <= ws.column_dimensions["A"].width <= 100
    long_rows = 0
    for (cell,) in ws.iter_rows():
        if isinstance(cell.value, str):
            assert cell.alignment.wrap_text, cell.coordinate
            if len(cell.value) > 160:  # two lines or more at that width: the row is as tall as its lines
                long_rows += 1
                height = ws.row_dimensions[cell.row].height
                assert height is not None and height >= 28, (cell.coordinate, height)
    assert long_rows >= 2
    assert wb._fonts[0].name == "Times New Roman"  # column widths counted in Times's digits, as the cells use
