"""Import of the VIIS register export (viis.lv "Izglītības iestādes", CSV) into the register of
educational institutions.

Every row becomes a registration decision through the registry services (ADR 0010): the import
is a recorded migration of register data, not a table load. The whole file is validated first;
if any row is invalid nothing is written. Rows already in the register with the same data are
skipped, so importing a file twice changes nothing. Format, rules and approximations:
docs/data/viis-register.md.
"""

import csv
import datetime
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from ikms.accounts.permissions import require_role
from ikms.core.exceptions import ApplicationError
from ikms.registry import permissions, services
from ikms.registry.choices import FounderKind
from ikms.registry.models import Decision, Founder, Institution, InstitutionType, Municipality
from ikms.registry.services import DecisionInput
from ikms.registry.signals import register_changes_batched
from ikms.registry.tasks import notifications_suppressed

DATA = Path(__file__).resolve().parent / "data"

COL_NAME = "Nosaukums"
COL_NUMBER = "Reģistrācijas numurs"
COL_STATUS = "Juridiskais status"
COL_KIND = "Veids"
COL_TYPE = "Tips"
COL_FOUNDER = "Faktiskais dibinātājs"
COL_DECLARED_FOUNDER = "Deklarētais dibinātājs"
COL_LIQUIDATED = "Likvidēta"
COL_ADDRESS = "Adrese"
COL_HEAD = "Vadītājs"  # dropped from the 2020 file in shared/, present in a raw viis.lv export
REQUIRED_COLUMNS = (COL_NAME, COL_NUMBER, COL_STATUS, COL_KIND, COL_TYPE, COL_FOUNDER, COL_LIQUIDATED, COL_ADDRESS)

NAME_MAX = 255  # Institution.name, Institution.address, Founder.name
_REG_NUMBER = re.compile(r"^\d{10}$")
_POSTAL = re.compile(r"^LV-?\s?\d{4}$", re.IGNORECASE)
_NOT_LIQUIDATED = {"", "nē", "ne", "no"}


def decision_number(registration_number: str, as_of: datetime.date) -> str:
    """The number of the registration decision that records one VIIS row, e.g. VIIS-2020/4213900381."""
    return f"VIIS-{as_of.year}/{registration_number}"


def legal_basis(as_of: datetime.date) -> str:
    return f"Izglītības iestāžu reģistrs (VIIS eksports, {as_of.year})"


# --- Report --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ViisRowIssue:
    """One finding about one row: an error (the file is not imported) or a note (how a value was read)."""

    row: int  # row of the file as a spreadsheet shows it: the header is row 1, the first institution row 2
    column: str
    value: str
    code: str
    message_lv: str
    message_en: str

    def __str__(self) -> str:
        value = self.value if len(self.value) <= 120 else self.value[:117] + "…"
        return (f"{self.row}. rinda / row {self.row} · {self.column} = “{value}”: "
                f"{self.message_lv} / {self.message_en}")


class RowIssues:
    """What the VIIS import reports share: row errors (any one writes nothing) and notes, and the head of
    their bilingual summary. The reports (dataclasses) declare `path`, `as_of`, `rows`, `errors`, `notes`."""

    path: str
    as_of: datetime.date
    rows: int
    errors: list[ViisRowIssue]
    notes: list[ViisRowIssue]

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int, column: str, value: Any, code: str, messages: tuple[str, str]) -> None:
        """Record an error; `messages` is the (Latvian, English) pair."""
        self.errors.append(ViisRowIssue(row, column, str(value or ""), code, *messages))

    def note(self, row: int, column: str, value: Any, code: str, messages: tuple[str, str]) -> None:
        """Record a note: how a value was read (a split, a postal code, an assumed municipality)."""
        self.notes.append(ViisRowIssue(row, column, str(value or ""), code, *messages))

    def summary_head(self, title: str, *, max_issues: int) -> tuple[list[str], bool]:
        """The first lines of the summary, and whether they are all of it (errors: nothing was written)."""
        lines = [f"{title}: {self.path} (stāvoklis / as of {self.as_of:%d.%m.%Y})", f"rindas / rows: {self.rows}"]
        if not self.errors:
            return lines, False
        lines.append(f"KĻŪDAS / ERRORS: {len(self.errors)} — nekas netika ierakstīts / nothing was written")
        lines += [f"  {issue}" for issue in self.errors[:max_issues]]
        if len(self.errors) > max_issues:
            lines.append(f"  … +{len(self.errors) - max_issues}")
        return lines, True


