"""The compare basket: up to three schools a visitor has chosen to compare, kept in their session (on the server, so
it works without JavaScript and survives paging and new searches). Schools are kept by registration number and
always read back through the public list, so a school that has left it drops out of the basket."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ikms.portal.profiles import MAX_COMPARED
from ikms.registry import selectors as registry
from ikms.registry.models import Institution

SESSION_KEY = "ikms_compare"


class BasketFullError(ValueError):
    """The basket already holds MAX_COMPARED schools; the message says so (in the active language)."""


def basket_numbers(session) -> list[str]:
    """The registration numbers in the basket, in the order chosen (as stored; not checked against the register)."""
    numbers = session.get(SESSION_KEY)
    return [n for n in numbers if isinstance(n, str)][:MAX_COMPARED] if isinstance(numbers, list) else []


def basket_institutions(session) -> list[Institution]:
    """The schools of the basket that the public list still shows, in the order chosen."""
    numbers = basket_numbers(session)
    if not numbers:
        return []
    found = {i.registration_number: i for i in registry.institution_public_list().filter(
        registration_number__in=numbers)}
    return [found[n] for n in numbers if n in found]


def _clean(number: str) -> str:
    """A registration number as posted, without the NUL characters PostgreSQL refuses."""
    return (number or "").replace("\x00", "").strip()[:20]


def _store(session, numbers: list[str]) -> None:
    if numbers:
        session[SESSION_KEY] = numbers
    else:
        session.pop(SESSION_KEY, None)


def basket_add(session, *, registration_number: str) -> tuple[Institution, bool]:
    """Put a school of the public list into the basket: (the school, whether it was added, False if it was there
    already). Raises Http404 for a number the public list does not have, BasketFullError for a fourth school."""
    institution = registry.institution_public_get(registration_number=_clean(registration_number))
    numbers = [i.registration_number for i in basket_institutions(session)]
    if institution.registration_number in numbers:
        return institution, False
    if len(numbers) >= MAX_COMPARED:
        raise BasketFullError(_("You can compare up to three schools at a time. To add %(name)s, first remove one "
                                "of the chosen schools.") % {"name": institution.name})
    _store(session, [*numbers, institution.registration_number])
    return institution, True


def basket_remove(session, *, registration_number: str) -> Institution | None:
    """Take a school out of the basket; the school, or None if it was not there."""
    number = _clean(registration_number)
    chosen = basket_institutions(session)
    gone = next((i for i in chosen if i.registration_number == number), None)
    _store(session, [i.registration_number for i in chosen if i.registration_number != number])
    return gone
