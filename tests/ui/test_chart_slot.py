"""A chart's place on the Overview: the chart is made once the place is seen with data, never before."""

from __future__ import annotations

from ui.overview.chart_slot import ChartSlot
from ui.qt import QApplication, QSize, QVBoxLayout, QWidget


class FakeChart(QWidget):
    made = 0

    def __init__(self):
        super().__init__()
        FakeChart.made += 1
        self.received: list[tuple] = []

    def set_data(self, *args, **kwargs):
        self.received.append(("set_data", args, kwargs))

    def set_key(self, *args):
        self.received.append(("set_key", args, {}))


def a_slot(qtbot) -> tuple[QWidget, ChartSlot]:
    holder = QWidget()
    slot = ChartSlot(FakeChart, QSize(200, 120))
    QVBoxLayout(holder).addWidget(slot)
    qtbot.addWidget(holder)
    holder.resize(300, 200)
    return holder, slot


def settle(rounds: int = 5) -> None:
    for _ in range(rounds):
        QApplication.processEvents()


def test_what_the_page_says_before_the_chart_exists_reaches_it_in_order(qtbot):
    holder, slot = a_slot(qtbot)
    slot.call("set_data", [1, 2], goal=90)
    slot.call("set_key", "đạt", "chưa đạt")
    assert not slot.is_made
    chart = slot.chart()  # asked for: made at once
    assert chart.received == [("set_data", ([1, 2],), {"goal": 90}), ("set_key", ("đạt", "chưa đạt"), {})]
    slot.call("set_data", [3])
    assert chart.received[-1] == ("set_data", ([3],), {})
    assert slot.chart() is chart


def test_a_chart_never_seen_keeps_only_the_last_data_it_was_given(qtbot):
    holder, slot = a_slot(qtbot)
    for year in range(2020, 2026):  # the page read again and again while the chart was out of sight
        slot.call("set_data", [year])
        slot.call("set_key", "đạt", str(year))
    assert slot.chart().received == [("set_data", ([2025],), {}), ("set_key", ("đạt", "2025"), {})]


def test_the_chart_is_made_after_its_place_is_painted_with_data(qtbot):
    holder, slot = a_slot(qtbot)
    slot.call("set_data", [1])
    assert not slot.is_made  # built, not yet seen
    holder.show()
    qtbot.waitExposed(holder)
    qtbot.waitUntil(lambda: slot.is_made, timeout=2000)
    assert slot.chart().parent() is slot and slot.chart().received == [("set_data", ([1],), {})]


def test_a_place_seen_without_data_makes_its_chart_once_the_data_comes(qtbot):
    holder, slot = a_slot(qtbot)
    holder.show()
    qtbot.waitExposed(holder)
    settle()
    assert not slot.is_made  # nothing to show yet: matplotlib is not loaded for an empty chart
    slot.call("set_data", [7])
    qtbot.waitUntil(lambda: slot.is_made, timeout=2000)
    assert slot.chart().received == [("set_data", ([7],), {})]


def test_a_place_never_seen_makes_no_chart(qtbot):
    holder, slot = a_slot(qtbot)
    slot.call("set_data", [1])
    slot.hide()
    holder.show()
    qtbot.waitExposed(holder)
    settle()
    assert not slot.is_made
