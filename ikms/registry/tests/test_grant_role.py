"""Roles are granted and ended only through the services: the grant_role / end_role commands, the
admin, and one refusal for a missing role that names the roles needed, in Latvian and English. Here, not in
accounts' tests, because scoped roles need founders and institutions, and the registry stands above accounts
(ADR 0018)."""

import datetime
import re
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import override

from ikms.accounts import services
from ikms.accounts.models import RoleAssignment, User
from ikms.accounts.permissions import require_role, roles_needed_message
from ikms.accounts.roles import IKVD_STAFF_ROLES, Role
from ikms.accounts.selectors import has_role, scoped_founder_ids, scoped_institution_ids
from ikms.accounts.testing import make_user
from ikms.core.exceptions import PermissionDeniedError
from ikms.core.models import AuditEvent
from ikms.registry import services as registry_services
from ikms.registry.choices import DecisionKind, FounderKind
from ikms.registry.models import Municipality
from ikms.registry.testing import decision_input, municipal_founder, register_institution

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


def grant(*args: str) -> str:
    out = StringIO()
    call_command("grant_role", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def end(*args: str) -> str:
    out = StringIO()
    call_command("end_role", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def refused(command, *args: str) -> str:
    """The CommandError's text; nothing may have been written."""
    before = (RoleAssignment.objects.count(), AuditEvent.objects.filter(action__startswith="role.").count(),
              list(RoleAssignment.objects.values_list("pk", "valid_to")))
    with pytest.raises(CommandError) as exc:
        command(*args)
    after = (RoleAssignment.objects.count(), AuditEvent.objects.filter(action__startswith="role.").count(),
             list(RoleAssignment.objects.values_list("pk", "valid_to")))
    assert after == before
    return str(exc.value)


@pytest.fixture
def riga(officer):
    return municipal_founder("LV-RIX")


@pytest.fixture
def school(officer, riga):
    return register_institution(actor=officer, founder=riga, name="Rīgas 1. vidusskola",
                                registration_number="4313900001")


@pytest.fixture
def anna(db):
    return make_user(None, username="anna")


# --- grant_role ----------------------------------------------------------------------------------


def test_grant_an_unscoped_role_as_the_system(anna):
    out = grant("anna", "registry_officer")
    row = RoleAssignment.objects.get(user=anna)
    assert (row.role, row.founder, row.institution, row.valid_from, row.valid_to) == (
        Role.REGISTRY_OFFICER, None, None, TODAY(), None)
    assert has_role(User.objects.get(pk=anna.pk), Role.REGISTRY_OFFICER)
    event = AuditEvent.objects.get(action="role.grant", target_id=str(row.pk))
    assert event.actor is None
    assert event.data["role"] == "registry_officer"
    assert "Granted / Piešķirts: anna — Reģistra speciālists (Registry officer)" in out


def test_grant_a_founder_role_by_municipality_code(anna, riga):
    out = grant("anna", "founder", "--founder", "lv-rix")
    row = RoleAssignment.objects.get(user=anna)
    assert (row.role, row.founder, row.institution) == (Role.FOUNDER, riga, None)
    assert scoped_founder_ids(User.objects.get(pk=anna.pk)) == {riga.pk}
    assert riga.name in out


def test_grant_a_founder_role_by_registration_code_or_exact_name(officer, anna):
    private = registry_services.founder_create(actor=officer, kind=FounderKind.PRIVATE_LEGAL,
                                               name="SIA Mācību centrs", registration_code="40003123456")
    state = registry_services.founder_create(actor=officer, kind=FounderKind.STATE,
                                             name="Izglītības un zinātnes ministrija")
    grant("anna", "founder", "--founder", "40003123456")
    bob = make_user(None, username="bob")
    grant("bob", "founder", "--founder", "izglītības un zinātnes ministrija")
    assert RoleAssignment.objects.get(user=anna).founder == private
    assert RoleAssignment.objects.get(user=bob).founder == state


def test_an_ambiguous_founder_is_listed_not_guessed(officer, anna, riga):
    other = registry_services.founder_create(actor=officer, kind=FounderKind.MUNICIPALITY,
                                             name="Rīgas domes Izglītības departaments",
                                             municipality=Municipality.objects.get(code="LV-RIX"))
    text = refused(grant, "anna", "founder", "--founder", "LV-RIX")
    assert "names 2 founders" in text and "atbilst 2 dibinātājiem" in text
    assert riga.name in text and other.name in text
    grant("anna", "founder", "--founder", other.name)
    assert RoleAssignment.objects.get(user=anna).founder == other


def test_grant_an_institution_head_role_by_registration_number(anna, school):
    grant("anna", "institution_head", "--institution", "4313900001", "--valid-from", "2024-09-01",
          "--valid-to", "2029-08-31")
    row = RoleAssignment.objects.get(user=anna)
    assert (row.role, row.institution, row.valid_from, row.valid_to) == (
        Role.INSTITUTION_HEAD, school, datetime.date(2024, 9, 1), datetime.date(2029, 8, 31))
    assert AuditEvent.objects.get(action="role.grant", target_id=str(row.pk)).institution_id_ref == school.pk
    assert scoped_institution_ids(User.objects.get(pk=anna.pk)) == {school.pk}


def test_unknown_role_lists_the_valid_ones_with_labels(anna):
    text = refused(grant, "anna", "headmaster")
    assert "Unknown role “headmaster”" in text and "Nezināma loma „headmaster”" in text
    for role in Role:
        assert role.value in text
    assert "Reģistra speciālists (Registry officer)" in text
    assert re.search(r"founder\s+Dibinātājs .*\(Founder .*\)\s+\[--founder\]", text)


@pytest.mark.parametrize(("args", "english", "latvian"), [
    (("nobody", "analyst"), "No user “nobody”", "Lietotājs „nobody” nav atrasts"),
    (("anna", "analyst", "--actor", "ghost"), "--actor: No user “ghost”", "Lietotājs „ghost” nav atrasts"),
    (("anna", "founder"), "limited to a founder: give --founder", "piesaistīta dibinātājam"),
    (("anna", "institution_head"), "limited to an institution: give --institution", "piesaistīta izglītības"),
    (("anna", "analyst", "--founder", "LV-RIX"), "cannot be limited to a founder", "nevar piesaistīt dibinātājam"),
    (("anna", "founder", "--founder", "LV-RIX", "--institution", "4313900001"),
     "cannot be limited to an institution", "nevar piesaistīt izglītības iestādei"),
    (("anna", "founder", "--founder", "LV-XXX"), "no founder “LV-XXX”", "dibinātājs „LV-XXX” nav atrasts"),
    (("anna", "founder", "--founder", "  "), "no founder", "nav atrasts"),
    (("anna", "institution_head", "--institution", "123"), "exactly 10 digits", "tieši 10 cipariem"),
    (("anna", "institution_head", "--institution", "4313999999"), "no institution with registration number",
     "nav atrasta"),
    (("anna", "analyst", "--valid-from", "1.9.2024"), "--valid-from: “1.9.2024” is not a date", "nav datums"),
    (("anna", "analyst", "--valid-from", "2024-09-01", "--valid-to", "2024-08-31"),
     "The end date cannot be before the start date", "Nothing was written. / Nekas netika ierakstīts."),
])
def test_errors_are_clear_in_both_languages_and_write_nothing(anna, school, args, english, latvian):
    text = refused(grant, *args)
    assert english in text
    assert latvian in text
    assert " / " in text


def test_a_duplicate_active_assignment_is_refused(anna, riga):
    grant("anna", "founder", "--founder", "LV-RIX")
    text = refused(grant, "anna", "founder", "--founder", "LV-RIX", "--valid-from", str(TODAY() + 30 * DAY))
    assert "already holds this role with the same scope for an overlapping period" in text
    assert "šī loma ar tādu pašu darbības jomu jau ir piešķirta" in text
    # Another scope, or a period after the first one ended, is a different assignment.
    ogre = municipal_founder("LV-067")
    grant("anna", "founder", "--founder", "LV-067")
    assert set(RoleAssignment.objects.filter(user=anna).values_list("founder", flat=True)) == {riga.pk, ogre.pk}


def test_a_later_period_after_the_end_is_not_a_duplicate(anna):
    grant("anna", "analyst", "--valid-from", "2023-01-01", "--valid-to", "2023-12-31")
    refused(grant, "anna", "analyst", "--valid-from", "2023-12-31")
    grant("anna", "analyst", "--valid-from", "2024-01-01")
    assert RoleAssignment.objects.filter(user=anna, role=Role.ANALYST).count() == 2


def test_the_actor_is_recorded_and_must_be_an_ikvd_admin(anna):
    admin = make_user(Role.IKVD_ADMIN, username="admins")
    make_user(Role.REGISTRY_OFFICER, username="rita")
    text = refused(grant, "anna", "ikvd_admin", "--actor", "rita")
    assert "This needs the role: IKVD administrator." in text
    assert "Šim nolūkam vajadzīga loma: IKVD administrators." in text
    grant("anna", "analyst", "--actor", "admins")
    assert AuditEvent.objects.get(action="role.grant", data__user="anna").actor == admin


def test_a_superuser_without_roles_is_no_actor(anna):
    User.objects.create_superuser("root", password="root-password-123")
    text = refused(grant, "anna", "analyst", "--actor", "root")
    assert "This needs the role: IKVD administrator." in text


def test_an_inactive_account_is_granted_with_a_warning(anna):
    User.objects.filter(pk=anna.pk).update(is_active=False)
    out = grant("anna", "analyst")
    assert RoleAssignment.objects.filter(user=anna).count() == 1
    assert "inactive" in out and "neaktīvs" in out


# --- end_role ------------------------------------------------------------------------------------


def test_end_role_on_a_date_keeps_history(anna, riga):
    grant("anna", "founder", "--founder", "LV-RIX", "--valid-from", "2024-01-01")
    out = end("anna", "founder", "--on", str(TODAY()))
    row = RoleAssignment.objects.get(user=anna)
    assert row.valid_to == TODAY()
    assert row.is_active_on(TODAY()) and not row.is_active_on(TODAY() + DAY)
    assert AuditEvent.objects.get(action="role.end", target_id=str(row.pk)).data["valid_to"] == str(TODAY())
    assert "Ended / Beigta" in out


def test_end_role_defaults_to_today_and_ends_every_scope(anna, riga):
    ogre = municipal_founder("LV-067")
    services.role_grant(actor=None, user=anna, role=Role.FOUNDER, founder=riga,
                        valid_from=datetime.date(2024, 1, 1))
    services.role_grant(actor=None, user=anna, role=Role.FOUNDER, founder=ogre,
                        valid_from=datetime.date(2024, 6, 1))
    services.role_grant(actor=None, user=anna, role=Role.ANALYST)
    end("anna", "founder")
    assert set(RoleAssignment.objects.filter(user=anna, role=Role.FOUNDER).values_list("valid_to", flat=True)) == {
        TODAY()}
    assert RoleAssignment.objects.get(user=anna, role=Role.ANALYST).valid_to is None


def test_end_role_in_the_past_takes_the_role_away_now(anna):
    grant("anna", "analyst", "--valid-from", "2024-01-01")
    end("anna", "analyst", "--on", "2024-06-30")
    assert not has_role(User.objects.get(pk=anna.pk), Role.ANALYST)


def test_end_role_leaves_a_later_assignment_and_says_so(anna):
    grant("anna", "analyst", "--valid-from", "2024-01-01", "--valid-to", "2024-12-31")
    grant("anna", "analyst", "--valid-from", "2025-06-01")
    out = end("anna", "analyst", "--on", "2024-06-30")
    rows = dict(RoleAssignment.objects.filter(user=anna).values_list("valid_from", "valid_to"))
    assert rows == {datetime.date(2024, 1, 1): datetime.date(2024, 6, 30), datetime.date(2025, 6, 1): None}
    assert "Not ended" in out and "2025-06-01" in out


@pytest.mark.parametrize(("args", "english", "latvian"), [
    (("anna", "analyst"), "holds no analyst role", "nav ko beigt"),
    (("ghost", "analyst"), "No user “ghost”", "Lietotājs „ghost” nav atrasts"),
    (("anna", "boss"), "Unknown role “boss”", "Nezināma loma „boss”"),
    (("anna", "registry_officer", "--on", "yesterday"), "is not a date", "nav datums"),
    (("anna", "registry_officer", "--on", "2023-12-31"), "holds no registry_officer role", "nav ko beigt"),
    (("anna", "registry_officer", "--actor", "anna"), "This needs the role: IKVD administrator.",
     "Šim nolūkam vajadzīga loma: IKVD administrators."),
])
def test_end_role_errors_write_nothing(anna, args, english, latvian):
    services.role_grant(actor=None, user=anna, role=Role.REGISTRY_OFFICER, valid_from=datetime.date(2024, 1, 1))
    text = refused(end, *args)
    assert english in text
    assert latvian in text


# --- the refusal names the roles -----------------------------------------------------------------


def test_refusal_names_the_roles_in_the_active_language():
    nobody = make_user(None)
    with override("en"), pytest.raises(PermissionDeniedError) as exc:
        require_role(nobody, Role.REGISTRY_OFFICER, Role.IKVD_ADMIN)
    assert exc.value.message == "This needs one of the roles: Registry officer, IKVD administrator."
    assert exc.value.extra == {"roles": ["registry_officer", "ikvd_admin"]}
    with override("lv"), pytest.raises(PermissionDeniedError) as exc:
        require_role(nobody, Role.REGISTRY_OFFICER, Role.IKVD_ADMIN)
    assert exc.value.message == "Šim nolūkam vajadzīga kāda no lomām: Reģistra speciālists, IKVD administrators."
    with override("en"):
        assert roles_needed_message([Role.ANALYST]) == "This needs the role: Analyst."
        assert roles_needed_message([IKVD_STAFF_ROLES]).startswith(
            "This needs one of the roles: IKVD administrator, Registry officer, ")


def test_require_role_passes_a_holder_and_refuses_a_superuser_without_roles():
    require_role(make_user(Role.IKVD_ADMIN), Role.REGISTRY_OFFICER, Role.IKVD_ADMIN)
    root = User.objects.create_superuser("root", password="root-password-123")
    with pytest.raises(PermissionDeniedError):
        require_role(root, Role.IKVD_ADMIN)


def test_a_register_decision_refusal_names_the_deciders(officer, school):
    analyst = make_user(Role.ANALYST)
    with override("en"), pytest.raises(PermissionDeniedError) as exc:
        registry_services.institution_strike_off(actor=analyst, decision=decision_input(), institution=school)
    assert exc.value.message == "This needs one of the roles: IKVD administrator, Registry officer."
    root = User.objects.create_superuser("root", password="root-password-123")
    with override("lv"), pytest.raises(PermissionDeniedError) as exc:
        registry_services.institution_strike_off(actor=root, decision=decision_input(), institution=school)
    assert exc.value.message == "Šim nolūkam vajadzīga kāda no lomām: IKVD administrators, Reģistra speciālists."
    with override("en"), pytest.raises(PermissionDeniedError) as exc:
        registry_services.accreditation_decide(actor=officer, decision=decision_input(), institution=school,
                                               kind=DecisionKind.ACCREDITATION_GRANT)
    assert "Quality evaluation expert (IKVD)" in exc.value.message


def test_the_services_refuse_overlap_and_a_non_admin_actor(anna):
    services.role_grant(actor=None, user=anna, role=Role.ANALYST, valid_from=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.role_grant(actor=None, user=anna, role=Role.ANALYST, valid_from=datetime.date(2025, 1, 1))
    assert exc.value.code == "role_overlap"
    with pytest.raises(PermissionDeniedError):
        services.role_grant(actor=make_user(Role.REGISTRY_OFFICER), user=anna, role=Role.QUALITY_EXPERT)
    row = RoleAssignment.objects.get(user=anna)
    with pytest.raises(PermissionDeniedError):
        services.role_end(actor=anna, assignment=row, valid_to=TODAY())
    assert RoleAssignment.objects.get(user=anna).valid_to is None


# --- the admin goes through the services ---------------------------------------------------------


@pytest.fixture
def admin_client(client):
    admin = make_user(Role.IKVD_ADMIN, username="admins")
    client.force_login(admin)
    client.admin = admin
    return client


def test_admin_add_grants_through_the_service(admin_client, anna, riga):
    response = admin_client.post("/admin/accounts/roleassignment/add/", {
        "user": anna.pk, "role": "founder", "founder": riga.pk, "valid_from": "2024-01-01", "note": "admin"})
    assert response.status_code == 302, response.content.decode()[:2000]
    row = RoleAssignment.objects.get(user=anna)
    assert (row.role, row.founder, row.note) == (Role.FOUNDER, riga, "admin")
    event = AuditEvent.objects.get(action="role.grant", target_id=str(row.pk))
    assert event.actor == admin_client.admin
    # The same again is shown on the form, and nothing is written.
    response = admin_client.post("/admin/accounts/roleassignment/add/", {
        "user": anna.pk, "role": "founder", "founder": riga.pk, "valid_from": "2024-06-01"})
    assert response.status_code == 200
    assert "šī loma ar tādu pašu darbības jomu jau ir piešķirta" in response.content.decode()
    assert RoleAssignment.objects.filter(user=anna).count() == 1


def test_admin_change_ends_through_the_service_and_fixes_the_rest(admin_client, anna):
    row = services.role_grant(actor=None, user=anna, role=Role.ANALYST, valid_from=datetime.date(2024, 1, 1))
    url = f"/admin/accounts/roleassignment/{row.pk}/change/"
    response = admin_client.post(url, {"valid_to": "2024-12-31"})
    assert response.status_code == 302, response.content.decode()[:2000]
    row.refresh_from_db()
    assert row.valid_to == datetime.date(2024, 12, 31)
    assert AuditEvent.objects.get(action="role.end", target_id=str(row.pk)).actor == admin_client.admin
    # The role and scope cannot be posted in: they are read-only on a granted row.
    admin_client.post(url, {"valid_to": "2024-12-31", "role": "ikvd_admin"})
    row.refresh_from_db()
    assert row.role == Role.ANALYST
    # An end date cannot be removed.
    response = admin_client.post(url, {"valid_to": ""})
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.valid_to == datetime.date(2024, 12, 31)


def _user_change_data(user: User, prefix: str, rows: list[dict], initial: int) -> dict:
    data = {"username": user.username, "first_name": "", "last_name": "", "email": "", "is_active": "on",
            "last_login_0": "", "last_login_1": "", "date_joined_0": user.date_joined.date().isoformat(),
            "date_joined_1": "12:00:00",
            f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
        # valid_from has a callable default, so the browser also posts its initial value.
        data[f"initial-{prefix}-{i}-valid_from"] = row["valid_from"] if row["id"] else TODAY().isoformat()
    return data


def test_admin_user_inline_grants_and_ends_through_the_services(admin_client, anna):
    old = services.role_grant(actor=None, user=anna, role=Role.ANALYST, valid_from=datetime.date(2024, 1, 1))
    url = f"/admin/accounts/user/{anna.pk}/change/"
    existing = {"id": old.pk, "user": anna.pk, "role": "analyst", "founder": "", "institution": "",
                "valid_from": "2024-01-01", "valid_to": "2024-12-31", "note": ""}
    new = {"id": "", "user": anna.pk, "role": "quality_expert", "founder": "", "institution": "",
           "valid_from": "2025-01-01", "valid_to": "", "note": "inline"}
    response = admin_client.post(url, _user_change_data(anna, "role_assignments", [existing, new], 1))
    assert response.status_code == 302, [f.errors for f in response.context["inline_admin_formsets"][0].formset]
    old.refresh_from_db()
    assert old.valid_to == datetime.date(2024, 12, 31)
    granted = RoleAssignment.objects.get(user=anna, role=Role.QUALITY_EXPERT)
    assert granted.note == "inline"
    actions = set(AuditEvent.objects.filter(actor=admin_client.admin).values_list("action", "target_id"))
    assert {("role.end", str(old.pk)), ("role.grant", str(granted.pk))} <= actions
    # Changing a granted row's role, or adding a duplicate, is refused on the form.
    existing.update(role="ikvd_admin")
    response = admin_client.post(url, _user_change_data(anna, "role_assignments", [existing], 1))
    assert response.status_code == 200
    assert "Piešķirtai lomai var mainīt tikai beigu datumu" in response.content.decode()
    existing.update(role="analyst")
    twice = dict(new, valid_from="2025-03-01", note="")
    response = admin_client.post(url, _user_change_data(
        anna, "role_assignments",
        [existing, {"id": granted.pk, **{k: v for k, v in new.items() if k != "id"}}, twice], 2))
    assert response.status_code == 200
    assert "jau ir piešķirta" in response.content.decode()
    assert RoleAssignment.objects.filter(user=anna).count() == 2


def test_admin_inline_refuses_two_overlapping_new_rows(admin_client, anna):
    url = f"/admin/accounts/user/{anna.pk}/change/"
    assert admin_client.get(url).status_code == 200
    row = {"id": "", "user": anna.pk, "role": "analyst", "founder": "", "institution": "",
           "valid_from": "2024-01-01", "valid_to": "", "note": ""}
    response = admin_client.post(url, _user_change_data(
        anna, "role_assignments", [row, dict(row, valid_from="2024-05-01")], 0))
    assert response.status_code == 200
    assert "Divās rindās piešķirta tā pati loma" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=anna).exists()


def test_admin_role_pages_render(admin_client, anna):
    row = services.role_grant(actor=None, user=anna, role=Role.ANALYST)
    assert admin_client.get("/admin/accounts/roleassignment/add/").status_code == 200
    assert admin_client.get(f"/admin/accounts/roleassignment/{row.pk}/change/").status_code == 200
