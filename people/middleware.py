"""Vietnamese first: the interface language is the learner's choice, else Vietnamese.

Django's LocaleMiddleware would follow the browser's Accept-Language, so a village head
with an English-configured phone would get English. Here the language comes from the
language cookie (set by the language switch, or from the profile at login) and defaults to
Vietnamese.
"""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
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


# Backends that signed sessions in before people.auth (its cached-user subclasses): a session
# naming one is moved to its successor, once, instead of being signed out. Can go once every
# such session has expired (SESSION_COOKIE_AGE after the upgrade).
BACKEND_SUCCESSORS = {
    "django.contrib.auth.backends.ModelBackend": "people.auth.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": "people.auth.AuthenticationBackend",
}


class SessionBackendUpgradeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.session_key is not None:
            backend = session.get(BACKEND_SESSION_KEY)
            if backend in BACKEND_SUCCESSORS:
                session[BACKEND_SESSION_KEY] = BACKEND_SUCCESSORS[backend]
        return self.get_response(request)
