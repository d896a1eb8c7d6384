"""The accreditation experts register (issue 14 item 6): entries, unavailability and conflicts declared in
advance; the commission appointment (form and service) offers only experts who are free and without a conflict."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from ikms.accreditation import services
from ikms.accreditation.choices import CaseState
from ikms.accreditation.forms import AppointForm
from ikms.accreditation.models import CommissionMember, ExpertConflict, ExpertProfile, ExpertUnavailability
from ikms.accreditation.selectors import active_experts, evaluation_period, expert_register
from ikms.accreditation.testing import action_data, drive, experts, new_case
from ikms.core.audit import AuditEvent
from ikms.core.exceptions import PermissionDeniedError
from ikms.registry.models import InstitutionKind


@pytest.fixture(autouse=True)
def _latvian():
    with translation.override("lv"):
        yield


@pytest.fixture
def people(world):
    users = dict(world["users"])
    users.update(experts())
    users["head"] = users["head_a1"]
    users["ikvd"] = users["quality_expert"]
    return users


@pytest.fixture
def registered(world, people):
    return drive(new_case(institution=world["a1"], head=people["head"]), CaseState.REGISTERED, people)


def _named(user, first="Jānis", last="Bērziņš"):
    user.first_name, user.last_name = first, last
    user.save()
    return user


def test_appointment_refused_for_a_conflicted_expert_and_nothing_written(world, people, registered):
    member = _named(people["member"])
    services.expert_conflict_add(actor=member, expert=member, institution=world["a1"], kind="works")
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.case_transition(actor=people["ikvd"], case=registered, action="appoint",
                                 data=action_data(registered, "appoint", people))
    assert "Jānis Bērziņš — interešu konflikts: strādā šajā iestādē" in str(exc.value)
    assert not CommissionMember.objects.filter(case=registered).exists()
    registered.refresh_from_db()
    assert registered.state == CaseState.REGISTERED
    assert AuditEvent.objects.count() == events


def test_appointment_refused_for_an_unavailable_chair_in_english(world, people, registered):
    start, _end = evaluation_period(registered)
    chair = people["chair"]
    services.expert_unavailability_add(actor=chair, expert=chair, starts_on=start + datetime.timedelta(days=10),
                                       ends_on=start + datetime.timedelta(days=20), note="Komandējums")
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.case_transition(actor=people["ikvd"], case=registered, action="appoint",
                                 data=action_data(registered, "appoint", people))
    assert "cannot be appointed to this commission" in str(exc.value)
    assert "not available" in str(exc.value)
    assert not CommissionMember.objects.filter(case=registered).exists()


def test_unavailability_outside_the_period_and_conflicts_elsewhere_do_not_count(world, people, registered):
    _start, end = evaluation_period(registered)
    member = people["member"]
    services.expert_unavailability_add(actor=member, expert=member, starts_on=end + datetime.timedelta(days=1),
                                       ends_on=end + datetime.timedelta(days=30))
    services.expert_conflict_add(actor=member, expert=member, institution=world["b1"], kind="child")
    case = services.case_transition(actor=people["ikvd"], case=registered, action="appoint",
                                    data=action_data(registered, "appoint", people))
    assert case.state == CaseState.COMMISSION


def test_planned_evaluation_dates_are_the_period(registered):
    registered.visit_start = datetime.date(2025, 3, 1)
    registered.visit_end = datetime.date(2025, 3, 4)
    assert evaluation_period(registered) == (datetime.date(2025, 3, 1), datetime.date(2025, 3, 4))
    registered.visit_start = registered.visit_end = None
    assert evaluation_period(registered)[0] == registered.applied_on


def test_form_excludes_the_conflicted_expert_and_says_why(world, people, registered):
    member = _named(people["member"])
    services.expert_conflict_add(actor=member, expert=member, institution=world["a1"], kind="worked",
                                 until=datetime.date(2020, 6, 30))
    form = AppointForm(case=registered)
    assert member not in form.fields["experts"].queryset
    assert people["chair"] in form.fields["experts"].queryset
    [(name, why)] = form.not_offered
    assert name == "Jānis Bērziņš (exp-member)"
    assert why.startswith("interešu konflikts: strādāja šajā iestādē līdz")
    # A posted choice of the excluded expert is not valid.
    posted = AppointForm({"chair": people["chair"].pk, "experts": [member.pk]}, case=registered)
    assert not posted.is_valid()


def test_appointment_page_lists_the_experts_not_offered(client, world, people, registered):
    member = _named(people["member"])
    services.expert_conflict_add(actor=member, expert=member, institution=world["a1"], kind="works")
    client.force_login(people["ikvd"])
    html = client.get(reverse("accreditation:case-action", args=[registered.pk, "appoint"])).content.decode()
    assert "Jānis Bērziņš (exp-member) — interešu konflikts: strādā šajā iestādē" in html


def test_an_expert_edits_only_their_own_entry(client, people, world):
    member, chair = people["member"], people["chair"]
    with pytest.raises(PermissionDeniedError):
        services.expert_unavailability_add(actor=member, expert=chair, starts_on=datetime.date(2025, 1, 1),
                                           ends_on=datetime.date(2025, 1, 2))
    assert not ExpertUnavailability.objects.exists()
    client.force_login(member)
    assert client.get(reverse("accreditation:expert-detail", args=[chair.pk])).status_code == 403
    assert client.get(reverse("accreditation:expert-conflict", args=[chair.pk])).status_code == 403
    assert client.get(reverse("accreditation:expert-own")).url == reverse("accreditation:expert-detail",
                                                                          args=[member.pk])
    # The quality expert edits anyone's entry.
    services.expert_unavailability_add(actor=people["ikvd"], expert=chair, starts_on=datetime.date(2025, 1, 1),
                                       ends_on=datetime.date(2025, 1, 2))
    assert ExpertUnavailability.objects.filter(profile__user=chair).count() == 1
    # A registry officer reads the register but does not edit it.
    with pytest.raises(PermissionDeniedError):
        services.expert_training_add(actor=people["registry_officer"], expert=chair, course="Kurss", hours=8,
                                     completed_on=datetime.date(2024, 5, 1))


def test_expert_declares_a_conflict_on_the_page(client, people, world):
    member = people["member"]
    client.force_login(member)
    url = reverse("accreditation:expert-conflict", args=[member.pk])
    response = client.post(url, {"institution": world["a1"].pk, "kind": "worked"})
    assert response.status_code == 200
    assert "Ievadiet, līdz kuram datumam strādājāt šajā iestādē." in response.content.decode()
    assert not ExpertConflict.objects.exists()
    response = client.post(url, {"institution": world["a1"].pk, "kind": "works"})
    assert response.status_code == 302
    assert ExpertConflict.objects.get().institution == world["a1"]
    detail = client.get(reverse("accreditation:expert-detail", args=[member.pk])).content.decode()
    assert world["a1"].name in detail
    # The same institution twice: refused with a message.
    response = client.post(url, {"institution": world["a1"].pk, "kind": "child"})
    assert "Interešu konflikts ar šo iestādi jau ir deklarēts." in response.content.decode()


def test_profile_training_and_removal(client, people):
    member = people["member"]
    kind = InstitutionKind.objects.order_by("code").first()
    client.force_login(member)
    response = client.post(reverse("accreditation:expert-edit", args=[member.pk]),
                           {"qualifications": "Maģistra grāds izglītībā", "areas": [kind.pk],
                            "languages": ["lv", "ru"]})
    assert response.status_code == 302
    profile = ExpertProfile.objects.get(user=member)
    assert profile.languages == ["lv", "ru"] and list(profile.areas.all()) == [kind]
    future = timezone.localdate() + datetime.timedelta(days=3)
    response = client.post(reverse("accreditation:expert-training", args=[member.pk]),
                           {"course": "Ekspertu mācības", "hours": "16", "completed_on": future.isoformat()})
    assert "Kursu nevar pabeigt nākotnē." in response.content.decode()
    response = client.post(reverse("accreditation:expert-training", args=[member.pk]),
                           {"course": "Ekspertu mācības", "hours": "16", "completed_on": "2024-05-03"})
    assert response.status_code == 302
    training = profile.training.get()
    assert training.hours == 16
    # Removing is POST only, and only for whoever may edit the entry.
    remove = reverse("accreditation:expert-item-remove", args=[member.pk, "training", training.pk])
    assert client.get(remove).status_code == 405
    client.force_login(people["chair"])
    assert client.post(remove).status_code == 403
    client.force_login(member)
    assert client.post(remove).status_code == 302
    assert not profile.training.exists()


def test_register_list_and_filters(client, people):
    member, chair = people["member"], people["chair"]
    kind = InstitutionKind.objects.order_by("code").first()
    services.expert_profile_update(actor=member, expert=member, qualifications="", areas=[kind], languages=["ru"])
    services.expert_unavailability_add(actor=chair, expert=chair, starts_on=datetime.date(2025, 2, 1),
                                       ends_on=datetime.date(2025, 3, 15))
    assert [r.user for r in expert_register(language="ru")] == [member]
    assert [r.user for r in expert_register(area=kind)] == [member]
    on = [r.user for r in expert_register(available_on=datetime.date(2025, 2, 10))]
    assert member in on and chair not in on
    client.force_login(people["registry_officer"])
    html = client.get(reverse("accreditation:expert-list"), {"language": "ru"}).content.decode()
    assert "exp-member" in html and "exp-chair" not in html
    response = client.get(reverse("accreditation:expert-list"),
                          {"available_on_day": "10", "available_on_month": "2", "available_on_year": "2025"})
    assert "exp-chair" not in response.content.decode()
    client.force_login(member)
    assert client.get(reverse("accreditation:expert-list")).status_code == 302


def test_bad_input_has_messages_in_english(people):
    member = people["member"]
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.expert_unavailability_add(actor=member, expert=member, starts_on=datetime.date(2025, 3, 2),
                                           ends_on=datetime.date(2025, 3, 1))
    assert "The period cannot end before it starts." in str(exc.value)
    assert not ExpertUnavailability.objects.exists()
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.expert_conflict_add(actor=member, expert=member, institution=None, kind="other")
    assert "Describe the conflict of interest." in str(exc.value)


def test_demo_gives_every_expert_an_entry_and_the_appointment_form_says_who_is_not_offered(db, tmp_path, settings):
    import io

    from django.core.management import call_command

    from ikms.accreditation.models import Case

    settings.IKMS_LATENT_PATH = tmp_path / "none.parquet"
    call_command("generate_demo", scale=0.05, no_lake=True, stdout=io.StringIO())
    experts_now = active_experts()
    assert ExpertProfile.objects.filter(user__in=experts_now).count() == experts_now.count() > 0
    waiting = Case.objects.filter(state=CaseState.REGISTERED)
    assert waiting.exists()
    lines = [line for case in waiting for line in AppointForm(case=case).not_offered]
    assert any("interešu konflikts" in why for _name, why in lines)
    assert any("nav pieejams" in why for _name, why in lines)
