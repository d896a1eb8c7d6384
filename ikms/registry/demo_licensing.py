"""The 2024 licensing decisions of the demo register: at scale 1 they are annual-report figure 1 (general programmes)
and table 8 (vocational programmes) when `selectors.licensing_counts(year=2024)` counts them; at other scales each
count is scaled (`ctx.n`). Every decision goes through the register's licensing services; the many VIIS entries of
one kind (1,545 vocational orientation programmes re-licensed after LNKC's model programmes) in one batch, as IKVD
accepts them.

The codes of special programmes follow the classification's programme group 015; which 6th digit stands for which
special needs is this demo's choice (the classification's annex is not at hand, domain.md §3.2)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from ikms.registry import services
from ikms.registry.choices import (
    DecisionKind,
    InternationalProgramme,
    LicenceEntryKind,
    LicenceStatus,
    ProgrammeForm,
)
from ikms.registry.models import Institution, Programme
from ikms.registry.services import ContentUpdate, LicenceIssue, PlaceInput

if TYPE_CHECKING:
    from ikms.registry.demo import RegistryDemo

BASIS = "licence"
YEAR = 2024

PRE = "Speciālās pirmsskolas izglītības programma izglītojamajiem ar "
BASIC = "Speciālās pamatizglītības programma izglītojamajiem ar "
IB = InternationalProgramme.IB
#: Figure 1 at scale 1: (count, code, name, form, international, level) — 55 pre-school (46 special: speech 8,
#: mixed developmental 18, mental health 2, intellectual 10, severe or multiple 8), 28 basic (20 special: speech 3,
#: learning 6, mental health 7, intellectual 4; the International Baccalaureate's primary and middle years
#: programmes; one in distance form), 2 secondary (one the IB Diploma Programme).
FIGURE1_2024 = [
    (9, "01011111", "Vispārējās pirmsskolas izglītības programma", "", "preschool"),
    (8, "01015611", PRE + "valodas traucējumiem", "", "preschool"),
    (18, "01015511", PRE + "jauktiem attīstības traucējumiem", "", "preschool"),
    (2, "01015711", PRE + "garīgās veselības traucējumiem", "", "preschool"),
    (10, "01015911", PRE + "garīgās attīstības traucējumiem", "", "preschool"),
    (8, "01015811", PRE + "smagiem garīgās attīstības traucējumiem vai vairākiem smagiem attīstības traucējumiem",
     "", "preschool"),
    (5, "21011111", "Pamatizglītības programma", "", "basic"),
    (1, "21011111", "Pamatizglītības programma (tālmācība)", "distance", "basic"),
    (3, "21015511", BASIC + "valodas traucējumiem", "", "basic"),
    (6, "21015611", BASIC + "mācīšanās traucējumiem", "", "basic"),
    (7, "21015711", BASIC + "garīgās veselības traucējumiem", "", "basic"),
    (4, "21015911", BASIC + "garīgās attīstības traucējumiem", "", "basic"),
    (1, "31011011", "Vispārējās vidējās izglītības programma", "", "secondary"),
]
#: The International Baccalaureate programmes licensed under the International Schools Regulation (MK 159) to one
#: school: primary years (grades 1–6), middle years (7–9), diploma.
IB_2024 = [("11011111", "Starptautiskā bakalaurāta pamatizglītības pirmā posma programma (IBPYP)"),
           ("21011111", "Starptautiskā bakalaurāta pamatizglītības otrā posma programma (IBMYP)"),
           ("31011011", "Starptautiskā bakalaurāta vidējās izglītības programma (IBDP)")]
#: Amendments of general licences (284, of them 34 of the entry: names as the classification words them) and
#: secondary study plans updated (39).
GENERAL_AMENDMENTS_2024 = {"content": 250, "entry": 34, "study_plans": 39}
#: Table 8 at scale 1. Its new programmes are 52, but the types it lists them by add up to 46 (17 initial vocational,
#: 6 continuing, 4 professional development, 19 vocational orientation): the 6 the table does not place are initial
#: vocational programmes here (17 + 6).
TABLE8_2024 = {"new_vocational": 23, "new_continuing": 6, "new_development": 4, "new_orientation": 19,
               "derived_continuing": 18, "derived_development": 12, "rights_restored": 16, "modular": 32,
               "relicensing_new_entry": 12, "orientation_relicensing": 1545, "new_place": 46}
VOCATIONAL_NEW = [("33481031", "Programmēšana"), ("33213011", "Multimediju dizains"),
                  ("33811021", "Viesmīlības pakalpojumi"), ("33521011", "Mehatronika"),
                  ("32541021", "Kokizstrādājumu izgatavošana"), ("33862011", "Loģistika"),
                  ("33582011", "Būvdarbi"), ("33345021", "Grāmatvedība"), ("22762011", "Aprūpes pamati")]
CONTINUING = [("30T48101", "Datorsistēmu tehniķis"), ("30T52501", "Autotransporta elektriķis"),
              ("30T34101", "Mārketinga speciālists"), ("30T81101", "Pavārs"), ("30T58201", "Būvdarbu vadītājs"),
              ("20T54101", "Galdnieks"), ("30T76201", "Aprūpētājs")]
DEVELOPMENT = [("30P48101", "Mākslīgā intelekta rīki darbā"), ("30P52501", "Elektroauto apkope"),
               ("20P81101", "Konditorejas pamati"), ("30P34101", "Digitālais mārketings"),
               ("20P58201", "Metinātāja pamatprasmes"), ("30P86201", "Noliktavas darbinieks")]
VOCATIONAL_TYPES = ("vocational_secondary", "vocational_competence_centre", "trade_school")
ORIENTATION_TYPES = ("music_art_school", "art_school", "sports_school")


def _days(ctx: RegistryDemo, n: int, start: datetime.date = datetime.date(YEAR, 1, 8),
          end: datetime.date = datetime.date(YEAR, 12, 20)) -> list[datetime.date]:
    return sorted(start + datetime.timedelta(days=ctx.rng.randint(0, (end - start).days)) for _ in range(n))


def _here(inst: Institution) -> tuple[PlaceInput, ...]:
    return (PlaceInput(address=inst.address, municipality=inst.municipality),)


def _issue(ctx: RegistryDemo, day: datetime.date, inst: Institution, code: str, name: str, *, form: str = "",
           entry_kind: str = LicenceEntryKind.NEW_PROGRAMME, international: str = "") -> LicenceIssue:
    return LicenceIssue(decision=ctx.decision("licence_issue", day, BASIS), institution=inst, code=code, name=name,
                        form=form or ProgrammeForm.FULL_TIME, places=_here(inst), entry_kind=entry_kind,
                        international=international)


def _cycle_pick(items: list, k: int) -> list:
    return [items[i % len(items)] for i in range(k)] if items else []


def generate(ctx: RegistryDemo, *, registered_2024: list[Institution], remaining: list[Institution],
             lapsed: list[Programme]) -> dict[str, int]:
    """Write the 2024 licensing decisions; return what was written, for the command's summary."""
    rng = ctx.rng
    officer = ctx.officer
    live = [i for i in remaining if i.status == "registered"]
    by_type: dict[str, list[Institution]] = {}
    for inst in live:
        by_type.setdefault(inst.type.code, []).append(inst)
    issues: list[LicenceIssue] = []

    # Figure 1: each institution registered in 2024 licenses its first programme, the others go to schools of the
    # right kind (special pre-school groups to pre-schools, special basic ones to basic and special schools).
    new_by_level = {"preschool": [i for i in registered_2024 if i.type.code == "preschool"],
                    "basic": [i for i in registered_2024 if i.type.code != "preschool"]}
    existing_by_level = {
        "preschool": by_type.get("preschool", []),
        "basic": by_type.get("special_basic", []) + by_type.get("basic", []),
        "secondary": by_type.get("secondary", []),
    }
    rng.shuffle(existing_by_level["preschool"])
    rng.shuffle(existing_by_level["basic"])
    used: dict[str, int] = {level: 0 for level in existing_by_level}
    for count, code, name, form, level in FIGURE1_2024:
        for _ in range(ctx.n(count)):
            new = new_by_level.get("basic" if level == "secondary" else level, [])
            if new:
                inst = new.pop(0)
                start = max(inst.registered_on, datetime.date(YEAR, 1, 8))
            else:
                pool = existing_by_level[level]
                if not pool:
                    continue
                inst = pool[used[level] % len(pool)]
                used[level] += 1
                start = datetime.date(YEAR, 1, 8)
            issues.append(_issue(ctx, _days(ctx, 1, start)[0], inst, code, name, form=form))
    private_secondary = [i for i in by_type.get("secondary", []) if i.founder.kind == "private_legal"] or \
        by_type.get("secondary", [])
    if private_secondary and ctx.n(len(IB_2024)) >= len(IB_2024):
        school = private_secondary[0]
        day = _days(ctx, 1)[0]
        for code, name in IB_2024:
            issues.append(_issue(ctx, day, school, code, name, international=IB))
    for inst in new_by_level["preschool"] + new_by_level["basic"]:  # at small scales: every new one its licence
        code, name = ("01011111", "Vispārējās pirmsskolas izglītības programma") if inst.type.code == "preschool" \
            else ("21011111", "Pamatizglītības programma")
        issues.append(_issue(ctx, _days(ctx, 1, max(inst.registered_on, datetime.date(YEAR, 1, 8)))[0], inst, code,
                             name))

    # Table 8: new vocational programmes, derived ones, the right to implement restored, updated programmes
    # re-licensed as new entries.
    t = TABLE8_2024
    vocational = [i for code in VOCATIONAL_TYPES for i in by_type.get(code, [])]
    orientation = [i for code in ORIENTATION_TYPES for i in by_type.get(code, [])]
    rng.shuffle(vocational)
    rng.shuffle(orientation)
    batches = [
        ("new_vocational", VOCATIONAL_NEW, vocational, LicenceEntryKind.NEW_PROGRAMME),
        ("new_continuing", CONTINUING, vocational, LicenceEntryKind.NEW_PROGRAMME),
        ("new_development", DEVELOPMENT, vocational, LicenceEntryKind.NEW_PROGRAMME),
        ("derived_continuing", CONTINUING, vocational, LicenceEntryKind.DERIVED),
        ("derived_development", DEVELOPMENT, vocational, LicenceEntryKind.DERIVED),
    ]
    for key, programmes, schools, entry_kind in batches:
        n = ctx.n(t[key])
        for (code, name), inst, day in zip(_cycle_pick(programmes, n), _cycle_pick(schools, n), _days(ctx, n),
                                           strict=False):
            issues.append(_issue(ctx, day, inst, code, name, entry_kind=entry_kind))
    n = ctx.n(t["new_orientation"])
    new_orientation = [("20V21435", "Mūzikas tehnoloģijas"), ("20V21436", "Popmūzikas un džeza vokāls"),
                       ("20V81331", "Skeitbords"), ("20V81332", "Pludmales volejbols"), ("20V21109", "Digitālā māksla")]
    for (code, name), inst, day in zip(_cycle_pick(new_orientation, n), _cycle_pick(orientation, n), _days(ctx, n),
                                       strict=False):
        issues.append(_issue(ctx, day, inst, code, name))
    for programme, day in zip(lapsed, _days(ctx, len(lapsed)), strict=True):
        issues.append(_issue(ctx, day, programme.institution, programme.code, programme.name,
                             entry_kind=LicenceEntryKind.RIGHTS_RESTORED))
    vocational_licensed = list(Programme.objects.filter(
        status=LicenceStatus.LICENSED, institution__in=vocational, code__regex=r"^3[23]").order_by("licence_number"))
    rng.shuffle(vocational_licensed)
    n = ctx.n(t["relicensing_new_entry"])
    for programme, day in zip(vocational_licensed[:n], _days(ctx, n), strict=False):
        issues.append(_issue(ctx, day, programme.institution, programme.code, f"{programme.name} (aktualizēta)",
                             entry_kind=LicenceEntryKind.RELICENSING_NEW_ENTRY))
    issued = services.programme_license_many(actor=officer, issues=issues)

    # Amendments: content (one batch per kind), a programme's name, a new place of implementation.
    general = list(Programme.objects.filter(status=LicenceStatus.LICENSED, licence_date__lt=datetime.date(YEAR, 1, 1),
                                            code__regex=r"^[0-3]1").select_related("institution")
                   .order_by("licence_number"))
    rng.shuffle(general)
    secondary = [p for p in general if p.code.startswith("31")]
    amended = 0
    content = [
        (LicenceEntryKind.CONTENT_AMENDMENT, general[: ctx.n(GENERAL_AMENDMENTS_2024["content"])]),
        (LicenceEntryKind.STUDY_PLAN_UPDATE, secondary[: ctx.n(GENERAL_AMENDMENTS_2024["study_plans"])]),
        (LicenceEntryKind.MODULAR_RELICENSING,
         vocational_licensed[n: n + ctx.n(t["modular"])]),
    ]
    orientation_programmes = list(Programme.objects.filter(
        status=LicenceStatus.LICENSED, code__startswith="20V", licence_date__lt=datetime.date(YEAR, 1, 1))
        .order_by("licence_number"))
    content.append((LicenceEntryKind.ORIENTATION_RELICENSING,
                    orientation_programmes[: ctx.n(t["orientation_relicensing"])]))
    for entry_kind, programmes in content:
        # LNKC agreed the model programmes in spring: the orientation schools' entries from June
        start = datetime.date(YEAR, 6, 3) if entry_kind == LicenceEntryKind.ORIENTATION_RELICENSING else \
            datetime.date(YEAR, 1, 8)
        updates = [ContentUpdate(decision=ctx.decision("licence_amend", day, BASIS), programme=p)
                   for p, day in zip(programmes, _days(ctx, len(programmes), start), strict=True)]
        amended += len(services.programme_content_updates_record(actor=officer, entry_kind=entry_kind,
                                                                 updates=updates))
    renamed = general[len(content[0][1]):][: ctx.n(GENERAL_AMENDMENTS_2024["entry"])]
    for programme, day in zip(renamed, _days(ctx, len(renamed)), strict=True):
        services.programme_licence_change(
            actor=officer, decision=ctx.decision("licence_amend", day, BASIS), programme=programme,
            kind=DecisionKind.LICENCE_AMEND, values={"name": f"{programme.name} (nosaukums atbilstoši LIK)"})
        amended += 1
    from ikms.registry.demo import _address  # the register demo's addresses (imported here: it imports this module)

    places = vocational_licensed[n + ctx.n(t["modular"]):][: ctx.n(t["new_place"])]
    for programme, day in zip(places, _days(ctx, len(places)), strict=True):
        inst = programme.institution
        town = ctx.places[inst.municipality.code][0][0]
        services.programme_licence_change(
            actor=officer, decision=ctx.decision("licence_amend", day, BASIS), programme=programme,
            kind=DecisionKind.LICENCE_AMEND, entry_kind=LicenceEntryKind.NEW_PLACE,
            places=[*(PlaceInput(address=p.address, municipality=p.municipality) for p in programme.places.all()),
                    PlaceInput(address=_address(ctx, inst.municipality, town), municipality=inst.municipality)])
        amended += 1
    return {"licences issued 2024": len(issued), "licence amendments 2024": amended}
