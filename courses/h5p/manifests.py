"""The two manifests of an H5P package: `h5p.json` (what the content needs) and each
library's `library.json` (what the library is and loads).

A library folder must be named `<machineName>-<major>.<minor>` after its `library.json`, list
the fields the player relies on, and every dependency named anywhere must be bundled: the
player (h5p-standalone) has no library store to fetch a missing one from.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MACHINE_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,200}$")


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


def check_library_json(folder: str, data, errors: PackageErrors) -> LibraryInfo | None:
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


def preloaded_paths(data: dict) -> list[str]:
    paths = []
    for key in ("preloadedJs", "preloadedCss"):
        for item in data.get(key) or []:
            paths.append(item.get("path") if isinstance(item, dict) else None)
    return paths


def check_h5p_json(data, libraries: dict[str, LibraryInfo], errors: PackageErrors):
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
