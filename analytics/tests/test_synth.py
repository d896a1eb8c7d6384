"""The synthetic national data generator (analytics.synth): determinism, calibration, schemas, latent model."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from analytics.lake.schemas import (
    DATASETS,
    IMPORTED_DATASETS,
    INSTITUTIONS,
    LONG_ABSENCE_REASONS,
    OUT_OF_SCHOOL_STATUSES,
    partition_dir,
)
from analytics.synth import calibration_report, check_calibration, example_institutions, generate_lake
from analytics.synth.__main__ import main
from analytics.synth.institutions import EXAMPLE_COUNTS, TYPE_KIND
from analytics.synth.plan import best_error, best_k, choose_denominator, plan_flags, withheld_count
from analytics.synth.sizes import load_size_model
from analytics.synth.targets import load_targets, scaled
from analytics.synth.writer import PartitionWriter

SCALE = 0.05
SEED = 20240101
YEARS = ("2022/2023", "2023/2024", "2024/2025")
ROOT = Path(__file__).resolve().parents[2]
SHARED = next((p for p in (ROOT / "shared", ROOT.parent / "shared") if (p / "data").is_dir()), None)
REAL_SIZES = SHARED / "data" / "real" / "lv-viis-register-2020" if SHARED else None
CALIBRATION_YAML = SHARED / "data" / "calibration-2024.yaml" if SHARED else None


def synthetic_register(scale: float, seed: int = 7) -> pd.DataFrame:
    """A realistic register: the 2024 counts per institution type (≈ 600 pre-schools, 250 basic, 270
    secondary, 44 special, 52 vocational ...) × scale, at least one of each type that has learners."""
    return example_institutions(scale, seed)


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, dict[str, int]]]:
    base = tmp_path_factory.mktemp("synth")
    root, latent = base / "lake", base / "hidden" / "latent.parquet"
    sizes = REAL_SIZES if REAL_SIZES and REAL_SIZES.is_dir() else None
    counts = generate_lake(synthetic_register(SCALE), root, scale=SCALE, seed=SEED, size_source=sizes,
                           latent_path=latent)
    return root, latent, counts


def _views(root: Path, latent: Path | None = None) -> duckdb.DuckDBPyConnection:
    """DuckDB with one view per dataset (column school_year from the partition folder, e.g. 2023-2024)."""
    con = duckdb.connect()
    for name in [*IMPORTED_DATASETS, INSTITUTIONS.name]:
        con.read_parquet(str(root / name / "*" / "*.parquet"), hive_partitioning=True).create_view(name)
    if latent is not None:
        con.read_parquet(str(latent)).create_view("latent")
    return con


def _digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*.parquet"))}


# -- (1) determinism ------------------------------------------------------------------------------------

def test_same_seed_same_files_other_seed_other_files(tmp_path: Path) -> None:
    register = synthetic_register(0.01)
    runs = {}
    for name, seed in (("a", 11), ("b", 11), ("c", 12)):
        generate_lake(register, tmp_path / name, scale=0.01, seed=seed)
        runs[name] = _digest(tmp_path / name)
    assert runs["a"] == runs["b"]
    assert runs["a"].keys() == runs["c"].keys()
    assert runs["a"]["grades/school_year=2023-2024/part-0.parquet"] != runs["c"][
        "grades/school_year=2023-2024/part-0.parquet"]


# -- (2) calibration at scale 0.05 ----------------------------------------------------------------------
#
# Counts must equal round(target × 0.05) exactly. Shares are compared to 0.05 percentage points where the
# denominator allows it; a share of N institutions (N ≈ 12 basic and 17 secondary schools here) can only be
# k/N, so the tolerance is then the distance from the target to the nearest k/N (at most 50/N pp) — i.e. the
# generator must have chosen the best possible k, nothing looser.

def test_calibration_figures_at_scale(lake: tuple[Path, Path, dict[str, dict[str, int]]]) -> None:
    root, _, _ = lake
    report = calibration_report(root, None, SCALE)
    bad = [f for f in report if not f.ok]
    assert not bad, bad
    names = {f.name for f in report}
    targets = load_targets()
    # Every published figure is recounted.
    assert {f"table5 {s}" for s in OUT_OF_SCHOOL_STATUSES} <= names
    for year in ("2022/2023", "2023/2024"):
        for group in ("preschool", "general_basic", "general_secondary", "vocational", "total"):
            assert {f"table6 {year} {group} s1", f"table6 {year} {group} s2"} <= names
        assert sum(n.startswith(f"table7 {year}") for n in names) == 12
    assert {f"long-term reasons 2023/2024 s{s} {r}" for s in (1, 2) for r in LONG_ABSENCE_REASONS} <= names
    for key in [*targets.basic, *targets.secondary]:
        assert any(n.endswith(key) for n in names), key
    assert check_calibration(root, None, SCALE) == []


def test_direct_recount_of_a_few_figures(lake: tuple[Path, Path, dict[str, dict[str, int]]]) -> None:
    """Independent SQL for table 5 and the table 6 basic-school row (no helper code)."""
    root, _, _ = lake
    con = _views(root)
    oos = con.execute("""SELECT status, count(*) FROM out_of_school
        WHERE school_year = '2024-2025' AND as_of = DATE '2024-12-31' GROUP BY ALL""").fetchall()
    targets = load_targets()
    assert dict(oos) == {s: scaled(v, SCALE) for s, v in targets.out_of_school.items() if scaled(v, SCALE)}
    rows = con.execute("""
        WITH a AS (SELECT learner_id, institution, semester, sum(lessons) AS l FROM absences
                   WHERE school_year = '2023-2024' AND reason = 'unjustified' GROUP BY ALL),
             e AS (SELECT * FROM enrolments WHERE school_year = '2023-2024')
        SELECT semester, count(DISTINCT learner_id) FROM a JOIN e USING (learner_id, institution)
        WHERE e.level = 'basic' AND NOT e.special AND l > 20 GROUP BY 1 ORDER BY 1""").fetchall()
    expected = targets.long_term("2023/2024")["general_basic"]
    assert rows == [(1, scaled(expected[1], SCALE)), (2, scaled(expected[2], SCALE))]


def test_builtin_targets_match_the_calibration_file() -> None:
    assert CALIBRATION_YAML is not None and CALIBRATION_YAML.exists(), "../shared/data/calibration-2024.yaml missing"
    assert load_targets(CALIBRATION_YAML).raw == load_targets().raw


def test_reachable_shares() -> None:
    assert best_k(232, 19.0) == 44 and best_error(232, 19.0) < 0.05
    assert choose_denominator(250, [19.0, 30.6, 21.6, 44.4]) == 232  # all four reachable
    assert math.isinf(best_error(0, 10.0))


def test_a_share_no_denominator_reaches_is_reached_over_the_schools_that_submitted() -> None:
    """No N reaches all five published secondary-school shares (9.5, 47.5, 73.0, 11.9, 59.5): with 244 schools,
    one school without classes records and two without vacancy records give 23 / 243 = 9.47 % and
    144 / 242 = 59.50 %. The flagged schools always submitted; small sets and basic-school R4 never withhold."""
    secondary = {"risk_combined_classes": 9.5, "risk_long_term_unexcused_absence": 73.0,
                 "risk_no_support_staff": 11.9, "risk_teacher_vacancy_over_one_month": 59.5,
                 "risk_exam_10_to_30_below_national": 47.5}
    assert [withheld_count(244, t) for t in secondary.values()] == [1, 0, 0, 2, 0]
    assert withheld_count(40, 9.5) == 0  # small sets: the share is not published at 0.1
    n = 600
    rng = np.random.default_rng(1)
    basic_set = np.arange(n) < 300
    secondary_set = (np.arange(n) >= 300) & (np.arange(n) < 544)
    basic = {"risk_combined_classes": 9.5, "risk_long_term_unexcused_absence": 30.0,
             "risk_no_support_staff": 20.0, "risk_teacher_vacancy_over_one_month": 59.5}
    flags = plan_flags(rng, basic_set=basic_set, secondary_set=secondary_set, quality=rng.normal(size=n),
                       size=rng.integers(20, 900, n).astype(float), rural=rng.random(n) < 0.5,
                       truancy_ok=np.ones(n, dtype=bool), exam_ok=np.ones(n, dtype=bool),
                       basic_targets=basic, secondary_targets=secondary)
    classes, vacancies = flags.withheld["classes"], flags.withheld["vacancies"]
    assert int((classes & secondary_set).sum()) == 1 and int((vacancies & secondary_set).sum()) == 2
    assert not (vacancies & basic_set).any()  # R4 of basic schools needs both years: a gap would pass
    assert not (classes & flags.combined).any()
    assert not (vacancies & (flags.vacancy_required.any(axis=1))).any()
    assert (vacancies & secondary_set).sum() and flags.vacancy_forbidden[vacancies].all()
    for mask, flagged, target in ((classes, flags.combined, 9.5),
                                  (vacancies, flags.vacancy_required.any(axis=1), 59.5)):
        evaluated = secondary_set & ~mask
        share = 100 * (flagged & evaluated).sum() / evaluated.sum()
        assert abs(share - target) <= 0.05, share
    basic_share = 100 * (flags.combined & basic_set & ~classes).sum() / (basic_set & ~classes).sum()
    assert abs(basic_share - 9.5) <= 0.05, basic_share


# -- (3) schemas and values -----------------------------------------------------------------------------

def _check_table(name: str, table: pa.Table, register: set[str], programmes: dict[str, set[str]]) -> None:
    dataset = INSTITUTIONS if name == "institutions" else DATASETS[name]
    assert table.schema.equals(dataset.schema), name
    for col in dataset.columns:
        arr = table.column(col.name)
        if not col.nullable:
            assert arr.null_count == 0, (name, col.name)
        if col.allowed is not None:
            values = set(pc.unique(arr.drop_null()).to_pylist())
            assert values <= set(col.allowed), (name, col.name, values - set(col.allowed))
        if col.min is not None and len(arr.drop_null()):
            lo, hi = pc.min_max(arr).values()
            assert lo.as_py() >= col.min and hi.as_py() <= col.max, (name, col.name)
        if col.reference == "institution":
            assert set(pc.unique(arr).to_pylist()) <= register, (name, col.name)
    if dataset.key:
        keys = table.select(list(dataset.key)).group_by(list(dataset.key)).aggregate([([], "count_all")])
        assert keys.num_rows == table.num_rows, f"{name}: duplicate keys"
    if name == "enrolments":
        pairs = set(zip(table.column("institution").to_pylist(), table.column("programme_code").to_pylist(),
                        strict=True))
        assert all(p in programmes[i] for i, p in pairs), "programme not licensed to the institution"


def test_every_file_matches_its_schema(lake: tuple[Path, Path, dict[str, dict[str, int]]]) -> None:
    root, _, counts = lake
    register = synthetic_register(SCALE)
    codes = set(register["institution"])
    programmes = dict(zip(register["institution"], map(set, register["programmes"]), strict=True))
    seen = set()
    for name in [*IMPORTED_DATASETS, INSTITUTIONS.name]:
        for year in YEARS:
            folder = root / name / partition_dir(year)
            assert [p.name for p in folder.iterdir()] == ["part-0.parquet"], folder
            table = pq.read_table(folder / "part-0.parquet")
            assert table.num_rows == counts[name][year]
            _check_table(name, table, codes, programmes)
            seen.add(name)
    # Every dataset received from other systems; the web application's own (complaints) it never writes.
    assert seen == {*IMPORTED_DATASETS, INSTITUTIONS.name}
    assert not [d for d in DATASETS if d not in IMPORTED_DATASETS and (root / d).exists()]
    assert not list(root.rglob(".tmp-*")) and not list(root.rglob(".old-*"))


def test_volumes_follow_the_scale(lake: tuple[Path, Path, dict[str, dict[str, int]]]) -> None:
    root, _, counts = lake
    con = _views(root)
    levels = dict(con.execute("SELECT level, count(*) FROM enrolments WHERE school_year = '2022-2023' "
                              "GROUP BY 1").fetchall())
    assert abs(levels["basic"] + levels["secondary"] - 230_000 * SCALE) < 0.05 * 230_000 * SCALE
    assert abs(levels["preschool"] - 95_000 * SCALE) < 0.05 * 95_000 * SCALE
    assert abs(levels["vocational"] - 27_000 * SCALE) < 0.05 * 27_000 * SCALE
    per_learner = counts["grades"]["2023/2024"] / counts["learners"]["2023/2024"]
    assert 100 < per_learner < 250  # ~25 marks × 7–14 subjects for grades 4–12 and vocational learners


def test_learners_persist_across_years(lake: tuple[Path, Path, dict[str, dict[str, int]]]) -> None:
    root, _, _ = lake
    con = _views(root)
    moved = con.execute("""
        WITH a AS (SELECT * FROM enrolments WHERE school_year = '2022-2023'),
             b AS (SELECT * FROM enrolments WHERE school_year = '2023-2024')
        SELECT count(*), count(*) FILTER (WHERE b.grade = a.grade + 1 OR (a.grade = 0 AND b.grade IN (0, 1))
                                          OR (a.grade = 9 AND b.level = 'vocational' AND b.grade = 1)),
               count(*) FILTER (WHERE a.level = 'basic' AND a.grade = 9 AND b.grade = 10)
        FROM a JOIN b USING (learner_id)""").fetchone()
    assert moved is not None
    total, up, to_secondary = moved
    first_year = con.execute("SELECT count(*) FROM enrolments WHERE school_year = '2022-2023'").fetchone()
    assert first_year is not None and total > 0.7 * first_year[0]
    assert up == total and to_secondary > 0
    ids = con.execute("SELECT learner_id FROM learners LIMIT 100").fetchall()
    assert all(len(i) == 16 and int(i, 16) >= 0 for (i,) in ids)


def test_example_register_counts() -> None:
    frame = example_institutions(1.0, 1)
    assert frame["institution"].str.fullmatch(r"\d{10}").all() and frame["institution"].is_unique
    counts = frame["type"].value_counts()
    assert counts["basic"] == 250 and counts["secondary"] == 270 and counts["preschool"] == 600
    assert sum(counts[t] for t, k in TYPE_KIND.items() if k == "vocational") == 52
    assert sum(counts[t] for t, k in TYPE_KIND.items() if k == "special") == 44
    assert set(counts.index) == set(EXAMPLE_COUNTS)


def test_size_model_reads_the_real_counts_or_falls_back() -> None:
    rng = np.random.Generator(np.random.PCG64(1))
    fallback = load_size_model(None)
    assert fallback.source("basic") == "lognormal" and (fallback.sample("basic", 100, rng) >= 1).all()
    assert REAL_SIZES is not None and REAL_SIZES.is_dir(), "../shared real IZM pupil counts missing"
    model = load_size_model(REAL_SIZES)
    assert model.source("secondary") == "empirical" and model.source("preschool") == "empirical"
    real = model.empirical["secondary"]
    drawn = model.sample("secondary", 20_000, rng)
    assert abs(np.median(drawn) - np.median(real)) < 0.1 * np.median(real)
    assert drawn.min() >= real.min() and drawn.max() <= real.max()


# -- (4) the latent truth stays out of the lake ---------------------------------------------------------

def test_latent_file_is_outside_the_lake_and_not_in_it(lake: tuple[Path, Path, dict[str, dict[str, int]]],
                                                        tmp_path: Path) -> None:
    root, latent, _ = lake
    assert latent.exists() and root.resolve() not in latent.resolve().parents
    hidden = pq.read_table(latent).to_pandas()
    assert list(hidden.columns) == ["institution", "latent_quality", "latent_trend"]
    secret = np.r_[hidden["latent_quality"].to_numpy(), hidden["latent_trend"].to_numpy()]
    for name in [*IMPORTED_DATASETS, INSTITUTIONS.name]:
        dataset = INSTITUTIONS if name == "institutions" else DATASETS[name]
        assert not {"latent_quality", "latent_trend", "quality"} & {c.name for c in dataset.columns}
        for path in (root / name).rglob("*.parquet"):
            table = pq.read_table(path)
            for field in table.schema:
                if pa.types.is_floating(field.type):
                    values = table.column(field.name).to_numpy().astype(np.float64)
                    assert not np.isin(values, secret).any(), (name, field.name)
    with pytest.raises(ValueError, match=r"outside|inside"):
        generate_lake(synthetic_register(0.01), tmp_path / "lake", scale=0.01, latent_path=tmp_path / "lake" / "x")


# -- (5) the latent quality drives the records ----------------------------------------------------------

def _spearman(a: pd.Series, b: pd.Series) -> float:
    return float(np.corrcoef(a.rank().to_numpy(), b.rank().to_numpy())[0, 1])


def test_latent_quality_drives_absences_and_exams(lake: tuple[Path, Path, dict[str, dict[str, int]]]) -> None:
    root, latent, _ = lake
    con = _views(root, latent)
    frame = con.execute("""
        WITH e AS (SELECT institution, count(*) AS n FROM enrolments
                   WHERE school_year = '2023-2024' AND level IN ('basic', 'secondary') GROUP BY 1),
             a AS (SELECT institution, sum(lessons) AS u FROM absences
                   WHERE school_year = '2023-2024' AND reason = 'unjustified' GROUP BY 1),
             x AS (SELECT institution, avg(score_pct) AS s FROM exams
                   WHERE school_year = '2023-2024' AND mandatory GROUP BY 1)
        SELECT l.latent_quality AS q, coalesce(a.u, 0) / e.n AS unjustified, x.s AS exam
        FROM latent l JOIN e USING (institution) LEFT JOIN a USING (institution)
        LEFT JOIN x USING (institution)""").df()
    assert _spearman(frame["q"], frame["unjustified"]) < 0
    with_exams = frame.dropna(subset=["exam"])
    assert len(with_exams) >= 10
    assert _spearman(with_exams["q"], with_exams["exam"]) > 0


def test_latent_quality_drives_diagnostics_and_wellbeing_like_exams(
        lake: tuple[Path, Path, dict[str, dict[str, int]]]) -> None:
    """Issue 15: the diagnostic results and the well-being answers of an institution rise with its hidden latent
    quality, in the same direction as its exam results (rank correlation over the institutions, 2023/24)."""
    root, latent, _ = lake
    con = _views(root, latent)
    frame = con.execute("""
        WITH d AS (SELECT institution, avg(score_pct) AS d FROM diagnostics
                   WHERE school_year = '2023-2024' GROUP BY 1 HAVING count(*) >= 5),
             p AS (SELECT institution, avg(answer) AS p FROM wellbeing
                   WHERE school_year = '2023-2024' AND role = 'pupil' GROUP BY 1 HAVING count(*) >= 5),
             t AS (SELECT institution, avg(answer) AS t FROM wellbeing
                   WHERE school_year = '2023-2024' AND role = 'teacher' GROUP BY 1 HAVING count(*) >= 5),
             x AS (SELECT institution, avg(score_pct) AS x FROM exams
                   WHERE school_year = '2023-2024' AND mandatory GROUP BY 1)
        SELECT l.latent_quality AS q, d.d, p.p, t.t, x.x
        FROM latent l LEFT JOIN d USING (institution) LEFT JOIN p USING (institution)
        LEFT JOIN t USING (institution) LEFT JOIN x USING (institution)""").df()
    exams = frame.dropna(subset=["x"])
    exam_rho = _spearman(exams["q"], exams["x"])
    assert exam_rho > 0
    for column in ("d", "p", "t"):
        part = frame.dropna(subset=[column])
        assert len(part) >= 10, column
        assert _spearman(part["q"], part[column]) > 0, column
    # diagnostics and exams agree where a school has both
    both = frame.dropna(subset=["d", "x"])
    assert len(both) >= 5
    assert _spearman(both["d"], both["x"]) > 0


# -- writing ----------------------------------------------------------------------------------------------

def test_partition_write_is_atomic(tmp_path: Path) -> None:
    dataset = DATASETS["graduates"]
    row = {"learner_id": ["a"], "institution": ["4100000000"], "level": ["basic"], "destination": ["unknown"]}
    with PartitionWriter(tmp_path, dataset, "2023/2024") as writer:
        writer.write(row)
    target = tmp_path / "graduates" / "school_year=2023-2024" / "part-0.parquet"
    before = target.read_bytes()

    def fail_mid_way() -> None:
        with PartitionWriter(tmp_path, dataset, "2023/2024") as failing:
            failing.write({**row, "learner_id": ["b"]})
            raise RuntimeError("fail mid-way")

    with pytest.raises(RuntimeError):
        fail_mid_way()
    assert target.read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "graduates").iterdir()) == ["school_year=2023-2024"]


def test_command_line(tmp_path: Path) -> None:
    code = main(["--lake", str(tmp_path / "lake"), "--scale", "0.005", "--seed", "3", "--quiet",
                 "--latent", str(tmp_path / "latent.parquet"), "--check"])
    assert code == 0
    assert (tmp_path / "lake" / "grades" / "school_year=2024-2025" / "part-0.parquet").exists()


def test_lake_schema_documentation_is_up_to_date() -> None:
    from analytics.lake.docs import TARGET, render

    assert TARGET.read_text(encoding="utf-8") == render(), "run: uv run python -m analytics.lake.docs"
