"""Library pages and files for tests, built through Wagtail like the real ones."""

import datetime

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from library.models import (
    CultureArchiveIndexPage,
    CultureEntryPage,
    LibraryIndexPage,
    LibraryItemPage,
)
from tests.factories import site_home

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_document(name: str = "tai-lieu.pdf", content: bytes = PDF, title: str = "Tài liệu"):
    document = get_document_model()(title=title)
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


def library_index() -> LibraryIndexPage:
    index = LibraryIndexPage.objects.first()
    if index is None:
        index = LibraryIndexPage(title="Thư viện điện tử", slug="thu-vien")
        site_home().add_child(instance=index)
        index.save_revision().publish()
    return index


def make_item(title: str = "Tài liệu chuyển đổi số", *, publish=True, ethnic_groups=(), **fields):
    fields.setdefault("kind", "document")
    fields.setdefault("topic", "policy")
    if fields["kind"] != "article" and "file" not in fields:
        fields["file"] = make_document()
    item = LibraryItemPage(title=title, live=publish, **fields)
    library_index().add_child(instance=item)
    if ethnic_groups:
        item.ethnic_groups.set(ethnic_groups)
    revision = item.save_revision()
    if publish:
        revision.publish()
    item.refresh_from_db()
    return item


def archive_index() -> CultureArchiveIndexPage:
    index = CultureArchiveIndexPage.objects.first()
    if index is None:
        index = CultureArchiveIndexPage(title="Kho lưu trữ văn hoá", slug="van-hoa")
        site_home().add_child(instance=index)
        index.save_revision().publish()
    return index


def make_entry(title="Lễ mừng lúa mới", *, ethnic_group, province, publish=True, **fields):
    consent = {
        "consent_given": True,
        "consent_by": "Già làng Plei Ơi",
        "consent_date": datetime.date(2026, 3, 1),
    }
    entry = CultureEntryPage(
        title=title,
        kind=fields.pop("kind", "festival"),
        ethnic_group=ethnic_group,
        province=province,
        live=publish,
        **{**consent, **fields},
    )
    archive_index().add_child(instance=entry)
    revision = entry.save_revision()
    if publish:
        revision.publish()
    entry.refresh_from_db()
    return entry
