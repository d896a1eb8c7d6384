"""The school network tool (issue 15, item 1): the cohort projection, the minimums and the tables on hand-made
tiny inputs with worked answers; the capacity-use and small-school indicators on the tiny lake."""

from __future__ import annotations

import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analytics.compile import default_catalogue
from analytics.engines import DuckDBEngine
from analytics.imports import import_file
from analytics.lake.schemas import DATASETS, INSTITUTIONS, partition_dir
from analytics.network.data import area_projection, grade_totals, institution_rows, read_network
from analytics.network.minimums import class_below_minimum, load_minimums, lowest_grade, parse_minimums
from analytics.network.projection import entry_rate, falls_under, institution_projection, progression_ratios, project
from analytics.run import compute
from analytics.tests.fixtures.lake import write_lake

MIN_DOC = {
    "status": "inferred",
    "source": {"lv": "avots", "en": "source"},
    "areas": {"riga": ["LV-RIX"], "state_city": ["LV-DGV"]},
    "class_minimums": [
        {"grades": [1, 6], "riga": 20, "state_city": 16, "municipality": 8},
        {"grades": [7, 9], "riga": 20, "state_city": 16, "municipality": 10},
        {"grades": [10, 12], "riga": 25, "state_city": 20, "municipality": 12},
    ],
    "secondary_stage_minimum": {"riga": 150, "state_city": 120, "municipality": 45},
    "small_school_below": 100,
}


def test_the_shipped_minimums_load_and_say_they_are_inferred() -> None:
    m = load_minimums()
    assert m.inferred and m.status == "inferred"
    assert m.class_minimum("LV-RIX", 3) is not None and m.small_school_below > 0
    assert m.area("LV-067") == "municipality"


def test_minimums_by_area_and_band() -> None:
    m = parse_minimums(MIN_DOC)
    assert (m.class_minimum("LV-RIX", 1), m.class_minimum("LV-DGV", 8), m.class_minimum("LV-067", 11)) == (20, 16, 12)
    assert m.secondary_minimum("LV-067") == 45 and m.class_minimum("LV-067", 0) is None
    assert lowest_grade("5,6") == 5 and lowest_grade("0") is None
    # a class is in the band of its lowest grade: "6,7" in Ogre (novads) → grades 1-6, minimum 8
    assert class_below_minimum(m, "LV-067", "6,7", 7) is True
    assert class_below_minimum(m, "LV-067", "6,7", 8) is False
    assert class_below_minimum(m, "LV-067", "0", 3) is None
    with pytest.raises(ValueError, match="state_city, municipality"):
        parse_minimums({**MIN_DOC, "secondary_stage_minimum": {"riga": 150}})


# Two observed years of a municipality, grades 1-3 only (every other grade 0). Autumn 2023: 10, 12, 11;
# autumn 2024: 9, 10, 12. Children declared born 2016: 10, 2017: 12, 2018: 8, 2019: 5 (they start grade 1 at 7).
COUNTS = {(2023, 1): 10.0, (2023, 2): 12.0, (2023, 3): 11.0, (2024, 1): 9.0, (2024, 2): 10.0, (2024, 3): 12.0}
DECLARED = {2016: 10.0, 2017: 12.0, 2018: 8.0, 2019: 5.0}


def test_progression_ratios_and_entry_rate_worked() -> None:
    ratios = progression_ratios(COUNTS)
    # grade 2: 10 in 2024 / 10 in grade 1 in 2023 = 1.0; grade 3: 12 / 12 = 1.0; grade 4: 0 / 11 = 0
    assert (ratios[2].value, ratios[3].value, ratios[4].value) == (1.0, 1.0, 0.0)
    assert ratios[2].years == (2024,) and ratios[2].denominator == 10.0
    assert ratios[5].value is None  # no grade-4 learners ever: no ratio, not 0
    # entry: grade 1 in 2023 (10) and 2024 (9) over born 2016 (10) and 2017 (12): 19 / 22
    rate = entry_rate(COUNTS, DECLARED)
    assert rate.value == pytest.approx(19 / 22) and rate.years == (2023, 2024)


