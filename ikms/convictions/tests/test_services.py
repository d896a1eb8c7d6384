"""The commission's services: what they write (the case file, the deadline, the audit event without the person's
identity), who may write, and bad input refused in Latvian and English with nothing written."""

import dataclasses
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from ikms.cases.models import CaseFile, Deadline
from ikms.convictions import selectors, services
from ikms.convictions.case_type import KIND
from ikms.convictions.choices import DecisionKind, TargetGroup
from ikms.convictions.models import Application, Decision, Meeting, Opinion, ReadLog
from ikms.convictions.testing import CODE, OTHER_CODE, application, decide, decision_input, meeting
from ikms.core.exceptions import ApplicationError, PermissionDeniedError
from ikms.core.models import AuditEvent
from ikms.core.personal_codes import is_personal_code, old_format_code, personal_code_digest

TODAY = timezone.localdate


@pytest.fixture
def people(world):
    u = world["users"]
    return u["conviction_secretary"], u["conviction_commission"]


def _counts() -> tuple:
    return (
        Application.objects.count(),
        CaseFile.objects.count(),
        Deadline.objects.count(),
        Meeting.objects.count(),
        Decision.objects.count(),
        Opinion.objects.count(),
        AuditEvent.objects.count(),
    )


def test_register_opens_a_case_file_and_the_deadline_and_keeps_no_identity_outside_the_record(people):
    secretary, _member = people
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    app = application(secretary, received_on=dt.date(2024, 3, 1), employer="Rīgas Testa vidusskola")
    assert app.reference == "PIK-2024-001"
    assert app.personal_code_digest == personal_code_digest(CODE) and "11231" not in app.personal_code_digest
    case_file = app.case_file
    assert case_file.kind == KIND and case_file.institution_id is None
    assert "Paraudziņš" not in case_file.subject
    deadline = case_file.deadlines.get()
    assert (deadline.rule, deadline.starts_on, deadline.due_on) == (
        services.DEADLINE_RULE,
        dt.date(2024, 3, 1),
        dt.date(2024, 4, 2),  # a month later is Monday 1 April, Easter Monday: the next working day
    )
    events = AuditEvent.objects.filter(action__startswith="convictions.")
    assert [e.action for e in events] == ["convictions.application_register"]
    written = AuditEvent.objects.filter(id__gt=last)
    assert set(written.values_list("action", flat=True)) == {
        "convictions.application_register",
        "cases.open",
        "cases.deadline_start",
    }
    for event in written:
        text = f"{event.target_repr} {event.data}"
        assert "Paraudziņš" not in text and "11231" not in text and event.institution_id_ref is None
    assert application(secretary, received_on=dt.date(2024, 5, 2)).reference == "PIK-2024-002"


@pytest.mark.parametrize(
    ("lang", "field", "changes", "message"),
    [
        ("lv", "received_on", {"received_on": TODAY() + dt.timedelta(days=1)}, "nevar būt nākotnē"),
        ("en", "received_on", {"received_on": TODAY() + dt.timedelta(days=1)}, "cannot be in the future"),
        ("lv", "personal_code", {"personal_code": "12345"}, "11 cipar"),
        ("en", "personal_code", {"personal_code": "310290-12345"}, "not valid"),
        ("lv", "personal_code", {"personal_code": ""}, "personas kodu"),
        ("en", "person_name", {"person_name": "  "}, "person's name"),
        ("lv", "intended_work", {"intended_work": ""}, "darbu"),
        ("en", "conviction_article", {"conviction_article": ""}, "article of the conviction"),
    ],
)
def test_bad_application_input_is_refused_in_both_languages_and_nothing_is_written(
    people, lang, field, changes, message
):
    secretary, _member = people
    before = _counts()
    with translation.override(lang), pytest.raises(ValidationError) as caught:
        application(secretary, **changes)
    assert message in " ".join(caught.value.message_dict[field])
    assert _counts() == before


@pytest.mark.parametrize("role", ["conviction_commission", "ikvd_admin", "data_protection_officer", "no_role"])
def test_only_the_secretary_registers(world, role):
    before = _counts()
    with pytest.raises(PermissionDeniedError):
        application(world["users"][role])
    assert _counts() == before


def test_personal_codes_old_and_new():
    assert is_personal_code("010190-11231") and is_personal_code("01019011231") and is_personal_code("321234-56789")
    for bad in ("010190-1234", "320190 12345", "310290-12345", "010190-52345", "010190-12345", "abc", ""):
        assert not is_personal_code(bad), bad


