"""Load Vietnam's 34 provinces and 3,321 communes/wards from the `vietnam-provinces` package.

Idempotent: a second run creates and changes nothing. Units exist from the 2025 reform
(1 July 2025), so they are given that `valid_from`.
"""

import datetime

from django.core.management.base import BaseCommand
from vietnam_provinces import Province, VietNamDivisionType, Ward

from people.models import OrgUnit
from people.services import org_units_sync

REFORM_DATE = datetime.date(2025, 7, 1)


def official_records(province_codes: set[str] | None = None) -> list[dict]:
    """The official units as records for `org_units_sync`, provinces first."""
    records = []
    for province in sorted(Province.iter_all(), key=lambda p: int(p.code)):
        code = f"{int(province.code):02d}"
        if province_codes and code not in province_codes:
            continue
        records.append(
            {
                "code": code,
                "name": province.name,
                "kind": OrgUnit.Kind.PROVINCE,
                "division_type": province.division_type.value,
                "parent_code": None,
                "valid_from": REFORM_DATE,
            }
        )
    wanted = {r["code"] for r in records}
    for ward in sorted(Ward.iter_all(), key=lambda w: int(w.code)):
        parent = f"{int(ward.province_code):02d}"
        if parent not in wanted:
            continue
        records.append(
            {
                "code": f"{int(ward.code):05d}",
                "name": ward.name,
                "kind": OrgUnit.Kind.COMMUNE,
                "division_type": VietNamDivisionType(ward.division_type).value,
                "parent_code": parent,
                "valid_from": REFORM_DATE,
            }
        )
    return records


class Command(BaseCommand):
    help = "Import the official provinces and communes (vietnam-provinces). Safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            action="append",
            dest="provinces",
            help="Only this province code (repeatable), e.g. --province 64",
        )

    def handle(self, *args, provinces=None, **options):
        result = org_units_sync(records=official_records(set(provinces or [])))
        self.stdout.write(
            self.style.SUCCESS(
                f"Org units: {result['created']} created, {result['updated']} updated, "
                f"{OrgUnit.objects.count()} in total."
            )
        )
