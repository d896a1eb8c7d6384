"""The current results of a school year are one rule (`selectors.current`): the latest complete run, overlaid for the
institutions they cover by later single-institution runs. Values, risk flags, rules not evaluated and the public
profiles all read it, so they agree after a partial recomputation."""

import pytest

from ikms.monitoring import selectors
from ikms.monitoring.models import RuleNotEvaluated
from ikms.monitoring.testing import SPEC, store_run
from ikms.portal import profiles

pytestmark = pytest.mark.django_db

YEAR = "2023/2024"


def _enrolled(unit: str, n: float) -> dict:
    return {"indicator": "learners_enrolled", "grain": "institution", "unit": unit, "value": n, "numerator": n,
            "denominator": n}


def _not_evaluated(run, rule: str, institution: str) -> None:
    RuleNotEvaluated.objects.create(run=run, school_year=run.school_year, rule=rule, version=SPEC,
                                    institution=institution, missing=[["absences", run.school_year]])


@pytest.fixture
def recomputed(monitored):
    """On top of `monitored` (complete run of 2023/2024 20 minutes ago: a1 120 learners, flags R2+R4; b1 60, R1;
    a2 4): a single-institution run from before the complete one (must not count), then a run of a1 and b1, then
    one of b1 alone (the latest wins for b1)."""
    a1, a2, b1 = (monitored[k].registration_number for k in ("a1", "a2", "b1"))
    store_run(YEAR, [_enrolled(a2, 999)], [{"rule": "R9", "institution": a2}], scope=[a2], minutes_ago=25)
    both = store_run(YEAR, [_enrolled(a1, 130), _enrolled(b1, 61)], [{"rule": "R1", "institution": a1}],
                     scope=[a1, b1], minutes_ago=5)
    _not_evaluated(both, "R3", a1)
    alone = store_run(YEAR, [_enrolled(b1, 62)], [{"rule": "R2", "institution": b1}], scope=[b1], minutes_ago=2)
    _not_evaluated(alone, "R5", b1)
    return monitored


def test_current_names_the_run_of_each_institution(recomputed):
    a1, a2, b1 = (recomputed[k].registration_number for k in ("a1", "a2", "b1"))
    now = selectors.current(YEAR)
    full = selectors.full_run(YEAR)
    assert now.run == full
    ids = {u: next(r for r in (now.run.pk, *now.redone.values()) if now.holds(r, u)) for u in (a1, a2, b1, "LV")}
    assert ids[a2] == ids["LV"] == full.pk  # the earlier single-institution run of a2 does not count
    assert ids[a1] != full.pk and ids[b1] not in (full.pk, ids[a1])
    assert now.run_ids([a2]) == [full.pk] and len(now.run_ids()) == 3
    assert selectors.current("1999/2000") is None


def test_values_flags_not_evaluated_and_profiles_agree_after_a_partial_run(recomputed):
    a1, a2, b1 = (recomputed[k].registration_number for k in ("a1", "a2", "b1"))
    units = [a1, a2, b1]
    enrolled = {v.unit: v.value for v in selectors.values(year=YEAR, grain="institution",
                                                           indicators_=["learners_enrolled"])}
    assert enrolled == {a1: 130, a2: 4, b1: 62}
    assert {(f.institution, f.rule) for f in selectors.risk_flags(YEAR)} == {(a1, "R1"), (b1, "R2")}
    assert [(r.institution, r.rule) for r in selectors.rules_not_evaluated(YEAR)] == [(a1, "R3"), (b1, "R5")]
    # the public profiles read the same current values, in their own query
    for year in selectors.school_years():
        shown = profiles._current_values([year], units)
        mine = selectors.values(year=year, grain="institution", units=units, indicators_=profiles.STORED_INDICATORS)
        assert sorted(shown[("institution", year)], key=repr) == sorted(mine, key=repr)
        nation = selectors.values(year=year, grain="nation", units=[selectors.NATION],
                                  indicators_=profiles.STORED_INDICATORS)
        assert sorted(shown[("nation", year)], key=repr) == sorted(nation, key=repr)
    public = profiles.public_indicators(units)
    assert public[a1].row("learners_enrolled:::").at(YEAR).value == 130
    assert public[b1].row("learners_enrolled:::").at(YEAR).value == 62


def test_values_is_one_query_however_many_partial_runs(recomputed, django_assert_num_queries):
    with django_assert_num_queries(2):  # the runs, then the values
        selectors.values(year=YEAR, grain="institution")
    with django_assert_num_queries(2):
        selectors.risk_flags(YEAR)
