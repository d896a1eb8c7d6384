"""Test helpers: the commission's records made through the services (a secretary and members are needed; the root
conftest's `world` has a member, a secretary and the data protection officer)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from ikms.convictions import services
from ikms.convictions.choices import DecisionKind
from ikms.convictions.forms import LEGAL_BASIS
from ikms.convictions.models import Application, Decision, Meeting
from ikms.registry.services import DecisionInput

#: A valid personal code (born 1 January 1990) and another one.
CODE = "010190-11231"
OTHER_CODE = "150375-11018"
_numbers = itertools.count(1)


def application(
    secretary,
    *,
    received_on: dt.date | None = None,
    person_name: str = "Jānis Paraudziņš",
    personal_code: str = CODE,
    **extra,
) -> Application:
    return services.application_register(
        actor=secretary,
        received_on=received_on or timezone.localdate() - dt.timedelta(days=10),
        person_name=person_name,
        personal_code=personal_code,
        intended_work=extra.pop("intended_work", "sporta skolotājs"),
        conviction_article=extra.pop("conviction_article", "Krimināllikuma 180. panta pirmā daļa"),
        **extra,
    )


def meeting(secretary, members, *, held_on: dt.date | None = None, number: str = "") -> Meeting:
    return services.meeting_record(
        actor=secretary,
        number=number or f"T/{next(_numbers)}",
        held_on=held_on or timezone.localdate(),
        members=members,
    )


def decision_input(*, number: str = "", date: dt.date | None = None, **extra) -> DecisionInput:
    return DecisionInput(
        number=number or f"L-{next(_numbers)}",
        date=date or timezone.localdate(),
        legal_basis=extra.get("legal_basis", LEGAL_BASIS),
        justification=extra.get("justification", "Sodāmība dzēsta; darbs nekaitēs izglītojamo interesēm."),
    )


def decide(secretary, app: Application, at: Meeting, kind: str = DecisionKind.PERMIT, **extra) -> Decision:
    return services.decision_record(
        actor=secretary,
        application=app,
        meeting=at,
        kind=kind,
        data=decision_input(date=at.held_on),
        target_groups=extra.get("target_groups", ()),
    )
