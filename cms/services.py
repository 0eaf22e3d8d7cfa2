"""Writes of the cms room: the site and its page tree (home page, course catalogue).

Used by `manage.py bootstrap` (an empty production database) and `seed_demo` (the demo),
both safe to run again: what exists is kept as it is.
"""

from django.db import transaction
from wagtail.models import Page, Site

from courses.models import CourseIndexPage

from .models import HomePage, SiteSettings


def _child(parent: Page, model, slug: str, **fields) -> Page:
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
    return page


@transaction.atomic
def site_tree_ensure(
    *,
    home: dict,
    hostname: str = "localhost",
    port: int = 80,
    site_name: str = "Học Số",
    catalogue: dict | None = None,
) -> HomePage:
    """The home page (created from `home`'s fields when there is none, replacing Wagtail's
    installation page), the default `Site` pointing at it (created with `hostname` and `port`
    when there is none), its settings row and, when `catalogue` is given, the course catalogue
    under the home page (slug "courses"). Existing pages and sites are left as they are."""
    root = Page.get_first_root_node()
    page = HomePage.objects.first()
    if page is None:
        Page.objects.filter(depth=2, content_type__model="page").delete()
        page = HomePage(slug="home", **home)
        root.add_child(instance=page)
        page.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=page,
            is_default_site=True,
            site_name=site_name,
        )
    elif site.root_page_id != page.pk:
        site.root_page = page
        site.site_name = site_name
        site.save()
    SiteSettings.objects.get_or_create(site=site)
    if catalogue is not None:
        _child(page, CourseIndexPage, "courses", **catalogue)
    return page
