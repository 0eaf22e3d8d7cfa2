"""Writes of the dialogue room: asking, replying, reporting, moderating, answering surveys.

Every write checks who may do it (the views check too, but a service is the rule), stores
text NFC with control characters removed (HTML is kept as text and escaped on output), and
tells people through notify after the transaction commits: the asker when an official answer
arrives, the moderators when something is reported or waits for approval.
"""

import datetime
import unicodedata

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from courses.models import CoursePage, Enrolment
from notify.models import Kind
from notify.services import notify
from people.selectors import user_has_role

from . import selectors
from .models import (
    BODY_MAX,
    COMMENT_MAX,
    TITLE_MAX,
    ModerationAction,
    Post,
    Report,
    Status,
    SurveyResponse,
    Thread,
)

REASON_MAX = 500


def clean_text(value: str, *, max_length: int, multiline: bool = True) -> str:
    """NFC, no control characters (newlines kept in multi-line text), trimmed; refuses text
    longer than `max_length` rather than cutting someone's words."""
    text = unicodedata.normalize("NFC", value or "").replace("\r\n", "\n").replace("\r", "\n")
    keep = "\n" if multiline else ""
    text = "".join(
        ch for ch in text if ch in keep or ch == "\t" or unicodedata.category(ch)[0] != "C"
    )
    text = text.replace("\t", " ")
    if not multiline:
        text = " ".join(text.split())
    text = text.strip()
    if len(text) > max_length:
        raise ValidationError(
            _("The text is too long (at most %(max)s characters).") % {"max": max_length}
        )
    return text


def needs_premoderation(user) -> bool:
    """New accounts without a role wait for a moderator before their words are public."""
    if user_has_role(user):
        return False
    days = settings.LMS_DIALOGUE_NEW_ACCOUNT_DAYS
    return user.date_joined > timezone.now() - datetime.timedelta(days=days)


def _user_unit(user):
    profile = getattr(user, "profile", None)
    return getattr(profile, "org_unit", None)


def _thread_url(thread: Thread) -> str:
    return reverse("dialogue:thread", args=[thread.pk])


def _notify_later(user_ids, kind, title_fn, url: str, *, key: str = "") -> None:
    """notify() each person after commit, in their own language."""
    from django.contrib.auth import get_user_model

    def send():
        users = get_user_model().objects.filter(pk__in=list(user_ids)).select_related("profile")
        for person in users:
            language = getattr(getattr(person, "profile", None), "preferred_language", "vi")
            with override(language or "vi"):
                title, body = title_fn()
                notify(person, kind, title, body, url=url, key=key)

    transaction.on_commit(send)


def _notify_moderators_pending(thread: Thread) -> None:
    _notify_later(
        selectors.moderator_ids(thread),
        Kind.GENERAL,
        lambda: (_("A new post waits for moderation"), thread.title),
        reverse("dialogue:moderation"),
    )


@transaction.atomic
def thread_create(*, author, title: str, body: str, course: CoursePage | None = None) -> Thread:
    """Ask a public question (`course` None) or open a course discussion."""
    if not author.is_authenticated or not author.is_active:
        raise PermissionDenied
    if course is not None and not selectors.can_join_course_discussion(author, course):
        raise PermissionDenied(_("Only the course's learners and trainers take part here."))
    title = clean_text(title, max_length=TITLE_MAX, multiline=False)
    body = clean_text(body, max_length=BODY_MAX)
    if not title or not body:
        raise ValidationError(_("Write a title and your text."))
    thread = Thread.objects.create(
        kind=Thread.Kind.COURSE if course else Thread.Kind.QUESTION,
        course=course,
        org_unit=_user_unit(author),
        author=author,
        title=title,
        body=body,
        status=Status.PENDING if needs_premoderation(author) else Status.VISIBLE,
    )
    if thread.status == Status.PENDING:
        _notify_moderators_pending(thread)
    return thread


@transaction.atomic
def post_create(*, thread: Thread, author, body: str) -> Post:
    """Reply in a thread. In a public question only the asker (a follow-up) and its officials
    (answers) reply; in a course discussion every participant. A reply by an official is
    marked official, and the first one marks the question answered and tells the asker."""
    if not author.is_authenticated or not author.is_active:
        raise PermissionDenied
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    official = selectors.is_official_for(author, thread)
    if thread.kind == Thread.Kind.COURSE:
        if not selectors.can_join_course_discussion(author, thread.course):
            raise PermissionDenied(_("Only the course's learners and trainers take part here."))
    elif not official and author.pk != thread.author_id:
        raise PermissionDenied(_("Only the authorities answer questions here."))
    if thread.status != Status.VISIBLE and not official:
        raise PermissionDenied(_("This thread is not open for replies."))
    body = clean_text(body, max_length=BODY_MAX)
    if not body:
        raise ValidationError(_("Write your reply."))
    premoderated = not official and needs_premoderation(author)
    post = Post.objects.create(
        thread=thread,
        author=author,
        body=body,
        official=official,
        status=Status.PENDING if premoderated else Status.VISIBLE,
    )
    now = timezone.now()
    fields = ["last_post_at"]
    thread.last_post_at = now
    if official and thread.answered_at is None:
        thread.answered_at = now
        fields.append("answered_at")
    thread.save(update_fields=fields)
    if official and author.pk != thread.author_id:
        _notify_later(
            [thread.author_id],
            Kind.ANSWER,
            lambda: (_("Your question has an answer"), thread.title),
            _thread_url(thread),
        )
    if premoderated:
        _notify_moderators_pending(thread)
    return post


