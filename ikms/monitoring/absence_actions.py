"""Where the action counts of long-term unexcused absence come from (tables 6–7's actions, issue 15 item 8). The
schools' imported records (lake dataset `long_term_absences`, indicator `long_term_absence_actions`) count them
until the municipalities record their actions in IKMS: the absence hand-off cases (ikms.attendance) sit above
monitoring in the import layers (ADR 0018), so monitoring never imports them; the app registers a provider here
from its AppConfig.ready(), and the absences page asks it. A provider answers, for a school year and an area (the
nation, or a municipality by its code), the counts by (semester, action code), or None where it holds no case of
that year (the imported counts stay, labelled by their source)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

#: The source of a year's action counts, as the absences page labels it.
IMPORTED = "import"
CASES = "cases"


@dataclass(frozen=True)
class Provider:
    code: str
    #: (school_year, grain, unit) → {(semester, action code): cases} or None when no case of the year is held
    counts: Callable[[str, str, str], dict[tuple[int, str], int] | None]


_PROVIDERS: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    if provider.code in _PROVIDERS and _PROVIDERS[provider.code] is not provider:
        raise ValueError(f"absence action provider {provider.code!r} is registered twice")
    _PROVIDERS[provider.code] = provider


def case_counts(school_year: str, grain: str, unit: str) -> dict[tuple[int, str], int] | None:
    """The first registered provider's counts of the year (None: no provider, or no case of that year)."""
    for provider in _PROVIDERS.values():
        found = provider.counts(school_year, grain, unit)
        if found is not None:
            return found
    return None
