"""Reports: models built from the database, then rendered to Excel, PDF or Word.

    from app.reports import build, export
    from app.targets import Period

    report = build(session, "annual", Period.of(2025))          # a model: numbers, rows, texts
    export(session, "annual", Period.of(2025), "pdf", "bao-cao-2025.pdf")
    export(session, "statistics", Period.of(2025, "H1"), "xlsx", "thong-ke.xlsx")
    export(session, "case_file", None, "pdf", "ho-so.pdf", case_ids=[case_id])   # officer only, MẬT

Reports for other bodies (annual, statistics, activities, register) hold no
identity, count only the cases `app.targets.countable_cases` counts, and hide
small counts behind the profile's label. The officer's files (case_file,
person_file) hold identities, are marked MẬT, and need `report.case_file`.
Every export is written in the audit log with its kind, period and format —
never a name, never the file name.

Long builds: `build` and `export` take `progress(done, total, what_vi)`, called
at each step (see `app.reports.progress`); it may raise `Cancelled` to stop, and
then no file is written and nothing is audited.

Free-text parts and header settings: `report_texts`, `save_report_text`,
`report_settings`, `save_report_settings` (see `app.reports.texts`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.errors import BinhAnError
from app.reports.model import Report
from app.reports.progress import Cancelled, ProgressFn, Steps, steps_of
from app.reports.texts import (TEXT_SECTIONS, report_settings, report_text, report_texts, save_report_settings,
                               save_report_text)
from app.targets import Period

__all__ = ["FORMATS", "KINDS", "TEXT_SECTIONS", "Cancelled", "ProgressFn", "ReportError", "Steps", "build", "export",
           "report_settings", "report_text", "report_texts", "save_report_settings", "save_report_text"]

# kind -> formats, the first being the usual one
FORMATS: dict[str, tuple[str, ...]] = {
    "annual": ("pdf", "docx"),
    "statistics": ("xlsx",),
    "activities": ("xlsx", "pdf"),
    "register": ("xlsx",),
    "case_file": ("pdf",),
    "person_file": ("pdf",),
}
KINDS = {
    "annual": ("Báo cáo kết quả thực hiện kế hoạch", "Annual report on the plan"),
    "statistics": ("Thống kê vụ việc", "Case statistics"),
    "activities": ("Tổng hợp hoạt động", "Activity summary"),
    "register": ("Sổ theo dõi vụ việc (không nhận dạng)", "De-identified case register"),
    "case_file": ("Hồ sơ một vụ việc (MẬT)", "One case's file (confidential)"),
    "person_file": ("Thông tin đang lưu giữ về một người (MẬT)", "What is held about one person (confidential)"),
}


class ReportError(BinhAnError):
    pass


def build(session, kind: str, period: Period | None, *, case_ids: list[str] | None = None,
          report_date: date | None = None, progress: ProgressFn | Steps | None = None) -> Report:
    """The model of one report (nothing is written to disk).

    `progress(done, total, what_vi)` is called at each step and may raise `Cancelled`.
    """
    steps = steps_of(progress)
    if kind == "annual":
        from app.reports.annual import annual_report
        return annual_report(session, _need(period), report_date=report_date, progress=steps)
    if kind == "statistics":
        from app.reports.tabular import statistics_report
        return statistics_report(session, _need(period), report_date=report_date, progress=steps)
    if kind == "activities":
        from app.reports.tabular import activity_report
        return activity_report(session, _need(period), report_date=report_date, progress=steps)
    if kind == "register":
        from app.reports.tabular import register_report
        return register_report(session, _need(period), report_date=report_date, progress=steps)
    if kind == "case_file":
        from app.reports.casefile import case_file
        if not case_ids or len(case_ids) != 1:
            raise ReportError("Hãy chọn đúng một vụ việc để in hồ sơ.", "Choose exactly one case to print its file.")
        return case_file(session, case_ids[0], report_date=report_date, progress=steps)
    if kind == "person_file":
        from app.reports.casefile import person_file
        return person_file(session, list(case_ids or []), report_date=report_date, progress=steps)
    raise ReportError(f"Không có loại báo cáo '{kind}'. Các loại: {', '.join(FORMATS)}.",
                      f"There is no report kind '{kind}'. Kinds: {', '.join(FORMATS)}.")


def _need(period: Period | None) -> Period:
    if period is None:
        raise ReportError("Hãy chọn kỳ báo cáo.", "Choose the report period.")
    return period


def export(session, kind: str, period: Period | None, fmt: str, out: str | Path, *,
           case_ids: list[str] | None = None, report_date: date | None = None,
           progress: ProgressFn | None = None) -> Path:
    """Build the report and write it to `out` (atomically); audited as `report.export`.

    `progress(done, total, what_vi)` is called at each step of the build and of the
    rendering; if it raises `Cancelled`, no file is left under `out` (an earlier
    file there stays as it was), no temporary file stays behind, and nothing is
    audited: the audit entry is written only once the file is in place.
    """
    fmt = (fmt or "").lower().lstrip(".")
    if kind not in FORMATS:
        build(session, kind, period)  # raises the message naming the kinds
    if fmt not in FORMATS[kind]:
        raise ReportError(f"Báo cáo '{KINDS[kind][0]}' chỉ xuất được dạng: {', '.join(FORMATS[kind])}.",
                          f"The report '{KINDS[kind][1]}' can only be written as: {', '.join(FORMATS[kind])}.")
    out = Path(out)
    if not out.parent.is_dir():
        raise ReportError(f"Không có thư mục {out.parent}. Hãy chọn nơi lưu khác.",
                          f"The folder {out.parent} does not exist. Choose another place to save.")
    steps = steps_of(progress)
    report = build(session, kind, period, case_ids=case_ids, report_date=report_date, progress=steps)
    if fmt == "xlsx":
        from app.reports.xlsx import render_xlsx
        render_xlsx(report, out, progress=steps)
    elif fmt == "pdf":
        from app.reports.pdf import render_pdf
        render_pdf(report, out, progress=steps)
    else:
        from app.reports.word import render_docx
        render_docx(report, out, progress=steps)
    detail = {"kind": kind, "format": fmt, "period": period.code if period else None}
    if case_ids:
        detail["cases"] = len(case_ids)
    with session.store.transaction() as conn:
        session.audit(conn, "report.export", detail=detail)
    return out
