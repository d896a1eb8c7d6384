"""Labels of the audit actions the register of psychologists writes (registered by PsychologistsConfig)."""

from django.utils.translation import gettext_lazy as _

LABELS: dict[str, object] = {
    "psychologists.meeting": _("Certification board meeting recorded"),
    "psychologists.application": _("Psychologist's application received"),
    "psychologists.exam_session": _("Psychologists' examination session recorded"),
    "psychologists.exam_result": _("Psychologist's examination result recorded"),
    "psychologists.register": _("Psychologist registered"),
    "psychologists.refuse": _("Psychologist's application refused"),
    "psychologists.recognise": _("Psychologist's foreign qualification recognised"),
    "psychologists.certify": _("Psychologist's certificate issued"),
    "psychologists.renew": _("Psychologist's certificate renewed"),
    "psychologists.supervisor_grant": _("Supervising psychologist's rights granted"),
    "psychologists.supervisor_withdraw": _("Supervising psychologist's rights withdrawn"),
    "psychologists.status": _("Psychologist's status changed"),
}
