"""Demo register of teacher private-practice certificates, exact at scale 1 against calibration-2024.yaml
`teacher_private_practice_certificates`: in 2024 299 certificates issued to 219 teachers (287 for interest
education, 12 for non-formal adult education), of them 254 new and 45 extended, and 3 annulled after the State
Language Centre's check (MK 682 point 14.3). 2024 is written through the services (every decision recorded, audited
and versioned). The other years, from 2021 (whose certificates are the ones extended in 2024) to today, have volumes
like 2024's and are written in bulk, like the past years of the complaints demo: the same teachers, certificates and
decision rows the services would write, without audit events or row history."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from ikms.accounts.models import User
from ikms.core.personal_codes import old_format_code, personal_code_digest
from ikms.practice import services
from ikms.practice.choices import VALIDITY_YEARS, AnnulmentReason, DecisionKind, EducationKind, ProgrammeArea
from ikms.practice.models import Certificate, CertificateDecision, Teacher
from ikms.practice.services import add_years
from ikms.registry.demo import FEMALE, MALE, SURNAMES
from ikms.registry.services import DecisionInput

#: 2024 at scale 1 (calibration `teacher_private_practice_certificates`).
NEW_2024, EXTENDED_2024, ANNULLED_2024, TEACHERS_2024 = 254, 45, 3, 219
NON_FORMAL_2024 = {"new": 10, "extended": 2}  # 12 of the 299
FIRST_YEAR = 2021
BASIS = {
    DecisionKind.ISSUE: "MK 25.10.2016. noteikumi Nr. 682, 2.1. apakšpunkts",
    DecisionKind.EXTEND: "MK 25.10.2016. noteikumi Nr. 682, 2.3. apakšpunkts",
    DecisionKind.ANNUL: "MK 25.10.2016. noteikumi Nr. 682, 2.6. un 14.3. apakšpunkts",
}
JUSTIFICATION = {
    DecisionKind.ISSUE: "Pedagoga izglītība, profesionālā pilnveide un iesniegtā programma atbilst noteikumu "
    "prasībām; komisija lēmumu pieņēmusi ar balsu vairākumu.",
    DecisionKind.EXTEND: "Pedagogs iesniedzis apliecinājumu par profesionālo pilnveidi un programmas īstenošanu "
    "sertifikāta darbības laikā.",
    AnnulmentReason.STATE_LANGUAGE: "Valsts valodas centra pārbaudē konstatēts, ka pedagoga valsts valodas lietojums "
    "neatbilst normatīvajos aktos noteiktajam līmenim.",
    AnnulmentReason.ON_REQUEST: "Pedagoga iesniegums par sertifikāta anulēšanu.",
}
#: Programmes by area: (area, interest education programmes, non-formal adult education programmes).
PROGRAMMES = {
    ProgrammeArea.CULTURE: (
        [
            "Keramika bērniem",
            "Zīmēšana un gleznošana",
            "Klavierspēle",
            "Vokālais ansamblis",
            "Mūsdienu deja",
            "Teātra studija",
            "Ģitārspēle",
        ],
        ["Fotogrāfija pieaugušajiem"],
    ),
    ProgrammeArea.SPORT: (["Šahs", "Peldētapmācība", "Vieglatlētika", "Futbols bērniem", "Karatē", "Vingrošana"], []),
    ProgrammeArea.TECHNICAL: (["Robotika", "Programmēšana bērniem", "Modelisms", "3D modelēšana"], []),
    ProgrammeArea.ENVIRONMENT: (["Jaunie dabas pētnieki", "Vides izglītība ģimenēm"], []),
    ProgrammeArea.LANGUAGES: (
        ["Angļu valoda bērniem", "Vācu valoda bērniem"],
        ["Latviešu valoda pieaugušajiem", "Angļu valoda pieaugušajiem"],
    ),
    ProgrammeArea.DIGITAL: ([], ["Digitālās prasmes senioriem", "Datorprasmes darbā"]),
    ProgrammeArea.OTHER: (["Runas māksla"], ["Personīgās finanses"]),
}


@dataclass
class _Demo:
    rng: object
    scale: float
    officer: User
    today: datetime.date
    bulk: bool = True
    counter: int = 0
    codes: dict = field(default_factory=dict)  # teacher (by digest) -> personal code, for the services
    teachers: list = field(default_factory=list)
    programmes: dict = field(default_factory=dict)  # digest -> programme names the teacher has held
    certificates: list = field(default_factory=list)
    year_numbers: dict = field(default_factory=dict)
    new_teachers: list = field(default_factory=list)
    new_certificates: list = field(default_factory=list)
    new_decisions: list = field(default_factory=list)
    changed: dict = field(default_factory=dict)

    def n(self, base: int) -> int:
        """A count at the current scale (exact at scale 1)."""
        return max(1, round(base * self.scale)) if base else 0

    def decision(self, kind: str, day: datetime.date, justification: str) -> DecisionInput:
        self.counter += 1
        return DecisionInput(
            number=f"{day.year}/PP-{self.counter:05d}", date=day, legal_basis=BASIS[kind], justification=justification
        )


def _new_teacher(ctx: _Demo) -> Teacher:
    surname = ctx.rng.choice(SURNAMES)
    female = ctx.rng.random() < 0.8
    name = f"{ctx.rng.choice(FEMALE)} {surname[1]}" if female else f"{ctx.rng.choice(MALE)} {surname[0]}"
    while True:
        born = datetime.date(1950, 1, 1) + datetime.timedelta(days=ctx.rng.randrange(50 * 365))
        code = old_format_code(born, ctx.rng.randrange(1000))
        if code and personal_code_digest(code) not in ctx.codes:
            break
    teacher = Teacher(name=name, personal_code_digest=personal_code_digest(code))
    ctx.codes[teacher.personal_code_digest] = code
    ctx.programmes[teacher.personal_code_digest] = set()
    ctx.teachers.append(teacher)
    ctx.new_teachers.append(teacher)
    return teacher


def _programme(ctx: _Demo, teacher: Teacher, kind: str) -> tuple[str, str]:
    """An area and a programme the teacher has not held yet."""
    options = [
        (area, name)
        for area, (interest, adult) in PROGRAMMES.items()
        for name in (interest if kind == EducationKind.INTEREST else adult)
        if name not in ctx.programmes[teacher.personal_code_digest]
    ]
    if not options:  # every programme of the kind held already: a further level of one
        area, name = ctx.rng.choice(
            [(a, n) for a, lists in PROGRAMMES.items() for n in lists[kind != EducationKind.INTEREST]]
        )
        name = f"{name} ({len(ctx.programmes[teacher.personal_code_digest]) + 1}. līmenis)"
    else:
        area, name = ctx.rng.choice(options)
    ctx.programmes[teacher.personal_code_digest].add(name)
    return area, name


def _issue(ctx: _Demo, teacher: Teacher, kind: str, day: datetime.date) -> None:
    area, programme = _programme(ctx, teacher, kind)
    if not ctx.bulk:
        certificate = services.certificate_issue(
            actor=ctx.officer,
            decision=ctx.decision(DecisionKind.ISSUE, day, JUSTIFICATION[DecisionKind.ISSUE]),
            teacher_name=teacher.name,
            personal_code=ctx.codes[teacher.personal_code_digest],
            education_kind=kind,
            programme_area=area,
            programme_name=programme,
        )
        ctx.certificates.append(certificate)
        return
    ctx.year_numbers[day.year] = ctx.year_numbers.get(day.year, 0) + 1
    certificate = Certificate(
        number=f"PP-{day.year}-{ctx.year_numbers[day.year]:04d}",
        teacher=teacher,
        education_kind=kind,
        programme_area=area,
        programme_name=programme,
        issued_on=day,
        valid_until=add_years(day, VALIDITY_YEARS),
    )
    ctx.new_certificates.append(certificate)
    ctx.certificates.append(certificate)
    _record(
        ctx,
        certificate,
        DecisionKind.ISSUE,
        day,
        changes={
            "number": {"old": None, "new": certificate.number},
            "valid_until": {"old": None, "new": certificate.valid_until.isoformat()},
        },
    )


def _record(
    ctx: _Demo, certificate: Certificate, kind: str, day: datetime.date, *, reason: str = "", changes: dict
) -> None:
    """A bulk year's decision row (what services._decision_record writes, without the audit events)."""
    justification = JUSTIFICATION[reason or kind]
    data = ctx.decision(kind, day, justification)
    ctx.new_decisions.append(
        CertificateDecision(
            number=data.number,
            date=day,
            kind=kind,
            reason=reason,
            legal_basis=data.legal_basis,
            justification=justification,
            decided_by=ctx.officer,
            certificate=certificate,
            changes=changes,
        )
    )
    if certificate.pk is not None:
        ctx.changed[certificate.pk] = certificate


