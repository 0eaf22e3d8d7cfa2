"""The README's receiver-side signature check, run as written against a real delivery's
headers and body (from the local receiver); tampered or old deliveries fail."""

import re
import time
from pathlib import Path

import pytest
from django.conf import settings

from webhooks.services import signature

README = Path(settings.BASE_DIR) / "README.md"


def verify_hocso():
    text = README.read_text(encoding="utf-8")
    match = re.search(r"<!-- example: webhook-verify .*?-->\n```python\n(.*?)\n```", text, re.S)
    namespace = {}
    exec(compile(match.group(1), "README:webhook-verify", "exec"), namespace)  # noqa: S102
    return namespace["verify_hocso"]


@pytest.mark.django_db
def test_readme_verification(api_world, django_capture_on_commit_callbacks):
    from courses.services import enrolment_complete, enrolment_create
    from webhooks.models import Subscription

    from .receiver import Receiver

    verify = verify_hocso()
    receiver = Receiver()
    try:
        subscription = Subscription.objects.create(
            name="x", url=receiver.url, events=["completion.created"]
        )
        enrolment, _ = enrolment_create(user=api_world["hblin"], course=api_world["course"])
        with django_capture_on_commit_callbacks(execute=True):
            enrolment_complete(enrolment=enrolment, evidence="attendance")
        (request,) = receiver.requests
    finally:
        receiver.stop()
    header, body = request["headers"]["x-hocso-signature"], request["body"]
    assert verify(subscription.secret, header, body)
    assert not verify(subscription.secret, header, body.replace(b"attendance", b"assessment"))
    assert not verify("wrong", header, body)
    old = signature(subscription.secret, int(time.time()) - 3600, body)
    assert not verify(subscription.secret, old, body)
