"""The demo generator: national scale, deterministic, and its 2024 register decisions equal
annual-report table 3 when counted from the system's own decision records."""

import io
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from ikms.accounts.models import RoleAssignment
from ikms.accounts.roles import Role
from ikms.registry.models import Decision, Institution, Municipality, Programme
from ikms.registry.selectors import licensing_counts, register_decision_counts
from ikms.reports.annual import QUALITY_INDICATORS

CALIBRATION = Path(settings.IKMS_SHARED_DIR) / "data" / "calibration-2024.yaml"


class _RollbackError(Exception):
    pass


def _fingerprint(scale: float, seed: int) -> tuple:
    try:
        with transaction.atomic():
            call_command("generate_demo", scale=scale, seed=seed, no_lake=True, stdout=io.StringIO())
            result = (
                tuple(Institution.objects.order_by("registration_number").values_list(
                    "registration_number", "name", "type__code", "founder__name", "status", "registered_on")),
                tuple(Decision.objects.order_by("number").values_list("number", "kind", "date", "reason")),
                tuple(Programme.objects.order_by("licence_number").values_list("licence_number", "code", "status")),
            )
            raise _RollbackError
    except _RollbackError:
        return result


@pytest.mark.django_db
def test_generator_is_deterministic_for_a_seed():
    first = _fingerprint(0.05, 7)
    assert first == _fingerprint(0.05, 7)
    assert first != _fingerprint(0.05, 8)
    assert len(first[0]) > 50


@pytest.mark.django_db
def test_refuses_to_generate_into_a_filled_database(officer):
    from django.core.management.base import CommandError

    from ikms.registry.testing import municipal_founder, register_institution

    register_institution(actor=officer, founder=municipal_founder("LV-RIX"))
    with pytest.raises(CommandError):
        call_command("generate_demo", scale=0.05, no_lake=True)


@pytest.mark.django_db
def test_scale_one_reproduces_the_2024_figures(tmp_path, settings, client):
    """Scale 1 end to end: the register's 2024 decisions (table 3), and the lake's records counted by the engine
    and displayed on the absences page (tables 5-7) equal the published figures."""
    settings.IKMS_LAKE_DIR = tmp_path / "lake"
    settings.IKMS_LATENT_PATH = tmp_path / "latent" / "latent.parquet"
    call_command("generate_demo", scale=1, lake_scale=1, stdout=io.StringIO())
    calibration = yaml.safe_load(CALIBRATION.read_text(encoding="utf-8"))
    _assert_annual_report(calibration)
    expected = calibration["register_of_institutions"]
    assert dict(register_decision_counts(year=2024)) == expected
    licensing = licensing_counts(year=2024)  # figure 1 and table 8, counted from the licensing decisions
    assert licensing["general"] == calibration["general_programme_licensing"]
    assert licensing["vocational"] == calibration["vocational_programme_licensing"]
    _assert_tables_5_to_7_displayed(client, calibration)
    _assert_engine_quality_figures(calibration)
    _assert_supervision_figures(calibration)
    _assert_offer_list_figures(calibration)
    _assert_evaluations_and_tasks(calibration)

    registered = Institution.objects.filter(status="registered")
    assert 1300 <= registered.count() <= 1500
    # general and vocational programmes, and about 1,650 vocational orientation ones (one per instrument or sport)
    assert 4200 <= Programme.objects.filter(status="licensed").count() <= 4900
    assert Municipality.objects.count() == 43
    assert registered.values("municipality").distinct().count() == 43
    for code in ("preschool", "basic", "secondary", "state_gymnasium", "vocational_secondary", "special_basic"):
        assert registered.filter(type__code=code).exists(), code
    # Every entry came from a decision; every registered entry has a registration decision.
    assert not registered.exclude(decisions__kind="register").exists()
    # One demo account per role.
    assert {a.role for a in RoleAssignment.objects.all()} == {r.value for r in Role}
    # A founder account sees only its own institutions.
    founder = RoleAssignment.objects.get(user__username="dibinatajs-ogre")
    assert founder.founder.municipality.code == "LV-067"


