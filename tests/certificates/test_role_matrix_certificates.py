"""Role matrix for every certificates URL: anonymous, learner (the holder), trainers and
managers in and out of the holder's province, and an administrator."""

import pytest
from django.urls import reverse

from certificates.models import Certificate
from courses.services import authoring_roles_setup
from tests.factories import (
    complete_now,
    fresh,
    make_admin,
    make_course,
    make_learner,
    make_manager,
    make_trainer,
    make_unit,
    site_home,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "learner", "trainer_in", "trainer_out", "manager_in", "manager_out", "admin"]
LOGIN, ADMIN_LOGIN, DENIED = "login", "admin-login", "denied"


@pytest.fixture(scope="module")
def shared_world(module_db):
    """Built once per module (tests.conftest.module_db); each test gets fresh copies."""
    with module_db():
        site_home()
        authoring_roles_setup()
        gia_lai, dak_lak = make_unit("Gia Lai"), make_unit("Đắk Lắk")
        commune = make_unit("Xã Ia Grai", parent=gia_lai)
        users = {
            "anonymous": None,
            "learner": make_learner(unit=commune, full_name="Ksor H'Blin"),
            "trainer_in": make_trainer(scope=gia_lai),
            "trainer_out": make_trainer(scope=dak_lak),
            "manager_in": make_manager(scope=gia_lai),
            "manager_out": make_manager(scope=dak_lak),
            "admin": make_admin(),
        }
        course = make_course()
        certificate = complete_now(users["learner"], course)
        return {"users": users, "certificate": certificate}


@pytest.fixture
def world(shared_world, home):
    return fresh(shared_world)


def outcome(response):
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith(reverse("account_login")):
            return LOGIN
        if location.startswith(reverse("wagtailadmin_login")):
            return ADMIN_LOGIN
        if location == reverse("wagtailadmin_home"):
            return DENIED
        if location.startswith("/certificates/manage/"):
            return "done"
        return f"redirect:{location}"
    return response.status_code


MATRIX = {
    "mine": [LOGIN, 200, 200, 200, 200, 200, 200],
    "download": [LOGIN, 200, 404, 404, 200, 404, 200],
    "manage_list": [LOGIN, 403, 403, 403, 200, 200, 200],
    "manage_detail": [LOGIN, 404, 404, 404, 200, 404, 200],
    "revoke": [LOGIN, 404, 404, 404, "done", 404, "done"],
    "reissue": [LOGIN, 404, 404, 404, "done", 404, "done"],
    "retry": [LOGIN, 404, 404, 404, "done", 404, "done"],
    "verify_page": [200, 200, 200, 200, 200, 200, 200],
    "verify_api": [200, 200, 200, 200, 200, 200, 200],
    "jwks": [200, 200, 200, 200, 200, 200, 200],
    "openapi": [200, 200, 200, 200, 200, 200, 200],
    "template_snippets": [ADMIN_LOGIN, ADMIN_LOGIN, DENIED, DENIED, DENIED, DENIED, 200],
    "template_add": [ADMIN_LOGIN, ADMIN_LOGIN, DENIED, DENIED, DENIED, DENIED, 200],
    "django_admin_certificates": [
        "redirect",
        "redirect",
        "redirect",
        "redirect",
        "redirect",
        "redirect",
        200,
    ],
}


def request(client, world, name):
    certificate = world["certificate"]
    pk = certificate.pk
    reason = {"reason": "Kiểm tra quyền"}
    return {
        "mine": lambda: client.get(reverse("certificates:mine")),
        "download": lambda: client.get(reverse("certificates:download", args=[pk])),
        "manage_list": lambda: client.get(reverse("certificates:manage_list")),
        "manage_detail": lambda: client.get(reverse("certificates:manage_detail", args=[pk])),
        "revoke": lambda: client.post(reverse("certificates:revoke", args=[pk]), reason),
        "reissue": lambda: client.post(reverse("certificates:reissue", args=[pk]), reason),
        "retry": lambda: client.post(reverse("certificates:retry", args=[pk])),
        "verify_page": lambda: client.get(f"/v/{certificate.token}/"),
        "verify_api": lambda: client.get(
            "/api/v1/certificates/verify", {"token": certificate.token}
        ),
        "jwks": lambda: client.get("/.well-known/certificate-keys.json"),
        "openapi": lambda: client.get("/api/v1/openapi.json"),
        "template_snippets": lambda: client.get(
            reverse("wagtailsnippets_certificates_certificatetemplate:list")
        ),
        "template_add": lambda: client.get(
            reverse("wagtailsnippets_certificates_certificatetemplate:add")
        ),
        "django_admin_certificates": lambda: client.get(
            reverse("admin:certificates_certificate_changelist")
        ),
    }[name]()


@pytest.mark.parametrize("name", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(client, world, name, role, django_capture_on_commit_callbacks):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    if name == "retry":  # only a failed or pending certificate can be retried
        Certificate.objects.filter(pk=world["certificate"].pk).update(status="failed")
    with django_capture_on_commit_callbacks(execute=True):
        response = request(client, world, name)
    got = outcome(response)
    expected = MATRIX[name][ROLES.index(role)]
    if expected == "redirect":
        assert str(got).startswith("redirect") or got in (LOGIN, ADMIN_LOGIN), (name, role, got)
    else:
        assert got == expected, (name, role, got)


def test_managers_list_only_holders_in_scope(client, world):
    client.force_login(world["users"]["manager_out"])
    response = client.get(reverse("certificates:manage_list"))
    assert world["certificate"].serial not in response.content.decode()
    client.force_login(world["users"]["manager_in"])
    response = client.get(reverse("certificates:manage_list"))
    assert world["certificate"].serial in response.content.decode()
