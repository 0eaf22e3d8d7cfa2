import pytest

from courses.services import enrolment_complete, enrolment_create
from tests.factories import make_learner, make_unit


@pytest.fixture
def commune(db):
    return make_unit("Xã Ia Grai", parent=make_unit("Gia Lai"))


@pytest.fixture
def complete(django_capture_on_commit_callbacks):
    """Complete `user`'s enrolment in `course` through the service, running what it enqueues
    after commit (Celery is eager in tests), and return the enrolment's live certificate."""

    def run(user, course):
        enrolment, _created = enrolment_create(user=user, course=course)
        with django_capture_on_commit_callbacks(execute=True):
            enrolment_complete(enrolment=enrolment, evidence="assessment")
        return enrolment.certificates.exclude(status="revoked").get()

    return run


@pytest.fixture
def hblin(commune):
    return make_learner(unit=commune, username="hblin", full_name="Ksor H'Blin")


@pytest.fixture
def workers(tmp_path):
    """Starts real `celery worker` processes (tests.certificates.test_worker_pg.Worker) on
    demand and stops them after the test."""
    from .test_worker_pg import Worker

    started = []

    def start():
        worker = Worker(tmp_path / "worker.log")
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
