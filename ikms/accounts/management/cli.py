"""What the grant_role (ikms.registry) and end_role commands share: finding users and roles, reading dates, and
errors in English and Latvian (“… / …”, as the project's other commands write them)."""

import datetime
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import override

from ikms.accounts.permissions import roles_needed_message
from ikms.accounts.roles import FOUNDER_SCOPED_ROLES, INSTITUTION_SCOPED_ROLES, Role
from ikms.core.exceptions import ApplicationError, PermissionDeniedError


def both(text: Callable[[], str]) -> str:
    """`text()` in English, then in Latvian: “English / Latviski”."""
    with override("en"):
        en = str(text())
    with override("lv"):
        lv = str(text())
    return en if en == lv else f"{en} / {lv}"


def role_label(role: Role) -> str:
    """The role's label in Latvian, then English in brackets (labels may hold a “/” themselves)."""
    with override("en"):
        en = role.label
    with override("lv"):
        lv = role.label
    return f"{lv} ({en})"


def error_text(exc: Exception) -> str:
    """A service's refusal in both languages (ValidationError messages are lazy, and a refusal for a
    missing role carries the roles, so both render again in each language)."""
    if isinstance(exc, ValidationError):
        return both(lambda: " ".join(exc.messages))
    if isinstance(exc, PermissionDeniedError) and exc.extra.get("roles"):
        roles = [Role(r) for r in exc.extra["roles"]]
        return both(lambda: roles_needed_message(roles))
    if isinstance(exc, ApplicationError):
        return exc.message
    return str(exc)


def role_scope_hint(role: Role) -> str:
    if role in FOUNDER_SCOPED_ROLES:
        return "--founder"
    if role in INSTITUTION_SCOPED_ROLES:
        return "--institution"
    return ""


def parse_role(value: str) -> Role:
    """A Role from its code (e.g. registry_officer); an unknown one lists the valid codes."""
    try:
        return Role(value.strip().lower())
    except ValueError:
        pass
    lines = [f"Unknown role “{value}”. / Nezināma loma „{value}”.", "Valid roles / Derīgās lomas:"]
    for role in Role:
        hint = role_scope_hint(role)
        lines.append(f"  {role.value:<22} {role_label(role)}" + (f"  [{hint}]" if hint else ""))
    raise CommandError("\n".join(lines))


def find_user(username: str, *, flag: str = ""):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        where = f"{flag}: " if flag else ""
        raise CommandError(f"{where}No user “{username}”. / {where}Lietotājs „{username}” nav atrasts.")
    return user


def find_actor(username: str | None):
    """The user recorded as the actor; None (the system) when --actor is not given."""
    return find_user(username, flag="--actor") if username else None


def parse_date(value: str | None, *, flag: str) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(f"{flag}: “{value}” is not a date; write it as YYYY-MM-DD. / "
                           f"{flag}: „{value}” nav datums; rakstiet to formā GGGG-MM-DD.") from None


def period(valid_from: datetime.date, valid_to: datetime.date | None) -> str:
    return f"{valid_from.isoformat()} – {valid_to.isoformat() if valid_to else '…'}"
