"""Demo data for the registers: a national-scale synthetic register of institutions, licensed
programmes, accreditations and the decisions that created them, deterministic for a seed.

At scale 1 the 2024 decisions reproduce annual-report table 3 (calibration-2024.yaml,
`register_of_institutions`) and the licensing figures, figure 1 and table 8 (`general_programme_licensing`,
`vocational_programme_licensing`, written by demo_licensing.py), exactly; at other scales they scale
proportionally. Every entry is created through the register services (the thousands of licences in their
batch services), so the demo obeys the same rules as production.
"""

import datetime
import itertools
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.utils.translation import override

from ikms.accounts import services as account_services
from ikms.accounts.demo import DEMO_PASSWORD, SCOPED_ACCOUNTS
from ikms.accounts.models import User
from ikms.registry import demo_licensing, services
from ikms.registry.choices import (
    AmendmentReason,
    DecisionKind,
    FounderKind,
    InstitutionStatus,
    ProgrammeForm,
    StrikeOffReason,
)
from ikms.registry.legal import legal_basis
from ikms.registry.models import Founder, Institution, InstitutionType, Municipality, Programme
from ikms.registry.services import DecisionInput, PlaceInput

DATA = Path(__file__).resolve().parent / "demo_data"

#: Registered institutions per type at scale 1 (after the 2024 decisions), from the 2020 VIIS
#: register mix (pre-school 662, general 649, special 44, vocational 53, …), rounded.
TYPE_MIX = {
    "preschool": 600, "primary": 55, "basic": 250, "secondary": 270, "gymnasium": 8, "state_gymnasium": 31,
    "extramural_secondary": 8, "special_basic": 33, "special_secondary": 1, "boarding_development_centre": 10,
    "vocational_secondary": 25, "vocational_competence_centre": 22, "trade_school": 5, "music_art_school": 35,
    "sports_school": 25, "art_school": 10, "interest": 10, "university": 6, "college": 4,
    "college_branch": 3, "university_branch": 3,
}
#: 2024 register decisions at scale 1: annual report 2024, table 3.
TABLE3_2024 = {
    "postpone_new": 15, "postpone_amend": 6, "strike_off": 128, "register": 50, "amend_reorganisation": 28,
    "refuse": 5, "revoke": 1, "he_branch_remove": 3, "he_register_amend": 5, "international_school": 0,
}
#: Amendments that do not count in table 3 (name, address, head changes).
OTHER_AMENDMENTS_2024 = 40

PRESCHOOL_NAMES = ["Saulīte", "Zīlīte", "Auseklītis", "Pasaciņa", "Taurenītis", "Bitīte", "Lācītis", "Rūķītis",
                   "Cielaviņa", "Ābelīte", "Mazputniņš", "Kāpēcīši", "Pienenīte", "Zvaniņš", "Dzērvenīte",
                   "Sprīdītis", "Ezītis", "Vāverīte", "Mārīte", "Varavīksne", "Zvaigznīte", "Dzīpariņš",
                   "Pūcīte", "Saulespuķe", "Kastanītis", "Ķipari", "Cālītis", "Lāsīte", "Riekstiņš", "Avotiņš",
                   "Ozoliņš", "Purenīte", "Bērziņš", "Gailītis", "Ieviņa", "Krikumiņš", "Sienāzītis"]
SURNAMES = [("Bērziņš", "Bērziņa"), ("Kalniņš", "Kalniņa"), ("Ozoliņš", "Ozoliņa"), ("Jansons", "Jansone"),
            ("Ozols", "Ozola"), ("Liepa", "Liepa"), ("Krūmiņš", "Krūmiņa"), ("Balodis", "Balode"),
            ("Eglītis", "Eglīte"), ("Zariņš", "Zariņa"), ("Pētersons", "Pētersone"), ("Vītols", "Vītola"),
            ("Kļaviņš", "Kļaviņa"), ("Kārkliņš", "Kārkliņa"), ("Vanags", "Vanaga"), ("Lapiņš", "Lapiņa"),
            ("Siliņš", "Siliņa"), ("Zeltiņš", "Zeltiņa"), ("Jēkabsons", "Jēkabsone"), ("Ābols", "Ābola"),
            ("Grants", "Grante"), ("Strazds", "Strazda"), ("Kalējs", "Kalēja"), ("Roze", "Roze"),
            ("Zvirbulis", "Zvirbule"), ("Vilks", "Vilka"), ("Sproģis", "Sproģe"), ("Līcis", "Līce"),
            ("Rudzītis", "Rudzīte"), ("Celmiņš", "Celmiņa")]
