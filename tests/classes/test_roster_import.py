"""Roster import: 30 rows with existing people, duplicates and bad rows; the handout PDF."""

import io
import re
import subprocess
import unicodedata

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from courses.classes.handout import HandoutEntry, handout_pdf
from courses.classes.roster_import import (
    CREATE,
    MATCH,
    ON_ROSTER,
    REJECT,
    FileError,
    read_table,
    roster_import_apply,
    roster_import_plan,
    rows_from_table,
)
from courses.classes.services import roster_add
from courses.models import Enrolment
from courses.models.classes import ClassMember
from people.accounts import learner_account_create, username_base
from people.models import EthnicGroup, Profile
from tests.classes.conftest import make_class
from tests.factories import make_learner

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
User = get_user_model()

HEADERS = ["STT", "Họ và tên", "Năm sinh", "Giới tính", "Dân tộc", "Xã", "Đối tượng", "SĐT"]


def xlsx(rows) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for n, row in enumerate(rows, start=1):
        sheet.append([n, *row])
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("lop.xlsx", data.getvalue())


@pytest.fixture
def people(world):
    """Accounts that exist before the import."""
    ia_grai, ea_kao = world["ia_grai"], world["ea_kao"]
    return {
        # Matched by accent-free name + birth year + commune.
        "ksor": make_learner(unit=ia_grai, full_name="Ksor H'Blơi", birth_year=1975),
        "rmah": make_learner(unit=ia_grai, full_name="Rơ Mah Thuý", birth_year=1980),
        "puih": make_learner(unit=world["ia_le"], full_name="Puih Đức", birth_year=1969),
        # Matched by phone (written differently in the file).
        "siu": make_learner(unit=ia_grai, full_name="Siu Hương", phone="+84912000001"),
        "nay": make_learner(unit=ia_grai, full_name="Nay Lan", phone="0912000002"),
        # Already on the roster.
        "kpa": make_learner(unit=ia_grai, full_name="Kpă Hờ", birth_year=1990),
        # Outside every scope of the trainer, with a phone a row will use.
        "outsider": make_learner(unit=ea_kao, full_name="Y Bhin", phone="0912000099"),
        # Holds the username "dinhvanduc", so the new Đinh Văn Đức becomes "dinhvanduc2".
        "duc": make_learner(unit=ea_kao, username="dinhvanduc", full_name="Đinh Văn Đức"),
    }


def thirty_rows():
    grai = "Xã Ia Grai"
    created = [
        ["Đinh Văn Đức", 1970, "Nam", "Ba-na", grai, "village-head", ""],
        ["Rơ Châm H'Yơn", 1988, "Nữ", "Gia-rai", grai, "Người có uy tín", "0912000101"],
        ["Siu H'Nương", 2001, "nữ", "10", grai, "minority-youth", ""],
        ["Siu H'Nương", 1999, "nữ", "Jrai", grai, "", ""],  # same name, another person
        ["Nguyễn Thị Lệ", 1985, "Nữ", "Kinh", "Ia Grai", "business", "0912000102"],
        ["Ksor Thuỷ", 1979, "Nữ", "Giarai", grai, "", ""],
        ["Rahlan Đoan", 1992, "Nam", "13", grai, "", ""],
        ["Kpuih Hlim", 1983, "Nam", "Ê-đê", "Xã Ia Le", "", ""],
        ["Nay Blứ", 1991, "Nam", "Gia rai", "xa ia le", "", ""],
        ["Rơ Ô Hiền", 1977, "Nữ", "Gia-rai", grai, "", "0912 000 103"],
        ["Hoàng Văn Tú", 1966, "Nam", "Tày", grai, "", ""],
        ["Lò Thị Ơn", 1994, "Nữ", "Thái", grai, "", ""],
        ["Đặng Thị Diệu", 1990, "Nữ", "Dao", grai, "", ""],
        ["Ksor Nhung", 2003, "Nữ", "Gia-rai", grai, "minority-youth;business", ""],
        ["Phạm Văn Đông", 1972, "khác", "Mường", grai, "", ""],
    ]
    matched = [
        ["Ksor H'Blơi", 1975, "Nữ", "Gia-rai", grai, "", ""],
        ["RƠ MAH THUÝ", 1980, "Nữ", "Gia-rai", grai, "", ""],  # case and accents ignored
        ["Puih Duc", 1969, "Nam", "Gia-rai", "Xã Ia Le", "", ""],
        ["Siu Hương", "", "Nữ", "Gia-rai", grai, "", "0912 000 001"],
        ["Nay Thị Lan", 1960, "Nữ", "Gia-rai", grai, "", "+84912000002"],
    ]
    already = [["Kpă Hờ", 1990, "Nam", "Gia-rai", grai, "", ""]]
    rejected = [
        ["Y Bhin Niê", 1980, "Nam", "Ê-đê", grai, "", "0912000099"],  # phone outside scope
        ["Đinh Văn Đức", 1970, "Nam", "Ba-na", grai, "", ""],  # duplicate of line 2
        ["Rơ Ô Hiền B", 1950, "Nữ", "Gia-rai", grai, "", "0912000103"],  # duplicate phone
        ["Lê Văn Tám", 1980, "Nam", "Kinh", "Xã Không Có", "", ""],  # unknown commune
        ["Hà Văn Mười", 1980, "Nam", "Người sao Hoả", grai, "", ""],  # unknown ethnic group
        ["Trần Văn Bảy", "19x0", "Nam", "Kinh", grai, "", ""],  # bad birth year
        ["Trần Văn Chín", 2030, "Nam", "Kinh", grai, "", ""],  # bad birth year
        ["Y Mlô", 1980, "Nam", "Ê-đê", "Xã Ea Kao", "", ""],  # commune outside scope
        ["", 1980, "Nam", "Kinh", grai, "", ""],  # no name
    ]
    return created + matched + already + rejected


