"""A school year is one type wherever a person types it: the form field (pages and forms), the API field and the
commands' argument type refuse the same inputs with the same message, and a page or a command given a wrong year
answers with it (never a 500, never another year in its place)."""

import argparse
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from rest_framework import serializers

from ikms.core.api import SchoolYearField
from ikms.core.forms import SchoolYearFormField
from ikms.core.school_year import SCHOOL_YEAR_ERROR, school_year_arg

EN = "Enter the school year as YYYY/YYYY, for example 2023/2024."
LV = "Ievadiet mācību gadu formā GGGG/GGGG, piemēram, 2023/2024."
BAD = ["2023/2025", "abc", "2023-2024", "2023/2023", "2023", "23/24", "2023/2024x"]


def _form_field_message(value: str) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        SchoolYearFormField().clean(value)
    return exc.value.messages


def _api_field_message(value: str) -> list[str]:
    with pytest.raises(serializers.ValidationError) as exc:
        SchoolYearField().run_validation(value)
    return [str(m) for m in exc.value.detail]


def _argument_message(value: str) -> str:
    with pytest.raises(argparse.ArgumentTypeError) as exc:
        school_year_arg(value)
    return str(exc.value)


@pytest.mark.parametrize("value", BAD)
def test_form_field_api_field_and_command_argument_refuse_alike(value):
    for language, text in (("en", EN), ("lv", LV)):
        with translation.override(language):
            assert str(SCHOOL_YEAR_ERROR) == text
            assert _form_field_message(value) == [text]
            assert _api_field_message(value) == [text]
    # a command prints its errors in both languages, whatever language is active
    with translation.override("en"):
        assert _argument_message(value) == f"{LV} / {EN}"


@pytest.mark.parametrize("value", ["2023/2024", " 2023/2024 "])
def test_a_school_year_is_cleaned_to_its_label_by_all_three(value):
    assert SchoolYearFormField().clean(value) == "2023/2024"
    assert SchoolYearField().run_validation(value) == "2023/2024"
    assert school_year_arg(value) == "2023/2024"


def test_left_out_is_blank_where_not_required_and_refused_where_required():
    assert SchoolYearFormField(required=False).clean("") == ""
    assert SchoolYearField().run_validation("") == ""
    with pytest.raises(ValidationError):
        SchoolYearFormField().clean("")


def test_form_field_with_years_accepts_only_those():
    field = SchoolYearFormField(years=["2022/2023", "2023/2024"], required=False)
    assert field.clean("2022/2023") == "2022/2023"
    assert [v for v, _label in field.widget.choices] == ["2023/2024", "2022/2023"]  # newest first
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            field.clean("2010/2011")
        assert exc.value.messages == ["Choose one of the school years listed; 2010/2011 is not one of them."]
        with pytest.raises(ValidationError) as exc:
            field.clean("2023/2025")
        assert exc.value.messages == [EN]


# --- pages ---------------------------------------------------------------------------------------------------


@pytest.fixture
def analyst(client, monitored):
    client.force_login(monitored["users"]["analyst"])
    return client


@pytest.mark.parametrize("path", ["/en/monitoring/valsts/", "/en/monitoring/riski/",
                                  "/en/monitoring/raditaji/learners_enrolled/", "/en/monitoring/kavejumi/iestades/"])
@pytest.mark.parametrize("year", ["garbage", "2023/2025"])
def test_a_monitoring_page_answers_a_wrong_year_with_the_message(analyst, path, year):
    response = analyst.get(path, {"year": year, "grain": "nation"})
    html = response.content.decode()
    assert response.status_code == 400
    assert EN in html and "There is a problem" in html
    assert 'name="grain" value="nation"' in html  # the page's other parameters are kept for the corrected request


def test_a_monitoring_page_answers_in_latvian_too(analyst):
    response = analyst.get("/monitoring/valsts/", {"year": "2023/2025"})
    assert response.status_code == 400 and LV in response.content.decode()


def test_a_year_without_results_is_not_replaced_by_another(analyst, monitored):
    a1 = monitored["a1"].registration_number
    response = analyst.get(f"/en/monitoring/iestades/{a1}/", {"year": "2010/2011"})
    assert response.status_code == 400
    assert "2010/2011 is not one of them" in response.content.decode()
    assert analyst.get(f"/en/monitoring/iestades/{a1}/", {"year": "2022/2023"}).status_code == 200


def test_an_export_with_a_wrong_year_is_refused_not_another_years_file(analyst):
    response = analyst.get("/en/monitoring/valsts/", {"year": "abc", "format": "csv"})
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")


def test_the_visit_plan_form_refuses_a_wrong_posted_year(client, monitored):
    client.force_login(monitored["users"]["quality_expert"])
    url = reverse("monitoring:visit-add", args=[monitored["a1"].registration_number])
    response = client.post(url, {"planned_date": "2030-01-01", "reason": "risk", "year": "2023/2025"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400


def test_register_pages_refuse_a_wrong_calendar_year(client, world):
    client.force_login(world["users"]["registry_officer"])
    with translation.override("en"):
        statistics = reverse("registry:statistics")
    assert client.get(statistics, {"year": "abc"}).status_code == 400
    assert client.get(statistics, {"year": "1800"}).status_code == 400
    assert client.get(statistics, {"year": "2024"}).status_code == 200


# --- commands ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2023/2025", "abc", "2023-2024"])
def test_compute_indicators_answers_a_wrong_year_with_the_message(value):
    with pytest.raises(CommandError) as exc:
        call_command("compute_indicators", "--year", value, stdout=io.StringIO())
    assert f"{LV} / {EN}" in str(exc.value)


@pytest.mark.django_db
def test_import_data_answers_a_wrong_year_with_the_message(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("x\n1\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("import_data", "absences", str(path), "--year", "2023/2025", stdout=io.StringIO())
    assert f"{LV} / {EN}" in str(exc.value)
