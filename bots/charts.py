"""PNG charts for hosts (matplotlib, Agg backend): the data first, then the picture.

:func:`stats_series` turns a :class:`core.stats.Report` into what is drawn
(tested as data); :func:`render_png` draws it into a file. matplotlib is
imported on first use only, with the non-interactive Agg backend.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bots.host_texts import HostTexts
from core.stats import Report

#: Pixels of the PNG: width and height at :data:`DPI`.
SIZE_INCHES = (8.0, 3.6)
DPI = 100


@dataclass(frozen=True)
class Chart:
    """A bar chart: ``labels`` on the x axis, one bar series per ``series`` entry."""

    title: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]


def stats_series(report: Report, t: HostTexts) -> Chart:
    """Bookings made and cancellations per local day of the report's current period."""
    days = report.current.per_day
    return Chart(
        title=t.text("host_stats_chart"),
        labels=tuple(t.date(day) for day, _, _ in days),
        series=((t.text("host_stats_made_series"), tuple(m for _, m, _ in days)),
                (t.text("host_stats_cancelled_series"), tuple(c for _, _, c in days))),
    )


def render_png(chart: Chart, path: Path | None = None) -> Path:
    """Draw ``chart`` as a PNG at ``path`` (default: a new file in the temp directory).

    Returns:
        The file's path.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    if path is None:
        handle, name = tempfile.mkstemp(prefix="slotbot-chart-", suffix=".png")
        os.close(handle)
        path = Path(name)
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI)
    axes = figure.subplots()
    count = len(chart.series) or 1
    width = 0.8 / count
    positions = range(len(chart.labels))
    for index, (name, values) in enumerate(chart.series):
        axes.bar([p + (index - (count - 1) / 2) * width for p in positions], values, width,
                 label=name)
    step = max(1, len(chart.labels) // 10)
    axes.set_xticks(list(positions)[::step], chart.labels[::step], rotation=30, ha="right",
                    fontsize=8)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_title(chart.title)
    axes.legend(loc="upper left", fontsize=8)
    figure.tight_layout()
    figure.savefig(path, format="png")
    return path
