"""`python manage.py create_user USERNAME --email EMAIL [--first-name …] [--last-name …] [--actor USERNAME]`:
an ordinary account (no superuser flag), made through ikms.accounts.services.user_create. Roles are given
afterwards with grant_role.

The password is asked twice on a terminal; without one (scripts) it is read from the environment variable
IKMS_USER_PASSWORD, and with neither the account gets no usable password until `changepassword` sets one.
On any error nothing is written and the command exits non-zero, in English and Latvian."""

import getpass
import os
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ikms.accounts import services
from ikms.accounts.management.cli import both, error_text, find_actor
from ikms.accounts.models import User
from ikms.core.exceptions import ApplicationError


class Command(BaseCommand):
    help = "Create an ordinary user account (roles: grant_role)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--actor", help="Username of the IKVD administrator creating the account")

    def handle(self, *args, username: str, email: str, first_name: str, last_name: str, actor: str | None,
               **options) -> None:
        by = find_actor(actor) if actor else None
        password = self._password()
        if password:
            try:
                validate_password(password)
            except ValidationError as exc:
                raise CommandError(error_text(exc)) from exc
        try:
            user = services.user_create(actor=by, username=username.strip(), password=password or None,
                                        first_name=first_name, last_name=last_name, email=email)
        except ApplicationError as exc:
            raise CommandError(both(lambda: _("A user with this name already exists."))
                               if User.objects.filter(username=username.strip()).exists() else error_text(exc)) from exc
        except ValidationError as exc:
            raise CommandError(error_text(exc)) from exc
        note = "" if password else (" No password yet: set one with changepassword. / Parole vēl nav iestatīta: "
                                    "iestatiet to ar changepassword.")
        self.stdout.write(self.style.SUCCESS(f"{user.username}: account created. / konts izveidots.{note}"))

    def _password(self) -> str:
        if sys.stdin.isatty():
            first = getpass.getpass("Parole / Password: ")
            if first != getpass.getpass("Parole vēlreiz / Password again: "):
                raise CommandError("The passwords differ; nothing was written. / "
                                   "Paroles atšķiras; nekas netika ierakstīts.")
            return first
        return os.environ.get("IKMS_USER_PASSWORD", "")
