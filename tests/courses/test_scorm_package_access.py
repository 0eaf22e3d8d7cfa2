"""A SCORM package's files go to who may use the package (courses.package_access): its unit's
trainers, administrators, learners who opened a lesson using it, and anyone signed in for a
shared package; a learner or trainer of another province guessing a path gets a 404. After the
first file, a package's files cost no query beyond the session's and the user's."""

import json

import pytest
from django.urls import reverse

from courses.models import ScormPackage, UnitCollection
from courses.services import authoring_roles_setup, enrolment_create
from tests.factories import make_admin, make_course, make_learner, make_trainer, make_unit

from .scorm_support import import_file, make_scorm_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(home):
    gia_lai, dak_lak = make_unit("Gia Lai"), make_unit("Đắk Lắk")
    authoring_roles_setup()
    trainer = make_trainer(scope=gia_lai)
    package = import_file("scorm-debugger_multisco_SCORM12.zip", user=trainer)
    # Gia Lai's package (what the admin's upload does: courses.collections.package_collection_for)
    package.collection = UnitCollection.objects.get(org_unit=gia_lai).collection
    package.save(update_fields=["collection"])
    course = make_course("Kỹ năng số Gia Lai", lessons=0, quiz=[], certifying=False)
    lesson, block = make_scorm_lesson(course, package)
    learner = make_learner(unit=gia_lai, username="hnuong")
    enrolment_create(user=learner, course=course)
    return {
        "package": package,
        "lesson": lesson,
        "block": block,
        "learner": learner,
        "gl_trainer": trainer,
        "dl_trainer": make_trainer(scope=dak_lak),
        "dl_learner": make_learner(unit=dak_lak, username="ydam"),
    }


def file_url(package, path="index.html"):
    return reverse("courses:scorm:file", args=[package.uuid, path])


def launch_files(client, world):
    """The player page, and the files its config names (the launch file)."""
    play = client.get(reverse("courses:scorm:play", args=[world["lesson"].pk, world["block"]]))
    assert play.status_code == 200
    config = json.loads(
        play.content.decode()
        .split('id="scorm-config" type="application/json">')[1]
        .split("</script>")[0]
    )
    return config["launch"].split("?")[0]


def test_the_enrolled_learner_fetches_the_files_after_opening_the_lesson(client, world):
    client.force_login(world["learner"])
    launch = launch_files(client, world)
    assert client.get(launch).status_code == 200
    assert client.get(file_url(world["package"], "imsmanifest.xml")).status_code == 200


def test_files_cost_only_the_session_and_user_queries(client, world, django_assert_num_queries):
    client.force_login(world["learner"])
    launch = launch_files(client, world)
    client.get(launch)  # warms the session's content version and the like
    for path in (launch, file_url(world["package"], "imsmanifest.xml")):
        # 1 query, the user: the session comes from the cache (cached_db, warm after the
        # player page) and the package's grant is in it, so no package, collection or
        # enrolment query, however many files the SCO loads.
        with django_assert_num_queries(1):
            assert client.get(path).status_code == 200


@pytest.mark.parametrize("who", ["dl_learner", "dl_trainer"])
def test_another_province_guessing_a_path_gets_404(client, world, who):
    client.force_login(world[who])
    for path in ("index.html", "imsmanifest.xml", "no-such-file.html"):
        assert client.get(file_url(world["package"], path)).status_code == 404
    # Not even after opening a lesson with a shared package (its grant is for that package).
    shared = import_file("golf_RuntimeBasicCalls_SCORM20043rdEdition.zip")
    course = make_course("Khoá chung", lessons=0, quiz=[], certifying=False)
    lesson, block = make_scorm_lesson(course, shared)
    enrolment_create(user=world[who], course=course)
    assert client.get(reverse("courses:scorm:play", args=[lesson.pk, block])).status_code == 200
    assert client.get(file_url(shared, "imsmanifest.xml")).status_code == 200
    assert client.get(file_url(world["package"], "imsmanifest.xml")).status_code == 404


def test_a_learner_of_the_same_province_not_enrolled_gets_404(client, world):
    client.force_login(make_learner(unit=world["learner"].profile.org_unit, username="kpa"))
    assert client.get(file_url(world["package"], "imsmanifest.xml")).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(file_url(world["package"], "imsmanifest.xml"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["gl_trainer", "admin"])
def test_the_unit_and_administrators_fetch_without_playing(client, world, who):
    client.force_login(make_admin() if who == "admin" else world[who])
    assert client.get(file_url(world["package"], "imsmanifest.xml")).status_code == 200


def test_a_national_package_is_for_everyone_signed_in(client, world):
    national = UnitCollection.objects.get(national=True).collection
    ScormPackage.objects.filter(pk=world["package"].pk).update(collection=national)
    client.force_login(world["dl_learner"])
    assert client.get(file_url(world["package"], "imsmanifest.xml")).status_code == 200
