"""The demo course text is data (cms/demo/data): every file is well-formed for seed_demo, so a
trainer or translator who edits one learns here, not from a traceback in `make run`."""

import unicodedata

from cms.demo import content
from cms.demo.content import DATA

COURSE_KEYS = {"slug", "order", "title", "topic", "level", "language", "pass_mark", "summary"}
BLOCK_TYPES = {"text", "callout", "quiz", "image", "video", "h5p", "steps", "table", "glossary"}


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def test_every_course_and_lesson_is_complete():
    slugs = [course["slug"] for course in content.COURSES]
    assert len(slugs) == len(set(slugs)) >= 5
    assert [course["order"] for course in content.COURSES] == sorted(
        course["order"] for course in content.COURSES
    )
    for course in content.COURSES:
        assert COURSE_KEYS <= set(course), course["slug"]
        folder = DATA / "courses" / course["slug"]
        numbered = sorted(p.name for p in folder.glob("[0-9][0-9]-*.yaml"))
        assert [name[:2] for name in numbered] == [f"{i:02d}" for i in range(1, len(numbered) + 1)]
        assert len(course["lessons"]) == len(numbered) >= 3
        for lesson in course["lessons"]:
            assert lesson["slug"] and lesson["title"] and lesson["body"], lesson.get("slug")
            for pair in lesson["body"]:
                assert len(pair) == 2 and pair[0] in BLOCK_TYPES, (lesson["slug"], pair[0])


def test_each_final_quiz_bank_is_three_times_its_draw():
    for course in content.COURSES:
        quizzes = [value for kind, value in course["lessons"][-1]["body"] if kind == "quiz"]
        assert len(quizzes) == 1, course["slug"]
        quiz = quizzes[0]
        assert len(quiz["questions"]) >= 3 * quiz["draw"], course["slug"]
        for question in quiz["questions"]:
            assert any(correct for _text, correct in question["choices"]), question["text"]
            assert question["topic"] and question["explanation"], question["text"]


def test_all_text_is_nfc():
    everything = [content.HOME, content.ABOUT, content.NEWS, content.COURSES]
    for text in strings(everything):
        assert unicodedata.is_normalized("NFC", text), text[:60]
