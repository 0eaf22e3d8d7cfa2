"""Reads of the library room: the e-library list and search, the archive browse, and the
archive count the targets room can use as an indicator."""

import re

from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, QuerySet, Value, When

from core.text import search_key
from people.models import EthnicGroup, OrgUnit

from .models import (
    CultureEntryPage,
    CultureKind,
    LibraryItemPage,
    LibraryLanguage,
    LibraryTopic,
)

PER_PAGE = 12
# Search returns at most this many items (ranked); filters then apply to those.
SEARCH_LIMIT = 200
QUERY_MAX = 200


def library_filters(params) -> dict:
    """The list's filters from a query string; unknown values are ignored, not errors."""
    topic = params.get("topic", "")
    language = params.get("language", "")
    ethnic = params.get("ethnic", "")
    return {
        "topic": topic if topic in LibraryTopic.values else "",
        "language": language if language in LibraryLanguage.values else "",
        "ethnic": ethnic if ethnic.isdigit() and len(ethnic) <= 2 else "",
        "q": " ".join(str(params.get("q", ""))[:QUERY_MAX].split()),
    }


def _ranked(queryset: QuerySet, model, q: str) -> QuerySet:
    """`queryset` narrowed to what matches `q`, best first. The query is folded like the
    indexed `search_folded` text, so accents (and đ) never matter, on SQLite and PostgreSQL."""
    # Words only: quotes, brackets and operators mean something to FTS5 and tsquery.
    folded = " ".join(re.sub(r"[^\w\s]", " ", search_key(q)).split())
    if not folded:
        return queryset
    found = model.objects.live().search(folded, operator="and", order_by_relevance=True)
    ids = [page.pk for page in found[:SEARCH_LIMIT]]
    if not ids:
        return queryset.none()
    rank = Case(
        *[When(pk=pk, then=Value(position)) for position, pk in enumerate(ids)],
        output_field=IntegerField(),
    )
    return queryset.filter(pk__in=ids).annotate(search_rank=rank).order_by("search_rank")


def library_items(
    *, index, user, topic: str = "", language: str = "", ethnic: str = "", q: str = ""
) -> QuerySet[LibraryItemPage]:
    """Live items under `index` that `user` may see (non-public ones only when signed in)."""
    items = LibraryItemPage.objects.live().descendant_of(index)
    if not user.is_authenticated:
        items = items.filter(is_public=True)
    if topic:
        items = items.filter(topic=topic)
    if language:
        items = items.filter(language=language)
    if ethnic:
        items = items.filter(ethnic_groups__code=ethnic)
    items = items.order_by("-first_published_at", "pk")
    if q:
        items = _ranked(items, LibraryItemPage, q)
    return items


def library_page_of(items: QuerySet, number) -> dict:
    """One page of a list: {"page_obj", "items"}; a bad page number shows the last page."""
    page_obj = Paginator(items, PER_PAGE).get_page(number)
    return {"page_obj": page_obj, "items": page_obj.object_list}


def culture_filters(params) -> dict:
    kind = params.get("kind", "")
    ethnic = params.get("ethnic", "")
    province = params.get("province", "")
    return {
        "kind": kind if kind in CultureKind.values else "",
        "ethnic": ethnic if ethnic.isdigit() and len(ethnic) <= 2 else "",
        "province": province if province.isalnum() and len(province) <= 32 else "",
        "q": " ".join(str(params.get("q", ""))[:QUERY_MAX].split()),
    }


def culture_browse(
    *, index, kind: str = "", ethnic: str = "", province: str = "", q: str = ""
) -> QuerySet[CultureEntryPage]:
    entries = (
        CultureEntryPage.objects.live()
        .descendant_of(index)
        .select_related("ethnic_group", "province")
        .order_by("ethnic_group__code", "title")
    )
    if kind:
        entries = entries.filter(kind=kind)
    if ethnic:
        entries = entries.filter(ethnic_group__code=ethnic)
    if province:
        entries = entries.filter(province__code=province)
    if q:
        entries = _ranked(entries, CultureEntryPage, q)
    return entries


def culture_entries_count(
    kind: str | None = None,
    ethnic_group: EthnicGroup | None = None,
    unit: OrgUnit | None = None,
) -> int:
    """How many published archive entries there are of `kind`, of `ethnic_group`, in `unit`'s
    subtree (a province: entries of that province; a commune: entries of that commune).

    The indicator behind "festivals of group X in province Y digitised": the targets room can
    divide it by the number of known festivals, as it does trainings by a population. One
    query. None means "any".
    """
    entries = CultureEntryPage.objects.live()
    if kind:
        entries = entries.filter(kind=kind)
    if ethnic_group is not None:
        entries = entries.filter(ethnic_group=ethnic_group)
    if unit is not None:
        if unit.kind == OrgUnit.Kind.PROVINCE:
            entries = entries.filter(province__path__startswith=unit.path)
        else:
            entries = entries.filter(commune__path__startswith=unit.path)
    return entries.count()


def library_documents_restricted() -> QuerySet:
    """Ids of documents that anonymous visitors may not open: files of non-public or
    unpublished library items, and of unpublished archive entries."""
    from django.db.models import Q
    from wagtail.documents import get_document_model

    from .models import CultureMedia

    hidden_items = LibraryItemPage.objects.filter(Q(is_public=False) | Q(live=False))
    return get_document_model().objects.filter(
        Q(pk__in=hidden_items.values("file"))
        | Q(pk__in=CultureMedia.objects.filter(entry__live=False).values("document"))
    )
