"""What the monitoring API's views share: the schema tag, the permission classes (the pages' predicates) and
the base of the lists built from selectors."""

from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from rest_framework import generics

from ikms.core.api import ApiMixin, StandardPagination, predicate_permission
from ikms.monitoring import permissions as monitoring_permissions
from ikms.monitoring import selectors

TAGS = ["monitoring"]

CanUseMonitoring = predicate_permission(monitoring_permissions.can_use_monitoring)
CanViewRisks = predicate_permission(monitoring_permissions.can_view_risks)
CanViewRiskFlags = predicate_permission(monitoring_permissions.can_view_risk_flags)
CanPlanVisits = predicate_permission(monitoring_permissions.can_plan_visits)


def school_year_or_latest(filters: dict) -> str | None:
    """The school year asked for, or the latest computed one (None before any computation)."""
    return filters.get("school_year") or selectors.latest_year()


@method_decorator(login_not_required, name="dispatch")
class SelectorListApi(ApiMixin, generics.ListAPIView):
    """A paginated list built from selectors (plain Python lists are paginated like querysets)."""

    pagination_class = StandardPagination

    def filters(self) -> dict:
        """The query parameters, checked by `query_serializer_class` (ApiMixin) before the view ran."""
        return self.query
