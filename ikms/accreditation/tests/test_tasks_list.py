"""The task list: every task the user sees, paged (50 a page), filtered by status, institution, deadline passed and
"closed but not confirmed by the data"; the counts are over all matching tasks, not the page shown; a head with
no tasks is told where tasks come from."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from ikms.accreditation.choices import CaseState
from ikms.accreditation.selectors import task_list, task_unconfirmed_ids, task_visible_to
from ikms.accreditation.testing import bulk_tasks, drive, experts, new_case
from ikms.monitoring.testing import store_run

INDICATOR = "learners_over_unexcused_lessons_threshold"
YEAR = "2024/2025"
N_TASKS = 320
#: The tasks closed but not confirmed by the data: all of them beyond the first page (by deadline).
UNCONFIRMED_AT = (60, 130, 250, 300, 319)
#: Closed and confirmed, closed with no data of the year, and open (not closed) although the data miss the target.
CONFIRMED_AT, NO_DATA_AT, OPEN_MISSED_AT = (10, 200), (20,), (30, 270)


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


def _spec(i: int, today: datetime.date) -> dict:
    spec = {"deadline": today + datetime.timedelta(days=i - 100), "description": f"Uzdevums Nr. {i:03d}"}
    linked = {"indicator": INDICATOR, "target_operator": "<=", "target_year": YEAR}
    if i in UNCONFIRMED_AT or i in OPEN_MISSED_AT:
        spec.update(linked, target_value=5.0)  # the data say 9
    elif i in CONFIRMED_AT:
        spec.update(linked, target_value=10.0)
    elif i in NO_DATA_AT:
        spec.update(linked, target_value=5.0, target_year="2030/2031")
    if i not in OPEN_MISSED_AT and (i in UNCONFIRMED_AT or i in CONFIRMED_AT or i in NO_DATA_AT or i % 7 == 0):
        spec.update(status="done", evidence="Rīkojums")
    return spec


@pytest.fixture
def many(world, people):
    """320 tasks of a1's decided case, by deadline: task i is due today + (i - 100) days."""
    case = drive(new_case(institution=world["a1"], head=people["head"]), CaseState.DECIDED, people)
    today = timezone.localdate()
    tasks = bulk_tasks(case, [_spec(i, today) for i in range(N_TASKS)])
    store_run(YEAR, [{"indicator": INDICATOR, "grain": "institution", "unit": world["a1"].registration_number,
                      "semester": s, "value": v, "numerator": v, "denominator": 120} for s, v in ((1, 2), (2, 9))])
    return tasks


def _page(client, **params):
    response = client.get(reverse("accreditation:task-list"), params)
    assert response.status_code == 200
    return response


def test_counts_are_over_all_rows_not_the_page(client, people, many):
    client.force_login(people["ikvd"])
    response = _page(client)
    page = response.context["page_obj"]
    assert page.paginator.count == N_TASKS and page.paginator.num_pages == 7 and len(page.object_list) == 50
    assert response.context["total"] == N_TASKS
    # none of the unconfirmed tasks is on the first page, and all five are counted
    assert not any(row["flagged"] for row in page.object_list)
    assert response.context["flagged"] == len(UNCONFIRMED_AT)
    html = response.content.decode()
    assert "320 uzdevumu" in html and "5 slēgti, bet dati neapstiprina" in html
    assert 'class="govuk-pagination"' in html and "Lapa 1 no 7" in html


def test_every_page_is_reached_and_the_flags_are_where_the_data_say(client, people, many):
    client.force_login(people["ikvd"])
    seen, flagged = [], []
    for number in range(1, 8):
        rows = _page(client, page=number).context["rows"]
        seen += [row["task"].pk for row in rows]
        flagged += [row["task"].description for row in rows if row["flagged"]]
    assert seen == [t.pk for t in many]  # by deadline, each once
    assert flagged == [f"Uzdevums Nr. {i:03d}" for i in UNCONFIRMED_AT]
    last = _page(client, page=7)
    assert len(last.context["rows"]) == 20 and "Lapa 7 no 7" in last.content.decode()
    assert _page(client, page="nav").context["page_obj"].number == 1


