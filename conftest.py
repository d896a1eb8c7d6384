"""Shared fixtures: one user per role and a two-municipality register built through services."""

import os

import pytest

from ikms.accounts.roles import Role

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture(autouse=True)
def _default_language():
    """Each test ends in the default language: a request in English (LocaleMiddleware) leaves English active in the
    test's thread, and a later test's `reverse()` would otherwise give an /en/ address."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def officer(db):
    from ikms.accounts.testing import make_user
    from ikms.registry.reference_data import ensure_classifiers

    ensure_classifiers()

    return make_user(Role.REGISTRY_OFFICER, username="officer")


@pytest.fixture
def world(db, officer):
    """Riga and Ogre, each with a founder, two institutions and a programme; a user per role."""
    from ikms.accounts.testing import make_user
    from ikms.registry.testing import license_programme, municipal_founder, register_institution

    riga, ogre = municipal_founder("LV-RIX"), municipal_founder("LV-067")
    a1 = register_institution(actor=officer, founder=riga, name="Rīgas Testa vidusskola")
    a2 = register_institution(actor=officer, founder=riga, type_code="preschool",
                              name="Rīgas pirmsskolas izglītības iestāde “Saulīte”")
    b1 = register_institution(actor=officer, founder=ogre, name="Ogres Testa vidusskola")
    programme_a = license_programme(actor=officer, institution=a1)
    programme_b = license_programme(actor=officer, institution=b1)
    users = {
        "anonymous": None,
        "ikvd_admin": make_user(Role.IKVD_ADMIN, username="admin"),
        "registry_officer": officer,
        "quality_expert": make_user(Role.QUALITY_EXPERT, username="quality"),
        "supervision_inspector": make_user(Role.SUPERVISION_INSPECTOR, username="inspector"),
        "analyst": make_user(Role.ANALYST, username="analyst"),
        "accreditation_expert": make_user(Role.ACCREDITATION_EXPERT, username="expert"),
        "founder_riga": make_user(Role.FOUNDER, username="founder-riga", founder=riga),
        "founder_ogre": make_user(Role.FOUNDER, username="founder-ogre", founder=ogre),
        "head_a1": make_user(Role.INSTITUTION_HEAD, username="head-a1", institution=a1),
        "no_role": make_user(None, username="norole"),
        # the spent-conviction commission and IKVD's data protection officer (ikms.convictions: only the first two
        # see its records; the officer sees the read log)
        "conviction_commission": make_user(Role.CONVICTION_COMMISSION, username="commission"),
        "conviction_secretary": make_user(Role.CONVICTION_SECRETARY, username="secretary"),
        "data_protection_officer": make_user(Role.DATA_PROTECTION_OFFICER, username="dpo"),
    }
    return {"riga": riga, "ogre": ogre, "a1": a1, "a2": a2, "b1": b1, "programme_a": programme_a,
            "programme_b": programme_b, "users": users}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture
def monitored(world):
    """`world` with stored engine results for 2022/2023 and 2023/2024 (hand-made values with known answers):
    a1 (Riga secondary, 120 learners) flagged by R2 and R4 in 2023/2024, b1 (Ogre, 60 learners) by R1,
    a2 (Riga preschool) with only 4 learners, so its values are under the disclosure minimum."""
    from ikms.monitoring.testing import store_run

    a1, a2, b1 = (world[k].registration_number for k in ("a1", "a2", "b1"))
    riga, ogre = world["a1"].municipality.code, world["b1"].municipality.code

    def year_values(learners_a1: float, absentees_a1: float, exam_a1: float) -> list[dict]:
        rows = []
        for unit, grain, n, absent, exam in ((a1, "institution", learners_a1, absentees_a1, exam_a1),
                                             (a2, "institution", 4, 1, None),
                                             (b1, "institution", 60, 0, 48.0),
                                             (riga, "municipality", learners_a1 + 4, absentees_a1 + 1, exam_a1),
                                             (ogre, "municipality", 60, 0, 48.0),
                                             ("LV", "nation", learners_a1 + 64, absentees_a1 + 1, 50.0)):
            rows.append({"indicator": "learners_enrolled", "grain": grain, "unit": unit, "value": n,
                         "numerator": n, "denominator": n})
            rows.append({"indicator": "average_class_size", "grain": grain, "unit": unit, "value": n / 5,
                         "numerator": n, "denominator": 5})
            for semester in (1, 2):
                rows.append({"indicator": "learners_over_unexcused_lessons_threshold", "grain": grain,
                             "unit": unit, "semester": semester, "value": absent, "numerator": absent,
                             "denominator": n})
            if exam is not None:
                rows.append({"indicator": "exam_mean_score", "grain": grain, "unit": unit, "category": "MAT",
                             "value": exam, "numerator": exam * 20, "denominator": 20})
        rows += [{"indicator": "out_of_school_children", "grain": g, "unit": u, "category": c, "value": v,
                  "numerator": v, "denominator": None, "suppressed": False}
                 for g, u in (("municipality", riga), ("nation", "LV"))
                 for c, v in (("no_information", 7), ("long_term_ill", 2))]
        rows += [{"indicator": "long_term_unexcused_absentees", "grain": g, "unit": u, "semester": s,
                  "level": "secondary", "value": v, "numerator": v, "denominator": 100}
                 for g, u, v in (("institution", a1, absentees_a1), ("municipality", riga, absentees_a1),
                                 ("nation", "LV", absentees_a1)) for s in (1, 2)]
        return rows

    r2 = {"indicator": "learners_over_unexcused_lessons_threshold", "operator": ">=", "threshold": 1.0,
          "params": {"threshold_learners": 1}, "institution_type": "secondary", "combine": "all",
          "periods": {"2023/2024": [{"semester": 2, "value": 12.0, "denominator": 120.0}]}}
    r4 = {"indicator": "teacher_vacancies_over_one_month", "operator": ">=", "threshold": 1.0,
          "params": {"threshold_vacancies": 1}, "institution_type": "secondary", "combine": "any",
          "periods": {"2023/2024": [{"value": 2.0}]}}
    r1 = {"indicator": "combined_classes", "operator": ">=", "threshold": 1.0, "params": {"threshold_classes": 1},
          "institution_type": "secondary", "combine": "all", "periods": {"2023/2024": [{"value": 1.0,
                                                                                          "denominator": 6.0}]}}
    store_run("2022/2023", year_values(110, 3, 52.0), [{"rule": "R4", "institution": a1, "evidence": r4}],
              minutes_ago=30)
    store_run("2023/2024", year_values(120, 12, 45.0),
              [{"rule": "R2", "institution": a1, "evidence": r2}, {"rule": "R4", "institution": a1, "evidence": r4},
               {"rule": "R1", "institution": b1, "evidence": r1}], minutes_ago=20)
    return world


@pytest.fixture
def board(monitored, officer):
    """`monitored` with three more Riga schools in 2023/2024, for a municipal board's ranking: a4 (basic school;
    R1, R2, R3: score 8), a3 (secondary, 250.4444 learners; R5: 3) and a5 (basic, no flag); a1 keeps R2 and R4
    (5); a2 has no flag, but R3 could not be evaluated for it (no staff data)."""
    from django.core.cache import cache

    from ikms.monitoring.models import ComputationRun, IndicatorValue, RiskFlag, RuleNotEvaluated
    from ikms.monitoring.testing import SPEC
    from ikms.registry.testing import register_institution

    year, riga = "2023/2024", monitored["riga"]
    a3 = register_institution(actor=officer, founder=riga, name="Rīgas Ābeļu vidusskola")
    a4 = register_institution(actor=officer, founder=riga, type_code="basic", name="Rīgas Bērzu pamatskola")
    a5 = register_institution(actor=officer, founder=riga, type_code="basic", name="Rīgas Ciedru pamatskola")
    run = ComputationRun.objects.get(school_year=year, scope=[])
    for inst, learners in ((a3, 250.4444), (a4, 80), (a5, 40)):
        IndicatorValue.objects.create(run=run, school_year=year, version=SPEC, indicator="learners_enrolled",
                                      grain="institution", unit=inst.registration_number, value=learners,
                                      numerator=learners, denominator=learners, semester=None, level="",
                                      category="")
    r2 = RiskFlag.objects.get(run=run, rule="R2").evidence
    for inst, rule in ((a3, "R5"), (a4, "R1"), (a4, "R2"), (a4, "R3")):
        RiskFlag.objects.create(run=run, school_year=year, version=SPEC, rule=rule,
                                institution=inst.registration_number, evidence=r2 if rule == "R2" else {})
    RuleNotEvaluated.objects.create(run=run, school_year=year, version=SPEC, rule="R3",
                                    institution=monitored["a2"].registration_number,
                                    missing=[["staff", "2022/2023"], ["staff", year]])
    cache.clear()  # the dashboards' fragments and the rankings are cached by results state
    return {**monitored, "a3": a3, "a4": a4, "a5": a5}


def pytest_addoption(parser):
    parser.addoption("--screenshots", metavar="DIR", default=None,
                     help="the browser journeys (tests/browser/test_journeys.py) save their key pages as PNG into DIR "
                          "(make screenshots: docs/screenshots/)")
