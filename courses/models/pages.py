"""Course content as Wagtail pages: the catalogue, courses and lessons, routed through the
content-version cache so a lesson page costs a handful of queries."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index
from wagtail.url_routing import RouteResult

from core.pages import AsciiSlugMixin, AsciiSlugPageForm
from people.languages import ContentLanguage

from ..blocks import LessonStreamBlock
from ..forms import LessonPageForm


class Topic(models.TextChoices):
    IT_BASICS = "it-basics", _("IT basics")
    DIGITAL_TRANSFORMATION = "digital-transformation", _("Digital transformation")
    CYBERSECURITY = "cybersecurity", _("Cybersecurity")
    ECOMMERCE = "e-commerce", _("E-commerce")
    MINORITY_LANGUAGE = "minority-language", _("Minority language")
    OTHER = "other", _("Other")


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


# The language a course is taught in: the one list of content languages (people.languages).
CourseLanguage = ContentLanguage


class LeanPageMixin:
    """Serving shortcuts for the learner pages, which the lesson-page query budget depends on.

    `route` resolves the rest of the URL in one lookup (cached per content version) instead of
    one query per path segment, and `get_view_restrictions` checks this page and its ancestors
    (resolving aliases as Wagtail does), cached per content version (saving or deleting a
    restriction bumps it, see `courses.apps`).
    """

    def route(self, request, path_components):
        if path_components:
            from ..selectors import page_for_url_path

            page = page_for_url_path(self.url_path + "/".join(path_components) + "/")
            # None: no such page, or one below an unpublished page (which Wagtail's own
            # routing would still serve). None of these pages route sub-paths of their own.
            if page is None or not page.live:
                raise Http404
            return RouteResult(page)
        return super().route(request, path_components)

    def get_view_restrictions(self):
        from core.db import queryset_prefilled
        from core.middleware import versioned_get_or_set

        def find():
            steplen = self.steplen
            paths = [self.path[:end] for end in range(steplen, len(self.path) + 1, steplen)]
            chain = Page.objects.filter(path__in=paths).values_list("pk", "alias_of")
            page_ids = sorted({alias_of or pk for pk, alias_of in chain})  # an alias: its source
            return page_ids, list(PageViewRestriction.objects.filter(page_id__in=page_ids))

        page_ids, found = versioned_get_or_set(f"view-restrictions:{self.path}", find)
        # Serving iterates the queryset: its results come from the versioned cache, so that
        # costs no query. Anything that refines it (the admin orders it) reads the database.
        return queryset_prefilled(PageViewRestriction.objects.filter(page_id__in=page_ids), found)


class AnonymousCacheMixin:
    """Lets `core.middleware.AnonymousPageCacheMiddleware` cache the page for anonymous users."""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # A page behind a password, login or group restriction is never cached: an anonymous
        # visitor who typed the password would otherwise open it for everyone.
        restricted = bool(self.get_view_restrictions())  # from the versioned cache
        response.lms_cacheable = not request.user.is_authenticated and not restricted
        return response


class CourseIndexPage(AsciiSlugMixin, LeanPageMixin, AnonymousCacheMixin, Page):
    """The catalogue (/courses/): lists published courses, filterable by topic and language."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1
    base_form_class = AsciiSlugPageForm

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import catalogue_courses, catalogue_filters
        from ..translation import catalogue_language_counts, retitle

        context = super().get_context(request, *args, **kwargs)
        filters = catalogue_filters(request.GET)
        context["filters"] = filters
        courses = list(catalogue_courses(index=self, **filters))
        retitle(courses)  # in the learner's language where translated (none for Vietnamese)
        context["courses"] = courses
        context["topic_choices"] = Topic.choices
        # Only the languages some course has content in, with how many (one query).
        context["language_choices"] = catalogue_language_counts(
            catalogue_courses(index=self, topic=filters["topic"]),
            cache_name=f"{self.pk}:{filters['topic']}",
        )
        return context


CLASS_MIN_ATTENDANCE_DEFAULT = Decimal("0.80")


