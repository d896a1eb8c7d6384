"""A provider's adult-education programme offer list (CSV or XLSX): reading it, and checking each line against the
licence and accreditation registers.

Columns (the header row, Latvian or English names, any order): the provider's registration number, the programme
code, the programme name (optional, for people reading the file) and the address where it is offered. The file is
read with the VIIS imports' readers (`ikms.registry.viis_programmes`); a file that cannot be read, has other
columns or no lines is refused as a whole with a message in Latvian and English, and nothing is written.

A line's result, in this order: the provider is not a registered institution (`unknown_provider`); no programme
with the code was ever licensed to it (`unknown_programme`); none of those licences is in force
(`licence_not_in_force`); the provider's latest accreditation was refused or has expired (`accreditation_expired`);
the address is not a place of implementation of the licensed programme (`address_not_place`)."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ikms.crosschecks.checks import normalise_address
from ikms.crosschecks.choices import LineResult
from ikms.registry.choices import AccreditationState, InstitutionStatus, LicenceStatus
from ikms.registry.models import Accreditation, ImplementationPlace, Institution, Programme
from ikms.registry.viis import RowIssues, ViisRowIssue
from ikms.registry.viis_programmes import cells_csv, cells_xlsx

COL_PROVIDER = "provider"
COL_CODE = "code"
COL_NAME = "name"
COL_ADDRESS = "address"
#: Accepted headings of each column (compared case- and space-insensitively).
HEADINGS = {
    COL_PROVIDER: ("Iestādes reģistrācijas numurs", "Provider registration number"),
    COL_CODE: ("Programmas kods", "Programme code"),
    COL_NAME: ("Programmas nosaukums", "Programme name"),
    COL_ADDRESS: ("Īstenošanas vietas adrese", "Address"),
}
REQUIRED = (COL_PROVIDER, COL_CODE, COL_ADDRESS)
MAX_LINES = 100_000
CODE_LENGTH = 8


def _key(value: Any) -> str:
    return " ".join(str(value if value is not None else "").split()).lstrip("\ufeff").casefold()


_KNOWN = {_key(h): column for column, headings in HEADINGS.items() for h in headings}


@dataclass
class ReadReport(RowIssues):
    path: str
    as_of: dt.date
    rows: int = 0
    errors: list[ViisRowIssue] = field(default_factory=list)
    notes: list[ViisRowIssue] = field(default_factory=list)


@dataclass
class Line:
    row: int
    provider_number: str
    programme_code: str
    programme_name: str
    address: str
    result: str = ""
    provider_id: int | None = None
    programme_id: int | None = None


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value if value is not None else "").split())


def read(file_name: str, content: bytes, *, as_of: dt.date) -> tuple[list[Line], ReadReport]:
    """The lines of the file, or none and the report's errors (Latvian and English) when it cannot be used."""
    report = ReadReport(path=file_name, as_of=as_of)
    suffix = Path(file_name).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        report.error(0, "—", file_name, "unsupported_format",
                     (f"Neatbalstīts faila formāts „{suffix or '—'}”; izmantojiet CSV (.csv) vai Excel (.xlsx).",
                      f"Unsupported file format “{suffix or '—'}”; use a CSV (.csv) or Excel (.xlsx) file."))
        return [], report
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"offer{suffix}"
        path.write_bytes(content)
        cells = cells_csv(path, report) if suffix == ".csv" else cells_xlsx(path, report)
    if cells is None:
        return [], report
    header = [_KNOWN.get(_key(h)) for h in (cells[0] if cells else [])]
    raw_header = [_text(h) for h in (cells[0] if cells else [])]
    while raw_header and not raw_header[-1]:
        raw_header.pop()
        header.pop()
    if not raw_header:
        report.error(1, "—", "", "empty_file", ("Failā nav galvenes rindas.", "The file has no header row."))
        return [], report
    missing = [HEADINGS[c][0] for c in REQUIRED if c not in header]
    unexpected = [raw_header[i] or "(tukša / empty)" for i, c in enumerate(header) if c is None]
    duplicate = sorted({HEADINGS[c][0] for c in header if c and header.count(c) > 1})
    if missing or unexpected or duplicate:
        expected = ", ".join(HEADINGS[c][0] for c in HEADINGS)
        report.error(1, "—", "", "columns", (
            f"Kolonnas neatbilst formātam. Trūkst: {', '.join(missing) or '—'}. Neparedzētas: "
            f"{', '.join(unexpected) or '—'}. Atkārtojas: {', '.join(duplicate) or '—'}. Gaidītās: {expected}.",
            f"The columns do not match the format. Missing: {', '.join(missing) or '—'}. Unexpected: "
            f"{', '.join(unexpected) or '—'}. Repeated: {', '.join(duplicate) or '—'}. Expected: {expected} "
            f"(or in English: {', '.join(HEADINGS[c][1] for c in HEADINGS)})."))
        return [], report
    index = {c: i for i, c in enumerate(header)}
    lines: list[Line] = []
    for row, values in enumerate(cells[1:], start=2):
        texts = [_text(v) for v in values]
        if not any(texts):
            continue
        cell = lambda c, texts=texts: texts[index[c]] if c in index and index[c] < len(texts) else ""  # noqa: E731
        code = cell(COL_CODE)
        if code.isdigit() and len(code) < CODE_LENGTH:
            code = code.zfill(CODE_LENGTH)  # a code typed into a number cell lost its leading zeros
        lines.append(Line(row=row, provider_number=cell(COL_PROVIDER)[:20], programme_code=code[:20],
                          programme_name=cell(COL_NAME)[:255], address=cell(COL_ADDRESS)[:255]))
    report.rows = len(lines)
    if not lines:
        report.error(2, "—", "", "no_lines", ("Failā nav nevienas programmas rindas.",
                                              "The file has no programme lines."))
    elif len(lines) > MAX_LINES:
        report.error(0, "—", "", "too_many", (f"Failā ir vairāk nekā {MAX_LINES} rindu.",
                                              f"The file has more than {MAX_LINES} lines."))
    return ([] if report.errors else lines), report


