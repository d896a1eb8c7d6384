"""Running the analytics engine and storing its results in the web database.

The analytics package computes (DuckDB by default, Spark unchanged); this module only triggers a
run, records its provenance and writes the values and flags in one transaction."""

import dataclasses
import datetime
import math
import os
import secrets
import socket
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pandas as pd
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.lake.coverage import read_coverage
from analytics.planning.visits import Basis, Candidate, expert_days, plan_visits
from analytics.spec.periods import SchoolYear
from ikms.accounts.permissions import require_role
from ikms.core.audit import audit_log
from ikms.core.exceptions import ApplicationError
from ikms.monitoring import supervision
from ikms.monitoring.lake import lake_refresh, lake_years
from ikms.monitoring.models import (
    ComputationRun,
    IndicatorValue,
    RiskFlag,
    RiskModelVersion,
    RiskScore,
    RuleNotEvaluated,
    VisitBasis,
    VisitPlan,
    VisitPlanEdit,
    VisitPlanEntry,
    VisitReason,
    VisitStatus,
)
from ikms.monitoring.permissions import RECOMPUTERS, VISIT_PLANNERS
from ikms.monitoring.selectors.risk_scores import risk_scores_for
from ikms.monitoring.selectors.risks import risk_flags, risk_score, rules_not_evaluated
from ikms.monitoring.signals import results_changed
from ikms.registry.choices import InstitutionStatus
from ikms.registry.models import Institution
from ikms.registry.selectors import accreditation_terms

BATCH = 5000


def _engine(name: str, lake_root: Path):
    if name == "duckdb":
        from analytics.engines import DuckDBEngine

        return DuckDBEngine(lake_root, plan_dir=settings.IKMS_PLAN_DIR)
    if name == "spark":
        from analytics.engines import SparkEngine

        return SparkEngine(lake_root)
    raise ValueError(f"unknown engine {name!r}")


def _num(value: Any) -> float | None:
    if value is None or value is pd.NA:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) or math.isinf(f) else f


