"""Demo register of child supervision providers, exact at scale 1 against calibration-2024.yaml
`child_supervision_providers` (annual report table 4): in 2024 219 providers registered, 5 refused, 154 entries
amended and 15 providers removed (10 of them legal persons, as the report's text says). 2024 is written through the
services (every application and decision recorded, audited and versioned), as are the applications received in the
last weeks that wait for a decision. The other years, from 2020 to today, have volumes like 2024's and are written
in bulk, like the past years of the complaints demo: the same entries and decision rows the services would write
(amendments there change the kind of service or the name), without audit events or row history."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.utils import timezone

from ikms.accounts.models import User
from ikms.childcare import services
from ikms.childcare.choices import (
    DecisionKind,
    ProviderKind,
    ProviderStatus,
    RefusalReason,
    RemovalReason,
    ServiceType,
)
from ikms.childcare.models import Provider, ProviderDecision, ServiceAddress
from ikms.core.personal_codes import old_format_code, personal_code_digest
from ikms.registry.demo import DATA, FEMALE, MALE, STREETS, SURNAMES
from ikms.registry.models import Municipality
from ikms.registry.services import DecisionInput, PlaceInput

#: 2024 at scale 1 (calibration `child_supervision_providers`, table 4), and how many of them are legal persons.
TABLE_4_2024 = {"registered": 219, "refused": 5, "amended": 154, "removed": 15}
LEGAL_2024 = {"registered": 14, "refused": 0, "removed": 10}
#: Other years: about the 2024 volumes (the register's first year only registers).
FIRST_YEAR = 2020
#: Applications received in the last weeks, waiting for the officer's decision.
OPEN_APPLICATIONS = 6
BASIS = "Bērnu tiesību aizsardzības likuma 50.³ pants; MK 16.07.2013. noteikumi Nr. 404"
JUSTIFICATION = {
    "register": "Iesniegtie dokumenti apliecina, ka pakalpojuma sniedzējs atbilst MK 16.07.2013. noteikumu Nr. 404 "
    "prasībām (kvalifikācija, pirmās palīdzības prasmes, sodāmības pārbaude).",
    RefusalReason.REQUIREMENTS: "Nav iesniegts apliecinājums par bērnu aprūpes kursu vai pirmās palīdzības prasmēm.",
    RefusalReason.DOCUMENTS: "Iesniegumam nav pievienoti visi nepieciešamie dokumenti, un trūkumi nav novērsti "
    "noteiktajā termiņā.",
    RefusalReason.RESTRICTION: "Saņemta informācija par ierobežojumu, kas liedz sniegt bērnu uzraudzības pakalpojumu.",
    "amend": "Pakalpojuma sniedzēja iesniegums par izmaiņām reģistrā iekļautajās ziņās.",
    RemovalReason.OWN_REQUEST: "Pakalpojuma sniedzēja iesniegums par izslēgšanu no reģistra.",
    RemovalReason.CEASED: "Pakalpojuma sniedzējs pārtraucis sniegt bērnu uzraudzības pakalpojumu.",
    RemovalReason.LIQUIDATED: "Juridiskā persona likvidēta (Uzņēmumu reģistra ziņas).",
}
COMPANIES = [
    "Pūcīte",
    "Rūķīši",
    "Taurenītis",
    "Zīļuks",
    "Ķipari",
    "Saulespuķe",
    "Kāpēcīši",
    "Lācītis",
    "Mārīte",
    "Bitīte",
    "Vāverīte",
    "Zvaigznīte",
    "Pīlādzītis",
    "Cālis",
    "Mazais princis",
    "Rotaļu sala",
]
COMPANY_KINDS = ["bērnu centrs", "auklīšu serviss", "rotaļu istaba", "bērnu pieskatīšana"]


@dataclass
class _Demo:
    rng: object
    scale: float
    officer: User
    today: datetime.date
    municipalities: list = field(default_factory=list)
    weights: list = field(default_factory=list)
    places: dict = field(default_factory=dict)
    codes: set = field(default_factory=set)
    numbers: itertools.count = field(default_factory=lambda: itertools.count(1))
    registered: dict = field(default_factory=lambda: {ProviderKind.NATURAL: [], ProviderKind.LEGAL: []})
    bulk: bool = False
    new: list = field(default_factory=list)
    new_addresses: list = field(default_factory=list)
    new_decisions: list = field(default_factory=list)
    changed: dict = field(default_factory=dict)
    year_numbers: dict = field(default_factory=dict)

    def n(self, base: int) -> int:
        """A count at the current scale (exact at scale 1)."""
        return max(1, round(base * self.scale)) if base else 0

    def decision(self, day: datetime.date, justification: str) -> DecisionInput:
        return DecisionInput(
            number=f"{day.year}/BU-{next(self.numbers):05d}", date=day, legal_basis=BASIS, justification=justification
        )


def _setup(ctx: _Demo) -> None:
    by_code = {m.code: m for m in Municipality.objects.all()}
    rows = yaml.safe_load(
        (Path(__file__).resolve().parents[1] / "registry" / "data" / "municipalities.yaml").read_text("utf-8")
    )["municipalities"]
    ctx.municipalities = [by_code[r["code"]] for r in rows]
    ctx.weights = [r["population_approx"] for r in rows]
    ctx.places = yaml.safe_load((DATA / "places.yaml").read_text("utf-8"))


def _place(ctx: _Demo) -> PlaceInput:
    muni = ctx.rng.choices(ctx.municipalities, weights=ctx.weights)[0]
    town = ctx.rng.choice(ctx.places[muni.code])[0]
    suffix = "" if muni.kind == "state_city" else f", {muni.name_lv}"
    flat = f"-{ctx.rng.randint(1, 60)}" if ctx.rng.random() < 0.6 else ""
    address = f"{ctx.rng.choice(STREETS)} iela {ctx.rng.randint(1, 90)}{flat}, {town}{suffix}"
    return PlaceInput(address=address, municipality=muni)


def _person(ctx: _Demo) -> str:
    surname = ctx.rng.choice(SURNAMES)
    if ctx.rng.random() < 0.95:
        return f"{ctx.rng.choice(FEMALE)} {surname[1]}"
    return f"{ctx.rng.choice(MALE)} {surname[0]}"


def _personal_code(ctx: _Demo) -> str:
    while True:
        born = datetime.date(1955, 1, 1) + datetime.timedelta(days=ctx.rng.randrange(45 * 365))
        code = old_format_code(born, ctx.rng.randrange(1000))
        if code and code not in ctx.codes:
            ctx.codes.add(code)
            return code


def _identity(ctx: _Demo, kind: str) -> dict:
    """The fields of a new application (name, kind of service, identity code, addresses)."""
    legal = kind == ProviderKind.LEGAL
    places = [_place(ctx)]
    if legal and ctx.rng.random() < 0.3:
        places.append(_place(ctx))
    full_time = ctx.rng.random() < (0.8 if legal else 0.45)
    return {
        "kind": kind,
        "name": f"SIA “{ctx.rng.choice(COMPANIES)} {ctx.rng.choice(COMPANY_KINDS)}”" if legal else _person(ctx),
        "service_type": ServiceType.FULL_TIME if full_time else ServiceType.SHORT_TERM,
        "places": places,
        "personal_code": "" if legal else _personal_code(ctx),
        "registration_code": f"40203{next(ctx.numbers):06d}" if legal else "",
    }


def _apply(ctx: _Demo, kind: str, applied_on: datetime.date) -> Provider:
    """An application through the service (or, in a bulk year, the entry it would write, kept for the bulk)."""
    fields = _identity(ctx, kind)
    number = f"{applied_on.year}/IES-{next(ctx.numbers):05d}"
    if not ctx.bulk:
        return services.provider_apply(actor=ctx.officer, application_number=number, applied_on=applied_on, **fields)
    provider = Provider(
        kind=kind,
        name=fields["name"],
        service_type=fields["service_type"],
        registration_code=fields["registration_code"],
        personal_code_digest=personal_code_digest(fields["personal_code"]),
        application_number=number,
        applied_on=applied_on,
        status=ProviderStatus.APPLICATION,
    )
    ctx.new.append(provider)
    ctx.new_addresses += [
        ServiceAddress(provider=provider, address=p.address, municipality=p.municipality) for p in fields["places"]
    ]
    return provider


def _record(
    ctx: _Demo,
    provider: Provider,
    kind: str,
    day: datetime.date,
    justification: str,
    *,
    reason: str = "",
    changes: dict,
) -> None:
    """A bulk year's decision row (what services._decision_record writes, without the audit events)."""
    data = ctx.decision(day, justification)
    ctx.new_decisions.append(
        ProviderDecision(
            number=data.number,
            date=day,
            kind=kind,
            reason=reason,
            legal_basis=data.legal_basis,
            justification=justification,
            decided_by=ctx.officer,
            provider=provider,
            changes=changes,
        )
    )
    if provider.pk is not None:
        ctx.changed[provider.pk] = provider


