"""Several files from one build: the annual report as PDF and Excel, the same figures, one audit entry a file."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

import app.reports.annual as annual
from app.errors import BinhAnError
from app.reports import Cancelled, build, export_many
from app.reports.model import Figure, Paragraph, Section
from app.targets import Period
from tests.reports.conftest import needs_poppler, pdf_text
from tests.reports.test_progress import Recorder, assert_rising

YEAR = Period.of(2025)


def audit(session):
    return session.store.query("SELECT * FROM audit_log WHERE action = 'report.export' ORDER BY seq")


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def out(tmp_path) -> Path:
    """Where the files go (the node's own folder is elsewhere under tmp_path)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def counted_builds(monkeypatch) -> list[int]:
    calls: list[int] = []
    original = annual.annual_report

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(annual, "annual_report", counting)
    return calls


@needs_poppler
def test_pdf_and_excel_from_one_build_show_the_same_figures(session, year_of_data, out, monkeypatch):
    builds = counted_builds(monkeypatch)
    seen = Recorder()
    pdf, xlsx = export_many(session, "annual", YEAR, {"pdf": out / "bc.pdf", "xlsx": out / "bc.xlsx"},
                            progress=seen)
    assert len(builds) == 1
    assert pdf == out / "bc.pdf" and xlsx == out / "bc.xlsx"
    assert sorted(p.name for p in out.iterdir()) == ["bc.pdf", "bc.xlsx"]  # no temporary file left
    assert_rising(seen.calls)
    first_render = next(i for i, (_, _, what) in enumerate(seen.calls) if what == "Đang dựng phần đầu văn bản")
    assert {total for _, total, _ in seen.calls[first_render:]} == {seen.calls[-1][1]}  # both files announced at once

    report = build(session, "annual", YEAR)
    text = flat(pdf_text(pdf))
    layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    wb = load_workbook(xlsx)
    content = [row[0] for row in wb["Noi dung"].iter_rows(values_only=True) if row[0]]
    sentences = [p.text for section in report.walk(Section) for p in section.blocks
                 if isinstance(p, Paragraph) and p.figures]
    assert len(sentences) >= 7
    for sentence in sentences:  # "Tổ chức 4 hoạt động truyền thông trực tiếp với 640 lượt người…"
        assert flat(sentence) in text
        assert sentence in content
    assert "Trong kỳ tiếp nhận 13 vụ việc bạo lực trên cơ sở giới được thống kê." in content

    targets = next(t for t in report.tables() if t.key == "Chi tieu")
    sheet = [row for row in wb["Chi tieu"].iter_rows(min_row=3, values_only=True) if isinstance(row[0], int)]
    assert len(sheet) == len(targets.rows) == 3
    for got, want in zip(sheet, targets.rows, strict=True):
        numerator, denominator = want[3], want[4]
        assert got[3] == numerator.value and got[4] == denominator.value
        assert isinstance(got[3], int) and not isinstance(got[3], bool)
        # the same row of the PDF's table (read as laid out: a row's cells on one line)
        assert re.search(rf"(^|\s){numerator.value}\s+{denominator.value}(\s|$)", layout, re.MULTILINE)

    by_type = next(t for t in report.tables() if t.key == "Loai bao luc")
    rows = list(wb["Loai bao luc"].iter_rows(min_row=3, values_only=True))
    assert rows[len(by_type.rows)][-1] == by_type.total[-1].value == 13
    for got, want in zip(rows[:len(by_type.rows)], by_type.rows, strict=True):  # the total and a note follow
        for value, cell in zip(got, want, strict=True):
            if isinstance(cell, Figure) and cell.suppressed:  # "<5" only where the count is 1 to 4
                assert value == cell.hidden_text("<5") and by_type.suppress_label == "<5"
                assert value == "x" or 0 < cell.value < 5
    assert "Hiếp dâm" in [row[0] for row in rows]  # Vietnamese as written

    details = [json.loads(e["detail"]) for e in audit(session)]
    assert details[0]["disclosure"] == details[1]["disclosure"] == report.disclosure.as_dict()
    assert [{k: v for k, v in d.items() if k != "disclosure"} for d in details] == [
        {"kind": "annual", "format": "pdf", "period": "2025"}, {"kind": "annual", "format": "xlsx", "period": "2025"}]


def test_the_quarterly_chart_is_a_sheet_of_numbers_with_small_counts_hidden(session, year_of_data, out):
    (xlsx,) = export_many(session, "annual", YEAR, {"xlsx": out / "bc.xlsx"})
    wb = load_workbook(xlsx)
    assert wb.sheetnames[:2] == ["Thong tin", "Noi dung"]
    quarters = {row[0]: row[1] for row in wb["Bieu do 1"].iter_rows(min_row=3, max_row=6, values_only=True)}
    chart = next(c for c in build(session, "annual", YEAR).charts() if c.key == "chart_cases")
    series = chart.series[0]
    for i, (category, value, hidden) in enumerate(zip(chart.categories, series.values, series.suppressed, strict=True)):
        assert quarters[category] == (series.hidden_text(i, "<5") if hidden else value)
    assert any(series.suppressed)


@pytest.mark.parametrize("cancel_in", ["Đang dựng phần đầu văn bản", "Đang lập trang bìa", "Đang ghi tệp"])
def test_cancel_in_either_file_leaves_no_file_and_no_audit(session, year_of_data, out, cancel_in):
    outs = {"pdf": out / "bc.pdf", "xlsx": out / "bc.xlsx"}
    outs["xlsx"].write_bytes(b"the earlier workbook")
    recorder = Recorder()

    def progress(done, total, what):
        recorder(done, total, what)
        if what == cancel_in:  # "Đang lập trang bìa": the PDF is already written under its temporary name
            raise Cancelled()

    with pytest.raises(Cancelled):
        export_many(session, "annual", YEAR, outs, progress=progress)
    assert sorted(p.name for p in out.iterdir()) == ["bc.xlsx"]  # no PDF, no temporary file
    assert outs["xlsx"].read_bytes() == b"the earlier workbook"
    assert audit(session) == []


def test_a_failed_second_file_leaves_neither(session, year_of_data, out, monkeypatch):
    import app.reports.xlsx as xlsx_module

    def broken(report, path, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(xlsx_module, "render_xlsx", broken)
    with pytest.raises(OSError):
        export_many(session, "annual", YEAR, {"pdf": out / "bc.pdf", "xlsx": out / "bc.xlsx"})
    assert list(out.iterdir()) == [] and audit(session) == []


def test_every_format_and_folder_is_checked_before_building(session, year_of_data, out, monkeypatch):
    builds = counted_builds(monkeypatch)
    with pytest.raises(BinhAnError) as err:
        export_many(session, "annual", YEAR, {"pdf": out / "a.pdf", "csv": out / "a.csv"})
    assert "chỉ xuất được dạng: pdf, xlsx, docx" in str(err.value)
    with pytest.raises(BinhAnError) as err:
        export_many(session, "annual", YEAR, {"pdf": out / "a.pdf", "xlsx": out / "không-có" / "a.xlsx"})
    assert "Không có thư mục" in str(err.value)
    with pytest.raises(BinhAnError):
        export_many(session, "annual", YEAR, {"pdf": out / "a", "xlsx": out / "a"})
    with pytest.raises(BinhAnError):
        export_many(session, "annual", YEAR, {})
    assert builds == [] and list(out.iterdir()) == []
