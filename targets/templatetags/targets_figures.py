"""`{% figure_bar figure %}`: a figure's progress bar, share and flags as HTML.

Rendered in Python rather than by including a template: a province page draws one per
commune (over a hundred), and an include with its filters cost more than the query behind the
page (bench/README.md, "Targets"). The markup is what `targets/includes/figure.html` was.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.simple_tag
def figure_bar(figure):
    if figure.percent is not None:
        over = (
            format_html(
                ' <span class="badge warn">{}</span>',
                gettext("more people than the population figure: check it"),
            )
            if figure.over
            else ""
        )
        return format_html(
            '<div class="progress target-bar" role="progressbar" aria-valuemin="0"'
            ' aria-valuemax="100" aria-valuenow="{0}"><span style="width: {0}%"></span>'
            '<i class="goal" style="left: {1}%" title="{2}"></i></div>\n'
            '<span class="percent">{3}%</span>{4}',
            figure.percent_rounded,
            figure.goal_rounded,
            gettext("Target"),
            figure.percent_text,
            over,
        )
    if figure.population == 0:
        return format_html('<span class="badge warn">{}</span>', gettext("population is 0"))
    missing = ""
    if figure.missing_units:
        missing = format_html(
            ' <span class="meta">{}</span>',
            ngettext(
                "missing for %(units)s unit", "missing for %(units)s units", figure.missing_units
            )
            % {"units": figure.missing_units},
        )
    return format_html('<span class="badge missing">{}</span>{}', figure.missing_label, missing)


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
    rows = []
    for row in report.rows:
        if row.direct:
            name = format_html("{}", gettext("%(unit)s (registered directly)") % {"unit": row.name})
        elif row.path != unit.path:
            name = format_html('<a href="?unit={}&amp;{}">{}</a>', row.unit_id, query, row.name)
        else:
            name = ""
        rows.append(
            format_html(
                '<tr class="unit-row" data-code="{}">\n<td>{}</td>\n<td>{}</td>\n'
                '<td class="num"><a href="{}?unit={}{}&amp;{}">{}</a></td>\n'
                '<td class="num">{}</td>\n<td class="num">{}</td>\n</tr>',
                row.code,
                name,
                figure_bar(row.figure),
                people_url,
                row.unit_id,
                mark_safe("&amp;direct=1") if row.direct else "",
                query,
                row.figure.people,
                _number(row.figure.population),
                _number(row.figure.gap),
            )
        )
    return format_html_join("\n", "{}", ((row,) for row in rows))
