"""Forms a user can fill in: every accreditation form in GOV.UK markup, "(optional)" only on fields that are
optional in every case, dates as GOV.UK date inputs with messages that give an example, the only school chosen
already, the rating form saying what each level means, and the case list's status column called status."""

import datetime
import re

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone, translation

from ikms.accreditation import forms as f
from ikms.accreditation import services
from ikms.accreditation.choices import CaseState
from ikms.accreditation.framework import FrameworkError, framework, parse
from ikms.accreditation.models import SelfEvaluationReport
from ikms.accreditation.selectors import institutions_for_self_evaluation
from ikms.accreditation.testing import action_data, drive, experts, new_case
from ikms.core.forms import GovukDateField, GovukForm

OPTIONAL = "(neobligāts)"


@pytest.fixture(autouse=True)
def _latvian():
    with translation.override("lv"):
        yield


@pytest.fixture
def people(world):
    users = dict(world["users"])
    users.update(experts())
    users["head"], users["ikvd"] = users["head_a1"], users["quality_expert"]
    return users


class DateForm(GovukForm):
    day = GovukDateField(label="Datums")


# --- the date input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("parts", "expected"), [
    (("27", "3", "2025"), datetime.date(2025, 3, 27)),
    (("01", "12", "2030"), datetime.date(2030, 12, 1)),
    ((" 29", "2 ", "2024"), datetime.date(2024, 2, 29)),
])
def test_the_date_input_accepts_a_real_date(parts, expected):
    form = DateForm(dict(zip(("day_day", "day_month", "day_year"), parts, strict=True)))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == expected


@pytest.mark.parametrize(("language", "parts", "message"), [
    ("lv", ("31", "2", "2025"), "Tāda datuma nav. Ievadiet datumu, piemēram, 27.03.2025."),
    ("en", ("31", "2", "2025"), "There is no such date. Enter a date, for example 27 3 2025"),
    ("lv", ("29", "2", "2025"), "Tāda datuma nav. Ievadiet datumu, piemēram, 27.03.2025."),
    ("lv", ("27", "13", "2025"), "Tāda datuma nav. Ievadiet datumu, piemēram, 27.03.2025."),
    ("lv", ("27", "3", "25"), "Tāda datuma nav. Ievadiet datumu, piemēram, 27.03.2025."),
    ("lv", ("27", "marts", "2025"), "Tāda datuma nav. Ievadiet datumu, piemēram, 27.03.2025."),
    ("lv", ("27", "", "2025"), "Ievadiet datuma dienu, mēnesi un gadu, piemēram, 27.03.2025."),
    ("en", ("", "3", "2025"), "Enter the day, the month and the year of the date, for example 27 3 2025"),
    ("lv", ("", "", ""), "Ievadiet datumu, piemēram, 27.03.2025."),
    ("en", ("", "", ""), "Enter a date, for example 27 3 2025"),
])
def test_the_date_input_refuses_a_date_that_is_missing_or_does_not_exist(language, parts, message):
    with translation.override(language):
        form = DateForm(dict(zip(("day_day", "day_month", "day_year"), parts, strict=True)))
        assert not form.is_valid()
        assert form.errors["day"] == [message]


def test_the_date_input_reads_one_value_too():
    """A script (or an older page) posting the date as one value under the field's own name."""
    for value in ("2025-03-27", "27.03.2025"):
        form = DateForm({"day": value})
        assert form.is_valid() and form.cleaned_data["day"] == datetime.date(2025, 3, 27)
    assert not DateForm({"day": "2025-02-31"}).is_valid()


def test_the_date_input_is_three_boxes_in_a_fieldset():
    html = str(DateForm(initial={"day": datetime.date(2025, 3, 27)})["day"].as_field_group())
    assert '<fieldset class="govuk-fieldset"' in html and "govuk-fieldset__legend" in html
    assert 'class="govuk-date-input"' in html
    for part, value, width in (("day", "27", 2), ("month", "3", 2), ("year", "2025", 4)):
        tag = re.search(rf'<input[^>]*name="day_{part}"[^>]*>', html).group(0)
        assert f'id="id_day_{part}"' in tag and f'value="{value}"' in tag and 'inputmode="numeric"' in tag
        assert f"govuk-date-input__input govuk-input--width-{width}" in tag
    assert "Diena" in html and "Mēnesis" in html and "Gads" in html
    form = DateForm({"day_day": "31", "day_month": "2", "day_year": "2025"})
    html = form.render()
    assert 'href="#id_day_day"' in html  # the error summary links to the first box
    assert html.count("govuk-input--error") == 3 and "govuk-form-group--error" in html
    assert 'aria-describedby="id_day_error"' in html  # on the fieldset


