"""The Overview page's two charts, drawn by matplotlib inside Qt (its QtAgg backend, which runs on PySide6).

`QuarterChart`: a target's value in each quarter as columns on a 0–100 %
scale, with the goal as a dashed line and a legend for the colours and the
line; a quarter without data is an empty dashed column marked "—".
`KindBarChart`: counts as horizontal bars, one a row, its label on the left
(whole in the tooltip), the number at its end, a count axis below; a click on
a row emits `bar_clicked(index)` (matplotlib's `button_press_event`).

Every text they draw is given to them already translated, so they read the
same in Vietnamese and English; the text is set in the bundled Noto Sans, so
Vietnamese diacritics (Ắ, Ẵ, ệ) are whole. Colours never carry meaning alone:
each column also has its number written on it.
"""

from __future__ import annotations

import math
import os
from typing import Any
from collections.abc import Callable, Sequence

os.environ.setdefault("QT_API", "pyside6")

from matplotlib import font_manager  # noqa: E402 - QT_API must be set first
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg  # noqa: E402
from matplotlib.artist import Artist  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch, Rectangle  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from app.paths import resources_dir  # noqa: E402
from ui import style  # noqa: E402
from ui.overview.chart_slot import (KIND_CHART_HINT_WIDTH, KIND_ROW_SPACING, QUARTER_CHART_HINT,  # noqa: E402
                                    QUARTER_CHART_MINIMUM, Bar, Column, kind_chart_height)
from ui.qt import QEvent, QFontMetrics, QPoint, QRect, QSize, QSizePolicy, Qt, QToolTip, Signal  # noqa: E402

# Colours from the palette (ui.style), where their contrast on white is checked; a short column is hatched as
# well as coloured, so the colour never tells "below the goal" alone.
AXIS_COLOUR = style.CHART_AXIS
GRID_COLOUR = "#e0e0e0"
GOAL_COLOUR = style.CHART_GOAL
MET_COLOUR = style.CHART_MET
SHORT_COLOUR = style.CHART_SHORT
SHORT_HATCH = "///"
BAR_COLOUR = style.CHART_BAR
NO_DATA_COLOUR = style.CHART_NO_DATA
TEXT_COLOUR = style.CHART_TEXT

FONT_FAMILY = "Noto Sans"
FONT_SIZE = 9.0  # points, at the widget's logical dpi: the size of the window's own text


def _register_fonts() -> str:
    """Give matplotlib the bundled Noto Sans (Vietnamese glyphs); the family to use, or its default if missing."""
    found = False
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"):
        path = resources_dir() / "fonts" / name
        if path.is_file():
            font_manager.fontManager.addfont(str(path))
            found = True
    return FONT_FAMILY if found else "DejaVu Sans"


# Noto Sans first (Vietnamese); matplotlib's own DejaVu Sans for what it lacks ("≥" in "Mục tiêu ≥ 90%").
_FAMILY = [_register_fonts(), "DejaVu Sans"]


def nice_step(top: float, ticks: int = 5) -> float:
    """A round step (1, 2, 2.5, 5 × 10^n) that divides 0..top into about `ticks` parts."""
    if top <= 0:
        return 1
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


