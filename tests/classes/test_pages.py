"""The class pages through the test client: create, roster, import with preview, handout,
attendance (form and queue endpoint), sheet photo and import, scores, self check-in."""

import datetime
import io
import json
import uuid
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from courses.classes.checkin import checkin_token
from courses.classes.services import roster_add
from courses.models import Enrolment
from courses.models.classes import Attendance, AttendanceMark, ClassMember, TrainingSession
from tests.classes.conftest import add_learners, make_class
from tests.factories import make_learner

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_trainer_creates_a_class(client, world):
    client.force_login(world["trainer"])
    response = client.get(reverse("classes:create"))
    assert response.status_code == 200
    data = {
        "course": world["course"].pk,
        "title": "Lớp  Kỹ năng số   thôn Dêr",
        "venue": world["ia_grai"].pk,
        "address": "Nhà rông làng Dêr",
        "start_date": "2026-11-02",
        "end_date": "2026-11-05",
        "capacity": "30",
        "weekdays": ["0", "1", "2", "3", "4", "5", "6"],
    }
    page = soup(response)
    checked = [box["value"] for box in page.select('input[name="weekdays"][checked]')]
    assert checked == data["weekdays"]  # every day, until the trainer unticks some
    response = client.post(reverse("classes:create"), data)
    session = TrainingSession.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "classes:detail", args=[session.pk]
    )
    assert session.title == "Lớp Kỹ năng số thôn Dêr"
    assert list(session.trainers.all()) == [world["trainer"]]
    assert session.days.count() == 4


def test_creating_a_class_outside_the_scope_is_refused(client, world):
    client.force_login(world["trainer"])
    data = {
        "course": world["course"].pk,
        "title": "Lớp ngoài phạm vi",
        "venue": world["ea_kao"].pk,
        "start_date": "2026-11-02",
        "end_date": "2026-11-05",
        "weekdays": ["0", "1", "2", "3", "4"],
    }
    response = client.post(reverse("classes:create"), data)
    assert response.status_code == 400
    text = " ".join(e.get_text() for e in soup(response).select(".error"))
    assert "đơn vị bạn giảng dạy" in text  # the pages speak Vietnamese
    data.update(venue=world["ia_grai"].pk, start_date="2026-11-05", end_date="2026-11-02")
    response = client.post(reverse("classes:create"), data)
    assert response.status_code == 400
    text = " ".join(e.get_text() for e in soup(response).select(".error"))
    assert "không thể trước ngày bắt đầu" in text
    # A weekend with the weekdays only, or no weekday ticked: said in words.
    data.update(start_date="2026-11-07", end_date="2026-11-08")
    response = client.post(reverse("classes:create"), data)
    assert response.status_code == 400
    assert "Không có ngày học nào" in soup(response).select_one(".weekdays .error").get_text()
    data.pop("weekdays")
    response = client.post(reverse("classes:create"), data)
    assert response.status_code == 400
    assert "Chọn các ngày trong tuần" in soup(response).select_one(".weekdays .error").get_text()
    assert not TrainingSession.objects.exists()


def test_class_list_shows_scope_only(client, world):
    mine = make_class(world, title="Lớp Ia Grai")
    other = make_class(world, title="Lớp Ia Le", trainer=world["trainer_le"], venue=world["ia_le"])
    client.force_login(world["trainer"])
    titles = [
        a.get_text() for a in soup(client.get(reverse("classes:list"))).select(".class-card h2 a")
    ]
    assert titles == [mine.title]
    client.force_login(world["manager"])
    titles = {
        a.get_text() for a in soup(client.get(reverse("classes:list"))).select(".class-card h2 a")
    }
    assert titles == {mine.title, other.title}


