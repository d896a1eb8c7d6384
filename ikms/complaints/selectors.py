"""Reads of complaints, consultations and the survey: every list goes through the complaint policy
(`permissions.COMPLAINT`), so a founder gets only what was forwarded to it. Trends and survey results are counts
(no identities)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from analytics.complaints.similar import similar
from analytics.complaints.topics import load_topics
from ikms.cases.selectors import urgency
from ikms.complaints import permissions
from ikms.complaints.choices import ListState, Outcome
from ikms.complaints.models import Complaint, Consultation, SurveyInvitation
from ikms.core.quarters import compare_rows, quarter


def _lang() -> str:
    return "en" if (get_language() or "lv").startswith("en") else "lv"


def topic_names() -> dict[str, str]:
    lang = _lang()
    return {t.code: t.name[lang] for t in load_topics()}


def complaints_for_user(user) -> QuerySet[Complaint]:
    qs = Complaint.objects.select_related("case_file", "case_file__assignee", "founder").prefetch_related(
        "institutions", "case_file__deadlines"
    )
    return permissions.COMPLAINT.scope(user, qs)


def complaint_get_for_user(*, user, pk: int) -> Complaint:
    return permissions.COMPLAINT.get(user, complaints_for_user(user), pk=pk)


def complaint_list(user, *, today: dt.date | None = None, **filters) -> QuerySet[Complaint]:
    """The complaints the user sees (`complaints_for_user`), filtered as the list page and the API filter them
    (`filter_complaints`), each once, newest first."""
    return filter_complaints(complaints_for_user(user), today=today, **filters).distinct()


def same_submitter(complaint: Complaint) -> QuerySet[Complaint]:
    """Other complaints of the same submitter (serial complaints): the same personal code (by its keyed hash) or
    the same contact. For supervision staff only: it tells who the submitter is."""
    q = Q(pk__in=[])
    if complaint.personal_code_digest:
        q |= Q(personal_code_digest=complaint.personal_code_digest)
    if complaint.submitter_contact.strip():
        q |= Q(submitter_contact__iexact=complaint.submitter_contact.strip())
    return Complaint.objects.filter(q).exclude(pk=complaint.pk).order_by("-received_on", "-id")


def possible_duplicates(complaint: Complaint) -> list[tuple[Complaint, float]]:
    """Other complaints whose text is much like this one's (analytics.complaints.similar), received within
    settings.IKMS_COMPLAINT_DUPLICATE_DAYS days of it and about an institution it concerns (any complaint of those
    days when it names none), the most alike first, each with its similarity. A suggestion for the inspector to
    check, never merged automatically; for those who see complaint texts (supervision staff)."""
    window = dt.timedelta(days=settings.IKMS_COMPLAINT_DUPLICATE_DAYS)
    qs = Complaint.objects.filter(
        received_on__gte=complaint.received_on - window, received_on__lte=complaint.received_on + window
    ).exclude(pk=complaint.pk)
    institutions = list(complaint.institutions.values_list("pk", flat=True))
    if institutions:
        qs = qs.filter(institutions__in=institutions).distinct()
    others = {c.pk: c for c in qs.order_by("-received_on", "-id")[:500]}
    found = similar(
        complaint.text,
        [(pk, c.text) for pk, c in others.items()],
        threshold=settings.IKMS_COMPLAINT_DUPLICATE_SIMILARITY,
    )
    return [(others[pk], score) for pk, score in found]


def answer_deadline(complaint: Complaint):
    found = [d for d in complaint.case_file.deadlines.all() if d.rule == "submission_answer"]
    return found[0] if found else None


def complaint_urgency(complaint: Complaint, today: dt.date) -> str:
    return urgency(answer_deadline(complaint), today)


def filter_complaints(
    qs: QuerySet[Complaint],
    *,
    state: str = "",
    topic: str = "",
    outcome: str = "",
    year: int | None = None,
    today: dt.date | None = None,
) -> QuerySet[Complaint]:
    today = today or timezone.localdate()
    if state == ListState.OPEN:
        qs = qs.filter(case_file__closed_on__isnull=True)
    elif state == ListState.CLOSED:
        qs = qs.filter(case_file__closed_on__isnull=False)
    elif state == ListState.OVERDUE:
        qs = qs.filter(
            case_file__closed_on__isnull=True,
            case_file__deadlines__rule="submission_answer",
            case_file__deadlines__met_on__isnull=True,
            case_file__deadlines__due_on__lt=today,
        )
    if topic:
        qs = qs.filter(topics__icontains=f'"{topic}"')
    if outcome:
        qs = qs.filter(outcome=outcome)
    if year:
        qs = qs.filter(received_on__year=year)
    return qs


def export_headers() -> list[str]:
    return [
        str(h)
        for h in (
            _("Reference"),
            _("Received on"),
            _("Received by"),
            _("Submitter"),
            _("Institutions concerned"),
            _("Topics"),
            _("Answer due"),
            _("Outcome"),
            _("Closed on"),
        )
    ]


def export_rows(qs: QuerySet[Complaint]):
    """The complaints as rows for an export: the submitter's type, never their identity."""
    names = topic_names()
    for c in qs.prefetch_related("institutions"):
        deadline = answer_deadline(c)
        yield [
            c.reference,
            c.received_on,
            c.get_channel_display(),
            c.get_submitter_type_display(),
            "; ".join(i.name for i in c.institutions.all()),
            "; ".join(names.get(t, t) for t in c.topics),
            deadline.due_on if deadline else None,
            c.get_outcome_display() if c.outcome else "",
            c.case_file.closed_on,
        ]