def test_a_meeting_has_members_who_held_the_role_that_day(people, world):
    secretary, member = people
    held = meeting(secretary, [member], number="2024/1")
    assert list(held.members_present.all()) == [member]
    before = _counts()
    cases = [
        ({"number": "2024/1"}, "number", "already recorded"),
        ({"held_on": TODAY() + dt.timedelta(days=1)}, "held_on", "cannot be in the future"),
        ({"members": []}, "members", "Choose the members"),
        ({"held_on": TODAY() - dt.timedelta(days=1)}, "members", "Not a member of the commission"),  # role from today
        ({"members": [world["users"]["ikvd_admin"]]}, "members", "Not a member of the commission"),
    ]
    for changes, field, message in cases:
        args = {"number": "2024/2", "held_on": TODAY(), "members": [member], **changes}
        with translation.override("en"), pytest.raises(ValidationError) as caught:
            services.meeting_record(actor=secretary, **args)
        assert message in " ".join(caught.value.message_dict[field]), changes
    with pytest.raises(PermissionDeniedError):
        services.meeting_record(actor=member, number="2024/3", held_on=TODAY(), members=[member])
    assert _counts() == before


def test_a_permit_closes_the_case_and_meets_the_deadline(people):
    secretary, member = people
    app = application(secretary)
    at = meeting(secretary, [member])
    decision = decide(secretary, app, at)
    app.refresh_from_db()
    assert app.outcome == DecisionKind.PERMIT and not app.is_open
    assert app.case_file.closed_on == at.held_on
    assert app.case_file.deadlines.get().met_on == at.held_on
    assert selectors.permit_in_force(app) == decision
    with pytest.raises(ApplicationError):
        decide(secretary, app, at, DecisionKind.REFUSAL)


def test_a_limited_permit_names_its_target_groups(people):
    secretary, member = people
    app = application(secretary)
    at = meeting(secretary, [member])
    before = _counts()
    for kind, groups, message in [
        (DecisionKind.PERMIT_LIMITED, [], "Choose the target groups"),
        (DecisionKind.PERMIT, [TargetGroup.ADULTS], "Only a limited permit"),
        (DecisionKind.PERMIT_LIMITED, ["pupils"], "Unknown target group"),
        (DecisionKind.ANNULMENT, [], "Choose the decision"),
    ]:
        with translation.override("en"), pytest.raises(ValidationError) as caught:
            decide(secretary, app, at, kind, target_groups=groups)
        assert message in str(caught.value.message_dict), kind
    assert _counts() == before
    decision = decide(secretary, app, at, DecisionKind.PERMIT_LIMITED, target_groups=[TargetGroup.ADULTS])
    assert decision.target_groups == ["adults"]
    with translation.override("lv"):
        assert selectors.target_group_labels(decision.target_groups) == ["Pieaugušie izglītojamie"]
    with translation.override("en"):
        assert selectors.target_group_labels(decision.target_groups) == ["Adult learners"]


def test_a_decision_refuses_bad_dates_numbers_and_meetings(people):
    secretary, member = people
    app = application(secretary, received_on=TODAY() - dt.timedelta(days=3))
    at = meeting(secretary, [member])
    decide(secretary, application(secretary, personal_code=OTHER_CODE), at)
    taken = Decision.objects.get().number
    before = _counts()
    cases = [
        ({"date": TODAY() + dt.timedelta(days=1)}, "date", "lēmuma datums nevar būt nākotnē"),
        ({"date": TODAY() - dt.timedelta(days=1)}, "date", "agrāks par sēdes datumu"),
        ({"number": taken}, "number", "jau ir ievadīts"),
        ({"number": " "}, "number", "ierakstiet lēmuma numuru"),
    ]
    for changes, field, message in cases:
        data = decision_input(date=changes.get("date", TODAY()), number=changes.get("number", ""))
        with translation.override("lv"), pytest.raises(ValidationError) as caught:
            services.decision_record(actor=secretary, application=app, meeting=at, kind="permit", data=data)
        assert message in " ".join(caught.value.message_dict[field]).lower(), changes
    with pytest.raises(ValidationError) as caught:
        services.decision_record(actor=secretary, application=app, meeting=None, kind="permit", data=decision_input())
    assert "meeting" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.decision_record(
            actor=secretary,
            application=app,
            meeting=at,
            kind="permit",
            data=dataclasses.replace(decision_input(), legal_basis=" ", justification=""),
        )
    assert {"legal_basis", "justification"} <= set(caught.value.message_dict)
    assert _counts() == before


def test_a_decision_cannot_precede_the_application(people):
    secretary, member = people
    at = meeting(secretary, [member])
    app = application(secretary, received_on=TODAY())
    app.received_on = TODAY() + dt.timedelta(days=1)  # as if received after the meeting
    Application.objects.filter(pk=app.pk).update(received_on=app.received_on)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        decide(secretary, app, at)
    assert "before what it would decide on" in " ".join(caught.value.message_dict["meeting"])