class CoursePageForm(AsciiSlugPageForm):
    """The editor's course form: an empty class attendance share means the default (80%), an
    empty attempt policy the default one (3 attempts, then 24 hours)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("class_min_attendance", "quiz_attempts", "quiz_wait_hours"):
            if name in self.fields:
                self.fields[name].required = False

    def clean_class_min_attendance(self):
        value = self.cleaned_data.get("class_min_attendance")
        return CLASS_MIN_ATTENDANCE_DEFAULT if value is None else value

    def clean_quiz_attempts(self):
        value = self.cleaned_data.get("quiz_attempts")
        return CoursePage._meta.get_field("quiz_attempts").default if value is None else value

    def clean_quiz_wait_hours(self):
        value = self.cleaned_data.get("quiz_wait_hours")
        return CoursePage._meta.get_field("quiz_wait_hours").default if value is None else value

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("hours_override") is not None
            and not (cleaned.get("hours_override_reason") or "").strip()
        ):
            self.add_error(
                "hours_override_reason",
                _("Say why the course takes a different time than its lessons add up to."),
            )
        if cleaned.get("certifying") and "action-publish" in self.data:
            from ..selectors import course_final_assessment

            if self.instance.pk is None or course_final_assessment(self.instance) is None:
                self.add_error(
                    "certifying",
                    _(
                        "A certifying course needs a published, required lesson with a quiz "
                        "(the final assessment, graded on the server): without one, a "
                        "certificate would rest on results the browser reported. Add and "
                        "publish the final quiz lesson first, or untick “issues certificates”."
                    ),
                )
        return cleaned


class CoursePage(AsciiSlugMixin, LeanPageMixin, AnonymousCacheMixin, Page):
    """A course: its description, its lessons (children) and its completion rule.

    Completion rule: every lesson marked `required` is complete; a lesson with a quiz is
    complete when the quiz score reaches `pass_mark`, within the attempt policy
    (`quiz_attempts`, then `quiz_wait_hours` of waiting). The final score is the best score of the
    last required lesson that has a quiz (the final quiz).
    """

    topic = models.CharField(_("topic"), max_length=32, choices=Topic.choices)
    summary = models.TextField(_("summary"), max_length=600)
    description = RichTextField(
        _("description"), blank=True, features=["h2", "h3", "bold", "italic", "ul", "ol", "link"]
    )
    # The study time printed on certificates: derived from the required lessons (see
    # courses.hours) and kept in step by `courses.services.course_hours_refresh`, unless a
    # trainer overrides it with a reason that managers see.
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("0.1"),
        editable=False,
        help_text=_("Study time derived from the lessons, or the override."),
    )
    hours_override = models.DecimalField(
        _("hours (override)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("500"))],
        help_text=_(
            "Leave empty to use the time derived from the lessons (reading, media, quiz). "
            "An override needs a reason, which managers see."
        ),
    )
    hours_override_reason = models.CharField(
        _("reason for the override"), max_length=255, blank=True
    )
    certifying = models.BooleanField(
        _("issues certificates"),
        default=True,
        help_text=_(
            "A certificate needs evidence the server judged: a passed final quiz (graded on the "
            "server) or a class completed by attendance. A certifying course needs a required "
            "lesson with a quiz."
        ),
    )
    certificate_valid_months = models.PositiveSmallIntegerField(
        _("certificates valid for (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text=_(
            "Leave empty for certificates that never expire. Otherwise a certificate is valid "
            "for this many months from the completion date; the QR code and the credential "
            "carry the date, and verification says “expired” after it."
        ),
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default="beginner")
    language = models.CharField(
        _("language"), max_length=8, choices=CourseLanguage.choices, default="vi"
    )
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Score a learner needs on a quiz for its lesson to count as complete."),
    )
    # The attempt policy of the course's quizzes (courses.quiz.policy): so many graded
    # attempts, then a wait before the next so many. A trainer can grant an extra attempt.
    quiz_attempts = models.PositiveSmallIntegerField(
        _("quiz attempts"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Attempts a learner has at a quiz before having to wait."),
    )
    quiz_wait_hours = models.PositiveSmallIntegerField(
        _("wait after the last attempt (hours)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
        help_text=_("After using up the attempts, the learner waits this long for new ones."),
    )
    # In-person classes (courses.models.classes): the share of class days a learner must
    # attend, and whether the final quiz must also be passed (online, or on paper with the
    # score entered by the trainer).
    class_min_attendance = models.DecimalField(
        _("minimum attendance in a class"),
        max_digits=3,
        decimal_places=2,
        default=CLASS_MIN_ATTENDANCE_DEFAULT,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
        help_text=_("Share of class days a learner must attend, e.g. 0.80 for 80%."),
    )
    class_requires_final_quiz = models.BooleanField(
        _("a class also requires the final quiz"),
        default=False,
        help_text=_("Passed online, or on paper with the score entered by the trainer."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("cover"),
        MultiFieldPanel(
            [
                FieldPanel("topic"),
                FieldPanel("level"),
                FieldPanel("language"),
                FieldPanel("hours_override"),
                FieldPanel("hours_override_reason"),
            ],
            heading=_("Catalogue"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("certifying"),
                FieldPanel("certificate_valid_months"),
                FieldPanel("pass_mark"),
                FieldPanel("quiz_attempts"),
                FieldPanel("quiz_wait_hours"),
                FieldPanel("class_min_attendance"),
                FieldPanel("class_requires_final_quiz"),
            ],
            heading=_("Completion rule"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.FilterField("topic")]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]
    base_form_class = CoursePageForm

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(class_min_attendance__gt=0, class_min_attendance__lte=1),
                name="coursepage_class_min_attendance_range",
            ),
            models.CheckConstraint(
                condition=models.Q(hours_override__isnull=True)
                | ~models.Q(hours_override_reason=""),
                name="coursepage_hours_override_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(quiz_attempts__gte=1, quiz_wait_hours__gte=1),
                name="coursepage_quiz_policy_range",
            ),
        ]

    def get_context(self, request, *args, **kwargs):
        from ..selectors import course_outline, enrolment_for
        from ..translation import content_language, retitle, shown_context

        context = super().get_context(request, *args, **kwargs)
        enrolment = enrolment_for(request.user, self)
        context["enrolment"] = enrolment
        # A course being added (previewed before its first save) has no lessons yet.
        context["lessons"] = (
            course_outline(course=self, enrolment=enrolment) if self.pk is not None else []
        )
        # The description and lesson titles in the learner's language where translated.
        language = content_language()
        context.update(shown_context(self, language))
        retitle([item.lesson for item in context["lessons"]], language)
        # A certificate needs server-judged evidence: a certifying course with a final
        # assessment (a live, required quiz lesson; the outline holds the live lessons).
        context["issues_certificate"] = self.certifying and any(
            item.lesson.has_quiz and item.lesson.required for item in context["lessons"]
        )
        # Right after enrolling (and on every visit): the one lesson to take next.
        context["next_item"] = next((i for i in context["lessons"] if not i.completed), None)
        context["started"] = any(item.completed for item in context["lessons"])
        context["certificate"] = None
        if enrolment is not None and enrolment.is_completed:
            from ..selectors import enrolment_certificate

            context["certificate"] = enrolment_certificate(enrolment)
        return context

    def get_preview_context(self, request, mode_name):
        # A preview enrols nobody (and a course being added has no id to enrol in); it shows
        # the page previewed (a translator's draft translation too), whatever the language.
        context = super().get_preview_context(request, mode_name)
        return {**context, "preview": True, "shown": self, "untranslated": ""}


class LessonPage(AsciiSlugMixin, LeanPageMixin, Page):
    """A lesson: a stream of the shared blocks. Reading lessons are completed by "mark as done",
    lessons with a quiz by passing it."""

    summary = models.CharField(_("summary"), max_length=255, blank=True)
    # Estimated from the body on every save (courses.hours): reading, media, quiz, H5P.
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=1, editable=False)
    # The trainer's explicit choice in the admin (courses.forms.LessonPageForm has no default);
    # None: a draft saved before choosing, which counts as optional until published with a
    # choice. Pages made in code say what they want (True unless told).
    required = models.BooleanField(
        _("required for completion"),
        null=True,
        default=True,
        help_text=_("Required lessons count for completion and the certificate."),
    )
    body = StreamField(LessonStreamBlock(), verbose_name=_("content"))
    # Kept in step with `body` on save so outlines can show it without loading bodies.
    has_quiz = models.BooleanField(default=False, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("required"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []
    base_form_class = LessonPageForm

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    @property
    def quiz_block(self):
        for block in self.body:
            if block.block_type == "quiz":
                return block
        return None

    @property
    def narration(self):
        """The audio block the lesson's "Listen" button plays (courses.audio), or None."""
        from ..audio import lesson_narration

        return lesson_narration(self.body)

    @property
    def h5p_blocks(self) -> list:
        return [block for block in self.body if block.block_type == "h5p"]

    @property
    def scorm_blocks(self) -> list:
        return [block for block in self.body if block.block_type == "scorm"]

    @property
    def has_required_activity(self) -> bool:
        """A required H5P or SCORM activity completes this lesson (no "mark as done")."""
        # A block whose package was deleted cannot be played, so it cannot be required.
        return any(
            b.value["required"] and b.value["package"] for b in self.h5p_blocks + self.scorm_blocks
        )

    def save(self, *args, **kwargs):
        from ..hours import lesson_minutes_estimate

        self.has_quiz = any(block.block_type == "quiz" for block in self.body)
        self.minutes = min(lesson_minutes_estimate(self.body), 32767)
        super().save(*args, **kwargs)

    def get_preview_context(self, request, mode_name):
        """The lesson as learners will see it, for a trainer: no enrolment, the quiz's
        questions shown read-only with their answer key, H5P activities named (they play in
        the published lesson), no "mark as done"."""
        from ..quiz.selectors import quiz_preview
        from ..selectors import lesson_preview_view

        context = super().get_preview_context(request, mode_name)
        view = lesson_preview_view(lesson=self)
        context.update(
            {
                "preview": True,
                "shown": self,  # the draft previewed, a translation's too
                "view": view,
                "course": view.course,
                "enrolment": None,
                "quiz": quiz_preview(lesson=self),
            }
        )
        return context

    def serve(self, request, *args, **kwargs):
        from ..views import lesson_serve

        return lesson_serve(request, self)
