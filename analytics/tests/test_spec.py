"""The definition loader: the shipped catalogue is valid, and malformed definitions fail with a SpecError
that names the file and the key."""

from __future__ import annotations

import copy
import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from analytics.compile import default_catalogue, signatures
from analytics.compile.docs import DOCS_PATH, render
from analytics.compile.measures import requirements
from analytics.spec import DEFINITIONS_ROOT, SchoolYear, SpecError, load_catalogue
from analytics.spec.model import INSTITUTION_TYPES, requirement_groups

REPO = Path(__file__).resolve().parents[2]

BASE_INDICATOR: dict[str, Any] = {
    "code": "learners_enrolled_test",
    "name": {"lv": "Izglītojamie", "en": "Learners"},
    "description": {"lv": "Skaits.", "en": "Count."},
    "type": "count",
    "measure": "enrolled_learners",
    "sources": ["enrolments", "institutions"],
    "numerator": "learners",
    "grain": ["institution", "municipality", "nation"],
}
BASE_RATIO: dict[str, Any] = {
    "code": "support_share_test",
    "name": {"lv": "Atbalsts", "en": "Support"},
    "description": {"lv": "Attiecība.", "en": "Ratio."},
    "type": "ratio",
    "measure": "learners_and_staff",
    "sources": ["enrolments", "staff", "institutions"],
    "numerator": "staff_fte",
    "denominator": "learners",
    "factor": 100,
    "grain": ["institution", "municipality", "nation"],
    "filters": [{"column": "staff.position", "op": "==", "value": "psychologist"}],
}
BASE_RULE: dict[str, Any] = {
    "code": "R9",
    "name": {"lv": "Noteikums", "en": "Rule"},
    "description": {"lv": "Iestādē ir vismaz {threshold}.", "en": "The institution has at least {threshold}."},
    "applies_to": ["basic"],
    "left": "learners_enrolled_test",
    "operator": ">=",
    "right": "threshold",
    "parameters": {"threshold": {"value": 1, "unit": "learner", "label": {"lv": "Slieksnis", "en": "Threshold"}}},
    "importance": "low",
    "period_type": "school_year",
    "evidence": {"fields": ["value"], "units": {"value": "learner"},
                 "text": {"lv": "{year}: {value}; noteikums: vismaz {threshold}.",
                          "en": "{year}: {value}; the rule: at least {threshold}."}},
}


LABEL = {"lv": "Parametrs", "en": "Parameter"}
PLAIN_EVIDENCE: dict[str, Any] = {"fields": ["value"], "text": {"lv": "{year}: {value}.", "en": "{year}: {value}."}}


def write_definitions(root: Path, indicators: list[dict[str, Any]], rules: list[dict[str, Any]] | None = None,
                      name: str = "test.yaml") -> Path:
    (root / "indicators").mkdir(parents=True, exist_ok=True)
    (root / "risk_rules").mkdir(parents=True, exist_ok=True)
    (root / "units.yaml").write_bytes((DEFINITIONS_ROOT / "units.yaml").read_bytes())
    (root / "indicators" / name).write_text(yaml.safe_dump({"indicators": indicators}, allow_unicode=True))
    if rules:
        (root / "risk_rules" / name).write_text(yaml.safe_dump({"risk_rules": rules}, allow_unicode=True))
    return root


def load(root: Path) -> Any:
    return load_catalogue(signatures(), root)


