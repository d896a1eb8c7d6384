"""The person's education history from the monitoring data, ready to keep with a request: the lake's look-up
(analytics/lake/history.py, by the pseudonymous learner id) with the institutions' names from the register and the
programmes' names from the register's licences (or, for a programme the register does not hold, its type in the
Latvian Education Classification). The personal code is turned into the lake's pseudonym here and goes no further.

The result is plain JSON (dates as ISO text), so it can be stored as it was found."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.views.decorators.debug import sensitive_variables

from analytics.imports.pseudonym import pseudonymise
from analytics.lake.history import education_history
from ikms.core.personal_codes import personal_code_digits
from ikms.registry.models import Institution, Programme
from ikms.registry.validators import programme_type_for


@sensitive_variables("personal_code")
def learner_pseudonym(personal_code: str) -> str:
    """The lake's learner id of a personal code: the keyed hash the imports compute (IKMS_PSEUDONYM_KEY)."""
    key = getattr(settings, "IKMS_PSEUDONYM_KEY", "")
    if not key:
        raise ImproperlyConfigured("IKMS_PSEUDONYM_KEY is not set")
    return pseudonymise(personal_code_digits(personal_code), str(key).encode("utf-8"))


def _programme_names(pairs: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    if not pairs:
        return {}
    qs = (
        Programme.objects.filter(
            institution__registration_number__in={i for i, _ in pairs}, code__in={c for _, c in pairs}
        )
        .select_related("institution")
        .order_by("licence_date", "id")
    )
    return {(p.institution.registration_number, p.code): p.name for p in qs}  # the newest licence's name wins


def _classification(code: str) -> tuple[str, str]:
    row = programme_type_for(code or "") or {}
    return str(row.get("name_lv", "")), str(row.get("name_en", ""))


@sensitive_variables("personal_code")
def find_history(personal_code: str, *, lake_root: Path | None = None) -> dict:
    """What the monitoring data hold on the person with this personal code (JSON)."""
    history = education_history(Path(lake_root or settings.IKMS_LAKE_DIR), learner_pseudonym(personal_code))
    numbers = {e.institution for e in history.enrolments} | {g.institution for g in history.graduations}
    names = dict(Institution.objects.filter(registration_number__in=numbers).values_list("registration_number", "name"))
    programmes = _programme_names({(e.institution, e.programme_code) for e in history.enrolments})
    enrolments = []
    for e in history.enrolments:
        type_lv, type_en = _classification(e.programme_code)
        enrolments.append(
            {
                "institution": e.institution,
                "institution_name": names.get(e.institution, ""),
                "programme_code": e.programme_code,
                "programme_name": programmes.get((e.institution, e.programme_code), ""),
                "programme_type_lv": type_lv,
                "programme_type_en": type_en,
                "level": e.level,
                "first_grade": e.first_grade,
                "last_grade": e.last_grade,
                "start_date": e.start_date.isoformat(),
                "end_date": e.end_date.isoformat() if e.end_date else None,
                "first_school_year": e.first_school_year,
                "last_school_year": e.last_school_year,
            }
        )
    graduations = [
        {
            "institution": g.institution,
            "institution_name": names.get(g.institution, ""),
            "level": g.level,
            "school_year": g.school_year,
        }
        for g in history.graduations
    ]
    return {
        "enrolments": enrolments,
        "graduations": graduations,
        "coverage": list(history.coverage),
        "graduate_coverage": list(history.graduate_coverage),
    }
