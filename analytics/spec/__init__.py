"""Indicator and risk-rule specifications: typed dataclasses, the YAML loader and its validation."""

from analytics.spec.loader import DEFINITIONS_ROOT, SpecError, content_hash, load_catalogue
from analytics.spec.model import (
    Catalogue,
    Condition,
    Filter,
    Indicator,
    MeasureSignature,
    Operand,
    RiskRule,
    Scalar,
    Text,
)
from analytics.spec.periods import SchoolYear

__all__ = [
    "DEFINITIONS_ROOT",
    "Catalogue",
    "Condition",
    "Filter",
    "Indicator",
    "MeasureSignature",
    "Operand",
    "RiskRule",
    "Scalar",
    "SchoolYear",
    "SpecError",
    "Text",
    "content_hash",
    "load_catalogue",
]
