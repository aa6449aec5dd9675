"""PDF renderer (reportlab): A4, the layout of Decree 30/2020/NĐ-CP, Tinos embedded.

Lays out a report model and computes nothing. The official layout (Appendix I
of the decree):

* margins: top 20 mm, bottom 20 mm, left 30 mm, right 15 mm;
* top left: the superior body (upright capitals) and the issuing body (bold
  capitals) with a short rule under it, then "Số: …/…";
* top right: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (bold capitals) and
  "Độc lập - Tự do - Hạnh phúc" (bold) with a rule as long as the motto under
  it, then the place-and-date line in italics;
* the type of document in bold capitals, its subject in bold below, a short
  rule under them;
* the body at 13 pt, justified, first lines indented 1 cm;
* bottom left "Nơi nhận:" (bold italic 12 pt) with its list (11 pt); bottom
  right the signature block (bold capitals);
* page numbers at the top centre from the second page on.

The font is Tinos (Times New Roman metrics, every Vietnamese letter), shipped
in `resources/fonts/` and embedded (subset) in every file. All text is
normalised to NFC before it is drawn.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, Line
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Flowable, Frame, KeepTogether, PageBreak, PageTemplate,
                                Paragraph as RLParagraph, Spacer, Table as RLTable, TableStyle)

from app.errors import BinhAnError
from app.paths import resources_dir
from app.reports import fonts
from app.reports.model import (COUNT, DATE, MONEY, MONTH, PERCENT, YESNO, Chart, Figure, OfficialHeader, Paragraph,
                               Report, Section, Table, yes_no)
from app.reports.output import atomic_path
from app.reports.progress import ProgressFn, Steps, block_steps, steps_of
from app.text import printable

# Internal names: one per file, so no two styles can ever share a font object.
FONT_FILES = {
    "BinhAnSerif": "Tinos-Regular.ttf",
    "BinhAnSerif-Bold": "Tinos-Bold.ttf",
    "BinhAnSerif-Italic": "Tinos-Italic.ttf",
    "BinhAnSerif-BoldItalic": "Tinos-BoldItalic.ttf",
}
REGULAR, BOLD, ITALIC, BOLD_ITALIC = FONT_FILES

MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20 * mm, 20 * mm, 30 * mm, 15 * mm
PAGE_W, PAGE_H = A4
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT
LEFT_COL = 70 * mm  # the header's left column (issuing body); the right one takes the rest

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

_registered = False


def register_fonts() -> None:
    """Register the four Tinos files under their own names (once per process)."""
    global _registered
    if _registered:
        return
    folder = resources_dir() / "fonts"
    for name, filename in FONT_FILES.items():
        path = folder / filename
        if not path.exists():
            raise BinhAnError(f"Thiếu tệp phông chữ {path}. Hãy cài lại Bình An.",
                              f"The font file {path} is missing. Reinstall Bình An.")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    fonts.setup(REGULAR)
    _registered = True


def nfc(text) -> str:
    """Text to draw: NFC, Word's line breaks as line breaks, no other control character (`app.text.printable`)."""
    return printable("" if text is None else str(text))


def _x(text) -> str:
    """Text for a reportlab Paragraph: NFC, XML-escaped, line breaks kept, every character drawn
    (what Tinos lacks in a fallback font, `app.reports.fonts`)."""
    return fonts.markup(nfc(text))


def _style(name, *, font=REGULAR, size=13, leading=None, align=TA_JUSTIFY, indent=0, before=0, after=0,
           left=0) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * 1.25, alignment=align,
                          firstLineIndent=indent, spaceBefore=before, spaceAfter=after, leftIndent=left)


