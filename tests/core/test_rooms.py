"""The rooms import each other in one direction only (DESIGN.md): core below all, then
people ← notify ← courses ← certificates ← targets ← webhooks ← cms; `lms` is wiring (settings,
URLs, the Celery app) and may import any room, but no room imports it. `bench` may import
anything. Side rooms stand beside that line: library imports only people and core; dialogue
(course discussions, public questions, surveys) imports core, people, notify and courses; only
cms, the site's shell, imports a side room.

Read from the source (every `import` and `from … import`, at any depth, including those inside
functions), so a late import cannot hide a wrong direction.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ORDER = [
    "core",
    "people",
    "notify",
    "courses",
    "certificates",
    "targets",
    "webhooks",
    "library",
    "dialogue",
    "cms",
]
# Rooms whose imports are narrower than their place in ORDER gives them.
SIDE = {
    "library": {"core", "people", "library"},
    "dialogue": {"core", "people", "notify", "courses", "dialogue"},
}
OURS = {*ORDER, "lms", "bench", "tests"}


def imports_of(path: Path) -> set[str]:
    """The top-level packages of ours that a module imports (relative imports stay inside
    their own room and are not listed)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & OURS
    return found


def modules(room: str):
    return sorted(p for p in (ROOT / room).rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("room", ORDER)
def test_a_room_imports_only_the_rooms_below_it(room):
    allowed = SIDE.get(room, set(ORDER[: ORDER.index(room) + 1]))
    wrong = {
        str(path.relative_to(ROOT)): sorted(imports_of(path) - allowed)
        for path in modules(room)
        if imports_of(path) - allowed
    }
    assert not wrong, f"{room} may import only {sorted(allowed)}: {wrong}"


@pytest.mark.parametrize("room", sorted(SIDE))
def test_only_cms_imports_a_side_room(room):
    wrong = {
        str(path.relative_to(ROOT))
        for other in ORDER
        if other not in (room, "cms")
        for path in modules(other)
        if room in imports_of(path)
    }
    assert not wrong, f"only cms may import {room}: {sorted(wrong)}"


def test_core_imports_nothing_of_ours():
    wrong = {str(p.relative_to(ROOT)): sorted(imports_of(p) - {"core"}) for p in modules("core")}
    assert not {k: v for k, v in wrong.items() if v}


def test_the_check_sees_a_wrong_import(tmp_path):
    """The test itself: an import against the order is found, in a function too."""
    module = tmp_path / "m.py"
    module.write_text(
        "import os\n\ndef f():\n    from targets.models import X\n    from . import y\n"
    )
    assert imports_of(module) == {"targets"}


@pytest.mark.parametrize("room", [*ORDER, "lms"])
def test_a_room_says_what_it_owns_and_may_import(room):
    """Each room's `__init__.py` opens with a paragraph: what it owns, what it may import."""
    import importlib

    doc = (importlib.import_module(room).__doc__ or "").strip()
    assert len(doc) > 80, f"{room}/__init__.py: say in one paragraph what the room owns"
    assert "import" in doc.lower() or room == "lms", f"{room}: say what it may import"
