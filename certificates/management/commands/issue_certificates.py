"""Backfill certificates for a course's completions, or put failed ones back in the queue."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from certificates.models import Certificate
from certificates.services import (
    BATCH_SIZE,
    certificate_credential,
    certificate_files_sweep,
    certificate_request,
    certificate_retry,
)
from courses.models import CoursePage, Enrolment

STUCK_AFTER = datetime.timedelta(minutes=15)


def _in_batches(queryset, action) -> int:
    """Apply `action` to each row, BATCH_SIZE rows per transaction: each transaction's
    certificates reach the worker as one message (see certificates.services._enqueue). The
    ids are read first; a cursor would not outlive the first transaction."""
    ids = list(queryset.values_list("pk", flat=True))
    model = queryset.model
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        with transaction.atomic():
            rows = model.objects.in_bulk(chunk)
            for pk in chunk:
                action(rows[pk])
    return len(ids)


class Command(BaseCommand):
    help = (
        "Request certificates for every completed enrolment of a course that has none "
        "(--course SLUG [--since YYYY-MM-DD]), and/or retry failed ones (--retry-failed; also "
        "re-queues pending ones older than 15 minutes), and/or delete PDFs no certificate "
        "points at (--sweep-files), and/or sign the credential of issued certificates that have "
        "none yet (--credentials; otherwise made on first download). Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--course", help="slug of the course to backfill")
        parser.add_argument("--since", help="only completions on or after this date (YYYY-MM-DD)")
        parser.add_argument("--retry-failed", action="store_true")
        parser.add_argument(
            "--credentials",
            action="store_true",
            help="sign the credentials issued certificates do not have yet",
        )
        parser.add_argument(
            "--sweep-files",
            action="store_true",
            help="delete certificate PDFs no certificate points at (older than an hour)",
        )

    def handle(
        self,
        *args,
        course=None,
        since=None,
        retry_failed=False,
        sweep_files=False,
        credentials=False,
        **options,
    ):
        if not (course or retry_failed or sweep_files or credentials):
            raise CommandError(
                "Give --course SLUG, --retry-failed, --sweep-files and/or --credentials."
            )
        if since and not course:
            raise CommandError("--since needs --course.")
        if course:
            self.backfill(course, since)
        if retry_failed:
            self.retry()
        if sweep_files:
            count = certificate_files_sweep()
            self.stdout.write(f"{count} unclaimed certificate file(s) deleted.")
        if credentials:
            missing = Certificate.objects.filter(
                status=Certificate.Status.ISSUED, credential__isnull=True
            )
            ids = list(missing.order_by("pk").values_list("pk", flat=True))
            for pk in ids:
                certificate_credential(certificate=Certificate.objects.get(pk=pk))
            self.stdout.write(f"{len(ids)} credential(s) signed.")

    def backfill(self, slug: str, since: str | None):
        start = self.since(since) if since else None
        page = CoursePage.objects.filter(slug=slug).first()
        if page is None:
            raise CommandError(f"No course with slug {slug!r}.")
        if not page.certifying:
            raise CommandError(f"The course {slug!r} issues no certificates.")
        # Only completions with server-judged evidence earn one (the evidence rule).
        enrolments = Enrolment.objects.filter(course=page).with_evidence()
        enrolments = enrolments.exclude(certificates__status__in=["pending", "issued", "failed"])
        if since:
            enrolments = enrolments.filter(completed_at__gte=start)
        count = _in_batches(
            enrolments.order_by("completed_at", "pk"),
            lambda enrolment: certificate_request(enrolment=enrolment),
        )
        self.stdout.write(f"{count} certificate(s) requested for {slug}.")

    @staticmethod
    def since(text: str) -> datetime.datetime:
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError:
            message = f"--since must be a date like 2026-01-31, not {text!r}."
            raise CommandError(message) from None
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    def retry(self):
        stuck = timezone.now() - STUCK_AFTER
        failed = Certificate.objects.filter(status=Certificate.Status.FAILED)
        pending = Certificate.objects.filter(
            status=Certificate.Status.PENDING, created_at__lt=stuck
        )
        count = _in_batches(
            (failed | pending).order_by("pk"),
            lambda certificate: certificate_retry(certificate=certificate),
        )
        self.stdout.write(f"{count} certificate(s) queued again.")
