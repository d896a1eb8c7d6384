"""A statement of a person's education history reaches nobody but the registry officers and IKVD's administrators,
whatever path it could take: no model points to an institution (so the dossier and the institution's event log
cannot follow one), no audit event names an institution, no admin page, no public search, no export."""

import inspect

import pytest
from django.contrib import admin
from django.urls import reverse

from ikms.core.models import AuditEvent
from ikms.registry.models import Institution
from ikms.statements import models as statement_models
from ikms.statements.testing import issued, tiny_lake
from ikms.web import dossier

pytestmark = pytest.mark.django_db
NAME = "Līga Pētersone"


@pytest.fixture
def statement(world, tmp_path):
    lake = tiny_lake(
        tmp_path / "lake", institution=world["a1"].registration_number, programme=world["programme_a"].code
    )
    return issued(world["users"]["registry_officer"], lake_root=lake, person_name=NAME)


def test_nothing_follows_an_institution_to_a_statement(client, world, statement):
    for model in (statement_models.StatementRequest, statement_models.Statement, statement_models.ReferenceSequence):
        assert not [f for f in model._meta.get_fields() if getattr(f, "related_model", None) is Institution], model
        assert model not in admin.site._registry
    assert not AuditEvent.objects.filter(action__startswith="statements.", institution_id_ref__isnull=False).exists()
    assert "statements" not in inspect.getsource(dossier)
    a1 = world["a1"]
    client.force_login(world["users"]["ikvd_admin"])
    page = client.get(reverse("web:dossier", args=[a1.registration_number])).content.decode()
    assert page.count(a1.name) >= 1 and NAME not in page and statement.reference not in page
    export = client.get(reverse("registry:institution-list") + "?format=csv").content.decode("utf-8-sig")
    assert a1.name in export and NAME not in export
    client.logout()
    for page in (reverse("portal:profile-search"), reverse("portal:institution-list")):
        found = client.get(page, {"q": statement.reference}).content.decode()
        assert NAME not in found and "/izzinas/" not in found
