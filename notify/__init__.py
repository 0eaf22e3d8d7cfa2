"""Notifications: the learner's inbox (/thong-bao/), SMS backends and quiet hours, for people
who have no email (class reminders, deadlines, "your certificate is ready"). Imports `people`
and `core`; the rooms above call `notify.services` to send, never its models directly."""
