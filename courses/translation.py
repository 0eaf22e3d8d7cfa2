"""Course content in the learner's language, with Vietnamese as the fallback.

Courses and lessons are written in Vietnamese: the pages in the default locale are the
*source*. A translation is a page of the same type in another locale's tree (Wagtail's i18n)
with the source's `translation_key`; translators make and edit it with wagtail-localize, which
shows the Vietnamese of each segment beside the box they type in, and a segment left
untranslated is published in Vietnamese (per-block fallback).

Learners only ever use the source's address. When a course or lesson is served, the page
*shown* is its live translation in the learner's language if there is one, else the source
(per-page fallback); the interface strings fall back the same way (a language without a
catalogue uses the Vietnamese one, see LANGUAGES in settings). Everything about learning —
enrolment, progress, quiz attempts, completion, certificates — stays keyed to the source
pages, so a translation is the same lesson: an action sent with a translation's id acts on its
source (`source_of`), and enrolments only ever point at source courses.
"""

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import translation
from wagtail.models import Locale, Page

DEFAULT_LANGUAGE = settings.LANGUAGE_CODE


def content_language() -> str:
    """The language the learner reads content in: the interface language, when content can be
    written in it, else Vietnamese."""
    language = translation.get_language() or DEFAULT_LANGUAGE
    return language if language in dict(settings.WAGTAIL_CONTENT_LANGUAGES) else DEFAULT_LANGUAGE


def content_locales_ensure() -> int:
    """A Wagtail locale for every content language (idempotent); returns how many were made."""
    made = 0
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        made += Locale.objects.get_or_create(language_code=code)[1]
    return made


def _translations(model, language: str):
    """Live, real (not alias) translations in `language`."""
    return model.objects.live().filter(locale__language_code=language, alias_of__isnull=True)


def shown_page(page, language: str | None = None):
    """What a learner reading `language` (default: the active one) sees of the source `page`:
    its live translation, or the page itself. No query for Vietnamese; otherwise one, cached
    per content version (publishing a translation bumps it)."""
    from core.middleware import versioned_get_or_set

    language = language or content_language()
    if language == DEFAULT_LANGUAGE or page.pk is None:
        return page

    def find():
        found = _translations(type(page), language).filter(translation_key=page.translation_key)
        return found.first() or False  # False: cached "no translation"

    return versioned_get_or_set(f"shown:{language}:{page.translation_key}", find) or page


def shown_context(page, language: str | None = None) -> dict:
    """Template context for serving the source `page` to a learner reading `language`:
    `shown` (the page whose content is displayed), `content_lang` (its language, for the
    `lang` attribute) and `untranslated` (the language's name when the learner asked for a
    language this page has no translation in, so the page says it falls back)."""
    language = language or content_language()
    shown = shown_page(page, language)
    missing = shown is page and language != DEFAULT_LANGUAGE
    return {
        "shown": shown,
        "content_lang": language if shown is not page else DEFAULT_LANGUAGE,
        "untranslated": dict(settings.WAGTAIL_CONTENT_LANGUAGES)[language] if missing else "",
    }


def translated_titles(pages, language: str | None = None) -> dict:
    """{source page id: title in `language`} for those of `pages` that have a live translation
    (one query; none for Vietnamese or no pages)."""
    language = language or content_language()
    pages = [page for page in pages if page is not None]
    if language == DEFAULT_LANGUAGE or not pages:
        return {}
    by_key = {page.translation_key: page.pk for page in pages}
    rows = (
        _translations(Page, language)
        .filter(translation_key__in=by_key)
        .values_list("translation_key", "title")
    )
    return {by_key[key]: title for key, title in rows}


def retitle(pages, language: str | None = None) -> None:
    """Show `pages` (display copies: never saved) under their titles in `language`; each
    retitled page says so in `title_lang` (for the `lang` attribute around its title)."""
    language = language or content_language()
    titles = translated_titles(pages, language)
    for page in pages:
        if page is not None and page.pk in titles:
            page.title = titles[page.pk]
            page.title_lang = language


def source_of(queryset, pk: int):
    """The source page for `pk` in `queryset`: the page itself when it is a source, its source
    when `pk` is a translation's id, else None. One query for a source's id."""
    sources = queryset.filter(locale__language_code=DEFAULT_LANGUAGE)
    page = sources.filter(pk=pk).first()
    if page is None:
        keys = Page.objects.filter(pk=pk).values("translation_key")
        page = sources.filter(translation_key__in=keys).first()
    return page


def sources(queryset):
    """Only the source (Vietnamese-locale) pages of a page queryset."""
    return queryset.filter(locale__language_code=DEFAULT_LANGUAGE)


def course_has_language(language: str) -> Q:
    """Courses with content in `language`: taught in it, or with a live translation of the
    course page or of one of its lessons in it (a condition on a CoursePage queryset)."""
    from .models import LessonPage

    translated = (
        _translations(Page, language)
        .filter(translation_key=OuterRef("translation_key"))
        .exclude(pk=OuterRef("pk"))  # the source itself is no translation
    )
    lessons = LessonPage.objects.live().filter(
        path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1
    )
    lessons = lessons.filter(Exists(translated))
    return Q(language=language) | Q(Exists(translated)) | Q(Exists(lessons))


def catalogue_language_counts(courses, *, cache_name: str) -> list[tuple[str, str, int]]:
    """(code, name, number of courses) for each content language in which some of `courses`
    (a queryset of source courses) has content, in settings order. One query, cached per
    content version under `cache_name` (publishing anything bumps it)."""
    from core.middleware import versioned_get_or_set

    from .models import CourseLanguage

    codes = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]

    def count():
        counts = courses.order_by().aggregate(
            **{code: Count("pk", filter=course_has_language(code)) for code in codes}
        )
        return [(code, counts[code]) for code in codes if counts[code]]

    names = dict(CourseLanguage.choices)
    found = versioned_get_or_set(f"catalogue-languages:{cache_name}", count)
    return [(code, names.get(code, code), n) for code, n in found]
