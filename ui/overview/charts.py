"""Two small charts drawn with QPainter (QtCharts is not shipped with the app).

`QuarterChart`: a target's value in each quarter as columns on a 0–100 %
scale, with the goal as a dashed line; a quarter without data is an empty
outlined column marked "—". `KindBarChart`: counts as horizontal bars, one a
row, its label on the left (whole in the tooltip), the number at its end, an
axis with ticks below; a click on a row emits `bar_clicked(index)`.

Every text they draw is given to them already translated, so they read the
same in Vietnamese and English; colours never carry meaning alone (each column
also has its number written on it).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ui.qt import (QColor, QEvent, QFont, QFontMetrics, QPainter, QPen, QPoint, QRect, QSize, QSizePolicy, Qt,
                   QToolTip, QWidget, Signal)

AXIS_COLOUR = QColor("#757575")
GRID_COLOUR = QColor("#e0e0e0")
GOAL_COLOUR = QColor("#c62828")
MET_COLOUR = QColor("#2e7d32")
SHORT_COLOUR = QColor("#ef8f00")
BAR_COLOUR = QColor("#1e63b4")
NO_DATA_COLOUR = QColor("#9e9e9e")


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


@dataclass(frozen=True)
class Column:
    label: str               # under the column ("Quý I")
    value: float | None      # None: no data for that quarter
    text: str                # written on the column ("94,1%", "—")
    tooltip: str = ""


class QuarterChart(QWidget):
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
        self.setMinimumSize(300, 190)
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
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(380, 210)

    def _plot(self) -> QRect:
        metrics = self.fontMetrics()
        left = metrics.horizontalAdvance("100%") + 14
        top = metrics.height() + 8
        bottom = metrics.height() + 8 + len(self._key_lines()) * (metrics.height() + 4)
        return QRect(left, top, max(self.width() - left - 10, 10), max(self.height() - top - bottom, 10))

    def column_rect(self, index: int) -> QRect:
        plot = self._plot()
        slot = plot.width() / max(len(self.columns), 1)
        width = int(min(slot * 0.56, 70))
        x = int(plot.left() + slot * index + (slot - width) / 2)
        return QRect(x, plot.top(), width, plot.height())

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        plot = self._plot()
        values = [c.value for c in self.columns if c.value is not None]
        top_value = max([100.0, *(values or [0]), self.goal or 0])
        step = nice_step(top_value, 4)
        top_value = math.ceil(top_value / step) * step

        def y_of(value: float) -> int:
            return int(plot.bottom() - plot.height() * value / top_value)

        # Grid and the value axis.
        painter.setPen(AXIS_COLOUR)
        painter.drawText(QRect(0, 0, plot.left() - 6, metrics.height()),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, self.axis_title)
        tick = 0.0
        while tick <= top_value + 1e-9:
            y = y_of(tick)
            painter.setPen(QPen(GRID_COLOUR, 1))
            painter.drawLine(plot.left(), y, plot.right(), y)
            painter.setPen(AXIS_COLOUR)
            painter.drawText(QRect(0, y - metrics.height() // 2, plot.left() - 6, metrics.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{tick:g}%")
            tick += step
        painter.setPen(QPen(AXIS_COLOUR, 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.drawLine(plot.topLeft(), plot.bottomLeft())

        # Columns, their numbers above and their quarters below.
        bold = QFont(self.font())
        bold.setBold(True)
        bold_metrics = QFontMetrics(bold)
        numbers: list[tuple[QRect, str, QColor]] = []
        for index, column in enumerate(self.columns):
            rect = self.column_rect(index)
            label_rect = QRect(rect.left() - 30, plot.bottom() + 4, rect.width() + 60, metrics.height())
            painter.setPen(self.palette().text().color())
            painter.drawText(label_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, column.label)
            if column.value is None:
                painter.setPen(QPen(NO_DATA_COLOUR, 1, Qt.PenStyle.DashLine))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                empty = QRect(rect.left(), plot.bottom() - 24, rect.width(), 24)
                painter.drawRect(empty)
                top = empty.top()
                colour = NO_DATA_COLOUR
            else:
                top = y_of(column.value)
                bar = QRect(rect.left(), top, rect.width(), max(plot.bottom() - top, 1))
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(MET_COLOUR if self.meets(column.value) else SHORT_COLOUR)
                painter.drawRect(bar)
                colour = self.palette().text().color()
            width = bold_metrics.horizontalAdvance(column.text) + 6
            numbers.append((QRect(rect.center().x() - width // 2, max(top - metrics.height() - 2, 0), width,
                                  metrics.height()), column.text, colour))

        # The goal, dashed across the plot (its wording is in the key below).
        if self.goal is not None:
            y = y_of(self.goal)
            painter.setPen(QPen(GOAL_COLOUR, 2, Qt.PenStyle.DashLine))
            painter.drawLine(plot.left(), y, plot.right(), y)

        # Each column's number last, on a patch of background, so the goal line never strikes it through.
        painter.setFont(bold)
        for rect, text, colour in numbers:
            painter.fillRect(rect, self.palette().base())
            painter.setPen(colour)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.setFont(self.font())

        # The key to the colours and the goal line, in words, under the quarters.
        y = plot.bottom() + metrics.height() + 8
        for line in self._key_lines():
            for x, kind, text in line:
                if kind == "goal":
                    painter.setPen(QPen(GOAL_COLOUR, 2, Qt.PenStyle.DashLine))
                    middle = y + metrics.height() // 2
                    painter.drawLine(x, middle, x + 18, middle)
                    painter.setPen(GOAL_COLOUR)
                    x += 22
                else:
                    painter.fillRect(QRect(x, y + (metrics.height() - 10) // 2, 10, 10), kind)
                    painter.setPen(AXIS_COLOUR)
                    x += 14
                painter.drawText(QRect(x, y, metrics.horizontalAdvance(text) + 4, metrics.height()),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
            y += metrics.height() + 4
        painter.end()

    def _key_lines(self) -> list[list[tuple[int, object, str]]]:
        """The key's entries (x, colour or "goal", text), wrapped into lines that fit the width."""
        metrics = self.fontMetrics()
        entries = [(MET_COLOUR, self._key_met, 14), (SHORT_COLOUR, self._key_short, 14)]
        if self.goal is not None and self.goal_text:
            entries.append(("goal", self.goal_text, 22))
        left = metrics.horizontalAdvance("100%") + 14
        lines: list[list[tuple[int, object, str]]] = [[]]
        x = left
        for kind, text, mark in entries:
            if not text:
                continue
            width = mark + metrics.horizontalAdvance(text) + 16
            if lines[-1] and x + width > self.width():
                lines.append([])
                x = left
            lines[-1].append((x, kind, text))
            x += width
        return [line for line in lines if line] or [[]]

    def set_key(self, met: str, short: str) -> None:
        """Words for the two colours ("reaches the goal", "below the goal")."""
        self._key_met, self._key_short = met, short
        self.update()

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            for index, column in enumerate(self.columns):
                if self.column_rect(index).adjusted(-10, 0, 10, 30).contains(event.pos()):
                    QToolTip.showText(event.globalPos(), column.tooltip or f"{column.label}: {column.text}", self)
                    return True
            QToolTip.hideText()
            event.ignore()
            return True
        return super().event(event)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    text: str                # the number as written at the bar's end
    tooltip: str = ""


