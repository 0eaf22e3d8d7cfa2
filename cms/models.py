"""The public site around the courses: home page, standard pages, news, site settings."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from core.pages import AsciiSlugMixin, AsciiSlugPageForm
from courses.models import AnonymousCacheMixin, LeanPageMixin

RICH = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "image", "hr", "blockquote"]


class HomePage(AsciiSlugMixin, LeanPageMixin, AnonymousCacheMixin, Page):
    """The front page: a welcome, featured courses and the latest news."""

    hero_title = models.CharField(_("headline"), max_length=160)
    hero_text = models.TextField(_("introduction"), blank=True)
    body = RichTextField(_("body"), blank=True, features=RICH)

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("body"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    base_form_class = AsciiSlugPageForm
    subpage_types = [
        "courses.CourseIndexPage",
        "cms.StandardPage",
        "cms.NewsIndexPage",
        "library.LibraryIndexPage",
        "library.CultureArchiveIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    @property
    def localized(self):
        """Always this page: Wagtail routes every request through `site.root_page.localized`,
        which would send a learner reading Jrai into the Jrai tree, where an untranslated
        lesson has no page. Learners use the Vietnamese addresses; the content they see is
        chosen when a page is served (courses.translation)."""
        return self

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import featured_courses

        context = super().get_context(request, *args, **kwargs)
        context["featured_courses"] = featured_courses(limit=4)
        context["news"] = NewsPage.objects.live().order_by("-date", "-pk")[:3]
        return context


class StandardPage(AsciiSlugMixin, Page):
    """About, contact, policy pages."""

    intro = models.TextField(_("introduction"), blank=True)
    body = RichTextField(_("body"), features=RICH)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    base_form_class = AsciiSlugPageForm
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


class NewsIndexPage(AsciiSlugMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsPage"]
    base_form_class = AsciiSlugPageForm
    max_count = 1

    class Meta:
        verbose_name = _("news index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["items"] = NewsPage.objects.live().child_of(self).order_by("-date", "-pk")[:30]
        return context


class NewsPage(AsciiSlugMixin, Page):
    # Today unless the editor says otherwise (which also lets a new item be previewed before
    # its date is filled in).
    date = models.DateField(_("date"), default=datetime.date.today)
    summary = models.TextField(_("summary"), max_length=400)
    body = RichTextField(_("body"), features=RICH)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["cms.NewsIndexPage"]
    base_form_class = AsciiSlugPageForm
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Who runs this site: printed in the footer and, later, on certificates."""

    issuer_name = models.CharField(_("issuing organisation"), max_length=200, default="Học Số")
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)

    panels = [
        FieldPanel("issuer_name"),
        FieldPanel("contact_email"),
        FieldPanel("contact_phone"),
        FieldPanel("address"),
    ]

    class Meta:
        verbose_name = _("site settings")
