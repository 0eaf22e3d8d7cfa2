"""`{% figure_bar figure %}` (a figure's progress bar, share and flags) and `{% unit_rows %}`
(the drill-down table's rows) as HTML.

Rendered in Python rather than by the template engine: a province page draws a row per
commune (over a hundred), and an include per row with its filters cost more than the query
behind the page (bench/README.md, "Targets"). The markup is what the templates drew; every
text is escaped (`escape`), numbers are printed as the templates printed them.
"""

import html
from decimal import Decimal

from django import template
from django.utils.formats import get_format, number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext, pgettext

from ..selectors.achievement import share_rounded, share_text

register = template.Library()


def escape(text) -> str:
    """Django's `escape` without its lazy-string wrapper (the same `html.escape` inside): a
    province page escapes over a thousand texts, and the wrapper cost more than escaping."""
    return html.escape(str(text))


def _labels() -> dict[str, str]:
    """The texts every bar repeats, translated (and escaped) once per table rather than once
    per row."""
    labels = {
        "target": gettext("Target"),
        "bar": gettext("%(percent)s%% achieved, target %(goal)s%%"),
        "check": gettext("more people than the population figure: check it"),
        "zero": gettext("population is 0"),
        "missing": gettext("no population data"),
        "missing_breakdown": gettext("no population data for this breakdown"),
        # What number_format would read for every share (see `share_text`).
        "separator": get_format("DECIMAL_SEPARATOR"),
    }
    labels["goal_title"] = escape(labels["target"])
    labels["over"] = f' <span class="badge warn">{escape(labels["check"])}</span>'
    labels["separator_html"] = escape(labels["separator"])
    labels["goals"] = {}  # target percent -> its whole number, once per table
    return labels


@register.simple_tag
def figure_bar(figure, name=""):
    return mark_safe(_figure_bar(figure, name))  # every text below is escaped


def _bar_label(percent_text: str, goal: str, name: str, labels: dict) -> str:
    """The progress bar's accessible name: what it measures, against which target."""
    text = labels["bar"] % {"percent": percent_text, "goal": goal}
    return f"{name}: {text}" if name else text


def _figure_bar(figure, name: str = "", labels: dict | None = None) -> str:
    """The HTML of `figure_bar` as a plain string: built with f-strings, escaping each text
    (numbers need none), since format_html per piece was most of a province page's time.
    The bar is named (aria-label) by the unit's name and its figures, so a screen reader
    reading a table of bars hears whose bar it is."""
    labels = labels or _labels()
    percent = figure.percent
    if percent is not None:
        over = labels["over"] if figure.over else ""
        goals = labels["goals"]
        goal_rounded = goals.get(figure.target_percent)
        if goal_rounded is None:
            goal_rounded = goals[figure.target_percent] = figure.goal_rounded
        rounded = share_rounded(percent)
        percent_text = share_text(percent, labels["separator"])
        # Digits and the decimal separator: the separator is escaped once per table.
        percent_html = share_text(percent, labels["separator_html"])
        return (
            '<div class="progress target-bar" role="progressbar" aria-valuemin="0"'
            f' aria-valuemax="100" aria-valuenow="{rounded}"'
            f' aria-label="{escape(_bar_label(percent_text, goal_rounded, name, labels))}">'
            f'<span style="width: {rounded}%">'
            f'</span><i class="goal" style="left: {goal_rounded}%"'
            f' title="{labels["goal_title"]}"></i></div>\n'
            f'<span class="percent">{percent_html}%</span>{over}'
        )
    if figure.population == 0:
        return f'<span class="badge warn">{escape(labels["zero"])}</span>'
    missing = ""
    if figure.missing_units:
        text = ngettext(
            "missing for %(units)s unit", "missing for %(units)s units", figure.missing_units
        ) % {"units": figure.missing_units}
        missing = f' <span class="meta">{escape(text)}</span>'
    label = labels["missing_breakdown"] if figure.breakdown else labels["missing"]
    return f'<span class="badge missing">{escape(label)}</span>{missing}'


