"""Demo complaints, consultations and survey answers, written through the services (every step audited and its
deadlines counted by the case core), exact at scale 1 against calibration-2024.yaml `supervision`: 570 complaints
received in 2024 (81 confirmed, 94 not confirmed, 255 explanation given, 140 referred to the founder or another
authority), 620 in 2023, 900 consultations in 2024. Texts, topics and submitter types come from the synthetic
complaint generator (analytics/synth/complaints.py). The past years are closed and written in bulk, with deadlines
counted by the case core; the complaints received in the last weeks go through the services and are open on the
inspector's queue, some of them overdue."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from analytics.synth.complaints import generate_complaints
from ikms.accounts.models import User
from ikms.cases.deadlines import StatutoryDeadline, working_calendar
from ikms.cases.models import CaseFile, Deadline, DeadlineExtension
from ikms.complaints import services
from ikms.complaints.case_type import KIND
from ikms.complaints.choices import Audience, Channel, ConsultationChannel, Outcome
from ikms.complaints.models import Complaint, Consultation, SurveyInvitation
from ikms.complaints.services import ANSWER_RULE, FORWARD_RULE
from ikms.registry.models import Institution

#: Complaints received in a year by outcome (calibration `supervision`; 2023 has only the total, 620, split in
#: the 2024 proportions). "referred": to the founder (most) or another authority.
OUTCOMES = {
    2024: {Outcome.CONFIRMED: 81, Outcome.NOT_CONFIRMED: 94, Outcome.EXPLANATION: 255, "referred": 140},
    2023: {Outcome.CONFIRMED: 88, Outcome.NOT_CONFIRMED: 102, Outcome.EXPLANATION: 278, "referred": 152},
}
CONSULTATIONS = {2024: 900}
#: Open complaints received in the last weeks (the inspector's work), beyond the calibrated years.
OPEN_RECENT = 24
FOUNDER_SUMMARY = "Lūdzam izvērtēt iesniegumā minētos apstākļus iestādē un par rezultātu informēt IKVD."
OTHER_AUTHORITIES = [
    "Valsts bērnu tiesību aizsardzības inspekcija",
    "Veselības inspekcija",
    "Izglītības un zinātnes ministrija",
    "Valsts policija",
]
FIRST = ["Anna", "Jānis", "Līga", "Andris", "Ilze", "Māris", "Inese", "Edgars", "Dace", "Rihards", "Zane", "Kristaps"]
LAST = ["Bērziņa", "Kalniņš", "Ozola", "Liepiņš", "Krūmiņa", "Zariņš", "Vītola", "Jansons", "Pētersone", "Eglītis"]
CHANNELS = [
    (Channel.EMAIL, 45),
    (Channel.E_ADDRESS, 20),
    (Channel.PORTAL, 15),
    (Channel.LETTER, 12),
    (Channel.IN_PERSON, 8),
]
SEED = 2024


def _weighted(rng, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _working_day(rng, year: int, today: dt.date) -> dt.date:
    cal = working_calendar()
    last = min(dt.date(year, 12, 31), today)
    while True:
        day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange((last - dt.date(year, 1, 1)).days + 1))
        if cal.is_working_day(day):
            return day


def _n(base: int, scale: float) -> int:
    return max(1, round(base * scale))


def _outcomes(rng, counts: dict, scale: float) -> list[str]:
    out = [o for o, n in counts.items() for _ in range(_n(n, scale))]
    rng.shuffle(out)
    return out


def _submitter(rng, anonymous: bool) -> tuple[str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    if rng.random() < 0.7:
        contact = f"{first.lower()}.{last.lower()}{rng.randint(1, 999)}@example.lv".translate(
            str.maketrans("āčēģīķļņšūž", "acegiklnsuz")
        )
    else:
        street = rng.choice(["Brīvības", "Lāčplēša", "Skolas", "Dzirnavu"])
        contact = f"{street} iela {rng.randint(1, 120)}-{rng.randint(1, 60)}, Rīga"
    return f"{first} {last}", contact


def _complaint(rng, *, inspector: User, item, received_on: dt.date, institution: Institution):
    anonymous = rng.random() < 0.15
    name, contact = _submitter(rng, anonymous)
    return services.complaint_register(
        actor=inspector,
        channel=_weighted(rng, CHANNELS),
        submitter_type=item.submitter_type,
        text=item.text,
        received_on=received_on,
        institutions=[institution],
        topics=[item.topic],
        anonymous=anonymous,
        submitter_name=name,
        submitter_contact=contact,
        assignee=inspector,
    )


@dataclass
class _History:
    """One examined complaint of a past year, as the services would have left it."""

    received: dt.date
    institution: Institution
    item: object
    outcome: str
    closed: dt.date
    forwarded: dt.date | None = None
    extended_to: dt.date | None = None
    founder: object = None
    other_authority: str = ""


def _history(rng, year: int, counts: dict, *, scale: float, institutions, items, today: dt.date) -> list[_History]:
    cal = working_calendar()
    out = []
    for outcome in _outcomes(rng, counts, scale):
        received = _working_day(rng, year, today)
        inst = rng.choice(institutions)
        h = _History(received=received, institution=inst, item=next(items), outcome=outcome, closed=received)
        if outcome == "referred":
            h.forwarded = min(cal.add_working_days(received, rng.randint(1, 7)), today)
            if rng.random() < 0.7:
                h.outcome, h.founder = Outcome.REFERRED_FOUNDER, inst.founder
            else:
                h.outcome, h.other_authority = Outcome.REFERRED_OTHER, rng.choice(OTHER_AUTHORITIES)
            h.closed = h.forwarded
        else:
            h.closed = min(cal.add_working_days(received, rng.randint(5, 20)), today)
            if rng.random() < 0.05:
                due = StatutoryDeadline.start(ANSWER_RULE, received, today=today).due_on
                h.extended_to = cal.next_working_day(due + dt.timedelta(days=30))
                h.closed = min(cal.add_working_days(due, rng.randint(1, 15)), h.extended_to, today)
        out.append(h)
    return sorted(out, key=lambda h: h.received)


def _write_history(rng, rows: list[_History], *, inspector: User, today: dt.date) -> int:
    """Past years' closed complaints written in bulk (as an import of the register would be): their case files,
    deadlines counted by the case core (`StatutoryDeadline`, the regime of the day received), extensions with a
    reason, the complaints and their surveys. Replaying every step through the services took over a minute."""
    now = timezone.now()
    with translation.override("lv"):
        subject = _("Complaint %(reference)s")
    numbers: dict[int, int] = {}
    files, complaints, deadlines, extensions = [], [], [], []
    for h in rows:
        year = h.received.year
        numbers[year] = numbers.get(year, 0) + 1
        reference = f"S-{year}-{numbers[year]:05d}"
        files.append(
            CaseFile(
                kind=KIND,
                subject=subject % {"reference": reference},
                institution=h.institution,
                assignee=inspector,
                opened_on=h.received,
                closed_on=h.closed,
            )
        )
        anonymous = rng.random() < 0.15
        name, contact = _submitter(rng, anonymous)
        answer = StatutoryDeadline.start(ANSWER_RULE, h.received, today=today)
        complaints.append(
            Complaint(
                reference=reference,
                channel=_weighted(rng, CHANNELS),
                submitter_type=h.item.submitter_type,
                anonymous=anonymous,
                submitter_name=name,
                submitter_contact=contact,
                topics=[h.item.topic],
                text=h.item.text,
                received_on=h.received,
                regime=answer.regime.code,
                outcome=h.outcome,
                outcome_on=h.closed,
                founder=h.founder,
                other_authority=h.other_authority,
                forwarded_summary=FOUNDER_SUMMARY if h.founder else "",
                forwarded_on=h.forwarded,
                replied_on=None if h.forwarded else h.closed,
            )
        )
    CaseFile.objects.bulk_create(files, batch_size=500)
    for h, cf, c in zip(rows, files, complaints, strict=True):
        c.case_file = cf
        answer = StatutoryDeadline.start(ANSWER_RULE, h.received, today=today)
        deadlines.append(
            Deadline(
                case_file=cf,
                rule=ANSWER_RULE,
                regime=answer.regime.code,
                starts_on=h.received,
                statutory_due_on=answer.statutory_due_on,
                due_on=h.extended_to or answer.due_on,
                met_on=h.closed,
            )
        )
        if h.extended_to:
            extensions.append((len(deadlines) - 1, answer.due_on, h.extended_to))
        if h.forwarded:
            forward = StatutoryDeadline.start(FORWARD_RULE, h.received, today=today)
            deadlines.append(
                Deadline(
                    case_file=cf,
                    rule=FORWARD_RULE,
                    regime=forward.regime.code,
                    starts_on=h.received,
                    statutory_due_on=forward.statutory_due_on,
                    due_on=forward.due_on,
                    met_on=h.forwarded,
                )
            )
    Complaint.objects.bulk_create(complaints, batch_size=500)
    Deadline.objects.bulk_create(deadlines, batch_size=500)
    DeadlineExtension.objects.bulk_create(
        [
            DeadlineExtension(
                deadline=deadlines[i],
                previous_due_on=was,
                due_on=to,
                extended_by=inspector,
                extended_at=now,
                reason="Nepieciešams dibinātāja viedoklis un papildu dokumenti",
            )
            for i, was, to in extensions
        ]
    )
    through = Complaint.institutions.through
    through.objects.bulk_create(
        [through(complaint_id=c.pk, institution_id=h.institution.pk) for h, c in zip(rows, complaints, strict=True)],
        batch_size=500,
    )
    SurveyInvitation.objects.bulk_create(
        [
            SurveyInvitation(token=secrets.token_urlsafe(24), complaint=c, sent_on=c.outcome_on)
            for c in complaints
            if c.submitter_contact
        ],
        batch_size=500,
    )
    return len(complaints)


def generate(*, rng, scale: float, inspector: User, today: dt.date | None = None) -> dict:
    """Complaints of 2023 and 2024 (closed) and the last weeks (open), 2024's consultations and survey answers."""
    today = today or timezone.localdate()
    institutions = list(
        Institution.objects.filter(status="registered").select_related("founder").order_by("registration_number")
    )
    if not institutions:
        return {"complaints": 0}
    n_total = sum(_n(n, scale) for counts in OUTCOMES.values() for n in counts.values()) + OPEN_RECENT
    items = iter(generate_complaints(n_total, seed=SEED))
    rows = [
        h
        for year, counts in sorted(OUTCOMES.items())
        for h in _history(rng, year, counts, scale=scale, institutions=institutions, items=items, today=today)
    ]
    written = _write_history(rng, rows, inspector=inspector, today=today)
    # The last weeks' complaints through the services: open, on the inspector's queue, some overdue.
    cal = working_calendar()
    for i in range(OPEN_RECENT):
        received = today - dt.timedelta(days=rng.randint(0, 40))
        while not cal.is_working_day(received):
            received -= dt.timedelta(days=1)
        complaint = _complaint(
            rng, inspector=inspector, item=next(items), received_on=received, institution=rng.choice(institutions)
        )
        if i % 4 == 0:
            services.complaint_record_outcome(
                actor=inspector, complaint=complaint, outcome=Outcome.EXPLANATION, on=today
            )
        written += 1
    topics = [c.topic for c in generate_complaints(200, seed=SEED + 1)]
    consultations = [
        Consultation(
            given_on=_working_day(rng, year, today),
            topic=rng.choice(topics),
            audience=_weighted(
                rng,
                [
                    (Audience.PARENT, 50),
                    (Audience.HEAD, 20),
                    (Audience.TEACHER, 12),
                    (Audience.FOUNDER, 8),
                    (Audience.PUPIL, 5),
                    (Audience.OTHER, 5),
                ],
            ),
            channel=_weighted(
                rng,
                [
                    (ConsultationChannel.PHONE, 60),
                    (ConsultationChannel.EMAIL, 25),
                    (ConsultationChannel.IN_PERSON, 10),
                    (ConsultationChannel.VIDEO, 5),
                ],
            ),
            duration_minutes=rng.choice([5, 10, 10, 15, 15, 20, 30, 45]),
            contact="konsultacija@example.lv" if rng.random() < 0.2 else "",
            given_by=inspector,
        )
        for year, n in CONSULTATIONS.items()
        for _ in range(_n(n, scale))
    ]
    Consultation.objects.bulk_create(consultations, batch_size=500)
    SurveyInvitation.objects.bulk_create(
        [
            SurveyInvitation(token=secrets.token_urlsafe(24), consultation=c, sent_on=c.given_on)
            for c in consultations
            if c.contact
        ],
        batch_size=500,
    )
    answered = []
    for invitation in SurveyInvitation.objects.filter(answered_on__isnull=True).order_by("id"):
        if rng.random() < 0.35:
            invitation.score = _weighted(rng, [(5, 35), (4, 30), (3, 15), (2, 10), (1, 10)])
            invitation.answered_on = min(invitation.sent_on + dt.timedelta(days=rng.randint(1, 14)), today)
            answered.append(invitation)
    SurveyInvitation.objects.bulk_update(answered, ["score", "answered_on"], batch_size=500)
    return {"complaints": written, "consultations": len(consultations), "surveys answered": len(answered)}
