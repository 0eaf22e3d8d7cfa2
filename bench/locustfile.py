"""The learner journey under locust (headless): `bench/journey.py` prepares the site and runs
it; see bench/README.md ("Learner journey under locust").

Each simulated learner has a session made by journey.py (production cookies are Secure-only,
so a plain-HTTP client cannot log in through the form and keep its cookie): it opens the
catalogue, the course page and a lesson, and marks a reading lesson done (POST with the CSRF
cookie and header, answered 302). The journey is read from the JSON file LOCUST_JOURNEY.
"""

import itertools
import json
import os
import random

from locust import HttpUser, between, task

JOURNEY = json.loads(open(os.environ["LOCUST_JOURNEY"], encoding="utf-8").read())
SESSIONS = itertools.cycle(JOURNEY["sessions"])


class Learner(HttpUser):
    wait_time = between(0.2, 1.0)

    def on_start(self):
        session = next(SESSIONS)
        self.headers = {"Cookie": session["Cookie"], "User-Agent": "hocso-locust"}
        self.post_headers = {**self.headers, "X-CSRFToken": session["X-CSRFToken"]}

    @task(2)
    def catalogue(self):
        self.client.get(JOURNEY["catalogue"], name="catalogue")

    @task(2)
    def course(self):
        self.client.get(JOURNEY["course_path"], headers=self.headers, name="course page")

    @task(4)
    def lesson(self):
        _lesson_id, path = random.choice(JOURNEY["lessons"])
        self.client.get(path, headers=self.headers, name="lesson page")

    @task(1)
    def mark_done(self):
        lesson_id, _path = random.choice(JOURNEY["lessons"])
        with self.client.post(
            f"/learn/lessons/{lesson_id}/done/",
            headers=self.post_headers,
            allow_redirects=False,
            name="lesson done (POST)",
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "/accounts/" in response.headers.get("Location", ""):
                response.failure(f"HTTP {response.status_code}")
