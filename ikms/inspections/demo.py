"""Demo inspections, equal to calibration-2024.yaml when the system counts them:

* the supervision department's inspections — 245 visited in 2023 and 120 in 2024 (`supervision.inspections`);
* adult-education supervision in 2024 — 119 acts (83 programme implementation, 27 work placement, 9 qualification
  examination) at 36 institutions, 93 of them with recommendations, 147 recommendations in all
  (`adult_education_supervision`);
* the 2023/24 unified-school thematic evaluation — 167 visits whose questionnaire answers aggregate to
  `unified_school_evaluation_2023_2024`;
* and a few open inspections, taken through the services (audited, with case files), in every state of the
  workflow: planned from the visit plan, visited, act written, follow-up with an overdue order and evidence waiting
  for review — so the inspector's pages have work on them.

The historical records (2023, 2024) are written in bulk, not step by step through the services, to keep `make demo`
within its time budget; they are closed inspections whose rows are what the services would have written."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ikms.cases.deadlines import rule
from ikms.cases.models import CaseFile, Deadline
from ikms.complaints.models import Complaint
from ikms.inspections import services
from ikms.inspections.case_type import KIND
from ikms.inspections.choices import (
    ActType,
    InspectionKind,
    InspectionState,
    OrderKind,
    OrderState,
    ProgrammeCheckKind,
    Severity,
    Stream,
)
from ikms.inspections.models import Act, Finding, Inspection, Order, ProgrammeCheck, ThematicAnswer
from ikms.inspections.questionnaires import questionnaire
from ikms.inspections.services import ORDER_DEADLINE
from ikms.registry.models import Institution

SUPERVISION = {2023: 245, 2024: 120}
ADULT_ACTS_2024 = {ActType.IMPLEMENTATION: 83, ActType.PLACEMENT: 27, ActType.QUALIFICATION_EXAM: 9}
ADULT_INSTITUTIONS_2024 = 36
ADULT_ACTS_WITH_RECOMMENDATIONS_2024 = 93
ADULT_RECOMMENDATIONS_2024 = 147
ADULT_EXPERT_REVIEWS_2024 = 114
UNIFIED = "unified_school_2023_2024"
#: calibration-2024.yaml `unified_school_evaluation_2023_2024`: yes answers per question, levels per group.
UNIFIED_YES = {
    "fully_in_latvian": 162,
    "parents_informed": 157,
    "parent_communication_to_improve": 79,
    "environment_adapted": 137,
    "support_staff_available": 141,
    "language_strategies_used": 137,
    "methodological_support": 138,
    "materials_in_latvian": 152,
    "learners_communicate_in_latvian": 126,
    "learners_struggle": 29,
}
UNIFIED_VISITS = 167
UNIFIED_LEVELS = {"insufficient": 3, "needs_improvement": 57, "good": 64, "very_good": 36, "excellent": 6}
UNIFIED_PRESCHOOL = 51

SUBJECTS = {
    InspectionKind.PLANNED: "Plānveida pārbaude: izglītības programmu īstenošana un mācību procesa organizācija",
    InspectionKind.COMPLAINT: "Pārbaude pēc iesnieguma: izglītojamo drošība un vecāku informēšana",
    InspectionKind.AD_HOC: "Ārpuskārtas pārbaude: izglītojamo uzskaite un kavējumu reģistrēšana",
}
FINDINGS = [
    (
        "Izglītojamo kavējumu uzskaite e-klasē netiek veikta katru dienu.",
        Severity.MINOR,
        "MK 2021. gada 6. jūlija noteikumi Nr. 480, 9. punkts",
    ),
    (
        "Stundu saraksts neatbilst licencētās programmas mācību plānam.",
        Severity.MODERATE,
        "Izglītības likuma 30. panta pirmā daļa",
    ),
    (
        "Nav izstrādāta kārtība, kā rīkoties, ja izglītojamais apdraud savu vai citu drošību.",
        Severity.MAJOR,
        "MK 2009. gada 24. novembra noteikumi Nr. 1338, 3. punkts",
    ),
    (
        "Vērtēšanas kārtība nav saskaņota ar valsts pamatizglītības standartu.",
        Severity.MODERATE,
        "MK 2018. gada 27. novembra noteikumi Nr. 747, 17. punkts",
    ),
    (
        "Pedagogu profesionālās kompetences pilnveide nav dokumentēta.",
        Severity.MINOR,
        "Izglītības likuma 49. panta otrā daļa",
    ),
]
ORDERS = [
    "Nodrošināt izglītojamo kavējumu uzskaiti e-klasē katru mācību dienu.",
    "Saskaņot stundu sarakstu ar licencētās programmas mācību plānu.",
    "Izstrādāt un apstiprināt drošības kārtību un iepazīstināt ar to izglītojamos un vecākus.",
    "Pārskatīt vērtēšanas kārtību un publicēt to iestādes tīmekļvietnē.",
]
ADULT_RECOMMENDATION = "Papildināt programmas īstenošanas dokumentāciju ar prakses vadītāja atskaitēm."


def _day(rng, year: int, start: tuple[int, int] = (1, 10), end: tuple[int, int] = (12, 15)) -> dt.date:
    first, last = dt.date(year, *start), dt.date(year, *end)
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


class _Bulk:
    """Closed historical inspections, written in bulk."""

    def __init__(self, inspector):
        self.inspector = inspector
        self.rows: list[dict] = []

    def add(
        self,
        *,
        institution,
        kind,
        stream,
        visited_on,
        subject,
        act_type=ActType.GENERAL,
        findings=(),
        orders=(),
        questionnaire_code="",
        answers=None,
    ) -> None:
        self.rows.append(
            dict(
                institution=institution,
                kind=kind,
                stream=stream,
                visited_on=visited_on,
                subject=subject,
                act_type=act_type,
                findings=findings,
                orders=orders,
                questionnaire=questionnaire_code,
                answers=answers or {},
            )
        )

    def write(self) -> int:
        now = timezone.now()
        files = CaseFile.objects.bulk_create(
            CaseFile(
                kind=KIND,
                subject=r["subject"],
                institution=r["institution"],
                opened_on=r["visited_on"] - dt.timedelta(days=14),
                closed_on=r["visited_on"] + dt.timedelta(days=60 if r["orders"] else 20),
                created_at=now,
            )
            for r in self.rows
        )
        inspections = Inspection.objects.bulk_create(
            Inspection(
                institution=r["institution"],
                kind=r["kind"],
                stream=r["stream"],
                state=InspectionState.CLOSED,
                subject=r["subject"],
                planned_on=r["visited_on"] - dt.timedelta(days=7),
                visited_on=r["visited_on"],
                closed_on=f.closed_on,
                case_file=f,
                questionnaire=r["questionnaire"],
                created_at=now,
            )
            for r, f in zip(self.rows, files, strict=True)
        )
        Inspection.inspectors.through.objects.bulk_create(
            Inspection.inspectors.through(inspection_id=i.pk, user_id=self.inspector.pk) for i in inspections
        )
        acts = Act.objects.bulk_create(
            Act(
                inspection=i,
                number=f"PA-{r['visited_on'].year}/{i.pk}",
                act_type=r["act_type"],
                dated_on=r["visited_on"] + dt.timedelta(days=5),
                summary="Pārbaudes rezultāti apkopoti aktā.",
                written_by=self.inspector,
                created_at=now,
            )
            for r, i in zip(self.rows, inspections, strict=True)
            if not r["questionnaire"]
        )
        by_inspection = {a.inspection_id: a for a in acts}
        findings = []
        for r, i in zip(self.rows, inspections, strict=True):
            for text, severity, basis in r["findings"]:
                findings.append(
                    Finding(act=by_inspection[i.pk], text=text, severity=severity, legal_basis=basis, created_at=now)
                )
        Finding.objects.bulk_create(findings)
        orders, deadlines = [], []
        for r, i in zip(self.rows, inspections, strict=True):
            act = by_inspection.get(i.pk)
            for kind, text in r["orders"]:
                due = act.dated_on + dt.timedelta(days=45)
                met = kind == OrderKind.ORDER
                # the order's deadline in the case core, as services.order_issue starts it (met with the order)
                deadlines.append(
                    Deadline(
                        case_file_id=i.case_file_id,
                        rule=ORDER_DEADLINE,
                        regime=rule(ORDER_DEADLINE).regime_for(act.dated_on).code,
                        starts_on=act.dated_on,
                        statutory_due_on=due,
                        due_on=due,
                        met_on=due - dt.timedelta(days=3) if met else None,
                        created_at=now,
                    )
                )
                orders.append(
                    Order(
                        inspection=i,
                        kind=kind,
                        text=text,
                        due_on=due,
                        state=OrderState.MET if met else OrderState.OPEN,
                        met_on=due - dt.timedelta(days=3) if met else None,
                        created_at=now,
                    )
                )
        for order, deadline in zip(orders, Deadline.objects.bulk_create(deadlines), strict=True):
            order.deadline = deadline
        Order.objects.bulk_create(orders)
        ThematicAnswer.objects.bulk_create(
            ThematicAnswer(inspection=i, question=code, value=value, created_at=now)
            for r, i in zip(self.rows, inspections, strict=True)
            for code, value in r["answers"].items()
        )
        return len(inspections)


def _supervision(rng, bulk: _Bulk, institutions, year: int, n: int) -> None:
    kinds = [InspectionKind.PLANNED] * 5 + [InspectionKind.COMPLAINT] * 3 + [InspectionKind.AD_HOC] * 2
    for k in range(n):
        kind = kinds[k % len(kinds)]
        chosen = rng.sample(FINDINGS, rng.randint(0, 3))
        orders = [
            (OrderKind.ORDER if f[1] != Severity.MINOR else OrderKind.RECOMMENDATION, ORDERS[i % len(ORDERS)])
            for i, f in enumerate(chosen)
        ]
        bulk.add(
            institution=rng.choice(institutions),
            kind=kind,
            stream=Stream.SUPERVISION,
            visited_on=_day(rng, year, (1, 10), (12, 10)),
            subject=SUBJECTS[kind],
            findings=chosen,
            orders=orders,
        )


def _adult_education(rng, bulk: _Bulk, institutions) -> None:
    pool = rng.sample(institutions, min(ADULT_INSTITUTIONS_2024, len(institutions)))
    types = [t for t, n in ADULT_ACTS_2024.items() for _ in range(n)]
    rng.shuffle(types)
    # 147 recommendations over 93 acts: every such act one, 54 of them a second.
    per_act = [2] * (ADULT_RECOMMENDATIONS_2024 - ADULT_ACTS_WITH_RECOMMENDATIONS_2024)
    per_act += [1] * (2 * ADULT_ACTS_WITH_RECOMMENDATIONS_2024 - ADULT_RECOMMENDATIONS_2024)
    per_act += [0] * (len(types) - ADULT_ACTS_WITH_RECOMMENDATIONS_2024)
    rng.shuffle(per_act)
    for k, (act_type, n) in enumerate(zip(types, per_act, strict=True)):
        institution = pool[k % len(pool)]  # every one of the 36 at least once
        bulk.add(
            institution=institution,
            kind=InspectionKind.PLANNED,
            stream=Stream.ADULT_EDUCATION,
            visited_on=_day(rng, 2024, (1, 15), (12, 5)),
            subject="Pieaugušo izglītības programmas pārbaude",
            act_type=act_type,
            orders=[(OrderKind.RECOMMENDATION, ADULT_RECOMMENDATION)] * n,
        )


def _split(rng, total: int, parts: int) -> list[int]:
    """`total` split into `parts` positive whole numbers of random sizes."""
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def _programme_checks(rng, inspector, institutions) -> int:
    """Adult-education desk checks of 2024: 114 expert reviews of one programme each, as
    services.programme_check_log writes them. The offer-list checks (25,753 lines, 1,540 mismatches) are not
    written here: ikms.crosschecks' demo imports generated offer lists and checks every line against the
    registers, and its import records each list's totals as an offer-list check."""
    now = timezone.now()
    rows = [
        ProgrammeCheck(
            kind=ProgrammeCheckKind.EXPERT_REVIEW,
            checked_on=_day(rng, 2024, (1, 10), (12, 15)),
            institution=rng.choice(institutions),
            programmes=1,
            mismatches=0,
            note="Programmas atbilstība standartam izvērtēta.",
            checked_by=inspector,
            created_at=now,
        )
        for _ in range(ADULT_EXPERT_REVIEWS_2024)
    ]
    ProgrammeCheck.objects.bulk_create(rows)
    return len(rows)


