"""seed_demo builds a usable demo, and running it again changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page

from courses.models import CoursePage, Enrolment, LessonPage
from courses.services import enrolment_create
from courses.translation import sources
from dialogue.models import Post, SurveyResponse, Thread
from people.models import OrgUnit, Scope

pytestmark = pytest.mark.django_db

COURSES = {
    "tin-hoc-co-ban": "Tin học cơ bản",
    "an-toan-thong-tin": "An toàn thông tin cho mọi người",
    "thuong-mai-dien-tu": "Thương mại điện tử cho thanh niên dân tộc thiểu số",
    "tieng-jrai-cho-can-bo": "Tiếng Jrai cho cán bộ",
    "chuyen-doi-so-co-ban": "Chuyển đổi số cho cán bộ cơ sở",
}


def snapshot():
    return {
        "pages": Page.objects.count(),
        "units": OrgUnit.objects.count(),
        "users": get_user_model().objects.count(),
        "scopes": Scope.objects.count(),
        "enrolments": list(Enrolment.objects.values_list("user__username", "progress")),
        "threads": list(Thread.objects.values_list("title", flat=True)),
        "posts": Post.objects.count(),
        "surveys": SurveyResponse.objects.count(),
    }


def test_seed_demo_is_complete_and_idempotent(client):
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first

    courses = {c.slug: c for c in sources(CoursePage.objects.live())}  # not translations
    assert {slug: c.title for slug, c in courses.items()} == COURSES
    stream_block = LessonPage.body.field.stream_block
    for course in courses.values():
        lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
        assert len(lessons) >= 4
        assert lessons[-1].has_quiz and not any(lesson.has_quiz for lesson in lessons[:-1])
        # The final quiz is a bank at least three times its draw, every question with a topic
        # to review and an explanation.
        quiz = lessons[-1].quiz_block.value
        assert quiz["draw"] == 5 and len(quiz["questions"]) >= 3 * quiz["draw"], course.slug
        assert all(q["topic"] and q["explanation"] for q in quiz["questions"]), course.slug
        texts = [q["text"] for q in quiz["questions"]]
        assert len(set(texts)) == len(texts), course.slug
        for lesson in lessons:
            stream_block.clean(lesson.body)  # the content passes the editor's validation
            text = str(lesson.body.raw_data).lower()
            assert "lorem" not in text and "todo" not in text

    # Every demo account logs in with the documented password.
    for username in ("learner", "trainer", "manager", "admin"):
        assert client.login(username=username, password="hocso-demo"), username
    gia_lai = OrgUnit.objects.get(code="52")
    assert Scope.objects.filter(user__username="manager", role="manager", org_unit=gia_lai)
    assert Scope.objects.filter(user__username="trainer", role="trainer", org_unit=gia_lai)
    assert get_user_model().objects.get(username="admin").is_superuser

    # The learner is part-way through a course and sees it in "My learning".
    client.login(username="learner", password="hocso-demo")
    response = client.get("/learn/")
    assert "Tin học cơ bản" in response.content.decode()
    # The site's pages all render.
    client.logout()
    for url in ["/", "/courses/", "/tin-tuc/", "/gioi-thieu/", *(c.url for c in courses.values())]:
        assert client.get(url).status_code == 200, url

    # The dialogue: questions with official answers (one still waiting), a course discussion
    # with its trainer's official reply, survey answers; all visible, seeded once.
    questions = Thread.objects.filter(kind="question", status="visible")
    assert questions.count() == 3
    assert questions.filter(answered_at__isnull=False).count() == 2
    assert Post.objects.filter(official=True, author__username="manager").count() == 2
    discussion = Thread.objects.get(kind="course", course__slug="tin-hoc-co-ban")
    assert discussion.posts.filter(official=True, author__username="trainer").exists()
    assert not Post.objects.exclude(status="visible").exists()
    assert SurveyResponse.objects.filter(course__slug="tin-hoc-co-ban").count() >= 1
    listing = client.get("/hoi-dap/").content.decode()
    assert "Kích hoạt tài khoản định danh điện tử VNeID ở đâu?" in listing
    # The Jrai course's first lesson has a sample Jrai translation, marked for review, made
    # through wagtail-localize (its segments kept for the translators' editor); a learner
    # reading Jrai gets it at the lesson's usual address, the next lesson in Vietnamese.
    from wagtail_localize.models import Translation

    jrai_course = courses["tieng-jrai-cho-can-bo"]
    first, second = LessonPage.objects.child_of(jrai_course).live().order_by("path")[:2]
    jrai = first.get_translation(first.locale.__class__.objects.get(language_code="jra"))
    assert jrai.live and not jrai.alias_of_id
    assert "bản dịch mẫu" in jrai.title and "Bản dịch mẫu" in jrai.specific.summary
    assert Translation.objects.filter(source__object_id=first.translation_key).exists()
    learner = get_user_model().objects.get(username="learner")
    enrolment_create(user=learner, course=jrai_course)
    client.force_login(learner)
    client.post("/people/language/", {"language": "jra"})
    assert jrai.title in client.get(first.url).content.decode()
    page = client.get(second.url).content.decode()
    assert second.title in page and 'lang="vi"' in page
    assert 'value="jra"' in client.get("/courses/").content.decode()  # the filter offers Jrai


def test_demo_trainer_can_author_courses_in_the_admin(client):
    call_command("seed_demo", verbosity=0)
    client.login(username="trainer", password="hocso-demo")
    index = sources(Page.objects).get(slug="courses")
    response = client.get(f"/admin/pages/add/courses/coursepage/{index.pk}/")
    assert response.status_code == 200
    course = CoursePage.objects.get(slug="tin-hoc-co-ban")
    lesson = LessonPage.objects.child_of(course).first()
    assert client.get(f"/admin/pages/{lesson.pk}/edit/").status_code == 200
    # A translator opens the sample Jrai lesson in wagtail-localize's editor: each Vietnamese
    # segment is shown beside its translation.
    jrai = LessonPage.objects.get(locale__language_code="jra", slug="chao-hoi-va-xung-ho")
    editor = client.get(f"/admin/pages/{jrai.pk}/edit/")
    assert editor.status_code == 200
    import json

    from bs4 import BeautifulSoup

    props = BeautifulSoup(editor.content, "html.parser").select_one(".js-translation-editor")
    props = json.dumps(json.loads(props["data-props"]), ensure_ascii=False)
    assert "Chào hỏi và xưng hô lịch sự" in props  # the source
    assert "Kơkuh laih anŭn iâu tơdruă" in props  # the sample translation beside it
    client.login(username="manager", password="hocso-demo")
    assert client.get(f"/admin/pages/{lesson.pk}/edit/").status_code == 302


def test_demo_documents_are_per_province(client):
    from wagtail.documents import get_document_model

    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # idempotent
    Document = get_document_model()
    roster = Document.objects.get(title="Danh sách lớp tập huấn Ia Grai")
    guide = Document.objects.get(title="Cẩm nang an toàn trên không gian mạng")
    assert roster.collection.name == "Gia Lai"
    assert client.get(roster.url).status_code == 404  # private to Gia Lai's people
    assert client.get(guide.url).status_code == 200  # the national library is public
    client.login(username="trainer", password="hocso-demo")
    assert client.get(roster.url).status_code == 200
