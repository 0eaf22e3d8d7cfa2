"""Whole-page cache for anonymous visitors of the catalogue, course and home pages.

Pages opt in by setting `response.lms_cacheable = True` (only for anonymous users). Entries are
keyed by the content version, the language and the URL; publishing, unpublishing, moving or
deleting any page bumps the content version (see `courses.apps`), so a new revision is served
at once. Responses that set cookies or carry flash messages are never cached.
"""

import pickle
import time
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache
from django.db import transaction
from django.http import HttpResponse

CONTENT_VERSION_KEY = "lms:content-version"
SKIPPED_PREFIXES = ("/admin/", "/django-admin/", "/accounts/", "/learn/", "/people/", "/health/")
# Certificates' verification and the API answer with their own cache headers and rate limit.
SKIPPED_PREFIXES += ("/v/", "/api/", "/certificates/", "/.well-known/")

# The content version read once at the start of a request (by CachedSiteMiddleware), so the
# site, route and settings lookups of one request share one cache round trip and one version.
_request_version: ContextVar[int | None] = ContextVar("lms_content_version", default=None)


UNKNOWN_VERSION = 0


def _read_content_version(session=None) -> int:
    """The shared content version; UNKNOWN_VERSION when the cache cannot be read.

    A new version starts at the current time in nanoseconds, not at 1, so that after the
    cache is flushed (Redis restarted) no worker mistakes its memory of an old version for
    the new one. A `session` of lms.sessions that has not been read yet is fetched in the same
    round trip (a signed-in request needs both).
    """
    session_key = None
    if session is not None and settings.SESSION_CACHE_ALIAS == DEFAULT_CACHE_ALIAS:
        prefetch_key = getattr(session, "prefetch_key", None)
        session_key = prefetch_key() if prefetch_key is not None else None
    if session_key is None:
        version = cache.get(CONTENT_VERSION_KEY)
    else:
        found = cache.get_many([CONTENT_VERSION_KEY, session_key])
        session.prefetch(found.get(session_key))
        version = found.get(CONTENT_VERSION_KEY)
    if version is None:
        cache.add(CONTENT_VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(CONTENT_VERSION_KEY)
    return version if version is not None else UNKNOWN_VERSION


def content_version() -> int:
    version = _request_version.get()
    return version if version is not None else _read_content_version()


def _bump() -> None:
    try:
        version = cache.incr(CONTENT_VERSION_KEY)
    except ValueError:  # no version yet, or the cache is down
        version = time.time_ns()
        cache.set(CONTENT_VERSION_KEY, version, timeout=None)
    if _request_version.get() is not None:
        _request_version.set(version)  # the rest of this request sees its own change


def content_version_bump() -> None:
    """A new content version now, and again when the transaction commits.

    The second bump closes the window in which another request could read the old rows
    under the new version and cache them.
    """
    _bump()
    transaction.on_commit(_bump)


# Entries derived from published content, kept pickled in process memory for the current
# content version. Every request reads the version from the shared cache, so a worker never
# serves an entry of a version other than the current one; pickling gives each request its
# own copy of the objects.
_local: dict[str, bytes] = {}
_local_version: list[int | None] = [None]
LOCAL_MAX_ENTRIES = 2048


def versioned_get_or_set(name: str, compute: Callable[[], object], timeout: int = 3600):
    """The value for `name` under the current content version: from process memory, the
    shared cache, or `compute()` (not stored when it returns None)."""
    version = content_version()
    if version == UNKNOWN_VERSION:  # the shared cache is down: nothing can be trusted
        return compute()
    if _local_version[0] != version:
        _local.clear()
        _local_version[0] = version
    key = f"lms:v:{version}:{name}"
    blob = _local.get(key)
    if blob is not None:
        return pickle.loads(blob)
    value = cache.get(key)
    if value is None:
        value = compute()
        if value is None:
            return None
        cache.set(key, value, timeout)
    if len(_local) >= LOCAL_MAX_ENTRIES:
        _local.clear()
    _local[key] = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    return value


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = self._key(request)
        if key is not None:
            hit = cache.get(key)
            if hit is not None:
                content, content_type = hit
                response = HttpResponse(content, content_type=content_type)
                response["X-LMS-Cache"] = "hit"
                return response
        response = self.get_response(request)
        if (
            key is not None
            and getattr(response, "lms_cacheable", False)
            and response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
        ):
            cache.set(
                key, (response.content, response["Content-Type"]), settings.LMS_PAGE_CACHE_SECONDS
            )
            response["X-LMS-Cache"] = "miss"
        return response

    def _key(self, request) -> str | None:
        if request.method not in ("GET", "HEAD") or request.path.startswith(SKIPPED_PREFIXES):
            return None
        if "messages" in request.COOKIES or request.user.is_authenticated:
            return None
        return (
            f"lms:page:{content_version()}:{request.LANGUAGE_CODE}:"
            f"{request.get_host()}:{request.get_full_path()}"
        )


class CachedSiteMiddleware:
    """Resolve the Wagtail Site (with its specific root page) from the cache.

    `Site.find_for_request` keeps its answer on `request._wagtail_site`; filling that attribute
    from the cache saves the site lookup and the root page fetch on every request. The entry
    is keyed by the content version, which publishing and Site changes bump.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from wagtail.models import Site

        def find():
            site = Site.find_for_request(request)
            if site is not None:
                site.root_page = site.root_page.specific
            return site

        token = _request_version.set(_read_content_version(getattr(request, "session", None)))
        try:
            request._wagtail_site = versioned_get_or_set(f"site:{request.get_host()}", find)
            return self.get_response(request)
        finally:
            _request_version.reset(token)
