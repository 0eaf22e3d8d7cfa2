"""Whole-page cache for anonymous visitors of the catalogue, course and home pages.

Pages opt in by setting `response.lms_cacheable = True` (only for anonymous users). Entries are
keyed by the content version, the language and the URL; publishing, unpublishing, moving or
deleting any page bumps the content version (see `courses.apps`), so a new revision is served
at once. Responses that set cookies or carry flash messages are never cached.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

CONTENT_VERSION_KEY = "lms:content-version"
SKIPPED_PREFIXES = ("/admin/", "/django-admin/", "/accounts/", "/learn/", "/people/", "/health/")


def content_version() -> int:
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        version = 1
        cache.add(CONTENT_VERSION_KEY, version, timeout=None)
    return version


def content_version_bump() -> None:
    try:
        cache.incr(CONTENT_VERSION_KEY)
    except ValueError:
        cache.set(CONTENT_VERSION_KEY, 2, timeout=None)


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

        key = f"lms:site:{content_version()}:{request.get_host()}"
        site = cache.get(key)
        if site is None:
            site = Site.find_for_request(request)
            if site is not None:
                site.root_page = site.root_page.specific
                cache.set(key, site, 3600)
        request._wagtail_site = site
        return self.get_response(request)