@transaction.atomic
def report_create(*, reporter, thread: Thread, post: Post | None = None, reason: str) -> Report:
    """Flag a thread or a reply for the moderators (once per person; a second flag is the
    first one)."""
    if not reporter.is_authenticated or not selectors.can_read(reporter, thread):
        raise PermissionDenied
    if post is not None and post.thread_id != thread.pk:
        raise PermissionDenied
    reason = clean_text(reason, max_length=REASON_MAX, multiline=False)
    if not reason:
        raise ValidationError(_("Say what is wrong."))
    existing = Report.objects.filter(reporter=reporter, thread=thread, post=post).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reporter=reporter, thread=thread, post=post, reason=reason
            )
    except IntegrityError:  # the same person, twice at once
        return Report.objects.get(reporter=reporter, thread=thread, post=post)
    _notify_later(
        selectors.moderator_ids(thread),
        Kind.GENERAL,
        lambda: (_("Something was reported in the dialogue"), f"{thread.title}: {reason}"),
        reverse("dialogue:moderation"),
    )
    return report


def _moderate(*, by, thread: Thread, post: Post | None, action: str, reason: str) -> None:
    if not selectors.can_moderate(by, thread):
        raise PermissionDenied(_("You do not moderate this thread."))
    reason = clean_text(reason, max_length=REASON_MAX, multiline=False)
    if action in (ModerationAction.Action.HIDE, ModerationAction.Action.RESTORE) and not reason:
        raise ValidationError(_("Give a reason."))
    target = post if post is not None else thread
    status = {
        ModerationAction.Action.APPROVE: Status.VISIBLE,
        ModerationAction.Action.HIDE: Status.HIDDEN,
        ModerationAction.Action.RESTORE: Status.VISIBLE,
    }[action]
    target.status = status
    target.hidden_reason = reason if action == ModerationAction.Action.HIDE else ""
    target.save(update_fields=["status", "hidden_reason"])
    ModerationAction.objects.create(thread=thread, post=post, action=action, reason=reason, by=by)
    # Acting on something resolves the reports about it.
    Report.objects.filter(thread=thread, post=post, resolved_at=None).update(
        resolved_at=timezone.now()
    )


@transaction.atomic
def content_hide(*, by, thread: Thread, post: Post | None = None, reason: str) -> None:
    _moderate(by=by, thread=thread, post=post, action=ModerationAction.Action.HIDE, reason=reason)


@transaction.atomic
def content_restore(*, by, thread: Thread, post: Post | None = None, reason: str) -> None:
    _moderate(
        by=by, thread=thread, post=post, action=ModerationAction.Action.RESTORE, reason=reason
    )


@transaction.atomic
def content_approve(*, by, thread: Thread, post: Post | None = None) -> None:
    _moderate(by=by, thread=thread, post=post, action=ModerationAction.Action.APPROVE, reason="")


@transaction.atomic
def report_dismiss(*, by, report: Report) -> None:
    if not selectors.can_moderate(by, report.thread):
        raise PermissionDenied
    Report.objects.filter(pk=report.pk, resolved_at=None).update(resolved_at=timezone.now())


# --- surveys ---------------------------------------------------------------------------------
def _likert(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= 5:
        raise ValidationError(_("Choose from 1 to 5."))
    return number


@transaction.atomic
def survey_submit(
    *, user, course: CoursePage, overall, useful, clear, comment: str = ""
) -> SurveyResponse:
    """Record a learner's answers for a course they completed; a second answer (a replayed
    form, a double tap) is refused, the first one stays."""
    completed = Enrolment.objects.filter(
        user=user, course=course, status=Enrolment.Status.COMPLETED
    ).exists()
    if not completed:
        raise PermissionDenied(_("The survey opens when you have completed the course."))
    values = {"overall": _likert(overall), "useful": _likert(useful), "clear": _likert(clear)}
    comment = clean_text(comment, max_length=COMMENT_MAX)
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(
                user=user, course=course, org_unit=_user_unit(user), comment=comment, **values
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("You have already answered the survey for this course."), code="duplicate"
        ) from exc


def survey_invite(*, enrolment: Enrolment) -> None:
    """After a completion commits: ask the learner what they thought (once)."""
    if SurveyResponse.objects.filter(
        user_id=enrolment.user_id, course_id=enrolment.course_id
    ).exists():
        return
    _notify_later(
        [enrolment.user_id],
        Kind.GENERAL,
        lambda: (_("How was the course? Tell us in one minute"), enrolment.course.title),
        reverse("dialogue:survey", args=[enrolment.course_id]),
        key=f"survey:{enrolment.course_id}",
    )
