"""Demo content of the library room: a few e-library items with small generated PDFs and
two archive entries about Jrai festivals (marked as demo content). Safe to re-run."""

import datetime
import io
import json
from pathlib import Path

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from people.models import EthnicGroup, OrgUnit

from .models import CultureArchiveIndexPage, CultureEntryPage, LibraryIndexPage, LibraryItemPage
from .services import culture_moderation_setup

CONTENT = Path(__file__).resolve().parent / "demo_content.json"


def _pdf(title: str, paragraphs: list[str]) -> bytes:
    """A small A4 PDF with the item's text, in DejaVu Sans (every diacritic prints)."""
    from django.conf import settings
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    font_dir = Path(settings.LMS_CERT_FONT_DIR)
    for name, file in (("Sans", "DejaVuSans.ttf"), ("Sans-Bold", "DejaVuSans-Bold.ttf")):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(font_dir / file)))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(title)
    width, height = A4
    y = height - 72
    canvas.setFont("Sans-Bold", 15)
    canvas.drawString(56, y, title[:70])
    canvas.setFont("Sans", 11)
    from reportlab.lib.utils import simpleSplit

    for paragraph in paragraphs:
        y -= 10
        for line in simpleSplit(paragraph, "Sans", 11, width - 112):
            y -= 16
            canvas.drawString(56, y, line)
    canvas.save()
    return buffer.getvalue()


def _child(parent, model, slug, **fields):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
    return page


def demo_library_seed(*, home, province_code: str, commune_name: str, contributor) -> str:
    data = json.loads(CONTENT.read_text(encoding="utf-8"))
    library = _child(home, LibraryIndexPage, "thu-vien", **data["library"])
    Document = get_document_model()
    jrai = EthnicGroup.objects.get(code="10")
    for item in data["items"]:
        if LibraryItemPage.objects.filter(slug=item["slug"]).exists():
            continue
        document = Document(title=item["title"])
        document.file.save(
            f"{item['slug']}.pdf", ContentFile(_pdf(item["title"], item["pdf"])), save=False
        )
        document.save()
        page = LibraryItemPage(
            slug=item["slug"],
            title=item["title"],
            summary=item["summary"],
            body=item["body"],
            kind="document",
            topic=item["topic"],
            language=item.get("language", "vi"),
            is_public=item.get("public", True),
            file=document,
        )
        library.add_child(instance=page)
        if item.get("jrai"):
            page.ethnic_groups.set([jrai])
        page.save_revision().publish()
    archive = _child(home, CultureArchiveIndexPage, "van-hoa", **data["archive"])
    culture_moderation_setup()
    province = OrgUnit.objects.get(code=province_code)
    commune = OrgUnit.objects.filter(name=commune_name, kind=OrgUnit.Kind.COMMUNE).first()
    for entry in data["entries"]:
        if CultureEntryPage.objects.filter(slug=entry["slug"]).exists():
            continue
        page = CultureEntryPage(
            slug=entry["slug"],
            title=entry["title"],
            kind=entry["kind"],
            ethnic_group=jrai,
            province=province,
            commune=commune,
            season=entry["season"],
            summary=entry["summary"],
            body=entry["body"],
            consent_given=True,
            consent_by=entry["consent_by"],
            consent_date=datetime.date(2026, 3, 15),
            contributor=contributor,
            is_demo=True,
        )
        archive.add_child(instance=page)
        page.save_revision().publish()
    items, entries = LibraryItemPage.objects.count(), CultureEntryPage.objects.count()
    return f"Library: {items} items, archive: {entries} entries."
