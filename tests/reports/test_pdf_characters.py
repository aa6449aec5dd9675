"""Every PDF draws every character it is given: what Tinos lacks comes from a fallback font, a character no font
has is printed as its code; text is NFC; no font name ever holds two files."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from app.reports import fonts, pdf
from app.reports.model import Column, Paragraph, Report, Section, Table
from tests.reports.conftest import needs_poppler, pdf_fonts, pdf_text

HOSTILE = "Chị Hoa 😀 ❤ gửi: مرحبا שלום ქართული ລາວ 𓀀 và 中"


def _report(text: str) -> Report:
    return Report(kind="annual", title="BÁO CÁO", subject=f"Thử {text}", blocks=[Section("Mục 1", [
        Paragraph(text), Table("t", "Bảng", "Table", [Column("a", "Cột", "Column"), Column("b", "Số", "N", "count")],
                               [[text, 12]])])])


@needs_poppler
def test_characters_tinos_lacks_are_drawn_from_a_fallback_and_read_back(tmp_path):
    path = pdf.render_pdf(_report(HOSTILE), tmp_path / "a.pdf")
    text = unicodedata.normalize("NFC", pdf_text(path))
    for word in ("😀", "❤", "ქართული", "ລາວ", "𓀀", "Chị Hoa"):
        assert word in text, word
    for letter in "مرحبا" + "שלום":  # right-to-left words come out in the order they are drawn
        assert letter in text, letter
    names = [f["name"].split("+")[-1] for f in pdf_fonts(path)]
    assert "DejaVuSans" in names and all(f["emb"] == "yes" for f in pdf_fonts(path))
    # Chinese: from a system font where the computer has one, else its code — never nothing.
    assert "中" in text or "[U+4E2D]" in text


def test_a_character_no_font_has_is_printed_as_its_code(monkeypatch):
    pdf.register_fonts()
    monkeypatch.setattr(fonts, "_system_index", {})  # a computer with no font of its own
    monkeypatch.setattr(fonts, "_found", {})
    assert fonts.markup("a\U0010FFFDb") == "a[U+10FFFD]b"
    assert fonts.markup("Nguyễn 😀") == 'Nguyễn <font name="BinhAnFallback">😀</font>'
    assert fonts.markup("x\u200d\ufe0fy😀") == 'xy<font name="BinhAnFallback">😀</font>'


@needs_poppler
def test_decomposed_vietnamese_is_drawn_composed(tmp_path):
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hoa ở Thái Bình")
    path = pdf.render_pdf(_report(nfd), tmp_path / "a.pdf")
    assert "Nguyễn Thị Hoa ở Thái Bình" in pdf_text(path)
    assert "DejaVuSans" not in [f["name"].split("+")[-1] for f in pdf_fonts(path)]  # Tinos drew it all


def test_no_font_name_ever_holds_two_files(tmp_path):
    pdf.register_fonts()
    other = Path(pdf.resources_dir()) / "fonts" / "NotoSans-Regular.ttf"
    with pytest.raises(ValueError, match="already holds"):
        fonts._register(fonts.FALLBACK, other)
    assert Path(pdfmetrics.getFont(fonts.FALLBACK).face.filename).name == "DejaVuSans.ttf"
