"""`python manage.py licences_lapse --actor USERNAME [--date YYYY-MM-DD] [--dry-run]`: record the lapse of every
licence not implemented within a year of its licence date (MK 253; domain.md §3.1), as of --date (default today).

Implementation is read from the lake's enrolments (ikms.registry.implementation explains the criterion): a licence
lapses only where the lake shows the institution's enrolments for the whole year after the licence date and none in
the programme; where that is not known the licence stays and is counted as "not known". Each lapse is a decision
(`licence_lapse`, entry kind "not implemented") recorded through `services.programme_licence_change` by --actor (a
registry officer), numbered LAPSE-<date>/<n>, citing the licensing regulation in force on --date. --dry-run lists
what would lapse and writes nothing."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from ikms.accounts.management.cli import error_text, find_actor, parse_date
from ikms.core.exceptions import ApplicationError, PermissionDeniedError
from ikms.registry import services
from ikms.registry.choices import DecisionKind, InstitutionStatus, LicenceEntryKind, LicenceStatus
from ikms.registry.implementation import Implementation, LakeEnrolments, due_for_lapse
from ikms.registry.legal import legal_basis
from ikms.registry.models import Programme


class Command(BaseCommand):
    help = "Record the lapse of licences not implemented within a year (from the lake's enrolments)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--actor", required=True, help="Username of the registry officer recording the lapses")
        parser.add_argument("--date", help="As of this day (YYYY-MM-DD); default today")
        parser.add_argument("--dry-run", action="store_true", help="List what would lapse; write nothing")

    def handle(self, *args, actor: str, date: str | None, dry_run: bool, **options) -> None:
        user = find_actor(actor)
        today = timezone.localdate()
        on = parse_date(date, flag="--date") or today
        if on > today:
            raise CommandError("--date cannot be in the future. / --date nevar būt nākotnē.")
        lake = LakeEnrolments(settings.IKMS_LAKE_DIR)
        candidates = due_for_lapse(
            Programme.objects.filter(status=LicenceStatus.LICENSED, institution__status=InstitutionStatus.REGISTERED,
                                     licence_date__lte=on).select_related("institution").order_by("licence_number"),
            on)
        found = {state: [] for state in Implementation}
        for programme in candidates:
            found[lake.implementation(programme)].append(programme)
        lapsing = found[Implementation.NOT_IMPLEMENTED]
        for programme in lapsing:
            self.stdout.write(f"  {programme.licence_number} {programme.code} {programme.name} — "
                              f"{programme.institution.name} ({programme.licence_date.isoformat()})")
        if not dry_run and lapsing:
            basis = legal_basis("licence", on)
            try:
                with transaction.atomic():
                    for n, programme in enumerate(lapsing, start=1):
                        services.programme_licence_change(
                            actor=user, programme=programme, kind=DecisionKind.LICENCE_LAPSE,
                            entry_kind=LicenceEntryKind.NOT_IMPLEMENTED,
                            decision=services.DecisionInput(
                                number=f"LAPSE-{on.isoformat()}/{n}", date=on, legal_basis=basis,
                                justification="Izglītības programmas īstenošana nav uzsākta gada laikā no "
                                              "licencēšanas dienas: datu ezerā nav neviena izglītojamā šajā "
                                              "programmā."))
            except (ValidationError, ApplicationError, PermissionDeniedError) as exc:
                raise CommandError(error_text(exc)) from exc
        verb = ("would lapse / zaudētu spēku" if dry_run else "lapsed / zaudēja spēku")
        self.stdout.write(
            f"{len(lapsing)} {verb}; {len(found[Implementation.IMPLEMENTED])} implemented / īsteno; "
            f"{len(found[Implementation.NOT_KNOWN])} not known, kept / nav zināms, paliek spēkā")
