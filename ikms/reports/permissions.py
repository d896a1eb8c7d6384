"""Who may make and read a municipality's education-quality report and write its narratives (ADR 0017).

The report shows a municipality's monitoring results, so who may read it is monitoring's rule for a municipality
(`ikms.monitoring.permissions.MUNICIPALITY`, the rule `tool_area` applies): IKVD staff every municipality, a
founder its own. Its narratives are the municipality's own words: only the municipality's founder users write and
publish them (IKVD reads, does not edit)."""

from ikms.accounts.roles import Role
from ikms.accounts.selectors import scoped_founder_ids
from ikms.monitoring.permissions import MUNICIPALITY, can_view_municipality
from ikms.registry.access import gate
from ikms.registry.models import Municipality

WRITE_NARRATIVES = gate("report_narratives", "Write and publish the municipal report's narratives", Role.FOUNDER,
                        note="A founder its own municipality's only; IKVD staff read them in the report.")

#: The municipal report and its narratives: whoever may see the municipality's monitoring results.
can_view_report = can_view_municipality


def can_edit_narratives(user, municipality: Municipality) -> bool:
    """A founder user of the municipality (a founder whose municipality it is)."""
    if not WRITE_NARRATIVES.allows(user):
        return False
    own = MUNICIPALITY.founders_scope(scoped_founder_ids(user), Municipality.objects.filter(pk=municipality.pk))
    return own.exists()