def _extend(ctx: _Demo, certificate: Certificate, day: datetime.date) -> None:
    if not ctx.bulk:
        services.certificate_extend(
            actor=ctx.officer,
            certificate=certificate,
            decision=ctx.decision(DecisionKind.EXTEND, day, JUSTIFICATION[DecisionKind.EXTEND]),
        )
        certificate.refresh_from_db()
        return
    old = certificate.valid_until
    certificate.valid_until = add_years(old, VALIDITY_YEARS)
    _record(
        ctx,
        certificate,
        DecisionKind.EXTEND,
        day,
        changes={"valid_until": {"old": old.isoformat(), "new": certificate.valid_until.isoformat()}},
    )


def _annul(ctx: _Demo, certificate: Certificate, day: datetime.date, reason: str) -> None:
    if not ctx.bulk:
        services.certificate_annul(
            actor=ctx.officer,
            certificate=certificate,
            reason=reason,
            decision=ctx.decision(DecisionKind.ANNUL, day, JUSTIFICATION[reason]),
        )
        certificate.refresh_from_db()
        return
    certificate.annulled_on, certificate.annulment_reason = day, reason
    _record(
        ctx,
        certificate,
        DecisionKind.ANNUL,
        day,
        reason=reason,
        changes={"annulled_on": {"old": None, "new": day.isoformat()}},
    )


