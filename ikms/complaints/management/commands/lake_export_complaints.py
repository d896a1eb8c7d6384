"""`python manage.py lake_export_complaints [--year 2023/2024 ...]`: write the complaints received per institution
and school year into the lake (dataset `complaints`; ikms/complaints/lake.py), as every computation does first.
A school year without any complaint record gets no partition (no data, not zero)."""

from django.core.management.base import BaseCommand

from ikms.complaints.lake import lake_complaints_write
from ikms.core.school_year import school_year_arg


class Command(BaseCommand):
    help = "Write the complaint counts per institution and school year into the data lake."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--year",
            action="append",
            type=school_year_arg,
            default=[],
            help="School year, e.g. 2023/2024; repeatable (default: every year the lake has data for)",
        )

    def handle(self, *args, year: list[str], **options) -> None:
        written = lake_complaints_write(years=year or None)
        if not written:
            self.stdout.write("  complaints: the lake is up to date. / Datu ezerā iesniegumi jau ir aktuāli.")
        for school_year, rows in sorted(written.items()):
            if rows:
                self.stdout.write(
                    f"  complaints {school_year}: {rows} institutions written. / "
                    f"Iesniegumi {school_year}: ierakstītas {rows} iestādes."
                )
            else:
                self.stdout.write(
                    f"  complaints {school_year}: no complaint records, partition removed. / "
                    f"Iesniegumi {school_year}: nav neviena iesnieguma, nodalījums izņemts."
                )
