"""Content per province: each unit's trainers manage their own documents and images, choose
from the national library, and a unit's documents are downloaded only by who may see them."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from courses.collections import NATIONAL_NAME
from courses.models import UnitCollection
from courses.services import authoring_roles_setup
from people.models import Scope
from people.services import scope_revoke
from tests.factories import make_admin, make_trainer, make_unit

pytestmark = pytest.mark.django_db
Document = get_document_model()
ROSTER = "Họ tên,Số điện thoại\nSiu H'Nương,0912345678\n".encode()


@pytest.fixture
def units(home):
    gia_lai = make_unit("Gia Lai")
    dak_lak = make_unit("Đắk Lắk")
    authoring_roles_setup()
    return {
        "gia_lai": gia_lai,
        "dak_lak": dak_lak,
        "gl_trainer": make_trainer(scope=make_unit("Xã Ia Grai", parent=gia_lai)),
        "gl_colleague": make_trainer(scope=gia_lai),
        "dl_trainer": make_trainer(scope=make_unit("Xã Ea Kao", parent=dak_lak)),
    }


def collection_of(unit):
    return UnitCollection.objects.get(org_unit=unit).collection


@pytest.fixture
def roster(client, units):
    """The Gia Lai trainer uploads a roster through the admin's form."""
    client.force_login(units["gl_trainer"])
    form = BeautifulSoup(client.get("/admin/documents/add/").content, "html.parser")
    options = [o["value"] for o in form.select("select[name=collection] option")]
    # One collection to add to (their unit's), so Wagtail may even hide the field.
    assert options in ([], [str(collection_of(units["gia_lai"]).pk)])
    response = client.post(
        "/admin/documents/add/",
        {
            "title": "Danh sách lớp Ia Grai",
            "file": SimpleUploadedFile("roster-gialai.csv", ROSTER, content_type="text/csv"),
            "collection": str(collection_of(units["gia_lai"]).pk),
        },
    )
    assert response.status_code == 302, response.content[:2000]
    client.logout()
    document = Document.objects.get(title="Danh sách lớp Ia Grai")
    assert document.collection == collection_of(units["gia_lai"])
    return document


def download(client, document):
    return client.get(f"/documents/{document.pk}/{document.filename}")


def test_the_other_province_cannot_list_open_edit_delete_or_fetch(client, units, roster):
    client.force_login(units["dl_trainer"])
    listing = client.get("/admin/documents/")
    assert listing.status_code == 200
    assert "Danh sách lớp Ia Grai" not in listing.content.decode()
    chooser = client.get("/admin/documents/chooser/").json()["html"]
    assert "Danh sách lớp Ia Grai" not in chooser
    edit = client.get(f"/admin/documents/edit/{roster.pk}/")
    assert edit.status_code in (302, 403)
    response = client.post(
        f"/admin/documents/edit/{roster.pk}/",
        {"title": "Bị sửa", "collection": str(collection_of(units["dak_lak"]).pk)},
    )
    assert response.status_code in (302, 403)
    assert client.get(f"/admin/documents/delete/{roster.pk}/").status_code in (302, 403)
    assert client.post(f"/admin/documents/delete/{roster.pk}/").status_code in (302, 403)
    roster.refresh_from_db()
    assert roster.title == "Danh sách lớp Ia Grai"
    assert roster.collection == collection_of(units["gia_lai"])
    # Uploading into the other province's collection (a forged collection id) is refused.
    response = client.post(
        "/admin/documents/add/",
        {
            "title": "Giả mạo",
            "file": SimpleUploadedFile("x.csv", b"a,b\n", content_type="text/csv"),
            "collection": str(collection_of(units["gia_lai"]).pk),
        },
    )
    assert not Document.objects.filter(title="Giả mạo", collection=collection_of(units["gia_lai"]))
    response = download(client, roster)
    assert response.status_code == 404
    assert ROSTER not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_anonymous_is_refused_the_private_document(client, roster):
    response = download(client, roster)
    assert response.status_code == 404
    # The media path is not a way round: documents are served by the view only.
    assert client.get(roster.file.url).status_code == 404


def test_the_owner_their_unit_and_administrators_fetch_it(client, units, roster):
    for user in (units["gl_trainer"], units["gl_colleague"], make_admin()):
        client.force_login(user)
        response = download(client, roster)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content) == ROSTER
    client.force_login(units["gl_colleague"])  # the same unit lists, chooses and edits it too
    assert "Danh sách lớp Ia Grai" in client.get("/admin/documents/").content.decode()
    assert "Danh sách lớp Ia Grai" in client.get("/admin/documents/chooser/").json()["html"]
    assert client.get(f"/admin/documents/edit/{roster.pk}/").status_code == 200


def test_national_library_is_public_and_read_only_for_trainers(client, units):
    national = UnitCollection.objects.get(national=True).collection
    assert national.name == NATIONAL_NAME
    guide = Document.objects.create(
        title="Cẩm nang chuyển đổi số",
        file=SimpleUploadedFile("cam-nang.pdf", b"%PDF-1.4 cam nang"),
        collection=national,
    )
    assert download(client, guide).status_code == 200  # anonymous: a public document
    client.force_login(units["dl_trainer"])
    assert "Cẩm nang chuyển đổi số" in client.get("/admin/documents/chooser/").json()["html"]
    assert client.get(f"/admin/documents/edit/{guide.pk}/").status_code in (302, 403)
    assert client.post(f"/admin/documents/delete/{guide.pk}/").status_code in (302, 403)
    assert Document.objects.filter(pk=guide.pk).exists()


def test_images_follow_the_same_units(client, units):
    Image = get_image_model()
    from wagtail.images.tests.utils import get_test_image_file

    photo = Image.objects.create(
        title="Ảnh điểm danh Ia Grai",
        file=get_test_image_file(),
        collection=collection_of(units["gia_lai"]),
    )
    client.force_login(units["dl_trainer"])
    assert "Ảnh điểm danh" not in client.get("/admin/images/").content.decode()
    assert client.get(f"/admin/images/{photo.pk}/").status_code in (302, 403)
    client.force_login(units["gl_trainer"])
    assert "Ảnh điểm danh" in client.get("/admin/images/").content.decode()


def test_groups_follow_scopes(units):
    trainer = units["dl_trainer"]
    dak_lak_group = UnitCollection.objects.get(org_unit=units["dak_lak"]).group
    assert dak_lak_group in trainer.groups.all()
    scope = Scope.objects.get(user=trainer)
    scope_revoke(scope=scope)
    assert dak_lak_group not in trainer.groups.all()
    # A new province gets its collection when its first trainer is named.
    kon_tum = make_unit("Kon Tum")
    newcomer = make_trainer(scope=kon_tum)
    assert UnitCollection.objects.get(org_unit=kon_tum).group in newcomer.groups.all()


def test_setup_is_idempotent_and_adopts_root_uploads(units):
    root = Collection.get_first_root_node()
    old = Document.objects.create(
        title="Tải lên trước đây",
        file=SimpleUploadedFile("cu.csv", b"a\n"),
        collection=root,
        uploaded_by_user=units["dl_trainer"],
    )
    assert authoring_roles_setup()["created"] == 0
    old.refresh_from_db()
    assert old.collection == collection_of(units["dak_lak"])
    assert UnitCollection.objects.filter(national=True).count() == 1
    assert UnitCollection.objects.filter(national=False).count() == 2