FEMALE = ["Anna", "Marta", "Ilze", "Inese", "Līga", "Kristīne", "Dace", "Ieva", "Sandra", "Inga", "Baiba",
          "Gunta", "Santa", "Laura", "Evija", "Zane", "Aija", "Daiga", "Dzintra", "Ligita", "Vija", "Ināra"]
MALE = ["Jānis", "Andris", "Māris", "Juris", "Pēteris", "Aivars", "Edgars", "Guntis", "Artis", "Raimonds",
        "Kārlis", "Valdis", "Ivars", "Uldis"]
STREETS = ["Skolas", "Brīvības", "Rīgas", "Dārza", "Parka", "Liepu", "Lielā", "Meža", "Ezera", "Pils",
           "Baznīcas", "Zaļā", "Saules", "Bērzu", "Krasta", "Jaunā", "Stacijas", "Avotu", "Ozolu", "Kalna"]
PRIVATE_FOUNDERS = ["SIA “Mazā skoliņa”", "Biedrība “Montessori izglītības centrs”", "SIA “Rūķīšu māja”",
                    "Nodibinājums “Waldorfa izglītības fonds”", "SIA “Privātā vidusskola Klasika”",
                    "Biedrība “Kristīgā skola”", "SIA “Bērnu dārzs Ābolītis”", "SIA “Izglītības centrs Zinis”",
                    "Biedrība “Ģimenes skola”", "SIA “Starptautiskā izglītība”"]
STATE_FOUNDERS = [("Izglītības un zinātnes ministrija", "90000022399"),
                  ("Kultūras ministrija", "90000042516"),
                  ("Zemkopības ministrija", "90000064161")]
HIGHER = {
    "university": ["Latvijas Universitāte", "Rīgas Tehniskā universitāte", "Rīgas Stradiņa universitāte",
                   "Daugavpils Universitāte", "Liepājas Universitāte", "Vidzemes Augstskola"],
    "college": ["Rīgas 1. medicīnas koledža", "Latvijas Kultūras koledža", "Malnavas koledža",
                "Rīgas Valsts tehnikuma koledža"],
    "college_branch": ["Rīgas 1. medicīnas koledžas Liepājas filiāle", "Malnavas koledžas Rēzeknes filiāle",
                       "Latvijas Kultūras koledžas Valmieras filiāle"],
    "university_branch": ["Rīgas Tehniskās universitātes Cēsu filiāle", "Daugavpils Universitātes Rēzeknes filiāle",
                          "Liepājas Universitātes Kuldīgas filiāle"],
}
VOCATIONAL_PROGRAMMES = [("33481031", "Programmēšana"), ("33811021", "Ēdināšanas pakalpojumi"),
                         ("33521011", "Mehatronika"), ("33762011", "Sociālā aprūpe"),
                         ("32811021", "Pavārs"), ("33582011", "Būvdarbi"), ("33525011", "Autotransports"),
                         ("33345021", "Grāmatvedība"), ("33213011", "Multimediju dizains"),
                         ("33541021", "Kokizstrādājumu izgatavošana")]
#: Vocational orientation programmes (music, art, dance, sports schools): one per instrument, art or sport, each
#: its own licence. The code: "20V", the thematic area (212 music and performing arts, 211 art, 813 sports) and the
#: programme's number.
MUSIC = ["Klavierspēle", "Akordeona spēle", "Ērģeļspēle", "Klavesīna spēle", "Ģitāras spēle", "Kokles spēle",
         "Vijoles spēle", "Alta spēle", "Čella spēle", "Kontrabasa spēle", "Arfas spēle", "Flautas spēle",
         "Blokflautas spēle", "Obojas spēle", "Klarnetes spēle", "Saksofona spēle", "Fagota spēle",
         "Trompetes spēle", "Mežraga spēle", "Trombona spēle", "Eifonija spēle", "Tubas spēle",
         "Sitaminstrumentu spēle", "Kora klase", "Vokālā mūzika — solo dziedāšana", "Mūzikas teorija",
         "Elektroniskā mūzika", "Džeza klavierspēle", "Basģitāras spēle", "Tautas instrumentu spēle",
         "Dejas pamati", "Laikmetīgā deja", "Klasiskā deja", "Teātra māksla"]
