"""The demo register of psychologists, counted by the system, equals the 2024 calibration (at every scale: the
register is written in full), and its entries agree with the decisions that made them."""

import datetime as dt
import random
from pathlib import Path

import yaml
from django.conf import settings
from django.db.models import F

from ikms.accounts.roles import Role
from ikms.accounts.testing import make_user
from ikms.psychologists import demo, selectors
from ikms.psychologists.choices import STATUS_AFTER, DecisionKind, PsychologistStatus
from ikms.psychologists.models import Application, Certificate, Decision, Psychologist

CALIBRATION = yaml.safe_load((Path(settings.IKMS_SHARED_DIR) / "data" / "calibration-2024.yaml").read_text("utf-8"))


def test_the_demo_counted_by_the_system_equals_the_2024_calibration(db):
    officer = make_user(Role.REGISTRY_OFFICER, username="psych-demo-officer")
    # a small scale and a day early in 2025: the register's figures do not depend on either
    summary = demo.generate(rng=random.Random(7), scale=0.05, officer=officer, today=dt.date(2025, 2, 20))
    assert summary["psychologists registered 2018–2023"] == sum(demo.REGISTERED.values())

    assert selectors.year_counts(2024) == CALIBRATION["psychologists"]

    # the entries' current fields agree with the decisions that made them
    for p in Psychologist.objects.all():
        last = Decision.objects.filter(psychologist=p, kind__in=list(STATUS_AFTER)).order_by("date", "id").last()
        assert p.status == STATUS_AFTER[last.kind], p
    for c in Certificate.objects.all():
        terms = Decision.objects.filter(certificate=c, kind__in=(DecisionKind.CERTIFY, DecisionKind.RENEW))
        assert max(d.valid_until for d in terms) == c.valid_until
        rights = list(
            Decision.objects.filter(
                certificate=c, kind__in=(DecisionKind.GRANT_SUPERVISOR, DecisionKind.WITHDRAW_SUPERVISOR)
            ).order_by("date", "id")
        )
        assert c.supervisor == bool(rights and rights[-1].kind == DecisionKind.GRANT_SUPERVISOR)
    # every board decision is dated the day of its meeting; IKVD's recognitions have none
    assert not Decision.objects.exclude(meeting=None).exclude(date=F("meeting__date")).exists()
    assert set(Decision.objects.filter(meeting=None).values_list("kind", flat=True)) == {DecisionKind.RECOGNISE}
    # personal codes only as keyed hashes; some entries suspended; the secretariat's open applications
    assert all(len(d) == 64 for d in Psychologist.objects.values_list("personal_code_digest", flat=True))
    assert Psychologist.objects.filter(status=PsychologistStatus.SUSPENDED).exists()
    assert Application.objects.filter(decision__isnull=True).count() == 5
