"""Test helpers: build the register of psychologists through the same services production uses."""

import datetime as dt
import itertools

from analytics.imports.personal_code import legacy_code
from ikms.psychologists import services
from ikms.psychologists.choices import ApplicationKind, ExamKind, ExamMode, WorkArea
from ikms.psychologists.models import BoardMeeting, Certificate, ExamResult, Psychologist
from ikms.registry.services import DecisionInput

_numbers = itertools.count(1)
LEGAL_BASIS = "Psihologu likums; MK 29.05.2018. noteikumi Nr. 301"


def decision_input(day: dt.date, *, basis: str = LEGAL_BASIS) -> DecisionInput:
    """A fresh decision number, dated `day`."""
    return DecisionInput(number=f"PT-{next(_numbers):06d}", date=day, legal_basis=basis)


def personal_code(n: int | None = None) -> str:
    """A valid (synthetic) personal code, a different one for each n."""
    n = next(_numbers) if n is None else n
    return legacy_code(dt.date(1970, 1, 1) + dt.timedelta(days=n % 9000), n % 1000)


def meeting(*, actor, day: dt.date) -> BoardMeeting:
    return services.meeting_record(actor=actor, number=f"T{next(_numbers)}", date=day, agenda="Iesniegumi", remote=True)


def registered(
    *,
    actor,
    day: dt.date = dt.date(2020, 3, 2),
    first_name: str = "Anna",
    last_name: str = "Bērziņa",
    code: str | None = None,
    at: BoardMeeting | None = None,
) -> Psychologist:
    """A psychologist registered on `day` (application received the day before, decided at a meeting that day)."""
    application = services.application_receive(
        actor=actor,
        kind=ApplicationKind.REGISTRATION,
        received_on=day - dt.timedelta(days=1),
        first_name=first_name,
        last_name=last_name,
        personal_code=code or personal_code(),
        education="Latvijas Universitāte, psiholoģijas maģistrs",
    )
    return services.psychologist_register(
        actor=actor, decision=decision_input(day), meeting=at or meeting(actor=actor, day=day), application=application
    )


def passed(
    *,
    actor,
    psychologist: Psychologist,
    day: dt.date,
    area: str = WorkArea.EDUCATIONAL,
    kind: str = ExamKind.CERTIFICATION,
    score: int = 80,
) -> ExamResult:
    session = services.exam_session_record(actor=actor, date=day, kind=kind, mode=ExamMode.REMOTE)
    return services.exam_result_record(actor=actor, session=session, psychologist=psychologist, area=area, score=score)


def certified(
    *, actor, psychologist: Psychologist, day: dt.date = dt.date(2022, 5, 10), area: str = WorkArea.EDUCATIONAL
) -> Certificate:
    """A certificate in `area`, after a passed examination the week before."""
    result = passed(actor=actor, psychologist=psychologist, day=day - dt.timedelta(days=7), area=area)
    return services.certificate_issue(
        actor=actor, decision=decision_input(day), meeting=meeting(actor=actor, day=day), exam_result=result
    )