def calibration_counts(year: int) -> dict[str, int]:
    """The year's figures as the annual report counts them (calibration-2024.yaml `supervision`)."""
    qs = Complaint.objects.filter(received_on__year=year)
    by = dict(qs.values_list("outcome").annotate(n=Count("id")).values_list("outcome", "n"))
    return {
        "complaints_examined": qs.count(),
        "confirmed": by.get(Outcome.CONFIRMED, 0),
        "not_confirmed": by.get(Outcome.NOT_CONFIRMED, 0),
        "explanation_given": by.get(Outcome.EXPLANATION, 0),
        "referred_to_founder_or_other_authority": by.get(Outcome.REFERRED_FOUNDER, 0)
        + by.get(Outcome.REFERRED_OTHER, 0),
        "consultations": Consultation.objects.filter(given_on__year=year).count(),
    }


# --- trends -------------------------------------------------------------------------------------------------


@dataclass
class Breakdown:
    key: str
    label: str
    rows: list[tuple[str, list[int], int]]  # (label, counts per quarter, total)


def _quarterly(year: int) -> tuple[list[int], dict[str, dict[str, list[int]]]]:
    """Complaints received in a year: the count per quarter and, per breakdown (topic, institution type,
    municipality, outcome), each group's count per quarter."""
    qs = (
        Complaint.objects.filter(received_on__year=year)
        .prefetch_related("institutions__type", "institutions__municipality")
        .only("id", "received_on", "topics", "outcome")
    )
    names = topic_names()
    outcome_names = dict(Outcome.choices)
    counters: dict[str, dict[str, list[int]]] = {
        k: defaultdict(lambda: [0, 0, 0, 0]) for k in ("topic", "type", "municipality", "outcome")
    }
    totals = [0, 0, 0, 0]
    for c in qs:
        q = quarter(c.received_on) - 1
        totals[q] += 1
        for code in c.topics or ["other"]:
            counters["topic"][names.get(code, code)][q] += 1
        institutions = list(c.institutions.all())
        types = {str(i.type) for i in institutions} or {"—"}
        for t in types:
            counters["type"][t][q] += 1
        for m in {str(i.municipality) for i in institutions} or {"—"}:
            counters["municipality"][m][q] += 1
        counters["outcome"][str(outcome_names.get(c.outcome, "—")) if c.outcome else "—"][q] += 1
    return totals, counters


