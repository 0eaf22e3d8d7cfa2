"""Quizzes: question banks, attempts drawn on the server, the attempt policy and its grants.

A quiz block is a bank of questions. Starting an attempt draws the quiz's `draw` questions
from it with each question's options shuffled and stores that draw on the attempt; the
learner's page shows only that draw, without the correct flags, and the submission is graded
against it once (a resubmission of the same answers returns the same result). A course's
attempt policy (`CoursePage.quiz_attempts`, then `quiz_wait_hours` of waiting) bounds how
many drawn attempts a learner gets; trainers in scope and administrators can grant one more.
"""
