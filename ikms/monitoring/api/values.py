"""Indicator values of the units the user may see (`selectors.values_visible_to`)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied

from ikms.monitoring import permissions as monitoring_permissions
from ikms.monitoring import selectors
from ikms.monitoring.api.common import TAGS, CanUseMonitoring, SelectorListApi, school_year_or_latest
from ikms.monitoring.api.serializers import ValueFilterSerializer, ValueOutputSerializer
from ikms.monitoring.models import Grain


@extend_schema(tags=TAGS, responses={200: ValueOutputSerializer})
class ValueListApi(SelectorListApi):
    """Indicator values of a school year (the current ones: the latest complete run, overlaid by later
    single-institution recomputations), of the units whose pages the user may open: IKVD staff every unit; a
    founder its institutions and its municipality; a head its institution. An institution's row carries its
    municipality's and the nation's value of the same breakdown, as the institution's dashboard shows them."""

    serializer_class = ValueOutputSerializer
    permission_classes = [CanUseMonitoring]
    query_serializer_class = ValueFilterSerializer

    def get_queryset(self):
        f = self.filters()
        user = self.request.user
        year = school_year_or_latest(f)
        if f.get("grain") == Grain.NATION and not monitoring_permissions.can_view_nation(user):
            raise PermissionDenied(_("The national figures are for IKVD staff."))
        return selectors.values_visible_to(user, year=year, grain=f.get("grain") or None, unit=f.get("unit") or None,
                                           indicator=f.get("indicator") or None, level=f.get("level") or None,
                                           semester=f.get("semester") or None, category=f.get("category") or None)
