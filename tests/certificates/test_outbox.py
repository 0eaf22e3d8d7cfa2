"""The outbox on any database (Celery eager): the sweep's grace period, backoff and limit,
the manual retry, the beat schedule, and the waiting certificates on the admin screen."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from certificates import pdf, services
from certificates.models import Certificate
from courses.services import enrolment_complete, enrolment_create
from tests.factories import make_admin, make_learner

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def unsent(django_capture_on_commit_callbacks):
    """Complete `user`'s enrolment but drop what was to be sent at commit (as when the broker
    was down): the certificate stays pending, its row the only record of the work."""

    def run(user, course):
        enrolment, _created = enrolment_create(user=user, course=course)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            enrolment_complete(enrolment=enrolment, evidence="assessment")
        for hook in callbacks:  # other rooms' hooks (cache versions) run as usual
            if isinstance(hook, services._Batch):
                hook.sent = True  # tried and lost: later certificates start a batch of their own
            else:
                hook()
        return enrolment.certificates.get()

    return run


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    def run(now):
        with django_capture_on_commit_callbacks(execute=True):
            return services.certificates_outbox_sweep(now=now)

    return run


@pytest.fixture
def no_fonts(settings, tmp_path):
    """Rendering fails (the font is missing) until `.restore()`."""

    class Broken:
        def restore(self):
            settings.LMS_CERT_FONT_DIR = "/usr/share/fonts/truetype/dejavu"
            pdf.fonts_register.cache_clear()

    settings.LMS_CERT_FONT_DIR = str(tmp_path / "no-fonts-here")
    pdf.fonts_register.cache_clear()
    broken = Broken()
    yield broken
    broken.restore()


def test_retry_delay_doubles_from_five_minutes_up_to_six_hours():
    assert [services.retry_delay(n) / MINUTE for n in range(8)] == [
        5,
        10,
        20,
        40,
        80,
        160,
        320,
        360,
    ]
    assert services.retry_delay(30000) == datetime.timedelta(hours=6)


def test_pending_is_left_alone_during_the_grace_period_then_sent_once(course, hblin, unsent, sweep):
    certificate = unsent(hblin, course)
    assert certificate.status == "pending"
    created = certificate.next_attempt_at - services.PENDING_GRACE
    assert abs(created - certificate.created_at) < datetime.timedelta(seconds=1)

    assert sweep(created + 9 * MINUTE) == 0  # a worker may still be on it
    certificate.refresh_from_db()
    assert (certificate.status, certificate.requeues) == ("pending", 0)

    later = created + 11 * MINUTE
    assert sweep(later) == 1
    certificate.refresh_from_db()
    assert certificate.status == "issued" and certificate.requeues == 1
    assert certificate.next_attempt_at is None
    assert certificate.events.filter(action="issued").count() == 1
    assert sweep(later + 24 * 60 * MINUTE) == 0  # issued: never again


def test_still_pending_after_a_sweep_waits_longer_each_time(
    course, hblin, unsent, django_capture_on_commit_callbacks
):
    """Swept but never issued (the message lost again): the waits grow 10, 20, 40 minutes."""
    certificate = unsent(hblin, course)
    now = certificate.next_attempt_at + MINUTE
    expected = []
    for requeues in (1, 2, 3):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            assert services.certificates_outbox_sweep(now=now) == 1
        for batch in callbacks:
            batch.sent = True  # lost again
        certificate.refresh_from_db()
        assert certificate.requeues == requeues
        assert certificate.next_attempt_at == now + services.retry_delay(requeues)
        expected.append((certificate.next_attempt_at - now) / MINUTE)
        assert services.certificates_outbox_sweep(now=now + MINUTE) == 0  # not due yet
        now = certificate.next_attempt_at
    assert expected == [10, 20, 40]


def test_failed_is_retried_with_backoff_then_left_to_an_administrator(
    course, hblin, complete, sweep, no_fonts, django_capture_on_commit_callbacks
):
    certificate = complete(hblin, course)
    assert certificate.status == "failed" and certificate.attempts == 1
    failed_at = certificate.next_attempt_at - services.retry_delay(0)
    assert certificate.next_attempt_at - failed_at == 5 * MINUTE

    assert sweep(failed_at + 4 * MINUTE) == 0
    now = certificate.next_attempt_at
    for retry in range(1, services.FAILED_RETRIES + 1):
        assert sweep(now) == 1
        certificate.refresh_from_db()
        assert (certificate.status, certificate.attempts, certificate.requeues) == (
            "failed",
            retry + 1,
            retry,
        )
        if retry < services.FAILED_RETRIES:
            assert certificate.next_attempt_at > now  # backoff from the failure time
            now = certificate.next_attempt_at
    assert certificate.next_attempt_at is None  # six automatic retries, then a person decides
    assert sweep(now + 365 * 24 * 60 * MINUTE) == 0
    assert certificate.events.filter(action="retried").count() == services.FAILED_RETRIES

    no_fonts.restore()
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.certificate_retry(certificate=certificate, actor=make_admin())
    assert certificate.requeues == 0  # the automatic retries start over
    certificate.refresh_from_db()
    assert certificate.status == "issued"
    assert certificate.events.filter(action="issued").count() == 1


def test_failed_then_fixed_issues_on_the_next_retry(course, hblin, complete, sweep, no_fonts):
    certificate = complete(hblin, course)
    assert certificate.status == "failed"
    no_fonts.restore()
    assert sweep(certificate.next_attempt_at) == 1
    certificate.refresh_from_db()
    assert (certificate.status, certificate.error, certificate.attempts) == ("issued", "", 2)


def test_revoked_and_issued_are_never_swept(course, hblin, complete, sweep):
    certificate = complete(hblin, course)
    admin = make_admin()
    services.certificate_revoke(certificate=certificate, actor=admin, reason="Sai tên")
    Certificate.objects.filter(pk=certificate.pk).update(next_attempt_at=timezone.now())
    assert sweep(timezone.now() + 10 * 365 * 24 * 60 * MINUTE) == 0
    certificate.refresh_from_db()
    assert certificate.status == "revoked"


def test_beat_sends_the_sweep_every_five_minutes():
    from certificates.tasks import certificates_outbox_sweep

    entry = django_settings.CELERY_BEAT_SCHEDULE["certificates-outbox-sweep"]
    assert entry["task"] == certificates_outbox_sweep.name
    assert entry["schedule"] == 300.0
    # a crashed worker's message comes back after the visibility timeout, which must exceed
    # the task's hard time limit
    from certificates.tasks import issue_certificates

    visibility = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert issue_certificates.time_limit < visibility <= 15 * 60
    assert issue_certificates.acks_late


def test_admin_screen_lists_waiting_with_age_attempts_and_error(
    client, course, commune, unsent, complete, no_fonts
):
    waiting = unsent(make_learner(unit=commune, full_name="Rơ Châm Thuấn"), course)
    Certificate.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=2, minutes=3),
        error="Not queued: OperationalError: Error 111 connecting",
        requeues=2,
        attempts=1,
    )
    failed = complete(make_learner(unit=commune), course)
    assert failed.status == "failed"
    client.force_login(make_admin())
    page = BeautifulSoup(client.get(reverse("certificates:manage_list")).content, "html.parser")
    rows = page.select("section.waiting tr[data-waiting]")
    assert [row["data-waiting"] for row in rows] == [waiting.serial]  # pending only
    row = rows[0]
    assert "2" in row.select_one(".age").text and "3" in row.select_one(".age").text
    assert row.select_one(".attempts").text == "1"
    assert row.select_one(".requeues").text == "2"
    assert "Error 111" in row.select_one(".error").text
    assert "1" in page.select_one("section.waiting h2").text

    detail = client.get(reverse("certificates:manage_detail", args=[waiting.pk])).content.decode()
    assert "Error 111" in detail and 'class="requeues">2<' in detail


def test_admin_screen_hides_pending_outside_the_managers_scope(client, course, commune, unsent):
    from tests.factories import make_manager, make_unit

    other = make_unit("Xã Chư Păh", parent=make_unit("Kon Tum"))
    unsent(make_learner(unit=other), course)
    mine = unsent(make_learner(unit=commune), course)
    client.force_login(make_manager(scope=commune))
    page = BeautifulSoup(client.get(reverse("certificates:manage_list")).content, "html.parser")
    assert [r["data-waiting"] for r in page.select("tr[data-waiting]")] == [mine.serial]


def test_broker_unreachable_at_commit_leaves_the_row_pending_with_the_reason(
    course, hblin, monkeypatch, django_capture_on_commit_callbacks, sweep
):
    """Any database: the project's Celery configuration, its broker a closed port."""
    import socket

    from celery import Celery

    from certificates import tasks

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dead = Celery("lms", set_as_current=False)
    dead.config_from_object("django.conf:settings", namespace="CELERY")
    dead.conf.broker_url = f"redis://127.0.0.1:{port}/0"
    dead.conf.task_always_eager = False
    monkeypatch.setattr(
        tasks.issue_certificates,
        "delay",
        lambda ids: dead.send_task("certificates.tasks.issue_certificates", args=[ids]),
    )
    enrolment, _created = enrolment_create(user=hblin, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_complete(enrolment=enrolment, evidence="assessment")  # does not raise
    certificate = enrolment.certificates.get()
    assert certificate.status == "pending"
    assert ": OperationalError: " in certificate.error and "refused" in certificate.error

    monkeypatch.undo()  # the broker is back (here: eager)
    assert sweep(certificate.next_attempt_at) == 1
    certificate.refresh_from_db()
    assert (certificate.status, certificate.error) == ("issued", "")
    assert certificate.events.filter(action="issued").count() == 1
