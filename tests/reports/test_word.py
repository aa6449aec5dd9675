"""Word files read back with python-docx: the same structure, editable, no identity."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn

from app.reports import export, save_report_settings, save_report_text
from app.targets import Period, targets
from tests.conftest import CANARY_NAME
from tests.reports.conftest import pdf_text


@pytest.fixture
def annual_docx(session, year_of_data, tmp_path):
    save_report_settings(session, signer_name="Nguyễn Văn Ký", recipients=["Đảng ủy xã", "HĐND xã"])
    save_report_text(session, Period.of(2025), "proposals", "Đề nghị tỉnh hỗ trợ tập huấn.\nBổ sung kinh phí.")
    return export(session, "annual", Period.of(2025), "docx", tmp_path / "báo-cáo.docx", report_date=date(2026, 2, 3))


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


def test_header_body_and_closing_are_there_and_editable(annual_docx):
    doc = Document(annual_docx)
    header = doc.tables[0]
    left, right = header.cell(0, 0).text, header.cell(0, 1).text
    assert "UBND TỈNH" not in left and "ỦY BAN NHÂN DÂN" in left and "XÃ THỬ NGHIỆM" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
    assert header.cell(1, 1).text == "Thử Nghiệm, ngày 03 tháng 02 năm 2026"
    assert header.cell(1, 1).paragraphs[0].runs[0].italic
    text = all_text(doc)
    assert "BÁO CÁO" in text and "III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU" in text
    assert "Đề nghị tỉnh hỗ trợ tập huấn." in text and "Bổ sung kinh phí." in text
    closing = doc.tables[-1]
    recipients = closing.cell(0, 0).text
    assert recipients.startswith("Nơi nhận:") and "- Đảng ủy xã;" in recipients and recipients.endswith("- Lưu: VT.")
    assert "TM. ỦY BAN NHÂN DÂN" in closing.cell(0, 1).text and "Nguyễn Văn Ký" in closing.cell(0, 1).text


def test_page_setup_follows_the_decree(annual_docx):
    section = Document(annual_docx).sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml


def test_targets_table_holds_the_core_figures(session, annual_docx):
    doc = Document(annual_docx)
    table = next(t for t in doc.tables if t.cell(0, 0).text == "STT" and t.cell(0, 1).text == "Chỉ tiêu")
    for n, result in enumerate(targets(session, 2025), start=1):
        row = [c.text for c in table.rows[n].cells]
        assert row[1] == result.label_vi
        if result.value is not None:
            assert row[5] == f"{result.value:.1f}".replace(".", ",")
        assert row[6] == result.status_label()


def test_no_identity_in_the_word_report(annual_docx):
    text = all_text(Document(annual_docx))
    for secret in (CANARY_NAME, "Canary", "0912345678"):
        assert secret not in text


def _grid(table) -> list[int]:
    return [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def _cells(row) -> list[int]:
    return [int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in row._tr.tc_lst]


def test_every_tables_grid_and_cells_agree_in_a_fixed_layout(annual_docx):
    doc = Document(annual_docx)
    text_width = round((210 - 30 - 15) / 25.4 * 1440)  # twips
    for table in doc.tables:
        grid = _grid(table)
        assert abs(sum(grid) - text_width) <= len(grid) + 2, sum(grid)
        for row in table.rows:
            assert _cells(row) == grid
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_data_tables_are_sized_by_content_and_repeat_their_header(annual_docx):
    doc = Document(annual_docx)
    data = [t for t in doc.tables if t.style is not None and t.style.name == "Table Grid"]
    assert len(data) >= 8
    for table in data:
        first = table.rows[0]._tr.trPr
        assert first is not None and first.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows[1:])
    targets_table = next(t for t in data if t.cell(0, 1).text == "Chỉ tiêu")
    grid = _grid(targets_table)
    assert grid[1] > 2 * max(grid[2:])  # the text column takes the room, not an even share


def test_charts_are_pictures_followed_by_their_numbers(session, annual_docx):
    from app.reports import build

    doc = Document(annual_docx)
    charts = list(build(session, "annual", Period.of(2025)).charts())
    assert charts and len(doc.inline_shapes) == len(charts)
    captions = [p.text for p in doc.paragraphs if p.text.startswith(("Biểu đồ ", "Số liệu của biểu đồ "))]
    assert captions == [x for n, c in enumerate(charts, start=1)
                        for x in (f"Biểu đồ {n}. {c.title_vi}", f"Số liệu của biểu đồ {n}")]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_sets_the_national_name_and_the_date_line_each_on_one_line(annual_docx, tmp_path):
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(annual_docx)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / (annual_docx.stem + ".pdf")
    lines = [" ".join(line.split()) for line in pdf_text(pdf, 1).splitlines()]
    assert any(line.endswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") for line in lines), lines[:8]
    assert any(line.endswith("Thử Nghiệm, ngày 03 tháng 02 năm 2026") for line in lines), lines[:8]
