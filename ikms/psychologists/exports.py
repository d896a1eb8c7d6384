"""The public register of psychologists as a table: the columns of its CSV/XLSX export (public fields only; see
`selectors.PUBLIC_FIELDS`)."""

import datetime as dt

from django.utils.translation import gettext as _

from ikms.psychologists.selectors import valid_certificates


def public_headers() -> list[str]:
    """Column headings, in the active language."""
    return [
        _("Registration number"),
        _("Name and surname"),
        _("Registered on"),
        _("Status"),
        _("Status changed on"),
        _("Certificates in force"),
        _("Areas of professional activity"),
        _("Supervising psychologist in"),
    ]


def public_rows(qs, *, today: dt.date):
    """One row per psychologist, in the order of `public_headers`; dates stay dates (ikms.core.exports)."""
    for p in qs:
        valid = valid_certificates(p, today)
        yield [
            p.registration_number,
            p.full_name,
            p.registered_on,
            p.get_status_display(),
            p.status_changed_on,
            "; ".join(c.number for c in valid),
            "; ".join(c.get_area_display() for c in valid),
            "; ".join(c.get_area_display() for c in valid if c.supervisor),
        ]
