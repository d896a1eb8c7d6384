"""Kinds, statuses and areas of the register of psychologists (Psihologu likums, in force 1.1.2018; Cabinet
Regulations No. 301 and No. 302 of 29.05.2018; domain.md §4.3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

#: A certificate is valid for five years; supervisor rights are valid for the certificate's term, in at most two
#: areas (domain.md §4.3).
CERTIFICATE_YEARS = 5
MAX_SUPERVISOR_AREAS = 2


class WorkArea(models.TextChoices):
    """The areas of a psychologist's professional activity (profesionālās darbības jomas) named in the sources."""

    CLINICAL = "clinical", _("Clinical and health psychology")
    EDUCATIONAL = "educational", _("Educational and school psychology")
    COUNSELLING = "counselling", _("Counselling psychology")
    ORGANISATIONAL = "organisational", _("Work and organisational psychology")
    LEGAL = "legal", _("Legal psychology")
    MILITARY = "military", _("Military psychology")


class PsychologistStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Activity suspended")
    CANCELLED = "cancelled", _("Registration cancelled")


class ApplicationKind(models.TextChoices):
    REGISTRATION = "registration", _("Registration in the register")
    CERTIFICATION = "certification", _("Certificate")
    SUPERVISOR = "supervisor", _("Supervising psychologist's rights")
    RECOGNITION = "recognition", _("Recognition of a foreign professional qualification")


class DecisionKind(models.TextChoices):
    REGISTER = "register", _("Register in the register of psychologists")
    CERTIFY = "certify", _("Issue a certificate")
    RENEW = "renew", _("Renew a certificate")
    GRANT_SUPERVISOR = "grant_supervisor", _("Grant supervising psychologist's rights")
    WITHDRAW_SUPERVISOR = "withdraw_supervisor", _("Withdraw supervising psychologist's rights")
    SUSPEND = "suspend", _("Suspend the psychologist's activity")
    RESTORE = "restore", _("Restore the psychologist's activity")
    CANCEL = "cancel", _("Cancel the registration")
    REFUSE = "refuse", _("Refuse an application")
    RECOGNISE = "recognise", _("Recognise a foreign professional qualification")


#: Decisions the Psychologist Certification Board takes at a meeting; the others (recognition of a foreign
#: qualification, and its refusal) are IKVD's own (Cabinet Regulation No. 827).
BOARD_KINDS = frozenset(set(DecisionKind) - {DecisionKind.RECOGNISE})
#: The decisions that change a psychologist's status, and the status each leaves.
STATUS_AFTER = {
    DecisionKind.REGISTER: PsychologistStatus.ACTIVE,
    DecisionKind.SUSPEND: PsychologistStatus.SUSPENDED,
    DecisionKind.RESTORE: PsychologistStatus.ACTIVE,
    DecisionKind.CANCEL: PsychologistStatus.CANCELLED,
}
#: What each decision did, in the past tense, for the register's timelines.
DECISION_EVENTS = {
    DecisionKind.REGISTER: _("Entered in the register"),
    DecisionKind.CERTIFY: _("Certificate issued"),
    DecisionKind.RENEW: _("Certificate renewed"),
    DecisionKind.GRANT_SUPERVISOR: _("Supervising psychologist's rights granted"),
    DecisionKind.WITHDRAW_SUPERVISOR: _("Supervising psychologist's rights withdrawn"),
    DecisionKind.SUSPEND: _("Activity suspended"),
    DecisionKind.RESTORE: _("Activity restored"),
    DecisionKind.CANCEL: _("Registration cancelled"),
    DecisionKind.REFUSE: _("Application refused"),
    DecisionKind.RECOGNISE: _("Foreign qualification recognised"),
}


class ExamKind(models.TextChoices):
    CERTIFICATION = "certification", _("Certification examination")
    SUPERVISOR = "supervisor", _("Supervising psychologist's examination")


class ExamMode(models.TextChoices):
    REMOTE = "remote", _("Remote")
    IN_PERSON = "in_person", _("In person")
