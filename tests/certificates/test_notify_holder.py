"""An issued certificate tells its holder (notify), once, whatever the number of runs."""

import json

from certificates.services import certificates_issue
from notify.models import Notification


def test_holder_is_notified_once_when_issued(
    course, hblin, complete, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.LMS_SMS_FILE = tmp_path / "sms.log"
    hblin.email = "hblin@example.vn"
    hblin.save()
    hblin.profile.phone = "0905000111"
    hblin.profile.save()
    certificate = complete(hblin, course)
    assert certificate.status == "issued"
    [notification] = Notification.objects.filter(user=hblin, kind="certificate_ready")
    assert notification.kind == "certificate_ready"
    assert certificate.serial in notification.body
    assert notification.url == "/certificates/"
    assert dict(notification.deliveries.values_list("channel", "status")) == {
        "in_app": "sent",
        "email": "sent",
        "sms": "sent",
    }
    [sms] = settings.LMS_SMS_FILE.read_text(encoding="utf-8").splitlines()
    assert json.loads(sms)["to"] == "0905000111"
    # Issuing again (a redelivered message) notifies nobody again.
    with django_capture_on_commit_callbacks(execute=True):
        certificates_issue(certificate_ids=[certificate.pk])
    assert Notification.objects.filter(user=hblin, kind="certificate_ready").count() == 1
