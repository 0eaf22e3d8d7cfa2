"""Roster pages: add a learner (find, or create the account), import a list, the handout.

New accounts' PINs exist in clear only in the trainer's server-side session, until the
handout is printed (or another import replaces them); the database keeps only their hashes.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from people.accounts import learner_pin_reset
from people.models import Scope
from people.selectors import profiles_visible_to

from ...models.classes import ClassMember
from .. import selectors, services
from ..forms import LearnerSearchForm, NewLearnerForm, TableUploadForm
from ..handout import HandoutEntry, handout_pdf
from ..roster_import import (
    CREATE,
    MATCH,
    ON_ROSTER,
    REJECT,
    FileError,
    read_table,
    roster_import_apply,
    roster_import_plan,
    roster_person_add,
    rows_from_table,
)
from . import error_text, session_runnable_or_404, staff_required

MAX_HANDOUT = 1000


def _handout_key(session) -> str:
    return f"class-handout-{session.pk}"


def _handout_add(request, session, entries: list[HandoutEntry]) -> None:
    key = _handout_key(session)
    stored = request.session.get(key, [])
    stored.extend([e.full_name, e.username, e.pin] for e in entries)
    request.session[key] = stored[-MAX_HANDOUT:]


@staff_required
def learner_add(request, session_id: int):
    """Find people in the trainer's units and add them, or create an account for a new one."""
    session = session_runnable_or_404(request, session_id)
    search = LearnerSearchForm(request.GET or None)
    results = []
    if search.is_valid() and search.cleaned_data["q"]:
        results = selectors.learner_search(request.user, search.cleaned_data["q"], session=session)
    new_form = NewLearnerForm(
        request.POST if request.POST.get("action") == "create" else None,
        initial={"org_unit": session.venue_id},
    )
    if not new_form.is_bound and session.venue.kind in ("commune", "village"):
        from people.selectors import unit_label

        new_form.fields["org_unit"].widget.initial_label = unit_label(session.venue)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add":
                user_id = request.POST.get("user", "")
                if not (user_id.isascii() and user_id.isdigit() and len(user_id) < 19):
                    raise Http404
                profile = get_object_or_404(
                    profiles_visible_to(request.user, role=Scope.Role.TRAINER).select_related(
                        "user"
                    ),
                    user_id=int(user_id),
                )
                services.roster_add(user=request.user, session=session, learner=profile.user)
                messages.success(
                    request,
                    _("%(name)s is on the roster.") % {"name": profile.display_name},
                )
                return HttpResponseRedirect(request.get_full_path())
            if action == "create" and new_form.is_valid():
                data = dict(new_form.cleaned_data)
                done, result = roster_person_add(user=request.user, session=session, fields=data)
                if done == CREATE:
                    new = result.created[0]
                    _handout_add(
                        request,
                        session,
                        [HandoutEntry(data["full_name"], new.user.username, new.pin)],
                    )
                    messages.success(
                        request,
                        _(
                            "Account created for %(name)s: username %(username)s, PIN %(pin)s. "
                            "Print the handout from the class page."
                        )
                        % {
                            "name": data["full_name"],
                            "username": new.user.username,
                            "pin": new.pin,
                        },
                    )
                else:
                    messages.info(
                        request,
                        _(
                            "%(name)s already has an account (same name, birth year and "
                            "commune, or same phone): that account is on the roster."
                        )
                        % {"name": data["full_name"]},
                    )
                return HttpResponseRedirect(reverse("classes:detail", args=[session.pk]))
        except ValidationError as error:
            if hasattr(error, "error_dict") and action == "create":
                for field, errs in error.message_dict.items():
                    new_form.add_error(field if field in new_form.fields else None, errs)
            else:
                messages.error(request, error_text(error))
    return render(
        request,
        "classes/learner_add.html",
        {"session": session, "search": search, "results": results, "new_form": new_form},
        status=400 if new_form.is_bound else 200,
    )