@dataclass
class _Registers:
    """The registers' rows the lines need, read once as plain values (four queries, whatever the number of lines)."""

    institutions: dict[str, int]  # registration number → id of a registered institution
    programmes: dict[tuple[int, str], list[tuple[int, str]]]  # (institution id, code) → [(programme id, status)]
    places: dict[int, set[str]]  # programme id → its places' addresses, folded
    accreditation: dict[int, tuple[str, dt.date | None]]  # institution id → latest (state, valid until)


def _registers(numbers: set[str]) -> _Registers:
    institutions = dict(Institution.objects.filter(registration_number__in=numbers,
                                                   status=InstitutionStatus.REGISTERED)
                        .values_list("registration_number", "id"))
    ids = list(institutions.values())
    programmes: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)
    for pk, institution_id, code, status in (Programme.objects.filter(institution_id__in=ids).order_by("id")
                                             .values_list("id", "institution_id", "code", "status")):
        programmes[(institution_id, code)].append((pk, status))
    places: dict[int, set[str]] = defaultdict(set)
    for programme_id, address in ImplementationPlace.objects.filter(
            programme__institution_id__in=ids).values_list("programme_id", "address"):
        places[programme_id].add(normalise_address(address))
    accreditation: dict[int, tuple[str, dt.date | None]] = {}
    for institution_id, state, until in (Accreditation.objects.filter(institution_id__in=ids)
                                         .order_by("institution_id", "-valid_from", "-id")
                                         .values_list("institution_id", "state", "valid_until")):
        accreditation.setdefault(institution_id, (state, until))
    return _Registers(institutions, programmes, places, accreditation)


def check(lines: list[Line], *, on: dt.date) -> None:
    """Set each line's result (and the ids of its provider and programme where found)."""
    registers = _registers({line.provider_number for line in lines})
    for line in lines:
        line.provider_id = registers.institutions.get(line.provider_number)
        if line.provider_id is None:
            line.result = LineResult.UNKNOWN_PROVIDER
            continue
        licensed = registers.programmes.get((line.provider_id, line.programme_code), [])
        if not licensed:
            line.result = LineResult.UNKNOWN_PROGRAMME
            continue
        in_force = [pk for pk, status in licensed if status == LicenceStatus.LICENSED]
        line.programme_id = (in_force or [licensed[0][0]])[0]
        if not in_force:
            line.result = LineResult.LICENCE_NOT_IN_FORCE
            continue
        latest = registers.accreditation.get(line.provider_id)
        if latest is not None and (latest[0] == AccreditationState.REFUSED
                                   or (latest[1] is not None and latest[1] < on)):
            line.result = LineResult.ACCREDITATION_EXPIRED
            continue
        address = normalise_address(line.address)
        at = next((pk for pk in in_force if address and address in registers.places[pk]), None)
        if at is None:
            line.result = LineResult.ADDRESS_NOT_PLACE
            continue
        line.programme_id = at
        line.result = LineResult.OK