# --- every form in GOV.UK markup; "(optional)" only where optional ------------------------------------------


def _forms(world, people) -> list[forms.Form]:
    case = drive(new_case(institution=world["a1"], head=people["head"]), CaseState.FINAL, people)
    criteria = list(framework().criteria)
    return [
        f.ApplyForm(institutions=institutions_for_self_evaluation(people["head"])),
        f.WithdrawForm(), f.AppointForm(), f.DeclareForm(), f.PlanForm(),
        f.RatingForm(criteria=criteria, ratings={r.criterion: r for r in case.ratings.all()}),
        f.SelfRatingForm(criteria=criteria, current={}),
        f.DraftForm(), f.CommentForm(), f.FinaliseForm(), f.DecideForm(), f.HeadDecideForm(),
        f.TaskForm(criteria=criteria), f.TaskUpdateForm(),
        f.SelfEvaluationForm(institutions=institutions_for_self_evaluation(people["head"])),
        f.SelfEvaluationReviewForm(),
    ]


CONTROL = re.compile(r"<(input|select|textarea)\b[^>]*>")


def test_every_form_is_govuk_markup_and_optional_only_where_it_is(world, people):
    for form in _forms(world, people):
        for name in form.fields:
            bound = form[name]
            html = str(bound.as_field_group())
            where = f"{type(form).__name__}.{name}"
            assert html.startswith('<div class="govuk-form-group'), where
            controls = CONTROL.findall(html)
            assert controls, where
            for tag in re.finditer(CONTROL, html):
                classes = re.search(r'class="([^"]*)"', tag.group(0))
                assert classes and classes.group(1).startswith("govuk-"), (where, tag.group(0))
            optional = not bound.field.required and not getattr(bound.field, "conditional", False)
            if isinstance(bound.field.widget, forms.CheckboxInput):
                optional = False  # a tick box is answered by ticking it or not
            assert (OPTIONAL in html) is optional, (where, bound.field.required)
            if bound.field.widget.use_fieldset:
                assert "<legend" in html, where


def test_fields_needed_only_in_some_cases_say_when_and_are_checked(world, people):
    # the evidence of a task: needed when it is reported done (no "(optional)"; its hint says when)
    html = str(f.TaskUpdateForm()["evidence"].as_field_group())
    assert OPTIONAL not in html and "Vajadzīgs, ja uzdevums tiek atzīmēts kā izpildīts." in html
    # a truly optional field keeps its mark
    assert OPTIONAL in str(f.ApplyForm(institutions=institutions_for_self_evaluation(people["head"]))[
        "head_goals"].as_field_group())
    # a linked indicator needs its target: each missing part has its message
    form = f.TaskForm({"criterion": "2.1", "description": "x", "deadline_day": "1", "deadline_month": "9",
                       "deadline_year": "2030", "responsible": "institution",
                       "indicator": "learners_over_unexcused_lessons_threshold"}, criteria=framework().criteria)
    assert not form.is_valid()
    assert form.errors["target_value"] == ["Norādiet rādītāja sasniedzamo vērtību."]
    assert set(form.errors) == {"target_operator", "target_value", "target_year"}
    # a required field says what to do, in the page's language
    form = f.RatingForm({}, criteria=[framework().criterion("2.1")], ratings={})
    assert not form.is_valid()
    assert form.errors["level_2_1"] == ["Izvēlieties līmeni kritērijam 2.1."]
    assert form.errors["justification_2_1"] == ["Pamatojiet kritērija 2.1 līmeni ar pierādījumiem."]
    with translation.override("en"):
        form = f.RatingForm({}, criteria=[framework().criterion("2.1")], ratings={})
        assert form.errors["level_2_1"] == ["Choose a level for 2.1."]


def test_a_head_cannot_choose_to_cancel_a_task_and_done_needs_evidence(client, world, people):
    case = drive(new_case(institution=world["a1"], head=people["head"]), CaseState.DECIDED, people)
    task = services.task_create(actor=people["ikvd"], case=case, criterion="2.1", description="Stundu vērošana",
                                deadline=timezone.localdate() + datetime.timedelta(days=90))
    url = reverse("accreditation:task-update", args=[task.pk])
    client.force_login(people["head"])
    html = client.get(url).content.decode()
    assert 'value="done"' in html and 'value="cancelled"' not in html
    html = client.post(url, {"status": "done", "evidence": ""}).content.decode()
    assert "govuk-error-summary" in html and "Aprakstiet pierādījumus" in html
    task.refresh_from_db()
    assert task.status == "open"
    client.force_login(people["ikvd"])
    assert 'value="cancelled"' in client.get(url).content.decode()


