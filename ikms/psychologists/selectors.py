"""Reads of the register of psychologists: the public register (its public fields only), the staff scopers, and
the register's figures for a year (calibration-2024.yaml `psychologists`), counted from the decisions."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import Http404

from ikms.psychologists import permissions
from ikms.psychologists.choices import STATUS_AFTER, ApplicationKind, DecisionKind, PsychologistStatus
from ikms.psychologists.models import (
    Application,
    BoardMeeting,
    Certificate,
    Decision,
    ExamResult,
    ExamSession,
    Psychologist,
)

#: What the public register shows of an entry (the law makes these public: domain.md §4.3). The personal code's
#: hash, the applications, examination scores and the decisions' justifications are never among them.
PUBLIC_FIELDS = (
    "registration_number",
    "first_name",
    "last_name",
    "registered_on",
    "status",
    "status_changed_on",
    "education",
)
PUBLIC_CERTIFICATE_FIELDS = (
    "psychologist_id",
    "number",
    "area",
    "issued_on",
    "valid_until",
    "supervisor",
    "supervisor_since",
)
PUBLIC_DECISION_FIELDS = ("psychologist_id", "number", "date", "kind", "area")


def fold(text: str) -> str:
    """A name as the search compares it: lower case, without diacritics, single spaces (Bērziņa → berzina)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.lower().split())


# --- The public register ----------------------------------------------------------------------------------------


def public_list() -> QuerySet[Psychologist]:
    """Every entry, with only its public fields loaded, and its certificates' public fields."""
    return Psychologist.objects.only(*PUBLIC_FIELDS).prefetch_related(
        Prefetch("certificates", queryset=Certificate.objects.only(*PUBLIC_CERTIFICATE_FIELDS).order_by("area"))
    )


def public_get(registration_number: str) -> Psychologist:
    try:
        return public_list().get(registration_number=registration_number)
    except Psychologist.DoesNotExist:
        raise Http404 from None


def public_decisions(psychologist: Psychologist) -> QuerySet[Decision]:
    """The decisions on an entry as the public register shows them: kind, number, date, area (no justification)."""
    return (
        Decision.objects.filter(psychologist=psychologist)
        .exclude(kind=DecisionKind.REFUSE)
        .only(*PUBLIC_DECISION_FIELDS)
        .order_by("date", "id")
    )


def psychologist_filter(
    qs: QuerySet[Psychologist],
    *,
    today: dt.date,
    q: str = "",
    status: str = "",
    area: str = "",
    supervisor: bool = False,
) -> QuerySet[Psychologist]:
    """Search by name, registration or certificate number; filter by status, an area of a valid certificate and
    supervisor rights (in force today)."""
    if q:
        words = fold(q).split()
        for word in words:
            qs = qs.filter(
                Q(search_name__contains=word)
                | Q(registration_number__iexact=word)
                | Q(certificates__number__iexact=word)
            )
    if status:
        qs = qs.filter(status=status)
    valid = Q(certificates__valid_until__gte=today, certificates__issued_on__lte=today)
    if area:
        qs = qs.filter(valid, certificates__area=area)
    if supervisor:
        qs = qs.filter(valid, certificates__supervisor=True)
    return qs.distinct() if (q or area or supervisor) else qs


def valid_certificates(psychologist: Psychologist, today: dt.date) -> list[Certificate]:
    """The entry's certificates in force today (from the prefetched certificates)."""
    return [c for c in psychologist.certificates.all() if c.is_valid_on(today)]


# --- Staff scopers ----------------------------------------------------------------------------------------------


def psychologists_visible_to(user) -> QuerySet[Psychologist]:
    return permissions.PSYCHOLOGIST.scope(user, Psychologist.objects.all())


def psychologist_get_for_user(user, pk: int) -> Psychologist:
    return permissions.PSYCHOLOGIST.get(user, Psychologist.objects.all(), pk=pk)


def meetings_visible_to(user) -> QuerySet[BoardMeeting]:
    return permissions.BOARD.scope(user, BoardMeeting.objects.annotate(decision_count=Count("decisions")))


def meeting_get_for_user(user, pk: int) -> BoardMeeting:
    return permissions.BOARD.get(user, BoardMeeting.objects.all(), pk=pk)


def applications_visible_to(user) -> QuerySet[Application]:
    return permissions.BOARD.scope(user, Application.objects.select_related("psychologist", "decision"))


def application_get_for_user(user, pk: int) -> Application:
    return permissions.BOARD.get(user, Application.objects.select_related("psychologist"), pk=pk)


def exam_sessions_visible_to(user) -> QuerySet[ExamSession]:
    return permissions.BOARD.scope(
        user,
        ExamSession.objects.annotate(
            candidate_count=Count("results"), passed_count=Count("results", filter=Q(results__passed=True))
        ),
    )


