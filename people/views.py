"""Learner-facing people pages: the profile form, commune search, language switch."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .forms import ProfileForm
from .models import Profile
from .selectors import org_unit_search
from .services import login_unlock, profile_get_or_create, profile_update


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


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
