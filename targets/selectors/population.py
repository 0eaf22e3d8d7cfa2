"""Population figures, the denominators of every percentage.

A unit's population is its own figure when it has one, otherwise the sum of the top-most
figures below it (a commune without a figure of its own is the sum of its villages'). With no
figure at or below a unit its population is unknown (`None`), never zero: the dashboard then
says "no population data" instead of inventing a percentage.

A figure is about one breakdown: (target group, year, ethnic group or every one, gender or
both). A count under a filter divides only by the figures of exactly that breakdown: women of
the Jrai group divide by the (Jrai, female) figures, never by the undivided total; without
such figures the population is unknown ("no population data for this breakdown").
Two combinations are computed from figures:

- **several target groups**: the sum of each group's figure (unknown if any group's is). This
  assumes the groups do not overlap in the population figures (a village head who is also a
  prestigious person is counted once in the people achieved, but once per group in the
  figures entered), so a combined percentage may be slightly low, never inflated;
- **any minority ethnic group**: the figure for every ethnic group minus the Kinh (GSO 01)
  figure, both of the same unit, group, year and gender (unknown if either is).
"""

from bisect import bisect_left
from collections.abc import Iterable

from django.db.models import Q

from core.db import rows_compiled_once

from ..models import Population

KINH = "01"

# A row: (path, target group id, year, ethnic group id or None, ethnic GSO code or "",
#         gender or "", count)
Row = tuple[str, int, int, int | None, str, str, int]


class PopulationRows(list):
    """Figures sorted by path (in Python, whatever the database's collation): a subtree's
    figures are one contiguous slice, found by bisection, so looking up a unit costs
    O(log n + its own figures), not a scan of every figure."""

    def __init__(self, rows: Iterable[Row] = ()):
        super().__init__(sorted(rows, key=lambda row: row[0]))
        self.paths = [row[0] for row in self]
        # One breakdown's population per unit, once computed (`_single`): a page asks for
        # each child's twice or more (its row, the missing count, the parent's sum).
        self.populations: dict[tuple, int | None] = {}

    def subtree(self, path: str) -> list[Row]:
        # Paths use 0-9 and A-Z only, so every path below `path` sorts before `path + "~"`.
        return self[bisect_left(self.paths, path) : bisect_left(self.paths, path + "~")]


def population_rows(*, scopes: Iterable[tuple[str, Iterable[int], int]]) -> PopulationRows:
    """Every figure under any of `scopes` = (unit path, target group ids, year), one query
    (compiled once per process and set of scopes, `rows_compiled_once`)."""
    scopes = tuple((path, tuple(group_ids), year) for path, group_ids, year in scopes)
    if not scopes:
        return PopulationRows()

    def figures():
        condition = Q()
        for path, group_ids, year in scopes:
            condition |= Q(
                org_unit__path__startswith=path, target_group_id__in=group_ids, year=year
            )
        # No ORDER BY (the model's joins the groups to sort): the rows are sorted here.
        return (
            Population.objects.filter(condition)
            .order_by()
            .values_list(
                "org_unit__path",
                "target_group_id",
                "year",
                "ethnic_group_id",
                "ethnic_group__code",
                "gender",
                "count",
            )
        )

    return PopulationRows(rows_compiled_once(("targets.population_rows", scopes), figures))


def _matches(row: Row, group_id: int, year: int, ethnic, gender: str) -> bool:
    """`ethnic`: None (the undivided figure), an ethnic group id, or KINH (the Kinh figure)."""
    if row[1] != group_id or row[2] != year or row[5] != gender:
        return False
    if ethnic is None:
        return row[3] is None
    if ethnic == KINH:
        return row[4] == KINH
    return row[3] == ethnic


def _single(rows, path, group_id, year, ethnic, gender) -> int | None:
    """One breakdown's population of the unit at `path`: its own figure, else the sum of the
    top-most figures below it; None when there is none."""
    key = (path, group_id, year, ethnic, gender)
    try:
        return rows.populations[key]
    except KeyError:
        pass
    total, covered, found = 0, None, False
    for row in rows.subtree(path):
        if not _matches(row, group_id, year, ethnic, gender):
            continue
        if covered is not None and row[0].startswith(covered):
            continue  # a figure below one already counted (e.g. villages of a counted commune)
        total += row[6]
        covered = row[0]
        found = True
    rows.populations[key] = total if found else None
    return rows.populations[key]


def _own(rows, path, group_id, year, ethnic, gender) -> int | None:
    for row in rows.subtree(path):
        if row[0] == path and _matches(row, group_id, year, ethnic, gender):
            return row[6]
    return None


def _combine(criteria, one) -> int | None:
    """Sum `one(group_id, ethnic)` over the criteria's groups, minorities as all minus Kinh."""
    total = 0
    for group_id in criteria.target_group_ids:
        if criteria.minority:
            everyone, kinh = one(group_id, None), one(group_id, KINH)
            if everyone is None or kinh is None:
                return None
            value = max(everyone - kinh, 0)
        else:
            value = one(group_id, criteria.ethnic_group_id)
        if value is None:
            return None
        total += value
    return total if criteria.target_group_ids else None


def population_of(rows: PopulationRows, path: str, criteria) -> int | None:
    """The population of the unit at `path` for exactly the breakdown of `criteria`
    (`achievement.Criteria`: target groups, year, ethnic group or minority, gender)."""
    return _combine(
        criteria,
        lambda group_id, ethnic: _single(
            rows, path, group_id, criteria.year, ethnic, criteria.gender
        ),
    )


def subtree_population(
    rows: PopulationRows, path: str, child_paths: list[str], criteria
) -> tuple[int | None, int]:
    """A unit's population and how many of its current children lack a figure.

    The unit's own figure wins. Otherwise the sum of its children's is only a population when
    every current child has one: summing the known ones would overstate the share achieved.
    """
    missing = sum(1 for child in child_paths if population_of(rows, child, criteria) is None)

    def one(group_id, ethnic):
        own = _own(rows, path, group_id, criteria.year, ethnic, criteria.gender)
        if own is not None:
            return own
        if any(
            _single(rows, child, group_id, criteria.year, ethnic, criteria.gender) is None
            for child in child_paths
        ):
            return None
        return _single(rows, path, group_id, criteria.year, ethnic, criteria.gender)

    return _combine(criteria, one), missing
