"""Excel renderer (openpyxl, write-only so a 200 000-row sheet never sits whole in memory).

A big sheet (`Table.big`: the data sheet, the register) has a million cells at a
province. openpyxl spends ~30 µs a cell on them (~40 s for one year), so their
rows are written here as SpreadsheetML text instead (`_BigSheet`): each distinct
value of a column is turned into its cell text once and reused, strings are inline
(as openpyxl writes them), and the rows are put into the sheet's part
of the file openpyxl wrote. What a reader sees is the same as before: numbers as
numbers, months as dates formatted "mm/yyyy", labels as text.

Lays out a report model and computes nothing: numbers are written as numbers
(never as text), suppressed figures as `Figure.hidden_text` (the profile's
label, or "x"), yes/no as "Có" / "Không" / "Không rõ" (never blank). Each table is one sheet with its title on
row 1, its header on row 2, both frozen with the first column; widths suit
Vietnamese labels; every sheet is set up to print on A4 with its header
repeated and page numbers in the footer.

A report written as a document (the annual report: sections, sentences, charts)
keeps all of it: a "Noi dung" sheet after the cover holds its headings and
sentences in order, each table or chart named by its sheet, then the recipients
and the signature; each chart is a small sheet of its numbers (a hidden value
as the profile's label, as in the tables).
"""

from __future__ import annotations

import math
import re
import shutil
import tempfile
import zipfile
from copy import copy
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO, cast
from xml.sax.saxutils import escape

from openpyxl import Workbook
from reportlab.pdfbase import pdfmetrics
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.styles.named_styles import NamedStyleList
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.styles.cell_style import StyleArray
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.worksheet import Worksheet

from app.reports.model import (COUNT, DATE, MONEY, MONTH, PERCENT, PRIMARY, TEXT, YESNO, Chart, Column, Figure,
                               Paragraph, Report, Section, Table, yes_no)
from app.reports.output import atomic_path
from app.reports.progress import ProgressFn, Steps, _lower_first, steps_of
from app.text import printable

FONT = "Times New Roman"
WIDTHS = {"text": 28, COUNT: 12, PERCENT: 11, MONEY: 16, YESNO: 11, MONTH: 11, DATE: 12}
FORMATS = {COUNT: "#,##0", MONEY: "#,##0", PERCENT: "0.0", MONTH: "mm/yyyy", DATE: "dd/mm/yyyy"}
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")

_thin = Side(style="thin", color="808080")
_border = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_title_font = Font(name=FONT, size=13, bold=True)
_header_font = Font(name=FONT, size=11, bold=True)
_body_font = Font(name=FONT, size=11)
_total_font = Font(name=FONT, size=11, bold=True)
_note_font = Font(name=FONT, size=10, italic=True)
_header_fill = PatternFill("solid", fgColor="DDE4EE")
_wrap = Alignment(wrap_text=True, vertical="top")
_center = Alignment(horizontal="center", vertical="center", wrap_text=True)
_right = Alignment(horizontal="right", vertical="top")


def _nfc(value):
    """A text as a cell may hold it: NFC, no control character but line breaks and tabs (`app.text.printable`)."""
    return printable(value) if isinstance(value, str) else value


FORMULA_START = ("=", "+", "-", "@")


def looks_like_formula(value) -> bool:
    """Text a spreadsheet would take for a formula if it were typed (or re-entered): stored as text, and marked
    with the quote prefix (Excel's leading apostrophe) so editing the cell keeps it text."""
    return isinstance(value, str) and value.lstrip().startswith(FORMULA_START)


