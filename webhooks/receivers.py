"""Turn the rooms' signals into webhook events (inside their transactions): completions,
certificates issued or revoked, annual reports submitted, returned or accepted."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from certificates.signals import certificate_issued, certificate_revoked
from courses.signals import course_completed
from people.models import Profile
from targets.signals import report_state_changed

from .models import Event, Subscription
from .services import event_publish, subscriptions_forget, wanted


def _unit_paths(user_ids) -> dict[int, str]:
    return dict(
        Profile.objects.filter(user_id__in=list(user_ids), org_unit__isnull=False).values_list(
            "user_id", "org_unit__path"
        )
    )


@receiver(course_completed, dispatch_uid="webhooks-completion")
def on_course_completed(sender, enrolment, **kwargs):
    if not wanted(Event.COMPLETION_CREATED):
        return
    path = _unit_paths([enrolment.user_id]).get(enrolment.user_id, "")
    event_publish(
        event=Event.COMPLETION_CREATED,
        # Evidence added later is a new event (the completion now counts and certifies).
        key=f"{enrolment.pk}:{enrolment.evidence}",
        unit_path=path,
        data={
            "enrolment_id": enrolment.pk,
            "learner_id": enrolment.user_id,
            "course_id": enrolment.course_id,
            "completed_at": enrolment.completed_at,
            "evidence": enrolment.evidence,
            "hours": str(enrolment.hours) if enrolment.hours is not None else None,
        },
    )


def _certificate_data(certificate, learner_id) -> dict:
    return {
        "certificate_id": certificate.pk,
        "serial": certificate.serial,
        "status": certificate.status,
        "learner_id": learner_id,
        "enrolment_id": certificate.enrolment_id,
        "holder_name": certificate.holder_name,
        "course_title": certificate.course_title,
        "issued_at": certificate.issued_at,
        "revoked_at": certificate.revoked_at,
        "revocation_reason": certificate.revocation_reason,
        "verify_url": certificate.verify_url,
    }


def _learners(certificates) -> dict[int, int]:
    from courses.models import Enrolment

    return dict(
        Enrolment.objects.filter(pk__in=[c.enrolment_id for c in certificates]).values_list(
            "pk", "user_id"
        )
    )


@receiver(certificate_issued, dispatch_uid="webhooks-certificate-issued")
def on_certificate_issued(sender, certificates, **kwargs):
    if not wanted(Event.CERTIFICATE_ISSUED):
        return
    learners = _learners(certificates)
    paths = _unit_paths(learners.values())
    for certificate in certificates:
        learner = learners.get(certificate.enrolment_id)
        event_publish(
            event=Event.CERTIFICATE_ISSUED,
            key=str(certificate.pk),
            unit_path=paths.get(learner, ""),
            data=_certificate_data(certificate, learner),
        )


@receiver(certificate_revoked, dispatch_uid="webhooks-certificate-revoked")
def on_certificate_revoked(sender, certificate, **kwargs):
    if not wanted(Event.CERTIFICATE_REVOKED):
        return
    learner = _learners([certificate]).get(certificate.enrolment_id)
    event_publish(
        event=Event.CERTIFICATE_REVOKED,
        key=str(certificate.pk),
        unit_path=_unit_paths([learner]).get(learner, ""),
        data=_certificate_data(certificate, learner),
    )


@receiver(post_save, sender=Subscription, dispatch_uid="webhooks-subscription-saved")
@receiver(post_delete, sender=Subscription, dispatch_uid="webhooks-subscription-deleted")
@receiver(
    m2m_changed, sender=Subscription.units.through, dispatch_uid="webhooks-subscription-units"
)
def subscriptions_changed(sender, **kwargs):
    subscriptions_forget()


REPORT_EVENTS = {
    "submitted": Event.REPORT_SUBMITTED,
    "returned": Event.REPORT_RETURNED,
    "accepted": Event.REPORT_ACCEPTED,
}


@receiver(report_state_changed, dispatch_uid="webhooks-report-state")
def on_report_state_changed(sender, submission, event, version, **kwargs):
    """A report submitted, returned or accepted: sent to subscriptions whose units hold the
    reporting unit (a province's subscription hears its communes and districts)."""
    name = REPORT_EVENTS[event.action]
    if not wanted(name):
        return
    event_publish(
        event=name,
        key=f"{submission.pk}:{version.number}:{event.action}",
        unit_path=submission.unit.path,
        data={
            "report_id": submission.pk,
            "unit_id": submission.unit_id,
            "unit_code": submission.unit.code,
            "unit_name": submission.unit.name,
            "recipient_id": submission.recipient_id,
            "recipient_code": submission.recipient.code,
            "year": submission.year,
            "status": submission.status,
            "version": version.number,
            "late": submission.late,
            "due_date": submission.due_date,
            "comment": event.comment,
            "at": event.at,
            "by": event.actor.get_username() if event.actor_id else None,
            "api_client": event.api_client.name if event.api_client_id else None,
        },
    )