def exam_session_get_for_user(user, pk: int) -> ExamSession:
    return permissions.BOARD.get(user, ExamSession.objects.all(), pk=pk)


def meeting_choices(*, until: dt.date) -> QuerySet[BoardMeeting]:
    """The meetings a decision may be recorded at (held by `until`), newest first."""
    return BoardMeeting.objects.filter(date__lte=until).order_by("-date", "-id")


def undecided_passed_results(psychologist: Psychologist) -> QuerySet[ExamResult]:
    """The psychologist's passed examination results no decision has answered yet."""
    return (
        ExamResult.objects.filter(psychologist=psychologist, passed=True, decision__isnull=True)
        .select_related("session")
        .order_by("-session__date")
    )


def entry_applications(psychologist: Psychologist) -> QuerySet[Application]:
    """An entry's applications: those naming the entry, and the registration application its entry was made on."""
    return (
        Application.objects.filter(Q(psychologist=psychologist) | Q(decision__psychologist=psychologist))
        .select_related("decision")
        .distinct()
        .order_by("-received_on", "-id")
    )


def entry_decisions(psychologist: Psychologist) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(Q(psychologist=psychologist) | Q(application__psychologist=psychologist))
        .select_related("meeting", "certificate", "application")
        .distinct()
        .order_by("-date", "-id")
    )


# --- The register's figures -------------------------------------------------------------------------------------


def register_state_on(day: dt.date) -> dict[str, int]:
    """The register as it stood at the end of `day`, read from the decisions dated by then: active psychologists,
    those of them with a certificate in force, and those with supervisor rights in force."""
    status: dict[int, str] = {}
    for pid, kind in (
        Decision.objects.filter(kind__in=list(STATUS_AFTER), date__lte=day)
        .order_by("date", "id")
        .values_list("psychologist_id", "kind")
    ):
        status[pid] = STATUS_AFTER[kind]
    active = {pid for pid, s in status.items() if s == PsychologistStatus.ACTIVE}
    valid = set(
        Decision.objects.filter(kind__in=(DecisionKind.CERTIFY, DecisionKind.RENEW), date__lte=day)
        .values("certificate_id")
        .annotate(until=Max("valid_until"))
        .filter(until__gte=day)
        .values_list("certificate_id", flat=True)
    )
    supervising: dict[int, bool] = {}
    for cid, kind in (
        Decision.objects.filter(
            kind__in=(DecisionKind.GRANT_SUPERVISOR, DecisionKind.WITHDRAW_SUPERVISOR),
            date__lte=day,
            certificate_id__in=valid,
        )
        .order_by("date", "id")
        .values_list("certificate_id", "kind")
    ):
        supervising[cid] = kind == DecisionKind.GRANT_SUPERVISOR
    owner = dict(Certificate.objects.filter(pk__in=valid).values_list("pk", "psychologist_id"))
    certified = {owner[c] for c in valid} & active
    supervisors = {owner[c] for c, on in supervising.items() if on} & active
    return {"active": len(active), "certified": len(certified), "supervisors": len(supervisors)}


def year_counts(year: int) -> dict[str, int]:
    """The year's figures as the annual report gives them (the keys of calibration-2024.yaml `psychologists`)."""
    decisions = Decision.objects.filter(date__year=year)
    by_kind: dict[str, int] = defaultdict(int, decisions.values_list("kind").annotate(n=Count("id")))
    state = register_state_on(dt.date(year, 12, 31))
    share = round(100 * state["certified"] / state["active"]) if state["active"] else 0
    return {
        "council_meetings": BoardMeeting.objects.filter(date__year=year).count(),
        "certified_by_exam": decisions.filter(kind=DecisionKind.CERTIFY, exam_result__isnull=False).count(),
        "supervisor_rights_granted": by_kind[DecisionKind.GRANT_SUPERVISOR],
        "registration_applications": Application.objects.filter(
            kind=ApplicationKind.REGISTRATION, received_on__year=year
        ).count(),
        "registered": by_kind[DecisionKind.REGISTER],
        "active_in_register_end_of_year": state["active"],
        "of_which_supervisors": state["supervisors"],
        "foreign_qualifications_recognised": by_kind[DecisionKind.RECOGNISE],
        "certified_share_percent": share,
    }


def decision_counts(year: int) -> list[tuple[str, int]]:
    """Decisions of a year by kind, every kind listed (zero included)."""
    counted = dict(Decision.objects.filter(date__year=year).values_list("kind").annotate(n=Count("id")))
    return [(kind, counted.get(kind, 0)) for kind in DecisionKind.values]
