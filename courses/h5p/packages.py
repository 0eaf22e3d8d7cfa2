"""Importing an `.h5p` package: validate, check who may add code, extract, record.

`h5p_package_import` is the one way a package enters the site (Wagtail admin upload and
`manage.py import_h5p` both call it). Nothing is written before validation passes; files are
extracted to a private temporary folder and renamed into place at the end of the transaction
that records the rows, so a rejected or failed upload leaves no file and no row behind.
"""

import hashlib
import logging
import shutil
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.storage import tree_delete, tree_files, tree_publish

from ..models import H5PLibrary, H5PPackage, H5PPackageLibrary
from . import storage
from .extraction import package_extract
from .manifests import LibraryInfo
from .validation import ValidatedPackage, package_validate

logger = logging.getLogger("courses.h5p.audit")


def may_add_libraries(user) -> bool:
    """Administrators may bring new library versions (code); `user=None` is the command line."""
    return user is None or bool(user.is_active and user.is_superuser)


def _version_key(info: LibraryInfo) -> tuple[str, int, int, int]:
    return info.machine_name, info.major, info.minor, info.patch


def new_library_versions(package: ValidatedPackage) -> list[LibraryInfo]:
    """The package's library versions that the site has not stored yet (one query)."""
    known = set(
        H5PLibrary.objects.filter(
            machine_name__in={lib.machine_name for lib in package.libraries.values()}
        ).values_list("machine_name", "major_version", "minor_version", "patch_version")
    )
    return [lib for lib in package.libraries.values() if _version_key(lib) not in known]


def _digest_files(files) -> str:
    """One digest of a library's files: sorted (relative path, sha256 of the bytes) pairs."""
    outer = hashlib.sha256()
    for path, digest in sorted(files):
        outer.update(path.encode() + b"\0" + digest.encode() + b"\n")
    return outer.hexdigest()


def _package_library_digest(upload, folder: str) -> str:
    import zipfile

    upload.seek(0)
    files = []
    with zipfile.ZipFile(upload) as archive:
        for info in archive.infolist():
            if not info.is_dir() and info.filename.startswith(folder + "/"):
                digest = hashlib.sha256()
                with archive.open(info) as stream:
                    for chunk in iter(lambda: stream.read(1 << 16), b""):
                        digest.update(chunk)
                files.append((info.filename[len(folder) + 1 :], digest.hexdigest()))
    upload.seek(0)
    return _digest_files(files)


def _stored_library_digest(storage_folder: str) -> str | None:
    if storage.shared():
        prefix = storage.library_prefix(storage_folder)
        files = []
        for name in tree_files(prefix):
            with default_storage.open(f"{prefix}/{name}", "rb") as handle:
                files.append((name, hashlib.sha256(handle.read()).hexdigest()))
        return _digest_files(files) if files else None
    base = storage.library_dir(storage_folder)
    if not base.is_dir():
        return None
    files = []
    for path in base.rglob("*"):
        if path.is_file() and not path.is_symlink():
            files.append(
                (path.relative_to(base).as_posix(), hashlib.sha256(path.read_bytes()).hexdigest())
            )
    return _digest_files(files)


def changed_library_versions(upload, package: ValidatedPackage) -> list[LibraryInfo]:
    """The package's libraries whose machine name and major.minor version are installed with
    different files (the installed copy with the highest patch is compared): importing them
    would change the code that other packages' activities run. One query, then the files."""
    names = {lib.machine_name for lib in package.libraries.values()}
    installed: dict[tuple[str, int, int], H5PLibrary] = {}
    for row in H5PLibrary.objects.filter(machine_name__in=names).order_by("patch_version"):
        installed[(row.machine_name, row.major_version, row.minor_version)] = row
    changed = []
    for lib in package.libraries.values():
        row = installed.get((lib.machine_name, lib.major, lib.minor))
        if row is None:
            continue
        stored = _stored_library_digest(row.storage_folder)
        if stored is not None and stored != _package_library_digest(upload, lib.folder):
            changed.append(lib)
    return changed


def changed_libraries_error(changed: list[LibraryInfo]) -> ValidationError:
    return ValidationError(
        [
            ValidationError(
                _(
                    "%(library)s %(version)s: the site already has this library version with "
                    "different code, used by other activities. Only an administrator can "
                    "approve replacing it (tick “approve library changes”)."
                ),
                code="library_changed",
                params={"library": lib.machine_name, "version": lib.version},
            )
            for lib in changed
        ]
    )


