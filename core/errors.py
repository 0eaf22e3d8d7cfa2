"""The server-error handler: a database that cannot answer is "unavailable", not a bug.

Django turns any exception a view or middleware raises into `handler500`. When that exception
is the database failing to operate (`OperationalError`: a refused or cut connection, a
restart, a lock or statement timeout; `InterfaceError`: a connection already closed), the
answer is 503 with `Retry-After`, so browsers, offline queues, xAPI players and API clients
try again instead of reporting a defect; JSON for the API and xAPI paths, a static page
otherwise (rendered without the request: the context processors would read the database).
Anything else stays Django's 500. Django logs either with its traceback (`django.request`).

Machinery only: imports nothing of ours.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

RETRY_AFTER_SECONDS = 30
JSON_PATHS = ("/api/", "/xapi/")


def database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def server_error(request, template_name="500.html"):
    # Django calls handler500 inside its `except` block, so sys.exc_info() holds the
    # exception (tests/core/test_errors.py fails if that changes).
    if not database_unavailable(sys.exc_info()[1]):
        return defaults.server_error(request, template_name)
    if request.path.startswith(JSON_PATHS):
        response = JsonResponse(
            {
                "detail": _("The service is briefly unavailable: try again in %(seconds)s seconds.")
                % {"seconds": RETRY_AFTER_SECONDS},
                "code": "unavailable",
            },
            status=503,
        )
    else:
        page = loader.get_template("503.html").render({"seconds": RETRY_AFTER_SECONDS})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
