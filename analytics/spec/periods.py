"""School years: 1 September to 31 August, written "2023/2024"."""

from __future__ import annotations

import argparse
import datetime as dt
import re
from dataclasses import dataclass

_PATTERN = re.compile(r"^(\d{4})/(\d{4})$")


@dataclass(frozen=True, order=True)
class SchoolYear:
    """One school year, identified by the calendar year it starts in."""

    start_year: int

    @classmethod
    def parse(cls, text: str) -> SchoolYear:
        """Parse "2023/2024"; the second year must follow the first."""
        match = _PATTERN.match(text)
        if not match or int(match.group(2)) != int(match.group(1)) + 1:
            raise ValueError(f"not a school year (expected e.g. 2023/2024): {text!r}")
        return cls(int(match.group(1)))

    @property
    def label(self) -> str:
        return f"{self.start_year}/{self.start_year + 1}"

    @property
    def partition(self) -> str:
        """Value of the lake's `school_year` partition column, e.g. 2023-2024."""
        return f"{self.start_year}-{self.start_year + 1}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.start_year, 9, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.start_year + 1, 8, 31)

    @property
    def previous(self) -> SchoolYear:
        return SchoolYear(self.start_year - 1)

    def __str__(self) -> str:
        return self.label


def school_year_argument(text: str) -> str:
    """argparse type of analytics' command lines: the school year's label, or a usage error. (The web app's
    commands use ikms.core.school_year.school_year_arg, which says the same in Latvian and English.)"""
    try:
        return SchoolYear.parse(text).label
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
