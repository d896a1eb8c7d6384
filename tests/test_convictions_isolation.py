"""The spent-conviction commission's records reach nobody outside the commission, whatever path they could take:
the access policies and the generated access matrix (zero readers outside the commission, the data protection
officer only on the read log), the admin site (no model registered, the event log without its events), the
institution dossier and the public search, the case core's queue and reminders."""

import datetime as dt
import inspect
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from ikms.accounts.roles import Role
from ikms.cases import reminders
from ikms.cases.models import CaseFile, Deadline, Team
from ikms.cases.selectors import work_queue
from ikms.convictions import models as conviction_models
from ikms.convictions import permissions
from ikms.convictions.testing import application, decide, meeting
from ikms.core.models import AuditEvent
from ikms.registry.access import GATES, POLICIES
from ikms.registry.models import Institution
from ikms.web import dossier

ROOT = Path(settings.BASE_DIR)
COMMISSION = {Role.CONVICTION_COMMISSION, Role.CONVICTION_SECRETARY}
NAME = "Jānis Paraudziņš"


@pytest.fixture(autouse=True)
def _lv(settings, tmp_path):
    settings.IKMS_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    with translation.override("lv"):
        yield


@pytest.fixture
def record(world):
    secretary, member = world["users"]["conviction_secretary"], world["users"]["conviction_commission"]
    app = application(secretary, person_name=NAME, employer=world["a1"].name)  # the employer named as in the register
    decide(secretary, app, meeting(secretary, [member]))
    return app


def test_the_policies_give_the_records_to_the_commission_only():
    conviction_policies = [p for name, p in POLICIES.items() if name.startswith("conviction_")]
    assert {p.name for p in conviction_policies} == {
        "conviction_application",
        "conviction_meeting",
        "conviction_case_file",
    }
    for p in conviction_policies:
        assert p.everything == COMMISSION and p.roles == COMMISSION, p.name
        assert not (p.founder or p.head or p.municipality or p.member or p.extra_roles or p.path or p.number)
    for name, g in GATES.items():
        if name == "conviction_read_log":
            assert g.roles == {Role.DATA_PROTECTION_OFFICER}
        elif name.startswith("conviction_"):
            assert g.roles <= COMMISSION and g.roles, name
    assert permissions.CASE_FILE is POLICIES["conviction_case_file"]
    # the commission's roles and the data protection officer reach nothing else (they are not IKVD staff)
    for name, p in POLICIES.items():
        if not name.startswith("conviction_"):
            assert not p.roles & (COMMISSION | {Role.DATA_PROTECTION_OFFICER}), name
    for name, g in GATES.items():
        if not name.startswith("conviction_"):
            assert not g.roles & (COMMISSION | {Role.DATA_PROTECTION_OFFICER}), name


def test_the_access_matrix_shows_no_reader_outside_the_commission():
    text = (ROOT / "docs" / "access-matrix.md").read_text(encoding="utf-8")
    header = next(line for line in text.splitlines() if line.startswith("| | "))
    columns = [c.strip() for c in header.strip("|").split("|")][1:]
    with translation.override("en"):
        commission = {str(r.label) for r in COMMISSION}
        dpo = str(Role.DATA_PROTECTION_OFFICER.label)
    rows = [line for line in text.splitlines() if "(`conviction_" in line]
    assert len(rows) == 7  # three policies, four gates
    for line in rows:
        cells = [c.strip() for c in line.strip("|").split("|")][1:]
        readers = {col for col, cell in zip(columns, cells, strict=True) if cell != "—"}
        expected = {dpo} if "(`conviction_read_log`)" in line else None
        assert readers == expected if expected else readers and readers <= commission, line


@pytest.mark.parametrize("role", ["ikvd_admin", "registry_officer", "data_protection_officer"])
def test_the_admin_holds_nothing_of_the_commission(client, world, record, role, django_user_model):
    registered = {m for m in admin.site._registry if m.__module__ == conviction_models.__name__}
    assert registered == set()  # not in the admin at all, not even for superusers
    assert AuditEvent.objects.filter(action__startswith="convictions.").exists()
    client.force_login(world["users"][role])
    events = client.get("/admin/core/auditevent/")
    if role != "ikvd_admin":
        assert events.status_code == 302
        return
    html = events.content.decode()
    assert events.status_code == 200 and "convictions." not in html and record.reference not in html
    assert "Iesniegums PIK" not in html  # the case core's events on the commission's case files
    filtered = client.get("/admin/core/auditevent/?action=convictions.application_register", follow=True)
    assert record.reference not in filtered.content.decode()
    assert record.reference not in client.get("/admin/core/auditevent/?q=PIK").content.decode()
    files = client.get("/admin/cases/casefile/").content.decode()
    assert record.reference not in files and "PIK-" not in files
    superuser = django_user_model.objects.create_superuser("root", "root@example.lv", "x-pass-123456")
    client.force_login(superuser)
    assert "PIK-" not in client.get("/admin/cases/casefile/").content.decode()


