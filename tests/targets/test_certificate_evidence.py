"""Certificates as evidence: the people behind a number and the learner audit show the serial
of an issued certificate, in the page and the export, and stop showing it once revoked."""

import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from certificates.models import Certificate
from certificates.services import certificate_issue, certificate_revoke

pytestmark = pytest.mark.django_db


def people_rows(client, target, unit):
    response = client.get(reverse("targets:people", args=[target.pk]), {"unit": unit.pk})
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    return [
        [td.get_text(" ", strip=True) for td in row.select("td")]
        for row in page.select(".person-row")
    ]


def test_issued_serial_is_shown_then_withdrawn_on_revocation(client, tree):
    """L7 (Xã B) completed c1: completion left a pending certificate (the task runs on
    commit); issuing it puts its serial beside the completion, revoking it takes it away."""
    learner, unit, target = tree["people"]["L7"], tree["units"]["B"], tree["target"]
    certificate = Certificate.objects.get(enrolment__user=learner)
    assert certificate.status == Certificate.Status.PENDING
    client.force_login(tree["users"]["manager_in"])
    assert people_rows(client, target, unit) and all(
        row[4] == "—" for row in people_rows(client, target, unit)
    )

    certificate = certificate_issue(certificate_id=certificate.pk)
    serial = certificate.serial
    rows = {row[0]: row[4] for row in people_rows(client, target, unit)}
    assert rows["Puih H'Nương"] == serial
    assert rows["Lê Thị Thắm"] == "—"  # L8 (moved to Xã B) has no issued certificate
    export = client.get(
        reverse("targets:people", args=[target.pk]), {"unit": unit.pk, "format": "csv"}
    )
    exported = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert [r for r in exported if serial in r], exported
    audit = BeautifulSoup(
        client.get(reverse("targets:learner", args=[learner.pk])).content, "html.parser"
    )
    assert audit.select_one(".serial").get_text(strip=True) == serial

    certificate_revoke(certificate=certificate, actor=tree["users"]["manager_in"], reason="Sai tên")
    assert all(row[4] == "—" for row in people_rows(client, target, unit))
    audit = BeautifulSoup(
        client.get(reverse("targets:learner", args=[learner.pk])).content, "html.parser"
    )
    assert audit.select_one(".serial") is None
