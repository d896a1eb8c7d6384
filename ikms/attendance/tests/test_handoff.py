"""The absence hand-off inside its app: opening cases from the schools' records (idempotent, at the municipality of
residence), scoping, the identity rule, the municipality's actions and closing, bad input, and the counting rule."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from ikms.attendance import permissions, selectors, services
from ikms.attendance.lake import absence_records
from ikms.attendance.models import AbsenceAction, AbsenceCase
from ikms.attendance.testing import write_records
from ikms.core.audit import AuditEvent
from ikms.core.exceptions import PermissionDeniedError

YEAR = "2024/2025"


@pytest.fixture
def lake(tmp_path, world):
    a1, b1 = world["a1"].registration_number, world["b1"].registration_number
    rows = [
        # a Riga school's pupil who lives in Ogre: the case goes to Ogre
        {
            "learner": "L1",
            "institution": a1,
            "semester": 1,
            "level": "basic",
            "reason": "lack_of_motivation",
            "action": "talk_with_pupil_and_parents",
            "residence": "LV-067",
        },
        {
            "learner": "L2",
            "institution": a1,
            "semester": 1,
            "level": "basic",
            "reason": None,
            "action": "none_recorded",
            "residence": "LV-RIX",
        },
        {
            "learner": "L3",
            "institution": b1,
            "semester": 2,
            "level": "secondary",
            "reason": "other",
            "action": "police",
            "residence": "LV-067",
        },
        {
            "learner": "L4",
            "institution": "9999999999",
            "semester": 2,
            "level": "basic",
            "reason": None,
            "action": "police",
            "residence": "LV-067",
        },  # not in the register
        {
            "learner": "L5",
            "institution": a1,
            "semester": 2,
            "level": "basic",
            "reason": None,
            "action": "police",
            "residence": "LV-XXX",
        },  # residence unknown
    ]
    return write_records(tmp_path, YEAR, rows)


def _open(lake):
    return services.cases_open_from_records(
        actor=None, school_year=YEAR, records=absence_records(YEAR, lake_root=lake), today=dt.date(2025, 9, 1)
    )


def test_records_open_one_case_each_at_the_municipality_of_residence(world, lake):
    counts = _open(lake)
    assert counts == {"opened": 3, "held": 0, "unknown_institution": 1, "unknown_residence": 1, "actions": 2}
    l1 = AbsenceCase.objects.get(learner="L1")
    assert l1.residence.code == "LV-067" and l1.institution == world["a1"]
    assert l1.case_file.kind == "absence" and l1.case_file.opened_on == dt.date(2024, 12, 31)
    deadline = l1.case_file.deadlines.get()
    assert deadline.met_on == dt.date(2024, 12, 31)  # the school's action
    assert deadline.due_on == dt.date(2025, 1, 15)  # 10 working days after 31.12.2024 (1 January is a holiday)
    assert list(l1.actions.values_list("kind", flat=True)) == ["talk_with_pupil_and_parents"]
    assert AbsenceCase.objects.get(learner="L2").case_file.deadlines.get().met_on is None
    # idempotent: a second run opens nothing
    again = _open(lake)
    assert again["opened"] == 0 and again["held"] == 3 and AbsenceCase.objects.count() == 3
    assert AuditEvent.objects.filter(action="attendance.import").count() == 1


def test_command_opens_the_year_and_refuses_a_year_without_records(world, lake, settings, capsys):
    settings.IKMS_LAKE_DIR = str(lake)
    call_command("absence_cases_open", "--year", YEAR)
    assert AbsenceCase.objects.count() == 3
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2020/2021"):
        call_command("absence_cases_open", "--year", "2020/2021")


def test_scoping_residence_head_and_ikvd(world, lake):
    _open(lake)
    users = world["users"]
    assert set(selectors.case_visible_to(users["founder_ogre"]).values_list("learner", flat=True)) == {"L1", "L3"}
    # Riga founded a1, but L1 lives in Ogre: Riga sees only its own resident
    assert set(selectors.case_visible_to(users["founder_riga"]).values_list("learner", flat=True)) == {"L2"}
    assert set(selectors.case_visible_to(users["head_a1"]).values_list("learner", flat=True)) == {"L1", "L2"}
    assert selectors.case_visible_to(users["analyst"]).count() == 3
    assert selectors.case_visible_to(users["no_role"]).count() == 0
    l1 = AbsenceCase.objects.get(learner="L1")
    assert permissions.can_act(users["founder_ogre"], l1)
    assert not permissions.can_act(users["founder_riga"], l1)
    assert not permissions.can_act(users["head_a1"], l1)
    assert not permissions.can_act(users["ikvd_admin"], l1)


def test_school_report_identity_is_seen_by_the_school_and_the_municipality_only(world, client):
    users = world["users"]
    case = services.absence_report(
        actor=users["head_a1"],
        institution=world["a1"],
        personal_code="010203-12349",
        learner_name="Jānis Bērziņš",
        parent_contact="+371 20000000",
        residence=world["ogre"].municipality,
        school_year=YEAR,
        semester=1,
        level="basic",
        reason="family_circumstances",
    )
    assert len(case.learner) >= 12 and "12349" not in case.learner  # the pseudonym, not the code
    assert case.case_file.deadlines.get().met_on is None
    for name, sees in (("head_a1", True), ("founder_ogre", True), ("analyst", False), ("ikvd_admin", False)):
        client.force_login(users[name])
        html = client.get(f"/en/kavejumu-lietas/{case.pk}/").content.decode()
        assert ("Jānis Bērziņš" in html) is sees, name
        assert ("+371 20000000" in html) is sees, name
        listing = client.get("/en/kavejumu-lietas/").content.decode()
        assert "Jānis" not in listing
        export = client.get("/kavejumu-lietas/?format=csv").content.decode("utf-8-sig")
        assert "Jānis" not in export and case.learner in export
    client.force_login(users["founder_riga"])
    assert client.get(f"/kavejumu-lietas/{case.pk}/").status_code == 404  # another municipality


def test_report_bad_input_in_both_languages_writes_nothing(world, client):
    client.force_login(world["users"]["head_a1"])
    data = {
        "institution": world["a1"].pk,
        "personal_code": "123",
        "learner_name": "Anna",
        "residence": world["riga"].municipality.pk,
        "school_year": YEAR,
        "semester": "1",
        "level": "basic",
    }
    en = client.post("/en/kavejumu-lietas/zinot/", data)
    assert en.status_code == 400 and "Enter the personal code as 11 digits" in en.content.decode()
    lv = client.post("/kavejumu-lietas/zinot/", data)
    assert lv.status_code == 400 and "Ievadiet personas kodu — 11 ciparus" in lv.content.decode()
    # 11 digits, but the check digit is wrong: the same rule as everywhere a personal code is entered
    wrong = client.post("/en/kavejumu-lietas/zinot/", {**data, "personal_code": "010203-12345"})
    assert wrong.status_code == 400 and "This personal code is not valid: check the digits." in wrong.content.decode()
    assert not AbsenceCase.objects.exists() and not AuditEvent.objects.filter(action="attendance.report").exists()
    # another school's institution is not a choice
    other = client.post(
        "/en/kavejumu-lietas/zinot/", {**data, "institution": world["b1"].pk, "personal_code": "01020312349"}
    )
    assert other.status_code == 400 and not AbsenceCase.objects.exists()
    client.force_login(world["users"]["founder_riga"])
    assert client.get("/kavejumu-lietas/zinot/").status_code == 403
    # a school year that is not one in the list's address: its message, not another year's list
    assert client.get("/en/kavejumu-lietas/?year=2024-25x").status_code == 400


def test_municipality_records_actions_and_closes(world, lake, client):
    _open(lake)
    users = world["users"]
    l2 = AbsenceCase.objects.get(learner="L2")  # Riga's resident, no action yet
    client.force_login(users["founder_riga"])
    url = f"/en/kavejumu-lietas/{l2.pk}/"
    assert "Record an action" in client.get(url).content.decode()
    # bad input: a date in the future, an action not in the catalogue; nothing written
    bad = client.post(
        f"{url}riciba/", {"kind": "social_service", "taken_on_day": "1", "taken_on_month": "1", "taken_on_year": "2099"}
    )
    assert bad.status_code == 400 and "The date cannot be in the future." in bad.content.decode()
    bad = client.post(
        f"{url}riciba/", {"kind": "exorcism", "taken_on_day": "3", "taken_on_month": "2", "taken_on_year": "2025"}
    )
    assert bad.status_code == 400 and not l2.actions.exists()
    early_close = client.post(f"{url}slegt/", {"outcome": "returned"})
    assert early_close.status_code == 400 and "Record at least one action" in early_close.content.decode()
    ok = client.post(
        f"{url}riciba/",
        {
            "kind": "social_service",
            "taken_on_day": "3",
            "taken_on_month": "2",
            "taken_on_year": "2025",
            "note": "Sociālais dienests informēts",
        },
    )
    assert ok.status_code == 302
    assert l2.case_file.deadlines.get().met_on == dt.date(2025, 2, 3)
    assert client.post(f"{url}slegt/", {"outcome": "returned"}).status_code == 302
    l2.refresh_from_db()
    assert l2.outcome == "returned" and l2.case_file.is_closed
    assert AuditEvent.objects.filter(action="attendance.action").count() == 1
    assert AuditEvent.objects.filter(action="attendance.close").count() == 1
    # closed: no more actions
    assert (
        client.post(
            f"{url}riciba/", {"kind": "police", "taken_on_day": "4", "taken_on_month": "2", "taken_on_year": "2025"}
        ).status_code
        == 403
    )
    # IKVD and another municipality cannot act
    client.force_login(users["founder_ogre"])
    assert client.post(f"{url}riciba/", {"kind": "police"}).status_code == 404
    with pytest.raises(PermissionDeniedError):
        services.action_record(
            actor=users["analyst"],
            case=AbsenceCase.objects.get(learner="L1"),
            kind="police",
            taken_on=dt.date(2025, 2, 1),
        )


def test_action_counts_rule(world, lake):
    assert selectors.action_counts(YEAR, "nation", "LV") is None  # no case of the year: the imported counts stay
    _open(lake)
    l1 = AbsenceCase.objects.get(learner="L1")
    # the same kind twice counts once; a second kind counts too
    AbsenceAction.objects.create(case=l1, kind="talk_with_pupil_and_parents", taken_on=dt.date(2025, 1, 5))
    AbsenceAction.objects.create(case=l1, kind="social_service", taken_on=dt.date(2025, 1, 6))
    assert selectors.action_counts(YEAR, "nation", "LV") == {
        (1, "talk_with_pupil_and_parents"): 1,
        (1, "social_service"): 1,
        (1, "none_recorded"): 1,
        (2, "police"): 1,
    }
    # by the reporting school's municipality: Riga's school reported L1 and L2
    assert selectors.action_counts(YEAR, "municipality", "LV-067") == {(2, "police"): 1}
    with pytest.raises(ValidationError):
        services.case_close(actor=world["users"]["founder_ogre"], case=l1, outcome="vanished")
