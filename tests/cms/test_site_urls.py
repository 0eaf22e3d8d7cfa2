"""`{% site_url %}`: the chrome's addresses reversed once per process, equal to `{% url %}`."""

import re
from pathlib import Path

from django.conf import settings
from django.template import engines
from django.urls import get_script_prefix, reverse, set_script_prefix

from cms.templatetags.site_urls import site_url

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def names_in_templates() -> set[str]:
    names = set()
    for path in TEMPLATES.rglob("*.html"):
        names |= set(re.findall(r"\{% site_url '([^']+)' %\}", path.read_text(encoding="utf-8")))
    return names


def test_every_name_used_gives_what_url_gives():
    names = names_in_templates()
    assert {"courses:my_learning", "account_logout", "web_manifest"} <= names
    engine = engines["django"]
    for name in sorted(names):
        ours = engine.from_string("{% load site_urls %}{% site_url '" + name + "' %}").render({})
        theirs = engine.from_string("{% url '" + name + "' %}").render({})
        assert ours == theirs == reverse(name), name
        assert site_url(name) == reverse(name)  # the second time: from the process's copy


def test_the_script_prefix_is_part_of_the_key():
    """A site mounted under a path gets addresses under it, and the root's stay the root's."""
    before = get_script_prefix()
    try:
        set_script_prefix("/")
        at_root = site_url("notify:list")
        set_script_prefix("/hocso/")
        mounted = site_url("notify:list")
        assert mounted == reverse("notify:list") == "/hocso" + at_root
        set_script_prefix("/")
        assert site_url("notify:list") == at_root
    finally:
        set_script_prefix(before)


def test_a_signed_in_header_links_where_url_would(client, django_user_model):
    """The header of a signed-in staff member (the most links) renders the reversed
    addresses."""
    user = django_user_model.objects.create_user("chrome-staff", password="x", is_staff=True)
    client.force_login(user)
    html = client.get(reverse("notify:list")).content.decode()
    for name in (
        "courses:my_learning",
        "certificates:mine",
        "notify:list",
        "people:roles",
        "classes:list",
        "account_logout",
        "people:language_set",
    ):
        assert f'"{reverse(name)}"' in html, name
