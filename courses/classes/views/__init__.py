"""Class pages for trainers and managers, and the learners' self check-in.

Every class is fetched through a scoped selector: a class outside the user's scopes is a 404
(its existence is not revealed); a class a manager may see but not run answers 403 to the
pages that change it.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404

from people.selectors import user_has_role

from ..selectors import sessions_runnable_by, sessions_visible_to
from ..services import can_run


def staff_required(view):
    """Logged in, with a trainer or manager role (or an administrator); others get 403."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not user_has_role(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def session_visible_or_404(request, session_id: int):
    return get_object_or_404(
        sessions_visible_to(request.user).select_related("venue", "course"), pk=session_id
    )


def session_runnable_or_404(request, session_id: int):
    """The class if the user runs it; 403 for a manager who only sees it; 404 otherwise."""
    session = get_object_or_404(
        sessions_visible_to(request.user).select_related("venue", "course"), pk=session_id
    )
    if not sessions_runnable_by(request.user).filter(pk=session.pk).exists():
        raise PermissionDenied
    return session


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


__all__ = ["can_run", "error_text", "session_runnable_or_404", "session_visible_or_404"]