@pytest.mark.django_db
def test_demo_builds_the_lake_and_computes_every_year(tmp_path, settings):
    """The whole demo pipeline at a small scale: register, lake for three years, indicators stored."""
    from analytics.lake.schemas import SCHOOL_YEARS
    from ikms.monitoring.models import ComputationRun, IndicatorValue

    settings.IKMS_LAKE_DIR = tmp_path / "lake"
    settings.IKMS_LATENT_PATH = tmp_path / "latent" / "latent.parquet"
    out = io.StringIO()
    call_command("generate_demo", scale=0.05, lake_scale=0.05, stdout=out)
    assert (tmp_path / "latent" / "latent.parquet").exists()
    assert not list((tmp_path / "lake").rglob("latent*"))
    runs = ComputationRun.objects.filter(status="done")
    assert sorted(runs.values_list("school_year", flat=True)) == sorted(SCHOOL_YEARS)
    registered = set(Institution.objects.values_list("registration_number", flat=True))
    units = set(IndicatorValue.objects.filter(grain="institution").values_list("unit", flat=True))
    assert units and units <= registered
    assert "lake:" in out.getvalue()
    # The demo's complaints (calendar years 2023 and 2024) reach the lake for the three school years they fall in,
    # and each year's run computes complaints per 1,000 learners and evaluates R7 on them.
    for year in SCHOOL_YEARS:
        assert (tmp_path / "lake" / "complaints" / f"school_year={year.replace('/', '-')}").is_dir(), year
        run = runs.get(school_year=year)
        assert IndicatorValue.objects.filter(run=run, indicator="complaints_per_1000", grain="nation").exists()
        assert run.rule_counts["R7"]["evaluated"] > 0 and not run.rule_counts["R7"]["not_evaluated"], year
    _assert_demo_statements(out.getvalue())
    _assert_demo_absence_cases(runs.get(school_year=SCHOOL_YEARS[-1]), out.getvalue())


def _assert_demo_absence_cases(run, output: str) -> None:
    """The demo's absence hand-off cases (issue 15 item 8): the latest year's records opened as cases, so that the
    action counts computed from the cases equal the engine's counts of the imported records."""
    from ikms.attendance.models import AbsenceCase
    from ikms.attendance.selectors import action_counts
    from ikms.monitoring.models import IndicatorValue

    assert "absence hand-off cases in" in output
    assert AbsenceCase.objects.filter(school_year=run.school_year).exists()
    imported = {(v.semester, v.category): int(v.value) for v in IndicatorValue.objects.filter(
        run=run, indicator="long_term_absence_actions", grain="nation") if v.value}
    assert imported and action_counts(run.school_year, "nation", "LV") == imported


def _assert_demo_statements(output: str) -> None:
    """The demo's statements of education history (issue 14 item 8): the named demo persons are found in the lake
    by their demo personal codes; most requests are issued, one waits for the officer, and the person the lake does
    not know gets a statement that there are no records."""
    from ikms.core.personal_codes import personal_code_digest
    from ikms.statements import demo as statements_demo
    from ikms.statements.models import Statement, StatementRequest

    def request_of(person: tuple[str, str]) -> StatementRequest:
        return StatementRequest.objects.get(personal_code_digest=personal_code_digest(person[1]))

    assert "statements issued:" in output
    assert StatementRequest.objects.count() == len(statements_demo.REQUESTS)
    assert Statement.objects.count() == len([r for r in statements_demo.REQUESTS if r[-1]]) == 3
    graduate = request_of(statements_demo.PERSONS[0]).statement.content["history"]
    years = {y for e in graduate["enrolments"] for y in (e["first_school_year"], e["last_school_year"])}
    assert len(years) >= 2 and graduate["graduations"], graduate
    assert all(e["institution_name"] for e in graduate["enrolments"])  # registered institutions, named
    assert request_of(statements_demo.PERSONS[1]).statement.content["history"]["enrolments"]
    waiting = request_of(statements_demo.PERSONS[2])
    assert not Statement.objects.filter(request=waiting).exists() and waiting.found["enrolments"]
    nothing = request_of(statements_demo.UNKNOWN).statement.content["history"]
    assert nothing["coverage"] and not nothing["enrolments"] and not nothing["graduations"]


def _cells(html: str, table_id: str) -> list[list[str]]:
    """The body rows of an HTML table (header cell then data cells), text only."""
    import re

    body = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0].split("<tbody", 1)[1]
    rows = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, flags=re.S)]
        rows.append(cells)
    return rows


def _int(text: str) -> int:
    return int(text.replace("\xa0", "").replace(" ", "").replace(",", ""))


# the engine's indicator of each quality_indicators_2023_2024 key: the annual report's one mapping


def _assert_annual_report(calibration) -> None:
    """The annual report of 2024 (ikms.reports.annual), built from the records, holds every published figure of
    calibration-2024.yaml: counts exactly, shares at their published decimals (no ±0.1 allowance), the unified-school
    evaluations included."""
    from ikms.reports import annual
    from ikms.reports.calibration import compare, figures

    report = annual.build({"year": 2024}, language="lv", progress=lambda share, step: None)
    result = compare(report, CALIBRATION)
    published = list(figures(calibration))
    assert result.different == {}, result.different
    assert result.unreached == []
    assert result.checked == result.equal == len(published) == 176


def _assert_supervision_figures(calibration) -> None:
    """Complaints and consultations of 2024 as the system counts them (calibration `supervision`)."""
    from ikms.complaints.selectors import calibration_counts

    counted = calibration_counts(2024)
    assert {k: counted[k] for k in counted} == {k: calibration["supervision"][k] for k in counted}


