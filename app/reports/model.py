"""Report models: plain data that renderers turn into files.

A model holds every number a report prints, already computed, each as a
`Figure` that carries the query recomputing it (`Figure.trace`). Renderers
(`xlsx`, `pdf`, `docx`) lay the model out and compute nothing: they only
format what is here.

Small counts about people are marked `suppressed` by the model (the true value
stays in the model, for tests and for tracing); a renderer prints
`Figure.hidden_text` in their place and never the value. A count hidden for
being small itself (*primary*) reads as the profile's label (e.g. "<5"); one
hidden only so that a small count cannot be worked out from it (*secondary*:
another part of a line, a total, a rate) may be large, so it reads "x", and the
table's note says what "x" means (`Table.note`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from app.targets import Period, Trace

if TYPE_CHECKING:  # disclosure imports this module
    from app.reports.disclosure import AuditResult

# Column kinds a renderer knows how to format.
TEXT, COUNT, PERCENT, MONEY, YESNO, MONTH, DATE = "text", "count", "percent", "money", "yesno", "month", "date"

# Why a figure is hidden (`Figure.reason`).
PRIMARY = "primary"  # a count from 1 to threshold-1 itself
SECONDARY = "secondary"  # any other value, hidden so that a primary one cannot be worked out from it
MASKED = "masked"  # a small count printed "x" all the same: its "<5" would itself help narrow it down
SECONDARY_LABEL = "x"  # never the profile's "<5": a secondary figure may be of any size

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
    reason: str = ""  # why it is suppressed: PRIMARY or SECONDARY
    # What it counts, the same wherever the same quantity is printed (`app.reports.disclosure`); None: not audited.
    key: tuple | None = None

    def __int__(self) -> int:
        return int(self.value or 0)

    def hide(self, reason: str) -> None:
        self.suppressed, self.reason = True, reason

    def hide_if_small(self, threshold: int) -> Figure:
        """Primary suppression: hide a count from 1 to threshold-1 (it never unhides one)."""
        if self.value is not None and 0 < self.value < threshold:
            self.hide(PRIMARY)
        return self

    @property
    def secondary(self) -> bool:
        """Hidden, and not known to be a small count: it prints "x"."""
        return self.suppressed and self.reason != PRIMARY

    def hidden_text(self, label: str) -> str:
        """What a renderer prints for a suppressed figure: `label` (e.g. "<5") only where it is true.

        A figure hidden without a known reason reads "x" too: that claims nothing about its value.
        """
        return label if self.reason == PRIMARY else SECONDARY_LABEL


def secondary_note(label: str, lang: str = "vi") -> str:
    """What "x" means, for a table (or a sentence) that prints one; `label` is the primary label (e.g. "<5")."""
    if lang.lower().startswith("en"):
        return (f"{SECONDARY_LABEL}: a figure hidden as well, so that the small counts (shown “{label}”) "
                "cannot be worked out from it.")
    return f"{SECONDARY_LABEL}: số được ẩn thêm để không tính ngược ra được các ô có số nhỏ (ghi “{label}”)."


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
    # What a reader knows ties its figures together (`app.reports.disclosure.Sum`: rows and columns add up).
    relations: list = field(default_factory=list)

    def title(self, lang: str = "vi") -> str:
        return self.title_en if lang.lower().startswith("en") else self.title_vi

    def note(self, lang: str = "vi") -> str:
        """The table's note, with what "x" means when a cell prints one (`secondary_note`)."""
        note = self.note_en if lang.lower().startswith("en") else self.note_vi
        if any(f.secondary for f in self.figures()):
            note = f"{note} {secondary_note(self.suppress_label, lang)}".strip()
        return note

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
    suppressed: list[bool] = field(default_factory=list)  # True where a count is hidden (its value is None)
    reasons: list[str] = field(default_factory=list)  # why each hidden one is (PRIMARY when not given)

    def hidden_text(self, i: int, label: str) -> str:
        """What a hidden point prints: the profile's label for a small count, "x" for one hidden to protect it."""
        reason = self.reasons[i] if i < len(self.reasons) else PRIMARY
        return label if reason == PRIMARY else SECONDARY_LABEL

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
    confidential: str | None = None  # the restricted-access mark of files holding identities
    produced_on: date | None = None
    produced_by: str = ""  # the node (never a survivor)
    notes: list[str] = field(default_factory=list)  # about the data: consent, suppression
    info: list[tuple[str, str]] = field(default_factory=list)  # key facts for the cover sheet
    annexes: list = field(default_factory=list)  # Sections printed after the signature, each on a new page
    disclosure: AuditResult | None = None  # the small-cell audit's result

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
