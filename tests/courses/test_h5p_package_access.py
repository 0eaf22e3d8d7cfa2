"""A unit's H5P package is played and fetched only by who may use it (courses.package_access):
the player page hands its learners and the unit a grant in the files' address; without one
(a guessed address, another learner's grant for another package, a forged or old one) the
files answer 404. Shared packages keep their public addresses. Checking a grant costs no
query."""

import json
import time

import pytest
from django.urls import reverse

from courses.h5p.packages import h5p_package_import
from courses.models import UnitCollection
from courses.package_access import _mac
from courses.services import authoring_roles_setup, enrolment_create
from tests.factories import make_admin, make_course, make_learner, make_trainer, make_unit

from .h5p_support import H5P_VALID, make_h5p_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(home):
    gia_lai, dak_lak = make_unit("Gia Lai"), make_unit("Đắk Lắk")
    authoring_roles_setup()
    with (H5P_VALID / "H5P.TrueFalse.h5p").open("rb") as upload:
        package = h5p_package_import(
            upload=upload, collection=UnitCollection.objects.get(org_unit=gia_lai).collection
        )
    course = make_course("Tương tác Gia Lai", lessons=0, quiz=[], certifying=False)
    lesson, block = make_h5p_lesson(course, package)
    learner = make_learner(unit=gia_lai, username="hnuong")
    enrolment_create(user=learner, course=course)
    return {
        "package": package,
        "lesson": lesson,
        "block": block,
        "learner": learner,
        "gl_trainer": make_trainer(scope=gia_lai),
        "dl_trainer": make_trainer(scope=dak_lak),
        "dl_learner": make_learner(unit=dak_lak, username="ydam"),
    }


def player_files(client, world):
    """The files' base address the player page configures (None: no player)."""
    play = client.get(reverse("courses:h5p:play", args=[world["lesson"].pk, world["block"]]))
    if play.status_code != 200:
        return None
    config = play.content.decode().split('id="h5p-config" type="application/json">')
    return json.loads(config[1].split("</script>")[0])["h5pJsonPath"]


def plain(package, path="content/content.json"):
    return reverse("courses:h5p:file", args=[package.uuid, path])


@pytest.mark.parametrize("who", ["learner", "gl_trainer", "admin"])
def test_the_learner_and_the_unit_play_it_through_a_grant(client, world, who):
    client.force_login(make_admin() if who == "admin" else world[who])
    files = player_files(client, world)
    assert "/g/" in files
    assert client.get(f"{files}/h5p.json").status_code == 200
    assert client.get(f"{files}/content/content.json").status_code == 200
    main = world["package"].main_library
    assert client.get(f"{files}/libraries/{main.folder}/library.json").status_code == 200
    # The same address on a second visit the same day: the browser's cache serves it.
    assert player_files(client, world) == files


@pytest.mark.parametrize("who", ["dl_learner", "dl_trainer", "anonymous"])
def test_another_province_guessing_gets_404(client, world, who):
    if who != "anonymous":
        client.force_login(world[who])
        assert player_files(client, world) is None  # not enrolled, not their unit's
    for path in ("h5p.json", "content/content.json"):
        assert client.get(plain(world["package"], path)).status_code == 404
    assert client.get(plain(world["package"], "g/1.2.abc/h5p.json")).status_code == 404
    assert client.get(plain(world["package"], "g/")).status_code == 404


def test_a_grant_is_for_one_package_and_two_days(client, world):
    client.force_login(world["learner"])
    files = player_files(client, world)
    grant = files.split("/g/")[1]
    user_id, day, _mac_hex = grant.split(".")
    with (H5P_VALID / "H5P.TrueFalse.h5p").open("rb") as upload:
        other = h5p_package_import(
            upload=upload,
            collection=UnitCollection.objects.get(
                org_unit=world["learner"].profile.org_unit
            ).collection,
        )
    assert client.get(plain(other, f"g/{grant}/h5p.json")).status_code == 404
    old = int(time.time() // 86400) - 2
    stale = f"{user_id}.{old}.{_mac(int(user_id), world['package'].uuid, old)}"
    assert client.get(plain(world["package"], f"g/{stale}/h5p.json")).status_code == 404


def test_files_under_a_grant_cost_no_query(client, world, django_assert_num_queries):
    client.force_login(world["learner"])
    files = player_files(client, world)
    client.logout()  # the sandboxed player sends no cookies
    client.get(f"{files}/h5p.json")  # the package's privacy, now cached
    with django_assert_num_queries(0):
        # Content files: the grant is a signature and the privacy is cached, so none.
        assert client.get(f"{files}/content/content.json").status_code == 200


def test_a_shared_package_keeps_its_public_address(client, world):
    national = UnitCollection.objects.get(national=True).collection
    with (H5P_VALID / "H5P.TrueFalse.h5p").open("rb") as upload:
        shared = h5p_package_import(upload=upload, collection=national)
    assert client.get(plain(shared, "h5p.json")).status_code == 200
