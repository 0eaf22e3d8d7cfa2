"""Population figures, the denominators of every percentage.

A unit's population is its own figure when it has one, otherwise the sum of the top-most
figures below it (a commune without a figure of its own is the sum of its villages'). With no
figure at or below a unit its population is unknown (`None`), never zero: the dashboard then
says "no population data" instead of inventing a percentage.
"""

from collections.abc import Iterable

from django.db.models import Q

from ..models import Population


def population_rows(*, scopes: Iterable[tuple[str, int, int]]) -> list[tuple[str, int, int, int]]:
    """Every figure under any of `scopes` = (unit path, target group id, year), in one query.

    Returns (path, target group id, year, count) sorted by path.
    """
    condition = Q()
    for path, group_id, year in scopes:
        condition |= Q(org_unit__path__startswith=path, target_group_id=group_id, year=year)
    if not condition:
        return []
    return list(
        Population.objects.filter(condition)
        .order_by("org_unit__path")
        .values_list("org_unit__path", "target_group_id", "year", "count")
    )


def population_of(rows: list[tuple[str, int, int, int]], path: str, group_id: int, year: int):
    """The population of the unit at `path` from `rows` (sorted by path), or None if unknown."""
    total, covered, found = 0, None, False
    for row_path, row_group, row_year, count in rows:
        if row_group != group_id or row_year != year or not row_path.startswith(path):
            continue
        if covered is not None and row_path.startswith(covered):
            continue  # a figure below one already counted (e.g. villages of a counted commune)
        total += count
        covered = row_path
        found = True
    return total if found else None


def subtree_population(
    rows: list[tuple[str, int, int, int]],
    path: str,
    child_paths: list[str],
    group_id: int,
    year: int,
) -> tuple[int | None, int]:
    """A unit's population and how many of its current children lack a figure.

    The unit's own figure wins. Otherwise the sum of its children's is only a population when
    every current child has one: summing the known ones would overstate the share achieved.
    """
    own = [count for p, g, y, count in rows if p == path and g == group_id and y == year]
    missing = sum(1 for child in child_paths if population_of(rows, child, group_id, year) is None)
    if own:
        return own[0], missing
    if missing:
        return None, missing
    return population_of(rows, path, group_id, year), 0
