"""Import of a VIIS export of licensed programmes (CSV or XLSX) into the register of licensed programmes.

Every licence becomes a licence-issue decision through the registry services (ADR 0010), and a
lapsed or annulled one also gets the lapse or annulment decision, so the register shows its status.
The whole file is validated first; if any row is invalid nothing is written. Licences already in the
register with the same data are skipped, so importing a file twice changes nothing. Format and rules:
docs/data/viis-programmes.md.
"""

import codecs
import csv
import datetime
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import ngettext

from ikms.accounts.permissions import require_role
from ikms.core.exceptions import ApplicationError
from ikms.registry import permissions, services
from ikms.registry.choices import DecisionKind, InstitutionStatus, LicenceStatus, ProgrammeForm
from ikms.registry.models import Decision, Institution, Municipality, Programme
from ikms.registry.services import DecisionInput, PlaceInput
from ikms.registry.signals import register_changes_batched
from ikms.registry.tasks import notifications_suppressed
from ikms.registry.validators import validate_programme_code
from ikms.registry.viis import RowIssues, ViisRowIssue, municipality_for_address

COL_INSTITUTION = "Iestādes reģistrācijas numurs"
COL_CODE = "Programmas kods"
COL_NAME = "Programmas nosaukums"
COL_LICENCE = "Licences numurs"
COL_DATE = "Licences datums"
COL_STATUS = "Licences statuss"
COL_PLACE = "Īstenošanas vieta"  # optional: the institution's own address when empty or absent
COL_FORM = "Īstenošanas forma"  # optional: klātiene when empty or absent
COL_INSTITUTION_NAME = "Iestādes nosaukums"  # optional, for people reading the file; not used
REQUIRED_COLUMNS = (COL_INSTITUTION, COL_CODE, COL_NAME, COL_LICENCE, COL_DATE, COL_STATUS)
OPTIONAL_COLUMNS = (COL_PLACE, COL_FORM, COL_INSTITUTION_NAME)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

NAME_MAX = 255  # Programme.name, ImplementationPlace.address
LICENCE_MAX = 20  # Programme.licence_number
CODE_LENGTH = 8
_REG_NUMBER = re.compile(r"^\d{10}$")
_DATE_LV = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\.?$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")

#: VIIS status words (casefolded) → licence status. The register's own Latvian labels and the codes
#: are accepted too.
STATUS_WORDS: dict[str, str] = {
    "licencēta": LicenceStatus.LICENSED, "licencēts": LicenceStatus.LICENSED, "derīga": LicenceStatus.LICENSED,
    "aktīva": LicenceStatus.LICENSED, "spēkā": LicenceStatus.LICENSED, "licensed": LicenceStatus.LICENSED,
    "zaudējusi spēku": LicenceStatus.LAPSED, "spēku zaudējusi": LicenceStatus.LAPSED,
    "beigusies": LicenceStatus.LAPSED, "lapsed": LicenceStatus.LAPSED,
    "anulēta": LicenceStatus.ANNULLED, "anulēts": LicenceStatus.ANNULLED, "annulled": LicenceStatus.ANNULLED,
}
#: VIIS form words (casefolded) → programme form; an empty cell is klātiene.
FORM_WORDS: dict[str, str] = {
    "klātiene": ProgrammeForm.FULL_TIME, "klātienes": ProgrammeForm.FULL_TIME, "full_time": ProgrammeForm.FULL_TIME,
    "neklātiene": ProgrammeForm.EXTRAMURAL, "neklātienes": ProgrammeForm.EXTRAMURAL,
    "extramural": ProgrammeForm.EXTRAMURAL,
    "tālmācība": ProgrammeForm.DISTANCE, "tālmācības": ProgrammeForm.DISTANCE, "distance": ProgrammeForm.DISTANCE,
}
_CHANGE_KIND = {LicenceStatus.LAPSED: DecisionKind.LICENCE_LAPSE, LicenceStatus.ANNULLED: DecisionKind.LICENCE_ANNUL}
_CHANGE_SUFFIX = {LicenceStatus.LAPSED: "lapse", LicenceStatus.ANNULLED: "annul"}


