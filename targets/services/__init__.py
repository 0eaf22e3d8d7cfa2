"""Writes for the targets room: population imports and report snapshots."""

from .population import PopulationImportError, population_file_rows, population_import
from .reports import report_snapshot_create, report_xlsx

__all__ = [
    "PopulationImportError",
    "population_file_rows",
    "population_import",
    "report_snapshot_create",
    "report_xlsx",
]
