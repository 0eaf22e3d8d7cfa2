"""The satisfaction survey: open after completion, once per learner and course; results per
course and unit for managers in scope, with percentages computed by hand; safe exports."""

import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from courses.models import Enrolment
from courses.services import enrolment_complete, enrolment_create
from dialogue.models import SurveyResponse
from dialogue.selectors import survey_results
from dialogue.services import survey_submit
from notify.models import Notification
from tests.factories import make_learner

pytestmark = pytest.mark.django_db

ANSWERS = {"overall": "5", "useful": "4", "clear": "4", "comment": "Rất hữu ích"}


def complete(user, course):
    enrolment, _created = enrolment_create(user=user, course=course)
    enrolment_complete(enrolment=enrolment, evidence="assessment")
    return enrolment


def learner_done(world, unit, name, **answers):
    user = make_learner(unit=unit, full_name=name)
    complete(user, world["course"])
    if answers:
        survey_submit(user=user, course=world["course"], **answers)
    return user


def test_the_survey_opens_after_completion_and_takes_one_answer(client, world):
    url = reverse("dialogue:survey", args=[world["course"].pk])
    client.force_login(world["learner"])
    assert client.get(url).status_code == 403  # not completed yet
    assert client.post(url, ANSWERS).status_code == 403
    assert not SurveyResponse.objects.exists()

    complete(world["learner"], world["course"])
    page = BeautifulSoup(client.get(url).content, "html.parser")
    assert len(page.select("fieldset.likert")) == 3
    response = client.post(url, ANSWERS)
    assert response.status_code == 302
    saved = SurveyResponse.objects.get()
    assert (saved.overall, saved.useful, saved.clear, saved.org_unit) == (5, 4, 4, world["ia_grai"])

    # Replaying the form (a double tap, a resent request) changes nothing.
    replay = client.post(url, {**ANSWERS, "overall": "1"})
    assert replay.status_code == 403
    with pytest.raises(ValidationError):
        survey_submit(user=world["learner"], course=world["course"], overall=1, useful=1, clear=1)
    assert SurveyResponse.objects.get().overall == 5


def test_out_of_range_and_forged_answers_are_refused(client, world):
    complete(world["learner"], world["course"])
    client.force_login(world["learner"])
    url = reverse("dialogue:survey", args=[world["course"].pk])
    for forged in (
        {**ANSWERS, "overall": "9"},
        {**ANSWERS, "useful": "0"},
        {**ANSWERS, "clear": "x"},
    ):
        assert client.post(url, forged).status_code == 200  # the form again, with its error
    assert client.post(url, {**ANSWERS, "comment": "c" * 1001}).status_code == 200
    assert not SurveyResponse.objects.exists()
    for value in (0, 6, "5; DROP", None):
        with pytest.raises(ValidationError):
            survey_submit(
                user=world["learner"], course=world["course"], overall=value, useful=3, clear=3
            )
    # Another learner's course: not completed by this learner, so no survey.
    with pytest.raises(PermissionDenied):
        survey_submit(user=world["outsider"], course=world["course"], overall=5, useful=5, clear=5)


def test_completion_invites_to_the_survey_once(world, commit):
    enrolment, _ = enrolment_create(user=world["learner"], course=world["course"])
    commit(enrolment_complete, enrolment=enrolment, evidence="")
    commit(enrolment_complete, enrolment=enrolment, evidence="assessment")  # a no-op
    from courses.services import enrolment_evidence_add

    commit(
        enrolment_evidence_add,
        enrolment=Enrolment.objects.get(pk=enrolment.pk),
        evidence="assessment",
    )
    invites = Notification.objects.filter(user=world["learner"], key__startswith="survey:")
    assert list(invites.values_list("url", flat=True)) == [f"/khao-sat/{world['course'].pk}/"]


