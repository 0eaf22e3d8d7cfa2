"""Demo data for the certificates room (called by `cms`'s seed_demo; never in production)."""

from django.contrib.auth import get_user_model

from courses.demo import demo_course_complete
from courses.models import CoursePage

from .models import Certificate
from .services import certificate_request

DEMO_COURSE = "an-toan-thong-tin"


def demo_certificate_seed(*, username: str = "learner") -> Certificate:
    """The demo learner has completed one course and holds its certificate, so a new visitor
    sees a real one at once. Idempotent. The certificate is issued when the caller's
    transaction commits (at once with the embedded setup's eager Celery)."""
    learner = get_user_model().objects.get(username=username)
    course = CoursePage.objects.get(slug=DEMO_COURSE)
    # Through the lessons and the final quiz, so the completion has server-judged evidence.
    enrolment = demo_course_complete(user=learner, course=course)
    return certificate_request(enrolment=enrolment)
