"""Public knowledge: the e-library and the culture archive, as Wagtail pages.

E-library: `LibraryIndexPage` (/thu-vien/) lists `LibraryItemPage`s — a document, audio, video
or article on policy, digital skills, agriculture, health or law, tagged with ethnic groups and
a language. Items are public unless `is_public` is off: then only signed-in users see the item
and its file (`library.wagtail_hooks` guards Wagtail's /documents/ URLs too). Search is
accent-insensitive: every item indexes `search_folded`, its text folded by
`core.text.search_key`, and queries are folded the same way (`library.selectors`).

Culture archive: `CultureArchiveIndexPage` (/van-hoa/) holds `CultureEntryPage`s — a festival,
custom, craft, song, costume or place of one ethnic group in a province (and commune), with a
media gallery, the community's consent and the contributor. Contributions go through Wagtail's
moderation workflow (`library.services.culture_moderation_setup`); an entry cannot be submitted
or published without recorded consent.
"""

import mimetypes

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import AbstractGroupApprovalTask, Orderable, Page
from wagtail.search import index

from core.text import search_key
from people.languages import ContentLanguage

RICH = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "hr", "blockquote"]
# Files a phone can show in the browser without downloading them first. Everything else is
# sent as an attachment.
INLINE_TYPES = {
    "application/pdf",
    "audio/mpeg",
    "audio/ogg",
    "audio/mp4",
    "video/mp4",
    "video/webm",
    "text/vtt",
}


class LibraryTopic(models.TextChoices):
    POLICY = "policy", _("Ethnic affairs and policy")
    DIGITAL_SKILLS = "digital-skills", _("Digital skills")
    AGRICULTURE = "agriculture", _("Agriculture")
    HEALTH = "health", _("Health")
    LAW = "law", _("Law")


class ItemKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")
    ARTICLE = "article", _("Article")


# The language an item is in: the one list of content languages (people.languages).
LibraryLanguage = ContentLanguage


def file_content_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