def test_projection_worked() -> None:
    p = project("LV-067", COUNTS, DECLARED, horizon=3)
    assert p.base_year == 2024 and p.years == [2024, 2025, 2026, 2027]
    # 2025: grade 1 = 19/22 × 8 (born 2018) = 6.909…; grade 2 = 1.0 × 9 = 9; grade 3 = 1.0 × 10 = 10; grade 4 = 0
    assert p.learners[2025][1] == pytest.approx(19 / 22 * 8)
    assert (p.learners[2025][2], p.learners[2025][3], p.learners[2025][4]) == (9.0, 10.0, 0.0)
    # 2026: grade 1 = 19/22 × 5; grade 2 = 19/22 × 8; grade 3 = 9
    assert p.learners[2026][1] == pytest.approx(19 / 22 * 5) and p.learners[2026][3] == 9.0
    # 2027: born 2020 is not in the count → grade 1 has no projection, and neither has the total
    assert p.learners[2027][1] is None and p.total(2027) is None
    # grades 5-12 have no ratio (never any learners in grade 4 and above): no projection for them either
    assert p.learners[2025][5] is None and p.total(2025, range(1, 4)) == pytest.approx(19 / 22 * 8 + 19)


def test_institution_share_and_falling_under() -> None:
    m = parse_minimums(MIN_DOC)
    muni = project("LV-067", COUNTS, DECLARED, horizon=2)
    # the school has 6 of the 9 grade-1 learners, 5 of 10 in grade 2, 6 of 12 in grade 3 in 2024
    school = institution_projection("S", {1: 6.0, 2: 5.0, 3: 6.0}, muni)
    assert school.learners[2024][1] == 6.0
    # 2025: grade 1 = 6/9 × 19/22 × 8 = 4.606…; grade 2 = 5/10 × 9 = 4.5; grade 3 = 6/12 × 10 = 5
    assert school.learners[2025][1] == pytest.approx(6 / 9 * 19 / 22 * 8)
    assert (school.learners[2025][2], school.learners[2025][3]) == (4.5, 5.0)
    # grades 1-3 average in 2024 = 17/3 = 5.67 < 8 (novads minimum for grades 1-6): already under in 2024
    under = falls_under(school, "LV-067", m)
    assert (under.year, under.reasons) == (2024, ("1-6",))
    # with a minimum of 5 the school is above it in 2024 (5.67) and falls under in 2025: (4.606 + 4.5 + 5) / 3
    low = parse_minimums({**MIN_DOC, "class_minimums": [{"grades": [1, 6], "riga": 5, "state_city": 5,
                                                         "municipality": 5}]})
    assert falls_under(school, "LV-067", low).year == 2025
    # a minimum of 1 is never reached within the horizon
    never = parse_minimums({**MIN_DOC, "class_minimums": [{"grades": [1, 6], "riga": 1, "state_city": 1,
                                                           "municipality": 1}]})
    assert falls_under(school, "LV-067", never).year is None


def test_secondary_stage_minimum() -> None:
    m = parse_minimums(MIN_DOC)
    counts = {(2023, 10): 20.0, (2023, 11): 15.0, (2023, 12): 15.0, (2024, 10): 16.0, (2024, 11): 16.0,
              (2024, 12): 14.0}
    p = project("LV-067", counts, {2016: 1.0, 2017: 1.0}, horizon=1)
    # 2024: class averages (16+16+14)/3 = 15.3 ≥ 12, stage 46 ≥ 45: fine. 2025: grade 11 = 16/20 × 16 = 12.8,
    # grade 12 = 14/15 × 16 = 14.93, grade 10 = 16/0: no ratio → the year is skipped (no data): never under.
    assert falls_under(p, "LV-067", m).year is None
    # grades 10-12 with 44 learners: under the stage minimum 45 at once, though each class is ≥ 12
    q = project("LV-067", {**counts, (2024, 12): 12.0}, {2016: 1.0, 2017: 1.0}, horizon=1)
    assert falls_under(q, "LV-067", m).reasons == ("10-12 stage",)


