"""Role matrix for every URL and export of the targets room.

Roles as in tests/test_role_matrix.py: anonymous, learner, trainer and manager in and out of
the target's province (Tỉnh Mới vs Tỉnh Khác), administrator. Manager pages are for managers
and administrators (403 for other signed-in users); a manager of another province gets 404 for
this province's targets, learners, exports and report snapshots.
"""

import pytest
from django.urls import reverse

from targets.models import Population, ReportSubmission
from targets.services import report_snapshot_create
from targets.services.submissions import report_submit
from tests.factories import make_manager

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "learner", "trainer_in", "trainer_out", "manager_in", "manager_out", "admin"]
LOGIN, ADMIN_LOGIN, DENIED = "login", "admin-login", "denied"
MANAGERS_ONLY = [LOGIN, 403, 403, 403, 200, 200, 200]
IN_SCOPE = [LOGIN, 403, 403, 403, 200, 404, 200]
ADMIN_ANY_MANAGER = [ADMIN_LOGIN, ADMIN_LOGIN, DENIED, DENIED, 200, 200, 200]
ADMIN_IN_SCOPE = [ADMIN_LOGIN, ADMIN_LOGIN, DENIED, DENIED, 200, 404, 200]

MATRIX = {
    "list": MANAGERS_ONLY,
    "overview": MANAGERS_ONLY,
    "not_finished": IN_SCOPE,
    "not_finished_csv": IN_SCOPE,
    "not_finished_xlsx": IN_SCOPE,
    "summary_pdf": IN_SCOPE,
    "list_csv": MANAGERS_ONLY,
    "list_xlsx": MANAGERS_ONLY,
    "detail": IN_SCOPE,
    "detail_drill": IN_SCOPE,
    "detail_csv": IN_SCOPE,
    "detail_xlsx": IN_SCOPE,
    "people": IN_SCOPE,
    "people_csv": IN_SCOPE,
    "people_xlsx": IN_SCOPE,
    "learner_in": IN_SCOPE,
    "learner_out": [LOGIN, 403, 403, 403, 404, 200, 200],
    "report_create": [LOGIN, 403, 403, 403, "report", 404, "report"],
    "report_download": IN_SCOPE,
    "population_upload": MANAGERS_ONLY,
    "admin_targets": ADMIN_ANY_MANAGER,
    "admin_target_add": ADMIN_ANY_MANAGER,
    "admin_target_edit": ADMIN_IN_SCOPE,
    # Wagtail's delete view loads the object before checking permissions: 404 from the scoped
    # queryset (no manager scope, nothing found) comes first for trainers.
    "admin_target_delete": [ADMIN_LOGIN, ADMIN_LOGIN, 404, 404, 200, 404, 200],
    "admin_population": ADMIN_ANY_MANAGER,
    "admin_population_edit": ADMIN_IN_SCOPE,
    # Annual reports sent up the chain: Xã A's report, sent to Tỉnh Mới (manager_in's unit).
    "submissions": MANAGERS_ONLY,
    "submission_detail": IN_SCOPE,
    "submission_consolidated": IN_SCOPE,
    "submission_consolidated_json": IN_SCOPE,
    "submission_accept": [LOGIN, 403, 403, 403, "decided", 404, "decided"],
    # Only a manager at Xã B sends its report (an administrator may send any unit's).
    "submission_submit_other_unit": [LOGIN, 403, 403, 403, "refused", 404, "decided"],
    "admin_report_deadlines": ADMIN_ANY_MANAGER,
}


def outcome(response):
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith(reverse("account_login")):
            return LOGIN
        if location.startswith(reverse("wagtailadmin_login")):
            return ADMIN_LOGIN
        if location == reverse("wagtailadmin_home"):
            return DENIED
        if "/manage/targets/reports/" in location:
            return "report"
        if location.startswith("/manage/reports/?"):
            return "refused"  # back to the list, with a message
        if location.startswith("/manage/reports/"):
            return "decided"
        return f"redirect:{location}"
    return response.status_code


@pytest.fixture
def world(tree):
    p = tree["units"]["P"]
    tree["snapshot"] = report_snapshot_create(year=2026, unit=p, user=tree["users"]["manager_in"])
    tree["population"] = Population.objects.get(org_unit=tree["units"]["A"])
    a = tree["units"]["A"]
    tree["submission"] = report_submit(unit=a, year=2026, user=make_manager(scope=a))
    return tree


