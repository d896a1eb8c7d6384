"""Accreditation evaluations as visits, for the effect of visits (ikms.monitoring.visits; registered by
AccreditationConfig.ready()): each accreditation case of an institution whose evaluation has begun (its first day
has come) and that was not withdrawn, on its first day. Evaluations of a head are not visits to the institution's
work as a whole and are left out."""

from django.db.models import Count, Max
from django.utils import timezone

from ikms.accreditation.choices import CaseKind, CaseState
from ikms.accreditation.models import Case
from ikms.monitoring.visits import ACCREDITATION, Provider, Visit


def _evaluations():
    return Case.objects.filter(kind=CaseKind.ACCREDITATION, visit_start__isnull=False,
                               visit_start__lte=timezone.localdate()).exclude(state=CaseState.WITHDRAWN)


def visits() -> list[Visit]:
    return [Visit(number, day, ACCREDITATION)
            for number, day in _evaluations().values_list("institution__registration_number", "visit_start")]


def stamp() -> str:
    agg = Case.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return f"{agg['n']}:{agg['last']}:{timezone.localdate()}"


PROVIDER = Provider(code="accreditation", visits=visits, stamp=stamp)
