"""Demo licensing applications: open work for the registry officer in every state (one overdue), entered through
the services as paper applications, plus a licence and a refusal already decided. The 2024 licensing counts of the
annual report are the register's (ikms.registry.demo), not these."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ikms.licensing import services
from ikms.registry.choices import InstitutionStatus
from ikms.registry.legal import legal_basis
from ikms.registry.models import Institution
from ikms.registry.services import DecisionInput, PlaceInput

ALL_MEET = ("standards", "programme", "premises", "resources", "teachers", "occupational")
PROGRAMMES = [
    ("21011112", "Pamatizglītības programma ar padziļinātu matemātikas apguvi"),
    ("01011111", "Pirmsskolas izglītības programma ar montesori pieeju"),
    ("31011012", "Vispārējās vidējās izglītības programma ar inženierzinātņu virzienu"),
    ("21015611", "Speciālās pamatizglītības programma izglītojamajiem ar mācīšanās traucējumiem"),
    ("01015611", "Speciālās pirmsskolas izglītības programma"),
    ("21011113", "Pamatizglītības programma ar dabaszinātņu padziļinātu apguvi"),
]


def _checks(application, deficient: str = ""):
    items = services.check_items(application)
    return {i: (("deficient", "Trūkst dokumenta.") if i == deficient else ("meets", "")) for i in items}


def generate(*, rng, officer, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    schools = list(
        Institution.objects.filter(
            status=InstitutionStatus.REGISTERED, type__code__in=["basic", "secondary", "preschool"]
        )
        .select_related("municipality")
        .order_by("pk")[:200]
    )
    if len(schools) < len(PROGRAMMES):
        return {}
    chosen = rng.sample(schools, len(PROGRAMMES))
    made = []
    for k, ((code, name), inst) in enumerate(zip(PROGRAMMES, chosen, strict=True)):
        made.append(
            services.application_submit(
                actor=officer,
                institution=inst,
                kind="new",
                code=code,
                name=name,
                form="full_time",
                places=[PlaceInput(address=inst.address, municipality=inst.municipality)],
                note="Iesniegums saņemts papīra formā.",
                submitted_on=today - dt.timedelta(days=(45, 20, 12, 8, 30, 3)[k]),
            )
        )
    _overdue, deficient, answered, licensed, refused, _fresh = made  # the first and last stay as submitted
    services.application_check(actor=officer, application=deficient, results=_checks(deficient, "programme"))
    services.deficiencies_send(
        actor=officer,
        application=deficient,
        text="Programmai nav pievienots mācību priekšmetu stundu plāns.",
        due_on=today + dt.timedelta(days=14),
    )
    services.application_check(actor=officer, application=answered, results=_checks(answered, "premises"))
    services.deficiencies_send(
        actor=officer,
        application=answered,
        text="Nav iesniegts telpu higiēnas atzinums.",
        due_on=today + dt.timedelta(days=10),
    )
    services.deficiencies_answer(actor=officer, application=answered, text="Higiēnas atzinums pievienots.")
    for k, (application, grant) in enumerate(((licensed, True), (refused, False)), start=1):
        services.application_check(
            actor=officer, application=application, results=_checks(application, "" if grant else "premises")
        )
        services.application_decide(
            actor=officer,
            application=application,
            grant=grant,
            decision=DecisionInput(
                number=f"{today.year}/L-D{k:03d}",  # not the row's id: PostgreSQL does not reuse ids
                date=today,
                legal_basis=legal_basis("licence", today),
                justification="" if grant else "Telpas neatbilst higiēnas prasībām.",
            ),
        )
    return {"licensing applications": len(made), "open": 4}
