"""The complaints' provider to monitoring's supervision registry: the open complaints about an institution reach the
visit planner (ikms.monitoring.supervision.open_matters), monitoring never importing complaints."""

import datetime as dt

import pytest

from ikms.complaints.services import complaint_register
from ikms.monitoring import supervision


@pytest.mark.django_db
def test_open_complaints_reach_the_planner_through_the_complaints_provider(world, settings, tmp_path):
    settings.IKMS_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    complaint_register(actor=world["users"]["supervision_inspector"], channel="email", submitter_type="parent",
                       text="Skolotāja kliedz uz bērniem.", received_on=dt.date(2026, 11, 2),
                       institutions=[world["a1"]], topics=["teacher_ethics"], submitter_name="Anna Bērziņa",
                       submitter_contact="anna@example.lv")
    matters = supervision.open_matters()
    assert matters[world["a1"].pk]["complaints"] == 1
    assert world["b1"].pk not in matters
