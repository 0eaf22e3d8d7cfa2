"""The third-party test data in `../shared/testdata` (beside the repository; its README names
each file's source), read by the tests without copying it into the repository.

A lone clone has no `../shared`: a test that needs a missing file is skipped with a message
naming it, so `make test` still runs everything else. CI sets `LMS_REQUIRE_SHARED_TESTDATA=1`
(`.ci/run`): then a missing file fails the test instead, and the run stops at once if the
folder is not there at all, so CI never passes short of these tests.
"""

import os
from pathlib import Path

import pytest

TESTDATA = Path(__file__).resolve().parents[1].parent / "shared" / "testdata"
REQUIRE_ENV = "LMS_REQUIRE_SHARED_TESTDATA"


def required() -> bool:
    return os.environ.get(REQUIRE_ENV) == "1"


def missing_message(path: Path) -> str:
    return (
        f"needs {path}: the third-party test data (../shared/testdata beside the repository) "
        f"is not there"
    )


def shared(*parts: str) -> Path:
    """The path of a shared test file or folder; skips the test (fails under
    LMS_REQUIRE_SHARED_TESTDATA=1) when it is missing."""
    path = TESTDATA.joinpath(*parts)
    if not path.exists():
        if required():
            pytest.fail(missing_message(path), pytrace=False)
        pytest.skip(missing_message(path))
    return path


def shared_files(folder: str, pattern: str) -> list[Path]:
    """Files of a shared folder for `parametrize` (collection time: an empty list when the
    folder is missing, which pytest reports as a skipped empty parameter set; the session
    check in tests/conftest.py fails the run first when the data is required)."""
    path = TESTDATA / folder
    return sorted(path.glob(pattern)) if path.is_dir() else []
