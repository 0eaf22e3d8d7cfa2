"""Population upload with a preview: check the whole file, show it, then import on confirm.

The checked rows travel from the preview to the confirmation signed (django.core.signing), so
the confirmation imports exactly what was shown, and is checked again in the transaction.
"""

from django.contrib import messages
from django.core import signing
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..forms import PopulationUploadForm
from ..services import PopulationImportError, population_file_rows, population_import
from ..services.population import population_validate
from .access import manager_required

SALT = "targets.population-import"


@manager_required
@require_http_methods(["GET", "POST"])
def population_upload(request):
    context = {"form": PopulationUploadForm()}
    if request.method == "POST" and "confirm" in request.POST:
        try:
            rows = signing.loads(request.POST["confirm"], salt=SALT, max_age=3600)
            if rows.get("user") != request.user.pk:
                raise signing.BadSignature
            result = population_import(rows=rows["rows"], user=request.user)
        except signing.BadSignature:
            messages.error(request, _("This preview has expired. Upload the file again."))
        except PopulationImportError as error:
            context["errors"] = error.errors
        else:
            messages.success(
                request,
                _("Imported %(rows)s figures: %(created)s new, %(updated)s changed.") % result,
            )
            return HttpResponseRedirect(reverse("targets:population_upload"))
    elif request.method == "POST":
        form = PopulationUploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                rows = population_file_rows(name=upload.name, content=upload.read())
                preview = population_validate(rows=rows, user=request.user)
            except PopulationImportError as error:
                context["errors"] = error.errors
            else:
                context["preview"] = preview
                context["confirm"] = signing.dumps(
                    {"user": request.user.pk, "rows": rows}, salt=SALT, compress=True
                )
    return render(request, "targets/population_upload.html", context)