class Styles:
    def __init__(self):
        self.superior = _style("superior", size=12, align=TA_CENTER, leading=14)
        self.issuing = _style("issuing", font=BOLD, size=12, align=TA_CENTER, leading=14)
        self.national = _style("national", font=BOLD, size=12, align=TA_CENTER, leading=14)
        self.motto = _style("motto", font=BOLD, size=13, align=TA_CENTER, leading=15)
        self.number = _style("number", size=13, align=TA_CENTER, leading=15)
        self.place_date = _style("place_date", font=ITALIC, size=13, align=TA_CENTER, leading=15)
        self.doc_type = _style("doc_type", font=BOLD, size=14, align=TA_CENTER, leading=17, before=6 * mm)
        self.subject = _style("subject", font=BOLD, size=14, align=TA_CENTER, leading=17)
        self.body = _style("body", indent=10 * mm, after=6, leading=17)
        self.free = _style("free", indent=10 * mm, after=6, leading=17)
        self.note = _style("note", font=ITALIC, size=11, indent=10 * mm, after=4, leading=13.5)
        self.heading1 = _style("heading1", font=BOLD, size=13, indent=10 * mm, before=6, after=6, leading=17,
                               align=TA_LEFT)
        self.heading2 = _style("heading2", font=BOLD, size=13, indent=10 * mm, before=3, after=4, leading=17,
                               align=TA_LEFT)
        self.table_title = _style("table_title", font=BOLD_ITALIC, size=12, before=4, after=3, align=TA_LEFT)
        for heading in (self.heading1, self.heading2):
            heading.keepWithNext = 1
        self.cell = _style("cell", size=11, leading=13, align=TA_LEFT)
        self.cell_num = _style("cell_num", size=11, leading=13, align=TA_RIGHT)
        self.cell_head = _style("cell_head", font=BOLD, size=10, leading=12, align=TA_CENTER)
        self.cell_total = _style("cell_total", font=BOLD, size=11, leading=13, align=TA_LEFT)
        self.cell_total_num = _style("cell_total_num", font=BOLD, size=11, leading=13, align=TA_RIGHT)
        self.recipients_head = _style("recipients_head", font=BOLD_ITALIC, size=12, align=TA_LEFT, leading=14)
        self.recipient = _style("recipient", size=11, align=TA_LEFT, leading=13)
        self.sign = _style("sign", font=BOLD, size=13, align=TA_CENTER, leading=16)
        self.sign_name = _style("sign_name", font=BOLD, size=14, align=TA_CENTER, leading=17)
        self.confidential = _style("confidential", font=BOLD, size=14, align=TA_LEFT, leading=17)


class Rule(Flowable):
    """A centred horizontal rule of a given length (the decree's short lines under names and titles)."""

    def __init__(self, length: float, *, space_before: float = 1.5, space_after: float = 2):
        super().__init__()
        self.length, self.space_before, self.space_after = length, space_before, space_after

    def wrap(self, avail_width, avail_height):
        self.avail = avail_width
        return avail_width, self.space_before + self.space_after + 0.6

    def draw(self):
        x = (self.avail - self.length) / 2
        y = self.space_after
        self.canv.setLineWidth(0.6)
        self.canv.line(x, y, x + self.length, y)


# --- formatting (no arithmetic: values come from the model) -------------------------------------
def _count(value) -> str:
    return f"{int(value):,}".replace(",", ".")


def cell_text(kind: str, cell, suppress_label: str) -> str:
    if isinstance(cell, Figure):
        if cell.suppressed:
            return cell.hidden_text(suppress_label)
        value = cell.value
        if value is None:
            return "—"
        return f"{value:.1f}".replace(".", ",") if kind == PERCENT else _count(value)
    if kind == YESNO:
        return yes_no(cell)
    if cell is None:
        return "—" if kind in (COUNT, MONEY, PERCENT) else ""
    if isinstance(cell, date):
        return f"{cell:%m/%Y}" if kind == MONTH else f"{cell:%d/%m/%Y}"
    if isinstance(cell, float) and kind == PERCENT:
        return f"{cell:.1f}".replace(".", ",")
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return _count(cell)
    return nfc(cell)


def date_line(place: str, on: date) -> str:
    """"Thử Nghiệm, ngày 05 tháng 01 năm 2026": days under 10 and months 1, 2 take a leading zero (decree)."""
    month = f"{on.month:02d}" if on.month < 3 else str(on.month)
    return f"{place}, ngày {on.day:02d} tháng {month} năm {on.year}"


