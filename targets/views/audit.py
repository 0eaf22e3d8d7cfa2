"""A learner's record for a manager: enrolments, progress, quiz attempts, certificates."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..selectors.evidence import learner_audit
from .access import manager_required


@manager_required
@require_GET
def learner_detail(request, learner_id: int):
    profile, enrolments = learner_audit(request.user, learner_id)
    return render(request, "targets/audit.html", {"profile": profile, "enrolments": enrolments})
