"""The Overview's charts are drawn when they are seen, once, not each time their data or size changes."""

from __future__ import annotations

from ui.overview.charts import Bar, Column, KindBarChart, QuarterChart
from ui.qt import QScrollArea, QVBoxLayout, QWidget


def counting_renders(chart) -> list[int]:
    renders: list[int] = []
    render = chart._render
    chart._render = lambda: (renders.append(1), render())
    return renders


def test_a_chart_changed_many_times_before_it_is_shown_is_drawn_once(qtbot):
    chart = QuarterChart()
    qtbot.addWidget(chart)
    renders = counting_renders(chart)
    for value in (20.0, 50.0, 95.0):
        chart.set_data([Column("Quý I", value, f"{value:g}%"), Column("Quý II", None, "—")], goal=90,
                       goal_text="Mục tiêu ≥ 90%", meets=lambda v: v >= 90, no_data_text="—")
    chart.set_key("Đạt mục tiêu", "Chưa đạt")
    chart.resize(420, 240)
    assert renders == []
    chart.show()
    qtbot.waitExposed(chart)
    qtbot.waitUntil(lambda: renders == [1], timeout=3000)
    qtbot.wait(50)
    assert renders == [1]
    assert [c.value for c in chart.columns] == [95.0, None]


def test_a_chart_below_the_fold_is_drawn_when_scrolled_into_view(qtbot):
    content = QWidget()
    column = QVBoxLayout(content)
    spacer = QWidget()
    spacer.setFixedHeight(2000)
    chart = KindBarChart()
    column.addWidget(spacer)
    column.addWidget(chart)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(content)
    scroll.resize(700, 400)
    qtbot.addWidget(scroll)
    renders = counting_renders(chart)
    chart.set_data([Bar("Mít tinh", 3, "3"), Bar("Nói chuyện chuyên đề", 1, "1")], axis_title="Số hoạt động",
                   empty_text="")
    scroll.show()
    qtbot.waitExposed(scroll)
    qtbot.wait(100)
    assert renders == []
    scroll.ensureWidgetVisible(chart)
    qtbot.waitUntil(lambda: renders == [1], timeout=3000)
    assert chart.index_at(chart.bar_rect(1).center()) == 1
