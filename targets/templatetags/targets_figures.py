"""`{% figure_bar figure %}` (a figure's progress bar, share and flags) and `{% unit_rows %}`
(the drill-down table's rows) as HTML.

Rendered in Python rather than by the template engine: a province page draws a row per
commune (over a hundred), and an include per row with its filters cost more than the query
behind the page (bench/README.md, "Targets"). The markup is what the templates drew; every
text is escaped (`escape`), numbers are printed as the templates printed them.
"""

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.simple_tag
def figure_bar(figure):
    return mark_safe(_figure_bar(figure))  # every text below is escaped


def _figure_bar(figure) -> str:
    """The HTML of `figure_bar` as a plain string: built with f-strings, escaping each text
    (numbers need none), since format_html per piece was most of a province page's time."""
    if figure.percent is not None:
        over = (
            f' <span class="badge warn">'
            f"{escape(gettext('more people than the population figure: check it'))}</span>"
            if figure.over
            else ""
        )
        rounded = figure.percent_rounded
        return (
            '<div class="progress target-bar" role="progressbar" aria-valuemin="0"'
            f' aria-valuemax="100" aria-valuenow="{rounded}"><span style="width: {rounded}%">'
            f'</span><i class="goal" style="left: {figure.goal_rounded}%"'
            f' title="{escape(gettext("Target"))}"></i></div>\n'
            f'<span class="percent">{escape(figure.percent_text)}%</span>{over}'
        )
    if figure.population == 0:
        return f'<span class="badge warn">{escape(gettext("population is 0"))}</span>'
    missing = ""
    if figure.missing_units:
        text = ngettext(
            "missing for %(units)s unit", "missing for %(units)s units", figure.missing_units
        ) % {"units": figure.missing_units}
        missing = f' <span class="meta">{escape(text)}</span>'
    return f'<span class="badge missing">{escape(figure.missing_label)}</span>{missing}'


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
        rows.append(
            f'<tr class="unit-row" data-code="{escape(row.code)}">\n<td>{name}</td>\n'
            f"<td>{_figure_bar(figure)}</td>\n"
            f'<td class="num"><a href="{people_url}?unit={row.unit_id}{direct}&amp;{query}">'
            f"{figure.people}</a></td>\n"
            f'<td class="num">{_number(figure.population)}</td>\n'
            f'<td class="num">{_number(figure.gap)}</td>\n</tr>'
        )
    return mark_safe("\n".join(rows))  # every text above is escaped
