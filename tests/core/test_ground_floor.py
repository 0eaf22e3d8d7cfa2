"""The machinery stays on the ground floor: outside `core/`, no module runs SQL text of its own
or reaches into a private name of Django, Wagtail or treebeard.

Checked on the source (AST), so a new violation fails here with its file and line, whoever
writes it. Migrations, tests and the bench are out of scope; the one exception is listed with
its reason.
"""

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ROOMS = ("people", "notify", "courses", "certificates", "targets", "webhooks", "library", "cms")
ROOMS += ("lms",)

# Calls that send SQL text of their own to the database.
SQL_CALLS = {"execute", "executemany", "raw", "extra", "RawSQL"}
# SQL text outside core, with why it stays.
SQL_ALLOWED = {
    # The bench's data loader (200,000 learners in generate_series inside PostgreSQL); it is a
    # load tool, never on a request path.
    "targets/management/commands/seed_load.py",
}
# Leading-underscore names Django documents as public API.
PUBLIC_UNDERSCORE = {"_meta", "_default_manager", "_base_manager", "_state", "_"}
UPSTREAM = ("django", "wagtail", "treebeard", "modelcluster", "ninja", "allauth")


def room_modules():
    for room in ROOMS:
        for path in sorted((ROOT / room).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative:
                continue
            yield relative


@cache
def upstream_private_names() -> frozenset[str]:
    """Every `_name` that Django, Wagtail, treebeard & co. define (methods, attributes)."""
    import importlib

    found = set()
    pattern = re.compile(r"(?:def |\.|^\s+)(_[a-z][A-Za-z0-9_]*)\s*(?:\(|=)", re.M)
    for package in UPSTREAM:
        base = Path(importlib.import_module(package).__file__).parent
        for path in base.rglob("*.py"):
            found.update(pattern.findall(path.read_text(encoding="utf-8", errors="replace")))
    return frozenset(found - PUBLIC_UNDERSCORE)


def violations(relative: str, root: Path = ROOT) -> list[str]:
    tree = ast.parse((root / relative).read_text(encoding="utf-8"), relative)
    private = upstream_private_names()
    # Our own private names (defined in this module) are this module's business.
    own = {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and relative not in SQL_ALLOWED:
            name = getattr(node.func, "attr", getattr(node.func, "id", None))
            if name in SQL_CALLS:
                found.append(f"{relative}:{node.lineno}: SQL text through {name}()")
        if isinstance(node, ast.Attribute) and node.attr in private and node.attr not in own:
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in {"self", "cls"}:
                # Our classes' own attributes; an upstream method overridden is caught below.
                continue
            found.append(f"{relative}:{node.lineno}: upstream private name {node.attr}")
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name in private:
                    found.append(f"{relative}:{item.lineno}: overrides upstream {item.name}()")
    return found


@pytest.mark.parametrize("relative", list(room_modules()))
def test_a_room_module_leaves_sql_and_private_internals_to_core(relative):
    assert violations(relative) == [], "move the machinery to core/ (see tests/core/)"


def test_the_check_sees_sql_text_and_a_private_call(tmp_path):
    """The check is not vacuous: a module doing both is caught, with lines."""
    (tmp_path / "people").mkdir()
    (tmp_path / "people" / "probe.py").write_text(
        "from wagtail.models import Page\n"
        "def f(cursor, parent):\n"
        "    cursor.execute('SELECT 1')\n"
        "    return Page._slug_is_available('x', parent, None)\n",
        encoding="utf-8",
    )
    found = violations("people/probe.py", root=tmp_path)
    assert found == [
        "people/probe.py:3: SQL text through execute()",
        "people/probe.py:4: upstream private name _slug_is_available",
    ]


def test_the_upstream_names_are_read():
    names = upstream_private_names()
    assert {"_slug_is_available", "_get_path", "_result_cache"} <= names
