"""Population figures, the denominators of every percentage.

A unit's population is its own figure when it has one, otherwise the sum of the top-most
figures below it (a commune without a figure of its own is the sum of its villages'). With no
figure at or below a unit its population is unknown (`None`), never zero: the dashboard then
says "no population data" instead of inventing a percentage.
"""

from bisect import bisect_left
from collections.abc import Iterable

from django.db.models import Q

from ..models import Population


class PopulationRows(list):
    """Figures as (path, target group id, year, count), sorted by path (in Python, whatever the
    database's collation): a subtree's figures are one contiguous slice, found by bisection,
    so looking up a unit costs O(log n + its own figures), not a scan of every figure."""

    def __init__(self, rows: Iterable[tuple[str, int, int, int]] = ()):
        super().__init__(sorted(rows))
        self.paths = [row[0] for row in self]

    def subtree(self, path: str) -> list[tuple[str, int, int, int]]:
        # Paths use 0-9 and A-Z only, so every path below `path` sorts before `path + "~"`.
        return self[bisect_left(self.paths, path) : bisect_left(self.paths, path + "~")]


def population_rows(*, scopes: Iterable[tuple[str, int, int]]) -> PopulationRows:
    """Every figure under any of `scopes` = (unit path, target group id, year), in one query."""
    condition = Q()
    for path, group_id, year in scopes:
        condition |= Q(org_unit__path__startswith=path, target_group_id=group_id, year=year)
    if not condition:
        return PopulationRows()
    return PopulationRows(
        Population.objects.filter(condition).values_list(
            "org_unit__path", "target_group_id", "year", "count"
        )
    )


def population_of(rows: PopulationRows, path: str, group_id: int, year: int):
    """The population of the unit at `path` from `rows`, or None if unknown."""
    total, covered, found = 0, None, False
    for row_path, row_group, row_year, count in rows.subtree(path):
        if row_group != group_id or row_year != year:
            continue
        if covered is not None and row_path.startswith(covered):
            continue  # a figure below one already counted (e.g. villages of a counted commune)
        total += count
        covered = row_path
        found = True
    return total if found else None


def subtree_population(
    rows: PopulationRows,
    path: str,
    child_paths: list[str],
    group_id: int,
    year: int,
) -> tuple[int | None, int]:
    """A unit's population and how many of its current children lack a figure.

    The unit's own figure wins. Otherwise the sum of its children's is only a population when
    every current child has one: summing the known ones would overstate the share achieved.
    """
    own = [c for p, g, y, c in rows.subtree(path) if p == path and g == group_id and y == year]
    missing = sum(1 for child in child_paths if population_of(rows, child, group_id, year) is None)
    if own:
        return own[0], missing
    if missing:
        return None, missing
    return population_of(rows, path, group_id, year), 0