def _sheet_name(key: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub(" ", key).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" {n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _print_setup(ws, columns: int, title_rows: str | None) -> None:
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if columns > 6 else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "Trang &P / &N"
    ws.oddFooter.center.size = 9


class _Cells:
    """Makes cells for one sheet; styled cells for small tables, plain values for big ones where possible."""

    def __init__(self, ws, table: Table, lang: str):
        self.ws, self.table, self.lang = ws, table, lang
        self.kinds = [c.kind for c in table.columns]
        self._styles: dict[tuple, StyleArray] = {}

    def styled(self, value, *, font=_body_font, alignment=None, number_format=None, border=True):
        value = _nfc(value)
        cell = WriteOnlyCell(self.ws, value=value)
        quoted = looks_like_formula(value)
        if quoted:
            cell.data_type = "s"  # openpyxl takes a text beginning with "=" for a formula: it is text here
        # Setting a style looks it up in the workbook's lists by hashing it (some 30 µs a cell); the few
        # combinations a sheet uses are looked up once and their indexes copied to the next cells.
        key = (id(font), id(alignment), number_format, border, quoted)
        known = self._styles.get(key)
        if known is not None:
            cell._style = copy(known)  # type: ignore[attr-defined]  # openpyxl's private style array, on purpose
            return cell
        if quoted:
            cell.quotePrefix = True
        cell.font = font
        if alignment is not None:
            cell.alignment = alignment
        if number_format:
            cell.number_format = number_format
        if border:
            cell.border = _border
        self._styles[key] = copy(cell._style)  # type: ignore[attr-defined]  # as above
        return cell

    def value(self, kind: str, cell):
        """The value to write: a number, a label for a hidden number, a yes/no word, a date or text."""
        if isinstance(cell, Figure):
            if cell.suppressed:
                return cell.hidden_text(self.table.suppress_label)
            return cell.value if cell.value is not None else "—"
        if kind == YESNO:
            return yes_no(cell, self.lang)
        if cell is None:
            return "" if kind not in (COUNT, MONEY, PERCENT) else "—"
        return cell

    def row(self, cells: list, *, total: bool = False) -> list:
        out = []
        for kind, cell in zip(self.kinds, cells, strict=True):
            value = self.value(kind, cell)
            numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
            fmt = FORMATS.get(kind) if (numeric or isinstance(value, date)) else None
            right = numeric or kind in (COUNT, MONEY, PERCENT) or not isinstance(value, str)
            out.append(self.styled(value, font=_total_font if total else _body_font,
                                   alignment=_right if right else _wrap, number_format=fmt))
        return out



class _BigSheet:
    """A big table's rows as SpreadsheetML `<row>` text, in a temporary file until the workbook is saved.

    Cells are what `_Cells.value` gives, written without styles (as openpyxl wrote them
    before), except dates (their number format). Each column remembers the cell text of
    every value it has met, so a label repeated 30 000 times is encoded once.
    """

    def __init__(self, ws, table: Table, lang: str, first_row: int):
        self.ws, self.table, self.cells = ws, table, _Cells(ws, table, lang)
        self.letters = [get_column_letter(i) for i in range(1, len(table.columns) + 1)]
        self.next_row = first_row
        self.file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="", buffering=1 << 20)
        self.date_style = {}
        for kind in {c.kind for c in table.columns} | {DATE}:
            probe = WriteOnlyCell(ws, value=datetime(2000, 1, 1))  # only registers the style: any date will do
            probe.number_format = FORMATS.get(kind, "dd/mm/yyyy")
            self.date_style[kind] = probe.style_id  # registers the style with the workbook
        probe = WriteOnlyCell(ws, value="=")
        probe.data_type = "s"
        probe.quotePrefix = True
        self.quote_style = probe.style_id

    def _string(self, text: str, style: str = "") -> str:
        """An inline string, as openpyxl writes them (it keeps no shared-string table); always text, never a
        formula, and one that looks like a formula carries the quote prefix."""
        text = ILLEGAL_CHARACTERS_RE.sub("", printable(text))
        if not style and looks_like_formula(text):
            style = f' s="{self.quote_style}"'
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f'{style} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'

    def encode(self, kind: str, raw) -> str:
        """The text after `<c r="A1"` for one cell: '' when nothing is written."""
        value = self.cells.value(kind, raw)
        if value is None or value == "":
            return ""
        if isinstance(value, bool):
            return f' t="b"><v>{int(value)}</v></c>'
        if isinstance(value, (int, float)):
            return f"><v>{value!r}</v></c>"
        if isinstance(value, (date, datetime)):
            return f' s="{self.date_style[kind]}"><v>{to_excel(value)}</v></c>'
        return self._string(str(value))

    def write(self, rows) -> None:
        letters = self.letters
        memos = [_Memo(self, c.kind) for c in self.table.columns]
        out, n = self.file.write, self.next_row
        for line in rows:
            try:
                texts = [memo[raw] for memo, raw in zip(memos, line, strict=True)]
            except TypeError:  # an unhashable cell (a Figure): encoded each time
                texts = [memo.encode(raw) for memo, raw in zip(memos, line, strict=True)]
            out(f'<row r="{n}">' + "".join([f'<c r="{letter}{n}"{text}' for letter, text in zip(letters, texts, strict=True)
                                            if text]) + "</row>")
            n += 1
        self.next_row = n

    def note(self, text: str) -> None:
        style = f' s="{self.cells.styled(text, font=_note_font, border=False).style_id}"'
        n = self.next_row + 1  # one blank row before it
        self.file.write(f'<row r="{n}"><c r="A{n}"{self._string(text, style)}</row>')
        self.next_row = n + 1

    def close(self) -> None:
        self.file.close()


