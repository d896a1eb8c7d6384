"""The design capacity of an institution (issue 15 item 1): a register attribute changed only by an amendment
decision, kept in the row history, undone by revoking the decision, and refused with a clear message when it
is not a whole number of learners."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from reversion.models import Version

from ikms.registry import services
from ikms.registry.choices import AmendmentReason
from ikms.registry.models import Decision
from ikms.registry.testing import decision_input, municipal_founder, register_institution

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(officer):
    return register_institution(actor=officer, founder=municipal_founder("LV-067"), name="Ogres 1. pamatskola")


def test_capacity_is_recorded_by_a_decision_and_undone_by_revoking_it(officer, school):
    decision = services.institution_amend(actor=officer, decision=decision_input(), institution=school,
                                          reason=AmendmentReason.CAPACITY, values={"capacity": 450})
    school.refresh_from_db()
    assert school.capacity == 450
    assert decision.changes == {"capacity": {"old": None, "new": 450}}
    assert Version.objects.get_for_object(school).first().field_dict["capacity"] == 450
    services.decision_revoke(actor=officer, decision=decision_input(), target=decision)
    school.refresh_from_db()
    assert school.capacity is None  # back to "not recorded"


@pytest.mark.parametrize("bad", [0, -5, 5001, "450", 12.5, True])
def test_a_bad_capacity_is_refused_and_nothing_is_written(officer, school, bad):
    decisions = Decision.objects.count()
    for language, text in (("lv", "vietu skaitam jābūt veselam"), ("en", "The design capacity must be a whole number")):
        with translation.override(language), pytest.raises(ValidationError) as caught:
            services.institution_amend(actor=officer, decision=decision_input(),
                                       institution=school, reason=AmendmentReason.CAPACITY,
                                       values={"capacity": bad})
        assert text in " ".join(caught.value.message_dict["capacity"])
    school.refresh_from_db()
    assert school.capacity is None and Decision.objects.count() == decisions


def test_the_capacity_change_reads_in_the_history_and_the_amend_form(client, officer, school):
    from django.urls import reverse

    from ikms.registry import history

    decision = services.institution_amend(actor=officer, decision=decision_input(), institution=school,
                                          reason=AmendmentReason.CAPACITY, values={"capacity": 320})
    with translation.override("en"):
        assert [str(c) for c in history.decision_changes(decision)] == ["Design capacity: — → 320"]
    with translation.override("lv"):
        assert [str(c) for c in history.decision_changes(decision)] == ["Projektētais vietu skaits: — → 320"]
        client.force_login(officer)
        url = reverse("registry:institution-decide", args=[school.pk, "amend"])
        form = client.get(url).content.decode()
        assert 'name="capacity"' in form and 'value="320"' in form
        # a capacity that is not a whole number is the form's error; nothing is recorded
        before = Decision.objects.count()
        page = client.post(url, {"reason": "capacity", "name": school.name, "type": school.type_id,
                                 "founder": school.founder_id, "municipality": school.municipality_id,
                                 "address": school.address, "capacity": "daudz", "number": "K-9",
                                 "date_day": "1", "date_month": "3", "date_year": "2024",
                                 "legal_basis": "Izglītības likuma 24. pants"})
        assert page.status_code == 200 and Decision.objects.count() == before
