"""The foundation's learner journey, continued: complete through the web, download the PDF,
read it back; templates with images; the verification page in both languages."""

import io
import subprocess

import pytest
from bs4 import BeautifulSoup
from django.core.files.images import ImageFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images.models import Image

from certificates.models import Certificate, CertificateTemplate
from courses.models import LessonPage
from tests.factories import pass_quiz

pytestmark = pytest.mark.django_db


def png(colour: str, name: str) -> Image:
    buffer = io.BytesIO()
    PILImage.new("RGBA", (120, 120), colour).save(buffer, "PNG")
    return Image.objects.create(title=name, file=ImageFile(buffer, name=f"{name}.png"))


def test_complete_in_the_browser_flow_then_download(
    client, course, hblin, django_capture_on_commit_callbacks, tmp_path
):
    client.force_login(hblin)
    assert client.post(reverse("courses:enrol", args=[course.pk])).status_code == 302
    lessons = list(LessonPage.objects.live().child_of(course).order_by("path"))
    for lesson in lessons[:-1]:
        client.post(reverse("courses:lesson_done", args=[lesson.pk]))
    final = lessons[-1]
    with django_capture_on_commit_callbacks(execute=True):
        pass_quiz(client, final, hblin)
    certificate = Certificate.objects.get(enrolment__user=hblin)
    assert certificate.status == "issued"

    page = client.get(reverse("certificates:mine"))
    download = reverse("certificates:download", args=[certificate.pk])
    assert download in page.content.decode()
    response = client.get(download)
    assert response["Content-Disposition"].startswith("attachment")
    path = tmp_path / "c.pdf"
    path.write_bytes(b"".join(response.streaming_content))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Ksor H'Blin" in text and course.title in text


def test_template_images_colours_and_text_are_printed(course, hblin, complete, tmp_path):
    template = CertificateTemplate.objects.create(
        name="Gia Lai",
        heading="GIẤY CHỨNG NHẬN HOÀN THÀNH",
        issuer_name="Sở Dân tộc và Tôn giáo tỉnh Gia Lai",
        place="Pleiku",
        signatory_name="Rơ Châm Hlin",
        signatory_title="Giám đốc Sở",
        primary_colour="#006633",
        seal_image=png("red", "seal"),
        signature_image=png("blue", "signature"),
        logo_image=png("green", "logo"),
    )
    template.courses.add(course)
    certificate = complete(hblin, course)
    assert certificate.template == template and certificate.issuer_name == template.issuer_name
    path = tmp_path / "c.pdf"
    path.write_bytes(certificate.pdf.read())
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for printed in ("GIẤY CHỨNG NHẬN HOÀN THÀNH", "Rơ Châm Hlin", "Giám đốc Sở", "Pleiku"):
        assert printed in text
    assert "Sở Dân tộc và Tôn giáo tỉnh Gia Lai".upper() in text
    images = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert len([line for line in images.splitlines()[2:] if line.strip()]) >= 3


def test_verification_page_in_english_and_vietnamese(client, course, hblin, complete):
    certificate = complete(hblin, course)

    def page():
        html = BeautifulSoup(client.get(f"/v/{certificate.token}/").content, "html.parser")
        return html.select_one("article.verify").get_text(" ", strip=True)

    vi = page()
    assert "Chứng nhận hợp lệ" in vi and "Ksor H'Blin" in vi
    client.cookies["django_language"] = "en"
    en = page()
    assert "Valid certificate" in en and "Ksor H'Blin" in en