def test_results_per_course_and_unit_hand_computed(world):
    # Ia Grai: overall 5, 4, 2 -> 2 of 3 satisfied = 66.7 %; averages 11/3 = 3.67.
    # Ia Le: overall 3 -> 0 of 1 = 0 %. Ea Kao (Đắk Lắk): overall 5 -> out of scope.
    learner_done(world, world["ia_grai"], "A", overall=5, useful=5, clear=4)
    learner_done(world, world["ia_grai"], "B", overall=4, useful=3, clear=4)
    learner_done(world, world["ia_grai"], "C", overall=2, useful=2, clear=1)
    learner_done(world, world["ia_le"], "D", overall=3, useful=4, clear=5)
    learner_done(world, world["ea_kao"], "E", overall=5, useful=5, clear=5)

    by_course = survey_results(world["manager"], by="course")
    assert len(by_course) == 1
    row = by_course[0]
    # Gia Lai: 4 responses, 2 satisfied (5 and 4) = 50.0 %; overall (5+4+2+3)/4 = 3.5.
    assert (row["responses"], row["satisfied"], row["satisfied_pct"]) == (4, 2, 50.0)
    assert row["overall_avg"] == pytest.approx(3.5)
    assert row["useful_avg"] == pytest.approx((5 + 3 + 2 + 4) / 4)

    by_unit = {r["org_unit__name"]: r for r in survey_results(world["manager"], by="unit")}
    assert set(by_unit) == {"Xã Ia Grai", "Xã Ia Le"}
    assert by_unit["Xã Ia Grai"]["satisfied_pct"] == 66.7
    assert by_unit["Xã Ia Grai"]["overall_avg"] == pytest.approx(11 / 3)
    assert by_unit["Xã Ia Le"]["satisfied_pct"] == 0.0

    out = survey_results(world["manager_out"], by="course")
    assert [(r["responses"], r["satisfied_pct"]) for r in out] == [(1, 100.0)]
    assert survey_results(world["learner"]) == []


def test_results_page_is_for_managers_and_exports_neutralise_formulas(client, world):
    learner_done(
        world,
        world["ia_grai"],
        "Nguyễn Thị Hương",
        overall=5,
        useful=5,
        clear=5,
        comment='=HYPERLINK("http://evil.example","Bấm")',
    )
    learner_done(world, world["ia_grai"], "B", overall=2, useful=2, clear=2, comment="+1 tốt")
    url = reverse("dialogue:survey_results")
    for user in (world["learner"], world["trainer"]):
        client.force_login(user)
        assert client.get(url).status_code == 403

    client.force_login(world["manager"])
    page = BeautifulSoup(client.get(url).content, "html.parser")
    cells = [td.text for td in page.select(".survey-results tbody td")]
    assert cells[:4] == ["Kỹ năng số cho trưởng thôn", "2", "1", "50,0"]  # Vietnamese decimals

    comments = client.get(url, {"format": "csv", "table": "comments"})
    rows = list(csv.reader(io.StringIO(comments.content.decode("utf-8-sig"))))
    assert rows[1][-1] == '\'=HYPERLINK("http://evil.example","Bấm")'
    assert rows[2][-1] == "'+1 tốt"

    xlsx = client.get(url, {"format": "xlsx", "table": "comments"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert values == ['\'=HYPERLINK("http://evil.example","Bấm")', "'+1 tốt"]
    assert sheet.cell(row=2, column=6).data_type == "s"

    by_unit = client.get(url, {"format": "csv", "by": "unit"})
    rows = list(csv.reader(io.StringIO(by_unit.content.decode("utf-8-sig"))))
    assert rows[1][:5] == ["Kỹ năng số cho trưởng thôn", "Xã Ia Grai", "2", "1", "50.0"]


def test_results_page_query_budget(client, world, django_assert_num_queries):
    for n in range(4):
        learner_done(world, world["ia_grai"], f"L{n}", overall=4, useful=4, clear=4)
    client.force_login(world["manager"])
    url = reverse("dialogue:survey_results")
    client.get(url)  # warm the session, site and unread-count caches
    # The user (the session is in the cache), the manager-role check, the grouped results (one
    # query whatever the number of responses), and the Wagtail userbar's two permission
    # lookups (managers are staff).
    with django_assert_num_queries(5):
        client.get(url)
