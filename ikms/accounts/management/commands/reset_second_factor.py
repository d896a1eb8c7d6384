"""`python manage.py reset_second_factor USER [--actor USERNAME]`: remove a user's authenticator app and recovery
codes through ikms.accounts.services.second_factor_reset (a lost phone), when no IKVD administrator can do it from
the admin (the action "Reset two-factor authentication"), for instance for the only administrator. The user sets
it up again at the next sign-in if their roles require it. The actor recorded in the event log is --actor (who must
be an IKVD administrator) or, without it, the system."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ikms.accounts import services
from ikms.accounts.management.cli import error_text, find_actor, find_user
from ikms.core.exceptions import ApplicationError


class Command(BaseCommand):
    help = "Reset a user's two-factor authentication (authenticator app and recovery codes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("user", help="Username")
        parser.add_argument("--actor", help="Username of the IKVD administrator resetting it (default: the system)")

    def handle(self, *args, user: str, actor: str | None, **options) -> None:
        the_user = find_user(user)
        try:
            reset = services.second_factor_reset(actor=find_actor(actor), user=the_user)
        except ApplicationError as exc:
            raise CommandError(f"{error_text(exc)}\nNothing was written. / Nekas netika ierakstīts.") from exc
        if reset:
            self.stdout.write(self.style.SUCCESS(
                f"Reset / Atiestatīta: {the_user.username} — two-factor authentication / divfaktoru autentifikācija"))
        else:
            self.stdout.write(f"{the_user.username} had no two-factor authentication; nothing to reset. / "
                              f"Lietotājam {the_user.username} nebija divfaktoru autentifikācijas; nav ko atiestatīt.")