class LibraryIndexPage(Page):
    """The e-library (/thu-vien/): filters by topic, ethnic group and language, and search."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["library.LibraryItemPage"]
    max_count = 1

    class Meta:
        verbose_name = _("e-library")

    def get_context(self, request, *args, **kwargs):
        from .selectors import library_filters, library_items, library_page_of

        context = super().get_context(request, *args, **kwargs)
        filters = library_filters(request.GET)
        items = library_items(index=self, user=request.user, **filters)
        context.update(library_page_of(items, request.GET.get("page")))
        context["filters"] = filters
        context["topic_choices"] = LibraryTopic.choices
        context["language_choices"] = LibraryLanguage.choices
        from people.models import EthnicGroup

        context["ethnic_groups"] = EthnicGroup.objects.filter(library_items__live=True).distinct()
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # Anonymous visitors all see the same public list: cacheable (core.middleware); search
        # results are not (endless variety, little reuse).
        response.lms_cacheable = not request.user.is_authenticated and not request.GET.get("q")
        return response


class LibraryItemPage(Page):
    """One library item. Its file is served inline by `library.views.library_file` (a PDF
    opens in the phone's viewer); the page embeds a PDF with a download link as a fallback."""

    summary = models.TextField(_("summary"), max_length=600, blank=True)
    body = RichTextField(_("text"), blank=True, features=RICH)
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    topic = models.CharField(_("topic"), max_length=32, choices=LibraryTopic.choices)
    ethnic_groups = ParentalManyToManyField(
        "people.EthnicGroup",
        verbose_name=_("ethnic groups"),
        blank=True,
        related_name="library_items",
    )
    language = models.CharField(
        _("language"), max_length=8, choices=LibraryLanguage.choices, default="vi"
    )
    file = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("file"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A PDF, an audio file (mp3, ogg) or a video (mp4, webm)."),
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Untick to show this item and its file only to signed-in users."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("topic"),
                FieldPanel("language"),
                FieldPanel("ethnic_groups"),
                FieldPanel("is_public"),
            ],
            heading=_("Classification"),
        ),
        FieldPanel("file"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("search_folded"),
        index.FilterField("topic"),
        index.FilterField("language"),
        index.FilterField("is_public"),
        index.FilterField("kind"),
    ]
    parent_page_types = ["library.LibraryIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("library item")
        verbose_name_plural = _("library items")
        indexes = [models.Index(fields=["topic", "language"])]

    def search_folded(self) -> str:
        """The item's words without accents, so "chuyen doi so" finds "chuyển đổi số"."""
        from django.utils.html import strip_tags

        return search_key(f"{self.title} {self.summary} {strip_tags(self.body)}")

    def clean(self):
        super().clean()
        if self.kind != ItemKind.ARTICLE and self.file_id is None:
            raise ValidationError({"file": _("A document, audio or video item needs a file.")})
        if self.file_id is not None:
            expected = {
                ItemKind.DOCUMENT: None,
                ItemKind.AUDIO: "audio/",
                ItemKind.VIDEO: "video/",
            }.get(self.kind)
            if expected and not file_content_type(self.file.file.name).startswith(expected):
                raise ValidationError({"file": _("This file does not match the item's kind.")})

    @property
    def file_type(self) -> str:
        return file_content_type(self.file.file.name) if self.file_id else ""

    @property
    def is_pdf(self) -> bool:
        return self.file_type == "application/pdf"

    def visible_to(self, user) -> bool:
        return self.is_public or user.is_authenticated

    @property
    def file_url(self) -> str:
        from django.urls import reverse

        return reverse("library:file", args=[self.pk]) if self.file_id else ""

    def serve(self, request, *args, **kwargs):
        from django.contrib.auth.views import redirect_to_login

        if not self.visible_to(request.user):
            return redirect_to_login(request.get_full_path())
        response = super().serve(request, *args, **kwargs)
        response.lms_cacheable = self.is_public and not request.user.is_authenticated
        return response


class CultureKind(models.TextChoices):
    FESTIVAL = "festival", _("Festival")
    CUSTOM = "custom", _("Custom")
    CRAFT = "craft", _("Craft")
    SONG = "song", _("Song")
    COSTUME = "costume", _("Costume")
    PLACE = "place", _("Place")


class CultureArchiveIndexPage(Page):
    """The culture archive (/van-hoa/): browse by ethnic group and province."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["library.CultureEntryPage"]
    max_count = 1

    class Meta:
        verbose_name = _("culture archive")

    def get_context(self, request, *args, **kwargs):
        from .selectors import culture_browse, culture_filters, library_page_of

        context = super().get_context(request, *args, **kwargs)
        filters = culture_filters(request.GET)
        context.update(
            library_page_of(culture_browse(index=self, **filters), request.GET.get("page"))
        )
        context["filters"] = filters
        context["kind_choices"] = CultureKind.choices
        from people.models import EthnicGroup, OrgUnit

        live = CultureEntryPage.objects.live().descendant_of(self)
        context["ethnic_groups"] = EthnicGroup.objects.filter(pk__in=live.values("ethnic_group"))
        context["provinces"] = OrgUnit.objects.filter(pk__in=live.values("province"))
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        response.lms_cacheable = not request.user.is_authenticated and not request.GET.get("q")
        return response


class CultureEntryPageForm(WagtailAdminPageForm):
    """Consent is required before an entry leaves its contributor: to submit it for
    moderation or to publish it."""

    def clean(self):
        cleaned = super().clean()
        leaving = any(
            action in self.data
            for action in ("action-publish", "action-submit", "action-workflow-action")
        )
        if leaving:
            if not cleaned.get("consent_given"):
                self.add_error(
                    "consent_given",
                    _("Record the community's consent before submitting or publishing."),
                )
            if not (cleaned.get("consent_by") or "").strip():
                self.add_error("consent_by", _("Say who gave the consent."))
            if not cleaned.get("consent_date"):
                self.add_error("consent_date", _("Give the date of the consent."))
        province, commune = cleaned.get("province"), cleaned.get("commune")
        if province and commune and not commune.path.startswith(province.path):
            self.add_error("commune", _("This commune is not in the chosen province."))
        return cleaned


class CultureEntryPage(Page):
    """One piece of a community's culture, with the consent to publish it."""

    kind = models.CharField(_("kind"), max_length=16, choices=CultureKind.choices)
    ethnic_group = models.ForeignKey(
        "people.EthnicGroup",
        verbose_name=_("ethnic group"),
        on_delete=models.PROTECT,
        related_name="culture_entries",
    )
    province = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "province"},
    )
    commune = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"kind": "commune"},
    )
    season = models.CharField(
        _("season"),
        max_length=128,
        blank=True,
        help_text=_("When it happens, e.g. “after the harvest, lunar month 10–11”."),
    )
    summary = models.TextField(_("summary"), max_length=600, blank=True)
    body = RichTextField(_("description"), blank=True, features=RICH)
    consent_given = models.BooleanField(_("the community consents to publication"), default=False)
    consent_by = models.CharField(
        _("consent given by"),
        max_length=255,
        blank=True,
        help_text=_("E.g. the village elder and the village head of làng Plei Ơi."),
    )
    consent_date = models.DateField(_("consent date"), null=True, blank=True)
    contributor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contributor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("demo content"), default=False)

    base_form_class = CultureEntryPageForm
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("ethnic_group"),
                FieldPanel("province"),
                FieldPanel("commune"),
                FieldPanel("season"),
            ],
            heading=_("What and where"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("media", label=_("Media")),
        MultiFieldPanel(
            [FieldPanel("consent_given"), FieldPanel("consent_by"), FieldPanel("consent_date")],
            heading=_("Community consent"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("search_folded"),
        index.FilterField("kind"),
    ]
    parent_page_types = ["library.CultureArchiveIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("culture entry")
        verbose_name_plural = _("culture entries")
        indexes = [models.Index(fields=["kind", "ethnic_group", "province"])]

    def search_folded(self) -> str:
        from django.utils.html import strip_tags

        return search_key(f"{self.title} {self.summary} {strip_tags(self.body)}")

    def clean(self):
        super().clean()
        # The database's last word: a live entry always carries its consent (a moderator's
        # approval publishes the submitted revision through here).
        if self.live and not (self.consent_given and self.consent_by and self.consent_date):
            raise ValidationError(
                _("An entry is published only with the community's recorded consent.")
            )

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        response.lms_cacheable = not request.user.is_authenticated
        return response


class CultureMedia(Orderable):
    """One item of an entry's gallery: a photo, or a document (audio, video, PDF)."""

    entry = ParentalKey(CultureEntryPage, on_delete=models.CASCADE, related_name="media")
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("audio, video or document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    caption = models.CharField(_("caption"), max_length=255, blank=True)

    panels = [FieldPanel("image"), FieldPanel("document"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("media")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(image__isnull=False) | models.Q(document__isnull=False),
                name="library_culturemedia_has_file",
            )
        ]

    def clean(self):
        if self.image_id is None and self.document_id is None:
            raise ValidationError(_("Choose a photo or a file."))

    @property
    def document_type(self) -> str:
        return file_content_type(self.document.file.name) if self.document_id else ""


def entry_unit(entry):
    """The unit an entry belongs to for moderation: its commune, else its province."""
    return entry.commune if entry.commune_id else entry.province


class ScopedApprovalTask(AbstractGroupApprovalTask):
    """A group approval in which a moderator acts only on entries inside their manager scope
    (a commune manager moderates their commune's contributions; administrators all)."""

    def _in_scope(self, obj, user) -> bool:
        from people.models import Scope
        from people.selectors import unit_in_scope

        if user.is_superuser:
            return True
        obj = getattr(obj, "specific", obj)
        unit = entry_unit(obj) if isinstance(obj, CultureEntryPage) else None
        return unit is not None and unit_in_scope(user, unit, role=Scope.Role.MANAGER)

    def user_can_access_editor(self, obj, user):
        return super().user_can_access_editor(obj, user) and self._in_scope(obj, user)

    def locked_for_user(self, obj, user):
        return super().locked_for_user(obj, user) or not self._in_scope(obj, user)

    def get_actions(self, obj, user):
        return super().get_actions(obj, user) if self._in_scope(obj, user) else []

    @classmethod
    def get_description(cls):
        return _("Members of the chosen groups approve entries inside their manager scope")

    class Meta:
        verbose_name = _("scoped approval task")
        verbose_name_plural = _("scoped approval tasks")
