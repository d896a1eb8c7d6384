"""The complaint list and one complaint, read through the selectors the complaint pages use."""

from django.contrib.auth.decorators import login_not_required
from django.utils import timezone
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from rest_framework import generics

from ikms.complaints import permissions, selectors
from ikms.complaints.api.serializers import (
    ComplaintDetailOutputSerializer,
    ComplaintFilterSerializer,
    ComplaintOutputSerializer,
)
from ikms.core.api import ApiMixin, predicate_permission

TAGS = ["complaints"]

CanUseComplaints = predicate_permission(permissions.can_use_complaints)


@extend_schema(tags=TAGS)
@method_decorator(login_not_required, name="dispatch")
class ComplaintListApi(ApiMixin, generics.ListAPIView):
    """The complaints the user sees, newest first, with the list page's filters: supervision staff every
    complaint, a founder those forwarded to it; nobody else may use the list. No submitter's identity."""

    serializer_class = ComplaintOutputSerializer
    permission_classes = [CanUseComplaints]
    query_serializer_class = ComplaintFilterSerializer

    def get_queryset(self):
        return selectors.complaint_list(self.request.user, today=timezone.localdate(), **self.query)


@extend_schema(tags=TAGS)
@method_decorator(login_not_required, name="dispatch")
class ComplaintDetailApi(ApiMixin, generics.RetrieveAPIView):
    """One complaint (404 for one the user may not see, as on its page). `submitter` and `text` are given only to
    supervision staff, and not for a complaint whose submitter asked for confidentiality; a founder reads the
    inspector's summary (`forwarded_summary`) instead."""

    serializer_class = ComplaintDetailOutputSerializer
    permission_classes = [CanUseComplaints]

    def get_object(self):
        return selectors.complaint_get_for_user(user=self.request.user, pk=self.kwargs["pk"])
