"""Reads of the register of teacher private-practice certificates. `certificate_visible_to` /
`certificate_get_for_user` own who sees a staff entry (permissions.CERTIFICATE); the public register reads every
certificate, and only its public fields reach the pages and exports. `certificate_counts` counts a year's decisions
as the annual report does."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import pgettext

from ikms.core.formatting import date_text
from ikms.core.personal_codes import personal_code_digest
from ikms.practice import permissions
from ikms.practice.choices import CertificateStatus, DecisionKind, EducationKind
from ikms.practice.models import Certificate, CertificateDecision
from ikms.registry.history import EMPTY, Change


def _base() -> QuerySet[Certificate]:
    return Certificate.objects.select_related("teacher")


def certificate_visible_to(user) -> QuerySet[Certificate]:
    """The certificates whose staff entry the user may see (permissions.CERTIFICATE: IKVD staff all)."""
    return permissions.CERTIFICATE.scope(user, _base())


def certificate_get_for_user(*, user, pk: int) -> Certificate:
    """One staff entry the user may see, or 404 (the same for a missing and a forbidden entry)."""
    return permissions.CERTIFICATE.get(user, _base(), pk=pk)


def certificate_public_list() -> QuerySet[Certificate]:
    """The public register: every certificate issued, with its status."""
    return _base()


def status_q(status: str, day: datetime.date) -> Q:
    """The certificates with a status on a day (the rule of `Certificate.status_on`, as a query)."""
    annulled = Q(annulled_on__isnull=False, annulled_on__lte=day)
    if status == CertificateStatus.ANNULLED:
        return annulled
    if status == CertificateStatus.EXPIRED:
        return ~annulled & Q(valid_until__lt=day)
    return ~annulled & Q(valid_until__gte=day)


def certificate_filter(
    qs: QuerySet[Certificate],
    *,
    q: str = "",
    education_kind: str = "",
    programme_area: str = "",
    status: str = "",
    personal_code: str = "",
    today: datetime.date | None = None,
) -> QuerySet[Certificate]:
    """Search certificates by the teacher's name, the certificate number or the programme (`q`), the kind of
    education, the programme area and the status today; staff pages may also find a teacher by the personal code
    (matched through its keyed hash, never stored)."""
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(teacher__name__icontains=q)
            | Q(number__iexact=q)
            | Q(number__istartswith=q)
            | Q(programme_name__icontains=q)
        )
    if education_kind:
        qs = qs.filter(education_kind=education_kind)
    if programme_area:
        qs = qs.filter(programme_area=programme_area)
    if status:
        qs = qs.filter(status_q(status, today or timezone.localdate()))
    if personal_code:
        qs = qs.filter(teacher__personal_code_digest=personal_code_digest(personal_code))
    return qs


def certificate_decisions(certificate: Certificate) -> QuerySet[CertificateDecision]:
    """A certificate's decisions, newest first."""
    return certificate.decisions.select_related("decided_by").order_by("-date", "-id")


def teacher_certificates(certificate: Certificate) -> QuerySet[Certificate]:
    """The teacher's other certificates."""
    return _base().filter(teacher=certificate.teacher_id).exclude(pk=certificate.pk).order_by("-issued_on")


def certificate_counts(*, year: int) -> dict[str, int]:
    """The year's certificate decisions as the annual report counts them (calibration-2024.yaml
    `teacher_private_practice_certificates`): certificates issued (new and extended) and to how many teachers, for
    interest and for non-formal education, new, extended and annulled."""
    decided = CertificateDecision.objects.filter(date__year=year)
    issued = decided.filter(kind__in=(DecisionKind.ISSUE, DecisionKind.EXTEND))
    return {
        "issued": issued.count(),
        "distinct_teachers": issued.values("certificate__teacher").distinct().count(),
        "for_interest_education": issued.filter(certificate__education_kind=EducationKind.INTEREST).count(),
        "for_non_formal_education": issued.filter(certificate__education_kind=EducationKind.NON_FORMAL).count(),
        "new": decided.filter(kind=DecisionKind.ISSUE).count(),
        "extended": decided.filter(kind=DecisionKind.EXTEND).count(),
        "annulled": decided.filter(kind=DecisionKind.ANNUL).count(),
    }


def decision_years() -> list[int]:
    """The years with at least one decision, newest first."""
    return sorted({d.year for d in CertificateDecision.objects.dates("date", "year")}, reverse=True)


def _text(value) -> str:
    if value in (None, ""):
        return EMPTY
    try:
        return date_text(datetime.date.fromisoformat(value))
    except (TypeError, ValueError):
        return str(value)


def decision_changes(decision: CertificateDecision) -> list[Change]:
    """What a decision changed, in words: field label, old → new, dates as the pages write them."""
    labels = {
        "teacher_name": pgettext("private practice", "Teacher"),
        "number": capfirst(str(Certificate._meta.get_field("number").verbose_name)),
    }
    out = []
    for key, change in (decision.changes or {}).items():
        if not (isinstance(change, dict) and set(change) == {"old", "new"}):
            continue
        label = labels.get(key) or capfirst(str(Certificate._meta.get_field(key).verbose_name))
        old = None if change["old"] is None else _text(change["old"])
        out.append(Change(label=label, new=_text(change["new"]), old=old))
    return out
