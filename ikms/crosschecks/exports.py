"""The findings and a provider's offer-list lines as CSV/XLSX tables (ikms.core.exports writes them)."""

from django.utils.translation import gettext as _


def finding_headers() -> list[str]:
    return [_("Check"), _("Municipality"), _("Institution"), _("Registration number"), _("What is wrong"),
            _("Evidence"), _("Link")]


def finding_rows(qs, base_url: str = ""):
    for f in qs:
        yield [f.get_kind_display(), f.municipality.name if f.municipality else "",
               f.institution.name if f.institution else "", f.institution.registration_number if f.institution else "",
               f.get_problem_display(), f.evidence, base_url + f.link if f.link else ""]


def line_headers() -> list[str]:
    return [_("Date of the check"), _("File"), _("Row"), _("Provider's registration number"), _("Programme code"),
            _("Programme name"), _("Address"), _("Licence number"), _("Result")]


def line_rows(qs):
    for line in qs:
        yield [line.offer_list.checked_on, line.offer_list.file_name, line.row, line.provider_number,
               line.programme_code, line.programme_name, line.address,
               line.programme.licence_number if line.programme else "", line.get_result_display()]
