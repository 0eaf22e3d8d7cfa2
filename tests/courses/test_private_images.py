"""Images of a unit's collection are private: their renditions are served by the app after a
check (never by a guessable media URL), to their unit's trainers, administrators and learners
of a lesson that uses them; national images keep the public fast path (courses.images)."""

import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection

from courses.models import LessonPage, UnitCollection
from courses.services import authoring_roles_setup, enrolment_create
from tests.factories import make_admin, make_course, make_learner, make_trainer, make_unit

pytestmark = pytest.mark.django_db
Image = get_image_model()


@pytest.fixture
def units(home):
    gia_lai = make_unit("Gia Lai")
    dak_lak = make_unit("Đắk Lắk")
    authoring_roles_setup()
    return {
        "gia_lai": gia_lai,
        "dak_lak": dak_lak,
        "gl_trainer": make_trainer(scope=make_unit("Xã Ia Grai", parent=gia_lai)),
        "dl_trainer": make_trainer(scope=make_unit("Xã Ea Kao", parent=dak_lak)),
        "dl_learner": make_learner(unit=dak_lak),
    }


def collection_of(unit):
    return UnitCollection.objects.get(org_unit=unit).collection


@pytest.fixture
def photo(units):
    return Image.objects.create(
        title="Ảnh điểm danh Ia Grai",
        file=get_test_image_file("diem-danh.png"),
        collection=collection_of(units["gia_lai"]),
    )


