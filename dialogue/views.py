"""Pages of the dialogue room: the public questions (/hoi-dap/), course discussions, the
moderation queue, and the satisfaction survey with its results for managers (/khao-sat/).

Every write is a POST through a service; each person's writes are rate-limited (a few a
minute, some dozens an hour) before any database work, so a script cannot flood a thread.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.ratelimit import window_hit
from core.tables import table_response
from courses.models import CoursePage
from people.selectors import user_has_role

from . import selectors, services
from .forms import ReplyForm, SurveyForm, ThreadForm
from .models import Post, Report, Status, Thread

PER_PAGE = 20


def _too_many(request):
    """The person's writes over the limits: the wait in seconds, else 0."""
    user_id = request.user.pk
    wait = window_hit(
        f"dialogue:{user_id}", limit=settings.LMS_DIALOGUE_WRITES_PER_MINUTE, window=60
    )
    return wait or window_hit(
        f"dialogue-h:{user_id}", limit=settings.LMS_DIALOGUE_WRITES_PER_HOUR, window=3600
    )


def _limited(request, wait: int):
    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(wait)
    return response


def _errors(form, exc: ValidationError):
    for message in exc.messages:
        form.add_error(None, message)


# --- public questions ----------------------------------------------------------------------------
def question_list(request):
    query = " ".join(request.GET.get("q", "").split())[:100]
    page = Paginator(selectors.public_questions(query=query), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "dialogue/question_list.html", {"page_obj": page, "items": page, "query": query}
    )


