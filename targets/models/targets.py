"""Accountability: training targets, their denominators and frozen report snapshots.

A `TrainingTarget` is an indicator from a government plan: which people (an org-unit subtree x
one or more target groups, optionally one ethnic group or any minority, and one gender), what
counts (a set of courses, or every course of a topic), how much (a percentage) and by when.
`Population` is the denominator: how many people of a target group (optionally of one ethnic
group and/or gender) an org unit has in a year; without it a percentage means nothing, so
achievement says "no population data" rather than guess. A `ReportSnapshot` freezes the numbers
of an annual report as they were when it was made, with who made it, so a report sent in
December can be reproduced exactly later.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.models import Topic
from people.models import Profile


class TrainingTarget(models.Model):
    """An indicator: the share of a target group in a unit subtree that completes what counts."""

    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    scope_unit = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="training_targets",
        help_text=_("The target covers this unit and every unit below it."),
    )
    target_groups = models.ManyToManyField(
        "people.TargetGroup",
        verbose_name=_("target groups"),
        related_name="training_targets",
        help_text=_(
            "One or more groups (e.g. village heads and prestigious persons): a person in "
            "several counts once; the population is the sum of the groups' figures."
        ),
    )
    ethnic_group = models.ForeignKey(
        "people.EthnicGroup",
        verbose_name=_("ethnic group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leave empty to count every ethnic group."),
    )
    any_minority = models.BooleanField(
        _("any minority ethnic group"),
        default=False,
        help_text=_("Count everyone but the Kinh (GSO 01) instead of one named ethnic group."),
    )
    gender = models.CharField(
        _("gender"),
        max_length=8,
        choices=Profile.Gender.choices,
        blank=True,
        help_text=_("Leave empty to count every gender."),
    )
    courses = models.ManyToManyField(
        "courses.CoursePage",
        verbose_name=_("courses"),
        blank=True,
        related_name="training_targets",
        help_text=_("Completing any of these courses counts. Or choose a topic instead."),
    )
    topic = models.CharField(
        _("topic"),
        max_length=32,
        choices=Topic.choices,
        blank=True,
        help_text=_("Completing any course of this topic counts (used when no course is chosen)."),
    )
    target_percent = models.DecimalField(
        _("target (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    deadline = models.DateField(_("deadline"))
    reporting_year = models.PositiveSmallIntegerField(
        _("reporting year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_targets",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("training target")
        verbose_name_plural = _("training targets")
        ordering = ["-reporting_year", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_percent__gt=0, target_percent__lte=100),
                name="trainingtarget_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(reporting_year__gte=2000, reporting_year__lte=2100),
                name="trainingtarget_year_range",
            ),
            models.CheckConstraint(
                condition=Q(any_minority=False) | Q(ethnic_group__isnull=True),
                name="trainingtarget_one_ethnic_scope",
            ),
        ]
        indexes = [models.Index(fields=["reporting_year", "scope_unit"])]

    def __str__(self):
        return self.name

    @property
    def groups_label(self) -> str:
        """The target groups' names joined with "+" (reads the prefetched groups if any)."""
        return " + ".join(group.name for group in self.target_groups.all())

    @property
    def ethnic_label(self) -> str:
        if self.any_minority:
            return str(_("any minority ethnic group"))
        return self.ethnic_group.name if self.ethnic_group else ""


