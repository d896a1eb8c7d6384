"""Demo records of the Person Assessment Commission, written through the services (each step audited, the decision
deadline counted by the case core), equal to calibration-2024.yaml `previously_convicted_persons` when the system
counts them (`selectors.calibration_counts`): in 2024, 10 meetings, 28 permits (none limited to target groups, as
the annual report says), 1 refusal and 1 annulment. The annulled permit was granted at the last meeting of 2023, so
the 30 decisions of 2024 concern 30 persons. A few applications received in the last weeks wait for a decision
(one past its deadline), with members' opinions on one; a few reads are in the read log.

Names and personal codes are invented; the employer is free text, never an institution of the register."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from ikms.accounts import services as account_services
from ikms.accounts.models import User
from ikms.accounts.roles import Role
from ikms.convictions import reads, selectors, services
from ikms.convictions.choices import DecisionKind, ReadKind
from ikms.convictions.forms import LEGAL_BASIS
from ikms.convictions.models import Application, Meeting
from ikms.core.personal_codes import old_format_code
from ikms.registry.services import DecisionInput

#: The commission's members since its regulation (Cabinet Regulation No. 414 of 3 September 2019).
SINCE = dt.date(2019, 9, 3)
#: The other members (NGO representatives sit on it: LIZDA, "Vecāki par izglītību"), as (username, first, last).
MEMBERS = [
    ("komisija-ikvd", "Inga", "Vilciņa"),
    ("komisija-lizda", "Aivars", "Bērziņš"),
    ("komisija-vecaki", "Marta", "Kalniņa"),
    ("komisija-izm", "Gints", "Ozols"),
]
#: 2024's meetings (calibration: 10), each with the kinds decided there; the annulment at the sixth.
MEETINGS_2024 = [
    (dt.date(2024, 1, 18), [DecisionKind.PERMIT] * 3),
    (dt.date(2024, 2, 15), [DecisionKind.PERMIT] * 3),
    (dt.date(2024, 3, 14), [DecisionKind.PERMIT, DecisionKind.PERMIT, DecisionKind.REFUSAL]),
    (dt.date(2024, 4, 18), [DecisionKind.PERMIT] * 3),
    (dt.date(2024, 5, 16), [DecisionKind.PERMIT] * 3),
    (dt.date(2024, 6, 13), [DecisionKind.PERMIT, DecisionKind.PERMIT, DecisionKind.ANNULMENT]),
    (dt.date(2024, 9, 19), [DecisionKind.PERMIT] * 3),
    (dt.date(2024, 10, 17), [DecisionKind.PERMIT] * 3),
    (dt.date(2024, 11, 14), [DecisionKind.PERMIT] * 3),
    (dt.date(2024, 12, 12), [DecisionKind.PERMIT] * 3),
]
#: The last meeting of 2023 and its permits (the first is annulled in 2024).
MEETING_2023 = (dt.date(2023, 12, 14), 3)
#: Applications received in the last weeks, days before today (the first is past its one-month deadline).
OPEN_RECENT = (45, 16, 9, 3)

MEN = (
    ["Jānis", "Andris", "Māris", "Edgars", "Rihards", "Kristaps", "Aigars", "Raimonds", "Uldis", "Normunds"],
    ["Kalniņš", "Liepiņš", "Zariņš", "Jansons", "Eglītis", "Krūmiņš", "Ozoliņš", "Vītols", "Balodis", "Siliņš"],
)
WOMEN = (
    ["Anna", "Līga", "Ilze", "Inese", "Dace", "Zane", "Sanita", "Kristīne", "Laura", "Evija"],
    ["Bērziņa", "Ozola", "Krūmiņa", "Vītola", "Pētersone", "Kalniņa", "Liepiņa", "Zariņa", "Balode", "Siliņa"],
)
WORK = [
    ("sporta skolotāja", "sporta skolotājs"),
    ("trenere", "treneris"),
    ("mūzikas skolotāja", "mūzikas skolotājs"),
    ("interešu izglītības pedagoģe", "interešu izglītības pedagogs"),
    ("pirmsskolas izglītības skolotāja", "pirmsskolas izglītības skolotājs"),
    ("profesionālās izglītības skolotāja", "profesionālās izglītības skolotājs"),
    ("pieaugušo izglītības pedagoģe", "pieaugušo izglītības pedagogs"),
]
EMPLOYERS = [
    "pašvaldības sporta skola",
    "privāta mūzikas skola",
    "profesionālās izglītības kompetences centrs",
    "pirmsskolas izglītības iestāde",
    "pieaugušo izglītības centrs",
    "",
]
ARTICLES = [
    "Krimināllikuma 180. panta pirmā daļa",
    "Krimināllikuma 231. panta pirmā daļa",
    "Krimināllikuma 262. pants",
    "Krimināllikuma 125. panta pirmā daļa",
    "Krimināllikuma 177. panta pirmā daļa",
    "Krimināllikuma 253. panta pirmā daļa",
]
JUSTIFICATION = {
    DecisionKind.PERMIT: "Sodāmība ir dzēsta; izvērtējot noziedzīgā nodarījuma raksturu, kopš tā pagājušo laiku un "
    "personas raksturojumu, komisija secina, ka personas darbs par pedagogu nekaitēs izglītojamo interesēm.",
    DecisionKind.REFUSAL: "Ņemot vērā noziedzīgā nodarījuma raksturu un to, ka kopš sodāmības dzēšanas pagājis īss "
    "laiks, komisija nevar secināt, ka personas darbs par pedagogu nekaitēs izglītojamo interesēm.",
    DecisionKind.ANNULMENT: "Komisijai kļuva zināmi jauni apstākļi par personu, kas būtu bijuši par pamatu atteikt "
    "atļauju; atļauja tiek anulēta.",
}
ANNULMENT_BASIS = "MK 03.09.2019. noteikumi Nr. 414; Administratīvā procesa likuma 85. pants"


@dataclass
class _Person:
    name: str
    code: str
    work: str
    convicted: str  # the year of the conviction, as an applicant would state it


def _person(rng) -> _Person:
    female = rng.random() < 0.6
    first, last = WOMEN if female else MEN
    born = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(30 * 365))
    code = None
    while code is None:  # a valid old-format code (born in the 1900s); not every serial has a check digit
        code = old_format_code(born, rng.randrange(1000))
    convicted = str(rng.randrange(born.year + 18, 2017))  # as an adult, years before the application
    return _Person(f"{rng.choice(first)} {rng.choice(last)}", code, rng.choice(WORK)[0 if female else 1], convicted)


def _commission(member: User | None) -> list[User]:
    """The demo's members: the other members (held the role since SINCE) and `member`, when given."""
    users = [member] if member is not None else []
    for username, first, last in MEMBERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = account_services.user_create(
                actor=None,
                username=username,
                password=None,
                first_name=first,
                last_name=last,
                email=f"{username}@ikvd.example",
            )
            account_services.role_grant(
                actor=None, user=user, role=Role.CONVICTION_COMMISSION, valid_from=SINCE, note="demo"
            )
        users.append(user)
    return users