@staff_required
@require_POST
def member_remove(request, session_id: int, member_id: int):
    session = session_runnable_or_404(request, session_id)
    member = get_object_or_404(ClassMember, session=session, pk=member_id)
    services.roster_remove(user=request.user, member=member)
    messages.success(request, _("The learner has been taken off the roster."))
    return HttpResponseRedirect(reverse("classes:detail", args=[session.pk]))


@staff_required
@require_POST
def member_pin_reset(request, session_id: int, member_id: int):
    """A new PIN for an account this class created (the card was lost)."""
    session = session_runnable_or_404(request, session_id)
    member = get_object_or_404(
        ClassMember.objects.select_related("user__profile"),
        session=session,
        pk=member_id,
        account_created=True,
    )
    pin = learner_pin_reset(user=member.user)
    name = member.user.profile.display_name
    _handout_add(request, session, [HandoutEntry(name, member.user.username, pin)])
    messages.success(
        request,
        _("New PIN for %(username)s: %(pin)s.") % {"username": member.user.username, "pin": pin},
    )
    return HttpResponseRedirect(reverse("classes:detail", args=[session.pk]))


def _import_key(session) -> str:
    return f"class-roster-import-{session.pk}"


def _preview(request, session, rows, *, errors=None, status=200):
    plan = roster_import_plan(user=request.user, session=session, rows=rows)
    return render(
        request,
        "classes/roster_preview.html",
        {
            "session": session,
            "plan": plan,
            "counts": plan.counts,
            "errors": errors or [],
            "actions": {"create": CREATE, "match": MATCH, "on_roster": ON_ROSTER, "reject": REJECT},
        },
        status=status,
    )


@staff_required
def roster_import(request, session_id: int):
    """Upload a list; the answer is the preview (nothing is written yet)."""
    session = session_runnable_or_404(request, session_id)
    form = TableUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            rows = rows_from_table(read_table(form.cleaned_data["file"]))
        except FileError as error:
            form.add_error("file", error.messages)
        else:
            request.session[_import_key(session)] = rows
            return _preview(request, session, rows)
    return render(
        request,
        "classes/table_upload.html",
        {"session": session, "form": form, "kind": "roster"},
        status=400 if form.is_bound else 200,
    )


@staff_required
@require_POST
def roster_import_confirm(request, session_id: int):
    session = session_runnable_or_404(request, session_id)
    rows = request.session.get(_import_key(session))
    if not rows:
        messages.error(request, _("Upload the list again: the preview has expired."))
        return HttpResponseRedirect(reverse("classes:roster_import", args=[session.pk]))
    try:
        result = roster_import_apply(
            user=request.user,
            session=session,
            rows=rows,
            skip_rejected=request.POST.get("skip_rejected") == "1",
        )
    except ValidationError as error:
        return _preview(request, session, rows, errors=error.messages, status=400)
    del request.session[_import_key(session)]
    _handout_add(
        request,
        session,
        [HandoutEntry(n.user.profile.full_name, n.user.username, n.pin) for n in result.created],
    )
    messages.success(
        request,
        _(
            "%(added)s learners added to the class, %(created)s of them with new accounts. "
            "Print the handout for the new accounts."
        )
        % {"added": result.added, "created": len(result.created)},
    )
    return HttpResponseRedirect(reverse("classes:detail", args=[session.pk]))


@staff_required
def handout(request, session_id: int):
    """The A4 handout of the accounts created for this class in this login session."""
    session = session_runnable_or_404(request, session_id)
    stored = request.session.get(_handout_key(session))
    if not stored:
        raise Http404
    User = get_user_model()
    # Only accounts still on this roster (a removed learner's card is not printed).
    on_roster = set(
        User.objects.filter(
            class_memberships__session=session, username__in=[row[1] for row in stored]
        ).values_list("username", flat=True)
    )
    entries = [HandoutEntry(*row) for row in stored if row[1] in on_roster]
    pdf = handout_pdf(class_title=session.title, entries=entries)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(session.title) or "class"
    response["Content-Disposition"] = f'inline; filename="hocso-{name}-{session.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
