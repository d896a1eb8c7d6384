"""Demo accreditation data, written through the services (every step audited): the 2024
evaluations and the 2021–2024 tasks, exact at scale 1 against calibration-2024.yaml, a few
earlier decided cases, and a few open cases in every workflow state. Which institutions get a
"Jāpilnveido" follows, with noise, the hidden latent quality of the lake generator when its file
exists, so that evaluation results and risk flags relate as they would in reality."""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from ikms.accounts import services as account_services
from ikms.accounts.models import User
from ikms.accounts.roles import Role
from ikms.accreditation import services
from ikms.accreditation.choices import CaseKind, CaseState, TaskStatus
from ikms.accreditation.framework import framework
from ikms.accreditation.selectors import SECTORS, case_criteria
from ikms.registry.models import Institution
from ikms.registry.services import DecisionInput

#: 2024 at scale 1 (calibration-2024.yaml `accreditation`).
ACCREDITATIONS_2024 = {"general": 86, "vocational": 48}
ACCREDITATIONS_LOW_2024 = {"general": 19, "vocational": 4}
HEADS_2024 = {"general": 92, "vocational": 59, "preschool": 95}
HEADS_LOW_2024 = {"general": 13, "vocational": 4, "preschool": 38}
#: Institutions moving to the unified school whose 2024 evaluation included the transition (the report's 44).
UNIFIED_SCHOOL_2024 = {"preschool": 27, "general": 17}
#: Tasks set 2020–2024 by domain (calibration `tasks_given_2020_2024`).
TASKS = {"quality_teaching": 910, "inclusive_environment": 345, "good_governance": 566, "relevance": 308}
#: Earlier decided accreditations per year (the tasks of 2021–2023 belong to them).
EARLIER_PER_YEAR = 40
EXPERTS = 24
OPEN_PER_STATE = 2
GOOD_LEVELS = ["good", "very_good", "excellent"]
DEMO_LEVEL_NOTE = {
    "needs_improvement": "Konstatēta nepieciešamība pilnveidot darbību šajā kritērijā.",
    "good": "Darbība atbilst kritērija prasībām (optimāli).",
    "very_good": "Darbība atbilst prasībām optimāli vai apsteidzoši.",
    "excellent": "Darbība ir apsteidzoša; labā prakse izplatāma.",
    "insufficient": "Darbība netiek īstenota atbilstoši prasībām.",
}
TASK_TEXT = {
    "quality_teaching": "Pilnveidot mācību stundu kvalitāti: mērķtiecīga atgriezeniskā saite un diferencēts darbs.",
    "inclusive_environment": "Samazināt neattaisnoti kavēto stundu skaitu un stiprināt atbalsta personāla darbu.",
    "good_governance": "Izstrādāt attīstības plānu ar izmērāmiem rādītājiem un saskaņot to ar dibinātāju.",
    "relevance": "Analizēt izglītojamo sasniegumu dinamiku un plānot darbu ar rezultātiem mācību priekšmetos.",
}


def _latent(path) -> dict[str, float]:
    if not path or not Path(path).exists():
        return {}
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=["institution", "latent_quality"]).to_pydict()
    return dict(zip(table["institution"], table["latent_quality"], strict=True))


@dataclass
class Ctx:
    rng: object
    scale: float
    ikvd: User
    latent: dict
    experts: list = field(default_factory=list)
    applicants: dict = field(default_factory=dict)
    numbers: int = 0
    cases: int = 0

    def n(self, base: int) -> int:
        return max(1, round(base * self.scale)) if base else 0

    def number(self, year: int) -> str:
        self.numbers += 1
        return f"{year}/AK-{self.numbers:05d}"

    def score(self, inst: Institution) -> float:
        """Latent quality plus noise (the noise alone when there is no latent file)."""
        return self.latent.get(inst.registration_number, 0.0) + self.rng.gauss(0, 0.6 if self.latent else 1.0)

    def applicant(self, inst: Institution) -> User:
        founder = inst.founder
        user = self.applicants.get(founder.pk)
        if user is None:
            existing = User.objects.filter(role_assignments__role=Role.FOUNDER,
                                           role_assignments__founder=founder).first()
            if existing is None:
                existing = account_services.user_create(actor=None, username=f"dibinatajs-{founder.pk}",
                                                        password=None)
                account_services.role_grant(actor=None, user=existing, role=Role.FOUNDER, founder=founder,
                                            note="demo", valid_from=datetime.date(2020, 1, 1))
            user = self.applicants[founder.pk] = existing
        return user


