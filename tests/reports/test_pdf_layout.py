"""PDF tables sized by their content: no number is ever split over two lines (checked by reportlab's own wrap of
every cell and, independently, by the words poppler reads back); long tables repeat their header on every page;
"Nơi nhận" and the signature never stand alone on the last page."""

from __future__ import annotations

import re
import subprocess

import pytest

from app.reports import build, pdf
from app.reports.model import COUNT, MONEY, PERCENT, TEXT, Column, Figure, Paragraph, Report, Section, Signature, Table
from app.targets import Period
from tests.reports.conftest import needs_poppler, pdf_text
from tests.reports.test_communes import YEAR, _province, province  # noqa: F401 - fixtures

NUMBER = re.compile(r"^[\d.,]+$")

pytestmark = needs_poppler


@pytest.fixture
def tables(monkeypatch):
    """Every reportlab table the renderer lays out, to read how each cell was wrapped."""
    made = []

    class Recorded(pdf.RLTable):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(pdf, "RLTable", Recorded)
    return made


def number_cells(tables) -> list[tuple[str, int]]:
    """(text, lines reportlab wrapped it onto) for every table cell printing a number."""
    out = []
    for table in tables:
        for row in table._cellvalues:
            for cell in row:
                for item in cell if isinstance(cell, (list, tuple)) else [cell]:  # reportlab wraps cells in tuples
                    if isinstance(item, pdf.RLParagraph) and hasattr(item, "blPara"):
                        text = item.getPlainText().strip()
                        if NUMBER.match(text):
                            out.append((text, len(item.blPara.lines)))
    return out


def split_numbers(tables) -> list[str]:
    """Cells printing a number that reportlab wrapped onto more than one line (there must be numbers to check)."""
    cells = number_cells(tables)
    assert len(cells) > 20, "no number cells found: the check would prove nothing"
    return [text for text, lines in cells if lines > 1]


def numbers_in(report: Report) -> set[str]:
    out = set()
    for table in report.tables():
        kinds = [c.kind for c in table.columns]
        for row in list(table.rows) + ([table.total] if table.total else []):
            for kind, cell in zip(kinds, row, strict=True):
                text = pdf.cell_text(kind, cell, table.suppress_label)
                if NUMBER.match(text) and len(text) >= 4:
                    out.add(text)
    return out


@pytest.mark.parametrize("kind", ["annual", "activities"])
def test_no_number_of_the_province_reports_is_split(province, tables, tmp_path, kind):
    report = build(province, kind, Period.of(YEAR - 1))
    path = pdf.render_pdf(report, tmp_path / "annual.pdf")
    assert tables and not split_numbers(tables)
    words = set(pdf_text(path).split())
    missing = numbers_in(report) - words
    assert not missing, f"numbers not read back whole: {sorted(missing)[:10]}"


def _wide_report(rows: int = 120) -> Report:
    columns = [Column("name", "Loại hoạt động", "Kind", TEXT, 26)] + \
        [Column(f"n{i}", f"Số lượt người tham gia nhóm {i}", f"Group {i}", COUNT) for i in range(5)] + \
        [Column("pct", "Tỷ lệ (%)", "Rate", PERCENT), Column("money", "Kinh phí (đồng)", "Budget", MONEY)]
    body = [[f"Hoạt động truyền thông tại cộng đồng số {n}"] + [Figure(9_876_543 + n) for _ in range(5)] +
            [Figure(99.5)] + [Figure(310_500_000_000 + n)] for n in range(rows)]
    total = ["Tổng số"] + [Figure(987_654_321) for _ in range(5)] + [Figure(100.0), Figure(37_260_000_000_000)]
    table = Table("t", "Hoạt động", "Activities", columns, body, total=total)
    return Report(kind="annual", title="BÁO CÁO", subject="Thử bảng rộng", blocks=[
        Section("I. Kết quả", [table, Paragraph("Đoạn cuối của báo cáo, trước nơi nhận và chữ ký.")])],
        recipients=["Sở Y tế", "Lưu: VT"], signature=Signature("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn A"))


def test_the_widest_numbers_fit_in_smaller_type_rather_than_split(tables, tmp_path):
    path = pdf.render_pdf(_wide_report(), tmp_path / "wide.pdf")
    assert not split_numbers(tables)
    words = pdf_text(path).split()
    assert "37.260.000.000.000" in words and "310.500.000.119" in words


def test_a_long_table_repeats_its_header_on_every_page(tmp_path):
    path = pdf.render_pdf(_wide_report(), tmp_path / "wide.pdf")
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(path)], capture_output=True,
                                                            text=True).stdout).group(1))
    assert pages >= 3
    for page in range(1, pages + 1):
        text = pdf_text(path, page)
        if "Hoạt động truyền thông" in text:
            assert "Kinh phí" in text and "Loại hoạt động" in text, f"page {page} has rows without the header"


def test_recipients_and_signature_stay_with_the_last_paragraph(tmp_path):
    path = pdf.render_pdf(_wide_report(), tmp_path / "wide.pdf")
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(path)], capture_output=True,
                                                            text=True).stdout).group(1))
    last = pdf_text(path, pages)
    assert "Nơi nhận" in last and "Nguyễn Văn A" in last
    assert "Đoạn cuối của báo cáo" in last
    for rows in range(30, 60):  # wherever the table ends on its page, the closing block never stands alone
        path = pdf.render_pdf(_wide_report(rows), tmp_path / f"w{rows}.pdf")
        pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(path)], capture_output=True,
                                                                text=True).stdout).group(1))
        last = pdf_text(path, pages)
        assert "Đoạn cuối của báo cáo" in last and "Nơi nhận" in last, rows


def test_no_heading_is_left_alone_at_the_foot_of_a_page(session, year_of_data, tmp_path):
    """Every section heading of a case file and the annual report shares its page with what follows it."""
    from app.reports import export

    case = session.cases.get(year_of_data["counted"][0]["id"], with_identity=True)
    for length in (600, 1500, 2500, 3990):  # the long narrative moves the later headings down the pages
        case["identity"]["narrative"] = ("Chị bị chồng đánh nhiều lần, hàng xóm can ngăn; chị sợ hãi. " * 80)[:length]
        case = session.cases.save(case)
        path = export(session, "case_file", None, "pdf", tmp_path / f"c{length}.pdf", case_ids=[case["id"]])
        pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(path)], capture_output=True,
                                                                text=True).stdout).group(1))
        for page in range(1, pages + 1):
            lines = [line.strip() for line in pdf_text(path, page).splitlines() if line.strip()]
            body = [line for line in lines if not line.startswith("HẠN CHẾ TIẾP CẬN") and not line.isdigit()]
            assert not re.match(r"^\d\. ", body[-1]), f"{length}: page {page} ends with the heading {body[-1]!r}"
        case = session.cases.get(case["id"], with_identity=True)
