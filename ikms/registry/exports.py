"""The register of institutions as a table: the columns of its CSV/XLSX export, shared by the public register
(ikms.portal) and the staff register, so both exports read the same."""

from django.utils.translation import gettext as _


def institution_headers() -> list[str]:
    """Column headings, in the active language."""
    return [_("Registration number"), _("Name"), _("Institution kind"), _("Institution type"), _("Municipality"),
            _("Address"), _("Founder"), _("Head"), _("Status"), _("Registered on"), _("Liquidated on")]


def institution_rows(qs):
    """One row per institution, in the order of `institution_headers`."""
    for i in qs:
        yield [i.registration_number, i.name, i.type.kind.name, i.type.name, i.municipality.name, i.address,
               i.founder.name, i.head_name, i.get_status_display(),
               i.registered_on, i.liquidated_on]  # dates: ikms.core.exports writes them per language
