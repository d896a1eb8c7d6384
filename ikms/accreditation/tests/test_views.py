"""Pages: scoping (404 for cases that are not yours), the forms, the PDF, tasks checked against
monitoring data, reminders and analytics."""

import datetime
import shutil
import subprocess

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from ikms.accreditation import services
from ikms.accreditation.choices import CaseState
from ikms.accreditation.framework import framework
from ikms.accreditation.models import Task
from ikms.accreditation.selectors import task_counts_by_domain
from ikms.accreditation.testing import action_data, drive, experts, new_case


@pytest.fixture(autouse=True)
def _latvian():
    """reverse() follows the active language; a request to /en/ in an earlier test leaves English active."""
    from django.utils import translation

    with translation.override("lv"):
        yield


@pytest.fixture
def people(world):
    users = dict(world["users"])
    users.update(experts())
    users["head"] = users["head_a1"]
    users["ikvd"] = users["quality_expert"]
    return users


def _urls(case):
    return [reverse("accreditation:case-detail", args=[case.pk]),
            reverse("accreditation:case-rate", args=[case.pk]),
            reverse("accreditation:case-action", args=[case.pk, "draft"]),
            reverse("accreditation:case-report-pdf", args=[case.pk])]


def test_expert_sees_only_cases_they_are_appointed_to(client, world, people):
    case = drive(new_case(institution=world["a1"], head=people["head"]), CaseState.PLANNED, people)
    client.force_login(people["accreditation_expert"])  # an expert, not on this commission
    for url in _urls(case):
        assert client.get(url).status_code == 404, url
    assert case.institution.name not in client.get(reverse("accreditation:case-list")).content.decode()
    client.force_login(people["member"])
    assert client.get(_urls(case)[0]).status_code == 200
    assert client.get(_urls(case)[1]).status_code == 200  # rating is open in PLANNED
    assert client.get(_urls(case)[2]).status_code == 403  # drafting is the chair's
    assert case.institution.name in client.get(reverse("accreditation:case-list")).content.decode()
    client.force_login(people["founder_ogre"])
    assert client.get(_urls(case)[0]).status_code == 404
    client.force_login(people["founder_riga"])
    assert client.get(_urls(case)[0]).status_code == 200


def test_an_expert_loses_editing_when_the_state_moves_on(client, world, people):
    case = drive(new_case(institution=world["a1"], head=people["head"]), CaseState.DRAFT, people)
    client.force_login(people["member"])
    assert client.get(reverse("accreditation:case-rate", args=[case.pk])).status_code == 403
    response = client.post(reverse("accreditation:case-rate", args=[case.pk]), {})
    assert response.status_code == 403


def test_rating_form_saves_12_levels(client, world, people):
    case = drive(new_case(institution=world["a1"], head=people["head"]), CaseState.COMMISSION, people)
    case = services.case_transition(actor=people["chair"], case=case, action="plan",
                                    data=action_data(case, "plan", people))
    client.force_login(people["member"])
    post = {}
    for c in framework().criteria:
        key = c.code.replace(".", "_")
        post[f"level_{key}"], post[f"justification_{key}"] = "very_good", f"Pierādījumi {c.code}"
    post["justification_2_2"] = ""
    response = client.post(reverse("accreditation:case-rate", args=[case.pk]), post)
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert not case.ratings.exists()
    post["justification_2_2"] = "Pierādījumi 2.2"
    response = client.post(reverse("accreditation:case-rate", args=[case.pk]), post)
    assert response.status_code == 302
    assert case.ratings.filter(level="very_good", rated_by=people["member"]).count() == 12


def test_apply_form_and_english_page(client, world, people):
    client.force_login(people["head"])
    response = client.post(reverse("accreditation:case-apply"), {
        "institution": world["a1"].pk, "kind": "accreditation", "version": "mk325"})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    response = client.post(reverse("accreditation:case-apply"), {
        "institution": world["a1"].pk, "kind": "accreditation", "version": "mk325", "founder_agreed": "on"})
    assert response.status_code == 302
    assert client.get("/en" + response["Location"]).status_code == 200
    client.force_login(people["accreditation_expert"])
    assert client.get(reverse("accreditation:case-apply")).status_code == 403


