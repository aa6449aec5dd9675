"""The annual report a commune (or district) finalises and sends to its parent.

    from app.reports.submission import finalise, finalised, received, received_pdf, save_received_pdf

    finalise(session, 2025)                    # build, render, store, queue for the next package
    save_received_pdf(session, origin, 2025, "TN01-2025.pdf")   # at the parent

Finalising builds the annual report once (the same model gives the figures and
the PDF, so the two never disagree), stores both as one synced record in
`annual_reports` — one per node and year: finalising the year again replaces it
as a new revision, newer wins at the parent like any other record — audits it
(kind and year, never a file name) and appends to the outbox in the same
transaction, so the next package carries it up. What may travel of it is decided
in `app.sync_allow` like every other record.

The figures are the report's tables as printed: a small count is carried as the
label the PDF prints in its place ("<5"), never its value.
"""

from __future__ import annotations

import base64
import json
import math
from datetime import date
from pathlib import Path

from app.errors import BinhAnError
from app.records import append_outbox, new_id, now_utc
from app.sync_allow import MAX_PDF_BYTES  # larger is refused: it could not travel in one package part
from app.reports import ProgressFn, build
from app.reports.model import Figure, Report
from app.reports.output import atomic_path
from app.reports.pdf import pdf_bytes
from app.reports.progress import steps_of
from app.targets import Period

TABLE = "annual_reports"
#: Node kinds that send an annual report up (a province is the top: it has no one to send it to).
SENDING_KINDS = ("commune", "district")
MAX_TEXT = 300  # longest label a figures table may carry (a target's wording is about 200 characters)


class SubmissionError(BinhAnError):
    pass


class IdentityInText(SubmissionError):
    """A written part names or reaches a person: `hits` gives, per part, the words as typed; `spans`, per part,
    where they are: (start, end) in that part's text as checked (Python string positions), in order."""

    def __init__(self, hits: dict[str, list[str]], spans: dict[str, list[tuple[int, int]]] | None = None):
        from app.reports.texts import TEXT_SECTIONS

        self.hits = hits
        self.spans = spans or {}
        parts_vi = "; ".join(f"{TEXT_SECTIONS[s][0]}: {', '.join(w)}" for s, w in hits.items())
        parts_en = "; ".join(f"{TEXT_SECTIONS[s][1]}: {', '.join(w)}" for s, w in hits.items())
        super().__init__(f"Chưa hoàn tất: phần viết của báo cáo có thông tin nhận dạng người (tên, địa chỉ, số điện "
                         f"thoại, số giấy tờ) — {parts_vi}. Hãy bỏ các chữ đó ở trang Báo cáo rồi hoàn tất lại.",
                         f"Not finalised: the report's written parts hold identifying details (a name, an address, a "
                         f"phone or ID number) — {parts_en}. Remove those words on the Reports page and finalise "
                         "again.")


def check_written_parts(session, texts: dict[str, str]) -> None:
    """Nothing free crosses: `texts` (written part -> text) may not name or reach anyone this node has recorded.
    Raises `IdentityInText` with the words and where they are in those very texts (the window checks what is on
    screen with it before keeping it and finalising)."""
    from app.reports import written_parts

    found = written_parts.spans(session, texts)
    if found:
        raise IdentityInText(written_parts.words(texts, found), found)


def _check_written_parts(session, year: int) -> None:
    from app.reports.texts import report_texts

    check_written_parts(session, report_texts(session, Period.of(year)))


# --- the figures --------------------------------------------------------------------------------------------
def _line(text) -> str:
    """A label as one printed line of bounded length (the parent accepts nothing else: app.sync_allow)."""
    return " ".join(str(text).split())[:MAX_TEXT]


def _cell(cell, suppress_label: str):
    if isinstance(cell, Figure):
        if cell.suppressed:
            return _line(cell.hidden_text(suppress_label))
        cell = cell.value
    if isinstance(cell, str):
        return _line(cell)
    if cell is None or isinstance(cell, (bool, int)):
        return cell
    if isinstance(cell, float):
        return round(cell, 4) if math.isfinite(cell) else None
    if isinstance(cell, date):
        return cell.isoformat()
    return _line(cell)


def figures_of(report: Report) -> dict:
    """The report's tables as a JSON-able dict: titles, column names, and the cells as the PDF prints them."""
    tables = []
    for table in report.tables():
        if table.big:
            continue  # a streamed data sheet: not part of the annual report's figures
        label = table.suppress_label
        tables.append({
            "key": _line(table.key), "title": _line(table.title("vi")),
            "columns": [_line(c.label("vi")) for c in table.columns],
            "rows": [[_cell(c, label) for c in row] for row in table.rows],
            "total": [_cell(c, label) for c in table.total] if table.total else None,
        })
    return {"kind": report.kind, "period": report.period.code if report.period else None, "tables": tables}


