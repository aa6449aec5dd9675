"""Word renderer (python-docx): the same layout as the PDF, for officials who edit before signing.

Lays out a report model and computes nothing. A4 with the decree's margins,
Times New Roman 13–14 pt (Word has it; the PDF embeds Tinos, its metric twin),
the header block as a borderless two-column table, page numbers at the top
centre from the second page on (a PAGE field, so they stay right after edits).
Tables take the PDF's column widths and type size (`app.reports.pdf.column_widths`),
their grid and cells agree (LibreOffice lays out by the grid, Word by the cells),
and their header row repeats on every page. A chart is a picture drawn in memory
(`app.reports.chart_image`) followed by the table of its numbers.
"""

from __future__ import annotations

import copy
import io

from pathlib import Path

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from app.reports.model import COUNT, MONEY, PERCENT, Chart, Figure, OfficialHeader, Paragraph, Report, Section, Table
from app.reports.output import atomic_path
from app.reports.progress import ProgressFn, Steps, block_steps, steps_of
from app.reports.pdf import CELL_PAD, LEFT_COL, LONG_CELL, MOTTO, NATIONAL_NAME, TEXT_W, cell_text, column_widths, date_line
from app.text import printable

FONT = "Times New Roman"
CM = 72 / 2.54  # points in a centimetre


def _nfc(text) -> str:
    """Text as a Word file may hold it: NFC, no control character but line breaks and tabs (an XML 1.0 document
    cannot hold the others: python-docx refuses them)."""
    return printable("" if text is None else str(text))


_RUN_PROPERTIES: dict[tuple, object] = {}


def _font(run, *, size=13, bold=False, italic=False, underline=False, color=None) -> None:
    """Set a new run's font; the properties are built once for each look and copied after that (a province's
    annex has thousands of cells)."""
    key = (size, bold, italic, underline, color)
    made = _RUN_PROPERTIES.get(key)
    if made is not None and run._element.rPr is None:
        run._element.insert(0, copy.deepcopy(made))
        return
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.underline = underline
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    if made is None:
        _RUN_PROPERTIES[key] = copy.deepcopy(run._element.rPr)


def _para(container, text="", *, size=13, bold=False, italic=False, align=None, indent=None, before=0, after=0,
          underline=False, color=None):
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if indent is not None:
        fmt.first_line_indent = indent
    if align is not None:
        p.alignment = align
    lines = _nfc(text).split("\n")
    for n, line in enumerate(lines):
        run = p.add_run(line)
        _font(run, size=size, bold=bold, italic=italic, underline=underline, color=color)
        if n < len(lines) - 1:
            run.add_break()
    return p


_PPR_AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                     "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                     "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                     "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                     "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _short_rule(paragraph, width_cm: float, column_cm: float) -> None:
    """A bottom border on an empty paragraph, indented so it is `width_cm` long and centred."""
    side = max(0.0, (column_cm - width_cm) / 2)
    paragraph.paragraph_format.left_indent = Cm(side)
    paragraph.paragraph_format.right_indent = Cm(side)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    # In its place in w:pPr (after w:numPr, before w:shd…w:jc): a validator and Word insist on the order.
    ppr.insert_element_before(borders, *_PPR_AFTER_BORDER)
    for run in paragraph.runs:
        run.font.size = Pt(2)


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _twips(points: float) -> int:
    return int(round(points * 20))


def _set_grid(table, widths_pt: list[float], *, margin_pt: float | None = None) -> None:
    """Make the table's grid, its width and (by `_cell_width`) its cells agree, with a fixed layout.

    python-docx writes an even grid whatever the cells' widths; LibreOffice lays a table out by its grid, Word by
    its cells, so the two disagreed and the national name wrapped in one and not the other.
    """
    tbl_pr = table._tbl.tblPr
    table.autofit = False  # w:tblLayout fixed
    for tag in ("w:tblW", "w:tblInd", "w:tblCellMar"):
        for old in tbl_pr.findall(qn(tag)):
            tbl_pr.remove(old)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(sum(_twips(w) for w in widths_pt)))
    width.set(qn("w:type"), "dxa")
    tbl_pr.append(width)
    if margin_pt is not None:
        margins = OxmlElement("w:tblCellMar")
        for side, value in (("top", 0), ("left", margin_pt), ("bottom", 0), ("right", margin_pt)):
            element = OxmlElement(f"w:{side}")
            element.set(qn("w:w"), str(_twips(value)))
            element.set(qn("w:type"), "dxa")
            margins.append(element)
        tbl_pr.append(margins)
    grid = table._tbl.tblGrid
    for column, w in zip(grid.findall(qn("w:gridCol")), widths_pt, strict=True):
        column.set(qn("w:w"), str(_twips(w)))
    _sort_tbl_pr(tbl_pr)


# The order ECMA-376 gives the children of w:tblPr (a validator and Word insist on it).
_TBL_PR_ORDER = ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
                 "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
                 "tblCaption", "tblDescription"]


