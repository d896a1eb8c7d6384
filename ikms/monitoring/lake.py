"""Bridges between the web database and the lake: the register dimension the generator and the
imports validate against."""

from pathlib import Path

import pandas as pd
from django.conf import settings
from django.db.models import Prefetch

from ikms.registry.choices import InstitutionStatus, LicenceStatus
from ikms.registry.models import Institution, Programme


def institutions_frame() -> pd.DataFrame:
    """Registered (and since liquidated) institutions with their licensed programme codes."""
    licensed = Programme.objects.filter(status__in=[LicenceStatus.LICENSED, LicenceStatus.LAPSED]).only(
        "code", "institution_id")
    rows = []
    qs = (Institution.objects.filter(status__in=[InstitutionStatus.REGISTERED, InstitutionStatus.LIQUIDATED])
          .select_related("type", "type__kind", "municipality", "founder")
          .prefetch_related(Prefetch("programmes", queryset=licensed)).order_by("registration_number"))
    for inst in qs:
        rows.append({"institution": inst.registration_number, "name": inst.name, "type": inst.type.code,
                     "kind": inst.type.kind.code, "municipality": inst.municipality.code,
                     "founder_kind": inst.founder.kind,
                     "programmes": sorted({p.code for p in inst.programmes.all()})})
    return pd.DataFrame(rows, columns=["institution", "name", "type", "kind", "municipality", "founder_kind",
                                       "programmes"])


def size_source() -> Path | None:
    """The real 2020/21 pupil counts per school, used as the fact source for school sizes (never copied)."""
    path = Path(settings.IKMS_SHARED_DIR) / "data/real/lv-viis-register-2020/izm_general_schools_2020_21.csv"
    return path if path.exists() else None
