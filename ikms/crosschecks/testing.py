"""Helpers for tests of the cross-register checks."""

import datetime as dt

from ikms.crosschecks import services
from ikms.crosschecks.offer_lists import HEADINGS

HEADER = [HEADINGS[c][0] for c in ("provider", "code", "name", "address")]


def offer_csv(rows: list[tuple[str, str, str, str]], header: list[str] | None = None) -> bytes:
    """An offer list as CSV (semicolons, as Excel writes it in Latvia)."""
    lines = [";".join(header or HEADER), *(";".join(r) for r in rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def import_offer_list(*, actor, institution, checked_on: dt.date = dt.date(2024, 5, 6)):
    """One line for the institution's first licensed programme at its address (it matches)."""
    programme = institution.programmes.order_by("id").first()
    content = offer_csv([(institution.registration_number, programme.code, programme.name, institution.address)])
    return services.offer_list_import(actor=actor, file_name="saraksts.csv", content=content, checked_on=checked_on)