@dataclass
class ViisImportReport(RowIssues):
    """What an import did (or, with errors, why it did nothing)."""

    path: str
    as_of: datetime.date
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    skipped: int = 0  # already in the register with the same data
    founders_created: int = 0
    founders_reused: int = 0
    errors: list[ViisRowIssue] = field(default_factory=list)
    notes: list[ViisRowIssue] = field(default_factory=list)
    by_kind: Counter = field(default_factory=Counter)  # InstitutionKind.code → rows
    by_municipality: Counter = field(default_factory=Counter)  # Municipality.code → rows
    by_founder_kind: Counter = field(default_factory=Counter)  # FounderKind → rows

    def summary_lines(self, *, max_issues: int = 50) -> list[str]:
        """A bilingual plain-text summary for the management command and logs."""
        lines, failed = self.summary_head("VIIS", max_issues=max_issues)
        if failed:
            return lines
        verb = "tiktu reģistrētas / would be registered" if self.dry_run else "reģistrētas / registered"
        lines += [f"{verb}: {self.created}",
                  f"jau reģistrā, izlaistas / already in the register, skipped: {self.skipped}",
                  f"jauni dibinātāji / new founders: {self.founders_created}",
                  f"piezīmes / notes: {len(self.notes)}"]
        lines += [f"  {issue}" for issue in self.notes[:max_issues]]
        if len(self.notes) > max_issues:
            lines.append(f"  … +{len(self.notes) - max_issues}")
        return lines


class ViisImportError(ApplicationError):
    """The file was not imported; `report.errors` says which rows and why."""

    def __init__(self, report: ViisImportReport) -> None:
        super().__init__(
            ngettext("The VIIS file was not imported: %(count)d error; nothing was written.",
                     "The VIIS file was not imported: %(count)d errors; nothing was written.",
                     len(report.errors)) % {"count": len(report.errors)},
            extra={"errors": [issue.__dict__ for issue in report.errors]},
        )
        self.report = report


# --- The 2021 reform mapping ---------------------------------------------------------------------


@dataclass(frozen=True)
class FormerMunicipality:
    atvk: str
    name: str
    to: str  # ISO 3166-2:LV code of the 2021 municipality


@dataclass(frozen=True)
class ReformSplit:
    former: FormerMunicipality
    unit: str
    to: str
    match: tuple[str, ...]  # casefolded address parts naming the unit


@dataclass(frozen=True)
class ReformMapping:
    former: tuple[FormerMunicipality, ...]
    by_name: dict[str, FormerMunicipality]  # casefolded name → former municipality
    by_genitive: dict[str, FormerMunicipality]  # casefolded "aglonas novada" / "rīgas" → former
    splits: dict[str, tuple[ReformSplit, ...]]  # ATVK code → split units


def _genitive(name: str) -> str:
    """Genitive of a municipality name as founders are written: "Aglonas novads" → "Aglonas novada",
    "Rīga" → "Rīgas", "Rēzekne" → "Rēzeknes", "Daugavpils" → "Daugavpils"."""
    if name.casefold().endswith(" novads"):
        return name[: -len("novads")] + "novada"
    return name if name.endswith("s") else name + "s"


@cache
def reform_mapping() -> ReformMapping:
    """The 119 → 43 mapping of the 2021 reform (data/municipality_reform_2021.yaml)."""
    data = yaml.safe_load((DATA / "municipality_reform_2021.yaml").read_text(encoding="utf-8"))
    former = tuple(FormerMunicipality(atvk=str(row["atvk"]), name=row["name"], to=row["to"])
                   for row in data["former"])
    by_atvk = {f.atvk: f for f in former}
    splits: dict[str, list[ReformSplit]] = defaultdict(list)
    for row in data.get("splits") or []:
        source = by_atvk[str(row["from"])]
        splits[source.atvk].append(ReformSplit(former=source, unit=row["unit"], to=row["to"],
                                               match=tuple(m.casefold() for m in row["match"])))
    return ReformMapping(
        former=former,
        by_name={f.name.casefold(): f for f in former},
        by_genitive={_genitive(f.name).casefold(): f for f in former},
        splits={k: tuple(v) for k, v in splits.items()},
    )