def test_report_pdf_contains_each_criterions_level(client, world, people, tmp_path):
    assert shutil.which("pdftotext"), "pdftotext (Debian poppler-utils) is required; make test installs it"
    case = drive(new_case(institution=world["a1"], head=people["head"]), CaseState.COMMISSION, people)
    case = services.case_transition(actor=people["chair"], case=case, action="plan",
                                    data=action_data(case, "plan", people))
    levels = [lv.code for lv in framework().levels]
    ratings = {c.code: {"level": levels[i % 5], "justification": f"Pamatojums {c.code}"}
               for i, c in enumerate(framework().criteria)}
    case = services.case_transition(actor=people["member"], case=case, action="rate", data={"ratings": ratings})
    case = services.case_transition(actor=people["chair"], case=case, action="draft", data={"draft_report": "x"})
    case = services.case_transition(actor=people["head"], case=case, action="comment",
                                    data={"institution_comments": "Nav"})
    case = services.case_transition(actor=people["chair"], case=case, action="finalise",
                                    data={"report_public": "Publiskā daļa ģimnāzijā", "report_private": "Slepens"})
    client.force_login(people["head"])
    response = client.get(reverse("accreditation:case-report-pdf", args=[case.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf", response.headers
    assert response.headers.get("Content-Language") == "lv", response.headers
    path = tmp_path / "r.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Publiskā daļa ģimnāzijā" in text, text
    lines = text.splitlines()
    for i, c in enumerate(framework().criteria):
        level = framework().level(levels[i % 5]).name_lv
        assert any(c.code in line and level in line for line in lines), (c.code, level)


def _decided(world, people):
    return drive(new_case(institution=world["a1"], head=people["head"]), CaseState.DECIDED, people)


def test_task_confirmed_or_flagged_by_monitoring_data(client, world, people):
    from ikms.monitoring.testing import store_run

    case = _decided(world, people)
    task = services.task_create(actor=people["ikvd"], case=case, criterion="3.3",
                                description="Samazināt neattaisnotus kavējumus",
                                deadline=timezone.localdate() + datetime.timedelta(days=400),
                                indicator="learners_over_unexcused_lessons_threshold", target_operator="<=",
                                target_value=5, target_year="2024/2025")
    assert task.domain == "inclusive_environment"
    client.force_login(people["head"])
    page = client.get(reverse("accreditation:task-list")).content.decode()
    assert "Samazināt" in page
    services.task_update(actor=people["head"], task=task, status="done", evidence="Rīkojums Nr. 5")
    reg = world["a1"].registration_number
    store_run("2024/2025", [{"indicator": "learners_over_unexcused_lessons_threshold", "grain": "institution",
                             "unit": reg, "semester": s, "value": v, "numerator": v, "denominator": 120}
                            for s, v in ((1, 3), (2, 9))])
    from ikms.accreditation.selectors import task_rows

    row = task_rows([task])[0]
    assert row["confirmation"] == "not_confirmed" and row["value"] == 9 and row["flagged"]
    store_run("2024/2025", [{"indicator": "learners_over_unexcused_lessons_threshold", "grain": "institution",
                             "unit": reg, "semester": 2, "value": 4, "numerator": 4, "denominator": 120}],
              minutes_ago=1)
    row = task_rows([task])[0]
    assert row["confirmation"] == "confirmed" and not row["flagged"]
    assert "Apstiprināts ar datiem" in client.get(reverse("accreditation:task-list")).content.decode() or \
        "Confirmed by data" in client.get("/en" + reverse("accreditation:task-list")).content.decode()


def test_task_rules(world, people):
    case = drive(new_case(institution=world["a1"], head=people["head"]), CaseState.FINAL, people)
    with translation.override("en"), pytest.raises(Exception, match="decided"):
        services.task_create(actor=people["ikvd"], case=case, criterion="1.1", description="x",
                             deadline=timezone.localdate() + datetime.timedelta(days=90))
    case = services.case_transition(actor=people["ikvd"], case=case, action="decide",
                                    data=action_data(case, "decide", people))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.task_create(actor=people["ikvd"], case=case, criterion="1.1", description="x",
                             deadline=timezone.localdate() + datetime.timedelta(days=90), indicator="learners_enrolled")
    task = services.task_create(actor=people["ikvd"], case=case, criterion="1.1", description="x",
                                deadline=datetime.date(2030, 1, 1))
    with pytest.raises(ValidationError):  # done needs evidence
        services.task_update(actor=people["head"], task=task, status="done")
    from ikms.core.exceptions import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        services.task_update(actor=people["head"], task=task, status="cancelled")
    with pytest.raises(PermissionDeniedError):
        services.task_update(actor=people["founder_ogre"], task=task, status="done", evidence="x")
    assert task_counts_by_domain(year_from=2020, year_to=2030)["relevance"] == 1


def test_send_reminders(world, people):
    from ikms.accounts.models import User

    User.objects.filter(pk=people["head"].pk).update(email="head@example.lv")
    case = _decided(world, people)
    today = timezone.localdate()
    services.task_create(actor=people["ikvd"], case=case, criterion="2.1", description="Stundu vērošana",
                         deadline=today + datetime.timedelta(days=10))
    services.task_create(actor=people["ikvd"], case=case, criterion="2.2", description="Vēlāk",
                         deadline=today + datetime.timedelta(days=200))
    mail.outbox.clear()
    call_command("send_reminders")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["head@example.lv"]
    assert "Stundu vērošana" in mail.outbox[0].body
    call_command("send_reminders")  # not again the same week
    assert len(mail.outbox) == 1
    # the accreditation term (6 years from today) is reminded 150 days before it ends
    acc_end = case.decision.accreditation.valid_until
    call_command("send_reminders", today=(acc_end - datetime.timedelta(days=150)).isoformat())
    assert any("Akreditācija beidzas" in m.subject for m in mail.outbox)
    assert Task.objects.filter(reminded_on__isnull=False).count() == 1


def test_analytics_page(client, world, people):
    _decided(world, people)
    client.force_login(people["analyst"])
    page = client.get(reverse("accreditation:analytics")).content.decode()
    assert "exp-chair" in page and "Labi" in page
    client.force_login(people["head"])
    assert client.get(reverse("accreditation:analytics")).status_code == 403


def test_head_evaluation_decided_in_the_browser_form(client, world, people):
    case = drive(new_case(institution=world["a1"], head=people["head"], kind="head", version="mk618"),
                 CaseState.FINAL, people, level="needs_improvement")
    client.force_login(people["quality_expert"])
    url = reverse("accreditation:case-action", args=[case.pk, "decide"])
    response = client.post(url, {"date": timezone.localdate().isoformat()})
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.state == "decided" and case.head_outcome == "must_improve" and case.decision is None
    page = client.get(reverse("accreditation:case-detail", args=[case.pk])).content.decode()
    assert 'id="timeline"' in page and page.count("<li>") >= 10


def test_accreditation_decided_in_the_form_writes_the_register(client, world, people):
    from ikms.registry.models import Accreditation

    case = drive(new_case(institution=world["a1"], head=people["head"]), CaseState.FINAL, people)
    client.force_login(people["quality_expert"])
    url = reverse("accreditation:case-action", args=[case.pk, "decide"])
    page = client.get(url).content.decode()
    assert 'value="6"' in page  # the rule's proposal is pre-filled
    today = timezone.localdate()
    response = client.post(url, {"outcome": "accredit", "years": "6", "number": "AK-77", "date": today.isoformat(),
                                 "legal_basis": "MK 325"})
    assert response.status_code == 302
    acc = Accreditation.objects.filter(institution=world["a1"]).latest("valid_from", "id")
    assert acc.decision.number == "AK-77" and acc.valid_until.year == today.year + 6
