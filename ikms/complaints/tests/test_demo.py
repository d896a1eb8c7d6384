"""The demo's complaints and consultations, counted by the system, equal the 2024 calibration at scale 1."""

import random
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.utils import timezone, translation

from ikms.complaints import demo, selectors
from ikms.complaints.models import Complaint, SurveyInvitation

CALIBRATION = Path(settings.IKMS_SHARED_DIR) / "data" / "calibration-2024.yaml"


@pytest.fixture(autouse=True)
def _lv(settings, tmp_path):
    settings.IKMS_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    with translation.override("lv"):
        yield


def test_scale_one_reproduces_the_2024_supervision_figures(world):
    summary = demo.generate(rng=random.Random(1), scale=1, inspector=world["users"]["supervision_inspector"])
    expected = yaml.safe_load(CALIBRATION.read_text(encoding="utf-8"))["supervision"]
    counted = selectors.calibration_counts(2024)
    for key in (
        "complaints_examined",
        "confirmed",
        "not_confirmed",
        "explanation_given",
        "referred_to_founder_or_other_authority",
        "consultations",
    ):
        assert counted[key] == expected[key], key
    assert selectors.calibration_counts(2023)["complaints_examined"] == 620  # the comment beside the 2024 figure
    assert summary["complaints"] == 570 + 620 + demo.OPEN_RECENT
    # every 2023 and 2024 complaint is closed; the recent ones are open, some overdue, on the inspector's queue
    assert not Complaint.objects.filter(received_on__year__in=(2023, 2024), case_file__closed_on__isnull=True).exists()
    today = timezone.localdate()
    recent = Complaint.objects.filter(case_file__closed_on__isnull=True)
    assert recent.count() == demo.OPEN_RECENT
    assert any(selectors.complaint_urgency(c, today) == "overdue" for c in recent)
    # the quarterly trends add up; surveys were sent and some answered
    trend = selectors.trends(2024)
    assert trend["total"] == 570 and sum(row[2] for row in trend["outcome"]) == 570
    assert SurveyInvitation.objects.filter(answered_on__isnull=False).exists()