def reform_target(former_name: str) -> str | None:
    """The 2021 municipality code a pre-2021 municipality (any case, e.g. "AGLONAS NOVADS") became
    part of as a whole, or None for an unknown name. Splits are ignored: see `municipality_for_address`."""
    row = reform_mapping().by_name.get(" ".join(former_name.split()).casefold())
    return row.to if row else None


@cache
def _current_names() -> dict[str, str]:
    """Casefolded name of each of the 43 municipalities → code (from municipalities.yaml, no query)."""
    rows = yaml.safe_load((DATA / "municipalities.yaml").read_text(encoding="utf-8"))["municipalities"]
    return {row["name_lv"].casefold(): row["code"] for row in rows}


@cache
def _current_genitives() -> dict[str, str]:
    return {_genitive(row_name).casefold(): code for row_name, code in _current_names().items()}


@dataclass(frozen=True)
class AddressMunicipality:
    """Where an address lies: the 2021 municipality, and how it was found."""

    code: str
    former: FormerMunicipality | None  # None when the address already names a 2021 municipality
    split: ReformSplit | None = None


def municipality_for_address(address: str) -> AddressMunicipality | None:
    """Read the municipality from a VIIS address ("…, KASTUĻINAS PAGASTS, AGLONAS NOVADS, LV-5685").

    The comma parts are read right to left (after the postal code); the first that names a pre-2021
    municipality (or a 2021 one) decides. For a split former novads, a part naming a split unit
    (parish or town) sends the address to that unit's new municipality. None when no part names one.
    """
    mapping = reform_mapping()
    parts = [" ".join(p.split()) for p in address.split(",")]
    parts = [p for p in parts if p]
    if parts and _POSTAL.match(parts[-1]):
        parts = parts[:-1]
    for i in range(len(parts) - 1, -1, -1):
        key = parts[i].casefold()
        former = mapping.by_name.get(key)
        if former is not None:
            before = {p.casefold() for p in parts[:i]}
            for split in mapping.splits.get(former.atvk, ()):
                if before.intersection(split.match):
                    return AddressMunicipality(code=split.to, former=former, split=split)
            return AddressMunicipality(code=former.to, former=former)
        code = _current_names().get(key)
        if code is not None:
            return AddressMunicipality(code=code, former=None)
    return None


def postal_code(address: str) -> str | None:
    """The postal code (LV-dddd) at the end of an address, normalised, or None."""
    last = address.rsplit(",", 1)[-1].strip()
    if not _POSTAL.match(last):
        return None
    return "LV-" + re.sub(r"\D", "", last)


# --- Founder classification ----------------------------------------------------------------------

_MUNICIPAL = re.compile(
    r"^(?P<g>.+?)(?: (?P<unit>novada|pilsētas|republikas pilsētas|valstspilsētas))? (?:pašvaldība|dome)$")
#: Legal statuses (VIIS "Juridiskais status") of an institution of a municipality.
MUNICIPAL_STATUSES = frozenset({"pastarpinātās pārvaldes iestāde", "pašvaldība", "pašvaldības iestāde"})
#: Legal statuses of an institution of the state (its direct or indirect administration, a derived
#: public person, a state agency or company). "Pastarpinātās pārvaldes iestāde" counts as the state's
#: when its founder is not a municipality (state universities, ministries).
STATE_STATUSES = frozenset({
    "valsts", "valsts iestāde", "valsts tiešās pārvaldes iestāde", "valsts iestādes struktūrvienība",
    "valsts kapitālsabiedrība", "atvasināta publiskā persona", "publiskā aģentūra",
    "latvijas universitātes aģentūra", "latvijas augstskolas filiāle", "pastarpinātās pārvaldes iestāde",
})
#: Founders that are the state under another name: state-founded higher education institutions
#: (Augstskolu likums) and the Cabinet. Matched on the whole founder name, case-insensitively.
STATE_BODIES = frozenset(name.casefold() for name in (
    "Latvijas Republikas Ministru kabinets", "Ministru kabinets", "Latvijas Republika", "Saeima",
    "Valsts kanceleja", "Latvijas Universitāte", "Rīgas Tehniskā universitāte",
    "Latvijas Lauksaimniecības universitāte", "Latvijas Biozinātņu un tehnoloģiju universitāte",
    "Daugavpils Universitāte", "Liepājas Universitāte", "Rīgas Stradiņa universitāte",
    "Rēzeknes Tehnoloģiju akadēmija", "Vidzemes Augstskola", "Ventspils Augstskola",
    "Latvijas Sporta pedagoģijas akadēmija", "Latvijas Kultūras akadēmija", "Latvijas Mākslas akadēmija",
    "Jāzepa Vītola Latvijas Mūzikas akadēmija", "Latvijas Jūras akadēmija", "Banku augstskola",
    "Latvijas Nacionālā aizsardzības akadēmija",
))
#: Words that make a name an organisation's, never a person's (casefolded substrings / whole words).
_ORGANISATION = re.compile(
    r"skol|universit|akadēm|koledž|instit|centr|biedr|asociāc|fond|draudz|baznīc|diecēz|diacēz|klub|"
    r"savienīb|federāc|kopien|ministr|pašvald|aģentūr|sabiedr|kamer|limited|kabinet|agency|studij|"
    r"firma|company|kompānij|apvienīb|pārvald|birojs|valsts|\b(?:dome|ltd|uab|sia|as|ik|iu|i\.u\.|"
    r"fonds|grupa|serviss)\b")
