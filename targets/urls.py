from django.urls import path

from courses.urls import IdConverter  # noqa: F401  (registers the "id" converter)

from .views import audit, dashboard, population, reports

app_name = "targets"

urlpatterns = [
    path("", dashboard.overview, name="overview"),
    path("targets/", dashboard.target_list, name="list"),
    path("targets/<id:target_id>/", dashboard.target_detail, name="detail"),
    path("targets/<id:target_id>/people/", dashboard.target_people, name="people"),
    path(
        "targets/<id:target_id>/not-finished/",
        dashboard.target_not_finished,
        name="not_finished",
    ),
    path("targets/<id:target_id>/summary.pdf", dashboard.target_summary_pdf, name="summary_pdf"),
    path("targets/reports/", reports.report_create, name="report_create"),
    path("targets/reports/<id:snapshot_id>/", reports.report_download, name="report_download"),
    path("learners/<id:learner_id>/", audit.learner_detail, name="learner"),
    path("population/import/", population.population_upload, name="population_upload"),
]
