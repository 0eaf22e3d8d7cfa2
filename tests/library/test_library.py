"""The e-library: listing, filters, accent-insensitive search, non-public items and files."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from library.models import LibraryItemPage
from people.models import EthnicGroup
from tests.factories import make_learner

from .factories import PDF, library_index, make_document, make_item

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".library-list h2 a")]


@pytest.fixture
def jrai(db):
    return EthnicGroup.objects.get(code="10")


def test_library_redirects_to_the_vietnamese_address(client, home):
    library_index()
    response = client.get("/library/?topic=law")
    assert response.status_code == 302
    assert response["Location"] == "/thu-vien/?topic=law"


def test_library_redirect_without_a_library_is_404(client, home):
    assert client.get("/library/").status_code == 404


@pytest.mark.parametrize(
    "query",
    ["chuyen doi so", "chuyển đổi số", "CHUYEN DOI SO", "chuyển đổi so", "Chuyển  Đổi   Số"],
)
def test_search_ignores_accents(client, home, query):
    make_item("Kế hoạch chuyển đổi số công tác dân tộc")
    make_item("Sổ tay trồng cà phê", topic="agriculture")
    response = client.get("/thu-vien/", {"q": query})
    assert titles(response) == ["Kế hoạch chuyển đổi số công tác dân tộc"]


def test_search_finds_words_of_the_body_and_d_with_stroke(client, home):
    make_item("Tài liệu A", body="<p>Hướng dẫn đăng ký dịch vụ công</p>")
    make_item("Tài liệu B", summary="Đất đai và rừng")
    assert titles(client.get("/thu-vien/", {"q": "dang ky dich vu"})) == ["Tài liệu A"]
    assert titles(client.get("/thu-vien/", {"q": "dat dai"})) == ["Tài liệu B"]
    assert titles(client.get("/thu-vien/", {"q": "không có gì"})) == []


def test_filters_by_topic_ethnic_group_and_language(client, home, jrai):
    make_item("Chính sách cho người Jrai", ethnic_groups=[jrai], language="jra")
    make_item("Luật đất đai", topic="law")
    assert titles(client.get("/thu-vien/", {"topic": "law"})) == ["Luật đất đai"]
    assert titles(client.get("/thu-vien/", {"ethnic": "10"})) == ["Chính sách cho người Jrai"]
    assert titles(client.get("/thu-vien/", {"language": "jra"})) == ["Chính sách cho người Jrai"]
    # Unknown or malformed values are ignored, never an error.
    for params in ({"topic": "x' OR 1=1"}, {"ethnic": "abc"}, {"language": "zz"}, {"page": "-1"}):
        response = client.get("/thu-vien/", params)
        assert response.status_code == 200
        assert len(titles(response)) == 2


def test_huge_and_odd_queries_are_harmless(client, home):
    make_item("Chuyển đổi số")
    for query in ["a" * 5_000, '"', "AND OR NOT", "*", "chuyển\x00", "(", "'; DROP TABLE"]:
        assert client.get("/thu-vien/", {"q": query}).status_code == 200


def test_pagination(client, home):
    for n in range(14):
        make_item(f"Tài liệu số {n:02d}", kind="article")
    first = client.get("/thu-vien/")
    assert len(titles(first)) == 12
    second = client.get("/thu-vien/", {"page": 2})
    assert len(titles(second)) == 2
    soup = BeautifulSoup(first.content, "html.parser")
    assert soup.select_one('a[rel="next"]')["href"].endswith("page=2")


def test_list_query_budget(client, home, jrai):
    for n in range(5):
        make_item(f"Tài liệu {n}", ethnic_groups=[jrai])
    client.get("/thu-vien/", {"q": "tai lieu"})
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/thu-vien/", {"q": "tai lieu", "topic": "policy"})
    assert response.status_code == 200
    # Wagtail's routing (1: the library page by path) and view restrictions (2: the page's
    # ancestors and their restrictions); the full-text search (1); the page's count and rows
    # (2); the ethnic groups of the filter (1). It does not grow with the number of items.
    budget = len(ctx.captured_queries)
    for n in range(5, 15):
        make_item(f"Tài liệu {n}", ethnic_groups=[jrai])
    client.get("/thu-vien/", {"q": "tai lieu", "topic": "policy"})  # new content version
    with CaptureQueriesContext(connection) as ctx:
        client.get("/thu-vien/", {"q": "tai lieu", "topic": "policy"})
    assert len(ctx.captured_queries) == budget == 6


def test_non_public_item_is_for_signed_in_users(client, home):
    item = make_item("Tài liệu nội bộ", is_public=False)
    make_item("Tài liệu công khai")
    assert titles(client.get("/thu-vien/")) == ["Tài liệu công khai"]
    response = client.get(item.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    file_response = client.get(item.file_url)
    assert file_response.status_code == 302
    assert "/accounts/login/" in file_response["Location"]
    # Wagtail's own document URL refuses it too.
    doc = client.get(item.file.url)
    assert doc.status_code == 302 and "/accounts/login/" in doc["Location"]
    client.force_login(make_learner())
    assert "Tài liệu nội bộ" in titles(client.get("/thu-vien/"))
    assert client.get(item.url).status_code == 200
    assert client.get(item.file_url).status_code == 200
    assert client.get(item.file.url).status_code == 200


def test_non_public_item_page_is_never_cached_for_anonymous(client, home):
    item = make_item("Tài liệu nội bộ", is_public=False)
    client.force_login(make_learner())
    client.get(item.url)
    client.logout()
    assert client.get(item.url).status_code == 302


def test_unpublished_item_file_is_refused(client, home):
    item = make_item("Bản nháp", publish=False)
    assert client.get(reverse("library:file", args=[item.pk])).status_code == 404
    assert client.get(item.file.url).status_code == 302


def test_pdf_is_served_inline_and_embedded(client, home):
    item = make_item("Nghị định")
    response = client.get(item.file_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert b"".join(response.streaming_content) == PDF
    soup = BeautifulSoup(client.get(item.url).content, "html.parser")
    embedded = soup.select_one('object[type="application/pdf"]')
    assert embedded["data"] == item.file_url
    assert embedded.select_one("a")["href"] == item.file_url  # the fallback link


def test_other_files_are_attachments_never_sniffed(client, home):
    html = make_document("trang.txt", b"<script>alert(1)</script>", title="Văn bản")
    item = make_item("Văn bản thô", file=html)
    response = client.get(item.file_url)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_item_kind_must_match_its_file(home):
    from django.core.exceptions import ValidationError

    item = LibraryItemPage(title="Âm thanh", kind="audio", topic="health", file=make_document())
    with pytest.raises(ValidationError):
        item.clean()
    with pytest.raises(ValidationError):
        LibraryItemPage(title="Video", kind="video", topic="health").clean()
    LibraryItemPage(title="Bài viết", slug="bai-viet", kind="article", topic="law").clean()


def test_unknown_item_file_is_404(client, home):
    assert client.get(reverse("library:file", args=[999999])).status_code == 404


def test_anonymous_library_page_is_cached(client, home):
    make_item("Chuyển đổi số")
    client.get("/thu-vien/")
    assert client.get("/thu-vien/")["X-LMS-Cache"] == "hit"


def test_lessons_link_library_items(home):
    from courses.blocks import LessonStreamBlock

    item = make_item("Nghị định về chuyển đổi số")
    block = LessonStreamBlock()
    value = block.to_python(
        [{"type": "library_item", "value": {"item": item.pk, "note": "Đọc trước buổi học"}}]
    )
    soup = BeautifulSoup(value.render_as_block(), "html.parser")
    link = soup.select_one(".library-link a")
    assert link["href"] == item.url and link.get_text() == item.title
    item.unpublish()
    value = block.to_python([{"type": "library_item", "value": {"item": item.pk}}])
    assert BeautifulSoup(value.render_as_block(), "html.parser").select_one("a") is None
