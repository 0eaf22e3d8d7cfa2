"""Validation of an uploaded SCORM package (a zip with `imsmanifest.xml`), before any write.

The hostile-package rules are the H5P ones (courses.h5p.validation): a real zip, safe member
names (no `..`, absolute, backslash or drive paths), no symlinks, no encrypted members, no
duplicates, limits on size, file count and unpacked size, and a file-type allow-list. Then
the manifest: parsed with defusedxml (no entities, no DTD tricks), SCORM 1.2 or 2004 told by
its namespaces and schemaversion, the default organisation's first launchable item must point
at a SCO resource whose file is in the package. AICC-only packages and packages without a
manifest are refused with their reason. Every message names the file and the rule, in the
user's language. Extraction re-counts bytes as it writes (`courses.h5p.extraction`).
"""

import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..h5p.manifests import PackageErrors
from ..h5p.validation import (
    AUDIO,
    FONTS,
    IMAGE,
    VIDEO,
    MiB,
    _is_symlink,
    _name_problem,
    archive_size_check,
)

MANIFEST = "imsmanifest.xml"
MANIFEST_READ_CAP = 2 * MiB
# What a SCORM package may hold: web pages and their scripts, styles, media, data, schemas.
ALLOWED_TYPES = (
    IMAGE
    | AUDIO
    | VIDEO
    | FONTS
    | {"html", "htm", "xhtml", "js", "mjs", "css", "json", "xml", "xsd", "dtd", "xsx", "xsl"}
    | {"txt", "md", "vtt", "srt", "csv", "pdf", "ico", "map", "swf", "wasm"}
)
# Operating-system debris some zip tools add; skipped, never extracted.
JUNK_PREFIXES = ("__MACOSX/",)
JUNK_NAMES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})
AICC_TYPES = {"au", "crs", "cst", "des", "ort", "pre", "cmp"}


def limits() -> dict[str, int]:
    """Upload limits, overridable in settings (LMS_SCORM_*)."""
    return {
        "max_upload": getattr(settings, "LMS_SCORM_MAX_UPLOAD_BYTES", 200 * MiB),
        "max_uncompressed": getattr(settings, "LMS_SCORM_MAX_UNCOMPRESSED_BYTES", 500 * MiB),
        "max_files": getattr(settings, "LMS_SCORM_MAX_FILES", 5000),
        "max_name": getattr(settings, "LMS_SCORM_MAX_NAME_LENGTH", 128),
        # One member larger than this is refused (a video belongs in the media library).
        "max_member": getattr(settings, "LMS_SCORM_MAX_MEMBER_BYTES", 150 * MiB),
        # A member that unpacks to more than this many times its compressed size is a bomb.
        "max_ratio": getattr(settings, "LMS_SCORM_MAX_RATIO", 200),
    }


@dataclass
class ValidatedScorm:
    title: str
    version: str  # "1.2" or "2004"
    identifier: str
    launch: str  # path inside the package, with the item's parameters
    items: list[dict] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    uncompressed_size: int = 0
    file_count: int = 0


def _extension(name: str) -> str:
    base = posixpath.basename(name)
    return base.rsplit(".", 1)[1].lower() if "." in base else ""


def is_junk(name: str) -> bool:
    return name.startswith(JUNK_PREFIXES) or posixpath.basename(name).lower() in JUNK_NAMES


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _namespace(tag) -> str:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def _attr(element, name: str) -> str:
    """An attribute by local name, whatever namespace prefix the package used."""
    for key, value in element.attrib.items():
        if _local(key).lower() == name.lower():
            return value.strip()
    return ""


def _children(element, name: str):
    return [child for child in element if _local(child.tag) == name]


def _text(element, name: str) -> str:
    for child in element.iter():
        if _local(child.tag) == name and child.text and child.text.strip():
            return child.text.strip()
    return ""


