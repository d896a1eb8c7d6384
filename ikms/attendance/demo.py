"""The demo's absence hand-off cases (issue 15 item 8): the latest demo school year's long-term absence records of
the lake, opened as cases at the municipality of each learner's declared residence through the bulk service, with
the action each school recorded, so that the action counts computed from the cases equal the imported ones. Some
of the cases with an action are closed with an outcome (closing adds no action, so the counts stay); those with
none stay open, most of them past the deadline of the first action, for the founders' start pages. A random stream
of its own."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.utils import timezone

from ikms.attendance.choices import Outcome
from ikms.attendance.lake import absence_records
from ikms.attendance.models import AbsenceAction, AbsenceCase
from ikms.attendance.services import cases_open_from_records, semester_end
from ikms.cases.models import CaseFile

#: Share of the cases with an action that the municipality has closed, and their outcomes' weights.
CLOSED_SHARE = 0.6
OUTCOMES = ((Outcome.RETURNED, 0.55), (Outcome.CONTINUES, 0.25), (Outcome.MOVED, 0.1), (Outcome.OTHER, 0.1))


def generate(*, rng: random.Random, school_year: str) -> dict[str, int]:
    records = absence_records(school_year)
    if records is None:
        return {"absence cases": 0}
    counts = cases_open_from_records(actor=None, school_year=school_year, records=records)
    today = timezone.localdate()
    acted = AbsenceAction.objects.filter(case__school_year=school_year).values_list("case_id", flat=True)
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    semesters = dict(AbsenceCase.objects.filter(school_year=school_year).values_list("id", "semester"))
    codes, weights = zip(*OUTCOMES, strict=True)
    for case_id in sorted(set(acted)):
        if rng.random() < CLOSED_SHARE:
            groups[(rng.choices(codes, weights)[0], semesters[case_id])].append(case_id)
    closed = 0
    for (outcome, semester), ids in sorted(groups.items()):
        day = min(semester_end(school_year, semester) + dt.timedelta(days=45), today)
        AbsenceCase.objects.filter(pk__in=ids).update(outcome=outcome)
        CaseFile.objects.filter(absence_case__in=ids).update(closed_on=day)
        closed += len(ids)
    return {"absence cases": counts["opened"], "absence actions": counts["actions"], "absence cases closed": closed}