def test_plan_and_import_thirty(world, people):
    trainer = world["trainer"]
    # The trainer of Ia Grai also trains in Ia Le for this class.
    from people.models import Scope
    from people.services import scope_grant

    scope_grant(user=trainer, role=Scope.Role.TRAINER, org_unit=world["ia_le"])
    session = make_class(world)
    roster_add(user=trainer, session=session, learner=people["kpa"])
    rows = rows_from_table(read_table(xlsx(thirty_rows())))
    assert len(rows) == 30

    plan = roster_import_plan(user=trainer, session=session, rows=rows)
    assert plan.counts == {CREATE: 15, MATCH: 5, ON_ROSTER: 1, REJECT: 9}
    reasons = {row.line: " ".join(row.reasons) for row in plan.of(REJECT)}
    # Line numbers are spreadsheet rows: the header is line 1, the first learner line 2.
    assert "outside your units" in reasons[23]
    assert reasons[24] == "duplicate of line 2 in this file"
    assert reasons[25] == "duplicate of line 11 in this file"
    assert "unknown commune" in reasons[26]
    assert "unknown ethnic group" in reasons[27]
    assert "bad birth year" in reasons[28] and "bad birth year" in reasons[29]
    assert "unknown commune" in reasons[30]
    assert "full name is missing" in reasons[31]
    assert {row.profile.user for row in plan.of(MATCH)} == {
        people[k] for k in ("ksor", "rmah", "puih", "siu", "nay")
    }
    users_before = User.objects.count()

    # All or nothing: with rejected rows and no explicit skip, nothing is written.
    with pytest.raises(ValidationError) as error:
        roster_import_apply(user=trainer, session=session, rows=rows)
    assert len(error.value.messages) == 9 and error.value.messages[0].startswith("Line 23:")
    assert User.objects.count() == users_before
    assert ClassMember.objects.filter(session=session).count() == 1

    result = roster_import_apply(user=trainer, session=session, rows=rows, skip_rejected=True)
    assert len(result.created) == 15 and result.added == 20
    assert User.objects.count() == users_before + 15
    assert ClassMember.objects.filter(session=session).count() == 21
    assert Enrolment.objects.filter(course=world["course"], source="class").count() == 21
    usernames = {new.user.username for new in result.created}
    assert {"dinhvanduc2", "siuhnuong", "siuhnuong2", "nguyenthile", "rochamhyon"} <= usernames
    yon = Profile.objects.get(user__username="rochamhyon")
    assert yon.full_name == "Rơ Châm H'Yơn"
    assert unicodedata.is_normalized("NFC", yon.full_name)
    assert (yon.birth_year, yon.gender, yon.ethnic_group.code, yon.org_unit) == (
        1988,
        "female",
        "10",
        world["ia_grai"],
    )
    assert [g.code for g in yon.target_groups.all()] == ["prestigious-person"]
    assert yon.phone == "0912000101"
    assert Profile.objects.get(user__username="rahlandoan").ethnic_group.code == "13"
    assert Profile.objects.get(user__username="kpuihhlim").org_unit == world["ia_le"]
    for new in result.created:
        assert new.pin.isdigit() and len(new.pin) == 6
        assert new.user.check_password(new.pin)
    # Matched people kept their accounts and profiles untouched.
    assert Profile.objects.get(user=people["nay"]).full_name == "Nay Lan"

    # Importing the same file again creates nobody: everyone is on the roster now.
    again = roster_import_plan(user=trainer, session=session, rows=rows)
    assert again.counts[CREATE] == 0 and again.counts[ON_ROSTER] == 21


