"""The "trio" written the way an analyst would in plain pandas, for the engine benchmark:
long-term unexcused absentees (table 6), exam mean vs national mean per mandatory exam, and the share
of combined classes per institution."""

from pathlib import Path

import pandas as pd

from analytics.lake.schemas import partition_dir


def _read(lake: Path, dataset: str, year: str, columns: list[str]) -> pd.DataFrame:
    return pd.read_parquet(lake / dataset / partition_dir(year), columns=columns)


def absences_table6(lake: Path, year: str) -> pd.DataFrame:
    absences = _read(lake, "absences", year, ["learner_id", "institution", "date", "semester", "lessons", "reason"])
    enrol = _read(lake, "enrolments", year, ["learner_id", "institution", "level", "special"]).drop_duplicates(
        ["learner_id", "institution"])
    unjust = absences[absences["reason"] == "unjustified"].merge(enrol, on=["learner_id", "institution"])
    school = unjust[unjust["level"] != "preschool"]
    lessons = school.groupby(["learner_id", "institution", "semester", "level", "special"], observed=True)[
        "lessons"].sum().reset_index()
    lessons = lessons[lessons["lessons"] > 20]
    lessons.loc[(lessons["level"] == "basic") & lessons["special"], "level"] = "special_basic"
    pre = unjust[unjust["level"] == "preschool"]
    days = pre.groupby(["learner_id", "institution", "semester"])["date"].nunique().reset_index()
    days = days[days["date"] > 3].assign(level="preschool")
    both = pd.concat([lessons[["learner_id", "semester", "level"]], days[["learner_id", "semester", "level"]]])
    return both.groupby(["level", "semester"]).size().rename("learners").reset_index()


def exam_vs_national(lake: Path, year: str) -> pd.DataFrame:
    exams = _read(lake, "exams", year, ["institution", "exam", "mandatory", "score_pct"])
    exams = exams[exams["mandatory"]]
    national = exams.groupby("exam")["score_pct"].mean().rename("national")
    school = exams.groupby(["institution", "exam"])["score_pct"].agg(["mean", "count"]).reset_index()
    school = school.merge(national, on="exam")
    school["difference"] = school["mean"] - school["national"]
    return school


def combined_class_share(lake: Path, year: str) -> pd.DataFrame:
    classes = _read(lake, "classes", year, ["institution", "class_id", "combined"])
    share = classes.groupby("institution")["combined"].agg(["sum", "count"]).reset_index()
    share["share_pct"] = 100.0 * share["sum"] / share["count"]
    return share


def run_trio(lake: Path, year: str) -> dict[str, pd.DataFrame]:
    return {"absences": absences_table6(lake, year), "exams": exam_vs_national(lake, year),
            "combined_classes": combined_class_share(lake, year)}
