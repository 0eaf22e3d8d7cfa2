"""A completions-over-time chart drawn on the server as SVG: no script, no CDN, a few hundred
bytes over 3G. Bars are the people reaching their first qualifying completion in each month
of the year; the line is the running total (people achieved so far, earlier years included)."""

import datetime
from dataclasses import dataclass

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 600, 220, 40, 24, 12


@dataclass
class Bar:
    month: int
    value: int
    total: int
    x: float
    y: float
    height: float
    width: float


def monthly_chart(series: list[tuple[datetime.date, int]], year: int) -> dict:
    """Geometry for templates/targets/includes/chart.html from first completions per day."""
    before = sum(n for day, n in series if day.year < year)
    months = [0] * 12
    for day, n in series:
        if day.year == year:
            months[day.month - 1] += n
    totals, running = [], before
    for value in months:
        running += value
        totals.append(running)
    top = max([*totals, 1])
    plot_w, plot_h = WIDTH - PAD_LEFT, HEIGHT - PAD_BOTTOM - PAD_TOP
    step = plot_w / 12
    bars = []
    for index, (value, total) in enumerate(zip(months, totals, strict=True)):
        height = plot_h * value / top
        bars.append(
            Bar(
                month=index + 1,
                value=value,
                total=total,
                x=round(PAD_LEFT + index * step + step * 0.15, 1),
                y=round(PAD_TOP + plot_h - height, 1),
                height=round(height, 1),
                width=round(step * 0.7, 1),
            )
        )
    points = " ".join(
        f"{round(PAD_LEFT + (i + 0.5) * step, 1)},{round(PAD_TOP + plot_h - plot_h * t / top, 1)}"
        for i, t in enumerate(totals)
    )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "points": points,
        "top": top,
        "base_y": PAD_TOP + plot_h,
        "top_y": PAD_TOP,
        "left": PAD_LEFT,
        "label_y": HEIGHT - 6,
        "year": year,
        "before": before,
    }
