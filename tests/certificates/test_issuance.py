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
            enrolment_complete(enrolment=enrolment, evidence="assessment")
            assert enrolment.certificates.get().status == "pending"
            raise RuntimeError
    assert not Certificate.objects.exists()


def test_task_is_enqueued_only_on_commit(course, hblin, django_capture_on_commit_callbacks):
    enrolment, _ = enrolment_create(user=hblin, course=course)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enrolment_complete(enrolment=enrolment, evidence="assessment")
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
            enrolment_complete(enrolment=enrolment, evidence="assessment")
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
        ([], "--course SLUG, --retry-failed, --sweep-files and/or --credentials"),
        (["--course", "nope"], "No course"),
        (["--course", "x", "--since", "hôm qua"], "--since"),
    ],
)
def test_backfill_bad_input(db, args, message):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=message):
        call_command("issue_certificates", *args)


# --- batches: the certificates of one transaction share messages ---------------------------
@pytest.fixture
def sent(monkeypatch):
    """The id lists handed to `issue_certificates.delay`, run as the eager worker would."""
    from certificates import tasks

    calls = []

    def delay(ids):
        calls.append(list(ids))
        tasks.issue_certificates(ids)

    monkeypatch.setattr(tasks.issue_certificates, "delay", delay)
    return calls


def _complete_together(course, learners, django_capture_on_commit_callbacks):
    enrolments = [enrolment_create(user=u, course=course)[0] for u in learners]
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            for enrolment in enrolments:
                enrolment_complete(enrolment=enrolment, evidence="assessment")
    return enrolments


def test_one_transaction_sends_one_batch(course, commune, sent, django_capture_on_commit_callbacks):
    learners = [make_learner(unit=commune) for _ in range(4)]
    enrolments = _complete_together(course, learners, django_capture_on_commit_callbacks)
    certificates = [e.certificates.get() for e in enrolments]
    assert sent == [[c.pk for c in certificates]]
    assert {c.status for c in certificates} == {"issued"}
    assert len({c.pdf.name for c in certificates}) == 4
    for certificate in certificates:
        assert certificate.events.filter(action="issued").count() == 1


