"""Learner-facing people pages: the profile form, commune search, language switch, and where
each role lands (the role switcher)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .forms import ProfileForm
from .models import Profile
from .selectors import WORKSPACES, org_unit_search, user_roles
from .services import login_unlock, profile_get_or_create, profile_update
from .signals import SIMPLE_MODE_SESSION_KEY


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


ROLE_SESSION_KEY = "lms_role"


def landing_url(request) -> str:
    """Where `request.user` starts: the workspace of the role they last chose in this session
    (if they still hold it), else of their most specific role."""
    roles = user_roles(request.user)
    if not roles:
        return reverse(WORKSPACES["learner"])
    chosen = request.session.get(ROLE_SESSION_KEY)
    return reverse(WORKSPACES[chosen if chosen in roles else roles[0]])


@login_required
@require_GET
def start(request):
    return HttpResponseRedirect(landing_url(request))


@login_required
@require_http_methods(["GET", "POST"])
def role_switch(request):
    """The role switcher: a person with several roles picks the workspace to work in (kept for
    the session: the start page and the next sign-in in this browser go there)."""
    roles = user_roles(request.user)
    if request.method == "POST":
        role = request.POST.get("role", "")
        if role not in roles:  # forged or no longer held
            messages.error(request, _("You do not have this role."))
            return HttpResponseRedirect(reverse("people:roles"))
        request.session[ROLE_SESSION_KEY] = role
        return HttpResponseRedirect(reverse(WORKSPACES[role]))
    labels = {
        "manager": _("Manager: the overview of your targets"),
        "trainer": _("Trainer: your classes and courses"),
        "learner": _("Learner: my learning"),
    }
    current = request.session.get(ROLE_SESSION_KEY) or roles[0]
    return render(
        request,
        "people/roles.html",
        {"roles": [(role, labels[role], role == current) for role in roles]},
    )


@login_required
def profile_edit(request):
    profile = profile_get_or_create(user=request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=profile)
        if form.is_valid():
            data = dict(form.cleaned_data)
            target_groups = data.pop("target_groups")
            profile_update(profile=profile, target_groups=target_groups, **data)
            request.lms_set_language = profile.preferred_language
            messages.success(request, _("Your profile has been saved."))
            return HttpResponseRedirect(_safe_next(request, "/courses/"))
    else:
        form = ProfileForm(instance=profile)
    return render(
        request,
        "people/profile_form.html",
        {
            "form": form,
            "welcome": request.GET.get("welcome") == "1",
            "next": _safe_next(request, ""),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_GET
def org_unit_search_view(request):
    return JsonResponse({"results": org_unit_search(request.GET.get("q", ""))})


@csrf_exempt  # Only sets a preference cookie; must work from cached anonymous pages.
@require_POST
def language_set(request):
    language = request.POST.get("language")
    response = HttpResponseRedirect(_safe_next(request, "/"))
    if language in {code for code, _name in settings.LANGUAGES}:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
        if request.user.is_authenticated and _csrf_passes(request):
            # Signed in: the choice follows the learner to their next device and login.
            Profile.objects.filter(user=request.user).update(preferred_language=language)
    return response


@login_required
@require_POST
def simple_mode_set(request):
    """A signed-in learner's simple mode ("on" = "1" or "0"), kept on their profile and in the
    session: it follows them to every page and, at their next sign-in, to any device. Anonymous
    visitors keep it on the device only (static/js/voices.js). CSRF-protected (a write)."""
    value = request.POST.get("on")
    if value not in {"0", "1"}:
        return JsonResponse({"error": _("Choose on or off.")}, status=400)
    on = value == "1"
    profile = profile_get_or_create(user=request.user)
    Profile.objects.filter(pk=profile.pk).update(simple_mode=on)
    request.session[SIMPLE_MODE_SESSION_KEY] = on
    return JsonResponse({"simple": on})


def _csrf_passes(request) -> bool:
    """The view is CSRF-exempt (an anonymous visitor's cookie is harmless), but changing a
    signed-in learner's profile is a write: it needs the token the header form carries."""
    return CsrfViewMiddleware(lambda _request: None).process_view(request, None, (), {}) is None


def login_locked_out(request, original_response=None, credentials=None):
    """What a locked-out sign-in sees instead of the form (AXES_LOCKOUT_CALLABLE): why, for
    how long, and who can help; 429, from every login page (site, Django and Wagtail admin)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "account/locked_out.html", {"minutes": minutes}, status=429)


@login_required
@require_POST
def login_unlock_view(request, user_id: int):
    """A trainer in scope (or an administrator) lifts a learner's sign-in lock (audited)."""
    user = get_object_or_404(get_user_model(), pk=user_id)
    login_unlock(user=user, by=request.user)
    messages.success(
        request, _("%(username)s can sign in again.") % {"username": user.get_username()}
    )
    return HttpResponseRedirect(_safe_next(request, "/"))
