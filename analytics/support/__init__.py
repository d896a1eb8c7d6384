"""Support to continue studies (issue 15): the multi-year comparisons the engine's one-year grain does not
make. The yearly figures themselves (early leaving, basic → secondary transitions, support staff per 100
learners, learners in special programmes) are indicators (analytics/definitions/indicators/support.yaml)."""

from analytics.support.effect import MIN_INSTITUTIONS, GroupChange, SupportEffect, support_effect

__all__ = ["MIN_INSTITUTIONS", "GroupChange", "SupportEffect", "support_effect"]