#: An individual merchant (Komerclikums Art. 1: a natural person entered in the commercial register).
_INDIVIDUAL_MERCHANT = re.compile(r"\b(?:ik|i\.\s?u\.|individuālais (?:komersants|uzņēmums))(?:\W|$)")
#: A private legal person's form in a founder name (a company, association or foundation).
_COMPANY_FORM = re.compile(r"\b(?:sia|as|a/s|biedrība|nodibinājums|fonds|sabiedrība ar ierobežotu atbildību|"
                           r"akciju sabiedrība|limited|ltd|uab)\b")
_QUOTES = "\"“”„«»'"


def _split_outside_quotes(text: str) -> list[str]:
    """Split a founder list on commas that are not inside quotes."""
    parts, current, quoted = [], [], False
    for ch in text:
        if ch in _QUOTES:
            quoted = not quoted
        if ch == "," and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [" ".join(p.split()) for p in parts if p.strip()]


def _municipal_code(part: str) -> str | None:
    """The 2021 municipality a municipal founder ("Aglonas novada dome", "Rīgas Dome") is, or None."""
    m = _MUNICIPAL.match(part.casefold())
    if not m:
        return None
    genitive, unit = m["g"], m["unit"]
    if unit == "novada":
        key = genitive + " novads"
        former = reform_mapping().by_name.get(key)
        return former.to if former else _current_names().get(key, "?")
    former = reform_mapping().by_genitive.get(genitive)
    if former is not None and not former.name.casefold().endswith(" novads"):
        return former.to
    code = _current_genitives().get(genitive)
    if code is not None and not code[3:].isdigit():  # a state city
        return code
    return "?" if unit else None  # "X pilsētas dome" of an unknown city is still a municipality


def _is_person(part: str) -> bool:
    """A natural person's name: 1–4 capitalised words (or "A.Bērziņa"), no quotes, digits or legal form."""
    text = re.sub(r"\s*-\s*", "-", part).strip()
    if not text or any(ch in text for ch in _QUOTES + "()!?&/:;") or any(ch.isdigit() for ch in text):
        return False
    if _ORGANISATION.search(text.casefold()):
        return False
    text = re.sub(r"^(\w)\.\s?", r"\1. ", text)  # "A.Binduka" → "A. Binduka"
    tokens = text.split()
    if not 1 <= len(tokens) <= 4:
        return False
    for token in tokens:
        if re.fullmatch(r"\w\.", token) and token[0].isupper():
            continue
        for seg in token.split("-"):
            if not (seg.isalpha() and seg[0].isupper() and (len(seg) == 1 or seg[1:].islower())):
                return False
    return True


@dataclass(frozen=True)
class FounderClass:
    kind: str
    municipality_codes: tuple[str, ...] = ()  # for a municipal founder: the 2021 municipality of each named


