"""`INTERFACE_LANG`: the language the interface's own strings are shown in.

A learner may choose a language we have no interface catalogue for (Jrai and the other minority
languages: course content can be translated into them, see courses.translation); Django then
shows our strings in Vietnamese, the LANGUAGE_CODE catalogue. `<html lang>` must name the
language really shown, so it is the active language only when it has a catalogue; content
containers carry their own `lang` (the content's language)."""

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import translation


@lru_cache(maxsize=1)
def _catalogued() -> frozenset[str]:
    found = {settings.LANGUAGE_CODE}
    for code, _name in settings.LANGUAGES:
        for base in settings.LOCALE_PATHS:
            messages = Path(base) / translation.to_locale(code) / "LC_MESSAGES"
            if (messages / "django.mo").exists() or (messages / "django.po").exists():
                found.add(code)
    return frozenset(found)


def interface_language() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language if language in _catalogued() else settings.LANGUAGE_CODE


def interface_lang(request):
    return {"INTERFACE_LANG": interface_language()}
