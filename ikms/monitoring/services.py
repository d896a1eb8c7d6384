"""Running the analytics engine and storing its results in the web database.

The analytics package computes (DuckDB by default, Spark unchanged); this module only triggers a
run, records its provenance and writes the values and flags in one transaction."""

import dataclasses
import datetime
import math
import os
import socket
import time
from pathlib import Path
from typing import Any

import pandas as pd
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.lake.coverage import read_coverage
from analytics.spec.periods import SchoolYear
from ikms.accounts.permissions import require_role
from ikms.core.audit import audit_log
from ikms.core.exceptions import ApplicationError
from ikms.monitoring.lake import lake_refresh, lake_years
from ikms.monitoring.models import (
    ComputationRun,
    IndicatorValue,
    RiskFlag,
    RiskModelVersion,
    RiskScore,
    RuleNotEvaluated,
    VisitPlanEntry,
    VisitReason,
    VisitStatus,
)
from ikms.monitoring.permissions import RECOMPUTERS, VISIT_PLANNERS
from ikms.monitoring.signals import results_changed
from ikms.registry.choices import InstitutionStatus

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
