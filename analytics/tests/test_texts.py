"""Indicator and rule texts: plural forms, templates filled in with units, and the sentences following the YAML (a
changed threshold changes them; no code name ever shows)."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from analytics.compile import default_catalogue, signatures
from analytics.spec import DEFINITIONS_ROOT, load_catalogue
from analytics.spec.model import Catalogue, RiskRule, Unit
from analytics.spec.texts import (
    default_number,
    describe,
    evidence_sentences,
    indicator_texts,
    parameter_line,
    placeholders,
    plural_category,
    quantity,
    render,
)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return default_catalogue()


def unit(catalogue: Catalogue, code: str) -> Unit:
    return next(u for r in catalogue.rules for u in [*(p.unit for p in r.parameters.values()),
                                                       *r.evidence_units.values()] if u is not None and u.code == code)


# --- plural forms ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "category"), [
    (0, "zero"), (1, "one"), (2, "other"), (9, "other"), (10, "zero"), (11, "zero"), (12, "zero"), (19, "zero"),
    (20, "zero"), (21, "one"), (22, "other"), (101, "one"), (111, "zero"), (1.5, "other"), (21.0, "one"),
])
def test_latvian_plural_categories(n: float, category: str) -> None:
    assert plural_category("lv", n) == category


@pytest.mark.parametrize(("n", "category"), [(0, "other"), (1, "one"), (2, "other"), (11, "other"), (21, "other"),
                                             (1.5, "other")])
def test_english_plural_categories(n: float, category: str) -> None:
    assert plural_category("en", n) == category


def test_latvian_forms_for_1_2_11_21(catalogue: Catalogue) -> None:
    combined = unit(catalogue, "combined_class")
    assert [quantity(n, combined, "lv") for n in (1, 2, 11, 21)] == [
        "1 apvienotā klase", "2 apvienotās klases", "11 apvienoto klašu", "21 apvienotā klase"]
    assert [quantity(n, combined, "en") for n in (1, 2, 11, 21)] == [
        "1 combined class", "2 combined classes", "11 combined classes", "21 combined classes"]
    lesson = unit(catalogue, "lesson")
    assert quantity(20, lesson, "lv") == "20 mācību stundu"
    assert quantity(1.5, lesson, "lv") == "1,5 mācību stundas" and quantity(1.5, lesson, "en") == "1.5 lessons"


def test_numbers_and_units_per_language(catalogue: Catalogue) -> None:
    percent = unit(catalogue, "percent")
    assert quantity(18.1818, percent, "lv") == "18,2 %" and quantity(18.1818, percent, "en") == "18.2%"
    assert quantity(1.0, None, "lv") == "1"  # a whole number never shows ",0"
    assert quantity(0.96, None, "lv") == "1"  # rounded first, then whole
    assert default_number("lv")(1234.5, 1) == "1\xa0234,5" and default_number("en")(1234.5, 1) == "1,234.5"


def test_render_placeholders() -> None:
    learners = Unit(code="learner", forms={"lv": {"one": "izglītojamais", "other": "izglītojamie",
                                                  "zero": "izglītojamo"},
                                           "en": {"one": "learner", "other": "learners"}})
    values: dict[str, Any] = {"value": 21, "year": "2023/2024", "category": "MAT", "denominator": None}
    template = "{year}: {value} ({value:number}), {category}, {denominator}"
    assert render(template, "lv", values, {"value": learners}) == "2023/2024: 21 izglītojamais (21), MAT, –"
    assert render(template, "en", values, {"value": learners}, label=lambda f, c: f"<{f} {c}>") == \
        "2023/2024: 21 learners (21), <category MAT>, –"
    assert placeholders("a {b} c {d:number}") == [("b", None), ("d", "number")]


# --- the shipped rules ---------------------------------------------------------------------------------------


def full_evidence(rule: RiskRule) -> dict[str, Any]:
    """An evidence dict with every field the rule records, as analytics.run stores it."""
    row = {"value": 12.0, "numerator": 24.0, "denominator": 120.0, "semester": 2, "level": "basic", "category": "MAT"}
    return {"params": dict(rule.parameter_values()),
            "periods": {"2023/2024": [{f: row[f] for f in rule.evidence}]}}


def all_texts(rule: RiskRule) -> list[str]:
    texts = []
    for lang in ("lv", "en"):
        texts.append(describe(rule, lang))
        texts += [parameter_line(rule, name, lang) for name in rule.parameters]
        texts += evidence_sentences(rule, full_evidence(rule), lang)
    return texts


def test_no_code_name_in_any_rule_text(catalogue: Catalogue) -> None:
    snake_case = re.compile(r"[a-z0-9]+_[a-z0-9_]+")
    for rule in catalogue.rules:
        names = {*rule.parameters, *rule.params, *catalogue.indicator(rule.left).params, rule.left}
        for text in all_texts(rule):
            assert not snake_case.search(text), (rule.code, text)
            assert not any(name in text for name in names), (rule.code, text)
            assert "{" not in text and "}" not in text and "_pct" not in text, (rule.code, text)


def _codes(indicator: Any) -> set[str]:
    """The code values an indicator's definition names: filter values, parameters that are codes, its category."""
    values: set[str] = {v for v in indicator.params.values() if isinstance(v, str)}
    for f in indicator.filters:
        for c in f.conditions:
            values |= {v for v in (c.value if isinstance(c.value, tuple) else (c.value,)) if isinstance(v, str)}
    return values | ({indicator.category} if indicator.category else set())