def _unified(rng, bulk: _Bulk, institutions) -> None:
    preschool = [i for i in institutions if i.type.code == "preschool"]
    general = [i for i in institutions if i.type.code != "preschool"]
    chosen = rng.sample(preschool, min(UNIFIED_PRESCHOOL, len(preschool)))
    rest = [i for i in general if i not in chosen]
    chosen += rng.sample(rest, min(UNIFIED_VISITS - len(chosen), len(rest)))
    while len(chosen) < UNIFIED_VISITS:  # a small register: institutions visited more than once
        chosen.append(rng.choice(institutions))
    answers: list[dict] = [{} for _ in range(UNIFIED_VISITS)]
    for code, yes in UNIFIED_YES.items():
        values = [True] * yes + [False] * (UNIFIED_VISITS - yes)
        rng.shuffle(values)
        for a, v in zip(answers, values, strict=True):
            a[code] = v
    levels = [lvl for lvl, n in UNIFIED_LEVELS.items() for _ in range(n)]
    levels += [None] * (UNIFIED_VISITS - len(levels))  # one visit without an overall rating
    rng.shuffle(levels)
    for a, lvl in zip(answers, levels, strict=True):
        if lvl is not None:
            a["overall_level"] = lvl
    questionnaire(UNIFIED).clean(answers[0])
    for institution, a in zip(chosen, answers, strict=True):
        bulk.add(
            institution=institution,
            kind=InspectionKind.THEMATIC,
            stream=Stream.THEMATIC,
            visited_on=_day(rng, 2023, (10, 2), (12, 15)) if rng.random() < 0.5 else _day(rng, 2024, (1, 8), (5, 20)),
            subject="Tematiskā izvērtēšana: pāreja uz mācībām latviešu valodā",
            questionnaire_code=UNIFIED,
            answers=a,
        )


