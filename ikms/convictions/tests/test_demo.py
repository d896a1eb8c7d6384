"""The demo's commission records, counted by the system, equal the 2024 calibration (`previously_convicted_persons`):
meetings, permits granted, refusals and annulments; the 30 decisions of 2024 concern 30 persons."""

import datetime as dt
import random
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.utils import timezone

from ikms.convictions import demo, selectors
from ikms.convictions.choices import DecisionKind
from ikms.convictions.models import Application, Decision, ReadLog

CALIBRATION = Path(settings.IKMS_SHARED_DIR) / "data" / "calibration-2024.yaml"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.IKMS_PRIVATE_MEDIA_ROOT = tmp_path / "private"


def test_the_demo_reproduces_the_2024_figures(world):
    users = world["users"]
    secretary, member = users["conviction_secretary"], users["conviction_commission"]
    summary = demo.generate(rng=random.Random(7), secretary=secretary, member=member)
    expected = yaml.safe_load(CALIBRATION.read_text(encoding="utf-8"))["previously_convicted_persons"]
    assert set(expected) == {"commission_meetings", "permits_granted", "refused", "annulled"}
    for user in (secretary, member):
        assert selectors.calibration_counts(user, 2024) == expected
    assert selectors.published_counts(2024) == expected  # the annual report's counts, over every record
    figures = selectors.year_figures(member, 2024)
    assert figures.limited == 0  # no permit of 2024 was limited to target groups (annual report)
    assert figures.decisions == figures.persons == sum(expected.values()) - expected["commission_meetings"]
    # the annulled permit was granted in 2023; the recent applications wait, one past its deadline
    annulment = Decision.objects.get(kind=DecisionKind.ANNULMENT)
    assert annulment.annuls.date.year == 2023 and annulment.date.year == 2024
    waiting = Application.objects.filter(outcome="")
    assert waiting.count() == len(demo.OPEN_RECENT) == summary["conviction applications waiting"]
    today = timezone.localdate()
    assert [a for a in waiting if selectors.urgency(selectors.decision_deadline(a), today) == "overdue"] == [
        waiting.get(received_on=today - dt.timedelta(days=demo.OPEN_RECENT[0]))
    ]
    assert selectors.overdue_count(member, today=today) == 1 and selectors.open_count(member) == 4
    assert ReadLog.objects.exists()
    # nobody outside the commission counts anything
    for role in ("ikvd_admin", "data_protection_officer", "analyst"):
        assert set(selectors.calibration_counts(users[role], 2024).values()) == {0}
