"""The self-evaluation report (domain.md §2.1): head writes → founder agrees or returns → head
publishes; scoping (404 for reports that are not yours, 403 for steps you may not take), validation,
the audit trail and the public part on the school's public profile."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from ikms.accreditation import services
from ikms.accreditation.forms import field_key
from ikms.accreditation.framework import framework, self_evaluation
from ikms.accreditation.models import SelfEvaluationReport
from ikms.accreditation.selectors import published_self_evaluation, self_evaluation_visible_to
from ikms.core.audit import audit_events_for
from ikms.core.exceptions import PermissionDeniedError

PUBLIC_TEXT = "Publiski redzamais prioritāšu teksts"
PRIVATE_TEXT = "Slepenais kritēriju izvērtējuma teksts"
JUSTIFICATION = "Pamatojums ar datiem"


@pytest.fixture(autouse=True)
def _latvian():
    with translation.override("lv"):
        yield


def _sections() -> dict:
    spec = self_evaluation()
    return {s.code: (PUBLIC_TEXT if s.public else PRIVATE_TEXT) + f" ({s.code})" for s in spec.sections}


def _ratings(level: str = "good") -> dict:
    return {c.code: {"level": level, "justification": f"{JUSTIFICATION} {c.code}"} for c in framework().criteria}


GOALS = [{"goal": "Mazināt kavējumus", "measure": "Ilgstoši neattaisnoti kavētāji, %", "target": "< 2 %",
          "deadline": "2026-06-30"}]


def _complete(world, year: str = "2024/2025") -> SelfEvaluationReport:
    return services.self_evaluation_create(actor=world["users"]["head_a1"], institution=world["a1"],
                                           school_year=year, sections=_sections(), self_ratings=_ratings(),
                                           goals=GOALS)


def _post_data(report=None, **extra) -> dict:
    data = {f"section_{code}": text for code, text in _sections().items()}
    for code, row in _ratings().items():
        data[f"level_{field_key(code)}"] = row["level"]
        data[f"justification_{field_key(code)}"] = row["justification"]
    for part, value in GOALS[0].items():
        data[f"goal_0_{part}"] = value
    data.update(extra)
    return data


def test_whole_flow_through_the_pages(client, world):
    head, founder = world["users"]["head_a1"], world["users"]["founder_riga"]
    client.force_login(head)
    assert client.get(reverse("accreditation:self-evaluation-create")).status_code == 200
    response = client.post(reverse("accreditation:self-evaluation-create"),
                           _post_data(institution=world["a1"].pk, school_year="2024/2025"))
    report = SelfEvaluationReport.objects.get(institution=world["a1"], school_year="2024/2025")
    assert response.status_code == 302
    assert report.state == "draft" and len(report.self_ratings) == 12 and report.goals == GOALS
    detail = reverse("accreditation:self-evaluation-detail", args=[report.pk])
    assert PRIVATE_TEXT in client.get(detail).content.decode()

    assert client.post(reverse("accreditation:self-evaluation-submit", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.state == "submitted"
    # the head can no longer edit, and may not review
    assert client.get(reverse("accreditation:self-evaluation-edit", args=[report.pk])).status_code == 403
    assert client.get(reverse("accreditation:self-evaluation-review", args=[report.pk])).status_code == 403

    client.force_login(founder)
    review = reverse("accreditation:self-evaluation-review", args=[report.pk])
    assert client.get(review).status_code == 200
    response = client.post(review, {"decision": "return", "comment": ""})
    assert response.status_code == 200  # a return needs a comment
    report.refresh_from_db()
    assert report.state == "submitted"
    client.post(review, {"decision": "return", "comment": "Papildiniet mērķus"})
    report.refresh_from_db()
    assert report.state == "returned" and report.founder_comment == "Papildiniet mērķus"

    client.force_login(head)  # a returned report can be edited again and resubmitted
    edit = reverse("accreditation:self-evaluation-edit", args=[report.pk])
    assert "Papildiniet mērķus" in client.get(edit).content.decode()
    client.post(edit, _post_data(goal_1_goal="Paaugstināt eksāmenu rezultātus", goal_1_measure="Vidējais %",
                                 goal_1_target="60 %", goal_1_deadline="2027-06-30"))
    report.refresh_from_db()
    assert len(report.goals) == 2
    client.post(reverse("accreditation:self-evaluation-submit", args=[report.pk]))
    assert client.get(reverse("accreditation:self-evaluation-publish", args=[report.pk])).status_code == 403

    client.force_login(founder)
    client.post(review, {"decision": "agree", "comment": ""})
    report.refresh_from_db()
    assert report.state == "agreed"

    client.force_login(head)
    client.post(reverse("accreditation:self-evaluation-publish", args=[report.pk]))
    report.refresh_from_db()
    assert report.state == "published" and report.published_at is not None

    actions = list(audit_events_for(target=report).order_by("at", "id").values_list("action", flat=True))
    assert actions == ["self_evaluation.create", "self_evaluation.submit", "self_evaluation.return",
                       "self_evaluation.update", "self_evaluation.submit", "self_evaluation.agree",
                       "self_evaluation.publish"]
    event = audit_events_for(target=report).get(action="self_evaluation.return")
    assert event.data["comment"] == "Papildiniet mērķus" and event.institution_id_ref == world["a1"].pk
    assert event.actor == founder


def test_forbidden_steps_per_role(client, world):
    users = world["users"]
    report = _complete(world)
    urls = {name: reverse(f"accreditation:self-evaluation-{name}", args=[report.pk])
            for name in ("detail", "edit", "submit", "review", "publish")}
    for role in ("founder_ogre", "accreditation_expert", "no_role"):
        client.force_login(users[role])
        for url in urls.values():
            assert client.get(url).status_code == 404, (role, url)
        assert report not in self_evaluation_visible_to(users[role])
    client.force_login(users["quality_expert"])  # IKVD reads, but changes nothing
    assert client.get(urls["detail"]).status_code == 200
    for name in ("edit", "submit", "review", "publish"):
        assert client.get(urls[name]).status_code == 403, name
        assert client.post(urls[name], {"decision": "agree"}).status_code == 403, name
    client.force_login(users["founder_riga"])  # the founder may not edit or submit the head's report
    assert client.get(urls["edit"]).status_code == 403
    assert client.get(urls["submit"]).status_code == 403
    assert client.get(reverse("accreditation:self-evaluation-create")).status_code == 403
    with pytest.raises(PermissionDeniedError):
        services.self_evaluation_submit(actor=users["founder_riga"], report=report)
    with pytest.raises(PermissionDeniedError):
        services.self_evaluation_agree(actor=users["founder_riga"], report=report)  # not submitted yet
    services.self_evaluation_submit(actor=users["head_a1"], report=report)
    with pytest.raises(PermissionDeniedError):
        services.self_evaluation_agree(actor=users["founder_ogre"], report=report)
    with pytest.raises(PermissionDeniedError):
        services.self_evaluation_agree(actor=users["head_a1"], report=report)
    with pytest.raises(PermissionDeniedError):
        services.self_evaluation_update(actor=users["head_a1"], report=report, sections={})
    with pytest.raises(PermissionDeniedError):
        services.self_evaluation_publish(actor=users["head_a1"], report=report)  # not agreed yet
    with pytest.raises(PermissionDeniedError):
        services.self_evaluation_create(actor=users["founder_riga"], institution=world["a1"], school_year="2023/2024")


def test_list_shows_only_visible_reports(client, world):
    users = world["users"]
    _complete(world)
    for role, sees in (("head_a1", True), ("founder_riga", True), ("analyst", True), ("founder_ogre", False)):
        client.force_login(users[role])
        page = client.get(reverse("accreditation:self-evaluation-list"))
        assert page.status_code == 200
        assert (world["a1"].name in page.content.decode()) is sees, role
    for role in ("accreditation_expert", "no_role"):
        client.force_login(users[role])
        assert client.get(reverse("accreditation:self-evaluation-list")).status_code == 403


def test_validation_errors(world):
    head = world["users"]["head_a1"]
    with pytest.raises(ValidationError) as exc:
        services.self_evaluation_create(actor=head, institution=world["a1"], school_year="2024/2026")
    assert "school_year" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.self_evaluation_create(
            actor=head, institution=world["a1"], school_year="2024/2025", sections={"nope": "x"},
            self_ratings={"2.1": {"level": "good", "justification": ""}, "9.9": {"level": "good"},
                          "1.1": {"level": "brilliant", "justification": "x"}},
            goals=[{"goal": "Mērķis bez mēra"}, {"goal": "a", "measure": "b", "target": "c", "deadline": "rīt"}])
    errors = exc.value.message_dict
    assert set(errors) == {"sections", "self_ratings", "goals"}
    assert len(errors["self_ratings"]) == 3 and len(errors["goals"]) == 2
    assert not SelfEvaluationReport.objects.exists()  # nothing half-written

    report = services.self_evaluation_create(actor=head, institution=world["a1"], school_year="2024/2025",
                                             sections={"general": "Tikai ievads"})
    with pytest.raises(ValidationError) as exc:
        services.self_evaluation_submit(actor=head, report=report)  # incomplete
    assert set(exc.value.message_dict) == {"sections", "self_ratings", "goals"}
    report.refresh_from_db()
    assert report.state == "draft"
    with pytest.raises(ValidationError) as exc:
        services.self_evaluation_create(actor=head, institution=world["a1"], school_year="2024/2025")
    assert "school_year" in exc.value.message_dict  # one report per year
    services.self_evaluation_update(actor=head, report=report, sections=_sections(), self_ratings=_ratings(),
                                    goals=GOALS)
    services.self_evaluation_submit(actor=head, report=report)
    with pytest.raises(ValidationError) as exc:
        services.self_evaluation_return(actor=world["users"]["founder_riga"], report=report, comment="  ")
    assert "comment" in exc.value.message_dict
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            services.self_evaluation_create(actor=head, institution=world["a1"], school_year="2025")
        assert exc.value.message_dict["school_year"] == [
            "Enter the school year as YYYY/YYYY, for example 2023/2024."]  # ikms.core.school_year, as everywhere


def _publish(world, report):
    users = world["users"]
    services.self_evaluation_submit(actor=users["head_a1"], report=report)
    services.self_evaluation_agree(actor=users["founder_riga"], report=report)
    return services.self_evaluation_publish(actor=users["head_a1"], report=report)


def test_public_profile_shows_only_the_published_public_part(client, world):
    profile = reverse("portal:profile", args=[world["a1"].registration_number])
    report = _complete(world)
    services.self_evaluation_submit(actor=world["users"]["head_a1"], report=report)
    services.self_evaluation_agree(actor=world["users"]["founder_riga"], report=report)
    assert published_self_evaluation(world["a1"]) is None  # agreed is not yet published
    assert PUBLIC_TEXT not in client.get(profile).content.decode()

    services.self_evaluation_publish(actor=world["users"]["head_a1"], report=report)
    # a newer report that is not published stays off the profile
    services.self_evaluation_create(actor=world["users"]["head_a1"], institution=world["a1"], school_year="2025/2026",
                                    sections={"priorities": "Nepublicēta melnraksta prioritātes"})
    page = client.get(profile).content.decode()
    assert client.get(profile).status_code == 200
    assert "2024/2025" in page and PUBLIC_TEXT in page
    assert GOALS[0]["goal"] in page
    assert PRIVATE_TEXT not in page and JUSTIFICATION not in page
    assert "Nepublicēta melnraksta prioritātes" not in page
    public = published_self_evaluation(world["a1"])
    assert {s["code"] for s in public["sections"]} == {s.code for s in self_evaluation().public_sections}
    assert public["ratings"] == []
    other = client.get(reverse("portal:profile", args=[world["b1"].registration_number])).content.decode()
    assert PUBLIC_TEXT not in other


def test_latest_published_report_wins(world):
    old = _complete(world, "2023/2024")
    _publish(world, old)
    new = services.self_evaluation_create(actor=world["users"]["head_a1"], institution=world["a1"],
                                          school_year="2024/2025", sections={**_sections(), "priorities": "Jaunās"},
                                          self_ratings=_ratings(), goals=GOALS)
    _publish(world, new)
    texts = {s["code"]: s["text"] for s in published_self_evaluation(world["a1"])["sections"]}
    assert texts["priorities"] == "Jaunās"


def test_form_shows_service_errors(client, world):
    report = services.self_evaluation_create(actor=world["users"]["head_a1"], institution=world["a1"],
                                             school_year="2024/2025")
    client.force_login(world["users"]["head_a1"])
    edit = reverse("accreditation:self-evaluation-edit", args=[report.pk])
    page = client.post(edit, {"level_2_1": "good", "justification_2_1": "", "goal_0_goal": "Tikai mērķis"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "govuk-error-summary" in html and "2.1" in html
    report.refresh_from_db()
    assert report.self_ratings == {} and report.goals == []
    with translation.override("en"):
        page = client.get(reverse("accreditation:self-evaluation-detail", args=[report.pk])).content.decode()
    assert "Self-rating of the criteria (non-public part)" in page
