"""Institutions named instead of numbered: matching `institution_name` (and `municipality`) to the register.

Published per-school files (exam results, for one) carry school names, not registration numbers. Any import
whose source has an `institution` column may give `institution_name` instead, and `municipality` where a name
repeats. The register comes from the caller as data (the web system passes its institutions as
(registration number, name, municipality code) triples, and the municipalities' names): analytics never
reads the web database.

Matching is exact after normalisation, and never guesses:

* both sides are put in Unicode NFC, runs of whitespace (including no-break spaces) become one space, the
  ends are trimmed, and letter case is ignored (`str.casefold`): published files vary in capitalisation
  ("Rīgas 1. Vidusskola"), and two registered names that differ only in case would match both, which is
  reported as ambiguous, not guessed. Nothing else is forgiven: quotes, punctuation, abbreviations and
  diacritics must be as registered;
* `municipality` is an ISO 3166-2:LV code (`LV-RIX`, any case) or a municipality's name (Latvian or English,
  normalised the same way); empty means "not given";
* one registered institution with that name (in that municipality, when given) is a match; none is the row
  error `unknown_institution_name`; several are `ambiguous_institution_name`, which lists their registration
  numbers and asks for the municipality or the number; an unknown municipality is `unknown_municipality`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

Status = Literal["ok", "unmatched", "ambiguous", "unknown_municipality"]


def normalise(text: str | None) -> str:
    """NFC, whitespace runs collapsed to one space, ends trimmed, case folded ("" for None)."""
    if text is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


@dataclass(frozen=True)
class NameMatch:
    status: Status
    registration_number: str | None = None  # when "ok"
    candidates: tuple[str, ...] = ()  # when "ambiguous": the registration numbers, sorted


class InstitutionNames:
    """The register's institutions by normalised name (and municipality), for matching names in imports."""

    def __init__(self, institutions: Iterable[tuple[str, str, str]],
                 municipalities: Mapping[str, Iterable[str]] | None = None) -> None:
        """`institutions`: (registration number, name, municipality code) of each known institution;
        `municipalities`: municipality code -> its names (Latvian, English), so that a file may name the
        municipality instead of giving its code."""
        self._by_name: dict[str, set[tuple[str, str]]] = {}
        self._codes: dict[str, set[str]] = {}  # normalised code or name -> codes
        for number, name, municipality in institutions:
            code = str(municipality or "").strip().upper()
            self._by_name.setdefault(normalise(name), set()).add((str(number), code))
            if code:
                self._codes.setdefault(normalise(code), set()).add(code)
        for given, names in (municipalities or {}).items():
            code = str(given).strip().upper()
            for text in (code, *names):
                if normalise(text):
                    self._codes.setdefault(normalise(text), set()).add(code)

    def municipality(self, text: str | None) -> str | None:
        """The municipality code a file's `municipality` value stands for; None when it is no municipality's
        code or name (or the name of more than one)."""
        codes = self._codes.get(normalise(text), set())
        return next(iter(codes)) if len(codes) == 1 else None

    def match(self, name: str | None, municipality: str | None = None) -> NameMatch:
        """What a file's name (and municipality, when given) matches in the register."""
        found = self._by_name.get(normalise(name), set())
        if normalise(municipality):
            code = self.municipality(municipality)
            if code is None:
                return NameMatch("unknown_municipality")
            found = {f for f in found if f[1] == code}
        numbers = tuple(sorted({number for number, _ in found}))
        if not numbers:
            return NameMatch("unmatched")
        if len(numbers) > 1:
            return NameMatch("ambiguous", candidates=numbers)
        return NameMatch("ok", registration_number=numbers[0])
