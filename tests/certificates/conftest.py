import pytest

from tests.factories import complete_now, make_learner, make_unit


@pytest.fixture
def commune(db):
    return make_unit("Xã Ia Grai", parent=make_unit("Gia Lai"))


@pytest.fixture
def complete():
    """complete_now, for a test."""
    return complete_now


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