def changed(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


# --- the shipped catalogue -------------------------------------------------------------------------------------


def test_shipped_catalogue_is_valid_and_complete() -> None:
    catalogue = default_catalogue()
    codes = [i.code for i in catalogue.indicators]
    assert len(codes) == len(set(codes))
    assert sorted(r.code for r in catalogue.rules) == ["R1", "R2", "R3", "R4", "R5", "R6", "R7"]
    for code in ("long_term_unexcused_absentees", "learners_missing_lessons", "long_term_absence_reasons",
                 "out_of_school_children", "learners_average_7_or_more_basic",
                 "learners_average_7_or_more_secondary", "learners_high_in_advanced_courses",
                 "learners_daily_vs_exam_differs", "daily_vs_exam_gap", "graduates_continue_general_secondary",
                 "graduates_enter_higher_education", "learners_per_teacher", "vacancy_months",
                 "exam_mean_vs_national_difference", "risk_combined_classes_basic",
                 "risk_exam_10_to_30_below_national_secondary"):
        assert code in codes
    texts = [(i.version, i.name, i.description) for i in catalogue.indicators]
    texts += [(r.version, r.name, r.description) for r in catalogue.rules]
    for version, name, description in texts:
        assert re.fullmatch(r"[0-9a-f]{64}", version)
        assert name.lv
        assert name.en
        assert description.lv
        assert description.en
    assert re.fullmatch(r"[0-9a-f]{64}", catalogue.version)


def test_versions_are_stable_and_follow_content(tmp_path: Path) -> None:
    first, second = default_catalogue(), default_catalogue()
    assert first.version == second.version
    assert [i.version for i in first.indicators] == [i.version for i in second.indicators]

    # Reformatting (key order, flow style, comments) keeps the version; changing a parameter does not.
    a = write_definitions(tmp_path / "a", [BASE_RATIO])
    b = tmp_path / "b" / "indicators"
    b.mkdir(parents=True)
    (tmp_path / "b" / "risk_rules").mkdir()
    reordered = dict(reversed(list(copy.deepcopy(BASE_RATIO).items())))
    (b / "other.yaml").write_text("# a comment\n" + yaml.safe_dump({"indicators": [reordered]},
                                                                  default_flow_style=True))
    c = write_definitions(tmp_path / "c", [changed(BASE_RATIO, factor=1000)])
    va, vb, vc = (load(p).indicators[0].version for p in (a, tmp_path / "b", c))
    assert va == vb != vc
    assert load(a).version != load(c).version


def test_rule_versions_chain_to_their_indicator(tmp_path: Path) -> None:
    a = write_definitions(tmp_path / "a", [BASE_INDICATOR], [BASE_RULE])
    b = write_definitions(tmp_path / "b", [changed(BASE_INDICATOR, grain=["institution", "nation"],
                                                   sources=["enrolments"])], [BASE_RULE])
    assert load(a).rules[0].version != load(b).rules[0].version


def test_institution_types_match_the_register() -> None:
    path = REPO / "ikms" / "registry" / "data" / "institution_types.yaml"
    register = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert sorted(t["code"] for t in register["types"]) == sorted(INSTITUTION_TYPES)


def test_generated_docs_are_up_to_date() -> None:
    assert DOCS_PATH.read_text(encoding="utf-8") == render(default_catalogue()), (
        "run: uv run python -m analytics.compile.docs")


def test_school_year() -> None:
    year = SchoolYear.parse("2023/2024")
    assert (year.label, year.partition, str(year.previous)) == ("2023/2024", "2023-2024", "2022/2023")
    assert (year.start.isoformat(), year.end.isoformat()) == ("2023-09-01", "2024-08-31")
    for bad in ("2023/2025", "2023-2024", "23/24", ""):
        with pytest.raises(ValueError, match="school year"):
            SchoolYear.parse(bad)


# --- errors name the file and the key ---------------------------------------------------------------------------


@pytest.mark.parametrize(("indicator", "message"), [
    (changed(BASE_INDICATOR, unit_price=3), r"unknown key 'unit_price'"),
    (changed(BASE_INDICATOR, name={"lv": "a", "en": "b", "de": "c"}), r"name: unknown key 'de'"),
    (changed(BASE_RATIO, filters=[{"column": "staff.position", "op": "==", "value": "teacher", "when": 1}]),
     r"filters\[0\]: unknown key 'when'"),
    (changed(BASE_INDICATOR, sources=["enrolments", "pupils"]), r"unknown dataset 'pupils'"),
    (changed(BASE_RATIO, filters=[{"column": "staff.rank", "op": "==", "value": "x"}]),
     r"dataset 'staff' has no column 'rank'"),
    (changed(BASE_RATIO, filters=[{"column": "staff.position", "op": "==", "value": "janitor"}]),
     r"value 'janitor' is not allowed in staff.position"),
    (changed(BASE_RATIO, filters=[{"column": "staff.fte", "op": "==", "value": "high"}]),
     r"is not of the type of staff.fte"),
    (changed(BASE_RATIO, filters=[{"column": "staff.position", "op": "like", "value": "t%"}]),
     r"key 'op': unknown value 'like'"),
    (changed(BASE_RATIO, filters=[{"column": "grades.mark", "op": ">=", "value": 7}]),
     r"dataset 'grades' is not among the sources"),
    (changed(BASE_INDICATOR, type="median"), r"key 'type': unknown value 'median'"),
    (changed(BASE_INDICATOR, grain=["school", "nation"]), r"key 'grain': unknown value 'school'"),
    (changed(BASE_INDICATOR, measure="enrolled_pupils"), r"unknown measure builder 'enrolled_pupils'"),
    (changed(BASE_INDICATOR, numerator="pupils"), r"has no measure 'pupils'"),
    (changed(BASE_INDICATOR, params={"threshold": 3}), r"unknown parameter 'threshold'"),
    (changed(BASE_INDICATOR, sources=["enrolments"]), r"key 'sources': expected exactly"),
    (changed(BASE_INDICATOR, factor=100), r"a count has factor 1"),
    (changed(BASE_RATIO, denominator=None), r"missing required key 'denominator'"),
    (changed(BASE_INDICATOR, category="level"), r"has no 'category' breakdown"),
    (changed(BASE_INDICATOR, description=None), r"missing required key 'description'"),
])
def test_bad_indicator(tmp_path: Path, indicator: dict[str, Any], message: str) -> None:
    root = write_definitions(tmp_path, [indicator])
    with pytest.raises(SpecError, match=message) as error:
        load(root)
    assert "test.yaml" in str(error.value)


def test_measure_parameters_are_required_and_typed(tmp_path: Path) -> None:
    base = {
        "code": "vacancies_test", "name": {"lv": "a", "en": "b"}, "description": {"lv": "a", "en": "b"},
        "type": "count", "measure": "vacancies_open_longer_than", "sources": ["vacancies"],
        "numerator": "long_vacancies", "grain": ["institution", "nation"],
    }
    with pytest.raises(SpecError, match="missing parameter 'min_open_days'"):
        load(write_definitions(tmp_path / "a", [base]))
    with pytest.raises(SpecError, match=r"params.min_open_days': expected int"):
        load(write_definitions(tmp_path / "b", [changed(base, params={"min_open_days": "thirty"})]))


def test_alternative_sources_are_all_listed_and_filtered_alike(tmp_path: Path) -> None:
    """exam_scores reads per-learner exams or the published exam_results (alternatives): a spec lists both, and
    filters them alike, since an institution's rows come from one or the other."""
    base: dict[str, Any] = {
        "code": "exam_test", "name": {"lv": "a", "en": "b"}, "description": {"lv": "a", "en": "b"},
        "type": "mean", "measure": "exam_scores", "sources": ["exams", "exam_results"], "numerator": "score_sum",
        "denominator": "takers", "grain": ["institution", "nation"], "category": "exam",
        "filters": [{"column": "exams.grade", "op": "==", "value": 9},
                    {"column": "exam_results.grade", "op": "==", "value": 9}],
    }
    ok = load(write_definitions(tmp_path / "ok", [base])).indicators[0]
    assert ok.sources == ("exams", "exam_results")
    assert requirements(ok) == (("exams", "exam_results"),)
    exams_grade, results_grade = base["filters"]
    with pytest.raises(SpecError, match=r"key 'sources': expected exactly \['exam_results', 'exams'\]"):
        load(write_definitions(tmp_path / "a", [changed(base, sources=["exams"], filters=[exams_grade])]))
    with pytest.raises(SpecError, match=r"exams, exam_results are alternative sources.*filters must be the same"):
        load(write_definitions(tmp_path / "b", [changed(base, filters=[exams_grade])]))
    other = [exams_grade, {**results_grade, "value": 12}]
    with pytest.raises(SpecError, match="filters must be the same"):
        load(write_definitions(tmp_path / "c", [changed(base, filters=other)]))


def test_measure_alternatives_are_checked() -> None:
    sig = signatures()["exam_scores"]
    for alternatives, message in (((("exams",),), "need two or more sources"),
                                  ((("exams", "grades"),), "'grades' is not one of its lake sources"),
                                  ((("exams", "exam_results"), ("exam_results", "exams")), "in two groups")):
        with pytest.raises(SpecError, match=message):
            load_catalogue({"exam_scores": dataclasses.replace(sig, alternatives=alternatives)},
                           DEFINITIONS_ROOT / "missing")
    assert requirement_groups(["exams", "grades", "exam_results", "institutions"], [("exams", "exam_results")]) \
        == (("exams", "exam_results"), ("grades",), ("institutions",))
    assert requirement_groups(["exams", "institutions"], [("exams", "exam_results")]) == (("exams",),
                                                                                          ("institutions",))


def test_required_breakdowns_cannot_be_summed_away(tmp_path: Path) -> None:
    indicator = {
        "code": "absentees_test", "name": {"lv": "a", "en": "b"}, "description": {"lv": "a", "en": "b"},
        "type": "count", "measure": "long_term_unexcused_absentees", "sources": ["absences", "enrolments"],
        "numerator": "absentees", "grain": ["institution", "nation"],
        "params": {"lessons_threshold": 20, "preschool_days_threshold": 3},
    }
    with pytest.raises(SpecError, match="needs the 'semester' breakdown"):
        load(write_definitions(tmp_path, [indicator]))


def test_duplicate_codes(tmp_path: Path) -> None:
    write_definitions(tmp_path, [BASE_INDICATOR], name="a.yaml")
    write_definitions(tmp_path, [BASE_INDICATOR], name="b.yaml")
    with pytest.raises(SpecError, match=r"b\.yaml: duplicate indicator code 'learners_enrolled_test'"):
        load(tmp_path)
    root = write_definitions(tmp_path / "rules", [BASE_INDICATOR], [BASE_RULE, BASE_RULE])
    with pytest.raises(SpecError, match="duplicate risk rule code 'R9'"):
        load(root)


def test_top_level_key_and_yaml_errors(tmp_path: Path) -> None:
    (tmp_path / "indicators").mkdir()
    (tmp_path / "indicators" / "x.yaml").write_text("indicator:\n  - code: a\n")
    with pytest.raises(SpecError, match=r"x\.yaml: unknown key 'indicator'"):
        load(tmp_path)
    (tmp_path / "indicators" / "x.yaml").write_text("indicators: [\n")
    with pytest.raises(SpecError, match=r"x\.yaml: not valid YAML"):
        load(tmp_path)


@pytest.mark.parametrize(("rule", "message"), [
    (changed(BASE_RULE, severity="high"), r"risk rule 'R9': unknown key 'severity'"),
    (changed(BASE_RULE, operator="=>"), r"key 'operator': unknown value '=>'"),
    (changed(BASE_RULE, left="nope"), r"key 'left': unknown indicator 'nope'"),
    (changed(BASE_RULE, right="limit"), r"'limit' is neither a number nor one of the rule's own parameters"),
    (changed(BASE_RULE, operator="between", right=[1]), r"operator 'between' needs \[low, high\]"),
    (changed(BASE_RULE, operator="between", right=[5, 1], parameters=None, evidence=PLAIN_EVIDENCE,
             description={"lv": "Robežas.", "en": "Bounds."}), r"low 5.0 > high 1.0"),
    (changed(BASE_RULE, applies_to=["gymnasum"]), r"key 'applies_to': unknown value 'gymnasum'"),
    (changed(BASE_RULE, combine_by_type={"secondary": "any"}), r"'secondary' is not in applies_to"),
    (changed(BASE_RULE, periods=["next"]), r"key 'periods': unknown value 'next'"),
    (changed(BASE_RULE, evidence={**PLAIN_EVIDENCE, "fields": ["everything"]}),
     r"evidence: key 'fields': unknown value 'everything'"),
    (changed(BASE_RULE, evidence=["value"]), r"evidence: expected a mapping"),
    (changed(BASE_RULE, parameters={**BASE_RULE["parameters"], "unused": {"value": 2, "label": LABEL}},
             description={"lv": "{threshold} {unused}", "en": "{threshold} {unused}"}),
     r"parameter 'unused' is not used"),
    (changed(BASE_RULE, code="risk-1"), r"rule codes look like R1"),
    # texts
    (changed(BASE_RULE, description={"lv": "Vismaz {treshold}.", "en": "At least {treshold}."}),
     r"key 'description.lv': unknown placeholder \{treshold\} \(known: threshold\)"),
    (changed(BASE_RULE, description={"lv": "Vismaz {threshold}."}), r"description: missing required key 'en'"),
    (changed(BASE_RULE, description={"lv": "Vismaz {threshold}.", "en": "At least {threshold} {value}."}),
     r"key 'description.en': unknown placeholder \{value\}"),
    (changed(BASE_RULE, description={"lv": "Vismaz {threshold}.", "en": "At least threshold_learners (1)."}),
     r"key 'description.en': the code name 'threshold_learners' is written as text"),
    (changed(BASE_RULE, description={"lv": "Vismaz {threshold}.", "en": "At least { threshold }."}),
     r"key 'description.en': malformed placeholder '\{ threshold \}': write \{name\} or \{name:number\}"),
    (changed(BASE_RULE, description={"lv": "Vismaz {threshold}.", "en": "At least {threshold."}),
     r"key 'description.en': unbalanced brace in 'At least \{threshold.'"),
    (changed(BASE_RULE, description={"lv": "Vismaz {threshold}}.", "en": "At least {threshold}."}),
     r"key 'description.lv': unbalanced brace"),
    (changed(BASE_RULE, description={"lv": "Vismaz {threshold:percent}.", "en": "At least {threshold}."}),
     r"unknown format 'percent'"),
    (changed(BASE_RULE, description={"lv": "Vismaz.", "en": "At least {threshold}."}),
     r"key 'description': the Latvian and English texts name different placeholders \(lv: none; en: threshold\)"),
    (changed(BASE_RULE, description={"lv": "Vismaz viens.", "en": "At least one."}),
     r"parameter 'threshold' is not shown: write \{threshold\}"),
    (changed(BASE_RULE, evidence={**PLAIN_EVIDENCE, "text": {"lv": "{year}: {denominator}.",
                                                              "en": "{year}: {denominator}."}}),
     r"key 'evidence.text.lv': unknown placeholder \{denominator\} \(known: threshold, value, year\)"),
    (changed(BASE_RULE, evidence={**PLAIN_EVIDENCE, "text": {"lv": "{year:number}", "en": "{year:number}"}}),
     r"\{year:number\}: 'year' is not a number"),
    (changed(BASE_RULE, evidence={**PLAIN_EVIDENCE, "units": {"denominator": "learner"}}),
     r"key 'units': 'denominator' is not one of the quantities among the fields \(value\)"),
    (changed(BASE_RULE, evidence={**PLAIN_EVIDENCE, "units": {"value": "lerner"}}),
     r"key 'units.value': unknown unit 'lerner' \(units.yaml has: .*learner"),
    (changed(BASE_RULE, parameters={"threshold": {"value": 1, "unit": "lerner", "label": LABEL}}),
     r"parameters.threshold: key 'unit': unknown unit 'lerner'"),
    (changed(BASE_RULE, parameters={"threshold": {"value": 1}}), r"parameters.threshold: missing required key 'label'"),
    (changed(BASE_RULE, parameters={"threshold": {"value": 1, "from": "indicator", "label": LABEL}}),
     r"give either 'value' \(the rule's own parameter\) or 'from: indicator'"),
    (changed(BASE_RULE, parameters={"threshold": {"value": "one", "label": LABEL}}), r"key 'value': expected a number"),
    (changed(BASE_RULE, parameters={"value": {"value": 1, "label": LABEL}}), r"'value' is an evidence field"),
    (changed(BASE_RULE, parameters={**BASE_RULE["parameters"], "lessons": {"from": "indicator", "label": LABEL}},
             description={"lv": "{threshold} {lessons}", "en": "{threshold} {lessons}"}),
     r"key 'parameters.lessons': indicator 'learners_enrolled_test' has no numeric parameter 'lessons'"),
    (changed(BASE_RULE, parameters={**BASE_RULE["parameters"], "shown": {"value": 2, "label": LABEL}}),
     r"parameter 'shown' is not shown"),
])
def test_bad_rule(tmp_path: Path, rule: dict[str, Any], message: str) -> None:
    root = write_definitions(tmp_path, [BASE_INDICATOR], [rule])
    with pytest.raises(SpecError, match=message) as error:
        load(root)
    assert "test.yaml" in str(error.value)


def test_rule_left_needs_institution_grain(tmp_path: Path) -> None:
    national = changed(BASE_INDICATOR, grain=["nation"], sources=["enrolments"])
    with pytest.raises(SpecError, match="has no institution grain"):
        load(write_definitions(tmp_path, [national], [BASE_RULE]))


def test_share_of_units_must_match_its_rule(tmp_path: Path) -> None:
    share = {
        "code": "share_test", "name": {"lv": "a", "en": "b"}, "description": {"lv": "a", "en": "b"},
        "type": "share_of_units", "rule": "R9", "institution_types": ["secondary"], "factor": 100,
        "sources": ["enrolments", "institutions"], "grain": ["nation"],
    }
    with pytest.raises(SpecError, match="rule R9 does not apply to 'secondary'"):
        load(write_definitions(tmp_path / "a", [BASE_INDICATOR, share], [BASE_RULE]))
    ok = changed(share, institution_types=["basic"])
    assert load(write_definitions(tmp_path / "b", [BASE_INDICATOR, ok], [BASE_RULE])).indicator("share_test")
    with pytest.raises(SpecError, match="unknown risk rule 'R7'"):
        load(write_definitions(tmp_path / "c", [BASE_INDICATOR, changed(ok, rule="R7")], [BASE_RULE]))


def test_definitions_root_is_the_shipped_folder() -> None:
    assert (DEFINITIONS_ROOT / "indicators").is_dir() and (DEFINITIONS_ROOT / "risk_rules").is_dir()


def test_rule_texts_may_show_a_parameter_of_the_left_indicator(tmp_path: Path) -> None:
    indicator = changed(BASE_RATIO, code="vacancies_test", measure="vacancies_open_longer_than",
                        sources=["vacancies", "institutions"], numerator="vacancies", denominator=None, factor=None,
                        type="count", filters=None, params={"min_open_days": 30},
                        description={"lv": "Vakances, kas atvērtas ilgāk nekā {min_open_days}.",
                                     "en": "Vacancies open over {min_open_days}."})
    rule = changed(BASE_RULE, left="vacancies_test", parameters={
        **BASE_RULE["parameters"], "min_open_days": {"from": "indicator", "unit": "day", "label": LABEL}},
        description={"lv": "Vismaz {threshold} ilgāk nekā {min_open_days}.",
                     "en": "At least {threshold} over {min_open_days}."})
    loaded = load(write_definitions(tmp_path, [indicator], [rule])).rule("R9")
    assert loaded.params == {"threshold": 1}  # the rule's own (what `right` may name)
    assert loaded.parameter_values() == {"threshold": 1, "min_open_days": 30}
    with pytest.raises(SpecError, match=r"'min_open_days' is neither a number nor one of the rule's own parameters"):
        load(write_definitions(tmp_path / "b", [indicator], [changed(rule, right="min_open_days")]))


@pytest.mark.parametrize(("units", "message"), [
    ("units:\n  learner: {lv: izglītojamais}\n", r"unit 'learner': missing required key 'en'"),
    ("units:\n  learner:\n    lv: {one: a, other: b}\n    en: x\n", r"unit 'learner': lv: missing required key 'zero'"),
    ("units:\n  learner:\n    lv: x\n    en: {one: a, other: b, few: c}\n", r"unit 'learner': en: unknown key 'few'"),
    ("units:\n  Learner: {lv: x, en: y}\n", r"unit codes are snake_case"),
])
def test_bad_units(tmp_path: Path, units: str, message: str) -> None:
    root = write_definitions(tmp_path, [BASE_INDICATOR], [BASE_RULE])
    (root / "units.yaml").write_text(units, encoding="utf-8")
    with pytest.raises(SpecError, match=message) as error:
        load(root)
    assert "units.yaml" in str(error.value)