ART = ["Vizuāli plastiskā māksla", "Dizaina pamati", "Keramika", "Tekstilmāksla", "Grafikas pamati",
       "Animācija", "Fotomāksla", "Skulptūra"]
SPORTS = ["Basketbols", "Volejbols", "Futbols", "Handbols", "Hokejs", "Florbols", "Vieglatlētika", "Peldēšana",
          "Slēpošana", "Biatlons", "Orientēšanās", "Riteņbraukšana", "Airēšana", "Smaiļošana un kanoe airēšana",
          "Burāšana", "Teniss", "Galda teniss", "Badmintons", "Svarcelšana", "Cīņa", "Bokss", "Džudo",
          "Karatē", "Paukošana", "Vingrošana", "Mākslas vingrošana", "Šahs", "Daiļslidošana", "Loka šaušana",
          "Triatlons"]
ORIENTATION_AREAS = {"music": ("212", MUSIC), "art": ("211", ART), "sports": ("813", SPORTS)}
#: Which programmes a school of each type offers, and how many at least and at most.
ORIENTATION_OFFER = {"music_art_school": [("music", 24, 31), ("art", 2, 4)], "art_school": [("art", 5, 8)],
                     "sports_school": [("sports", 20, 27)]}


def orientation_programme(area: str, index: int) -> tuple[str, str]:
    """The code and name of one vocational orientation programme."""
    thematic, names = ORIENTATION_AREAS[area]
    return f"20V{thematic}{index + 1:02d}", names[index]


@dataclass
class RegistryDemo:
    """State shared by the steps of the register demo."""

    rng: object
    scale: float
    officer: User
    quality_expert: User
    year: int = 2024
    counter: Counter = field(default_factory=Counter)
    used_numbers: set = field(default_factory=set)
    municipalities: dict = field(default_factory=dict)
    places: dict = field(default_factory=dict)
    weights: dict = field(default_factory=dict)
    founders: dict = field(default_factory=dict)
    private_founders: list = field(default_factory=list)
    state_founders: list = field(default_factory=list)
    types: dict = field(default_factory=dict)
    used_names: set = field(default_factory=set)
    #: The licensing figures' own random stream (vocational orientation programmes, lapses, the 2024 licensing
    #: decisions), seeded from the main one without drawing from it: the rest of the register, and the lake built
    #: from it, stay as they were before these figures were added.
    side_rng: object = None

    def __post_init__(self) -> None:
        if self.side_rng is None:
            self.side_rng = random.Random(str(self.rng.getstate()[1][:8]))

    def n(self, base: int, minimum: int = 0) -> int:
        """A count at the current scale (exact at scale 1)."""
        return max(minimum, round(base * self.scale))

    def decision(self, kind: str, date: datetime.date, basis: str) -> DecisionInput:
        prefix = {"licence": "L", "accreditation": "A"}.get(kind.split("_", maxsplit=1)[0], "R")
        self.counter[(prefix, date.year)] += 1
        number = f"{date.year}/{prefix}-{self.counter[(prefix, date.year)]:05d}"
        return DecisionInput(number=number, date=date, legal_basis=legal_basis(basis, date))


# The legal basis of a decision is the instrument in force on its date (ikms.registry.legal): an area here.
BASIS_REGISTER = "register"
BASIS_LICENCE = "licence"
BASIS_ACCREDITATION = "accreditation"
BASIS_HIGHER = "higher_education_register"


