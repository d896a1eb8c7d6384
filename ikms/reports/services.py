"""Writing the municipal report's narratives: each save is a new version (append-only), as a draft or published."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ikms.core.audit import audit_log
from ikms.core.exceptions import PermissionDeniedError
from ikms.registry.models import Municipality
from ikms.reports.models import Narrative, NarrativeStatus
from ikms.reports.municipal import SECTIONS, parse_years, period_of
from ikms.reports.permissions import can_edit_narratives

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
