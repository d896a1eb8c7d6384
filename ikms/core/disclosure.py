"""The legend of the disclosure-control markers (GSS style, analytics/disclosure.py): one list of (marker,
explanation) shown under every table that can hold them, on the monitoring tool pages
(templates/monitoring/tools/_legend.html, through the `disclosure_legend` tag) and in every report
(ikms/reports/disclosure.py, for the web, PDF, XLSX and DOCX renderers)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from analytics.disclosure import CONFIDENTIAL, LOW, NOT_APPLICABLE, NOT_AVAILABLE

EXPLANATIONS = {
    CONFIDENTIAL: _("Confidential: computed from fewer than 5 pupils or respondents, or hidden so that it cannot be "
                    "worked out from the total shown in the same table."),
    LOW: _("Low: rounds to zero but is not zero."),
    NOT_AVAILABLE: _("No data: the source has not been received or the figure was not computed."),
    NOT_APPLICABLE: _("Not applicable: the figure does not apply to this row or column."),
}


def legend(language: str | None = None, *, not_applicable: str | None = None) -> list[tuple[str, str]]:
    """The markers and what they mean, in `language` (the active one if None), in the order [c], [low], [x], [z].
    `not_applicable` replaces the general [z] text where a page can say more (the diagnostics: a domain not
    assessed in a grade); give it already translated, or as a lazy text."""
    with translation.override(language or translation.get_language()):
        rows = [(marker, str(text)) for marker, text in EXPLANATIONS.items()]
        if not_applicable is not None:
            rows[-1] = (NOT_APPLICABLE, str(not_applicable))
        return rows

