"""Recount the calibration figures from the lake's records with DuckDB SQL and compare with the targets.

The definitions are those of the indicator engine (see the brief in docs/data/synthetic.md): counts must
equal round(target × scale); shares must be within 0.05 percentage points, or — where the denominator N makes
that impossible — at the nearest reachable k/N (tolerance = the smallest |100·k/N − target|).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from analytics.lake.coverage import Coverage
from analytics.lake.schemas import DATASETS, INSTITUTIONS, LONG_ABSENCE_REASONS, SUPPORT_POSITIONS, partition_dir
from analytics.synth.plan import best_error
from analytics.synth.targets import LT_GROUPS, Targets, load_targets, scaled

SHARE_TOLERANCE = 0.05
BASIC_TYPES = ("basic",)
SECONDARY_TYPES = ("secondary", "gymnasium", "state_gymnasium")


@dataclass(frozen=True)
class Figure:
    name: str
    expected: float
    actual: float
    tolerance: float = 0.0
    denominator: int | None = None

    @property
    def ok(self) -> bool:
        return abs(self.actual - self.expected) <= self.tolerance + 1e-9


def _connect(lake_root: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    for name in [*DATASETS, INSTITUTIONS.name]:
        folder = Path(lake_root) / name
        if any(folder.glob("school_year=*/*.parquet")):
            pattern = str(folder / "school_year=*" / "*.parquet").replace("'", "''")
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{pattern}', "  # noqa: S608
                        "hive_partitioning = true, hive_types_autocast = false)")
    return con


def _part(year: str) -> str:
    return partition_dir(year).split("=", 1)[1]


def _has(con: duckdb.DuckDBPyConnection, table: str, year: str) -> bool:
    try:
        row = con.execute(f"SELECT count(*) FROM {table} WHERE school_year = ?", [_part(year)]).fetchone()  # noqa: S608
    except duckdb.CatalogException:
        return False
    return bool(row and row[0])


def _long_term_sql(year: str) -> str:
    """Per (learner, institution, semester): long-term unexcused absentee group (table 6 definition)."""
    return f"""
        WITH e AS (
            SELECT learner_id, institution, arg_max(level, start_date) AS level,
                   arg_max(special, start_date) AS special
            FROM enrolments WHERE school_year = '{_part(year)}' GROUP BY ALL),
        a AS (
            SELECT learner_id, institution, semester, sum(lessons) AS lessons, count(DISTINCT date) AS days
            FROM absences WHERE school_year = '{_part(year)}' AND reason = 'unjustified' GROUP BY ALL)
        SELECT a.learner_id, a.institution, a.semester,
            CASE WHEN e.level = 'preschool' AND a.days > 3 THEN 'preschool'
                 WHEN e.level = 'basic' AND NOT e.special AND a.lessons > 20 THEN 'general_basic'
                 WHEN e.level = 'secondary' AND a.lessons > 20 THEN 'general_secondary'
                 WHEN e.level = 'vocational' AND a.lessons > 20 THEN 'vocational' END AS grp
        FROM a JOIN e USING (learner_id, institution)"""  # noqa: S608


def calibration_report(lake_root: Path, calibration_yaml: Path | None = None, scale: float = 1.0) -> list[Figure]:
    """Every calibrated figure: expected (at this scale) and recounted from the lake."""
    targets = load_targets(calibration_yaml)
    con = _connect(Path(lake_root))
    out: list[Figure] = []
    _absences(con, targets, scale, out)
    _out_of_school(con, targets, scale, out)
    _quality(con, targets, out, Coverage.read(Path(lake_root)))
    return out


def check_calibration(lake_root: Path, calibration_yaml: Path | None, scale: float) -> list[str]:
    """Mismatches between the lake and the calibration figures (empty when everything holds)."""
    return [f"{f.name}: expected {f.expected:g} (±{f.tolerance:.3g}), got {f.actual:g}"
            + (f" (N = {f.denominator})" if f.denominator is not None else "")
            for f in calibration_report(lake_root, calibration_yaml, scale) if not f.ok]


def _absences(con: duckdb.DuckDBPyConnection, targets: Targets, scale: float, out: list[Figure]) -> None:
    for year in targets.long_term_years:
        if not _has(con, "absences", year):
            out.append(Figure(f"table6 {year}: absences partition", 1, 0))
            continue
        sql = f"SELECT semester, grp, count(DISTINCT learner_id) FROM ({_long_term_sql(year)}) "  # noqa: S608
        rows = con.execute(sql + "WHERE grp IS NOT NULL GROUP BY ALL").fetchall()
        got = {(int(s), g): int(n) for s, g, n in rows}
        expected = targets.long_term(year)
        published_total = targets.long_term_total(year)
        for sem in (1, 2):
            parts = [scaled(expected[g][sem], scale) for g in LT_GROUPS]
            for g, exp in zip(LT_GROUPS, parts, strict=True):
                out.append(Figure(f"table6 {year} {g} s{sem}", exp, got.get((sem, g), 0)))
            out.append(Figure(f"table6 {year} total s{sem}", sum(parts),
                              sum(got.get((sem, g), 0) for g in LT_GROUPS)))
            out.append(Figure(f"table6 {year} published total s{sem} = sum of levels",
                              published_total[sem], sum(expected[g][sem] for g in LT_GROUPS)))
    for year in targets.missing_years:
        if not _has(con, "absences", year):
            continue
        rows = con.execute(f"""
            WITH e AS (SELECT learner_id, institution, arg_max(level, start_date) AS level
                       FROM enrolments WHERE school_year = '{_part(year)}' GROUP BY ALL)
            SELECT a.reason, e.level, a.semester, count(DISTINCT a.learner_id)
            FROM absences a JOIN e USING (learner_id, institution)
            WHERE a.school_year = '{_part(year)}' AND e.level IN ('basic', 'secondary') GROUP BY ALL
        """).fetchall()  # noqa: S608
        got7 = {(r, lv, int(s)): int(n) for r, lv, s, n in rows}
        for key, value in targets.missing(year).items():
            out.append(Figure(f"table7 {year} {key[0]} {key[1]} s{key[2]}", scaled(value, scale),
                              got7.get(key, 0)))
    year = "2023/2024"
    if _has(con, "long_term_absences", year):
        rows = con.execute("SELECT semester, reason, count(*) FROM long_term_absences WHERE school_year = ? "
                           "GROUP BY ALL", [_part(year)]).fetchall()
        got_r = {(int(s), r): int(n) for s, r, n in rows}
        for sem, reasons in targets.long_term_reasons.items():
            for reason in LONG_ABSENCE_REASONS:
                out.append(Figure(f"long-term reasons {year} s{sem} {reason}", scaled(reasons[reason], scale),
                                  got_r.get((sem, reason), 0)))
        stray = con.execute(f"""
            SELECT count(*) FROM long_term_absences l
            LEFT JOIN ({_long_term_sql(year)}) t USING (learner_id, institution, semester)
            WHERE l.school_year = '{_part(year)}' AND t.grp IS NULL""").fetchone()  # noqa: S608
        out.append(Figure(f"long-term records {year} that are not long-term absentees", 0,
                          int(stray[0]) if stray else 0))


def _out_of_school(con: duckdb.DuckDBPyConnection, targets: Targets, scale: float, out: list[Figure]) -> None:
    year = "2024/2025"
    if not _has(con, "out_of_school", year):
        out.append(Figure(f"table5 {year}: out_of_school partition", 1, 0))
        return
    rows = con.execute("SELECT status, count(*) FROM out_of_school WHERE school_year = ? "
                       "AND as_of = DATE '2024-12-31' GROUP BY ALL", [_part(year)]).fetchall()
    got = {s: int(n) for s, n in rows}
    for status, value in targets.out_of_school.items():
        out.append(Figure(f"table5 {status}", scaled(value, scale), got.get(status, 0)))


def _share(out: list[Figure], name: str, target: float, row: tuple[object, ...] | None) -> None:
    value = float(row[0]) if row and row[0] is not None else float("nan")  # type: ignore[arg-type]
    n = int(row[1]) if row and row[1] is not None else 0  # type: ignore[call-overload]
    tol = max(SHARE_TOLERANCE, best_error(n, target))
    out.append(Figure(name, target, value, tol, n))


def _quality(con: duckdb.DuckDBPyConnection, targets: Targets, out: list[Figure], coverage: Coverage) -> None:
    year, prev = "2023/2024", "2022/2023"
    needed = ("enrolments", "grades", "exams", "graduates", "classes", "absences", "staff", "vacancies",
              "institutions")
    if not all(_has(con, t, year) for t in needed):
        out.append(Figure("quality indicators 2023/24: partitions present", 1, 0))
        return
    y, p = _part(year), _part(prev)
    y0 = int(year[:4])
    basic_types = ", ".join(f"'{t}'" for t in BASIC_TYPES)
    sec_types = ", ".join(f"'{t}'" for t in SECONDARY_TYPES)
    support = ", ".join(f"'{s}'" for s in SUPPORT_POSITIONS)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE sch AS
        SELECT i.institution, CASE WHEN i.type IN ({basic_types}) THEN 'basic' ELSE 'secondary' END AS sset
        FROM institutions i
        WHERE i.school_year = '{y}' AND i.type IN ({basic_types}, {sec_types})
          AND i.institution IN (SELECT institution FROM enrolments WHERE school_year = '{y}');
        CREATE OR REPLACE TEMP TABLE enr AS
        SELECT learner_id, institution, arg_max(level, start_date) AS level, arg_max(grade, start_date) AS grade
        FROM enrolments WHERE school_year = '{y}' GROUP BY ALL;
        CREATE OR REPLACE TEMP TABLE lm AS
        SELECT learner_id, institution, avg(mark) AS m,
               avg(mark) FILTER (WHERE course_level = 'advanced') AS madv,
               count(*) FILTER (WHERE course_level = 'advanced') AS nadv
        FROM grades WHERE school_year = '{y}' GROUP BY ALL;
        CREATE OR REPLACE TEMP TABLE ex AS
        SELECT learner_id, institution, avg(score_pct) AS s
        FROM exams WHERE school_year = '{y}' AND mandatory GROUP BY ALL;
    """)  # noqa: S608
    b, s = targets.basic, targets.secondary

    def q(sql: str, params: list[object] | None = None) -> tuple[object, ...] | None:
        return con.execute(sql, params).fetchone()

    _share(out, "basic: learners_average_7_or_more", b["learners_average_7_or_more"],
           q("SELECT 100 * avg((m >= 7)::INT), count(*) FROM lm JOIN sch USING (institution) WHERE sset = 'basic'"))
    _share(out, "secondary: learners_average_7_or_more", s["learners_average_7_or_more"],
           q("SELECT 100 * avg((m >= 7)::INT), count(*) FROM lm JOIN enr USING (learner_id, institution) "
             "JOIN sch USING (institution) WHERE sset = 'secondary' AND grade BETWEEN 10 AND 12"))
    _share(out, "secondary: learners_high_in_advanced_courses", s["learners_high_in_advanced_courses"],
           q("SELECT 100 * avg((madv >= 7)::INT), count(*) FROM lm JOIN sch USING (institution) "
             "WHERE sset = 'secondary' AND nadv > 0"))
    _share(out, "basic: learners_daily_vs_state_exam_differs", b["learners_daily_vs_state_exam_differs"],
           q("SELECT 100 * avg((abs(10 * m - s) > 20)::INT), count(*) FROM ex JOIN lm USING (learner_id, "
             "institution) JOIN sch USING (institution) WHERE sset = 'basic'"))
    row = q("SELECT avg(10 * m - s), count(*) FROM ex JOIN lm USING (learner_id, institution) "
            "JOIN enr USING (learner_id, institution) JOIN sch USING (institution) "
            "WHERE sset = 'secondary' AND grade = 12")
    out.append(Figure("secondary: daily_vs_state_exam_gap", s["daily_vs_state_exam_gap"],
                      float(row[0]) if row and row[0] is not None else float("nan"),  # type: ignore[arg-type]
                      SHARE_TOLERANCE, int(row[1]) if row else 0))  # type: ignore[call-overload]
    _share(out, "basic: graduates_continue_general_secondary", b["graduates_continue_general_secondary"],
           q("SELECT 100 * avg((destination = 'general_secondary')::INT), count(*) FROM graduates "
             "JOIN sch USING (institution) WHERE school_year = ? AND level = 'basic' AND sset = 'basic'", [y]))
    _share(out, "secondary: graduates_enter_higher_education", s["graduates_enter_higher_education"],
           q("SELECT 100 * avg((destination = 'higher_education')::INT), count(*) FROM graduates "
             "JOIN sch USING (institution) WHERE school_year = ? AND level = 'secondary' AND sset = 'secondary'",
             [y]))
    # Risk flags per school; a school that did not submit a rule's source for the year is not evaluated by it
    # (NULL: in neither the numerator nor the denominator), as the engine's rules treat it.
    schools = [str(r[0]) for r in con.execute("SELECT institution FROM sch").fetchall()]
    gaps = [(i, source) for source in ("classes", "vacancies") for i in schools
            if not coverage.covers(i, source, year)]
    con.execute("CREATE OR REPLACE TEMP TABLE gaps (institution VARCHAR, source VARCHAR)")
    if gaps:
        con.executemany("INSERT INTO gaps VALUES (?, ?)", gaps)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE risk AS
        WITH r1 AS (SELECT institution, bool_or(combined) AS f FROM classes WHERE school_year = '{y}' GROUP BY 1),
        lt AS (SELECT a.institution, a.learner_id, a.semester, sum(a.lessons) AS l
               FROM absences a JOIN enr e USING (learner_id, institution)
               WHERE a.school_year = '{y}' AND a.reason = 'unjustified' AND e.level <> 'preschool' GROUP BY ALL),
        r2 AS (SELECT institution, bool_or(l > 20) AS f FROM lt GROUP BY 1),
        st AS (SELECT DISTINCT institution, start_date, end_date FROM staff WHERE position IN ({support})),
        r3 AS (SELECT institution,
                 bool_or(start_date <= DATE '{y0 + 1}-08-31' AND (end_date IS NULL OR end_date >= DATE '{y0}-09-01'))
                 AS cur,
                 bool_or(start_date <= DATE '{y0}-08-31' AND (end_date IS NULL OR end_date >= DATE '{y0 - 1}-09-01'))
                 AS prev
               FROM st GROUP BY 1),
        v AS (SELECT DISTINCT vacancy_id, institution, opened, filled FROM vacancies WHERE position = 'teacher'),
        r4 AS (SELECT institution,
                 bool_or(opened <= DATE '{y0 + 1}-08-31'
                         AND coalesce(filled, DATE '{y0 + 1}-08-31') >= DATE '{y0}-09-01'
                         AND coalesce(filled, DATE '{y0 + 1}-08-31') - opened > 30) AS cur,
                 bool_or(opened <= DATE '{y0}-08-31'
                         AND coalesce(filled, DATE '{y0}-08-31') >= DATE '{y0 - 1}-09-01'
                         AND coalesce(filled, DATE '{y0}-08-31') - opened > 30) AS prev
               FROM v GROUP BY 1),
        x AS (SELECT institution, exam, score_pct FROM exams WHERE school_year = '{p}' AND mandatory),
        nat AS (SELECT exam, avg(score_pct) AS n FROM x GROUP BY 1),
        sm AS (SELECT institution, exam, avg(score_pct) AS m FROM x GROUP BY ALL),
        r5 AS (SELECT institution, bool_or(m BETWEEN 0.7 * n AND 0.9 * n) AS f FROM sm JOIN nat USING (exam)
               GROUP BY 1)
        SELECT sch.institution, sch.sset,
               CASE WHEN sch.institution IN (SELECT institution FROM gaps WHERE source = 'classes') THEN NULL
                    ELSE coalesce(r1.f, false) END AS r1,
               coalesce(r2.f, false) AS r2,
               NOT coalesce(r3.cur, false) AND NOT coalesce(r3.prev, false) AS r3,
               CASE WHEN sch.sset = 'basic' THEN coalesce(r4.cur AND r4.prev, false)
                    WHEN sch.institution IN (SELECT institution FROM gaps WHERE source = 'vacancies')
                         AND NOT coalesce(r4.prev, false) THEN NULL
                    ELSE coalesce(r4.cur OR r4.prev, false) END AS r4,
               coalesce(r5.f, false) AS r5
        FROM sch LEFT JOIN r1 USING (institution) LEFT JOIN r2 USING (institution)
        LEFT JOIN r3 USING (institution) LEFT JOIN r4 USING (institution) LEFT JOIN r5 USING (institution)
    """)  # noqa: S608
    for sset, figures in (("basic", b), ("secondary", s)):
        for col, key in (("r1", "risk_combined_classes"), ("r2", "risk_long_term_unexcused_absence"),
                         ("r3", "risk_no_support_staff"), ("r4", "risk_teacher_vacancy_over_one_month"),
                         ("r5", "risk_exam_10_to_30_below_national")):
            if key in figures:
                _share(out, f"{sset}: {key}", figures[key],
                       q(f"SELECT 100 * avg({col}::INT), count({col}) FROM risk WHERE sset = '{sset}'"))  # noqa: S608