@login_required
def question_ask(request):
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if wait := _too_many(request):
            return _limited(request, wait)
        try:
            thread = services.thread_create(author=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            if thread.status == Status.PENDING:
                messages.info(request, _("Thank you. Your question will appear once checked."))
            return redirect("dialogue:thread", thread.pk)
    return render(request, "dialogue/ask.html", {"form": form, "course": None})


def _thread_or_404(request, pk: int) -> Thread:
    thread = get_object_or_404(Thread.objects.select_related("course", "org_unit", "author"), pk=pk)
    if not selectors.can_read(request.user, thread):
        if thread.kind == Thread.Kind.COURSE and not request.user.is_authenticated:
            raise PermissionDenied
        raise Http404
    return thread


def thread_detail(request, pk: int):
    thread = _thread_or_404(request, pk)
    moderator = selectors.can_moderate(request.user, thread)
    official = request.user.is_authenticated and selectors.is_official_for(request.user, thread)
    can_reply = request.user.is_authenticated and (
        official
        or (thread.kind == Thread.Kind.COURSE and thread.status == Status.VISIBLE)
        or (thread.author_id == request.user.pk and thread.status == Status.VISIBLE)
    )
    context = {
        "thread": thread,
        "posts": selectors.thread_posts(thread, request.user, moderator=moderator),
        "moderator": moderator,
        "official": official,
        "form": ReplyForm() if can_reply else None,
    }
    return render(request, "dialogue/thread.html", context)


@login_required
@require_POST
def thread_reply(request, pk: int):
    thread = _thread_or_404(request, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("body", []):
            messages.error(request, error)
        return redirect("dialogue:thread", thread.pk)
    if wait := _too_many(request):
        return _limited(request, wait)
    try:
        post = services.post_create(
            thread=thread, author=request.user, body=form.cleaned_data["body"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if post.status == Status.PENDING:
            messages.info(request, _("Thank you. Your reply will appear once checked."))
    return redirect("dialogue:thread", thread.pk)


def _post_of(thread: Thread, raw: str) -> Post | None:
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(Post, pk=int(raw), thread=thread)


@login_required
@require_POST
def thread_report(request, pk: int):
    thread = _thread_or_404(request, pk)
    post = _post_of(thread, request.POST.get("post", ""))
    if wait := _too_many(request):
        return _limited(request, wait)
    try:
        services.report_create(
            reporter=request.user, thread=thread, post=post, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Thank you. The moderators will look at it."))
    return redirect("dialogue:thread", thread.pk)


@login_required
@require_POST
def thread_moderate(request, pk: int):
    thread = get_object_or_404(Thread.objects.select_related("course", "org_unit"), pk=pk)
    if not selectors.can_moderate(request.user, thread):
        raise PermissionDenied
    post = _post_of(thread, request.POST.get("post", ""))
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    try:
        if action == "hide":
            services.content_hide(by=request.user, thread=thread, post=post, reason=reason)
        elif action == "restore":
            services.content_restore(by=request.user, thread=thread, post=post, reason=reason)
        elif action == "approve":
            services.content_approve(by=request.user, thread=thread, post=post)
        elif action == "dismiss" and request.POST.get("report", "").isdigit():
            report = get_object_or_404(Report, pk=int(request.POST["report"]), thread=thread)
            services.report_dismiss(by=request.user, report=report)
        else:
            raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Done."))
    target = request.POST.get("next", "")
    if target == "queue":
        return redirect("dialogue:moderation")
    return redirect("dialogue:thread", thread.pk)


@login_required
def moderation(request):
    if (
        not user_has_role(request.user)
        and not selectors.threads_moderated_by(request.user).exists()
    ):
        raise PermissionDenied
    return render(request, "dialogue/moderation.html", selectors.moderation_queue(request.user))


# --- course discussions --------------------------------------------------------------------------
@login_required
def course_discussion(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    if not selectors.can_join_course_discussion(request.user, course):
        raise PermissionDenied
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if wait := _too_many(request):
            return _limited(request, wait)
        try:
            thread = services.thread_create(author=request.user, course=course, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            if thread.status == Status.PENDING:
                messages.info(request, _("Thank you. Your message will appear once checked."))
            return redirect("dialogue:thread", thread.pk)
    page = Paginator(selectors.course_threads(course, request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "dialogue/course.html", {"course": course, "page_obj": page, "form": form}
    )


# --- surveys -------------------------------------------------------------------------------------
@login_required
def survey(request, course_id: int):
    course = get_object_or_404(CoursePage, pk=course_id)
    if not selectors.survey_open_for(request.user, course):
        return render(request, "dialogue/survey_closed.html", {"course": course}, status=403)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_submit(user=request.user, course=course, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Thank you for your answers."))
            return redirect("courses:my_learning")
    return render(request, "dialogue/survey.html", {"course": course, "form": form})


def _table(results: list[dict], by: str):
    headers = [_("Course")]
    if by == "unit":
        headers.append(_("Unit"))
    headers += [
        _("Responses"),
        _("Satisfied (4–5 stars)"),
        _("Satisfied, per cent"),
        _("Overall (average)"),
        _("Useful (average)"),
        _("Easy to follow (average)"),
    ]
    rows = []
    for row in results:
        cells = [row["course__title"]]
        if by == "unit":
            cells.append(row["org_unit__name"] or _("No unit"))
        cells += [
            row["responses"],
            row["satisfied"],
            row["satisfied_pct"],
            round(row["overall_avg"], 2),
            round(row["useful_avg"], 2),
            round(row["clear_avg"], 2),
        ]
        rows.append(cells)
    return headers, rows


def _comments_table(user):
    headers = [_("Course"), _("Unit"), _("Overall"), _("Useful"), _("Easy to follow"), _("Comment")]
    rows = (
        selectors.survey_responses_visible_to(user)
        .order_by("course__title", "pk")
        .values_list("course__title", "org_unit__name", "overall", "useful", "clear", "comment")
    )
    return headers, [list(row) for row in rows]


def _download(fmt: str, filename: str, headers, rows) -> HttpResponse:
    """CSV or XLSX through the one table writer (`core.tables`): every cell through
    `spreadsheet_row`, so a comment such as `=HYPERLINK(…)` stays text."""
    return table_response(fmt=fmt, filename=filename, title=filename, headers=headers, rows=rows)


@login_required
def survey_results(request):
    """Managers: satisfaction per course (or per course and unit) of the learners of their
    units, with downloads of the table and of the comments."""
    if not user_has_role(request.user, selectors.MANAGER):
        raise PermissionDenied
    by = "unit" if request.GET.get("by") == "unit" else "course"
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        if request.GET.get("table") == "comments":
            headers, rows = _comments_table(request.user)
            return _download(fmt, "survey-comments", headers, rows)
        headers, rows = _table(selectors.survey_results(request.user, by=by), by)
        return _download(fmt, f"survey-by-{by}", headers, rows)
    headers, rows = _table(selectors.survey_results(request.user, by=by), by)
    return render(
        request, "dialogue/survey_results.html", {"headers": headers, "rows": rows, "by": by}
    )