def _text(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _semester(value: Any) -> int | None:
    number = _num(value)
    return int(number) if number is not None else None


class NoDataReceivedError(ApplicationError):
    """A computation refused: no data received for the school year."""

    def __init__(self, school_year: str) -> None:
        self.school_year = school_year
        super().__init__(self.text())

    def text(self) -> str:
        """The message in the active language."""
        return _("No data have been received for the school year %(year)s, so nothing was computed. Import the "
                 "data first (import_data).") % {"year": self.school_year}


def _worker() -> str:
    """This process, as a run records it: host, process id and the process's start time (so a reused process
    id is not taken for the process that started the run)."""
    return f"{socket.gethostname()}:{os.getpid()}:{_process_start(os.getpid())}"


def _process_start(pid: int) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[-1].split()[19]  # field 22: start time in clock ticks after boot


def _worker_alive(worker: str) -> bool:
    """Whether the process that started a run still runs. A run started on another host is taken as alive
    (its own host recovers it)."""
    host, _, rest = worker.partition(":")
    pid_text, _, started = rest.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return host != socket.gethostname()
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not started or _process_start(pid) == started


def runs_recover_interrupted() -> int:
    """Mark failed the runs still "running" whose process is gone (killed, a power cut): their values were
    never committed, so the previous results stay in place. Called when a computation starts and by
    `compute_indicators`. Returns the number of runs marked."""
    marked = 0
    for run in ComputationRun.objects.filter(status=ComputationRun.Status.RUNNING).only("pk", "worker"):
        if run.worker and _worker_alive(run.worker):
            continue
        if not run.worker and ComputationRun.objects.filter(pk=run.pk, started_at__gt=timezone.now() -
                                                            datetime.timedelta(hours=12)).exists():
            continue  # a run from before workers were recorded: left alone for half a day
        marked += ComputationRun.objects.filter(pk=run.pk, status=ComputationRun.Status.RUNNING).update(
            status=ComputationRun.Status.FAILED, finished_at=timezone.now(),
            error="Interrupted: the process running the computation stopped before it finished. / "
                  "Pārtraukts: process, kas veica aprēķinu, apstājās pirms tā beigām.")
    return marked


def indicators_compute(*, school_year: str, engine: str = "duckdb", institutions: list[str] | None = None,
                       actor=None, lake_root: Path | None = None) -> ComputationRun:
    """Compute every indicator and risk flag for a school year (or only some institutions) and store them.

    What the web application writes into the lake is written first (`lake_refresh`: the register snapshot, then
    the datasets other apps register, such as the complaints received). A year without any data received is
    refused (ApplicationError, nothing stored). Values, flags and the rules' "not evaluated" rows are written
    in one transaction at the end: a computation that dies midway leaves the previous results in place, and
    its run is marked failed on the next start (`runs_recover_interrupted`).

    `actor` None is the system (the commands, background tasks, the demo); a user given as the actor (a
    recomputation started from the web) must hold one of RECOMPUTERS (PermissionDeniedError naming them)."""
    from analytics.run import NoDataError, compute

    if actor is not None:
        require_role(actor, *RECOMPUTERS)
    lake_root = Path(lake_root or settings.IKMS_LAKE_DIR)
    runs_recover_interrupted()
    year = SchoolYear.parse(school_year)
    no_data = NoDataReceivedError(year.label)
    if not any(read_coverage(lake_root)["school_year"] == year.label):
        raise no_data
    lake_refresh(years=sorted(lake_years(lake_root) | {year.label, year.previous.label}), lake_root=lake_root)
    run = ComputationRun.objects.create(school_year=school_year, engine=engine, catalogue_version="",
                                        scope=sorted(institutions or []), started_at=timezone.now(),
                                        triggered_by=actor if getattr(actor, "pk", None) else None, worker=_worker())
    started = time.perf_counter()
    try:
        result = compute(lake_root, school_year, _engine(engine, lake_root), institutions=institutions)
    except Exception as exc:
        run.status = ComputationRun.Status.FAILED
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at", "updated_at"])
        if isinstance(exc, NoDataError):
            raise no_data from exc
        raise
    with transaction.atomic():
        values = [
            IndicatorValue(
                run=run, school_year=school_year, indicator=row.indicator, version=row.version, grain=row.grain,
                unit=str(row.unit), semester=_semester(getattr(row, "semester", None)),
                level=_text(getattr(row, "level", None)), category=_text(getattr(row, "category", None)),
                value=_num(row.value), numerator=_num(getattr(row, "numerator", None)),
                denominator=_num(getattr(row, "denominator", None)), suppressed=bool(row.suppressed))
            for row in result.values.itertuples(index=False)
        ]
        IndicatorValue.objects.bulk_create(values, batch_size=BATCH)
        flags = [RiskFlag(run=run, school_year=school_year, rule=row.rule, version=row.version,
                          institution=str(row.institution), evidence=_jsonable(row.evidence))
                 for row in result.flags.itertuples(index=False)]
        RiskFlag.objects.bulk_create(flags, batch_size=BATCH)
        RuleNotEvaluated.objects.bulk_create(
            [RuleNotEvaluated(run=run, school_year=school_year, rule=row.rule, version=row.version,
                              institution=str(row.institution), missing=_jsonable(row.missing))
             for row in result.not_evaluated.itertuples(index=False)], batch_size=BATCH)
        run.catalogue_version = result.catalogue_version
        run.snapshot = _jsonable(result.snapshot)
        run.skipped = _jsonable(result.skipped)
        run.rule_counts = _jsonable(result.rule_counts)
        run.status = ComputationRun.Status.DONE
        run.finished_at = timezone.now()
        run.duration_s = time.perf_counter() - started
        run.value_count, run.flag_count = len(values), len(flags)
        run.save()
        audit_log(actor=actor, action="monitoring.compute", target=run,
                  data={"school_year": school_year, "engine": engine, "scope": run.scope,
                        "values": len(values), "flags": len(flags), "version": run.catalogue_version,
                        "not_evaluated": len(result.not_evaluated), "skipped": len(result.skipped)})
        # the result pages' cache is warmed for the new results (ikms.monitoring.warm), once they are committed
        transaction.on_commit(lambda: results_changed.send(sender=ComputationRun, run=run))
    return run


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _jsonable(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return _jsonable(value.item())
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


# --- the visit plan ------------------------------------------------------------------------------------------


def visit_plan_add(*, actor, institution, planned_date, reason: str, note: str = "",
                   school_year: str = "") -> VisitPlanEntry:
    """Put an institution on the visit plan; the risk rules it is flagged by in `school_year` are kept with it.
    The actor must hold one of VISIT_PLANNERS (PermissionDeniedError naming them)."""
    require_role(actor, *VISIT_PLANNERS)
    errors = {}
    if reason not in VisitReason.values:
        errors["reason"] = _("Choose a reason for the visit.")
    if planned_date is None:
        errors["planned_date"] = _("Enter the planned date.")
    elif planned_date < timezone.localdate():
        errors["planned_date"] = _("The planned date cannot be in the past.")
    if reason == VisitReason.RISK and not note.strip() and not school_year:
        errors["note"] = _("A risk-based visit needs the school year of the risk data or a justification.")
    if errors:
        raise ValidationError(errors)
    if institution.status != InstitutionStatus.REGISTERED:
        raise ApplicationError(_("Only a registered institution can be put on the visit plan."))
    rules = []
    if school_year:
        rules = sorted(set(RiskFlag.objects.filter(institution=institution.registration_number,
                                                   school_year=school_year,
                                                   run__status=ComputationRun.Status.DONE)
                           .values_list("rule", flat=True)))
    with transaction.atomic():
        if VisitPlanEntry.objects.select_for_update().filter(institution=institution,
                                                              status=VisitStatus.PLANNED).exists():
            raise ApplicationError(_("This institution is already on the visit plan."))
        entry = VisitPlanEntry.objects.create(institution=institution, planned_date=planned_date, reason=reason,
                                              note=note.strip(), school_year=school_year, rules=rules,
                                              created_by=actor)
        audit_log(actor=actor, action="monitoring.visit_planned", target=entry,
                  data={"institution": institution.registration_number, "planned_date": planned_date.isoformat(),
                        "reason": reason, "rules": rules})
    return entry


def visit_plan_set_status(*, actor, entry, status: str, note: str = "") -> VisitPlanEntry:
    """Mark a planned visit as carried out or cancelled (a cancellation needs a reason). The actor must hold
    one of VISIT_PLANNERS (PermissionDeniedError naming them)."""
    require_role(actor, *VISIT_PLANNERS)
    if status not in (VisitStatus.DONE, VisitStatus.CANCELLED):
        raise ValidationError({"status": _("Choose whether the visit was carried out or cancelled.")})
    if status == VisitStatus.CANCELLED and not note.strip():
        raise ValidationError({"note": _("Say why the visit is cancelled.")})
    with transaction.atomic():
        entry = VisitPlanEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.status != VisitStatus.PLANNED:
            raise ApplicationError(_("Only a planned visit can change its status."))
        previous = entry.status
        entry.status, entry.status_note = status, note.strip()
        entry.save(update_fields=["status", "status_note", "updated_at"])
        audit_log(actor=actor, action="monitoring.visit_status", target=entry,
                  data={"from": previous, "to": status, "note": entry.status_note})
    return entry


# --- the visit plan under capacity (issue 17) ------------------------------------------------------------------

#: What `_risk_signal` ranked by, recorded on each plan: the calibrated risk score (followed by its model version)
#: where the school year has been scored, else the sum of the triggered rules' weights.
RISK_SIGNAL = "rule_weights"
SCORE_SIGNAL = "risk_score"
#: The visit reason (VisitReason, the older field every entry has) of each basis the planner gives.
_REASON_OF_BASIS = {Basis.ACCREDITATION_DUE: VisitReason.ACCREDITATION_DUE,
                    Basis.COMPLAINT_OR_ORDER: VisitReason.COMPLAINT, Basis.RISK: VisitReason.RISK,
                    Basis.RANDOM: VisitReason.RANDOM}
#: Months over which the visits of a plan are spread (September to May), the 15th of each.
_PLAN_MONTHS = (9, 10, 11, 12, 1, 2, 3, 4, 5)


def _risk_signal(year: str) -> tuple[str, dict[str, float | None]]:
    """The visit planner's ranking signal from a school year's risk data (registration number -> value, None where
    not scored) and its name. The one place that decides it: the calibrated risk score's probabilities
    (`risk_scores_for`; "not scored" -> None) where the year has scores; otherwise the sum of the rule weights of
    the current flags (`selectors.risk_score`, the risk list's order): an institution with flags scores their sum,
    one without flags but with a rule not evaluated (data not received) is not scored, any other of the run 0."""
    scores = risk_scores_for(year)
    if scores:
        versions = sorted({s.model_version for s in scores.values() if s.model_version})
        name = f"{SCORE_SIGNAL}:{versions[-1]}" if versions else SCORE_SIGNAL
        return name[:40], {n: (float(s.probability) if s.status == "scored" and s.probability is not None else None)
                           for n, s in scores.items()}
    flagged: dict[str, list[str]] = {}
    for f in risk_flags(year):
        flagged.setdefault(f.institution, []).append(f.rule)
    missing = {r.institution for r in rules_not_evaluated(year)}
    numbers = Institution.objects.filter(status=InstitutionStatus.REGISTERED).values_list("registration_number",
                                                                                         flat=True)
    if not flagged and not missing:
        return RISK_SIGNAL, {}
    return RISK_SIGNAL, {n: float(risk_score(flagged[n])) if n in flagged else (None if n in missing else 0.0)
                         for n in numbers}


def _plan_date(year: SchoolYear, index: int, due: datetime.date | None) -> datetime.date:
    """A first date for a proposed visit: a month before an accreditation term ends (not before the year starts),
    otherwise spread over September to May in the order chosen; edited by hand afterwards."""
    if due is not None:
        return max(year.start, due - datetime.timedelta(days=30))
    month = _PLAN_MONTHS[index % len(_PLAN_MONTHS)]
    return datetime.date(year.start_year + (0 if month >= 9 else 1), month, 15)


def _visit_days(institution) -> float:
    return expert_days(institution.type.kind.code, institution.capacity)


def _plan_year(year: str) -> SchoolYear:
    try:
        return SchoolYear.parse(year)
    except ValueError:
        raise ValidationError({"year": _("Enter the plan year as a school year, e.g. 2025/2026.")}) from None


def _decimal(value, field: str, message: str):
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: message}) from None


