"""The learner journey in a real browser on a phone-sized screen."""

import pytest

from courses.models import Enrolment
from people.models import Profile
from tests.browser.conftest import SCREENSHOTS
from tests.factories import make_course, make_unit, site_home

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_sign_up_enrol_learn_and_complete_on_a_phone(live_server, phone):
    site_home()
    province = make_unit("Gia Lai")
    make_unit("Xã Ia Grai", parent=province)
    make_unit("Xã Ia Le", parent=province)
    course = make_course("Tin học cơ bản", lessons=2, slug="tin-hoc-co-ban")
    page = phone
    base = live_server.url

    # Sign up: a username and a password, no email.
    page.goto(f"{base}/accounts/signup/")
    page.fill("input[name=username]", "hnuong")
    page.fill("input[name=password1]", "Rừng-xanh-2026")
    page.fill("input[name=password2]", "Rừng-xanh-2026")
    page.click("form[action='/accounts/signup/'] button[type=submit]")
    page.wait_for_url("**/people/profile/**")

    # Profile: type the commune without diacritics and pick it from the list.
    page.fill("input[name=full_name]", "Siu H'Nương")
    page.fill("input.unit-query", "ia grai")
    option = page.locator(".unit-results button", has_text="Xã Ia Grai, Gia Lai")
    option.click()
    assert page.input_value("input.unit-id") != ""
    page.select_option("select[name=gender]", "female")
    page.fill("input[name=birth_year]", "2001")
    page.screenshot(path=str(SCREENSHOTS / "01-profile.png"), full_page=True)
    page.click("form[action='/people/profile/'] button[type=submit]")
    page.wait_for_url("**/courses/")
    profile = Profile.objects.get(user__username="hnuong")
    assert profile.full_name == "Siu H'Nương" and profile.org_unit.name == "Xã Ia Grai"

    # Catalogue -> course -> enrol.
    page.click(f"a[href='{course.url}']")
    page.wait_for_url(f"**{course.url}")
    page.click(f"form[action='/learn/courses/{course.pk}/enrol/'] button")
    page.wait_for_selector(".progress-box")
    page.screenshot(path=str(SCREENSHOTS / "02-course.png"), full_page=True)

    # Two reading lessons: mark as done, which moves on to the next lesson.
    page.click(".syllabus li:first-child a")
    for _ in range(2):
        page.click("form[action$='/done/'] button")
        page.wait_for_load_state()
    # Now on the final quiz: start an attempt (the draw is stored on the server), then answer
    # every question right.
    page.click("form.quiz-start button[type=submit]")
    page.wait_for_selector("section.quiz form.quiz-attempt")
    enrolment = Enrolment.objects.get(user__username="hnuong")
    final = course.get_children().live().specific().order_by("-path").first()
    for child in final.quiz_block.value["questions"].bound_blocks:
        for choice in child.value["choices"].bound_blocks:
            if choice.value["correct"]:
                page.check(f"#c-{choice.id}")
                if child.value["kind"] == "single":
                    break
    # The connection drops and the page reloads: the same attempt (same draw) comes back with
    # the choices made so far, kept on the phone.
    attempt_id = page.get_attribute("form.quiz-attempt", "data-attempt")
    page.reload()
    page.wait_for_selector("section.quiz form.quiz-attempt")
    assert page.get_attribute("form.quiz-attempt", "data-attempt") == attempt_id
    assert page.locator("form.quiz-attempt input:checked").count() == len(
        [
            c
            for q in final.quiz_block.value["questions"].bound_blocks
            for c in q.value["choices"].bound_blocks
            if c.value["correct"]
        ]
    )
    page.screenshot(path=str(SCREENSHOTS / "03-quiz.png"), full_page=True)
    page.click("section.quiz button[type=submit]")
    page.wait_for_selector("#quiz-result.passed")
    page.screenshot(path=str(SCREENSHOTS / "04-passed.png"), full_page=True)

    enrolment.refresh_from_db()
    assert enrolment.status == "completed" and enrolment.progress == 1.0

    # "My learning" lists it as completed.
    page.goto(f"{base}/learn/")
    assert page.locator(".enrolment.completed h3", has_text="Tin học cơ bản").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "05-my-learning.png"), full_page=True)
    # The page fits the phone: no horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
