"""Validation of an uploaded `.h5p` archive, before a single byte of it is written.

Everything is decided from the zip's central directory and from capped reads of the few
JSON and SVG members: a real zip, safe member names (no `..`, absolute, backslash or drive
paths, no symlinks, no duplicates), limits on size and file count, a file-type allow-list per
area (content or library), a well-formed `h5p.json`, every library folder named
`<machineName>-<major>.<minor>` after its `library.json`, every preloaded JS/CSS file present,
every dependency bundled, and no active SVG in the content. Each problem names the file and
the rule in the user's language. The manifests' own rules are in `manifests`; extraction
(`extraction.package_extract`) enforces the size limits again while it writes, because a
zip's directory can lie.
"""

import json
import posixpath
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .manifests import (
    LibraryInfo,
    PackageErrors,
    check_h5p_json,
    check_library_json,
    preloaded_paths,
)

MiB = 1024 * 1024

# The areas of a package and the file types each may hold. Content is data only; library
# folders add code (js, css) and SVG, and the harmless docs libraries ship with.
IMAGE = {"png", "jpg", "jpeg", "gif", "webp", "bmp", "svg"}
AUDIO = {"mp3", "m4a", "ogg", "oga", "wav", "weba"}
VIDEO = {"mp4", "webm", "ogv", "m4v"}
FONTS = {"woff", "woff2", "ttf", "otf", "eot"}
CONTENT_TYPES = IMAGE | AUDIO | VIDEO | FONTS | {"json", "vtt"}
LIBRARY_TYPES = CONTENT_TYPES | {"js", "css", "svg", "md", "txt", "diff", "patch"}
ROOT_DOC_TYPES = {"txt", "md"}  # e.g. a README at the root: allowed, never extracted

LIBRARY_FOLDER = re.compile(
    r"^(?P<name>[A-Za-z0-9_.\-]{1,200})-(?P<major>\d{1,4})\.(?P<minor>\d{1,4})$"
)
LANGUAGE_FILE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*\.json$")
DRIVE = re.compile(r"^[A-Za-z]:")
# The player's core, which h5p-standalone loads itself (its frame bundle defines `window.H5P`
# and these members of it): a package library with one of these names would replace code
# every activity runs on. Compared without case. Libraries such as H5P.JoubelUI or
# H5PEditor.RangeList are ordinary content libraries and stay allowed.
CORE_MACHINE_NAMES = frozenset(
    name.lower()
    for name in (
        "H5P",
        "H5PEditor",
        "H5PIntegration",
        "H5P.jQuery",
        "H5P.EventDispatcher",
        "H5P.Event",
        "H5P.XAPIEvent",
        "H5P.ContentType",
        "H5P.ConfirmationDialog",
        "H5P.ActionBar",
        "H5P.RequestQueue",
        "H5P.OfflineRequestQueue",
        "H5P.Tooltip",
        "H5P.Communicator",
    )
)
JSON_READ_CAP = 5 * MiB
SVG_READ_CAP = 2 * MiB
# Active SVG: scripts, event handlers, embedded HTML, entity tricks, links that leave the file.
UNSAFE_SVG = re.compile(
    rb"<\s*script|<\s*foreignobject|<!\s*(doctype|entity)|\son[a-z]+\s*=|javascript:"
    rb"|(xlink:)?href\s*=\s*[\"'](?!#)|<\s*(iframe|embed|object)\b|@import|url\(\s*[\"']?(?!#)",
    re.IGNORECASE,
)


def limits() -> dict[str, int]:
    """Upload limits, overridable in settings (LMS_H5P_*)."""
    return {
        "max_upload": getattr(settings, "LMS_H5P_MAX_UPLOAD_BYTES", 100 * MiB),
        "max_uncompressed": getattr(settings, "LMS_H5P_MAX_UNCOMPRESSED_BYTES", 300 * MiB),
        "max_files": getattr(settings, "LMS_H5P_MAX_FILES", 3000),
        "max_name": getattr(settings, "LMS_H5P_MAX_NAME_LENGTH", 64),
    }


@dataclass
class ValidatedPackage:
    """What validation learnt: enough to extract and record the package without re-reading."""

    title: str
    license: str
    main_library: tuple[str, int, int]
    h5p_json: dict
    libraries: dict[str, LibraryInfo] = field(default_factory=dict)  # by folder
    content_members: list[str] = field(default_factory=list)
    uncompressed_size: int = 0
    file_count: int = 0

    @property
    def main(self) -> LibraryInfo:
        name, major, minor = self.main_library
        return self.libraries[f"{name}-{major}.{minor}"]


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes | None:
    """The member's bytes, or None when it holds more than `cap` (whatever the directory says)."""
    with archive.open(info) as stream:
        data = stream.read(cap + 1)
    return None if len(data) > cap else data


