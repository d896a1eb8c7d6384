"""Who reads and who writes the register of psychologists (ADR 0017): IKVD staff read every entry and the board's
work, the secretariat (registry officers, IKVD administrators) writes, nobody else sees the staff register; the
public register never loads the personal code's hash."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from ikms.accounts.roles import IKVD_STAFF_ROLES, Role
from ikms.core.exceptions import PermissionDeniedError
from ikms.psychologists import permissions, selectors, services
from ikms.psychologists.models import BoardMeeting, Psychologist
from ikms.psychologists.testing import meeting, registered

READERS = {"ikvd_admin", "registry_officer", "quality_expert", "supervision_inspector", "analyst"}
WRITERS = {"ikvd_admin", "registry_officer"}


@pytest.fixture
def entry(world):
    officer = world["users"]["registry_officer"]
    return registered(actor=officer, first_name="Ērika", last_name="Ābele", day=dt.date(2020, 3, 2))


def test_the_policies_name_ikvd_staff_and_the_gate_the_secretariat():
    assert permissions.PSYCHOLOGIST.everything == IKVD_STAFF_ROLES
    assert permissions.BOARD.everything == IKVD_STAFF_ROLES
    assert not (permissions.PSYCHOLOGIST.founder or permissions.PSYCHOLOGIST.head or permissions.PSYCHOLOGIST.member)
    assert permissions.RECORD.roles == {Role.IKVD_ADMIN, Role.REGISTRY_OFFICER}


def test_every_role_reads_and_writes_as_declared(world, entry):
    for label, someone in world["users"].items():
        user = someone or AnonymousUser()
        reads = label in READERS
        assert permissions.can_use_register(user) is reads, label
        assert permissions.can_view_psychologist(user, entry) is reads, label
        assert list(selectors.psychologists_visible_to(user)) == ([entry] if reads else []), label
        assert selectors.meetings_visible_to(user).exists() is reads, label
        assert permissions.can_record(user) is (label in WRITERS), label
        if not reads:
            with pytest.raises(Http404):
                selectors.psychologist_get_for_user(user, entry.pk)


@pytest.mark.parametrize("label", [*sorted(READERS - WRITERS), "founder_riga", "head_a1", "accreditation_expert"])
def test_readers_and_others_cannot_write(world, entry, label):
    user = world["users"][label]
    before = (Psychologist.objects.count(), BoardMeeting.objects.count())
    with pytest.raises(PermissionDeniedError):
        services.meeting_record(actor=user, number="X", date=dt.date(2024, 1, 5), agenda="x")
    with pytest.raises(PermissionDeniedError):
        services.psychologist_status_change(actor=user, decision=None, meeting=None, psychologist=entry, kind="suspend")
    assert (Psychologist.objects.count(), BoardMeeting.objects.count()) == before


def test_writers_write(world, entry):
    for label in sorted(WRITERS):
        assert meeting(actor=world["users"][label], day=dt.date(2024, 1, 5)).pk


def test_the_public_register_never_loads_the_personal_code_hash(entry):
    public = selectors.public_list().get(pk=entry.pk)
    assert "personal_code_digest" in public.get_deferred_fields()
    assert "personal_code_digest" not in selectors.PUBLIC_FIELDS
    assert set(selectors.PUBLIC_FIELDS) <= {f.name for f in Psychologist._meta.fields}