def decision_number(licence_number: str, as_of: datetime.date, status: str = LicenceStatus.LICENSED) -> str:
    """The number of the decision that records one licence of a VIIS export: VIIS-P-2024/V-1234 for the
    licence, VIIS-P-2024/V-1234/lapse (or /annul) for its lapse or annulment."""
    number = f"VIIS-P-{as_of.year}/{licence_number}"
    return f"{number}/{_CHANGE_SUFFIX[status]}" if status in _CHANGE_SUFFIX else number


def legal_basis(as_of: datetime.date) -> str:
    return f"Licencēto izglītības programmu reģistrs (VIIS eksports, {as_of.year})"


# --- Report --------------------------------------------------------------------------------------


@dataclass
class ViisProgrammeImportReport(RowIssues):
    """What an import did (or, with errors, why it did nothing)."""

    path: str
    as_of: datetime.date
    dry_run: bool = False
    rows: int = 0
    licences: int = 0  # distinct licence numbers in the file
    created: int = 0  # licences recorded (each with a licence-issue decision)
    status_changed: int = 0  # licences in the register whose lapse or annulment was recorded
    skipped: int = 0  # already in the register with the same data
    places: int = 0  # places of implementation of the created licences
    errors: list[ViisRowIssue] = field(default_factory=list)
    notes: list[ViisRowIssue] = field(default_factory=list)
    by_status: Counter = field(default_factory=Counter)  # LicenceStatus → created licences

    def summary_lines(self, *, max_issues: int = 50) -> list[str]:
        """A bilingual plain-text summary for the management command and logs."""
        lines, failed = self.summary_head("VIIS programmas / programmes", max_issues=max_issues)
        if failed:
            return lines
        would = self.dry_run
        lines += [f"licences / licences: {self.licences}",
                  f"{'tiktu ierakstītas / would be recorded' if would else 'ierakstītas / recorded'}: {self.created}"
                  + "".join(f"; {' / '.join(_both(LicenceStatus(status).label))}: {n}"
                            for status, n in sorted(self.by_status.items())),
                  f"{'statuss tiktu mainīts / status would change' if would else 'statuss mainīts / status changed'}: "
                  f"{self.status_changed}",
                  f"jau reģistrā, izlaistas / already in the register, skipped: {self.skipped}",
                  f"īstenošanas vietas / places of implementation: {self.places}",
                  f"piezīmes / notes: {len(self.notes)}"]
        lines += [f"  {issue}" for issue in self.notes[:max_issues]]
        if len(self.notes) > max_issues:
            lines.append(f"  … +{len(self.notes) - max_issues}")
        return lines


class ViisProgrammeImportError(ApplicationError):
    """The file was not imported; `report.errors` says which rows and why."""

    def __init__(self, report: ViisProgrammeImportReport) -> None:
        super().__init__(
            ngettext("The VIIS programme file was not imported: %(count)d error; nothing was written.",
                     "The VIIS programme file was not imported: %(count)d errors; nothing was written.",
                     len(report.errors)) % {"count": len(report.errors)},
            extra={"errors": [issue.__dict__ for issue in report.errors]},
        )
        self.report = report


# --- Reading -------------------------------------------------------------------------------------


@dataclass
class _Row:
    row: int  # as a spreadsheet shows it: the header is row 1
    institution_number: str
    code: str
    name: str
    licence_number: str
    date_raw: str
    status_raw: str
    place: str
    form_raw: str
    date: datetime.date | None = None  # from an Excel date cell, or parsed
    # resolved
    status: str | None = None
    form: str | None = None
    institution: Institution | None = None
    place_municipality: Municipality | None = None


@dataclass
class _Licence:
    """The rows of one licence number: the first holds the programme, each adds a place."""

    first: _Row
    rows: list[_Row]
    existing: Programme | None = None
    action: str = "create"  # create | change | skip
    conflict: bool = False  # a row under this number disagrees with the first: not compared with the register


def _clean(value: Any) -> str:
    return " ".join(str(value if value is not None else "").split())


def _header_key(name: str) -> str:
    return _clean(name).lstrip("\ufeff").strip().casefold()


