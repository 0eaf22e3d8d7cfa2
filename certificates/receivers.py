"""Listens to the courses room: every completed enrolment asks for its certificate."""

from django.dispatch import receiver

from courses.signals import course_completed

from .services import certificate_earned, certificate_request


@receiver(course_completed, dispatch_uid="certificates-request-on-completion")
def request_certificate(sender, enrolment, **kwargs):
    """Runs inside the completing transaction, so the pending row commits with it. A
    completion without server-judged evidence earns none (the completion itself stands)."""
    if certificate_earned(enrolment=enrolment):
        certificate_request(enrolment=enrolment)
