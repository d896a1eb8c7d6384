"""The indicator catalogue: every indicator the engine computes, and one of them."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from rest_framework import generics

from ikms.core.api import ApiMixin
from ikms.monitoring import selectors
from ikms.monitoring.api.common import TAGS, CanUseMonitoring, SelectorListApi
from ikms.monitoring.api.serializers import IndicatorFilterSerializer, IndicatorOutputSerializer


@extend_schema(tags=TAGS, responses={200: IndicatorOutputSerializer})
class IndicatorListApi(SelectorListApi):
    """The indicator catalogue (every indicator the engine computes), in theme order."""

    serializer_class = IndicatorOutputSerializer
    permission_classes = [CanUseMonitoring]
    query_serializer_class = IndicatorFilterSerializer

    def get_queryset(self):
        f = self.filters()
        rows = list(selectors.indicators().values())
        if f.get("theme"):
            rows = [i for i in rows if i.theme == f["theme"]]
        if f.get("type"):
            rows = [i for i in rows if i.type == f["type"]]
        return rows


@extend_schema(tags=TAGS)
@method_decorator(login_not_required, name="dispatch")
class IndicatorDetailApi(ApiMixin, generics.RetrieveAPIView):
    """One indicator of the catalogue."""

    serializer_class = IndicatorOutputSerializer
    permission_classes = [CanUseMonitoring]

    def get_object(self):
        try:
            return selectors.indicators()[self.kwargs["code"]]
        except KeyError:
            raise Http404 from None
