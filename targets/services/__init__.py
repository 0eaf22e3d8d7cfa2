"""Writes for the targets room: population imports and report snapshots."""

from .population import PopulationImportError, population_file_rows, population_import
from .reports import report_snapshot_create, report_xlsx
from .rollup import achievement_rollup_refresh

__all__ = [
    "achievement_rollup_refresh",
    "PopulationImportError",
    "population_file_rows",
    "population_import",
    "report_snapshot_create",
    "report_xlsx",
]
