"""A real S3-API server for tests (moto's standalone server from PyPI, over HTTP; nothing
patched into boto3) and the media storage switched to it: import the fixtures
`s3_endpoint` (one server per test module and xdist worker), `s3_env` (a fresh bucket and
the LMS_S3_* environment) and `on_s3` (the media storage on that bucket)."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import boto3
import pytest

from lms.settings.base import media_storage


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """A moto S3 server of this test process (each xdist worker starts its own)."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(endpoint, timeout=1)
                break
            except urllib.error.HTTPError:
                break  # answering
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the S3 server (python -m moto.server) did not start")
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def s3_env(s3_endpoint, monkeypatch):
    bucket = f"hocso-{uuid.uuid4().hex[:12]}"
    env = {
        "LMS_S3_BUCKET": bucket,
        "LMS_S3_ENDPOINT_URL": s3_endpoint,
        "LMS_S3_ACCESS_KEY_ID": "hocso",
        "LMS_S3_SECRET_ACCESS_KEY": "hocso-secret",
        "LMS_S3_REGION": "us-east-1",
        "LMS_S3_URL_SECONDS": "120",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="hocso",
        aws_secret_access_key="hocso-secret",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=bucket)
    return env, client


@pytest.fixture
def on_s3(s3_env, settings):
    env, client = s3_env
    settings.STORAGES = {**settings.STORAGES, "default": media_storage()}  # from the env
    return env, client