class _Memo(dict):
    """One column's cell text for each value met so far (`_BigSheet.encode`, computed once a value)."""

    def __init__(self, sheet: _BigSheet, kind: str):
        super().__init__()
        self.sheet, self.kind = sheet, kind

    def encode(self, raw) -> str:
        return self.sheet.encode(self.kind, raw)

    def __missing__(self, raw) -> str:
        text = self[raw] = self.sheet.encode(self.kind, raw)
        return text


# The order Office (and the Open XML SDK's validator) expect for a font's properties; openpyxl writes the name first.
_FONT_ORDER = ["b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign", "sz", "color", "name",
               "family", "charset", "scheme"]
_FONT = re.compile(rb"<font>(.*?)</font>", re.DOTALL)
_FONT_CHILD = re.compile(rb"<(\w+)\b[^>]*/>")


def _ordered_fonts(styles: bytes) -> bytes:
    """styles.xml with each <font>'s children in the schema's order (they are all empty elements)."""
    rank = {name.encode(): i for i, name in enumerate(_FONT_ORDER)}

    def reorder(match: re.Match) -> bytes:
        children = list(_FONT_CHILD.finditer(match.group(1)))
        if b"".join(child.group(0) for child in children) != match.group(1).strip():
            return match.group(0)  # something we do not know: leave it as written
        children.sort(key=lambda child: rank.get(child.group(1), len(rank)))
        return b"<font>" + b"".join(child.group(0) for child in children) + b"</font>"

    return _FONT.sub(reorder, styles)


def _put_big_rows(path: Path, bigs: list[_BigSheet]) -> None:
    """Put each big sheet's rows into its part of the saved workbook at `path` (rewritten in place); put the fonts'
    properties in the schema's order on the way."""
    by_part = {big.ws.path.lstrip("/"): big for big in bigs}
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".rows", dir=path.parent)
    temp = Path(name)
    try:
        with open(fd, "wb") as raw, zipfile.ZipFile(path) as source, \
                zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
            for info in source.infolist():
                data = source.read(info)
                big = by_part.get(info.filename)
                if info.filename == "xl/styles.xml":
                    data = _ordered_fonts(data)
                if big is None:
                    target.writestr(info, data, compresslevel=1)
                    continue
                head, end, tail = data.partition(b"</sheetData>")
                if not end:
                    raise ValueError(f"{info.filename}: no </sheetData>")
                # A ZipInfo of our own is stored uncompressed unless told: the data sheet would make a 70 MB file.
                member = zipfile.ZipInfo(info.filename, info.date_time)
                member.compress_type = zipfile.ZIP_DEFLATED
                # The level's name in 3.11 and 3.12 (3.13 keeps it as an alias); private, so not in the stubs.
                member._compresslevel = 1  # type: ignore[attr-defined]
                with target.open(member, "w", force_zip64=True) as part:
                    part.write(head)
                    big.file.flush()
                    buffer = cast(BinaryIO, big.file.buffer)  # a text temporary file's binary layer
                    buffer.seek(0)
                    shutil.copyfileobj(buffer, part, 1 << 20)
                    part.write(end)
                    part.write(tail)
        temp.replace(path)  # after the archive is closed (its directory is written on closing)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _table_sheet(wb: Workbook, table: Table, name: str, lang: str) -> _BigSheet | None:
    ws = wb.create_sheet(name)
    widths = [c.width or WIDTHS.get(c.kind, 14) for c in table.columns]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "B3"
    last = get_column_letter(len(table.columns))
    _print_setup(ws, len(table.columns), "1:2")
    if table.big:
        ws.auto_filter.ref = f"A2:{last}2"
    cells = _Cells(ws, table, lang)
    ws.append([cells.styled(table.title(lang), font=_title_font, border=False)])
    height = _row_height([(_nfc(c.label(lang)), width - 1, _header_font) for c, width in zip(table.columns, widths, strict=True)])
    if height:  # a header wrapped in a narrow column: the row grows to show it whole
        ws.row_dimensions[2].height = height
    ws.append([cells.styled(c.label(lang), font=_header_font, alignment=_center) for c in table.columns])
    if table.big:
        big = _BigSheet(ws, table, lang, first_row=3)
        try:
            big.write(table.rows)
            if table.note(lang):
                big.note(table.note(lang))
        except BaseException:
            big.close()
            raise
        return big
    for line in table.rows:
        ws.append(cells.row(line))
    if table.total:
        ws.append(cells.row(table.total, total=True))
    if table.note(lang):
        ws.append([])
        ws.append([cells.styled(table.note(lang), font=_note_font, border=False)])
    return None


