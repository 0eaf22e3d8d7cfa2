from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from certificates import views as certificate_views
from courses.offline import views as offline_views

from .api import api
from .health import health
from .metrics import metrics

# The Django admin is for administrators only. Trainers and managers are staff (for the admin
# link) but work in the Wagtail admin; some third-party Django admin views check nothing
# beyond staff status.
admin.site.has_permission = lambda request: bool(
    request.user.is_active and request.user.is_superuser
)

# A database that cannot answer gives 503 with Retry-After, anything else Django's 500.
handler500 = "core.errors.server_error"

urlpatterns = [
    path("health/", health, name="health"),
    path("metrics", metrics, name="metrics"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("people/", include("people.urls")),
    path("learn/", include("courses.urls")),
    path("certificates/", include("certificates.urls")),
    path("v/<str:token>/", certificate_views.verify_page, name="certificate_verify"),
    path(
        "v/<str:token>/credential.json",
        certificate_views.verify_credential,
        name="certificate_credential",
    ),
    path(
        "issuers/<slug:slug>/did.json",
        certificate_views.issuer_did_document,
        name="certificate_issuer_did",
    ),
    path(".well-known/certificate-keys.json", certificate_views.jwks_view, name="certificate_keys"),
    path("verify/", certificate_views.offline_verifier, name="certificate_offline_verifier"),
    path("verify/sw.js", certificate_views.offline_verifier_worker, name="certificate_verifier_sw"),
    # The installable app (courses/offline/worker.py): the worker's scope is the whole site.
    path("sw.js", offline_views.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline_views.web_manifest, name="web_manifest"),
    path("offline/", offline_views.offline_page, name="offline_page"),
    path("api/v1/", api.urls),
    path("xapi/", include("courses.xapi.urls")),
    path("manage/", include("targets.urls")),
    path("classes/", include("courses.classes.urls")),
    path("library/", include("library.urls")),
    path("thong-bao/", include("notify.urls")),
    path("", include("dialogue.urls")),  # /hoi-dap/ (questions, discussions), /khao-sat/
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

if settings.LMS_BENCH_VIEWS:
    urlpatterns += [path("bench/", include("bench.urls"))]

urlpatterns += [path("", include(wagtail_urls))]