_KNOWN = {_header_key(c): c for c in COLUMNS}


def cells_csv(path: Path, report: ViisProgrammeImportReport) -> list[list[Any]] | None:
    """The cells of a UTF-8 CSV file (also the offer-list import's reader); None, with the reason on the report,
    when it cannot be read."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = 1 + path.read_bytes()[: exc.start].count(b"\n")
        report.error(line, "—", "", "encoding", ("Fails nav UTF-8 kodējumā.", "The file is not UTF-8 encoded."))
        return None
    if text.startswith(codecs.BOM_UTF8.decode("utf-8")):
        text = text[1:]
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _cell_xlsx(value: Any, column: str | None) -> Any:
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and column == COL_CODE:
        return str(value).zfill(CODE_LENGTH)  # a code typed into a number cell lost its leading zero
    return value


def cells_xlsx(path: Path, report: ViisProgrammeImportReport) -> list[list[Any]] | None:
    """The cells of the first sheet of an XLSX file; None, with the reason on the report, when it cannot be read."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        report.error(0, "—", path.name, "unreadable_xlsx", ("Failu nevar nolasīt kā Excel darbgrāmatu (.xlsx).",
                                                            "The file cannot be read as an Excel workbook (.xlsx)."))
        return None
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True)
        header = list(next(rows, None) or [])
        columns = [_KNOWN.get(_header_key(h)) if isinstance(h, str) else None for h in header]
        out: list[list[Any]] = [header]
        for values in rows:
            out.append([_cell_xlsx(v, columns[i] if i < len(columns) else None) for i, v in enumerate(values)])
        return out
    finally:
        wb.close()


