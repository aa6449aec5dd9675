"""The Reports page driven as an officer does it, over a commune's real encrypted year of data (2025).

The files it saves are read back: the PDF with poppler's pdftotext, the Excel
file with openpyxl.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app import reports as report_core
from app.targets import Period
from tests.conftest import ADMIN_PASSWORD
from tests.reports.conftest import _template, new_node  # noqa: F401 - the commune's year of data for `session`
from ui.qt import QApplication, QDesktopServices, Qt

needs_poppler = pytest.mark.skipif(not all(shutil.which(t) for t in ("pdftotext", "pdftoppm")),
                                   reason="poppler-utils (pdftotext, pdftoppm) not installed")


class ScriptedFiles:
    """Stands in for the file dialogs: answers each question with the next path the test gave."""

    def __init__(self, *answers):
        self.answers = list(answers)

    def _next(self):
        assert self.answers, "the page asked for a file the test did not expect"
        return self.answers.pop(0)

    def save_file(self, parent, caption, suggested="", filters=""):
        self.suggested = suggested
        return str(self._next())


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _click(qtbot, button):
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _shoot(widget, name: str, tmp_path: Path) -> Path:
    """A PNG of the page as the person sees it (kept under BINHAN_SCREENSHOTS when set, for looking at)."""
    QApplication.processEvents()
    path = tmp_path / name
    assert widget.grab().save(str(path))
    keep = os.environ.get("BINHAN_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / name)
    return path


@pytest.fixture
def out(tmp_path) -> Path:
    """Where the officer saves reports (the node's own folder is elsewhere under tmp_path)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def page(qtbot, session):
    from ui.reports.page import ReportsPage

    widget = ReportsPage(session)
    qtbot.addWidget(widget)
    widget.resize(1000, 640)
    widget.show()
    return widget


def _kinds(page) -> list[str]:
    return [page.kind_combo.itemData(i) for i in range(page.kind_combo.count())]


@needs_poppler
def test_annual_report_saved_with_the_difficulties_the_officer_typed(qtbot, page, session, out, type_text):
    page.choose("annual", year=2025)
    assert page.format_combo.currentData() == "pdf"
    editor = page.text_edits["difficulties"]
    assert page.tabs.isTabEnabled(0)
    editor.setFocus()
    type_text(editor, "Thiếu kinh phí duy trì địa chỉ tin cậy ở thôn Đông.")
    target = out / "báo cáo năm.pdf"
    page.files = ScriptedFiles(target)
    _click(qtbot, page.save_button)

    assert page.message.kind == "success", page.message.text()
    assert target.is_file()
    assert str(target) in page.message.text()
    text = " ".join(pdf_text(target).split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Thiếu kinh phí duy trì địa chỉ tin cậy ở thôn Đông." in text
    # The text is kept for the period, so the next report of 2025 prints it too.
    assert report_core.report_texts(session, Period.of(2025))["difficulties"] == \
        "Thiếu kinh phí duy trì địa chỉ tin cậy ở thôn Đông."
    assert page.texts_state.text() == "Đã lưu"
    assert [p.name for p in out.iterdir()] == ["báo cáo năm.pdf"]  # no temporary file left beside it
    assert page.open_button.isEnabled()


def test_statistics_saved_as_excel_from_the_page(qtbot, page, out):
    page.choose("statistics", year=2025)
    assert [page.format_combo.itemData(i) for i in range(page.format_combo.count())] == ["xlsx"]
    assert not page.tabs.isTabEnabled(0)  # the free-text parts print in the annual report only
    page.files = ScriptedFiles(out / "thong-ke")  # typed without an extension
    _click(qtbot, page.save_button)
    saved = out / "thong-ke.xlsx"
    assert saved.is_file(), page.message.text()
    workbook = load_workbook(saved)
    assert len(workbook.sheetnames) > 1
    numbers = [cell for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for cell in row
               if isinstance(cell, int | float) and not isinstance(cell, bool)]
    assert numbers and sum(numbers) > 0


@needs_poppler
def test_pdf_and_excel_saved_side_by_side_from_one_build(qtbot, page, session, out, monkeypatch):
    import app.reports.annual as annual

    builds = []
    original = annual.annual_report
    monkeypatch.setattr(annual, "annual_report", lambda *a, **kw: builds.append(1) or original(*a, **kw))
    before = _exports(session)
    page.choose("annual", year=2025)
    both = page.format_combo.findText("PDF và Excel")
    assert both >= 0 and page.format_combo.itemData(both) == "pdf+xlsx"
    page.format_combo.setCurrentIndex(both)
    files = ScriptedFiles(out / "báo cáo năm")  # typed without an extension
    page.files = files
    _click(qtbot, page.save_button)

    pdf, xlsx = out / "báo cáo năm.pdf", out / "báo cáo năm.xlsx"
    assert Path(files.suggested).name == "bao-cao-ket-qua-2025.pdf"  # the dialog names the PDF
    assert page.message.kind == "success", page.message.text()
    assert str(pdf) in page.message.text() and str(xlsx) in page.message.text()
    assert sorted(p.name for p in out.iterdir()) == ["báo cáo năm.pdf", "báo cáo năm.xlsx"]
    assert builds == [1]  # one build for both files
    assert _exports(session) == before + 2  # one audit entry a file
    sentence = "Trong kỳ tiếp nhận 13 vụ việc bạo lực trên cơ sở giới được thống kê."
    assert sentence in " ".join(pdf_text(pdf).split())
    assert sentence in [row[0] for row in load_workbook(xlsx)["Noi dung"].iter_rows(values_only=True)]
    assert page.last_saved == pdf and page.open_button.isEnabled()


def test_an_earlier_excel_file_beside_the_pdf_is_replaced_only_when_the_person_says_so(qtbot, page, session, out):
    earlier = out / "bc.xlsx"
    earlier.write_bytes(b"the officer's own workbook")
    before = _exports(session)
    page.choose("annual", year=2025, fmt="pdf+xlsx")
    page.files = ScriptedFiles(out / "bc.pdf")
    _click(qtbot, page.save_button)
    box = page.replace_box
    assert box is not None and "bc.xlsx" in box.text()
    next(b for b in box.buttons() if b.text() == "Không lưu").click()
    assert sorted(p.name for p in out.iterdir()) == ["bc.xlsx"] and earlier.read_bytes() == b"the officer's own workbook"
    assert _exports(session) == before and page.replace_box is None

    page.files = ScriptedFiles(out / "bc.pdf")
    _click(qtbot, page.save_button)
    next(b for b in page.replace_box.buttons() if b.text() == "Thay tệp").click()
    assert page.message.kind == "success", page.message.text()
    assert sorted(p.name for p in out.iterdir()) == ["bc.pdf", "bc.xlsx"]
    assert load_workbook(earlier).sheetnames[:2] == ["Thong tin", "Noi dung"]
    assert _exports(session) == before + 2


def test_the_file_name_offered_names_the_report_and_the_period(qtbot, page, tmp_path):
    page.choose("activities", year=2025, part="Q3", fmt="pdf")
    files = ScriptedFiles(tmp_path / "a.pdf")
    page.files = files
    _click(qtbot, page.save_button)
    assert Path(files.suggested).name == "tong-hop-hoat-dong-2025-Q3.pdf"


def test_a_leader_sees_no_case_or_person_file(qtbot, session, new_node):  # noqa: F811
    from ui.reports.page import ReportsPage

    officer_page = ReportsPage(session)
    qtbot.addWidget(officer_page)
    assert {"case_file", "person_file"} <= set(_kinds(officer_page))
    session.add_user("lanhdao", ADMIN_PASSWORD, "leader", "Chủ tịch xã")
    leader = new_node.login("lanhdao", ADMIN_PASSWORD)
    try:
        leader_page = ReportsPage(leader)
        qtbot.addWidget(leader_page)
        assert _kinds(leader_page) == ["annual", "statistics", "activities", "register", "dv_statistics", "case_data"]
    finally:
        leader.close()


def _exports(session) -> int:
    return len(session.store.query("SELECT seq FROM audit_log WHERE action = 'report.export'"))


def _cancel_on_step(monkeypatch, qtbot, page, step: int) -> list[str]:
    """The person presses Cancel while the core is at `step`; returns what the dialog showed until then."""
    from ui.reports import work

    real = work.report_progress
    shown: list[str] = []

    def report_progress(progress):
        report = real(progress)

        def watched(done, total, what_vi):
            if done == step:
                qtbot.mouseClick(page.progress_dialog.cancel_button, Qt.MouseButton.LeftButton)
            report(done, total, what_vi)  # raises the core's Cancelled once Cancel was pressed
            page.progress_dialog.refresh()
            shown.append(page.progress_dialog.detail_label.text())

        return watched

    monkeypatch.setattr(work, "report_progress", report_progress)
    return shown


def test_the_dialog_shows_the_cores_steps_and_cancel_on_the_second_leaves_no_file(qtbot, page, session, out,
                                                                                   monkeypatch):
    earlier = out / "thong-ke.xlsx"
    earlier.write_bytes(b"last year's file")
    before = _exports(session)
    shown = _cancel_on_step(monkeypatch, qtbot, page, 2)
    fresh = out / "moi.xlsx"
    page.choose("statistics", year=2025)
    page.files = ScriptedFiles(fresh)
    _click(qtbot, page.save_button)

    assert len(shown) == 1 and shown[0].startswith("Đang") and " 1/" in shown[0] and shown[0].endswith("…")
    assert not fresh.exists()
    assert page.message.text() == report_core.Cancelled().message("vi")  # the core's words
    assert sorted(p.name for p in out.iterdir()) == ["thong-ke.xlsx"]  # no temporary file either
    assert _exports(session) == before  # a cancelled save is not audited

    page.files = ScriptedFiles(earlier)  # cancelling a replacement leaves the earlier file as it was
    _click(qtbot, page.save_button)
    assert earlier.read_bytes() == b"last year's file"
    assert sorted(p.name for p in out.iterdir()) == ["thong-ke.xlsx"]
    assert not page.open_button.isEnabled()
    assert page.progress_dialog is None and page.save_button.isEnabled()
    assert _exports(session) == before


def test_an_uncancelled_save_shows_each_step_and_is_audited_once(qtbot, page, session, out, monkeypatch):
    before = _exports(session)
    shown = _cancel_on_step(monkeypatch, qtbot, page, 0)  # never cancels
    page.choose("statistics", year=2025)
    page.files = ScriptedFiles(out / "thong-ke.xlsx")
    _click(qtbot, page.save_button)
    assert page.message.kind == "success", page.message.text()
    assert (out / "thong-ke.xlsx").is_file()
    assert _exports(session) == before + 1
    steps = len(shown)  # the count rises one by one; the last step is the last one announced
    assert steps > 3 and all(f" {n}/" in text for n, text in enumerate(shown, start=1))
    assert f" {steps}/{steps}" in shown[-1]
    assert any(text.startswith("Đang lập bảng ") and ": " in text for text in shown)
    assert page.progress_dialog is None


def test_texts_are_kept_per_period_when_the_person_moves_between_periods(qtbot, page, session, type_text):
    page.choose("annual", year=2025, part="H1")
    type_text(page.text_edits["situation"], "Sáu tháng đầu năm ổn định.")
    page.choose("annual", year=2025, part=None)
    assert page.text_edits["situation"].toPlainText() == ""
    type_text(page.text_edits["proposals"], "Đề nghị tập huấn thêm.")
    page.choose("annual", year=2025, part="H1")
    assert page.text_edits["situation"].toPlainText() == "Sáu tháng đầu năm ổn định."
    assert report_core.report_texts(session, Period.of(2025))["proposals"] == "Đề nghị tập huấn thêm."
    assert report_core.report_texts(session, Period.of(2025, "H1"))["situation"] == "Sáu tháng đầu năm ổn định."


def test_signer_and_recipients_are_saved_and_printed(qtbot, page, session, tmp_path, type_text):
    page.tabs.setCurrentIndex(1)
    name = page.setting_edits["signer_name"]
    name.clear()
    type_text(name, "Nguyễn Văn Ký")
    recipients = page.setting_edits["recipients"]
    type_text(recipients, "Phòng Văn hóa – Xã hội")
    _click(qtbot, page.save_settings_button)
    saved = report_core.report_settings(session)
    assert saved["signer_name"] == "Nguyễn Văn Ký"
    assert saved["recipients"] == ["Phòng Văn hóa – Xã hội"]
    assert "Đã lưu tiêu đề" in page.message.text()


@needs_poppler
def test_preview_shows_the_rendered_pages_and_spreadsheets_as_text(qtbot, page, session, out, tmp_path,
                                                                   monkeypatch):
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    exports = session.store.scalar("SELECT count(*) FROM audit_log WHERE action = 'report.export'")
    page.choose("annual", year=2025)
    _click(qtbot, page.preview_button)
    pane = page.preview_pane
    assert pane.stack.currentWidget() is pane.scroll_area
    assert len(pane.page_labels) >= 2
    assert all(not label.pixmap().isNull() for label in pane.page_labels)
    assert "trang" in pane.note.text()
    # The small-cell audit of this build, under the page count (issue 16).
    assert "Kiểm tra bảo vệ số liệu nhỏ:" in pane.note.text() and "khoảng hẹp nhất" in pane.note.text()
    # Nothing of the preview is left on disk, and nothing was exported.
    assert list(scratch.iterdir()) == [] and list(out.iterdir()) == []
    assert session.store.scalar("SELECT count(*) FROM audit_log WHERE action = 'report.export'") == exports
    _shoot(page, "reports-annual.png", tmp_path)

    page.choose("statistics", year=2025)
    assert "Xem trước" in pane.note.text()  # the old preview is marked as out of date
    _click(qtbot, page.preview_button)
    assert pane.stack.currentWidget() is pane.text
    assert "Thống kê" in pane.text.toPlainText() or "THỐNG KÊ" in pane.text.toPlainText()
    assert "Kiểm tra bảo vệ số liệu nhỏ:" in pane.note.text()


@needs_poppler
def test_officer_prints_one_case_file_by_its_code(qtbot, page, session, tmp_path, year_of_data):
    page.choose("case_file")
    assert not page.year_spin.isVisible() and page.case_edit.isVisible()
    page.files = ScriptedFiles(tmp_path / "x.pdf")
    qtbot.keyClicks(page.case_edit, "KHONG-CO-MA")
    _click(qtbot, page.save_button)
    assert page.message.kind == "error" and "KHONG-CO-MA" in page.message.text()
    assert not (tmp_path / "x.pdf").exists()

    code = session.cases.get(year_of_data["counted"][0]["id"])["code"]
    page.case_edit.clear()
    qtbot.keyClicks(page.case_edit, code)
    page.files = ScriptedFiles(tmp_path / "ho-so.pdf")
    _click(qtbot, page.save_button)
    assert page.message.kind == "success", page.message.text()
    assert "HẠN CHẾ TIẾP CẬN" in pdf_text(tmp_path / "ho-so.pdf")


def test_open_file_hands_the_saved_report_to_the_systems_viewer(qtbot, page, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    page.choose("register", year=2025)
    page.files = ScriptedFiles(tmp_path / "so.xlsx")
    _click(qtbot, page.save_button)
    _click(qtbot, page.open_button)
    assert opened == [str(tmp_path / "so.xlsx")]


@pytest.fixture
def year_of_data(_template):  # noqa: F811
    import copy

    return copy.deepcopy(_template[1])


def test_the_builder_names_the_receiving_body_in_force_and_says_when_no_plan_covers_the_year(page):
    page.year_spin.setValue(2025)
    assert "Ủy ban nhân dân tỉnh Thái Bình" in page.receiving_label.text()
    assert "Không có kế hoạch" not in page.receiving_label.text()
    page.year_spin.setValue(2026)
    text = page.receiving_label.text()
    assert "Sở Nội vụ tỉnh Hưng Yên" in text and "Không có kế hoạch nào của tỉnh cho năm 2026" in text
    assert "chưa được tỉnh xác nhận" in text


def test_a_province_is_not_offered_the_communes_domestic_violence_statistics(qtbot, session, monkeypatch):
    """A commune's report (its acts of domestic violence stay home): a province's page does not offer it."""
    import dataclasses

    from ui.reports.page import ReportsPage

    commune_page = ReportsPage(session)
    qtbot.addWidget(commune_page)
    assert "dv_statistics" in _kinds(commune_page)
    monkeypatch.setitem(session.__dict__, "node_info", dataclasses.replace(session.node_info, kind="province"))
    province_page = ReportsPage(session)
    qtbot.addWidget(province_page)
    assert "dv_statistics" not in _kinds(province_page)


def _marks(editor) -> list[str]:
    """The words highlighted in `editor` (its extra selections), in order."""
    return [mark.cursor.selectedText() for mark in editor.extraSelections()]


def test_a_recorded_name_or_a_phone_in_a_written_part_stops_finalising_and_is_highlighted(qtbot, page, session,
                                                                                        type_text, tmp_path):
    from tests.conftest import sample_case

    session.cases.save(sample_case(identity={"name": "Trần Thị Bích Ngọc", "phone": "0915000111"}))
    page.choose("annual", year=2025)
    assert page.finalise_button.isVisible() and page.finalise_button.isEnabled()
    editor = page.text_edits["situation"]
    typed = "Đã hỗ trợ chị Trần Thị Bích Ngọc ở thôn Đông; khi cần gọi 0987 654 321."
    editor.setFocus()
    type_text(editor, typed)
    type_text(page.text_edits["proposals"], "Đề nghị tập huấn thêm.")

    _click(qtbot, page.finalise_button)
    box = page.finalise_box
    assert box is not None and "2025" in box.text()
    next(b for b in box.buttons() if b.text() == "Hoàn tất").click()

    # Refused, in the core's words: which part, which words.
    assert page.message.kind == "error", page.message.text()
    said = page.message.text()
    assert "Tình hình chung" in said and "Trần Thị Bích Ngọc" in said and "0987 654 321" in said
    assert session.store.scalar("SELECT count(*) FROM annual_reports") == 0
    # Exactly those words are highlighted, where they are; the other parts have nothing marked.
    assert _marks(editor) == ["Trần Thị Bích Ngọc", "0987 654 321"]
    assert all(not e.extraSelections() for s, e in page.text_edits.items() if s != "situation")
    assert "Trần Thị Bích Ngọc" in editor.accessibleDescription() and "0987 654 321" in editor.toolTip()
    # The cursor is on the first word, on the tab that shows it; nothing typed was kept.
    assert page.tabs.currentIndex() == 0
    assert editor.textCursor().position() == typed.index("Trần")
    assert report_core.report_texts(session, Period.of(2025))["situation"] == ""
    assert page.has_unsaved_texts()
    _shoot(page, "reports-written-part-refused.png", tmp_path)

    # Editing the part takes the highlight away.
    editor.selectAll()
    type_text(editor, "Xã tổ chức 12 buổi truyền thông.")
    assert _marks(editor) == [] and editor.toolTip() == "" and editor.accessibleDescription() == ""


def test_a_written_part_without_anyone_in_it_finalises_from_the_reports_page(qtbot, page, session, type_text):
    page.choose("annual", year=2025, part="H1")
    assert not page.finalise_button.isEnabled()  # a year's report: the whole year only
    page.choose("annual", year=2025)
    type_text(page.text_edits["situation"], "Xã tổ chức 12 buổi truyền thông, 340 lượt người tham gia.")
    _click(qtbot, page.finalise_button)
    next(b for b in page.finalise_box.buttons() if b.text() == "Hoàn tất").click()
    assert page.message.kind == "success", page.message.text()
    assert "2025" in page.message.text()
    assert session.store.scalar("SELECT count(*) FROM annual_reports") == 1
    assert report_core.report_texts(session, Period.of(2025))["situation"].startswith("Xã tổ chức 12 buổi")
    assert not page.has_unsaved_texts() and page.finalise_button.isEnabled()
    page.choose("statistics", year=2025)
    assert not page.finalise_button.isVisible()


def test_a_province_may_group_the_tables_by_commune_by_new_commune(qtbot, session, monkeypatch):
    """Issue 17.4: at a province the annual report and the statistics offer the new communes of 2025 as rows;
    the choice reaches the core; a commune, and the reports without tables by commune, do not offer it."""
    import dataclasses

    from ui.reports import work
    from ui.reports.page import ReportsPage

    commune_page = ReportsPage(session)
    qtbot.addWidget(commune_page)
    commune_page.show()
    commune_page.choose("annual", year=2025)
    assert not commune_page.new_communes_check.isVisible()

    monkeypatch.setitem(session.__dict__, "node_info", dataclasses.replace(session.node_info, kind="province"))
    page = ReportsPage(session)
    qtbot.addWidget(page)
    page.show()
    page.choose("activities", year=2025)
    assert not page.new_communes_check.isVisible()
    page.choose("annual", year=2025)
    assert page.new_communes_check.isVisible() and not page.new_communes_check.isChecked()
    assert page.new_communes_check.accessibleDescription()

    asked = []

    def render_preview(session, kind, period, case_ids, progress, *, lang="vi", by_new_commune=False):
        asked.append((kind, by_new_commune))
        return work.Preview(text="…", disclosure="")

    monkeypatch.setattr(work, "render_preview", render_preview)
    _click(qtbot, page.preview_button)
    qtbot.mouseClick(page.new_communes_check, Qt.MouseButton.LeftButton)
    assert page.new_communes_check.isChecked()
    _click(qtbot, page.preview_button)
    page.choose("statistics", year=2025)
    _click(qtbot, page.preview_button)
    qtbot.waitUntil(lambda: len(asked) == 3)
    assert asked == [("annual", False), ("annual", True), ("statistics", True)]
