"""The demo inspections counted by the system equal calibration-2024.yaml (supervision, adult-education supervision,
the unified-school thematic evaluation), and the thematic aggregation counts answers across visits."""

import random
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.exceptions import ValidationError

from ikms.inspections import demo, selectors
from ikms.inspections.choices import InspectionState
from ikms.inspections.models import Inspection
from ikms.inspections.questionnaires import aggregate, calibration_figures, questionnaire, questionnaires

CALIBRATION = yaml.safe_load((Path(settings.IKMS_SHARED_DIR) / "data" / "calibration-2024.yaml").read_text("utf-8"))


@pytest.fixture
def register(world, officer):
    """`world` and 40 more institutions (adult-education supervision visits 36 distinct ones)."""
    from ikms.registry.testing import register_institution

    for k in range(40):
        register_institution(actor=officer, founder=world["riga"], name=f"Rīgas {k + 1}. pamatskola")
    return world


def test_demo_counts_equal_the_calibration(register, client):
    inspector = register["users"]["supervision_inspector"]
    summary = demo.generate(rng=random.Random(1), inspector=inspector)
    assert summary["inspections open"] > 0
    assert selectors.supervision_inspection_count(2024) == CALIBRATION["supervision"]["inspections"]
    assert selectors.supervision_inspection_count(2023) == 245  # calibration: "inspections: 120  # 2023: 245"
    adult = CALIBRATION["adult_education_supervision"]
    assert selectors.adult_education_counts(2024) == {
        k: adult[k]
        for k in ("institutions_inspected", "inspection_acts", "acts_with_recommendations", "recommendations")
    }
    # the offer-list figures come from ikms.crosschecks' demo, which checks imported offer lists line by line
    # (ikms/crosschecks/tests/test_demo.py asserts them after both demos)
    assert selectors.programme_check_counts(2024)["programme_expert_reviews"] == adult["programme_expert_reviews"]
    assert selectors.adult_education_acts_by_type(2024) == {
        "implementation": 83,
        "placement": 27,
        "qualification_exam": 9,
    }
    q = questionnaire(demo.UNIFIED)
    visits, results = selectors.thematic_results(q)
    unified = CALIBRATION["unified_school_evaluation_2023_2024"]
    assert calibration_figures(q, visits, results) == unified
    for state in InspectionState.values:
        if state != InspectionState.CANCELLED:
            assert Inspection.objects.filter(state=state).exists(), state
    assert selectors.open_orders(today=demo.timezone.localdate()).exists()
    by_year = dict(selectors.visits_by_year_and_stream(years=5))
    assert (by_year[2024][0], by_year[2024][1], by_year[2023][0]) == (120, 119, 245)
    assert by_year[2023][2] + by_year[2024][2] == unified["institutions_visited"]
    client.force_login(register["users"]["analyst"])
    page = client.get("/en/parbaudes/").content.decode()
    assert "Inspections visited per year" in page and ">245<" in page


def test_aggregation_counts_each_answer_across_visits():
    q = questionnaire("assessment_readiness")
    rows = [
        (1, "assessment_rules_published", True),
        (1, "readiness_level", "good"),
        (2, "assessment_rules_published", False),
        (2, "readiness_level", "needs_improvement"),
        (3, "assessment_rules_published", True),
        (3, "note", "Labi sagatavoti"),
        (3, "readiness_level", "excellent"),
    ]
    visits, results = aggregate(q, rows)
    by_code = {r.question.code: r for r in results}
    assert visits == 3
    assert by_code["assessment_rules_published"].counts == {"yes": 2, "no": 1}
    assert by_code["assessment_rules_published"].share == pytest.approx(200 / 3)
    assert by_code["rules_follow_regulations"].answered == 0
    assert by_code["readiness_level"].groups == {"insufficient": 0, "needs_improvement": 1, "optimal_or_ahead": 2}
    assert "note" not in by_code


def test_answers_are_checked_against_the_question_types():
    q = questionnaire("social_care")
    assert q.clean({"learners_in_care": 12, "all_learners_enrolled": True, "note": ""}) == {
        "learners_in_care": 12,
        "all_learners_enrolled": True,
    }
    with pytest.raises(ValidationError) as e:
        q.clean({"learners_in_care": -1, "provision_level": "great", "unknown": True})
    assert set(e.value.message_dict) == {"learners_in_care", "provision_level", "unknown"}


def test_the_three_questionnaires_are_defined():
    assert set(questionnaires()) == {"unified_school_2023_2024", "assessment_readiness", "social_care"}
