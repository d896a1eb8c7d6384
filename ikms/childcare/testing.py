"""Test helpers: child supervision providers written through the same services production uses."""

import datetime
import itertools

from ikms.childcare import services
from ikms.childcare.choices import ProviderKind, ServiceType
from ikms.childcare.models import Provider
from ikms.core.personal_codes import old_format_code
from ikms.registry.models import Municipality
from ikms.registry.services import DecisionInput, PlaceInput

_numbers = itertools.count(1)


def decision(day: datetime.date | None = None, **overrides) -> DecisionInput:
    """A complete decision with a fresh number, dated in the past."""
    values = {
        "number": f"BU-T-{next(_numbers):05d}",
        "date": day or datetime.date(2024, 3, 1),
        "legal_basis": "MK 16.07.2013. noteikumi Nr. 404",
        "justification": "Atbilst prasībām.",
    }
    return DecisionInput(**{**values, **overrides})


def personal_code(serial: int | None = None) -> str:
    """A valid old-format personal code that no test has used yet."""
    while True:
        code = old_format_code(datetime.date(1985, 5, 17), serial if serial is not None else next(_numbers) % 1000)
        if code:
            return code
        serial = None


def apply(
    *,
    actor,
    kind: str = ProviderKind.NATURAL,
    name: str = "Anna Bērziņa",
    code: str = "",
    municipality: str = "LV-RIX",
    applied_on: datetime.date = datetime.date(2024, 2, 1),
) -> Provider:
    muni = Municipality.objects.get(code=municipality)
    return services.provider_apply(
        actor=actor,
        kind=kind,
        name=name,
        service_type=ServiceType.SHORT_TERM,
        places=[PlaceInput(address=f"Liepu iela {next(_numbers)}, {muni.name_lv}", municipality=muni)],
        application_number=f"IES-{next(_numbers)}",
        applied_on=applied_on,
        personal_code=(code or personal_code()) if kind == ProviderKind.NATURAL else "",
        registration_code=(code or f"40103{next(_numbers):06d}") if kind == ProviderKind.LEGAL else "",
    )


def registered(*, actor, day: datetime.date = datetime.date(2024, 3, 1), **kwargs) -> Provider:
    """A provider applied for and registered."""
    return services.provider_register(actor=actor, decision=decision(day), provider=apply(actor=actor, **kwargs))