def scorm_package_validate(upload) -> ValidatedScorm:
    """Validate the SCORM zip `upload` (seekable); raise ValidationError listing the problems.
    Reads the zip directory and the capped manifest only: nothing is written."""
    lim = limits()
    errors = PackageErrors()
    name = Path(getattr(upload, "name", "") or "package.zip").name
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(0)
    if size > lim["max_upload"]:
        errors.add(
            "too_large",
            _("%(file)s: the package is %(size)s MB; the limit is %(max)s MB."),
            file=name,
            size=round(size / MiB, 1),
            max=round(lim["max_upload"] / MiB),
        )
        errors.raise_if_any()
    try:
        archive = zipfile.ZipFile(upload)
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        errors.add("not_zip", _("%(file)s: not a SCORM package (not a zip archive)."), file=name)
        errors.raise_if_any()
    with archive:
        return _validate_archive(archive, infos, lim, errors)


def _validate_archive(archive, infos, lim, errors: PackageErrors) -> ValidatedScorm:
    infos = [info for info in infos if not is_junk(info.filename)]
    archive_size_check(infos, lim, errors)

    seen: set[str] = set()
    members: dict[str, zipfile.ZipInfo] = {}
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
        if info.is_dir():
            continue
        if info.file_size > lim["max_member"]:
            errors.add(
                "member_too_large",
                _("%(file)s: the file is %(size)s MB; the limit for one file is %(max)s MB."),
                file=member,
                size=round(info.file_size / MiB, 1),
                max=round(lim["max_member"] / MiB),
            )
            continue
        if info.file_size > 1 * MiB and info.file_size > lim["max_ratio"] * max(
            info.compress_size, 1
        ):
            errors.add(
                "zip_bomb",
                _("%(file)s: unpacks to far more than its packed size (a zip bomb?)."),
                file=member,
            )
            continue
        members[member] = info

    if MANIFEST not in members:
        if any(_extension(m) in AICC_TYPES for m in members):
            errors.errors.clear()  # the one reason that matters
            errors.add(
                "aicc_only",
                _(
                    "%(file)s: this is an AICC package, which is not supported; export the "
                    "course as SCORM 1.2 or SCORM 2004."
                ),
                file=MANIFEST,
            )
        else:
            errors.add(
                "missing_manifest",
                _(
                    "%(file)s: missing at the root of the package; this is not a SCORM "
                    "package (zip the course folder's contents, not the folder)."
                ),
                file=MANIFEST,
            )
    for member in members:
        if _extension(member) not in ALLOWED_TYPES and not any(
            e.code == "aicc_only" for e in errors.errors
        ):
            errors.add(
                "file_type",
                _("%(file)s: this type of file is not allowed (%(area)s)."),
                file=member,
                area=_("SCORM package"),
            )
    errors.raise_if_any()

    manifest = _read_manifest(archive, members[MANIFEST], errors)
    errors.raise_if_any()
    validated = _check_manifest(manifest, members, errors)
    errors.raise_if_any()
    validated.members = sorted(members)
    validated.uncompressed_size = sum(info.file_size for info in members.values())
    validated.file_count = len(members)
    return validated


def _read_manifest(archive, info, errors: PackageErrors):
    try:
        with archive.open(info) as stream:
            data = stream.read(MANIFEST_READ_CAP + 1)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError):
        errors.add(
            "corrupt_member", _("%(file)s: the file is damaged inside the archive."), file=MANIFEST
        )
        return None
    if len(data) > MANIFEST_READ_CAP:
        errors.add("manifest_too_large", _("%(file)s: the manifest is too large."), file=MANIFEST)
        return None
    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        errors.add(
            "manifest_entities",
            _("%(file)s: XML entities are not allowed in the manifest."),
            file=MANIFEST,
        )
    except Exception:  # ParseError and its kin: the manifest is not well-formed XML
        errors.add(
            "manifest_xml",
            _("%(file)s: the manifest is empty or not well-formed XML."),
            file=MANIFEST,
        )
    return None


