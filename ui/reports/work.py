"""What the Reports page runs on the background worker. No widgets here, no Qt at all.

Each function takes the session and plain values captured on the GUI thread,
checks `progress` between steps, and returns plain values (bytes, text, paths).
The core reports its own steps in words ("Đang lập bảng 3/9: theo nhóm tuổi…")
through `report_progress`, which also stops it (`app.reports.Cancelled`) once
the person pressed Cancel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from app import reports as report_core
from app.reports.model import Chart, Figure, Paragraph, Section, Table, secondary_note
from ui.widgets.progress import Progress

#: Pages rendered for the preview; a longer report says how many more there are.
PREVIEW_PAGES = 12
#: Resolution of the preview images (A4 at 96 dpi is about 800 pixels wide).
PREVIEW_DPI = 96
#: Rows of each table shown in the text preview.
SUMMARY_ROWS = 12


@dataclass
class Preview:
    images: list[bytes] = field(default_factory=list)  # PNG pages, first to last
    pages: int = 0  # pages in the whole report (may be more than the images)
    text: str | None = None  # the model as text, when no page images could be made
    disclosure: str = ""  # the small-cell audit's line (app.reports.disclosure), shown above the pages


def save_texts(session, period, texts: dict[str, str] | None) -> None:
    """Keep the officer's free-text parts for the period (None: nothing changed)."""
    for section, text in (texts or {}).items():
        report_core.save_report_text(session, period, section, text)


def missing_cases(session, codes: list[str]) -> tuple[list[str], list[str]]:
    """(ids of the cases with these codes, codes not found or not visible to this person)."""
    from app.errors import NotFound

    ids, missing = [], []
    for code in codes:
        try:
            case = session.cases.find_by_code(code)
        except NotFound:
            case = None
        if case is None:
            missing.append(code)
        else:
            ids.append(case["id"])
    return ids, missing


def step_text(done: int, total: int, what_vi: str) -> str:
    """The core's step in words with its count: "Đang lập bảng: theo nhóm tuổi" -> "Đang lập bảng 3/9: theo nhóm tuổi…"."""
    head, sep, rest = what_vi.partition(": ")
    return f"{head} {done}/{total}{sep}{rest}…"


def report_progress(progress: Progress):
    """The `progress(done, total, what_vi)` function for the core: feeds `progress`, stops once Cancel was pressed."""

    def report(done: int, total: int, what_vi: str) -> None:
        if progress.cancelled:
            raise report_core.Cancelled()
        progress.update(done, total, step_text(done, total, what_vi))

    return report


#: The reports with tables by commune at a province (which may be grouped by new commune).
BY_COMMUNE_KINDS = ("annual", "statistics")


def export_to(session, kind: str, period, targets: dict[str, Path], case_ids: list[str] | None,
              progress: Progress, *, by_new_commune: bool = False) -> tuple[Path, ...]:
    """Write the report to each of `targets` ({format: path}) from one build, step by step; the paths written.

    Cancel stops it with `app.reports.Cancelled`. The core writes every file under a
    temporary name, renames them into place only when all are written, and audits them
    then, so a cancelled save leaves no file (earlier ones stay as they were) and no
    audit entry.
    """
    report = report_progress(progress)
    if progress.cancelled:
        raise report_core.Cancelled()
    progress.update(text="build")
    return tuple(report_core.export_many(session, kind, period, targets, case_ids=case_ids, progress=report,
                                         by_new_commune=by_new_commune))


def page_renderer_available() -> bool:
    """True when PDF pages can be drawn into images here (pypdfium2, a dependency, normally always)."""
    try:
        import pypdfium2  # noqa: F401
        from PIL import Image  # noqa: F401
    except ImportError:
        return False
    return True


