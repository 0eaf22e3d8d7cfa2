"""Courses: the catalogue, course and lesson pages, enrolments and the one completion path
(`services.enrolment_complete`, with the evidence the server judged), quizzes (`quiz`), H5P
and xAPI (`h5p`), in-person classes and attendance (`classes`). Imports `people` and `core`;
announces completions by the `course_completed` signal, which the rooms above listen to."""
