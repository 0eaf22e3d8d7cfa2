"""Population import: all or nothing, every bad row reported with its line number."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import Workbook

from targets.models import Population

pytestmark = pytest.mark.django_db


def csv_bytes(lines):
    return ("\n".join(lines) + "\n").encode("utf-8")


def xlsx_bytes(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_command_imports_csv_and_updates(tree, tmp_path):
    a, c = tree["units"]["A"].code, tree["units"]["C"].code
    path = tmp_path / "figures.csv"
    path.write_bytes(
        csv_bytes(
            [
                "unit_code,target_group,year,count",
                f"{a},village-head,2026,12",
                f"{c},village-head,2026,3",
                f"{c},prestigious-person,2027,1",
            ]
        )
    )
    before = Population.objects.count()
    call_command("import_population", str(path))
    assert (
        Population.objects.get(org_unit__code=a, year=2026, target_group__code="village-head").count
        == 12
    )
    assert Population.objects.count() == before + 2


def test_command_reports_every_bad_row_and_writes_nothing(tree, tmp_path, capsys):
    a = tree["units"]["A"].code
    path = tmp_path / "figures.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [
                ["Unit_Code", "Target_Group", "Year", "Count"],
                [a, "village-head", 2026, 50],  # line 2: fine alone
                ["NOPE", "village-head", 2026, 1],  # line 3: unknown unit
                [a, "no-such-group", 2026, 1],  # line 4: unknown group
                [tree["units"]["B"].code, "village-head", 2026, -4],  # line 5: negative
                [a, "village-head", 2026, 51],  # line 6: duplicate of line 2
                [a, "village-head", "hai nghìn", 5],  # line 7: not a number
            ]
        )
    )
    with pytest.raises(CommandError):
        call_command("import_population", str(path))
    err = capsys.readouterr().err
    for line in ("line 3:", "line 4:", "line 5:", "line 6:", "line 7:"):
        assert line in err
    assert "line 2:" not in err
    assert (
        Population.objects.get(org_unit__code=a, year=2026, target_group__code="village-head").count
        == 10
    )


def test_upload_preview_then_confirm(client, tree):
    client.force_login(tree["users"]["manager_in"])
    url = reverse("targets:population_upload")
    c = tree["units"]["C"]
    upload = SimpleUploadedFile(
        "so-lieu.csv",
        csv_bytes(["unit_code,target_group,year,count", f"{c.code},village-head,2026,7"]),
    )
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    preview = response.context["preview"]
    assert [(r.unit_name, r.count, r.previous) for r in preview] == [("Xã C", 7, None)]
    assert not Population.objects.filter(org_unit=c, year=2026).exists()  # not yet
    response = client.post(url, {"confirm": response.context["confirm"]})
    assert response.status_code == 302
    assert Population.objects.get(org_unit=c, year=2026).count == 7


def test_upload_rejects_units_outside_scope(client, tree):
    client.force_login(tree["users"]["manager_in"])
    q = tree["units"]["Q"]
    upload = SimpleUploadedFile(
        "x.csv", csv_bytes(["unit_code,target_group,year,count", f"{q.code},village-head,2026,7"])
    )
    response = client.post(reverse("targets:population_upload"), {"file": upload})
    assert [line for line, _message in response.context["errors"]] == [2]
    assert not Population.objects.filter(org_unit=q).exists()


def test_upload_tampered_confirmation_is_refused(client, tree):
    client.force_login(tree["users"]["manager_in"])
    response = client.post(reverse("targets:population_upload"), {"confirm": "forged"})
    assert response.status_code == 200
    assert not Population.objects.filter(year=2026, count=7).exists()


def test_upload_bad_file_is_an_error_not_500(client, tree):
    client.force_login(tree["users"]["manager_in"])
    upload = SimpleUploadedFile("x.xlsx", b"not a workbook")
    response = client.post(reverse("targets:population_upload"), {"file": upload})
    assert response.status_code == 200 and response.context["errors"]
    upload = SimpleUploadedFile("x.csv", "a;b\n".encode("utf-16"))
    response = client.post(reverse("targets:population_upload"), {"file": upload})
    assert response.status_code == 200 and response.context["errors"]


def test_command_imports_breakdown_by_ethnic_group_and_gender(tree, tmp_path):
    """Codes or names (with or without diacritics), F/M or Nữ/Nam; empty cells mean "all"."""
    a, b = tree["units"]["A"].code, tree["units"]["B"].code
    path = tmp_path / "figures.csv"
    path.write_bytes(
        csv_bytes(
            [
                "unit_code,target_group,year,count,ethnic_group,gender",
                f"{a},village-head,2026,6,10,",  # Jrai by GSO code
                f"{a},village-head,2026,4,,F",
                f"{a},village-head,2026,2,Gia-rai,Nữ",
                f"{b},village-head,2026,3,gia rai,nam",  # no diacritics, lowercase
                f"{b},village-head,2026,1,Kinh,M",
                f"{b},village-head,2026,5,,",  # replaces B's existing "all" figure (4)
            ]
        )
    )
    call_command("import_population", str(path))
    figures = {
        (p.org_unit.code, p.ethnic_group.code if p.ethnic_group else "", p.gender): p.count
        for p in Population.objects.filter(year=2026, target_group__code="village-head")
    }
    assert figures[(a, "10", "")] == 6
    assert figures[(a, "", "female")] == 4
    assert figures[(a, "10", "female")] == 2
    assert figures[(b, "10", "male")] == 3
    assert figures[(b, "01", "male")] == 1
    assert figures[(b, "", "")] == 5
    assert figures[(a, "", "")] == 10  # the undivided figure is untouched


def test_breakdown_errors_reported_with_lines_nothing_written(tree, tmp_path, capsys):
    a = tree["units"]["A"].code
    path = tmp_path / "figures.csv"
    path.write_bytes(
        csv_bytes(
            [
                "unit_code,target_group,year,count,ethnic_group,gender",
                f"{a},village-head,2026,6,10,F",  # line 2: fine alone
                f"{a},village-head,2026,6,Klingon,F",  # line 3: unknown ethnic group
                f"{a},village-head,2026,6,10,X",  # line 4: unknown gender
                f"{a},village-head,2026,7,Jrai,nữ",  # line 5: duplicate of line 2 (Jrai = 10)
                f"{a},village-head,2026,7,99,",  # line 6: no GSO code 99
            ]
        )
    )
    before = Population.objects.count()
    with pytest.raises(CommandError):
        call_command("import_population", str(path))
    err = capsys.readouterr().err
    assert "line 2:" not in err
    unknown_ethnic = gettext("unknown ethnic group “%(value)s” (give its GSO code or name)")
    assert "line 3: " + unknown_ethnic % {"value": "Klingon"} in err
    assert (
        "line 4: " + gettext("unknown gender “%(value)s” (use F or M, Nữ or Nam)") % {"value": "X"}
        in err
    )
    duplicate = gettext(
        "duplicate of line %(line)s (same unit, group, year, ethnic group and gender)"
    )
    assert "line 5: " + duplicate % {"line": 2} in err
    assert "line 6: " + unknown_ethnic % {"value": "99"} in err
    assert Population.objects.count() == before


def test_upload_preview_shows_breakdown(client, tree):
    client.force_login(tree["users"]["manager_in"])
    url = reverse("targets:population_upload")
    c = tree["units"]["C"]
    upload = SimpleUploadedFile(
        "so-lieu.csv",
        csv_bytes(
            [
                "unit_code,target_group,year,count,gender,ethnic_group",
                f"{c.code},village-head,2026,7,F,10",
            ]
        ),
    )
    response = client.post(url, {"file": upload})
    preview = response.context["preview"]
    assert [(r.ethnic_name, r.gender, r.count) for r in preview] == [("Gia-rai", "female", 7)]
    response = client.post(url, {"confirm": response.context["confirm"]})
    assert response.status_code == 302
    figure = Population.objects.get(org_unit=c, year=2026)
    assert (figure.ethnic_group.code, figure.gender, figure.count) == ("10", "female", 7)


def test_database_refuses_two_undivided_figures(tree):
    from django.db import IntegrityError, transaction

    a, vh = tree["units"]["A"], tree["groups"]["vh"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Population.objects.create(org_unit=a, target_group=vh, year=2026, count=1)
