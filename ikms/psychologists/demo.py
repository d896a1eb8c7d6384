"""The demo register of psychologists, exact against calibration-2024.yaml `psychologists` when the system counts it
(`selectors.year_counts(2024)`): 14 board meetings, 93 registration applications, 91 registered, 26 certified after
the certification examination, 1 supervisor's rights granted, 7 foreign qualifications recognised, and at the end of
2024 1,406 active psychologists, 398 of them supervising psychologists and 80 % certified (1,125).

The register is small, so up to the end of 2024 it is written in full at every `scale` (the figures do not depend
on it). The years 2018–2023 (the board began in 2018) are written in bulk, as an import of the existing register
would be: 1,340 registrations with their applications, certificates with their examination results, supervisor
rights, a few refusals, suspensions and cancellations, every change a decision at a board meeting. 2024 and the time
since then go through the services, so every step is checked and audited: the 2024 figures above, then
registrations and examinations (scaled), and the applications now open on the secretariat's desk; only the routine
renewals of certificates as they end (hundreds a year) are written in bulk, decision and new term alike."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from analytics.imports.personal_code import legacy_code
from ikms.core.personal_codes import personal_code_digest
from ikms.psychologists import services
from ikms.psychologists.choices import (
    CERTIFICATE_YEARS,
    ApplicationKind,
    DecisionKind,
    ExamKind,
    ExamMode,
    PsychologistStatus,
    WorkArea,
)
from ikms.psychologists.models import (
    Application,
    BoardMeeting,
    Certificate,
    Decision,
    ExamResult,
    ExamSession,
    Psychologist,
)
from ikms.psychologists.selectors import fold
from ikms.registry.services import DecisionInput

LAW = "Psihologu likums; MK 29.05.2018. noteikumi Nr. 301 “Psihologu noteikumi”"
RECOGNITION_LAW = "MK 20.12.2016. noteikumi Nr. 827; MK 19.09.2017. noteikumi Nr. 566, 2. pielikuma 34. punkts"
#: Board meetings a year (2024: calibration `council_meetings`; the board began after Cabinet Regulation No. 302 of
#: 29 May 2018).
MEETINGS = {2018: 10, 2019: 12, 2020: 12, 2021: 12, 2022: 13, 2023: 13, 2024: 14}
#: Registrations a year before 2024 (1,340: the register the 2024 figures start from).
REGISTERED = {2018: 700, 2019: 200, 2020: 120, 2021: 110, 2022: 105, 2023: 105}
REFUSED_A_YEAR = 3
#: The years certificates were issued before 2024, weighted: most as the register began.
CERTIFIED_YEAR_WEIGHTS = {2020: 50, 2021: 40, 2022: 6, 2023: 4}
CANCELLED_BEFORE_2024 = 20
SUSPENDED_BEFORE_2024 = 3
#: Certified and supervising psychologists before 2024 who are still active at the end of 2024 (with the 2024 figures
#: they make 1,125 certified and 398 supervisors of 1,406), and the two certified ones suspended in 2024.
CERTIFIED_BEFORE_2024 = 1101
SUPERVISORS_BEFORE_2024 = 397
#: 2024 (calibration `psychologists`).
Y2024 = {
    "applications": 93,
    "registered": 91,
    "certified": 26,
    "failed": 9,
    "supervisor": 1,
    "recognised": 7,
    "suspended": 2,
    "cancelled": 1,
    "restored": 1,
}
#: Certificates that end since 2025 are renewed, all but about one in twenty.
RENEWED_SHARE = 0.95
#: Registrations and certificates a year after 2024 (the secretariat's current work).
REGISTERED_LATER = 90
CERTIFIED_LATER = 24

FEMALE = [
    "Inese",
    "Ilze",
    "Līga",
    "Kristīne",
    "Anna",
    "Laura",
    "Dace",
    "Sandra",
    "Ieva",
    "Baiba",
    "Marina",
    "Jeļena",
    "Olga",
    "Santa",
    "Zane",
    "Agnese",
    "Elīna",
    "Evija",
    "Linda",
    "Madara",
    "Aija",
    "Daiga",
    "Gunta",
    "Ruta",
    "Signe",
    "Vita",
    "Solvita",
    "Anita",
    "Katrīna",
    "Marta",
    "Alise",
    "Dārta",
    "Egija",
    "Ērika",
    "Rasma",
]
MALE = [
    "Jānis",
    "Andris",
    "Mārtiņš",
    "Edgars",
    "Kārlis",
    "Aivars",
    "Dmitrijs",
    "Sergejs",
    "Raivis",
    "Artūrs",
    "Roberts",
    "Gints",
    "Uldis",
    "Pēteris",
    "Aleksandrs",
    "Ivars",
    "Viesturs",
    "Ģirts",
]
SURNAMES = [
    ("Bērziņš", "Bērziņa"),
    ("Kalniņš", "Kalniņa"),
    ("Ozoliņš", "Ozoliņa"),
    ("Jansons", "Jansone"),
    ("Liepiņš", "Liepiņa"),
    ("Krūmiņš", "Krūmiņa"),
    ("Balodis", "Balode"),
    ("Zariņš", "Zariņa"),
    ("Petrovs", "Petrova"),
    ("Ivanovs", "Ivanova"),
    ("Vītols", "Vītola"),
    ("Kļaviņš", "Kļaviņa"),
    ("Eglītis", "Eglīte"),
    ("Lācis", "Lāce"),
    ("Kuzņecovs", "Kuzņecova"),
    ("Siliņš", "Siliņa"),
    ("Vanags", "Vanaga"),
    ("Ābele", "Ābele"),
    ("Grīnbergs", "Grīnberga"),
    ("Sproģis", "Sproģe"),
    ("Priede", "Priede"),
    ("Kārkliņš", "Kārkliņa"),
    ("Dzene", "Dzene"),
    ("Rozenbergs", "Rozenberga"),
    ("Lapiņš", "Lapiņa"),
    ("Strazdiņš", "Strazdiņa"),
    ("Freimanis", "Freimane"),
    ("Šmits", "Šmite"),
    ("Upītis", "Upīte"),
    ("Zvaigzne", "Zvaigzne"),
    ("Ceriņš", "Ceriņa"),
    ("Gulbis", "Gulbe"),
]
EDUCATION = [
    "Latvijas Universitāte, profesionālā maģistra studiju programma “Psiholoģija”, psihologa kvalifikācija",
    "Rīgas Stradiņa universitāte, profesionālā maģistra studiju programma “Psiholoģija”, psihologa kvalifikācija",
    "Daugavpils Universitāte, profesionālā maģistra studiju programma “Psiholoģija”, psihologa kvalifikācija",
    "Liepājas Universitāte, profesionālā maģistra studiju programma “Psiholoģija”, psihologa kvalifikācija",
    "Banku augstskola un Latvijas Universitāte, bakalaura un profesionālā maģistra programma psiholoģijā",
    "RISEBA, profesionālā maģistra studiju programma “Organizāciju psiholoģija”, psihologa kvalifikācija",
    "Baltijas Starptautiskā akadēmija, profesionālā maģistra studiju programma “Psiholoģija”",
    "Latvijas Kristīgā akadēmija, profesionālā maģistra studiju programma psiholoģijā",
]
#: How often each area is a psychologist's certificate area.
AREAS = [
    (WorkArea.EDUCATIONAL, 34),
    (WorkArea.CLINICAL, 30),
    (WorkArea.COUNSELLING, 20),
    (WorkArea.ORGANISATIONAL, 9),
    (WorkArea.LEGAL, 5),
    (WorkArea.MILITARY, 2),
]
COUNTRIES = ["Lietuva", "Igaunija", "Vācija", "Ukraina", "Apvienotā Karaliste", "Zviedrija", "Somija", "Polija"]
AGENDA = (
    "1. Iesniegumi par reģistrāciju Psihologu reģistrā.\n2. Sertifikācijas pārbaudījumu rezultāti un "
    "sertifikātu izsniegšana.\n3. Sertifikātu derīguma termiņa pagarināšana.\n4. Dažādi."
)


def _weekday(day: dt.date) -> dt.date:
    """The day, or the Monday after it when it falls on a weekend."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def _spread(year: int, n: int, rng, *, first: dt.date | None = None, last: dt.date | None = None) -> list[dt.date]:
    """n working days spread over a year (or the part of it from `first` to `last`), a little irregular."""
    start = first or dt.date(year, 1, 15)
    end = last or dt.date(year, 12, 15)
    step = (end - start).days / max(n, 1)
    days = [
        _weekday(start + dt.timedelta(days=int(step * k + rng.randint(0, max(int(step) // 3, 0))))) for k in range(n)
    ]
    return sorted(min(d, end) for d in days)


def _area(rng) -> str:
    return rng.choices([a for a, _ in AREAS], weights=[w for _, w in AREAS])[0]


class _People:
    """Distinct names (mostly women, as in the profession) and distinct valid personal codes."""

    def __init__(self, rng) -> None:
        self.rng = rng
        self.codes: set[str] = set()
        names = [(f, s[1]) for f in FEMALE for s in SURNAMES] + [(m, s[0]) for m in MALE for s in SURNAMES]
        rng.shuffle(names)
        self.names = itertools.cycle(names)

    def code(self) -> str:
        while True:
            born = dt.date(1955, 1, 1) + dt.timedelta(days=self.rng.randrange(365 * 45))
            code = legacy_code(born, self.rng.randrange(1000))
            if code not in self.codes:
                self.codes.add(code)
                return code

    def name(self) -> tuple[str, str]:
        return next(self.names)


class _Numbers:
    """Decision numbers: the meeting's number and the item (2024/3-12); IKVD's own decisions A-2024/5."""

    def __init__(self) -> None:
        self.items: dict[str, int] = defaultdict(int)

    def board(self, meeting: BoardMeeting) -> str:
        self.items[meeting.number] += 1
        return f"{meeting.number}-{self.items[meeting.number]}"

    def ikvd(self, year: int) -> str:
        self.items[f"A-{year}"] += 1
        return f"A-{year}/{self.items[f'A-{year}']}"


@dataclass
class _Entry:
    """One psychologist of the years before 2024, as the register would hold them."""

    first: str
    last: str
    code: str
    education: str
    meeting: BoardMeeting
    received: dt.date
    area: str = ""
    exam: ExamSession | None = None
    failed_exam: ExamSession | None = None
    certified_at: BoardMeeting | None = None
    supervisor_exam: ExamSession | None = None
    supervisor_at: BoardMeeting | None = None
    ended: str = ""  # DecisionKind.CANCEL or SUSPEND before 2024
    ended_at: BoardMeeting | None = None
    obj: Psychologist | None = field(default=None, repr=False)


def _first_after(meetings: list[BoardMeeting], day: dt.date) -> BoardMeeting | None:
    return next((m for m in meetings if m.date > day), None)


def _history(rng, *, officer, people: _People, numbers: _Numbers) -> dict[str, list]:
    """Write 2018–2023 in bulk: meetings, applications, entries, examinations, certificates and decisions."""
    meetings = BoardMeeting.objects.bulk_create(
        [
            BoardMeeting(number=f"{year}/{k + 1}", date=day, agenda=AGENDA, remote=year >= 2020)
            for year, n in MEETINGS.items()
            if year < 2024
            for k, day in enumerate(_spread(year, n, rng, first=dt.date(2018, 6, 12) if year == 2018 else None))
        ]
    )
    by_year = defaultdict(list)
    for m in meetings:
        by_year[m.date.year].append(m)
    entries: list[_Entry] = []
    for year, count in REGISTERED.items():
        for _ in range(count):
            meeting = rng.choice(by_year[year])
            first, last = people.name()
            received = max(meeting.date - dt.timedelta(days=rng.randint(8, 40)), dt.date(2018, 6, 1))
            entries.append(
                _Entry(
                    first=first,
                    last=last,
                    code=people.code(),
                    education=rng.choice(EDUCATION),
                    meeting=meeting,
                    received=received,
                )
            )
    entries.sort(key=lambda e: (e.meeting.date, e.last, e.first))
    # who left before 2024: registered by 2022, cancelled or suspended at a later meeting
    early = [e for e in entries if e.meeting.date.year <= 2022]
    for k, e in enumerate(rng.sample(early, CANCELLED_BEFORE_2024 + SUSPENDED_BEFORE_2024)):
        e.ended = DecisionKind.CANCEL if k < CANCELLED_BEFORE_2024 else DecisionKind.SUSPEND
        e.ended_at = rng.choice([m for m in meetings if m.date > e.meeting.date + dt.timedelta(days=180)])
    staying = [e for e in entries if not e.ended]
    # examination sessions: certification each quarter, supervisor's twice a year (from 2019)
    cert_sessions = ExamSession.objects.bulk_create(
        [
            ExamSession(
                date=_weekday(dt.date(y, month, 12)),
                kind=ExamKind.CERTIFICATION,
                place="Rīga, Vaļņu iela 2",
                mode=ExamMode.REMOTE if y in (2020, 2021) else ExamMode.IN_PERSON,
            )
            for y in range(2019, 2024)
            for month in (3, 6, 9, 11)
        ]
    )
    sup_sessions = ExamSession.objects.bulk_create(
        [
            ExamSession(
                date=_weekday(dt.date(y, month, 20)),
                kind=ExamKind.SUPERVISOR,
                place="Rīga, Vaļņu iela 2",
                mode=ExamMode.REMOTE if y in (2020, 2021) else ExamMode.IN_PERSON,
            )
            for y in range(2019, 2024)
            for month in (5, 10)
        ]
    )
    # the earliest registered are certified (from 2020), the earliest of them supervisors too (from 2021)
    certified = staying[:CERTIFIED_BEFORE_2024]
    supervisors = set(map(id, certified[:SUPERVISORS_BEFORE_2024]))
    late = [m for m in meetings if m.date >= dt.date(2020, 1, 15)]
    for e in certified:
        e.area = _area(rng)
        if id(e) in supervisors:
            choices = [m for m in late if m.date.year == 2020]
        else:
            start = max(e.meeting.date + dt.timedelta(days=365), dt.date(2020, 1, 15))
            eligible = [m for m in late if m.date >= start and m.date.year < 2024]
            # most were certified as the register began (2020–2021), fewer a year since
            year = rng.choices(
                sorted({m.date.year for m in eligible}),
                weights=[CERTIFIED_YEAR_WEIGHTS[y] for y in sorted({m.date.year for m in eligible})],
            )[0]
            choices = [m for m in eligible if m.date.year == year]
        e.certified_at = rng.choice(choices)
        held = [s for s in cert_sessions if e.meeting.date < s.date <= e.certified_at.date - dt.timedelta(days=7)]
        e.exam = held[-1]
        if len(held) > 1 and rng.random() < 0.12:
            e.failed_exam = held[-2]
        if id(e) in supervisors:
            sup = rng.choice([s for s in sup_sessions if s.date.year in (2020, 2021) and s.date > dt.date(2020, 6, 1)])
            e.supervisor_exam = sup
            e.supervisor_at = _first_after(meetings, sup.date + dt.timedelta(days=6))
    entries_written = _write_history(
        rng, entries=entries, meetings=meetings, officer=officer, people=people, numbers=numbers
    )
    return {"entries": entries_written, "meetings": meetings}


def _write_history(
    rng, *, entries: list[_Entry], meetings: list[BoardMeeting], officer, people: _People, numbers: _Numbers
) -> list[_Entry]:
    refs: dict[int, int] = defaultdict(int)

    def reference(day: dt.date) -> str:
        refs[day.year] += 1
        return f"PI-{day.year}-{refs[day.year]:04d}"

    # applications in the order received (registrations, and a few refused ones a year)
    refused = []
    for m in rng.sample(meetings, REFUSED_A_YEAR * 6):
        first, last = people.name()
        refused.append((m, first, last, people.code()))
    rows = sorted(
        [(e.received, "e", e) for e in entries]
        + [(m.date - dt.timedelta(days=rng.randint(10, 35)), "r", (m, f, la, c)) for m, f, la, c in refused],
        key=lambda r: (r[0], r[1]),
    )
    applications, refused_apps = [], []
    for received, tag, item in rows:
        if tag == "e":
            app = Application(
                reference=reference(received),
                kind=ApplicationKind.REGISTRATION,
                received_on=received,
                first_name=item.first,
                last_name=item.last,
                personal_code_digest=personal_code_digest(item.code),
                education=item.education,
                recorded_by=officer,
            )
            item.application = app
        else:
            m, first, last, code = item
            app = Application(
                reference=reference(received),
                kind=ApplicationKind.REGISTRATION,
                received_on=received,
                first_name=first,
                last_name=last,
                personal_code_digest=personal_code_digest(code),
                education=rng.choice(EDUCATION),
                recorded_by=officer,
            )
            refused_apps.append((app, m))
        applications.append(app)
    Application.objects.bulk_create(applications, batch_size=500)

    for n, e in enumerate(entries, start=1):
        status, changed = PsychologistStatus.ACTIVE, None
        if e.ended:
            status = PsychologistStatus.CANCELLED if e.ended == DecisionKind.CANCEL else PsychologistStatus.SUSPENDED
            changed = e.ended_at.date
        e.obj = Psychologist(
            registration_number=f"P-{n}",
            first_name=e.first,
            last_name=e.last,
            search_name=fold(f"{e.first} {e.last}"),
            personal_code_digest=e.application.personal_code_digest,
            education=e.education,
            registered_on=e.meeting.date,
            status=status,
            status_changed_on=changed,
        )
    Psychologist.objects.bulk_create([e.obj for e in entries], batch_size=500)

    certified = sorted((e for e in entries if e.certified_at), key=lambda e: (e.certified_at.date, e.obj.pk))
    certificates = []
    for n, e in enumerate(certified, start=1):
        issued = e.certified_at.date
        e.certificate = Certificate(
            psychologist=e.obj,
            number=f"S-{n}",
            area=e.area,
            issued_on=issued,
            valid_until=services.add_years(issued, CERTIFICATE_YEARS),
            supervisor=e.supervisor_at is not None,
            supervisor_since=e.supervisor_at.date if e.supervisor_at else None,
        )
        certificates.append(e.certificate)
    Certificate.objects.bulk_create(certificates, batch_size=500)

    results = []
    for e in certified:
        e.result = ExamResult(
            session=e.exam, psychologist=e.obj, area=e.area, score=rng.randint(61, 97), passed=True, recorded_by=officer
        )
        results.append(e.result)
        if e.failed_exam:
            results.append(
                ExamResult(
                    session=e.failed_exam,
                    psychologist=e.obj,
                    area=e.area,
                    score=rng.randint(30, 59),
                    passed=False,
                    recorded_by=officer,
                )
            )
        if e.supervisor_exam:
            e.sup_result = ExamResult(
                session=e.supervisor_exam,
                psychologist=e.obj,
                area=e.area,
                score=rng.randint(62, 95),
                passed=True,
                recorded_by=officer,
            )
            results.append(e.sup_result)
    ExamResult.objects.bulk_create(results, batch_size=500)

    events = []  # (date, order, decision)
    for e in entries:
        p = e.obj
        events.append(
            (
                e.meeting,
                0,
                dict(
                    kind=DecisionKind.REGISTER,
                    psychologist=p,
                    application=e.application,
                    subject_name=p.full_name,
                    changes={
                        "registration_number": p.registration_number,
                        "status": {"old": None, "new": PsychologistStatus.ACTIVE},
                    },
                ),
            )
        )
        if e.certified_at:
            c = e.certificate
            events.append(
                (
                    e.certified_at,
                    1,
                    dict(
                        kind=DecisionKind.CERTIFY,
                        psychologist=p,
                        certificate=c,
                        exam_result=e.result,
                        area=c.area,
                        valid_until=c.valid_until,
                        subject_name=p.full_name,
                        changes={
                            "certificate": c.number,
                            "area": c.area,
                            "valid_until": c.valid_until.isoformat(),
                            "score": e.result.score,
                        },
                    ),
                )
            )
        if e.supervisor_at:
            events.append(
                (
                    e.supervisor_at,
                    2,
                    dict(
                        kind=DecisionKind.GRANT_SUPERVISOR,
                        psychologist=p,
                        certificate=e.certificate,
                        exam_result=e.sup_result,
                        area=e.area,
                        subject_name=p.full_name,
                        changes={"supervisor": {"old": False, "new": True}, "area": e.area},
                    ),
                )
            )
        if e.ended:
            new = PsychologistStatus.CANCELLED if e.ended == DecisionKind.CANCEL else PsychologistStatus.SUSPENDED
            events.append(
                (
                    e.ended_at,
                    3,
                    dict(
                        kind=e.ended,
                        psychologist=p,
                        subject_name=p.full_name,
                        changes={"status": {"old": PsychologistStatus.ACTIVE, "new": new}},
                    ),
                )
            )
    for app, m in refused_apps:
        events.append(
            (
                m,
                4,
                dict(
                    kind=DecisionKind.REFUSE,
                    application=app,
                    subject_name=app.full_name,
                    justification="Iesniegtie izglītības dokumenti neapliecina Psihologu likumā prasīto izglītību.",
                    changes={"application": app.reference, "refused": app.kind},
                ),
            )
        )
    events.sort(key=lambda ev: (ev[0].date, ev[0].pk, ev[1]))
    Decision.objects.bulk_create(
        [
            Decision(number=numbers.board(m), date=m.date, legal_basis=LAW, decided_by=officer, meeting=m, **fields)
            for m, _order, fields in events
        ],
        batch_size=500,
    )
    return entries


# --- 2024 and since, through the services ------------------------------------------------------------------------


class _Board:
    """The board's year through the services: its meetings in order, and the decisions taken at each."""

    def __init__(self, rng, *, officer, numbers: _Numbers) -> None:
        self.rng, self.officer, self.numbers = rng, officer, numbers

    def meetings(self, year: int, n: int, *, last: dt.date | None = None) -> list[BoardMeeting]:
        days = _spread(year, n, self.rng, last=last)
        return [
            services.meeting_record(actor=self.officer, number=f"{year}/{k + 1}", date=day, agenda=AGENDA, remote=True)
            for k, day in enumerate(days)
        ]

    def decision(self, meeting: BoardMeeting, justification: str = "") -> DecisionInput:
        return DecisionInput(
            number=self.numbers.board(meeting), date=meeting.date, legal_basis=LAW, justification=justification
        )

    def ikvd(self, day: dt.date) -> DecisionInput:
        return DecisionInput(number=self.numbers.ikvd(day.year), date=day, legal_basis=RECOGNITION_LAW)


def _register(
    board: _Board, people: _People, meetings: list[BoardMeeting], n: int, refused: int, *, start: dt.date
) -> int:
    """n registration applications received from `start`, each decided at the first meeting a week later (the last
    `refused` of them refused)."""
    rng, actor = board.rng, board.officer
    decided = [m for m in meetings if m.date >= start + dt.timedelta(days=7)]
    registered, step = 0, max(n // refused, 1) if refused else 0
    for k in range(n):
        meeting = decided[k * len(decided) // n]
        received = max(meeting.date - dt.timedelta(days=rng.randint(7, 30)), start)
        first, last = people.name()
        application = services.application_receive(
            actor=actor,
            kind=ApplicationKind.REGISTRATION,
            received_on=received,
            first_name=first,
            last_name=last,
            personal_code=people.code(),
            education=rng.choice(EDUCATION),
        )
        if refused and k % step == 1:
            refused -= 1
            services.application_refuse(
                actor=actor,
                application=application,
                meeting=meeting,
                decision=board.decision(
                    meeting, "Iesniegtie izglītības dokumenti neapliecina Psihologu likumā prasīto izglītību."
                ),
            )
        else:
            services.psychologist_register(
                actor=actor, decision=board.decision(meeting), meeting=meeting, application=application
            )
            registered += 1
    return registered


def _examine(
    board: _Board,
    meetings: list[BoardMeeting],
    candidates: list[Psychologist],
    *,
    kind: str,
    sessions: list[dt.date],
    passing: int,
    failing: int,
) -> int:
    """Examination sessions on the given days: each candidate applies a month before, sits the examination, and the
    board decides at its next meeting (a certificate or supervisor rights after a pass, a refusal after a fail)."""
    rng, actor = board.rng, board.officer
    candidates = list(candidates[: passing + failing])
    outcomes = [True] * passing + [False] * failing
    rng.shuffle(outcomes)
    application_kind = ApplicationKind.CERTIFICATION if kind == ExamKind.CERTIFICATION else ApplicationKind.SUPERVISOR
    granted = 0
    for k, (p, passes) in enumerate(zip(candidates, outcomes, strict=True)):
        day = sessions[k * len(sessions) // len(candidates)]
        session = ExamSession.objects.filter(date=day, kind=kind).first() or services.exam_session_record(
            actor=actor,
            date=day,
            kind=kind,
            mode=ExamMode.REMOTE if k % 2 else ExamMode.IN_PERSON,
            place="Rīga, Vaļņu iela 2",
        )
        area = p.certificates.filter(supervisor=False).first().area if kind == ExamKind.SUPERVISOR else _area(rng)
        application = services.application_receive(
            actor=actor,
            kind=application_kind,
            psychologist=p,
            area=area,
            received_on=max(day - dt.timedelta(days=30), p.registered_on),
        )
        result = services.exam_result_record(
            actor=actor,
            session=session,
            psychologist=p,
            area=area,
            score=rng.randint(62, 96) if passes else rng.randint(25, 58),
        )
        meeting = _first_after(meetings, day + dt.timedelta(days=6))
        if passes and kind == ExamKind.CERTIFICATION:
            services.certificate_issue(
                actor=actor,
                decision=board.decision(meeting),
                meeting=meeting,
                exam_result=result,
                application=application,
            )
        elif passes:
            services.supervisor_rights_grant(
                actor=actor,
                decision=board.decision(meeting),
                meeting=meeting,
                exam_result=result,
                application=application,
            )
        else:
            services.application_refuse(
                actor=actor,
                application=application,
                meeting=meeting,
                decision=board.decision(meeting, "Pārbaudījums nav nokārtots."),
            )
        granted += passes
    return granted


def _uncertified(registered_before: dt.date) -> list[Psychologist]:
    """Active psychologists without a certificate whose status never changed, registered before a day."""
    return list(
        Psychologist.objects.filter(
            status=PsychologistStatus.ACTIVE,
            certificates__isnull=True,
            status_changed_on__isnull=True,
            registered_on__lt=registered_before,
        ).order_by("registered_on", "pk")
    )


def _renew(board: _Board, meetings: list[BoardMeeting], after: dt.date) -> int:
    """Renew the certificates of active psychologists that end after `after` and by the year's last meeting, at
    the last meeting before each ends (all but about one in twenty). A routine of hundreds of decisions a year, so
    written in bulk, as the services would write them: the decision and the certificate's new term."""
    decisions, renewed = [], []
    for c in (
        Certificate.objects.filter(
            valid_until__gt=after, valid_until__lte=meetings[-1].date, psychologist__status=PsychologistStatus.ACTIVE
        )
        .select_related("psychologist")
        .order_by("valid_until", "pk")
    ):
        if board.rng.random() >= RENEWED_SHARE:
            continue
        before = [m for m in meetings if c.valid_until - dt.timedelta(days=60) <= m.date <= c.valid_until]
        meeting = before[-1] if before else _first_after(meetings, c.valid_until)
        old, c.valid_until = c.valid_until, services.add_years(max(c.valid_until, meeting.date), CERTIFICATE_YEARS)
        data = board.decision(meeting)
        decisions.append(
            Decision(
                number=data.number,
                date=data.date,
                kind=DecisionKind.RENEW,
                legal_basis=data.legal_basis,
                decided_by=board.officer,
                meeting=meeting,
                psychologist=c.psychologist,
                certificate=c,
                area=c.area,
                valid_until=c.valid_until,
                subject_name=c.psychologist.full_name,
                changes={"valid_until": {"old": old.isoformat(), "new": c.valid_until.isoformat()}},
            )
        )
        renewed.append(c)
    Certificate.objects.bulk_update(renewed, ["valid_until"], batch_size=500)
    Decision.objects.bulk_create(decisions, batch_size=500)
    return len(renewed)


def _supervisor_candidates(*, valid_on: dt.date) -> list[Psychologist]:
    """Active psychologists registered in 2018 without supervisor rights, with a certificate in force on a day."""
    return list(
        Psychologist.objects.filter(
            status=PsychologistStatus.ACTIVE, certificates__valid_until__gte=valid_on, registered_on__year=2018
        )
        .exclude(certificates__supervisor=True)
        .distinct()
        .order_by("registered_on", "pk")[:1]
    )


def _year_2024(board: _Board, people: _People, entries: list[_Entry]) -> dict[str, int]:
    rng, actor = board.rng, board.officer
    meetings = board.meetings(2024, MEETINGS[2024])
    # status: one suspended before 2024 restored; two certified non-supervisors suspended; one uncertified cancelled
    suspended_before = [e.obj for e in entries if e.ended == DecisionKind.SUSPEND]
    services.psychologist_status_change(
        actor=actor,
        decision=board.decision(meetings[2]),
        meeting=meetings[2],
        psychologist=suspended_before[0],
        kind=DecisionKind.RESTORE,
    )
    certified = [e.obj for e in entries if e.certified_at and not e.supervisor_at]
    supervisor_candidates = [p for p in certified if p.registered_on.year == 2018][:2]
    for p, m in zip(
        rng.sample(certified[len(certified) // 2 :], Y2024["suspended"]), (meetings[4], meetings[9]), strict=True
    ):
        services.psychologist_status_change(
            actor=actor,
            decision=board.decision(m, "Psihologs pārkāpis Psihologu ētikas kodeksa prasības."),
            meeting=m,
            psychologist=p,
            kind=DecisionKind.SUSPEND,
        )
    uncertified = _uncertified(dt.date(2023, 1, 1))
    services.psychologist_status_change(
        actor=actor,
        decision=board.decision(meetings[6], "Psihologa iesniegums par darbības izbeigšanu."),
        meeting=meetings[6],
        psychologist=uncertified[-1],
        kind=DecisionKind.CANCEL,
    )
    registered = _register(
        board,
        people,
        meetings,
        Y2024["applications"],
        Y2024["applications"] - Y2024["registered"],
        start=dt.date(2024, 1, 5),
    )
    sessions = [_weekday(dt.date(2024, m, 12)) for m in (3, 5, 9, 11)]
    certified_n = _examine(
        board,
        meetings,
        uncertified[: Y2024["certified"] + Y2024["failed"]],
        kind=ExamKind.CERTIFICATION,
        sessions=sessions,
        passing=Y2024["certified"],
        failing=Y2024["failed"],
    )
    supervisors = _examine(
        board,
        meetings,
        supervisor_candidates,
        kind=ExamKind.SUPERVISOR,
        sessions=[_weekday(dt.date(2024, 10, 21))],
        passing=Y2024["supervisor"],
        failing=1,
    )
    for k in range(Y2024["recognised"]):
        received = _weekday(dt.date(2024, 2 + k, 3))
        first, last = people.name()
        application = services.application_receive(
            actor=actor,
            kind=ApplicationKind.RECOGNITION,
            received_on=received,
            first_name=first,
            last_name=last,
            personal_code=people.code(),
            country=COUNTRIES[k],
            education="Ārvalstīs iegūta psihologa kvalifikācija",
        )
        day = _weekday(received + dt.timedelta(days=rng.randint(20, 40)))
        services.qualification_recognise(
            actor=actor,
            decision=board.ikvd(day),
            application=application,
            document=f"Diploms Nr. {rng.randint(10000, 99999)}, {COUNTRIES[k]}; profesionālās kvalifikācijas "
            "atzīšanas apliecība izsniegta",
        )
    return {
        "meetings 2024": len(meetings),
        "registered 2024": registered,
        "certified 2024": certified_n,
        "supervisor rights 2024": supervisors,
    }


def _since_2024(board: _Board, people: _People, today: dt.date, scale: float) -> dict[str, int]:
    """From 2025 to `today`: the board's meetings, registrations and examinations with their certificates (fewer at
    a scale under 1), renewals of the certificates that end, and the applications received in the last weeks, still
    open."""
    rng, actor = board.rng, board.officer
    scale = min(scale, 1.0)
    counts: dict[str, int] = defaultdict(int)
    renewed_until = dt.date(2024, 12, 31)
    for year in range(2025, today.year + 1):
        end = min(dt.date(year, 12, 15), today - dt.timedelta(days=14))
        if end <= dt.date(year, 1, 20):
            break
        share = (end - dt.date(year, 1, 1)).days / 365
        meetings = board.meetings(year, max(2, round(MEETINGS[2024] * share)), last=end)
        counts["meetings"] += len(meetings)
        counts["registered"] += _register(
            board, people, meetings, max(2, round(REGISTERED_LATER * share * scale)), 1, start=dt.date(year, 1, 5)
        )
        sessions = [
            d
            for d in (_weekday(dt.date(year, m, 12)) for m in (3, 5, 9, 11))
            if d + dt.timedelta(days=7) < meetings[-1].date
        ]
        if sessions:
            passing = max(1, round(CERTIFIED_LATER * share * scale))
            counts["certified"] += _examine(
                board,
                meetings,
                _uncertified(dt.date(year - 1, 1, 1)),
                kind=ExamKind.CERTIFICATION,
                sessions=sessions,
                passing=passing,
                failing=passing // 4,
            )
        counts["renewed"] += _renew(board, meetings, renewed_until)
        renewed_until = meetings[-1].date
        if sessions:
            day = sessions[-1]
            counts["supervisor rights"] += _examine(
                board,
                meetings,
                _supervisor_candidates(valid_on=day + dt.timedelta(days=60)),
                kind=ExamKind.SUPERVISOR,
                sessions=[day],
                passing=1,
                failing=0,
            )
    for k in range(5):  # open on the secretariat's desk
        first, last = people.name()
        services.application_receive(
            actor=actor,
            kind=ApplicationKind.REGISTRATION,
            received_on=today - dt.timedelta(days=2 + 3 * k),
            first_name=first,
            last_name=last,
            personal_code=people.code(),
            education=rng.choice(EDUCATION),
        )
    counts["open applications"] = 5
    return {f"{k} since 2025": v for k, v in counts.items()}


def generate(*, rng, scale: float, officer, today: dt.date | None = None) -> dict[str, int]:
    """The register of psychologists from 2018 to `today` (default: today): up to the end of 2024 the same at every
    `scale` (the calibration's figures); the registrations and certificates since then scale with it."""
    today = today or timezone.localdate()
    people, numbers = _People(rng), _Numbers()
    history = _history(rng, officer=officer, people=people, numbers=numbers)
    board = _Board(rng, officer=officer, numbers=numbers)
    summary = {"psychologists registered 2018–2023": len(history["entries"])}
    summary |= _year_2024(board, people, history["entries"])
    summary |= _since_2024(board, people, today, scale)
    summary["psychologists in the register"] = Psychologist.objects.count()
    return summary
