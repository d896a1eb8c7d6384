"""The school risk scores (issue 17): the stored scores of a school year, nationally and scoped like the risk
flags (permissions.RISK_FLAG: who sees an institution's flags sees its score), the current model with its
back-test, a score's factors in plain words, and the risk list ordered by the score."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.http import Http404
from django.utils.translation import get_language

from analytics.risk_score.features import Definition, load_definition
from analytics.risk_score.model import factor_text
from ikms.monitoring.models import RiskModelVersion, RiskScore
from ikms.monitoring.selectors.scope import risk_flag_institutions_visible_to


@lru_cache(maxsize=1)
def score_definition() -> Definition:
    """The score's definition file (features, labels, settings)."""
    return load_definition()


def risk_scores_for(year: str) -> dict[str, RiskScore]:
    """Every stored score of a school year (national, unscoped: for services and other selectors that scope
    themselves), registration number -> `RiskScore` (scored and not scored)."""
    return {s.institution: s for s in RiskScore.objects.filter(school_year=year)}


def risk_scores_visible_to(user, year: str) -> dict[str, RiskScore]:
    """The stored scores of a school year on the institutions whose risk flags the user may see."""
    numbers = risk_flag_institutions_visible_to(user).values_list("registration_number", flat=True)
    return {s.institution: s for s in RiskScore.objects.filter(school_year=year, institution__in=list(numbers))}


def risk_score_get_for_user(user, registration_number: str, year: str) -> RiskScore:
    """One institution's score of a school year; 404 where there is none or the user may not see its flags."""
    if not risk_flag_institutions_visible_to(user).filter(registration_number=registration_number).exists():
        raise Http404
    found = RiskScore.objects.filter(school_year=year, institution=registration_number).first()
    if found is None:
        raise Http404
    return found


def risk_score_years() -> list[str]:
    """The school years with stored scores, oldest first."""
    return sorted(set(RiskScore.objects.values_list("school_year", flat=True)))


def risk_model_current() -> RiskModelVersion | None:
    """The newest trained model with its back-test (None before `risk_model_train`)."""
    return RiskModelVersion.objects.first()


@dataclass(frozen=True)
class Factor:
    code: str
    label: str
    text: str
    contribution: float
    value: float | None


def score_factors(score: RiskScore) -> list[Factor]:
    """The factors of a score in plain words (active language), the largest contributions (either way) first."""
    d = score_definition()
    lang = "en" if (get_language() or "lv").startswith("en") else "lv"
    known = set(d.codes)
    factors = [Factor(code, d.feature(code).label[lang], factor_text(d, code, c, lang), c,
                      (score.values or {}).get(code))
               for code, c in (score.contributions or {}).items() if code in known]
    return sorted(factors, key=lambda f: (-abs(f.contribution), f.code))


def order_by_score(ranked: Sequence, scores: dict[str, RiskScore]) -> list:
    """Risk list lines (anything with ``number``) ordered by the score, highest first, when the year has scores;
    lines not scored follow in their rule order. Without scores the rule order stays."""
    if not any(s.status == RiskScore.Status.SCORED for s in scores.values()):
        return list(ranked)

    def key(pair):
        position, line = pair
        s = scores.get(line.number)
        scored = s is not None and s.probability is not None
        return (0 if scored else 1, -(s.probability or 0.0) if scored else 0.0, position)

    return [line for _, line in sorted(enumerate(ranked), key=key)]