def _version(root) -> str | None:
    schema_version = ""
    for metadata in _children(root, "metadata"):
        schema_version = _text(metadata, "schemaversion")
    namespaces = {_namespace(el.tag) for el in root.iter()} | {
        _namespace(key) for el in root.iter() for key in el.attrib
    }
    if "2004" in schema_version or "1.3" in schema_version or "CAM" in schema_version:
        return "2004"
    if schema_version.startswith("1.2"):
        return "1.2"
    if any("adlcp_v1p3" in ns for ns in namespaces):
        return "2004"
    if any("adlcp_rootv1p2" in ns for ns in namespaces):
        return "1.2"
    return None


def _check_manifest(root, members: dict, errors: PackageErrors) -> ValidatedScorm:
    if _local(root.tag) != "manifest":
        errors.add(
            "manifest_root", _("%(file)s: the root element must be <manifest>."), file=MANIFEST
        )
        errors.raise_if_any()
    version = _version(root)
    if version is None:
        errors.add(
            "scorm_version",
            _("%(file)s: not a SCORM 1.2 or SCORM 2004 manifest (no schemaversion)."),
            file=MANIFEST,
        )
    resources = {}
    for group in _children(root, "resources"):
        base = _attr(group, "base")
        for resource in _children(group, "resource"):
            rid = _attr(resource, "identifier")
            if rid:
                resources[rid] = (resource, _attr(resource, "base") or base)
    organizations = _children(root, "organizations")
    orgs = [org for group in organizations for org in _children(group, "organization")]
    default_id = _attr(organizations[0], "default") if organizations else ""
    org = next((o for o in orgs if _attr(o, "identifier") == default_id), orgs[0] if orgs else None)
    title = ""
    items: list[dict] = []
    if org is not None:
        title = next((c.text.strip() for c in _children(org, "title") if c.text), "")
        for item in org.iter():
            if _local(item.tag) != "item":
                continue
            ref = _attr(item, "identifierref")
            if not ref or ref not in resources:
                continue
            resource, base = resources[ref]
            if _attr(resource, "scormtype").lower() not in ("sco", "asset"):
                continue
            href = _attr(resource, "href")
            if not href:
                continue
            parameters = _attr(item, "parameters")
            item_title = next((c.text.strip() for c in _children(item, "title") if c.text), "")
            entry = _launch_path(base, href, parameters, members, errors)
            if entry is None:
                continue
            items.append(
                {
                    "id": _attr(item, "identifier")[:255],
                    "title": item_title[:255],
                    "href": entry,
                    "sco": _attr(resource, "scormtype").lower() == "sco",
                }
            )
    if not items and not errors.errors:
        errors.add(
            "no_sco",
            _("%(file)s: the manifest names no SCO or page to launch."),
            file=MANIFEST,
        )
    errors.raise_if_any()
    launch = next((i for i in items if i["sco"]), items[0])
    return ValidatedScorm(
        title=title[:255],
        version=version or "",
        identifier=_attr(root, "identifier")[:255],
        launch=launch["href"],
        items=items,
    )


def _launch_path(base: str, href: str, parameters: str, members, errors) -> str | None:
    """The item's file inside the package with its query, or None (the error is added)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("//", "/")):
        errors.add(
            "external_launch",
            _("%(file)s: the launch address %(href)s is outside the package."),
            file=MANIFEST,
            href=href[:200],
        )
        return None
    path = posixpath.normpath(posixpath.join(base or "", unquote(parts.path)))
    if path.startswith("../") or path == ".." or path not in members:
        errors.add(
            "missing_launch",
            _("%(file)s: the launch file %(href)s is not in the package."),
            file=MANIFEST,
            href=href[:200],
        )
        return None
    query = parts.query
    if parameters:
        parameters = parameters.lstrip("?&")
        query = f"{query}&{parameters}" if query else parameters
    return path + (f"?{query}" if query else "")
