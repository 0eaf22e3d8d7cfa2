"""Import population figures from a CSV or XLSX file, all or nothing.

    manage.py import_population figures.xlsx

Columns: unit_code, target_group, year, count, and optionally ethnic_group (GSO code or name)
and gender (F/M, Nữ/Nam). Every bad row is reported with its line number
and nothing is written unless the whole file is correct.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from targets.services import PopulationImportError, population_file_rows, population_import


class Command(BaseCommand):
    help = "Import population figures (CSV or XLSX); nothing is written if any row is wrong."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            rows = population_file_rows(name=path.name, content=path.read_bytes())
            result = population_import(rows=rows)
        except PopulationImportError as error:
            for line, message in error.errors:
                self.stderr.write(f"line {line}: {message}" if line else message)
            raise CommandError(f"{len(error.errors)} problem(s): nothing was imported.") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{result['rows']} figures: {result['created']} created, "
                f"{result['updated']} updated."
            )
        )
