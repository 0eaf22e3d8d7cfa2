"""Where extracted H5P files live on disk (under MEDIA_ROOT/h5p/).

`content/<package uuid>/` holds a package's `h5p.json` and `content/`; `libraries/<machine>-
<major>.<minor>.<patch>/` holds one library version, shared by every package that uses it.
Uploads are extracted under `.incoming/` (same file system) and renamed into place, so a
rejected or failed upload leaves nothing in the served folders.

With the media on an object store (LMS_S3_BUCKET, several app machines), the same folders are
names under `h5p/content/<uuid>/` and `h5p/libraries/<folder>/` on that store: an upload is
extracted on local disk and published there (core.storage), and every machine serves it.
"""

from pathlib import Path

from django.conf import settings

from core.storage import is_local


def h5p_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "h5p"


def content_dir(package_uuid) -> Path:
    return h5p_root() / "content" / str(package_uuid)


def library_dir(storage_folder: str) -> Path:
    return h5p_root() / "libraries" / storage_folder


def incoming_dir() -> Path:
    path = h5p_root() / ".incoming"
    path.mkdir(parents=True, exist_ok=True)
    return path


def shared() -> bool:
    """Whether the extracted files live on the media object store rather than local disk."""
    return not is_local()


def content_prefix(package_uuid) -> str:
    return f"h5p/content/{package_uuid}"


def library_prefix(storage_folder: str) -> str:
    return f"h5p/libraries/{storage_folder}"
