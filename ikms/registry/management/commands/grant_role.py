"""`python manage.py grant_role USER ROLE [--founder CODE | --institution REG] [--valid-from DATE]
[--valid-to DATE] [--actor USERNAME]`: give a user a role through ikms.accounts.services.role_grant.

ROLE is a role code (ikvd_admin, registry_officer, founder, institution_head, …). A founder role
names its founder with --founder: a municipality's code (LV-RIX) for a municipal founder, or the
founder's registration code, or its exact name. An institution-head role names the institution by
its 10-digit registration number with --institution. The actor recorded in the event log is
--actor (who must be an IKVD administrator) or, without it, the system. On any error nothing is
written and the command exits non-zero with the reason in English and Latvian.

It lives in the registry app, not in accounts with end_role, because it looks up founders and institutions
and accounts stands below the registry (ADR 0018)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from ikms.accounts import services
from ikms.accounts.management.cli import (
    both,
    error_text,
    find_actor,
    find_user,
    parse_date,
    parse_role,
    period,
    role_label,
)
from ikms.accounts.roles import FOUNDER_SCOPED_ROLES, INSTITUTION_SCOPED_ROLES, Role
from ikms.core.exceptions import ApplicationError
from ikms.registry.choices import FounderKind
from ikms.registry.models import Founder, Institution
from ikms.registry.validators import validate_registration_number


def find_founder(code: str) -> Founder:
    """The founder a person would name: a municipality code (municipal founders), a registration
    code, or the founder's exact name. Several matches are listed, never guessed between."""
    code = code.strip()
    matches = list(
        Founder.objects.filter(Q(kind=FounderKind.MUNICIPALITY, municipality__code__iexact=code)
                               | Q(registration_code=code) | Q(name__iexact=code))
        .select_related("municipality").order_by("name", "pk")) if code else []
    if not matches:
        raise CommandError(
            f"--founder: no founder “{code}” (give a municipality code such as LV-RIX, a registration code "
            f"or the founder's exact name). / --founder: dibinātājs „{code}” nav atrasts (norādiet "
            f"pašvaldības kodu, piemēram, LV-RIX, reģistrācijas kodu vai precīzu dibinātāja nosaukumu).")
    if len(matches) > 1:
        lines = [f"--founder: “{code}” names {len(matches)} founders; give the registration code or the exact "
                 f"name. / --founder: „{code}” atbilst {len(matches)} dibinātājiem; norādiet reģistrācijas "
                 f"kodu vai precīzu nosaukumu."]
        for f in matches:
            ids = ", ".join(x for x in (f.municipality.code if f.municipality else "", f.registration_code) if x)
            lines.append(f"  {f.name} ({both(f.get_kind_display)}{', ' + ids if ids else ''})")
        raise CommandError("\n".join(lines))
    return matches[0]


def find_institution(number: str) -> Institution:
    number = number.strip()
    try:
        validate_registration_number(number)
    except ValidationError as exc:
        raise CommandError(f"--institution: {error_text(exc)}") from None
    institution = Institution.objects.filter(registration_number=number).first()
    if institution is None:
        raise CommandError(f"--institution: no institution with registration number {number}. / "
                           f"--institution: iestāde ar reģistrācijas numuru {number} nav atrasta.")
    return institution


def check_scope(role: Role, *, founder: str | None, institution: str | None) -> None:
    """The flags match the role's scope (the model checks the same on save; here it names the flag)."""
    if role in FOUNDER_SCOPED_ROLES and not founder:
        raise CommandError(f"The role {role.value} is limited to a founder: give --founder CODE. / "
                           f"Loma {role.value} ir piesaistīta dibinātājam: norādiet --founder KODS.")
    if role in INSTITUTION_SCOPED_ROLES and not institution:
        raise CommandError(f"The role {role.value} is limited to an institution: give --institution "
                           f"REGISTRATION_NUMBER. / Loma {role.value} ir piesaistīta izglītības iestādei: "
                           f"norādiet --institution REĢISTRĀCIJAS_NUMURS.")
    if founder and role not in FOUNDER_SCOPED_ROLES:
        raise CommandError(f"The role {role.value} cannot be limited to a founder: leave out --founder. / "
                           f"Lomu {role.value} nevar piesaistīt dibinātājam: nenorādiet --founder.")
    if institution and role not in INSTITUTION_SCOPED_ROLES:
        raise CommandError(f"The role {role.value} cannot be limited to an institution: leave out "
                           f"--institution. / Lomu {role.value} nevar piesaistīt izglītības iestādei: "
                           f"nenorādiet --institution.")


class Command(BaseCommand):
    help = "Grant a user a role (scoped to a founder or an institution where the role requires it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("user", help="Username")
        parser.add_argument("role", help=f"Role code: {', '.join(r.value for r in Role)}")
        parser.add_argument("--founder", help="Founder: municipality code (LV-RIX), registration code or exact name")
        parser.add_argument("--institution", help="Institution: 10-digit registration number")
        parser.add_argument("--valid-from", help="First day the role is held, YYYY-MM-DD (default: today)")
        parser.add_argument("--valid-to", help="Last day the role is held, YYYY-MM-DD (default: no end)")
        parser.add_argument("--note", default="", help="A note kept with the assignment")
        parser.add_argument("--actor", help="Username of the IKVD administrator granting it (default: the system)")

    def handle(self, *args, user: str, role: str, founder: str | None, institution: str | None,
               valid_from: str | None, valid_to: str | None, note: str, actor: str | None, **options) -> None:
        the_role = parse_role(role)
        check_scope(the_role, founder=founder, institution=institution)
        first = parse_date(valid_from, flag="--valid-from")
        last = parse_date(valid_to, flag="--valid-to")
        the_user = find_user(user)
        the_actor = find_actor(actor)
        the_founder = find_founder(founder) if founder else None
        the_institution = find_institution(institution) if institution else None
        try:
            assignment = services.role_grant(actor=the_actor, user=the_user, role=the_role, founder=the_founder,
                                             institution=the_institution, valid_from=first, valid_to=last,
                                             note=note)
        except (ValidationError, ApplicationError) as exc:
            raise CommandError(f"{error_text(exc)}\nNothing was written. / Nekas netika ierakstīts.") from exc
        scope = the_founder or the_institution
        self.stdout.write(self.style.SUCCESS(
            f"Granted / Piešķirts: {the_user.username} — {role_label(the_role)}"
            + (f" — {scope}" if scope else "")
            + f" ({period(assignment.valid_from, assignment.valid_to)})"))
        if not the_user.is_active:
            self.stdout.write(self.style.WARNING(
                f"The account {the_user.username} is inactive: its roles count only once it is active. / "
                f"Konts {the_user.username} ir neaktīvs: tā lomas darbojas tikai aktīvam kontam."))
