"""The register of child supervision providers as a table (CSV/XLSX, ikms.core.exports): the public columns, shared
by the public register and the staff list; the staff export adds the application and its status. A personal code,
or its hash, is never in an export."""

from django.utils.translation import gettext as _


def public_headers() -> list[str]:
    return [
        _("Registration number"),
        _("Name or company name"),
        _("Natural or legal person"),
        _("Registration code"),
        _("Service"),
        _("Service addresses"),
        _("Municipalities"),
        _("Status"),
        _("Registered on"),
        _("Removed on"),
    ]


def _public_row(p) -> list:
    addresses = list(p.addresses.all())
    municipalities = list(dict.fromkeys(a.municipality.name for a in addresses))
    return [
        p.registration_number,
        p.name,
        p.get_kind_display(),
        p.registration_code,
        p.get_service_type_display(),
        "; ".join(a.address for a in addresses),
        "; ".join(municipalities),
        p.get_status_display(),
        p.registered_on,
        p.removed_on,
    ]


def public_rows(qs):
    """One row per provider, in the order of `public_headers`."""
    for p in qs:
        yield _public_row(p)


def staff_headers() -> list[str]:
    return [*public_headers(), _("Application number"), _("Application received on")]


def staff_rows(qs):
    for p in qs:
        yield [*_public_row(p), p.application_number, p.applied_on]