def _sort_tbl_pr(tbl_pr) -> None:
    children = list(tbl_pr)
    rank = {qn(f"w:{name}"): i for i, name in enumerate(_TBL_PR_ORDER)}
    children.sort(key=lambda child: rank.get(child.tag, len(rank)))
    for child in children:
        tbl_pr.remove(child)
        tbl_pr.append(child)


def _cell_width(cell, width_pt: float) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    tc_w = tc_pr.find(qn("w:tcW"))
    if tc_w is None:
        tc_w = OxmlElement("w:tcW")
        tc_pr.insert(0, tc_w)
    tc_w.set(qn("w:w"), str(_twips(width_pt)))
    tc_w.set(qn("w:type"), "dxa")


def _row_flags(row, *, header: bool = False, cant_split: bool = True) -> None:
    """A header row repeats at the top of every page; a data row is never split across two pages."""
    tr_pr = row._tr.get_or_add_trPr()
    if cant_split:
        tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _page_number_header(section) -> None:
    section.different_first_page_header_footer = True  # the decree: no number on the first page
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    _font(run, size=13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _header(doc, report: Report, h: OfficialHeader) -> None:
    table = doc.add_table(rows=2, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left_cm, right_cm = LEFT_COL / CM, (TEXT_W - LEFT_COL) / CM  # the PDF's columns, no cell margins
    _set_grid(table, [LEFT_COL, TEXT_W - LEFT_COL], margin_pt=0)
    for row in table.rows:
        _cell_width(row.cells[0], LEFT_COL)
        _cell_width(row.cells[1], TEXT_W - LEFT_COL)
    left, right = table.cell(0, 0), table.cell(0, 1)
    left.paragraphs[0].text = ""
    first = left.paragraphs[0]
    if h.superior_body:
        run = first.add_run(_nfc(h.superior_body))
        _font(run, size=12)
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _para(left, h.issuing_body, size=12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    else:
        for n, line in enumerate(_nfc(h.issuing_body).split("\n")):
            run = first.add_run(line)
            _font(run, size=12, bold=True)
            if n < len(h.issuing_body.split("\n")) - 1:
                run.add_break()
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _short_rule(_para(left, "", size=2), 2.5, left_cm)
    p = right.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run(NATIONAL_NAME), size=12, bold=True)
    _para(right, MOTTO, size=13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _short_rule(_para(right, "", size=2), 5.6, right_cm)
    number = table.cell(1, 0).paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(number.add_run(_nfc(h.number)), size=13)
    if report.confidential:
        _para(table.cell(1, 0), report.confidential, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
              color="B00000")
    dated = table.cell(1, 1).paragraphs[0]
    dated.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(dated.add_run(_nfc(date_line(h.place, h.on))), size=13, italic=True)


def _table(doc, table: Table, caption: str) -> None:
    """A data table with the PDF's column widths and type size (Times New Roman has Tinos's metrics), its header
    row repeated on every page, no row split across two pages (but a very long text)."""
    _para(doc, caption, size=12, bold=True, italic=True, before=4, after=3).paragraph_format.keep_with_next = True
    kinds = [c.kind for c in table.columns]
    rows = list(table.rows)
    texts = [[cell_text(k, cell, table.suppress_label) for k, cell in zip(kinds, line, strict=True)] for line in rows]
    total = [cell_text(k, cell, table.suppress_label) for k, cell in zip(kinds, table.total, strict=True)] if table.total else None
    widths, size = column_widths(table.columns, texts, total)
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_grid(grid, widths, margin_pt=CELL_PAD)
    head = grid.rows[0]
    _row_flags(head, header=True)
    for cell, column, width in zip(head.cells, table.columns, widths, strict=True):
        _cell_width(cell, width)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(cell.paragraphs[0].add_run(_nfc(column.label())), size=size - 1, bold=True)
    numeric = [k in (COUNT, MONEY, PERCENT) for k in kinds]
    lines = list(zip(rows, texts, strict=True)) + ([(table.total or [], total)] if total is not None else [])
    for i, (line, printed) in enumerate(lines, start=1):
        is_total = total is not None and i == len(lines)
        row = grid.add_row()
        _row_flags(row, cant_split=not any(len(t) > LONG_CELL or t.count("\n") > 15 for t in printed))
        # add_row().cells once a row: python-docx's cell(i, j) walks the whole table every call.
        for cell, right, value, text, width in zip(row.cells, numeric, line, printed, widths, strict=True):
            _cell_width(cell, width)
            p = cell.paragraphs[0]
            if right or isinstance(value, Figure):
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            lines_in = _nfc(text).split("\n")
            for n, part in enumerate(lines_in):
                run = p.add_run(part)
                _font(run, size=size, bold=is_total)
                if n < len(lines_in) - 1:
                    run.add_break()
    if table.note():
        _para(doc, table.note(), size=10, italic=True, after=6)


def _chart(doc, chart: Chart, number: int) -> None:
    """The chart as a picture (drawn in memory) and, under it, the table of its numbers: Word gets both, as the
    Excel file has the numbers and the PDF the drawing."""
    from app.reports.chart_image import HEIGHT_CM, WIDTH_CM, chart_png
    from app.reports.xlsx import chart_table

    _para(doc, f"Biểu đồ {number}. {chart.title()}", size=12, bold=True, italic=True, before=4, after=3).\
        paragraph_format.keep_with_next = True
    picture = doc.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True
    picture.add_run().add_picture(io.BytesIO(chart_png(chart)), width=Cm(WIDTH_CM), height=Cm(HEIGHT_CM))
    numbers = chart_table(chart, number)
    numbers.note_vi = numbers.note_en = ""  # the Excel sheet's pointer back to the chart: the chart is just above
    _table(doc, numbers, f"Số liệu của biểu đồ {number}")


def _blocks(doc, blocks: list, counter: list[int]) -> None:
    for block in blocks:
        if isinstance(block, Section):
            _para(doc, block.title, size=13, bold=True, indent=Cm(1), before=6 if block.level <= 1 else 3, after=4)
            _blocks(doc, block.blocks, counter)
        elif isinstance(block, Table):
            counter[0] += 1
            _table(doc, block, f"Bảng {counter[0]}. {block.title()}")
        elif isinstance(block, Chart):
            counter[1] += 1
            _chart(doc, block, counter[1])
        elif isinstance(block, Paragraph) and block.text:
            note = block.style == "note"
            p = _para(doc, block.text, size=11 if note else 13, italic=note, indent=Cm(1), after=6,
                      align=WD_ALIGN_PARAGRAPH.JUSTIFY)
            p.paragraph_format.line_spacing = 1.15


def _closing(doc, report: Report) -> None:
    if not report.recipients and report.signature is None:
        return
    body = doc.element.body
    last = body[-2] if len(body) > 1 and body[-1].tag == qn("w:sectPr") else body[-1]
    if last.tag == qn("w:p"):  # "Nơi nhận" and the signature stay on one page with the body's last paragraph
        from docx.text.paragraph import Paragraph as DocxParagraph

        DocxParagraph(last, doc._body).paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    widths = [TEXT_W * 0.45, TEXT_W * 0.55]  # the PDF's columns
    _set_grid(table, widths, margin_pt=0)
    _row_flags(table.rows[0])
    left, right = table.cell(0, 0), table.cell(0, 1)
    _cell_width(left, widths[0])
    _cell_width(right, widths[1])
    first = left.paragraphs[0]
    if report.recipients:
        _font(first.add_run("Nơi nhận:"), size=12, bold=True, italic=True)
        for n, item in enumerate(report.recipients):
            end = "." if n == len(report.recipients) - 1 else ";"
            _para(left, f"- {item.rstrip(';.')}{end}", size=11)
    if report.signature is not None:
        s = report.signature
        p = right.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        lines = [part for line in (s.authority, s.title) for part in _nfc(line).split("\n") if part.strip()]
        for n, line in enumerate(lines):
            run = p.add_run(line)
            _font(run, size=13, bold=True)
            if n < len(lines) - 1:
                run.add_break()
        _para(right, "", size=13, after=60)
        _para(right, s.name, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)


def _drop_styles_with_effects(doc) -> None:
    """python-docx's template carries Word 2010's stylesWithEffects part, whose defaults differ from styles.xml
    once we set ours (a validator warns Word may call that unreadable content). Word rebuilds it when needed."""
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rel_id)


def _parts(blocks: list) -> list:
    return list(block_steps(blocks))


def docx_steps(report: Report) -> int:
    """The progress steps `render_docx` takes for `report`: the header, one a top-level part, writing the file."""
    return 2 + sum(1 for _, what in _parts(report.blocks) + _parts(report.annexes) if what)


def render_docx(report: Report, path: Path, *, progress: ProgressFn | Steps | None = None) -> Path:
    """Write `report` as an editable .docx at `path` (atomically). Returns the path.

    One progress step for the header, one a top-level section or table, then one for
    writing the file (see `app.reports.progress`).
    """
    steps = steps_of(progress)
    parts, annexes = _parts(report.blocks), _parts(report.annexes)
    steps.add(docx_steps(report))
    steps.step("Đang dựng phần đầu văn bản")
    path = Path(path)
    doc = new_document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    _page_number_header(section)
    if report.header is not None:
        _header(doc, report, report.header)
    elif report.confidential:
        _para(doc, report.confidential, size=14, bold=True, color="B00000")
    _para(doc, report.title, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=12)
    subject = _para(doc, report.subject, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    subject.paragraph_format.space_after = Pt(2)
    _short_rule(_para(doc, "", size=2, after=12), 5.0, 16.5)
    counter = [0, 0]  # tables, charts
    for block, what in parts:
        if what:
            steps.step(what)
        _blocks(doc, [block], counter)
    _closing(doc, report)
    for block, what in annexes:  # after the signature, each on its own page
        if what:
            steps.step(what)
        doc.add_page_break()
        _blocks(doc, [block], counter)
    _drop_styles_with_effects(doc)
    doc.core_properties.title = _nfc(report.subject)
    doc.core_properties.author = _nfc(report.produced_by)
    steps.step("Đang ghi tệp")
    with atomic_path(path) as temp:
        doc.save(str(temp))
    return path
