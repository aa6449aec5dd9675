"""PDF files read back with poppler: Vietnamese round-trips, figures appear, fonts embedded, no identity."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from datetime import date

import pytest

from app.reports import build, export, save_report_settings, save_report_text
from app.reports.model import Figure, Paragraph, Report, Section
from app.reports.pdf import date_line, render_pdf
from app.targets import Period, targets
from tests.conftest import CANARY_NAME
from tests.reports.conftest import needs_poppler, pdf_fonts, pdf_text

pytestmark = needs_poppler


@pytest.fixture
def annual_pdf(session, year_of_data, tmp_path):
    save_report_settings(session, signer_name="Nguyễn Văn Ký", doc_number="15")
    save_report_text(session, Period.of(2025), "difficulties", "Thiếu kinh phí cho địa chỉ tin cậy.")
    return export(session, "annual", Period.of(2025), "pdf", tmp_path / "báo-cáo-2025.pdf",
                  report_date=date(2025, 11, 25))


def flat(text: str) -> str:
    return " ".join(text.split())


def test_official_header_and_closing_round_trip_exactly(annual_pdf):
    first = pdf_text(annual_pdf, 1)
    assert "UBND TỈNH" not in first  # a People's Committee writes its own name alone (Decree 30)
    for phrase in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                   "ỦY BAN NHÂN DÂN", "XÃ THỬ NGHIỆM", "Số: 15/BC-UBND", "BÁO CÁO",
                   "Thử Nghiệm, ngày 25 tháng 11 năm 2025"):
        assert phrase in first, phrase
    assert "Kết quả thực hiện Kế hoạch phòng ngừa và ứng phó với bạo lực trên cơ sở giới" in flat(first)
    whole = pdf_text(annual_pdf)
    assert "Nơi nhận:" in whole
    assert "Ủy ban nhân dân tỉnh Thái Bình (qua Sở Lao động – Thương binh và Xã hội);" in flat(whole)
    assert "- Lưu: VT." in whole
    assert "TM. ỦY BAN NHÂN DÂN" in whole and "CHỦ TỊCH" in whole and "Nguyễn Văn Ký" in whole
    assert "Thiếu kinh phí cho địa chỉ tin cậy." in whole
    assert unicodedata.is_normalized("NFC", whole)


def test_sections_follow_the_plans_task_groups(annual_pdf):
    text = flat(pdf_text(annual_pdf))
    order = ["I. TÌNH HÌNH CHUNG", "II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ, GIẢI PHÁP", "1. Công tác lãnh đạo, chỉ đạo",
             "2. Công tác truyền thông", "3. Đào tạo, bồi dưỡng", "4. Duy trì, nhân rộng các mô hình",
             "5. Cung cấp dịch vụ hỗ trợ", "6. Kiểm tra, giám sát", "7. Biểu dương, khen thưởng",
             "8. Kinh phí thực hiện", "III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", "IV. KHÓ KHĂN, VƯỚNG MẮC",
             "V. ĐỀ XUẤT, KIẾN NGHỊ", "Nơi nhận:"]
    positions = [text.index(heading) for heading in order]
    assert positions == sorted(positions)


def test_figures_printed_are_the_databases(session, annual_pdf):
    text = flat(pdf_text(annual_pdf))
    events = session.store.scalar(
        "SELECT count(*) FROM activities WHERE deleted = 0 AND starts_on LIKE '2025%'"
        " AND kind IN ('thematic_talk', 'rally', 'contest')")
    people = session.store.scalar(
        "SELECT sum(participants_total) FROM activities WHERE deleted = 0 AND starts_on LIKE '2025%'"
        " AND kind IN ('thematic_talk', 'rally', 'contest')")
    assert f"Tổ chức {events} hoạt động truyền thông trực tiếp với {people} lượt người tham gia" in text
    assert "Trong kỳ tiếp nhận 13 vụ việc" in text
    budget = session.store.scalar("SELECT sum(budget_vnd) FROM activities WHERE deleted = 0 AND starts_on LIKE '2025%'")
    assert f"{budget:,}".replace(",", ".") + " đồng" in text
    # The targets table: each result's value, written as Vietnamese writes it.
    for result in targets(session, 2025):
        if result.value is not None:
            assert f"{result.value:.1f}".replace(".", ",") in text
    assert "Đạt" in text or "Chưa đạt" in text


def test_small_counts_are_hidden_behind_the_profiles_label(session, annual_pdf):
    report = build(session, "annual", Period.of(2025))
    by_type = next(t for t in report.tables() if t.key == "Loai bao luc")
    rape = next(line for line in by_type.rows if line[0] == "Hiếp dâm")
    assert rape[1].suppressed and rape[1].value == 2
    text = pdf_text(annual_pdf)
    line = next(row for row in text.splitlines() if row.startswith("Hiếp dâm"))
    assert "2" not in line
    assert "<5" in text


def test_fonts_are_embedded_tinos_only(annual_pdf, session, year_of_data, tmp_path):
    for path in (annual_pdf, export(session, "activities", Period.of(2025), "pdf", tmp_path / "hd.pdf")):
        fonts = pdf_fonts(path)
        assert fonts and {f["emb"] for f in fonts} == {"yes"}
        assert all("Tinos" in f["name"] for f in fonts)
        assert {f["uni"] for f in fonts} == {"yes"}  # text can be copied out exactly


def test_page_numbers_from_the_second_page_only(annual_pdf):
    assert int(subprocess.run(["pdfinfo", str(annual_pdf)], capture_output=True, text=True).stdout.split(
        "Pages:")[1].split()[0]) >= 3
    assert pdf_text(annual_pdf, 2).lstrip().startswith("2\n")
    assert pdf_text(annual_pdf, 3).lstrip().startswith("3\n")
    assert not pdf_text(annual_pdf, 1).lstrip().startswith("1\n")


def test_first_page_renders(annual_pdf, tmp_path):
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(annual_pdf), str(tmp_path / "p")],
                   check=True)
    png = next(tmp_path.glob("p*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


def test_text_is_normalised_to_nfc_before_drawing(tmp_path):
    decomposed = unicodedata.normalize("NFD", "Người bị bạo lực được hỗ trợ kịp thời")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    report = Report(kind="activities", title="BÁO CÁO", subject=unicodedata.normalize("NFD", "Thử nghiệm chữ Việt"),
                    blocks=[Section("I. PHẦN MỘT", [Paragraph(decomposed)])])
    path = render_pdf(report, tmp_path / "nfc.pdf")
    text = pdf_text(path)
    assert "Người bị bạo lực được hỗ trợ kịp thời" in text and "Thử nghiệm chữ Việt" in text


def test_date_line_pads_days_and_the_first_two_months():
    assert date_line("Thử Nghiệm", date(2026, 1, 5)) == "Thử Nghiệm, ngày 05 tháng 01 năm 2026"
    assert date_line("Thử Nghiệm", date(2025, 11, 25)) == "Thử Nghiệm, ngày 25 tháng 11 năm 2025"
    assert date_line("A", date(2025, 3, 9)) == "A, ngày 09 tháng 3 năm 2025"


@pytest.mark.parametrize("kind,fmt", [("annual", "pdf"), ("activities", "pdf")])
def test_no_identity_in_pdfs_for_other_bodies(session, year_of_data, tmp_path, kind, fmt):
    path = export(session, kind, Period.of(2025), fmt, tmp_path / f"{kind}.{fmt}")
    text = pdf_text(path)
    for secret in (CANARY_NAME, "Canary", "0912345678", "034190001234"):
        assert secret not in text


def test_case_file_holds_the_identity_is_marked_confidential_and_audited(session, year_of_data, tmp_path):
    case = year_of_data["counted"][0]
    before = session.store.scalar("SELECT count(*) FROM audit_log WHERE action = 'report.case_file'")
    path = export(session, "case_file", None, "pdf", tmp_path / "hồ-sơ.pdf", case_ids=[case["id"]])
    text = pdf_text(path)
    assert CANARY_NAME in text and "0912345678" in text and case["code"] in text
    assert "HẠN CHẾ TIẾP CẬN" in text and "MẬT" not in text  # not a state-secret grade
    assert all(line.strip() for line in text.splitlines() if "NHẠY CẢM —" in line)
    assert {f["emb"] for f in pdf_fonts(path)} == {"yes"}
    entries = session.store.query("SELECT * FROM audit_log WHERE action IN ('report.case_file', 'report.export')"
                                  " ORDER BY seq")
    assert session.store.scalar("SELECT count(*) FROM audit_log WHERE action = 'report.case_file'") == before + 1
    assert entries[-2]["target_id"] == case["id"]
    assert all(CANARY_NAME not in (e["detail"] or "") for e in entries)
    second = export(session, "case_file", None, "pdf", tmp_path / "lần-2.pdf", case_ids=[case["id"]])
    assert second.exists()
    assert session.store.scalar("SELECT count(*) FROM audit_log WHERE action = 'report.case_file'") == before + 2


def test_what_is_held_about_one_person(session, year_of_data, tmp_path):
    case = year_of_data["counted"][0]
    path = export(session, "person_file", None, "pdf", tmp_path / "người.pdf", case_ids=[case["id"]])
    text = flat(pdf_text(path))
    assert CANARY_NAME in text and "HẠN CHẾ TIẾP CẬN" in text
    assert "Đồng ý được tính vào số liệu báo cáo" in text  # each consent with its dates
    assert "Lịch sử truy cập và xử lý thông tin" in text and "Tạo hồ sơ vụ việc" in text
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", text)


def test_every_figure_of_the_annual_model_is_printed_or_hidden(session, annual_pdf):
    """No figure the model holds is silently dropped: each is in the text, or hidden as '<5'."""
    report = build(session, "annual", Period.of(2025), report_date=date(2025, 11, 25))
    text = flat(pdf_text(annual_pdf))
    for table in report.tables():
        for line in table.rows:
            figures = [c for c in line if isinstance(c, Figure) and c.value is not None and not c.suppressed]
            if not figures or table.key in ("Chi tieu",):
                continue
            label = line[0]
            assert label in text or label[:25] in text, label
