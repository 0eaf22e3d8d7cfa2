"""`site_settings` in every template, read from the cache (bumped when settings are saved)."""

from django.utils.functional import SimpleLazyObject

from core.middleware import versioned_get_or_set


def _load(request):
    from wagtail.models import Site

    from .models import SiteSettings

    site = Site.find_for_request(request)
    if site is None:
        return None
    return versioned_get_or_set(f"site-settings:{site.pk}", lambda: SiteSettings.for_site(site))


def site_settings(request):
    return {"site_settings": SimpleLazyObject(lambda: _load(request))}