def _cover_sheet(wb: Workbook, report: Report, lang: str, listing: list[tuple[str, str]]) -> None:
    """Header, title, key facts and notes; then each sheet that follows, by name and title."""
    ws = wb.create_sheet("Thong tin" if lang != "en" else "About")
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = COVER_WIDTHS
    _print_setup(ws, 2, None)
    make = _Cells(ws, Table("", "", "", [], []), lang)
    if report.confidential:  # "MẬT", "HẠN CHẾ TIẾP CẬN": first, before anything else on the cover
        ws.append([make.styled(report.confidential, font=_title_font, border=False)])
    header = report.header
    if header is not None:
        for line in (header.superior_body, header.issuing_body):
            if line:
                ws.append([make.styled(line, font=_header_font, border=False)])
    ws.append([make.styled(report.title, font=_title_font, border=False)])
    ws.append([make.styled(report.subject, font=_title_font, border=False)])
    ws.append([])
    row = len([line for line in (header.superior_body, header.issuing_body) if line]) + 3 if header else 3
    a, b = COVER_WIDTHS
    for key, value in report.info:
        row += 1
        height = _row_height([(_nfc(key), a, _header_font), (_nfc(str(value)), b, _body_font)])
        if height:
            ws.row_dimensions[row].height = height
        ws.append([make.styled(key, font=_header_font, alignment=_wrap), make.styled(value, alignment=_wrap)])
    ws.append([])
    row += 1
    for n, note in enumerate(report.notes):  # in the wide column, wrapped: a long note prints whole
        row += 1
        height = _row_height([(_nfc(note), b, _note_font)])
        if height:
            ws.row_dimensions[row].height = height
        ws.append([make.styled("Ghi chú" if lang != "en" else "Notes", font=_header_font, border=False)
                   if n == 0 else None, make.styled(note, font=_note_font, alignment=_wrap, border=False)])
    ws.append([])
    ws.append([make.styled("Các bảng" if lang != "en" else "Tables", font=_header_font, border=False)])
    for name, title in listing:
        ws.append([make.styled(name, border=False), make.styled(title, border=False)])


def _sheets(report: Report) -> list[tuple[Table | Chart, Table]]:
    """What gets a sheet of its own, in the report's order: each table, and each chart as a table of its numbers."""
    out: list[tuple[Table | Chart, Table]] = []
    charts = 0
    for block in report.walk((Table, Chart)):
        if isinstance(block, Chart):
            charts += 1
            out.append((block, chart_table(block, charts)))
        else:
            out.append((block, block))
    return out


