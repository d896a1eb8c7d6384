"""The register of child supervision providers changes only through its services: an application, then recorded
decisions (number, date, legal basis, justification, reason) with audit events and row history; incomplete or
impossible decisions are refused with a message in Latvian and English, and nothing is written."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from reversion.models import Version

from ikms.accounts.testing import make_user
from ikms.childcare import selectors, services
from ikms.childcare.choices import ProviderKind, ProviderStatus, RefusalReason, RemovalReason, ServiceType
from ikms.childcare.models import Provider, ProviderDecision
from ikms.childcare.testing import apply, decision, personal_code, registered
from ikms.core.exceptions import ApplicationError, PermissionDeniedError
from ikms.core.models import AuditEvent
from ikms.core.personal_codes import personal_code_digest, personal_code_digits
from ikms.registry.models import Municipality
from ikms.registry.services import PlaceInput


def _nothing_written(before: tuple[int, int, int]) -> bool:
    return (Provider.objects.count(), ProviderDecision.objects.count(), AuditEvent.objects.count()) == before


def _counts() -> tuple[int, int, int]:
    return Provider.objects.count(), ProviderDecision.objects.count(), AuditEvent.objects.count()


def test_an_application_keeps_the_personal_code_only_as_its_keyed_hash(world, officer):
    code = personal_code()
    provider = apply(actor=officer, code=code)
    assert provider.status == ProviderStatus.APPLICATION and provider.registration_number == ""
    assert provider.personal_code_digest == personal_code_digest(code)
    digits = personal_code_digits(code)
    row = Provider.objects.filter(pk=provider.pk).values().get()
    assert not any(digits in str(v) for v in row.values())
    events = AuditEvent.objects.filter(action="childcare.apply")
    assert events.count() == 1 and digits not in str(events.get().data)
    assert not selectors.provider_public_list().filter(pk=provider.pk).exists()  # an application is not public


def test_one_person_has_one_open_entry(world, officer):
    code = personal_code()
    apply(actor=officer, code=code)
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        apply(actor=officer, code=code.replace("-", ""))  # the same code typed without the hyphen
    assert "personal_code" in caught.value.message_dict
    assert _nothing_written(before)


@pytest.mark.parametrize(
    ("kind", "code", "field"),
    [
        (ProviderKind.NATURAL, "123", "personal_code"),
        (ProviderKind.NATURAL, "010190-10002", "personal_code"),  # wrong check digit
        (ProviderKind.LEGAL, "4010312", "registration_code"),
    ],
)
def test_a_wrong_identity_code_is_refused(world, officer, kind, code, field):
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        apply(actor=officer, kind=kind, code=code)
    assert field in caught.value.message_dict
    assert _nothing_written(before)


def test_registration_assigns_the_years_next_number_and_records_the_decision(world, officer):
    first = registered(actor=officer, day=datetime.date(2024, 3, 1))
    second = registered(actor=officer, day=datetime.date(2024, 4, 2), kind=ProviderKind.LEGAL, name="SIA “Pūcīte”")
    assert (first.registration_number, second.registration_number) == ("BU-2024-0001", "BU-2024-0002")
    assert first.status == ProviderStatus.REGISTERED and first.registered_on == datetime.date(2024, 3, 1)
    d = first.decisions.get()
    assert d.kind == "register" and d.decided_by == officer and d.justification
    assert set(AuditEvent.objects.filter(target_id=str(first.pk)).values_list("action", flat=True)) >= {
        "childcare.apply",
        "childcare.register",
    }
    assert AuditEvent.objects.filter(action="childcare.decision", target_id=str(d.pk)).exists()
    comments = {v.revision.comment for v in Version.objects.get_for_object(first)}
    assert d.number in comments  # the row history carries the decision number
    assert selectors.provider_public_get(registration_number="BU-2024-0001") == first


@pytest.mark.parametrize(
    ("overrides", "field", "messages"),
    [
        (
            {"date": "future"},
            "date",
            ("Lēmuma datums nevar būt nākotnē.", "The decision date cannot be in the future."),
        ),
        (
            {"justification": " "},
            "justification",
            ("Ievadiet lēmuma pamatojumu.", "Enter the justification of the decision."),
        ),
        (
            {"legal_basis": ""},
            "legal_basis",
            ("Ievadiet lēmuma tiesisko pamatojumu.", "Enter the legal basis of the decision."),
        ),
        (
            {"date": datetime.date(2024, 1, 5)},
            "date",
            (
                "Lēmuma datums nevar būt agrāks par iesnieguma saņemšanu.",
                "The decision date cannot be before the application was received.",
            ),
        ),
    ],
)
def test_an_incomplete_decision_is_refused_in_both_languages_and_nothing_is_written(
    world, officer, overrides, field, messages
):
    lv, en = messages
    provider = apply(actor=officer, applied_on=datetime.date(2024, 2, 1))
    if overrides.get("date") == "future":
        overrides = {"date": timezone.localdate() + datetime.timedelta(days=1)}
    before = _counts()
    for language, message in (("lv", lv), ("en", en)):
        with translation.override(language), pytest.raises(ValidationError) as caught:
            services.provider_register(actor=officer, decision=decision(**overrides), provider=provider)
        assert caught.value.message_dict[field] == [message]
    assert _nothing_written(before)
    provider.refresh_from_db()
    assert provider.status == ProviderStatus.APPLICATION and provider.registration_number == ""


def test_a_refusal_needs_its_reason_and_keeps_the_entry_out_of_the_public_register(world, officer):
    provider = apply(actor=officer)
    before = _counts()
    with translation.override("lv"), pytest.raises(ValidationError) as caught:
        services.provider_refuse(actor=officer, decision=decision(), provider=provider, reason="")
    assert caught.value.message_dict["reason"] == ["Izvēlieties lēmuma iemeslu."]
    assert _nothing_written(before)
    d = services.provider_refuse(
        actor=officer, decision=decision(), provider=provider, reason=RefusalReason.REQUIREMENTS
    )
    provider.refresh_from_db()
    assert provider.status == ProviderStatus.REFUSED and d.reason_label
    assert not selectors.provider_public_list().filter(pk=provider.pk).exists()
    with pytest.raises(ApplicationError):
        services.provider_register(actor=officer, decision=decision(), provider=provider)
    # refused: the person may apply again
    assert apply(actor=officer, code="").status == ProviderStatus.APPLICATION


def test_an_amendment_records_what_it_changed_and_one_changing_nothing_is_refused(world, officer):
    provider = registered(actor=officer)
    riga, ogre = Municipality.objects.get(code="LV-RIX"), Municipality.objects.get(code="LV-067")
    same = [PlaceInput(address=a.address, municipality=a.municipality) for a in provider.addresses.all()]
    before = _counts()
    with pytest.raises(ApplicationError):
        services.provider_amend(
            actor=officer,
            decision=decision(),
            provider=provider,
            name=provider.name,
            service_type=provider.service_type,
            places=same,
        )
    assert _nothing_written(before)
    d = services.provider_amend(
        actor=officer,
        decision=decision(datetime.date(2024, 6, 3)),
        provider=provider,
        name="Anna Ozola",
        service_type=ServiceType.FULL_TIME,
        places=[*same, PlaceInput(address="Brīvības iela 5, Ogre", municipality=ogre)],
    )
    provider.refresh_from_db()
    assert provider.name == "Anna Ozola" and provider.addresses.count() == 2
    with translation.override("lv"):
        words = {c.label: (c.old, c.new) for c in selectors.decision_changes(d)}
    assert words["Vārds, uzvārds vai nosaukums"] == ("Anna Bērziņa", "Anna Ozola")
    assert words["Pakalpojums"][1] == "Pilna laika (vairāk nekā 4 stundas dienā)"
    assert "Brīvības iela 5, Ogre (Ogres novads)" in words["Pakalpojuma adreses"][1]
    assert riga.name_lv in words["Pakalpojuma adreses"][0]


def test_removal_keeps_the_entry_public_as_removed(world, officer):
    provider = registered(actor=officer)
    with pytest.raises(ValidationError) as caught:
        services.provider_remove(
            actor=officer, decision=decision(datetime.date(2024, 2, 10)), provider=provider, reason=RemovalReason.CEASED
        )  # before the registration (1 March)
    assert "date" in caught.value.message_dict
    services.provider_remove(
        actor=officer, decision=decision(datetime.date(2024, 9, 1)), provider=provider, reason=RemovalReason.CEASED
    )
    provider.refresh_from_db()
    assert provider.status == ProviderStatus.REMOVED and provider.removed_on == datetime.date(2024, 9, 1)
    assert selectors.provider_public_list().filter(pk=provider.pk).exists()
    with pytest.raises(ApplicationError):
        services.provider_amend(actor=officer, decision=decision(), provider=provider, name="Cits")


def test_a_decision_number_is_used_once(world, officer):
    provider = registered(actor=officer)
    number = provider.decisions.get().number
    other = apply(actor=officer)
    with pytest.raises(ValidationError) as caught:
        services.provider_register(actor=officer, decision=decision(number=number), provider=other)
    assert "number" in caught.value.message_dict


@pytest.mark.parametrize("role", ["analyst", "supervision_inspector", "founder_riga", "no_role"])
def test_only_registry_officers_and_administrators_write(world, officer, role):
    provider = apply(actor=officer)
    before = _counts()
    with pytest.raises(PermissionDeniedError):
        services.provider_register(actor=world["users"][role], decision=decision(), provider=provider)
    with pytest.raises(PermissionDeniedError):
        apply(actor=world["users"][role])
    assert _nothing_written(before)
    admin = make_user(None, username="plain")
    with pytest.raises(PermissionDeniedError):
        apply(actor=admin)


def test_the_year_is_counted_as_table_4(world, officer):
    a = registered(actor=officer, day=datetime.date(2024, 3, 1))
    registered(actor=officer, day=datetime.date(2023, 12, 30), applied_on=datetime.date(2023, 12, 1))
    b = registered(actor=officer, day=datetime.date(2024, 4, 1), kind=ProviderKind.LEGAL, name="SIA “Rūķīši”")
    services.provider_refuse(
        actor=officer,
        decision=decision(datetime.date(2024, 5, 1)),
        provider=apply(actor=officer),
        reason=RefusalReason.DOCUMENTS,
    )
    services.provider_amend(actor=officer, decision=decision(datetime.date(2024, 6, 1)), provider=a, name="Anna Liepa")
    services.provider_remove(
        actor=officer, decision=decision(datetime.date(2024, 7, 1)), provider=b, reason=RemovalReason.LIQUIDATED
    )
    assert selectors.decision_counts(year=2024) == {"removed": 1, "amended": 1, "registered": 2, "refused": 1}
    assert selectors.decision_counts(year=2024, provider_kind=ProviderKind.LEGAL) == {
        "removed": 1,
        "amended": 0,
        "registered": 1,
        "refused": 0,
    }
    assert selectors.decision_counts(year=2023)["registered"] == 1
    assert selectors.decision_years() == [2024, 2023]


def test_staff_find_a_person_by_the_personal_code(world, officer):
    code = personal_code()
    provider = registered(actor=officer, code=code)
    registered(actor=officer)
    found = selectors.provider_filter(Provider.objects.all(), personal_code=code.replace("-", ""))
    assert list(found) == [provider]
    assert list(selectors.provider_filter(Provider.objects.all(), q=provider.registration_number)) == [provider]
    assert list(selectors.provider_filter(Provider.objects.all(), q="liepu iela", municipality="LV-RIX").distinct())
