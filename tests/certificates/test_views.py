"""Learners' certificates page, managers' revoke and re-issue screens, template preview."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from certificates import selectors
from certificates.models import Certificate, CertificateTemplate
from people.services import profile_update
from tests.factories import make_admin, make_course, make_learner, make_manager

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_my_certificates_lists_mine_with_download(client, home, hblin, commune, complete):
    courses = [make_course(f"Khoá {n}") for n in range(3)]
    for course in courses:
        complete(hblin, course)
    complete(make_learner(unit=commune), courses[0])  # someone else's
    client.force_login(hblin)
    response = client.get(reverse("certificates:mine"))
    cards = soup(response).select("article.certificate")
    assert len(cards) == 3
    mine = set(Certificate.objects.filter(enrolment__user=hblin).values_list("serial", flat=True))
    assert {card["data-serial"] for card in cards} == mine
    for card in cards:
        link = card.select_one("a.button")
        assert link["href"].endswith("/download/")
        assert client.get(link["href"]).status_code == 200


def test_my_certificates_query_budget(client, home, hblin, complete, django_assert_num_queries):
    for n in range(3):
        complete(hblin, make_course(f"Khoá {n}"))
    client.force_login(hblin)
    client.get(reverse("certificates:mine"))
    # user (the session is cached), certificates joined to their successors: 2 whatever
    # their number.
    with django_assert_num_queries(2):
        response = client.get(reverse("certificates:mine"))
    assert len(soup(response).select("article.certificate")) == 3


def test_manage_list_query_budget(client, home, commune, complete, django_assert_num_queries):
    course = make_course()
    for _ in range(4):
        complete(make_learner(unit=commune), course)
    admin = make_admin()
    client.force_login(admin)
    client.get(reverse("certificates:manage_list"))
    # user (the session is cached; an administrator needs no role query), count, the page
    # of certificates, the count of those waiting to be issued (none here, so no list), and
    # Wagtail's user profile twice for a staff user's admin bar: 6, whatever the number of
    # certificates.
    with django_assert_num_queries(6):
        response = client.get(reverse("certificates:manage_list"), {"status": "issued"})
    assert len(soup(response).select("tbody tr[data-serial]")) == 4


def test_revoke_needs_a_reason(client, course, hblin, complete):
    certificate = complete(hblin, course)
    client.force_login(make_admin())
    response = client.post(
        reverse("certificates:revoke", args=[certificate.pk]), {"reason": "  "}, follow=True
    )
    assert response.status_code == 200
    assert soup(response).select_one(".message, .messages li") is not None
    certificate.refresh_from_db()
    assert certificate.status == "issued"


def test_reissue_after_name_correction(
    client, course, commune, complete, django_capture_on_commit_callbacks
):
    learner = make_learner(unit=commune, full_name="Ksor H'Blim")
    old = complete(learner, course)
    profile_update(profile=learner.profile, full_name="Ksor H'Blin")
    manager = make_manager(scope=commune)
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("certificates:reissue", args=[old.pk]), {"reason": "Sửa tên theo CCCD"}
        )
    new = Certificate.objects.exclude(pk=old.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:manage_detail", args=[new.pk])
    old.refresh_from_db()
    assert old.status == "revoked" and old.superseded_by == new
    assert "Sửa tên theo CCCD" in old.revocation_reason
    assert new.status == "issued" and new.holder_name == "Ksor H'Blin"
    assert new.serial != old.serial
    assert selectors.certificate_verify(old.token).status == "revoked"
    assert selectors.certificate_verify(new.token).status == "issued"
    trail = [(e.action, e.actor_id) for e in old.events.all()] + [
        (e.action, e.actor_id) for e in new.events.all()
    ]
    assert trail == [
        ("requested", None),
        ("issued", None),
        ("revoked", manager.pk),
        ("reissued", manager.pk),
        ("issued", None),
    ]
    # The learner sees the new one and the old one marked as replaced.
    client.force_login(learner)
    page = soup(client.get(reverse("certificates:mine")))
    assert new.serial in page.select_one(f'article[data-serial="{old.serial}"]').text


def test_template_preview_is_a_pdf(rf):
    template = CertificateTemplate.objects.create(name="Mẫu", signatory_name="Rơ Châm Hlin")
    response = template.serve_preview(rf.get("/"), "")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_admin_edits_a_template_and_previews_it(client, home):
    client.force_login(make_admin())
    data = {
        "name": "Sở Dân tộc Gia Lai",
        "heading": "GIẤY CHỨNG NHẬN",
        "intro": "Chứng nhận",
        "body": "đã hoàn thành khoá học",
        "issuer_name": "Sở Dân tộc và Tôn giáo Gia Lai",
        "place": "Gia Lai",
        "signatory_name": "Rơ Châm Hlin",
        "signatory_title": "Giám đốc",
        "primary_colour": "#1f5f8b",
        "accent_colour": "#c8102e",
        "serial_prefix": "GL",
        "issuer_slug": "dan-toc-gia-lai",
        "footer": "",
    }
    add = reverse("wagtailsnippets_certificates_certificatetemplate:add")
    response = client.post(add, data)
    assert response.status_code == 302, response.content[:2000]
    template = CertificateTemplate.objects.get(name="Sở Dân tộc Gia Lai")
    assert template.serial_prefix == "GL"
    assert template.issuer_slug == "dan-toc-gia-lai"  # the Issuer panel has it
    preview = reverse(
        "wagtailsnippets_certificates_certificatetemplate:preview_on_edit", args=[template.pk]
    )
    assert client.post(preview, data).json()["is_valid"]
    response = client.get(preview)
    assert response["Content-Type"] == "application/pdf"
    bad = client.post(add, {**data, "name": "Khác", "primary_colour": "blue"})
    assert bad.status_code == 200 and not CertificateTemplate.objects.filter(name="Khác").exists()
    bad = client.post(add, {**data, "name": "Khác", "issuer_slug": "Gia Lai/../x"})
    assert bad.status_code == 200 and not CertificateTemplate.objects.filter(name="Khác").exists()


def test_seed_demo_gives_the_learner_an_issued_certificate(
    client, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)
    issued = set(Certificate.objects.values_list("serial", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)  # idempotent
    # the targets demo completes courses for many demo people: every completion is certified
    assert set(Certificate.objects.values_list("serial", flat=True)) == issued
    assert set(Certificate.objects.values_list("status", flat=True)) == {"issued"}
    certificate = Certificate.objects.get(enrolment__user__username="learner")
    assert certificate.status == "issued"
    assert certificate.holder_name == "Siu H'Nương"
    assert certificate.enrolment.user.username == "learner"
    client.login(username="learner", password="hocso-demo")
    page = soup(client.get(reverse("certificates:mine")))
    link = page.select_one(f'article[data-serial="{certificate.serial}"] a.button')
    assert client.get(link["href"]).status_code == 200
    assert selectors.certificate_verify(certificate.token).status == "issued"


def test_django_admin_retry_action(
    client, course, hblin, complete, django_capture_on_commit_callbacks
):
    certificate = complete(hblin, course)
    Certificate.objects.filter(pk=certificate.pk).update(
        status="failed", error="OSError: disk full", token="", issued_at=None
    )
    client.force_login(make_admin())
    changelist = reverse("admin:certificates_certificate_changelist")
    assert "OSError: disk full" in client.get(changelist).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist, {"action": "retry", "_selected_action": [certificate.pk]}
        )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "issued" and certificate.error == ""
