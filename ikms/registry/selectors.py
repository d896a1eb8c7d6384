"""Reads of the registers. Scopers (`*_visible_to`) own who sees which rows; `*_get_for_user`
returns the object or raises Http404 for both "missing" and "forbidden"."""

import datetime
import re
from collections import OrderedDict

from django.db.models import Count, F, Max, Prefetch, Q, QuerySet
from django.http import Http404

from ikms.core.quarters import quarter
from ikms.registry import permissions
from ikms.registry.choices import (
    PUBLIC_INSTITUTION_STATUSES,
    AccreditationState,
    AmendmentReason,
    DecisionKind,
    InstitutionStatus,
    InternationalProgramme,
    LicenceEntryKind,
    LicenceStatus,
    ProgrammeForm,
)
from ikms.registry.models import Accreditation, Decision, Institution, Programme
from ikms.registry.validators import (
    GENERAL_LEVELS,
    VOCATIONAL_LEVELS,
    is_special_programme,
    programme_type_for,
    programme_types,
)


def _institution_base() -> QuerySet[Institution]:
    return Institution.objects.select_related("type", "type__kind", "founder", "municipality")


def institution_visible_to(user) -> QuerySet[Institution]:
    """Institutions whose staff entry the user may see (permissions.INSTITUTION)."""
    return permissions.INSTITUTION.scope(user, _institution_base())


def institution_get_for_user(*, user, pk: int) -> Institution:
    """One institution the user may see, or 404."""
    return permissions.INSTITUTION.get(user, _institution_base(), pk=pk)


def institutions_headed_by(user) -> QuerySet[Institution]:
    """The institutions the user heads (permissions.HEADED_INSTITUTION: none without a head role)."""
    return permissions.HEADED_INSTITUTION.scope(user, _institution_base())


def institutions_founded_by(user) -> QuerySet[Institution]:
    """The institutions the user's founder founded (permissions.FOUNDED_INSTITUTION: none without a founder
    role)."""
    return permissions.FOUNDED_INSTITUTION.scope(user, _institution_base())


def applications_awaiting_decision(user) -> QuerySet[Institution]:
    """Registration applications still under consideration that the user may see: entries with the status
    "application", which `services.institution_application_record` leaves when it postpones a new institution's
    registration, until a decision registers or refuses it. The longest waiting first; each with its decisions so
    far, newest first (`decisions_so_far`). A postponed amendment of a registered entry leaves no mark on the entry,
    so it is not here."""
    return (institution_visible_to(user).filter(status=InstitutionStatus.APPLICATION)
            .annotate(last_decided_on=Max("decisions__date"))
            .prefetch_related(Prefetch("decisions", Decision.objects.order_by("-date", "-id"),
                                       to_attr="decisions_so_far"))
            .order_by(F("last_decided_on").asc(nulls_first=True), "name", "id"))


def institution_filter(qs: QuerySet[Institution], *, q: str = "", municipality: str = "", type: str = "",
                       kind: str = "", status: str = "", founder: str = "") -> QuerySet[Institution]:
    """Search and filter a queryset of institutions (name or registration number, classifiers)."""
    q = (q or "").strip()
    if q:
        qs = qs.filter(registration_number=q) if q.isdigit() and len(q) == 10 else qs.filter(
            Q(name__icontains=q) | Q(registration_number__startswith=q))
    if municipality:
        qs = qs.filter(municipality__code=municipality)
    if type:
        qs = qs.filter(type__code=type)
    if kind:
        qs = qs.filter(type__kind__code=kind)
    if status:
        qs = qs.filter(status=status)
    if founder:
        qs = qs.filter(founder__kind=founder)
    return qs


def institution_public_list() -> QuerySet[Institution]:
    """Institutions the public register shows (registered and liquidated entries)."""
    return _institution_base().filter(status__in=PUBLIC_INSTITUTION_STATUSES)


def institution_public_get(*, registration_number: str) -> Institution:
    try:
        return institution_public_list().get(registration_number=registration_number)
    except Institution.DoesNotExist:
        raise Http404 from None


def _programme_base() -> QuerySet[Programme]:
    return Programme.objects.select_related("institution", "institution__municipality").prefetch_related(
        "places", "places__municipality")


def programme_visible_to(user) -> QuerySet[Programme]:
    """Licensed programmes of the institutions the user may see (permissions.PROGRAMME)."""
    return permissions.PROGRAMME.scope(user, _programme_base())