def test_no_code_name_in_any_indicator_text(catalogue: Catalogue) -> None:
    """What the pages and the API show of an indicator (its name and description) is in words: no snake_case,
    no dataset.column, no parameter name or code value, no unfilled placeholder. Every indicator has a technical
    note, where the fields and codes are."""
    snake_case = re.compile(r"\w+_\w+")
    field = re.compile(r"\b[a-z]+\.[a-z_]+\b")
    for ind in catalogue.indicators:
        codes = _codes(ind) | set(ind.params) | set(ind.sources)
        for lang in ("lv", "en"):
            name, description, technical = indicator_texts(ind, lang)
            assert technical, (ind.code, lang)
            for text in (name, description):
                assert not snake_case.search(text), (ind.code, text)
                assert not field.search(text), (ind.code, text)
                assert "{" not in text and "}" not in text and '"' not in text, (ind.code, text)
                words = set(re.findall(r"[a-z_]+", text))
                # English words may be code values too ("secondary"); a Latvian text has none of them.
                shown = (words & codes) if lang == "lv" else (words & (set(ind.params) | {ind.code}))
                assert not shown, (ind.code, lang, shown, text)


def test_indicator_texts_state_their_parameters_with_units(catalogue: Catalogue) -> None:
    ind = catalogue.indicator("learners_over_unexcused_lessons_threshold")
    name, description, _ = indicator_texts(ind, "lv")
    assert name == "Izglītojamie, kuri semestrī neattaisnoti kavējuši vairāk nekā 20 mācību stundu"
    assert "vairāk nekā 20 mācību stundu" in description
    assert indicator_texts(ind, "en")[0] == (
        "Learners who missed more than 20 lessons in a semester without a valid reason")
    vacancies = indicator_texts(catalogue.indicator("vacancy_months"), "lv")
    assert "30,4375 dienas" in vacancies[1] and "30,4375 (365,25 / 12)" in vacancies[2]
    marks = indicator_texts(catalogue.indicator("learners_average_7_or_more_basic"), "en")
    assert marks[0] == "Basic-school learners with an average mark of 7 or more"


def test_every_rule_states_its_thresholds_with_units(catalogue: Catalogue) -> None:
    texts = {r.code: (describe(r, "lv"), describe(r, "en")) for r in catalogue.rules}
    assert texts["R1"] == (
        "Iestādē mācību gadā ir vismaz 1 apvienotā klase (vairākas klases māca kopā).",
        "The institution has at least 1 combined class (several grades taught together) in the school year.")
    assert "vismaz 1 izglītojamais" in texts["R2"][0] and "vairāk nekā 20 mācību stundu" in texts["R2"][0]
    assert "At least 1 learner" in texts["R2"][1] and "more than 20 lessons" in texts["R2"][1]
    assert "vismaz 1 skolotāja vakance" in texts["R4"][0] and "30 dienu" in texts["R4"][0]
    assert "par 10 % līdz 30 % zemāks" in texts["R5"][0] and "10% to 30% below" in texts["R5"][1]
    assert "vismaz 5 izglītojamie" in texts["R6"][0] and "20 procentpunktu" in texts["R6"][0]


