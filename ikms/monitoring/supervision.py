"""What supervision knows about an institution, shown on the risk list beside its flags: the last inspection's
outcome and its open orders (issue 13). The apps that hold these facts sit above monitoring in the import layers
(ADR 0018), so monitoring never imports them: an app registers a provider here from its AppConfig.ready()
(inspections does), and the risk list asks the registered providers. A provider gives, for some institution ids,
short notes per institution, and a stamp that changes when its facts do (part of the risk list's cache key). A
provider may also count each institution's open matters (`open_matters`: institution id -> {kind: count}, kinds
`complaints` and `orders`), which the visit planner puts first (issue 17)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Note:
    text: str
    url: str = ""
    warning: bool = False  # e.g. an overdue order


@dataclass(frozen=True)
class Provider:
    code: str
    notes: Callable[[list[int]], dict[int, list[Note]]]
    stamp: Callable[[], str]
    open_matters: Callable[[], dict[int, dict[str, int]]] | None = None


_PROVIDERS: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    if provider.code in _PROVIDERS and _PROVIDERS[provider.code] is not provider:
        raise ValueError(f"supervision provider {provider.code!r} is registered twice")
    _PROVIDERS[provider.code] = provider


def notes(institution_ids: Iterable[int]) -> dict[int, list[Note]]:
    ids = list(institution_ids)
    result: dict[int, list[Note]] = {}
    for provider in _PROVIDERS.values():
        for pk, found in provider.notes(ids).items():
            result.setdefault(pk, []).extend(found)
    return result


def stamp() -> str:
    return ";".join(f"{code}:{p.stamp()}" for code, p in sorted(_PROVIDERS.items()))


def open_matters() -> dict[int, dict[str, int]]:
    """Per institution id, its open matters by kind (`complaints`, `orders`) from every provider that counts them;
    an institution without any is absent."""
    result: dict[int, dict[str, int]] = {}
    for provider in _PROVIDERS.values():
        if provider.open_matters is None:
            continue
        for pk, counts in provider.open_matters().items():
            mine = result.setdefault(pk, {})
            for kind, n in counts.items():
                mine[kind] = mine.get(kind, 0) + n
    return result
