"""Inspections as visits, for the effect of visits (ikms.monitoring.visits; registered by
InspectionsConfig.ready()): each inspection carried out (with a visit date, not cancelled), of any kind —
planned, prompted by a complaint, ad hoc or thematic — on its visit date."""

from django.db.models import Count, Max

from ikms.inspections.choices import InspectionState
from ikms.inspections.models import Inspection
from ikms.monitoring.visits import INSPECTION, Provider, Visit


def visits() -> list[Visit]:
    done = Inspection.objects.filter(visited_on__isnull=False).exclude(state=InspectionState.CANCELLED)
    return [Visit(number, day, INSPECTION)
            for number, day in done.values_list("institution__registration_number", "visited_on")]


def stamp() -> str:
    agg = Inspection.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return f"{agg['n']}:{agg['last']}"


PROVIDER = Provider(code="inspections", visits=visits, stamp=stamp)
