"""The demo register of child supervision providers, counted by the system, equals the 2024 calibration (annual
report table 4) at scale 1; its entries keep every rule of the services."""

import random
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.db.models import Count

from ikms.childcare import demo, selectors
from ikms.childcare.choices import ProviderKind, ProviderStatus
from ikms.childcare.models import Provider, ProviderDecision

CALIBRATION = Path(settings.IKMS_SHARED_DIR) / "data" / "calibration-2024.yaml"


def test_scale_one_reproduces_table_4(world, officer):
    summary = demo.generate(rng=random.Random(7), scale=1, officer=officer)
    expected = yaml.safe_load(CALIBRATION.read_text(encoding="utf-8"))["child_supervision_providers"]
    assert selectors.decision_counts(year=2024) == expected
    # the report's text: 10 of the providers removed in 2024 were legal persons
    assert selectors.decision_counts(year=2024, provider_kind=ProviderKind.LEGAL)["removed"] == 10
    # the register around it: earlier and later years, applications waiting, a public register of its own
    assert summary["childcare applications waiting"] == demo.OPEN_APPLICATIONS
    assert set(selectors.decision_years()) >= {2020, 2021, 2022, 2023, 2024, 2025}
    registered = Provider.objects.filter(status=ProviderStatus.REGISTERED)
    assert registered.count() > 1000 and not registered.filter(registration_number="").exists()
    assert registered.values("addresses__municipality").distinct().count() > 30
    assert not Provider.objects.annotate(n=Count("addresses")).filter(n=0).exists()
    # every registered or removed entry has its registration decision; each removed one its removal
    public = selectors.provider_public_list()
    assert public.filter(decisions__kind="register").distinct().count() == public.count()
    removed = Provider.objects.filter(status=ProviderStatus.REMOVED)
    assert removed.filter(decisions__kind="remove").distinct().count() == removed.count()
    # personal codes: natural persons only, as hashes, one open entry per person
    natural = Provider.objects.filter(kind=ProviderKind.NATURAL)
    assert not natural.filter(personal_code_digest="").exists()
    assert all(len(d) == 64 for d in natural.values_list("personal_code_digest", flat=True)[:50])
    numbers = ProviderDecision.objects.values_list("number", flat=True)
    assert len(set(numbers)) == len(numbers)


class RollbackError(Exception):
    pass


def test_a_small_scale_runs_and_is_deterministic(officer):
    def run(seed: int):
        try:
            with transaction.atomic():
                demo.generate(rng=random.Random(seed), scale=0.05, officer=officer)
                result = list(
                    Provider.objects.order_by("application_number").values_list("name", "status", "registration_number")
                )
                raise RollbackError
        except RollbackError:
            return result

    assert run(3) == run(3) != run(4)