def render_preview(session, kind: str, period, case_ids: list[str] | None, progress: Progress, *,
                   lang: str = "vi", by_new_commune: bool = False) -> Preview:
    """The report's first pages as PNG images (PDF kinds), else the model as text.

    Everything happens in memory: the PDF is laid out into bytes, PDFium draws its pages
    into images, and the images are PNG bytes — no temporary PDF or image ever exists on
    disk, so the preview of a case file leaves nothing of its identities behind, even if
    the program is killed halfway. Nothing is audited: a preview is not an export.
    """
    progress.check()
    progress.update(text="build")
    steps = report_core.Steps(report_progress(progress))
    report = report_core.build(session, kind, period, case_ids=case_ids, progress=steps, by_new_commune=by_new_commune)
    progress.check()
    audited = report.disclosure.line(lang) if report.disclosure is not None else ""
    if "pdf" not in report_core.FORMATS[kind] or not page_renderer_available():
        return Preview(text=summary_text(report, lang), disclosure=audited)
    from app.reports.pdf import pdf_bytes

    progress.update(text="render")
    data = pdf_bytes(report, progress=steps)
    progress.check()
    return Preview(images=_pages(data, PREVIEW_PAGES, progress), pages=_page_total(data), disclosure=audited)


def _page_total(data: bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def _pages(data: bytes, limit: int, progress: Progress) -> list[bytes]:
    """The first `limit` pages of the PDF in `data` as PNG bytes, at PREVIEW_DPI, drawn in memory by PDFium."""
    import io

    import pypdfium2

    images = []
    document = pypdfium2.PdfDocument(data)
    try:
        for index in range(min(limit, len(document))):
            progress.check()
            page = document[index]
            try:
                bitmap = page.render(scale=PREVIEW_DPI / 72)
                out = io.BytesIO()
                bitmap.to_pil().save(out, format="PNG")
                images.append(out.getvalue())
            finally:
                page.close()
    finally:
        document.close()
    return images


# --- the model as text (kinds without a PDF, or no page renderer) ---------------------------------------
def summary_text(report, lang: str = "vi") -> str:
    lines = [report.title, report.subject]
    if report.period is not None:
        lines.append(report.period.label(lang))
    lines.append("")
    for key, value in report.info:
        lines.append(f"{key}: {value}")
    if report.info:
        lines.append("")
    _blocks(report.blocks, lines, lang, 0)
    _blocks(report.annexes, lines, lang, 0)  # a province's figures by commune
    for note in report.notes:
        lines.append(f"* {note}")
    return "\n".join(line.rstrip() for line in lines).strip() + "\n"


def _cell(cell, suppress_label: str, lang: str) -> str:
    from app.reports.model import yes_no

    if isinstance(cell, Figure):
        if cell.suppressed:
            return cell.hidden_text(suppress_label)
        return "" if cell.value is None else _number(cell.value)
    if isinstance(cell, bool):
        return yes_no(cell, lang)
    if isinstance(cell, int | float):
        return _number(cell)
    if hasattr(cell, "isoformat"):
        return f"{cell.day:02d}/{cell.month:02d}/{cell.year}"
    return "" if cell is None else str(cell)


def _number(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}".replace(".", ",")
    return f"{int(value):,}".replace(",", ".")


def _blocks(blocks, lines: list[str], lang: str, depth: int) -> None:
    for block in blocks:
        if isinstance(block, Section):
            lines.append(("  " * depth) + block.title)
            _blocks(block.blocks, lines, lang, depth + 1)
            lines.append("")
        elif isinstance(block, Paragraph):
            lines.append(("  " * depth) + block.text)
        elif isinstance(block, Table):
            lines.append(("  " * depth) + "▸ " + block.title(lang))
            lines.append(("  " * depth) + " | ".join(c.label(lang) for c in block.columns))
            rows = list(islice(iter(block.rows), SUMMARY_ROWS + 1))
            for row in rows[:SUMMARY_ROWS]:
                lines.append(("  " * depth) + " | ".join(_cell(c, block.suppress_label, lang) for c in row))
            if len(rows) > SUMMARY_ROWS:
                lines.append(("  " * depth) + "…")
            if block.total:
                lines.append(("  " * depth) + " | ".join(_cell(c, block.suppress_label, lang) for c in block.total))
            if any(f.secondary for f in block.figures()):
                lines.append(("  " * depth) + secondary_note(block.suppress_label, lang))
            lines.append("")
        elif isinstance(block, Chart):
            lines.append(("  " * depth) + "▸ " + block.title(lang))