# --- the pieces ------------------------------------------------------------------------------------
def _header_block(report: Report, h: OfficialHeader, st: Styles) -> list:
    left: list[Flowable] = []
    if h.superior_body:
        left.append(RLParagraph(_x(h.superior_body), st.superior))
    left.append(RLParagraph(_x(h.issuing_body), st.issuing))
    longest = max(pdfmetrics.stringWidth(nfc(line), BOLD, 12) for line in h.issuing_body.split("\n"))
    left.append(Rule(min(longest, LEFT_COL) * 0.4, space_before=3.5))
    right = [RLParagraph(_x(NATIONAL_NAME), st.national), RLParagraph(_x(MOTTO), st.motto),
             Rule(pdfmetrics.stringWidth(MOTTO, BOLD, 13), space_before=1.5)]
    number: list[Flowable] = [RLParagraph(_x(h.number), st.number)]
    if report.confidential:
        number.append(Spacer(1, 2 * mm))
        number.append(_confidential_stamp(report.confidential))
    dated = RLParagraph(_x(date_line(h.place, h.on)), st.place_date)
    table = RLTable([[left, right], [number, dated]], colWidths=[LEFT_COL, TEXT_W - LEFT_COL])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 1), (-1, 1), 4),
                               ("FONTNAME", (0, 0), (-1, -1), REGULAR)]))
    return [table]


def _confidential_stamp(text: str) -> RLTable:
    # The mark is a phrase ("HẠN CHẾ TIẾP CẬN – DỮ LIỆU CÁ NHÂN NHẠY CẢM"), not one word: a box as wide as the
    # left column, the phrase on as many lines as it needs.
    stamp = RLTable([[RLParagraph(f'<font name="{BOLD}" size="10" color="#B00000">{_x(text)}</font>',
                                  _style("stamp", align=TA_CENTER, leading=12))]], colWidths=[LEFT_COL * 0.9],
                    hAlign="LEFT")
    stamp.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.2, colors.HexColor("#B00000")),
                               ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                               ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    return stamp


def _title_block(report: Report, st: Styles) -> list:
    out: list[Flowable] = [RLParagraph(_x(report.title), st.doc_type), RLParagraph(_x(report.subject), st.subject)]
    widest = pdfmetrics.stringWidth(nfc(report.subject), BOLD, 14)
    out.append(Rule(min(widest, TEXT_W) / 3, space_before=3, space_after=6 * mm))
    return out


SHORT_TEXT = 10  # characters: a column whose every value is this short ("Đạt", "≥ 80%") never wraps them
LONG_CELL = 600  # characters: a cell this long may be split over two pages
CELL_PAD = 3  # left and right padding of a table cell
#: Cell font sizes tried, largest first, until every column's widest unbreakable value fits the page.
CELL_SIZES = (11, 10, 9, 8, 7)
NUMERIC = {COUNT, MONEY, PERCENT}
UNBREAKABLE = NUMERIC | {MONTH, DATE, YESNO}  # short values that must stay on one line


class _Widths:
    """String widths, memoised: a province table repeats the same few thousand values."""

    def __init__(self):
        self.memo: dict[tuple, float] = {}

    def __call__(self, text: str, font: str, size: float) -> float:
        key = (text, font, size)
        width = self.memo.get(key)
        if width is None:
            width = self.memo[key] = pdfmetrics.stringWidth(text, font, size)
        return width

    def longest_word(self, text: str, font: str, size: float) -> float:
        return max((self(word, font, size) for word in text.split()), default=0.0)


