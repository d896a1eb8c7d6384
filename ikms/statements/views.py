"""The statements' pages. Thin: a request comes through the statements' policy (404 for anyone else), a page without
one through the gate (403), one service writes and its refusals go back onto the form with nothing written. Opening a
request or a statement and downloading the PDF are audited (`services.statement_read`) before the response leaves.
An issued statement shows its frozen content, never a new look-up."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from ikms.core.exceptions import ApplicationError
from ikms.core.views import require, run_service
from ikms.statements import permissions, selectors, services
from ikms.statements.choices import level_label
from ikms.statements.forms import RequestForm, SearchForm
from ikms.statements.models import Statement


def request_list(request):
    """The requests and their statements, newest first, without the persons' names (opening one is audited)."""
    require(permissions.can_use_statements(request.user))
    form = SearchForm(request.GET or None)
    text = form.cleaned_data["q"] if form.is_bound and form.is_valid() else ""
    qs = selectors.search(selectors.request_visible_to(request.user), text)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "statements/list.html",
        {"page": page, "form": form, "q": text, "can_issue": permissions.can_issue(request.user)},
    )


@sensitive_post_parameters("personal_code")  # kept out of error reports and logs
def request_new(request):
    require(permissions.can_issue(request.user))
    form = RequestForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        created = {}

        def action():
            created["r"] = services.request_record(actor=request.user, **form.cleaned_data)

        if run_service(request, form, action, _("The request is recorded.")):
            return redirect("statements:detail", pk=created["r"].pk)
    return render(request, "statements/form.html", {"form": form})


def _history_rows(history: dict) -> dict:
    """The history for the page, in the reader's language (levels, school years)."""
    enrolments = [{**e, "level_label": level_label(e["level"])} for e in history.get("enrolments") or []]
    graduations = [{**g, "level_label": level_label(g["level"])} for g in history.get("graduations") or []]
    return {
        "enrolments": enrolments,
        "graduations": graduations,
        "coverage": history.get("coverage") or [],
        "graduate_coverage": history.get("graduate_coverage") or [],
        "found": bool(enrolments or graduations),
    }


def request_detail(request, pk: int):
    found = selectors.request_get_for_user(user=request.user, pk=pk)
    statement = Statement.objects.filter(request=found).first()
    services.statement_read(actor=request.user, request=found, kind="statement" if statement else "request")
    content = statement.content if statement else None
    history = content["history"] if content else found.found
    return render(
        request,
        "statements/detail.html",
        {
            "req": found,
            "statement": statement,
            "content": content,
            "history": _history_rows(history),
            "can_issue": statement is None and permissions.can_issue(request.user),
        },
    )


@require_POST
def statement_issue(request, pk: int):
    found = selectors.request_get_for_user(user=request.user, pk=pk)
    require(permissions.can_issue(request.user))
    try:
        statement = services.statement_issue(actor=request.user, request=found)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Statement %(reference)s is issued.") % {"reference": statement.reference})
    return redirect("statements:detail", pk=found.pk)


def statement_pdf(request, pk: int):
    found = selectors.request_get_for_user(user=request.user, pk=pk)
    statement = Statement.objects.filter(request=found).first()
    if statement is None:
        raise Http404
    services.statement_read(actor=request.user, request=found, kind="pdf")
    response = HttpResponse(bytes(statement.pdf), content_type="application/pdf")
    name = statement.reference.replace("/", "-")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