def _day(rng, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _levels(ctx: Ctx, criteria, *, low: bool, score: float) -> dict[str, dict]:
    rng = ctx.rng
    weights = [max(0.1, 1.0 - 0.4 * score), 1.0, max(0.05, 0.2 + 0.3 * score)]
    levels = {c.code: rng.choices(GOOD_LEVELS, weights=weights)[0] for c in criteria}
    if low:
        for c in rng.sample(list(criteria), k=min(len(criteria), rng.choice([1, 1, 2, 3]))):
            levels[c.code] = "needs_improvement"
    order = [lv.code for lv in framework().levels]
    out = {}
    for code, level in levels.items():
        self_level = order[min(len(order) - 1, order.index(level) + rng.choice([0, 0, 1]))]
        out[code] = {"level": level, "justification": DEMO_LEVEL_NOTE[level], "self_level": self_level}
    return out


def _run(ctx: Ctx, inst: Institution, kind: str, *, applied: datetime.date, decided: datetime.date | None,
         low: bool = False, stop: str = CaseState.DECIDED, experts: list | None = None, unified: bool = False):
    """One case through the table up to `stop` (decided on `decided`)."""
    rng = ctx.rng
    version = framework().version_on(applied).code
    applicant = ctx.applicant(inst)
    case = services.case_apply(actor=applicant, institution=inst, kind=kind, version=version, founder_agreed=True,
                               head_goals="Paaugstināt izglītojamo sasniegumus matemātikā par 5 procentpunktiem "
                                          "triju gadu laikā (saskaņots ar dibinātāju).",
                               founder_criterion="Sadarbība ar vecākiem un kopienu", applied_on=applied)
    ctx.cases += 1

    def step(action, actor, data=None):
        nonlocal case
        case = services.case_transition(actor=actor, case=case, action=action, data=data or {})
        return case.state == stop

    if stop == CaseState.WITHDRAWN:
        step("withdraw", applicant, {"reason": "Iestādes reorganizācija"})
        return case
    if stop == CaseState.APPLIED or step("register", ctx.ikvd):
        return case
    team = experts or rng.sample(ctx.experts, k=rng.choice([2, 2, 3]))
    step("appoint", ctx.ikvd, {"chair": team[0], "experts": team[1:]})
    for member in team:
        services.case_transition(actor=member, case=case, action="declare",
                                 data={"no_conflict": True, "declaration": "Interešu konflikta nav."})
    if stop == CaseState.COMMISSION:
        return case
    start = (decided or applied + datetime.timedelta(days=60)) - datetime.timedelta(days=rng.randint(30, 60))
    remote = rng.random() < 0.3
    step("plan", team[0], {
        "mode": "remote" if remote else "on_site",
        "methods": ["interviews", "observation", "documents", "surveys"] + ([] if remote else ["site_visit"]),
        "visit_start": start, "visit_end": start + datetime.timedelta(days=rng.randint(1, 4)),
        "day_plan": "1. diena: intervija ar vadītāju, dokumentu analīze.\n2. diena: stundu vērošana, "
                    "fokusgrupa ar izglītojamiem.\n3. diena: intervijas ar pedagogiem un vecākiem.",
        "unified_school": unified})
    ratings = _levels(ctx, case_criteria(case), low=low, score=ctx.score(inst))
    if step("rate", rng.choice(team), {"ratings": ratings}):
        return case
    if step("draft", team[0], {"draft_report": "Komisija izvērtēja iestādes darbību visos kritērijos."}):
        return case
    if step("comment", applicant, {"institution_comments": "Iebildumu nav."}):
        return case
    if step("finalise", team[0], {"report_public": f"{inst.name}: kvalitātes vērtējums pa kritērijiem.",
                                  "report_private": "Ieteikumi vadībai un dibinātājam."}):
        return case
    data = {"date": decided, "outcome": "accredit"}
    if kind == CaseKind.ACCREDITATION:
        data["decision"] = DecisionInput(number=ctx.number(decided.year), date=decided,
                                         legal_basis=framework().version(version).legal_basis)
    step("decide", ctx.ikvd, data)
    return case


def _pick(ctx: Ctx, pool: list, n: int, low: int) -> list[tuple[Institution, bool]]:
    """n institutions of the pool; the `low` with the lowest latent-plus-noise score get a 'Jāpilnveido'."""
    chosen = ctx.rng.sample(pool, k=min(n, len(pool)))
    ranked = sorted(chosen, key=ctx.score)
    lows = {i.pk for i in ranked[:low]}
    return [(i, i.pk in lows) for i in chosen]


def generate(*, rng, scale: float, ikvd: User, latent_path=None, stdout=None) -> dict:
    ctx = Ctx(rng=rng, scale=scale, ikvd=ikvd, latent=_latent(latent_path))
    demo_expert = User.objects.filter(username="eksperts").first()
    for i in range(1, max(3, round(EXPERTS * min(1.0, scale * 4))) + 1):
        user = account_services.user_create(actor=None, username=f"eksperts-{i:02d}", password=None,
                                            first_name="Eksperts", last_name=f"{i:02d}")
        account_services.role_grant(actor=None, user=user, role=Role.ACCREDITATION_EXPERT, note="demo",
                                    valid_from=datetime.date(2020, 1, 1))
        ctx.experts.append(user)
    if demo_expert is not None:
        ctx.experts.append(demo_expert)

    registered = list(Institution.objects.filter(status="registered").select_related("type__kind", "founder")
                      .order_by("registration_number"))
    pools = {sector: [i for i in registered if i.type.kind.code in kinds] for sector, kinds in SECTORS.items()}
    decided: list = []
    # Earlier decided accreditations (2021–2023), so that the tasks of those years have their cases.
    for year in (2021, 2022, 2023):
        for inst, low in _pick(ctx, pools["general"] + pools["vocational"], ctx.n(EARLIER_PER_YEAR),
                               ctx.n(EARLIER_PER_YEAR) // 5):
            day = _day(rng, datetime.date(year, 2, 1), datetime.date(year, 12, 15))
            if inst.registered_on and inst.registered_on >= day:
                continue
            decided.append(_run(ctx, inst, CaseKind.ACCREDITATION, applied=day - datetime.timedelta(days=150),
                                decided=day, low=low))
    # 2024: institution accreditations and head evaluations, exact at scale 1; the first institutions of each
    # sector up to UNIFIED_SCHOOL_2024 have the transition to the unified school evaluated.
    unified: dict[str, set[int]] = {sector: set() for sector in UNIFIED_SCHOOL_2024}
    for kind, counts, lows in ((CaseKind.ACCREDITATION, ACCREDITATIONS_2024, ACCREDITATIONS_LOW_2024),
                               (CaseKind.HEAD, HEADS_2024, HEADS_LOW_2024)):
        for sector, n in counts.items():
            pool = [i for i in pools[sector] if not i.registered_on or i.registered_on < datetime.date(2023, 6, 1)]
            for inst, low in _pick(ctx, pool, ctx.n(n), round(lows[sector] * scale)):
                day = _day(rng, datetime.date(2024, 2, 1), datetime.date(2024, 12, 15))
                marked = unified.get(sector)
                mark = marked is not None and (inst.pk in marked or len(marked) < ctx.n(UNIFIED_SCHOOL_2024[sector]))
                if mark:
                    marked.add(inst.pk)
                decided.append(_run(ctx, inst, kind, applied=day - datetime.timedelta(days=140), decided=day,
                                    low=low, unified=mark))
    # Tasks 2021–2024 by domain, exact at scale 1: set in decided cases, low-rated criteria first.
    task_count = _tasks(ctx, decided)
    # Open cases in every state (Riga first, so the demo head and founder see some).
    open_count = _open_cases(ctx, registered, demo_expert)
    # The experts register, after the cases (its conflicts and unavailability would otherwise refuse some of the
    # demo's own appointments): the registered cases awaiting a commission show experts not offered, and why.
    profiles = _expert_register(ctx, registered)
    return {"accreditation cases": ctx.cases, "decided": len(decided), "tasks": task_count, "open cases": open_count,
            "expert entries": profiles}


def _tasks(ctx: Ctx, decided: list) -> int:
    rng = ctx.rng
    today = timezone.localdate()
    accreditations = [c for c in decided if c.kind == CaseKind.ACCREDITATION]
    heads = [c for c in decided if c.kind == CaseKind.HEAD]
    total = 0
    for domain, base in TASKS.items():
        criteria = [c.code for c in framework().domain(domain).criteria]
        for _ in range(ctx.n(base)):
            pool = heads if domain == "good_governance" and heads and rng.random() < 0.5 else accreditations
            case = rng.choice(pool)
            low = set(case.ratings.filter(level="needs_improvement").values_list("criterion", flat=True))
            codes = [c for c in criteria if c in low] or criteria
            if case.kind == CaseKind.HEAD:
                codes = [c for c in codes if c.startswith("4.")] or ["4.1"]
            criterion = rng.choice(codes)
            deadline = case.decided_on + datetime.timedelta(days=rng.randint(180, 720))
            linked = domain == "inclusive_environment" and rng.random() < 0.3
            year = max(2023, min(2024, deadline.year - (deadline.month < 9)))
            task = services.task_create(
                actor=ctx.ikvd, case=case, criterion=criterion, description=TASK_TEXT[domain], deadline=deadline,
                responsible=rng.choice(["institution", "institution", "head", "founder"]),
                **({"indicator": "learners_over_unexcused_lessons_threshold", "target_operator": "<=",
                    "target_value": float(rng.randint(1, 8)), "target_year": f"{year}/{year + 1}"} if linked else {}))
            if deadline < today and rng.random() < 0.85:
                services.task_update(actor=ctx.ikvd, task=task, status=TaskStatus.DONE,
                                     evidence="Iestādes ziņojums un pievienotie dokumenti.", closed_on=deadline)
            total += 1
    return total


def _open_cases(ctx: Ctx, registered: list, demo_expert) -> int:
    busy = set(Institution.objects.filter(accreditation_cases__isnull=False).values_list("pk", flat=True))
    riga = [i for i in registered if i.municipality.code == "LV-RIX" and i.type.kind.code == "general"]
    head = User.objects.filter(username="vaditajs").first()
    head_school = head.role_assignments.first().institution if head else None
    candidates = ([head_school] if head_school else []) + [i for i in riga if i.pk not in busy] + \
        [i for i in registered if i.type.kind.code == "general" and i.pk not in busy]
    seen, pool = set(), []
    for inst in candidates:
        if inst and inst.pk not in seen:
            seen.add(inst.pk)
            pool.append(inst)
    states = [CaseState.DRAFT, CaseState.APPLIED, CaseState.REGISTERED, CaseState.COMMISSION, CaseState.PLANNED,
              CaseState.COMMENTED, CaseState.FINAL, CaseState.WITHDRAWN]
    today = timezone.localdate()
    n = 0
    it = iter(pool)
    for state in states:
        for k in range(OPEN_PER_STATE):
            inst = next(it, None)
            if inst is None:  # a small scale ran out of free schools
                return n
            team = None
            if demo_expert is not None and k == 0:
                others = [e for e in ctx.experts if e.pk != demo_expert.pk]
                team = [demo_expert, *ctx.rng.sample(others, k=1)]
            _run(ctx, inst, CaseKind.ACCREDITATION, applied=today - datetime.timedelta(days=30), decided=None,
                 stop=state, experts=team)
            n += 1
    return n


QUALIFICATIONS = [
    "Maģistra grāds izglītības zinātnēs; 12 gadi skolas vadībā.",
    "Maģistra grāds pedagoģijā; direktora vietnieks mācību darbā, 8 gadi.",
    "Doktora grāds izglītības zinātnēs; pieredze profesionālās izglītības kvalitātes vērtēšanā.",
    "Bakalaura grāds pirmsskolas pedagoģijā; pirmsskolas iestādes vadītāja, 10 gadi.",
]
COURSES = [("Izglītības kvalitātes vērtēšanas ekspertu mācības", 24),
           ("Akreditācijas kritēriji un līmeņu apraksti (MK 618)", 8),
           ("Mācību stundu vērošana un atgriezeniskā saite", 12),
           ("Personas datu aizsardzība ekspertu darbā", 4)]
CONFLICTS = [("works", None, ""), ("worked", datetime.date(2021, 8, 31), ""), ("child", None, ""),
             ("other", None, "Iestādes vadītājs ir tuvs radinieks.")]


def _expert_register(ctx: Ctx, registered: list) -> int:
    """An entry for every demo expert (qualifications, areas, languages, training); conflicts declared with the
    institutions of the cases waiting for a commission, and periods of unavailability in their evaluation window."""
    from ikms.accreditation.choices import CaseState as S
    from ikms.accreditation.models import Case
    from ikms.accreditation.selectors import evaluation_period
    from ikms.registry.models import InstitutionKind

    rng = ctx.rng
    kinds = {k.code: k for k in InstitutionKind.objects.all()}
    area_sets = [["general", "special"], ["general"], ["vocational", "vocational_orientation"], ["preschool"],
                 ["general", "preschool"]]
    language_sets = [["lv"], ["lv", "ru"], ["lv", "en"], ["lv", "ru", "uk"], ["lv", "pl"]]
    for i, expert in enumerate(ctx.experts):
        services.expert_profile_update(actor=expert, expert=expert,
                                       qualifications=QUALIFICATIONS[i % len(QUALIFICATIONS)],
                                       areas=[kinds[c] for c in area_sets[i % len(area_sets)] if c in kinds],
                                       languages=language_sets[i % len(language_sets)])
        for course, hours in rng.sample(COURSES, k=rng.randint(1, 3)):
            services.expert_training_add(actor=expert, expert=expert, course=course, hours=hours,
                                         completed_on=datetime.date(rng.randint(2020, 2024), rng.randint(1, 12), 15))
    waiting = list(Case.objects.filter(state=S.REGISTERED).select_related("institution").order_by("pk"))
    others = [e for e in ctx.experts if e.username != "eksperts"]
    for n, case in enumerate(waiting):
        for k, expert in enumerate(rng.sample(others, k=min(2, len(others)))):
            kind, until, note = CONFLICTS[(n + k) % len(CONFLICTS)]
            if not expert.expert_profile.conflicts.filter(institution=case.institution).exists():
                services.expert_conflict_add(actor=expert, expert=expert, institution=case.institution, kind=kind,
                                             until=until, note=note)
    if waiting:
        start, _end = evaluation_period(waiting[0])
        for expert in rng.sample(others, k=min(3, len(others))):
            services.expert_unavailability_add(actor=expert, expert=expert,
                                               starts_on=start + datetime.timedelta(days=20),
                                               ends_on=start + datetime.timedelta(days=50), note="Atvaļinājums")
    # A conflict for an institution with no open case, so the demo expert's own entry is not empty.
    demo_expert = next((e for e in ctx.experts if e.username == "eksperts"), None)
    if demo_expert is not None and registered:
        services.expert_conflict_add(actor=demo_expert, expert=demo_expert, institution=registered[-1],
                                     kind="worked", until=datetime.date(2019, 6, 30))
    return len(ctx.experts)
