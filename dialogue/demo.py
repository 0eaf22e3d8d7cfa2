"""Demo content of the dialogue room (dialogue/demo_content.json): public questions from the
demo learner with official answers by the demo manager (one still waiting), a discussion in
the demo course, and survey answers from the learners who completed the demo class. Safe to
re-run: nothing is added when the first question exists."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model

from courses.models import CoursePage, Enrolment

from .models import Status, SurveyResponse, Thread
from .services import content_approve, post_create, survey_submit, thread_create

CONTENT = Path(__file__).resolve().parent / "demo_content.json"


def _visible(thread_or_post, thread, moderator):
    if thread_or_post.status == Status.PENDING:  # the demo learner's account is new
        post = None if thread_or_post is thread else thread_or_post
        content_approve(by=moderator, thread=thread, post=post)


def demo_dialogue_seed(*, learner_username="learner", official_username="manager") -> str:
    content = json.loads(CONTENT.read_text(encoding="utf-8"))
    User = get_user_model()
    if Thread.objects.filter(title=content["questions"][0]["title"]).exists():
        return "Dialogue: already there."
    learner = User.objects.get(username=learner_username)
    official = User.objects.get(username=official_username)
    people = {"learner": learner, "trainer": User.objects.get(username="trainer")}
    for item in content["questions"]:
        thread = thread_create(author=learner, title=item["title"], body=item["body"])
        _visible(thread, thread, official)
        if item.get("answer"):
            post_create(thread=thread, author=official, body=item["answer"])
        if item.get("follow_up"):
            _visible(
                post_create(thread=thread, author=learner, body=item["follow_up"]), thread, official
            )

    discussion = content["course_discussion"]
    course = CoursePage.objects.get(slug=discussion["course_slug"])
    thread = thread_create(
        author=learner, title=discussion["title"], body=discussion["body"], course=course
    )
    _visible(thread, thread, official)
    for who, body in discussion["replies"]:
        _visible(post_create(thread=thread, author=people[who], body=body), thread, official)

    completed = (
        Enrolment.objects.filter(course=course, status=Enrolment.Status.COMPLETED)
        .exclude(user__in=SurveyResponse.objects.filter(course=course).values("user"))
        .select_related("user")
        .order_by("pk")
    )
    answered = 0
    for enrolment, answers in zip(completed, content["surveys"], strict=False):
        survey_submit(user=enrolment.user, course=course, **answers)
        answered += 1
    questions = len(content["questions"])
    return f"Dialogue: {questions} questions, 1 course discussion, {answered} survey answers."
