"""List completions that carry no server-judged evidence, for an administrator to review.

Completions made before the evidence rule (or on browser-reported results only: H5P/xAPI and
"mark as done") stay completed and keep any certificate they were given: nothing is revoked
silently. This lists them, with their certificate if any, so that an administrator can decide
(revoke at /certificates/manage/, or ask the learner to take the final assessment).
"""

import csv

from django.core.management.base import BaseCommand, CommandError

from certificates.models import Certificate
from courses.models import CoursePage, Enrolment


class Command(BaseCommand):
    help = (
        "List completed enrolments without server-judged evidence (a passed final assessment "
        "or a class completed by attendance) and their certificates. Changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--course", help="only this course (slug)")
        parser.add_argument(
            "--with-certificate",
            action="store_true",
            help="only those that hold a live (pending, issued or failed) certificate",
        )
        parser.add_argument(
            "--csv", dest="as_csv", action="store_true", help="CSV on standard output"
        )

    def handle(self, *args, course=None, with_certificate=False, as_csv=False, **options):
        rows = (
            Enrolment.objects.filter(status=Enrolment.Status.COMPLETED, evidence="")
            .select_related("user__profile", "course")
            .order_by("course__path", "completed_at", "pk")
        )
        if course:
            page = CoursePage.objects.filter(slug=course).first()
            if page is None:
                raise CommandError(f"No course with slug {course!r}.")
            rows = rows.filter(course=page)
        live = Certificate.objects.exclude(status=Certificate.Status.REVOKED)
        certificates = {
            c.enrolment_id: c
            for c in live.filter(enrolment__in=rows).only("enrolment_id", "serial", "status")
        }
        if with_certificate:
            rows = rows.filter(pk__in=list(certificates))
        table = [
            [
                e.pk,
                e.user.username,
                getattr(getattr(e.user, "profile", None), "full_name", ""),
                e.course.slug,
                e.source,
                e.completed_at.date().isoformat(),
                certificates[e.pk].serial if e.pk in certificates else "",
                certificates[e.pk].status if e.pk in certificates else "",
            ]
            for e in rows
        ]
        header = [
            "enrolment",
            "username",
            "full_name",
            "course",
            "source",
            "completed_on",
            "certificate",
            "certificate_status",
        ]
        if as_csv:
            self._csv(header, table)
            return
        for row in table:
            self.stdout.write("  ".join(str(cell) for cell in row))
        with_cert = sum(1 for row in table if row[6])
        self.stdout.write(
            f"{len(table)} completion(s) without evidence; {with_cert} hold a certificate."
        )

    def _csv(self, header, table):
        from core.tables import spreadsheet_safe

        writer = csv.writer(self.stdout)
        writer.writerow(header)
        for row in table:
            writer.writerow([spreadsheet_safe(cell) for cell in row])
