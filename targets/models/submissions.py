"""Annual reports sent up the org tree: a commune (or district) submits its report to the unit
above it, which accepts it or returns it with comments.

A `ReportSubmission` is one unit's report for one year on its way up: the unit, the unit it
goes to (its parent in the tree when first sent, following the 2025 reform's `replaced_by`, so
a commune without a district reports straight to its province), its state and its current
version. Each submission freezes the numbers again as a `ReportVersion` pointing at a
`ReportSnapshot` (never edited: a returned report is resubmitted as a new version, the old
ones stay downloadable). Every change of state is a `ReportEvent` (who, when, from which
state to which, the comment). `ReportDeadline` says by when reports of one year and level are
due, everywhere or under one unit (e.g. the communes of Đức Cơ by 2 December).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class ReportLevel(models.TextChoices):
    """The levels that send their report up (the kinds of the submitting units)."""

    COMMUNE = "commune", _("Communes / wards")
    DISTRICT = "district", _("Districts")


class ReportDeadline(models.Model):
    """When the reports of one year from one level are due. Without a unit it applies
    everywhere; with one, to the submitting units at or below it, and the deepest such unit
    wins (a district's own date beats the national one)."""

    year = models.PositiveSmallIntegerField(_("reporting year"), validators=YEAR_VALIDATORS)
    level = models.CharField(_("level"), max_length=16, choices=ReportLevel.choices)
    unit = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Only for reports from units at or below this one. Empty: everywhere."),
    )
    due_date = models.DateField(_("due date"))

    class Meta:
        verbose_name = _("report deadline")
        verbose_name_plural = _("report deadlines")
        ordering = ["-year", "level", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "level"],
                condition=Q(unit__isnull=True),
                name="reportdeadline_unique_everywhere",
            ),
            models.UniqueConstraint(
                fields=["year", "level", "unit"],
                condition=Q(unit__isnull=False),
                name="reportdeadline_unique_unit",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="reportdeadline_year_range"
            ),
        ]

    def __str__(self):
        return f"{self.year} · {self.get_level_display()} · {self.unit or '—'}: {self.due_date}"


class ReportSubmission(models.Model):
    """One unit's annual report for one year, sent to the unit above."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        ACCEPTED = "accepted", _("Accepted")

    unit = models.ForeignKey(
        "people.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("reporting year"), validators=YEAR_VALIDATORS)
    recipient = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("sent to"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    version = models.PositiveSmallIntegerField(_("current version"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)  # first sent after the due date
    first_submitted_at = models.DateTimeField(_("first submitted at"))
    submitted_at = models.DateTimeField(_("last submitted at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("report submission")
        verbose_name_plural = _("report submissions")
        ordering = ["-year", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="reportsubmission_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "returned", "accepted"]),
                name="reportsubmission_status_valid",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="reportsubmission_version"),
            models.CheckConstraint(
                condition=~Q(unit=models.F("recipient")), name="reportsubmission_not_to_itself"
            ),
        ]
        indexes = [models.Index(fields=["recipient", "year", "status"])]

    def __str__(self):
        return f"{self.unit} · {self.year} · v{self.version} · {self.get_status_display()}"


class ReportVersion(models.Model):
    """One submission of a report, frozen: its numbers are a `ReportSnapshot`, never edited."""

    submission = models.ForeignKey(
        ReportSubmission, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    snapshot = models.OneToOneField(
        "targets.ReportSnapshot",
        verbose_name=_("numbers"),
        on_delete=models.PROTECT,
        related_name="report_version",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    api_client = models.ForeignKey(
        "people.ApiClient",
        verbose_name=_("submitted through API key"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["submission", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="reportversion_unique")
        ]

    def __str__(self):
        return f"{self.submission_id} v{self.number}"


class ReportEvent(models.Model):
    """The audit trail: every change of a submission's state, who made it and when."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned with comments")
        ACCEPTED = "accepted", _("Accepted")

    submission = models.ForeignKey(
        ReportSubmission, on_delete=models.CASCADE, related_name="events"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=16, blank=True)
    to_status = models.CharField(_("to"), max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    api_client = models.ForeignKey(
        "people.ApiClient",
        verbose_name=_("API key"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        ordering = ["submission", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="returned") | ~Q(comment=""),
                name="reportevent_return_has_comment",
            )
        ]

    def __str__(self):
        return f"{self.submission_id} v{self.version} {self.action}"
