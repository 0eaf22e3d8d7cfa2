"""`site_settings` in every template, read from the cache (bumped when settings are saved)."""

from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from courses.middleware import content_version


def _load(request):
    from wagtail.models import Site

    from .models import SiteSettings

    site = Site.find_for_request(request)
    if site is None:
        return None
    key = f"lms:site-settings:{content_version()}:{site.pk}"
    found = cache.get(key)
    if found is None:
        found = SiteSettings.for_site(site)
        cache.set(key, found, 3600)
    return found


def site_settings(request):
    return {"site_settings": SimpleLazyObject(lambda: _load(request))}