@transaction.atomic
def h5p_package_import(
    *,
    upload,
    user=None,
    title: str = "",
    approve_library_changes: bool = False,
    collection=None,
) -> H5PPackage:
    """Validate and import the `.h5p` file object `upload`; return the new package.

    Raises ValidationError (each message names the file and the rule) when the package is
    invalid, or when it brings a library version the site has not seen and `user` is not an
    administrator, or when it brings different code for an installed machine name and
    major.minor version without an administrator's approval (`approve_library_changes`).
    Library versions already stored with the same files are reused as they are: nobody but an
    approving administrator changes code that runs for learners.
    """
    validated = package_validate(upload)
    changed = changed_library_versions(upload, validated)
    if changed and not (approve_library_changes and may_add_libraries(user)):
        raise changed_libraries_error(changed)
    new = new_library_versions(validated)
    # An approved change of an installed version (same patch) replaces its files below.
    replaced = [lib for lib in changed if lib not in new]
    if new and not may_add_libraries(user):
        raise ValidationError(
            [
                ValidationError(
                    _(
                        "%(library)s %(version)s: this package brings an H5P library the site "
                        "does not have yet; only an administrator may upload it."
                    ),
                    code="new_library",
                    params={"library": lib.machine_name, "version": lib.version},
                )
                for lib in new
            ]
        )

    staging = Path(tempfile.mkdtemp(prefix="upload-", dir=storage.incoming_dir()))
    moved: list[Path] = []
    published: list[str] = []  # prefixes on the object store
    backups: list[tuple[Path, Path]] = []
    try:
        package = H5PPackage(
            title=(title or validated.title or Path(getattr(upload, "name", "")).stem)[:255],
            license=validated.license,
            original_filename=Path(getattr(upload, "name", "") or "").name[:255],
            size=_size_of(upload),
            file_count=validated.file_count,
            uploaded_by=user,
            collection=collection,
        )
        package_extract(upload, ["h5p.json", *validated.content_members], staging / "content")
        for lib in [*new, *replaced]:
            members = _library_members(upload, lib.folder)
            package_extract(
                upload,
                members,
                staging / "libraries" / f"{lib.folder}.{lib.patch}",
                rename=lambda member, folder=lib.folder: member[len(folder) + 1 :],
            )
        libraries = _library_rows(validated, user)
        package.main_library = libraries[validated.main.folder]
        package.save()
        H5PPackageLibrary.objects.bulk_create(
            [H5PPackageLibrary(package=package, library=lib) for lib in libraries.values()]
        )
        # Last step of the transaction: move the files into the served folders.
        if storage.shared():
            _publish(staging, new, replaced, package, published)
        for lib in [] if storage.shared() else [*new, *replaced]:
            folder = f"{lib.folder}.{lib.patch}"
            target = storage.library_dir(folder)
            if target.exists() and lib in replaced:  # approved: keep the old copy until done
                backup = staging / "replaced" / folder
                backup.parent.mkdir(parents=True, exist_ok=True)
                target.rename(backup)
                backups.append((backup, target))
            elif target.exists():  # left over by an earlier upload that did not commit
                shutil.rmtree(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            (staging / "libraries" / folder).rename(target)
            moved.append(target)
        if not storage.shared():
            target = storage.content_dir(package.uuid)
            target.parent.mkdir(parents=True, exist_ok=True)
            (staging / "content").rename(target)
            moved.append(target)
    except BaseException:
        for prefix in published:
            tree_delete(prefix)
        for path in moved:
            shutil.rmtree(path, ignore_errors=True)
        for backup, target in backups:
            backup.rename(target)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    logger.info(
        "h5p package imported",
        extra={
            "package": package.pk,
            "user": getattr(user, "pk", None),
            "new_libraries": len(new),
            "replaced_libraries": [lib.folder for lib in replaced],
        },
    )
    return package


def _publish(staging: Path, new, replaced, package, published: list[str]) -> None:
    """Copy the extracted folders to the media object store. The package's content goes
    last, under its new UUID, so nothing refers to it until it is all there. A replaced
    library (approved by an administrator) is overwritten file by file: there is no rename on
    an object store, and the transaction's rollback does not bring its old files back."""
    for lib in [*new, *replaced]:
        folder = f"{lib.folder}.{lib.patch}"
        prefix = storage.library_prefix(folder)
        if lib in new:  # removed again if the import fails
            published.append(prefix)
        tree_publish(staging / "libraries" / folder, prefix)
    prefix = storage.content_prefix(package.uuid)
    published.append(prefix)
    tree_publish(staging / "content", prefix)


def _size_of(upload) -> int:
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(0)
    return size


def _library_members(upload, folder: str) -> list[str]:
    import zipfile

    upload.seek(0)
    with zipfile.ZipFile(upload) as archive:
        return [
            info.filename
            for info in archive.infolist()
            if not info.is_dir() and info.filename.startswith(folder + "/")
        ]


def _library_rows(validated: ValidatedPackage, user) -> dict[str, H5PLibrary]:
    """One row per library version of the package, existing rows reused (by folder)."""
    rows = {}
    for folder, lib in validated.libraries.items():
        key = {
            "machine_name": lib.machine_name,
            "major_version": lib.major,
            "minor_version": lib.minor,
            "patch_version": lib.patch,
        }
        row = H5PLibrary.objects.filter(**key).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = H5PLibrary.objects.create(
                        **key,
                        title=lib.title,
                        license=lib.license,
                        runnable=lib.runnable,
                        added_by=user,
                    )
            except IntegrityError:  # a concurrent upload stored it first
                row = H5PLibrary.objects.get(**key)
        rows[folder] = row
    return rows


def h5p_package_delete_files(*, package_uuid) -> None:
    """Remove a deleted package's content folder (libraries stay: others may share them)."""
    if storage.shared():
        tree_delete(storage.content_prefix(package_uuid))
        return
    shutil.rmtree(storage.content_dir(package_uuid), ignore_errors=True)


def h5p_permissions_setup(*, trainers) -> int:
    """Trainers may add, change and choose H5P packages (not delete them); safe to re-run."""
    from django.contrib.auth.models import Permission

    perms = Permission.objects.filter(
        content_type__app_label="courses",
        codename__in=["add_h5ppackage", "change_h5ppackage", "view_h5ppackage"],
    )
    before = trainers.permissions.count()
    trainers.permissions.add(*perms)
    return trainers.permissions.count() - before