def _load_json(archive, info, errors: PackageErrors, name: str):
    try:
        data = _read_capped(archive, info, JSON_READ_CAP)
    except (zipfile.BadZipFile, zlib.error, OSError, RuntimeError):
        errors.add(
            "corrupt_member", _("%(file)s: the file is damaged inside the archive."), file=name
        )
        return None
    if data is None:
        errors.add("json_too_large", _("%(file)s: the JSON file is too large."), file=name)
        return None
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        errors.add("invalid_json", _("%(file)s: not valid JSON."), file=name)
        return None


def _name_problem(name: str, max_name: int):
    """Why a member name is unsafe (code, message), or None."""
    if "\x00" in name or any(ord(ch) < 32 for ch in name):
        return "unsafe_path", _("%(file)s: the file name contains control characters.")
    if "\\" in name:
        return "unsafe_path", _("%(file)s: backslashes are not allowed in file names.")
    if name.startswith("/") or DRIVE.match(name):
        return "unsafe_path", _("%(file)s: absolute paths are not allowed.")
    parts = name.rstrip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "unsafe_path", _("%(file)s: '..', '.' and empty path segments are not allowed.")
    if any(len(part) > max_name for part in parts):
        return "name_too_long", _(
            "%(file)s: a file or folder name is longer than %(max)s characters."
        )
    return None


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return stat.S_ISLNK(mode)


def _extension(name: str) -> str:
    base = posixpath.basename(name)
    return base.rsplit(".", 1)[1].lower() if "." in base else ""


def package_validate(upload) -> ValidatedPackage:
    """Validate the `.h5p` file object `upload` (seekable); raise ValidationError listing every
    problem found, each naming its file and rule. Reads only the zip directory and capped
    JSON/SVG members: nothing is extracted or written."""
    lim = limits()
    errors = PackageErrors()
    name = getattr(upload, "name", "") or "package.h5p"
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(0)
    if size > lim["max_upload"]:
        errors.add(
            "too_large",
            _("%(file)s: the package is %(size)s MB; the limit is %(max)s MB."),
            file=Path(name).name,
            size=round(size / MiB, 1),
            max=round(lim["max_upload"] / MiB),
        )
        errors.raise_if_any()
    try:
        archive = zipfile.ZipFile(upload)
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        errors.add(
            "not_zip", _("%(file)s: not an H5P package (not a zip archive)."), file=Path(name).name
        )
        errors.raise_if_any()

    with archive:
        return _validate_archive(archive, infos, lim, errors)


def archive_size_check(infos, lim, errors: PackageErrors) -> list[zipfile.ZipInfo]:
    """Refuse an archive with too many entries or too many bytes unpacked (a zip bomb),
    before anything is read from it; its files (not folders) when it passes."""
    files = [info for info in infos if not info.is_dir()]
    if len(infos) > lim["max_files"]:
        errors.add(
            "too_many_files",
            _("The package holds %(count)s files; the limit is %(max)s."),
            file="",
            count=len(infos),
            max=lim["max_files"],
        )
        errors.raise_if_any()
    total = sum(info.file_size for info in files)
    if total > lim["max_uncompressed"]:
        errors.add(
            "too_large_uncompressed",
            _("The package unpacks to %(size)s MB; the limit is %(max)s MB."),
            file="",
            size=round(total / MiB, 1),
            max=round(lim["max_uncompressed"] / MiB),
        )
        errors.raise_if_any()
    return files


