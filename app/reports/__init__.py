"""Reports: models built from the database, then rendered to Excel, PDF or Word.

    from app.reports import build, export
    from app.targets import Period

    report = build(session, "annual", Period.of(2025))          # a model: numbers, rows, texts
    export(session, "annual", Period.of(2025), "pdf", "bao-cao-2025.pdf")
    export(session, "statistics", Period.of(2025, "H1"), "xlsx", "thong-ke.xlsx")
    export(session, "case_file", None, "pdf", "ho-so.pdf", case_ids=[case_id])   # officer only, restricted
    export_many(session, "annual", Period.of(2025), {"pdf": "bao-cao.pdf", "xlsx": "bao-cao.xlsx"})  # one build

Reports for other bodies (annual, statistics, activities) hold no identity,
count only the cases `app.targets.countable_cases` counts, and hide small
counts as `app.reports.disclosure` proves enough (the audit's result is in
`Report.disclosure`, in the file's notes and in the audit log's entry). The
per-case lists (register, case_data) are restricted working documents
("HẠN CHẾ TIẾP CẬN"), never in a file with protected tables. The officer's files (case_file,
person_file) hold identities, are marked as restricted sensitive personal data, and need `report.case_file`.
Every file exported is written in the audit log with its kind, period and
format — never a name, never the file name.

Long builds: `build`, `export` and `export_many` take `progress(done, total,
what_vi)`, called at each step (see `app.reports.progress`); it may raise
`Cancelled` to stop, and then no file is written and nothing is audited.

Free-text parts and header settings: `report_texts`, `save_report_text`,
`report_settings`, `save_report_settings` (see `app.reports.texts`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from app.errors import BinhAnError
from app.reports.model import Report
from app.reports.output import flush_to_disk, temporary_beside
from app.reports.progress import Cancelled, ProgressFn, Steps, steps_of
from app.reports.texts import (TEXT_SECTIONS, report_settings, report_text, report_texts, save_report_settings,
                               save_report_text)
from app.targets import Period

__all__ = ["FORMATS", "KINDS", "TEXT_SECTIONS", "Cancelled", "ProgressFn", "ReportError", "Steps", "build", "export",
           "export_many", "report_settings", "report_text", "report_texts", "save_report_settings",
           "save_report_text"]

# kind -> formats, the first being the usual one
FORMATS: dict[str, tuple[str, ...]] = {
    "annual": ("pdf", "xlsx", "docx"),
    "statistics": ("xlsx",),
    "activities": ("xlsx", "pdf"),
    "register": ("xlsx",),
    "dv_statistics": ("xlsx", "pdf"),
    "case_data": ("xlsx",),
    "case_file": ("pdf",),
    "person_file": ("pdf",),
}
KINDS = {
    "annual": ("Báo cáo kết quả thực hiện kế hoạch", "Annual report on the plan"),
    "statistics": ("Thống kê vụ việc", "Case statistics"),
    "activities": ("Tổng hợp hoạt động", "Activity summary"),
    "register": ("Sổ theo dõi vụ việc (không nhận dạng, hạn chế tiếp cận)",
                 "De-identified case register (restricted)"),
    "dv_statistics": ("Thông tin về phòng, chống bạo lực gia đình (ngành văn hóa)",
                      "Domestic-violence statistics (culture sector)"),
    "case_data": ("Dữ liệu vụ việc (không nhận dạng, hạn chế tiếp cận)", "De-identified case data (restricted)"),
    "case_file": ("Hồ sơ một vụ việc (hạn chế tiếp cận)", "One case's file (restricted)"),
    "person_file": ("Thông tin đang lưu giữ về một người (hạn chế tiếp cận)", "What is held about one person (restricted)"),
}


class ReportError(BinhAnError):
    pass


def build(session, kind: str, period: Period | None, *, case_ids: list[str] | None = None,
          report_date: date | None = None, progress: ProgressFn | Steps | None = None,
          by_new_commune: bool = False) -> Report:
    """The model of one report (nothing is written to disk).

    `by_new_commune`: at a province, the annual report's and the statistics' tables by commune are by the new
    communes of the 2025 arrangement rather than by the unit that kept the records (earlier years).

    `progress(done, total, what_vi)` is called at each step and may raise `Cancelled`.
    """
    steps = steps_of(progress)
    if kind == "annual":
        from app.reports.annual import annual_report
        return annual_report(session, _need(period), report_date=report_date, progress=steps,
                             by_new_commune=by_new_commune)
    if kind == "statistics":
        from app.reports.tabular import statistics_report
        return statistics_report(session, _need(period), report_date=report_date, progress=steps,
                                 by_new_commune=by_new_commune)
    if kind == "activities":
        from app.reports.tabular import activity_report
        return activity_report(session, _need(period), report_date=report_date, progress=steps)
    if kind == "register":
        from app.reports.tabular import register_report
        return register_report(session, _need(period), report_date=report_date, progress=steps)
    if kind == "dv_statistics":
        from app.reports.dv_statistics import dv_statistics_report
        return dv_statistics_report(session, _need(period), report_date=report_date, progress=steps)
    if kind == "case_data":
        from app.reports.tabular import case_data_report
        return case_data_report(session, _need(period), report_date=report_date, progress=steps)
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
    return export_many(session, kind, period, {fmt: out}, case_ids=case_ids, report_date=report_date,
                       progress=progress)[0]


def export_many(session, kind: str, period: Period | None, outs: Mapping[str, str | Path], *,
                case_ids: list[str] | None = None, report_date: date | None = None,
                progress: ProgressFn | None = None, by_new_commune: bool = False) -> list[Path]:
    """Build the report once and write it in each format of `outs` ({format: path}); the paths, in that order.

    Every format and folder is checked before anything is built. Each file is rendered
    to a temporary name beside its target; only when all are written are they renamed
    into place, then each is audited as `report.export` (one entry a file, as `export`
    writes). If `progress` raises `Cancelled` (or a rendering fails), no file is left
    under any of the names (earlier files there stay as they were), no temporary file
    stays behind, and nothing is audited. `progress` spans the whole job: the build's
    steps, then every file's, all announced once the model is built.
    """
    targets = _check_outs(session, kind, period, outs)
    steps = steps_of(progress)
    report = build(session, kind, period, case_ids=case_ids, report_date=report_date, progress=steps,
                   by_new_commune=by_new_commune)
    renderers = [_renderer(fmt) for fmt, _ in targets]
    steps.announce(sum(count(report) for _, count in renderers))
    temps: list[Path] = []
    try:
        for (fmt, target), (render, _) in zip(targets, renderers, strict=True):
            if fmt == "pdf":
                # Laid out in memory first: a case file's pages touch the disk only once they are all done, and
                # only under the temporary name beside the file the person chose (then renamed into place).
                from app.reports.pdf import pdf_bytes

                data = pdf_bytes(report, progress=steps)
                temps.append(temporary_beside(target))
                temps[-1].write_bytes(data)
                continue
            temps.append(temporary_beside(target))
            render(report, temps[-1], progress=steps)
        for temp in temps:
            flush_to_disk(temp)
    except BaseException:
        for temp in temps:
            temp.unlink(missing_ok=True)
        raise
    placed: list[str] = []
    try:
        for (fmt, target), temp in zip(targets, temps, strict=True):
            os.replace(temp, target)
            placed.append(fmt)
    finally:
        for temp in temps[len(placed):]:
            temp.unlink(missing_ok=True)
        # A rename that fails (the folder went away meanwhile) still leaves the files placed before it audited.
        if placed:
            with session.store.transaction() as conn:
                for fmt in placed:
                    detail: dict[str, object] = {"kind": kind, "format": fmt,
                                                 "period": period.code if period else None}
                    if report.disclosure is not None:  # the small-cell audit, stored with the output's record
                        detail["disclosure"] = report.disclosure.as_dict()
                    if case_ids:
                        detail["cases"] = len(case_ids)
                    session.audit(conn, "report.export", detail=detail)
    return [target for _, target in targets]


def _check_outs(session, kind: str, period: Period | None, outs: Mapping[str, str | Path]) -> list[tuple[str, Path]]:
    """[(format, path)] once every format suits the kind and every folder exists; else a message naming the fault."""
    if kind not in FORMATS:
        build(session, kind, period)  # raises the message naming the kinds
    if not outs:
        raise ReportError("Hãy chọn ít nhất một dạng tệp để xuất.", "Choose at least one file format to write.")
    targets: list[tuple[str, Path]] = []
    for fmt, out in outs.items():
        fmt = (fmt or "").lower().lstrip(".")
        if fmt not in FORMATS[kind]:
            raise ReportError(f"Báo cáo '{KINDS[kind][0]}' chỉ xuất được dạng: {', '.join(FORMATS[kind])}.",
                              f"The report '{KINDS[kind][1]}' can only be written as: {', '.join(FORMATS[kind])}.")
        out = Path(out)
        if not out.parent.is_dir():
            raise ReportError(f"Không có thư mục {out.parent}. Hãy chọn nơi lưu khác.",
                              f"The folder {out.parent} does not exist. Choose another place to save.")
        targets.append((fmt, out))
    if len({fmt for fmt, _ in targets}) < len(targets) or \
            len({os.path.normcase(os.path.abspath(out)) for _, out in targets}) < len(targets):
        raise ReportError("Mỗi dạng tệp cần một tên tệp riêng.", "Each file format needs a file name of its own.")
    return targets


def _renderer(fmt: str):
    """(render(report, path, progress=…), steps(report)) for a format."""
    if fmt == "xlsx":
        from app.reports.xlsx import render_xlsx, xlsx_steps
        return render_xlsx, xlsx_steps
    if fmt == "pdf":
        from app.reports.pdf import pdf_steps, render_pdf
        return render_pdf, pdf_steps
    from app.reports.word import docx_steps, render_docx
    return render_docx, docx_steps
