"""Shared fixtures: one user per role and a two-municipality register built through services."""

import os

import pytest

from ikms.accounts.roles import Role

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture
def officer(db):
    from ikms.core.testing import make_user
    from ikms.registry.reference_data import ensure_classifiers

    ensure_classifiers()

    return make_user(Role.REGISTRY_OFFICER, username="officer")


@pytest.fixture
def world(db, officer):
    """Riga and Ogre, each with a founder, two institutions and a programme; a user per role."""
    from ikms.core.testing import license_programme, make_user, municipal_founder, register_institution

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
    }
    return {"riga": riga, "ogre": ogre, "a1": a1, "a2": a2, "b1": b1, "programme_a": programme_a,
            "programme_b": programme_b, "users": users}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.django_db(transaction=True))
