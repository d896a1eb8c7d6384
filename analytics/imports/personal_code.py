"""Latvian personal codes (personas kods): format, check digit, birth date, masking, and test codes.

Two formats (docs domain.md §7.1), 11 digits, an optional hyphen after the 6th digit:

* legacy ``DDMMYY-CNNNK`` (issued until 30.06.2017): date of birth, century digit C (0 → 18xx,
  1 → 19xx, 2 → 20xx), serial number, check digit K;
* new ``32XXXX-XXXXK`` (from 1.07.2017): no date of birth; whether it carries a check digit is
  disputed, so by default a failed check digit is only a warning.

Check digit: ``K = (1101 - Σ dᵢ·Wᵢ) mod 11 mod 10`` with W = (1, 6, 3, 7, 9, 10, 5, 8, 4, 2); the
"mod 10" maps a remainder of 10 to 0 (the "10 → 0 rule"), which one library rejects — so
accepting it is a policy switch.

The validation used by imports runs in DuckDB SQL (`sql_*` builders) over the distinct codes of a
file; the Python functions here are the reference implementation, used by tests and generators.
"""

from __future__ import annotations

import datetime
import random
import re
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

WEIGHTS = (1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
LEGACY_LAST_ISSUED = datetime.date(2017, 6, 30)
CODE_RE = re.compile(r"^\d{6}-?\d{5}$")
#: Anything that looks like a personal code inside a longer text (for masking free text).
CODE_SEARCH_RE = re.compile(r"(?<!\d)\d{6}-?\d{5}(?!\d)")

Severity = Literal["error", "warning", "ignore"]


@dataclass(frozen=True)
class PersonalCodePolicy:
    """How strictly personal codes are checked (domain.md §7.1, "keep strictness configurable")."""

    #: Verify the check digit of legacy codes.
    legacy_checksum: bool = True
    #: Accept a remainder of 10 as check digit 0 (the Java library and python-stdnum do; id-lv does not).
    accept_ten_as_zero: bool = True
    #: What a failed check digit of a new "32…" code is: an error, a warning (default) or nothing.
    new_code_checksum: Severity = "warning"
    #: Legacy codes were issued until 30.06.2017: a later date of birth is impossible (None: no check).
    legacy_latest_birth_date: datetime.date | None = LEGACY_LAST_ISSUED


def local_today() -> datetime.date:
    """Today in Latvia (dates of birth and data are Latvian calendar dates)."""
    return datetime.datetime.now(ZoneInfo("Europe/Riga")).date()


def normalise(code: str) -> str | None:
    """The 11 digits of a code (hyphen and surrounding whitespace removed), or None if malformed."""
    code = code.strip()
    if not CODE_RE.match(code):
        return None
    return code.replace("-", "")


def remainder(digits: str) -> int:
    """(1101 - Σ dᵢ·Wᵢ) mod 11 over the first ten digits: 0–9 is the check digit, 10 is the disputed case."""
    return (1101 - sum(int(d) * w for d, w in zip(digits[:10], WEIGHTS, strict=True))) % 11


def check_digit(digits: str) -> int:
    """The check digit for the first ten digits (10 → 0 rule applied)."""
    return remainder(digits) % 10


def checksum_ok(digits: str, *, accept_ten_as_zero: bool = True) -> bool:
    r = remainder(digits)
    if r == 10:
        return accept_ten_as_zero and digits[10] == "0"
    return int(digits[10]) == r


def is_new_format(digits: str) -> bool:
    return digits.startswith("32")


def birth_date(digits: str) -> datetime.date | None:
    """Date of birth of a legacy code, or None (new format, bad century digit, impossible date)."""
    if is_new_format(digits) or digits[6] not in "012":
        return None
    year = 1800 + 100 * int(digits[6]) + int(digits[4:6])
    try:
        return datetime.date(year, int(digits[2:4]), int(digits[0:2]))
    except ValueError:
        return None


def problems(code: str, policy: PersonalCodePolicy | None = None, *,
             today: datetime.date | None = None) -> list[tuple[str, Severity]]:
    """Reference check of one code: a list of (problem code, severity); empty when valid.

    Problem codes are those of the import checks: ``pc_format``, ``pc_birth_date``,
    ``pc_birth_future``, ``pc_legacy_too_late``, ``pc_checksum``, ``pc_checksum_new``."""
    policy = policy or PersonalCodePolicy()
    today = today or local_today()
    digits = normalise(code)
    if digits is None:
        return [("pc_format", "error")]
    if is_new_format(digits):
        if policy.new_code_checksum != "ignore" and not checksum_ok(digits, accept_ten_as_zero=True):
            return [("pc_checksum_new", policy.new_code_checksum)]
        return []
    born = birth_date(digits)
    if born is None:
        return [("pc_birth_date", "error")]
    out: list[tuple[str, Severity]] = []
    if born > today:
        out.append(("pc_birth_future", "error"))
    elif policy.legacy_latest_birth_date is not None and born > policy.legacy_latest_birth_date:
        out.append(("pc_legacy_too_late", "error"))
    if policy.legacy_checksum and not checksum_ok(digits, accept_ten_as_zero=policy.accept_ten_as_zero):
        out.append(("pc_checksum", "error"))
    return out


def is_valid(code: str, policy: PersonalCodePolicy | None = None) -> bool:
    """True when the code has no error (warnings allowed)."""
    return not any(sev == "error" for _, sev in problems(code, policy))


def mask(value: str) -> str:
    """A personal code as it may appear in reports and logs: only the last two digits shown.

    ``180565-05610`` → ``******-***10``; any other value keeps only its last two characters
    (values of four characters or fewer are hidden completely)."""
    if CODE_RE.match(value.strip()):
        digits = value.strip().replace("-", "")
        return "******-***" + digits[-2:]
    if len(value) <= 4:
        return "*" * len(value)
    return "*" * (len(value) - 2) + value[-2:]


def mask_text(text: str) -> str:
    """Any personal-code-looking run of digits inside a text masked (for values of other columns)."""
    return CODE_SEARCH_RE.sub(lambda m: mask(m.group(0)), text)


# --- Generating valid codes (tests, benchmarks, synthetic files) ----------------------------------


def legacy_code(born: datetime.date, serial: int, *, hyphen: bool = True) -> str:
    """A valid legacy code for a date of birth (1800–2099) and a serial number 0–999."""
    century = (born.year - 1800) // 100
    if not 0 <= century <= 2 or not 0 <= serial <= 999:
        raise ValueError("date of birth must be in 1800–2099 and serial in 0–999")
    ten = f"{born:%d%m}{born.year % 100:02d}{century}{serial:03d}"
    digits = ten + str(check_digit(ten))
    return f"{digits[:6]}-{digits[6:]}" if hyphen else digits


def new_code(rng: random.Random, *, hyphen: bool = True) -> str:
    """A new-format "32…" code with a check digit that passes the algorithm (remainder 10 avoided)."""
    while True:
        ten = "32" + "".join(str(rng.randrange(10)) for _ in range(8))
        if remainder(ten) != 10:
            digits = ten + str(check_digit(ten))
            return f"{digits[:6]}-{digits[6:]}" if hyphen else digits


def random_legacy_code(rng: random.Random, *, first_year: int = 1960, last_year: int = 2016,
                       hyphen: bool = True) -> str:
    start = datetime.date(first_year, 1, 1).toordinal()
    end = min(datetime.date(last_year, 12, 31), LEGACY_LAST_ISSUED).toordinal()
    return legacy_code(datetime.date.fromordinal(rng.randint(start, end)), rng.randrange(1000), hyphen=hyphen)


# --- SQL (DuckDB) ---------------------------------------------------------------------------------


def sql_digits(raw: str) -> str:
    """SQL: the 11 digits of a well-formed code in expression `raw`, else NULL."""
    return (f"CASE WHEN regexp_full_match(trim({raw}), '[0-9]{{6}}-?[0-9]{{5}}') "
            f"THEN replace(trim({raw}), '-', '') END")


def sql_remainder(d: str) -> str:
    """SQL: (1101 - Σ dᵢ·Wᵢ) % 11 for an 11-digit string expression `d`."""
    terms = " + ".join(f"(ascii(substr({d}, {i + 1}, 1)) - 48) * {w}" for i, w in enumerate(WEIGHTS))
    return f"((1101 - ({terms})) % 11)"


def sql_check_digit_ok(d: str, *, accept_ten_as_zero: bool) -> str:
    r = sql_remainder(d)
    last = f"(ascii(substr({d}, 11, 1)) - 48)"
    ten = f"({last} = 0)" if accept_ten_as_zero else "false"
    return f"(CASE WHEN {r} = 10 THEN {ten} ELSE {last} = {r} END)"


def sql_legacy_year(d: str) -> str:
    """SQL: the birth year of a legacy code (11-digit expression), NULL for a new or bad-century code."""
    return (f"(CASE WHEN NOT starts_with({d}, '32') AND substr({d}, 7, 1) IN ('0', '1', '2') "
            f"THEN 1800 + 100 * (ascii(substr({d}, 7, 1)) - 48) + CAST(substr({d}, 5, 2) AS INTEGER) END)")


def sql_legacy_birth_date(d: str) -> str:
    """SQL: the date of birth of a legacy code, NULL when impossible or not legacy."""
    year = sql_legacy_year(d)
    return (f"TRY_STRPTIME(CAST({year} AS VARCHAR) || '-' || substr({d}, 3, 2) || '-' || substr({d}, 1, 2), "
            f"'%Y-%m-%d')::DATE")
