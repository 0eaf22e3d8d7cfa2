"""Baselines for `make bench`, mounted only when `settings.LMS_BENCH_VIEWS` is on.

`hello` is Django with no database and no template: what the whole-page cache can at best
approach. `bare` is one primary-key SELECT and a small template: the floor under any page
that reads the database.
"""

from pathlib import Path

from django.db import connection
from django.http import Http404, HttpResponse
from django.template import engines
from django.views.decorators.csrf import csrf_exempt

from people.models import OrgUnit

# Compiled once from the file, so "bench" needs no INSTALLED_APPS or DIRS entry.
BARE_TEMPLATE = engines["django"].from_string(
    (Path(__file__).parent / "templates" / "bench" / "bare.html").read_text(encoding="utf-8")
)


def hello(request):
    return HttpResponse("hello", content_type="text/plain; charset=utf-8")


def bare(request):
    try:
        unit = OrgUnit.objects.get(pk=int(request.GET.get("pk", "1")))
    except (ValueError, OrgUnit.DoesNotExist) as error:
        raise Http404("No such unit") from error
    return HttpResponse(BARE_TEMPLATE.render({"unit": unit}, request))


@csrf_exempt
def bare_insert(request):
    """One PostgreSQL INSERT of the request body: the floor under the xAPI endpoint (bench/h5p.py
    creates the table)."""
    if request.method != "POST":
        return HttpResponse(status=405)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_bare_insert (body) VALUES (%s)", [request.body.decode()])
    return HttpResponse(status=201)
