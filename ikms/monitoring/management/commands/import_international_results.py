"""`manage.py import_international_results FILE`: published national results of PISA, TIMSS, PIRLS and ICCS from a
CSV or XLSX file (ikms/monitoring/international.py); with an error nothing is written and the command fails."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ikms.monitoring.international import import_international_results


class Command(BaseCommand):
    help = "Import published international study results (CSV or XLSX). / Ielādēt starptautisko pētījumu rezultātus."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options) -> None:
        if not file.is_file():
            raise CommandError(f"Fails nav atrasts / file not found: {file}")
        report = import_international_results(file)
        for line in report.summary_lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError("Nekas netika ierakstīts / nothing was written")