def chart_table(chart: Chart, n: int) -> Table:
    """A chart's numbers as a table (a hidden value as the chart's label): its sheet here, its table in Word."""
    kind = PERCENT if chart.unit == "%" else COUNT
    columns = [Column("category", "Mục", "Item", TEXT, 24)]
    columns += [Column(f"series{i}", s.vi, s.en, kind, 14) for i, s in enumerate(chart.series)]
    rows = []
    for i, category in enumerate(chart.categories):
        row: list = [category]
        for series in chart.series:
            hidden = i < len(series.suppressed) and series.suppressed[i]
            # A hidden point reads as its table cell would: the label for a small count, else "x" (`Series.reasons`).
            reason = (series.reasons[i] if i < len(series.reasons) else PRIMARY) if hidden else ""
            row.append(Figure(series.values[i] if i < len(series.values) else None, suppressed=hidden,
                              reason=reason))
        rows.append(row)
    return Table(key=f"Bieu do {n}", title_vi=chart.title_vi, title_en=chart.title_en, columns=columns, rows=rows,
                 suppress_label=chart.suppress_label,
                 note_vi="Số liệu của biểu đồ cùng tên trong báo cáo.",
                 note_en="The numbers of the chart of the same name in the report.")


def _has_text(report: Report) -> bool:
    return any(isinstance(block, Section) for block in report.blocks + report.annexes)


#: The text sheets' widths, in characters of the workbook's default font (Calibri 11: 7 pixels a character), so
#: that they fit the width of a portrait A4 page between 0.5-inch margins (~100 characters) without shrinking.
CONTENTS_WIDTH = 95
COVER_WIDTHS = (28, 66)


def _points(width_chars: float) -> float:
    """The usable width of a column `width_chars` wide, in points (Excel: 7 px a character plus 5 px)."""
    return (width_chars * 7 + 5) * 0.75 - 5


def _row_height(cells: list[tuple[str, float, Font]]) -> float | None:
    """The height a row needs so wrapped text shows whole: [(text, column width in characters, font)].

    Spreadsheet programs do not grow a row to fit wrapped text written by another program (LibreOffice laid
    the lines of the "Noi dung" sheet over each other), so it is measured here with Times's metrics (Tinos).
    None: one line is enough.
    """
    from app.reports.pdf import BOLD, BOLD_ITALIC, ITALIC, REGULAR, register_fonts

    register_fonts()
    lines_needed = 1
    size = 11.0
    for text, width, font in cells:
        if not text:
            continue
        face = {(False, False): REGULAR, (True, False): BOLD, (False, True): ITALIC, (True, True): BOLD_ITALIC}[
            (bool(font.b), bool(font.i))]
        size = max(size, float(font.sz or 11))
        avail = _points(width)
        lines = 0
        for part in str(text).split("\n"):
            measured = pdfmetrics.stringWidth(part, face, float(font.sz or 11)) * 1.06  # word wrap leaves gaps
            lines += max(1, math.ceil(measured / avail))
        lines_needed = max(lines_needed, lines)
    return None if lines_needed == 1 else round(lines_needed * size * 1.32 + 2, 1)


def _contents_sheet(wb: Workbook, report: Report, names: dict[int, str], lang: str) -> None:
    """The report's headings and sentences in order; tables and charts by the name of their sheet.

    One column as wide as a portrait A4 page, text wrapped in it, each row as tall as its lines, printed portrait
    with its print area set, so it prints as it reads on screen.
    """
    ws = wb.create_sheet("Noi dung" if lang != "en" else "Contents")
    ws.column_dimensions["A"].width = CONTENTS_WIDTH
    _print_setup(ws, 1, None)
    ws.page_setup.orientation = "portrait"
    make = _Cells(ws, Table("", "", "", [], []), lang)
    sheet_word = "trang tính" if lang != "en" else "sheet"
    rows = [0]

    def line(text: str, font=_body_font) -> None:
        text = _nfc(text)
        rows[0] += 1
        height = _row_height([(text, CONTENTS_WIDTH, font)])
        if height:
            ws.row_dimensions[rows[0]].height = height
        ws.append([make.styled(text, font=font, alignment=_wrap, border=False)])

    def blank() -> None:
        rows[0] += 1
        ws.append([])

    def blocks(items: list) -> None:
        for block in items:
            if isinstance(block, Section):
                blank()
                line(block.title, _header_font)
                blocks(block.blocks)
            elif isinstance(block, Paragraph):
                if block.text:
                    line(block.text, _note_font if block.style == "note" else _body_font)
            elif isinstance(block, (Table, Chart)):
                line(f"→ {block.title(lang)} ({sheet_word} «{names[id(block)]}»)", _note_font)

    line(report.title, _title_font)
    line(report.subject, _title_font)
    blocks(report.blocks)
    if report.recipients:
        blank()
        line("Nơi nhận:" if lang != "en" else "Recipients:", _header_font)
        for recipient in report.recipients:
            line(f"- {recipient}")
    if report.signature is not None:
        blank()
        for text in (report.signature.authority, report.signature.title, report.signature.name):
            if text:
                line(text, _header_font)
    blocks(report.annexes)
    ws.print_area = f"A1:A{max(rows[0], 1)}"


