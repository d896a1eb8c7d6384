"""Labels of the audit actions accreditation writes (registered in ikms.core.audit_labels by
AccreditationConfig): `accreditation.<action>` for every step of the case workflow (workflow.TRANSITIONS),
the improvement tasks, and `self_evaluation.<step>` for self-evaluation reports."""

from django.utils.translation import gettext_lazy as _

#: Case steps (the actions of workflow.TRANSITIONS), as they read in an event log.
CASE_STEPS: dict[str, object] = {
    "apply": _("Accreditation case: application submitted"),
    "self_rate": _("Accreditation case: criteria self-rated"),
    "register": _("Accreditation case: application registered"),
    "withdraw": _("Accreditation case: application withdrawn"),
    "appoint": _("Accreditation case: commission appointed"),
    "declare": _("Accreditation case: no conflict of interest declared"),
    "plan": _("Accreditation case: evaluation planned"),
    "rate": _("Accreditation case: criteria rated"),
    "draft": _("Accreditation case: draft report submitted"),
    "comment": _("Accreditation case: institution commented on the draft report"),
    "finalise": _("Accreditation case: final report submitted"),
    "decide": _("Accreditation case: decided"),
}

#: The same steps as the case's own timeline states them (selectors.case_timeline).
CASE_STEPS_DONE: dict[str, object] = {
    "apply": _("Application submitted"),
    "self_rate": _("Criteria self-rated"),
    "register": _("Application registered"),
    "withdraw": _("Application withdrawn"),
    "appoint": _("Commission appointed"),
    "declare": _("No conflict of interest declared"),
    "plan": _("Evaluation planned"),
    "rate": _("Criteria rated"),
    "draft": _("Draft report submitted"),
    "comment": _("Institution commented on the draft report"),
    "finalise": _("Final report submitted"),
    "decide": _("Decision made"),
}

#: Steps of a self-evaluation report (services._se_audit).
SELF_EVALUATION_STEPS: dict[str, object] = {
    "self_evaluation.create": _("Self-evaluation report created"),
    "self_evaluation.update": _("Self-evaluation report edited"),
    "self_evaluation.submit": _("Self-evaluation report submitted to the founder"),
    "self_evaluation.agree": _("Self-evaluation report agreed by the founder"),
    "self_evaluation.return": _("Self-evaluation report returned by the founder"),
    "self_evaluation.publish": _("Self-evaluation report published"),
}

LABELS: dict[str, object] = {
    **{f"accreditation.{action}": label for action, label in CASE_STEPS.items()},
    "accreditation.task_create": _("Improvement task set"),
    "accreditation.task_update": _("Improvement task updated"),
    **SELF_EVALUATION_STEPS,
    "accreditation.expert_update": _("Experts register: entry updated"),
    "accreditation.expert_unavailability_add": _("Experts register: unavailability period added"),
    "accreditation.expert_unavailability_remove": _("Experts register: unavailability period removed"),
    "accreditation.expert_conflict_add": _("Experts register: conflict of interest declared"),
    "accreditation.expert_conflict_remove": _("Experts register: declared conflict of interest removed"),
    "accreditation.expert_training_add": _("Experts register: completed training added"),
    "accreditation.expert_training_remove": _("Experts register: training record removed"),
}
