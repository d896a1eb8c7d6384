"""Register services: every change is a decision, audited, versioned, and all-or-nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from reversion.models import Version

from ikms.accounts.roles import Role
from ikms.accounts.testing import make_user
from ikms.core.exceptions import ApplicationError, PermissionDeniedError
from ikms.core.models import AuditEvent
from ikms.registry import services
from ikms.registry.choices import (
    AccreditationState,
    AmendmentReason,
    DecisionKind,
    InstitutionStatus,
    LicenceStatus,
    StrikeOffReason,
)
from ikms.registry.models import Decision, Institution, InstitutionType, Municipality, Programme
from ikms.registry.selectors import accreditation_current, register_decision_counts
from ikms.registry.testing import decision_input, license_programme, municipal_founder, register_institution

pytestmark = pytest.mark.django_db


@pytest.fixture
def riga():
    return municipal_founder("LV-RIX")


@pytest.fixture
def school(officer, riga):
    return register_institution(actor=officer, founder=riga, name="Rīgas 1. vidusskola")


def test_register_records_decision_audit_and_history(officer, school):
    decision = Decision.objects.get(institution=school)
    assert decision.kind == DecisionKind.REGISTER
    assert decision.decided_by == officer
    assert school.status == InstitutionStatus.REGISTERED
    assert school.registered_on == decision.date
    actions = set(AuditEvent.objects.filter(institution_id_ref=school.pk).values_list("action", flat=True))
    assert {"decision.register", "decision.record"} <= actions
    versions = Version.objects.get_for_object(school)
    assert versions.count() == 1
    assert versions[0].revision.comment == decision.number
    assert versions[0].revision.user == officer


def test_amend_changes_entry_and_keeps_old_values(officer, school):
    ogre = Municipality.objects.get(code="LV-067")
    decision = services.institution_amend(actor=officer, decision=decision_input(), institution=school,
                                          reason=AmendmentReason.ADDRESS,
                                          values={"address": "Brīvības iela 1, Ogre", "municipality": ogre})
    school.refresh_from_db()
    assert school.address == "Brīvības iela 1, Ogre"
    assert decision.changes["address"]["old"].startswith("Skolas iela")
    assert decision.changes["municipality"]["new"]["id"] == ogre.pk
    assert Version.objects.get_for_object(school).count() == 2


def test_amend_without_change_is_refused(officer, school):
    with pytest.raises(ApplicationError):
        services.institution_amend(actor=officer, decision=decision_input(), institution=school,
                                   reason=AmendmentReason.NAME, values={"name": school.name})
    assert Decision.objects.filter(kind=DecisionKind.AMEND).count() == 0


def test_failed_decision_writes_nothing(officer, school):
    """A bad value fails validation: no decision, no audit event, no version, no change."""
    counts = (Decision.objects.count(), AuditEvent.objects.count(), Version.objects.count())
    with pytest.raises(ValidationError):
        services.institution_amend(actor=officer, decision=decision_input(), institution=school,
                                   reason=AmendmentReason.NAME, values={"name": "x" * 300})
    school.refresh_from_db()
    assert school.name == "Rīgas 1. vidusskola"
    assert (Decision.objects.count(), AuditEvent.objects.count(), Version.objects.count()) == counts


def test_duplicate_decision_number_writes_nothing(officer, riga):
    data = decision_input()
    register_institution(actor=officer, founder=riga, registration_number="4000000111")
    services.institution_register(actor=officer, decision=data, registration_number="4000000222", name="A",
                                  type=InstitutionType.objects.get(code="basic"), founder=riga,
                                  municipality=riga.municipality, address="Iela 1")
    with pytest.raises(ValidationError):
        services.institution_register(actor=officer, decision=data, registration_number="4000000333", name="B",
                                      type=InstitutionType.objects.get(code="basic"), founder=riga,
                                      municipality=riga.municipality, address="Iela 2")
    assert not Institution.objects.filter(registration_number="4000000333").exists()


def test_future_decision_date_is_refused(officer, riga):
    future = decision_input(day=timezone.localdate() + datetime.timedelta(days=3))
    with pytest.raises(ValidationError) as exc:
        services.institution_register(actor=officer, decision=future, registration_number="4000000444", name="C",
                                      type=InstitutionType.objects.get(code="basic"), founder=riga,
                                      municipality=riga.municipality, address="Iela 3")
    assert "date" in exc.value.message_dict
    assert not Institution.objects.filter(registration_number="4000000444").exists()


def test_only_deciders_may_decide(riga, school):
    analyst = make_user(Role.ANALYST)
    with pytest.raises(PermissionDeniedError):
        services.institution_strike_off(actor=analyst, decision=decision_input(), institution=school)
    school.refresh_from_db()
    assert school.status == InstitutionStatus.REGISTERED


def test_strike_off_lapses_licences_and_revoke_restores(officer, school):
    programme = license_programme(actor=officer, institution=school)
    strike = services.institution_strike_off(actor=officer, decision=decision_input(), institution=school,
                                             reason=StrikeOffReason.REORGANISATION)
    school.refresh_from_db()
    programme.refresh_from_db()
    assert school.status == InstitutionStatus.LIQUIDATED
    assert programme.status == LicenceStatus.LAPSED
    with pytest.raises(ApplicationError):
        services.institution_amend(actor=officer, decision=decision_input(), institution=school,
                                   reason=AmendmentReason.NAME, values={"name": "Jauns"})
    revoke = services.decision_revoke(actor=officer, decision=decision_input(), target=strike)
    school.refresh_from_db()
    programme.refresh_from_db()
    assert school.status == InstitutionStatus.REGISTERED
    assert school.liquidated_on is None
    assert programme.status == LicenceStatus.LICENSED
    assert revoke.revokes == strike
    strike.refresh_from_db()
    assert strike.is_revoked
    with pytest.raises(ApplicationError):
        services.decision_revoke(actor=officer, decision=decision_input(), target=strike)


def test_revoke_amendment_restores_old_values(officer, school):
    old_head = school.head_name
    amend = services.institution_amend(actor=officer, decision=decision_input(), institution=school,
                                       reason=AmendmentReason.HEAD, values={"head_name": "Jānis Ozols"})
    services.decision_revoke(actor=officer, decision=decision_input(), target=amend)
    school.refresh_from_db()
    assert school.head_name == old_head


def test_revoke_refused_when_later_decisions_exist(officer, school):
    first = services.institution_amend(actor=officer, decision=decision_input(), institution=school,
                                       reason=AmendmentReason.HEAD, values={"head_name": "Jānis Ozols"})
    services.institution_amend(actor=officer, decision=decision_input(), institution=school,
                               reason=AmendmentReason.HEAD, values={"head_name": "Ilze Liepa"})
    with pytest.raises(ApplicationError):
        services.decision_revoke(actor=officer, decision=decision_input(), target=first)


def test_application_postponed_then_registered(officer, riga):
    kind = InstitutionType.objects.get(code="preschool")
    decision = services.institution_application_record(
        actor=officer, decision=decision_input(), kind=DecisionKind.POSTPONE, registration_number="4000000555",
        name="PII “Zīlīte”", type=kind, founder=riga, municipality=riga.municipality, address="Iela 5")
    application = decision.institution
    assert application.status == InstitutionStatus.APPLICATION
    services.institution_register(actor=officer, decision=decision_input(), application=application,
                                  registration_number="4000000555", name="PII “Zīlīte”", type=kind, founder=riga,
                                  municipality=riga.municipality, address="Iela 5")
    application.refresh_from_db()
    assert application.status == InstitutionStatus.REGISTERED
    assert [d.kind for d in application.decisions.order_by("id")] == [DecisionKind.POSTPONE, DecisionKind.REGISTER]


def test_refused_application_is_not_public(officer, riga, client):
    decision = services.institution_application_record(
        actor=officer, decision=decision_input(), kind=DecisionKind.REFUSE, registration_number="4000000666",
        name="Atteiktā skola", type=InstitutionType.objects.get(code="basic"), founder=riga,
        municipality=riga.municipality, address="Iela 6")
    assert decision.institution.status == InstitutionStatus.REFUSED
    assert client.get("/registrs/iestades/4000000666/").status_code == 404
    assert "Atteiktā skola" not in client.get("/registrs/iestades/?q=Atteikt").content.decode()


def test_licence_lifecycle(officer, school):
    programme = license_programme(actor=officer, institution=school, code="31011011")
    assert programme.licence_number.startswith("V-")
    assert programme.places.count() == 1
    services.programme_licence_change(actor=officer, decision=decision_input(), programme=programme,
                                      kind=DecisionKind.LICENCE_AMEND, values={"name": "Jauns nosaukums"})
    programme.refresh_from_db()
    assert programme.name == "Jauns nosaukums"
    with pytest.raises(ValidationError) as exc:  # an annulment gives its reasons
        services.programme_licence_change(actor=officer, decision=decision_input(), programme=programme,
                                          kind=DecisionKind.LICENCE_ANNUL)
    assert "justification" in exc.value.message_dict
    annulment = services.programme_licence_change(
        actor=officer, decision=services.DecisionInput(number="A-1", date=datetime.date(2024, 3, 1),
                                                       legal_basis="MK 253", justification="Nepatiesas ziņas"),
        programme=programme, kind=DecisionKind.LICENCE_ANNUL)
    programme.refresh_from_db()
    assert programme.status == LicenceStatus.ANNULLED
    assert annulment.justification == "Nepatiesas ziņas" and annulment.reason == ""
    with pytest.raises(ApplicationError):
        services.programme_licence_change(actor=officer, decision=decision_input(), programme=programme,
                                          kind=DecisionKind.LICENCE_LAPSE)


def test_invalid_programme_code_writes_nothing(officer, school):
    with pytest.raises(ValidationError) as exc:
        license_programme(actor=officer, institution=school, code="99999999")
    assert "code" in exc.value.message_dict
    assert Programme.objects.count() == 0
    assert Decision.objects.filter(kind=DecisionKind.LICENCE_ISSUE).count() == 0


def test_accreditation_grant_extend_refuse(officer, school):
    expert = make_user(Role.QUALITY_EXPERT)
    with pytest.raises(PermissionDeniedError):
        services.accreditation_decide(actor=officer, decision=decision_input(), institution=school,
                                      kind=DecisionKind.ACCREDITATION_GRANT)
    day = datetime.date(2024, 5, 1)
    acc = services.accreditation_decide(actor=expert, decision=decision_input(day), institution=school,
                                        kind=DecisionKind.ACCREDITATION_GRANT)
    assert acc.valid_until == datetime.date(2030, 5, 1)
    with pytest.raises(ValidationError):
        services.accreditation_decide(actor=expert, decision=decision_input(day), institution=school,
                                      kind=DecisionKind.ACCREDITATION_EXTEND, valid_until=datetime.date(2033, 1, 1))
    services.accreditation_decide(actor=expert, decision=decision_input(day), institution=school,
                                  kind=DecisionKind.ACCREDITATION_EXTEND, valid_until=datetime.date(2031, 5, 1))
    current = accreditation_current(school)
    assert current.state == AccreditationState.EXTENDED
    assert current.valid_until == datetime.date(2031, 5, 1)


def test_table3_counts_follow_the_mapping(officer, school, riga):
    day = datetime.date(2024, 6, 1)
    services.institution_amend(actor=officer, decision=decision_input(day), institution=school,
                               reason=AmendmentReason.REORGANISATION, values={"address": "Jaunā iela 2"})
    services.institution_amend(actor=officer, decision=decision_input(day), institution=school,
                               reason=AmendmentReason.HEAD, values={"head_name": "Jānis Ozols"})
    other = register_institution(actor=officer, founder=riga)
    services.institution_strike_off(actor=officer, decision=decision_input(day), institution=other)
    counts = register_decision_counts(year=2024)
    assert counts["registered_or_amended_reorganisation"] == 1  # the head change does not count
    assert counts["liquidated_or_struck_off"] == 1
    assert counts["decision_revoked"] == 0
    assert register_decision_counts(year=2023)["liquidated_or_struck_off"] == 0


def test_founder_create_validates_and_audits(officer, client):
    from ikms.registry.choices import FounderKind

    founder = services.founder_create(actor=officer, kind=FounderKind.PRIVATE_LEGAL, name="SIA “Gudrā skola”",
                                      registration_code="40003123456")
    assert AuditEvent.objects.filter(action="founder.create", target_id=str(founder.pk)).exists()
    with pytest.raises(ValidationError):
        services.founder_create(actor=officer, kind=FounderKind.PRIVATE_LEGAL, name="SIA “Gudrā skola”",
                                registration_code="40003123456")
    with pytest.raises(ValidationError):  # a municipal founder without its municipality (DB constraint)
        services.founder_create(actor=officer, kind=FounderKind.MUNICIPALITY, name="Kāda pašvaldība")
    client.force_login(officer)
    response = client.post("/en/staff/founders/new/", {"kind": "private_legal", "name": "Biedrība X",
                                                        "registration_code": "123"})
    assert response.status_code == 200
    assert "exactly 11 digits" in response.content.decode()


def test_decision_notifies_founder_and_head_by_email(officer, school, riga, django_capture_on_commit_callbacks,
                                                      mailoutbox):
    from ikms.accounts.models import User

    founder_user = make_user(Role.FOUNDER, founder=riga)
    head = make_user(Role.INSTITUTION_HEAD, institution=school)
    User.objects.filter(pk=founder_user.pk).update(email="parvalde@riga.example")
    User.objects.filter(pk=head.pk).update(email="direktore@skola.example")
    with django_capture_on_commit_callbacks(execute=True):
        services.institution_amend(actor=officer, decision=decision_input(), institution=school,
                                   reason=AmendmentReason.ADDRESS, values={"address": "Jaunā iela 9"})
    assert len(mailoutbox) == 1
    assert sorted(mailoutbox[0].to) == ["direktore@skola.example", "parvalde@riga.example"]
    assert "IKVD lēmums" in mailoutbox[0].subject
    assert "IKVD decision" in mailoutbox[0].subject


def test_notifications_can_be_suppressed_for_data_migrations(officer, school, riga, django_capture_on_commit_callbacks,
                                                             mailoutbox):
    from ikms.accounts.models import User
    from ikms.registry.tasks import notifications_suppressed

    founder_user = make_user(Role.FOUNDER, founder=riga)
    User.objects.filter(pk=founder_user.pk).update(email="parvalde@riga.example")
    with django_capture_on_commit_callbacks(execute=True), notifications_suppressed():
        services.institution_amend(actor=officer, decision=decision_input(), institution=school,
                                   reason=AmendmentReason.ADDRESS, values={"address": "Klusā iela 1"})
    assert mailoutbox == []
