"""`python manage.py end_role USER ROLE [--on DATE] [--actor USERNAME]`: end a user's assignments of a
role through ikms.accounts.services.role_end. DATE (default today) is the last day the role is held;
every assignment of the role that is held on DATE and would go on after it is ended on DATE, all or
none. History is kept: the rows stay, with their end date."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ikms.accounts import services
from ikms.accounts.management.cli import error_text, find_actor, find_user, parse_date, parse_role, period, role_label
from ikms.accounts.models import RoleAssignment
from ikms.core.exceptions import ApplicationError


class Command(BaseCommand):
    help = "End a user's assignments of a role on a date (the last day the role is held; default today)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("user", help="Username")
        parser.add_argument("role", help="Role code, e.g. registry_officer")
        parser.add_argument("--on", help="Last day the role is held, YYYY-MM-DD (default: today)")
        parser.add_argument("--actor", help="Username of the IKVD administrator ending it (default: the system)")

    def handle(self, *args, user: str, role: str, on: str | None, actor: str | None, **options) -> None:
        the_role = parse_role(role)
        day = parse_date(on, flag="--on") or timezone.localdate()
        the_user = find_user(user)
        the_actor = find_actor(actor)
        rows = list(RoleAssignment.objects.filter(user=the_user, role=the_role.value, valid_from__lte=day)
                    .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
                    .select_related("founder", "institution").order_by("valid_from", "pk"))
        later = list(RoleAssignment.objects.filter(user=the_user, role=the_role.value, valid_from__gt=day)
                     .order_by("valid_from", "pk"))
        if not rows:
            label = role_label(the_role)
            raise CommandError(f"{the_user.username} holds no {the_role.value} role ({label}) on {day} that goes "
                               f"on after it; nothing to end. / Lietotājam {the_user.username} {day} nav lomas "
                               f"{the_role.value}, kas turpinātos pēc šīs dienas; nav ko beigt.")
        try:
            with transaction.atomic():
                for row in rows:
                    services.role_end(actor=the_actor, assignment=row, valid_to=day)
        except (ValidationError, ApplicationError) as exc:
            raise CommandError(f"{error_text(exc)}\nNothing was written. / Nekas netika ierakstīts.") from exc
        for row in rows:
            scope = row.founder or row.institution
            self.stdout.write(self.style.SUCCESS(
                f"Ended / Beigta: {the_user.username} — {role_label(the_role)}"
                + (f" — {scope}" if scope else "") + f" ({period(row.valid_from, row.valid_to)})"))
        for row in later:
            self.stdout.write(self.style.WARNING(
                f"Not ended: an assignment that starts after {day} ({period(row.valid_from, row.valid_to)}). / "
                f"Nav beigta: piešķīrums, kas sākas pēc {day} ({period(row.valid_from, row.valid_to)})."))