def classify_founder(name: str, legal_status: str = "") -> FounderClass:
    """Founder kind from the founder's name (VIIS "Faktiskais dibinātājs") and the institution's legal
    status ("Juridiskais status"). Rules in order (docs/data/viis-register.md):

    1. municipality — every listed founder is a municipality ("… novada pašvaldība/dome", "… pilsētas
       dome", "Rīgas Dome"), or at least one is and the institution is a municipal one;
    2. state — the state, a ministry, the Cabinet, a state university, or a state legal status with
       no private legal form in the name;
    3. private natural person — every listed founder is a person's name, or an individual merchant;
    4. private legal person — everything else (companies, associations, foundations, churches, …).
    """
    status = " ".join(legal_status.split()).casefold()
    parts = _split_outside_quotes(name) or [name]
    codes = [_municipal_code(p) for p in parts]
    municipal = [c for c in codes if c is not None]
    if municipal and (len(municipal) == len(parts) or status in MUNICIPAL_STATUSES):
        return FounderClass(FounderKind.MUNICIPALITY, tuple(municipal))
    folded = name.casefold()
    company = bool(_COMPANY_FORM.search(folded)) and not folded.startswith("valsts ")
    merchant = bool(_INDIVIDUAL_MERCHANT.search(folded))

    def _state_part(p: str) -> bool:
        q = p.casefold()
        return q == "valsts" or q.startswith("valsts ") or q.endswith("ministrija") or q in STATE_BODIES

    if all(_state_part(p) for p in parts) or (status in STATE_STATUSES and not (company or merchant)):
        return FounderClass(FounderKind.STATE)
    persons = [_is_person(p) for p in parts]
    if all(persons) and (len(parts) > 1 or len(re.sub(r"\.\s?", ". ", parts[0]).split()) > 1):
        return FounderClass(FounderKind.PRIVATE_NATURAL)
    if merchant and not company:
        return FounderClass(FounderKind.PRIVATE_NATURAL)
    return FounderClass(FounderKind.PRIVATE_LEGAL)


def fit_founder_name(name: str, limit: int = NAME_MAX) -> str:
    """The founder name as stored: as written, or — for a list longer than the field — the listed
    founders without repeats, then as many as fit followed by "u. c. (kopā N)" ("and others, N in all")."""
    if len(name) <= limit:
        return name
    parts: list[str] = []
    for p in _split_outside_quotes(name):
        if p.casefold() not in {q.casefold() for q in parts}:
            parts.append(p)
    joined = ", ".join(parts)
    if len(joined) <= limit:
        return joined
    suffix = f" u. c. (kopā {len(parts)})"
    kept: list[str] = []
    for p in parts:
        if len(", ".join([*kept, p])) + len(suffix) > limit:
            break
        kept.append(p)
    return ", ".join(kept) + suffix if kept else name[: limit - len(suffix)] + suffix


# --- Reading and validating ----------------------------------------------------------------------


@dataclass
class _Row:
    row: int
    registration_number: str
    name: str
    status: str
    kind: str
    type_name: str
    founder_raw: str
    declared_founder: str
    liquidated: str
    address: str
    head_name: str
    # resolved
    type: InstitutionType | None = None
    municipality_code: str | None = None
    founder_name: str = ""
    founder_class: FounderClass | None = None
    founder_municipality_code: str | None = None
    existing: Institution | None = None


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())


def _read(path: Path, report: ViisImportReport) -> list[_Row]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = [_clean(h) for h in (reader.fieldnames or [])]
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        for column in missing:
            report.error(1, column, "", "missing_column", ("Failā nav šīs kolonnas.",
                                                           "The file has no such column."))
        if missing:
            return []
        reader.fieldnames = header
        rows = []
        for index, raw in enumerate(reader, start=2):
            if not any((v or "").strip() for k, v in raw.items() if k is not None):
                continue  # a blank line
            rows.append(_Row(
                row=index, registration_number=_clean(raw.get(COL_NUMBER)), name=_clean(raw.get(COL_NAME)),
                status=_clean(raw.get(COL_STATUS)), kind=_clean(raw.get(COL_KIND)), type_name=_clean(raw.get(COL_TYPE)),
                founder_raw=_clean(raw.get(COL_FOUNDER)).rstrip(", "),
                declared_founder=_clean(raw.get(COL_DECLARED_FOUNDER)).rstrip(", "),
                liquidated=_clean(raw.get(COL_LIQUIDATED)), address=_clean(raw.get(COL_ADDRESS)),
                head_name=_clean(raw.get(COL_HEAD)),
            ))
    return rows


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class _Classifiers:
    """Kinds, types, municipalities and founders, each read once (no per-row queries)."""

    def __init__(self) -> None:
        self.types: dict[tuple[str, str], InstitutionType] = {}
        self.kinds: dict[str, str] = {}  # casefolded kind name → kind name as in the register
        for t in InstitutionType.objects.select_related("kind"):
            self.types[(t.kind.name_lv.casefold(), t.name_lv.casefold())] = t
            self.kinds[t.kind.name_lv.casefold()] = t.kind.name_lv
        self.type_kind: dict[str, list[str]] = defaultdict(list)
        for (_kind, type_name), t in self.types.items():
            self.type_kind[type_name].append(t.kind.name_lv)
        self.municipalities: dict[str, Municipality] = {m.code: m for m in Municipality.objects.all()}
        self.founders: dict[str, list[Founder]] = defaultdict(list)
        for f in Founder.objects.all():
            self.founders[f.name.casefold()].append(f)

    def founder(self, name: str, kind: str) -> Founder | None:
        found = self.founders.get(name.casefold(), [])
        return next((f for f in found if f.kind == kind), found[0] if found else None)


