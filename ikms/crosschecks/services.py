"""Writes of the cross-register checks: a run of the checks, and an imported offer list with its lines and the
inspections' programme check that records its totals. Each is one transaction with its audit event."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ikms.core.audit import audit_log
from ikms.core.exceptions import PermissionDeniedError
from ikms.crosschecks import checks, offer_lists, permissions
from ikms.crosschecks.choices import LineResult
from ikms.crosschecks.models import CheckRun, Finding, OfferLine, OfferListImport
from ikms.inspections.choices import ProgrammeCheckKind
from ikms.inspections.services import programme_check_log
from ikms.registry.models import Institution


@transaction.atomic
def checks_run(*, actor=None, today: dt.date | None = None) -> CheckRun:
    """Run every check and store its findings. `actor` None is the system (the command, the scheduled task); a
    user must be allowed to run the checks."""
    if actor is not None and not permissions.can_run_checks(actor):
        raise PermissionDeniedError(_("Only IKVD staff run the cross-register checks."))
    today = today or timezone.localdate()
    run = CheckRun.objects.create(started_at=timezone.now(), started_by=actor)
    with translation.override(settings.LANGUAGE_CODE):  # links without a language prefix, whoever runs it
        found, notes = checks.run_all(today)
    rows = [
        Finding(run=run, kind=check, problem=f.problem, institution=f.institution,
                municipality_id=f.municipality_id, evidence_lv=f.evidence_lv, evidence_en=f.evidence_en,
                link=f.link)
        for check, items in found.items() for f in items
    ]
    Finding.objects.bulk_create(rows, batch_size=1000)
    run.counts = {str(check): len(items) for check, items in found.items()}
    run.notes = {str(k): v for k, v in notes.items()}
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "notes", "finished_at", "updated_at"])
    audit_log(actor=actor, action="crosschecks.run", target=run, data={"counts": run.counts})
    return run


def _file_error(report: offer_lists.ReadReport) -> ValidationError:
    english = (translation.get_language() or "lv").startswith("en")
    issues = [f"{_('Row')} {i.row}: {i.message_en if english else i.message_lv}" if i.row
              else (i.message_en if english else i.message_lv) for i in report.errors[:20]]
    return ValidationError({"file": [_("The offer list was not imported; nothing was written."), *issues]})


@transaction.atomic
def offer_list_import(*, actor, file_name: str, content: bytes, checked_on: dt.date | None = None) -> OfferListImport:
    """Import a provider's offer list and check each line against the licence and accreditation registers; store
    the lines with their results, and record the totals as an offer-list `ProgrammeCheck` (the adult-education
    supervision counts). A file that cannot be used is refused with its reasons, and nothing is written."""
    if not permissions.can_import_offer_lists(actor):
        raise PermissionDeniedError(_("Only supervision inspectors import offer lists."))
    checked_on = checked_on or timezone.localdate()
    if checked_on > timezone.localdate():
        raise ValidationError({"checked_on": _("The date of the check cannot be in the future.")})
    lines, report = offer_lists.read(file_name, content, as_of=checked_on)
    if report.errors:
        raise _file_error(report)
    offer_lists.check(lines, on=checked_on)
    bad = sum(line.result != LineResult.OK for line in lines)
    providers = {line.provider_id for line in lines}
    provider = Institution.objects.get(pk=providers.pop()) if len(providers) == 1 and None not in providers else None
    programme_check = programme_check_log(
        actor=actor, kind=ProgrammeCheckKind.OFFER_LIST, checked_on=checked_on, programmes=len(lines),
        mismatches=bad, institution=provider, note=file_name[:255])
    offer = OfferListImport.objects.create(provider=provider, file_name=file_name[:255], checked_on=checked_on,
                                           imported_by=actor, lines=len(lines), mismatches=bad,
                                           programme_check=programme_check)
    OfferLine.objects.bulk_create(
        [OfferLine(offer_list=offer, row=line.row, provider_number=line.provider_number,
                   provider_id=line.provider_id, programme_code=line.programme_code,
                   programme_name=line.programme_name, address=line.address, programme_id=line.programme_id,
                   result=line.result) for line in lines],
        batch_size=2000,
    )
    audit_log(actor=actor, action="crosschecks.offer_list_import", target=offer,
              data={"file": file_name, "lines": len(lines), "mismatches": bad},
              institution_id=getattr(provider, "pk", None))
    return offer