def column_widths(columns: list, texts: list[list[str]], total_row: list[str] | None, *,
                  avail: float = TEXT_W) -> tuple[list[float], int]:
    """(widths in points, cell font size) for a table whose cells print `texts` (and `total_row`, in bold).

    Each column is as wide as the widest value it must hold on one line: a number, a date, a yes/no (the widest
    cell of the column, totals in bold) and the longest word of its header and of its text cells, so no number
    and no word is ever split. Text columns share what is left in proportion to their longest line. When even
    the unbreakable widths do not fit at 11 pt, the table's type gets smaller (down to 7 pt); what is left over
    goes to every column in proportion, so a table always spans the text width.
    """
    register_fonts()
    measure = _Widths()
    kinds = [c.kind for c in columns]
    widths: list[float] = []
    size = CELL_SIZES[-1]
    for size in CELL_SIZES:
        head = size - 1
        fixed: list[float | None] = []
        least: list[float] = []
        longest: list[float] = []
        for i, column in enumerate(columns):
            header = measure.longest_word(nfc(column.label()), BOLD, head) + 2 * CELL_PAD + 1
            values = [row[i] for row in texts]
            body = [measure(v, REGULAR, size) for v in values if v]
            if total_row is not None and total_row[i]:
                body.append(measure(total_row[i], BOLD, size))
            short = all(len(v) <= SHORT_TEXT for v in values) and (total_row is None or
                                                                   len(total_row[i]) <= SHORT_TEXT)
            if kinds[i] in UNBREAKABLE or short or all(_looks_numeric(v) for v in values if v):
                need = max([header] + [w + 2 * CELL_PAD + 1 for w in body])
                fixed.append(need)
                least.append(need)
                # Room to spare goes first to headers that would stand in a tall narrow column: up to a third
                # of the header's one-line width (three lines).
                label = measure(nfc(column.label()), BOLD, head) + 2 * CELL_PAD + 1
                longest.append(max(need, min(label / 3, need * 3)))
            else:
                words = [measure.longest_word(v, REGULAR, size) for v in values if v]
                word = min(max(words, default=0.0) + 2 * CELL_PAD + 1, avail * 0.45)  # a URL may still wrap
                fixed.append(None)
                least.append(max(header, word))
                # A narrative's line may be pages long: it asks for at most 60 % of the width, so the labels
                # beside it still get room for theirs.
                longest.append(max(least[-1], min(max([header] + [w + 2 * CELL_PAD + 1 for w in body]),
                                                   avail * 0.6)))
        if sum(least) <= avail:
            break
    spare = avail - sum(least)
    if spare < 0:  # too many columns even at 7 pt: shrink in proportion (a very wide table; rare)
        return [w * avail / sum(least) for w in least], size
    # Every column grows towards what it would like (a text its longest line, a number room for its header);
    # what is still left goes to the text columns.
    wants = [longest[i] - least[i] for i in range(len(columns))]
    if sum(wants) > 0:
        share = min(1.0, spare / sum(wants))
        widths = [least[i] + wants[i] * share for i in range(len(columns))]
    else:
        widths = list(least)
    spare = avail - sum(widths)
    if spare > 0.01:
        text_cols = [i for i in range(len(columns)) if fixed[i] is None]
        grow = text_cols or list(range(len(columns)))
        base = sum(widths[i] for i in grow)
        for i in grow:
            widths[i] += spare * widths[i] / base
    return widths, size


def _looks_numeric(text: str) -> bool:
    return bool(text) and all(ch.isdigit() or ch in ".,%<>x—-–+ " for ch in text)


def _cell_styles(st: Styles, size: int) -> dict[str, ParagraphStyle]:
    if size == 11:
        return {"cell": st.cell, "num": st.cell_num, "head": st.cell_head, "total": st.cell_total,
                "total_num": st.cell_total_num}
    lead = size + 2
    return {"cell": _style(f"cell{size}", size=size, leading=lead, align=TA_LEFT),
            "num": _style(f"num{size}", size=size, leading=lead, align=TA_RIGHT),
            "head": _style(f"head{size}", font=BOLD, size=size - 1, leading=lead - 1, align=TA_CENTER),
            "total": _style(f"total{size}", font=BOLD, size=size, leading=lead, align=TA_LEFT),
            "total_num": _style(f"total_num{size}", font=BOLD, size=size, leading=lead, align=TA_RIGHT)}


