"""Who may open the manager pages: managers (a manager Scope) and administrators.

Anonymous visitors are sent to log in; anyone else without the role gets 403. Objects are
looked up through scoped querysets, so a manager of another province gets 404 for them.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from people.models import OrgUnit, Scope
from people.selectors import user_has_role

from ..models import TrainingTarget
from ..selectors.reports import targets_visible_to


def manager_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user_has_role(request.user, Scope.Role.MANAGER):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def target_or_404(user, target_id: int) -> TrainingTarget:
    return get_object_or_404(targets_visible_to(user), pk=target_id)


def drill_unit_or_404(target: TrainingTarget, unit_id: str | None) -> OrgUnit:
    """The unit to show: the target's own, or one inside its subtree (else 404)."""
    if not unit_id:
        return target.scope_unit
    if not str(unit_id).isdigit() or len(str(unit_id)) > 18:
        raise Http404
    return get_object_or_404(
        OrgUnit.objects.filter(path__startswith=target.scope_unit.path), pk=int(unit_id)
    )
