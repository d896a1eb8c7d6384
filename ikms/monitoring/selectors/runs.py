"""Computation runs and the one rule of which run is current: the school years held, the state key of the
results (the cache key of everything built from them), `current(year)`, the 'data as of' line and the runs a
user may see.

"Current" values of a school year are those of its latest complete (country-wide) run, overlaid, for
the institutions they cover, by later single-institution recomputations (one rule: `current`). Runs never
change once done, so the heavier aggregates are cached under `state_key`."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ikms.monitoring import permissions
from ikms.monitoring.labels import source_label
from ikms.monitoring.models import ComputationRun
from ikms.monitoring.selectors.definitions import indicators, rules
from ikms.monitoring.selectors.scope import institutions_for_monitoring

#: How long aggregates built from a results state (distributions, rankings) stay cached, in seconds.
CACHE_SECONDS = 3600

#: Within one request (ResultsMemoMiddleware) the list of done runs is read once; elsewhere (commands, tests
#: calling selectors directly) every call reads the database, so nothing can go stale.
_memo: ContextVar[dict | None] = ContextVar("ikms_results_memo", default=None)
RUN_FIELDS = ("id", "school_year", "scope", "started_at", "finished_at", "catalogue_version", "status", "engine")


def _done_runs() -> list[ComputationRun]:
    memo = _memo.get()
    if memo is not None and "runs" in memo:
        return memo["runs"]
    runs = list(ComputationRun.objects.filter(status=ComputationRun.Status.DONE).only(*RUN_FIELDS)
                .order_by("started_at", "id"))
    if memo is not None:
        memo["runs"] = runs
    return runs


@contextlib.contextmanager
def results_memo() -> Iterator[None]:
    """Within the block, the list of computation runs is read once (a request; a warm-up of the result pages)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


class ResultsMemoMiddleware:
    """Reads the list of computation runs once per request (every selector needs it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with results_memo():
            return self.get_response(request)


def school_years() -> list[str]:
    """School years with a complete run, oldest first."""
    return sorted({r.school_year for r in _done_runs() if not r.scope})


def latest_year() -> str | None:
    years = school_years()
    return years[-1] if years else None


def full_run(year: str) -> ComputationRun | None:
    """The latest complete run of the school year."""
    return run_state(year)[0]


def run_state(year: str) -> tuple[ComputationRun | None, list[ComputationRun]]:
    """The latest complete run of the school year and the single-institution runs started after it, oldest
    first (None, [] without a complete run); `current` says which of them holds each institution's results."""
    runs = [r for r in _done_runs() if r.school_year == year]
    full = [r for r in runs if not r.scope]
    if not full:
        return None, []
    run = full[-1]
    return run, [r for r in runs if r.scope and r.started_at > run.started_at]


def state_key(*years: str) -> str:
    """A key that changes whenever the current results of any of the years change (a new complete run or a
    single-institution recomputation): the cache key of every page part built from them."""
    parts = []
    for year in years or tuple(school_years()):
        run, partials = run_state(year)
        parts.append(f"{year}:" + ",".join(f"{r.pk}.{r.started_at.timestamp()}" for r in ([run] if run else [])
                                           + partials))
    return hashlib.sha1("|".join(parts).encode(), usedforsecurity=False).hexdigest()[:20]


@dataclass(frozen=True)
class Current:
    """Which run holds the current results of a school year, unit by unit: the latest complete run, overlaid,
    for the institutions they cover, by later single-institution runs (the latest of them wins). The one rule
    behind `values()`, `risk_flags()`, `rules_not_evaluated()` and the public profiles; each reads its rows as
    suits its index and keeps those `holds` accepts."""

    run: ComputationRun
    redone: dict[str, int]  # institution → id of the latest later run that recomputed it

    def run_ids(self, units: Iterable[str] | None = None) -> list[int]:
        """The runs to read for these units (all units: None): the complete run and the later runs covering any."""
        wanted = None if units is None else set(units)
        return [self.run.pk, *sorted({r for u, r in self.redone.items() if wanted is None or u in wanted})]

    def holds(self, run_id: int, unit: str) -> bool:
        """Whether a row of run `run_id` for `unit` is current."""
        return self.redone.get(unit, self.run.pk) == run_id


def current(year: str) -> Current | None:
    """The current results of a school year (see `Current`); None when the year has no complete run."""
    run, partials = run_state(year)
    if run is None:
        return None
    redone: dict[str, int] = {}
    for partial in partials:  # oldest first: a later recomputation of an institution wins
        redone.update(dict.fromkeys(partial.scope, partial.pk))
    return Current(run=run, redone=redone)


def run_summary(year: str, *, user) -> dict | None:
    """The 'data as of' line of a page: the run, its spec version, the snapshot's newest file date and the
    later single-institution recomputations the user may see (runs_visible_to; none for the public: None)."""
    run, partials = run_state(year)
    if run is None:
        return None
    if partials and (user is None or not permissions.RUN.sees_everything(user)):
        visible = set() if user is None else set(
            runs_visible_to(user).filter(pk__in=[p.pk for p in partials]).values_list("pk", flat=True))
        partials = [p for p in partials if p.pk in visible]
    newest = ""
    snapshot = ComputationRun.objects.filter(pk=run.pk).values_list("snapshot", flat=True).first() or {}
    for stamps in snapshot.values():
        for stamp in stamps:
            modified = stamp.get("modified", "") if isinstance(stamp, dict) else ""
            newest = max(newest, modified)
    return {"run": run, "year": year, "version": run.catalogue_version[:12], "finished_at": run.finished_at,
            "data_as_of": newest[:19].replace("T", " "), "datasets": sorted(snapshot.keys()),
            "partials": partials}


def skipped_lines(run: ComputationRun | None) -> list[str]:
    """What a run left out, in words (indicators and rules whose data were received for nobody)."""
    if run is None:
        return []
    indicators_, rules_ = indicators(), rules()
    lines = []
    for skip in run.skipped or []:
        code = skip.get("code", "")
        name = (rules_[code].name if code in rules_ else indicators_[code].name if code in indicators_ else code)
        if skip.get("reason") == "not_received":
            why = _("no data received for %(year)s: %(sources)s") % {
                "year": skip.get("school_year", run.school_year),
                "sources": ", ".join(source_label(s) for s in skip.get("datasets", []))}
        elif skip.get("reason") == "missing_columns":
            why = _("the data lack the columns %(columns)s") % {"columns": ", ".join(skip.get("columns", []))}
        else:
            why = _("its risk rule could not be computed")
        lines.append(f"{name}: {why}")
    return lines


def runs_visible_to(user) -> QuerySet[ComputationRun]:
    """Computation runs the user may see (ADR 0016), newest first: every run for IKVD staff; for founders and
    heads the complete (country-wide) runs and the single-institution recomputations that touched one of their
    institutions (never another institution's recomputation); nobody else any."""
    qs = ComputationRun.objects.order_by("-started_at", "-id")
    if permissions.RUN.sees_everything(user):
        return qs
    if not permissions.RUN.may_open(user):
        return qs.none()
    numbers = set(institutions_for_monitoring(user).values_list("registration_number", flat=True))
    partial = [pk for pk, scope in ComputationRun.objects.exclude(scope=[]).values_list("pk", "scope")
               if numbers.intersection(scope or [])]
    return qs.filter(Q(scope=[]) | Q(pk__in=partial))


def run_get_for_user(user, pk: int) -> ComputationRun:
    try:
        return runs_visible_to(user).get(pk=pk)
    except (ComputationRun.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
