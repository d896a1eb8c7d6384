"""Risk flags and rules not evaluated (current ones, through `runs.current`), the ranked risk list and the visit
plan, each scoped to what the user may see."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.cache import cache as django_cache
from django.db.models import Count, Max, QuerySet

from ikms.monitoring import permissions, supervision
from ikms.monitoring.labels import not_received_label
from ikms.monitoring.models import ComputationRun, RiskFlag, RuleNotEvaluated, VisitPlanEntry, VisitReason
from ikms.monitoring.selectors.definitions import rules
from ikms.monitoring.selectors.runs import CACHE_SECONDS, current, state_key
from ikms.monitoring.selectors.scope import (
    institutions_for_monitoring,
    risk_flag_institutions_visible_to,
    scope_key,
)
from ikms.registry.models import Institution


@dataclass
class RiskEntry:
    institution: Institution
    flags: list[RiskFlag]
    score: int
    planned: VisitPlanEntry | None = None
    supervision: tuple = ()  # notes of the supervision providers (ikms.monitoring.supervision)

    @property
    def rule_codes(self) -> list[str]:
        return sorted({f.rule for f in self.flags})


def _current(model, year: str, institutions: Iterable[str] | None = None) -> list:
    """Current rows of a per-institution result model (RiskFlag, RuleNotEvaluated) for a school year (see
    `Current`), ordered by institution and rule, in one query."""
    now = current(year)
    if now is None:
        return []
    inst = list(institutions) if institutions is not None else None
    qs = model.objects.filter(run_id__in=now.run_ids(inst))
    if inst is not None:
        qs = qs.filter(institution__in=inst)
    return [r for r in qs.order_by("institution", "rule", "id") if now.holds(r.run_id, r.institution)]


def risk_flags(year: str, institutions: Iterable[str] | None = None) -> list[RiskFlag]:
    """Current flags of a school year (latest complete run, overlaid by later single-institution runs)."""
    return _current(RiskFlag, year, institutions)


def risk_flags_visible_to(user, year: str, institutions: Iterable[str] | None = None) -> list[RiskFlag]:
    """The current flags of a school year (see `risk_flags`) on the institutions the user may see, optionally
    only some institutions (registration numbers). Pages and the API read flags only through this."""
    visible = risk_flag_institutions_visible_to(user)
    if institutions is not None:
        visible = visible.filter(registration_number__in=list(institutions))
    numbers = set(visible.values_list("registration_number", flat=True))
    if not numbers:
        return []
    everything = institutions is None and permissions.RISK_FLAG.sees_everything(user)
    return [f for f in risk_flags(year, None if everything else sorted(numbers)) if f.institution in numbers]


def risk_flag_get_for_user(user, pk: int) -> RiskFlag:
    """One flag of a finished run (current or not) on an institution the user may see; Http404 otherwise."""
    flags = RiskFlag.objects.filter(run__status=ComputationRun.Status.DONE,
                                    institution__in=risk_flag_institutions_visible_to(user).values("registration_number"))
    return permissions.RISK_FLAG.get(user, flags, pk=pk)


def rules_not_evaluated(year: str, institutions: Iterable[str] | None = None) -> list[RuleNotEvaluated]:
    """Current "not evaluated" rows of a school year: a rule that could not decide an institution because
    data it needs were not received (neither a flag nor a pass)."""
    return _current(RuleNotEvaluated, year, institutions)


def rules_not_evaluated_visible_to(user, year: str, institutions: Iterable[str]) -> list[RuleNotEvaluated]:
    """The current "not evaluated" rows of some institutions (registration numbers) whose risk flags the user
    may see (the RISK_FLAG policy covers rules not evaluated too)."""
    numbers = set(risk_flag_institutions_visible_to(user).filter(registration_number__in=list(institutions))
                  .values_list("registration_number", flat=True))
    return [r for r in rules_not_evaluated(year, sorted(numbers)) if r.institution in numbers] if numbers else []


def risk_score(rule_codes: Iterable[str]) -> int:
    """An institution's risk score: the sum of the importance of the distinct rules it triggers (high 3,
    medium 2, low 1; a rule no longer in the catalogue counts 1). The national risk list and a municipality's
    ranking both score with this."""
    info = rules()
    return sum(info[r].weight if r in info else 1 for r in set(rule_codes))


def risk_rank_key(*, score: int, flags: int, name: str) -> tuple:
    """The order of a risk ranking: highest score first, ties by the number of flags, then by name."""
    return (-score, -flags, name)


@dataclass
class NotEvaluatedSummary:
    """Per rule: how many of the user's institutions it could not evaluate, and why (reason -> count)."""

    rule: str
    count: int
    reasons: list[tuple[str, int]]
    institutions: list[str]


def not_evaluated_summary(*, user, year: str, municipality: str | None = None,
                          type_code: str | None = None) -> list[NotEvaluatedSummary]:
    """For the risk list: per rule, the visible institutions it could not evaluate, with the reasons counted."""
    visible = institutions_for_monitoring(user, municipality=municipality, type_code=type_code)
    numbers = set(visible.values_list("registration_number", flat=True))
    per_rule: dict[str, list[RuleNotEvaluated]] = defaultdict(list)
    for row in rules_not_evaluated(year):
        if row.institution in numbers:
            per_rule[row.rule].append(row)
    out = []
    for rule, rows in sorted(per_rule.items()):
        reasons = Counter(not_received_label(str(s), str(y)) for row in rows for s, y in row.missing)
        out.append(NotEvaluatedSummary(rule=rule, count=len(rows), reasons=reasons.most_common(),
                                       institutions=sorted(r.institution for r in rows)))
    return out