def test_the_dossier_and_the_search_cannot_reach_the_records(client, world, record):
    # nothing of the commission points to an institution, so nothing that follows one can find it
    for model in (
        conviction_models.Application,
        conviction_models.Meeting,
        conviction_models.Decision,
        conviction_models.Opinion,
        conviction_models.ReadLog,
    ):
        assert not [f for f in model._meta.get_fields() if getattr(f, "related_model", None) is Institution], model
    assert CaseFile.objects.get(kind="conviction").institution_id is None
    assert not AuditEvent.objects.filter(action__startswith="convictions.", institution_id_ref__isnull=False).exists()
    assert "convictions" not in inspect.getsource(dossier)
    a1 = world["a1"]
    client.force_login(world["users"]["ikvd_admin"])
    page = client.get(reverse("web:dossier", args=[a1.registration_number])).content.decode()
    assert page.count(a1.name) >= 1 and record.reference not in page and NAME not in page
    client.force_login(world["users"]["conviction_commission"])  # a member cannot use the dossier at all
    assert client.get(reverse("web:dossier", args=[a1.registration_number])).status_code in (403, 404)
    client.logout()
    for query in (NAME, record.reference, "Paraudziņš"):  # the pages echo the query: look for what it would bring
        for page in (reverse("portal:profile-search"), reverse("portal:institution-list")):
            found = client.get(page, {"q": query}).content.decode()
            others = {NAME, record.reference} - {query}
            assert "/personu-izvertesana/" not in found and "sporta skolotājs" not in found, (page, query)
            assert not any(o in found for o in others if query not in o), (page, query)


def test_the_case_core_keeps_the_files_to_the_commission(client, world, settings):
    secretary, member = world["users"]["conviction_secretary"], world["users"]["conviction_commission"]
    app = application(secretary, received_on=timezone.localdate() - dt.timedelta(days=40))
    today = timezone.localdate()
    assert app.case_file.assignee_id is None and app.case_file.team_id is None  # off every queue, no reminder
    assert not reminders.send_deadline_reminders(today=today)["emails"]
    outsider, admin_user = world["users"]["supervision_inspector"], world["users"]["ikvd_admin"]
    for user in (member, outsider, admin_user):
        user.email = f"{user.username}@ikvd.example"
        user.save()
    CaseFile.objects.filter(pk=app.case_file_id).update(assignee=admin_user)  # as if assigned past the service
    assert not work_queue(admin_user, today=today).mine
    Deadline.objects.filter(case_file=app.case_file).update(reminded_on=None)
    mail.outbox.clear()
    assert not reminders.send_deadline_reminders(today=today)["emails"]
    team = Team.objects.create(code="jaukta", name_lv="Jaukta komanda", name_en="Mixed team")
    team.members.set([member, outsider])
    CaseFile.objects.filter(pk=app.case_file_id).update(assignee=None, team=team)  # put on a mixed team
    assert not work_queue(outsider, today=today).team
    client.force_login(outsider)
    assert app.reference not in client.get(reverse("cases:queue")).content.decode()
    client.force_login(member)  # the team's queue shows the file, assigned to nobody
    assert app.reference in client.get(reverse("cases:queue")).content.decode()
    Deadline.objects.filter(case_file=app.case_file).update(reminded_on=None)
    mail.outbox.clear()
    sent = reminders.send_deadline_reminders(today=today)
    assert sent["emails"] == 1
    assert mail.outbox[0].to == [member.email]  # never the outsider on the same team


def test_the_event_log_leaves_out_only_the_commissions_events(world):
    from ikms.complaints import services as complaint_services
    from ikms.convictions import selectors

    application(world["users"]["conviction_secretary"])
    complaint_services.complaint_register(
        actor=world["users"]["supervision_inspector"],
        channel="email",
        submitter_type="parent",
        text="Sūdzība",
        received_on=timezone.localdate(),
    )
    visible = selectors.visible_events(AuditEvent.objects.all())
    actions = set(visible.values_list("action", flat=True))
    assert not any(a.startswith("convictions.") for a in actions)
    assert not visible.filter(data__kind="conviction").exists()
    assert {"complaints.register", "cases.open", "cases.deadline_start", "user.create", "role.grant"} <= actions
    hidden = AuditEvent.objects.exclude(pk__in=visible.values("pk"))
    assert set(hidden.values_list("action", flat=True)) == {
        "convictions.application_register",
        "cases.open",
        "cases.deadline_start",
    }
    assert hidden.count() == 3