def _times_by_default(wb: Workbook) -> None:
    """Make Times New Roman 11 the workbook's default font (its "Normal" style).

    Column widths are counted in the default font's digits. With Calibri, a reader without it (LibreOffice on
    Linux) measures them in a wider substitute and the sheets run off the page; Times New Roman (or Tinos, its
    metric twin, where it is missing) has the same 7-pixel digit everywhere, and is the font of every cell anyway.
    """
    default = Font(name=FONT, size=11, family=1)
    # openpyxl's private lists (no public way to replace the default font), so not in the stubs.
    wb._fonts = IndexedList([default])  # type: ignore[attr-defined]
    wb._named_styles = NamedStyleList()  # type: ignore[attr-defined]
    wb.add_named_style(NamedStyle(name="Normal", font=copy(default), builtinId=0))


def _discard(wb: Workbook) -> None:
    """Close the sheets of a workbook that will not be saved (a cancelled build): their temporary files go."""
    for ws in wb.worksheets:
        try:
            ws.close()
        except Exception:  # noqa: BLE001, S110 - a half-written sheet may refuse; its file goes below anyway
            pass
        writer = getattr(ws, "_writer", None)
        if writer is not None:
            try:
                writer.cleanup()  # openpyxl's own temporary file for the sheet
            except (OSError, ValueError):
                pass


def xlsx_steps(report: Report) -> int:
    """The progress steps `render_xlsx` takes for `report`: the cover, one a sheet, writing the file."""
    return len(_sheets(report)) + 2


def render_xlsx(report: Report, path: Path, *, lang: str = "vi", progress: ProgressFn | Steps | None = None) -> Path:
    """Write `report` as an .xlsx workbook at `path` (atomically). Returns the path.

    One progress step a sheet, then one for writing the file (see `app.reports.progress`).
    """
    path = Path(path)
    steps = steps_of(progress)
    sheets = _sheets(report)
    steps.add(xlsx_steps(report))
    steps.step("Đang lập trang bìa")
    wb = Workbook(write_only=True)
    _times_by_default(wb)
    bigs: list[_BigSheet] = []
    try:
        try:
            used = {"thong tin", "about", "noi dung", "contents"}
            names = [_sheet_name(table.key, used) for _, table in sheets]
            text = _has_text(report)
            listing = [("Noi dung", "Nội dung báo cáo") if lang != "en" else ("Contents", "The report's text")] \
                if text else []
            listing += [(name, table.title(lang)) for (_, table), name in zip(sheets, names, strict=True)]
            _cover_sheet(wb, report, lang, listing)
            if text:
                _contents_sheet(wb, report, {id(block): name for (block, _), name in zip(sheets, names, strict=True)}, lang)
            for (_, table), name in zip(sheets, names, strict=True):
                steps.step(f"Đang lập bảng: {_lower_first(table.title('vi'))}")
                big = _table_sheet(wb, table, name, lang)
                if big is not None:
                    bigs.append(big)
            steps.step("Đang ghi tệp")
        except BaseException:
            _discard(wb)
            raise
        with atomic_path(path) as temp:
            wb.save(temp)
            _put_big_rows(temp, bigs)
    finally:
        for big in bigs:
            big.close()
    return path
