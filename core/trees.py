"""Materialised-path trees (django-treebeard's MP_Node): paths computed for bulk inserts.

treebeard builds a node's path one insert at a time (`add_child`), reading the last sibling
each time; importing 3,000+ communes in one `bulk_create` needs the paths computed ahead. The
encoding is treebeard's own, through its private `_get_path` and `_str2int` (pinned in
tests/core/test_internals.py); this is the only module that calls them.
"""


def child_step(model, path: str | None) -> int:
    """The position of the node at `path` among its siblings (0 for None: no sibling yet)."""
    return model._str2int(path[-model.steplen :]) if path else 0


def child_path(model, parent_path: str, depth: int, step: int) -> str:
    """The path of the `step`-th child (1-based) at `depth` under `parent_path` ('' for roots)."""
    return model._get_path(parent_path, depth, step)
