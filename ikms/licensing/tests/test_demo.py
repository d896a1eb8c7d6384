"""The demo's licensing applications: open work in every state, entered through the services."""

import random

from django.utils import timezone

from ikms.licensing import demo
from ikms.licensing.models import LicenceApplication
from ikms.registry.testing import register_institution


def test_demo_applications_cover_every_state(world, officer, settings, tmp_path):
    settings.IKMS_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    for k in range(6):
        register_institution(actor=officer, founder=world["riga"], name=f"Rīgas {k + 1}. pamatskola", type_code="basic")
    summary = demo.generate(rng=random.Random(3), officer=officer)
    assert summary["licensing applications"] == 6
    states = sorted(LicenceApplication.objects.values_list("state", flat=True))
    assert states == ["deficiencies", "licensed", "refused", "resubmitted", "submitted", "submitted"]
    overdue = LicenceApplication.objects.get(state="submitted", name__contains="matemātikas")
    assert overdue.case_file.deadlines.get(rule="licence_decision").due_on < timezone.localdate()