class _Canvas(FigureCanvasQTAgg):
    """A matplotlib figure as a Qt widget, in Noto Sans at the window's text size, redrawn on resize.

    Drawing a figure costs a tenth of a second or more (text layout, the constrained
    layout), so a chart is rebuilt and drawn only when Qt paints it, once however many
    times its data, its words or its size changed before (a new page lays its charts
    out several times before it is first shown), and not at all while it is out of
    sight: a chart scrolled below the fold is drawn when it is scrolled into view.
    """

    def __init__(self, parent=None):
        figure = Figure(facecolor="white")
        super().__init__(figure)
        if parent is not None:
            self.setParent(parent)
        figure.set_dpi(max(self.logicalDpiY(), 72))
        self._font: dict[str, Any] = {"family": _FAMILY, "size": FONT_SIZE}
        self._stale = True

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self._stale = True  # labels are cut and the legend laid out for the width
        super().resizeEvent(event)

    def _render(self) -> None:
        """Draw the figure: every chart (QuarterChart, KindBarChart) defines it; the base never draws."""
        raise NotImplementedError("each chart class draws itself")

    def _redraw(self) -> None:
        """The data or the words changed: rebuild the figure and draw it when it is next painted."""
        self._stale = True
        self.update()

    def draw_idle(self) -> None:
        # matplotlib's draws at the next turn of the event loop, seen or not; here the paint decides.
        self.update()

    def draw(self) -> None:
        """Rebuild the figure first if something changed since it was last built, then draw it now."""
        if self._stale and self.width() > 0 and self.height() > 0:
            self._stale = False
            self._render()
        super().draw()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self._drawn()
        super().paintEvent(event)

    def _drawn(self) -> None:
        """Draw now if the figure is not up to date: positions in it are read from the last drawing."""
        if self._stale and self.width() > 0 and self.height() > 0:
            self.draw()

    def _to_widget_y(self, display_y: float) -> float:
        """A y in matplotlib's display pixels (from the bottom) as a y in the widget (from the top)."""
        return (self.figure.bbox.height - display_y) / self.devicePixelRatioF()