def _number(value) -> str:
    # As the template printed it: no thousands separator (USE_THOUSAND_SEPARATOR is off).
    return "—" if value is None else str(value)


@register.simple_tag
def unit_rows(report, unit, query: str, people_url: str):
    """The drill-down table's rows (`<tr class="unit-row">`), one per unit below `unit`."""
    if not report.rows:
        return format_html(
            '<tr><td colspan="5" class="empty">{}</td></tr>', gettext("No unit below this one.")
        )
    query = escape(query)
    people_url = escape(people_url)
    labels = _labels()
    rows = []
    for row in report.rows:
        if row.direct:
            name = escape(gettext("%(unit)s (registered directly)") % {"unit": row.name})
        elif row.path != unit.path:
            name = f'<a href="?unit={row.unit_id}&amp;{query}">{escape(row.name)}</a>'
        else:
            name = ""
        direct = "&amp;direct=1" if row.direct else ""
        figure = row.figure
        # data-sort: the share as a number for the table's sort script (-1: no population).
        share = figure.percent if figure.percent is not None else -1
        rows.append(
            f'<tr class="unit-row" data-code="{escape(row.code)}">\n<td>{name}</td>\n'
            f'<td data-sort="{share}">{_figure_bar(figure, row.name, labels)}</td>\n'
            f'<td class="num"><a href="{people_url}?unit={row.unit_id}{direct}&amp;{query}">'
            f"{figure.people}</a></td>\n"
            f'<td class="num">{_number(figure.population)}</td>\n'
            f'<td class="num">{_number(figure.gap)}</td>\n</tr>'
        )
    return mark_safe("\n".join(rows))  # every text above is escaped


@register.simple_tag
def behind_items(rows, query: str, not_finished_url: str):
    """The furthest-behind units as `<li>`: name (a drill-down link), the gap in people and in
    percentage points, and the way to its learners who did not finish."""
    query = escape(query)
    not_finished_url = escape(not_finished_url)
    label = escape(gettext("who did not finish"))
    items = []
    for row in rows:
        figure = row.figure
        points = figure.target_percent - Decimal(str(figure.percent))
        text = gettext("%(gap)s people short, %(points)s points below the target (%(percent)s%%)")
        text = text % {
            "gap": figure.gap,
            "points": number_format(max(points, Decimal(0)), 1),
            "percent": figure.percent_text,
        }
        items.append(
            f'<li class="behind-unit" data-code="{escape(row.code)}">'
            f'<a href="?unit={row.unit_id}&amp;{query}">{escape(row.name)}</a>: '
            f'<span class="gap">{escape(text)}</span> · '
            f'<a href="{not_finished_url}?unit={row.unit_id}&amp;{query}">{label}</a></li>'
        )
    return mark_safe("\n".join(items))  # every text above is escaped


@register.simple_tag
def unit_links(rows, query: str):
    """Units as a comma-separated list of drill-down links (units on track, units without a
    population figure)."""
    query = escape(query)
    return mark_safe(  # every text is escaped
        ", ".join(
            f'<a href="?unit={row.unit_id}&amp;{query}">{escape(row.name)}</a>' for row in rows
        )
    )


