"""H5P and SCORM packages belong to a unit's collection: a trainer's upload joins their
province's collection, and trainers of another province neither list nor choose it."""

import pytest
from django.urls import reverse

from courses.models import UnitCollection
from courses.services import authoring_roles_setup
from tests.factories import make_admin, make_trainer, make_unit

from .h5p_support import H5P_VALID, import_file
from .scorm_support import import_file as import_scorm

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(home):
    gia_lai, dak_lak = make_unit("Gia Lai"), make_unit("Đắk Lắk")
    authoring_roles_setup()
    trainer = make_trainer(scope=gia_lai, username="gv-gialai")
    other = make_trainer(scope=dak_lak, username="gv-daklak")
    shared = import_file(H5P_VALID / "H5P.TrueFalse.h5p", user=make_admin())  # no collection
    shared.title = "Gói dùng chung"
    shared.save()
    return {"trainer": trainer, "other": other, "gia_lai": gia_lai}


def upload_h5p(client, user):
    client.force_login(user)
    with (H5P_VALID / "H5P.TrueFalse.h5p").open("rb") as upload:
        return client.post(
            reverse("wagtailsnippets_courses_h5ppackage:add"),
            {"title": "Đúng sai của Gia Lai", "license": "U", "package_file": upload},
        )


def test_a_trainers_h5p_package_is_their_provinces(client, world):
    response = upload_h5p(client, world["trainer"])
    assert response.status_code == 302, response.content[:3000]
    from courses.models import H5PPackage

    package = H5PPackage.objects.get(title="Đúng sai của Gia Lai")
    link = UnitCollection.objects.get(org_unit=world["gia_lai"])
    assert package.collection == link.collection
    listing = reverse("wagtailsnippets_courses_h5ppackage:list")
    chooser = reverse("wagtailsnippetchoosers_courses_h5ppackage:choose")
    assert "Đúng sai của Gia Lai" in client.get(listing).content.decode()
    assert "Đúng sai của Gia Lai" in client.get(chooser).json()["html"]
    client.force_login(world["other"])
    assert "Đúng sai của Gia Lai" not in client.get(listing).content.decode()
    assert "Đúng sai của Gia Lai" not in client.get(chooser).json()["html"]
    # The shared package (imported by an administrator, no collection) is everyone's.
    assert "Gói dùng chung" in client.get(chooser).json()["html"]
    client.force_login(make_admin("root2"))
    assert "Đúng sai của Gia Lai" in client.get(listing).content.decode()


def test_scorm_packages_in_a_collection_are_scoped_too(client, world):
    package = import_scorm("golf_CPSingleSCO_SCORM12.zip")
    package.collection = UnitCollection.objects.get(org_unit=world["gia_lai"]).collection
    package.save()
    chooser = reverse("wagtailsnippetchoosers_courses_scormpackage:choose")
    client.force_login(world["trainer"])
    assert "Golf Explained" in client.get(chooser).json()["html"]
    client.force_login(world["other"])
    assert "Golf Explained" not in client.get(chooser).json()["html"]