# --- one choice: chosen already ----------------------------------------------------------------------------


def _select(html: str, name: str) -> str:
    return re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)


def test_a_head_of_one_school_has_it_chosen_already(client, world, people):
    client.force_login(people["head"])
    for url in (reverse("accreditation:case-apply"), reverse("accreditation:self-evaluation-create")):
        select = _select(client.get(url).content.decode(), "institution")
        assert "---------" not in select and select.count("<option") == 1, url
        assert f'<option value="{world["a1"].pk}" selected>' in select, url
    client.force_login(people["founder_riga"])  # two schools: the founder chooses
    select = _select(client.get(reverse("accreditation:case-apply")).content.decode(), "institution")
    assert "---------" in select and select.count("<option") == 3 and "selected" not in select.split("</option>")[1]


def test_any_required_choice_with_one_option_is_chosen_already():
    class OneChoice(GovukForm):
        kind = forms.ChoiceField(label="Veids", choices=[("", "—"), ("only", "Vienīgais")])
        other = forms.ChoiceField(label="Cits", choices=[("a", "A"), ("b", "B")])
        optional = forms.ChoiceField(label="Neobligāts", required=False, choices=[("", "—"), ("x", "X")])

    html = OneChoice().render()
    assert _select(html, "kind").count("<option") == 1 and 'value="only" selected' in html
    assert "selected" not in _select(html, "other") and _select(html, "optional").count("<option") == 2
    assert OneChoice({"kind": "only", "other": "a"}).is_valid()


# --- the rating form says what each level means ---------------------------------------------------------------


def _planned(world, people):
    case = drive(new_case(institution=world["a1"], head=people["head"]), CaseState.COMMISSION, people)
    return services.case_transition(actor=people["chair"], case=case, action="plan",
                                    data=action_data(case, "plan", people))


def test_the_rating_form_shows_each_levels_descriptor(client, world, people):
    case = _planned(world, people)
    client.force_login(people["member"])
    url, self_evaluation = reverse("accreditation:case-rate", args=[case.pk]), reverse(
        "accreditation:self-evaluation-create")
    html = client.get(url).content.decode()
    assert html.count('class="govuk-hint govuk-radios__hint"') == 12 * len(framework().levels)
    for level in framework().levels:
        assert level.description_lv and html.count(level.description_lv) == 12, level.code
    hint = re.search(r'<input[^>]*name="level_2_1"[^>]*value="good"[^>]*>', html).group(0)
    assert 'aria-describedby="id_level_2_1_2_hint"' in hint and 'class="govuk-radios__input"' in hint
    english = client.get("/en" + url).content.decode()
    assert all(level.description_en in english for level in framework().levels)
    # the self-rating (the institution's) shows them as well
    client.force_login(people["head"])
    assert framework().level("good").description_lv in client.get(self_evaluation).content.decode()


def test_a_criterion_may_describe_a_level_in_its_own_words():
    import yaml

    from ikms.accreditation.framework import PATH

    data = yaml.safe_load(PATH.read_text(encoding="utf-8"))
    data["domains"][1]["criteria"][0]["descriptors"] = {"good": {"lv": "Stundas ir labas", "en": "Lessons are good"}}
    fw = parse(data)
    criterion, good, low = fw.criterion("2.1"), fw.level("good"), fw.level("insufficient")
    assert criterion.descriptor(good) == "Stundas ir labas" and criterion.descriptor(low) == low.description_lv
    with translation.override("en"):
        assert criterion.descriptor(good) == "Lessons are good"
    assert fw.criterion("2.2").descriptor(good) == good.description_lv
    data["domains"][1]["criteria"][0]["descriptors"] = {"brilliant": {"lv": "x", "en": "x"}}
    with pytest.raises(FrameworkError, match="brilliant"):
        parse(data)


def test_the_rating_form_in_the_browser_flow_saves_and_shows_errors_in_place(client, world, people):
    case = _planned(world, people)
    client.force_login(people["member"])
    url = reverse("accreditation:case-rate", args=[case.pk])
    html = client.post(url, {"level_1_1": "good"}).content.decode()
    assert "govuk-error-summary" in html and 'href="#id_level_1_2_0"' in html
    assert 'href="#id_justification_1_1"' in html and 'value="good" class="govuk-radios__input"' in html
    assert "checked" in re.search(r'<input[^>]*name="level_1_1"[^>]*value="good"[^>]*>', html).group(0)


# --- the case list's status column ---------------------------------------------------------------------------