# --- finalising at the commune ------------------------------------------------------------------------------
def finalise(session, year: int, *, progress: ProgressFn | None = None, today: date | None = None) -> dict:
    """Build the annual report for `year`, store its figures and PDF as this node's record for the year and queue
    it for the parent. Returns {id, year, rev, finalised_on, pdf_bytes}.

    `progress(done, total, what_vi)` as for `app.reports.build`; `Cancelled` stops with nothing stored.
    """
    session.require("report.finalise")
    info = session.node_info
    if info.kind not in SENDING_KINDS:
        raise SubmissionError("Chỉ xã (hoặc huyện) hoàn tất và gửi báo cáo năm lên cấp trên.",
                              "Only a commune (or district) finalises and sends an annual report up.")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise SubmissionError(f"Năm báo cáo không hợp lệ: {year}.", f"Not a valid report year: {year}.")
    today = today or date.today()
    _check_written_parts(session, year)
    steps = steps_of(progress)
    report = build(session, "annual", Period.of(year), report_date=today, progress=steps)
    figures = figures_of(report)
    pdf = pdf_bytes(report, progress=steps)  # in memory: no copy of it on disk
    if len(pdf) > MAX_PDF_BYTES:
        raise SubmissionError(
            f"Tệp PDF của báo cáo năm quá lớn để gửi ({len(pdf) // 1024} KB, tối đa {MAX_PDF_BYTES // 1024} KB).",
            f"The annual report's PDF is too large to send ({len(pdf) // 1024} KB, at most "
            f"{MAX_PDF_BYTES // 1024} KB).")
    now = now_utc()
    with session.store.transaction() as conn:
        row = conn.execute(f"SELECT id, rev FROM {TABLE} WHERE origin = ? AND year = ? ORDER BY rev DESC LIMIT 1",
                           (info.id, year)).fetchone()
        values = (today.isoformat(), json.dumps(figures, ensure_ascii=False, sort_keys=True),
                  base64.b64encode(pdf).decode("ascii"), session.user.id)
        if row is None:
            record_id, rev = new_id(), 1
            conn.execute(f"INSERT INTO {TABLE} (id, origin, rev, created_at, updated_at, deleted, year, finalised_on,"
                         " figures, pdf, finalised_by) VALUES (?, ?, 1, ?, ?, 0, ?, ?, ?, ?, ?)",
                         (record_id, info.id, now, now, year, *values))
        else:
            record_id, rev = row[0], row[1] + 1
            conn.execute(f"UPDATE {TABLE} SET rev = ?, updated_at = ?, deleted = 0, finalised_on = ?, figures = ?,"
                         " pdf = ?, finalised_by = ? WHERE id = ?", (rev, now, *values, record_id))
        append_outbox(conn, TABLE, record_id, rev, now)
        session.audit(conn, "report.finalise", table=TABLE, target=record_id,
                      detail={"kind": "annual", "year": year, "rev": rev})
    return {"id": record_id, "year": year, "rev": rev, "finalised_on": today, "pdf_bytes": len(pdf)}


def finalised(session) -> list[dict]:
    """This node's own finalised annual reports, newest year first: {id, year, rev, finalised_on, updated_at}."""
    session.require("report.build")
    return session.store.query(
        f"SELECT id, year, rev, finalised_on, updated_at FROM {TABLE} WHERE origin = ? AND deleted = 0"
        " ORDER BY year DESC", (session.node_info.id,))


# --- at the parent -------------------------------------------------------------------------------------------
def received(session, origin: str | None = None) -> list[dict]:
    """Annual reports received from the nodes below, one per node and year (the newest version):
    {id, origin, year, rev, finalised_on, first_received_at, received_at}, by node then newest year first."""
    session.require("report.build")
    where, params = ("AND origin = ?", (origin,)) if origin else ("", ())
    return session.store.query(
        f"SELECT id, origin, year, rev, finalised_on, first_received_at, received_at FROM {TABLE}"
        f" WHERE origin != ? AND deleted = 0 {where} ORDER BY origin, year DESC, rev DESC",
        (session.node_info.id, *params))


def received_pdf(session, origin: str, year: int) -> bytes:
    """The PDF of the annual report `origin` sent for `year`, as the sender made it."""
    session.require("report.build")
    row = session.store.query(f"SELECT pdf FROM {TABLE} WHERE origin = ? AND year = ? AND deleted = 0"
                              " ORDER BY rev DESC, updated_at DESC LIMIT 1", (origin, year))
    if not row:
        raise SubmissionError(f"Chưa nhận được báo cáo năm {year} của đơn vị này.",
                              f"No annual report for {year} has arrived from this unit.")
    return base64.b64decode(row[0]["pdf"])


def save_received_pdf(session, origin: str, year: int, out: str | Path) -> Path:
    """Write a received annual report's PDF to `out` (atomically); audited with the sender and year."""
    data = received_pdf(session, origin, year)
    out = Path(out)
    if not out.parent.is_dir():
        raise SubmissionError(f"Không có thư mục {out.parent}. Hãy chọn nơi lưu khác.",
                              f"The folder {out.parent} does not exist. Choose another place to save.")
    with atomic_path(out) as temp:
        temp.write_bytes(data)
    with session.store.transaction() as conn:
        session.audit(conn, "report.received.save", table=TABLE, target=origin,
                      detail={"kind": "annual", "year": year, "format": "pdf"})
    return out


__all__ = ["MAX_PDF_BYTES", "SENDING_KINDS", "SubmissionError", "figures_of", "finalise", "finalised", "received",
           "received_pdf", "save_received_pdf"]
