"""Validation of an uploaded `.h5p` archive, before a single byte of it is written.

Everything is decided from the zip's central directory and from capped reads of the few
JSON and SVG members: a real zip, safe member names (no `..`, absolute, backslash or drive
paths, no symlinks, no duplicates), limits on size and file count, a file-type allow-list per
area (content or library), a well-formed `h5p.json`, every library folder named
`<machineName>-<major>.<minor>` after its `library.json`, every preloaded JS/CSS file present,
every dependency bundled, and no active SVG in the content. Each problem names the file and
the rule in the user's language. Extraction (`package_extract`) enforces the size limits again
while it writes, because a zip's directory can lie.
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
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

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
MACHINE_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,200}$")
LANGUAGE_FILE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*\.json$")
DRIVE = re.compile(r"^[A-Za-z]:")
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
class LibraryInfo:
    """One library folder of a package, as its `library.json` describes it."""

    folder: str
    machine_name: str
    major: int
    minor: int
    patch: int
    title: str
    license: str
    runnable: bool
    dependencies: list[tuple[str, int, int]]

    @property
    def version(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


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


class PackageErrors:
    """Collects problems; each names the file and the rule (code) it broke."""

    def __init__(self):
        self.errors: list[ValidationError] = []

    def add(self, code: str, message, **params) -> None:
        self.errors.append(ValidationError(message, code=code, params=params))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _int(value) -> int | None:
    """H5P writes versions as numbers or numeric strings."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.isdigit() and len(value) <= 6:
        return int(value)
    return None


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


def _check_library_json(folder: str, data, errors: PackageErrors) -> LibraryInfo | None:
    name = f"{folder}/library.json"
    if not isinstance(data, dict):
        errors.add("invalid_library_json", _("%(file)s: must be a JSON object."), file=name)
        return None
    machine = data.get("machineName")
    major, minor, patch = (
        _int(data.get(k)) for k in ("majorVersion", "minorVersion", "patchVersion")
    )
    title = data.get("title")
    missing = [
        key
        for key, value in (
            ("title", title if isinstance(title, str) and title.strip() else None),
            (
                "machineName",
                machine if isinstance(machine, str) and MACHINE_NAME.match(machine) else None,
            ),
            ("majorVersion", major),
            ("minorVersion", minor),
            ("patchVersion", patch),
        )
        if value is None
    ]
    if missing:
        errors.add(
            "invalid_library_json",
            _("%(file)s: missing or invalid fields: %(fields)s."),
            file=name,
            fields=", ".join(missing),
        )
        return None
    if folder != f"{machine}-{major}.{minor}":
        errors.add(
            "library_folder_mismatch",
            _("%(file)s: the folder must be named %(expected)s after its library.json."),
            file=name,
            expected=f"{machine}-{major}.{minor}",
        )
        return None
    dependencies = []
    for dep in data.get("preloadedDependencies") or []:
        parsed = _dependency(dep)
        if parsed is None:
            errors.add(
                "invalid_library_json",
                _("%(file)s: a preloaded dependency is malformed."),
                file=name,
            )
            return None
        dependencies.append(parsed)
    return LibraryInfo(
        folder=folder,
        machine_name=machine,
        major=major,
        minor=minor,
        patch=patch,
        title=title.strip()[:255],
        license=str(data.get("license") or "")[:32],
        runnable=bool(data.get("runnable")),
        dependencies=dependencies,
    )


def _dependency(dep) -> tuple[str, int, int] | None:
    if not isinstance(dep, dict):
        return None
    machine = dep.get("machineName")
    major, minor = _int(dep.get("majorVersion")), _int(dep.get("minorVersion"))
    if not isinstance(machine, str) or not MACHINE_NAME.match(machine) or None in (major, minor):
        return None
    return machine, major, minor


def _preloaded_paths(data: dict) -> list[str]:
    paths = []
    for key in ("preloadedJs", "preloadedCss"):
        for item in data.get(key) or []:
            paths.append(item.get("path") if isinstance(item, dict) else None)
    return paths


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


def _validate_archive(archive, infos, lim, errors: PackageErrors) -> ValidatedPackage:
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

    h5p_json = None
    if "h5p.json" not in by_name:
        errors.add("missing_h5p_json", _("%(file)s: missing from the package."), file="h5p.json")
    else:
        h5p_json = _load_json(archive, by_name["h5p.json"], errors, "h5p.json")
    if "content/content.json" not in by_name:
        errors.add(
            "missing_content", _("%(file)s: missing from the package."), file="content/content.json"
        )
    else:
        _load_json(archive, by_name["content/content.json"], errors, "content/content.json")

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
        library = _check_library_json(folder, data, errors)
        if library is None:
            continue
        for path in _preloaded_paths(data):
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
        main, title, license_code = _check_h5p_json(h5p_json, libraries, errors)
    errors.raise_if_any()
    return ValidatedPackage(
        title=title,
        license=license_code,
        main_library=main,
        h5p_json=h5p_json,
        libraries=libraries,
        content_members=content_members,
        uncompressed_size=total,
        file_count=len(files),
    )