def test_filter_closed_but_not_confirmed_over_all_rows(client, people, many):
    client.force_login(people["ikvd"])
    response = _page(client, unconfirmed="on")
    assert response.context["total"] == len(UNCONFIRMED_AT) == response.context["flagged"]
    assert [row["task"].description for row in response.context["rows"]] == [
        f"Uzdevums Nr. {i:03d}" for i in UNCONFIRMED_AT]
    assert all(row["flagged"] for row in response.context["rows"])
    html = response.content.decode()
    assert "5 uzdevumi" in html and 'name="unconfirmed"' in html and "checked" in html
    # combined with another filter: those whose deadline has passed (i < 100)
    response = _page(client, unconfirmed="on", deadline_passed="on")
    assert [row["task"].description for row in response.context["rows"]] == ["Uzdevums Nr. 060"]


def test_status_and_deadline_filters_count_all_matching_rows(client, people, many):
    client.force_login(people["ikvd"])
    done = sum(1 for t in many if t.status == "done")
    response = _page(client, status="done")
    assert response.context["total"] == done and response.context["flagged"] == len(UNCONFIRMED_AT)
    response = _page(client, status="open")
    assert response.context["total"] == N_TASKS - done and response.context["flagged"] == 0
    response = _page(client, deadline_passed="on")
    assert response.context["total"] == 100  # due before today: i = 0..99
    assert response.context["flagged"] == 1  # task 60
    response = _page(client, status="nezināms")
    assert response.context["total"] == N_TASKS and "govuk-error-message" in response.content.decode()


def test_institution_filter_for_staff_and_founders_not_for_a_one_school_head(client, world, people, many):
    ogre = {**people, "head": people["founder_ogre"]}
    case_b1 = drive(new_case(institution=world["b1"], head=ogre["head"]), CaseState.DECIDED, ogre)
    bulk_tasks(case_b1, [{"deadline": timezone.localdate(), "description": "Ogres uzdevums"}])
    client.force_login(people["ikvd"])
    assert 'name="institution"' in _page(client).content.decode()
    response = _page(client, institution="ogres testa")  # case and diacritics ignored
    assert [row["task"].description for row in response.context["rows"]] == ["Ogres uzdevums"]
    response = _page(client, institution=world["a1"].registration_number)
    assert response.context["total"] == N_TASKS
    client.force_login(people["head"])
    response = _page(client, institution="ogres")  # a head of one school has no such filter: ignored
    assert 'name="institution"' not in response.content.decode()
    assert response.context["total"] == N_TASKS


def test_a_head_with_no_tasks_is_told_where_tasks_come_from(client, people):
    client.force_login(people["head"])
    html = _page(client).content.decode()
    assert "0 uzdevumu" not in html
    assert 'id="no-tasks"' in html and "IKVD uzdevumus nosaka" in html
    html = client.get("/en" + reverse("accreditation:task-list")).content.decode()
    assert "IKVD sets tasks in its decision" in html


def test_filters_that_match_nothing_say_so(client, people, many):
    client.force_login(people["head"])
    response = _page(client, status="cancelled")
    html = response.content.decode()
    assert response.context["total"] == 0 and "Filtriem neatbilst neviens uzdevums." in html
    assert 'id="no-tasks"' not in html


def test_the_unconfirmed_count_is_one_batched_read(world, people, many, django_assert_max_num_queries):
    """The confirmation of every candidate (done and linked) is read in one pass: the queries do not grow with
    the number of tasks."""
    tasks = task_visible_to(people["ikvd"])
    with django_assert_max_num_queries(4):
        ids = task_unconfirmed_ids(tasks)
    assert sorted(ids) == sorted(many[i].pk for i in UNCONFIRMED_AT)
    found = task_list(people["ikvd"], unconfirmed=True)
    assert found.unconfirmed == len(UNCONFIRMED_AT) and found.tasks.count() == len(UNCONFIRMED_AT)


def test_the_page_queries_do_not_grow_with_the_rows(client, people, many, django_assert_max_num_queries):
    client.force_login(people["ikvd"])
    _page(client)  # warm the session and the caches
    with django_assert_max_num_queries(30):
        _page(client)
