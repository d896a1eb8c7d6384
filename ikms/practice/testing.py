"""Test helpers: private-practice certificates written through the same services production uses."""

import datetime
import itertools

from ikms.core.personal_codes import old_format_code
from ikms.practice import services
from ikms.practice.choices import EducationKind, ProgrammeArea
from ikms.practice.models import Certificate
from ikms.registry.services import DecisionInput

_numbers = itertools.count(1)


def decision(day: datetime.date | None = None, **overrides) -> DecisionInput:
    """A complete decision with a fresh number, dated in the past."""
    values = {
        "number": f"PP-T-{next(_numbers):05d}",
        "date": day or datetime.date(2024, 3, 1),
        "legal_basis": "MK 25.10.2016. noteikumi Nr. 682, 2.1. apakšpunkts",
        "justification": "Iesniegtie dokumenti atbilst prasībām.",
    }
    return DecisionInput(**{**values, **overrides})


def personal_code() -> str:
    """A valid old-format personal code that no test has used yet."""
    while True:
        code = old_format_code(datetime.date(1979, 11, 3), next(_numbers) % 1000)
        if code:
            return code


def issue(
    *,
    actor,
    day: datetime.date = datetime.date(2024, 3, 1),
    code: str = "",
    name: str = "Ilze Kalniņa",
    kind: str = EducationKind.INTEREST,
    programme: str = "Keramika bērniem",
) -> Certificate:
    return services.certificate_issue(
        actor=actor,
        decision=decision(day),
        teacher_name=name,
        personal_code=code or personal_code(),
        education_kind=kind,
        programme_area=ProgrammeArea.CULTURE,
        programme_name=programme,
    )
