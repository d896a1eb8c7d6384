"""The kinds of report IKMS makes, registered by the modules that build them (`annual`, `municipal`, …), so that the
runs, the pages and the renderers treat every report alike.

A kind says who may run it with which parameters, what its inputs are (the data snapshot and spec versions its
numbers depend on, so that a run with the same inputs is served from the cache) and how it is built. `build` takes
a `progress(share: float, step: str)` callback (0 … 1) and returns a `document.Report`; it reads records through
the apps' selectors and never renders."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import translation

from ikms.monitoring.selectors import results_memo
from ikms.reports.document import Report

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Field:
    """A field of a kind's start form (`ReportKind.fields`): the name `parse` reads, its label and hint (lazy
    texts) and, for a choice, the options a user may pick (`choices(user)` -> [(value, label)])."""

    name: str
    label: Any
    hint: Any = ""
    choices: Callable[[Any], list[tuple[str, str]]] | None = None


@dataclass(frozen=True)
class ReportKind:
    code: str  # "annual", "municipal" …: stable, in URLs and in the runs' rows
    title: Any  # lazy text
    description: Any  # lazy text
    #: the parameters from a request's query or form data: a dict of plain values, or a ValidationError (lv/en)
    parse: Callable[[Any, Mapping[str, Any]], dict[str, Any]]  # (user, data) -> params
    #: may this user run (and read) this kind with these parameters?
    allowed: Callable[[Any, Mapping[str, Any]], bool]  # (user, params) -> bool
    #: what the numbers depend on: the data snapshot, spec versions, the parameters (all strings)
    inputs: Callable[[Mapping[str, Any]], dict[str, str]]  # (params) -> inputs
    build: Callable[..., Report]  # (params, *, language: str, progress: Progress) -> Report
    formats: tuple[str, ...] = ("pdf", "xlsx")  # besides the web page; "docx" where a report is edited further
    #: the URL name of a kind's own start page (the municipal report's narratives), instead of the generic form
    start_url: str = ""
    #: the start form's fields (read by `parse`); none: the report is started with its default parameters
    fields: tuple[Field, ...] = ()

    def make(self, params: Mapping[str, Any], *, language: str, progress: Progress) -> Report:
        """Build the report of `params` in `language`, reading the list of computation runs once for the whole
        build (it reads results many times; a run finishing meanwhile does not change the report half-way)."""
        with translation.override(language), results_memo():
            return self.build(params, language=language, progress=progress)


_KINDS: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> None:
    """Register a kind (from its module's AppConfig.ready(); registering the same code again replaces it)."""
    _KINDS[kind.code] = kind


def get(code: str) -> ReportKind:
    return _KINDS[code]


def registered() -> list[ReportKind]:
    return list(_KINDS.values())
