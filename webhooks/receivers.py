"""Turn the rooms' signals into webhook events (inside their transactions)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from certificates.signals import certificate_issued, certificate_revoked
from courses.signals import course_completed
from people.models import Profile

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
