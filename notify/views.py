"""The person's notifications (/thong-bao/) and their preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import PreferenceForm
from .models import Preference
from .selectors import notifications_of, unread_count_cached
from .services import notifications_mark_read, preference_update

PER_PAGE = 20


@login_required
def notification_list(request):
    page = Paginator(notifications_of(request.user), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "items": page.object_list,
        "unread_count": unread_count_cached(request.user),
    }
    return render(request, "notify/list.html", context)


@login_required
@require_POST
def notification_read(request):
    """Mark one notification (`id`) or all read; then go to its link or back to the list."""
    raw = request.POST.get("id", "")
    if raw:
        if not raw.isdigit():
            return redirect("notify:list")
        notifications_mark_read(user=request.user, ids=[int(raw)])
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
            return redirect(target)  # a relative path of this site only
    else:
        notifications_mark_read(user=request.user)
    return redirect("notify:list")


@login_required
def preferences(request):
    preference = Preference.objects.filter(user=request.user).first()
    form = PreferenceForm(request.POST or None, preference=preference)
    if request.method == "POST" and form.is_valid():
        try:
            preference_update(
                user=request.user,
                channels=form.channels(),
                quiet_start=form.cleaned_data["quiet_start"],
                quiet_end=form.cleaned_data["quiet_end"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notify:preferences")
    return render(request, "notify/preferences.html", {"form": form})
