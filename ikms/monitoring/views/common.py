"""What every monitoring page shares: the predicate check, the school year of the address, the dashboard
filters, number formatting for exports, breadcrumbs, sortable column headers and the page shown before any
computation."""

from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from ikms.core.formatting import number_text
from ikms.core.forms import year_error_response
from ikms.monitoring import permissions, selectors
from ikms.monitoring.forms import YearForm
from ikms.monitoring.labels import LEVELS
from ikms.monitoring.models import Grain
from ikms.registry.models import Institution, Municipality

RISK_PAGE_SIZE = 25
TABLE_PAGE_SIZE = 50


def require(allowed: bool) -> None:
    """A predicate's answer: False is a 403."""
    if not allowed:
        raise PermissionDenied


@dataclass(frozen=True)
class Area:
    """The unit a monitoring tool page shows: the nation, a municipality or an institution."""

    grain: str
    unit: str
    municipality: Municipality | None
    institution: Institution | None
    name: str


def tool_area(request, user, *, institutions: bool = False) -> Area:
    """The unit a tool page shows (the absences, the school network, the teaching profession, graduates, support,
    diagnostics, the overview) — one rule for all of them: IKVD staff see the nation, or the municipality
    (`?municipality=`) they choose; a founder its own municipality (its only one by default). Where the page also
    shows one institution (`institutions`), `?institution=` chooses one the user may see, and a head's default is
    its institution. A municipality or institution the user may not see is a 404; a user with no area a 403."""
    require(permissions.can_use_monitoring(user))
    number = request.GET.get("institution", "") if institutions else ""
    code = request.GET.get("municipality", "")
    if number:
        inst = selectors.narrowed_institutions(user, institution=number).get()
        return Area(Grain.INSTITUTION, number, inst.municipality, inst, inst.name)
    if not code and permissions.can_view_nation(user):
        return Area(Grain.NATION, selectors.NATION, None, None, _("Latvia"))
    if not code:
        mine = list(selectors.municipalities_for_user(user)[:2])
        if len(mine) == 1:
            code = mine[0].code
        elif institutions and len(own := list(selectors.institutions_for_monitoring(user)[:2])) == 1:
            return Area(Grain.INSTITUTION, own[0].registration_number, own[0].municipality, own[0], own[0].name)
        else:
            raise PermissionDenied
    muni = selectors.municipality_for_user(user, code)
    require(permissions.can_view_municipality(user, muni))
    return Area(Grain.MUNICIPALITY, muni.code, muni, None, muni.name)


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


def area_and_year(request, *, institutions: bool = False) -> tuple[Area, list[str], str] | None:
    """What a tool page over the school years opens with: its area (`tool_area`), the school years held and the one
    the address chooses (`school_year`); None when no year is held yet (the page answers `no_data`)."""
    place = tool_area(request, request.user, institutions=institutions)
    years = selectors.school_years()
    if not years:
        return None
    return place, years, school_year(request, years)


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


def shown(value, digits: int = 1):
    """A number as a page's table shows it (the `num` filter): a whole number without decimals, any other rounded
    to `digits` decimals; None (a dash on the page) and text stay as they are."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return int(value) if float(value).is_integer() else round(float(value), digits)


def wants_raw(request) -> bool:
    """Whether an export is asked for unrounded values (`?raw=1`) rather than the values as the page shows them."""
    return request.GET.get("raw") == "1"


def export_number(request, value, digits: int = 1):
    """An export cell of a number: as the page shows it, or unrounded with `?raw=1`."""
    return value if wants_raw(request) else shown(value, digits)


def breadcrumbs(user, *, year: str = "", municipality=None, institution=None) -> list[tuple[str, str]]:
    """The pages above a monitoring page, after "Home" and "Monitoring" (templates/monitoring/_breadcrumbs.html):
    the municipality (where the user may open its page) and the institution, each in the page's school year."""
    query = f"?{urlencode({'year': year})}" if year else ""
    crumbs = []
    muni = municipality if municipality is not None else getattr(institution, "municipality", None)
    if muni is not None and permissions.can_view_municipality(user, muni):
        crumbs.append((muni.name, reverse("monitoring:municipality", args=[muni.code]) + query))
    if institution is not None:
        crumbs.append((institution.name,
                       reverse("monitoring:institution", args=[institution.registration_number]) + query))
    return crumbs


@dataclass(frozen=True)
class SortColumn:
    """A table's column header: a link that sorts by it (`key`; None: not sortable), `aria_sort` on the column the
    table is sorted by, and what following the link does, for assistive technology."""

    label: str
    key: str | None = None
    numeric: bool = False
    href: str = ""
    aria_sort: str = ""
    action: str = ""


def sort_order(request, sorts: dict[str, bool], default: str) -> tuple[str, bool]:
    """The column a table is sorted by (`sort`, one of `sorts`) and whether descending (`order`: asc or desc;
    left out, the column's first direction in `sorts`)."""
    by = request.GET.get("sort", "")
    by = by if by in sorts else default
    order = request.GET.get("order", "")
    return by, (order == "desc") if order in ("asc", "desc") else sorts[by]


def sort_columns(request, columns: list[tuple[str, str | None, bool]], *, sorts: dict[str, bool], by: str,
                 descending: bool) -> list[SortColumn]:
    """Headers for `columns` (label, sort key or None, numeric): each sortable one links to the page sorted by it
    (the other direction where it is the current column, else its first direction), from the first page."""
    out = []
    for label, key, numeric in columns:
        if key is None:
            out.append(SortColumn(label, numeric=numeric))
            continue
        current = key == by
        desc = (not descending) if current else sorts[key]
        params = request.GET.copy()
        for name in ("page", "format", "raw"):
            params.pop(name, None)
        params["sort"], params["order"] = key, "desc" if desc else "asc"
        out.append(SortColumn(label, key, numeric, href=f"?{params.urlencode()}",
                              aria_sort=("descending" if descending else "ascending") if current else "",
                              action=_("sort in descending order") if desc else _("sort in ascending order")))
    return out


def no_data(request):
    return render(request, "monitoring/no_data.html", status=200)


def wants_export(request) -> bool:
    """Whether the page is asked for its table as a file (`?format=csv` or `xlsx`)."""
    return request.GET.get("format") in ("csv", "xlsx")
