"""Make the annual report: freeze the numbers in a ReportSnapshot, then write it as XLSX.

manage.py target_report --year 2026 [--unit CODE] --out report.xlsx
manage.py target_report --year 2026 --ethnic-group 10 --gender F --target-group village-head \
    --out report.xlsx   (every figure narrowed like the target page's filters)
manage.py target_report --snapshot 12 --out report.xlsx   (the same report again, later)

`--ethnic-group` takes a GSO code (`01` Kinh, `10` Gia-rai...) or `minority` (everyone but
Kinh); `--gender` F or M; `--target-group` a target group's code. A filter replaces the
target's own setting of that dimension, and each figure divides by the population of exactly
that breakdown (or says there is none).
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from people.models import EthnicGroup, OrgUnit, TargetGroup
from targets.models import ReportSnapshot
from targets.services import report_snapshot_create, report_xlsx


class Command(BaseCommand):
    help = "Write the annual training report (XLSX) from a frozen snapshot of the numbers."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="reporting year, e.g. 2026")
        parser.add_argument("--unit", help="official code of the unit (default: every unit)")
        parser.add_argument("--out", required=True, help="path of the XLSX file to write")
        parser.add_argument("--user", help="username recorded as the report's author")
        parser.add_argument("--snapshot", type=int, help="re-issue an existing snapshot by id")
        parser.add_argument(
            "--ethnic-group", help="GSO code of an ethnic group (e.g. 10), or 'minority'"
        )
        parser.add_argument("--gender", help="F or M")
        parser.add_argument("--target-group", help="code of a target group (e.g. village-head)")

    def filters(self, options) -> tuple[dict, dict]:
        """Criteria overrides and their labels (codes) from the command's filter options."""
        filters, labels = {}, {}
        code = options.get("ethnic_group")
        if code:
            labels["ethnic_group"] = code
            if code.lower() == "minority":
                filters["minority"] = True
            else:
                group = EthnicGroup.objects.filter(code=code.zfill(2)).first()
                if group is None:
                    raise CommandError(f"Unknown ethnic group code {code!r}.")
                filters["ethnic_group_id"] = group.pk
        gender = options.get("gender")
        if gender:
            genders = {"F": "female", "M": "male"}
            if gender.upper() not in genders:
                raise CommandError(f"--gender must be F or M, not {gender!r}.")
            labels["gender"] = gender.upper()
            filters["gender"] = genders[gender.upper()]
        slug = options.get("target_group")
        if slug:
            group = TargetGroup.objects.filter(code=slug).first()
            if group is None:
                raise CommandError(f"Unknown target group {slug!r}.")
            labels["target_group"] = slug
            filters["target_group_id"] = group.pk
        return filters, labels

    def handle(self, *args, year=None, unit=None, out, user=None, snapshot=None, **options):
        if snapshot is not None:
            try:
                frozen = ReportSnapshot.objects.select_related("org_unit", "created_by").get(
                    pk=snapshot
                )
            except ReportSnapshot.DoesNotExist as error:
                raise CommandError(f"No report snapshot {snapshot}.") from error
        else:
            if year is None:
                raise CommandError("Give --year (or --snapshot).")
            org_unit = None
            if unit:
                org_unit = OrgUnit.objects.filter(code=unit).first()
                if org_unit is None:
                    raise CommandError(f"Unknown unit code {unit!r}.")
            author = None
            if user:
                author = get_user_model().objects.filter(username__iexact=user).first()
                if author is None:
                    raise CommandError(f"Unknown user {user!r}.")
            filters, labels = self.filters(options)
            frozen = report_snapshot_create(
                year=year, unit=org_unit, filters=filters, filter_labels=labels
            )
            if author is not None:
                frozen.created_by = author
                frozen.save(update_fields=["created_by"])
        Path(out).write_bytes(report_xlsx(frozen))
        targets = len(frozen.data.get("targets", []))
        self.stdout.write(
            self.style.SUCCESS(f"Report snapshot {frozen.pk}: {targets} targets written to {out}")
        )
