"""The school risk score in the web (issue 17): the risk list ordered by the score with its status, the score page
with its factors in plain words, the model page with the back-test and the algorithm register, the scoping of
scores like the risk flags, and the commands' refusals (no outcome, no model)."""

import pytest
from django.core.management import CommandError, call_command

from ikms.monitoring import selectors
from ikms.monitoring.testing import make_risk_score

YEAR = "2023/2024"


def _client(client, world, role):
    client.force_login(world["users"][role])
    return client


def test_risk_list_is_ordered_by_the_score_with_its_status(client, monitored):
    a1, b1 = monitored["a1"], monitored["b1"]
    c = _client(client, monitored, "supervision_inspector")
    html = c.get(f"/en/monitoring/riski/?year={YEAR}").content.decode()
    assert html.index(a1.name) < html.index(b1.name)  # no scores: the rules' order (a1 5, b1 2)
    assert "Model risk score" not in html
    make_risk_score(a1.registration_number, YEAR, probability=0.3, rank=2)
    make_risk_score(b1.registration_number, YEAR, probability=0.6, rank=1)
    html = c.get(f"/en/monitoring/riski/?year={YEAR}").content.decode()
    assert html.index(b1.name) < html.index(a1.name)  # the score orders the list
    assert "Model risk score: <strong>60 %</strong>" in html and "Model risk score: <strong>30 %</strong>" in html
    assert f"/monitoring/riska-vertejums/{b1.registration_number}/?year={YEAR}" in html
    make_risk_score(b1.registration_number, YEAR, probability=None, reason="coverage")
    html = c.get(f"/en/monitoring/riski/?year={YEAR}").content.decode()
    assert html.index(a1.name) < html.index(b1.name) and "Not scored" in html  # not scored: after the scored


def test_score_page_lists_the_factors_in_plain_words(client, monitored):
    a1 = monitored["a1"]
    make_risk_score(a1.registration_number, YEAR, probability=0.42,
                    contributions={"wellbeing_pupils": -0.25, "rule_weight": 0.9}, intercept=-1.5)
    c = _client(client, monitored, "quality_expert")
    html = c.get(f"/en/monitoring/riska-vertejums/{a1.registration_number}/?year={YEAR}").content.decode()
    assert "Risk rule flags (weighted): raises the risk" in html
    assert "Pupils&#x27; well-being: lowers the risk" in html
    assert html.index("Risk rule flags (weighted)") < html.index("Pupils&#x27; well-being")  # largest first
    assert "<strong>42 %</strong>" in html and "1.test" in html and "2025-06-30" in html
    assert "-0.850" in html  # the score's log-odds: -1.5 + 0.9 - 0.25, the sum of the table's rows
    assert 'data-chart="risk-factors"' in html and 'id="risk-factors"' in html  # chart with its table
    lv = c.get(f"/monitoring/riska-vertejums/{a1.registration_number}/?year={YEAR}").content.decode()
    assert "Riska noteikumu signāli (svērti): paaugstina risku" in lv and "Skolēnu labizjūta: pazemina risku" in lv
    make_risk_score(a1.registration_number, YEAR, probability=None, reason="coverage")
    html = c.get(f"/en/monitoring/riska-vertejums/{a1.registration_number}/?year={YEAR}").content.decode()
    assert "Not scored" in html and "Too few of the indicators have data" in html and "raises the risk" not in html


def test_scores_are_scoped_like_the_risk_flags(client, monitored):
    a1, b1 = monitored["a1"], monitored["b1"]
    make_risk_score(a1.registration_number, YEAR)
    make_risk_score(b1.registration_number, YEAR)
    assert set(selectors.risk_scores_for(YEAR)) == {a1.registration_number, b1.registration_number}
    users = monitored["users"]
    assert set(selectors.risk_scores_visible_to(users["founder_riga"], YEAR)) == {a1.registration_number}
    assert set(selectors.risk_scores_visible_to(users["analyst"], YEAR)) == {a1.registration_number,
                                                                           b1.registration_number}
    url = f"/en/monitoring/riska-vertejums/{a1.registration_number}/?year={YEAR}"
    assert _client(client, monitored, "founder_ogre").get(url).status_code == 404
    assert _client(client, monitored, "head_a1").get(url).status_code == 200


def test_model_page_shows_the_backtest_baselines_calibration_subgroups_and_register(client, monitored):
    make_risk_score(monitored["a1"].registration_number, YEAR)
    c = _client(client, monitored, "analyst")
    html = c.get("/en/monitoring/riska-modelis/").content.decode()
    assert "Rule count (today&#x27;s list)" in html and "School size and type only" in html
    assert 'id="risk-calibration-table"' in html and 'data-chart="risk-calibration"' in html
    assert 'id="risk-subgroup-alarm"' in html and "Not held: the register does not record it." in html
    assert "Human oversight" in html and "Legal basis" in html
    lv = c.get("/monitoring/riska-modelis/").content.decode()
    assert "Cilvēka uzraudzība" in lv and "Juridiskais pamats" in lv
    assert "Neatklāto gadījumu īpatsvars, %" in lv and "Valstspilsēta" in lv and "state_city" not in lv
    client.logout()  # published: anyone may read the back-test (aggregates only)
    assert client.get("/en/monitoring/riska-modelis/").status_code == 200


def test_commands_refuse_without_an_outcome_or_a_model(monitored, settings, tmp_path):
    settings.IKMS_LATENT_PATH = tmp_path / "none.parquet"
    settings.IKMS_RISK_MODEL = tmp_path / "none.joblib"
    with pytest.raises(CommandError, match="trūkst slēptās kvalitātes faila"):
        call_command("risk_model_train")
    with pytest.raises(CommandError, match="vispirms palaidiet risk_model_train"):
        call_command("risk_scores_compute", "--year", YEAR)
