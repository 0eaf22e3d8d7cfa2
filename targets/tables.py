"""The exported tables: (headers, rows) for each list the manager pages show."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def _date(value):
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def figure_cells(figure) -> list:
    return [
        figure.people,
        figure.population if figure.population is not None else figure.missing_label,
        figure.percent if figure.percent is not None else "",
        figure.needed if figure.needed is not None else "",
        figure.gap if figure.gap is not None else "",
    ]


FIGURE_HEADERS = [
    gettext_lazy("People achieved"),
    gettext_lazy("Population"),
    gettext_lazy("Achieved (%)"),
    gettext_lazy("Needed for the target"),
    gettext_lazy("Gap"),
]


def _figure_headers():
    return [str(h) for h in FIGURE_HEADERS]


def summary_table(summary):
    headers = [
        _("Target"),
        _("Unit"),
        _("Target group"),
        _("Reporting year"),
        _("Target (%)"),
        _("Deadline"),
        *_figure_headers(),
    ]
    rows = [
        [
            target.name,
            target.scope_unit.name,
            target.groups_label,
            target.reporting_year,
            float(target.target_percent),
            _date(target.deadline),
            *figure_cells(figure),
        ]
        for target, figure in summary
    ]
    return headers, rows


def units_table(report):
    headers = [_("Unit code"), _("Unit"), *_figure_headers()]
    rows = []
    for row in report.rows:
        name = (
            row.name if not row.direct else _("%(unit)s (registered directly)") % {"unit": row.name}
        )
        rows.append([row.code, name, *figure_cells(row.figure)])
    rows.append(["", _("Total"), *figure_cells(report.total)])
    return headers, rows


def people_table(enrolments):
    headers = [
        _("Name"),
        _("Username"),
        _("Unit"),
        _("Course"),
        _("Completed at"),
        _("Certificate serial"),
    ]

    def rows():
        for enrolment in enrolments:
            profile = enrolment.user.profile
            yield [
                profile.full_name,
                enrolment.user.username,
                profile.org_unit.name if profile.org_unit else "",
                enrolment.course.title,
                _date(enrolment.completed_at),
                enrolment.certificate_serial or "",
            ]

    return headers, rows()


def not_finished_table(enrolments):
    """Learners who enrolled but did not finish, for the commune's trainer to call."""
    headers = [
        _("Name"),
        _("Username"),
        _("Phone"),
        _("Unit"),
        _("Course"),
        _("Progress (%)"),
        _("Enrolled at"),
        _("Last activity"),
    ]

    def rows():
        for enrolment in enrolments:
            profile = enrolment.user.profile
            yield [
                profile.full_name,
                enrolment.user.username,
                profile.phone or "",
                profile.org_unit.name if profile.org_unit else "",
                enrolment.course.title,
                round(enrolment.progress * 100),
                _date(enrolment.enrolled_at),
                _date(enrolment.updated_at),
            ]

    return headers, rows()