def _table(table: Table, st: Styles, number: int) -> list:
    kinds = [c.kind for c in table.columns]
    texts = [[cell_text(k, cell, table.suppress_label) for k, cell in zip(kinds, line, strict=True)] for line in table.rows]
    total = [cell_text(k, cell, table.suppress_label) for k, cell in zip(kinds, table.total, strict=True)] if table.total else None
    widths, size = column_widths(table.columns, texts, total)
    cs = _cell_styles(st, size)
    right = [k in NUMERIC for k in kinds]
    data = [[RLParagraph(_x(c.label()), cs["head"]) for c in table.columns]]
    rows = list(table.rows)
    for line, printed in zip(rows, texts, strict=True):
        data.append([RLParagraph(_x(text), cs["num"] if right[i] or isinstance(cell, Figure) else cs["cell"])
                     for i, (cell, text) in enumerate(zip(line, printed, strict=True))])
    if total is not None:
        data.append([RLParagraph(_x(text), cs["total_num"] if right[i] or isinstance(cell, Figure) else cs["total"])
                     for i, (cell, text) in enumerate(zip(table.total or [], total, strict=True))])
    # A narrative or note (up to 4 000 characters in a case file) may be taller than a page: its row splits
    # across pages. Other rows never split.
    long_text = any(len(text) > LONG_CELL or text.count("\n") > 15 for printed in texts for text in printed)
    grid = RLTable(data, colWidths=widths, repeatRows=1, splitInRow=1 if long_text else 0)
    style: list[tuple[Any, ...]] = [("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("FONTNAME", (0, 0), (-1, -1), REGULAR),
             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E4E9F0")),
             ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
             ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD), ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD)]
    if table.total:
        style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#F3F5F8")))
    grid.setStyle(TableStyle(style))
    out = [CondPageBreak(40 * mm), RLParagraph(_x(f"Bảng {number}. {table.title()}"), st.table_title), grid]
    if table.note():
        out.append(RLParagraph(_x(table.note()), _style("tnote", font=ITALIC, size=10, before=2, after=6,
                                                        leading=12, align=TA_LEFT)))
    else:
        out.append(Spacer(1, 4))
    return out


def _chart(chart: Chart, st: Styles, number: int) -> list:
    width, height = TEXT_W, 62 * mm
    drawing = Drawing(width, height)
    # Else the renderer starts in Helvetica, which is not embedded (an attribute reportlab reads, not in its stubs).
    drawing.initialFontName = REGULAR  # type: ignore[attr-defined]
    bars = VerticalBarChart()
    # Points are floats; reportlab takes them so, its stubs say int.
    bars.x, bars.y = 14 * mm, 14 * mm  # type: ignore[assignment]
    bars.width, bars.height = width - 60 * mm, height - 22 * mm  # type: ignore[assignment]
    bars.data = [list(s.values) for s in chart.series]  # None: no bar (a hidden small count)
    bars.categoryAxis.categoryNames = [nfc(c) for c in chart.categories]
    bars.categoryAxis.labels.fontName = REGULAR
    bars.categoryAxis.labels.fontSize = 9
    bars.valueAxis.labels.fontName = REGULAR
    bars.valueAxis.labels.fontSize = 9
    bars.valueAxis.valueMin = 0
    values = [v for series in chart.series for v in series.values if v is not None]
    top = max(values + [chart.goal or 0, 1])
    if chart.unit == "%":
        bars.valueAxis.valueMax = max(100, top)
        bars.valueAxis.valueStep = 20
    else:
        step = max(1, int(top / 5) + 1)
        bars.valueAxis.valueMax = step * 6
        bars.valueAxis.valueStep = step
    palette = [colors.HexColor("#2F5D8A"), colors.HexColor("#C9A227"), colors.HexColor("#7A9E7E")]
    for i in range(len(chart.series)):
        bars.bars[i].fillColor = palette[i % len(palette)]
        bars.bars[i].strokeColor = None
    bars.barLabelFormat = (lambda v: "" if v is None else f"{v:.1f}".replace(".", ",")) if chart.unit == "%" else (
        lambda v: "" if v is None else _count(v))
    bars.barLabels.fontName = REGULAR
    bars.barLabels.fontSize = 8
    bars.barLabels.nudge = 6
    drawing.add(bars)
    legend = Legend()
    legend.x, legend.y = width - 42 * mm, height - 16 * mm  # type: ignore[assignment]  # as above
    legend.fontName, legend.fontSize = REGULAR, 9
    legend.colorNamePairs = [(palette[i % len(palette)], nfc(s.label())) for i, s in enumerate(chart.series)]
    drawing.add(legend)
    if chart.goal is not None:
        y = bars.y + bars.height * chart.goal / bars.valueAxis.valueMax
        drawing.add(Line(bars.x, y, bars.x + bars.width, y, strokeColor=colors.red, strokeDashArray=[3, 2]))
    title = RLParagraph(_x(f"Biểu đồ {number}. {chart.title()}"), st.table_title)
    return [CondPageBreak(height + 12 * mm), title, drawing, Spacer(1, 4 * mm)]