def _check_h5p_json(data, libraries: dict[str, LibraryInfo], errors: PackageErrors):
    if not isinstance(data, dict):
        errors.add("invalid_h5p_json", _("%(file)s: must be a JSON object."), file="h5p.json")
        return None, "", ""
    title = data.get("title")
    main = data.get("mainLibrary")
    deps = data.get("preloadedDependencies")
    if not isinstance(title, str) or not title.strip():
        errors.add(
            "invalid_h5p_json", _("%(file)s: %(field)s is missing."), file="h5p.json", field="title"
        )
    if not isinstance(main, str) or not MACHINE_NAME.match(main):
        errors.add(
            "invalid_h5p_json",
            _("%(file)s: %(field)s is missing."),
            file="h5p.json",
            field="mainLibrary",
        )
        return None, "", ""
    if not isinstance(deps, list) or not deps:
        errors.add(
            "invalid_h5p_json",
            _("%(file)s: %(field)s is missing."),
            file="h5p.json",
            field="preloadedDependencies",
        )
        return None, "", ""
    parsed = [_dependency(dep) for dep in deps]
    if None in parsed:
        errors.add(
            "invalid_h5p_json", _("%(file)s: a preloaded dependency is malformed."), file="h5p.json"
        )
        return None, "", ""
    main_dep = next((dep for dep in parsed if dep[0] == main), None)
    if main_dep is None:
        errors.add(
            "invalid_h5p_json",
            _("%(file)s: the main library %(library)s is not among the preloaded dependencies."),
            file="h5p.json",
            library=main,
        )
        return None, "", ""
    # Every dependency, and theirs in turn, must be bundled: the player has no library store.
    pending = [("h5p.json", dep) for dep in parsed]
    checked: set[tuple[str, int, int]] = set()
    while pending:
        required_by, dep = pending.pop()
        if dep in checked:
            continue
        checked.add(dep)
        folder = f"{dep[0]}-{dep[1]}.{dep[2]}"
        library = libraries.get(folder)
        if library is None:
            errors.add(
                "missing_dependency",
                _(
                    "%(file)s: requires the library %(library)s, "
                    "which the package does not contain."
                ),
                file=required_by,
                library=folder,
            )
            continue
        pending.extend((f"{folder}/library.json", sub) for sub in library.dependencies)
    return (
        main_dep,
        title.strip()[:255] if isinstance(title, str) else "",
        str(data.get("license") or "")[:32],
    )


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


class ExtractionLimitExceeded(Exception):
    pass


def package_extract(upload, members: list[str], destination: Path, *, rename=None) -> int:
    """Write `members` of the archive under `destination`, counting every byte written.

    The directory sizes were checked already; this enforces them again while writing (a member
    that produces more than its declared size, or a total past the limit, stops extraction with
    a ValidationError). `rename(member)` maps a member name to its path below `destination`.
    Returns the number of bytes written. The caller removes `destination` on failure.
    """
    lim = limits()
    budget = lim["max_uncompressed"]
    written = 0
    upload.seek(0)
    with zipfile.ZipFile(upload) as archive:
        for member in members:
            info = archive.getinfo(member)
            target = destination / (rename(member) if rename else member)
            target.parent.mkdir(parents=True, exist_ok=True)
            member_written = 0
            try:
                with archive.open(info) as source, open(target, "xb") as sink:
                    while chunk := source.read(64 * 1024):
                        member_written += len(chunk)
                        written += len(chunk)
                        if member_written > info.file_size or written > budget:
                            raise ExtractionLimitExceeded
                        sink.write(chunk)
            except ExtractionLimitExceeded as error:
                raise ValidationError(
                    _("%(file)s: unpacks to more than the archive declares (a zip bomb?)."),
                    code="zip_bomb",
                    params={"file": member},
                ) from error
            except (zipfile.BadZipFile, zlib.error, EOFError) as error:
                raise ValidationError(
                    _("%(file)s: the file is damaged inside the archive."),
                    code="corrupt_member",
                    params={"file": member},
                ) from error
    return written