def test_annulment_of_the_permit_in_force(people):
    secretary, member = people
    app = application(secretary)
    at = meeting(secretary, [member])
    with pytest.raises(ApplicationError):
        services.decision_annul(actor=secretary, application=app, meeting=at, data=decision_input())
    permit = decide(secretary, app, at)
    annulment = services.decision_annul(actor=secretary, application=app, meeting=at, data=decision_input())
    assert annulment.kind == DecisionKind.ANNULMENT and annulment.annuls == permit
    app.refresh_from_db()
    assert app.outcome == DecisionKind.ANNULMENT and selectors.permit_in_force(app) is None
    before = _counts()
    with translation.override("lv"), pytest.raises(ApplicationError) as caught:
        services.decision_annul(actor=secretary, application=app, meeting=at, data=decision_input())
    assert "nav spēkā esošas atļaujas" in caught.value.message
    with pytest.raises(PermissionDeniedError):
        services.decision_annul(actor=member, application=app, meeting=at, data=decision_input())
    assert _counts() == before
    assert list(
        AuditEvent.objects.filter(action="convictions.decision_annul").values_list("data__annuls", flat=True)
    ) == [permit.number]


def test_members_give_opinions_until_the_decision(people, world):
    secretary, member = people
    app = application(secretary)
    services.opinion_record(actor=member, application=app, position=DecisionKind.PERMIT, note="Atbalstu.")
    services.opinion_record(actor=member, application=app, position=DecisionKind.REFUSAL)
    assert [(o.member, o.position, o.note) for o in Opinion.objects.all()] == [(member, "refusal", "")]
    for outsider in (secretary, world["users"]["ikvd_admin"]):
        with pytest.raises(PermissionDeniedError):
            services.opinion_record(actor=outsider, application=app, position=DecisionKind.PERMIT)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.opinion_record(actor=member, application=app, position=DecisionKind.ANNULMENT)
    assert "Choose your opinion" in str(caught.value)
    decide(secretary, app, meeting(secretary, [member]))
    with pytest.raises(ApplicationError):
        services.opinion_record(actor=member, application=app, position=DecisionKind.PERMIT)
    assert Opinion.objects.get().position == "refusal"


def test_the_year_figures_count_the_records_and_only_for_the_commission(people, world):
    secretary, member = people
    at = meeting(secretary, [member])
    codes = [
        old_format_code(dt.date(1980 + i, 1, 1), 100 + i) or old_format_code(dt.date(1980 + i, 1, 1), 200)
        for i in range(4)
    ]
    apps = [application(secretary, person_name=f"P{i}", personal_code=code) for i, code in enumerate(codes)]
    decide(secretary, apps[0], at)
    decide(secretary, apps[1], at, DecisionKind.PERMIT_LIMITED, target_groups=[TargetGroup.HIGHER])
    decide(secretary, apps[2], at, DecisionKind.REFUSAL)
    services.decision_annul(actor=secretary, application=apps[0], meeting=at, data=decision_input())
    year = TODAY().year
    for user in (secretary, member):
        f = selectors.year_figures(user, year)
        assert (f.meetings, f.permits, f.limited, f.refused, f.annulled, f.persons, f.decisions) == (
            1,
            2,
            1,
            1,
            1,
            3,
            4,
        )
        assert selectors.calibration_counts(user, year) == {
            "commission_meetings": 1,
            "permits_granted": 2,
            "refused": 1,
            "annulled": 1,
        }
    for role in ("ikvd_admin", "data_protection_officer", "analyst", "no_role"):
        f = selectors.year_figures(world["users"][role], year)
        assert (f.meetings, f.decisions, f.persons, f.received) == (0, 0, 0, 0), role
        assert selectors.open_count(world["users"][role]) == 0
    assert selectors.open_count(secretary) == 1


def test_the_read_log_takes_only_the_commissions_reads(people, world):
    from ikms.convictions import reads

    secretary, member = people
    app = application(secretary)
    entry = reads.read_record(reader=member, kind="application", applications=[app, app], path="/x/")
    assert entry.rows == 1 and list(entry.applications.all()) == [app]
    for role in ("ikvd_admin", "data_protection_officer"):
        with pytest.raises(PermissionDeniedError):
            reads.read_record(reader=world["users"][role], kind="list")
    with pytest.raises(ValueError, match="unknown kind"):
        reads.read_record(reader=member, kind="peek")
    assert ReadLog.objects.count() == 1
