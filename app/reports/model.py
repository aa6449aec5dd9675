"""Report models: plain data that renderers turn into files.

A model holds every number a report prints, already computed, each as a
`Figure` that carries the query recomputing it (`Figure.trace`). Renderers
(`xlsx`, `pdf`, `docx`) lay the model out and compute nothing: they only
format what is here.

Small counts about people are marked `suppressed` by the model (the true value
stays in the model, for tests and for tracing); a renderer prints the
profile's label (e.g. "<5") in their place and never the value.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from app.targets import Period, Trace

# Column kinds a renderer knows how to format.
TEXT, COUNT, PERCENT, MONEY, YESNO, MONTH, DATE = "text", "count", "percent", "money", "yesno", "month", "date"

YES_NO = {True: ("Có", "Yes"), False: ("Không", "No"), None: ("Không rõ", "Unknown")}


def yes_no(value: bool | None, lang: str = "vi") -> str:
    """Never blank: an unknown yes/no says so."""
    vi, en = YES_NO[None if value is None else bool(value)]
    return en if lang.lower().startswith("en") else vi


@dataclass
class Figure:
    """One number a report prints, with the query that recomputes it."""

    value: int | float | None
    trace: Trace | None = None
    suppressed: bool = False
    sensitive: bool = False  # a count of people or incidents: small values get suppressed

    def __int__(self) -> int:
        return int(self.value or 0)


@dataclass(frozen=True)
class Column:
    key: str
    vi: str
    en: str
    kind: str = TEXT
    width: float | None = None  # in characters; None: the renderer's default for the kind

    def label(self, lang: str = "vi") -> str:
        return self.en if lang.lower().startswith("en") else self.vi


@dataclass
class Table:
    """Rows of cells under named columns.

    A cell is a `Figure`, a str, an int or float, a bool or None (yes/no
    columns), or a `date` (month and date columns). `rows` may be any iterable
    — a big data sheet streams its rows from the database once.
    """

    key: str  # short, unique in the report: used as the sheet name
    title_vi: str
    title_en: str
    columns: list[Column]
    rows: Iterable[list]
    total: list | None = None  # the totals row, printed last and in bold
    note_vi: str = ""
    note_en: str = ""
    big: bool = False  # stream it; never hold it whole in memory
    suppress_label: str = "<5"

    def title(self, lang: str = "vi") -> str:
        return self.title_en if lang.lower().startswith("en") else self.title_vi

    def note(self, lang: str = "vi") -> str:
        return self.note_en if lang.lower().startswith("en") else self.note_vi

    def figures(self) -> Iterator[Figure]:
        for row in ([] if self.big else list(self.rows)) + ([self.total] if self.total else []):
            for cell in row:
                if isinstance(cell, Figure):
                    yield cell


@dataclass
class Series:
    vi: str
    en: str
    values: list[float | None]
    suppressed: list[bool] = field(default_factory=list)  # True where a small count is hidden (its value is None)

    def label(self, lang: str = "vi") -> str:
        return self.en if lang.lower().startswith("en") else self.vi


@dataclass
class Chart:
    key: str
    title_vi: str
    title_en: str
    categories: list[str]
    series: list[Series]
    kind: str = "bar"  # "bar" | "line"
    unit: str = ""  # "%" for percentages
    goal: float | None = None  # drawn as a reference line when given
    suppress_label: str = "<5"  # printed in place of a hidden value where the chart is written as numbers

    def title(self, lang: str = "vi") -> str:
        return self.title_en if lang.lower().startswith("en") else self.title_vi


@dataclass
class Paragraph:
    text: str
    style: str = "body"  # "body" | "note" | "free" (the officer's own text)
    figures: list = field(default_factory=list)  # the Figures whose values the text prints


@dataclass
class Section:
    title: str
    blocks: list = field(default_factory=list)  # Paragraph | Table | Chart | Section
    level: int = 1
    figures: list = field(default_factory=list)  # Figures behind its charts


@dataclass
class OfficialHeader:
    """The top of an official document (Decree 30/2020/NĐ-CP, Appendix I)."""

    superior_body: str  # cơ quan chủ quản, may be ""
    issuing_body: str  # cơ quan ban hành
    number: str  # "Số: 12/BC-UBND" (the number may be left blank for the office to fill)
    place: str  # địa danh
    on: date


@dataclass
class Signature:
    authority: str  # "TM. ỦY BAN NHÂN DÂN"
    title: str  # "CHỦ TỊCH" (or "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH")
    name: str


@dataclass
class Report:
    kind: str  # annual | statistics | activities | register | case_file | person_file
    title: str  # "BÁO CÁO"
    subject: str  # the trích yếu
    blocks: list
    period: Period | None = None
    header: OfficialHeader | None = None
    recipients: list[str] = field(default_factory=list)
    signature: Signature | None = None
    confidential: str | None = None  # "MẬT" for files holding identities
    produced_on: date | None = None
    produced_by: str = ""  # the node (never a survivor)
    notes: list[str] = field(default_factory=list)  # about the data: consent, suppression
    info: list[tuple[str, str]] = field(default_factory=list)  # key facts for the cover sheet
    annexes: list = field(default_factory=list)  # Sections printed after the signature, each on a new page

    def walk(self, kind) -> Iterator:
        """Every block of `kind` (a class or a tuple of classes), in the order printed, annexes last."""
        yield from _walk(self.blocks + self.annexes, kind)

    def tables(self) -> Iterator[Table]:
        yield from _walk(self.blocks + self.annexes, Table)

    def charts(self) -> Iterator[Chart]:
        yield from _walk(self.blocks + self.annexes, Chart)

    def figures(self) -> Iterator[Figure]:
        """Every figure the report prints: table cells, numbers in sentences, chart values."""
        for table in self.tables():
            yield from table.figures()
        for block in _walk(self.blocks + self.annexes, (Paragraph, Section)):
            yield from block.figures


def _walk(blocks, kind):
    for block in blocks:
        if isinstance(block, kind):
            yield block
        if isinstance(block, Section):
            yield from _walk(block.blocks, kind)
