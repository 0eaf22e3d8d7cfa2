"""The container recipe and the systemd units hold together: what they run exists in the
project, the image is multi-stage and runs as a non-root user, the compose file has every
part of a production site. (nginx's site is checked by `nginx -t` in the walk-through test.)"""

import configparser
import re
from pathlib import Path

import yaml
from django.conf import settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_dockerfile_is_multi_stage_non_root_and_built_from_our_files():
    text = (DEPLOY / "Dockerfile").read_text()
    stages = re.findall(r"^FROM\s+(\S+)", text, re.M)
    assert len(stages) >= 3 and stages[-1].startswith("python:3.11")
    assert re.search(r"^USER\s+hocso$", text, re.M)
    assert "npm ci --ignore-scripts" in text and "collectstatic" in text
    assert "gunicorn" in text and "lms.wsgi" in text and "HEALTHCHECK" in text
    for copied in re.findall(r"^COPY (?!--from)(?:--\S+ )*(.+) \S+$", text, re.M):
        for name in copied.split():
            if name != ".":
                assert (DEPLOY.parent / name).exists(), name


def test_compose_runs_web_worker_beat_database_cache_and_object_storage():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {
        "web", "worker", "worker-outbound", "beat", "postgres", "redis", "minio"
    }  # fmt: skip
    for name in ("worker", "worker-outbound"):
        assert services[name]["command"][:4] == ["celery", "-A", "lms.celery:app", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "lms.celery:app", "beat"]
    # Every queue has a worker, and the outbound one only its own.
    assert _queues(services["worker"]["command"]) == ["celery"]
    assert _queues(services["worker-outbound"]["command"]) == ["outbound"]
    for name in ("web", "worker", "worker-outbound", "beat"):
        environment = services[name]["environment"]
        assert environment["LMS_S3_BUCKET"] and environment["CELERY_BROKER_URL"].startswith(
            "redis://"
        )
        assert services[name]["build"]["dockerfile"] == "deploy/Dockerfile"
    assert (DEPLOY / "hocso.env.example").exists()


def _queues(command: list[str]) -> list[str]:
    """The queues a `celery worker` command line consumes (--queues/-Q, comma-separated)."""
    for flag in ("--queues", "-Q"):
        if flag in command:
            return command[command.index(flag) + 1].split(",")
    return []


def _unit(name: str) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read(DEPLOY / "systemd" / name)
    return unit


def test_every_queue_has_a_worker_of_its_own_in_both_deployments():
    names = {queue.name for queue in settings.CELERY_TASK_QUEUES}
    assert names == {"celery", "outbound"}
    units = {
        name: _unit(name)["Service"]["ExecStart"].split()
        for name in ("hocso-worker.service", "hocso-worker-outbound.service")
    }
    consumed = [_queues(command) for command in units.values()]
    assert sorted(sum(consumed, [])) == sorted(names)  # each queue once: no worker does both
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]
    assert sorted(
        sum((_queues(s["command"]) for s in compose.values() if "command" in s), [])
    ) == sorted(names)
    # Two workers on one machine need different node names (Celery warns of duplicates).
    outbound = units["hocso-worker-outbound.service"]
    assert outbound[outbound.index("--hostname") + 1] == "outbound@%%H"


def test_systemd_units_run_the_project_as_its_own_user():
    for name in (
        "hocso-web@.service",
        "hocso-worker.service",
        "hocso-worker-outbound.service",
        "hocso-beat.service",
    ):
        unit = _unit(name)
        service = unit["Service"]
        assert service["User"] == "hocso" and service["EnvironmentFile"] == "/etc/hocso/hocso.env"
        assert service["ExecStart"].startswith("/srv/hocso/.venv/bin/")
        assert service["Restart"] == "on-failure" and unit["Install"]["WantedBy"]
