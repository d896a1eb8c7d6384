"""What every monitoring page shares: the predicate check, the school year of the address, the dashboard
filters, number formatting for exports and the page shown before any computation."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from ikms.core.formatting import number_text
from ikms.core.forms import year_error_response
from ikms.monitoring import selectors
from ikms.monitoring.forms import YearForm
from ikms.monitoring.labels import LEVELS

RISK_PAGE_SIZE = 25
TABLE_PAGE_SIZE = 50


def require(allowed: bool) -> None:
    """A predicate's answer: False is a 403."""
    if not allowed:
        raise PermissionDenied


class YearError(Exception):
    """A wrong school year in a page's address (answered by `year_checked`)."""

    def __init__(self, form: YearForm) -> None:
        super().__init__(form.errors.as_text())
        self.form = form


def school_year(request, years: list[str], data=None) -> str:
    """The school year a page shows: `year` of the query string (or of `data`), checked by SchoolYearFormField
    (a school year, and one of `years` when there are any); left out, the latest of `years`. A wrong one is
    never replaced by another year: the page answers 400 with the message (`year_checked`)."""
    form = YearForm(request.GET if data is None else data, years=years or None)
    if not form.is_valid():
        raise YearError(form)
    return form.cleaned_data["year"] or (years[-1] if years else "")


def year_checked(view):
    """A page that reads a school year with `school_year`: a wrong one is answered with the year form, its
    message and a 400; the page's other query parameters are kept for the corrected request."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except YearError as exc:
            return year_error_response(request, exc.form)

    return checked


def dashboard_filter(request, name: str) -> str:
    """A dashboard filter from the query string; an unknown value is ignored (the form shows the error)."""
    value = request.GET.get(name, "")
    if name == "level":
        return value if value in LEVELS else ""
    return value if value in selectors.classifier_codes(name) else ""


def fmt(value) -> str:
    """A number inside an export's text cell: at most two decimals, no trailing zeros, the active language's
    decimal separator (66,75 in Latvian); nothing for None."""
    if value is None:
        return ""
    return number_text(value, 2, trim=True, grouping=False)


def no_data(request):
    return render(request, "monitoring/no_data.html", status=200)


def wants_export(request) -> bool:
    """Whether the page is asked for its table as a file (`?format=csv` or `xlsx`)."""
    return request.GET.get("format") in ("csv", "xlsx")