def _register(ctx: _Demo, kind: str, day: datetime.date) -> None:
    provider = _apply(ctx, kind, day - datetime.timedelta(days=ctx.rng.randint(7, 28)))
    if not ctx.bulk:
        provider = services.provider_register(
            actor=ctx.officer, decision=ctx.decision(day, JUSTIFICATION["register"]), provider=provider
        )
    else:
        ctx.year_numbers[day.year] = ctx.year_numbers.get(day.year, 0) + 1
        provider.registration_number = f"BU-{day.year}-{ctx.year_numbers[day.year]:04d}"
        provider.status, provider.registered_on = ProviderStatus.REGISTERED, day
        _record(
            ctx,
            provider,
            DecisionKind.REGISTER,
            day,
            JUSTIFICATION["register"],
            changes={
                "status": {"old": ProviderStatus.APPLICATION, "new": ProviderStatus.REGISTERED},
                "registration_number": {"old": "", "new": provider.registration_number},
            },
        )
    ctx.registered[kind].append(provider)


def _refuse(ctx: _Demo, kind: str, day: datetime.date) -> None:
    provider = _apply(ctx, kind, day - datetime.timedelta(days=ctx.rng.randint(7, 28)))
    reason = ctx.rng.choice(
        [RefusalReason.REQUIREMENTS, RefusalReason.DOCUMENTS, RefusalReason.DOCUMENTS, RefusalReason.RESTRICTION]
    )
    if not ctx.bulk:
        services.provider_refuse(
            actor=ctx.officer, decision=ctx.decision(day, JUSTIFICATION[reason]), provider=provider, reason=reason
        )
        return
    provider.status = ProviderStatus.REFUSED
    _record(
        ctx,
        provider,
        DecisionKind.REFUSE,
        day,
        JUSTIFICATION[reason],
        reason=reason,
        changes={"status": {"old": ProviderStatus.APPLICATION, "new": ProviderStatus.REFUSED}},
    )


