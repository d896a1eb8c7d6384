"""The cross-register checks. Each takes the day of the check and returns its findings (`Found`: institution, what
is wrong, the evidence in Latvian and English, a link); `services.checks_run` stores them.

What can be matched honestly:

* Psychologists: the staff data hold pseudonymous ids, and the register of psychologists keeps no workplace, so no
  person in the staff data can be matched with a register entry and no institution's psychologist can be checked
  against the register. The check compares what the data allow: the number of people the staff data report as
  psychologists across the nation (each pseudonymous id once) with the active psychologists holding a valid
  certificate in educational and school psychology; and, per institution, staff data that report no psychologist
  or other support staff at all.
* Places: a licensed programme's places of implementation against its institution's address and municipality.
* Accreditation: the institution's latest accreditation term ending within six months, and whether an accreditation
  case is open for it.
* Offer lists: each provider's latest imported offer list with lines that did not match."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Model
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from analytics.lake.schemas import SUPPORT_POSITIONS
from analytics.lake.staff import school_years, staff_counts
from ikms.accreditation.choices import CaseState
from ikms.accreditation.models import Case
from ikms.core.formatting import date_text
from ikms.crosschecks.choices import Check, LineResult, Problem
from ikms.crosschecks.models import OfferLine, OfferListImport
from ikms.psychologists.choices import PsychologistStatus, WorkArea
from ikms.psychologists.models import Certificate
from ikms.registry.choices import InstitutionStatus, LicenceStatus
from ikms.registry.models import Accreditation, Institution, Programme

#: An accreditation term ending within this many months is reported.
ENDING_MONTHS = 6


@dataclass
class Found:
    problem: str
    evidence_lv: str
    evidence_en: str
    institution: Institution | None = None
    link: str = ""

    @property
    def municipality_id(self) -> int | None:
        return self.institution.municipality_id if self.institution else None


def both(message, params: dict) -> tuple[str, str]:
    """A lazy message with its %-parameters in Latvian and in English: dates written and lists joined in each
    language (a list's items are lazy texts or models named in the language)."""
    out = []
    for language in ("lv", "en"):
        with translation.override(language):
            values = {
                k: date_text(v) if isinstance(v, dt.date) else ", ".join(str(i) for i in v) if isinstance(v, list)
                else str(v) if isinstance(v, Promise | Model) else v
                for k, v in params.items()
            }
            out.append(str(message) % values)
    return out[0], out[1]


def normalise_address(address: str) -> str:
    """An address folded for comparison: case, punctuation and spacing ignored."""
    return " ".join(re.sub(r"[^\w]+", " ", address.casefold()).split())


def _institution_link(institution: Institution) -> str:
    return reverse("registry:institution-detail", args=[institution.pk])


# --- 1. Psychologists and support staff -------------------------------------------------------------------------

POSITION_LABELS = {
    "psychologist": _("psychologist"),
    "speech_therapist": _("speech therapist"),
    "special_educator": _("special educator"),
    "social_pedagogue": _("social pedagogue"),
    "teacher_assistant": _("teacher's assistant"),
}


def psychologists(today: dt.date, *, lake_root: Path | None = None) -> tuple[list[Found], str]:
    """Returns the findings and a note on what the data allowed (the school year checked, or that none is held)."""
    root = Path(lake_root or settings.IKMS_LAKE_DIR)
    years = school_years(root)
    if not years:
        return [], "no_staff_data"
    year = years[-1]
    counts = staff_counts(root, year)
    found: list[Found] = []
    reported = counts.distinct("psychologist")
    certified = (
        Certificate.objects.filter(
            area=WorkArea.EDUCATIONAL, issued_on__lte=today, valid_until__gte=today,
            psychologist__status=PsychologistStatus.ACTIVE,
        ).values("psychologist").distinct().count()
    )
    if reported > certified:
        lv, en = both(_(
            "The staff data of %(year)s report %(reported)d people (pseudonymous ids) as psychologists in "
            "institutions; the register of psychologists has %(certified)d active psychologists with a valid "
            "certificate in educational and school psychology on %(day)s."
        ), {"year": year, "reported": reported, "certified": certified, "day": today})
        found.append(Found(Problem.PSYCHOLOGISTS_OVER_REGISTER, lv, en, link=reverse("psychologists:register")))
    institutions = {
        i.registration_number: i
        for i in Institution.objects.filter(
            status=InstitutionStatus.REGISTERED, registration_number__in=list(counts.by_institution)
        ).select_related("municipality")
    }
    positions = [POSITION_LABELS[p] for p in SUPPORT_POSITIONS]
    for number in sorted(counts.by_institution):
        institution = institutions.get(number)
        if institution is None or counts.support(number):
            continue
        staff = len(set().union(*counts.by_institution[number].values()))
        lv, en = both(_("The staff data of %(year)s list %(staff)d people and no %(positions)s."),
                      {"year": year, "staff": staff, "positions": positions})
        found.append(Found(Problem.NO_SUPPORT_STAFF, lv, en, institution, _institution_link(institution)))
    return found, year


# --- 2. Institution addresses and places of implementation ---------------------------------------------------


def _institution_places(institution: Institution, items: list[Programme]) -> list[Found]:
    found: list[Found] = []
    home = normalise_address(institution.address)
    any_home = False
    for programme in items:
        link = reverse("registry:programme-detail", args=[programme.pk])
        places_ = list(programme.places.all())
        if not places_:
            lv, en = both(_("Programme %(code)s “%(name)s”, licence %(licence)s: no place of implementation in the "
                            "register."),
                          {"code": programme.code, "name": programme.name, "licence": programme.licence_number})
            found.append(Found(Problem.PROGRAMME_WITHOUT_PLACE, lv, en, institution, link))
            continue
        for place in places_:
            if normalise_address(place.address) == home or place.municipality_id == institution.municipality_id:
                any_home = True
            if place.municipality_id != institution.municipality_id:
                lv, en = both(_(
                    "Programme %(code)s, licence %(licence)s: place “%(address)s” is in %(place_municipality)s; "
                    "the institution is in %(municipality)s (%(home)s)."
                ), {"code": programme.code, "licence": programme.licence_number, "address": place.address,
                    "place_municipality": place.municipality, "municipality": institution.municipality,
                    "home": institution.address})
                found.append(Found(Problem.PLACE_OTHER_MUNICIPALITY, lv, en, institution, link))
    if not any_home and any(p.places.all() for p in items):
        lv, en = both(_(
            "None of the %(count)d licensed programmes has a place of implementation at %(home)s or in "
            "%(municipality)s."
        ), {"count": len(items), "home": institution.address, "municipality": institution.municipality})
        found.append(Found(Problem.NO_PLACE_AT_INSTITUTION, lv, en, institution, _institution_link(institution)))
    return found


def places(today: dt.date) -> list[Found]:
    programmes = (
        Programme.objects.filter(status=LicenceStatus.LICENSED, institution__status=InstitutionStatus.REGISTERED)
        .select_related("institution__municipality")
        .prefetch_related("places__municipality")
        .order_by("institution__name", "code", "id")
    )
    by_institution: dict[int, list[Programme]] = defaultdict(list)
    for programme in programmes:
        by_institution[programme.institution_id].append(programme)
    found: list[Found] = []
    for items in by_institution.values():
        found += _institution_places(items[0].institution, items)
    return found


# --- 3. Accreditation terms ending within six months ---------------------------------------------------------

OPEN_CASE_STATES = tuple(set(CaseState.values) - {CaseState.DECIDED, CaseState.WITHDRAWN})


def accreditation(today: dt.date) -> list[Found]:
    until = today + relativedelta(months=ENDING_MONTHS)
    latest: dict[int, Accreditation] = {}
    for a in (Accreditation.objects.filter(institution__status=InstitutionStatus.REGISTERED)
              .select_related("institution__municipality").order_by("institution_id", "-valid_from", "-id")):
        latest.setdefault(a.institution_id, a)
    ending = {k: a for k, a in latest.items()
              if a.valid_until is not None and today <= a.valid_until <= until and a.state != "refused"}
    cases = {c.institution_id: c for c in Case.objects.filter(institution_id__in=list(ending),
                                                               state__in=OPEN_CASE_STATES).order_by("-id")}
    found = []
    for a in sorted(ending.values(), key=lambda a: (a.valid_until, a.institution.name)):
        case = cases.get(a.institution_id)
        if case is None:
            lv, en = both(_("Accredited until %(day)s; no accreditation case is open."), {"day": a.valid_until})
            found.append(Found(Problem.ACCREDITATION_ENDING, lv, en, a.institution,
                               _institution_link(a.institution)))
        else:
            lv, en = both(_("Accredited until %(day)s; accreditation case %(case)s is open (%(state)s)."),
                          {"day": a.valid_until, "case": case.pk, "state": CaseState(case.state).label})
            found.append(Found(Problem.ACCREDITATION_ENDING_CASE_OPEN, lv, en, a.institution,
                               reverse("accreditation:case-detail", args=[case.pk])))
    return found


# --- 4. Offer lists -----------------------------------------------------------------------------------------


def offer_lists(today: dt.date) -> list[Found]:
    """Each provider's latest offer list (of the last year) with lines that did not match the registers."""
    since = today - relativedelta(years=1)
    latest: dict[str, int] = {}
    rows = (OfferLine.objects.filter(offer_list__checked_on__gte=since, offer_list__checked_on__lte=today)
            .values_list("provider_number", "offer_list_id").distinct())
    for number, offer_list_id in rows:
        latest[number] = max(offer_list_id, latest.get(number, 0))
    found: list[Found] = []
    if not latest:
        return found
    stats: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    for number, offer_list_id, result in OfferLine.objects.filter(
            offer_list_id__in=set(latest.values())).values_list("provider_number", "offer_list_id", "result"):
        if latest.get(number) != offer_list_id:
            continue
        stat = stats[(number, offer_list_id)]
        stat[0] += 1
        stat[1] += result != LineResult.OK
    institutions = {i.registration_number: i for i in Institution.objects.filter(
        registration_number__in=list(latest)).select_related("municipality")}
    imports = OfferListImport.objects.in_bulk({k[1] for k in stats})
    for (number, offer_list_id), (lines, bad) in sorted(stats.items()):
        if not bad:
            continue
        offer = imports[offer_list_id]
        lv, en = both(_(
            "%(bad)d of %(lines)d lines of provider %(number)s in “%(file)s” (checked on %(day)s) do not match the "
            "registers."
        ), {"bad": bad, "lines": lines, "number": number, "file": offer.file_name, "day": offer.checked_on})
        found.append(Found(Problem.OFFER_LIST_MISMATCHES, lv, en, institutions.get(number),
                           reverse("crosschecks:provider-report", args=[number])))
    return found


def run_all(today: dt.date) -> tuple[dict[str, list[Found]], dict[str, str]]:
    """Every check's findings, and notes on what the data allowed."""
    psych, year = psychologists(today)
    return (
        {Check.PSYCHOLOGISTS: psych, Check.PLACES: places(today), Check.ACCREDITATION: accreditation(today),
         Check.OFFER_LISTS: offer_lists(today)},
        {Check.PSYCHOLOGISTS: year},
    )

