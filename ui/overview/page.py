"""The Overview page: the plan's targets against their goals, what needs attention, and the year's work.

Every figure comes from the core: the targets from `app.targets` (the window
never counts cases itself), the case counts from `session.cases.count`, the
activities of the year from the reports' one-pass reading by kind
(`app.reports.activities.PeriodActivities`). The year's figures are read in
one background job when the page is shown or the year changes (ahead of any job
still waiting), the table by commune (at a province) and the targets' quarters
in jobs of their own once the figures are on screen — they stop when another
year is asked for meanwhile; the charts are made
when they are first painted (`ui.overview.chart_slot`), so matplotlib is not
loaded before the first figures are shown.

A number that stands for a list opens it: the page emits
`open_list_requested(page_key, filter)` — ("cases", CaseFilter(status="open")),
("activities", ActivityFilter(year=2025, kind="rally")), ("registries", "schools")
— and the main window shows that page with that filter.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from app.activities import ActivityFilter
from app.cases import CaseFilter
from app.errors import BinhAnError
from app.reports.activities import PeriodActivities
from app.reports.cases import CountedCases
from app.reports.progress import Cancelled
from app.reports.communes import commune_overview, holds_communes, targets_over
from app.reports.model import COUNT, PERCENT, Figure, Table
from app.reference.periods import profile_for
from app.reports.period import target_quarters
from app.targets import Period, TargetResult
from ui import style, tasks
from ui.i18n import error_text, format_count, format_date, language, translate
from ui.overview.chart_slot import (KIND_CHART_HINT_WIDTH, QUARTER_CHART_HINT, QUARTER_CHART_MINIMUM, Bar, ChartSlot,
                                    Column, kind_chart_height)
from ui.qt import (QAbstractItemView, QComboBox, QFrame, QGraphicsOpacityEffect, QGridLayout, QHBoxLayout,
                   QHeaderView, QLabel, QListWidget, QListWidgetItem, QPushButton, QScrollArea, QSize, QSizePolicy,
                   Qt, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget, Signal)
from ui.widgets import a11y

log = logging.getLogger(__name__)

#: The target badges' grounds (white words on them) and the values' colours: ui.style, contrast checked there.
STATUS_COLOURS = style.STATUS_BACKGROUNDS
CARD_STYLE = ("QFrame#numberCard, QFrame#targetCard { background: palette(base); border: 1px solid #d0d0d0; "
              "border-radius: 6px; }")
NUMBER_BUTTON_STYLE = (f"QPushButton {{ border: none; text-align: left; padding: 0; color: {style.LINK}; }} "
                       "QPushButton:hover { text-decoration: underline; } "
                       "QPushButton:focus { text-decoration: underline; } "
                       "QPushButton:disabled { color: #767676; }")

def percent_text(value: float | None) -> str:
    """94.117… -> "94,1%" in Vietnamese, "94.1%" in English; none -> "—"."""
    if value is None:
        return "—"
    text = f"{round(value, 1):g}"
    if language() == "vi":
        text = text.replace(".", ",")
    return f"{text}%"


def denominator_unit(formula: str) -> str:
    units = {
        "cases_needing_help_helped": translate("OverviewPage", "vụ việc"),
        "perpetrators_handled": translate("OverviewPage", "người gây bạo lực"),
        "survivors_seeking_help": translate("OverviewPage", "người bị bạo lực"),
        "schools_integrating": translate("OverviewPage", "trường"),
    }
    return units.get(formula, "")


def quarter_label(number: int) -> str:
    """"Quý I" … "Quý IV" (Roman numerals, as Vietnamese reports write them); "Q1" … "Q4" in English."""
    if language() == "vi":
        return translate("OverviewPage", "Quý {quarter}").format(quarter=("I", "II", "III", "IV")[number - 1])
    return translate("OverviewPage", "Q{quarter}").format(quarter=number)


@dataclass
class OverviewData:
    """What the page shows for one year, as the core computed it."""

    year: int
    today: date
    targets: list[TargetResult] = field(default_factory=list)
    quarters: dict[str, list[TargetResult]] = field(default_factory=dict)
    open_cases: int | None = None
    overdue_cases: int | None = None
    activities: int | None = None
    participants: int | None = None
    #: kind -> (activities, participants), kinds with at least one activity
    by_kind: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: at a province or district: the key figures by commune (`app.reports.communes`), else None
    communes: Table | None = None
    #: what is due or overdue for the person logged in (`CaseService.due`), high risk first
    due: list[dict] = field(default_factory=list)


def load_overview(session, year: int, *, quarters: bool = True, communes: bool = True) -> OverviewData:
    """Read every figure of the page (worker thread: no widgets here).

    With `quarters=False` the targets' quarters are left out (`load_quarters`), with `communes=False` the table
    by commune (`load_communes`): the page reads them in jobs of their own, after the year's figures are on
    screen. The targets are read over the year's counted cases once (`app.reports.communes.targets_over`:
    the same results as `app.targets.targets`, tested there).
    """
    today = session.cases.today()
    data = OverviewData(year=year, today=today)
    if session.can("case.read"):
        period = Period.of(year)
        with CountedCases(session, period) as counted:
            data.targets = targets_over(session, period, counted, by_unit=False)[0]
        if quarters:
            data.quarters = load_quarters(session, year)
        data.open_cases, data.overdue_cases = session.cases.open_and_overdue()
        data.due = session.cases.due()
    if session.can("activity.read"):
        done = PeriodActivities(session, Period.of(year), measures=("activities", "total"))
        data.activities = done.sum(done.by_kind, "activities")
        data.participants = done.sum(done.by_kind, "total")
        data.by_kind = {kind: (done.sum([kind], "activities"), done.sum([kind], "total"))
                        for kind in done.by_kind if done.sum([kind], "activities")}
    if communes:
        data.communes = load_communes(session, year)
    return data


def load_communes(session, year: int, *, stop=None) -> Table | None:
    """The key figures by commune of `year` at a province or district (worker thread), else None. `stop()`: true
    once they are no longer wanted (`app.reports.Cancelled` is raised between the parts of the work)."""
    return commune_overview(session, Period.of(year), stop=stop)


def shows_communes(session) -> bool:
    """Whether the page has a table by commune (a province or district that may read cases and activities)."""
    return holds_communes(session) and session.can("case.read") and session.can("activity.read")


def load_quarters(session, year: int, *, stop=None) -> dict[str, list[TargetResult]]:
    """Each target of `year` in each of its quarters (worker thread), or nothing for a role that cannot read cases.

    The quarters count the cases the year counts (a withdrawn consent leaves every quarter, as the tables).
    `stop()`: true once the figures are no longer wanted (`app.reports.Cancelled` is raised between targets).
    """
    return target_quarters(session, year, stop=stop) if session.can("case.read") else {}


# --- pieces of the page -------------------------------------------------------------------------------
def _heading(text: str, scale: float = 1.2) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


class NumberCard(QFrame):
    """A big number that opens the list behind it, and what it counts."""

    def __init__(self, name: str, caption: str, parent=None):
        super().__init__(parent)
        self.setObjectName("numberCard")
        self.button = QPushButton("—")
        self.button.setObjectName(name)
        self.button.setStyleSheet(NUMBER_BUTTON_STYLE)
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.button.setAutoDefault(False)
        font = self.button.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        self.button.setFont(font)
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        self.caption.setBuddy(self.button)
        self.detail = QLabel()
        self.detail.setStyleSheet(style.text_colour(style.MUTED))
        self.detail.setWordWrap(True)
        self.detail.hide()
        box = QVBoxLayout(self)
        box.setContentsMargins(14, 10, 14, 10)
        box.setSpacing(2)
        box.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.caption)
        box.addWidget(self.detail)
        box.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_number(self, number: int | None, *, colour: str = "") -> None:
        self.button.setText("—" if number is None else format_count(number))
        self.button.setEnabled(number is not None)
        sheet = NUMBER_BUTTON_STYLE
        if colour:
            sheet = sheet.replace(f"color: {style.LINK}", f"color: {colour}")
        self.button.setStyleSheet(sheet)

    def set_detail(self, text: str) -> None:
        self.detail.setText(text)
        self.detail.setVisible(bool(text))

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt's name
        # The whole card is the target, not only the digits.
        if event.button() == Qt.MouseButton.LeftButton and self.button.isEnabled():
            self.button.click()
            return
        super().mouseReleaseEvent(event)


class TargetCard(QFrame):
    """One target: its wording, value against goal in words and colour, the numbers behind it,
    how it is computed, and its quarters as a chart."""

    def __init__(self, result: TargetResult, quarters: list[TargetResult] | None, today: date, parent=None):
        super().__init__(parent)
        self.setObjectName("targetCard")
        self.result = result
        lang = language()
        self.title = QLabel(result.label(lang))
        self.title.setObjectName("targetTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)

        self.value_label = QLabel(percent_text(result.value))
        self.value_label.setObjectName("targetValue")
        big = self.value_label.font()
        big.setPointSizeF(big.pointSizeF() * 2.2)
        big.setBold(True)
        self.value_label.setFont(big)
        self.status_kind = self._status_kind(result, today)
        colour = STATUS_COLOURS[self.status_kind]
        self.value_label.setStyleSheet(f"color: {colour};")
        self.status_label = QLabel(self.status_text(result, today))
        self.status_label.setObjectName("targetStatus")
        self.status_label.setStyleSheet(f"color: white; background: {colour}; border-radius: 4px; padding: 2px 8px;"
                                        " font-weight: bold;")
        self.goal_label = QLabel(self.tr("Mục tiêu: {goal}").format(goal=result.goal_text))
        self.goal_label.setObjectName("targetGoal")

        unit = denominator_unit(result.formula)
        if result.numerator is None:
            numbers = self.tr("Chỉ tiêu này chưa tính được từ dữ liệu.")
        else:
            numbers = self.tr("{numerator} / {denominator} {unit}").format(
                numerator=format_count(result.numerator), denominator=format_count(result.denominator or 0),
                unit=unit)
        self.numbers_button = QPushButton(numbers)
        self.numbers_button.setObjectName("targetNumbers")
        self.numbers_button.setStyleSheet(NUMBER_BUTTON_STYLE)
        self.numbers_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.numbers_button.setAutoDefault(False)
        self.numbers_caption = QLabel(self.tr("(tử số / mẫu số)"))
        self.numbers_caption.setStyleSheet(style.text_colour(style.MUTED))

        self.how_button = QPushButton(self.tr("Cách tính ▸"))
        self.how_button.setObjectName("howComputed")
        self.how_button.setCheckable(True)
        self.how_button.setAutoDefault(False)
        definition = result.definition(lang)
        if "every_need_met" in result.extra and result.denominator:
            # "helped" counts a case with at least one need met; beside it, the cases whose every need was met
            definition += "\n" + self.tr("Trong đó mọi nhu cầu đều được đáp ứng: {every} / {denominator} vụ việc.").format(
                every=format_count(result.extra["every_need_met"]), denominator=format_count(result.denominator))
        self.how_button.setToolTip(definition)
        self.definition = QLabel(definition)
        self.definition.setObjectName("targetDefinition")
        self.definition.setWordWrap(True)
        self.definition.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.definition.setStyleSheet("color: #333; background: #f5f5f5; border-radius: 4px; padding: 6px;")
        self.definition.hide()
        self.how_button.toggled.connect(self._toggle_definition)

        self.chart_slot = ChartSlot(_quarter_chart, QUARTER_CHART_HINT, QUARTER_CHART_MINIMUM)
        if quarters is not None:
            self.show_quarters(quarters)
        chart_title = QLabel(self.tr("Theo quý năm {year}").format(year=result.period.year))
        chart_title.setStyleSheet(style.text_colour(style.MUTED))

        value_row = QHBoxLayout()
        value_row.setSpacing(12)
        value_row.addWidget(self.value_label)
        status_column = QVBoxLayout()
        status_column.setSpacing(4)
        status_column.addWidget(self.status_label, 0, Qt.AlignmentFlag.AlignLeft)
        status_column.addWidget(self.goal_label)
        value_row.addLayout(status_column)
        value_row.addStretch(1)
        numbers_row = QHBoxLayout()
        numbers_row.setSpacing(6)
        numbers_row.addWidget(self.numbers_button)
        numbers_row.addWidget(self.numbers_caption)
        numbers_row.addStretch(1)
        left = QVBoxLayout()
        left.setSpacing(6)
        left.addWidget(self.title)
        left.addLayout(value_row)
        left.addLayout(numbers_row)
        left.addWidget(self.how_button, 0, Qt.AlignmentFlag.AlignLeft)
        left.addWidget(self.definition)
        left.addStretch(1)
        right = QVBoxLayout()
        right.setSpacing(2)
        right.addWidget(chart_title)
        right.addWidget(self.chart_slot, 1)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 10, 14, 10)
        row.setSpacing(18)
        row.addLayout(left, 3)
        row.addLayout(right, 2)

    def show_quarters(self, quarters: list[TargetResult]) -> None:
        """The target in each quarter of its year, as columns against the goal (read after the year's figures)."""
        result = self.result
        columns = []
        for number, quarter in enumerate(quarters, start=1):
            label = quarter_label(number)
            if quarter.value is None:
                text, tip = "—", self.tr("{quarter}: chưa có số liệu").format(quarter=label)
            else:
                text = percent_text(quarter.value)
                tip = self.tr("{quarter}: {value} ({numerator} / {denominator})").format(
                    quarter=label, value=text, numerator=format_count(quarter.numerator or 0),
                    denominator=format_count(quarter.denominator or 0))
            columns.append(Column(label, quarter.value, text, tip))
        target = next(iter(quarters), result)
        self.chart_slot.call("set_data", columns, goal=result.goal, goal_text=self.tr("Mục tiêu {goal}").format(
            goal=result.goal_text), meets=lambda value, t=target: _meets(t, value),
            no_data_text=self.tr("chưa có số liệu"))
        self.chart_slot.call("set_key", self.tr("đạt mục tiêu"), self.tr("chưa đạt"))

    @property
    def chart(self):
        """The quarters' chart (`ui.overview.charts.QuarterChart`), made now if it was not yet on screen."""
        return self.chart_slot.chart()

    @staticmethod
    def _status_kind(result: TargetResult, today: date) -> str:
        if result.status == "met":
            return "met"
        if result.status == "no_data":
            return "no_data"
        # Not there yet while the period runs is a warning; when it is over, the target was missed.
        return "at_risk" if result.period.end >= today else "missed"

    def status_text(self, result: TargetResult, today: date) -> str:
        words = result.status_label(language())
        kind = self._status_kind(result, today)
        if kind == "at_risk":
            return self.tr("{status} — kỳ chưa kết thúc").format(status=words)
        if kind == "missed":
            return self.tr("{status} — kỳ đã kết thúc").format(status=words)
        return words

    def _toggle_definition(self, shown: bool) -> None:
        self.definition.setVisible(shown)
        self.how_button.setText(self.tr("Cách tính ▾") if shown else self.tr("Cách tính ▸"))


def _quarter_chart():
    from ui.overview.charts import QuarterChart  # matplotlib: loaded once a chart is on screen

    chart = QuarterChart()
    chart.setObjectName("targetTrend")
    return chart


def _meets(result: TargetResult, value: float) -> bool:
    comparison = {">=": value >= result.goal, ">": value > result.goal, "<=": value <= result.goal,
                  "<": value < result.goal, "==": value == result.goal}
    return comparison.get(result.comparison, False)


class OverviewPage(QWidget):
    """The dashboard. `refresh()` reads every figure again (the main window calls it when the page is shown)."""

    #: A number was clicked: show page `page_key` ("cases", "activities", "registries") with `filter`
    #: (a CaseFilter, an ActivityFilter, or for "registries" the tab key "schools").
    open_list_requested = Signal(str, object)
    #: The figures were shown; carries the OverviewData (for tests and screenshots).
    loaded = Signal(object)
    #: The targets' quarters were read and given to their charts (after `loaded`); carries the same OverviewData.
    quarters_loaded = Signal(object)
    #: The table by commune was read and shown (after `loaded`, at a province or district); the same OverviewData.
    communes_loaded = Signal(object)
    #: A due item was opened: carries the case id.
    open_case_requested = Signal(str)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.data: OverviewData | None = None
        self.target_cards: list[TargetCard] = []
        self._loading = False
        self._again = False
        # Counts the reads asked for: the jobs that follow a year's figures (its table by commune, its quarters)
        # stop, or never start, once newer figures are asked for, so that these are read first.
        self._generation = 0
        # Read before the page was first shown (`prefetch`): the first show asks for nothing more.
        self._prefetched = False
        self._shown = False
        self._waiting: OverviewData | None = None  # read while out of view, laid out when shown
        self.setStyleSheet(CARD_STYLE)
        this_year = session.cases.today().year
        profile = session.profile

        # --- top line: year and the next deadline ---------------------------------------------------
        self.year_combo = QComboBox()
        self.year_combo.setObjectName("overviewYear")
        first = min(profile.period_start, this_year) if profile is not None else this_year - 4
        for year in range(this_year, first - 1, -1):
            self.year_combo.addItem(str(year), year)
        self.year_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        year_caption = QLabel(self.tr("Năm:"))
        year_caption.setBuddy(self.year_combo)
        self.deadline_label = QLabel()
        self.deadline_label.setObjectName("overviewDeadline")
        self.deadline_label.setWordWrap(True)
        self.deadline_label.setTextFormat(Qt.TextFormat.PlainText)
        # While figures are read (a year switch takes seconds at a province), the old ones are greyed and this says so.
        self.loading_label = QLabel()
        self.loading_label.setObjectName("overviewLoading")
        self.loading_label.setStyleSheet(
            f"QLabel {{ {style.banner_style('loading')} border-radius: 3px; padding: 2px 8px; }}")
        self.loading_label.hide()
        top = QHBoxLayout()
        top.addWidget(year_caption)
        top.addWidget(self.year_combo)
        top.addWidget(self.loading_label)
        top.addSpacing(24)
        top.addWidget(self.deadline_label, 1)

        # --- numbers that open lists ---------------------------------------------------------------------
        self.open_card = NumberCard("overviewOpenCases", self.tr("Vụ việc đang theo dõi, hỗ trợ"))
        self.overdue_card = NumberCard("overviewOverdue", self.tr("Vụ việc quá hạn theo dõi"))
        self.activities_card = NumberCard("overviewActivities", self.tr("Hoạt động trong năm"))
        self.participants_card = NumberCard("overviewParticipants", self.tr("Lượt người tham gia hoạt động"))
        self.open_card.button.clicked.connect(
            lambda: self.open_list_requested.emit("cases", CaseFilter(status="open")))
        self.overdue_card.button.clicked.connect(
            lambda: self.open_list_requested.emit("cases", CaseFilter(overdue=True)))
        self.activities_card.button.clicked.connect(
            lambda: self.open_list_requested.emit("activities", ActivityFilter(year=self.year())))
        self.participants_card.button.clicked.connect(
            lambda: self.open_list_requested.emit("activities", ActivityFilter(year=self.year())))
        self.open_card.button.setToolTip(self.tr("Mở danh sách vụ việc đang theo dõi, hỗ trợ"))
        self.overdue_card.button.setToolTip(self.tr("Mở danh sách vụ việc quá hạn theo dõi"))
        self.activities_card.button.setToolTip(self.tr("Mở danh sách hoạt động của năm"))
        self.participants_card.button.setToolTip(self.tr("Mở danh sách hoạt động của năm"))
        numbers = QGridLayout()
        numbers.setHorizontalSpacing(12)
        for column, card in enumerate((self.open_card, self.overdue_card, self.activities_card,
                                       self.participants_card)):
            numbers.addWidget(card, 0, column)
            numbers.setColumnStretch(column, 1)

        # --- what is due for this person: follow-ups, action items, reviews (high risk first) -------------------
        self.due_heading = _heading(self.tr("Việc đến hạn của bạn"))
        self.due_list = QListWidget()
        self.due_list.setObjectName("overviewDue")
        self.due_list.setAccessibleName(self.tr("Việc đến hạn của bạn"))
        self.due_list.setMaximumHeight(180)
        self.due_list.itemActivated.connect(self._due_opened)
        self.due_hint = QLabel(self.tr("Nguy cơ cao đứng đầu, rồi việc quá hạn. Enter hoặc nhấp đúp để mở vụ việc."))
        self.due_hint.setStyleSheet(style.text_colour(style.MUTED))
        self.due_all = QPushButton(self.tr("Xem các vụ việc có việc đến hạn"))
        self.due_all.setObjectName("overviewDueAll")
        self.due_all.clicked.connect(lambda: self.open_list_requested.emit("cases", CaseFilter(due=True)))
        due_row = QHBoxLayout()
        due_row.addWidget(self.due_hint, 1)
        due_row.addWidget(self.due_all)
        for widget in (self.due_heading, self.due_hint, self.due_list, self.due_all):
            widget.setVisible(session.can("case.read"))

        # --- targets -----------------------------------------------------------------------------------------
        self.targets_heading = _heading("")
        self.targets_note = QLabel()
        self.targets_note.setObjectName("targetsNote")
        self.targets_note.setWordWrap(True)
        self.targets_note.setStyleSheet(style.text_colour(style.MUTED))
        self.targets_box = QVBoxLayout()
        self.targets_box.setSpacing(10)

        # --- activities by kind ----------------------------------------------------------------------------
        self.kinds_heading = _heading("")
        self.kinds_hint = QLabel(self.tr("Bấm vào một dòng để mở danh sách hoạt động loại đó."))
        self.kinds_hint.setStyleSheet(style.text_colour(style.MUTED))
        self.kind_slot = ChartSlot(self._make_kind_chart, QSize(KIND_CHART_HINT_WIDTH, 0),
                                   policy=(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed))
        self.kind_slot.setFixedHeight(kind_chart_height(0, self.kind_slot.fontMetrics()))
        self._kind_codes: list[str] = []
        kinds_card = QFrame()
        kinds_card.setObjectName("targetCard")
        kinds_layout = QVBoxLayout(kinds_card)
        kinds_layout.setContentsMargins(14, 10, 14, 10)
        kinds_layout.addWidget(self.kind_slot)

        # --- by commune (a province or district) ---------------------------------------------------------
        self.communes_heading = _heading("")
        self.communes_note = QLabel()
        self.communes_note.setWordWrap(True)
        self.communes_note.setStyleSheet(style.text_colour(style.MUTED))
        self.communes_table = QTableWidget()
        self.communes_table.setObjectName("overviewCommunes")
        self.communes_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.communes_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.communes_table.setAlternatingRowColors(True)
        self.communes_table.verticalHeader().hide()
        self.communes_table.setMinimumHeight(320)
        for communes_widget in (self.communes_heading, self.communes_note, self.communes_table):
            communes_widget.hide()

        self.error_label = QLabel()
        self.error_label.setObjectName("overviewError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(style.text_colour(style.ERROR))
        self.error_label.hide()

        content = QWidget()
        content.setObjectName("overviewContent")
        content_column = QVBoxLayout(content)
        content_column.setContentsMargins(0, 0, 12, 12)
        content_column.setSpacing(10)
        content_column.addLayout(top)
        content_column.addWidget(self.error_label)
        content_column.addLayout(numbers)
        content_column.addSpacing(6)
        content_column.addWidget(self.due_heading)
        content_column.addLayout(due_row)
        content_column.addWidget(self.due_list)
        content_column.addSpacing(6)
        content_column.addWidget(self.targets_heading)
        content_column.addWidget(self.targets_note)
        content_column.addLayout(self.targets_box)
        content_column.addSpacing(6)
        content_column.addWidget(self.kinds_heading)
        content_column.addWidget(self.kinds_hint)
        content_column.addWidget(kinds_card)
        content_column.addSpacing(6)
        content_column.addWidget(self.communes_heading)
        content_column.addWidget(self.communes_note)
        content_column.addWidget(self.communes_table)
        content_column.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("overviewScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)
        self._show_headings()

    def year(self) -> int:
        return self.year_combo.currentData()

    @property
    def kind_chart(self):
        """The chart of activities by kind (`ui.overview.charts.KindBarChart`), made now if not yet on screen."""
        return self.kind_slot.chart()

    def _make_kind_chart(self):
        from ui.overview.charts import KindBarChart  # matplotlib: loaded once a chart is on screen

        chart = KindBarChart()
        chart.bar_clicked.connect(self._kind_clicked)
        return chart

    def chart_slots(self) -> list[ChartSlot]:
        """Every chart's place on the page (the targets' quarters, then the activities by kind)."""
        return [card.chart_slot for card in self.target_cards] + [self.kind_slot]

    def set_year(self, year: int) -> None:
        index = self.year_combo.findData(year)
        if index < 0:
            self.year_combo.addItem(str(year), year)
            index = self.year_combo.count() - 1
        self.year_combo.setCurrentIndex(index)

    # --- loading ----------------------------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        # Each time the page comes into view: a case or an activity may have been saved meanwhile.
        if not event.spontaneous():
            waiting, self._waiting = self._waiting, None
            if waiting is not None and waiting.year == self.year():
                self._show(waiting)  # read while the page was out of view
            if self._shown or not self._prefetched:
                self.refresh()
            self._shown = True
        super().showEvent(event)

    def prefetch(self) -> None:
        """Start reading the figures before the page is first shown; that first showing reads nothing more.

        The main window calls it as soon as the page is built, so the read runs on
        the worker before the other pages' reads are queued and while the rest of
        the window is built (DESIGN §8: a usable window in 1.5 s). Nothing can be
        saved between the window's build and its first show, so the data is current.
        """
        self._prefetched = True
        self.refresh()

    def refresh(self) -> None:
        """Read every figure again for the chosen year (in the background)."""
        self._set_loading(True)
        if self._loading:
            self._again = True
            return
        self._loading = True
        self._generation += 1
        session, year = self.session, self.year()
        tasks.run_in_background(lambda: load_overview(session, year, quarters=False, communes=False),
                                on_done=self._received, on_error=self._failed, owner=self, priority=1)

    def _finished_loading(self) -> None:
        self._loading = False
        if self._again:
            self._again = False
            self.refresh()

    def is_loading(self) -> bool:
        """Whether the figures shown are not (yet) those of the year chosen."""
        return not self.loading_label.isHidden()

    def _figure_widgets(self) -> list[QWidget]:
        cards: list[QWidget] = [self.open_card, self.overdue_card, self.activities_card, self.participants_card]
        kind_frame = self.kind_slot.parentWidget()
        return (cards + list(self.target_cards) + ([kind_frame] if kind_frame is not None else [])
                + [self.communes_table])

    def _set_loading(self, flag: bool) -> None:
        """Grey the figures and say they are being read (only when they are another year's, or none yet:
        the same year read again on coming back to the page stays as it is)."""
        if flag and self.data is not None and self.data.year == self.year():
            return
        grey = flag and self.data is not None  # before the first figures there is nothing to grey
        for widget in self._figure_widgets():
            widget.setEnabled(not grey)
            if grey:
                effect = QGraphicsOpacityEffect(widget)
                effect.setOpacity(0.45)
                widget.setGraphicsEffect(effect)
            else:
                widget.setGraphicsEffect(None)  # type: ignore[arg-type]  # Qt takes None: no effect
        if flag:
            a11y.set_live_text(self.loading_label, self.tr("⏳ Đang tải số liệu năm {year}…").format(
                year=self.year()))
            self.loading_label.show()
        elif not self.loading_label.isHidden():
            self.loading_label.hide()
            a11y.announce(self.loading_label, self.tr("Đã tải xong số liệu năm {year}.").format(
                year=self.data.year if self.data is not None else self.year()), assertive=False)

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, BinhAnError):
            log.error("the overview could not be read: %s", type(error).__name__)
        self.error_label.setText(error_text(error))
        self.error_label.show()
        self.loading_label.hide()
        for widget in self._figure_widgets():
            widget.setEnabled(True)
            widget.setGraphicsEffect(None)  # type: ignore[arg-type]  # Qt takes None: no effect
        self._finished_loading()

    def _received(self, data: OverviewData) -> None:
        """The figures were read: laid out now if the page is in view, else when it next comes into view
        (someone who went straight to another page does not wait for the Overview's cards to be built)."""
        if self.isVisible():
            self._show(data)
        else:
            self._waiting = data
        self._finished_loading()

    def _show(self, data: OverviewData) -> None:
        self.data = data
        self.error_label.hide()
        self._show_headings()
        self._show_deadline(data.today)
        self.open_card.set_number(data.open_cases)
        self.overdue_card.set_number(data.overdue_cases, colour=style.ERROR if data.overdue_cases else "")
        self.activities_card.set_number(data.activities)
        self.participants_card.set_number(data.participants)
        self._show_due(data)
        self._show_targets(data)
        self._show_kinds(data)
        self._show_communes(data)
        if data.year == self.year():
            self._set_loading(False)
        self.loaded.emit(data)
        generation = self._generation

        def stale() -> bool:  # read on the worker: newer figures were asked for since these
            return self._generation != generation

        if data.communes is None and shows_communes(self.session):
            # The table by commune comes after the year's figures: the period's figures protected together.
            session = self.session
            tasks.run_in_background(lambda: None if stale() else load_communes(session, data.year, stop=stale),
                                    on_done=lambda table: self._communes_received(data, table),
                                    on_error=self._failed_quarters, owner=self)
        if self.target_cards:
            # The quarters' charts come after the year's figures.
            session, cards = self.session, list(self.target_cards)
            tasks.run_in_background(lambda: None if stale() else load_quarters(session, data.year, stop=stale),
                                    on_done=lambda quarters: self._show_quarters(data, cards, quarters),
                                    on_error=self._failed_quarters, owner=self)

    def _show_due(self, data: OverviewData) -> None:
        reference = self.session.reference
        kinds = {"follow_up": self.tr("Theo dõi"), "action": self.tr("Việc cần làm"),
                 "safety_review": self.tr("Rà soát kế hoạch an toàn"),
                 "closure_approval": self.tr("Duyệt kết thúc vụ việc"),
                 "retention": self.tr("Hết thời hạn lưu giữ thông tin nhận dạng")}
        self.due_list.clear()
        for item in data.due:
            parts = [item["code"], kinds.get(item["kind"], item["kind"]), format_date(item["due_on"])]
            if item["risk_level"]:
                parts.append(self.tr("nguy cơ: {level}").format(
                    level=reference["risk_level"].label(item["risk_level"], language())))
            if item["overdue"]:
                parts.append(self.tr("QUÁ HẠN"))
            entry = QListWidgetItem(" · ".join(parts))
            entry.setData(Qt.ItemDataRole.UserRole, item["case_id"])
            self.due_list.addItem(entry)
        if not data.due:
            entry = QListWidgetItem(self.tr("Không có việc nào đến hạn trong 7 ngày tới."))
            entry.setFlags(Qt.ItemFlag.NoItemFlags)
            self.due_list.addItem(entry)
        self.due_heading.setText(self.tr("Việc đến hạn của bạn ({count})").format(count=len(data.due)))

    def _due_opened(self, item) -> None:
        case_id = item.data(Qt.ItemDataRole.UserRole)
        if case_id:
            self.open_case_requested.emit(case_id)

    def _show_quarters(self, data: OverviewData, cards: list[TargetCard],
                       quarters: dict[str, list[TargetResult]] | None) -> None:
        if self.data is not data or quarters is None:
            return  # newer figures came (or were asked for) meanwhile; their own quarters follow them
        data.quarters = quarters
        for card in cards:
            card.show_quarters(quarters.get(card.result.code, []))
        self.quarters_loaded.emit(data)

    def _communes_received(self, data: OverviewData, table: Table | None) -> None:
        if self.data is not data or table is None:
            return  # newer figures came (or were asked for) meanwhile; their own table follows them
        data.communes = table
        self._show_communes(data)
        self.communes_loaded.emit(data)

    def _failed_quarters(self, error: BaseException) -> None:
        if isinstance(error, Cancelled):
            return  # stopped because newer figures were asked for
        if not isinstance(error, BinhAnError):
            log.error("the overview's quarters could not be read: %s", type(error).__name__)
        self.error_label.setText(error_text(error))
        self.error_label.show()

    def _show_headings(self) -> None:
        year = self.year()
        profile = profile_for(self.session, year)  # the version and plan in force that year
        lang = language()
        if profile is not None and profile.plan_is_baseline:
            self.targets_heading.setText(self.tr("Chỉ tiêu năm {year} theo chuẩn quốc gia ({plan})").format(
                year=year, plan=profile.plan_number))
        elif profile is not None and profile.has_plan:
            self.targets_heading.setText(self.tr("Chỉ tiêu năm {year} theo Kế hoạch {plan} ({province})").format(
                year=year, plan=profile.plan_number, province=profile.province(lang)))
        else:
            self.targets_heading.setText(self.tr("Chỉ tiêu năm {year}").format(year=year))
        self.kinds_heading.setText(self.tr("Hoạt động năm {year} theo loại").format(year=year))
        self.activities_card.caption.setText(self.tr("Hoạt động trong năm {year}").format(year=year))
        self.participants_card.caption.setText(
            self.tr("Lượt người tham gia hoạt động năm {year}").format(year=year))

    def _show_deadline(self, today: date) -> None:
        profile = profile_for(self.session, today.year)  # each year's deadline from the version in force then
        if profile is None:
            self.deadline_label.setText(self.tr("Đơn vị chưa chọn kế hoạch của tỉnh nên chưa có hạn báo cáo."))
            return
        report_year = today.year
        deadline = profile.deadline_for(report_year)
        if deadline < today:
            report_year += 1
            profile = profile_for(self.session, report_year)
            if profile is None:  # no plan covers next year yet: no deadline to show
                self.deadline_label.setText(self.tr("Đơn vị chưa chọn kế hoạch của tỉnh nên chưa có hạn báo cáo."))
                return
            deadline = profile.deadline_for(report_year)
        days = (deadline - today).days
        if days == 0:
            left = self.tr("hôm nay là hạn cuối")
        else:
            left = self.tr("còn {days} ngày", None, days).format(days=days)
        self.deadline_label.setText(self.tr("Hạn gửi báo cáo năm {year}: {day} ({left}) — gửi {body}").format(
            year=report_year, day=format_date(deadline), left=left,
            body=profile.recipient_for(self.session.node_info.kind, language())))
        # Red a week before, amber a month before: the days left are written in the words too.
        colour = style.ERROR if days <= 7 else style.WARNING if days <= 30 else "#333333"
        self.deadline_label.setStyleSheet(style.text_colour(colour, bold=True))
        self.deadline_days = days

    def _show_targets(self, data: OverviewData) -> None:
        for card in self.target_cards:
            self.targets_box.removeWidget(card)
            card.hide()
            card.deleteLater()
        self.target_cards = []
        if not self.session.can("case.read"):
            self.targets_note.setText(self.tr("Vai trò của bạn không xem được số liệu vụ việc."))
            return
        profile = profile_for(self.session, data.year)
        plan_notices = [en if language() == "en" else vi for kind, vi, en in (profile.notices if profile else ())
                        if kind in ("plan", "lineage")]
        if not data.targets:
            # No plan covers the year (or the plan has no targets): said plainly, never an empty page.
            self.targets_note.setText(" ".join(plan_notices) or self.tr("Kế hoạch của tỉnh chưa có chỉ tiêu nào."))
            return
        note = self.tr(
            "Chỉ tính vụ việc bạo lực trên cơ sở giới trình báo lần đầu trong năm, không trùng lặp, có sự đồng ý "
            "được thống kê (người đã rút lại sự đồng ý không được tính). Vụ việc cơ quan khác cũng đã báo cáo vẫn "
            "được tính ở đơn vị ghi nhận; chỉ tỉnh, khi đã có hồ sơ của cơ quan đó về cùng vụ việc, mới loại ra để "
            "không tính hai lần. Bấm “Cách tính” ở mỗi chỉ tiêu để xem định nghĩa.")
        self.targets_note.setText(" ".join([*plan_notices, note]))
        for result in data.targets:
            card = TargetCard(result, data.quarters.get(result.code) if data.quarters else None, data.today)
            card.numbers_button.clicked.connect(lambda _checked=False, r=result: self._target_clicked(r))
            card.numbers_button.setToolTip(self._target_list_tip(result))
            self.target_cards.append(card)
            self.targets_box.addWidget(card)
            # A layout shows a new child only on the next turn of the event loop; a click may come first.
            card.show()

    def _target_list_tip(self, result: TargetResult) -> str:
        if result.formula == "schools_integrating":
            return self.tr("Mở danh sách trường học")
        return self.tr("Mở danh sách vụ việc trình báo năm {year} (danh sách gồm cả vụ việc không được thống kê)"
                       ).format(year=result.period.year)

    def _target_clicked(self, result: TargetResult) -> None:
        if result.formula == "schools_integrating":
            self.open_list_requested.emit("registries", "schools")
        else:
            self.open_list_requested.emit("cases", CaseFilter(year=result.period.year))

    def _show_kinds(self, data: OverviewData) -> None:
        lang = language()
        kinds = self.session.reference["activity_kind"]
        ranked = sorted(data.by_kind.items(), key=lambda item: (-item[1][0], kinds.label(item[0], lang)))
        self._kind_codes = [code for code, _ in ranked]
        bars = []
        for code, (count, people) in ranked:
            label = kinds.label(code, lang)
            tip = self.tr("{kind}: {count} hoạt động, {people} lượt người tham gia").format(
                kind=label, count=format_count(count), people=format_count(people))
            bars.append(Bar(label, count, format_count(count), tip))
        self.kind_slot.setFixedHeight(kind_chart_height(len(bars), self.kind_slot.fontMetrics()))
        self.kind_slot.call("set_data", bars, axis_title=self.tr("Số hoạt động"),
                            empty_text=self.tr("Chưa có hoạt động nào được ghi trong năm {year}.").format(
                                year=data.year))

    def _show_communes(self, data: OverviewData) -> None:
        """One row a commune with cases or activities in the year, then the total; small counts hidden."""
        table = data.communes
        pending = table is None and shows_communes(self.session)
        for widget in (self.communes_heading, self.communes_note):
            widget.setVisible(table is not None or pending)
        self.communes_table.setVisible(table is not None)
        if table is None:
            if pending:
                self.communes_heading.setText(self.tr("Số liệu theo xã năm {year}").format(year=data.year))
                a11y.set_live_text(self.communes_note, self.tr("⏳ Đang tính bảng số liệu theo xã…"))
            return
        lang = language()
        self.communes_heading.setText(self.tr("Số liệu theo xã năm {year}").format(year=data.year))
        note = self.tr(
            "Theo đơn vị đã ghi (xã gửi lên qua đồng bộ); chỉ các xã có vụ việc hoặc hoạt động trong năm. "
            "Chỉ tiêu tính như ở trên, cho từng xã; ô có số nhỏ được ghi “{label}” để bảo vệ người bị bạo lực."
        ).format(label=table.suppress_label)
        if any(f.secondary for f in table.figures()):
            note += " " + self.tr(
                "Ô ghi “x” được ẩn thêm (số thật có thể lớn) để không tính ngược ra được các ô ghi “{label}”."
            ).format(label=table.suppress_label)
        self.communes_note.setText(note)
        self.communes_note.setAccessibleName("")  # its text again, not the loading line's
        labels = {f"target_{r.code}": r.label(lang) for r in data.targets}
        grid = self.communes_table
        grid.clear()
        grid.setColumnCount(len(table.columns))
        grid.setHorizontalHeaderLabels([c.label(lang) for c in table.columns])
        for n, column in enumerate(table.columns):
            heading = grid.horizontalHeaderItem(n)  # made by setHorizontalHeaderLabels above
            if column.key in labels and heading is not None:
                heading.setToolTip(labels[column.key])
        lines = list(table.rows) + ([table.total] if table.total else [])
        grid.setRowCount(len(lines))
        for row, line in enumerate(lines):
            for n, (column, cell) in enumerate(zip(table.columns, line, strict=True)):
                item = QTableWidgetItem(self._cell_text(column.kind, cell, table.suppress_label))
                if column.kind in (COUNT, PERCENT):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if table.total is not None and row == len(lines) - 1:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                grid.setItem(row, n, item)
        header = grid.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for n in range(1, len(table.columns)):
            header.setSectionResizeMode(n, QHeaderView.ResizeMode.ResizeToContents)

    @staticmethod
    def _cell_text(kind: str, cell, suppressed_label: str) -> str:
        if isinstance(cell, Figure):
            if cell.suppressed:
                return cell.hidden_text(suppressed_label)
            cell = cell.value
        if cell is None:
            return "—"
        if kind == PERCENT:
            return percent_text(cell)
        if kind == COUNT:
            return format_count(int(cell))
        return str(cell)

    def _kind_clicked(self, index: int) -> None:
        if 0 <= index < len(self._kind_codes):
            self.open_list_requested.emit("activities", ActivityFilter(year=self.year(),
                                                                        kind=self._kind_codes[index]))


__all__ = ["OverviewData", "OverviewPage", "load_overview", "load_quarters", "percent_text"]
