"""What is learnt and how far each learner has got.

Courses are Wagtail pages (`CourseIndexPage` -> `CoursePage` -> `LessonPage`) so trainers
author them with preview and moderation. A learner's state is one `Enrolment` per course
(the summary: status, progress 0..1, completion) and one `LessonProgress` per lesson. Quiz
blocks are graded on the server and every submission is kept as a `QuizAttempt`. All writes
go through `courses.services`; pages' `get_context` only calls `courses.selectors`.
"""

from . import classes  # noqa: F401  (in-person classes: import from courses.models.classes)
from .collections import UnitCollection
from .h5p import H5PActivityProgress, H5PLibrary, H5PPackage, H5PPackageLibrary, XAPIStatement
from .learning import Enrolment, LessonProgress, QuizAttempt, QuizAttemptGrant
from .offline import OfflineAction
from .pages import (
    AnonymousCacheMixin,
    CourseIndexPage,
    CourseLanguage,
    CoursePage,
    LeanPageMixin,
    LessonPage,
    Level,
    Topic,
)
from .scorm import ScormAttempt, ScormPackage
from .xapi import LrsClient, XapiForwarder

__all__ = [
    "AnonymousCacheMixin",
    "CourseIndexPage",
    "CourseLanguage",
    "CoursePage",
    "Enrolment",
    "LeanPageMixin",
    "LessonPage",
    "LessonProgress",
    "Level",
    "QuizAttempt",
    "QuizAttemptGrant",
    "Topic",
]

__all__ += ["H5PActivityProgress", "H5PLibrary", "H5PPackage", "H5PPackageLibrary", "XAPIStatement"]
__all__ += ["LrsClient", "XapiForwarder"]
__all__ += ["UnitCollection"]
__all__ += ["ScormAttempt", "ScormPackage"]
__all__ += ["OfflineAction"]