@register.simple_tag
def chart_figure(chart):
    """The completions chart (`targets.charts.monthly_chart`) as an SVG `<figure>` with its
    caption and its numbers as a table (the text alternative), drawn here rather than by
    template loops: three dozen elements, each a template node per attribute, cost more than
    the figures of a page (bench/README.md, "Targets")."""
    year = chart["year"]
    title = escape(
        gettext("People completing each month of %(year)s, and the running total") % {"year": year}
    )
    left, right, base_y = chart["left"], chart["right"], chart["base_y"]
    desc = gettext("The same numbers are in the table below the chart.")
    parts = [
        f'<figure class="chart"><svg viewBox="0 0 {chart["width"]} {chart["height"]}" role="img"'
        ' aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-title">{title}</title><desc id="chart-desc">'
        f"{escape(desc)}</desc>"
    ]
    for tick in chart["ticks"]:
        parts.append(
            f'<line x1="{left}" y1="{tick.y}" x2="{right}" y2="{tick.y}" class="grid"/>'
            f'<text x="{left - 6}" y="{tick.y}" dy="4" text-anchor="end" class="tick">'
            f"{tick.value}</text>"
        )
    parts.append(
        f'<line x1="{left}" y1="{base_y}" x2="{right}" y2="{base_y}" class="axis"/>'
        f'<line x1="{left}" y1="{chart["top_y"]}" x2="{left}" y2="{base_y}" class="axis"/>'
    )
    total_word = escape(gettext("total"))
    for bar in chart["bars"]:
        parts.append(
            f'<g><rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}"'
            f' class="bar"><title>{bar.month}/{year}: {bar.value} ({total_word} {bar.total})'
            f'</title></rect><text x="{bar.x}" y="{chart["label_y"]}" class="tick">'
            f"{bar.month}</text></g>"
        )
    parts.append(f'<polyline points="{chart["points"]}" class="total"/>')
    goal = chart["goal_line"]
    if goal:
        parts.append(
            f'<line x1="{goal["x1"]}" y1="{goal["y1"]}" x2="{goal["x2"]}" y2="{goal["y2"]}"'
            ' class="goal-line"/>'
        )
    y_mid = chart["y_title_y"]
    x_title = gettext("Month of %(year)s") % {"year": year}
    y_title = pgettext("chart axis", "People")
    parts.append(
        f'<text x="{chart["x_title_x"]}" y="{chart["x_title_y"]}" text-anchor="middle"'
        f' class="axis-title">{escape(x_title)}</text>'
        f'<text x="12" y="{y_mid}" text-anchor="middle" class="axis-title"'
        f' transform="rotate(-90 12 {y_mid})">{escape(y_title)}</text></svg>'
    )
    caption = [
        gettext(
            "Bars: people reaching their first qualifying completion that month. Solid line: "
            "people achieved so far."
        )
    ]
    if goal:
        caption.append(
            gettext(
                "Dashed line: the straight path to the %(needed)s people needed by the deadline."
            )
            % {"needed": chart["needed"]}
        )
    if chart["before"]:
        caption.append(
            ngettext(
                "%(people)s person achieved before this year.",
                "%(people)s people achieved before this year.",
                chart["before"],
            )
            % {"people": chart["before"]}
        )
    parts.append(f"<figcaption>{escape(' '.join(caption))}</figcaption>")
    heads = [
        gettext("Month"),
        gettext("Completed that month"),
        gettext("Achieved so far"),
        gettext("Straight path to the target"),
    ]
    table_title = gettext("The chart’s numbers as a table")
    goal_head = f'<th scope="col" class="num">{escape(heads[3])}</th>' if goal else ""
    parts.append(
        '<details class="chart-data"><summary>'
        f"{escape(table_title)}</summary>"
        f'<table class="chart-table"><caption>{title}</caption><thead><tr>'
        f'<th scope="col">{escape(heads[0])}</th>'
        f'<th scope="col" class="num">{escape(heads[1])}</th>'
        f'<th scope="col" class="num">{escape(heads[2])}</th>'
        f"{goal_head}</tr></thead><tbody>"
    )
    for bar in chart["bars"]:
        goal_cell = f'<td class="num">{bar.goal}</td>' if goal else ""
        parts.append(
            f'<tr><th scope="row">{bar.month}/{year}</th><td class="num">{bar.value}</td>'
            f'<td class="num">{bar.total}</td>{goal_cell}</tr>'
        )
    parts.append("</tbody></table></details></figure>")
    return mark_safe("".join(parts))  # every text above is escaped; the rest are numbers