def _write(root: Path, dataset: str, year: str, rows: dict) -> None:
    schema = INSTITUTIONS.schema if dataset == "institutions" else DATASETS[dataset].schema
    folder = root / dataset / partition_dir(year)
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(rows, schema=schema), folder / "part-0.parquet")


def _enrolments(rows: list[tuple[str, str, int]]) -> dict:
    """(learner, institution, grade) → an enrolments table of basic-level rows."""
    return {"learner_id": [r[0] for r in rows], "institution": [r[1] for r in rows],
            "programme_code": ["21011111"] * len(rows), "level": ["basic"] * len(rows),
            "special": [False] * len(rows), "grade": [r[2] for r in rows], "class_id": [f"{r[2]}a" for r in rows],
            "start_date": [datetime.date(2023, 9, 1)] * len(rows), "end_date": [None] * len(rows)}


def test_the_tables_from_a_tiny_lake(tmp_path: Path) -> None:
    """Two schools of Ogre (A: capacity 10, B: none) over two years, classes and declared children."""
    m = parse_minimums(MIN_DOC)
    y1, y2 = "2023/2024", "2024/2025"
    _write(tmp_path, "enrolments", y1, _enrolments(
        [(f"a{i}", "A", 1) for i in range(4)] + [(f"b{i}", "B", 1) for i in range(2)]))
    _write(tmp_path, "enrolments", y2, _enrolments(
        [(f"a{i}", "A", 2) for i in range(3)] + [(f"n{i}", "A", 1) for i in range(3)] + [("b0", "B", 2)]))
    register = {"institution": ["A", "B"], "name": ["Skola A", "Skola B"], "type": ["basic"] * 2,
                "kind": ["general"] * 2, "municipality": ["LV-067"] * 2, "founder_kind": ["municipality"] * 2,
                "capacity": [10, None]}
    _write(tmp_path, "institutions", y2, register)
    _write(tmp_path, "classes", y2, {"institution": ["A", "B"], "class_id": ["1-2", "2a"], "grades": ["1,2", "2"],
                                     "combined": [True, False], "learners": [6, 1]})
    data = read_network(tmp_path)
    assert data.year == y2 and data.declared_as_of is None  # declared children not received
    rows = {r.institution: r for r in institution_rows(data, m)}
    # A: 6 learners, capacity 10 → 60 %; one combined class of 6 < 8 (grades 1-6 minimum in a novads)
    a, b = rows["A"], rows["B"]
    assert (a.learners, a.capacity_use, a.classes, a.combined_classes, a.classes_below_minimum) == (6, 60.0, 1, 1, 1)
    assert (b.learners, b.capacity, b.capacity_use, b.small) == (1, None, None, True)  # no capacity: no data
    assert area_projection(data, "LV-067", m).projection is None  # no declared children: no projection

    _write(tmp_path, "declared_children", y2, {"declared_municipality": ["LV-067"] * 3,
                                               "birth_year": [2016, 2017, 2018], "children": [8, 5, 4],
                                               "as_of": [datetime.date(2024, 7, 1)] * 3})
    data = read_network(tmp_path)
    area = area_projection(data, "LV-067", m, horizon=1)
    assert data.declared_as_of == "2024-07-01" and area.projection is not None
    # municipality: grade 1 2023: 6, 2024: 3; grade 2 2024: 4. Entry rate = (6 + 3) / (8 + 5) = 9/13 (born 2016
    # and 2017); ratio of grade 2 = 4 / 6. 2025: grade 1 = 9/13 × 4 (born 2018); grade 2 = 4/6 × 3 = 2
    p = area.projection
    assert p.entry_rate.value == pytest.approx(9 / 13) and p.ratios[2].value == pytest.approx(4 / 6)
    assert p.learners[2025][1] == pytest.approx(36 / 13) and p.learners[2025][2] == pytest.approx(2.0)
    # A keeps 3/3 of grade 1 and 3/4 of grade 2: 2025 = 36/13 + 1.5; B: 0 of grade 1, 1/4 of grade 2 = 0.5
    assert area.institutions["A"].total(2025, (1, 2)) == pytest.approx(36 / 13 + 1.5)
    assert area.institutions["B"].total(2025, (1, 2)) == pytest.approx(0.5)
    totals = dict((y, t) for y, *_, t in grade_totals(p))
    assert totals[2024] == 7.0
    assert {u.institution: u.year for u in area.under} == {"A": 2024, "B": 2024}