def _day(ctx: _Demo, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=ctx.rng.randint(0, max(0, (end - start).days)))


def _expiring(ctx: _Demo, year: int) -> list[Certificate]:
    """The certificates whose term ends in `year`, not annulled, in the order they were issued."""
    return [c for c in ctx.certificates if c.valid_until.year == year and c.annulled_on is None]


def _extension_day(ctx: _Demo, certificate: Certificate, year: int) -> datetime.date:
    start = max(datetime.date(year, 1, 2), certificate.valid_until - datetime.timedelta(days=45))
    return _day(ctx, start, min(certificate.valid_until, ctx.today))


def _plan_2024(ctx: _Demo) -> list[tuple]:
    """The calibrated year: extensions of 2021's certificates, new certificates making 219 teachers in all, and
    three annulments of certificates issued before."""
    expiring = _expiring(ctx, 2024)
    interest = [c for c in expiring if c.education_kind == EducationKind.INTEREST]
    adult = [c for c in expiring if c.education_kind == EducationKind.NON_FORMAL]
    adult_ext = min(len(adult), ctx.n(NON_FORMAL_2024["extended"]))
    extended = ctx.rng.sample(adult, adult_ext) + ctx.rng.sample(interest, ctx.n(EXTENDED_2024) - adult_ext)
    events = [(_extension_day(ctx, c, 2024), 1, "extend", c) for c in extended]
    # new certificates: every one of the 219 teachers gets a certificate in 2024 (extended or new)
    extended_teachers = {c.teacher.personal_code_digest for c in extended}
    others_needed = ctx.n(TEACHERS_2024) - len(extended_teachers)
    known = [t for t in ctx.teachers if t.personal_code_digest not in extended_teachers]
    from_known = ctx.rng.sample(known, min(len(known), others_needed // 4))
    others = from_known + [_new_teacher(ctx) for _ in range(others_needed - len(from_known))]
    new_count = ctx.n(NEW_2024)
    holders = others + [ctx.rng.choice(others + [c.teacher for c in extended]) for _ in range(new_count - len(others))]
    adult_new = ctx.n(NON_FORMAL_2024["new"]) + (ctx.n(NON_FORMAL_2024["extended"]) - adult_ext)
    kinds = [EducationKind.NON_FORMAL] * adult_new + [EducationKind.INTEREST] * (new_count - adult_new)
    ctx.rng.shuffle(kinds)
    events += [
        (_day(ctx, datetime.date(2024, 1, 8), datetime.date(2024, 12, 20)), 0, "issue", (t, k))
        for t, k in zip(holders, kinds, strict=True)
    ]
    annullable = [c for c in ctx.certificates if c.issued_on.year in (2022, 2023) and c.annulled_on is None]
    events += [
        (_day(ctx, datetime.date(2024, 3, 1), datetime.date(2024, 11, 29)), 2, "annul", c)
        for c in ctx.rng.sample(annullable, ctx.n(ANNULLED_2024))
    ]
    return events


def _plan(ctx: _Demo, year: int) -> list[tuple]:
    """Another year: about 2024's volumes (this year: so far)."""
    last = min(datetime.date(year, 12, 20), ctx.today)
    share = 1.0 if year < ctx.today.year else (ctx.today - datetime.date(year, 1, 1)).days / 365
    wobble = 0.85 + 0.3 * ctx.rng.random()
    events = []
    for _ in range(round(ctx.n(round(NEW_2024 * wobble)) * share)):
        teacher = _new_teacher(ctx) if not ctx.teachers or ctx.rng.random() < 0.75 else ctx.rng.choice(ctx.teachers)
        kind = EducationKind.NON_FORMAL if ctx.rng.random() < 0.04 else EducationKind.INTEREST
        events.append((_day(ctx, datetime.date(year, 1, 8), last), 0, "issue", (teacher, kind)))
    extended = [c for c in _expiring(ctx, year) if c.valid_until <= ctx.today and ctx.rng.random() < 0.19]
    events += [(_extension_day(ctx, c, year), 1, "extend", c) for c in extended]
    valid = [c for c in ctx.certificates if c.annulled_on is None and c.valid_until > last and c not in extended]
    for certificate in ctx.rng.sample(valid, min(len(valid), ctx.rng.randint(0, 2))):
        events.append((_day(ctx, max(certificate.issued_on, datetime.date(year, 1, 8)), last), 2, "annul", certificate))
    return events


def _flush(ctx: _Demo) -> None:
    """Write what the bulk years kept: new teachers, certificates and decisions, changed certificates."""
    Teacher.objects.bulk_create(ctx.new_teachers, batch_size=500)
    Certificate.objects.bulk_create(ctx.new_certificates, batch_size=500)
    CertificateDecision.objects.bulk_create(ctx.new_decisions, batch_size=500)
    Certificate.objects.bulk_update(
        list(ctx.changed.values()), ["valid_until", "annulled_on", "annulment_reason"], batch_size=500
    )
    ctx.new_teachers, ctx.new_certificates, ctx.new_decisions, ctx.changed = [], [], [], {}


def generate(*, rng, scale: float, officer: User, today: datetime.date | None = None) -> dict[str, int]:
    """Write the demo register from 2021 to `today` (default: today); 2024 equals the calibration at scale 1."""
    ctx = _Demo(rng=rng, scale=scale, officer=officer, today=today or timezone.localdate())
    for year in range(FIRST_YEAR, ctx.today.year + 1):
        ctx.bulk = year != 2024  # the calibrated year goes through the services
        events = _plan(ctx, year) if ctx.bulk else _plan_2024(ctx)
        if not ctx.bulk:
            _flush(ctx)
        for day, _, what, subject in sorted(events, key=lambda e: (e[0], e[1])):
            if what == "issue":
                _issue(ctx, *subject, day)
            elif what == "extend":
                _extend(ctx, subject, day)
            else:
                reason = (
                    AnnulmentReason.STATE_LANGUAGE
                    if ctx.bulk is False or ctx.rng.random() < 0.7
                    else (AnnulmentReason.ON_REQUEST)
                )
                _annul(ctx, subject, day, reason)
        _flush(ctx)
    valid = Certificate.objects.filter(annulled_on__isnull=True, valid_until__gte=ctx.today).count()
    return {
        "private-practice certificates valid now": valid,
        "teachers holding one": Teacher.objects.filter(
            certificates__annulled_on__isnull=True, certificates__valid_until__gte=ctx.today
        )
        .distinct()
        .count(),
    }
