"""Test helpers: build a small register through the same services production uses (users:
ikms.accounts.testing)."""

import datetime
import itertools

from ikms.accounts.models import User
from ikms.registry import services
from ikms.registry.choices import FounderKind
from ikms.registry.models import Founder, Institution, InstitutionType, Municipality
from ikms.registry.services import DecisionInput, PlaceInput

_numbers = itertools.count(1)


def decision_input(day: datetime.date | None = None, basis: str = "Izglītības likuma 24. pants") -> DecisionInput:
    """A fresh decision number, dated in the past."""
    return DecisionInput(number=f"T-{next(_numbers):06d}", date=day or datetime.date(2024, 3, 1),
                         legal_basis=basis)


def municipal_founder(code: str) -> Founder:
    muni = Municipality.objects.get(code=code)
    founder, _ = Founder.objects.get_or_create(
        kind=FounderKind.MUNICIPALITY, municipality=muni, defaults={"name": f"{muni.name_lv} pašvaldība"})
    return founder


def register_institution(*, actor: User, founder: Founder, type_code: str = "secondary",
                         name: str | None = None, registration_number: str | None = None,
                         municipality: Municipality | None = None) -> Institution:
    n = next(_numbers)
    return services.institution_register(
        actor=actor, decision=decision_input(datetime.date(2020, 1, 10)),
        registration_number=registration_number or f"{4000000000 + n}",
        name=name or f"Testa skola {n}", type=InstitutionType.objects.get(code=type_code), founder=founder,
        municipality=municipality or founder.municipality or Municipality.objects.get(code="LV-RIX"),
        address=f"Skolas iela {n}, Rīga", head_name="Anna Bērziņa")


def license_programme(*, actor: User, institution: Institution, code: str = "21011111"):
    return services.programme_license(
        actor=actor, decision=decision_input(datetime.date(2021, 5, 5)), institution=institution, code=code,
        name="Pamatizglītības programma", form="full_time",
        places=[PlaceInput(address=institution.address, municipality=institution.municipality)])
