"""Pages of the cross-register checks: the latest run's findings (filter by check and municipality, CSV/XLSX, run
now), the offer-list imports with the import form, and the report per provider. Thin: the policy or gate decides,
a selector reads, one service writes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ikms.core.exports import export_response
from ikms.core.views import require, run_service
from ikms.crosschecks import permissions, selectors, services
from ikms.crosschecks.choices import Check, LineResult
from ikms.crosschecks.exports import finding_headers, finding_rows, line_headers, line_rows
from ikms.crosschecks.forms import FindingFilterForm, OfferListForm

PAGE_SIZE = 100


def report(request):
    require(permissions.can_see_findings(request.user))
    form = FindingFilterForm(request.GET or None)
    filters = form.filters()
    run = selectors.latest_run()
    qs = selectors.findings_visible_to(request.user, run, **filters)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(fmt=fmt, filename="savstarpejas-parbaudes", headers=finding_headers(),
                               rows=finding_rows(qs, request.build_absolute_uri("/")[:-1]))
    counts = selectors.counts_visible_to(request.user, run, municipality=filters.get("municipality", ""))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "crosschecks/report.html", {
        "form": form,
        "run": run,
        "checks": [(c, counts.get(c.value, 0), (run.notes or {}).get(c.value, "") if run else "") for c in Check],
        "page_obj": page,
        "total": page.paginator.count,
        "can_run": permissions.can_run_checks(request.user),
        "can_see_offer_reports": permissions.can_see_offer_reports(request.user),
    })


@require_POST
def run_now(request):
    require(permissions.can_run_checks(request.user))
    services.checks_run(actor=request.user)
    messages.success(request, _("The checks were run; the findings below are the new run's."))
    return redirect("crosschecks:report")


def offer_lists(request):
    require(permissions.can_see_offer_reports(request.user))
    can_import = permissions.can_import_offer_lists(request.user)
    form = OfferListForm()
    if request.method == "POST":
        require(can_import)
        form = OfferListForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                content = upload.read()
            except OSError:
                form.add_error("file", ValidationError(_("The file could not be read.")))
            else:
                done = run_service(
                    request, form,
                    lambda: services.offer_list_import(actor=request.user, file_name=upload.name, content=content,
                                                       checked_on=form.cleaned_data["checked_on"]),
                    _("The offer list was imported and checked."),
                )
                if done:
                    return redirect("crosschecks:offer-lists")
    reports = selectors.provider_reports()
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "crosschecks/offer_lists.html", {
        "form": form if can_import else None,
        "imports": selectors.recent_imports(),
        "page_obj": page,
        "total": page.paginator.count,
    })


def provider_report(request, number: str):
    require(permissions.can_see_offer_reports(request.user))
    qs = selectors.provider_lines(number)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(fmt=fmt, filename=f"piedavajums-{number}", headers=line_headers(), rows=line_rows(qs))
    counts = selectors.provider_result_counts(number)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    first = qs.first()
    return render(request, "crosschecks/provider_report.html", {
        "number": number,
        "provider": first.provider if first else None,
        "results": [(r, counts.get(r.value, 0)) for r in LineResult],
        "page_obj": page,
        "total": page.paginator.count,
    })
