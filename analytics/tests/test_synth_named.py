"""Named demo persons in the synthetic lake (analytics/synth/named.py): their learner id is the keyed hash of their
personal code in every school year and dataset, and nothing else of the lake changes."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from analytics.imports.pseudonym import pseudonymise
from analytics.synth import calibration_report, example_institutions, generate_lake

SCALE = 0.01
SEED = 11
KEY = b"test-pseudonym-key"
#: Valid-looking demo codes (the generator takes any strings; Django checks them before).
CODES = ("010190-10001", "150307-20354", "230611-21234")
LEARNER_DATASETS = (
    "learners",
    "enrolments",
    "graduates",
    "absences",
    "long_term_absences",
    "grades",
    "exams",
    "diagnostics",
)
Counts = dict[str, dict[str, int]]
Lakes = tuple[Path, Counts, Path, Counts]


def _ids(root: Path, dataset: str, learner_id: str) -> list[str]:
    """School years (partition values) of the rows of one learner in a dataset."""
    if not (root / dataset).is_dir():
        return []
    sql = (
        f"SELECT school_year FROM read_parquet('{root / dataset}/*/*.parquet', hive_partitioning = true, "  # noqa: S608
        "hive_types_autocast = false) WHERE learner_id = ?"
    )
    return sorted(r[0] for r in duckdb.execute(sql, [learner_id]).fetchall())


@pytest.fixture(scope="module")
def lakes(tmp_path_factory: pytest.TempPathFactory) -> Lakes:
    base = tmp_path_factory.mktemp("named")
    register = example_institutions(SCALE, 7)
    plain = generate_lake(register, base / "plain", scale=SCALE, seed=SEED)
    named = generate_lake(register, base / "named", scale=SCALE, seed=SEED, named_persons=CODES, pseudonym_key=KEY)
    return base / "plain", plain, base / "named", named


def test_named_persons_are_found_by_their_keyed_hash_in_every_year(lakes: Lakes) -> None:
    _, _, root, _ = lakes
    for code in CODES:
        learner_id = pseudonymise(code, KEY)
        enrolled = _ids(root, "enrolments", learner_id)
        assert enrolled == sorted(set(enrolled)), code  # one enrolment a year
        assert len(enrolled) >= 2, code  # studied in several school years
        assert _ids(root, "learners", learner_id) == enrolled, code  # the same id in the learners dataset
    # the first one graduated, and is known by the same id there
    assert _ids(root, "graduates", pseudonymise(CODES[0], KEY))


def test_only_the_ids_change(lakes: Lakes) -> None:
    plain_root, plain, named_root, named = lakes
    assert named == plain  # every count of every dataset and year
    assert calibration_report(named_root, None, SCALE) == calibration_report(plain_root, None, SCALE)
    ids = [pseudonymise(code, KEY) for code in CODES]
    for dataset in LEARNER_DATASETS:
        if not (plain_root / dataset).is_dir():
            continue
        sql = (
            "SELECT school_year, count(*), count(DISTINCT learner_id) FROM read_parquet('{}/*/*.parquet', "
            "hive_partitioning = true) GROUP BY ALL ORDER BY ALL"
        )
        assert (
            duckdb.execute(sql.format(plain_root / dataset)).fetchall()
            == duckdb.execute(sql.format(named_root / dataset)).fetchall()
        ), dataset
        found = duckdb.execute(
            f"SELECT count(*) FROM read_parquet('{plain_root / dataset}/*/*.parquet') "  # noqa: S608
            "WHERE learner_id IN (SELECT unnest(?))",
            [ids],
        ).fetchone()
        assert found == (0,), dataset  # the plain lake knows no named person
    # the rows other than the named persons' are the same, learner by learner
    sql = (
        "SELECT * EXCLUDE (learner_id), learner_id FROM read_parquet('{}/*/*.parquet', hive_partitioning = true) "
        "WHERE length(learner_id) = 16 ORDER BY ALL"
    )
    plain_rows = duckdb.execute(sql.format(plain_root / "enrolments")).fetchall()
    named_rows = duckdb.execute(sql.format(named_root / "enrolments")).fetchall()
    assert set(named_rows) <= set(plain_rows)
    assert len(plain_rows) - len(named_rows) == sum(len(_ids(named_root, "enrolments", i)) for i in ids)


def test_the_same_persons_for_a_seed(lakes: Lakes, tmp_path: Path) -> None:
    _, _, root, _ = lakes
    again = tmp_path / "again"
    generate_lake(example_institutions(SCALE, 7), again, scale=SCALE, seed=SEED, named_persons=CODES, pseudonym_key=KEY)
    for code in CODES:
        learner_id = pseudonymise(code, KEY)
        sql = (
            "SELECT school_year, institution, programme_code, grade FROM read_parquet('{}/*/*.parquet', "
            "hive_partitioning = true) WHERE learner_id = ? ORDER BY ALL"
        )
        assert (
            duckdb.execute(sql.format(root / "enrolments"), [learner_id]).fetchall()
            == duckdb.execute(sql.format(again / "enrolments"), [learner_id]).fetchall()
        )


def test_named_persons_need_a_key(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="key"):
        generate_lake(example_institutions(SCALE, 7), tmp_path / "lake", scale=SCALE, seed=SEED, named_persons=CODES)
