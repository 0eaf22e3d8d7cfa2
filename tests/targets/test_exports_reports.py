"""Exports, the annual report from a frozen snapshot, read back with openpyxl and csv."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from targets.models import ReportSnapshot
from targets.services import report_snapshot_create, report_xlsx
from tests.targets.conftest import complete

pytestmark = pytest.mark.django_db


def sheet_rows(content: bytes, index: int = 0):
    workbook = load_workbook(io.BytesIO(content))
    return [list(row) for row in workbook.worksheets[index].iter_rows(values_only=True)]


def test_unit_table_xlsx_and_csv(client, tree):
    client.force_login(tree["users"]["manager_in"])
    url = reverse("targets:detail", args=[tree["target"].pk])
    response = client.get(url, {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = sheet_rows(response.content)
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code[tree["units"]["A"].code][1:] == ["Xã A", 5, 10, 50, 8, 3]
    assert by_code[tree["units"]["B"].code][1:] == ["Xã B", 2, 4, 50, 4, 2]
    c = by_code[tree["units"]["C"].code]
    assert c[2] == 1 and c[3] not in (None, 0) and isinstance(c[3], str)  # "no population data"
    total = rows[-1]
    assert total[2] == 9 and isinstance(total[3], str)

    response = client.get(url, {"format": "csv"})
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [tree["units"]["A"].code, "Xã A", "5", "10", "50.0", "8", "3"] in table


def test_people_export_keeps_diacritics(client, tree):
    client.force_login(tree["users"]["manager_in"])
    url = reverse("targets:people", args=[tree["target"].pk])
    rows = sheet_rows(client.get(url, {"format": "xlsx", "unit": tree["units"]["B"].pk}).content)
    assert sorted((r[0], r[2], r[3]) for r in rows[1:]) == [
        ("Lê Thị Thắm", "Xã B", "Tin học cơ bản"),
        ("Puih H'Nương", "Xã B", "Tin học cơ bản"),
    ]
    text = client.get(url, {"format": "csv"}).content.decode("utf-8")
    assert "Đinh Văn Kiên" in text and "Nguyễn Thị Hạnh" in text


def test_list_export(client, tree):
    client.force_login(tree["users"]["manager_in"])
    rows = sheet_rows(client.get(reverse("targets:list"), {"format": "xlsx"}).content)
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["50% người có uy tín"][6:] == [2, 8, 25, 4, 2]


def test_report_is_frozen_and_reproducible(tree):
    snapshot = report_snapshot_create(
        year=2026, unit=tree["units"]["P"], user=tree["users"]["manager_in"]
    )
    first = report_xlsx(snapshot)
    summary = sheet_rows(first, 0)
    assert summary[0][1] == 2026 and summary[4][1] == snapshot.pk
    assert summary[2][1] == tree["users"]["manager_in"].username
    data_rows = {row[0]: row for row in summary[7:]}
    assert data_rows["50% người có uy tín"][6:11] == [2, 8, 25, 4, 2]
    assert data_rows["80% trưởng thôn hoàn thành tin học cơ bản"][6] == 9
    detail = sheet_rows(first, 1)  # the first target by name: "50% người có uy tín"
    assert any(row[1] == "Xã A" and row[2] == 2 for row in detail)

    # data changes after the report: the snapshot does not
    late = tree["people"]["L11"]
    complete(late, tree["courses"]["c3"], "2026-10-01")
    again = sheet_rows(report_xlsx(ReportSnapshot.objects.get(pk=snapshot.pk)), 0)
    assert again == summary
    fresh = report_snapshot_create(year=2026, unit=tree["units"]["P"])
    fresh_rows = {row[0]: row for row in sheet_rows(report_xlsx(fresh), 0)[7:]}
    assert fresh_rows["80% trưởng thôn hoàn thành tin học cơ bản"][6] == 10


def test_report_button_records_the_author(client, tree):
    client.force_login(tree["users"]["manager_in"])
    response = client.post(
        reverse("targets:report_create"), {"year": "2026", "unit": tree["units"]["P"].code}
    )
    snapshot = ReportSnapshot.objects.get()
    assert snapshot.created_by == tree["users"]["manager_in"]
    assert response["Location"] == reverse("targets:report_download", args=[snapshot.pk])
    content = client.get(response["Location"]).content
    assert len(load_workbook(io.BytesIO(content)).worksheets) == 3


def test_target_report_command(tree, tmp_path):
    out = tmp_path / "report.xlsx"
    call_command("target_report", "--year", "2026", "--out", str(out))
    rows = sheet_rows(out.read_bytes(), 0)
    assert rows[2][1] != tree["users"]["manager_in"].username  # made on the command line
    assert {row[0] for row in rows[7:]} == {
        "80% trưởng thôn hoàn thành tin học cơ bản",
        "50% người có uy tín",
    }
    snapshot = ReportSnapshot.objects.get()
    again = tmp_path / "again.xlsx"
    call_command("target_report", "--snapshot", str(snapshot.pk), "--out", str(again))
    assert sheet_rows(again.read_bytes(), 0) == rows
    out_q = tmp_path / "q.xlsx"
    call_command(
        "target_report", "--year", "2026", "--unit", tree["units"]["Q"].code, "--out", str(out_q)
    )
    assert sheet_rows(out_q.read_bytes(), 0)[7:] == []


@pytest.fixture
def province_breakdown(tree):
    """Village heads of Tỉnh Mới broken down at the province itself (its own figures win)."""
    from people.models import EthnicGroup
    from targets.models import Population

    kinh = EthnicGroup.objects.get(code="01")
    for ethnic, gender, count in ((kinh, "", 12), (None, "female", 5), (None, "male", 9)):
        Population.objects.create(
            org_unit=tree["units"]["P"],
            target_group=tree["groups"]["vh"],
            year=2026,
            ethnic_group=ethnic,
            gender=gender,
            count=count,
        )
    Population.objects.create(
        org_unit=tree["units"]["P"],
        target_group=tree["groups"]["vh"],
        year=2026,
        ethnic_group=kinh,
        gender="female",
        count=4,
    )
    return tree


def test_report_breakdown_columns(province_breakdown):
    tree = province_breakdown
    snapshot = report_snapshot_create(year=2026, unit=tree["units"]["P"])
    summary = sheet_rows(report_xlsx(snapshot), 0)
    header = summary[6]
    kinh = gettext("Kinh")
    assert header[12:15] == [
        gettext("%(breakdown)s: people") % {"breakdown": kinh},
        gettext("%(breakdown)s: population") % {"breakdown": kinh},
        gettext("%(breakdown)s: %%") % {"breakdown": kinh},
    ]
    row = {r[0]: r for r in summary[7:]}["80% trưởng thôn hoàn thành tin học cơ bản"]
    # The 9 counted: L1 (Gia-rai, man), L2 (woman), L3, L4, L5, L7 (Gia-rai, man), L8 (woman),
    # L9, L13; everyone else Kinh and men.
    assert row[12:15] == [7, 12, 58.3]  # Kinh: 7 of 12
    # minorities: L1 and L7; the province has no undivided figure (Xã C has none) to subtract
    # the Kinh from, so no population for this breakdown
    assert row[15:18] == [2, gettext("no population data for this breakdown"), None]
    assert row[18:21] == [None, None, None]  # the target names no ethnic group
    assert row[21:24] == [2, 5, 40]  # women: L2, L8 of 5
    assert row[24:27] == [7, 9, 77.8]  # men: 7 of 9
    frozen = snapshot.data["targets"][1]["breakdown"]
    assert frozen["female"]["people"] == 2 and frozen["named"] is None


def test_report_breakdown_named_group(province_breakdown):
    tree = province_breakdown
    target = tree["target"]
    target.ethnic_group = tree["jrai"]
    target.save()
    snapshot = report_snapshot_create(year=2026, unit=tree["units"]["P"])
    row = {r[0]: r for r in sheet_rows(report_xlsx(snapshot), 0)[7:]}[target.name]
    # the named group's column: L1 and L7 (Gia-rai), no Gia-rai figure anywhere
    assert row[18:21] == [2, gettext("no population data for this breakdown"), None]
    # the target itself counts Gia-rai village heads only: 2, unknown population
    assert row[6] == 2 and row[7] == gettext("no population data for this breakdown")


def test_target_report_command_filters(province_breakdown, tmp_path):
    out = tmp_path / "report.xlsx"
    call_command(
        "target_report",
        "--year",
        "2026",
        "--ethnic-group",
        "01",
        "--gender",
        "F",
        "--target-group",
        "village-head",
        "--out",
        str(out),
    )
    rows = sheet_rows(out.read_bytes(), 0)
    assert rows[5] == [
        gettext("Filters"),
        "ethnic_group=01, gender=F, target_group=village-head",
    ] + [None] * (len(rows[5]) - 2)
    by_name = {row[0]: row for row in rows[8:]}
    # Kinh women village heads: L2, L8 of the province's 4 -> 50 %, for both targets (the
    # prestigious-person target's group is replaced by the filter; both count it-basics c1)
    for name in ("80% trưởng thôn hoàn thành tin học cơ bản", "50% người có uy tín"):
        assert by_name[name][6:9] == [2, 4, 50]
    snapshot = ReportSnapshot.objects.get()
    assert snapshot.parameters["filters"] == {
        "ethnic_group": "01",
        "gender": "F",
        "target_group": "village-head",
    }
    for bad in (["--ethnic-group", "77"], ["--gender", "X"], ["--target-group", "nobody"]):
        with pytest.raises(CommandError):
            call_command("target_report", "--year", "2026", *bad, "--out", str(out))
    assert ReportSnapshot.objects.count() == 1