def _validate(rows: list[_Row], report: ViisImportReport, cls: _Classifiers, as_of: datetime.date) -> None:
    """Check every row and resolve its type, municipality and founder; record errors and notes."""
    err = report.error
    seen: dict[str, int] = {}
    postal_codes: dict[str, Counter] = defaultdict(Counter)
    unresolved: list[_Row] = []
    for r in rows:
        if not r.name:
            err(r.row, COL_NAME, r.name, "empty", ("Nosaukums nav norādīts.", "The name is empty."))
        elif len(r.name) > NAME_MAX:
            err(r.row, COL_NAME, r.name, "too_long", (f"Nosaukums ir garāks par {NAME_MAX} zīmēm.",
                                                      f"The name is longer than {NAME_MAX} characters."))
        if not _REG_NUMBER.match(r.registration_number):
            err(r.row, COL_NUMBER, r.registration_number, "registration_number",
                ("Reģistrācijas numuram jābūt tieši 10 cipariem.",
                 "The registration number must be exactly 10 digits."))
        elif r.registration_number in seen:
            first = seen[r.registration_number]
            err(r.row, COL_NUMBER, r.registration_number, "duplicate_in_file",
                (f"Reģistrācijas numurs failā atkārtojas (pirmoreiz {first}. rindā).",
                 f"The registration number repeats in the file (first in row {first})."))
        else:
            seen[r.registration_number] = r.row
        if r.liquidated.casefold() not in _NOT_LIQUIDATED:
            err(r.row, COL_LIQUIDATED, r.liquidated, "liquidated",
                ("Likvidētu iestādi imports neieraksta (eksportējiet ar filtru „Likvidēta = Nē”).",
                 "A liquidated institution is not imported (export with the filter “Likvidēta = Nē”)."))
        kind = cls.kinds.get(r.kind.casefold())
        if kind is None:
            err(r.row, COL_KIND, r.kind, "unknown_kind", ("Nezināms iestādes veids.", "Unknown institution kind."))
        else:
            r.type = cls.types.get((r.kind.casefold(), r.type_name.casefold()))
            if r.type is None and r.type_name.casefold() in cls.type_kind:
                kinds = ", ".join(cls.type_kind[r.type_name.casefold()])
                err(r.row, COL_TYPE, r.type_name, "type_kind_mismatch",
                    (f"Šis tips nav veidam „{kind}” (tas ir veidam „{kinds}”).",
                     f"This type does not belong to the kind “{kind}” (it belongs to “{kinds}”)."))
            elif r.type is None:
                err(r.row, COL_TYPE, r.type_name, "unknown_type", ("Nezināms iestādes tips.",
                                                                   "Unknown institution type."))
        if not r.address:
            err(r.row, COL_ADDRESS, r.address, "empty", ("Adrese nav norādīta.", "The address is empty."))
        elif len(r.address) > NAME_MAX:
            err(r.row, COL_ADDRESS, r.address, "too_long", (f"Adrese ir garāka par {NAME_MAX} zīmēm.",
                                                            f"The address is longer than {NAME_MAX} characters."))
        else:
            where = municipality_for_address(r.address)
            if where is None:
                unresolved.append(r)
            else:
                r.municipality_code = where.code
                code = postal_code(r.address)
                if code:
                    postal_codes[code][where.code] += 1
                if where.split is not None:
                    report.note(r.row, COL_ADDRESS, r.address, "split",
                                (f"{where.former.name} sadalīts: {where.split.unit} → {where.code}.",
                                 f"{where.former.name} was split: {where.split.unit} → {where.code}."))
        if not r.founder_raw:
            err(r.row, COL_FOUNDER, r.founder_raw, "empty", ("Dibinātājs nav norādīts.", "The founder is empty."))

    # An address without a municipality part: the municipality its postal code has everywhere else.
    for r in unresolved:
        code = postal_code(r.address)
        candidates = postal_codes.get(code or "", Counter())
        if len(candidates) == 1:
            r.municipality_code = next(iter(candidates))
            report.note(r.row, COL_ADDRESS, r.address, "postal_code",
                        (f"Adresē nav pašvaldības; noteikta pēc pasta indeksa {code} → {r.municipality_code}.",
                         f"No municipality in the address; taken from postal code {code} → {r.municipality_code}."))
        else:
            err(r.row, COL_ADDRESS, r.address, "municipality",
                ("No adreses nevar noteikt pašvaldību (nav ne novada vai pilsētas, ne viennozīmīga pasta indeksa).",
                 "The municipality cannot be determined from the address (no novads or city, and no "
                 "unambiguous postal code)."))
    for r in rows:
        if r.municipality_code is not None and r.municipality_code not in cls.municipalities:
            err(r.row, COL_ADDRESS, r.address, "municipality_missing",
                (f"Pašvaldība {r.municipality_code} nav klasifikatorā.",
                 f"Municipality {r.municipality_code} is not in the classifier."))
            r.municipality_code = None
        if r.founder_raw:
            _resolve_founder(r, report)

    if as_of > timezone.localdate():
        err(0, "as_of", as_of.isoformat(), "future_date", ("Lēmuma datums nevar būt nākotnē.",
                                                           "The decision date cannot be in the future."))
    _check_register(rows, report, cls, as_of)


