"""Writes of the absence hand-off (issue 15 item 8). Each service is atomic, checks the actor's permission, cleans
before saving and writes its audit event in the same transaction; bad input raises a ValidationError with a
message in the active language, and nothing is written.

* `cases_open_from_records`: the schools' imported records → one case per learner × institution × semester
  (idempotent), at the municipality of the learner's declared residence, in bulk (the case files, their deadlines,
  the cases and the school's recorded action); `manage.py absence_cases_open --year` and the demo call it.
* `absence_report`: a school's head reports a learner by hand (with the name and the parents' contact).
* `action_record`: the municipality records an action from the catalogue; the first one meets the deadline.
* `case_close`: the municipality closes the case with its outcome."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.imports.pseudonym import pseudonymise
from analytics.spec.periods import SchoolYear
from ikms.attendance import permissions
from ikms.attendance.case_type import FIRST_ACTION, KIND
from ikms.attendance.choices import ActionKind, Level, Outcome, Reason, Source
from ikms.attendance.lake import Record
from ikms.attendance.models import AbsenceAction, AbsenceCase
from ikms.cases import services as case_services
from ikms.cases.deadlines import StatutoryDeadline
from ikms.cases.models import CaseFile, Deadline
from ikms.core.audit import audit_log
from ikms.core.exceptions import PermissionDeniedError
from ikms.core.personal_codes import personal_code_digits, validate_personal_code
from ikms.registry.models import Institution, Municipality

#: Rows per INSERT of the bulk opening.
BATCH = 2000
_ACTIONS = frozenset(ActionKind.values)
_REASONS = frozenset(Reason.values)


def semester_end(school_year: str, semester: int) -> dt.date:
    """The day a semester's records reach the municipality (inferred: the last day of December for semester 1,
    of June for semester 2)."""
    year = SchoolYear.parse(school_year)
    return dt.date(year.start_year, 12, 31) if semester == 1 else dt.date(year.start_year + 1, 6, 30)


def _subject(school_year: str, semester: int, learner: str) -> str:
    return f"{school_year}, {semester}. sem.: {learner[:12]}"


@transaction.atomic
def cases_open_from_records(
    *, actor, school_year: str, records: Iterable[Record], today: dt.date | None = None
) -> dict[str, int]:
    """Open a hand-off case for every record not yet held (one per learner × institution × semester) at the
    municipality of the learner's declared residence, with the deadline of the municipality's first action counted
    from the semester's end (today while the semester runs), and the action the school recorded, if any (it meets
    the deadline that day; `recorded_by` empty marks it the school's). Records of an institution not in the
    register, or of a learner whose residence the lake does not know, are skipped and counted. Returns the
    counts."""
    today = today or timezone.localdate()
    SchoolYear.parse(school_year)
    institutions = dict(Institution.objects.values_list("registration_number", "pk"))
    municipalities = dict(Municipality.objects.values_list("code", "pk"))
    held = set(AbsenceCase.objects.filter(school_year=school_year).values_list("learner", "institution_id", "semester"))
    counts = {"opened": 0, "held": 0, "unknown_institution": 0, "unknown_residence": 0, "actions": 0}
    new: list[tuple[Record, int, int, dt.date]] = []
    for r in records:
        inst = institutions.get(r.institution)
        if inst is None:
            counts["unknown_institution"] += 1
            continue
        muni = municipalities.get(r.residence)
        if muni is None:
            counts["unknown_residence"] += 1
            continue
        key = (r.learner, inst, r.semester)
        if key in held:
            counts["held"] += 1
            continue
        held.add(key)
        new.append((r, inst, muni, min(semester_end(school_year, r.semester), today)))
    # the deadline of each start day, counted once (regime, due by law, due now)
    deadlines: dict[dt.date, tuple[str, dt.date, dt.date]] = {}
    for _r, _i, _m, day in new:
        if day not in deadlines:
            counted = StatutoryDeadline.start(FIRST_ACTION, day, today=today)
            deadlines[day] = (counted.regime.code, counted.statutory_due_on, counted.due_on)
    for start in range(0, len(new), BATCH):
        chunk = new[start : start + BATCH]
        files = CaseFile.objects.bulk_create(
            [
                CaseFile(
                    kind=KIND, subject=_subject(school_year, r.semester, r.learner), institution_id=inst, opened_on=day
                )
                for r, inst, _m, day in chunk
            ]
        )
        Deadline.objects.bulk_create(
            [
                Deadline(
                    case_file=f,
                    rule=FIRST_ACTION,
                    regime=deadlines[day][0],
                    starts_on=day,
                    statutory_due_on=deadlines[day][1],
                    due_on=deadlines[day][2],
                    met_on=day if r.action in _ACTIONS else None,
                )
                for f, (r, _i, _m, day) in zip(files, chunk, strict=True)
            ]
        )
        cases = AbsenceCase.objects.bulk_create(
            [
                AbsenceCase(
                    case_file=f,
                    learner=r.learner,
                    institution_id=inst,
                    residence_id=muni,
                    school_year=school_year,
                    semester=r.semester,
                    level=r.level,
                    reason=r.reason if r.reason in _REASONS else "",
                    source=Source.IMPORT,
                )
                for f, (r, inst, muni, _d) in zip(files, chunk, strict=True)
            ]
        )
        actions = AbsenceAction.objects.bulk_create(
            [
                AbsenceAction(case=c, kind=r.action, taken_on=day)
                for c, (r, _i, _m, day) in zip(cases, chunk, strict=True)
                if r.action in _ACTIONS
            ]
        )
        counts["opened"] += len(cases)
        counts["actions"] += len(actions)
    if counts["opened"]:
        first = AbsenceCase.objects.filter(school_year=school_year).order_by("id").first()
        audit_log(actor=actor, action="attendance.import", target=first, data={"school_year": school_year, **counts})
    return counts


def _clean_code(code: str) -> str:
    """The digits of a valid personal code (the one rule of ikms.core.personal_codes: format, date of birth, check
    digit), or a ValidationError on the field."""
    try:
        validate_personal_code(code)
    except ValidationError as exc:
        raise ValidationError({"personal_code": exc.messages}) from None
    return personal_code_digits(code)


@transaction.atomic
def absence_report(
    *,
    actor,
    institution: Institution,
    personal_code: str,
    learner_name: str,
    parent_contact: str,
    residence: Municipality,
    school_year: str,
    semester: int,
    level: str,
    reason: str = "",
    reported_on: dt.date | None = None,
) -> AbsenceCase:
    """A school's head reports a learner who passed the threshold in a semester; the case reaches the municipality
    of residence. The personal code is turned into the lake's pseudonym and not kept."""
    if not permissions.can_report_for(actor, institution):
        raise PermissionDeniedError(_("You may report only your own institution's learners."))
    learner = pseudonymise(_clean_code(personal_code), str(settings.IKMS_PSEUDONYM_KEY).encode("utf-8"))
    errors = {}
    try:
        SchoolYear.parse(school_year)
    except ValueError:
        errors["school_year"] = _("Enter a school year such as 2024/2025.")
    if semester not in (1, 2):
        errors["semester"] = _("Choose semester 1 or 2.")
    if level not in Level.values:
        errors["level"] = _("Choose the education level.")
    if reason and reason not in Reason.values:
        errors["reason"] = _("Choose a reason from the list.")
    if not learner_name.strip():
        errors["learner_name"] = _("Enter the learner's name.")
    if errors:
        raise ValidationError(errors)
    if AbsenceCase.objects.filter(
        learner=learner, institution=institution, school_year=school_year, semester=semester
    ).exists():
        raise ValidationError(_("This learner's absence in that semester has already been reported."))
    today = timezone.localdate()
    day = reported_on or today
    case_file = case_services.case_file_open(
        actor=actor, kind=KIND, subject=_subject(school_year, semester, learner), opened_on=day, institution=institution
    )
    case = AbsenceCase(
        case_file=case_file,
        learner=learner,
        institution=institution,
        residence=residence,
        school_year=school_year,
        semester=semester,
        level=level,
        reason=reason,
        source=Source.SCHOOL,
        learner_name=learner_name.strip(),
        parent_contact=parent_contact.strip(),
        reported_by=actor,
    )
    case.full_clean()
    case.save()
    case_services.deadline_start(actor=actor, case_file=case_file, rule=FIRST_ACTION, starts_on=day)
    audit_log(
        actor=actor,
        action="attendance.report",
        target=case,
        data={"school_year": school_year, "semester": semester, "residence": residence.code},
        institution_id=institution.pk,
    )
    return case


