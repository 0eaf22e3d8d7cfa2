"""Script injection in an H5P package's `content/content.json`, judged by the libraries' own
`semantics.json`.

h5p-standalone puts many content fields into the page as HTML without the filtering H5P's PHP
core applies. A field that H5P's semantics declare plain text (`"type": "text"` without
`"widget": "html"`) must hold no markup at all; no string anywhere (HTML fields, fields the
semantics do not describe) may hold a script, an event handler attribute or a `javascript:`
link. Offending packages are refused, naming the field: markup meant as text can be written
with entities (`&lt;script&gt;`).
"""

import re

from django.utils.translation import gettext_lazy as _

from .manifests import PackageErrors

ACTIVE = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|base|meta|link|style|form|svg|math)\b"
    r"|javascript\s*:|vbscript\s*:|data\s*:\s*text/html"
    r"|<[^>]*\son[a-z]+\s*=",
    re.IGNORECASE,
)
MARKUP = re.compile(r"<\s*[a-zA-Z!/]")
MAX_DEPTH = 40
MAX_ISSUES = 20  # enough to show the trainer the pattern without a wall of errors


def content_check(content, *, main_semantics, semantics_of, errors: PackageErrors) -> None:
    """Add an error per offending field of `content` (the parsed content.json).

    `main_semantics`: the main library's semantics (a list of fields) or None;
    `semantics_of(library_string)`: the semantics of a sub-content library ("H5P.Image 1.1"),
    or None when the package has none for it.
    """
    issues: list[tuple[str, str]] = []

    def report(path: str, code: str):
        if len(issues) < MAX_ISSUES:
            issues.append((path, code))

    def generic(value, path, depth):
        """Strings the semantics do not describe: no active content."""
        if depth > MAX_DEPTH:
            return
        if isinstance(value, str):
            if ACTIVE.search(value):
                report(path, "active")
        elif isinstance(value, dict):
            for key, item in value.items():
                generic(item, f"{path}.{key}" if path else str(key), depth + 1)
        elif isinstance(value, list):
            for n, item in enumerate(value):
                generic(item, f"{path}[{n}]", depth + 1)

    def fields(semantics, params, path, depth):
        if not isinstance(params, dict) or not isinstance(semantics, list):
            generic(params, path, depth)
            return
        described = set()
        for field in semantics:
            if isinstance(field, dict) and field.get("name") in params:
                described.add(field["name"])
                name = field["name"]
                value_of(field, params[name], f"{path}.{name}" if path else name, depth + 1)
        for key in params.keys() - described:  # e.g. metadata, sub-content ids
            generic(params[key], f"{path}.{key}" if path else str(key), depth + 1)

    def value_of(field, value, path, depth):
        if depth > MAX_DEPTH:
            return
        kind = field.get("type")
        if kind == "text" and isinstance(value, str):
            if ACTIVE.search(value):
                report(path, "active")
            elif field.get("widget") != "html" and MARKUP.search(value):
                report(path, "markup")
        elif kind == "group":
            subfields = field.get("fields") or []
            if isinstance(value, dict):
                fields(subfields, value, path, depth)
            elif len(subfields) == 1:  # H5P stores a one-field group as the bare value
                value_of(subfields[0], value, path, depth)
            else:
                generic(value, path, depth)
        elif kind == "list" and isinstance(value, list) and isinstance(field.get("field"), dict):
            for n, item in enumerate(value):
                value_of(field["field"], item, f"{path}[{n}]", depth + 1)
        elif kind == "library" and isinstance(value, dict):
            semantics = semantics_of(value.get("library")) if value.get("library") else None
            rest = {key: item for key, item in value.items() if key != "params"}
            generic(rest, path, depth)
            if semantics is None:
                generic(value.get("params"), f"{path}.params", depth + 1)
            else:
                fields(semantics, value.get("params"), f"{path}.params", depth + 1)
        else:
            generic(value, path, depth)

    if main_semantics is None:
        generic(content, "", 0)
    else:
        fields(main_semantics, content, "", 0)
    for path, code in issues:
        if code == "markup":
            errors.add(
                "content_markup",
                _(
                    "%(file)s: the field “%(field)s” is plain text in H5P but holds HTML "
                    "markup; write < and > as &lt; and &gt;."
                ),
                file="content/content.json",
                field=path,
            )
        else:
            errors.add(
                "content_script",
                _(
                    "%(file)s: the field “%(field)s” holds a script, an event handler or a "
                    "javascript: link, which H5P content may not contain."
                ),
                file="content/content.json",
                field=path,
            )