def trends(year: int) -> dict:
    """Complaints received in a year per quarter, by topic, institution type, municipality and outcome; and
    `compare`: each quarter against the same quarter a year before (`ikms.core.quarters`), "no data" where the
    earlier year holds no complaints at all (`previous_held` False)."""
    totals, counters = _quarterly(year)
    previous_held = Complaint.objects.filter(received_on__year=year - 1).exists()
    before_totals, before = _quarterly(year - 1) if previous_held else (None, None)

    def rows(counter, limit=None):
        out = sorted(((label, counts, sum(counts)) for label, counts in counter.items()), key=lambda r: (-r[2], r[0]))
        return out[:limit] if limit else out

    limits = {"municipality": 15}
    compare = {
        key: compare_rows(counters[key], None if before is None else before[key])[: limits.get(key)]
        for key in counters
    }
    return {
        "year": year,
        "totals": totals,
        "total": sum(totals),
        "topic": rows(counters["topic"]),
        "type": rows(counters["type"]),
        "municipality": rows(counters["municipality"], 15),
        "outcome": rows(counters["outcome"]),
        "previous_held": previous_held,
        "compare_total": compare_rows(
            {_("All complaints"): totals}, None if before_totals is None else {_("All complaints"): before_totals}
        )[0],
        "compare": compare,
    }


def per_thousand_learners(year: int, limit: int = 15) -> list[dict]:
    """Complaints received in a calendar year per 1,000 learners, by municipality: the learners are the computed
    `learners_enrolled` of the school year that ends in it (2023/2024 for 2024), from the monitoring results.
    A municipality without a computed (or with a suppressed) learner count is left out."""
    from ikms.monitoring import selectors as monitoring
    from ikms.registry.models import Municipality

    learners = {
        v.unit: v.value
        for v in monitoring.values(year=f"{year - 1}/{year}", grain="municipality", indicators_=["learners_enrolled"])
        if not v.level and not v.category and v.semester is None and not v.suppressed and v.value
    }
    counts: Counter[str] = Counter()
    for c in Complaint.objects.filter(received_on__year=year).prefetch_related("institutions__municipality"):
        for code in {i.municipality.code for i in c.institutions.all()}:
            counts[code] += 1
    names = {m.code: str(m) for m in Municipality.objects.filter(code__in=list(learners))}
    rows = [
        {
            "municipality": names.get(code, code),
            "complaints": counts.get(code, 0),
            "learners": n,
            "rate": 1000 * counts.get(code, 0) / n,
        }
        for code, n in learners.items()
    ]
    return sorted(rows, key=lambda r: (-r["rate"], r["municipality"]))[:limit]


def survey_results(year: int) -> list[dict]:
    """Per quarter: surveys sent, answered, the mean score."""
    out = []
    for q in range(1, 5):
        months = (3 * q - 2, 3 * q)
        sent = SurveyInvitation.objects.filter(
            sent_on__year=year, sent_on__month__gte=months[0], sent_on__month__lte=months[1]
        )
        answered = sent.filter(answered_on__isnull=False)
        out.append(
            {
                "quarter": q,
                "sent": sent.count(),
                "answered": answered.count(),
                "mean": answered.aggregate(m=Avg("score"))["m"],
                "complaints": answered.filter(complaint__isnull=False).count(),
                "consultations": answered.filter(consultation__isnull=False).count(),
            }
        )
    return out


def consultations_summary(year: int) -> list[dict]:
    qs = Consultation.objects.filter(given_on__year=year)
    out = []
    for q in range(1, 5):
        part = qs.filter(given_on__month__gte=3 * q - 2, given_on__month__lte=3 * q)
        out.append(
            {"quarter": q, "count": part.count(), "minutes": sum(part.values_list("duration_minutes", flat=True))}
        )
    return out


# --- topic suggestions --------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _model(path: str, mtime: float):
    from analytics.complaints.topics import load

    return load(Path(path))


def topic_suggestions(text: str, k: int = 3) -> list[tuple[str, str, float]] | None:
    """The classifier's top suggestions (code, name, probability), or None when no trained model is saved (the
    demo trains it: `manage.py train_complaint_topics`). A suggestion the inspector confirms, never a label."""
    from analytics.complaints.topics import StaleModelError, suggest

    path = Path(settings.IKMS_COMPLAINT_TOPIC_MODEL)
    if not path.exists():
        return None
    try:
        model = _model(str(path), path.stat().st_mtime)
    except (StaleModelError, OSError, ValueError):
        return None
    names = topic_names()
    return [(code, names.get(code, code), 100 * p) for code, p in suggest(model, text, k=k)]
