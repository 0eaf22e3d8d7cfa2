"""In-person classes: services, selectors, views, roster import and handouts.

The models are in `courses.models.classes`. Writes go through `services` (sessions, roster,
attendance, completion) and `accounts` (learner accounts created by a trainer); reads through
`selectors`, always scoped by the venue's org unit in SQL.
"""