class Population(models.Model):
    """How many people of a target group an org unit has in a year: a target's denominator.

    Enter a figure at one level per subtree (a commune's, or its villages'): a unit's
    population is its own row when it has one, otherwise the sum of the top-most rows below it.
    A figure may be broken down by ethnic group and/or gender; a row without them covers
    everyone. A count under a filter divides only by the figure of exactly that breakdown.
    """

    class Gender(models.TextChoices):
        # The breakdowns population statistics publish (a subset of Profile.Gender).
        FEMALE = Profile.Gender.FEMALE.value, Profile.Gender.FEMALE.label
        MALE = Profile.Gender.MALE.value, Profile.Gender.MALE.label

    org_unit = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="populations",
    )
    target_group = models.ForeignKey(
        "people.TargetGroup",
        verbose_name=_("target group"),
        on_delete=models.PROTECT,
        related_name="populations",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    ethnic_group = models.ForeignKey(
        "people.EthnicGroup",
        verbose_name=_("ethnic group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leave empty for a figure that covers every ethnic group."),
    )
    gender = models.CharField(
        _("gender"),
        max_length=8,
        choices=Gender.choices,
        blank=True,
        help_text=_("Leave empty for a figure that covers both genders."),
    )
    count = models.PositiveIntegerField(_("number of people"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        ordering = ["-year", "org_unit__path", "target_group__sort_order", "ethnic_group__code"]
        constraints = [
            # One figure per unit, group, year and breakdown. Two conditional constraints
            # because NULL (every ethnic group) is never equal to NULL in a plain one.
            models.UniqueConstraint(
                fields=["org_unit", "target_group", "year", "gender"],
                condition=Q(ethnic_group__isnull=True),
                name="population_unique_unit_group_year",
            ),
            models.UniqueConstraint(
                fields=["org_unit", "target_group", "year", "ethnic_group", "gender"],
                condition=Q(ethnic_group__isnull=False),
                name="population_unique_unit_group_year_ethnic",
            ),
            models.CheckConstraint(condition=Q(count__gte=0), name="population_count_nonnegative"),
            models.CheckConstraint(
                condition=Q(gender__in=["", "female", "male"]), name="population_gender_valid"
            ),
        ]
        indexes = [models.Index(fields=["target_group", "year"])]

    def __str__(self):
        breakdown = " · ".join(
            str(part) for part in (self.ethnic_group, self.get_gender_display()) if part
        )
        return (
            f"{self.org_unit} · {self.target_group} · {self.year}"
            f"{' · ' + breakdown if breakdown else ''}: {self.count}"
        )


class ReportSnapshot(models.Model):
    """The numbers of an annual report, frozen when it was made (JSON), with who made it."""

    year = models.PositiveSmallIntegerField(_("year"))
    org_unit = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: every unit the targets cover."),
    )
    parameters = models.JSONField(_("parameters"), default=dict)
    data = models.JSONField(_("numbers"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report snapshot")
        verbose_name_plural = _("report snapshots")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.year} · {self.org_unit or '—'} · {self.created_at:%Y-%m-%d %H:%M}"


class AchievementRollup(models.Model):
    """People achieved per target, pre-aggregated for the targets list.

    Refreshed by the Celery beat task `targets.tasks.achievement_rollup_refresh` (every ten
    minutes), so the national list reads one small table instead of scanning every enrolment.
    A row computed before its target was last edited is ignored (the list counts that target
    live), and a population change deletes every row (the list counts live until the next
    refresh); a target's own page counts again after every completion.
    """

    target = models.OneToOneField(
        TrainingTarget, on_delete=models.CASCADE, primary_key=True, related_name="rollup"
    )
    people = models.PositiveIntegerField()
    population = models.PositiveIntegerField(null=True, blank=True)  # None: unknown
    missing_units = models.PositiveIntegerField(default=0)
    target_updated_at = models.DateTimeField()
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("achievement rollup")
        verbose_name_plural = _("achievement rollups")

    def __str__(self):
        return f"{self.target_id}: {self.people}"


class CompletionFact(models.Model):
    """One completion that can count toward targets, per target group of its learner.

    The achievement tables read this instead of joining every enrolment to profiles, target
    groups and the unit tree: a row holds everything a target's filter asks (target group,
    ethnic group and whether it is a minority, gender, the learner's effective unit path after
    the 2025 reform's `replaced_by`, course, completion time). A learner in two groups has two
    rows per completion, and the counts are COUNT(DISTINCT user), so a person counts once.

    Kept in step in the transaction that changes what it copies (see `targets.signals`): a
    completion with evidence (`course_completed`, also sent when evidence is added later), a
    profile's unit, ethnic group, gender or target groups, a unit's `replaced_by`. Deleting an
    enrolment, course or user deletes its rows. `manage.py completion_facts_rebuild` rebuilds it
    from scratch (after bulk changes that send no signals, such as `QuerySet.update`).
    """

    enrolment = models.ForeignKey(
        "courses.Enrolment", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    target_group = models.ForeignKey(
        "people.TargetGroup", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    ethnic_group = models.ForeignKey(
        "people.EthnicGroup",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    minority = models.BooleanField()  # an ethnic group other than Kinh (GSO 01)
    gender = models.CharField(max_length=8, blank=True)
    unit_path = models.CharField(max_length=255, blank=True)  # "" when the learner has no unit
    completed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("completion fact")
        verbose_name_plural = _("completion facts")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "target_group"], name="completionfact_unique_enrolment_group"
            )
        ]
        indexes = [
            # Covers a drill-down: the groups, the courses that count (a target names a few:
            # one index range per course instead of every course's rows in the subtree), a
            # subtree (LIKE 'path%'), then every column a filter or the GROUP BY reads, so
            # PostgreSQL answers from the index alone.
            models.Index(
                fields=[
                    "target_group",
                    "course",
                    "unit_path",
                    "completed_at",
                    "user",
                    "gender",
                    "minority",
                    "ethnic_group",
                ],
                name="completionfact_drill",
                opclasses=["", "", "varchar_pattern_ops", "", "", "", "", ""],
            ),
            models.Index(fields=["user"], name="completionfact_user"),
        ]

    def __str__(self):
        return f"{self.enrolment_id} · {self.target_group_id}"


class TargetAchiever(models.Model):
    """A person who counts toward a target under its own settings, once: where they count (their
    effective unit path) and when they first qualified (their first qualifying completion).

    Derived from `CompletionFact` by the same rule (`achievement.counted_facts` grouped by
    person), so a target's page reads one row per person instead of taking the earliest of
    their completions at read time; a filtered view (another group, ethnic group, gender,
    course or year) still counts from the facts. Kept in step with the facts (every write in
    `targets.services.facts` refreshes the people it touched) and with the target (its
    settings, courses or groups changed: `targets.signals`); `completion_facts_rebuild`
    rebuilds both.
    """

    target = models.ForeignKey(
        TrainingTarget, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    unit_path = models.CharField(max_length=255)
    first_completed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("target achiever")
        verbose_name_plural = _("target achievers")
        constraints = [
            models.UniqueConstraint(fields=["target", "user"], name="targetachiever_unique")
        ]
        indexes = [
            # A target's page: its people in a subtree (LIKE 'path%'), answered from the index.
            models.Index(
                fields=["target", "unit_path", "first_completed_at"],
                name="targetachiever_drill",
                opclasses=["", "varchar_pattern_ops", ""],
            ),
            models.Index(fields=["user"], name="targetachiever_user"),
        ]

    def __str__(self):
        return f"{self.target_id} · {self.user_id}"
