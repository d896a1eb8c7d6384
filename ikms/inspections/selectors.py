"""Reads of inspections: the list a user may see (with filters), one inspection, the counts the annual report gives
(calibration-2024.yaml `supervision.inspections`, `adult_education_supervision`), the thematic aggregate, and the
open orders and last outcome per institution (for the dossier, the risk list and the start pages)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from ikms.inspections import permissions
from ikms.inspections.choices import InspectionState, OrderKind, OrderState, ProgrammeCheckKind, Stream
from ikms.inspections.models import Act, Inspection, Order, ProgrammeCheck, ThematicAnswer
from ikms.inspections.questionnaires import Question, Questionnaire, QuestionResult, aggregate, questionnaire


def inspection_visible_to(user) -> QuerySet[Inspection]:
    qs = permissions.INSPECTION.scope(user, Inspection.objects.all())
    if not permissions.INSPECTION.sees_everything(user):
        qs = qs.filter(state__in=permissions.INSTITUTION_STATES)
    return qs


def inspection_list(
    user, *, state: str = "", kind: str = "", stream: str = "", year: int | None = None, q: str = ""
) -> QuerySet[Inspection]:
    qs = inspection_visible_to(user).select_related("institution", "act")
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if stream:
        qs = qs.filter(stream=stream)
    if year:
        qs = qs.filter(Q(visited_on__year=year) | Q(visited_on__isnull=True, planned_on__year=year))
    if q:
        qs = qs.filter(Q(institution__name__icontains=q) | Q(subject__icontains=q))
    return qs.order_by("-planned_on", "-id").annotate(
        open_orders=Count("orders", filter=Q(orders__state=OrderState.OPEN, orders__kind=OrderKind.ORDER))
    )


def inspection_get_for_user(*, user, pk) -> Inspection:
    inspection = Inspection.objects.select_related("institution", "act", "visit", "case_file").filter(pk=pk).first()
    if inspection is None or not permissions.can_view_inspection(user, inspection):
        raise Http404
    return inspection


def inspection_orders(inspection: Inspection) -> list[Order]:
    """The act's recommendations and orders (by deadline), each with its follow-up evidence."""
    return list(inspection.orders.select_related("finding", "deadline").prefetch_related("evidence"))


def inspection_answers(inspection: Inspection) -> list[tuple[Question, object]]:
    """A thematic inspection's questions in the questionnaire's order, each with the answer recorded on the visit
    (None: not answered); an inspection without a questionnaire has none."""
    if not inspection.questionnaire:
        return []
    given = dict(inspection.answers.values_list("question", "value"))
    return [(q, given.get(q.code)) for q in questionnaire(inspection.questionnaire).questions]


def supervision_inspection_count(year: int) -> int:
    """The supervision department's inspections of a year (by visit date)."""
    return Inspection.objects.filter(stream=Stream.SUPERVISION, visited_on__year=year).count()


def adult_education_counts(year: int) -> dict[str, int]:
    """Adult-education supervision of a year, counted from the acts (keys of calibration-2024.yaml)."""
    acts = Act.objects.filter(inspection__stream=Stream.ADULT_EDUCATION, dated_on__year=year)
    recommendations = Order.objects.filter(inspection__act__in=acts, kind=OrderKind.RECOMMENDATION)
    return {
        "institutions_inspected": acts.values("inspection__institution").distinct().count(),
        "inspection_acts": acts.count(),
        "acts_with_recommendations": recommendations.values("inspection").distinct().count(),
        "recommendations": recommendations.count(),
    }


def programme_check_counts(year: int) -> dict[str, int]:
    """Adult-education programme desk checks of a year (keys of calibration-2024.yaml): expert reviews, programmes
    checked in the offer lists and the mismatches found there."""
    checks = ProgrammeCheck.objects.filter(checked_on__year=year)
    offer = checks.filter(kind=ProgrammeCheckKind.OFFER_LIST).aggregate(n=Sum("programmes"), bad=Sum("mismatches"))
    return {
        "programme_expert_reviews": checks.filter(kind=ProgrammeCheckKind.EXPERT_REVIEW).count(),
        "programmes_checked_in_offer_lists": offer["n"] or 0,
        "mismatches_found": offer["bad"] or 0,
    }


