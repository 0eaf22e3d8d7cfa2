"""The demo's LRS client (called by `seed_demo`): the Gia Lai province reporting system,
reading and writing the statements of Gia Lai's learners at /xapi/statements.

Its credentials are fixed and printed in the README, so they exist only when DEBUG is on (a
development machine); with DEBUG off the demo skips it and says so. Idempotent.
"""

from django.conf import settings

from people.models import OrgUnit

from ..models import LrsClient
from ..models.xapi import secret_digest

DEMO_KEY = "demo-gia-lai"
DEMO_SECRET = "hocso-demo-lrs"
DEMO_NAME = "Hệ thống báo cáo tỉnh Gia Lai (demo)"


def demo_lrs_client_seed(*, province_code: str) -> str:
    if not settings.DEBUG:
        return "xAPI demo client skipped: its published credentials exist only with DEBUG on."
    province = OrgUnit.objects.filter(code=province_code).first()
    if province is None:
        return "xAPI demo client skipped: the demo province is missing."
    client, _created = LrsClient.objects.update_or_create(
        key=DEMO_KEY,
        defaults={
            "name": DEMO_NAME,
            "secret_hash": secret_digest(DEMO_SECRET),
            "can_read": True,
            "can_write": True,
            "active": True,
        },
    )
    client.units.set([province])
    return f"xAPI demo client: {DEMO_KEY} / {DEMO_SECRET} (Gia Lai, read and write)."
