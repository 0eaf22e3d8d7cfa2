"""Issuance: completion → pending row in the same transaction → task → issued; idempotence,
failures, retries, serials and the audit trail."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction

from certificates import services
from certificates.models import Certificate, CertificateTemplate
from certificates.tasks import issue_certificate
from courses.services import enrolment_complete, enrolment_create
from tests.factories import make_course, make_learner

pytestmark = pytest.mark.django_db


def test_completion_issues_one_certificate(course, hblin, complete):
    certificate = complete(hblin, course)
    assert certificate.status == Certificate.Status.ISSUED
    assert certificate.holder_name == "Ksor H'Blin"
    assert certificate.course_title == course.title
    assert certificate.hours == course.hours
    year = datetime.date.today().year
    assert certificate.serial == f"HS-{year}-000001"
    assert certificate.token and certificate.pdf and certificate.key.active
    assert certificate.pdf.read(5) == b"%PDF-"
    actions = list(certificate.events.values_list("action", flat=True))
    assert actions == ["requested", "issued"]


def test_pending_row_is_part_of_the_completing_transaction(course, hblin):
    enrolment, _ = enrolment_create(user=hblin, course=course)
    # Rolled back together with the completion: no certificate survives.
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            enrolment_complete(enrolment=enrolment)
            assert enrolment.certificates.get().status == "pending"
            raise RuntimeError
    assert not Certificate.objects.exists()


def test_task_is_enqueued_only_on_commit(course, hblin, django_capture_on_commit_callbacks):
    enrolment, _ = enrolment_create(user=hblin, course=course)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enrolment_complete(enrolment=enrolment)
    assert enrolment.certificates.get().status == "pending"  # nothing ran before commit
    for callback in callbacks:  # the commit: the enqueued task runs (eager in tests)
        callback()
    assert enrolment.certificates.get().status == "issued"


def test_running_twice_and_completing_twice_issue_once(course, hblin, complete):
    certificate = complete(hblin, course)
    token = certificate.token
    issue_certificate(certificate.pk)  # a duplicated or redelivered message
    services.certificate_request(enrolment=certificate.enrolment)  # a second completion event
    assert Certificate.objects.count() == 1
    certificate.refresh_from_db()
    assert certificate.token == token
    assert certificate.events.filter(action="issued").count() == 1


def test_failure_is_recorded_and_retry_finishes(
    course, hblin, complete, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.LMS_CERT_FONT_DIR = str(tmp_path / "no-fonts-here")
    from certificates import pdf

    pdf.fonts_register.cache_clear()
    try:
        certificate = complete(hblin, course)
    finally:
        settings.LMS_CERT_FONT_DIR = "/usr/share/fonts/truetype/dejavu"
        pdf.fonts_register.cache_clear()
    assert certificate.status == "failed"
    assert "DejaVuSans.ttf" in certificate.error and certificate.attempts == 1
    assert not certificate.token
    with django_capture_on_commit_callbacks(execute=True):
        call_command("issue_certificates", "--retry-failed", stdout=open("/dev/null", "w"))
    certificate.refresh_from_db()
    assert certificate.status == "issued" and certificate.error == ""
    actions = list(certificate.events.values_list("action", flat=True))
    assert actions == ["requested", "failed", "retried", "issued"]


def test_missing_key_in_production_fails_clearly(course, hblin, complete, settings, tmp_path):
    settings.LMS_CERT_SIGNING_KEY_FILE = tmp_path / "absent.pem"
    settings.LMS_CERT_SIGNING_KEY_AUTOGENERATE = False
    certificate = complete(hblin, course)
    assert certificate.status == "failed"
    assert "No certificate signing key" in certificate.error


def test_serials_count_per_prefix_and_year(home, commune, complete):
    course = make_course("Thương mại điện tử", slug="tmdt")
    other = make_course("An toàn thông tin", slug="attt")
    CertificateTemplate.objects.create(name="Sở", serial_prefix="GL").courses.add(other)
    first = complete(make_learner(unit=commune), course)
    second = complete(make_learner(unit=commune), course)
    third = complete(make_learner(unit=commune), other)
    year = datetime.date.today().year
    assert [first.serial, second.serial, third.serial] == [
        f"HS-{year}-000001",
        f"HS-{year}-000002",
        f"GL-{year}-000001",
    ]
    assert third.template.name == "Sở"


def test_backfill_requests_missing_certificates(
    course, commune, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from certificates.receivers import request_certificate
    from courses.models import Enrolment
    from courses.signals import course_completed

    learners = [make_learner(unit=commune) for _ in range(3)]
    # Completions from before the certificates room existed: no receiver.
    course_completed.disconnect(dispatch_uid="certificates-request-on-completion")
    try:
        for index, learner in enumerate(learners):
            enrolment, _ = enrolment_create(user=learner, course=course)
            enrolment_complete(enrolment=enrolment)
            Enrolment.objects.filter(pk=enrolment.pk).update(
                completed_at=timezone.make_aware(datetime.datetime(2025, 1, 10 + index * 10))
            )
    finally:
        course_completed.connect(
            request_certificate, dispatch_uid="certificates-request-on-completion"
        )
    assert not Certificate.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "issue_certificates",
            "--course",
            course.slug,
            "--since",
            "2025-01-20",
            stdout=open("/dev/null", "w"),
        )
    assert Certificate.objects.filter(status="issued").count() == 2
    assert sorted(Certificate.objects.values_list("serial", flat=True)) == [
        "HS-2025-000001",
        "HS-2025-000002",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("issue_certificates", "--course", course.slug, stdout=open("/dev/null", "w"))
    assert Certificate.objects.filter(status="issued").count() == 3


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "--course SLUG"),
        (["--course", "nope"], "No course"),
        (["--course", "x", "--since", "hôm qua"], "--since"),
    ],
)
def test_backfill_bad_input(db, args, message):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=message):
        call_command("issue_certificates", *args)
