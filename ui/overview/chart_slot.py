"""Where a chart of the Overview goes, before and after matplotlib is loaded.

Loading matplotlib's Qt backend (~0.3 s) and drawing a chart (~0.15 s) used to
sit between the password and the Overview's first figures (DESIGN §8: a usable
window in 1.5 s). A `ChartSlot` takes the chart's place in the layout at its
size, keeps what the page tells the chart, and makes the real chart
(`ui.overview.charts`) one turn of the event loop after the slot is first
painted with something to show: the figures, the targets' values and words
are on screen first, the charts follow. A slot never painted (scrolled below
the fold, a hidden page) makes no chart; code that asks for `chart()` gets it
made at once.

Nothing here imports matplotlib: the data the charts take (`Column`, `Bar`)
and the kind chart's height live here so the page can use them beforehand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ui.qt import QFontMetrics, QSize, QSizePolicy, QTimer, QVBoxLayout, QWidget, Signal


@dataclass(frozen=True)
class Column:
    label: str               # under the column ("Quý I")
    value: float | None      # None: no data for that quarter
    text: str                # written on the column ("94,1%", "—")
    tooltip: str = ""


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    text: str                # the number as written at the bar's end
    tooltip: str = ""


#: The quarter chart's size: what it asks for and the least it takes.
QUARTER_CHART_HINT = QSize(380, 230)
QUARTER_CHART_MINIMUM = QSize(300, 200)
#: The kind chart's preferred width, and the space between two of its bars, in pixels.
KIND_CHART_HINT_WIDTH = 600
KIND_ROW_SPACING = 12


def kind_chart_height(bars: int, metrics: QFontMetrics) -> int:
    """The kind chart's height for `bars` rows in a font of `metrics`: a row a bar, the axis and its title."""
    return max(bars, 1) * (metrics.height() + KIND_ROW_SPACING) + metrics.height() * 3 + 24


class ChartSlot(QWidget):
    """A chart's place: empty and sized like it until first painted, then the chart itself.

    `make()` returns the chart widget (it may import matplotlib). Calls made
    through `call(name, ...)` before the chart exists are kept (the last one of
    each method) and replayed on it, in order, once it is made; afterwards they
    go straight to it.
    """

    #: The chart was made and put in its place.
    made = Signal(object)

    def __init__(self, make: Callable[[], QWidget], hint: QSize, minimum: QSize | None = None,
                 policy: tuple[QSizePolicy.Policy, QSizePolicy.Policy] = (QSizePolicy.Policy.Expanding,
                                                                           QSizePolicy.Policy.Preferred),
                 parent=None):
        super().__init__(parent)
        self._make = make
        self._hint = hint
        self._chart: QWidget | None = None
        self._calls: list[tuple[str, tuple, dict]] = []
        self._scheduled = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if minimum is not None:
            self.setMinimumSize(minimum)
        self.setSizePolicy(*policy)

    @property
    def is_made(self) -> bool:
        return self._chart is not None

    def chart(self) -> QWidget:
        """The chart, made now if it was not yet (with every call kept so far played on it)."""
        if self._chart is None:
            chart = self._make()
            for name, args, kwargs in self._calls:
                getattr(chart, name)(*args, **kwargs)
            self._calls.clear()
            layout = self.layout()
            if layout is None:  # made in __init__, never taken away
                raise RuntimeError("the chart slot has lost its layout")
            layout.addWidget(chart)
            self._chart = chart
            self.made.emit(chart)
        return self._chart

    def call(self, name: str, *args, **kwargs) -> None:
        """Call the chart's method `name`, now if the chart exists, else once it is made."""
        if self._chart is not None:
            getattr(self._chart, name)(*args, **kwargs)
            return
        # What a later call of the same method says replaces what an earlier one said (a page read again
        # while its chart is out of sight keeps one set of data, not one a reading).
        for index, (kept, _args, _kwargs) in enumerate(self._calls):
            if kept == name:
                self._calls[index] = (name, args, kwargs)
                break
        else:
            self._calls.append((name, args, kwargs))
        self.update()  # on screen, waiting for its data: made after its next paint

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self._chart.sizeHint() if self._chart is not None else self._hint

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        # Painted means seen: the chart is made on the next turn, after the rest of this paint is on screen,
        # once there is something to show in it.
        if self._calls and self._chart is None and not self._scheduled:
            self._scheduled = True
            QTimer.singleShot(0, self._make_when_seen)
        super().paintEvent(event)

    def _make_when_seen(self) -> None:
        self._scheduled = False
        if self._chart is None and self.isVisible():
            self.chart()


__all__ = ["Bar", "ChartSlot", "Column", "KIND_CHART_HINT_WIDTH", "KIND_ROW_SPACING", "QUARTER_CHART_HINT",
           "QUARTER_CHART_MINIMUM", "kind_chart_height"]
