"""The diagnostic assessments on the public school profile (issue 15, item 6): shown by grade and domain beside the
national figure, hidden under the one disclosure rule (fewer than 5 pupils assessed)."""

import pytest

from ikms.monitoring.testing import store_run
from ikms.portal import profiles

pytestmark = pytest.mark.django_db

YEAR = "2023/2024"


def test_diagnostic_scores_on_the_profile_with_disclosure_control(client, world):
    a1, b1 = world["a1"].registration_number, world["b1"].registration_number
    grade3, grade6 = "diagnostic_mean_score_grade3", "diagnostic_mean_score_grade6"
    store_run(YEAR, [
        {"indicator": grade3, "grain": "institution", "unit": a1, "category": "numeracy", "value": 61.25,
         "numerator": 61.25 * 12, "denominator": 12},
        {"indicator": grade3, "grain": "institution", "unit": a1, "category": "literacy", "value": 70.0,
         "numerator": 280.0, "denominator": 4},
        {"indicator": grade6, "grain": "institution", "unit": b1, "category": "science", "value": 55.0,
         "numerator": 550.0, "denominator": 10},
        {"indicator": grade3, "grain": "nation", "unit": "LV", "category": "numeracy", "value": 58.0,
         "numerator": 5800.0, "denominator": 100},
        {"indicator": "wellbeing_pupil_index", "grain": "institution", "unit": a1, "value": 3.84,
         "numerator": 3.84 * 40, "denominator": 40},
        {"indicator": "wellbeing_teacher_index", "grain": "institution", "unit": a1, "value": 4.2,
         "numerator": 4.2 * 3, "denominator": 3},
    ])
    school = profiles.public_indicators([a1])[a1]
    numeracy = school.row(f"{grade3}:::numeracy")
    assert numeracy.at(YEAR) == profiles.Figure(61.3)  # rounded half up
    assert numeracy.nation_at(YEAR) == profiles.Figure(58.0)
    assert numeracy.section == "diagnostics" and numeracy.short_label == "3. klase: Matemātika"
    assert school.row(f"{grade3}:::literacy").at(YEAR) == profiles.HIDDEN  # 4 pupils
    assert school.row("wellbeing_pupil_index:::").at(YEAR) == profiles.Figure(3.8)
    assert school.row("wellbeing_teacher_index:::").at(YEAR) == profiles.HIDDEN  # 3 teachers answered
    html = client.get(f"/profili/{a1}/").content.decode()
    assert "Diagnosticējošie darbi" in html and "61,3" in html and "70,0" not in html
    assert "Labizjūtas aptauja" in html and "4,2" not in html
