"""Who may open the manager pages: managers (a manager Scope) and administrators.

Anonymous visitors are sent to log in; anyone else without the role gets 403. A target of a
unit outside the manager's scopes is answered 404, as if it did not exist. The manager's scope
paths are read once per request (`request.manager_scope_paths`) and serve both tests: a target
page is one of the dashboard's most visited, and the correlated EXISTS of the scoped queryset
(`targets_visible_to`, lists of targets keep it) cost more to build than the page's figures.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from people.models import OrgUnit, Scope
from people.selectors import scope_paths, unit_within_paths

from ..models import TrainingTarget
from ..selectors.reports import targets_loaded


def manager_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        paths = scope_paths(request.user, role=Scope.Role.MANAGER)
        if paths == ():
            raise PermissionDenied
        request.manager_scope_paths = paths  # None: an administrator, every unit
        return view(request, *args, **kwargs)

    return wrapper


def target_or_404(request, target_id: int) -> TrainingTarget:
    """The target `target_id` if its unit lies in the manager's scopes (`manager_required`
    read them), loaded as `targets_loaded` loads targets; else 404."""
    target = get_object_or_404(targets_loaded(), pk=target_id)
    if not unit_within_paths(target.scope_unit, request.manager_scope_paths):
        raise Http404
    return target


def drill_unit_or_404(target: TrainingTarget, unit_id: str | None) -> OrgUnit:
    """The unit to show: the target's own, or one inside its subtree (else 404)."""
    if not unit_id:
        return target.scope_unit
    if not str(unit_id).isdigit() or len(str(unit_id)) > 18:
        raise Http404
    return get_object_or_404(
        OrgUnit.objects.filter(path__startswith=target.scope_unit.path), pk=int(unit_id)
    )
