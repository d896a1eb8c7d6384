"""Public register: anonymous search, filters, institution pages and CSV/XLSX exports.

Only register data the law makes public is shown: no personal data except the head's name."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from ikms.core.exports import export_response
from ikms.registry import selectors
from ikms.registry.exports import institution_headers, institution_rows
from ikms.registry.filters import InstitutionFilterForm, ProgrammeFilterForm

PAGE_SIZE = 25


@login_not_required
def home(request):
    return render(request, "portal/home.html", {
        "institution_count": selectors.institution_public_list().filter(status="registered").count(),
        "programme_count": selectors.programme_count_licensed(),
    })


@login_not_required
def institution_list(request):
    form = InstitutionFilterForm(request.GET or None, public=True)
    qs = selectors.institution_filter(selectors.institution_public_list(), **form.filters())
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(fmt=fmt, filename="izglitibas-iestades", headers=institution_headers(),
                               rows=institution_rows(qs.order_by("name")))
    page = Paginator(qs.order_by("name"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/institution_list.html", {"form": form, "page_obj": page,
                                                           "total": page.paginator.count})


@login_not_required
def institution_detail(request, registration_number: str):
    institution = selectors.institution_public_get(registration_number=registration_number)
    return render(request, "portal/institution_detail.html", {
        "institution": institution,
        "programmes": institution.programmes.prefetch_related("places").order_by("status", "code"),
        "accreditation": selectors.accreditation_current(institution),
    })


def _programme_rows(qs):
    for p in qs:
        yield [p.code, p.name, p.get_form_display(), p.institution.registration_number, p.institution.name,
               p.institution.municipality.name, "; ".join(pl.address for pl in p.places.all()),
               p.licence_number, p.licence_date, p.get_status_display()]


@login_not_required
def programme_list(request):
    form = ProgrammeFilterForm(request.GET or None)
    qs = selectors.programme_filter(selectors.programme_public_list(), **form.filters()).order_by(
        "institution__name", "code")
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        headers = [_("Programme code"), _("Programme name"), _("Form"), _("Registration number"),
                   _("Institution"), _("Municipality"), _("Places of implementation"), _("Licence number"),
                   _("Licence date"), _("Licence status")]
        return export_response(fmt=fmt, filename="licencetas-programmas", headers=headers,
                               rows=_programme_rows(qs))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/programme_list.html", {"form": form, "page_obj": page,
                                                         "total": page.paginator.count})
