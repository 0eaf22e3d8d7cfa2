from django.urls import path

from courses.urls import IdConverter  # noqa: F401  (registers the "id" converter)

from .views import audit, dashboard, population, reports, submissions

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
    path("reports/", submissions.submission_index, name="submissions"),
    path("reports/submit/", submissions.submission_submit, name="submission_submit"),
    path("reports/<id:submission_id>/", submissions.submission_detail, name="submission"),
    path(
        "reports/<id:submission_id>/return/",
        submissions.submission_return,
        name="submission_return",
    ),
    path(
        "reports/<id:submission_id>/accept/",
        submissions.submission_accept,
        name="submission_accept",
    ),
    path(
        "reports/consolidated/<id:unit_id>/",
        submissions.submission_consolidated,
        name="submission_consolidated",
    ),
    path("learners/<id:learner_id>/", audit.learner_detail, name="learner"),
    path("population/import/", population.population_upload, name="population_upload"),
]
