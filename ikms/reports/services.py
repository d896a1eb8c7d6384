"""Writes of the report runs: a request for a report (`report_run_start`, served from the cache when a run with
the same inputs is finished or being made) and the making of a run (`report_run_make`, the background job of
`ikms.reports.tasks`): the kind's build with its progress written to the run, disclosure control, every output
rendered, the files stored, the run marked done. A failure is recorded on the run with a message in plain words
and leaves no file behind.

Writing the municipal report's narratives: each save is a new version (append-only), as a draft or published."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from importlib import import_module
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ikms.cases.storage import private_storage
from ikms.core.audit import audit_log
from ikms.core.exceptions import PermissionDeniedError
from ikms.registry.models import Municipality
from ikms.reports import kinds
from ikms.reports.disclosure import protect_report
from ikms.reports.document import Report
from ikms.reports.models import Narrative, NarrativeStatus, ReportRun
from ikms.reports.municipal import SECTIONS, parse_years, period_of
from ikms.reports.permissions import can_edit_narratives, may_run
from ikms.reports.selectors import cached_run

log = logging.getLogger(__name__)

#: The outputs every run keeps besides its kind's formats: the web page's body.
ALWAYS = ("html",)
EXTENSIONS = {"html": "html", "pdf": "pdf", "xlsx": "xlsx", "docx": "docx"}


def inputs_key(kind: kinds.ReportKind, params: Mapping[str, Any], language: str) -> tuple[dict[str, str], str]:
    """The inputs of a report and their cache key: the same key `Report.inputs_key` gives the built report."""
    inputs = {k: str(v) for k, v in kind.inputs(params).items()}
    return inputs, Report(kind=kind.code, title="", subtitle="", language=language, inputs=inputs).inputs_key


@transaction.atomic
def report_run_start(*, actor, kind: str | kinds.ReportKind, params: Mapping[str, Any], language: str) -> ReportRun:
    """Ask for a report: the run that already serves the same inputs (finished, or being made), else a new run
    handed to the background once this transaction commits (`tasks.dispatch`). Never makes the report itself."""
    kind = kinds.get(kind) if isinstance(kind, str) else kind
    if not may_run(actor, kind, params):
        raise ValidationError(_("You may not make this report with these parameters."))
    language = "en" if str(language).startswith("en") else "lv"
    inputs, key = inputs_key(kind, params, language)
    run = cached_run(kind=kind.code, inputs_key=key, language=language)
    cached = run is not None
    if run is None:
        run = ReportRun(kind=kind.code, params=dict(params), language=language, inputs=inputs, inputs_key=key,
                        requested_by=actor if getattr(actor, "pk", None) else None, title=str(kind.title))
        run.full_clean()
        run.save()
        from ikms.reports import tasks

        run_id = run.pk
        transaction.on_commit(lambda: tasks.dispatch(run_id))
    audit_log(actor=actor, action="reports.run_start", target=run,
              data={"kind": kind.code, "params": dict(params), "language": language, "cached": cached})
    return run


@transaction.atomic
def report_run_download(*, actor, run: ReportRun, fmt: str):
    """Open a run's file for its download and record who downloaded it."""
    audit_log(actor=actor, action="reports.run_download", target=run, data={"format": fmt})
    return private_storage().open(run.outputs[fmt])


class _Progress:
    """The build's progress callback: writes the share and the step to the run, at most once per whole percent or
    new step (a build may report thousands of steps)."""

    def __init__(self, run_id: int) -> None:
        self.run_id, self.percent, self.step = run_id, -1, None

    def __call__(self, share: float, step: str) -> None:
        percent = max(0, min(99, int(float(share) * 100)))  # 100 only when the files are stored
        step = str(step)[:200]
        if percent == self.percent and step == self.step:
            return
        self.percent, self.step = percent, step
        ReportRun.objects.filter(pk=self.run_id).update(progress=percent, step=step, updated_at=timezone.now())


def protect(report: Report) -> Report:
    """Disclosure control of every published table before anything is rendered (`ikms.reports.disclosure`)."""
    return protect_report(report)


def render_outputs(report: Report, formats: tuple[str, ...]) -> dict[str, bytes]:
    """Every output of a report, in memory (nothing is stored until all of them are made). The renderers are
    imported on use: WeasyPrint and matplotlib load only where a kind asks for a PDF or a DOCX."""
    outputs = {}
    for fmt in dict.fromkeys(ALWAYS + tuple(formats)):
        module = import_module(f"ikms.reports.render.{fmt}")
        content = module.render_body(report).encode() if fmt == "html" else getattr(module, f"render_{fmt}")(report)
        outputs[fmt] = content
    return outputs