# --- the ranked risk list ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    """One line of the cached risk ranking: only numbers, so a cache hit costs almost nothing."""

    number: str
    score: int
    flags: int
    rules: tuple[str, ...]


def risk_ranking(*, user, year: str, municipality: str | None = None, type_code: str | None = None,
                 rule: str | None = None, min_score: int = 0) -> list[Ranked]:
    """Institutions ranked by their triggered rules (weight by importance: high 3, medium 2, low 1; ties by the
    number of flags, then name), cached per results state and filters. The scope and the filters (text a
    client sent) are hashed into the key, which is then valid for any cache backend (memcached allows no spaces
    or control characters and at most 250 characters)."""
    filters = repr((scope_key(user), municipality, type_code, rule, min_score)).encode()
    key = f"ikms:risks:{state_key(year)}:{hashlib.sha1(filters, usedforsecurity=False).hexdigest()[:20]}"
    ranked = django_cache.get(key)
    if ranked is None:
        ranked = [Ranked(number=e.institution.registration_number, score=e.score, flags=len(e.flags),
                         rules=tuple(e.rule_codes))
                  for e in _rank(user=user, year=year, municipality=municipality, type_code=type_code, rule=rule,
                                 min_score=min_score)]
        django_cache.set(key, ranked, CACHE_SECONDS)
    return ranked


def risk_entries(*, user, year: str, ranked: Sequence[Ranked]) -> list[RiskEntry]:
    """The full entries (institution, flags with evidence, visit planned) of some ranked lines, in their order."""
    numbers = [r.number for r in ranked]
    institutions = {i.registration_number: i for i in institutions_for_monitoring(user)
                    .filter(registration_number__in=numbers)}
    flags: dict[str, list[RiskFlag]] = defaultdict(list)
    for f in risk_flags(year, numbers):
        flags[f.institution].append(f)
    planned = {e.institution_id: e for e in VisitPlanEntry.objects.filter(
        status="planned", institution__registration_number__in=numbers)}
    notes = supervision.notes(i.pk for i in institutions.values())
    return [RiskEntry(institution=institutions[r.number], flags=sorted(flags[r.number], key=lambda f: f.rule),
                      score=r.score, planned=planned.get(institutions[r.number].pk),
                      supervision=tuple(notes.get(institutions[r.number].pk, ())))
            for r in ranked if r.number in institutions]


def risk_list(*, user, year: str, municipality: str | None = None, type_code: str | None = None,
              rule: str | None = None, min_score: int = 0) -> list[RiskEntry]:
    """Every ranked institution with its flags and planned visit (exports and the API; pages use
    risk_ranking + risk_entries for the lines they show)."""
    ranked = risk_ranking(user=user, year=year, municipality=municipality, type_code=type_code, rule=rule,
                          min_score=min_score)
    return risk_entries(user=user, year=year, ranked=ranked)


def _rank(*, user, year: str, municipality: str | None, type_code: str | None, rule: str | None,
          min_score: int) -> list[RiskEntry]:
    visible = institutions_for_monitoring(user, municipality=municipality, type_code=type_code)
    by_number = {i.registration_number: i for i in visible}
    grouped: dict[str, list[RiskFlag]] = defaultdict(list)
    for f in risk_flags(year):
        if f.institution in by_number:
            grouped[f.institution].append(f)
    entries = []
    for number, flags in grouped.items():
        if rule and rule not in {f.rule for f in flags}:
            continue
        score = risk_score(f.rule for f in flags)
        if score < min_score:
            continue
        entries.append(RiskEntry(institution=by_number[number], flags=sorted(flags, key=lambda f: f.rule),
                                 score=score))
    entries.sort(key=lambda e: risk_rank_key(score=e.score, flags=len(e.flags), name=e.institution.name))
    return entries


# --- the visit plan ------------------------------------------------------------------------------------------


def visit_plan(*, status: str | None = None, reason: str | None = None) -> QuerySet[VisitPlanEntry]:
    """The whole visit plan (the pages and the API scope it with `visits_visible_to`)."""
    qs = VisitPlanEntry.objects.select_related("institution", "institution__municipality", "created_by")
    if status:
        qs = qs.filter(status=status)
    if reason:
        qs = qs.filter(reason=reason)
    return qs.order_by("planned_date", "id")


def visits_visible_to(user, *, status: str | None = None, reason: str | None = None) -> QuerySet[VisitPlanEntry]:
    """The visit plan entries the user may see (permissions.VISIT)."""
    return permissions.VISIT.scope(user, visit_plan(status=status, reason=reason))


def visit_get_for_user(user, pk) -> VisitPlanEntry:
    """One visit plan entry the user may see, or Http404."""
    return permissions.VISIT.get(user, visit_plan(), pk=pk)


def visit_plan_stamp() -> str:
    """A key that changes whenever the visit plan does (the number of entries and the latest change): part of
    the cache key of the risk list, which shows the planned visits."""
    plan = VisitPlanEntry.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return f"{plan['n']}:{plan['last'].timestamp() if plan['last'] else 0}:{supervision.stamp()}"


def visit_reason_counts(entries: QuerySet[VisitPlanEntry]) -> dict[str, int]:
    """How many of the entries have each reason, by the reason's label (one query each)."""
    return {r.label: entries.filter(reason=r.value).count() for r in VisitReason}