def test_evidence_sentences(catalogue: Catalogue) -> None:
    r2 = catalogue.rule("R2")
    evidence = {"params": {"threshold_learners": 1, "lessons_threshold": 20},
                "periods": {"2023/2024": [{"semester": 2, "value": 12.0, "denominator": 120.0}],
                            "2022/2023": [{"semester": 1, "value": 1.0, "denominator": 21.0}]}}
    assert evidence_sentences(r2, evidence, "en") == [
        "In semester 1 of 2022/2023, 1 learner missed more than 20 lessons without a valid reason (of 21 learners "
        "in all); the rule: at least 1 learner.",
        "In semester 2 of 2023/2024, 12 learners missed more than 20 lessons without a valid reason (of 120 "
        "learners in all); the rule: at least 1 learner."]
    assert evidence_sentences(r2, evidence, "lv")[0] == (
        "Mācību gada 2022/2023 1. semestrī 1 izglītojamais bez attaisnojoša iemesla kavēja vairāk nekā 20 mācību "
        "stundu (iestādē kopā 21 izglītojamais); noteikums: vismaz 1 izglītojamais.")
    r5 = catalogue.rule("R5")
    [lv] = evidence_sentences(r5, {"params": {"lower_pct": 10, "upper_pct": 30}, "periods": {"2022/2023": [
        {"category": "MAT", "value": 18.18, "numerator": 900.0, "denominator": 21.0}]}}, "lv",
        label=lambda field, code: "Matemātika")
    assert lv == ("Mācību gadā 2022/2023 iestādes vidējais rezultāts eksāmenā “Matemātika” bija par 18,2 % zemāks "
                  "par valsts vidējo (eksāmenu kārtoja 21 izglītojamais); noteikums: par 10–30 % zemāks.")
    assert evidence_sentences(r5, {"periods": {}}, "lv") == []


# --- a threshold changed in the YAML changes the sentences ---------------------------------------------------


def _edit(path: Path, edit: Any) -> None:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(document)
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")


def changed_catalogue(tmp_path: Path) -> Catalogue:
    """The shipped definitions with R2's threshold raised to 3 learners and its indicator's lessons to 25."""
    root = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS_ROOT, root)

    def rule(document: Any) -> None:
        document["risk_rules"][0]["parameters"]["threshold_learners"]["value"] = 3

    def indicator(document: Any) -> None:
        found = next(i for i in document["indicators"] if i["code"] == "learners_over_unexcused_lessons_threshold")
        found["params"]["lessons_threshold"] = 25

    _edit(root / "risk_rules" / "R2.yaml", rule)
    _edit(root / "indicators" / "absences.yaml", indicator)
    return load_catalogue(signatures(), root)


def test_changing_a_threshold_in_the_yaml_changes_the_texts(tmp_path: Path, catalogue: Catalogue) -> None:
    before, after = catalogue.rule("R2"), changed_catalogue(tmp_path).rule("R2")
    assert "vismaz 1 izglītojamais" in describe(before, "lv") and "20 mācību stundu" in describe(before, "lv")
    assert describe(after, "lv") == ("Iestādē kādā semestrī vismaz 3 izglītojamie bez attaisnojoša iemesla kavē "
                                     "vairāk nekā 25 mācību stundas.")
    assert describe(after, "en") == ("At least 3 learners of the institution missed more than 25 lessons without a "
                                     "valid reason in some semester.")
    # A flag whose evidence does not record the parameters (stored before the texts named them) takes them from
    # the YAML as it is now...
    bare = {"periods": {"2023/2024": [{"semester": 2, "value": 4.0, "denominator": 120.0}]}}
    [old_sentence] = evidence_sentences(before, bare, "en")
    [new_sentence] = evidence_sentences(after, bare, "en")
    assert "more than 20 lessons" in old_sentence and "at least 1 learner." in old_sentence
    assert "more than 25 lessons" in new_sentence and "at least 3 learners." in new_sentence
    # ... while a flag that recorded them keeps the thresholds it was computed with.
    recorded = {**bare, "params": {"threshold_learners": 1, "lessons_threshold": 20}}
    assert evidence_sentences(after, recorded, "en") == [old_sentence]


def test_changing_an_indicator_parameter_changes_its_texts(tmp_path: Path, catalogue: Catalogue) -> None:
    before = catalogue.indicator("learners_over_unexcused_lessons_threshold")
    after = changed_catalogue(tmp_path).indicator("learners_over_unexcused_lessons_threshold")
    old, new = indicator_texts(before, "lv"), indicator_texts(after, "lv")
    assert new[0] == "Izglītojamie, kuri semestrī neattaisnoti kavējuši vairāk nekā 25 mācību stundas"
    assert "vairāk nekā 25 mācību stundas" in new[1] and "20" not in new[1]
    assert "lielāka par 25" in new[2]
    assert old[1] != new[1]
    assert "more than 25 lessons" in indicator_texts(after, "en")[1]
    # 21 and 11 take the other plural forms ("21 mācību stunda", "11 mācību stundu").
    for value, form in ((21, "21 mācību stunda,"), (11, "11 mācību stundu,"), (1, "1 mācību stunda,")):
        edited = dataclasses.replace(after, params={**after.params, "lessons_threshold": value})
        assert form in indicator_texts(edited, "lv")[1], (value, indicator_texts(edited, "lv")[1])