class QuarterChart(_Canvas):
    """Columns for the quarters of a year against a goal line (percent)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("quarterChart")
        self.columns: list[Column] = []
        self.goal: float | None = None
        self.goal_text = ""
        self.meets: Callable[[float], bool] = lambda value: True
        self.axis_title = "%"
        self.no_data_text = ""
        self._key_met = self._key_short = ""
        self.axes = None
        self.setMinimumSize(QUARTER_CHART_MINIMUM)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMouseTracking(True)

    def set_data(self, columns: Sequence[Column], *, goal: float | None, goal_text: str,
                 meets: Callable[[float], bool], no_data_text: str, axis_title: str = "%") -> None:
        self.columns = list(columns)
        self.goal = goal
        self.goal_text = goal_text
        self.meets = meets
        self.no_data_text = no_data_text
        self.axis_title = axis_title
        self.setAccessibleDescription("; ".join(f"{c.label}: {c.text}" for c in self.columns))
        self._redraw()

    def set_key(self, met: str, short: str) -> None:
        """Words for the two colours ("reaches the goal", "below the goal")."""
        self._key_met, self._key_short = met, short
        self._redraw()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QUARTER_CHART_HINT

    def _top_value(self) -> float:
        values = [c.value for c in self.columns if c.value is not None]
        top = max([100.0, *(values or [0]), self.goal or 0])
        step = nice_step(top, 4)
        return math.ceil(top / step) * step

    def _render(self) -> None:
        figure = self.figure
        figure.clear()
        font = self._font
        small = {**font, "size": FONT_SIZE - 0.5}
        axes = self.axes = figure.add_subplot()
        top_value = self._top_value()
        step = nice_step(top_value, 4)
        positions = list(range(len(self.columns)))

        axes.set_ylim(0, top_value * 1.1)   # room for the numbers over a full column
        axes.set_yticks([step * i for i in range(int(round(top_value / step)) + 1)])
        axes.yaxis.set_major_formatter(FuncFormatter(lambda tick, _pos: f"{tick:g}%"))
        axes.set_xlim(-0.6, max(len(self.columns), 1) - 0.4)
        axes.set_xticks(positions, [c.label for c in self.columns], fontdict=font, color=TEXT_COLOUR)
        for label in axes.get_yticklabels():
            label.set_fontfamily(_FAMILY)
            label.set_fontsize(FONT_SIZE - 0.5)
        axes.tick_params(colors=AXIS_COLOUR, length=3)
        axes.tick_params(axis="x", colors=TEXT_COLOUR, length=0)
        axes.grid(axis="y", color=GRID_COLOUR, linewidth=0.8)
        axes.set_axisbelow(True)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        for side in ("left", "bottom"):
            axes.spines[side].set_color(AXIS_COLOUR)
        if self.axis_title and self.axis_title != "%":  # the ticks already say "%"
            axes.set_ylabel(self.axis_title, fontdict=small, color=AXIS_COLOUR)

        width = 0.56
        for index, column in enumerate(self.columns):
            if column.value is None:
                height = top_value * 0.08
                axes.add_patch(Rectangle((index - width / 2, 0), width, height, fill=False,
                                         edgecolor=NO_DATA_COLOUR, linestyle="--", linewidth=1))
                top, colour = height, NO_DATA_COLOUR
            else:
                met = self.meets(column.value)
                axes.bar(index, column.value, width=width, color=MET_COLOUR if met else SHORT_COLOUR, zorder=2,
                         hatch=None if met else SHORT_HATCH, edgecolor="white" if not met else None,
                         linewidth=0)
                top, colour = column.value, TEXT_COLOUR
            # The number over its column on a patch of white, so the goal line never strikes it through.
            axes.annotate(column.text, (index, top), xytext=(0, 3), textcoords="offset points",
                          ha="center", va="bottom", color=colour, zorder=5,
                          fontfamily=_FAMILY, fontsize=FONT_SIZE, fontweight="bold",
                          bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"})

        handles: list[Artist] = []
        if self._key_met:
            handles.append(Patch(facecolor=MET_COLOUR, label=self._key_met))
        if self._key_short:
            handles.append(Patch(facecolor=SHORT_COLOUR, hatch=SHORT_HATCH, edgecolor="white", label=self._key_short))
        if self.goal is not None:
            axes.axhline(self.goal, color=GOAL_COLOUR, linestyle=(0, (4, 3)), linewidth=1.6, zorder=3)
            if self.goal_text:
                handles.append(Line2D([], [], color=GOAL_COLOUR, linestyle=(0, (4, 3)), linewidth=1.6,
                                      label=self.goal_text))
        if handles:
            metrics = QFontMetrics(self.font())
            needed = sum(metrics.horizontalAdvance(str(h.get_label())) + 40 for h in handles)
            columns = len(handles) if needed <= self.width() else 2
            figure.legend(handles=handles, loc="outside lower center", ncols=columns, frameon=False,
                          prop=small, handlelength=1.6, columnspacing=1.2, handletextpad=0.5,
                          labelcolor=TEXT_COLOUR)
        figure.set_layout_engine("constrained", w_pad=0.04, h_pad=0.04)

    def column_rect(self, index: int) -> QRect:
        """The slot of column `index` (whole height of the plot), in widget coordinates."""
        self._drawn()
        if self.axes is None:
            return QRect()
        ratio = self.devicePixelRatioF()
        transform = self.axes.transData
        (x0, y0), (x1, y1) = transform.transform([(index - 0.4, 0), (index + 0.4, self.axes.get_ylim()[1])])
        top, bottom = self._to_widget_y(y1), self._to_widget_y(y0)
        return QRect(int(x0 / ratio), int(top), max(int((x1 - x0) / ratio), 1), max(int(bottom - top), 1))

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            for index, column in enumerate(self.columns):
                if self.column_rect(index).adjusted(0, 0, 0, 30).contains(event.pos()):
                    QToolTip.showText(event.globalPos(), column.tooltip or f"{column.label}: {column.text}", self)
                    return True
            QToolTip.hideText()
            event.ignore()
            return True
        return super().event(event)


class KindBarChart(_Canvas):
    """Horizontal bars, biggest first as given; clicking a bar (or its label) emits its index."""

    #: A bar was clicked; carries its index in the data given.
    bar_clicked = Signal(int)

    ROW_SPACING = KIND_ROW_SPACING

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("kindBarChart")
        self.bars: list[Bar] = []
        self.axis_title = ""
        self.empty_text = ""
        self.axes = None
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.mpl_connect("button_press_event", self._pressed)

    def set_data(self, bars: Sequence[Bar], *, axis_title: str, empty_text: str) -> None:
        self.bars = list(bars)
        self.axis_title = axis_title
        self.empty_text = empty_text
        self.setAccessibleDescription("; ".join(f"{b.label}: {b.text}" for b in self.bars))
        self.setFixedHeight(self.sizeHint().height())
        self.updateGeometry()
        self._redraw()

    def _row_height(self) -> int:
        return self.fontMetrics().height() + self.ROW_SPACING

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(KIND_CHART_HINT_WIDTH, kind_chart_height(len(self.bars), self.fontMetrics()))

    def _label(self, text: str) -> str:
        """A bar's label cut to at most ~40 % of the width (whole in the tooltip)."""
        metrics = QFontMetrics(self.font())
        room = max(int(self.width() * 0.4), 140)
        return metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)

    def _render(self) -> None:
        figure = self.figure
        figure.clear()
        font = self._font
        if not self.bars:
            self.axes = None
            figure.set_layout_engine("none")
            figure.text(0.5, 0.5, self.empty_text, ha="center", va="center", color=AXIS_COLOUR, **font)
            return
        axes = self.axes = figure.add_subplot()
        positions = list(range(len(self.bars)))
        axes.barh(positions, [b.value for b in self.bars], height=0.62, color=BAR_COLOUR, zorder=2)
        axes.set_yticks(positions, [self._label(b.label) for b in self.bars], fontdict=font, color=TEXT_COLOUR)
        axes.set_ylim(len(self.bars) - 0.5, -0.5)  # the first bar on top
        top_value = max(b.value for b in self.bars) or 1
        axes.set_xlim(0, top_value * 1.12)  # room for the number at the longest bar's end
        axes.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True, steps=[1, 2, 5, 10]))
        axes.xaxis.set_major_formatter(FuncFormatter(lambda tick, _pos: f"{tick:g}"))
        for label in axes.get_xticklabels():
            label.set_fontfamily(_FAMILY)
            label.set_fontsize(FONT_SIZE - 0.5)
        axes.tick_params(axis="x", colors=AXIS_COLOUR, length=3)
        axes.tick_params(axis="y", length=0, pad=6)
        axes.grid(axis="x", color=GRID_COLOUR, linewidth=0.8)
        axes.set_axisbelow(True)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        for side in ("left", "bottom"):
            axes.spines[side].set_color(AXIS_COLOUR)
        if self.axis_title:
            axes.set_xlabel(self.axis_title, fontdict={**font, "size": FONT_SIZE - 0.5}, color=AXIS_COLOUR)
        for index, bar in enumerate(self.bars):
            axes.annotate(bar.text, (bar.value, index), xytext=(5, 0), textcoords="offset points",
                          ha="left", va="center", color=TEXT_COLOUR, fontfamily=_FAMILY, fontsize=FONT_SIZE)
        figure.set_layout_engine("constrained", w_pad=0.04, h_pad=0.04)

    def bar_rect(self, index: int) -> QRect:
        """The row of bar `index` (label and bar), across the widget, in widget coordinates."""
        self._drawn()  # the layout engine places the axes when drawing
        if self.axes is None or not 0 <= index < len(self.bars):
            return QRect()
        (_x, y0), (_x1, y1) = self.axes.transData.transform([(0, index + 0.5), (0, index - 0.5)])
        top, bottom = self._to_widget_y(y1), self._to_widget_y(y0)
        return QRect(0, int(top), self.width(), max(int(bottom - top), 1))

    def _index_at_display(self, display_y: float) -> int:
        if self.axes is None:
            return -1
        _x, y = self.axes.transData.inverted().transform((0, display_y))
        index = round(y)
        return index if 0 <= index < len(self.bars) and abs(y - index) <= 0.5 else -1

    def index_at(self, point: QPoint) -> int:
        """The bar whose row holds `point` (widget coordinates), or -1."""
        self._drawn()
        if self.axes is None:
            return -1
        return self._index_at_display(self.figure.bbox.height - point.y() * self.devicePixelRatioF())

    def _pressed(self, event) -> None:
        """matplotlib's button_press_event: a left click on a bar's row opens that kind."""
        self._drawn()
        if event.button != 1 or self.axes is None:
            return
        index = self._index_at_display(event.y)
        if index >= 0:
            self.bar_clicked.emit(index)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            index = self.index_at(event.pos())
            if index >= 0:
                bar = self.bars[index]
                QToolTip.showText(event.globalPos(), bar.tooltip or f"{bar.label}: {bar.text}", self)
                return True
            QToolTip.hideText()
            event.ignore()
            return True
        return super().event(event)


__all__ = ["Bar", "Column", "KindBarChart", "QuarterChart", "nice_step"]