def fetch(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body


def test_a_private_image_is_named_and_addressed_privately(client, units, photo):
    assert re.match(r"original_images/pv-[0-9a-f]{16}-diem-danh", photo.file.name)
    rendition = photo.get_rendition("width-400")
    marker = photo.file.name.split("/")[-1][:20]  # pv- and the token
    assert rendition.file.name.startswith(f"images/{marker}")
    # Not a media URL: the app's checking view.
    assert rendition.url.startswith("/learn/images/pv-")
    client.force_login(units["gl_trainer"])
    status, body = fetch(client, rendition.url)
    assert status == 200
    assert body == Path(rendition.file.path).read_bytes()
    assert body[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("who", ["anonymous", "dl_trainer", "dl_learner"])
def test_others_cannot_fetch_list_or_edit_it(client, units, photo, who):
    rendition = photo.get_rendition("width-400")
    thumbnail = photo.get_rendition("max-165x165")  # the admin listing's
    if who != "anonymous":
        client.force_login(units[who])
    for url in (rendition.url, thumbnail.url):
        assert fetch(client, url)[0] == 404
    # The media path (what nginx would be asked for) is not served by the app either, and
    # nginx refuses /media/images/pv-* (test_nginx_keeps_private_renditions_to_the_app).
    assert client.get(f"{settings.MEDIA_URL}{rendition.file.name}").status_code == 404
    # A made-up private name, or a real original's name, is a 404 too.
    assert fetch(client, f"/learn/images/pv-{'0' * 16}-x.png")[0] == 404
    assert fetch(client, f"/learn/images/{photo.file.name.split('/')[-1]}")[0] == 404
    if who == "dl_trainer":
        assert "Ảnh điểm danh" not in client.get("/admin/images/").content.decode()
        assert "Ảnh điểm danh" not in client.get("/admin/images/chooser/").json()["html"]
        assert client.get(f"/admin/images/{photo.pk}/").status_code in (302, 403)
        response = client.post(
            f"/admin/images/{photo.pk}/",
            {"title": "Bị sửa", "collection": str(collection_of(units["dak_lak"]).pk)},
        )
        assert response.status_code in (302, 403)
        assert client.post(f"/admin/images/{photo.pk}/delete/").status_code in (302, 403)
        photo.refresh_from_db()
        assert photo.title == "Ảnh điểm danh Ia Grai"
        assert photo.collection == collection_of(units["gia_lai"])


def test_administrators_fetch_it(client, photo):
    client.force_login(make_admin())
    assert fetch(client, photo.get_rendition("width-400").url)[0] == 200


def test_learners_of_a_lesson_that_uses_it_see_it(
    client, units, photo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        course = make_course("Lớp Ia Grai", lessons=1, quiz=[])
        lesson = LessonPage.objects.child_of(course).get()
        lesson.body = [
            *[(block.block_type, block.value) for block in lesson.body],
            ("image", {"image": photo, "alt_text": "Lớp học", "caption": ""}),
        ]
        lesson.save_revision().publish()
    enrolled = make_learner(unit=units["gia_lai"])
    enrolment_create(user=enrolled, course=course)
    client.force_login(enrolled)
    page = client.get(lesson.url)
    assert page.status_code == 200
    src = re.search(r'<img[^>]+src="(/learn/images/pv-[^"]+)"', page.content.decode()).group(1)
    assert fetch(client, src)[0] == 200
    # Saving the course for offline use takes the private rendition along, with its size.
    from django.urls import reverse

    manifest = client.get(reverse("courses:offline_manifest", args=[course.pk])).json()
    sizes = {entry["url"]: entry["bytes"] for entry in manifest["entries"]}
    assert sizes.get(src, 0) > 0
    # Not enrolled (another province's learner), or anonymous: no.
    client.force_login(units["dl_learner"])
    assert fetch(client, src)[0] == 404
    client.logout()
    assert fetch(client, src)[0] == 404
    # A draft page using it does not open it: the reference must be live.
    lesson.unpublish()
    client.force_login(enrolled)
    assert fetch(client, src)[0] == 404


def test_a_public_course_cover_is_public(client, units, photo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        course = make_course("Khoá có ảnh bìa", lessons=1, quiz=[])
        course.cover = photo
        course.save_revision().publish()
    assert fetch(client, photo.get_rendition("fill-640x360").url)[0] == 200


def test_national_images_keep_the_public_fast_path(units):
    national = UnitCollection.objects.get(national=True).collection
    image = Image.objects.create(
        title="Bản đồ", file=get_test_image_file("ban-do.png"), collection=national
    )
    assert image.file.name.startswith("original_images/ban-do")
    assert image.get_rendition("width-400").url.startswith(f"{settings.MEDIA_URL}images/ban-do")
    root = Image.objects.create(
        title="Gốc",
        file=get_test_image_file(f"goc-{uuid.uuid4().hex[:4]}.png"),
        collection=Collection.get_first_root_node(),
    )
    assert "/pv-" not in root.file.name


def test_moving_between_collections_renames_and_drops_renditions(client, units, photo):
    old_rendition = photo.get_rendition("width-400")
    old_path = Path(old_rendition.file.path)
    national = UnitCollection.objects.get(national=True).collection
    photo.collection = national
    photo.save()
    photo.refresh_from_db()
    assert "/pv-" not in photo.file.name
    assert not photo.renditions.exists()
    assert photo.get_rendition("width-400").url.startswith(settings.MEDIA_URL)
    assert not old_path.exists()
    # And back, also through the admin's bulk "add to collection" (one UPDATE, no save).
    client.force_login(make_admin())
    response = client.post(
        f"/admin/bulk/wagtailimages/image/add_to_collection/?id={photo.pk}",
        {"collection": str(collection_of(units["gia_lai"]).pk)},
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.collection == collection_of(units["gia_lai"])
    assert re.match(r"original_images/pv-[0-9a-f]{16}-", photo.file.name)
    assert photo.get_rendition("width-400").url.startswith("/learn/images/pv-")


def test_nginx_keeps_private_renditions_to_the_app():
    conf = (Path(settings.BASE_DIR) / "deploy/nginx/hocso.conf").read_text()
    private = re.search(r"location \^~ /media/images/pv- \{\s*return 404;\s*\}", conf)
    public = re.search(r"location /media/images/ \{", conf)
    assert private and public  # the longer prefix (and ^~) wins over the public one


def test_setup_renames_images_left_public_in_a_unit_collection(units):
    image = Image.objects.create(
        title="Cũ", file=get_test_image_file("cu.png"), collection=Collection.get_first_root_node()
    )
    # Moved by an UPDATE, as data from before private images were.
    Image.objects.filter(pk=image.pk).update(collection=collection_of(units["dak_lak"]))
    authoring_roles_setup()
    image.refresh_from_db()
    assert re.match(r"original_images/pv-[0-9a-f]{16}-cu", image.file.name)