def _closing_block(report: Report, st: Styles) -> list:
    left = []
    if report.recipients:
        left.append(RLParagraph("Nơi nhận:", st.recipients_head))
        for n, item in enumerate(report.recipients):
            end = "." if n == len(report.recipients) - 1 else ";"
            left.append(RLParagraph(_x(f"- {item.rstrip(';.')}{end}"), st.recipient))
    right: list[Flowable] = []
    if report.signature is not None:
        s = report.signature
        for line in (s.authority, s.title):
            for part in nfc(line).split("\n"):
                if part.strip():
                    right.append(RLParagraph(_x(part), st.sign))
        right.append(Spacer(1, 24 * mm))
        right.append(RLParagraph(_x(s.name or " "), st.sign_name))
    if not left and not right:
        return []
    table = RLTable([[left or "", right or ""]], colWidths=[TEXT_W * 0.45, TEXT_W * 0.55])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("FONTNAME", (0, 0), (-1, -1), REGULAR)]))
    return [Spacer(1, 4 * mm), table]


def _keep_closing_with_body(story: list, closing: list) -> list:
    """`story` + `closing`, with "Nơi nhận" and the signature kept on one page with at least the body's last
    paragraph (a Decree 30 document never ends on a page holding only its signature).

    The tail of the body back to its last paragraph — with the spacers, a heading or a table's note after it —
    moves with the closing block when the page is full. A body that ends with a table keeps the table's note (or
    its title, for a table without one) with the closing; the table itself splits as usual, its header repeated.
    """
    if not closing:
        return story
    start = len(story)
    for i in range(len(story) - 1, -1, -1):
        item = story[i]
        if isinstance(item, RLParagraph):
            start = i
            break
        if not isinstance(item, (Spacer, CondPageBreak)):
            break
    tail = [item for item in story[start:] if not isinstance(item, CondPageBreak)]
    return story[:start] + [KeepTogether(tail + closing)]


class _Counter:
    def __init__(self):
        self.tables = 0
        self.charts = 0


def _blocks(blocks: list, st: Styles, counter: _Counter) -> list:
    out: list[Flowable] = []
    for block in blocks:
        if isinstance(block, Section):
            style = st.heading1 if block.level <= 1 else st.heading2
            inner = _blocks(block.blocks, st, counter)
            # No heading alone at the foot of a page: room for it and the start of what follows, or a new page.
            # A table or chart asks for room of its own first; that room is asked before the heading instead
            # (asked after it, the heading would stay behind when the table moves on).
            need = 30 * mm
            if inner and isinstance(inner[0], CondPageBreak):
                need = max(need, inner.pop(0).height + 12 * mm)
            out.append(CondPageBreak(need))
            out.append(RLParagraph(_x(block.title), style))  # its style keeps it with what follows
            out.extend(inner)
        elif isinstance(block, Table):
            counter.tables += 1
            out.extend(_table(block, st, counter.tables))
        elif isinstance(block, Chart):
            counter.charts += 1
            out.extend(_chart(block, st, counter.charts))
        elif isinstance(block, Paragraph):
            if block.style == "free":  # the officer's text: each line a paragraph of its own, indented
                out += [RLParagraph(_x(line), st.free) for line in nfc(block.text).split("\n") if line.strip()]
            elif block.text:
                out.append(RLParagraph(_x(block.text), {"note": st.note}.get(block.style, st.body)))
    return out


