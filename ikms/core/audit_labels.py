"""Human labels of audit actions (`AuditEvent.action`, e.g. "decision.record"), in both languages.

Core writes the event log but must not import the apps, so each app registers the labels of the actions it
writes (a mapping of action code → lazy translated text) from its AppConfig.ready():

    audit_labels.register(ikms.registry.audit_actions.LABELS)

`audit_label(action)` is what pages show; an action nobody registered (an old row, a removed action) reads as
a generic text, never as the raw code. tests/test_audit_labels.py checks that every action the code writes
has a label in Latvian and English."""

from collections.abc import Mapping

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

_LABELS: dict[str, object] = {}

#: Generic labels by the part before the dot, for actions with no label of their own.
_GROUPS: dict[str, object] = {
    "decision": _("Register decision"),
    "accreditation": _("Accreditation case"),
    "self_evaluation": _("Self-evaluation report"),
    "monitoring": _("Monitoring"),
    "user": _("User account"),
    "role": _("Role"),
    "founder": _("Founder"),
    "cases": _("Case file"),
}


def register(labels: Mapping[str, object]) -> None:
    """Add the labels of an app's audit actions (called from the app's AppConfig.ready())."""
    for action, label in labels.items():
        if action in _LABELS and _LABELS[action] is not label:
            raise ValueError(f"audit action {action!r} is labelled twice")
        _LABELS[action] = label


def registered() -> dict[str, object]:
    """Every registered action code with its (lazy) label."""
    return dict(_LABELS)


def has_label(action: str) -> bool:
    return action in _LABELS


def audit_label(action: str) -> str:
    """The label of an action in the active language; a generic text for an unknown one."""
    label = _LABELS.get(action)
    if label is not None:
        return str(label)
    group = _GROUPS.get(action.partition(".")[0])
    if group is not None:
        return gettext("%(group)s: other event") % {"group": group}
    return gettext("Other event")
