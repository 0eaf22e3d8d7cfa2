"""A completions-over-time chart drawn on the server as SVG: no script, no CDN, a few hundred
bytes over 3G. Bars are the people reaching their first qualifying completion in each month
of the year; the solid line is the running total (people achieved so far, earlier years
included); the dashed line is the straight path from where the year started to the people
needed by the deadline, so a total below it is behind. The same geometry feeds the printable
summary (`targets.pdf`), and the numbers are also given as a table (the text alternative)."""

import datetime
from dataclasses import dataclass

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP, PAD_RIGHT = 600, 250, 56, 42, 14, 10
TICKS = 4


@dataclass
class Bar:
    month: int
    value: int
    total: int
    x: float
    y: float
    height: float
    width: float
    goal: int | None = None  # people the straight line to the target expects by month end


@dataclass
class Tick:
    value: int
    y: float


def _nice_top(value: int) -> int:
    """A round axis maximum at or above `value` (1, 2, 5 × 10^n), at least `TICKS`."""
    value = max(value, TICKS)
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor * TICKS >= value:
                return step * factor * TICKS
        step *= 10


def _goal_at(day: datetime.date, start: datetime.date, deadline, before: int, needed) -> int:
    if needed is None or deadline is None:
        return None
    if deadline <= start or day >= deadline:
        return needed
    share = (day - start).days / (deadline - start).days
    return round(before + (needed - before) * share)


def monthly_chart(
    series: list[tuple[datetime.date, int]],
    year: int,
    *,
    needed: int | None = None,
    deadline: datetime.date | None = None,
) -> dict:
    """Geometry for `{% chart_figure %}` (and the PDF) from first completions per day;
    with `needed` and `deadline`, the straight line to the target too."""
    before = sum(n for day, n in series if day.year < year)
    months = [0] * 12
    for day, n in series:
        if day.year == year:
            months[day.month - 1] += n
    totals, running = [], before
    for value in months:
        running += value
        totals.append(running)
    top = _nice_top(max([*totals, needed or 0, 1]))
    plot_w, plot_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_BOTTOM - PAD_TOP
    base_y = PAD_TOP + plot_h
    step = plot_w / 12
    start = datetime.date(year, 1, 1)

    def y_of(value: float) -> float:
        return round(base_y - plot_h * value / top, 1)

    bars = []
    for index, (value, total) in enumerate(zip(months, totals, strict=True)):
        height = plot_h * value / top
        month_end = (
            datetime.date(year, index + 2, 1) if index < 11 else datetime.date(year + 1, 1, 1)
        )
        bars.append(
            Bar(
                month=index + 1,
                value=value,
                total=total,
                x=round(PAD_LEFT + index * step + step * 0.15, 1),
                y=round(base_y - height, 1),
                height=round(height, 1),
                width=round(step * 0.7, 1),
                goal=_goal_at(month_end, start, deadline, before, needed),
            )
        )
    points = " ".join(
        f"{round(PAD_LEFT + (i + 0.5) * step, 1)},{y_of(t)}" for i, t in enumerate(totals)
    )
    goal_line = None
    if needed is not None and deadline is not None:
        end = min(deadline, datetime.date(year, 12, 31)) if deadline > start else start
        end_x = PAD_LEFT + plot_w * ((end - start).days + 1) / 366
        goal_line = {
            "x1": PAD_LEFT,
            "y1": y_of(before),
            "x2": round(min(end_x, PAD_LEFT + plot_w), 1),
            "y2": y_of(_goal_at(end, start, deadline, before, needed)),
        }
    ticks = [Tick(value=top * i // TICKS, y=y_of(top * i // TICKS)) for i in range(TICKS + 1)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "points": points,
        "goal_line": goal_line,
        "needed": needed,
        "ticks": ticks,
        "top": top,
        "base_y": base_y,
        "top_y": PAD_TOP,
        "left": PAD_LEFT,
        "right": WIDTH - PAD_RIGHT,
        "plot_h": plot_h,
        "label_y": base_y + 16,
        "x_title_y": HEIGHT - 4,
        "x_title_x": PAD_LEFT + plot_w / 2,
        "y_title_y": PAD_TOP + plot_h / 2,
        "year": year,
        "before": before,
    }
