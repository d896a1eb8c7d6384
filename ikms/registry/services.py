"""Writes to the registers. Every change is a recorded Decision, written with its audit event and
row history in one transaction; nothing else in the system changes a register entry."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import reversion
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.db.models.functions import Cast, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from ikms.accounts.permissions import require_role
from ikms.core.audit import audit_event, audit_log, audit_log_many
from ikms.core.exceptions import ApplicationError
from ikms.registry import permissions, tasks
from ikms.registry.choices import (
    AMEND_ENTRY_KINDS,
    CONTENT_ENTRY_KINDS,
    ISSUE_ENTRY_KINDS,
    AccreditationState,
    AmendmentReason,
    DecisionKind,
    InstitutionStatus,
    InternationalProgramme,
    LicenceEntryKind,
    LicenceStatus,
    StrikeOffReason,
)
from ikms.registry.models import (
    Accreditation,
    Decision,
    Founder,
    ImplementationPlace,
    Institution,
    InstitutionType,
    Municipality,
    Programme,
)
from ikms.registry.signals import register_changes_announce
from ikms.registry.validators import programme_type_for

#: Fields of an institution entry a decision may set or amend.
INSTITUTION_FIELDS = ("name", "type", "founder", "municipality", "address", "head_name", "capacity")
#: Fields of a licensed programme a licence amendment may change.
PROGRAMME_FIELDS = ("name", "form")
ACCREDITATION_YEARS = 6
MAX_EXTENSION_YEARS = 2


@dataclass(frozen=True)
class DecisionInput:
    """What every decision carries: number, date, legal basis and an optional justification."""

    number: str
    date: datetime.date
    legal_basis: str
    justification: str = ""


@dataclass(frozen=True)
class PlaceInput:
    address: str
    municipality: Municipality


def _value_repr(value: Any) -> Any:
    if isinstance(value, models.Model):
        return {"id": value.pk, "label": str(value)}
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _decision_create(*, actor, data: DecisionInput, kind: DecisionKind, institution: Institution | None = None,
                     programme: Programme | None = None, reason: str = "", subject_name: str = "",
                     changes: dict | None = None, revokes: Decision | None = None) -> Decision:
    if data.date > timezone.localdate():
        raise ValidationError({"date": _("The decision date cannot be in the future.")})
    decision = Decision(
        number=data.number.strip(), date=data.date, kind=kind, reason=reason,
        legal_basis=data.legal_basis.strip(), justification=data.justification.strip(), decided_by=actor,
        institution=institution, programme=programme, revokes=revokes,
        subject_name=subject_name or (institution.name if institution else ""),
        changes=changes or {},
    )
    decision.full_clean()
    decision.save()
    return decision


def _audit_decision(*, actor, decision: Decision, target: models.Model, institution_id: int | None) -> None:
    audit_log(actor=actor, action=f"decision.{decision.kind}", target=target, institution_id=institution_id,
              data={"decision": decision.number, "date": decision.date, "reason": decision.reason,
                    "changes": decision.changes})
    audit_log(actor=actor, action="decision.record", target=decision, institution_id=institution_id,
              data={"kind": decision.kind, "target": str(target)})
    if institution_id is not None and tasks.notifications_enabled():
        transaction.on_commit(lambda: tasks.notify_decision.enqueue(decision.pk))
    register_changes_announce()


class RegisterRevision:
    """Row history for one decision: every saved register row gets a version with this comment (django-reversion;
    the other registers' services use it too)."""

    def __init__(self, actor, comment: str) -> None:
        self.actor, self.comment = actor, comment

    def __enter__(self):
        self._ctx = reversion.create_revision()
        self._ctx.__enter__()
        reversion.set_user(self.actor if getattr(self.actor, "pk", None) else None)
        reversion.set_comment(self.comment)
        return self

    def __exit__(self, *exc):
        return self._ctx.__exit__(*exc)


def _institution_snapshot(institution: Institution) -> dict[str, Any]:
    return {f: _value_repr(getattr(institution, f)) for f in INSTITUTION_FIELDS}


#: The design capacity a decision may record (learners): a whole number in this range, or empty (not recorded).
CAPACITY_RANGE = (1, 5000)


def _capacity_check(value: Any) -> None:
    """A design capacity is empty or a whole number of learners in CAPACITY_RANGE; anything else is refused
    before anything is written."""
    if value is None:
        return
    low, high = CAPACITY_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError({"capacity": _("The design capacity must be a whole number of learners from "
                                             "%(low)s to %(high)s, or empty if it is not known.")
                               % {"low": low, "high": high}})


def _apply_institution_fields(institution: Institution, values: dict[str, Any]) -> dict[str, dict]:
    unknown = set(values) - set(INSTITUTION_FIELDS)
    if unknown:
        raise ApplicationError(_("These fields cannot be changed by a decision: %(fields)s")
                               % {"fields": ", ".join(sorted(unknown))})
    if "capacity" in values:
        _capacity_check(values["capacity"])
    changes: dict[str, dict] = {}
    for field, new in values.items():
        old = getattr(institution, field, None) if institution.pk else None
        if institution.pk is None or old != new:
            changes[field] = {"old": _value_repr(old), "new": _value_repr(new)}
            setattr(institution, field, new)
    return changes


# --- Founders -------------------------------------------------------------------------------------


@transaction.atomic
def founder_create(*, actor, kind: str, name: str, registration_code: str = "",
                   municipality: Municipality | None = None) -> Founder:
    """Record a founder so that institutions can be registered under it."""
    require_role(actor, *permissions.REGISTER_DECIDERS)
    if Founder.objects.filter(name__iexact=name.strip(), kind=kind).exists():
        raise ValidationError({"name": _("A founder with this name is already recorded.")})
    with RegisterRevision(actor, f"founder: {name}"):
        founder = Founder(kind=kind, name=name.strip(), registration_code=registration_code.strip(),
                          municipality=municipality)
        founder.full_clean()
        founder.save()
        audit_log(actor=actor, action="founder.create", target=founder,
                  data={"kind": kind, "name": founder.name, "registration_code": founder.registration_code})
    return founder


# --- Register of educational institutions -------------------------------------------------------


@transaction.atomic
def institution_register(*, actor, decision: DecisionInput, registration_number: str, name: str,
                         type: InstitutionType, founder: Founder, municipality: Municipality, address: str,
                         head_name: str = "", application: Institution | None = None,
                         reason: str = "") -> Institution:
    """Register an institution (a new entry, or an application that was postponed) — MK 397."""
    require_role(actor, *permissions.REGISTER_DECIDERS)
    with RegisterRevision(actor, decision.number):
        if application is not None:
            if application.status != InstitutionStatus.APPLICATION:
                raise ApplicationError(_("Only an application under consideration can be registered."))
            institution = application
            institution.registration_number = registration_number
        else:
            institution = Institution(registration_number=registration_number)
        _apply_institution_fields(institution, {"name": name, "type": type, "founder": founder,
                                                "municipality": municipality, "address": address,
                                                "head_name": head_name})
        institution.status = InstitutionStatus.REGISTERED
        institution.registered_on = decision.date
        institution.full_clean()
        institution.save()
        d = _decision_create(actor=actor, data=decision, kind=DecisionKind.REGISTER, institution=institution,
                             reason=reason, changes={"status": {"old": InstitutionStatus.APPLICATION,
                                                                "new": InstitutionStatus.REGISTERED},
                                                     "entry": _institution_snapshot(institution)})
        _audit_decision(actor=actor, decision=d, target=institution, institution_id=institution.pk)
    return institution


@transaction.atomic
def institution_application_record(*, actor, decision: DecisionInput, kind: DecisionKind,
                                   institution: Institution | None = None, registration_number: str = "",
                                   name: str = "", type: InstitutionType | None = None,
                                   founder: Founder | None = None, municipality: Municipality | None = None,
                                   address: str = "", head_name: str = "") -> Decision:
    """Postpone or refuse a registration or amendment application.

    For a new institution the application itself becomes a non-public entry (status "application",
    or "refused"); for an existing entry the decision is recorded and the entry is unchanged.
    """
    require_role(actor, *permissions.REGISTER_DECIDERS)
    if kind not in (DecisionKind.POSTPONE, DecisionKind.REFUSE):
        raise ApplicationError(_("Only postponement or refusal can be recorded on an application."))
    with RegisterRevision(actor, decision.number):
        changes: dict[str, Any] = {}
        if institution is None:
            institution = Institution(registration_number=registration_number, status=InstitutionStatus.APPLICATION)
            _apply_institution_fields(institution, {"name": name, "type": type, "founder": founder,
                                                    "municipality": municipality, "address": address,
                                                    "head_name": head_name})
        if institution.status == InstitutionStatus.APPLICATION and kind == DecisionKind.REFUSE:
            changes["status"] = {"old": InstitutionStatus.APPLICATION, "new": InstitutionStatus.REFUSED}
            institution.status = InstitutionStatus.REFUSED
        elif institution.status not in (InstitutionStatus.APPLICATION, InstitutionStatus.REGISTERED):
            raise ApplicationError(_("This entry has no open application."))
        institution.full_clean()
        institution.save()
        d = _decision_create(actor=actor, data=decision, kind=kind, institution=institution, changes=changes)
        _audit_decision(actor=actor, decision=d, target=institution, institution_id=institution.pk)
    return d


@transaction.atomic
def institution_amend(*, actor, decision: DecisionInput, institution: Institution, reason: AmendmentReason,
                      values: dict[str, Any], kind: DecisionKind = DecisionKind.AMEND) -> Decision:
    """Amend a registered entry (reorganisation, change of type, name, address, head, founder…)."""
    require_role(actor, *permissions.REGISTER_DECIDERS)
    if kind not in (DecisionKind.AMEND, DecisionKind.HE_REGISTER_AMEND, DecisionKind.INTERNATIONAL_SCHOOL):
        raise ApplicationError(_("Not an amendment decision."))
    if institution.status != InstitutionStatus.REGISTERED:
        raise ApplicationError(_("Only a registered institution can be amended."))
    if kind == DecisionKind.HE_REGISTER_AMEND and institution.type.kind.code != "higher":
        raise ApplicationError(_("Only a higher education institution is in the register of higher education "
                                 "institutions."))
    with RegisterRevision(actor, decision.number):
        changes = _apply_institution_fields(institution, values)
        if not changes and kind == DecisionKind.AMEND:
            raise ApplicationError(_("The decision changes nothing in the entry."))
        institution.full_clean()
        institution.save(update_fields=[*changes, "updated_at"])
        d = _decision_create(actor=actor, data=decision, kind=kind, institution=institution,
                             reason=reason, changes=changes)
        _audit_decision(actor=actor, decision=d, target=institution, institution_id=institution.pk)
    return d


@transaction.atomic
def institution_strike_off(*, actor, decision: DecisionInput, institution: Institution,
                           reason: StrikeOffReason = StrikeOffReason.LIQUIDATION,
                           kind: DecisionKind = DecisionKind.STRIKE_OFF) -> Decision:
    """Liquidate or strike off an institution; its licences lapse with it."""
    require_role(actor, *permissions.REGISTER_DECIDERS)
    if kind not in (DecisionKind.STRIKE_OFF, DecisionKind.HE_BRANCH_REMOVE):
        raise ApplicationError(_("Not a strike-off decision."))
    if institution.status != InstitutionStatus.REGISTERED:
        raise ApplicationError(_("Only a registered institution can be struck off."))
    if kind == DecisionKind.HE_BRANCH_REMOVE and not institution.type.code.endswith("branch"):
        raise ApplicationError(_("Only a branch of a higher education institution can be removed this way."))
    with RegisterRevision(actor, decision.number):
        lapsed = list(institution.programmes.filter(status=LicenceStatus.LICENSED))
        for programme in lapsed:
            programme.status = LicenceStatus.LAPSED
            programme.status_changed_on = decision.date
            programme.save(update_fields=["status", "status_changed_on", "updated_at"])
        institution.status = InstitutionStatus.LIQUIDATED
        institution.liquidated_on = decision.date
        institution.save(update_fields=["status", "liquidated_on", "updated_at"])
        d = _decision_create(actor=actor, data=decision, kind=kind, institution=institution, reason=reason,
                             changes={"status": {"old": InstitutionStatus.REGISTERED,
                                                 "new": InstitutionStatus.LIQUIDATED},
                                      "lapsed_programmes": [p.pk for p in lapsed]})
        _audit_decision(actor=actor, decision=d, target=institution, institution_id=institution.pk)
    return d


# --- Register of licensed programmes -------------------------------------------------------------


def _next_licence_number() -> str:
    """The next "V-<n>" licence number (one aggregate query)."""
    highest = (Programme.objects.filter(licence_number__regex=r"^V-[0-9]+$")
               .annotate(n=Cast(Substr("licence_number", 3), models.IntegerField()))
               .aggregate(m=Max("n"))["m"]) or 0
    return f"V-{highest + 1}"


@dataclass(frozen=True)
class LicenceIssue:
    """One licence to issue: the decision, the institution and the programme (MK 253)."""

    decision: DecisionInput
    institution: Institution
    code: str
    name: str
    form: str
    places: tuple[PlaceInput, ...]
    licence_number: str = ""
    entry_kind: str = LicenceEntryKind.NEW_PROGRAMME
    international: str = InternationalProgramme.NONE


def _entry_kind_check(entry_kind: str, allowed: Iterable[str], code: str) -> None:
    """The VIIS entry kind of a licence decision fits the decision and the programme."""
    if entry_kind not in allowed:
        raise ValidationError({"entry_kind": _("This kind of entry does not fit the decision.")})
    row = programme_type_for(code) or {}
    level = row.get("level", "")
    fits = {
        LicenceEntryKind.DERIVED: level in ("continuing_vocational", "professional_development"),
        LicenceEntryKind.MODULAR_RELICENSING: level == "vocational",
        LicenceEntryKind.ORIENTATION_RELICENSING: level == "vocational_orientation",
        LicenceEntryKind.STUDY_PLAN_UPDATE: level == "secondary",
    }.get(entry_kind, True)
    if not fits:
        raise ValidationError({"entry_kind": _("This kind of entry does not apply to a programme of this type.")})


def _decision_numbers_free(numbers: list[str]) -> None:
    if len(set(numbers)) != len(numbers) or Decision.objects.filter(number__in=numbers).exists():
        raise ValidationError({"number": _("A decision with this number is already recorded.")})


def _audit_decisions_bulk(*, actor, decisions: list[Decision], targets: list[models.Model]) -> None:
    """`_audit_decision` for a batch: the same two events per decision, written with one insert."""
    events = []
    for d, target in zip(decisions, targets, strict=True):
        events.append(audit_event(
            actor=actor, action=f"decision.{d.kind}", target=target, institution_id=d.institution_id,
            data={"decision": d.number, "date": d.date, "reason": d.reason, "changes": d.changes}))
        events.append(audit_event(actor=actor, action="decision.record", target=d, institution_id=d.institution_id,
                                  data={"kind": d.kind, "target": str(target)}))
        if d.institution_id is not None and tasks.notifications_enabled():
            transaction.on_commit(lambda pk=d.pk: tasks.notify_decision.enqueue(pk))
        register_changes_announce()
    audit_log_many(events)


@transaction.atomic
def programme_license_many(*, actor, issues: Iterable[LicenceIssue]) -> list[Programme]:
    """License programmes (MK 253), each with its own decision: a new programme, one derived from another (PIL
    25(5)–(6)), the right to implement restored, or an updated programme re-licensed as a new entry. All or nothing:
    one bad entry and nothing is written. The rows are validated one by one and written together (a batch of a
    thousand model programmes entered in VIIS takes seconds, not minutes)."""
    require_role(actor, *permissions.REGISTER_DECIDERS)
    issues = list(issues)
    today = timezone.localdate()
    _decision_numbers_free([i.decision.number.strip() for i in issues])
    given = [i.licence_number for i in issues if i.licence_number]
    if len(set(given)) != len(given) or Programme.objects.filter(licence_number__in=given).exists():
        raise ValidationError({"licence_number": _("This licence number is already used.")})
    next_number = int(_next_licence_number()[2:])
    programmes, places, decisions = [], [], []
    for issue in issues:
        if issue.decision.date > today:
            raise ValidationError({"date": _("The decision date cannot be in the future.")})
        if issue.institution.status != InstitutionStatus.REGISTERED:
            raise ApplicationError(_("A programme can be licensed only for a registered institution."))
        if not issue.places:
            raise ValidationError({"places": _("Give at least one place of implementation.")})
        code = issue.code.strip()
        _entry_kind_check(issue.entry_kind, ISSUE_ENTRY_KINDS, code)
        if issue.entry_kind == LicenceEntryKind.RIGHTS_RESTORED and not issue.institution.programmes.filter(
                code=code, status__in=(LicenceStatus.LAPSED, LicenceStatus.ANNULLED)).exists():
            raise ValidationError({"entry_kind": _("The right to implement can be restored only for a programme "
                                                   "whose licence at this institution lapsed or was annulled.")})
        number = issue.licence_number
        if not number:
            number, next_number = f"V-{next_number}", next_number + 1
        programme = Programme(institution=issue.institution, code=code, name=issue.name.strip(), form=issue.form,
                              international=issue.international, licence_number=number,
                              licence_date=issue.decision.date, status=LicenceStatus.LICENSED)
        programme.full_clean(exclude=["institution"], validate_unique=False)
        programmes.append(programme)
    Programme.objects.bulk_create(programmes)
    for issue, programme in zip(issues, programmes, strict=True):
        for place in issue.places:
            row = ImplementationPlace(programme=programme, address=place.address, municipality=place.municipality)
            row.full_clean(exclude=["programme", "municipality"])
            places.append(row)
        d = Decision(number=issue.decision.number.strip(), date=issue.decision.date, kind=DecisionKind.LICENCE_ISSUE,
                     reason=issue.entry_kind, legal_basis=issue.decision.legal_basis.strip(),
                     justification=issue.decision.justification.strip(), decided_by=actor,
                     institution=issue.institution, programme=programme,
                     subject_name=f"{programme.code} {programme.name}",
                     changes={"licence_number": programme.licence_number, "code": programme.code,
                              "places": [p.address for p in issue.places],
                              **({"international": programme.international} if programme.international else {})})
        d.full_clean(exclude=["decided_by", "institution", "programme", "revokes"], validate_unique=False)
        decisions.append(d)
    ImplementationPlace.objects.bulk_create(places)
    Decision.objects.bulk_create(decisions)
    if not decisions:
        return []
    comment = decisions[0].number if len(decisions) == 1 else f"{decisions[0].number} … {decisions[-1].number}"
    with RegisterRevision(actor, comment):
        for row in [*programmes, *places]:
            reversion.add_to_revision(row)
    _audit_decisions_bulk(actor=actor, decisions=decisions, targets=programmes)
    return programmes


def programme_license(*, actor, decision: DecisionInput, institution: Institution, code: str, name: str,
                      form: str, places: Iterable[PlaceInput], licence_number: str = "",
                      entry_kind: str = LicenceEntryKind.NEW_PROGRAMME,
                      international: str = InternationalProgramme.NONE) -> Programme:
    """License a programme for an institution at one or more places of implementation (MK 253)."""
    return programme_license_many(actor=actor, issues=[LicenceIssue(
        decision=decision, institution=institution, code=code, name=name, form=form, places=tuple(places),
        licence_number=licence_number, entry_kind=entry_kind, international=international)])[0]


@transaction.atomic
def programme_licence_change(*, actor, decision: DecisionInput, programme: Programme, kind: DecisionKind,
                             values: dict[str, Any] | None = None,
                             places: Iterable[PlaceInput] | None = None, entry_kind: str = "") -> Decision:
    """Amend, annul or record the lapse of a programme licence. An amendment says what it records in VIIS
    (`entry_kind`, LicenceEntryKind: default an amendment of the entry); one of the programme's content (a study plan,
    a re-licensing after a model programme) changes no field here. An annulment gives its reasons."""
    require_role(actor, *permissions.REGISTER_DECIDERS)
    if kind not in (DecisionKind.LICENCE_AMEND, DecisionKind.LICENCE_ANNUL, DecisionKind.LICENCE_LAPSE):
        raise ApplicationError(_("Not a licence decision."))
    if programme.status != LicenceStatus.LICENSED:
        raise ApplicationError(_("Only a valid licence can be changed."))
    if kind == DecisionKind.LICENCE_AMEND:
        entry_kind = entry_kind or LicenceEntryKind.AMENDMENT
        _entry_kind_check(entry_kind, AMEND_ENTRY_KINDS, programme.code)
    elif kind == DecisionKind.LICENCE_LAPSE:
        entry_kind = entry_kind or LicenceEntryKind.NOT_IMPLEMENTED
        _entry_kind_check(entry_kind, (LicenceEntryKind.NOT_IMPLEMENTED,), programme.code)
    else:
        if entry_kind:
            raise ValidationError({"entry_kind": _("This kind of entry does not fit the decision.")})
        if not decision.justification.strip():
            raise ValidationError({"justification": _("Give the reasons for the annulment.")})
    with RegisterRevision(actor, decision.number):
        changes: dict[str, Any] = {}
        if kind == DecisionKind.LICENCE_AMEND:
            values = values or {}
            unknown = set(values) - set(PROGRAMME_FIELDS)
            if unknown:
                raise ApplicationError(_("These fields cannot be changed by a decision: %(fields)s")
                                       % {"fields": ", ".join(sorted(unknown))})
            for field, new in values.items():
                if getattr(programme, field) != new:
                    changes[field] = {"old": getattr(programme, field), "new": new}
                    setattr(programme, field, new)
            if places is not None:
                places = list(places)
                if not places:
                    raise ValidationError({"places": _("Give at least one place of implementation.")})
                old = [p.address for p in programme.places.all()]
                new_addresses = [p.address for p in places]
                if old != new_addresses:
                    changes["places"] = {"old": old, "new": new_addresses}
                    programme.places.all().delete()
                    for place in places:
                        row = ImplementationPlace(programme=programme, address=place.address,
                                                  municipality=place.municipality)
                        row.full_clean()
                        row.save()
            if entry_kind == LicenceEntryKind.NEW_PLACE and "places" not in changes:
                raise ValidationError({"places": _("Add the new place of implementation.")})
            if not changes and entry_kind not in CONTENT_ENTRY_KINDS:
                raise ApplicationError(_("The decision changes nothing in the entry."))
        else:
            new_status = LicenceStatus.ANNULLED if kind == DecisionKind.LICENCE_ANNUL else LicenceStatus.LAPSED
            changes["status"] = {"old": programme.status, "new": new_status}
            programme.status = new_status
            programme.status_changed_on = decision.date
        programme.full_clean()
        programme.save()
        d = _decision_create(actor=actor, data=decision, kind=kind, institution=programme.institution,
                             programme=programme, subject_name=f"{programme.code} {programme.name}",
                             changes=changes, reason=entry_kind)
        _audit_decision(actor=actor, decision=d, target=programme, institution_id=programme.institution_id)
    return d


@dataclass(frozen=True)
class ContentUpdate:
    """One programme whose content a decision updates (its decision, the programme)."""

    decision: DecisionInput
    programme: Programme


@transaction.atomic
def programme_content_updates_record(*, actor, entry_kind: str, updates: Iterable[ContentUpdate]) -> list[Decision]:
    """Record a batch of amendments of programmes' content (VIIS entries accepted together, e.g. every music
    school's programmes re-licensed after LNKC's model programmes): one licence amendment decision per programme,
    as `programme_licence_change` with a content entry kind records it, written together. All or nothing."""
    require_role(actor, *permissions.REGISTER_DECIDERS)
    if entry_kind not in CONTENT_ENTRY_KINDS:
        raise ValidationError({"entry_kind": _("This kind of entry does not fit the decision.")})
    updates = list(updates)
    _decision_numbers_free([u.decision.number.strip() for u in updates])
    today = timezone.localdate()
    decisions = []
    for update in updates:
        programme = update.programme
        if update.decision.date > today:
            raise ValidationError({"date": _("The decision date cannot be in the future.")})
        if programme.status != LicenceStatus.LICENSED:
            raise ApplicationError(_("Only a valid licence can be changed."))
        _entry_kind_check(entry_kind, AMEND_ENTRY_KINDS, programme.code)
        d = Decision(number=update.decision.number.strip(), date=update.decision.date,
                     kind=DecisionKind.LICENCE_AMEND, reason=entry_kind,
                     legal_basis=update.decision.legal_basis.strip(),
                     justification=update.decision.justification.strip(), decided_by=actor,
                     institution_id=programme.institution_id, programme=programme,
                     subject_name=f"{programme.code} {programme.name}", changes={})
        d.full_clean(exclude=["decided_by", "institution", "programme", "revokes"], validate_unique=False)
        decisions.append(d)
    if not decisions:
        return []
    Decision.objects.bulk_create(decisions)
    _audit_decisions_bulk(actor=actor, decisions=decisions, targets=[u.programme for u in updates])
    return decisions


@transaction.atomic
def programme_licence_refuse(*, actor, decision: DecisionInput, institution: Institution, code: str,
                             name: str) -> Decision:
    """Refuse to license a programme: the decision is recorded (with its justification, required); the register
    of programmes does not change."""
    require_role(actor, *permissions.REGISTER_DECIDERS)
    if not decision.justification.strip():
        raise ValidationError({"justification": _("Give the reasons for the refusal.")})
    d = _decision_create(actor=actor, data=decision, kind=DecisionKind.LICENCE_REFUSE, institution=institution,
                         subject_name=f"{code} {name}", changes={"code": code})
    _audit_decision(actor=actor, decision=d, target=institution, institution_id=institution.pk)
    return d


# --- Register of accredited institutions ---------------------------------------------------------


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def accreditation_decide(*, actor, decision: DecisionInput, institution: Institution, kind: DecisionKind,
                         valid_until: datetime.date | None = None) -> Accreditation:
    """Accredit (6 years), extend (up to 2 years) or refuse accreditation of an institution."""
    require_role(actor, *permissions.ACCREDITATION_DECIDERS)
    if institution.status != InstitutionStatus.REGISTERED:
        raise ApplicationError(_("Only a registered institution can be accredited."))
    state = {
        DecisionKind.ACCREDITATION_GRANT: AccreditationState.ACCREDITED,
        DecisionKind.ACCREDITATION_EXTEND: AccreditationState.EXTENDED,
        DecisionKind.ACCREDITATION_REFUSE: AccreditationState.REFUSED,
    }.get(kind)
    if state is None:
        raise ApplicationError(_("Not an accreditation decision."))
    current = institution.accreditations.order_by("-valid_from", "-id").first()
    if state == AccreditationState.ACCREDITED:
        valid_until = valid_until or _add_years(decision.date, ACCREDITATION_YEARS)
    elif state == AccreditationState.EXTENDED:
        if current is None or current.valid_until is None:
            raise ApplicationError(_("Only an existing accreditation term can be extended."))
        if valid_until is None or valid_until <= current.valid_until:
            raise ValidationError({"valid_until": _("The extended term must end after the current term.")})
        if valid_until > _add_years(current.valid_until, MAX_EXTENSION_YEARS):
            raise ValidationError({"valid_until": _("Accreditation can be extended by at most two years.")})
    else:
        valid_until = None
    with RegisterRevision(actor, decision.number):
        d = _decision_create(actor=actor, data=decision, kind=kind, institution=institution,
                             changes={"state": state, "valid_until": _value_repr(valid_until),
                                      "previous": _value_repr(current.valid_until) if current else None})
        accreditation = Accreditation(institution=institution, state=state, valid_from=decision.date,
                                      valid_until=valid_until, decision=d)
        accreditation.full_clean()
        accreditation.save()
        _audit_decision(actor=actor, decision=d, target=institution, institution_id=institution.pk)
    return accreditation


# --- Revocation ----------------------------------------------------------------------------------

REVOCABLE = {
    DecisionKind.REGISTER, DecisionKind.AMEND, DecisionKind.REFUSE, DecisionKind.STRIKE_OFF,
    DecisionKind.LICENCE_ISSUE, DecisionKind.LICENCE_ANNUL, DecisionKind.LICENCE_LAPSE,
}


@transaction.atomic
def decision_revoke(*, actor, decision: DecisionInput, target: Decision) -> Decision:
    """Revoke an earlier decision and undo its effect on the register entry."""
    require_role(actor, *permissions.REGISTER_DECIDERS)
    target = Decision.objects.select_for_update().get(pk=target.pk)
    if target.is_revoked:
        raise ApplicationError(_("This decision has already been revoked."))
    if target.kind not in REVOCABLE:
        raise ApplicationError(_("A decision of this kind cannot be revoked here."))
    later = Decision.objects.filter(institution=target.institution, date__gte=target.date,
                                    id__gt=target.id).exclude(kind=DecisionKind.REVOKE)
    if target.kind in (DecisionKind.REGISTER, DecisionKind.STRIKE_OFF, DecisionKind.AMEND) and later.exists():
        raise ApplicationError(_("Later decisions changed this entry; revoke them first."))
    institution = target.institution
    with RegisterRevision(actor, decision.number):
        undone: dict[str, Any] = {}
        if target.kind == DecisionKind.REGISTER:
            institution.status = InstitutionStatus.ANNULLED
            undone["status"] = InstitutionStatus.ANNULLED
        elif target.kind == DecisionKind.REFUSE and target.changes.get("status"):
            institution.status = InstitutionStatus.APPLICATION
            undone["status"] = InstitutionStatus.APPLICATION
        elif target.kind == DecisionKind.STRIKE_OFF:
            institution.status = InstitutionStatus.REGISTERED
            institution.liquidated_on = None
            for programme in Programme.objects.filter(pk__in=target.changes.get("lapsed_programmes", [])):
                programme.status = LicenceStatus.LICENSED
                programme.status_changed_on = None
                programme.save(update_fields=["status", "status_changed_on", "updated_at"])
            undone["status"] = InstitutionStatus.REGISTERED
        elif target.kind == DecisionKind.AMEND:
            for field, change in target.changes.items():
                old = change["old"]
                if isinstance(old, dict):
                    model = Institution._meta.get_field(field).related_model
                    setattr(institution, field, model.objects.get(pk=old["id"]))
                else:
                    setattr(institution, field, old)
                undone[field] = old
        elif target.programme is not None:
            programme = target.programme
            programme.status = (LicenceStatus.ANNULLED if target.kind == DecisionKind.LICENCE_ISSUE
                                else LicenceStatus.LICENSED)
            programme.status_changed_on = decision.date
            programme.save()
            undone["licence_status"] = programme.status
        if institution is not None:
            institution.full_clean()
            institution.save()
        d = _decision_create(actor=actor, data=decision, kind=DecisionKind.REVOKE, institution=institution,
                             programme=target.programme, revokes=target, subject_name=target.subject_name,
                             changes={"revoked": target.number, "undone": undone})
        _audit_decision(actor=actor, decision=d, target=institution or target, institution_id=
                        institution.pk if institution else None)
    return d