def visit_plan_propose(*, actor, year: str, capacity, random_share, seed: int | None = None) -> VisitPlan:
    """Propose a draft visit plan for a school year within `capacity` expert-days, `random_share` (0 to 1) of them
    drawn at random with `seed` (drawn here and recorded when not given): the choice is
    analytics.planning.visits.plan_visits over the registered institutions, with their accreditation terms, open
    complaints and orders (ikms.monitoring.supervision) and the ranking signal of the previous year's risk data
    (`_risk_signal`). An earlier draft of the year is replaced (its visits cancelled); an approved plan is not."""
    require_role(actor, *VISIT_PLANNERS)
    plan_year = _plan_year(year)
    capacity = _decimal(capacity, "capacity", _("Enter the expert-days available as a number."))
    random_share = _decimal(random_share, "random_share", _("Enter the random share as a number."))
    errors = {}
    if not 0 < capacity <= 100000:
        errors["capacity"] = _("The expert-days available must be more than 0 and at most 100 000.")
    if not 0 <= random_share <= 1:
        errors["random_share"] = _("The random share must be between 0 and 100 %.")
    if seed is not None and not 0 <= seed < 2**63:
        errors["seed"] = _("The seed must be a whole number from 0 to 9 223 372 036 854 775 807.")
    if errors:
        raise ValidationError(errors)
    seed = secrets.randbits(48) if seed is None else seed
    risk_year = plan_year.previous.label
    with transaction.atomic():
        if VisitPlan.objects.select_for_update().filter(school_year=plan_year.label,
                                                        status=VisitPlan.Status.APPROVED).exists():
            raise ApplicationError(_("The visit plan of this year is already approved; edit it by hand."))
        for old in VisitPlan.objects.select_for_update().filter(school_year=plan_year.label,
                                                                status=VisitPlan.Status.DRAFT):
            old.status = VisitPlan.Status.SUPERSEDED
            old.save(update_fields=["status", "updated_at"])
            for entry in old.entries.filter(status=VisitStatus.PLANNED):
                entry.status, entry.status_note = VisitStatus.CANCELLED, _("Replaced by a newer proposal.")
                entry.save(update_fields=["status", "status_note", "updated_at"])
        busy = set(VisitPlanEntry.objects.filter(status=VisitStatus.PLANNED).values_list("institution_id", flat=True))
        institutions = {i.registration_number: i for i in Institution.objects.filter(
            status=InstitutionStatus.REGISTERED).exclude(pk__in=busy).select_related("type__kind")}
        terms, matters = accreditation_terms(), supervision.open_matters()
        signal_name, signal = _risk_signal(risk_year)
        candidates = [Candidate(number=n, expert_days=_visit_days(i), accreditation_due=terms.get(i.pk),
                                open_complaints=matters.get(i.pk, {}).get("complaints", 0),
                                open_orders=matters.get(i.pk, {}).get("orders", 0), score=signal.get(n))
                      for n, i in sorted(institutions.items())]
        chosen = plan_visits(candidates, year_start=plan_year.start, year_end=plan_year.end,
                             capacity=float(capacity), random_share=float(random_share), seed=seed)
        plan = VisitPlan(school_year=plan_year.label, risk_year=risk_year, signal=signal_name, capacity=capacity,
                         random_share=random_share, seed=seed, created_by=actor,
                         not_fitted=[{"institution": ch.number, **_facts(ch)} for ch in chosen.not_fitted])
        plan.full_clean()
        plan.save()
        rules: dict[str, list[str]] = {}
        for f in risk_flags(risk_year, [ch.number for ch in chosen.chosen]):
            rules.setdefault(f.institution, []).append(f.rule)
        entries = []
        for index, ch in enumerate(chosen.chosen):
            c = ch.candidate
            entry = VisitPlanEntry(
                plan=plan, institution=institutions[c.number], planned_date=_plan_date(plan_year, index,
                                                                                      c.accreditation_due),
                reason=_REASON_OF_BASIS[ch.basis], basis=ch.basis.value, basis_facts=_facts(ch),
                chosen_at_random=ch.basis == Basis.RANDOM, expert_days=_days(c.expert_days), score=c.score,
                school_year=risk_year, rules=sorted(set(rules.get(c.number, []))), created_by=actor)
            entry.full_clean(exclude=["plan", "institution", "created_by"])
            entries.append(entry)
        VisitPlanEntry.objects.bulk_create(entries)
        audit_log(actor=actor, action="monitoring.visit_plan_proposed", target=plan,
                  data={"year": plan.school_year, "capacity": str(capacity), "random_share": str(random_share),
                        "seed": seed, "signal": signal_name, "visits": len(entries),
                        "at_random": sum(e.chosen_at_random for e in entries), "used": chosen.used,
                        "not_fitted": len(chosen.not_fitted)})
    return plan


