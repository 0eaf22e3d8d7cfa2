"""Vietnamese first: the interface language is the learner's choice, else Vietnamese.

Django's LocaleMiddleware would follow the browser's Accept-Language, so a village head
with an English-configured phone would get English. Here the language comes from the
language cookie (set by the language switch, or from the profile at login) and defaults to
Vietnamese.

Also the authentication middleware: Django's, moving sessions of replaced backends over.
"""

from functools import partial

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth import middleware as auth_middleware
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from .auth import BACKEND_SUCCESSORS

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


def _upgrade_backend(session) -> None:
    backend = session.get(BACKEND_SESSION_KEY)
    if backend in BACKEND_SUCCESSORS:
        session[BACKEND_SESSION_KEY] = BACKEND_SUCCESSORS[backend]


async def _aupgrade_backend(session) -> None:
    backend = await session.aget(BACKEND_SESSION_KEY)
    if backend in BACKEND_SUCCESSORS:
        await session.aset(BACKEND_SESSION_KEY, BACKEND_SUCCESSORS[backend])


def _get_user(request):
    if not hasattr(request, "_cached_user"):
        _upgrade_backend(request.session)
    return auth_middleware.get_user(request)


async def _auser(request):
    if not hasattr(request, "_acached_user"):
        await _aupgrade_backend(request.session)
    return await auth_middleware.auser(request)


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, except that a session signed in with a backend people.auth replaced is moved
    to its successor (saved with the response) when its user is first read, instead of being
    signed out. The user is read lazily, as in Django."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _get_user(request))
        request.auser = partial(_auser, request)
