"""The machinery stays on the ground floor: outside `core/`, no module runs SQL text of its own,
writes SQL text in a string (to hand to a core helper), or reaches into a private name of
Django, Wagtail or treebeard.

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
ROOMS += ("dialogue", "lms")

# Calls that send SQL text of their own to the database.
SQL_CALLS = {"execute", "executemany", "raw", "extra", "RawSQL"}
# SQL text outside core, with why it stays.
SQL_ALLOWED = {
    # The bench's data loader (200,000 learners in generate_series inside PostgreSQL); it is a
    # load tool, never on a request path.
    "targets/management/commands/seed_load.py",
}
# SQL text in a string constant or f-string (docstrings aside): words only SQL uses, in the
# capitals SQL is written in. A domain module says what it wants (core.db.InsertSelect, the
# ORM); core writes the SQL.
SQL_TEXT = re.compile(
    r"\bON CONFLICT\b|\bDO (?:UPDATE|NOTHING)\b|\bCOALESCE\s*\(|\bINSERT INTO\b"
    r"|\bDELETE FROM\b|\bUPDATE \S+ SET\b|\bSELECT\b.*\bFROM\b|\bFROM \S+(?: \w+)? WHERE\b"
    r"|\bWHERE 1 = 1\b|\bRETURNING\b",
    re.S,
)
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


def strings(tree: ast.AST):
    """(line, text) of every string constant and f-string (its holes as `{}`), docstrings and
    other bare string statements left out."""
    skip = set()
    for node in ast.walk(tree):  # parents before their children
        if id(node) in skip:
            if isinstance(node, ast.JoinedStr):
                skip.update(id(part) for part in node.values)
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant | ast.JoinedStr):
            skip.add(id(node.value))
        elif isinstance(node, ast.JoinedStr):
            skip.update(id(part) for part in node.values)
            yield (
                node.lineno,
                "".join(
                    part.value if isinstance(part, ast.Constant) else "{}" for part in node.values
                ),
            )
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


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
    if relative not in SQL_ALLOWED:
        for line, text in strings(tree):
            match = SQL_TEXT.search(text)
            if match:
                found.append(f"{relative}:{line}: SQL text in a string ({match.group(0)[:20]})")
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


@pytest.mark.parametrize(
    "source",
    [
        'UPSERT = "ON CONFLICT (statement_id) DO NOTHING"',
        'SET = "completed_at = COALESCE(t.completed_at, excluded.completed_at)"',
        'f = lambda table: f"INSERT INTO {table} (a) VALUES (1)"',
        'f = lambda t: f"SELECT l.score FROM {t} l"',
        'ROW = "FROM courses_enrolment e WHERE e.user_id = %s"',
        'f = lambda t: insert(t, source="WHERE 1 = 1")',
        'f = lambda t: (f"x = {t}.x " "DO UPDATE SET y = 1")',
        'READ = "RETURNING id"',
    ],
    ids=["on-conflict", "coalesce", "insert-f-string", "select-from-f-string", "from-where",
         "where-1-1", "do-update-joined", "returning"],
)  # fmt: skip
def test_the_check_sees_sql_text_in_strings(tmp_path, source):
    """SQL written in a string to be handed to a helper is caught too, f-strings included."""
    (tmp_path / "courses").mkdir()
    (tmp_path / "courses" / "probe.py").write_text(source + "\n", encoding="utf-8")
    found = violations("courses/probe.py", root=tmp_path)
    assert len(found) == 1 and found[0].startswith("courses/probe.py:1: SQL text in a string")


def test_the_string_check_leaves_prose_and_docstrings_alone(tmp_path):
    (tmp_path / "courses").mkdir()
    (tmp_path / "courses" / "probe.py").write_text(
        '"""Each write is one `INSERT INTO ... SELECT ... FROM` with ON CONFLICT DO UPDATE."""\n'
        "def f():\n"
        '    """RETURNING reads back the row; COALESCE(a, b) keeps the first set."""\n'
        '    return _("Select a course from the list, then choose where to go.")\n',
        encoding="utf-8",
    )
    assert violations("courses/probe.py", root=tmp_path) == []


def test_the_upstream_names_are_read():
    names = upstream_private_names()
    assert {"_slug_is_available", "_get_path", "_result_cache"} <= names