def _meeting(rng, secretary, members: list[User], held_on: dt.date, number: str) -> Meeting:
    eligible = [m for m in members if m.pk in services.members_on(held_on, members)]
    present = rng.sample(eligible, k=max(1, len(eligible) - rng.randrange(2)))
    return services.meeting_record(actor=secretary, number=number, held_on=held_on, members=present)


def _apply(rng, secretary, person: _Person, received_on: dt.date) -> Application:
    return services.application_register(
        actor=secretary,
        received_on=received_on,
        person_name=person.name,
        personal_code=person.code,
        intended_work=person.work,
        employer=rng.choice(EMPLOYERS),
        conviction_article=rng.choice(ARTICLES),
        conviction_date=person.convicted,
    )


def _decide(secretary, application: Application, meeting: Meeting, kind: str, k: int) -> None:
    services.decision_record(
        actor=secretary,
        application=application,
        meeting=meeting,
        kind=kind,
        data=DecisionInput(
            number=f"{meeting.number}-{k}",
            date=meeting.held_on,
            legal_basis=LEGAL_BASIS,
            justification=JUSTIFICATION[kind],
        ),
    )


def generate(*, rng, secretary: User, member: User | None = None, today: dt.date | None = None) -> dict[str, int]:
    """Write the commission's demo records (exact against the 2024 calibration) and return what was written."""
    today = today or timezone.localdate()
    members = _commission(member)
    held_on, permits_2023 = MEETING_2023
    first_permits = [
        _apply(rng, secretary, _person(rng), held_on - dt.timedelta(days=rng.randrange(10, 30)))
        for _i in range(permits_2023)
    ]
    meeting = _meeting(rng, secretary, members, held_on, f"{held_on.year}/9")
    for k, application in enumerate(first_permits, start=1):
        _decide(secretary, application, meeting, DecisionKind.PERMIT, k)
    to_annul = first_permits[0]
    for n, (held_on, kinds) in enumerate(MEETINGS_2024, start=1):
        answers = [
            _apply(rng, secretary, _person(rng), held_on - dt.timedelta(days=rng.randrange(10, 35)))
            for kind in kinds
            if kind != DecisionKind.ANNULMENT
        ]
        meeting = _meeting(rng, secretary, members, held_on, f"{held_on.year}/{n}")
        answered = iter(answers)
        for k, kind in enumerate(kinds, start=1):
            if kind == DecisionKind.ANNULMENT:
                services.decision_annul(
                    actor=secretary,
                    application=to_annul,
                    meeting=meeting,
                    data=DecisionInput(
                        number=f"{meeting.number}-{k}",
                        date=held_on,
                        legal_basis=ANNULMENT_BASIS,
                        justification=JUSTIFICATION[kind],
                    ),
                )
            else:
                _decide(secretary, next(answered), meeting, kind, k)
    waiting = [_apply(rng, secretary, _person(rng), today - dt.timedelta(days=d)) for d in OPEN_RECENT]
    voters = [m for m in members if m.pk in services.members_on(today, members)][:2]
    for voter, position in zip(voters, (DecisionKind.PERMIT, DecisionKind.PERMIT_LIMITED), strict=False):
        services.opinion_record(
            actor=voter, application=waiting[-1], position=position, note="Izvērtēt arī darba devēja raksturojumu."
        )
    shown = list(selectors.application_visible_to(secretary)[:20])
    reads.read_record(reader=secretary, kind=ReadKind.LIST, applications=shown, path="/personu-izvertesana/")
    reads.read_record(
        reader=secretary,
        kind=ReadKind.APPLICATION,
        applications=[waiting[-1]],
        path=f"/personu-izvertesana/{waiting[-1].pk}/",
    )
    return {
        "conviction meetings": Meeting.objects.count(),
        "conviction applications": Application.objects.count(),
        "conviction applications waiting": len(waiting),
    }