def _validate_archive(archive, infos, lim, errors: PackageErrors) -> ValidatedPackage:
    files = archive_size_check(infos, lim, errors)

    seen: set[str] = set()
    by_name: dict[str, zipfile.ZipInfo] = {}
    library_files: dict[str, set[str]] = {}
    content_members: list[str] = []
    for info in infos:
        member = info.filename
        problem = _name_problem(member, lim["max_name"])
        if problem:
            code, message = problem
            errors.add(code, message, file=member, max=lim["max_name"])
            continue
        if _is_symlink(info):
            errors.add("symlink", _("%(file)s: symbolic links are not allowed."), file=member)
            continue
        if info.flag_bits & 0x1:
            errors.add("encrypted", _("%(file)s: encrypted files are not allowed."), file=member)
            continue
        key = member.rstrip("/").lower()
        if key in seen:
            errors.add("duplicate", _("%(file)s: the archive holds this name twice."), file=member)
            continue
        seen.add(key)
        top, _sep, rest = member.partition("/")
        if info.is_dir():
            if top != "content" and not LIBRARY_FOLDER.match(top):
                errors.add(
                    "invalid_library_folder",
                    _("%(file)s: not a library folder (expected <machineName>-<major>.<minor>)."),
                    file=member,
                )
            continue
        by_name[member] = info
        ext = _extension(member)
        if not rest:  # a file at the root
            if member != "h5p.json" and ext not in ROOT_DOC_TYPES:
                errors.add(
                    "file_type",
                    _("%(file)s: this type of file is not allowed (%(area)s)."),
                    file=member,
                    area=_("package root"),
                )
            continue
        if top == "content":
            if ext not in CONTENT_TYPES:
                errors.add(
                    "file_type",
                    _("%(file)s: this type of file is not allowed (%(area)s)."),
                    file=member,
                    area=_("content"),
                )
                continue
            if ext == "svg":
                _check_svg(archive, info, errors)
            content_members.append(member)
            continue
        if not LIBRARY_FOLDER.match(top):
            errors.add(
                "invalid_library_folder",
                _("%(file)s: not a library folder (expected <machineName>-<major>.<minor>)."),
                file=member,
            )
            continue
        if ext not in LIBRARY_TYPES:
            errors.add(
                "file_type",
                _("%(file)s: this type of file is not allowed (%(area)s)."),
                file=member,
                area=_("library"),
            )
            continue
        if rest.startswith("language/") and rest.count("/") == 1:
            if not LANGUAGE_FILE.match(posixpath.basename(rest)):
                errors.add(
                    "invalid_language_file",
                    _("%(file)s: a language file must be named like vi.json or en.json."),
                    file=member,
                )
                continue
        library_files.setdefault(top, set()).add(rest)

    h5p_json = content_json = None
    if "h5p.json" not in by_name:
        errors.add("missing_h5p_json", _("%(file)s: missing from the package."), file="h5p.json")
    else:
        h5p_json = _load_json(archive, by_name["h5p.json"], errors, "h5p.json")
    if "content/content.json" not in by_name:
        errors.add(
            "missing_content", _("%(file)s: missing from the package."), file="content/content.json"
        )
    else:
        content_json = _load_json(
            archive, by_name["content/content.json"], errors, "content/content.json"
        )

    libraries: dict[str, LibraryInfo] = {}
    for folder, members in sorted(library_files.items()):
        if "library.json" not in members:
            errors.add(
                "missing_library_json",
                _("%(file)s: missing from the package."),
                file=f"{folder}/library.json",
            )
            continue
        data = _load_json(
            archive, by_name[f"{folder}/library.json"], errors, f"{folder}/library.json"
        )
        if data is None:
            continue
        library = check_library_json(folder, data, errors)
        if library is None:
            continue
        if library.machine_name.lower() in CORE_MACHINE_NAMES:
            errors.add(
                "core_library",
                _(
                    "%(file)s: the library “%(library)s” has the name of the H5P player's core, "
                    "which the site provides itself; a package cannot replace it."
                ),
                file=f"{folder}/library.json",
                library=library.machine_name,
            )
            continue
        for path in preloaded_paths(data):
            normalised = posixpath.normpath(path) if isinstance(path, str) else ""
            if (
                not isinstance(path, str)
                or normalised.startswith(("../", "/"))
                or normalised == ".."
            ):
                errors.add(
                    "invalid_library_json",
                    _("%(file)s: a preloaded file path is invalid."),
                    file=f"{folder}/library.json",
                )
            elif normalised not in members:
                errors.add(
                    "missing_preloaded_file",
                    _("%(file)s: listed in library.json but missing from the package."),
                    file=f"{folder}/{path}",
                )
        libraries[folder] = library

    main = None
    title, license_code = "", ""
    if h5p_json is not None:
        main, title, license_code = check_h5p_json(h5p_json, libraries, errors)
    if content_json is not None:
        _check_content(archive, by_name, library_files, libraries, main, content_json, errors)
    errors.raise_if_any()
    return ValidatedPackage(
        title=title,
        license=license_code,
        main_library=main,
        h5p_json=h5p_json,
        libraries=libraries,
        content_members=content_members,
        uncompressed_size=sum(info.file_size for info in files),
        file_count=len(files),
    )


def _check_content(archive, by_name, library_files, libraries, main, content, errors) -> None:
    """Script injection in content.json, field by field per the libraries' semantics."""
    from .content_check import content_check

    loaded: dict[str, object] = {}

    def semantics_in(folder: str):
        if folder not in loaded:
            loaded[folder] = None
            if folder in libraries and "semantics.json" in library_files.get(folder, ()):
                found = _load_json(
                    archive, by_name[f"{folder}/semantics.json"], errors, f"{folder}/semantics.json"
                )
                loaded[folder] = found if isinstance(found, list) else None
        return loaded[folder]

    def semantics_of(library: str):
        # "H5P.Image 1.1" (how content names a sub-content library) -> folder "H5P.Image-1.1"
        name, _sep, version = str(library).strip().partition(" ")
        return semantics_in(f"{name}-{version}") if version else None

    main_semantics = semantics_in("{}-{}.{}".format(*main)) if main else None
    content_check(content, main_semantics=main_semantics, semantics_of=semantics_of, errors=errors)


def _check_svg(archive, info, errors: PackageErrors) -> None:
    try:
        data = _read_capped(archive, info, SVG_READ_CAP)
    except (zipfile.BadZipFile, zlib.error, OSError, RuntimeError):
        errors.add(
            "corrupt_member",
            _("%(file)s: the file is damaged inside the archive."),
            file=info.filename,
        )
        return
    if data is None or UNSAFE_SVG.search(data):
        errors.add(
            "unsafe_svg",
            _("%(file)s: the SVG image contains scripts, event handlers or external links."),
            file=info.filename,
        )
