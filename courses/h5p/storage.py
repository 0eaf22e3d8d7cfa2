"""Where extracted H5P files live on disk (under MEDIA_ROOT/h5p/).

`content/<package uuid>/` holds a package's `h5p.json` and `content/`; `libraries/<machine>-
<major>.<minor>.<patch>/` holds one library version, shared by every package that uses it.
Uploads are extracted under `.incoming/` (same file system) and renamed into place, so a
rejected or failed upload leaves nothing in the served folders.
"""

from pathlib import Path

from django.conf import settings


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


def resolve_inside(base: Path, relative: str) -> Path | None:
    """`base/relative` if it stays inside `base` and is a file, else None."""
    if not relative or "\\" in relative or "\x00" in relative:
        return None
    base = base.resolve()
    try:
        target = (base / relative).resolve()
    except (OSError, ValueError):
        return None
    if not target.is_relative_to(base) or not target.is_file():
        return None
    return target