def pdf_steps(report: Report) -> int:
    """The progress steps `render_pdf` takes for `report`: the header, one a top-level part, the layout."""
    return 2 + sum(1 for _, what in block_steps(report.blocks) + block_steps(report.annexes) if what)


def render_pdf(report: Report, path: Path, *, progress: ProgressFn | Steps | None = None) -> Path:
    """Write `report` as an A4 PDF at `path` (atomically), fonts embedded. Returns the path.

    One progress step for the header, one a top-level section, table or chart, then one
    for laying out the pages and writing the file (see `app.reports.progress`). The pages
    are laid out in memory; the file is written only once they are all done.
    """
    data = pdf_bytes(report, progress=progress)
    path = Path(path)
    with atomic_path(path) as temp:
        temp.write_bytes(data)
    return path


def pdf_bytes(report: Report, *, progress: ProgressFn | Steps | None = None) -> bytes:
    """`report` as the bytes of an A4 PDF, laid out in memory: nothing is written to disk (the preview of a
    case file shows pages of identities, which must never touch the disk in the clear)."""
    steps = steps_of(progress)
    parts = block_steps(report.blocks)
    annexes = block_steps(report.annexes)
    steps.add(pdf_steps(report))
    steps.step("Đang dựng phần đầu văn bản")
    register_fonts()
    st = Styles()
    story = []
    if report.header is not None:
        story += _header_block(report, report.header, st)
    elif report.confidential:
        story.append(_confidential_stamp(report.confidential))
    story += _title_block(report, st)
    if report.header is None and report.kind in ("case_file", "person_file") and report.produced_by:
        story.append(RLParagraph(_x(f"Đơn vị: {report.produced_by}"), st.note))
    counter = _Counter()
    for block, what in parts:
        if what:
            steps.step(what)
        story += _blocks([block], st, counter)
    if report.header is None or not report.recipients:
        for note in report.notes if report.kind in ("case_file", "person_file") else []:
            story.append(RLParagraph(_x(note), st.note))
    story = _keep_closing_with_body(story, _closing_block(report, st))
    for block, what in annexes:  # after the signature, each on its own page
        if what:
            steps.step(what)
        story.append(PageBreak())
        story += _blocks([block], st, counter)

    def on_page(canvas, doc):
        canvas.saveState()
        if doc.page > 1:  # the decree: numbers at the top centre, none on the first page
            canvas.setFont(REGULAR, 13)
            canvas.drawCentredString(PAGE_W / 2, PAGE_H - 12 * mm, str(doc.page))
        if report.confidential:
            canvas.setFont(BOLD, 9)
            canvas.setFillColor(colors.HexColor("#B00000"))
            canvas.drawString(MARGIN_LEFT, 10 * mm, nfc(f"{report.confidential} — Tài liệu có thông tin nhận dạng, "
                                                         "chỉ lưu hành trong đơn vị."))
        canvas.restoreState()

    steps.step("Đang dàn trang và ghi tệp")
    out = io.BytesIO()
    doc = BaseDocTemplate(out, pagesize=A4, leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
                          topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=nfc(report.subject),
                          initialFontName=REGULAR, initialFontSize=13,
                          author=nfc(report.produced_by), creator="Bình An", subject=nfc(report.title))
    frame = Frame(MARGIN_LEFT, MARGIN_BOTTOM, TEXT_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
    doc.build(story)
    return out.getvalue()
