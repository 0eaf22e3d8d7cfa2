"""`{% site_url 'name' %}`: `{% url 'name' %}` for the site chrome's links, which take no
arguments, reversed once per process rather than on every page.

The header and footer of every signed-in page reverse about ten such names; at ~30 µs each
that was a tenth of a light page's time in the template engine. An address without arguments
depends only on the URL configuration and the script prefix (the path the site is mounted
under), so both are part of the key. Escaped like `{% url %}` (a simple tag's output is).
"""

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

_URLS: dict[tuple[str, str, str], str] = {}


@register.simple_tag
def site_url(name: str) -> str:
    key = (name, get_script_prefix(), str(get_urlconf() or settings.ROOT_URLCONF))
    try:
        return _URLS[key]
    except KeyError:
        url = _URLS[key] = reverse(name)
        return url
