"""Vietnamese first: the interface language is the learner's choice, else Vietnamese.

Django's LocaleMiddleware would follow the browser's Accept-Language, so a village head
with an English-configured phone would get English. Here the language comes from the
language cookie (set by the language switch, or from the profile at login) and defaults to
Vietnamese.
"""

from django.conf import settings
from django.utils import translation

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


class PreferredLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in LANGUAGE_CODES:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        chosen = getattr(request, "lms_set_language", None)
        if chosen in LANGUAGE_CODES and chosen != request.COOKIES.get(
            settings.LANGUAGE_COOKIE_NAME
        ):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                chosen,
                max_age=365 * 24 * 3600,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        response.headers.setdefault("Content-Language", language)
        patch_vary = response.get("Vary", "")
        if "Cookie" not in patch_vary:
            response["Vary"] = f"{patch_vary}, Cookie" if patch_vary else "Cookie"
        return response
