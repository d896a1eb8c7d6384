"""The demo's municipal report narratives: the first demo founder account's municipality publishes its summary and
plans for the school years held (the latest four), and keeps a later draft of its summary, so that the report page
shows a published text, a draft and the version history."""

from __future__ import annotations

from ikms.accounts.models import RoleAssignment
from ikms.accounts.roles import Role
from ikms.monitoring.selectors import school_years
from ikms.reports import municipal, services

SUMMARY = ("Pašvaldības skolās izglītojamo skaits pēdējos gados ir stabils, un centralizēto eksāmenu rezultāti "
           "ir tuvu valsts vidējiem.\n\nIlgstošu neattaisnotu kavējumu gadījumos sociālais dienests tiek "
           "informēts pirmajā nedēļā; vairākās skolās jāuzlabo mācību stundu aizvietošana.")
SUMMARY_DRAFT = SUMMARY + "\n\nMelnraksts: papildināt ar skolu padomju viedokli."
PLANS = ("Nākamajos četros gados pašvaldība stiprinās atbalsta personālu skolās un pārskatīs skolu tīklu, "
         "ņemot vērā izglītojamo skaita prognozi.")


def generate() -> dict[str, int]:
    """Publish the narratives (nothing where no year is computed or no founder account exists)."""
    years = school_years()[-municipal.MAX_YEARS:]
    assignment = (RoleAssignment.objects.filter(role=Role.FOUNDER, founder__municipality__isnull=False)
                  .select_related("user", "founder__municipality").order_by("user__username").first())
    if not years or assignment is None:
        return {"municipal report narratives": 0}
    kw = {"actor": assignment.user, "municipality": assignment.founder.municipality, "years": years}
    services.narrative_publish(**kw, section="summary", text=SUMMARY)
    services.narrative_publish(**kw, section="plans", text=PLANS)
    services.narrative_save(**kw, section="summary", text=SUMMARY_DRAFT)
    return {"municipal report narratives": 3}
