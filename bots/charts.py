"""PNG charts for hosts (matplotlib, Agg backend): the data first, then the picture.

:func:`stats_series` turns a :class:`core.stats.Report` (and :func:`week_series`
the Monday digest's week) into what is drawn (tested as data); :func:`render_png`
draws it into a file. matplotlib is imported on first use only, with the
non-interactive Agg backend.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bots.host_texts import HostTexts
from core.stats import Report

#: Pixels of the PNG: width and height at :data:`DPI`.
SIZE_INCHES = (8.0, 3.6)
DPI = 100


@dataclass(frozen=True)
class Chart:
    """Values per x label: ``labels`` on the x axis, one series of values per ``series`` entry
    (the first drawn filled, the others as outlines)."""

    title: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]


def stats_series(report: Report, t: HostTexts) -> Chart:
    """Bookings made and cancellations per local day of the report's current period."""
    return per_day_chart(t.text("host_stats_chart"), report.current.per_day, t)


def week_series(rows: Sequence[Sequence[object]], t: HostTexts) -> Chart:
    """The Monday digest's chart: ``rows`` is its payload's ``week_chart``
    (``[ISO date, made, cancelled]`` per day, see :func:`core.digests.week_chart`)."""
    days = [(date.fromisoformat(str(day)), int(str(made)), int(str(cancelled)))
            for day, made, cancelled in rows]
    return per_day_chart(t.text("host_digest_chart"), days, t)


def per_day_chart(title: str, days: Sequence[tuple[date, int, int]], t: HostTexts) -> Chart:
    """``(local date, made, cancelled)`` per day as a chart: dates in ``t``'s language."""
    return Chart(
        title=title,
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
    from matplotlib.ticker import MaxNLocator

    if path is None:
        handle, name = tempfile.mkstemp(prefix="slotbot-chart-", suffix=".png")
        os.close(handle)
        path = Path(name)
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI)
    axes = figure.subplots()
    edges = [n - 0.5 for n in range(len(chart.labels) + 1)]
    for index, (name, values) in enumerate(chart.series):
        # One artist per series (a filled histogram, then outlines): a bar per day
        # would be hundreds of patches for 90 days, and ten times slower to draw.
        axes.stairs(values, edges, fill=index == 0, alpha=0.85 if index == 0 else 1.0,
                    linewidth=2, label=name)
    step = max(1, len(chart.labels) // 10)
    axes.set_xticks(list(range(len(chart.labels)))[::step], chart.labels[::step], rotation=30,
                    ha="right", fontsize=8)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(chart.title)
    axes.legend(loc="upper left", fontsize=8)
    figure.subplots_adjust(left=0.06, right=0.99, top=0.9, bottom=0.2)  # no layout pass
    figure.savefig(path, format="png")
    return path
