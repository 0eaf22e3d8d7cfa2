"""Importing a SCORM package: validate, extract, record, in one transaction.

`scorm_package_import` is the one way a package enters the site (the Wagtail admin upload and
`manage.py import_scorm`). Nothing is written before validation passes; files are extracted
into a private folder and renamed into place as the last step of the transaction, so a
refused or failed upload leaves no file and no row behind.
"""

import logging
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction

from core.storage import is_local, tree_delete, tree_publish

from ..h5p.extraction import package_extract
from ..models import ScormPackage
from .validation import limits, scorm_package_validate

logger = logging.getLogger("courses.scorm.audit")


def scorm_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "scorm"


def content_dir(package_uuid) -> Path:
    return scorm_root() / "content" / str(package_uuid)


def content_prefix(package_uuid) -> str:
    """The package's folder as a name on the media storage (local disk or object store)."""
    return f"scorm/content/{package_uuid}"


def incoming_dir() -> Path:
    path = scorm_root() / ".incoming"
    path.mkdir(parents=True, exist_ok=True)
    return path


def may_upload(user) -> bool:
    """A SCORM package is code that runs at our origin for every learner who opens it, so
    only administrators add packages (`user=None`: the command line)."""
    return user is None or bool(user.is_active and user.is_superuser)


def _size_of(upload) -> int:
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(0)
    return size


@transaction.atomic
def scorm_package_import(*, upload, user=None, title: str = "", collection=None) -> ScormPackage:
    """Validate and import the SCORM zip `upload`; return the new package.

    Raises ValidationError, each message naming the file and the rule, when the package is
    refused (see `courses.scorm.validation`) or a member unpacks to more than declared.
    """
    validated = scorm_package_validate(upload)
    lim = limits()
    staging = Path(tempfile.mkdtemp(prefix="upload-", dir=incoming_dir()))
    target = None
    try:
        package = ScormPackage(
            title=(title or validated.title or Path(getattr(upload, "name", "")).stem)[:255],
            version=validated.version,
            identifier=validated.identifier,
            launch=validated.launch,
            items=validated.items,
            original_filename=Path(getattr(upload, "name", "") or "").name[:255],
            size=_size_of(upload),
            file_count=validated.file_count,
            collection=collection,
            uploaded_by=user,
        )
        package_extract(
            upload, validated.members, staging / "content", budget=lim["max_uncompressed"]
        )
        package.save()
        if not is_local():  # the media object store: every app machine serves it
            target = content_prefix(package.uuid)
            tree_publish(staging / "content", target)
        else:
            target = content_dir(package.uuid)
            target.parent.mkdir(parents=True, exist_ok=True)
            (staging / "content").rename(target)
    except BaseException:
        if isinstance(target, str):
            tree_delete(target)
        elif target is not None:
            shutil.rmtree(target, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    logger.info(
        "scorm package imported",
        extra={"package": package.pk, "user": getattr(user, "pk", None)},
    )
    return package


def scorm_package_delete_files(*, package_uuid) -> None:
    if not is_local():
        tree_delete(content_prefix(package_uuid))
        return
    shutil.rmtree(content_dir(package_uuid), ignore_errors=True)