def _read(path: Path, report: ViisProgrammeImportReport) -> list[_Row] | None:
    """The rows of a CSV or XLSX file, or None when the file as a whole cannot be read (its format,
    encoding or columns); the problems go to the report."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        report.error(0, "—", path.name, "unsupported_format",
                     (f"Neatbalstīts faila formāts „{suffix or '—'}”; izmantojiet CSV (.csv) vai Excel (.xlsx).",
                      f"Unsupported file format “{suffix or '—'}”; use a CSV (.csv) or Excel (.xlsx) file."))
        return None
    if not path.is_file():
        report.error(0, "—", str(path), "no_file", ("Fails nav atrasts.", "The file does not exist."))
        return None
    cells = cells_csv(path, report) if suffix == ".csv" else cells_xlsx(path, report)
    if cells is None:
        return None
    header_cells = cells[0] if cells else []
    while header_cells and _clean(header_cells[-1]) == "":
        header_cells = header_cells[:-1]
    if not header_cells:
        report.error(1, "—", "", "empty_file", ("Failā nav galvenes rindas.", "The file has no header row."))
        return None
    header: list[str | None] = []
    unexpected: list[str] = []
    for raw in header_cells:
        column = _KNOWN.get(_header_key(raw))
        if column is None:
            unexpected.append(_clean(raw) or "(tukša / empty)")
        elif column in header:
            report.error(1, column, column, "duplicate_column", ("Kolonna failā atkārtojas.",
                                                                 "The column appears twice in the file."))
        header.append(column)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing or unexpected:
        expected = ", ".join(REQUIRED_COLUMNS) + " [" + ", ".join(OPTIONAL_COLUMNS) + "]"
        lv = (f"Kolonnas neatbilst formātam. Trūkst: {', '.join(missing) or '—'}. "
              f"Neparedzētas: {', '.join(unexpected) or '—'}. Gaidītās: {expected}.")
        en = (f"The columns do not match the format. Missing: {', '.join(missing) or '—'}. "
              f"Unexpected: {', '.join(unexpected) or '—'}. Expected: {expected}.")
        value = "; ".join(filter(None, [f"- {', '.join(missing)}" if missing else "",
                                        f"+ {', '.join(unexpected)}" if unexpected else ""]))
        report.error(1, "—", value, "columns", (lv, en))
    if report.errors:
        return None
    width = len(header)
    rows: list[_Row] = []
    for index, values in enumerate(cells[1:], start=2):
        if not any(_clean(v) for v in values):
            continue  # a blank line
        if any(_clean(v) for v in values[width:]):
            report.error(index, "—", "", "extra_cells", ("Rindā ir vairāk vērtību nekā kolonnu galvenē.",
                                                         "The row has more values than the header has columns."))
            continue
        raw = {column: values[i] if i < len(values) else None for i, column in enumerate(header)}
        date = raw.get(COL_DATE)
        rows.append(_Row(
            row=index, institution_number=_clean(raw.get(COL_INSTITUTION)), code=_clean(raw.get(COL_CODE)),
            name=_clean(raw.get(COL_NAME)), licence_number=_clean(raw.get(COL_LICENCE)),
            date_raw=date.isoformat() if isinstance(date, datetime.date) else _clean(date),
            date=date if isinstance(date, datetime.date) else None,
            status_raw=_clean(raw.get(COL_STATUS)), place=_clean(raw.get(COL_PLACE)),
            form_raw=_clean(raw.get(COL_FORM)),
        ))
    return rows


def parse_date(value: str) -> datetime.date | None:
    """A VIIS date: dd.mm.yyyy (a trailing dot allowed) or yyyy-mm-dd; None if it is not a date."""
    try:
        if m := _DATE_LV.match(value):
            return datetime.date(int(m[3]), int(m[2]), int(m[1]))
        if m := _DATE_ISO.match(value):
            return datetime.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    return None


# --- Validating ----------------------------------------------------------------------------------


def _both(message: Any, params: dict | None = None) -> tuple[str, str]:
    """A translatable message (with its %-parameters) in Latvian and in English."""
    out = []
    for language in ("lv", "en"):
        with translation.override(language):
            out.append(str(message) % params if params else str(message))
    return out[0], out[1]


def _check_rows(rows: list[_Row], report: ViisProgrammeImportReport, as_of: datetime.date) -> None:
    """Checks of each row on its own (format, known words, dates)."""
    err = report.error
    today = timezone.localdate()
    for r in rows:
        if not _REG_NUMBER.match(r.institution_number):
            err(r.row, COL_INSTITUTION, r.institution_number, "registration_number",
                ("Reģistrācijas numuram jābūt tieši 10 cipariem.",
                 "The registration number must be exactly 10 digits."))
        try:
            validate_programme_code(r.code)
        except ValidationError as exc:
            err(r.row, COL_CODE, r.code, "programme_code", _code_messages(exc))
        if not r.name:
            err(r.row, COL_NAME, r.name, "empty", ("Programmas nosaukums nav norādīts.",
                                                   "The programme name is empty."))
        elif len(r.name) > NAME_MAX:
            err(r.row, COL_NAME, r.name, "too_long", (f"Nosaukums ir garāks par {NAME_MAX} zīmēm.",
                                                      f"The name is longer than {NAME_MAX} characters."))
        if not r.licence_number:
            err(r.row, COL_LICENCE, r.licence_number, "empty", ("Licences numurs nav norādīts.",
                                                                "The licence number is empty."))
        elif len(r.licence_number) > LICENCE_MAX:
            err(r.row, COL_LICENCE, r.licence_number, "too_long",
                (f"Licences numurs ir garāks par {LICENCE_MAX} zīmēm.",
                 f"The licence number is longer than {LICENCE_MAX} characters."))
        r.date = r.date or parse_date(r.date_raw)
        if r.date is None:
            err(r.row, COL_DATE, r.date_raw, "date", ("Datumam jābūt formā DD.MM.GGGG (vai GGGG-MM-DD).",
                                                      "The date must be written DD.MM.YYYY (or YYYY-MM-DD)."))
        elif r.date > today:
            err(r.row, COL_DATE, r.date_raw, "future_date", ("Licences datums nevar būt nākotnē.",
                                                             "The licence date cannot be in the future."))
        elif r.date > as_of:
            err(r.row, COL_DATE, r.date_raw, "after_as_of",
                (f"Licences datums ir vēlāks par eksporta stāvokļa datumu {as_of:%d.%m.%Y}.",
                 f"The licence date is later than the date of the export, {as_of:%d.%m.%Y}."))
        r.status = STATUS_WORDS.get(r.status_raw.casefold())
        if r.status is None:
            err(r.row, COL_STATUS, r.status_raw, "unknown_status",
                ("Nezināms licences statuss (derīgi: Licencēta, Zaudējusi spēku, Anulēta).",
                 "Unknown licence status (valid: Licencēta, Zaudējusi spēku, Anulēta)."))
        r.form = FORM_WORDS.get(r.form_raw.casefold()) if r.form_raw else ProgrammeForm.FULL_TIME
        if r.form is None:
            err(r.row, COL_FORM, r.form_raw, "unknown_form",
                ("Nezināma īstenošanas forma (derīgas: klātiene, neklātiene, tālmācība).",
                 "Unknown form of implementation (valid: klātiene, neklātiene, tālmācība)."))
        if len(r.place) > NAME_MAX:
            err(r.row, COL_PLACE, r.place, "too_long", (f"Adrese ir garāka par {NAME_MAX} zīmēm.",
                                                        f"The address is longer than {NAME_MAX} characters."))


def _code_messages(exc: ValidationError) -> tuple[str, str]:
    lv, en = zip(*(_both(e.message, e.params) for e in exc.error_list), strict=True)
    return " ".join(lv), " ".join(en)


#: Fields of a licence that the rows of one licence number must share (only the place may differ).
_LICENCE_FIELDS = ((COL_INSTITUTION, "institution_number"), (COL_CODE, "code"), (COL_NAME, "name"),
                   (COL_DATE, "date"), (COL_STATUS, "status"), (COL_FORM, "form"))


def _group(rows: list[_Row], report: ViisProgrammeImportReport) -> list[_Licence]:
    """Rows by licence number: a repeated licence adds a place; a repeated place or a different
    programme under the same number is an error."""
    licences: dict[str, _Licence] = {}
    for r in rows:
        if not r.licence_number:
            continue
        licence = licences.get(r.licence_number)
        if licence is None:
            licences[r.licence_number] = _Licence(first=r, rows=[r])
            continue
        first = licence.first
        diffs = [column for column, attr in _LICENCE_FIELDS if getattr(r, attr) != getattr(first, attr)]
        if diffs:
            report.error(r.row, COL_LICENCE, r.licence_number, "licence_conflict",
                         (f"Licences numurs jau ir {first.row}. rindā ar citiem datiem ({', '.join(diffs)}).",
                          f"The licence number is already in row {first.row} with different data "
                          f"({', '.join(diffs)})."))
            licence.conflict = True
            continue
        twin = next((o for o in licence.rows if o.place.casefold() == r.place.casefold()), None)
        if twin is not None:
            report.error(r.row, COL_LICENCE, r.licence_number, "duplicate_row",
                         (f"Rinda atkārto {twin.row}. rindu (tā pati licence un īstenošanas vieta).",
                          f"The row repeats row {twin.row} (the same licence and place of implementation)."))
            continue
        licence.rows.append(r)
    return list(licences.values())


def _resolve_places(licences: list[_Licence], report: ViisProgrammeImportReport) -> None:
    """The municipality of each place: read from the address, else the institution's."""
    municipalities = {m.code: m for m in Municipality.objects.all()}
    for licence in licences:
        for r in licence.rows:
            if r.institution is None:
                continue
            if not r.place:
                r.place_municipality = r.institution.municipality
                continue
            where = municipality_for_address(r.place)
            found = municipalities.get(where.code) if where is not None else None
            if found is None:
                r.place_municipality = r.institution.municipality
                report.note(r.row, COL_PLACE, r.place, "place_municipality",
                            (f"No adreses nevar noteikt pašvaldību; pieņemta iestādes pašvaldība "
                             f"{r.institution.municipality.code}.",
                             f"The municipality cannot be read from the address; the institution's, "
                             f"{r.institution.municipality.code}, is used."))
            else:
                r.place_municipality = found


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _places(licence: _Licence) -> list[PlaceInput]:
    return [PlaceInput(address=r.place or r.institution.address, municipality=r.place_municipality)
            for r in licence.rows]


