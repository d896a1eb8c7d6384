"""Who may run a report and open a run (ADR 0017). Who may make a kind of report with which parameters is the
kind's own decision (`ReportKind.allowed`); a run may be opened by whoever asked for it and by anyone the kind
admits for the run's parameters (two people asking for the same report share the cached run).

Who may make and read a municipality's education-quality report and write its narratives (ADR 0017).

The report shows a municipality's monitoring results, so who may read it is monitoring's rule for a municipality
(`ikms.monitoring.permissions.MUNICIPALITY`, the rule `tool_area` applies): IKVD staff every municipality, a
founder its own. Its narratives are the municipality's own words: only the municipality's founder users write and
publish them (IKVD reads, does not edit)."""

from collections.abc import Mapping
from typing import Any

from ikms.monitoring.permissions import can_view_municipality
from ikms.registry.access import policy
from ikms.registry.models import Municipality
from ikms.reports import kinds
from ikms.reports.models import ReportRun


def may_run(user, kind: kinds.ReportKind, params: Mapping[str, Any]) -> bool:
    """May the user make this kind of report with these parameters?"""
    return bool(getattr(user, "is_authenticated", False)) and bool(kind.allowed(user, params))


def may_run_some(user, kind: kinds.ReportKind) -> bool:
    """May the user make this kind of report with some parameters (the list of kinds on the reports page)? Asked
    with the kind's default parameters (its `parse` of an empty form), or with none where it has no defaults."""
    if not getattr(user, "is_authenticated", False):
        return False
    try:
        params = kind.parse(user, {})
    except Exception:
        params = {}
    try:
        return bool(kind.allowed(user, params))
    except (KeyError, TypeError, ValueError):
        return False


def may_open_run(user, run: ReportRun) -> bool:
    """May the user see this run, its web page and its files?"""
    if not getattr(user, "is_authenticated", False):
        return False
    if run.requested_by_id == user.pk:
        return True
    try:
        kind = kinds.get(run.kind)
    except KeyError:
        return False
    return may_run(user, kind, run.params)


#: Writing and publishing a municipal report's narratives: no role writes every municipality's (IKVD staff read them
#: in the report), a founder its own municipality's.
WRITE_NARRATIVES = policy("report_narratives", "Write and publish the municipal report's narratives",
                          municipality=True)

#: The municipal report and its narratives: whoever may see the municipality's monitoring results.
can_view_report = can_view_municipality


def can_edit_narratives(user, municipality: Municipality) -> bool:
    """A founder user of the municipality (a founder whose municipality it is)."""
    return WRITE_NARRATIVES.allows(user, municipality)