def _resolve_founder(r: _Row, report: ViisImportReport) -> None:
    r.founder_name = fit_founder_name(r.founder_raw)
    if r.founder_name != r.founder_raw:
        report.note(r.row, COL_FOUNDER, r.founder_raw, "founder_shortened",
                    (f"Dibinātāju saraksts saīsināts līdz {NAME_MAX} zīmēm: „{r.founder_name}”.",
                     f"The list of founders was shortened to {NAME_MAX} characters: “{r.founder_name}”."))
    r.founder_class = classify_founder(r.founder_raw, r.status)
    if r.founder_class.kind != FounderKind.MUNICIPALITY:
        return
    codes = [c for c in r.founder_class.municipality_codes if c != "?"]
    if r.municipality_code in codes or not codes:
        r.founder_municipality_code = r.municipality_code
    else:
        r.founder_municipality_code = Counter(codes).most_common(1)[0][0]
    if "?" in r.founder_class.municipality_codes:
        report.note(r.row, COL_FOUNDER, r.founder_raw, "founder_municipality_unknown",
                    ("Dibinātājs ir pašvaldība, kuras nosaukumu neatpazīst; pieņemta iestādes pašvaldība.",
                     "The founder is a municipality whose name is not recognised; the institution's is used."))


def _same_entry(existing: Institution, r: _Row) -> list[str]:
    """The fields in which the register entry differs from the row (empty: the same data)."""
    diffs = []
    if existing.name != r.name:
        diffs.append(COL_NAME)
    if r.type is not None and existing.type_id != r.type.pk:
        diffs.append(COL_TYPE)
    if existing.address != r.address:
        diffs.append(COL_ADDRESS)
    if r.municipality_code and existing.municipality.code != r.municipality_code:
        diffs.append(f"{COL_ADDRESS} (pašvaldība / municipality)")
    if r.founder_name and existing.founder.name.casefold() != r.founder_name.casefold():
        diffs.append(COL_FOUNDER)
    return diffs