def _pick(ctx: _Demo, kind: str | None, day: datetime.date) -> Provider | None:
    """A provider registered before `day` (of `kind`, or of either kind); None at a small scale where there is none."""
    pool = ctx.registered[kind] if kind else ctx.registered[ProviderKind.NATURAL] + ctx.registered[ProviderKind.LEGAL]
    candidates = [p for p in pool if p.registered_on < day]
    return ctx.rng.choice(candidates) if candidates else None


def _new_name(ctx: _Demo, provider: Provider) -> str:
    if provider.kind == ProviderKind.NATURAL:
        return f"{provider.name.split()[0]} {ctx.rng.choice(SURNAMES)[1]}"
    return f"SIA “{ctx.rng.choice(COMPANIES)} {ctx.rng.choice(COMPANY_KINDS)}”"


def _amend(ctx: _Demo, day: datetime.date) -> None:
    provider = _pick(ctx, None, day)
    if provider is None:
        return
    other = {ServiceType.FULL_TIME: ServiceType.SHORT_TERM, ServiceType.SHORT_TERM: ServiceType.FULL_TIME}
    what = ctx.rng.random()
    if ctx.bulk:  # a bulk year changes the kind of service or the name
        field = "service_type" if what < 0.6 else "name"
        new = other[ServiceType(provider.service_type)] if field == "service_type" else _new_name(ctx, provider)
        if new == getattr(provider, field):
            field, new = "service_type", other[ServiceType(provider.service_type)]
        change = {field: {"old": getattr(provider, field), "new": new}}
        setattr(provider, field, new)
        _record(ctx, provider, DecisionKind.AMEND, day, JUSTIFICATION["amend"], changes=change)
        return
    places = [PlaceInput(address=a.address, municipality=a.municipality) for a in provider.addresses.all()]
    if what < 0.5:
        keep = provider.kind == ProviderKind.LEGAL and ctx.rng.random() < 0.5
        changes: dict = {"places": [*places, _place(ctx)] if keep else [_place(ctx)]}
    elif what < 0.75:
        changes = {"service_type": other[ServiceType(provider.service_type)]}
    else:
        changes = {"name": _new_name(ctx, provider)}
        if changes["name"] == provider.name:
            changes = {"places": [*places, _place(ctx)]}
    services.provider_amend(
        actor=ctx.officer, decision=ctx.decision(day, JUSTIFICATION["amend"]), provider=provider, **changes
    )
    provider.refresh_from_db()


def _remove(ctx: _Demo, kind: str, day: datetime.date) -> None:
    provider = _pick(ctx, kind, day)
    if provider is None:
        return
    if kind == ProviderKind.LEGAL:
        reason = ctx.rng.choice([RemovalReason.LIQUIDATED, RemovalReason.CEASED])
    else:
        reason = ctx.rng.choice([RemovalReason.OWN_REQUEST, RemovalReason.CEASED])
    ctx.registered[kind].remove(provider)
    if not ctx.bulk:
        services.provider_remove(
            actor=ctx.officer, decision=ctx.decision(day, JUSTIFICATION[reason]), provider=provider, reason=reason
        )
        return
    provider.status, provider.removed_on = ProviderStatus.REMOVED, day
    _record(
        ctx,
        provider,
        DecisionKind.REMOVE,
        day,
        JUSTIFICATION[reason],
        reason=reason,
        changes={"status": {"old": ProviderStatus.REGISTERED, "new": ProviderStatus.REMOVED}},
    )


