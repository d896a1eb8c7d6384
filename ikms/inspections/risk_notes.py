"""The inspection facts on monitoring's risk list (ikms.monitoring.supervision; registered by
InspectionsConfig.ready()): per institution the last act's date and most significant finding, and its open orders
(a warning when one is overdue). Only acts are shown, which everyone who sees the institution's risk entry may
see (a planned inspection stays unannounced)."""

from django.db.models import Count, Max
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ikms.inspections.choices import Severity
from ikms.inspections.models import Inspection, Order
from ikms.inspections.selectors import open_orders, outcome_by_institution, overdue_orders
from ikms.monitoring.supervision import Note, Provider


def notes(institution_ids: list[int]) -> dict[int, list[Note]]:
    today = timezone.localdate()
    overdue = set(
        overdue_orders(Order.objects.filter(inspection__institution_id__in=institution_ids), today).values_list(
            "inspection__institution_id", flat=True
        )
    )
    result = {}
    for pk, o in outcome_by_institution(institution_ids).items():
        found = []
        url = reverse("inspections:detail", args=[o["inspection"]]) if o.get("inspection") else ""
        if o.get("act_date"):
            worst = Severity(o["worst"]).label if o["worst"] else _("no findings")
            found.append(
                Note(
                    _("Last inspection act %(date)s: %(worst)s") % {"date": date_filter(o["act_date"]), "worst": worst},
                    url=url,
                )
            )
        if o.get("open_orders"):
            text = _("Open orders: %(n)s") % {"n": o["open_orders"]}
            if pk in overdue:
                text += " — " + _("overdue")
            found.append(Note(text, url=url, warning=pk in overdue))
        result[pk] = found
    return result


def stamp() -> str:
    agg = Inspection.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    orders = Order.objects.aggregate(last=Max("updated_at"))
    last = max((t for t in (agg["last"], orders["last"]) if t), default=None)
    return f"{agg['n']}:{last.timestamp() if last else 0}:{timezone.localdate()}"


def open_matters() -> dict[int, dict[str, int]]:
    """The open orders of sent acts per institution id (the visit planner's "complaint or order" step)."""
    counts: dict[int, dict[str, int]] = {}
    for pk in open_orders(today=timezone.localdate()).values_list("inspection__institution_id", flat=True):
        counts.setdefault(pk, {"orders": 0})["orders"] += 1
    return counts


PROVIDER = Provider(code="inspections", notes=notes, stamp=stamp, open_matters=open_matters)