class KindBarChart(QWidget):
    """Horizontal bars, biggest first as given; clicking a bar emits its index."""

    #: A bar was clicked; carries its index in the data given.
    bar_clicked = Signal(int)

    ROW_SPACING = 6

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("kindBarChart")
        self.bars: list[Bar] = []
        self.axis_title = ""
        self.empty_text = ""
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_data(self, bars: Sequence[Bar], *, axis_title: str, empty_text: str) -> None:
        self.bars = list(bars)
        self.axis_title = axis_title
        self.empty_text = empty_text
        self.setAccessibleDescription("; ".join(f"{b.label}: {b.text}" for b in self.bars))
        self.setFixedHeight(self.sizeHint().height())
        self.updateGeometry()
        self.update()

    def _row_height(self) -> int:
        return self.fontMetrics().height() + self.ROW_SPACING

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        rows = max(len(self.bars), 1)
        return QSize(600, rows * self._row_height() + self.fontMetrics().height() * 2 + 24)

    def _label_width(self) -> int:
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(b.label) for b in self.bars), default=0)
        return min(widest + 12, max(int(self.width() * 0.42), 160))

    def _plot(self) -> QRect:
        metrics = self.fontMetrics()
        left = self._label_width()
        right_room = metrics.horizontalAdvance("00 000") + 16
        return QRect(left, 4, max(self.width() - left - right_room, 10), len(self.bars) * self._row_height())

    def bar_rect(self, index: int) -> QRect:
        """The row of bar `index` (label and bar), in widget coordinates."""
        return QRect(0, 4 + index * self._row_height(), self.width(), self._row_height())

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        if not self.bars:
            painter.setPen(AXIS_COLOUR)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            painter.end()
            return
        plot = self._plot()
        top_value = max(b.value for b in self.bars) or 1
        step = nice_step(top_value, 5)
        step = max(step, 1)
        top_value = math.ceil(top_value / step) * step

        def x_of(value: float) -> int:
            return int(plot.left() + plot.width() * value / top_value)

        # Grid lines and the count axis under the bars.
        tick = 0.0
        axis_y = plot.bottom() + 2
        while tick <= top_value + 1e-9:
            x = x_of(tick)
            painter.setPen(QPen(GRID_COLOUR, 1))
            painter.drawLine(x, plot.top(), x, axis_y)
            painter.setPen(AXIS_COLOUR)
            text = f"{tick:g}"
            painter.drawText(QRect(x - 30, axis_y + 3, 60, metrics.height()), Qt.AlignmentFlag.AlignCenter, text)
            tick += step
        painter.setPen(QPen(AXIS_COLOUR, 1))
        painter.drawLine(plot.left(), axis_y, plot.right(), axis_y)
        painter.drawLine(plot.left(), plot.top(), plot.left(), axis_y)
        painter.drawText(QRect(plot.left(), axis_y + metrics.height() + 4, plot.width(), metrics.height()),
                         Qt.AlignmentFlag.AlignCenter, self.axis_title)

        bar_height = metrics.height() - 2
        for index, bar in enumerate(self.bars):
            row = self.bar_rect(index)
            painter.setPen(self.palette().text().color())
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, plot.left() - 12)
            painter.drawText(QRect(4, row.top(), plot.left() - 12, row.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
            width = max(x_of(bar.value) - plot.left(), 1 if bar.value else 0)
            top = row.top() + (row.height() - bar_height) // 2
            painter.fillRect(QRect(plot.left() + 1, top, width, bar_height), BAR_COLOUR)
            painter.drawText(QRect(plot.left() + width + 6, row.top(), 80, row.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, bar.text)
        painter.end()

    def index_at(self, point: QPoint) -> int:
        for index in range(len(self.bars)):
            if self.bar_rect(index).contains(point):
                return index
        return -1

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt's name
        index = self.index_at(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton and index >= 0:
            self.bar_clicked.emit(index)
            return
        super().mouseReleaseEvent(event)

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
