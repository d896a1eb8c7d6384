"""The annual report built from small hand-made records (conftest `monitored`: engine results of 2022/2023 and
2023/2024, the register of `world`): every section, the numbers of the records, "no data" where the records hold
none, lineage on every table; the kind's parameters, gate and inputs; the comparison with a published-figures file."""

import pytest
import yaml
from django.core.exceptions import ValidationError

from ikms.registry.models import Decision
from ikms.reports import annual, calibration, kinds
from ikms.reports.document import Table


def _build(year: int, language: str = "en"):
    steps = []
    report = annual.build({"year": year}, language=language, progress=lambda share, step: steps.append(share))
    assert steps[0] == 0 and steps[-1] == 1.0
    return report


def test_the_report_holds_every_section_with_lineage(monitored):
    report = _build(2024)
    assert [s.key for s in report.sections] == ["registers", "licensing", "evaluations", "quality", "absences",
                                                "supervision"]
    keys = {t.key for t in report.tables()}
    assert {"register_of_institutions", "child_supervision_providers", "psychologists",
            "teacher_private_practice_certificates", "previously_convicted_persons", "general_programme_licensing",
            "vocational_programme_licensing", "accreditation", "tasks_given_2020_2024",
            "quality_indicators_2023_2024_basic_schools", "unified_school_evaluation_2023_2024",
            "out_of_school_children", "long_term_unexcused_absentees_2022_2023",
            "long_term_unexcused_absentees_2023_2024", "learners_missing_at_least_one_lesson_2023_2024",
            "supervision", "adult_education_supervision"} <= keys
    for table in report.tables():
        assert table.lineage.snapshot and table.lineage.query and table.lineage.source, table.key
        assert len(table.row_keys) == len(table.rows), table.key
    assert report.table("register_of_institutions").number == "Table 3"
    assert "register_decision_counts(year=2024)" in report.table("register_of_institutions").lineage.query
    # counts of people are subject to disclosure control, counts of decisions are not
    assert report.table("long_term_unexcused_absentees_2023_2024").disclosure_minimum == 5
    assert report.table("register_of_institutions").disclosure_minimum is None
    lake = report.table("long_term_unexcused_absentees_2023_2024").lineage
    assert "run #" in lake.snapshot and "catalogue" in lake.specs
    assert any(c.table == "general_programme_licensing" for s in report.sections for c in s.blocks
               if not isinstance(c, Table) and hasattr(c, "table"))


def test_absences_come_from_the_records_and_missing_ones_are_none(monitored):
    report = _build(2024)
    t6 = report.table("long_term_unexcused_absentees_2023_2024")
    assert t6.cell("general_secondary", "s1") == 12 and t6.cell("general_secondary", "s2") == 12
    assert t6.cell("preschool", "s1") is None  # no value stored: no data, not 0
    assert t6.cell("total", "s1") == 12
    assert report.table("long_term_unexcused_absentees_2022_2023").cell("general_secondary", "s2") == 3
    # table 5 is the snapshot of 31 December 2024 (school year 2024/2025): no run of that year, so no data
    t5 = report.table("out_of_school_children")
    assert t5.cell("no_information", "value") is None
    assert "no computation run" in t5.lineage.snapshot
    # the quality indicators were not stored in these hand-made runs
    assert report.table("quality_indicators_2023_2024_basic_schools").cell("risk_combined_classes", "value") is None
    # a year after the data: 2023/2024 is now the first year, 2024/2025 has nothing at all (totals included)
    later = _build(2025)
    assert later.table("long_term_unexcused_absentees_2023_2024").cell("total", "s2") == 12
    empty = later.table("long_term_unexcused_absentees_2024_2025")
    assert {empty.cell(k, s) for k in empty.row_keys for s in ("s1", "s2")} == {None}


def test_register_counts_and_latvian_labels(monitored):
    registered = Decision.objects.filter(date__year=2020, kind="register").count()  # world's registrations
    assert registered >= 3
    report = _build(2020, "lv")
    table = report.table("register_of_institutions")
    assert table.cell("registered_or_amended_reorganisation", "value") == registered
    assert (table.title, table.number) == ("Lēmumi izglītības iestāžu reģistrā", "3. tabula")
    assert report.table("child_supervision_providers").cell("registered", "value") == 0  # none decided


def test_the_kind_parses_gates_and_keys_its_inputs(monitored):
    kind = kinds.get("annual")
    users = monitored["users"]
    year = 2020  # the year of world's registrations
    assert kind.parse(users["analyst"], {"year": str(year)}) == {"year": year}
    for bad in ("", "abc", "1990"):
        with pytest.raises(ValidationError) as error:
            kind.parse(users["analyst"], {"year": bad})
        assert "Gads" in str(error.value) and "year" in str(error.value)
    assert kind.allowed(users["analyst"], {"year": year}) and kind.allowed(users["ikvd_admin"], {"year": year})
    assert not kind.allowed(users["founder_riga"], {"year": year})
    assert not kind.allowed(users["conviction_commission"], {"year": year})
    before = kind.inputs({"year": year})
    assert before == kind.inputs({"year": year}) and before["year"] == str(year)
    from ikms.registry.testing import register_institution

    register_institution(actor=monitored["users"]["registry_officer"], founder=monitored["riga"], name="Jauna skola")
    assert kind.inputs({"year": year})["records"] != before["records"]


def test_the_comparison_walks_every_published_number(monitored, tmp_path):
    published = {
        "year": 2024,  # a parameter, not a figure
        "long_term_unexcused_absentees": {"2023/2024": {"general_secondary": {"s1": 12, "s2": 13}}},
        "out_of_school_children": {"no_information": 7},
        "psychologists": {"certified_share_percent": 80},
        "not_in_the_report": {"figure": 1},
    }
    path = tmp_path / "figures.yaml"
    path.write_text(yaml.safe_dump(published), encoding="utf-8")
    result = calibration.compare(_build(2024), path)
    assert result.checked == 4 and result.equal == 1
    assert result.matched == [("long_term_unexcused_absentees", "2023/2024", "general_secondary", "s1")]
    assert result.different[("long_term_unexcused_absentees", "2023/2024", "general_secondary", "s2")] == (13, 12)
    assert result.different[("out_of_school_children", "no_information")] == (7, None)
    assert result.unreached == [("not_in_the_report", "figure")]


def test_shares_compare_at_their_published_decimals():
    assert calibration.same(40.9, 40.94) and not calibration.same(40.9, 40.96)
    assert calibration.same(19.0, 18.95) and calibration.same(80, 80)
    assert not calibration.same(80, 80.4) and not calibration.same(5, None)
    assert calibration.same(9.5, 23 / 243) is False and calibration.same(9.5, 100 * 23 / 243)  # 9.465 gives 9.5