def _date(rng, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _person(rng) -> str:
    surname = rng.choice(SURNAMES)
    if rng.random() < 0.8:
        return f"{rng.choice(FEMALE)} {surname[1]}"
    return f"{rng.choice(MALE)} {surname[0]}"


def _registration_number(ctx: RegistryDemo, muni_index: int, kind_digit: int) -> str:
    while True:
        number = f"{ctx.rng.choice('234')}{10 + muni_index:02d}{kind_digit}{ctx.rng.randint(0, 999999):06d}"
        if number not in ctx.used_numbers:
            ctx.used_numbers.add(number)
            return number


def _address(ctx: RegistryDemo, muni: Municipality, town: str) -> str:
    postcode = 1000 + (hash_code(muni.code) % 4000)
    street = ctx.rng.choice(STREETS)
    suffix = "" if muni.kind == "state_city" else f", {muni.name_lv}"
    return f"{street} iela {ctx.rng.randint(1, 120)}, {town}{suffix}, LV-{postcode + ctx.rng.randint(0, 99)}"


def hash_code(text: str) -> int:
    """A stable (not per-process salted) small hash for deterministic postcodes."""
    return sum((i + 1) * ord(c) for i, c in enumerate(text))


def _unique(ctx: RegistryDemo, name: str) -> str:
    base, i = name, 2
    if name in ctx.used_names and "“" in base:  # a second “Saulīte” in town: numbered, as Riga does
        base = base.split(" “")[0]
        i = ctx.rng.randint(2, 40)
        name = _numbered(base, i)
    while name in ctx.used_names:
        name = _numbered(base, i)
        i += 1
    ctx.used_names.add(name)
    return name


def _numbered(name: str, i: int) -> str:
    genitive, _, rest = name.partition(" ")
    return f"{genitive} {i}. {rest}"


def _name(ctx: RegistryDemo, type_code: str, genitive: str) -> str:
    rng = ctx.rng
    if type_code == "preschool":
        return _unique(ctx, f"{genitive} pirmsskolas izglītības iestāde “{rng.choice(PRESCHOOL_NAMES)}”")
    suffix = {
        "primary": "sākumskola", "basic": "pamatskola", "secondary": "vidusskola", "gymnasium": "ģimnāzija",
        "state_gymnasium": "Valsts ģimnāzija", "extramural_secondary": "neklātienes vidusskola",
        "special_basic": "speciālā pamatskola", "special_secondary": "speciālā vidusskola",
        "boarding_development_centre": "internātskola – attīstības centrs",
        "vocational_secondary": "tehnikums", "vocational_competence_centre": "Valsts tehnikums",
        "trade_school": "arodskola", "music_art_school": "Mūzikas un mākslas skola",
        "sports_school": "Sporta skola", "art_school": "Mākslas skola", "interest": "Bērnu un jauniešu centrs",
    }[type_code]
    return _unique(ctx, f"{genitive} {suffix}")


def _pick_municipality(ctx: RegistryDemo, type_code: str) -> Municipality:
    codes = list(ctx.weights)
    weights = [ctx.weights[c] for c in codes]
    if type_code in ("state_gymnasium", "vocational_competence_centre"):
        weights = [w ** 0.5 for w in weights]  # one per larger town rather than proportional
    return ctx.municipalities[ctx.rng.choices(codes, weights=weights)[0]]


def _founder_for(ctx: RegistryDemo, type_code: str, muni: Municipality) -> Founder:
    rng = ctx.rng
    if type_code in ("vocational_competence_centre", "boarding_development_centre") or (
            type_code in ("vocational_secondary", "trade_school") and rng.random() < 0.7):
        return ctx.state_founders[0]
    if type_code in ("art_school", "music_art_school") and rng.random() < 0.15:
        return ctx.state_founders[1]
    private_share = {"preschool": 0.15, "basic": 0.04, "secondary": 0.06, "primary": 0.2}.get(type_code, 0.0)
    if rng.random() < private_share:
        return rng.choice(ctx.private_founders)
    return ctx.founders[muni.code]


def _setup(ctx: RegistryDemo) -> None:
    ctx.municipalities = {m.code: m for m in Municipality.objects.all()}
    data = yaml.safe_load((Path(__file__).resolve().parent / "data" / "municipalities.yaml").read_text("utf-8"))
    ctx.weights = {row["code"]: row["population_approx"] for row in data["municipalities"]}
    ctx.places = yaml.safe_load((DATA / "places.yaml").read_text("utf-8"))
    ctx.types = {t.code: t for t in InstitutionType.objects.select_related("kind")}
    for muni in ctx.municipalities.values():
        genitive = ctx.places[muni.code][0][1]
        label = "valstspilsētas" if muni.kind == "state_city" else "novada"
        ctx.founders[muni.code] = Founder.objects.create(
            kind=FounderKind.MUNICIPALITY, name=f"{genitive} {label} pašvaldība", municipality=muni,
            registration_code=f"9000{hash_code(muni.code) % 10**7:07d}")
    for name, code in STATE_FOUNDERS:
        ctx.state_founders.append(Founder.objects.create(kind=FounderKind.STATE, name=name, registration_code=code))
    for i, name in enumerate(PRIVATE_FOUNDERS):
        ctx.private_founders.append(Founder.objects.create(
            kind=FounderKind.PRIVATE_LEGAL, name=name, registration_code=f"4000{3000000 + i * 7919:07d}"))
    ctx.private_founders.append(Founder.objects.create(kind=FounderKind.PRIVATE_NATURAL, name=_person(ctx.rng)))


def _place(ctx: RegistryDemo, muni: Municipality, type_code: str) -> tuple[str, str]:
    places = ctx.places[muni.code]
    if type_code in ("state_gymnasium", "vocational_competence_centre", "gymnasium") or ctx.rng.random() < 0.5:
        return places[0][0], places[0][1]
    nominative, genitive = ctx.rng.choice(places)
    return nominative, genitive


def _new_institution_fields(ctx: RegistryDemo, type_code: str, muni_index_of: dict) -> dict:
    muni = _pick_municipality(ctx, type_code)
    town, genitive = _place(ctx, muni, type_code)
    kind_digit = {"preschool": 1, "special": 2, "vocational": 3, "higher": 5}.get(ctx.types[type_code].kind.code, 9)
    return {
        "registration_number": _registration_number(ctx, muni_index_of[muni.code], kind_digit),
        "name": _name(ctx, type_code, genitive), "type": ctx.types[type_code],
        "founder": _founder_for(ctx, type_code, muni), "municipality": muni,
        "address": _address(ctx, muni, town), "head_name": _person(ctx.rng),
    }


def _programmes_for(ctx: RegistryDemo, type_code: str) -> list[tuple[str, str]]:
    rng = ctx.rng
    general = [("01011111", "Vispārējās pirmsskolas izglītības programma")]
    special_pre = ("01015611", "Speciālās pirmsskolas izglītības programma izglītojamajiem ar valodas traucējumiem")
    basic = ("21011111", "Pamatizglītības programma")
    basic_special = ("21015611", "Speciālās pamatizglītības programma izglītojamajiem ar mācīšanās traucējumiem")
    secondary = ("31011011", "Vispārējās vidējās izglītības programma")
    if type_code == "preschool":
        return general + ([special_pre] if rng.random() < 0.6 else [])
    if type_code == "primary":
        return [("11011111", "Pamatizglītības pirmā posma (1.–6. klase) programma")] + (
            general if rng.random() < 0.6 else [])
    if type_code == "basic":
        return [basic] + (general if rng.random() < 0.6 else []) + ([basic_special] if rng.random() < 0.6 else [])
    if type_code in ("secondary", "gymnasium", "state_gymnasium"):
        rows = [basic, secondary]
        if type_code == "secondary" and rng.random() < 0.4:
            rows.append(basic_special)
        if type_code == "secondary" and rng.random() < 0.3:
            rows += general
        return rows
    if type_code == "extramural_secondary":
        return [("31011013", "Vispārējās vidējās izglītības programma (tālmācība)")]
    if type_code.startswith("special") or type_code == "boarding_development_centre":
        return [basic_special, ("21015811", "Speciālās pamatizglītības programma izglītojamajiem ar "
                                            "smagiem garīgās attīstības traucējumiem")]
    if type_code in ("vocational_secondary", "vocational_competence_centre", "trade_school"):
        return rng.sample(VOCATIONAL_PROGRAMMES, k=rng.randint(3, 6))
    rows = []
    side = ctx.side_rng
    for area, low, high in ORIENTATION_OFFER.get(type_code, []):
        count = len(ORIENTATION_AREAS[area][1])
        rows += [orientation_programme(area, i) for i in sorted(side.sample(range(count), side.randint(low, high)))]
    return rows


def _lapse_unimplemented(ctx: RegistryDemo) -> list[Programme]:
    """Vocational licences that lapsed before 2024, not implemented within a year (their right to implement is
    restored in 2024: table 8)."""
    candidates = list(Programme.objects.filter(code__startswith="33", licence_date__lt=datetime.date(2022, 6, 1))
                      .select_related("institution").order_by("licence_number"))
    side = ctx.side_rng
    chosen = side.sample(candidates, min(len(candidates), ctx.n(demo_licensing.TABLE8_2024["rights_restored"])))
    for programme in chosen:
        day = _date(side, programme.licence_date + datetime.timedelta(days=370),
                    min(programme.licence_date + datetime.timedelta(days=500), datetime.date(2023, 12, 20)))
        services.programme_licence_change(
            actor=ctx.officer, decision=ctx.decision("licence_lapse", day, BASIS_LICENCE), programme=programme,
            kind=DecisionKind.LICENCE_LAPSE)
    return chosen


def _form_for(code: str) -> str:
    return ProgrammeForm.DISTANCE if code.endswith("3") and code.startswith("31") else ProgrammeForm.FULL_TIME


def generate(*, rng, scale: float, officer: User, quality_expert: User, stdout=None) -> dict:
    """Create the register at the given scale; return counts for the command's summary."""
    with override("lv"):
        return _generate(RegistryDemo(rng=rng, scale=scale, officer=officer, quality_expert=quality_expert), stdout)


def _generate(ctx: RegistryDemo, stdout) -> dict:
    rng = ctx.rng
    _setup(ctx)
    muni_index_of = {code: i for i, code in enumerate(sorted(ctx.municipalities))}
    officer = ctx.officer
    t = TABLE3_2024
    # How many of each type exist before 2024: the final mix, plus those liquidated in 2024, minus
    # those registered in 2024.
    strike_off_n = ctx.n(t["strike_off"])
    register_n = ctx.n(t["register"])
    before = {code: ctx.n(n, minimum=1) for code, n in TYPE_MIX.items()}
    before["preschool"] += round(strike_off_n * 0.5) - round(register_n * 0.5)
    before["basic"] += round(strike_off_n * 0.3) - round(register_n * 0.2)
    before["primary"] += strike_off_n - round(strike_off_n * 0.5) - round(strike_off_n * 0.3)
    before["secondary"] -= register_n - round(register_n * 0.5) - round(register_n * 0.2)
    before["college_branch"] = max(before["college_branch"], 2)
    before["university_branch"] = max(before["university_branch"], 2)

    # 1. The register as it stood at the end of 2023: one registration decision per entry.
    institutions: list[Institution] = []
    higher_names = {k: iter(v * 10) for k, v in HIGHER.items()}
    for type_code, count in before.items():
        for _ in range(max(count, 0)):
            day = _date(rng, datetime.date(1991, 6, 1), datetime.date(2023, 12, 15))
            if type_code in HIGHER:
                muni = ctx.municipalities["LV-RIX"] if type_code in ("university", "college") else \
                    _pick_municipality(ctx, type_code)
                fields = {
                    "registration_number": _registration_number(ctx, muni_index_of[muni.code], 5),
                    "name": _unique(ctx, next(higher_names[type_code])), "type": ctx.types[type_code],
                    "founder": ctx.state_founders[0], "municipality": muni,
                    "address": _address(ctx, muni, ctx.places[muni.code][0][0]), "head_name": _person(rng)}
                basis = BASIS_HIGHER
            else:
                fields = _new_institution_fields(ctx, type_code, muni_index_of)
                basis = BASIS_REGISTER
            institutions.append(services.institution_register(
                actor=officer, decision=ctx.decision("register", day, basis), **fields))

    # 2. Licensed programmes for each institution, licensed after registration.
    #    One batch through the licensing service (each licence its own decision): thousands of calls one by one
    #    would cost a minute.
    issues = []
    for inst in institutions:
        for code, name in _programmes_for(ctx, inst.type.code):
            day = _date(rng, inst.registered_on, min(inst.registered_on + datetime.timedelta(days=900),
                                                      datetime.date(2023, 12, 20)))
            issues.append(services.LicenceIssue(
                decision=ctx.decision("licence_issue", day, BASIS_LICENCE), institution=inst, code=code, name=name,
                form=_form_for(code), places=(PlaceInput(address=inst.address, municipality=inst.municipality),)))
    programme_count = len(services.programme_license_many(actor=officer, issues=issues))
    lapsed_before_2024 = _lapse_unimplemented(ctx)

    # 3. Accreditation status of general, special and vocational schools (decisions 2018–2023;
    #    the 2024 accreditations come from the accreditation cases).
    accredited = 0
    for inst in institutions:
        if inst.type.kind.code in ("general", "special", "vocational"):
            day = _date(rng, max(inst.registered_on, datetime.date(2018, 9, 1)), datetime.date(2023, 12, 20))
            if day < inst.registered_on:
                continue
            services.accreditation_decide(actor=ctx.quality_expert, decision=ctx.decision(
                "accreditation_grant", day, BASIS_ACCREDITATION), institution=inst,
                kind=DecisionKind.ACCREDITATION_GRANT)
            accredited += 1

    # 4. The 2024 decisions: annual report table 3, exactly at scale 1.
    year = ctx.year
    days = iter(sorted(_date(rng, datetime.date(year, 1, 8), datetime.date(year, 12, 20)) for _ in range(2000)))
    day_of = lambda: next(days)  # noqa: E731
    general_types = [c for c in TYPE_MIX if c not in HIGHER]
    registered_general = [i for i in institutions if i.type.code in general_types]
    rng.shuffle(registered_general)
    pool = iter(registered_general)

    # Liquidations: small pre-schools and schools first, as reorganisation of the network does.
    liquidate_types = ["preschool"] * 5 + ["basic"] * 3 + ["primary"] * 2
    to_liquidate: list[Institution] = []
    by_type: dict[str, list[Institution]] = {}
    for inst in registered_general:
        by_type.setdefault(inst.type.code, []).append(inst)
    cycle = itertools.cycle(liquidate_types)
    while len(to_liquidate) < strike_off_n:
        code = next(cycle)
        if by_type.get(code):
            to_liquidate.append(by_type[code].pop())
        elif not any(by_type.values()):
            break
    liquidated_ids = {i.pk for i in to_liquidate}
    reasons = [StrikeOffReason.LIQUIDATION] * 6 + [StrikeOffReason.REORGANISATION] * 3 + [StrikeOffReason.TYPE_CHANGE]
    for inst in to_liquidate:
        services.institution_strike_off(actor=officer, decision=ctx.decision("strike_off", day_of(), BASIS_REGISTER),
                                        institution=inst, reason=rng.choice(reasons))

    remaining = [i for i in pool if i.pk not in liquidated_ids]
    amend_targets = iter(remaining)
    for _ in range(ctx.n(t["amend_reorganisation"])):
        inst = next(amend_targets)
        reason = AmendmentReason.REORGANISATION if rng.random() < 0.6 else AmendmentReason.TYPE_CHANGE
        values = {"address": _address(ctx, inst.municipality, ctx.places[inst.municipality.code][0][0])}
        if reason == AmendmentReason.TYPE_CHANGE and inst.type.code == "secondary":
            values["type"] = ctx.types["basic"]
            values["name"] = _unique(ctx, inst.name.replace("vidusskola", "pamatskola"))
        services.institution_amend(actor=officer, decision=ctx.decision("amend", day_of(), BASIS_REGISTER),
                                   institution=inst, reason=reason, values=values)
    for _ in range(ctx.n(OTHER_AMENDMENTS_2024)):
        inst = next(amend_targets)
        reason = rng.choice([AmendmentReason.HEAD, AmendmentReason.ADDRESS, AmendmentReason.NAME])
        if reason == AmendmentReason.HEAD:
            values = {"head_name": _person(rng)}
        elif reason == AmendmentReason.ADDRESS:
            values = {"address": _address(ctx, inst.municipality, ctx.places[inst.municipality.code][0][0])}
        else:
            values = {"name": _unique(ctx, f"{inst.name} {rng.choice(['Jaunā', 'Centra', 'Meža', 'Parka'])}")}
        services.institution_amend(actor=officer, decision=ctx.decision("amend", day_of(), BASIS_REGISTER),
                                   institution=inst, reason=reason, values=values)

    # New registrations; some of them were postponed first.
    new_types = ["preschool"] * 5 + ["basic"] * 2 + ["secondary"] * 3
    postponed_new = ctx.n(t["postpone_new"])
    registered_2024 = []
    for i in range(register_n):
        type_code = new_types[i % len(new_types)]
        fields = _new_institution_fields(ctx, type_code, muni_index_of)
        if i < postponed_new:
            application = services.institution_application_record(
                actor=officer, decision=ctx.decision("postpone", day_of(), BASIS_REGISTER),
                kind=DecisionKind.POSTPONE, **fields).institution
            fields.pop("registration_number")
            inst = services.institution_register(
                actor=officer, decision=ctx.decision("register", day_of(), BASIS_REGISTER), application=application,
                registration_number=application.registration_number, **fields)
        else:
            inst = services.institution_register(
                actor=officer, decision=ctx.decision("register", day_of(), BASIS_REGISTER), **fields)
        registered_2024.append(inst)
    for _ in range(postponed_new - min(postponed_new, register_n)):
        fields = _new_institution_fields(ctx, "preschool", muni_index_of)
        services.institution_application_record(
            actor=officer, decision=ctx.decision("postpone", day_of(), BASIS_REGISTER),
            kind=DecisionKind.POSTPONE, **fields)
    for _ in range(ctx.n(t["postpone_amend"])):
        inst = next(amend_targets)
        services.institution_application_record(
            actor=officer, decision=ctx.decision("postpone", day_of(), BASIS_REGISTER),
            kind=DecisionKind.POSTPONE, institution=inst)
    for _ in range(ctx.n(t["refuse"])):
        fields = _new_institution_fields(ctx, "preschool", muni_index_of)
        services.institution_application_record(
            actor=officer, decision=ctx.decision("refuse", day_of(), BASIS_REGISTER),
            kind=DecisionKind.REFUSE, **fields)

    # Higher-education register: branches removed and entries amended.
    branches = [i for i in institutions if i.type.code in ("college_branch", "university_branch")]
    for inst in branches[: ctx.n(t["he_branch_remove"])]:
        services.institution_strike_off(actor=officer, decision=ctx.decision("he_branch_remove", day_of(),
                                        BASIS_HIGHER), institution=inst, reason=StrikeOffReason.REORGANISATION,
                                        kind=DecisionKind.HE_BRANCH_REMOVE)
    higher = [i for i in institutions if i.type.code in ("university", "college")]
    for k in range(ctx.n(t["he_register_amend"])):
        inst = higher[k % len(higher)]
        inst.refresh_from_db()
        services.institution_amend(actor=officer, decision=ctx.decision("he_register_amend", day_of(), BASIS_HIGHER),
                                   institution=inst, reason=AmendmentReason.HEAD,
                                   values={"head_name": _person(rng)}, kind=DecisionKind.HE_REGISTER_AMEND)

    # One decision revoked: a head-change amendment taken in error, revoked later in the year.
    for _ in range(ctx.n(t["revoke"])):
        inst = next(amend_targets)
        wrong = services.institution_amend(actor=officer, decision=ctx.decision("amend", day_of(), BASIS_REGISTER),
                                           institution=inst, reason=AmendmentReason.HEAD,
                                           values={"head_name": _person(rng)})
        services.decision_revoke(actor=officer, decision=ctx.decision("revoke", day_of(), BASIS_REGISTER),
                                 target=wrong)

    # The licensing decisions of 2024: figure 1 and table 8 of the annual report (ikms.registry.demo_licensing).
    main_rng, ctx.rng = ctx.rng, ctx.side_rng
    try:
        licensing = demo_licensing.generate(ctx, registered_2024=registered_2024, remaining=remaining,
                                            lapsed=lapsed_before_2024)
    finally:
        ctx.rng = main_rng

    return {
        "institutions": Institution.objects.count(),
        "registered": Institution.objects.filter(status=InstitutionStatus.REGISTERED).count(),
        "programmes_licensed": Programme.objects.filter(status="licensed").count(),
        "accreditations": accredited,
        "programmes_created": programme_count,
        **licensing,
    }


def create_scoped_accounts(*, password: str = DEMO_PASSWORD) -> dict[str, User]:
    """Founder and head accounts of `ikms.accounts.demo`, scoped to a municipality's founder and one of its
    schools."""
    users = {}
    for acc in SCOPED_ACCOUNTS:
        kind, code = acc.scope.split(":")
        founder = Founder.objects.get(kind="municipality", municipality__code=code)
        user = account_services.user_create(actor=None, username=acc.username, password=password,
                                            first_name=acc.first_name, last_name=acc.last_name,
                                            email=f"{acc.username}@example.lv")
        if kind == "founder":
            account_services.role_grant(actor=None, user=user, role=acc.role, founder=founder, note="demo")
        else:
            school = (Institution.objects.filter(founder=founder, status="registered", type__code="secondary")
                      .order_by("registration_number").first())
            account_services.role_grant(actor=None, user=user, role=acc.role, institution=school, note="demo")
        users[acc.username] = user
    return users
