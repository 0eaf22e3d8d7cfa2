"""Formula injection, as an attacker: names that a spreadsheet would run as formulas come out
of EVERY export as text with a leading quote, read back with the csv module and openpyxl.

The exports (each enumerated below):
  targets:list    ?format=csv|xlsx   target, unit and group names
  targets:detail  ?format=csv|xlsx   unit names
  targets:people  ?format=csv|xlsx   learners' names and usernames
  targets:report_create → report_download (XLSX)   the annual report from its snapshot
  manage.py target_report --out FILE.xlsx          the same report from the command line
  courses:h5p:report_csv                           learners' H5P results
  manage.py completions_without_evidence --csv     completions to review (CSV on stdout)
(The class handout is a PDF: names are printed as written, there are no cells to run.)

The profile form strips a leading tab or CR, so names are written with `.update()` here, as
any other path (an import, the admin, an older row) could: the exports must not rely on it.
"""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from courses.services import enrolment_create
from people.models import OrgUnit, Profile
from targets.models import TrainingTarget
from tests.courses.h5p_support import H5P_NEGATIVE, import_file, make_h5p_lesson
from tests.factories import make_learner, make_unit
from tests.shared_data import shared
from tests.targets.conftest import complete

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\tX", "\rY"]
SAFE = {"'" + text for text in FORMULAS}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def poisoned(tree):
    """Six learners, six communes and six targets named with formulas, inside manager_in's
    province P, all counting towards the targets."""
    p, vh = tree["units"]["P"], tree["groups"]["vh"]
    learners = []
    for n, text in enumerate(FORMULAS):
        commune = make_unit(f"Xã độc {n}", parent=p)
        OrgUnit.objects.filter(pk=commune.pk).update(name=text)
        learner = make_learner(unit=tree["units"]["B"], full_name=f"tạm {n}")
        learner.profile.target_groups.set([vh])
        Profile.objects.filter(user=learner).update(full_name=text)
        complete(learner, tree["courses"]["c1"], f"2026-04-0{n + 1}")
        learners.append(learner)
        TrainingTarget.objects.create(
            name=text,
            scope_unit=p,
            topic="it-basics",
            target_percent=Decimal("50"),
            deadline=datetime.date(2026, 12, 31),
            reporting_year=2026,
        ).target_groups.set([vh])
    return learners


def xlsx_cells(content: bytes) -> list[tuple]:
    """Every non-empty cell of every sheet, as (value, openpyxl data type)."""
    workbook = load_workbook(io.BytesIO(content))
    return [
        (cell.value, cell.data_type)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def csv_cells(content: bytes) -> list[str]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return [cell for row in csv.reader(io.StringIO(text[1:], newline="")) for cell in row]


def assert_neutralised_xlsx(content: bytes):
    cells = xlsx_cells(content)
    assert not [c for c in cells if c[1] == "f"], "a formula cell was written"
    values = {value for value, _type in cells}
    # XML turns a raw CR into LF on reading; the leading quote is what matters.
    safe = {text.replace("\r", "\n") for text in SAFE}
    assert safe <= values, safe - values
    assert not values & {text.replace("\r", "\n") for text in FORMULAS}
    for value, data_type in cells:
        if isinstance(value, str):
            assert data_type in ("s", "inlineStr")
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def assert_neutralised_csv(content: bytes):
    cells = csv_cells(content)
    assert SAFE <= set(cells), SAFE - set(cells)
    for cell in cells:
        assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
        # "-" starts only numbers (a negative figure), never text
        if cell.startswith("-"):
            float(cell)


def test_targets_exports(client, tree, poisoned):
    client.force_login(tree["users"]["manager_in"])
    target = tree["target"]
    urls = [
        (reverse("targets:list"), {}),
        (reverse("targets:detail", args=[target.pk]), {}),
        (reverse("targets:people", args=[target.pk]), {"unit": tree["units"]["B"].pk}),
    ]
    for url, params in urls:
        xlsx = client.get(url, {**params, "format": "xlsx"})
        assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith(
            "application/vnd.openxmlformats"
        )
        assert_neutralised_xlsx(xlsx.content)
        text = client.get(url, {**params, "format": "csv"})
        assert text.status_code == 200 and text["Content-Type"].startswith("text/csv")
        assert_neutralised_csv(text.content)


def test_people_export_keeps_diacritics_next_to_quoted_names(client, tree, poisoned):
    client.force_login(tree["users"]["manager_in"])
    url = reverse("targets:people", args=[tree["target"].pk])
    cells = csv_cells(client.get(url, {"format": "csv", "unit": tree["units"]["B"].pk}).content)
    assert "Puih H'Nương" in cells and "Lê Thị Thắm" in cells and "'-2+3" in cells


def test_annual_report_page_and_command(client, tree, poisoned, tmp_path):
    client.force_login(tree["users"]["manager_in"])
    created = client.post(
        reverse("targets:report_create"), {"year": 2026, "unit": tree["units"]["P"].code}
    )
    assert created.status_code == 302
    report = client.get(created["Location"])
    assert report.status_code == 200
    assert_neutralised_xlsx(report.content)

    out = tmp_path / "report.xlsx"
    call_command("target_report", year=2026, out=str(out), stdout=io.StringIO())
    assert_neutralised_xlsx(out.read_bytes())


def test_h5p_results_csv(client, tree, poisoned):
    package = import_file(H5P_NEGATIVE / "valid2.h5p")
    lesson, block = make_h5p_lesson(tree["courses"]["c2"], package)
    statement = json.loads(
        (shared("xapi", "h5p-captured", "H5P.TrueFalse-1.6_statements.json")).read_text()
    )[-1]
    for learner in poisoned:
        enrolment_create(user=learner, course=tree["courses"]["c2"])
        client.force_login(learner)
        response = client.post(
            reverse("courses:h5p:xapi"),
            json.dumps({"lesson": lesson.pk, "block": block, "statement": statement}),
            content_type="application/json",
        )
        assert response.status_code == 201
    client.force_login(tree["users"]["trainer_in"])
    export = client.get(reverse("courses:h5p:report_csv", args=[lesson.pk, block]))
    assert export.status_code == 200
    assert_neutralised_csv(export.content)
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8")[1:], newline="")))
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name['\'=HYPERLINK("http://x","y")'][3:6] == ["100", "100", "1"]


def test_completions_without_evidence_csv(tree, poisoned):
    # The poisoned learners' c1 completions carry evidence (conftest's `complete` records
    # attendance so they count toward targets); give each one without, to be listed.
    for n, learner in enumerate(poisoned):
        complete(learner, tree["courses"]["c2"], f"2026-05-0{n + 1}", evidence="")
    out = io.StringIO()
    call_command("completions_without_evidence", as_csv=True, stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    names = {row[2] for row in rows[1:]}
    assert SAFE <= names, SAFE - names
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
