"""Dialogue between the authorities and the people: public questions and answers (/hoi-dap/)
with official answers and moderation, course discussions, and learner satisfaction surveys. A
side room: imports only `core`, `people`, `notify` and `courses`; only `cms` imports it."""