def test_the_case_list_calls_the_case_state_status(client, world, people):
    new_case(institution=world["a1"], head=people["head"])
    client.force_login(people["ikvd"])
    html = client.get(reverse("accreditation:case-list")).content.decode()
    headers = re.findall(r'<th scope="col" class="govuk-table__header">([^<]*)</th>', html)
    assert headers[-1] == "Statuss" and "Valsts" not in headers
    assert '<label class="govuk-label" for="id_state">Statuss</label>' in html
    english = client.get("/en" + reverse("accreditation:case-list")).content.decode()
    assert re.findall(r'<th scope="col" class="govuk-table__header">([^<]*)</th>', english)[-1] == "Status"
    client.force_login(people["head"])
    html = client.get(reverse("accreditation:self-evaluation-list")).content.decode()
    assert "Valsts" not in re.findall(r'<th scope="col" class="govuk-table__header">([^<]*)</th>', html)


# --- the self-evaluation goals' deadlines ----------------------------------------------------------------------


def test_goal_deadlines_are_date_inputs_stored_as_dates(client, world, people):
    client.force_login(people["head"])
    create = reverse("accreditation:self-evaluation-create")
    base = {"institution": world["a1"].pk, "school_year": "2024/2025", "goal_0_goal": "Mazināt kavējumus",
            "goal_0_measure": "Kavētāji, %", "goal_0_target": "< 2 %"}
    html = client.post(create, {**base, "goal_0_deadline_day": "31", "goal_0_deadline_month": "2",
                                "goal_0_deadline_year": "2026"}).content.decode()
    assert "Tāda datuma nav. Ievadiet datumu, piemēram, 27.03.2025." in html
    assert 'href="#id_goal_0_deadline_day"' in html
    assert not SelfEvaluationReport.objects.exists()
    html = client.post(create, {**base}).content.decode()
    assert "1. mērķis: norādiet termiņu, piemēram, 27.03.2025." in html
    response = client.post(create, {**base, "goal_0_deadline_day": "30", "goal_0_deadline_month": "6",
                                    "goal_0_deadline_year": "2026"})
    assert response.status_code == 302
    report = SelfEvaluationReport.objects.get()
    assert report.goals == [{"goal": "Mazināt kavējumus", "measure": "Kavētāji, %", "target": "< 2 %",
                             "deadline": "2026-06-30"}]
    edit = client.get(reverse("accreditation:self-evaluation-edit", args=[report.pk])).content.decode()
    for part, value in (("day", "30"), ("month", "6"), ("year", "2026")):
        assert re.search(rf'<input[^>]*name="goal_0_deadline_{part}"[^>]*value="{value}"', edit), part
    detail = client.get(reverse("accreditation:self-evaluation-detail", args=[report.pk])).content.decode()
    assert "30.06.2026" in detail and "2026-06-30" not in detail


def test_a_goal_or_a_rating_given_in_part_says_what_is_missing(client, world, people):
    client.force_login(people["head"])
    html = client.post(reverse("accreditation:self-evaluation-create"), {
        "institution": world["a1"].pk, "school_year": "2024/2025", "goal_1_goal": "Tikai mērķis",
        "level_2_1": "good", "justification_3_1": "Pamatojums bez līmeņa"}).content.decode()
    for message in ("2. mērķis: norādiet tā mēru vai rādītāju.", "2. mērķis: norādiet sasniedzamo vērtību.",
                    "2. mērķis: norādiet termiņu, piemēram, 27.03.2025.", "Pamatojiet kritērija 2.1 pašvērtējumu.",
                    "Izvēlieties līmeni kritērijam 3.1."):
        assert message in html, message
    assert OPTIONAL not in html  # a draft may be saved in part, but nothing in the report is optional
    assert not SelfEvaluationReport.objects.exists()


def test_plan_and_decision_dates_are_date_inputs(client, world, people):
    case = drive(new_case(institution=world["a1"], head=people["head"]), CaseState.COMMISSION, people)
    client.force_login(people["chair"])
    url = reverse("accreditation:case-action", args=[case.pk, "plan"])
    html = client.get(url).content.decode()
    assert 'name="visit_start_day"' in html and 'name="methods" value="interviews"' in html
    assert 'name="unified_school"' in html
    assert 'type="checkbox"' in html and "Ctrl" not in html  # checkboxes, not a Ctrl-click list
    response = client.post(url, {"mode": "remote", "methods": ["interviews"], "visit_start_day": "2",
                                 "visit_start_month": "3", "visit_start_year": "2026", "visit_end_day": "4",
                                 "visit_end_month": "3", "visit_end_year": "2026", "day_plan": "Intervijas",
                                 "unified_school": "on"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.visit_start == datetime.date(2026, 3, 2) and case.visit_end == datetime.date(2026, 3, 4)
    assert case.unified_school  # the box "the transition to the unified school" was ticked
