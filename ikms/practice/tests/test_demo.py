"""The demo register of teacher private-practice certificates, counted by the system, equals the 2024 calibration
at scale 1; its certificates keep every rule of the services."""

import random
from pathlib import Path

import yaml
from django.conf import settings
from django.db.models import F

from ikms.practice import demo, selectors
from ikms.practice.choices import AnnulmentReason, DecisionKind
from ikms.practice.models import Certificate, CertificateDecision, Teacher

CALIBRATION = Path(settings.IKMS_SHARED_DIR) / "data" / "calibration-2024.yaml"


def test_scale_one_reproduces_the_2024_certificates(world, officer):
    demo.generate(rng=random.Random(7), scale=1, officer=officer)
    expected = yaml.safe_load(CALIBRATION.read_text(encoding="utf-8"))["teacher_private_practice_certificates"]
    assert selectors.certificate_counts(year=2024) == expected
    # the 2024 annulments follow the State Language Centre's check (MK 682 point 14.3), as the report says
    annulled = CertificateDecision.objects.filter(date__year=2024, kind=DecisionKind.ANNUL)
    assert set(annulled.values_list("reason", flat=True)) == {AnnulmentReason.STATE_LANGUAGE}
    # the register keeps its rules: terms after issue, annulments with a reason, one decision per issue
    assert not Certificate.objects.filter(valid_until__lte=F("issued_on")).exists()
    assert not Certificate.objects.filter(annulled_on__isnull=False, annulment_reason="").exists()
    issues = CertificateDecision.objects.filter(kind=DecisionKind.ISSUE)
    assert issues.count() == Certificate.objects.count()
    assert Teacher.objects.count() < Certificate.objects.count()  # some teachers hold several certificates
    assert set(selectors.decision_years()) >= {2021, 2022, 2023, 2024, 2025}
