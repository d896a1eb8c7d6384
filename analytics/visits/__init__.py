"""The effect of visits (issue 17): indicators before and after accreditation evaluations and inspections, as a
difference-in-differences against comparable institutions not visited in that period (effect.py; settings in
analytics/definitions/visit_effect.yaml)."""

from analytics.visits.effect import (
    IMPROVED,
    NO_CHANGE,
    TOO_FEW,
    WORSENED,
    Effect,
    IndicatorSetting,
    Settings,
    institution_figures,
    load_settings,
    parse_settings,
    visit_effects,
)

__all__ = ["IMPROVED", "NO_CHANGE", "TOO_FEW", "WORSENED", "Effect", "IndicatorSetting", "Settings",
           "institution_figures", "load_settings", "parse_settings", "visit_effects"]