def request(client, world, name):
    target = world["target"]
    detail = reverse("targets:detail", args=[target.pk])
    people = reverse("targets:people", args=[target.pk])
    not_finished = reverse("targets:not_finished", args=[target.pk])
    unit_a = world["units"]["A"].pk
    return {
        "list": lambda: client.get(reverse("targets:list")),
        "list_csv": lambda: client.get(reverse("targets:list"), {"format": "csv"}),
        "list_xlsx": lambda: client.get(reverse("targets:list"), {"format": "xlsx"}),
        "detail": lambda: client.get(detail),
        "detail_drill": lambda: client.get(detail, {"unit": unit_a}),
        "detail_csv": lambda: client.get(detail, {"format": "csv"}),
        "detail_xlsx": lambda: client.get(detail, {"format": "xlsx", "unit": unit_a}),
        "people": lambda: client.get(people, {"unit": unit_a}),
        "people_csv": lambda: client.get(people, {"format": "csv"}),
        "people_xlsx": lambda: client.get(people, {"format": "xlsx"}),
        "learner_in": lambda: client.get(
            reverse("targets:learner", args=[world["people"]["L2"].pk])
        ),
        "learner_out": lambda: client.get(
            reverse("targets:learner", args=[world["people"]["L12"].pk])
        ),
        "report_create": lambda: client.post(
            reverse("targets:report_create"), {"year": "2026", "unit": world["units"]["P"].code}
        ),
        "report_download": lambda: client.get(
            reverse("targets:report_download", args=[world["snapshot"].pk])
        ),
        "population_upload": lambda: client.get(reverse("targets:population_upload")),
        "overview": lambda: client.get(reverse("targets:overview")),
        "not_finished": lambda: client.get(not_finished, {"unit": world["units"]["A"].pk}),
        "not_finished_csv": lambda: client.get(
            not_finished, {"unit": world["units"]["A"].pk, "format": "csv"}
        ),
        "not_finished_xlsx": lambda: client.get(
            not_finished, {"unit": world["units"]["A"].pk, "format": "xlsx"}
        ),
        "summary_pdf": lambda: client.get(reverse("targets:summary_pdf", args=[target.pk])),
        "admin_targets": lambda: client.get(reverse("trainingtarget:index")),
        "admin_target_add": lambda: client.get(reverse("trainingtarget:add")),
        "admin_target_edit": lambda: client.get(reverse("trainingtarget:edit", args=[target.pk])),
        "admin_target_delete": lambda: client.get(
            reverse("trainingtarget:delete", args=[target.pk])
        ),
        "admin_population": lambda: client.get(reverse("population:index")),
        "submissions": lambda: client.get(reverse("targets:submissions")),
        "submission_detail": lambda: client.get(
            reverse("targets:submission", args=[world["submission"].pk])
        ),
        "submission_consolidated": lambda: client.get(
            reverse("targets:submission_consolidated", args=[world["units"]["P"].pk])
        ),
        "submission_consolidated_json": lambda: client.get(
            reverse("targets:submission_consolidated", args=[world["units"]["P"].pk]),
            {"year": "2026", "format": "json"},
        ),
        "submission_accept": lambda: client.post(
            reverse("targets:submission_accept", args=[world["submission"].pk]), {"version": 1}
        ),
        # Xã B's report: no manager here manages Xã B itself.
        "submission_submit_other_unit": lambda: client.post(
            reverse("targets:submission_submit"), {"unit": world["units"]["B"].pk, "year": 2026}
        ),
        "admin_report_deadlines": lambda: client.get(reverse("reportdeadline:index")),
        "admin_population_edit": lambda: client.get(
            reverse("population:edit", args=[world["population"].pk])
        ),
    }[name]()


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(client, world, name, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    expected = MATRIX[name][ROLES.index(role)]
    assert outcome(request(client, world, name)) == expected
    if name == "submission_accept":
        decided = ReportSubmission.objects.get(pk=world["submission"].pk).status == "accepted"
        assert decided == (expected == "decided")
    if name == "submission_submit_other_unit":
        sent = ReportSubmission.objects.filter(unit=world["units"]["B"]).exists()
        assert sent == (role == "admin")


def test_other_province_manager_sees_no_target(client, world):
    client.force_login(world["users"]["manager_out"])
    response = client.get(reverse("targets:list"))
    assert world["target"].name not in response.content.decode()
    admin_list = client.get(reverse("trainingtarget:index")).content.decode()
    assert world["target"].name not in admin_list


def test_admin_form_offers_only_units_in_scope(client, world):
    client.force_login(world["users"]["manager_in"])
    response = client.get(reverse("trainingtarget:add"))
    form = response.context["form"]
    codes = set(form.fields["scope_unit"].queryset.values_list("code", flat=True))
    assert world["units"]["P"].code in codes and world["units"]["A"].code in codes
    assert world["units"]["Q"].code not in codes


def test_manager_cannot_move_a_target_out_of_scope(client, world):
    client.force_login(world["users"]["manager_in"])
    target = world["target"]
    response = client.post(
        reverse("trainingtarget:edit", args=[target.pk]),
        {
            "name": target.name,
            "scope_unit": world["units"]["Q"].pk,
            "target_groups": [world["groups"]["vh"].pk],
            "courses": [world["courses"]["c1"].pk],
            "target_percent": "80",
            "deadline": "2026-12-31",
            "reporting_year": "2026",
        },
    )
    assert response.status_code == 200  # the form again, with an error
    assert "scope_unit" in response.context["form"].errors
    target.refresh_from_db()
    assert target.scope_unit == world["units"]["P"]
