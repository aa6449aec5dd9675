"""`binhan targets` and `binhan report`, through `binhan.cli.main`."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

import binhan.cli as cli
from app.targets import targets
from tests.conftest import ADMIN_PASSWORD, CANARY_NAME
from tests.reports.conftest import PDF_TOOLS, pdf_text


@pytest.fixture
def run(new_node, monkeypatch, capsys):
    monkeypatch.setenv("BINHAN_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("BINHAN_LANG", "vi")

    def invoke(*args):
        code = cli.main(["--data-dir", str(new_node.data_dir), "--user", "admin", *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return invoke


def test_targets_json_are_the_core_results(run, new_node, year_of_data):
    code, out, _ = run("targets", "--year", "2025", "--json")
    assert code == 0
    printed = json.loads(out)
    session = new_node.login("admin", ADMIN_PASSWORD)
    try:
        expected = [r.as_dict() for r in targets(session, 2025)]
    finally:
        session.close()
    assert printed == expected
    assert [p["code"] for p in printed] == ["tb_cases_helped", "tb_perpetrators_handled", "tb_schools_integrating"]


def test_targets_as_text_for_a_quarter(run, year_of_data):
    code, out, _ = run("targets", "--year", "2025", "--period", "q2")
    assert code == 0
    assert out.splitlines()[0] == "Chỉ tiêu quý II năm 2025"
    lines = [line.split("\t") for line in out.splitlines()[1:]]
    assert [line[0] for line in lines] == ["tb_cases_helped", "tb_perpetrators_handled", "tb_schools_integrating"]
    assert lines[2][1] == "1/2" and lines[2][2] == "50.0%" and lines[2][3] == "≥ 100%" and lines[2][4] == "Chưa đạt"


def test_report_statistics_to_excel(run, year_of_data, tmp_path):
    out = tmp_path / "thống kê.xlsx"
    code, printed, _ = run("report", "statistics", "--year", "2025", "--format", "xlsx", "--out", str(out))
    assert code == 0 and str(out) in printed
    wb = load_workbook(out)
    assert "Du lieu" not in wb.sheetnames  # per-case rows never sit beside protected tables
    data = tmp_path / "dữ liệu.xlsx"
    code, printed, _ = run("report", "case-data", "--year", "2025", "--format", "xlsx", "--out", str(data))
    assert code == 0 and load_workbook(data).sheetnames == ["Thong tin", "Du lieu"]


@pytest.mark.skipif(not PDF_TOOLS, reason="poppler-utils not installed")
def test_report_annual_pdf_and_case_file(run, year_of_data, tmp_path):
    out = tmp_path / "bc.pdf"
    code, _, _ = run("report", "annual", "--year", "2025", "--period", "H1", "--format", "pdf", "--out", str(out))
    assert code == 0 and "6 tháng đầu năm 2025" in pdf_text(out)
    case_file = tmp_path / "hs.pdf"
    code, _, _ = run("report", "case-file", "--case", year_of_data["counted"][0]["code"], "--out", str(case_file))
    assert code == 0 and CANARY_NAME in pdf_text(case_file)


def test_bad_requests_exit_2_with_a_message_and_write_nothing(run, tmp_path):
    out = tmp_path / "x.pdf"
    code, _, err = run("report", "statistics", "--year", "2025", "--format", "pdf", "--out", str(out))
    assert code == 2 and "chỉ xuất được dạng: xlsx" in err
    code, _, err = run("report", "annual", "--format", "pdf", "--out", str(out))
    assert code == 2 and "--year" in err
    code, _, err = run("report", "case-file", "--case", "KHÔNG-CÓ", "--out", str(out))
    assert code == 2 and "Không có vụ việc" in err
    code, _, err = run("report", "annual", "--year", "2025", "--out", str(tmp_path / "thiếu" / "x.pdf"))
    assert code == 2 and "Không có thư mục" in err
    assert not out.exists()


@pytest.mark.skipif(not PDF_TOOLS, reason="poppler-utils not installed")
def test_report_annual_as_pdf_and_excel_from_one_command(run, year_of_data, tmp_path):
    stem = tmp_path / "báo cáo.pdf"  # its extension is replaced for each format
    code, printed, _ = run("report", "annual", "--year", "2025", "--format", "pdf,xlsx", "--out", str(stem))
    pdf, xlsx = tmp_path / "báo cáo.pdf", tmp_path / "báo cáo.xlsx"
    assert code == 0
    assert printed.splitlines() == [f"Đã ghi {pdf}", f"Đã ghi {xlsx}"]
    assert "Trong kỳ tiếp nhận 13 vụ việc" in " ".join(pdf_text(pdf).split())
    wb = load_workbook(xlsx)
    assert "Trong kỳ tiếp nhận 13 vụ việc bạo lực trên cơ sở giới được thống kê." in \
        [row[0] for row in wb["Noi dung"].iter_rows(values_only=True)]
    code, _, err = run("report", "statistics", "--year", "2025", "--format", "xlsx,pdf", "--out", str(tmp_path / "t"))
    assert code == 2 and "chỉ xuất được dạng: xlsx" in err and not (tmp_path / "t.xlsx").exists()
