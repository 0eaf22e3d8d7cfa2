"""Backfill certificates for a course's completions, or put failed ones back in the queue."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from certificates.models import Certificate
from certificates.services import certificate_request, certificate_retry
from courses.models import CoursePage, Enrolment

STUCK_AFTER = datetime.timedelta(minutes=15)


class Command(BaseCommand):
    help = (
        "Request certificates for every completed enrolment of a course that has none "
        "(--course SLUG [--since YYYY-MM-DD]), and/or retry failed ones (--retry-failed; also "
        "re-queues pending ones older than 15 minutes). Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--course", help="slug of the course to backfill")
        parser.add_argument("--since", help="only completions on or after this date (YYYY-MM-DD)")
        parser.add_argument("--retry-failed", action="store_true")

    def handle(self, *args, course=None, since=None, retry_failed=False, **options):
        if not course and not retry_failed:
            raise CommandError("Give --course SLUG and/or --retry-failed.")
        if since and not course:
            raise CommandError("--since needs --course.")
        if course:
            self.backfill(course, since)
        if retry_failed:
            self.retry()

    def backfill(self, slug: str, since: str | None):
        start = self.since(since) if since else None
        page = CoursePage.objects.filter(slug=slug).first()
        if page is None:
            raise CommandError(f"No course with slug {slug!r}.")
        enrolments = Enrolment.objects.filter(
            course=page, status=Enrolment.Status.COMPLETED
        ).exclude(certificates__status__in=["pending", "issued", "failed"])
        if since:
            enrolments = enrolments.filter(completed_at__gte=start)
        count = 0
        for enrolment in enrolments.order_by("completed_at", "pk").iterator():
            certificate_request(enrolment=enrolment)
            count += 1
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
        count = 0
        for certificate in (failed | pending).order_by("pk").iterator():
            certificate_retry(certificate=certificate)
            count += 1
        self.stdout.write(f"{count} certificate(s) queued again.")
