"""Risk rules in words on the web side: the YAML's templates in the active language with Django's number format
and the code labels; nothing rule-specific in the code, so a threshold changed in the YAML changes the texts."""

from pathlib import Path

import pytest
from django.utils import translation
from django.utils.html import escape

from analytics.tests.test_texts import changed_catalogue
from ikms.monitoring import selectors
from ikms.monitoring.evidence import rule_description, sentences
from ikms.monitoring.selectors import definitions

R2_EVIDENCE = {"indicator": "learners_over_unexcused_lessons_threshold", "operator": ">=", "threshold": 1.0,
               "params": {"threshold_learners": 1}, "institution_type": "basic", "combine": "all",
               "periods": {"2023/2024": [{"semester": 1, "value": 4.0, "denominator": 120.0}]}}


@pytest.fixture
def yaml_changed(tmp_path: Path, monkeypatch):
    """The pages' catalogue loaded from a copy of the definitions with R2's threshold at 3 learners and its
    indicator's lessons at 25."""
    catalogue = changed_catalogue(tmp_path)
    selectors.rules.cache_clear()
    selectors.indicators.cache_clear()
    monkeypatch.setattr(definitions, "catalogue", lambda: catalogue)
    yield catalogue
    selectors.rules.cache_clear()
    selectors.indicators.cache_clear()


def test_sentences_follow_the_active_language():
    with translation.override("en"):
        assert sentences("R2", R2_EVIDENCE) == [
            "In semester 1 of 2023/2024, 4 learners missed more than 20 lessons without a valid reason (of 120 "
            "learners in all); the rule: at least 1 learner."]
    with translation.override("lv"):
        assert sentences("R2", R2_EVIDENCE) == [
            "Mācību gada 2023/2024 1. semestrī 4 izglītojamie bez attaisnojoša iemesla kavēja vairāk nekā 20 mācību "
            "stundu (iestādē kopā 120 izglītojamo); noteikums: vismaz 1 izglītojamais."]


def test_numbers_in_latvian_have_the_decimal_comma_and_codes_their_labels():
    evidence = {"params": {"lower_pct": 10, "upper_pct": 30}, "periods": {"2022/2023": [
        {"category": "MAT", "value": 18.1818, "numerator": 9000.0, "denominator": 1021.0}]}}
    with translation.override("lv"):
        [lv] = sentences("R5", evidence)
    with translation.override("en"):
        [en] = sentences("R5", evidence)
    assert "par 18,2 % zemāks" in lv and "kārtoja 1\xa0021 izglītojamais" in lv and "par 10–30 % zemāks" in lv
    assert "in Mathematics (secondary) was 18.2% below" in en and "(1,021 learners took the exam)" in en


def test_changing_a_threshold_in_the_yaml_changes_the_pages_texts(yaml_changed):
    with translation.override("en"):
        [sentence] = sentences("R2", {**R2_EVIDENCE, "params": {}})
        assert "more than 25 lessons" in sentence and "the rule: at least 3 learners." in sentence
        # a flag that recorded its parameters keeps them
        [kept] = sentences("R2", {**R2_EVIDENCE, "params": {"threshold_learners": 1, "lessons_threshold": 20}})
        assert "more than 20 lessons" in kept and "the rule: at least 1 learner." in kept
    assert selectors.rules()["R2"].description_lv == (
        "Iestādē kādā semestrī vismaz 3 izglītojamie bez attaisnojoša iemesla kavē vairāk nekā 25 mācību stundas.")
    assert rule_description(yaml_changed.rule("R2"), "en").startswith("At least 3 learners of the institution")


def test_a_rule_gone_from_the_catalogue_still_shows_its_values():
    evidence = {"indicator": "combined_classes", "threshold": [10.0, 30.0],
                "periods": {"2021/2022": [{"value": 12.345}]}}
    with translation.override("en"):
        assert sentences("R99", evidence) == ["Combined classes was 12.3 in 2021/2022; rule R99, threshold 10–30."]


@pytest.mark.django_db
def test_indicator_texts_follow_the_yaml_on_pages_and_in_the_api(client, monitored, yaml_changed):
    """An indicator's name and description are its YAML's templates filled in with its parameters, the same on
    the indicator page, the help page and the API; the technical note sits behind a disclosure."""
    code = "learners_over_unexcused_lessons_threshold"
    info = selectors.indicators()[code]
    assert info.name_lv == "Izglītojamie, kuri semestrī neattaisnoti kavējuši vairāk nekā 25 mācību stundas"
    assert "vairāk nekā 25 mācību stundas" in info.description_lv
    assert "more than 25 lessons" in info.description_en and "lessons_threshold" not in info.description_en
    client.force_login(monitored["users"]["analyst"])
    page = client.get(f"/monitoring/raditaji/{code}/").content.decode()
    assert f'<p class="govuk-body">{escape(info.description_lv)}</p>' in page
    assert "Kā to aprēķina (speciālistiem)" in page and escape(info.technical_lv) in page
    help_page = client.get("/en/palidziba/").content.decode()
    assert escape(info.description_en) in help_page and escape(info.technical_en) in help_page
    api = client.get(f"/api/v1/monitoring/indicators/{code}/", HTTP_ACCEPT_LANGUAGE="lv").json()
    assert (api["name"], api["description_lv"], api["technical_en"]) == (
        info.name_lv, info.description_lv, info.technical_en)
