"""The inspection list and one inspection, read through the selectors the inspection pages use."""

from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from rest_framework import generics

from ikms.core.api import ApiMixin, predicate_permission
from ikms.inspections import permissions, selectors
from ikms.inspections.api.serializers import (
    InspectionDetailOutputSerializer,
    InspectionFilterSerializer,
    InspectionOutputSerializer,
)

TAGS = ["inspections"]

CanUseInspections = predicate_permission(permissions.can_use_inspections)


@extend_schema(tags=TAGS)
@method_decorator(login_not_required, name="dispatch")
class InspectionListApi(ApiMixin, generics.ListAPIView):
    """The inspections the user sees, the latest planned first, with the list page's filters: IKVD staff every
    inspection, a head or founder its institutions' once the act is sent."""

    serializer_class = InspectionOutputSerializer
    permission_classes = [CanUseInspections]
    query_serializer_class = InspectionFilterSerializer

    def get_queryset(self):
        return selectors.inspection_list(self.request.user, **self.query)


@extend_schema(tags=TAGS)
@method_decorator(login_not_required, name="dispatch")
class InspectionDetailApi(ApiMixin, generics.RetrieveAPIView):
    """One inspection with its act, findings, recommendations and orders (deadline, status, follow-up evidence)
    and questionnaire answers (404 for one the user may not see, as on its page). `visit` and `complaint`
    are given to IKVD staff only."""

    serializer_class = InspectionDetailOutputSerializer
    permission_classes = [CanUseInspections]

    def get_object(self):
        return selectors.inspection_get_for_user(user=self.request.user, pk=self.kwargs["pk"])
