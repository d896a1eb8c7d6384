"""Complaints on monitoring's visit planner (ikms.monitoring.supervision; registered by ComplaintsConfig.ready()):
per institution the complaints whose case is still open. No notes on the risk list (a complaint's content is
supervision's), only the count the planner puts first (issue 17)."""

from django.db.models import Count, Max

from ikms.complaints.models import Complaint
from ikms.monitoring.supervision import Provider


def notes(institution_ids: list[int]) -> dict:
    return {}


def stamp() -> str:
    agg = Complaint.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return f"{agg['n']}:{agg['last'].timestamp() if agg['last'] else 0}"


def open_matters() -> dict[int, dict[str, int]]:
    """Open complaints (case not closed) per institution concerned."""
    rows = (Complaint.objects.filter(case_file__closed_on__isnull=True, institutions__isnull=False)
            .values_list("institutions").annotate(n=Count("id")).order_by())
    return {pk: {"complaints": n} for pk, n in rows}


PROVIDER = Provider(code="complaints", notes=notes, stamp=stamp, open_matters=open_matters)
