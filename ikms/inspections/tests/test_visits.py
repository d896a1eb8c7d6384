"""Accreditation evaluations and inspections as visits for the effect of visits (issue 17): they reach monitoring
through the providers AccreditationConfig and InspectionsConfig register (ikms.monitoring.visits), with the
visit plan's entries marked done; each institution, school year and kind once."""

from __future__ import annotations

import datetime

import pytest

from ikms.accreditation.choices import CaseKind, CaseState
from ikms.accreditation.models import Case
from ikms.inspections.choices import InspectionKind, InspectionState
from ikms.inspections.models import Inspection
from ikms.monitoring.models import VisitPlanEntry, VisitReason, VisitStatus
from ikms.monitoring.visits import ACCREDITATION, INSPECTION, all_visits


@pytest.mark.django_db
def test_visits_come_from_the_registered_providers(world):
    """An accreditation case with an evaluation under way is an accreditation visit; an inspection carried out
    is an inspection; a withdrawn case and a planned inspection are not."""
    a1, b1 = world["a1"], world["b1"]
    VisitPlanEntry.objects.create(institution=b1, planned_date=datetime.date(2023, 11, 15), reason=VisitReason.RISK,
                                  status=VisitStatus.DONE, created_by=world["users"]["supervision_inspector"])
    Case.objects.create(institution=a1, kind=CaseKind.ACCREDITATION, version="2023", state=CaseState.DECIDED,
                        applied_on=datetime.date(2023, 9, 1), visit_start=datetime.date(2023, 10, 2))
    Case.objects.create(institution=b1, kind=CaseKind.ACCREDITATION, version="2023", state=CaseState.WITHDRAWN,
                        applied_on=datetime.date(2023, 9, 1), visit_start=datetime.date(2023, 10, 2))
    Inspection.objects.create(institution=b1, kind=InspectionKind.COMPLAINT, state=InspectionState.CLOSED,
                              subject="Sūdzība", planned_on=datetime.date(2024, 3, 1),
                              visited_on=datetime.date(2024, 3, 4))
    Inspection.objects.create(institution=a1, kind=InspectionKind.AD_HOC, state=InspectionState.PLANNED,
                              subject="Plānota", planned_on=datetime.date(2025, 3, 1))
    found = {(v.institution, v.school_year, v.kind) for v in all_visits()}
    assert (a1.registration_number, "2023/2024", ACCREDITATION) in found
    assert (b1.registration_number, "2023/2024", ACCREDITATION) not in found
    assert (b1.registration_number, "2023/2024", INSPECTION) in found  # the plan's entry and the act: once
    assert sum(1 for v in found if v[0] == b1.registration_number) == 1
    assert (a1.registration_number, "2024/2025", INSPECTION) not in found
