"""A course saved on the phone: every URL it needs offline, and how many bytes that is.

The list is made from what the learner would get online: each lesson page (rendered for this
learner), the offline quiz form of each quiz lesson, and every file those pages refer to, found
generically in the rendered HTML (the `src` of img, audio, video, source and track, video
posters, links marked `download`, Wagtail document links, and the scripts and stylesheets), so
a new kind of block is picked up without changing this module. Images are the renditions the
lesson shows (the image block's `width-800`: a phone screen at twice its pixel density). Only
this site's URLs are listed: the phone cannot keep another site's files (they are counted in
`skipped`). The sizes come from storage, without reading the files.
"""

import hashlib
import os
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.urls import reverse

from core.http import request_for_rendering

from ..models import CoursePage, Enrolment
from ..selectors import course_outline

CACHE_PREFIX = "hocso-course-"

_SRC_TAGS = {"img", "audio", "video", "source", "track", "script", "iframe", "embed"}


class _Refs(HTMLParser):
    """Collects the URLs a page makes the browser load or offers for download."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in _SRC_TAGS and attrs.get("src"):
            if tag == "iframe":
                return  # an embedded player (H5P) is a page of its own: it needs the network
            self.urls.append(attrs["src"])
        if tag == "video" and attrs.get("poster"):
            self.urls.append(attrs["poster"])
        if tag == "a" and attrs.get("href"):
            href = attrs["href"]
            if "download" in attrs or href.startswith("/documents/"):
                self.urls.append(href)
        if tag == "link" and attrs.get("href") and "stylesheet" in (attrs.get("rel") or ""):
            self.urls.append(attrs["href"])


def page_references(html: str, base_url: str) -> list[str]:
    parser = _Refs()
    parser.feed(html)
    return [urljoin(base_url, url) for url in parser.urls]


@dataclass
class OfflineManifest:
    course: CoursePage
    entries: list[dict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def total_bytes(self) -> int:
        return sum(entry["bytes"] for entry in self.entries)

    def as_json(self) -> dict:
        version = hashlib.sha256(
            "|".join(f"{e['url']}:{e['bytes']}" for e in self.entries).encode("utf-8")
        ).hexdigest()[:16]
        return {
            "course": self.course.pk,
            "title": self.course.title,
            "url": self.course.url,
            "cache": f"{CACHE_PREFIX}{self.course.pk}",
            "version": version,
            "total_bytes": self.total_bytes,
            "entries": self.entries,
            "skipped": self.skipped,
        }


def _stored_size(storage, name: str) -> int | None:
    """The size of `name` on `storage`, or None when it is not there (or the storage cannot
    tell sizes: then the manifest lists the file without one)."""
    try:
        return storage.size(name)
    except (OSError, NotImplementedError, ValueError):
        return None


def _file_bytes(path: str) -> int | None:
    """The size of a static, media or document file at URL path `path` (None: not a file)."""
    if path.startswith(settings.STATIC_URL):
        name = unquote(path[len(settings.STATIC_URL) :])
        found = finders.find(name)
        if found:
            return os.path.getsize(found)
        return _stored_size(staticfiles_storage, name)
    if path.startswith(settings.MEDIA_URL):
        return _stored_size(default_storage, unquote(path[len(settings.MEDIA_URL) :]))
    private = reverse("courses:private_image", args=["x"]).removesuffix("x")
    if path.startswith(private) and "/" not in path[len(private) :]:
        # A private image's rendition (courses.images): the learner may see it, as the lesson
        # using it is theirs.
        from wagtail.images.models import get_rendition_storage

        return _stored_size(get_rendition_storage(), f"images/{unquote(path[len(private) :])}")
    parts = path.split("/")
    if path.startswith("/documents/") and len(parts) > 3 and parts[2].isdigit():
        from wagtail.documents import get_document_model

        document = get_document_model().objects.filter(pk=int(parts[2])).first()
        if document is None:
            return None
        try:
            return document.file_size or document.file.size
        except (OSError, ValueError):
            return None
    return None


def _rendered(response) -> bytes:
    if hasattr(response, "render"):
        response.render()
    return response.content


def course_offline_manifest(
    *, request, course: CoursePage, enrolment: Enrolment
) -> OfflineManifest:
    """What saving `course` for offline stores (see the module). `request` is the learner's:
    pages are rendered as they would see them, and lessons whose view restrictions refuse the
    request are left out."""
    from ..views import lesson_serve

    # Rendering here must not use up the learner's pending messages.
    quiet = request_for_rendering(request)
    host = request.get_host()
    origin = f"{request.scheme}://{host}"
    manifest = OfflineManifest(course=course)
    seen: set[str] = set()

    def add(url: str, size: int, kind: str):
        if url not in seen:
            seen.add(url)
            manifest.entries.append({"url": url, "bytes": size, "kind": kind})

    def add_refs(html: bytes, page_url: str):
        for absolute in page_references(html.decode("utf-8", "replace"), origin + page_url):
            parts = urlsplit(absolute)
            if parts.netloc != host or parts.scheme not in ("http", "https"):
                if absolute not in manifest.skipped:
                    manifest.skipped.append(absolute)
                continue
            url = parts.path + (f"?{parts.query}" if parts.query else "")
            if url in seen:
                continue
            size = _file_bytes(parts.path)
            if size is not None:
                add(url, size, "file")

    pages: list[tuple[str, bytes]] = [(course.url, _rendered(course.serve(quiet)))]
    for item in course_outline(course=course, enrolment=enrolment):
        lesson = item.lesson.specific
        if any(not r.accept_request(request) for r in lesson.get_view_restrictions()):
            continue
        url = lesson.url
        pages.append((url, _rendered(lesson_serve(quiet, lesson))))
        if lesson.has_quiz:
            from .views import quiz_offline

            quiz_url = reverse("courses:quiz_offline", args=[lesson.pk])
            pages.append((quiz_url, _rendered(quiz_offline(quiet, lesson.pk))))
    for url, html in pages:
        add(url, len(html), "page")
    for url, html in pages:
        add_refs(html, url)
    return manifest