def programme_checks_by_year(years: int = 3) -> list[tuple[int, dict[str, int]]]:
    """`programme_check_counts` of the latest `years` years with any check, the latest first."""
    from django.db.models.functions import ExtractYear

    found = (
        ProgrammeCheck.objects.annotate(year=ExtractYear("checked_on"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")[:years]
    )
    return [(year, programme_check_counts(year)) for year in found]


def adult_education_acts_by_type(year: int) -> dict[str, int]:
    acts = Act.objects.filter(inspection__stream=Stream.ADULT_EDUCATION, dated_on__year=year)
    return dict(acts.values_list("act_type").annotate(n=Count("id")).order_by())


def thematic_results(q: Questionnaire) -> tuple[int, list[QuestionResult]]:
    """The questionnaire's answers aggregated across every visit that recorded them."""
    rows = ThematicAnswer.objects.filter(inspection__questionnaire=q.code, inspection__visited_on__isnull=False)
    visits = Inspection.objects.filter(questionnaire=q.code, visited_on__isnull=False).count()
    _, results = aggregate(q, rows.values_list("inspection_id", "question", "value").iterator())
    return visits, results


def with_current_due(qs: QuerySet[Order]) -> QuerySet[Order]:
    """Orders with `current_due`: the day each falls due now (its case-core deadline's, after any extension; the
    act's day for an order without one)."""
    return qs.annotate(current_due=Coalesce("deadline__due_on", "due_on"))


def overdue_orders(qs: QuerySet[Order], today: dt.date) -> QuerySet[Order]:
    """The open orders of `qs` whose day (after any extension) has passed."""
    return with_current_due(qs.filter(kind=OrderKind.ORDER, state=OrderState.OPEN)).filter(current_due__lt=today)


def open_orders(*, institution_ids=None, today: dt.date) -> QuerySet[Order]:
    """Orders not yet met (the overdue first), of sent acts."""
    qs = Order.objects.filter(
        kind=OrderKind.ORDER, state=OrderState.OPEN, inspection__state=InspectionState.FOLLOW_UP
    ).select_related("inspection__institution", "deadline")
    if institution_ids is not None:
        qs = qs.filter(inspection__institution_id__in=institution_ids)
    return with_current_due(qs).order_by("current_due", "id")


def outcome_by_institution(institution_ids) -> dict[int, dict]:
    """Per institution: the last inspection with an act (date, most severe finding) and its open orders."""
    result: dict[int, dict] = {}
    acts = (
        Act.objects.filter(
            inspection__institution_id__in=institution_ids, inspection__state__in=permissions.INSTITUTION_STATES
        )
        .select_related("inspection")
        .prefetch_related("findings")
        .order_by("dated_on", "id")
    )
    rank = {"minor": 1, "moderate": 2, "major": 3}
    for act in acts:
        worst = max((f.severity for f in act.findings.all()), key=lambda s: rank[s], default="")
        result[act.inspection.institution_id] = {
            "act_date": act.dated_on,
            "worst": worst,
            "open_orders": 0,
            "inspection": act.inspection_id,
        }
    for inst, n in (
        Order.objects.filter(
            inspection__institution_id__in=institution_ids, kind=OrderKind.ORDER, state=OrderState.OPEN
        )
        .values_list("inspection__institution")
        .annotate(n=Count("id"))
        .order_by()
    ):
        result.setdefault(inst, {"act_date": None, "worst": "", "inspection": None})["open_orders"] = n
    return result


def visits_to_start(user, limit: int = 20) -> list:
    """The visit plan's planned rows (monitoring) that no inspection has started yet, the soonest first."""
    from ikms.monitoring.models import VisitPlanEntry, VisitStatus

    started = Inspection.objects.filter(visit__isnull=False).values("visit_id")
    return list(
        VisitPlanEntry.objects.filter(status=VisitStatus.PLANNED)
        .exclude(pk__in=started)
        .select_related("institution")
        .order_by("planned_date", "id")[:limit]
    )


def visits_by_year_and_stream(years: int = 3) -> list[tuple[int, list[int]]]:
    """Visited inspections per year (the latest `years` with any) and stream, in Stream's order."""
    from django.db.models.functions import ExtractYear

    counts: dict[int, dict[str, int]] = {}
    rows = (
        Inspection.objects.exclude(visited_on=None)
        .annotate(year=ExtractYear("visited_on"))
        .values_list("year", "stream")
        .annotate(n=Count("id"))
        .order_by()
    )
    for year, stream, n in rows:
        counts.setdefault(year, {})[stream] = n
    return [(year, [counts[year].get(s, 0) for s in Stream.values]) for year in sorted(counts, reverse=True)[:years]]
