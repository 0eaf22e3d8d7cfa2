"""The content version, the objects cached under it, and two middlewares that read them.

- `content_version()` / `content_version_bump()`: one `core.cache.Version` that publishing,
  unpublishing, moving or deleting any page bumps (the rooms that own pages call the bump), and
  `versioned_get_or_set`, the objects derived from published content cached under it.
- `AnonymousPageCacheMiddleware`: whole pages for anonymous visitors. Pages opt in by setting
  `response.lms_cacheable = True`; entries are keyed by the content version, the language and
  the URL, so a new revision is served at once. Responses that set cookies or carry flash
  messages are never cached; paths under `settings.LMS_PAGE_CACHE_SKIP_PREFIXES` never are.
- `CachedSiteMiddleware`: Wagtail's Site for the request, from the cache.
"""

import pickle
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache
from django.db import transaction
from django.http import HttpResponse

from .cache import UNKNOWN_VERSION, Version

CONTENT = Version("lms:content-version")
CONTENT_VERSION_KEY = CONTENT.key

# The content version read once at the start of a request (by CachedSiteMiddleware), so the
# site, route and settings lookups of one request share one cache round trip and one version.
_request_version: ContextVar[int | None] = ContextVar("lms_content_version", default=None)


def _read_content_version(session=None) -> int:
    """The shared content version; UNKNOWN_VERSION when the cache cannot be read.

    A `session` of core.sessions that has not been read yet is fetched in the same round trip
    (a signed-in request needs both).
    """
    session_key = None
    if session is not None and settings.SESSION_CACHE_ALIAS == DEFAULT_CACHE_ALIAS:
        prefetch_key = getattr(session, "prefetch_key", None)
        session_key = prefetch_key() if prefetch_key is not None else None
    if session_key is None:
        return CONTENT.current()
    found = cache.get_many([CONTENT.key, session_key])
    session.prefetch(found.get(session_key))
    version = found.get(CONTENT.key)
    return version if version is not None else CONTENT.start()


def content_version() -> int:
    version = _request_version.get()
    return version if version is not None else _read_content_version()


def _bump() -> None:
    version = CONTENT.bump()
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
        if request.method not in ("GET", "HEAD") or request.path.startswith(
            settings.LMS_PAGE_CACHE_SKIP_PREFIXES
        ):
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