def test_large_batches_are_split(
    course, commune, sent, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    learners = [make_learner(unit=commune) for _ in range(5)]
    _complete_together(course, learners, django_capture_on_commit_callbacks)
    assert [len(ids) for ids in sent] == [2, 2, 1]
    assert Certificate.objects.filter(status="issued").count() == 5


def test_a_rolled_back_savepoint_leaves_the_batch_right(
    course, commune, sent, django_capture_on_commit_callbacks
):
    kept, dropped, late = (make_learner(unit=commune) for _ in range(3))
    enrolments = {u: enrolment_create(user=u, course=course)[0] for u in (kept, dropped, late)}
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            with pytest.raises(RuntimeError), transaction.atomic():
                # The first certificate of the transaction registers the batch inside a
                # savepoint that rolls back: the batch goes with it, the next one makes anew.
                enrolment_complete(enrolment=enrolments[dropped], evidence="assessment")
                raise RuntimeError
            enrolment_complete(enrolment=enrolments[kept], evidence="assessment")
            with pytest.raises(RuntimeError), transaction.atomic():
                enrolment_complete(
                    enrolment=enrolments[late], evidence="assessment"
                )  # joins, then rolls back
                raise RuntimeError
    assert Certificate.objects.get().enrolment == enrolments[kept]
    assert Certificate.objects.get().status == "issued"
    assert len(sent) == 1 and len(sent[0]) == 2  # the rolled-back id is sent and skipped


def test_one_bad_certificate_does_not_stop_its_batch(
    course, commune, sent, monkeypatch, django_capture_on_commit_callbacks
):
    from certificates import pdf

    render = pdf.render

    def fussy(template, printed):
        if printed.holder == "Rơ Mah Bột":
            raise ValueError("cannot draw this one")
        return render(template, printed)

    monkeypatch.setattr(pdf, "render", fussy)
    learners = [make_learner(unit=commune, full_name=n) for n in ("A Lềnh", "Rơ Mah Bột", "Y Mai")]
    enrolments = _complete_together(course, learners, django_capture_on_commit_callbacks)
    statuses = {e.user.profile.full_name: e.certificates.get() for e in enrolments}
    assert statuses["Rơ Mah Bột"].status == "failed"
    assert "cannot draw this one" in statuses["Rơ Mah Bột"].error
    assert statuses["A Lềnh"].status == statuses["Y Mai"].status == "issued"


def test_a_failed_claim_removes_the_rendered_files(
    course, commune, sent, monkeypatch, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_claim", broken)
    learners = [make_learner(unit=commune) for _ in range(2)]
    enrolments = _complete_together(course, learners, django_capture_on_commit_callbacks)
    for enrolment in enrolments:
        certificate = enrolment.certificates.get()
        assert certificate.status == "failed"
        assert "database went away" in certificate.error
        assert not certificate.pdf
    assert not list(tmp_path.rglob("*.pdf"))


def test_an_old_single_message_is_still_served(course, hblin, complete, monkeypatch):
    from certificates import tasks

    certificate = complete(hblin, course)
    Certificate.objects.filter(pk=certificate.pk).update(status="pending", token="")
    Certificate.objects.filter(pk=certificate.pk).update(issued_at=None)
    issue_certificate(certificate.pk)
    certificate.refresh_from_db()
    assert certificate.status == "issued" and certificate.token
    assert tasks.issue_certificate.name == "certificates.tasks.issue_certificate"


def test_backfill_and_retry_send_batches(
    course, commune, sent, monkeypatch, django_capture_on_commit_callbacks
):
    from certificates.management.commands import issue_certificates

    monkeypatch.setattr(issue_certificates, "BATCH_SIZE", 2)
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    from courses.signals import course_completed

    course_completed.disconnect(dispatch_uid="certificates-request-on-completion")
    try:  # completions from before certificates: none requested
        for _ in range(3):
            enrolment, _ = enrolment_create(user=make_learner(unit=commune), course=course)
            enrolment_complete(enrolment=enrolment, evidence="assessment")
    finally:
        from certificates.receivers import request_certificate

        course_completed.connect(
            request_certificate, dispatch_uid="certificates-request-on-completion"
        )
    assert not Certificate.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("issue_certificates", "--course", course.slug, stdout=open("/dev/null", "w"))
    assert [len(ids) for ids in sent] == [2, 1]
    assert Certificate.objects.filter(status="issued").count() == 3
    sent.clear()
    Certificate.objects.update(status="failed", token="", issued_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("issue_certificates", "--retry-failed", stdout=open("/dev/null", "w"))
    assert [len(ids) for ids in sent] == [2, 1]
    assert Certificate.objects.filter(status="issued").count() == 3


def test_sweep_deletes_only_old_unclaimed_files(
    course, hblin, complete, settings, tmp_path, django_capture_on_commit_callbacks
):
    import io
    import os
    import time

    settings.MEDIA_ROOT = str(tmp_path)
    certificate = complete(hblin, course)  # its PDF is claimed: it stays, however old
    folder = tmp_path / "certificates" / "2025"
    folder.mkdir(parents=True)
    old_orphan, fresh_orphan = folder / "HS-2025-000009-aa.pdf", folder / "HS-2025-000010-bb.pdf"
    for path in (old_orphan, fresh_orphan):
        path.write_bytes(b"%PDF-1.4 left behind by a killed worker")
    two_hours_ago = time.time() - 2 * 3600
    os.utime(old_orphan, (two_hours_ago, two_hours_ago))
    claimed = tmp_path / certificate.pdf.name
    os.utime(claimed, (two_hours_ago, two_hours_ago))
    out = io.StringIO()
    call_command("issue_certificates", "--sweep-files", stdout=out)
    assert "1 unclaimed certificate file(s) deleted." in out.getvalue()
    assert not old_orphan.exists()
    assert fresh_orphan.exists() and claimed.exists()
    assert services.certificate_files_sweep() == 0  # nothing left to do