def _days(value: float):
    return Decimal(str(round(value, 1)))


def _facts(choice) -> dict:
    """What the planner weighed for a choice, kept with the entry (the page says it in words)."""
    c = choice.candidate
    facts: dict[str, Any] = {"basis": choice.basis.value, "expert_days": c.expert_days}
    if c.accreditation_due is not None:
        facts["due"] = c.accreditation_due.isoformat()
    if c.open_complaints:
        facts["complaints"] = c.open_complaints
    if c.open_orders:
        facts["orders"] = c.open_orders
    if c.score is not None:
        facts["score"] = c.score
    if choice.risk_rank is not None:
        facts["rank"] = choice.risk_rank
    if choice.draw_position is not None:
        facts["draw"] = choice.draw_position
    return facts


def _edit_checks(plan: VisitPlan, reason: str) -> None:
    if plan.status == VisitPlan.Status.SUPERSEDED:
        raise ApplicationError(_("This proposal was replaced by a newer one and can no longer be edited."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the plan is changed.")})


def _in_year(plan: VisitPlan, planned_date) -> None:
    year = SchoolYear.parse(plan.school_year)
    if planned_date is None or not year.start <= planned_date <= year.end:
        raise ValidationError({"planned_date": _("The date must fall within the plan year %(year)s.")
                               % {"year": plan.school_year}})


def _plan_used(plan: VisitPlan) -> float:
    return float(sum(e.expert_days or 0 for e in plan.entries.filter(status=VisitStatus.PLANNED)))


def visit_plan_entry_add(*, actor, plan: VisitPlan, institution, planned_date, visit_reason: str,
                         reason: str) -> VisitPlanEntry:
    """Add a visit to a plan by hand (basis "added by hand", never "at random"), with the reason for the edit; the
    visit must fit in the expert-days left. The actor must hold one of VISIT_PLANNERS."""
    require_role(actor, *VISIT_PLANNERS)
    _edit_checks(plan, reason)
    if visit_reason not in VisitReason.values:
        raise ValidationError({"visit_reason": _("Choose a reason for the visit.")})
    _in_year(plan, planned_date)
    if institution.status != InstitutionStatus.REGISTERED:
        raise ApplicationError(_("Only a registered institution can be put on the visit plan."))
    days = _visit_days(institution)
    with transaction.atomic():
        plan = VisitPlan.objects.select_for_update().get(pk=plan.pk)
        if VisitPlanEntry.objects.filter(institution=institution, status=VisitStatus.PLANNED).exists():
            raise ApplicationError(_("This institution is already on the visit plan."))
        if _plan_used(plan) + days > float(plan.capacity) + 1e-9:
            raise ApplicationError(_("This visit needs %(days)s expert-days, more than the plan has left. Remove "
                                     "a visit first.") % {"days": _days(days)})
        entry = VisitPlanEntry(plan=plan, institution=institution, planned_date=planned_date, reason=visit_reason,
                               note=reason.strip(), basis=VisitBasis.MANUAL,
                               basis_facts={"basis": VisitBasis.MANUAL.value, "expert_days": days},
                               expert_days=_days(days), created_by=actor)
        entry.full_clean()
        entry.save()
        VisitPlanEdit.objects.create(plan=plan, entry=entry, action=VisitPlanEdit.Action.ADDED,
                                     reason=reason.strip(), actor=actor,
                                     data={"institution": institution.registration_number,
                                           "planned_date": planned_date.isoformat()})
        audit_log(actor=actor, action="monitoring.visit_plan_entry_added", target=entry,
                  data={"plan": plan.pk, "institution": institution.registration_number,
                        "planned_date": planned_date.isoformat(), "reason": reason.strip()})
    return entry


def _plan_entry(entry: VisitPlanEntry) -> VisitPlanEntry:
    entry = (VisitPlanEntry.objects.select_for_update(of=("self",)).select_related("plan", "institution")
             .get(pk=entry.pk))
    if entry.plan is None or entry.status != VisitStatus.PLANNED:
        raise ApplicationError(_("Only a planned visit of a visit plan can be changed here."))
    return entry


def visit_plan_entry_remove(*, actor, entry: VisitPlanEntry, reason: str) -> VisitPlanEntry:
    """Take a visit off its plan by hand (it stays, cancelled, in the history), with the reason for the edit. The
    actor must hold one of VISIT_PLANNERS."""
    require_role(actor, *VISIT_PLANNERS)
    if entry.plan is not None:
        _edit_checks(entry.plan, reason)
    with transaction.atomic():
        entry = _plan_entry(entry)
        _edit_checks(entry.plan, reason)
        entry.status, entry.status_note = VisitStatus.CANCELLED, reason.strip()
        entry.save(update_fields=["status", "status_note", "updated_at"])
        VisitPlanEdit.objects.create(plan=entry.plan, entry=entry, action=VisitPlanEdit.Action.REMOVED,
                                     reason=reason.strip(), actor=actor,
                                     data={"institution": entry.institution.registration_number})
        audit_log(actor=actor, action="monitoring.visit_plan_entry_removed", target=entry,
                  data={"plan": entry.plan_id, "institution": entry.institution.registration_number,
                        "reason": reason.strip()})
    return entry


def visit_plan_entry_move(*, actor, entry: VisitPlanEntry, planned_date, reason: str) -> VisitPlanEntry:
    """Change a planned visit's date within the plan year by hand, with the reason for the edit. The actor must
    hold one of VISIT_PLANNERS."""
    require_role(actor, *VISIT_PLANNERS)
    if entry.plan is not None:
        _edit_checks(entry.plan, reason)
    with transaction.atomic():
        entry = _plan_entry(entry)
        _edit_checks(entry.plan, reason)
        _in_year(entry.plan, planned_date)
        if planned_date == entry.planned_date:
            raise ValidationError({"planned_date": _("Enter a date other than the one planned.")})
        previous = entry.planned_date
        entry.planned_date = planned_date
        entry.save(update_fields=["planned_date", "updated_at"])
        VisitPlanEdit.objects.create(plan=entry.plan, entry=entry, action=VisitPlanEdit.Action.MOVED,
                                     reason=reason.strip(), actor=actor,
                                     data={"from": previous.isoformat(), "to": planned_date.isoformat()})
        audit_log(actor=actor, action="monitoring.visit_plan_entry_moved", target=entry,
                  data={"plan": entry.plan_id, "from": previous.isoformat(), "to": planned_date.isoformat(),
                        "reason": reason.strip()})
    return entry


def visit_plan_approve(*, actor, plan: VisitPlan) -> VisitPlan:
    """Approve a draft visit plan (one approved plan a year); it can still be edited by hand, each edit with its
    reason. The actor must hold one of VISIT_PLANNERS."""
    require_role(actor, *VISIT_PLANNERS)
    with transaction.atomic():
        plan = VisitPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != VisitPlan.Status.DRAFT:
            raise ApplicationError(_("Only a draft plan can be approved."))
        if VisitPlan.objects.filter(school_year=plan.school_year, status=VisitPlan.Status.APPROVED).exists():
            raise ApplicationError(_("The visit plan of this year is already approved."))
        plan.status, plan.approved_by, plan.approved_at = VisitPlan.Status.APPROVED, actor, timezone.now()
        plan.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
        audit_log(actor=actor, action="monitoring.visit_plan_approved", target=plan,
                  data={"year": plan.school_year,
                        "visits": plan.entries.filter(status=VisitStatus.PLANNED).count()})
    return plan


def _municipality_kinds() -> dict[str, str]:
    from ikms.registry.models import Municipality

    return dict(Municipality.objects.values_list("code", "kind"))


def _risk_frames(lake_root: Path, years: list[str], engine: str = "duckdb"):
    from analytics.risk_score.lake import year_frames

    return year_frames(lake_root, years, lambda: _engine(engine, lake_root), municipality_kinds=_municipality_kinds())


def _data_date(snapshot: dict) -> str:
    """The latest receipt (or file modification) of the data a score was computed from."""
    stamps = [str(v.get("received_at") or v.get("modified") or "") for v in snapshot.values() if isinstance(v, dict)]
    return max(stamps, default="")


def risk_model_train(*, actor=None, lake_root: Path | None = None, latent_path: Path | None = None,
                     model_path: Path | None = None) -> RiskModelVersion:
    """Train the school risk score on every school year of the lake, back-test it on the held-out later years,
    write the model file and store its version with the back-test (`RiskModelVersion`).

    The outcome is the synthetic ground truth (the latent quality file the demo generator writes); without it
    the lake holds no outcome to learn from and training is refused (ApplicationError, nothing written). The
    evaluations' outcome (accreditation ratings) lives in a higher app and is not wired here yet. The system
    (actor None) or one of RECOMPUTERS may train; the web never does."""
    from analytics.lake.schemas import SCHOOL_YEARS
    from analytics.risk_score import model as risk_model
    from analytics.risk_score.backtest import latent_outcomes, run_backtest, train_all
    from analytics.synth.generator import CALIBRATION_YEAR

    if actor is not None:
        require_role(actor, *RECOMPUTERS)
    lake_root = Path(lake_root or settings.IKMS_LAKE_DIR)
    latent_path = Path(latent_path or settings.IKMS_LATENT_PATH)
    if not latent_path.exists():
        raise ApplicationError(_("No outcome to train the risk score on: the latent quality file is missing."))
    years = [y for y in sorted(lake_years(lake_root)) if y in SCHOOL_YEARS]
    if len(years) < 2:
        raise ApplicationError(_("The risk score needs at least two school years of data."))
    frames, snapshot = _risk_frames(lake_root, years)
    outcomes = latent_outcomes(frames, pd.read_parquet(latent_path), years=SCHOOL_YEARS,
                               calibration_year=CALIBRATION_YEAR)
    backtest = run_backtest(frames, outcomes, outcome_kind="latent")
    model = train_all(frames, outcomes, snapshot=snapshot)
    risk_model.save(model, Path(model_path or settings.IKMS_RISK_MODEL))
    with transaction.atomic():
        version, _created = RiskModelVersion.objects.update_or_create(version=model.version, defaults={
            "trained_at": timezone.now(), "training_years": list(model.training_years), "snapshot": snapshot,
            "features": list(model.features), "intercept": model.intercept,
            "coefficients": dict(zip(model.features, model.coefficients, strict=True)),
            "sklearn_version": model.sklearn_version, "outcome_kind": "latent", "backtest": _jsonable(backtest)})
        audit_log(actor=actor, action="monitoring.risk_model_trained", target=version,
                  data={"version": model.version, "years": list(model.training_years),
                        "trained_on": model.trained_on})
    return version


def risk_scores_compute(*, school_year: str, actor=None, lake_root: Path | None = None,
                        model_path: Path | None = None) -> int:
    """Score every institution of a school year with the trained model and replace the year's `RiskScore` rows;
    returns how many were scored. Refused (ApplicationError, nothing written) without a model or with a stale
    one (another model format or scikit-learn version: train again)."""
    from analytics.risk_score import model as risk_model

    if actor is not None:
        require_role(actor, *RECOMPUTERS)
    lake_root = Path(lake_root or settings.IKMS_LAKE_DIR)
    path = Path(model_path or settings.IKMS_RISK_MODEL)
    if not path.exists():
        raise ApplicationError(_("No risk score model: run risk_model_train first."))
    try:
        trained = risk_model.load(path)
    except risk_model.StaleModelError as exc:
        raise ApplicationError(_("The risk score model is stale: train it again.")) from exc
    version = RiskModelVersion.objects.filter(version=trained.version).first()
    if version is None:
        raise ApplicationError(_("The risk score model is stale: train it again."))
    frames, snapshot = _risk_frames(lake_root, [school_year])
    if school_year not in frames:
        raise NoDataReceivedError(school_year)
    frame = frames[school_year]
    scored = risk_model.score(trained, frame)
    now, data_date = timezone.now(), _data_date(snapshot)

    def num(value) -> float | None:
        return None if pd.isna(value) else float(value)

    rows = [RiskScore(institution=str(r.institution), school_year=school_year, status=r.status, reason=r.reason,
                      probability=num(r.probability), logit=num(r.logit),
                      rank=None if pd.isna(r.rank) else int(r.rank), percentile=num(r.percentile),
                      intercept=trained.intercept if r.status == RiskScore.Status.SCORED else None,
                      contributions=r.contributions, values=_jsonable(r.values), coverage=num(cov),
                      model_version=trained.version, snapshot=trained.snapshot, data_date=data_date,
                      computed_at=now)
            for r, cov in zip(scored.itertuples(index=False), frame["coverage"], strict=True)]
    with transaction.atomic():
        RiskScore.objects.filter(school_year=school_year).delete()
        RiskScore.objects.bulk_create(rows, batch_size=BATCH)
        audit_log(actor=actor, action="monitoring.risk_scores_computed", target=version,
                  data={"school_year": school_year, "model_version": trained.version,
                        "scored": sum(r.status == RiskScore.Status.SCORED for r in rows), "rows": len(rows)})
    return sum(r.status == RiskScore.Status.SCORED for r in rows)
