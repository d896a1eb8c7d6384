"""Demo adult-education offer lists of 2024, imported through `services.offer_list_import` (each line checked
against the registers, each list's totals recorded as an offer-list `ProgrammeCheck`): 25,753 lines and 1,540
mismatches at scale 1 (calibration-2024.yaml `adult_education_supervision`), in proportion at other scales, in 48
rounds (four a month). Then one run of the cross-register checks, so the page has findings.

The lines are drawn from the demo register: a line that should match names a registered institution, one of its
licensed programmes and one of that programme's places, of an institution whose accreditation (if any) is valid
through 2024; a mismatch is built to fail one way (unknown provider, programme not licensed to it, licence not in
force, accreditation expired, address not a place of implementation). The import's own check decides each
result, and the totals are verified against the figures."""

from __future__ import annotations

import csv
import datetime as dt
import io

from ikms.crosschecks import services
from ikms.crosschecks.choices import LineResult
from ikms.crosschecks.models import OfferListImport
from ikms.crosschecks.offer_lists import HEADINGS
from ikms.inspections.demo import _split
from ikms.registry.choices import AccreditationState, InstitutionStatus, LicenceStatus
from ikms.registry.models import Accreditation, Institution, Programme

LINES_2024 = 25_753
MISMATCHES_2024 = 1_540
ROUNDS_2024 = 48  # four rounds a month over the year
YEAR_START, YEAR_END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
#: The share of each kind of mismatch (where the register has candidates for it).
MIX = ((LineResult.ADDRESS_NOT_PLACE, 35), (LineResult.UNKNOWN_PROGRAMME, 25),
       (LineResult.ACCREDITATION_EXPIRED, 15), (LineResult.LICENCE_NOT_IN_FORCE, 15),
       (LineResult.UNKNOWN_PROVIDER, 10))


def _pools():
    """(provider number, code, name, address) tuples that match through 2024, and those of each failing kind."""
    latest: dict[int, Accreditation] = {}
    for a in Accreditation.objects.order_by("institution_id", "-valid_from", "-id"):
        latest.setdefault(a.institution_id, a)
    good: list[tuple] = []
    expired: list[tuple] = []
    lapsed: list[tuple] = []
    codes: dict[str, set[str]] = {}
    in_force_codes: dict[int, set[str]] = {}
    programmes = list(Programme.objects.filter(institution__status=InstitutionStatus.REGISTERED)
                      .select_related("institution").prefetch_related("places").order_by("id"))
    for p in programmes:
        codes.setdefault(p.institution.registration_number, set()).add(p.code)
        if p.status == LicenceStatus.LICENSED:
            in_force_codes.setdefault(p.institution_id, set()).add(p.code)
    for p in programmes:
        number = p.institution.registration_number
        a = latest.get(p.institution_id)
        if p.status != LicenceStatus.LICENSED:
            if p.code not in in_force_codes.get(p.institution_id, set()):
                lapsed.append((number, p.code, p.name, p.institution.address))
            continue
        places = [pl.address for pl in p.places.all()]
        if not places:
            continue
        if a is not None and (a.state == AccreditationState.REFUSED
                              or (a.valid_until is not None and a.valid_until < YEAR_START)):
            expired.append((number, p.code, p.name, places[0]))
        elif a is None or a.valid_until is None or a.valid_until > YEAR_END:
            good.extend((number, p.code, p.name, address) for address in places)
    return good, expired, lapsed, codes


def _mismatch(rng, kind: str, pools: tuple, numbers: set[str]) -> tuple:
    good, expired, lapsed, codes = pools
    if kind == LineResult.ACCREDITATION_EXPIRED and expired:
        return rng.choice(expired)
    if kind == LineResult.LICENCE_NOT_IN_FORCE and lapsed:
        return rng.choice(lapsed)
    if kind == LineResult.UNKNOWN_PROVIDER:
        while True:
            number = f"9{rng.randrange(10**9):09d}"
            if number not in numbers:
                return (number, "30811111", "Profesionālās pilnveides izglītības programma", "Brīvības iela 1, Rīga")
    number, code, name, address = rng.choice(good)
    if kind == LineResult.UNKNOWN_PROGRAMME:
        while True:
            other = f"3{rng.randrange(10**7):07d}"
            if other not in codes.get(number, ()):
                return (number, other, "Neformālās izglītības programma", address)
    return (number, code, name, f"Nezināmā iela {rng.randrange(1, 200)}, {address.split(',')[-1].strip()}")


def _csv(lines: list[tuple]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerow([HEADINGS[c][0] for c in ("provider", "code", "name", "address")])
    writer.writerows(lines)
    return buf.getvalue().encode("utf-8")


def generate(*, rng, scale: float, inspector) -> dict[str, int]:
    """Import the 2024 offer lists through the service; returns the figures."""
    pools = _pools()
    good = pools[0]
    if not good:
        return {}
    numbers = set(Institution.objects.values_list("registration_number", flat=True))
    total = max(1, round(LINES_2024 * scale))
    bad_total = min(total, round(MISMATCHES_2024 * scale))
    rounds = max(1, min(ROUNDS_2024, total // 10))
    sizes = _split(rng, total, rounds) if rounds > 1 else [total]
    bads = [round(bad_total * n / total) for n in sizes]
    bads[-1] += bad_total - sum(bads)
    kinds = [k for k, weight in MIX for _ in range(weight)]
    for k, (n, wrong) in enumerate(zip(sizes, bads, strict=True)):
        bad = max(0, min(wrong, n))
        lines = [_mismatch(rng, rng.choice(kinds), pools, numbers) for _ in range(bad)]
        lines += [rng.choice(good) for _ in range(n - bad)]
        rng.shuffle(lines)
        services.offer_list_import(
            actor=inspector, file_name=f"piedavajuma-saraksti-2024-{k + 1:02d}.csv", content=_csv(lines),
            checked_on=dt.date(2024, 1 + k * 12 // rounds, 3 + 7 * (k % 4)))
    imports = OfferListImport.objects.filter(checked_on__year=2024)
    lines_checked = sum(i.lines for i in imports)
    mismatches = sum(i.mismatches for i in imports)
    if (lines_checked, mismatches) != (total, bad_total):
        raise RuntimeError(f"offer-list demo: {lines_checked} lines, {mismatches} mismatches; "
                           f"expected {total}, {bad_total}")
    run = services.checks_run(actor=None)
    return {"offer lists (2024)": imports.count(), "lines checked": lines_checked, "mismatches": mismatches,
            "cross-register findings": sum(run.counts.values())}
