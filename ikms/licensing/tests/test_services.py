"""Licensing applications (issue 14 item 1): from the head's application through a deficiency round to the register's
decision; who may do what; bad input that changes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from ikms.cases.models import Attachment, CaseFile, Deadline
from ikms.core.exceptions import ApplicationError, PermissionDeniedError
from ikms.licensing import services
from ikms.licensing.models import LicenceApplication
from ikms.registry.choices import LicenceEntryKind
from ikms.registry.models import Decision, Programme
from ikms.registry.services import DecisionInput, PlaceInput

TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.IKMS_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    with translation.override("en"):
        yield


def apply(world, **kw):
    a1 = world["a1"]
    args = dict(
        actor=world["users"]["head_a1"],
        institution=a1,
        kind="new",
        code="21011112",
        name="Pamatizglītības programma ar padziļinātu matemātiku",
        form="full_time",
        places=[PlaceInput(address=a1.address, municipality=a1.municipality)],
    )
    args.update(kw)
    return services.application_submit(**args)


def decision(number="2026/L-1", justification=""):
    return DecisionInput(
        number=number, date=TODAY(), legal_basis="MK 23.05.2023. noteikumi Nr. 253", justification=justification
    )


def _state():
    return (
        LicenceApplication.objects.count(),
        CaseFile.objects.count(),
        Deadline.objects.count(),
        Programme.objects.count(),
        Decision.objects.count(),
    )


def test_from_application_through_deficiencies_to_the_licence(world):
    u = world["users"]
    officer, head = u["registry_officer"], u["head_a1"]
    application = apply(world)
    deadline = application.case_file.deadlines.get(rule="licence_decision")
    assert deadline.starts_on == TODAY() and deadline.regime == "administrative_procedure"
    services.application_check(
        actor=officer,
        application=application,
        results={
            "standards": ("meets", ""),
            "programme": ("deficient", "Nav mācību priekšmetu stundu plāna."),
            "premises": ("meets", ""),
            "resources": ("meets", ""),
        },
    )
    due = TODAY() + dt.timedelta(days=21)
    services.deficiencies_send(actor=officer, application=application, text="Iesniedziet stundu plānu.", due_on=due)
    application.refresh_from_db()
    assert application.state == "deficiencies"
    letter = Attachment.objects.get(case_file=application.case_file, direction="sent")
    assert letter.title == "Par iesnieguma trūkumu novēršanu"
    with pytest.raises(ApplicationError):  # wait for the answer first
        services.application_decide(actor=officer, application=application, decision=decision(), grant=True)
    services.deficiencies_answer(actor=head, application=application, text="Stundu plāns pievienots.")
    services.application_check(
        actor=officer,
        application=application,
        results={k: ("meets", "") for k in ("standards", "programme", "premises", "resources")},
    )
    services.application_decide(actor=officer, application=application, decision=decision(), grant=True)
    application.refresh_from_db()
    assert application.state == "licensed" and application.programme.code == "21011112"
    assert application.decision.kind == "licence_issue" and application.case_file.is_closed
    assert not application.case_file.deadlines.filter(met_on__isnull=True).exists()
    assert application.case_file.attachments.filter(title="Paziņojums par lēmumu").exists()


def test_a_refusal_needs_a_deficient_check_and_its_reasons(world):
    officer = world["users"]["registry_officer"]
    application = apply(world)
    services.application_check(
        actor=officer,
        application=application,
        results={k: ("meets", "") for k in ("standards", "programme", "premises", "resources")},
    )
    with pytest.raises(ApplicationError):
        services.application_decide(actor=officer, application=application, decision=decision(), grant=False)
    services.application_check(
        actor=officer,
        application=application,
        results={
            "standards": ("meets", ""),
            "programme": ("meets", ""),
            "premises": ("deficient", "Telpām nav higiēnas atzinuma."),
            "resources": ("meets", ""),
        },
    )
    before = _state()
    with pytest.raises(ValidationError):
        services.application_decide(actor=officer, application=application, decision=decision(), grant=False)
    assert _state() == before
    services.application_decide(
        actor=officer, application=application, decision=decision(justification="Telpas neatbilst."), grant=False
    )
    application.refresh_from_db()
    assert application.state == "refused" and application.decision.kind == "licence_refuse"
    assert application.decision.programme is None


def test_an_amendment_changes_the_licensed_programme(world):
    officer = world["users"]["registry_officer"]
    programme = world["programme_a"]
    application = apply(
        world, kind="amend", programme=programme, code=programme.code, name="Jauns nosaukums", form=programme.form
    )
    services.application_check(
        actor=officer,
        application=application,
        results={k: ("meets", "") for k in ("standards", "programme", "premises", "resources")},
    )
    services.application_decide(actor=officer, application=application, decision=decision(), grant=True)
    programme.refresh_from_db()
    application.refresh_from_db()
    assert programme.name == "Jauns nosaukums"
    assert application.decision.kind == "licence_amend"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "2101111"}, "code"),
        ({"name": " "}, "name"),
        ({"places": []}, "places"),
        ({"kind": "amend"}, "programme"),
        ({"submitted_on": TODAY() + dt.timedelta(days=1)}, "submitted_on"),
    ],
)
def test_bad_applications_are_refused_and_write_nothing(world, changes, field):
    before = _state()
    with pytest.raises(ValidationError) as caught:
        apply(world, **changes)
    assert field in caught.value.message_dict
    assert _state() == before


def test_only_the_institutions_head_or_founder_applies_and_only_officers_decide(world):
    u = world["users"]
    with pytest.raises(PermissionDeniedError):
        apply(world, actor=u["founder_ogre"])
    application = apply(world, actor=u["founder_riga"])
    with pytest.raises(PermissionDeniedError):
        services.application_check(actor=u["head_a1"], application=application, results={})
    with pytest.raises(PermissionDeniedError):
        services.application_decide(actor=u["quality_expert"], application=application, decision=decision(), grant=True)


def test_a_closed_application_takes_nothing_more(world):
    u = world["users"]
    application = apply(world)
    services.application_withdraw(actor=u["head_a1"], application=application, reason="Programmu nemainīsim.")
    with pytest.raises(ApplicationError):
        services.deficiencies_send(
            actor=u["registry_officer"], application=application, text="x", due_on=TODAY() + dt.timedelta(days=9)
        )


def test_the_decision_records_its_viis_entry_kind(world):
    """A licence records a new programme by default, or the kind the officer chose; an amendment an amendment of the
    entry; a kind that does not fit the decision is refused and nothing is written."""
    officer = world["users"]["registry_officer"]
    meets = {k: ("meets", "") for k in ("standards", "programme", "premises", "resources")}
    first = apply(world)
    services.application_check(actor=officer, application=first, results=meets)
    services.application_decide(actor=officer, application=first, decision=decision(), grant=True)
    first.refresh_from_db()
    assert first.decision.reason == LicenceEntryKind.NEW_PROGRAMME
    second = apply(world, code="21011111", name="Pamatizglītības programma")
    services.application_check(actor=officer, application=second, results=meets)
    before = _state()
    with pytest.raises(ValidationError):
        services.application_decide(
            actor=officer,
            application=second,
            decision=decision("2026/L-2"),
            grant=True,
            entry_kind=LicenceEntryKind.STUDY_PLAN_UPDATE,
        )
    assert _state() == before
    services.application_decide(
        actor=officer,
        application=second,
        decision=decision("2026/L-2"),
        grant=True,
        entry_kind=LicenceEntryKind.NEW_PLACE,
    )
    second.refresh_from_db()
    assert second.decision.reason == LicenceEntryKind.NEW_PLACE
    programme = world["programme_a"]
    amendment = apply(world, kind="amend", programme=programme, code=programme.code, name="Cits", form=programme.form)
    services.application_check(actor=officer, application=amendment, results=meets)
    services.application_decide(actor=officer, application=amendment, decision=decision("2026/L-3"), grant=True)
    amendment.refresh_from_db()
    assert amendment.decision.reason == LicenceEntryKind.AMENDMENT
