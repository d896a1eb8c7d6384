"""Reference data agrees with the real public sources in ../shared (read, never copied)."""

import csv
from pathlib import Path

import pytest
from django.conf import settings

from ikms.registry.models import InstitutionKind, InstitutionType, Municipality

REAL = Path(settings.IKMS_SHARED_DIR) / "data" / "real"


@pytest.mark.django_db
def test_municipalities_are_the_43_of_the_2021_reform():
    with (REAL / "lv-municipalities" / "lv_municipalities_2021_iso3166_2.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    ours = {m.code: m for m in Municipality.objects.all()}
    assert set(ours) == {r["iso_3166_2"] for r in rows}
    for r in rows:
        assert ours[r["iso_3166_2"]].name_lv.lower() == r["name"].lower()
        assert ours[r["iso_3166_2"]].kind == ("state_city" if r["type"] == "State city" else "municipality")
    assert Municipality.objects.filter(kind="state_city").count() == 7
    assert Municipality.objects.filter(kind="municipality").count() == 36


@pytest.mark.django_db
def test_every_viis_kind_and_type_is_known():
    with (REAL / "lv-viis-register-2020" / "viis_institutions_2020.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    kinds = set(InstitutionKind.objects.values_list("name_lv", flat=True))
    types = set(InstitutionType.objects.values_list("name_lv", flat=True))
    assert {r["Veids"] for r in rows} <= kinds
    assert {r["Tips"] for r in rows} <= types