def _check_register(rows: list[_Row], licences: list[_Licence], report: ViisProgrammeImportReport,
                    as_of: datetime.date) -> None:
    """Institutions must be registered; licences already in the register are compared with the file."""
    numbers = sorted({r.institution_number for r in rows if _REG_NUMBER.match(r.institution_number)})
    institutions = {i.registration_number: i for chunk in _chunks(numbers) for i in Institution.objects.filter(
        registration_number__in=chunk).select_related("municipality")}
    for r in rows:
        if not _REG_NUMBER.match(r.institution_number):
            continue
        institution = institutions.get(r.institution_number)
        if institution is None:
            report.error(r.row, COL_INSTITUTION, r.institution_number, "unknown_institution",
                         ("Iestāde ar šo reģistrācijas numuru nav reģistrā (vispirms importējiet iestāžu reģistru).",
                          "No institution with this registration number is in the register (import the "
                          "institution register first)."))
        elif institution.status != InstitutionStatus.REGISTERED:
            status_lv, status_en = _both(InstitutionStatus(institution.status).label)
            report.error(r.row, COL_INSTITUTION, r.institution_number, "institution_not_registered",
                         (f"Iestāde nav reģistrēta (statuss: {status_lv}); programmu var licencēt tikai "
                          "reģistrētai iestādei.",
                          f"The institution is not registered (status: {status_en}); only a registered "
                          "institution can have a licensed programme."))
        else:
            r.institution = institution
    _resolve_places(licences, report)

    existing = {p.licence_number: p for chunk in _chunks([lc.first.licence_number for lc in licences])
                for p in Programme.objects.filter(licence_number__in=chunk).select_related(
                    "institution").prefetch_related("places")}
    wanted = [decision_number(lc.first.licence_number, as_of, status) for lc in licences
              for status in (LicenceStatus.LICENSED, lc.first.status) if status]
    decided = {number for chunk in _chunks(wanted)
               for number in Decision.objects.filter(number__in=chunk).values_list("number", flat=True)}
    for licence in licences:
        r = licence.first
        programme = existing.get(r.licence_number)
        if programme is None:
            number = decision_number(r.licence_number, as_of)
            if number in decided:
                report.error(r.row, COL_LICENCE, r.licence_number, "decision_exists",
                             (f"Lēmums {number} jau ir reģistrā citai licencei.",
                              f"Decision {number} is already recorded for another licence."))
            continue
        licence.existing = programme
        if licence.conflict:
            continue
        diffs = _differences(programme, licence)
        if diffs:
            fields = ", ".join(diffs)
            report.error(r.row, COL_LICENCE, r.licence_number, "exists_different",
                         (f"Licence ar šo numuru jau ir reģistrā ar citiem datiem ({fields}); "
                          "izmaiņas reģistrē ar licences grozījumu lēmumu.",
                          f"A licence with this number is already in the register with different data "
                          f"({fields}); record changes with a licence amendment decision."))
            continue
        if programme.status == r.status:
            licence.action = "skip"
        elif programme.status == LicenceStatus.LICENSED and r.status in _CHANGE_KIND:
            licence.action = "change"
            number = decision_number(r.licence_number, as_of, r.status)
            if number in decided:
                report.error(r.row, COL_STATUS, r.status_raw, "decision_exists",
                             (f"Lēmums {number} jau ir reģistrā.", f"Decision {number} is already recorded."))
        elif r.status is not None:
            current = _both(LicenceStatus(programme.status).label)
            report.error(r.row, COL_STATUS, r.status_raw, "status_conflict",
                         (f"Reģistrā licences statuss ir „{current[0]}”; to var mainīt tikai, atceļot lēmumu.",
                          f"In the register the licence is “{current[1]}”; that can change only by revoking "
                          "a decision."))