def test_csv_with_semicolons_and_english_headers(world):
    data = (
        "Full name;Birth year;Gender;Ethnic group;Commune;Phone\n"
        "Ksor Đào;1990;female;Jrai;Xã Ia Grai;\n"
        "\n"
        "Ksor Đào;1990;female;Jrai;Ia Grai;\n"
    ).encode()
    rows = rows_from_table(read_table(SimpleUploadedFile("lop.csv", data)))
    session = make_class(world)
    plan = roster_import_plan(user=world["trainer"], session=session, rows=rows)
    assert [(r.line, r.action) for r in plan.rows] == [(2, CREATE), (4, REJECT)]


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("a.pdf", b"%PDF-1.4", "Upload a .csv or .xlsx"),
        ("a.csv", "Họ và tên;Xã\n".encode("utf-16"), "not UTF-8"),
        ("a.csv", b"Name,Year\nA,1990\n", "are required"),
        ("a.xlsx", b"PK\x03\x04broken", "could not be read"),
        ("a.csv", "Họ và tên,Xã\n".encode(), "no learners"),
    ],
)
def test_unreadable_files_say_why(name, content, message):
    with pytest.raises(FileError) as error:
        rows_from_table(read_table(SimpleUploadedFile(name, content)))
    assert message in error.value.messages[0]


def test_capacity_stops_the_whole_import(world):
    session = make_class(world, capacity=2)
    rows = rows_from_table(
        read_table(
            xlsx([[f"Người {n}", 1990 + n, "Nam", "Kinh", "Xã Ia Grai", "", ""] for n in range(3)])
        )
    )
    users_before = User.objects.count()
    with pytest.raises(ValidationError):
        roster_import_apply(user=world["trainer"], session=session, rows=rows)
    assert User.objects.count() == users_before


def test_usernames_drop_diacritics():
    assert username_base("Đinh Văn Đức") == "dinhvanduc"
    assert username_base("Siu H'Nương") == "siuhnuong"
    assert username_base("Ơ Đu") == "odu"
    assert username_base("!!!") == "hocvien"


def test_handout_pdf_contains_every_new_username(world, tmp_path):
    news = [
        learner_account_create(
            full_name=name,
            org_unit=world["ia_grai"],
            ethnic_group=EthnicGroup.objects.get(code="10"),
        )
        for name in ["Siu H'Nương", "Đinh Văn Đức", "Rơ Châm H'Yơn", "Ksor Thuỷ", "Nay Blứ"]
    ]
    pdf = handout_pdf(
        class_title="Lớp tập huấn Ia Grai",
        entries=[HandoutEntry(n.user.profile.full_name, n.user.username, n.pin) for n in news],
    )
    path = tmp_path / "handout.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True)
    assert re.search(r"^Pages:\s+2$", info.stdout, re.M)  # four cards a page
    assert "595.276 x 841.89" in info.stdout  # A4
    # The QR code opens the login page.
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "2", "-l", "2", str(path), str(tmp_path / "p")],
        check=True,
    )
    [image] = tmp_path.glob("p*.png")
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(image)], capture_output=True, check=True, text=True
    ).stdout.split()
    assert decoded == ["http://127.0.0.1:8000/accounts/login/"]
    text = unicodedata.normalize("NFC", text)
    for new in news:
        assert new.user.username in text
        assert new.pin in text
        assert new.user.profile.full_name in text  # diacritics survive
    assert "http://127.0.0.1:8000" in text
