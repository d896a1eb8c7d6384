"""Demo statements of education history for other authorities (issue 14 item 8): three named demo persons whom the
synthetic lake knows by the keyed hash of their demo personal code (analytics/synth/named.py; the codes go to
`generate_lake` as `named_persons`), the requests of other authorities about them and one about a person the lake
does not know, recorded and issued through the services, so every step is audited. One request is left for the
registry officer to review and issue.

The demo personal codes are made with `old_format_code` (valid check digits, no real person's code) and are listed
in README.md, so a tester can look a person up. The first one is a learner who graduated."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils import timezone

from ikms.core.personal_codes import old_format_code
from ikms.statements import services
from ikms.statements.models import StatementRequest

PMLP = "Pilsonības un migrācijas lietu pārvalde"
VSAA = "Valsts sociālās apdrošināšanas aģentūra"
NATURALISATION = "Latvijas pilsonības piešķiršana naturalizācijas kārtībā"


def _code(born: dt.date, serial: int) -> str:
    """The first valid old-format code from `serial` on (a few serials have no check digit)."""
    for s in range(serial, serial + 10):
        code = old_format_code(born, s)
        if code is not None:
            return code
    raise ValueError(f"no valid personal code near {born} {serial}")  # pragma: no cover - some of ten always fits


#: (name, personal code) of the persons the demo lake knows; the first graduated (the order is the generator's).
PERSONS = (
    ("Marija Kalniņa", _code(dt.date(2006, 3, 14), 215)),
    ("Jānis Ozols", _code(dt.date(2009, 5, 22), 318)),
    ("Elīna Liepiņa", _code(dt.date(2011, 11, 2), 427)),
)
#: A person the lake does not know (came to Latvia as an adult): the statement says there are no records.
UNKNOWN = ("Olena Kovalenko", _code(dt.date(1998, 7, 9), 536))

#: (person, authority, authority's reference, days before today it was written, purpose, issued by the demo)
REQUESTS = (
    (PERSONS[0], PMLP, "22/1-7/1184", 12, NATURALISATION, True),
    (PERSONS[1], VSAA, "VSAA-2025/4-12/3307", 9, "Ģimenes valsts pabalsta piešķiršana pēc 15 gadu vecuma", True),
    (UNKNOWN, PMLP, "22/1-7/1251", 6, NATURALISATION, True),
    (PERSONS[2], PMLP, "22/1-7/1302", 3, NATURALISATION, False),
)


def lake_codes() -> list[str]:
    """The personal codes (digits) the synthetic lake gives to named learners, in the generator's order."""
    return [code.replace("-", "") for _name, code in PERSONS]


def generate(*, officer, lake_root: Path | None = None) -> dict[str, int]:
    """Record the demo requests and issue most of their statements (the lake must already be written)."""
    today = timezone.localdate()
    issued = 0
    for (name, code), authority, reference, days, purpose, issue in REQUESTS:
        request: StatementRequest = services.request_record(
            actor=officer,
            authority=authority,
            authority_reference=reference,
            authority_date=today - dt.timedelta(days=days),
            received_on=today - dt.timedelta(days=days - 2),
            purpose=purpose,
            legal_basis=services.LEGAL_BASIS,
            person_name=name,
            personal_code=code,
            lake_root=lake_root,
        )
        if issue:
            services.statement_issue(actor=officer, request=request)
            issued += 1
    return {"statement requests": len(REQUESTS), "statements issued": issued}
