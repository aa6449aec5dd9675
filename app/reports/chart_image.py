"""A report's chart as a PNG image in memory (matplotlib, Agg: no window, no Qt), for the Word file.

The same chart as the PDF draws (`app.reports.pdf._chart`): bars for each series,
their values above them, a hidden value as no bar and the profile's label, the
goal as a dashed red line, the legend at the right; Tinos (Times metrics) for
the text. Nothing is written to disk.
"""

from __future__ import annotations

import io

from app.paths import resources_dir
from app.reports.model import Chart
from app.text import printable

PALETTE = ["#2F5D8A", "#C9A227", "#7A9E7E"]
WIDTH_CM, HEIGHT_CM = 16.5, 6.5
_fonts_added = False


def _number(value: float, percent: bool) -> str:
    if percent:
        return f"{value:.1f}".replace(".", ",")
    return f"{int(round(value)):,}".replace(",", ".")


def chart_png(chart: Chart, *, dpi: int = 200) -> bytes:
    """The chart as PNG bytes, WIDTH_CM × HEIGHT_CM at `dpi`."""
    global _fonts_added
    from matplotlib import font_manager
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if not _fonts_added:
        for name in ("Tinos-Regular.ttf", "Tinos-Bold.ttf", "DejaVuSans.ttf"):
            font_manager.fontManager.addfont(str(resources_dir() / "fonts" / name))
        _fonts_added = True
    percent = chart.unit == "%"
    figure = Figure(figsize=(WIDTH_CM / 2.54, HEIGHT_CM / 2.54), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.07, 0.2, 0.68, 0.75))
    families = ["Tinos", "DejaVu Sans"]
    font = {"family": families, "size": 8}
    n_series = max(1, len(chart.series))
    width = 0.8 / n_series
    positions = list(range(len(chart.categories)))
    top = 1.0
    for s, series in enumerate(chart.series):
        xs = [p - 0.4 + width * (s + 0.5) for p in positions]
        values = [v if v is not None else 0 for v in series.values]
        bars = axes.bar(xs, values, width=width, color=PALETTE[s % len(PALETTE)], label=printable(series.label()))
        for i, (bar, value) in enumerate(zip(bars, series.values, strict=True)):
            hidden = i < len(series.suppressed) and series.suppressed[i]
            if value is None and not hidden:
                continue
            text = chart.suppress_label if hidden or value is None else _number(value, percent)
            axes.annotate(text, (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom",
                          xytext=(0, 1), textcoords="offset points", fontsize=6.5, fontfamily=families)
        top = max([top] + [v for v in series.values if v is not None])
    if chart.goal is not None:
        axes.axhline(chart.goal, color="red", linestyle="--", linewidth=0.8)
        top = max(top, chart.goal)
    axes.set_ylim(0, max(100, top * 1.15) if percent else top * 1.2)
    axes.set_xticks(positions)
    axes.set_xticklabels([printable(c) for c in chart.categories], fontdict=font, rotation=0, wrap=True)
    for label in axes.get_yticklabels():
        label.set_fontfamily(families)
        label.set_fontsize(8)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False, prop=font)
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=dpi)
    return out.getvalue()
