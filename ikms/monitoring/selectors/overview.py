"""The general overview (issue 15, item 5): the key national indicators over the school years held, each with its
data year and sources (dataset and the date the lake received the year's file, from the lake manifests), and the
published international study results (`InternationalResult`, item 7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from analytics.lake.coverage import read_manifest
from ikms.monitoring.models import Grain, InternationalResult
from ikms.monitoring.selectors.definitions import catalogue, indicators
from ikms.monitoring.selectors.indicator_values import values
from ikms.monitoring.selectors.scope import NATION

#: The key indicators of the overview: (indicator, semester, level, category), in the page's order.
KEY_SERIES: tuple[tuple[str, int | None, str, str], ...] = (
    ("learners_enrolled", None, "", ""),
    ("average_class_size", None, "", ""),
    ("learners_per_teacher", None, "", ""),
    ("support_staff_per_100_learners", None, "", ""),
    ("graduates_continue_general_secondary", None, "", ""),
    ("graduates_enter_higher_education", None, "", ""),
    ("learners_average_7_or_more_basic", None, "", ""),
    ("exam_mean_score", None, "", "MAT9"),
    ("exam_mean_score", None, "", "MAT"),
    ("learners_over_unexcused_lessons_threshold", 2, "", ""),
    ("out_of_school_children_total", None, "", ""),
    ("diagnostic_mean_score_grade3", None, "", "numeracy"),
    ("diagnostic_mean_score_grade6", None, "", "literacy"),
    ("wellbeing_pupil_index", None, "", ""),
    ("wellbeing_teacher_index", None, "", ""),
)


@dataclass
class Source:
    dataset: str
    received: dt.date | None  # the newest receipt of the data year's file


@dataclass
class Series:
    indicator: str
    semester: int | None
    category: str
    name: str
    years: list[str]
    nation: list[float | None]
    area: list[float | None] | None  # the founder's municipality beside the nation
    data_year: str | None  # the latest school year with a national (or the area's) value
    sources: list[Source] = field(default_factory=list)

    @property
    def rows(self) -> list[tuple[str, float | None, float | None]]:
        area = self.area or [None] * len(self.years)
        return list(zip(self.years, self.nation, area, strict=True))


def _received(dataset: str, year: str) -> dt.date | None:
    stamps = [str(e.get("imported_at") or "") for e in read_manifest(Path(settings.IKMS_LAKE_DIR), dataset)["files"]
              if str(e.get("school_year") or "") == year]
    stamps = [s for s in stamps if s]
    if not stamps:
        return None
    try:
        return dt.datetime.fromisoformat(max(stamps)).date()
    except ValueError:
        return None


def overview(*, years: Sequence[str], municipality: str | None) -> list[Series]:
    """The key series over `years` for the nation and, when given, a municipality (two queries a year)."""
    codes = sorted({k[0] for k in KEY_SERIES})
    by: dict[tuple[str, str, tuple], float | None] = {}
    for year in years:
        units = [(Grain.NATION, NATION)] + ([(Grain.MUNICIPALITY, municipality)] if municipality else [])
        for grain, unit in units:
            for v in values(year=year, grain=grain, units=[unit], indicators_=codes):
                by[(year, grain, v.key)] = None if v.suppressed else v.value
    info = indicators()
    specs = {i.code: i for i in catalogue().indicators}
    out = []
    for code, semester, level, category in KEY_SERIES:
        key = (code, semester, level, category)
        nation = [by.get((y, Grain.NATION, key)) for y in years]
        area = [by.get((y, Grain.MUNICIPALITY, key)) for y in years] if municipality else None
        held = [y for y, n, a in zip(years, nation, area or nation, strict=True) if n is not None or a is not None]
        data_year = held[-1] if held else None
        ind, spec = info.get(code), specs.get(code)
        sources = [Source(s, _received(s, data_year) if data_year else None)
                   for s in (spec.sources if spec else ()) if s != "institutions"]
        out.append(Series(code, semester, category, ind.name if ind else code, list(years), nation, area,
                          data_year, sources))
    return out


def international_results() -> list[InternationalResult]:
    return list(InternationalResult.objects.all())