def programme_public_list() -> QuerySet[Programme]:
    """Programmes of publicly visible institutions (all licence statuses, as the register shows)."""
    return _programme_base().filter(institution__status__in=PUBLIC_INSTITUTION_STATUSES)


def programme_filter(qs: QuerySet[Programme], *, q: str = "", municipality: str = "", status: str = "",
                     level: str = "", institution: str = "") -> QuerySet[Programme]:
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__startswith=q) | Q(institution__name__icontains=q)
                       | Q(licence_number__iexact=q))
    if municipality:
        qs = qs.filter(institution__municipality__code=municipality)
    if status:
        qs = qs.filter(status=status)
    if level:
        prefixes = [p for p, row in programme_types().items() if row["level"] == level]
        cond = Q()
        for p in prefixes:
            cond |= Q(code__startswith=p)
        qs = qs.filter(cond) if prefixes else qs.none()
    if institution:
        qs = qs.filter(institution__registration_number=institution)
    return qs


def programme_get_for_user(*, user, pk: int) -> Programme:
    return permissions.PROGRAMME.get(user, _programme_base(), pk=pk)


def _decision_base() -> QuerySet[Decision]:
    return Decision.objects.select_related("institution", "programme", "decided_by", "revokes")


def decision_visible_to(user) -> QuerySet[Decision]:
    """Decisions about entries the user may see; IKVD staff see every decision (permissions.DECISION)."""
    return permissions.DECISION.scope(user, _decision_base())


def decision_get_for_user(*, user, pk: int) -> Decision:
    return permissions.DECISION.get(user, _decision_base(), pk=pk)


def accreditation_current(institution: Institution) -> Accreditation | None:
    """The accreditation entry in force: the newest decision's."""
    return institution.accreditations.select_related("decision").order_by("-valid_from", "-id").first()


def accreditation_terms() -> dict[int, datetime.date]:
    """Per registered institution id, the day its accreditation in force ends (the newest decision's entry, as
    `accreditation_current`; none where that entry was a refusal or has no end). The visit planner reads it."""
    latest: dict[int, Accreditation] = {}
    for a in (Accreditation.objects.filter(institution__status=InstitutionStatus.REGISTERED)
              .order_by("institution_id", "-valid_from", "-id")):
        latest.setdefault(a.institution_id, a)
    return {pk: a.valid_until for pk, a in latest.items()
            if a.valid_until is not None and a.state != AccreditationState.REFUSED}


def institution_detail_for_staff(institution: Institution) -> dict:
    """Everything the staff entry page shows, in a few queries."""
    return {
        "programmes": institution.programmes.prefetch_related("places").order_by("status", "code"),
        "decisions": institution.decisions.select_related("decided_by", "programme", "revokes")
        .prefetch_related(Prefetch("revoked_by")).order_by("-date", "-id"),
        "accreditation": accreditation_current(institution),
        "accreditations": institution.accreditations.select_related("decision"),
    }


# Annual report table 3: which decisions fall in which row. Kept as data so that the mapping of the
# report's wording to decision kinds is visible and can be changed (domain.md §4.1).
TABLE3_ROWS: "OrderedDict[str, dict]" = OrderedDict([
    ("postponed_or_deadline_extended", {"kinds": [DecisionKind.POSTPONE]}),
    ("liquidated_or_struck_off", {"kinds": [DecisionKind.STRIKE_OFF]}),
    ("registered_or_amended_reorganisation", {
        "kinds": [DecisionKind.REGISTER],
        "amend_reasons": [AmendmentReason.REORGANISATION, AmendmentReason.TYPE_CHANGE],
    }),
    ("registration_refused", {"kinds": [DecisionKind.REFUSE]}),
    ("decision_revoked", {"kinds": [DecisionKind.REVOKE]}),
    ("higher_ed_branch_removed", {"kinds": [DecisionKind.HE_BRANCH_REMOVE]}),
    ("higher_ed_register_amended", {"kinds": [DecisionKind.HE_REGISTER_AMEND]}),
    ("international_school_decisions", {"kinds": [DecisionKind.INTERNATIONAL_SCHOOL]}),
])