def _year_plan(ctx: _Demo, year: int) -> dict[str, dict[str, int]]:
    """How many decisions of each kind, by natural and legal persons, the year has."""
    if year == 2024:  # the calibrated year
        base, legal = TABLE_4_2024, LEGAL_2024
    else:
        wobble = 0.85 + 0.3 * ctx.rng.random()
        base = {k: round(v * wobble) for k, v in TABLE_4_2024.items()}
        if year == FIRST_YEAR:
            base = {"registered": 260, "refused": 4, "amended": 0, "removed": 0}
        legal = {k: round(base[k] * LEGAL_2024[k] / max(1, TABLE_4_2024[k])) for k in LEGAL_2024}
    plan = {}
    for key in ("registered", "refused", "removed"):
        total = ctx.n(base[key])
        of_legal = min(ctx.n(legal[key]), total)
        plan[key] = {ProviderKind.NATURAL: total - of_legal, ProviderKind.LEGAL: of_legal}
    plan["amended"] = {"": ctx.n(base["amended"])}
    return plan


def _days(ctx: _Demo, year: int, count: int, start: datetime.date) -> list[datetime.date]:
    last = min(datetime.date(year, 12, 30), ctx.today)
    span = (last - start).days
    return sorted(start + datetime.timedelta(days=ctx.rng.randint(0, span)) for _ in range(count))


def _generate_year(ctx: _Demo, year: int) -> None:
    plan = _year_plan(ctx, year)
    share = 1.0
    if year == ctx.today.year:  # this year so far
        share = (ctx.today - datetime.date(year, 1, 1)).days / 365
    events: list[tuple[datetime.date, int, str, str]] = []
    # registrations and refusals from mid-January; amendments and removals once something is registered
    for key, order in (("registered", 0), ("refused", 1)):
        for kind, count in plan[key].items():
            events += [
                (day, order, key, kind) for day in _days(ctx, year, round(count * share), datetime.date(year, 1, 15))
            ]
    later = datetime.date(year, 3, 1) if year == FIRST_YEAR else datetime.date(year, 1, 10)
    for key, order in (("amended", 2), ("removed", 3)):
        for kind, count in plan[key].items():
            events += [(day, order, key, kind) for day in _days(ctx, year, round(count * share), later)]
    steps = {"registered": _register, "refused": _refuse, "removed": _remove}
    for day, _, key, kind in sorted(events, key=lambda e: (e[0], e[1])):
        if key == "amended":
            _amend(ctx, day)
        else:
            steps[key](ctx, kind, day)


def _flush(ctx: _Demo) -> None:
    """Write what the bulk years kept: new entries with their addresses and decisions, changed entries."""
    Provider.objects.bulk_create(ctx.new, batch_size=500)
    ServiceAddress.objects.bulk_create(ctx.new_addresses, batch_size=500)
    ProviderDecision.objects.bulk_create(ctx.new_decisions, batch_size=500)
    Provider.objects.bulk_update(
        list(ctx.changed.values()), ["name", "service_type", "status", "removed_on", "updated_at"], batch_size=500
    )
    ctx.new, ctx.new_addresses, ctx.new_decisions, ctx.changed = [], [], [], {}


def generate(*, rng, scale: float, officer: User, today: datetime.date | None = None) -> dict[str, int]:
    """Write the demo register from 2020 to `today` (default: today); 2024 equals table 4 at scale 1."""
    ctx = _Demo(rng=rng, scale=scale, officer=officer, today=today or timezone.localdate())
    _setup(ctx)
    for year in range(FIRST_YEAR, ctx.today.year + 1):
        ctx.bulk = year != 2024  # the calibrated year goes through the services
        if not ctx.bulk:
            _flush(ctx)
        _generate_year(ctx, year)
    _flush(ctx)
    ctx.bulk = False
    for _ in range(ctx.n(OPEN_APPLICATIONS)):
        kind = ProviderKind.LEGAL if ctx.rng.random() < 0.15 else ProviderKind.NATURAL
        _apply(ctx, kind, ctx.today - datetime.timedelta(days=ctx.rng.randint(0, 20)))
    by_status = {s: Provider.objects.filter(status=s).count() for s in ProviderStatus}
    return {
        "childcare providers registered now": by_status[ProviderStatus.REGISTERED],
        "childcare applications waiting": by_status[ProviderStatus.APPLICATION],
    }