def read_network_declared(lake: Path) -> dict:
    """The declared children as the network tool reads them (it needs enrolments to read anything)."""
    _write(lake, "enrolments", "2024/2025", _enrolments([("x", "A", 1)]))
    return read_network(lake).declared


def test_declared_children_import(tmp_path: Path) -> None:
    """import_data accepts the population register's counts as documented (docs/data/imports.md)."""
    source = tmp_path / "declared.csv"
    source.write_text("declared_municipality,birth_year,children,as_of\nLV-067,2018,412,2024-07-01\n"
                      "LV-RIX,2018,5120,2024-07-01\n", encoding="utf-8")
    report = import_file("declared_children", source, lake_root=tmp_path / "lake", school_year="2024/2025",
                         known_institutions=set(), known_programmes=set(), pseudonym_key=b"k" * 32)
    assert report.status == "imported", report.summary_lines()
    data = read_network_declared(tmp_path / "lake")
    assert data == {"LV-067": {2018: 412.0}, "LV-RIX": {2018: 5120.0}}
    bad = tmp_path / "bad.csv"
    bad.write_text("declared_municipality,birth_year,children,as_of\nLV-067,2018,-3,2024-07-01\n", encoding="utf-8")
    rejected = import_file("declared_children", bad, lake_root=tmp_path / "lake2", school_year="2024/2025",
                           known_institutions=set(), known_programmes=set(), pseudonym_key=b"k" * 32)
    assert rejected.status == "rejected" and rejected.error_count == 1


def test_capacity_use_and_small_schools_on_the_tiny_lake(tmp_path: Path) -> None:
    """fixtures/lake.yaml: capacity recorded for B1 (20) and S1 (12) only. 2023/24 learners of basic and
    secondary levels: B1 7 (b1-p1 is pre-school), S1 6, B2 3, G1 5, S2 1 (P1 pre-school, V1 vocational)."""
    lake = write_lake(tmp_path / "lake")
    result = compute(lake, "2023/2024", DuckDBEngine(lake), catalogue=default_catalogue())
    v = result.values
    got = {(r.indicator, r.unit): (r.value, r.numerator, r.denominator) for r in v.itertuples()
           if r.indicator in ("capacity_use", "small_schools", "learners_in_small_schools_share")}
    assert got[("capacity_use", "B1")] == (35.0, 7.0, 20.0)  # 100 × 7 / 20
    assert got[("capacity_use", "S1")] == (50.0, 6.0, 12.0)  # 100 × 6 / 12
    assert ("capacity_use", "B2") not in got  # no capacity recorded: no data, not 0
    assert got[("capacity_use", "LV-RIX")][0] == 35.0 and got[("capacity_use", "LV-067")][0] == 50.0
    assert got[("capacity_use", "LV")] == (40.625, 13.0, 32.0)  # 100 × 13 / 32
    # every school has fewer than 100 learners: LV-RIX 4 (B1, B2, G1, S2), LV-067 1 (S1), 22 learners in all
    assert got[("small_schools", "LV-RIX")][0] == 4.0 and got[("small_schools", "LV")][0] == 5.0
    assert got[("learners_in_small_schools_share", "LV")] == (100.0, 22.0, 22.0)
