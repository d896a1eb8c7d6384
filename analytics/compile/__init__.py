"""Compile specs into Ibis expressions: measure builders, indicator roll-ups and risk rules."""

from __future__ import annotations

from pathlib import Path

from analytics.compile.indicators import OUTPUT_COLUMNS, indicator_rows
from analytics.compile.measures import MEASURES, signatures
from analytics.compile.rules import (
    MATCH_COLUMNS,
    RuleOutcome,
    compile_indicator,
    rule_candidates,
    rule_matches,
    rule_outcomes,
    rule_sources,
    share_of_units_rows,
)
from analytics.spec.loader import DEFINITIONS_ROOT, load_catalogue
from analytics.spec.model import Catalogue


def default_catalogue(root: Path = DEFINITIONS_ROOT) -> Catalogue:
    """The catalogue under analytics/definitions, validated against the registered measure builders."""
    return load_catalogue(signatures(), root)


__all__ = [
    "MATCH_COLUMNS",
    "MEASURES",
    "OUTPUT_COLUMNS",
    "RuleOutcome",
    "compile_indicator",
    "default_catalogue",
    "indicator_rows",
    "rule_candidates",
    "rule_matches",
    "rule_outcomes",
    "rule_sources",
    "share_of_units_rows",
    "signatures",
]