def _differences(programme: Programme, licence: _Licence) -> list[str]:
    """The columns in which the register's licence differs from the file (status aside)."""
    r = licence.first
    diffs = []
    if programme.institution.registration_number != r.institution_number:
        diffs.append(COL_INSTITUTION)
    if programme.code != r.code:
        diffs.append(COL_CODE)
    if programme.name != r.name:
        diffs.append(COL_NAME)
    if r.date is not None and programme.licence_date != r.date:
        diffs.append(COL_DATE)
    if r.form is not None and programme.form != r.form:
        diffs.append(COL_FORM)
    if r.institution is not None:
        ours = sorted(p.address.casefold() for p in programme.places.all())
        theirs = sorted(p.address.casefold() for p in _places(licence))
        if ours != theirs:
            diffs.append(COL_PLACE)
    return diffs


# --- The import ----------------------------------------------------------------------------------


def import_viis_programmes(path: Path, *, actor, as_of: datetime.date | None = None,
                           dry_run: bool = False) -> ViisProgrammeImportReport:
    """Record every licensed programme of a VIIS export, each by a recorded licence decision.

    A licence gets a licence-issue decision dated its licence date; a lapsed or annulled one also a
    lapse or annulment decision dated `as_of` (the state of the export; default today). All rows are
    validated before anything is written; with any error nothing is written and
    ViisProgrammeImportError (carrying the report) is raised. Licences already in the register with
    the same data are skipped. `dry_run` validates and counts without writing.
    """
    require_role(actor, *permissions.REGISTER_DECIDERS)
    path = Path(path)
    as_of = as_of or timezone.localdate()
    report = ViisProgrammeImportReport(path=str(path), as_of=as_of, dry_run=dry_run)
    rows = _read(path, report)
    if rows is None:
        raise ViisProgrammeImportError(report)
    report.rows = len(rows)
    if as_of > timezone.localdate():
        report.error(0, "as_of", as_of.isoformat(), "future_date", ("Lēmuma datums nevar būt nākotnē.",
                                                                    "The decision date cannot be in the future."))
    _check_rows(rows, report, as_of)
    licences = _group(rows, report)
    _check_register(rows, licences, report, as_of)
    report.errors.sort(key=lambda issue: issue.row)
    report.notes.sort(key=lambda issue: issue.row)
    report.licences = len(licences)
    if report.errors:
        raise ViisProgrammeImportError(report)

    for licence in licences:
        if licence.action == "skip":
            report.skipped += 1
        elif licence.action == "change":
            report.status_changed += 1
        else:
            report.created += 1
            report.places += len(licence.rows)
            report.by_status[licence.first.status] += 1
    if dry_run:
        return report

    with transaction.atomic(), notifications_suppressed(), register_changes_batched():  # a data migration: no e-mail
        for licence in licences:
            if licence.action == "skip":
                continue
            try:
                _record(licence, actor=actor, as_of=as_of)
            except (ValidationError, ApplicationError) as exc:
                messages = "; ".join(exc.messages) if isinstance(exc, ValidationError) else exc.message
                r = licence.first
                report.error(r.row, COL_LICENCE, r.licence_number, "service",
                             (f"Reģistrs lēmumu nepieņēma: {messages}",
                              f"The register refused the decision: {messages}"))
                raise ViisProgrammeImportError(report) from exc
    return report


def _record(licence: _Licence, *, actor, as_of: datetime.date) -> None:
    r = licence.first
    rows = ", ".join(str(x.row) for x in licence.rows)
    source = f"VIIS eksports, {rows}. rinda"
    programme = licence.existing
    if programme is None:
        programme = services.programme_license(
            actor=actor,
            decision=DecisionInput(number=decision_number(r.licence_number, as_of), date=r.date,
                                   legal_basis=legal_basis(as_of),
                                   justification=f"{source}; licence {r.licence_number} no {r.date:%d.%m.%Y}"),
            institution=r.institution, code=r.code, name=r.name, form=r.form, places=_places(licence),
            licence_number=r.licence_number,
        )
    if r.status in _CHANGE_KIND:
        services.programme_licence_change(
            actor=actor,
            decision=DecisionInput(number=decision_number(r.licence_number, as_of, r.status), date=as_of,
                                   legal_basis=legal_basis(as_of),
                                   justification=f"{source}; licences statuss: {r.status_raw} "
                                                 f"(stāvoklis {as_of:%d.%m.%Y}; faktiskais datums eksportā nav)"),
            programme=programme, kind=_CHANGE_KIND[r.status],
        )
