"""Folders of files on the media storage: extracted packages that several machines serve.

On local disk (the embedded default, `FileSystemStorage`) a folder is a directory under
MEDIA_ROOT and callers may rename whole directories into place; on an object store
(django-storages' S3Storage, several app machines) there are no directories, only names with a
common prefix. These helpers work on both through Django's storage API: publish a local folder
under a prefix, list, open and delete what is under one.
"""

import posixpath
from collections.abc import Iterator
from pathlib import Path

from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage


def is_local(storage=None) -> bool:
    """Whether `storage` (default: the media storage) is a directory on this machine."""
    return isinstance(storage or default_storage, FileSystemStorage)


def clean_relative(relative: str) -> str | None:
    """`relative` as a safe relative name (no "..", no absolute path, no backslash or NUL),
    or None."""
    if not relative or "\\" in relative or "\x00" in relative or relative.startswith("/"):
        return None
    parts = relative.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return None
    return posixpath.join(*parts)


def tree_publish(source: Path, prefix: str, storage=None) -> int:
    """Copy every file under the local folder `source` to `prefix/<relative name>` on the
    storage, replacing what is there; returns how many files."""
    storage = storage or default_storage
    count = 0
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        name = f"{prefix}/{path.relative_to(source).as_posix()}"
        if storage.exists(name):
            storage.delete(name)
        with path.open("rb") as handle:
            saved = storage.save(name, File(handle, name=path.name))
        if saved != name:  # the storage chose another name: never serve a stale file
            storage.delete(saved)
            raise OSError(f"storage stored {name!r} as {saved!r}")
        count += 1
    return count


def tree_files(prefix: str, storage=None) -> Iterator[str]:
    """The names relative to `prefix` of every file under it."""
    storage = storage or default_storage
    pending = [""]
    while pending:
        folder = pending.pop()
        try:
            folders, files = storage.listdir(f"{prefix}/{folder}".rstrip("/"))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for name in files:
            yield f"{folder}{name}"
        pending.extend(f"{folder}{sub}/" for sub in folders)


def tree_delete(prefix: str, storage=None) -> int:
    """Delete every file under `prefix`; returns how many."""
    storage = storage or default_storage
    names = list(tree_files(prefix, storage))
    for name in names:
        storage.delete(f"{prefix}/{name}")
    return len(names)


def tree_open(prefix: str, relative: str, storage=None):
    """The file `prefix/relative` opened for reading, or None when the name is unsafe or
    nothing is stored there."""
    storage = storage or default_storage
    relative = clean_relative(relative)
    if relative is None:
        return None
    name = f"{prefix}/{relative}"
    if not storage.exists(name):
        return None
    try:
        return storage.open(name, "rb")
    except (FileNotFoundError, IsADirectoryError):
        return None
