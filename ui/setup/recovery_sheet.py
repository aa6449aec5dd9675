"""The printable recovery sheet: one A4 page with the node, the date, the recovery key and what to do with it.

The text is real text in the PDF (selectable, searchable, read back by
`pdftotext`), set in Noto Sans, which has every Vietnamese letter; the font is
embedded. The key itself is set in Courier, whose letters and digits cannot be
mistaken for one another (the key's alphabet has no I, L, O or U anyway).
The sheet is always in Vietnamese: it goes in the office safe, for whoever
comes after.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import app
from app.paths import resources_dir

FONT_REGULAR = "BinhAnSans"
FONT_BOLD = "BinhAnSans-Bold"
KEY_FONT = "Courier-Bold"

INSTRUCTIONS = (
    "Mã này mở được toàn bộ dữ liệu của đơn vị khi quên mật khẩu quản trị viên hoặc khi máy tính hỏng. "
    "Ai có mã này và tệp dữ liệu thì đọc được mọi hồ sơ: hãy giữ nó như giữ chìa khóa tủ hồ sơ.",
    "In tờ này, ký tên, cho vào phong bì dán kín và cất trong tủ có khóa, để riêng với máy tính. "
    "Không chụp ảnh, không gửi qua Zalo, Facebook hay thư điện tử.",
    "Sau khi in, xóa tệp PDF này khỏi máy tính và khỏi thùng rác.",
    "Khi cần dùng: ở màn hình đăng nhập bấm «Quên mật khẩu?», nhập mã, chọn tài khoản và đặt mật khẩu mới "
    "(hoặc lệnh «binhan recover --user TÊN_ĐĂNG_NHẬP»). "
    "Không phân biệt chữ hoa, chữ thường; dấu gạch ngang có hay không đều được; "
    "chữ O và số 0, chữ I, L và số 1 được hiểu như nhau.",
    "Mỗi lần tạo mã khôi phục mới, mã cũ hết hiệu lực: hủy tờ cũ (xé nhỏ hoặc đốt).",
)


@dataclass(frozen=True)
class SheetFacts:
    node_name: str
    node_code: str
    node_kind: str  # the kind's label, as people read it
    recovery_key: str
    made_on: date


def key_lines(recovery_key: str, per_line: int = 4) -> list[str]:
    """The key in two lines of groups, as it is printed and shown."""
    groups = [g for g in recovery_key.replace(" ", "-").split("-") if g]
    return ["-".join(groups[i:i + per_line]) for i in range(0, len(groups), per_line)]


def sheet_html(facts: SheetFacts) -> str:
    """The same sheet as HTML, for printing through Qt (a QTextDocument): nothing is written to disk."""
    from html import escape

    made = f"{facts.made_on.day:02d}/{facts.made_on.month:02d}/{facts.made_on.year:04d}"
    rows = "".join(f"<tr><td width='28%'>{escape(label)}</td><td><b>{escape(value)}</b></td></tr>"
                   for label, value in (("Đơn vị:", facts.node_name), ("Mã đơn vị:", facts.node_code),
                                        ("Cấp:", facts.node_kind), ("Ngày lập:", made)))
    key = "<br/>".join(escape(line) for line in key_lines(facts.recovery_key))
    steps = "".join(f"<li>{escape(text)}</li>" for text in INSTRUCTIONS)
    return (
        "<html><body style='font-size: 11pt;'>"
        f"<table width='100%'><tr><td><span style='font-size: 17pt;'><b>TỜ KHÔI PHỤC DỮ LIỆU</b></span></td>"
        f"<td align='right'>{escape(app.NAME)} {escape(app.__version__)}</td></tr></table>"
        "<p style='color: #b00021;'><b>HẠN CHẾ TIẾP CẬN — chỉ người được giao giữ mới được mở</b></p><hr/>"
        f"<table cellpadding='3'>{rows}</table>"
        "<p><b>Mã khôi phục</b></p>"
        "<table width='100%' border='1' cellpadding='14' style='border-style: solid;'><tr><td align='center'>"
        f"<span style='font-family: Courier New, Courier, monospace; font-size: 20pt;'><b>{key}</b></span>"
        "</td></tr></table>"
        f"<p><b>Hướng dẫn</b></p><ol>{steps}</ol><br/>"
        "<table width='100%'><tr><td width='50%'><b>Người lập</b><br/>(ký, ghi rõ họ tên, ngày)<br/><br/><br/><br/>"
        "</td><td><b>Người nhận giữ</b><br/>(ký, ghi rõ họ tên, ngày)</td></tr></table>"
        "<p style='font-size: 8.5pt;'>Tờ này được in từ phần mềm Bình An khi thiết lập đơn vị hoặc khi tạo mã "
        "khôi phục mới. Mã không được lưu ở đâu khác.</p>"
        "</body></html>")


def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_REGULAR in pdfmetrics.getRegisteredFontNames():
        return
    fonts = resources_dir() / "fonts"
    pairs = [("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"), ("Tinos-Regular.ttf", "Tinos-Bold.ttf")]
    for regular, bold in pairs:
        if (fonts / regular).exists() and (fonts / bold).exists():
            pdfmetrics.registerFont(TTFont(FONT_REGULAR, str(fonts / regular)))
            pdfmetrics.registerFont(TTFont(FONT_BOLD, str(fonts / bold)))
            return
    raise FileNotFoundError(f"no Vietnamese font in {fonts}")


def write_recovery_sheet(path: Path, facts: SheetFacts) -> Path:
    """Write the sheet to `path` (a temporary name first, then renamed into place); returns the path."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.lib.utils import simpleSplit

    _register_fonts()
    path = Path(path)
    partial = path.with_name(path.name + ".part")
    width, height = A4
    left, right = 22 * mm, width - 22 * mm
    canvas = Canvas(str(partial), pagesize=A4, pageCompression=1)
    canvas.setTitle(f"Tờ khôi phục dữ liệu — {facts.node_name}")
    canvas.setAuthor(app.NAME)
    canvas.setSubject("Mã khôi phục")

    y = height - 25 * mm
    canvas.setFont(FONT_BOLD, 17)
    canvas.drawString(left, y, "TỜ KHÔI PHỤC DỮ LIỆU")
    canvas.setFont(FONT_REGULAR, 10)
    canvas.drawRightString(right, y, f"{app.NAME} {app.__version__}")
    y -= 7 * mm
    canvas.setFont(FONT_BOLD, 10.5)
    canvas.setFillColorRGB(0.69, 0, 0.13)
    canvas.drawString(left, y, "HẠN CHẾ TIẾP CẬN — chỉ người được giao giữ mới được mở")
    canvas.setFillColorRGB(0, 0, 0)
    y -= 4 * mm
    canvas.setLineWidth(0.8)
    canvas.line(left, y, right, y)

    y -= 10 * mm
    rows = (("Đơn vị:", facts.node_name), ("Mã đơn vị:", facts.node_code), ("Cấp:", facts.node_kind),
            ("Ngày lập:", f"{facts.made_on.day:02d}/{facts.made_on.month:02d}/{facts.made_on.year:04d}"))
    for label, value in rows:
        canvas.setFont(FONT_REGULAR, 11.5)
        canvas.drawString(left, y, label)
        canvas.setFont(FONT_BOLD, 11.5)
        for n, line in enumerate(simpleSplit(value, FONT_BOLD, 11.5, right - left - 35 * mm)):
            canvas.drawString(left + 35 * mm, y - n * 6 * mm, line)
            if n:
                y -= 6 * mm
        y -= 7.5 * mm

    y -= 6 * mm
    canvas.setFont(FONT_BOLD, 12)
    canvas.drawString(left, y, "Mã khôi phục")
    y -= 4 * mm
    lines = key_lines(facts.recovery_key)
    box_height = (13 * len(lines) + 8) * mm
    canvas.setLineWidth(1.5)
    canvas.rect(left, y - box_height, right - left, box_height)
    key_y = y - 13 * mm
    for line in lines:
        canvas.setFont(KEY_FONT, 22)
        canvas.drawCentredString((left + right) / 2, key_y, line)
        key_y -= 13 * mm
    y -= box_height + 10 * mm

    canvas.setFont(FONT_BOLD, 12)
    canvas.drawString(left, y, "Hướng dẫn")
    y -= 7 * mm
    for number, text in enumerate(INSTRUCTIONS, start=1):
        wrapped = simpleSplit(text, FONT_REGULAR, 11, right - left - 8 * mm)
        canvas.setFont(FONT_REGULAR, 11)
        canvas.drawString(left, y, f"{number}.")
        for line in wrapped:
            canvas.drawString(left + 8 * mm, y, line)
            y -= 5.6 * mm
        y -= 2.5 * mm

    y -= 12 * mm
    half = (right - left) / 2
    for column, caption in enumerate(("Người lập", "Người nhận giữ")):
        x = left + column * half
        canvas.setFont(FONT_BOLD, 11)
        canvas.drawString(x, y, caption)
        canvas.setFont(FONT_REGULAR, 9.5)
        canvas.drawString(x, y - 5 * mm, "(ký, ghi rõ họ tên, ngày)")
        canvas.setLineWidth(0.5)
        canvas.line(x, y - 30 * mm, x + half - 12 * mm, y - 30 * mm)

    canvas.setFont(FONT_REGULAR, 8.5)
    canvas.drawString(left, 14 * mm, "Tờ này được in từ phần mềm Bình An khi thiết lập đơn vị hoặc khi tạo mã "
                                     "khôi phục mới. Mã không được lưu ở đâu khác.")
    canvas.showPage()
    canvas.save()
    with open(partial, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, path)
    return path