def register_decision_counts(*, year: int) -> "OrderedDict[str, int]":
    """Decisions of the institution register in a calendar year, by annual-report table 3 row."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    rows = (Decision.objects.filter(date__range=(start, end))
            .values("kind", "reason").annotate(n=Count("id")))
    counts = {(r["kind"], r["reason"]): r["n"] for r in rows}
    result: OrderedDict[str, int] = OrderedDict()
    for key, spec in TABLE3_ROWS.items():
        total = sum(n for (kind, _reason), n in counts.items() if kind in spec["kinds"])
        total += sum(n for (kind, reason), n in counts.items()
                     if kind == DecisionKind.AMEND and reason in spec.get("amend_reasons", []))
        result[key] = total
    return result


def licence_counts(*, year: int) -> dict[str, int]:
    """Licensing decisions in a year, by kind."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    kinds = [DecisionKind.LICENCE_ISSUE, DecisionKind.LICENCE_AMEND, DecisionKind.LICENCE_ANNUL,
             DecisionKind.LICENCE_LAPSE]
    rows = Decision.objects.filter(date__range=(start, end), kind__in=kinds).values("kind").annotate(n=Count("id"))
    found = {r["kind"]: r["n"] for r in rows}
    return {k.value: found.get(k.value, 0) for k in kinds}


def programme_count_licensed() -> int:
    return Programme.objects.filter(status=LicenceStatus.LICENSED).count()


#: Letters a search matches with or without their Latvian diacritics (case is ignored as well).
_LATVIAN_VARIANTS = {"a": "aā", "c": "cč", "e": "eē", "g": "gģ", "i": "iī", "k": "kķ", "l": "lļ", "n": "nņ",
                     "s": "sš", "u": "uū", "z": "zž"}
_BASE_LETTER = {v: base for base, variants in _LATVIAN_VARIANTS.items() for v in variants}


def search_pattern(text: str) -> str:
    """A regular expression matching `text` with or without Latvian diacritics ("rigas" finds "Rīgas").
    It uses only what SQLite's (Python's) and PostgreSQL's regular expressions share: [] classes and escapes."""
    parts = []
    for char in text:
        base = _BASE_LETTER.get(char.lower())
        if base:
            variants = _LATVIAN_VARIANTS[base]
            parts.append(f"[{variants}{variants.upper()}]")  # both cases: PostgreSQL's may not fold ā/Ā
        else:
            parts.append(re.escape(char))
    return "".join(parts)


def decision_filter(qs: QuerySet[Decision], *, number: str = "", institution: str = "", kind: str = "",
                    date_from: datetime.date | None = None,
                    date_to: datetime.date | None = None) -> QuerySet[Decision]:
    """Search decisions: number (the whole number or its beginning), institution (name, with or without
    diacritics, or registration number), kind and decision date range (inclusive). Pages and API share it."""
    number = (number or "").strip()
    if number:
        qs = qs.filter(number__istartswith=number)
    institution = " ".join((institution or "").split())
    if institution:
        cond = Q(institution__name__iregex=search_pattern(institution)) | Q(
            subject_name__iregex=search_pattern(institution))
        if institution.isdigit():
            cond |= Q(institution__registration_number__startswith=institution)
        qs = qs.filter(cond)
    if kind:
        qs = qs.filter(kind=kind)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    return qs


#: Figure 1 of the annual report (general programmes licensed) and table 8 (vocational programmes): their keys, as
#: calibration-2024.yaml gives them.
FIGURE1_KEYS = ("total", "preschool", "preschool_special", "basic", "basic_special", "basic_international",
                "basic_distance", "secondary", "viis_amendment_entries", "secondary_study_plans_updated", "refusals")
TABLE8_KEYS = ("viis_entries_total", "new_programmes", "derived_registrations", "rights_restored",
               "modular_relicensing", "relicensing_new_viis_entry", "vocational_oriented_relicensing",
               "new_place_of_implementation")
#: Table 8's rows by the decision's VIIS entry kind (LicenceEntryKind); a licence issued with no entry kind recorded
#: (before entry kinds were kept) is a new programme.
_TABLE8_BY_ENTRY = {
    LicenceEntryKind.NEW_PROGRAMME: "new_programmes", "": "new_programmes",
    LicenceEntryKind.DERIVED: "derived_registrations",
    LicenceEntryKind.RIGHTS_RESTORED: "rights_restored",
    LicenceEntryKind.MODULAR_RELICENSING: "modular_relicensing",
    LicenceEntryKind.RELICENSING_NEW_ENTRY: "relicensing_new_viis_entry",
    LicenceEntryKind.ORIENTATION_RELICENSING: "vocational_oriented_relicensing",
    LicenceEntryKind.NEW_PLACE: "new_place_of_implementation",
}
#: Table 8's total: the VIIS entries of its first six rows. The report lists the licences at a new place of
#: implementation after the total and does not count them in it (52 + 30 + 16 + 32 + 12 + 1,545 = 1,687).
_TABLE8_IN_TOTAL = TABLE8_KEYS[1:7]