def test_add_learner_by_search_and_by_creating_an_account(client, world):
    session = make_class(world)
    known = make_learner(unit=world["ia_grai"], full_name="Ksor H'Blơi", phone="0912000001")
    make_learner(unit=world["ea_kao"], full_name="Ksor Ngoài", phone="0912000002")
    client.force_login(world["trainer"])
    url = reverse("classes:learner_add", args=[session.pk])
    names = [s.get_text() for s in soup(client.get(url, {"q": "Ksor"})).select(".result strong")]
    assert names == ["Ksor H'Blơi"]  # the Đắk Lắk learner is not in this trainer's units
    by_phone = soup(client.get(url, {"q": "0912 000 001"})).select(".result strong")
    assert [s.get_text() for s in by_phone] == ["Ksor H'Blơi"]
    response = client.post(url + "?q=Ksor", {"action": "add", "user": known.pk})
    assert response.status_code == 302
    assert ClassMember.objects.filter(session=session, user=known).exists()

    new = {
        "action": "create",
        "full_name": "Đinh Thị Hoà",
        "birth_year": "1986",
        "gender": "female",
        "org_unit": world["ia_grai"].pk,
        "phone": "",
    }
    response = client.post(url, new)
    assert response.status_code == 302
    member = ClassMember.objects.get(session=session, user__username="dinhthihoa")
    assert member.account_created
    assert Enrolment.objects.get(user=member.user).source == "class"
    # The same person typed again is matched, not created twice.
    client.post(url, new)
    assert ClassMember.objects.filter(session=session).count() == 2
    response = client.get(reverse("classes:handout", args=[session.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_roster_import_preview_then_confirm(client, world):
    session = make_class(world)
    client.force_login(world["trainer"])
    csv = (
        "Họ và tên,Năm sinh,Giới tính,Dân tộc,Xã,SĐT\n"
        "Siu H'Nương,2001,Nữ,Gia-rai,Xã Ia Grai,\n"
        "Rơ Mah Đào,1999,Nữ,Gia-rai,Xã Ia Grai,\n"
        "Người Lạ,1990,Nam,Kinh,Xã Không Có,\n"
    ).encode()
    url = reverse("classes:roster_import", args=[session.pk])
    response = client.post(url, {"file": SimpleUploadedFile("lop.csv", csv)})
    assert response.status_code == 200
    page = soup(response)
    assert len(page.select("tr.row-create")) == 2
    [rejected] = page.select("tr.row-reject")
    assert "không tìm thấy xã" in rejected.get_text() and rejected.td.get_text() == "4"
    assert not ClassMember.objects.exists()  # the preview writes nothing

    confirm = reverse("classes:roster_import_confirm", args=[session.pk])
    response = client.post(confirm)
    assert response.status_code == 400 and "Dòng 4" in response.content.decode()
    assert not ClassMember.objects.exists()
    response = client.post(confirm, {"skip_rejected": "1"})
    assert response.status_code == 302
    assert set(ClassMember.objects.values_list("user__username", flat=True)) == {
        "siuhnuong",
        "romahdao",
    }
    # The preview is used up: confirming again imports nothing more.
    response = client.post(confirm, {"skip_rejected": "1"})
    assert response.status_code == 302 and ClassMember.objects.count() == 2
    pdf = client.get(reverse("classes:handout", args=[session.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_bad_upload_is_a_400_with_a_message(client, world):
    session = make_class(world)
    client.force_login(world["trainer"])
    url = reverse("classes:roster_import", args=[session.pk])
    response = client.post(url, {"file": SimpleUploadedFile("lop.pdf", b"%PDF-1.4")})
    assert response.status_code == 400
    assert ".csv hoặc .xlsx" in soup(response).select_one(".error").get_text()


def test_day_page_form_and_queue_endpoint(client, world):
    session = make_class(world)
    learners = add_learners(world, session, 3)
    day = session.days.first()
    client.force_login(world["trainer"])
    url = reverse("classes:day", args=[session.pk, day.pk])
    page = soup(client.get(url))
    assert len(page.select("li.learner")) == 3
    # Without JavaScript: the form, with a UUID per row; sending it twice counts once.
    form = {}
    for li in page.select("li.learner"):
        learner_id = li["data-learner"]
        form[f"s-{learner_id}"] = "present"
        form[f"u-{learner_id}"] = li.select_one("input[type=hidden]")["value"]
    client.post(url, form)
    client.post(url, form)
    assert AttendanceMark.objects.count() == 3
    assert set(Attendance.objects.values_list("status", flat=True)) == {"present"}

    sync = reverse("classes:marks_sync", args=[session.pk])
    key = str(uuid.uuid4())
    marks = [
        {
            "uuid": key,
            "day": day.pk,
            "learner": learners[0].pk,
            "status": "absent",
            "marked_at": datetime.datetime.now(datetime.UTC).isoformat(),
        },
        {"uuid": str(uuid.uuid4()), "day": day.pk, "learner": 999999, "status": "present"},
        {"uuid": str(uuid.uuid4()), "day": day.pk, "learner": learners[1].pk, "status": "nap"},
    ]
    response = client.post(sync, json.dumps({"marks": marks}), content_type="application/json")
    results = response.json()["results"]
    assert [r["ok"] for r in results] == [True, False, False]
    assert results[1]["retry"] is False and results[2]["retry"] is False
    again = client.post(sync, json.dumps({"marks": marks[:1]}), content_type="application/json")
    assert again.json()["results"] == [{"uuid": key, "ok": True, "duplicate": True}]
    assert Attendance.objects.get(learner=learners[0]).status == "absent"
    assert AttendanceMark.objects.count() == 4
    bad = client.post(sync, b"not json", content_type="application/json")
    assert bad.status_code == 400


def _png() -> SimpleUploadedFile:
    data = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(data, "PNG")
    return SimpleUploadedFile("sheet.png", data.getvalue(), content_type="image/png")


def test_sheet_photo_upload(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    session = make_class(world)
    day = session.days.first()
    client.force_login(world["trainer"])
    url = reverse("classes:sheet_photo", args=[session.pk, day.pk])
    client.post(url, {"photo": SimpleUploadedFile("x.png", b"not an image")})
    day.refresh_from_db()
    assert not day.sheet_photo
    client.post(url, {"photo": _png()})
    day.refresh_from_db()
    assert day.sheet_photo.name.startswith("classes/sheets/")
    assert day.sheet_uploaded_by == world["trainer"]


def test_attendance_sheet_import_all_or_nothing(client, world):
    session = make_class(world, days=2)
    learners = add_learners(world, session, 2)
    names = [learner.username for learner in learners]
    client.force_login(world["trainer"])
    url = reverse("classes:attendance_import", args=[session.pk])
    bad = (
        "Tên đăng nhập,02/11/2026,03/11/2026,09/11/2026\n"
        f"{names[0]},x,x,\n"
        f"{names[1]},v,?,\n"
        "nobody,x,x,\n"
    ).encode()
    response = client.post(url, {"file": SimpleUploadedFile("a.csv", bad)})
    assert response.status_code == 400
    problems = [li.get_text() for li in soup(response).select(".problems li")]
    assert len(problems) == 3
    assert "Cột 4" in problems[0] and "Dòng 3" in problems[1] and "Dòng 4" in problems[2]
    assert not Attendance.objects.exists()
    good = f"Tên đăng nhập,02/11/2026,2026-11-03\n{names[0]},x,x\n{names[1]},v,p\n".encode()
    # An earlier mark the sheet changes: the preview says so; nothing is written before the
    # trainer confirms.
    first_day = session.days.order_by("date").first()
    Attendance.objects.create(
        day=first_day, learner=learners[1], status="present", marked_at=timezone.now()
    )
    response = client.post(url, {"file": SimpleUploadedFile("a.csv", good)})
    assert response.status_code == 200
    page = soup(response)
    assert "Chưa có gì được lưu" in page.get_text()
    counts = [li.get_text(" ", strip=True) for li in page.select(".counts li")]
    assert counts[:3] == ["2 lượt có mặt", "1 lượt vắng", "1 lượt vắng có phép"]
    assert "1 lượt thay đổi" in counts[3]
    changed = page.select("td.changed")
    assert len(changed) == 1 and "trước đây: Có mặt" in changed[0].get_text(" ", strip=True)
    assert Attendance.objects.count() == 1
    confirm = reverse("classes:attendance_import_confirm", args=[session.pk])
    response = client.post(confirm)
    assert response.status_code == 302
    assert client.post(confirm)["Location"] == url  # used up: upload again
    statuses = sorted(Attendance.objects.values_list("learner__username", "status"))
    assert statuses == sorted(
        [(names[0], "present"), (names[0], "present"), (names[1], "absent"), (names[1], "excused")]
    )
    assert Enrolment.objects.get(user=learners[0]).status == "completed"


def test_paper_scores_page(client, world):
    session = make_class(world, days=1)
    [learner] = add_learners(world, session, 1)
    member = ClassMember.objects.get()
    client.force_login(world["trainer"])
    url = reverse("classes:scores", args=[session.pk])
    response = client.post(url, {f"score-{member.pk}": "120"})
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.paper_score is None
    client.post(url, {f"score-{member.pk}": "75"})
    member.refresh_from_db()
    assert member.paper_score == 75


def test_finish_button_completes(client, world):
    session = make_class(world, days=1)
    [learner] = add_learners(world, session, 1)
    Attendance.objects.create(
        day=session.days.get(),
        learner=learner,
        status="present",
        marked_at=datetime.datetime.now(datetime.UTC),
    )
    client.force_login(world["trainer"])
    client.post(reverse("classes:status", args=[session.pk]), {"status": "finished"})
    session.refresh_from_db()
    assert session.status == "finished"
    assert Enrolment.objects.get(user=learner).status == "completed"


def test_self_checkin_works_with_todays_code_only(client, world):
    today = datetime.date(2026, 11, 3)
    session = make_class(world, days=4, self_checkin=True, checkin_mode="daily")
    learner = make_learner(unit=world["ia_grai"])
    roster_add(user=world["trainer"], session=session, learner=learner)
    outsider = make_learner(unit=world["ia_grai"])
    with mock.patch("django.utils.timezone.localdate", return_value=today):
        token = checkin_token(session, today)
        url = reverse("classes:checkin", args=[session.pk, token])
        # The trainer's page shows the QR code of today's URL.
        client.force_login(world["trainer"])
        page = soup(client.get(reverse("classes:detail", args=[session.pk])))
        assert page.select_one(".checkin-qr svg") is not None
        assert token in page.select_one(".checkin-qr a")["href"]
        client.force_login(outsider)
        assert client.post(url).status_code == 403
        client.force_login(learner)
        assert client.get(url).status_code == 200
        client.post(url)
        yesterday = checkin_token(session, today - datetime.timedelta(days=1))
        assert (
            client.get(reverse("classes:checkin", args=[session.pk, yesterday])).status_code == 400
        )
        assert client.get(reverse("classes:checkin", args=[session.pk, "ảnh"])).status_code == 400
    mark = AttendanceMark.objects.get()
    assert (mark.learner, mark.source, mark.day.date) == (learner, "checkin", today)
    # The next day the same code is refused.
    with mock.patch("django.utils.timezone.localdate", return_value=today + datetime.timedelta(1)):
        assert client.get(url).status_code == 400


def test_queued_marks_complete_once_per_batch(client, world):
    """A batch from the queue completes whoever reached the rule, and only them."""
    session = make_class(world, days=2)
    learners = add_learners(world, session, 2)
    days = list(session.days.all())
    client.force_login(world["trainer"])
    marks = [
        {"uuid": str(uuid.uuid4()), "day": day.pk, "learner": learners[0].pk, "status": "present"}
        for day in days
    ] + [
        {
            "uuid": str(uuid.uuid4()),
            "day": days[0].pk,
            "learner": learners[1].pk,
            "status": "present",
        }
    ]
    response = client.post(
        reverse("classes:marks_sync", args=[session.pk]),
        json.dumps({"marks": marks}),
        content_type="application/json",
    )
    assert all(r["ok"] for r in response.json()["results"])
    statuses = dict(Enrolment.objects.values_list("user_id", "status"))
    assert statuses == {learners[0].pk: "completed", learners[1].pk: "active"}


def test_attendance_import_confirm_is_scoped_and_post_only(client, world):
    session = make_class(world, days=1)
    confirm = reverse("classes:attendance_import_confirm", args=[session.pk])
    client.force_login(world["trainer_out"])
    assert client.post(confirm).status_code == 404
    client.force_login(world["trainer"])
    assert client.get(confirm).status_code == 405
    response = client.post(confirm)  # nothing previewed in this session
    assert response.status_code == 302
    assert response["Location"] == reverse("classes:attendance_import", args=[session.pk])
