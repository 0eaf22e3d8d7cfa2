"""In-person classes (lớp tập huấn): sessions, their days, the roster and attendance.

Most village heads and household businesses learn in a class at the commune hall, not alone on
a phone. A `TrainingSession` is one such class of a course, held at a venue (an org unit, which
is also what scopes it: a trainer runs classes only inside their units). Its `SessionDay` rows
are the class days: one row per calendar day from the start to the end date, derived when the
class is created and again when its dates change (a day that already has attendance cannot be
dropped). Attendance share is counted over those days, so the rule "attend at least 80% of the
days" means what the trainer sees.

`ClassMember` is the roster. `Attendance` is the current state per (day, learner); every mark
that reached the server is also kept once in `AttendanceMark` (keyed by the client-generated
UUID), so a mark queued offline and sent twice is applied once, and the audit trail shows who
marked what when. Meeting the course's class rule completes the learner's enrolment through
`courses.services.enrolment_complete`, like online completion.
"""

import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


def checkin_secret_default() -> str:
    return secrets.token_urlsafe(24)


ALL_WEEKDAYS = "0123456"


class TrainingSession(models.Model):
    """One in-person class of a course at a venue, run by one or more trainers."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        CANCELLED = "cancelled", _("Cancelled")

    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="training_sessions",
    )
    title = models.CharField(_("title"), max_length=200)
    venue = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("venue (commune / unit)"),
        on_delete=models.PROTECT,
        related_name="training_sessions",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainers"),
        related_name="training_sessions_led",
        blank=True,
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    # The days of the week the class meets, as Python weekday digits (0 Monday … 6 Sunday):
    # a class from Thursday to Tuesday that skips the weekend has four class days, not six.
    weekdays = models.CharField(
        _("class days of the week"), max_length=7, default=ALL_WEEKDAYS, db_default=ALL_WEEKDAYS
    )
    # Certificates of class completions print the class days attended times this.
    hours_per_day = models.DecimalField(
        _("hours per class day"),
        max_digits=3,
        decimal_places=1,
        default=Decimal("4.0"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("12"))],
        help_text=_("Study time of one class day, e.g. 4 for a morning."),
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    self_checkin = models.BooleanField(
        _("self check-in"),
        default=False,
        help_text=_("Learners with an account can mark themselves present by scanning a QR code."),
    )

    class CheckinMode(models.TextChoices):
        ROTATING = "rotating", _("A code that changes every minute (on the trainer's screen)")
        DAILY = "daily", _("One QR code for the whole day")

    checkin_mode = models.CharField(
        _("self check-in code"),
        max_length=8,
        choices=CheckinMode.choices,
        default=CheckinMode.ROTATING,
        db_default=CheckinMode.ROTATING,
        help_text=_(
            "A code that changes every minute must be read off the trainer's screen in the "
            "room: a photo sent to someone at home is useless a minute later. The daily QR "
            "code can be printed, but anyone with a photo of it can check in that day."
        ),
    )
    # Key of the check-in codes (HMACs of the session id and the date or the minute).
    checkin_secret = models.CharField(max_length=64, default=checkin_secret_default, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="trainingsession_date_range"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="trainingsession_capacity_positive",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "running", "finished", "cancelled"]),
                name="trainingsession_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(checkin_mode__in=["rotating", "daily"]),
                name="trainingsession_checkin_mode_valid",
            ),
        ]
        indexes = [models.Index(fields=["venue", "status"]), models.Index(fields=["start_date"])]

    def __str__(self):
        return self.title


class SessionDay(models.Model):
    """One day the class meets. Attendance is marked per day; the paper sheet is its evidence."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"))
    sheet_photo = models.ImageField(
        _("photo of the signed attendance sheet"),
        upload_to="classes/sheets/%Y/%m/",
        blank=True,
    )
    sheet_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("class day")
        verbose_name_plural = _("class days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["session", "date"], name="sessionday_unique_date")
        ]

    def __str__(self):
        return f"{self.session_id} · {self.date:%d/%m/%Y}"


class ClassMember(models.Model):
    """A learner on a class roster; `paper_score` is a final test taken on paper."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="class_memberships"
    )
    paper_score = models.PositiveSmallIntegerField(
        _("paper test score (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    account_created = models.BooleanField(
        default=False, help_text=_("The trainer created this account for the class.")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("class member")
        verbose_name_plural = _("class members")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="classmember_unique"),
            models.CheckConstraint(
                condition=Q(paper_score__isnull=True) | Q(paper_score__lte=100),
                name="classmember_paper_score_range",
            ),
        ]

    def __str__(self):
        return f"{self.session_id} · {self.user_id}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


ATTENDANCE_STATUSES = [value for value, _label in AttendanceStatus.choices]


class Attendance(models.Model):
    """The current attendance of one learner on one class day (the last mark wins)."""

    day = models.ForeignKey(SessionDay, on_delete=models.CASCADE, related_name="attendance")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(_("status"), max_length=8, choices=AttendanceStatus.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(_("marked at"))
    # The mark that set this state (the newest by `marked_at`).
    client_uuid = models.UUIDField(default=uuid.uuid4)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["day", "learner"], name="attendance_unique"),
            models.CheckConstraint(
                condition=Q(status__in=ATTENDANCE_STATUSES), name="attendance_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["learner", "status"])]

    def __str__(self):
        return f"{self.day_id} · {self.learner_id} · {self.status}"


class AttendanceMark(models.Model):
    """Every attendance mark received, once per client UUID: idempotency key and audit trail."""

    class Source(models.TextChoices):
        TRAINER = "trainer", _("Trainer")
        IMPORT = "import", _("Attendance sheet import")
        CHECKIN = "checkin", _("Self check-in")

    uuid = models.UUIDField(unique=True)
    day = models.ForeignKey(SessionDay, on_delete=models.CASCADE, related_name="marks")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=8, choices=AttendanceStatus.choices)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.TRAINER)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    applied = models.BooleanField(
        default=True, help_text=_("False when a newer mark for the same day was already applied.")
    )

    class Meta:
        verbose_name = _("attendance mark")
        verbose_name_plural = _("attendance marks")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ATTENDANCE_STATUSES), name="attendancemark_status_valid"
            )
        ]

    def __str__(self):
        return str(self.uuid)
