"""Reads of the absence hand-off. `action_counts` is the one rule for the action counts of tables 6–7 from the
cases (the absences page asks it through ikms.monitoring.absence_actions): per semester and action kind, the cases
in which that kind of action was recorded (a case counts once per kind, however many times the kind was
recorded), and the cases with none as "none_recorded" — the same unit as the schools' imported records (one per
learner × institution × semester, counted by their action). Areas are the reporting school's (its municipality
for a municipality), as in the imported tables."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from ikms.attendance import permissions
from ikms.attendance.case_type import FIRST_ACTION
from ikms.attendance.choices import NONE_RECORDED
from ikms.attendance.models import AbsenceAction, AbsenceCase
from ikms.cases.models import Deadline


def case_visible_to(user) -> QuerySet[AbsenceCase]:
    return permissions.ABSENCE_CASE.scope(user, AbsenceCase.objects.all())


def case_get_for_user(*, user, pk) -> AbsenceCase:
    qs = AbsenceCase.objects.select_related("case_file", "institution", "residence", "reported_by")
    return permissions.ABSENCE_CASE.get(user, qs, pk=pk)


def _overdue_q(today: dt.date) -> Q:
    late = Deadline.objects.filter(
        case_file=OuterRef("case_file"), rule=FIRST_ACTION, met_on__isnull=True, due_on__lt=today
    )
    return Q(Exists(late))


def case_list(
    user, *, today: dt.date, year: str = "", semester: str = "", municipality: str = "", state: str = ""
) -> QuerySet[AbsenceCase]:
    """The cases the user sees, filtered: school year, semester, municipality of residence (code), state (open,
    overdue: open without a first action past its deadline, closed)."""
    qs = case_visible_to(user).select_related("case_file", "institution", "residence")
    if year:
        qs = qs.filter(school_year=year)
    if semester in ("1", "2"):
        qs = qs.filter(semester=int(semester))
    if municipality:
        qs = qs.filter(residence__code=municipality)
    if state == "open":
        qs = qs.filter(case_file__closed_on__isnull=True)
    elif state == "closed":
        qs = qs.filter(case_file__closed_on__isnull=False)
    elif state == "overdue":
        qs = qs.filter(case_file__closed_on__isnull=True).filter(_overdue_q(today))
    return qs.order_by("-school_year", "-semester", "institution__name", "id")


def overdue_for(user, *, today: dt.date) -> QuerySet[AbsenceCase]:
    """Open cases of the user's municipality of residence whose first action is overdue (the founder's start
    page): only its residents' cases, not those of its schools' pupils who live elsewhere."""
    return (
        permissions.RESIDENCE.scope(user, AbsenceCase.objects.filter(case_file__closed_on__isnull=True))
        .filter(_overdue_q(today))
        .select_related("institution", "case_file")
        .order_by("case_file__opened_on", "id")
    )


def first_action_deadline(case: AbsenceCase) -> Deadline | None:
    return case.case_file.deadlines.filter(rule=FIRST_ACTION).first()


def action_counts(school_year: str, grain: str, unit: str) -> dict[tuple[int, str], int] | None:
    """The action counts of a school year from its cases (see the module's rule) for the nation (grain "nation")
    or a municipality (grain "municipality", unit its code; by the reporting school's municipality); None when no
    case of the year is held (the imported counts stay)."""
    cases = AbsenceCase.objects.filter(school_year=school_year)
    if not cases.exists():
        return None
    if grain == "municipality":
        cases = cases.filter(institution__municipality__code=unit)
    elif grain != "nation":
        return None
    counts: dict[tuple[int, str], int] = {}
    kinds = (
        AbsenceAction.objects.filter(case__in=cases)
        .order_by()
        .values_list("case__semester", "kind")
        .annotate(n=Count("case_id", distinct=True))
    )
    for semester, kind, n in kinds:
        counts[(semester, kind)] = n
    has_action = Exists(AbsenceAction.objects.filter(case=OuterRef("pk")))
    for semester, n in cases.filter(~has_action).order_by().values_list("semester").annotate(n=Count("id")):
        counts[(semester, NONE_RECORDED)] = n
    return counts