#: The licensing decisions the annual report and the quarterly trends count: issues, amendments and refusals.
LICENSING_DECISION_KINDS = (DecisionKind.LICENCE_ISSUE, DecisionKind.LICENCE_AMEND, DecisionKind.LICENCE_REFUSE)


def licensing_counts(*, year: int) -> dict[str, dict[str, int]]:
    """A year's licensing decisions counted as the annual report does (revoked decisions left out):

    - `general` (figure 1): general programmes licensed by level (pre-school, basic — stage 1 included — and
      secondary), special ones (the classification's programme group 015), international ones and those in distance
      form (the licence's entry), the amendments of general licences (study plan updates apart) and refusals;
    - `vocational` (table 8): VIIS entries of vocational, vocational orientation, continuing and professional
      development programmes by the decision's entry kind (LicenceEntryKind);
    - `details`: the breakdowns the report gives in words: secondary International Baccalaureate programmes, new
      vocational programmes by type, derived ones by type."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    rows = (Decision.objects.filter(date__range=(start, end), revoked_by__isnull=True,
                                    kind__in=LICENSING_DECISION_KINDS)
            .values_list("kind", "reason", "changes", "programme__code", "programme__form",
                         "programme__international"))
    general = dict.fromkeys(FIGURE1_KEYS, 0)
    vocational = dict.fromkeys(TABLE8_KEYS, 0)
    details = {"secondary_international_baccalaureate": 0,
               **{f"new_{level}": 0 for level in VOCATIONAL_LEVELS},
               **{f"derived_{level}": 0 for level in VOCATIONAL_LEVELS}}
    for kind, reason, changes, programme_code, form, international in rows:
        code = programme_code or (changes or {}).get("code", "")
        row = programme_type_for(code) if code else None
        level = row["level"] if row else ""
        if level in GENERAL_LEVELS:
            if kind == DecisionKind.LICENCE_REFUSE:
                general["refusals"] += 1
            elif kind == DecisionKind.LICENCE_AMEND:
                key = ("secondary_study_plans_updated" if reason == LicenceEntryKind.STUDY_PLAN_UPDATE
                       else "viis_amendment_entries")
                general[key] += 1
            else:
                general["total"] += 1
                general[level] += 1
                if level == "secondary" and international == InternationalProgramme.IB:
                    details["secondary_international_baccalaureate"] += 1
                if level == "basic":
                    general["basic_special"] += is_special_programme(code)
                    general["basic_international"] += bool(international)
                    general["basic_distance"] += form == ProgrammeForm.DISTANCE
                if level == "preschool":
                    general["preschool_special"] += is_special_programme(code)
        elif level in VOCATIONAL_LEVELS and kind != DecisionKind.LICENCE_REFUSE:
            key = _TABLE8_BY_ENTRY.get(reason)
            if key is None or (kind == DecisionKind.LICENCE_AMEND and key == "new_programmes"):
                continue  # other amendments of vocational licences: not in table 8
            vocational[key] += 1
            if key == "new_programmes":
                details[f"new_{level}"] += 1
            elif key == "derived_registrations":
                details[f"derived_{level}"] += 1
    vocational["viis_entries_total"] = sum(vocational[k] for k in _TABLE8_IN_TOTAL)
    return {"general": general, "vocational": vocational, "details": details}


def licence_decisions_by_quarter(*, year: int) -> dict[str, dict[str, list[int]]] | None:
    """A year's licensing decisions (those `licensing_counts` counts: revoked ones left out) per calendar quarter,
    by decision kind (`kind`) and, for amendments, by what the VIIS entry records (`amendment`, LicenceEntryKind;
    "—" where it is not recorded). None where the year holds no such decision at all (no data, not 0)."""
    rows = list(Decision.objects.filter(date__year=year, revoked_by__isnull=True, kind__in=LICENSING_DECISION_KINDS)
                .values_list("date", "kind", "reason"))
    if not rows:
        return None
    kinds, entries = dict(DecisionKind.choices), dict(LicenceEntryKind.choices)
    by_kind: dict[str, list[int]] = {str(kinds[k]): [0, 0, 0, 0] for k in LICENSING_DECISION_KINDS}
    amendments: dict[str, list[int]] = {}
    for day, kind, reason in rows:
        q = quarter(day) - 1
        by_kind[str(kinds[kind])][q] += 1
        if kind == DecisionKind.LICENCE_AMEND:
            amendments.setdefault(str(entries.get(reason, "—")), [0, 0, 0, 0])[q] += 1
    return {"kind": by_kind, "amendment": amendments}