def report_run_make(run_id: int) -> ReportRun:
    """Make a run (the background job): build, protect, render, store, mark done; or mark it failed."""
    run = ReportRun.objects.get(pk=run_id)
    if run.status != ReportRun.Status.QUEUED:
        return run  # taken already (a job enqueued twice)
    ReportRun.objects.filter(pk=run.pk).update(status=ReportRun.Status.RUNNING, started_at=timezone.now(),
                                               updated_at=timezone.now())
    stored: list[str] = []
    storage = private_storage()
    try:
        kind = kinds.get(run.kind)
        with translation.override(run.language):
            report = kind.make(run.params, language=run.language, progress=_Progress(run.pk))
            report = protect(report)
            _Progress(run.pk)(0.99, _("Writing the files"))
            outputs = render_outputs(report, kind.formats)
        for fmt, content in outputs.items():
            name = f"reports/{run.kind}/{run.inputs_key}-{run.language}-{run.pk}.{EXTENSIONS[fmt]}"
            stored.append(storage.save(name, ContentFile(content)))
        ReportRun.objects.filter(pk=run.pk).update(
            status=ReportRun.Status.DONE, progress=100, step="", title=report.title[:300],
            outputs=dict(zip(outputs, stored, strict=True)), finished_at=timezone.now(), updated_at=timezone.now())
    except Exception as exc:
        log.exception("report run %s failed", run.pk)
        for name in stored:
            storage.delete(name)
        ReportRun.objects.filter(pk=run.pk).update(
            status=ReportRun.Status.FAILED, error=failure_text(exc, run.language), outputs={},
            finished_at=timezone.now(), updated_at=timezone.now())
    run.refresh_from_db()
    return run


def failure_text(exc: Exception, language: str) -> str:
    """What the run's page says about a failure: the kind's own message where it refused (a ValidationError, in
    Latvian and English), else a plain sentence (the details are in the server's log)."""
    with translation.override(language):
        if isinstance(exc, ValidationError):
            return " ".join(str(m) for m in exc.messages)
        return _("The report could not be made because of an error in the system (%(error)s). No file was kept. "
                 "Try again later; if it fails again, tell IKVD's system administrator.") % {
            "error": type(exc).__name__}


#: The longest narrative of a section (characters).
MAX_TEXT = 20000


def _new_version(*, actor, municipality: Municipality, years: Sequence[str], section: str, text: str,
                 status: str) -> Narrative:
    if not can_edit_narratives(actor, municipality):
        raise PermissionDeniedError(_("Only the municipality's own users write its report's texts."))
    if section not in SECTIONS:
        raise ValidationError({"section": _("Choose a section of the report.")})
    period = period_of(parse_years(years))
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": _("Write at most %(n)d characters.") % {"n": MAX_TEXT}})
    if status == NarrativeStatus.PUBLISHED and not text:
        raise ValidationError({"text": _("Write the text before publishing it.")})
    Municipality.objects.select_for_update().filter(pk=municipality.pk).first()  # one writer a municipality at a time
    latest = (Narrative.objects.filter(municipality=municipality, period=period, section=section)
              .aggregate(v=Max("version"))["v"]) or 0
    narrative = Narrative(municipality=municipality, period=period, section=section, version=latest + 1,
                          status=status, text=text, author=actor)
    narrative.full_clean()
    narrative.save()
    return narrative


def _logged(narrative: Narrative) -> dict:
    return {"municipality": narrative.municipality.code, "period": narrative.period, "section": narrative.section,
            "version": narrative.version}


@transaction.atomic
def narrative_save(*, actor, municipality: Municipality, years: Sequence[str], section: str, text: str) -> Narrative:
    """Save a section's text as a new draft version (an empty text is a draft too: the section cleared)."""
    narrative = _new_version(actor=actor, municipality=municipality, years=years, section=section, text=text,
                             status=NarrativeStatus.DRAFT)
    audit_log(actor=actor, action="reports.narrative_saved", target=narrative, data=_logged(narrative))
    return narrative


@transaction.atomic
def narrative_publish(*, actor, municipality: Municipality, years: Sequence[str], section: str,
                      text: str) -> Narrative:
    """Publish a section's text as a new version: the report prints it from now on (a later draft does not)."""
    narrative = _new_version(actor=actor, municipality=municipality, years=years, section=section, text=text,
                             status=NarrativeStatus.PUBLISHED)
    audit_log(actor=actor, action="reports.narrative_published", target=narrative, data=_logged(narrative))
    return narrative
