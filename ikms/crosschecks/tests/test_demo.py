"""The demo's 2024 offer-list checks, made by importing generated offer lists line by line, equal
calibration-2024.yaml `adult_education_supervision` when the inspections' selector counts them (with the
inspections' own demo: the expert reviews), and are proportional at other scales."""

import random
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from ikms.crosschecks import demo
from ikms.crosschecks.models import CheckRun, OfferLine, OfferListImport
from ikms.inspections import demo as inspections_demo
from ikms.inspections import selectors

CALIBRATION = yaml.safe_load((Path(settings.IKMS_SHARED_DIR) / "data" / "calibration-2024.yaml").read_text("utf-8"))


@pytest.fixture
def register(world, officer, tmp_path, settings):
    """`world` and 40 more institutions (adult-education supervision visits 36 distinct ones)."""
    from ikms.registry.testing import license_programme, register_institution

    settings.IKMS_LAKE_DIR = tmp_path
    for k in range(40):
        institution = register_institution(actor=officer, founder=world["riga"], name=f"Rīgas {k + 1}. pamatskola")
        license_programme(actor=officer, institution=institution, code="31011111")
    return world


@pytest.mark.django_db
def test_the_offer_lists_reproduce_the_2024_figures(register):
    inspector = register["users"]["supervision_inspector"]
    inspections_demo.generate(rng=random.Random(1), inspector=inspector)
    summary = demo.generate(rng=random.Random(2), scale=1, inspector=inspector)
    adult = CALIBRATION["adult_education_supervision"]
    assert selectors.programme_check_counts(2024) == {
        k: adult[k] for k in ("programme_expert_reviews", "programmes_checked_in_offer_lists", "mismatches_found")
    }
    # the figures are the lines' own results, not numbers written into the checks
    assert OfferLine.objects.filter(offer_list__checked_on__year=2024).count() == 25_753
    assert OfferLine.objects.exclude(result="ok").count() == 1_540
    assert OfferListImport.objects.count() == 48 and summary["offer lists (2024)"] == 48
    assert set(OfferLine.objects.values_list("result", flat=True)) >= {
        "ok", "unknown_provider", "unknown_programme", "address_not_place"}
    assert CheckRun.objects.count() == 1


@pytest.mark.django_db
def test_proportional_at_a_smaller_scale(register):
    demo.generate(rng=random.Random(3), scale=0.02, inspector=register["users"]["supervision_inspector"])
    counts = selectors.programme_check_counts(2024)
    assert (counts["programmes_checked_in_offer_lists"], counts["mismatches_found"]) == (515, 31)
