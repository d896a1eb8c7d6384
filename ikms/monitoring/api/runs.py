"""The computation runs a user may see (ADR 0016), with their scope and counts narrowed to the user's units."""

from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from rest_framework import generics

from ikms.core.api import ApiMixin
from ikms.monitoring import selectors
from ikms.monitoring.api.common import TAGS, CanUseMonitoring, SelectorListApi
from ikms.monitoring.api.serializers import RunFilterSerializer, RunOutputSerializer


@extend_schema(tags=TAGS, responses={200: RunOutputSerializer})
class RunListApi(SelectorListApi):
    """Runs of the indicator and risk engine, newest first: what produced the values (the engine, the spec
    version, the data snapshot read). IKVD staff see every run; founders and heads the complete runs and the
    recomputations of their own institutions, with the scope and the counts narrowed to what they may see
    (ADR 0016)."""

    serializer_class = RunOutputSerializer
    permission_classes = [CanUseMonitoring]
    query_serializer_class = RunFilterSerializer

    def get_queryset(self):
        f = self.filters()
        qs = selectors.runs_visible_to(self.request.user)
        if f.get("school_year"):
            qs = qs.filter(school_year=f["school_year"])
        if f.get("status"):
            qs = qs.filter(status=f["status"])
        return qs

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "units": selectors.value_units_visible_to(self.request.user)}


@extend_schema(tags=TAGS)
@method_decorator(login_not_required, name="dispatch")
class RunDetailApi(ApiMixin, generics.RetrieveAPIView):
    """One computation run (the same scoping as the list; 404 for a run the user may not see)."""

    serializer_class = RunOutputSerializer
    permission_classes = [CanUseMonitoring]

    def get_object(self):
        return selectors.run_get_for_user(self.request.user, self.kwargs["pk"])

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "units": selectors.value_units_visible_to(self.request.user)}
