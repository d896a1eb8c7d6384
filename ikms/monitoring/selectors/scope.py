"""Whose monitoring results a user may see: the scopers of institutions, municipalities and value units, each
one rule from ikms.monitoring.permissions, shared by the pages and the API."""

from __future__ import annotations

from django.core.cache import cache as django_cache
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from ikms.monitoring import permissions
from ikms.monitoring.models import Grain
from ikms.registry import access
from ikms.registry.choices import InstitutionStatus
from ikms.registry.models import Institution, InstitutionType, Municipality

#: The unit of the national values.
NATION = "LV"


def _monitored_base() -> QuerySet[Institution]:
    return (Institution.objects.filter(status__in=[InstitutionStatus.REGISTERED, InstitutionStatus.LIQUIDATED])
            .select_related("type", "municipality", "founder"))


def institutions_for_monitoring(user, *, municipality: str | None = None,
                                type_code: str | None = None) -> QuerySet[Institution]:
    """Registered (or since liquidated) institutions whose monitoring results the user may see
    (permissions.MONITORED_INSTITUTION), optionally only those of a municipality (code) and of a type (code)."""
    qs = permissions.MONITORED_INSTITUTION.scope(user, _monitored_base())
    if municipality:
        qs = qs.filter(municipality__code=municipality)
    if type_code:
        qs = qs.filter(type__code=type_code)
    return qs


def institution_for_monitoring(user, registration_number: str) -> Institution:
    """One of them by registration number, or Http404."""
    return permissions.MONITORED_INSTITUTION.get(user, _monitored_base(), registration_number=registration_number)


def municipalities_for_user(user) -> QuerySet[Municipality]:
    """Municipalities whose results the user may see (permissions.MUNICIPALITY)."""
    return permissions.MUNICIPALITY.scope(user, Municipality.objects.all().order_by("name_lv"))


def municipality_for_user(user, code: str) -> Municipality:
    return permissions.MUNICIPALITY.get(user, Municipality.objects.all(), code=code)


def narrowed_institutions(user, *, institution: str = "", municipality: str = "",
                          scoper=institutions_for_monitoring) -> QuerySet[Institution]:
    """The institutions the user may see (the scoper), narrowed to a municipality and an institution; Http404 for
    an unknown or invisible one (a municipality is visible if it is the user's or one of its institutions is
    there, as for values)."""
    qs = scoper(user)
    if municipality:
        if not qs.filter(municipality__code=municipality).exists():
            municipality_for_user(user, municipality)
        qs = qs.filter(municipality__code=municipality)
    if institution:
        qs = qs.filter(registration_number=institution)
        if not qs.exists():
            raise Http404
    return qs


def risk_flag_institutions_visible_to(user) -> QuerySet[Institution]:
    """The institutions whose risk flags the user may see (ADR 0016): every one for IKVD staff, a founder's
    own, a head's own; none for anybody else (permissions.RISK_FLAG; can_view_risk_flags is its one-object
    twin)."""
    return permissions.RISK_FLAG.institutions(user, _monitored_base())


def value_units_visible_to(user) -> dict[str, set[str]] | None:
    """The units whose indicator values the user may see, per grain (None: every unit, for IKVD staff): the
    same units whose pages the user may open — institutions (MONITORED_INSTITUTION), municipalities
    (MUNICIPALITY: a founder its own), the nation (NATION: IKVD staff). The API and the pages read values
    through this one rule."""
    if permissions.NATION.allows(user) and permissions.MONITORED_INSTITUTION.sees_everything(user):
        return None
    return {Grain.INSTITUTION: set(institutions_for_monitoring(user).values_list("registration_number", flat=True)),
            Grain.MUNICIPALITY: set(municipalities_for_user(user).values_list("code", flat=True)),
            Grain.NATION: {NATION} if permissions.NATION.allows(user) else set()}


def value_unit_grain_for_user(user, unit: str) -> str:
    """The grain of a unit whose values the user may see; Http404 for an unknown or invisible one (the same
    answer), PermissionDenied for the nation to a user who may not see the national figures (as its page)."""
    if unit == NATION:
        if not permissions.NATION.allows(user):
            raise PermissionDenied
        return Grain.NATION
    if institutions_for_monitoring(user).filter(registration_number=unit).exists():
        return Grain.INSTITUTION
    if municipalities_for_user(user).filter(code=unit).exists():
        return Grain.MUNICIPALITY
    raise Http404


def scope_key(user) -> str:
    """Cache-key fingerprint of the user's scope (ikms.registry.access.scope_key)."""
    return access.scope_key(user)


def classifier_codes(kind: str) -> frozenset[str]:
    """The codes a page's filter accepts: institution types ("type") or municipalities (any other kind).
    Classifiers change only through a data load, so they are cached for ten minutes."""
    key = f"ikms:codes:{kind}"
    codes = django_cache.get(key)
    if codes is None:
        model = InstitutionType if kind == "type" else Municipality
        codes = frozenset(model.objects.values_list("code", flat=True))
        django_cache.set(key, codes, 600)
    return codes
