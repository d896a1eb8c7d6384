"""The register of teacher private-practice certificates as a table (CSV/XLSX, ikms.core.exports): the public
columns, shared by the public register and the staff list. A personal code, or its hash, is never in an export."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def headers() -> list[str]:
    return [
        _("Certificate number"),
        pgettext("private practice", "Teacher"),
        _("Education"),
        _("Programme area"),
        _("Programme"),
        _("Issued on"),
        _("Valid until"),
        _("Status"),
        _("Annulled on"),
    ]


def rows(qs):
    """One row per certificate, in the order of `headers`; the status as of today."""
    today = timezone.localdate()
    for c in qs:
        yield [
            c.number,
            c.teacher.name,
            c.get_education_kind_display(),
            c.get_programme_area_display(),
            c.programme_name,
            c.issued_on,
            c.valid_until,
            c.status_on(today).label,
            c.annulled_on,
        ]