def _check_register(rows: list[_Row], report: ViisImportReport, cls: _Classifiers, as_of: datetime.date) -> None:
    numbers = [r.registration_number for r in rows if _REG_NUMBER.match(r.registration_number)]
    existing: dict[str, Institution] = {}
    decided: set[str] = set()
    for chunk in _chunks(numbers):
        existing.update((i.registration_number, i) for i in Institution.objects.filter(
            registration_number__in=chunk).select_related("founder", "municipality"))
        decided.update(Decision.objects.filter(
            number__in=[decision_number(n, as_of) for n in chunk]).values_list("number", flat=True))
    for r in rows:
        entry = existing.get(r.registration_number)
        if entry is not None:
            diffs = _same_entry(entry, r)
            if diffs:
                fields = ", ".join(diffs)
                report.error(r.row, COL_NUMBER, r.registration_number, "exists_different",
                             (f"Iestāde ar šo numuru jau ir reģistrā ar citiem datiem ({fields}); "
                              "izmaiņas reģistrē ar grozījumu lēmumu.",
                              f"An institution with this number is already in the register with different "
                              f"data ({fields}); record changes with an amendment decision."))
            r.existing = entry
        elif decision_number(r.registration_number, as_of) in decided:
            number = decision_number(r.registration_number, as_of)
            report.error(r.row, COL_NUMBER, r.registration_number, "decision_exists",
                         (f"Lēmums {number} jau ir reģistrā citai iestādei.",
                          f"Decision {number} is already recorded for another institution."))


# --- The import ----------------------------------------------------------------------------------


def import_viis_register(path: Path, *, actor, as_of: datetime.date = datetime.date(2020, 12, 31),
                         dry_run: bool = False) -> ViisImportReport:
    """Register every institution of a VIIS export, each by a recorded decision dated `as_of`.

    All rows are validated before anything is written; with any error nothing is written and
    ViisImportError (carrying the report) is raised. Rows already in the register with the same
    data are skipped. `dry_run` validates and counts without writing.
    """
    require_role(actor, *permissions.REGISTER_DECIDERS)
    path = Path(path)
    report = ViisImportReport(path=str(path), as_of=as_of, dry_run=dry_run)
    rows = _read(path, report)
    report.rows = len(rows)
    if report.errors:
        raise ViisImportError(report)
    cls = _Classifiers()
    _validate(rows, report, cls, as_of)
    report.errors.sort(key=lambda issue: issue.row)
    report.notes.sort(key=lambda issue: issue.row)
    if report.errors:
        raise ViisImportError(report)

    new_founders: set[str] = set()
    for r in rows:
        if r.existing is not None:
            report.skipped += 1
            continue
        report.created += 1
        report.by_kind[r.type.kind.code] += 1
        report.by_municipality[r.municipality_code] += 1
        report.by_founder_kind[r.founder_class.kind] += 1
        key = r.founder_name.casefold()
        if cls.founder(r.founder_name, r.founder_class.kind) is None and key not in new_founders:
            new_founders.add(key)
    report.founders_created = len(new_founders)
    if dry_run:
        return report

    with transaction.atomic(), notifications_suppressed(), register_changes_batched():  # a data migration: no e-mail
        for r in rows:
            if r.existing is not None:
                continue
            try:
                _register(r, actor=actor, as_of=as_of, cls=cls, report=report)
            except (ValidationError, ApplicationError) as exc:
                messages = "; ".join(exc.messages) if isinstance(exc, ValidationError) else exc.message
                report.error(r.row, COL_NUMBER, r.registration_number, "service",
                             (f"Reģistrs lēmumu nepieņēma: {messages}",
                              f"The register refused the decision: {messages}"))
                raise ViisImportError(report) from exc
    return report


def _register(r: _Row, *, actor, as_of: datetime.date, cls: _Classifiers, report: ViisImportReport) -> None:
    founder = cls.founder(r.founder_name, r.founder_class.kind)
    if founder is None:
        municipality = (cls.municipalities[r.founder_municipality_code]
                        if r.founder_class.kind == FounderKind.MUNICIPALITY else None)
        founder = services.founder_create(actor=actor, kind=r.founder_class.kind, name=r.founder_name,
                                          municipality=municipality)
        cls.founders[founder.name.casefold()].append(founder)
    else:
        report.founders_reused += 1
    justification = f"VIIS eksports, {r.row}. rinda; juridiskais statuss: {r.status or '—'}"
    if r.declared_founder and r.declared_founder != r.founder_raw:
        justification += f"; deklarētais dibinātājs: {r.declared_founder}"
    services.institution_register(
        actor=actor,
        decision=DecisionInput(number=decision_number(r.registration_number, as_of), date=as_of,
                               legal_basis=legal_basis(as_of), justification=justification[:2000]),
        registration_number=r.registration_number, name=r.name, type=r.type, founder=founder,
        municipality=cls.municipalities[r.municipality_code], address=r.address, head_name=r.head_name[:160],
    )