def _open_work(rng, inspector, institutions, visits, today: dt.date) -> int:
    """Open inspections through the services: one of each state, and more in follow-up (one overdue)."""
    n = 0
    plan_rows = list(visits)
    # complaints still open, about one institution, that an inspection follows up (complaints are written first)
    prompting = iter(
        Complaint.objects.filter(case_file__closed_on__isnull=True, institutions__isnull=False)
        .order_by("-received_on", "pk")
        .distinct()[:4]
    )
    for k, state in enumerate(
        [
            InspectionState.PLANNED,
            InspectionState.PLANNED,
            InspectionState.VISITED,
            InspectionState.ACT,
            InspectionState.FOLLOW_UP,
            InspectionState.FOLLOW_UP,
            InspectionState.FOLLOW_UP,
        ]
    ):
        visit = plan_rows.pop(0) if plan_rows else None
        institution = visit.institution if visit else rng.choice(institutions)
        planned_on = today + dt.timedelta(days=10) if state == InspectionState.PLANNED else today - dt.timedelta(60)
        complaint = next(prompting, None) if k % 3 == 1 and visit is None else None
        kind = InspectionKind.COMPLAINT if complaint is not None else InspectionKind.AD_HOC
        if complaint is not None:
            institution = complaint.institutions.order_by("pk").first()
        inspection = services.inspection_plan(
            actor=inspector,
            institution=institution,
            visit=visit,
            planned_on=planned_on,
            kind=kind,
            complaint=complaint,
            subject=SUBJECTS[InspectionKind.PLANNED if visit else kind],
        )
        n += 1
        if state == InspectionState.PLANNED:
            continue
        services.visit_record(actor=inspector, inspection=inspection, visited_on=today - dt.timedelta(days=50))
        if state == InspectionState.VISITED:
            continue
        services.act_write(
            actor=inspector,
            inspection=inspection,
            dated_on=today - dt.timedelta(days=45),
            summary="Pārbaudē konstatētas nepilnības; iestādei doti rīkojumi ar termiņiem.",
        )
        for text, severity, basis in FINDINGS[k % 3 : k % 3 + 2]:
            finding = services.finding_add(
                actor=inspector, inspection=inspection, text=text, severity=severity, legal_basis=basis
            )
            due = today - dt.timedelta(days=5) if k == 6 else today + dt.timedelta(days=20 + 5 * k)
            services.order_issue(
                actor=inspector,
                inspection=inspection,
                kind=OrderKind.ORDER,
                finding=finding,
                text=ORDERS[(k + len(text)) % len(ORDERS)],
                due_on=due,
            )
        if state == InspectionState.FOLLOW_UP:
            services.act_send(actor=inspector, inspection=inspection)
    return n


def generate(*, rng, inspector, today: dt.date | None = None) -> dict[str, int]:
    """Write the demo inspections (every count from calibration-2024.yaml) and the open work of `inspector`."""
    from ikms.monitoring.models import VisitPlanEntry, VisitStatus

    today = today or timezone.localdate()
    institutions = list(Institution.objects.select_related("type").order_by("pk"))
    if not institutions:
        return {}
    bulk = _Bulk(inspector)
    for year, n in SUPERVISION.items():
        _supervision(rng, bulk, institutions, year, n)
    _adult_education(rng, bulk, institutions)
    _unified(rng, bulk, institutions)
    written = bulk.write()
    _programme_checks(rng, inspector, institutions)
    visits = VisitPlanEntry.objects.filter(status=VisitStatus.PLANNED).select_related("institution")[:3]
    opened = _open_work(rng, inspector, institutions, visits, today)
    return {"inspections (2023–2024)": written, "inspections open": opened}