def _assert_offer_list_figures(calibration) -> None:
    """Adult-education programme checks of 2024 (calibration `adult_education_supervision`): the offer-list figures
    are the results of the lines the demo imported (ikms.crosschecks), the expert reviews the inspections'."""
    from ikms.inspections.selectors import programme_check_counts

    adult = calibration["adult_education_supervision"]
    assert programme_check_counts(2024) == {
        k: adult[k] for k in ("programme_expert_reviews", "programmes_checked_in_offer_lists", "mismatches_found")}


def _assert_engine_quality_figures(calibration) -> None:
    """The 2023/24 quality-indicator shares (at the decimal they are published to) and the long-term absence
    reasons (exactly), as the engine computed and stored them for the nation."""
    from ikms.monitoring.models import IndicatorValue
    from ikms.reports.calibration import same

    stored = IndicatorValue.objects.filter(run__status="done", school_year="2023/2024", grain="nation", unit="LV")
    published = calibration["quality_indicators_2023_2024"]
    assert set(published) == set(QUALITY_INDICATORS)
    for group, figures in published.items():
        assert set(figures) == set(QUALITY_INDICATORS[group]), group
        for key, expected in figures.items():
            row = stored.get(indicator=QUALITY_INDICATORS[group][key])
            assert same(expected, row.value), (group, key, row.value, expected)
    reasons = calibration["long_term_absence_reasons_2023_2024"]
    for semester in (1, 2):
        for reason, count in reasons[f"s{semester}"].items():
            row = stored.get(indicator="long_term_absence_reasons", semester=semester, category=reason)
            assert row.value == count, (semester, reason, row.value, count)


def _assert_tables_5_to_7_displayed(client, calibration) -> None:
    from ikms.accounts.models import User

    client.force_login(User.objects.get(username="analitikis"))
    html = client.get("/en/monitoring/kavejumi/").content.decode()
    # table 5 (latest snapshot: 31 December 2024, in the 2024/2025 partition)
    from ikms.monitoring.labels import CATEGORIES, TABLE5_STATUSES

    with translation.override("en"):
        shown5 = {label: _int(n) for label, n in _cells(html, "table5")}
        for status in TABLE5_STATUSES:
            assert shown5[str(CATEGORIES[status])] == calibration["out_of_school_children"][status], status
    # table 6, both school years of the report
    levels = [("preschool", "Pre-school"), ("general_basic", "Basic education"),
              ("general_secondary", "Secondary education"), ("vocational", "Vocational education"),
              ("total", "Total")]
    for index, year in ((1, "2022/2023"), (2, "2023/2024")):
        rows = {r[0]: r[1:] for r in _cells(html, f"table6-{index}")}
        for key, label in levels:
            published = calibration["long_term_unexcused_absentees"][year][key]
            assert [_int(x) for x in rows[label]] == [published["s1"], published["s2"]], (year, key)
        # table 7
        rows7 = {r[0]: [_int(x) for x in r[1:]] for r in _cells(html, f"table7-{index}")}
        for reason, label in (("justified", "Justified"), ("illness", "Illness"), ("unjustified", "Unjustified")):
            p = calibration["learners_missing_at_least_one_lesson"][year][reason]
            assert rows7[label] == [p["basic_s1"], p["basic_s2"], p["secondary_s1"], p["secondary_s2"]], (year, reason)


def _assert_evaluations_and_tasks(calibration) -> None:
    """Accreditation (issue 5), in the same scale-1 demo as the other figures: the 2024 evaluations and the
    2020–2024 tasks, counted from the cases, ratings and tasks the demo wrote through the workflow services, equal
    calibration-2024.yaml; every state has cases."""
    from ikms.accreditation.choices import CaseState
    from ikms.accreditation.models import Case
    from ikms.accreditation.selectors import calibration_counts, task_counts_by_domain
    from ikms.core.models import AuditEvent

    expected = calibration["accreditation"]
    counted = calibration_counts(year=2024)
    assert {k: counted[k] for k in expected} == expected
    # "44 institutions moving to the unified school, of which 27 pre-school and 17 general" (the report, in words)
    assert (counted["unified_school_preschool"], counted["unified_school_general"]) == (27, 17)
    tasks = calibration["tasks_given_2020_2024"]
    by_domain = task_counts_by_domain(year_from=2020, year_to=2024)
    assert by_domain == {"quality_teaching": tasks["quality_teaching"],
                         "inclusive_environment": tasks["inclusive_environment"],
                         "good_governance": tasks["good_governance"], "relevance": tasks["relevance_to_goals"]}
    assert sum(by_domain.values()) == tasks["total"]
    for state in CaseState.values:
        assert Case.objects.filter(state=state).exists(), state
    # Every 2024 accreditation is in the register, through its decision.
    decided = Case.objects.filter(state="decided", kind="accreditation", decided_on__year=2024)
    assert decided.filter(decision__accreditation__valid_from__year=2024).count() == expected["general"] + \
        expected["vocational"]
    assert AuditEvent.objects.filter(action="accreditation.decide").count() == Case.objects.filter(
        state="decided").count()