@transaction.atomic
def action_record(*, actor, case: AbsenceCase, kind: str, taken_on: dt.date, note: str = "") -> AbsenceAction:
    """The municipality records an action; the first one meets the deadline of the first action."""
    case = AbsenceCase.objects.select_for_update().select_related("case_file", "residence").get(pk=case.pk)
    if not permissions.can_act(actor, case):
        raise PermissionDeniedError(_("You may not record actions on this case."))
    today = timezone.localdate()
    if kind not in ActionKind.values:
        raise ValidationError({"kind": _("Choose an action from the list.")})
    if taken_on > today:
        raise ValidationError({"taken_on": _("The date cannot be in the future.")})
    if taken_on < case.case_file.opened_on:
        raise ValidationError({"taken_on": _("The action cannot be before the case was opened.")})
    action = AbsenceAction(case=case, kind=kind, taken_on=taken_on, note=note.strip(), recorded_by=actor)
    action.full_clean()
    action.save()
    deadline = case.case_file.deadlines.filter(rule=FIRST_ACTION, met_on__isnull=True).first()
    if deadline is not None:
        case_services.deadline_meet(actor=actor, deadline=deadline, met_on=taken_on)
    audit_log(
        actor=actor,
        action="attendance.action",
        target=case,
        data={"kind": kind, "taken_on": taken_on},
        institution_id=case.institution_id,
    )
    return action


@transaction.atomic
def case_close(*, actor, case: AbsenceCase, outcome: str, closed_on: dt.date | None = None) -> AbsenceCase:
    """The municipality closes the case with its outcome (after at least one action)."""
    case = AbsenceCase.objects.select_for_update().select_related("case_file", "residence").get(pk=case.pk)
    if not permissions.can_act(actor, case):
        raise PermissionDeniedError(_("You may not close this case."))
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    if not case.actions.exists():
        raise ValidationError(_("Record at least one action before closing the case."))
    case.outcome = outcome
    case.save(update_fields=["outcome", "updated_at"])
    case_services.case_file_close(actor=actor, case_file=case.case_file, closed_on=closed_on)
    audit_log(
        actor=actor,
        action="attendance.close",
        target=case,
        data={"outcome": outcome},
        institution_id=case.institution_id,
    )
    return case
