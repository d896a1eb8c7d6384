"""Every page and its API twin agree, for every role and resource (issue 11).

What a role sees on a page, the API gives it; what it cannot see is a 404 in both. For each role × resource:

* **Lists** (`test_lists_agree`): the keys of the objects the pages show equal the keys the API lists (all pages
  of both followed; both may be empty). A page that refuses (403, or the login redirect) goes with an API that
  refuses (401/403), and the other way round.
* **Details** (`test_details_agree`): for every object of the world, the page detail and the API detail answer the
  same: 200 for an object in the role's list, 404 for one it cannot see. Where the role may not use the area at
  all (its list is refused in both channels), a refusal in both is the pair (page 403/404, API 401/403/404):
  the answer is the same for every object, so it tells nothing about any. The rule for **anonymous**: the page
  sends it to the login page (302 to /accounts/login/), the API refuses (401/403), for lists and details alike;
  public resources answer anonymous callers as anyone else.

Keys are read from what the response carries: the view's context where it passes objects (`page_obj`,
`entries`, `cases`...), otherwise the rendered HTML (the dashboards, the risk list and the flags build their
tables lazily in cached template fragments, so the HTML is what the user sees). A resource whose page side is
made of one page per object (a flag is shown on its institution's monitoring page, a programme on its
institution's register page) reads every such page of the world.

The world is built once per module (`agreement_world`), through the services, inside a transaction rolled back at
the end; it has no unordered-query assumptions (sets, not lists, except the ranked risk list, ordered by score and
name on both sides), so it runs on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import unquote, urlencode, urlsplit

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tests.test_url_auth import ROLES

#: Resources (or halves of them) without an API twin: the page side is asserted alone (its list and its detail
#: pages agree), so the gap stays visible. Name → why.
NO_API_TWIN = {
    "accreditation_cases": "no accreditation API (ikms/accreditation has no api.py): case list ↔ case detail only",
    "accreditation_tasks": "no accreditation API: task list ↔ task page (the form that is its detail) only",
    "self_evaluations": "no accreditation API: self-evaluation list ↔ report page only",
    "decisions (detail)": "/api/v1/decisions/ has no detail route: the decision page is checked against the list",
    "programmes (detail)": "/api/v1/programmes/ has no detail route: the programme page is checked against the list",
    "programmes (list page)": "the staff register has no programme list page: the programme tables of the "
                              "institution pages stand in",
    "public_institutions (detail)": "/api/v1/public/institutions/ has no detail route: the public register page "
                                    "is checked against the list",
    "public_programmes (detail)": "neither side has a public programme detail",
    "public_profiles (self-evaluation)": "the public profile page shows the published self-evaluation report's "
                                         "public part; the public profile API has no field for it",
}
#: API resources without a page twin: the API is asserted alone (its list and its detail agree).
NO_PAGE_TWIN = {
    "runs": "no page lists computation runs; the pages show the current run in their 'data as of' line "
            "(test_runs_the_pages_name_are_in_the_api)",
    "visit_plan (detail)": "no visit detail page (the status page is the planners' form): the API detail is "
                           "checked against the plan page's list",
    "risk_flags (detail)": "no flag page: a flag's page twin is its institution's monitoring page",
}

IKVD = ["ikvd_admin", "registry_officer", "quality_expert", "supervision_inspector", "analyst"]
YEARS = ("2022/2023", "2023/2024")
LOGIN = "/accounts/login/"


# --- the world ----------------------------------------------------------------------------------------------


def _values(year: str, units: dict[str, tuple[str, int]], municipalities: list[str]) -> list[dict]:
    """Indicator values of known shape: per institution (grain institution) and per area."""
    rows = []
    areas = [(m, "municipality") for m in municipalities] + [("LV", "nation")]
    for unit, grain in [(u, "institution") for u in units] + areas:
        n = units[unit][1] if unit in units else 100
        rows += [{"indicator": "learners_enrolled", "grain": grain, "unit": unit, "value": n, "numerator": n,
                  "denominator": n},
                 {"indicator": "average_class_size", "grain": grain, "unit": unit, "value": n / 5, "numerator": n,
                  "denominator": 5}]
        rows += [{"indicator": "learners_over_unexcused_lessons_threshold", "grain": grain, "unit": unit,
                  "semester": s, "value": 1, "numerator": 1, "denominator": n} for s in (1, 2)]
        if units.get(unit, ("secondary",))[0] == "secondary":
            rows.append({"indicator": "exam_mean_score", "grain": grain, "unit": unit, "category": "MAT",
                         "value": 50.0, "numerator": 1000, "denominator": 20})
    rows += [{"indicator": "out_of_school_children", "grain": grain, "unit": unit, "category": "no_information",
              "value": 3, "numerator": 3, "denominator": None, "suppressed": False} for unit, grain in areas]
    return rows


@dataclass
class World:
    users: dict
    institutions: dict  # name → Institution
    objects: dict = field(default_factory=dict)  # free-form: runs, flags, cases...


def _build_world() -> World:
    from ikms.accounts.roles import Role
    from ikms.accounts.testing import make_user
    from ikms.accreditation import services as accreditation
    from ikms.accreditation.framework import framework, self_evaluation
    from ikms.accreditation.testing import drive, new_case
    from ikms.monitoring.services import visit_plan_add
    from ikms.monitoring.testing import store_run
    from ikms.registry import services as registry
    from ikms.registry.choices import DecisionKind
    from ikms.registry.models import InstitutionType, Municipality
    from ikms.registry.reference_data import ensure_classifiers
    from ikms.registry.testing import decision_input, license_programme, municipal_founder, register_institution

    ensure_classifiers()
    officer = make_user(Role.REGISTRY_OFFICER, username="agree-officer")
    riga, ogre = municipal_founder("LV-RIX"), municipal_founder("LV-067")
    a1 = register_institution(actor=officer, founder=riga, name="Rīgas Saskaņas vidusskola")
    a2 = register_institution(actor=officer, founder=riga, type_code="preschool", name="Rīgas PII “Zīle”")
    b1 = register_institution(actor=officer, founder=ogre, name="Ogres Saskaņas vidusskola")
    b2 = register_institution(actor=officer, founder=ogre, name="Ogres Slēgtā vidusskola")
    # an application (not public, not monitored) of Riga's, and b2 liquidated (public, monitored, licence lapsed)
    x = registry.institution_application_record(
        actor=officer, decision=decision_input(dt.date(2024, 2, 1)), kind=DecisionKind.POSTPONE,
        registration_number="4099999999", name="Rīgas Pieteiktā skola",
        type=InstitutionType.objects.get(code="secondary"), founder=riga,
        municipality=Municipality.objects.get(code="LV-RIX"), address="Pieteikuma iela 1, Rīga",
        head_name="Jānis Pieteicējs").institution
    programmes = {"a1": license_programme(actor=officer, institution=a1),
                  "a1_2": license_programme(actor=officer, institution=a1, code="31011011"),
                  "b1": license_programme(actor=officer, institution=b1),
                  "b2": license_programme(actor=officer, institution=b2)}
    registry.institution_strike_off(actor=officer, decision=decision_input(dt.date(2024, 6, 30)), institution=b2)

    users = {
        "anonymous": None,
        "ikvd_admin": make_user(Role.IKVD_ADMIN, username="agree-admin"),
        "registry_officer": officer,
        "quality_expert": make_user(Role.QUALITY_EXPERT, username="agree-quality"),
        "supervision_inspector": make_user(Role.SUPERVISION_INSPECTOR, username="agree-inspector"),
        "analyst": make_user(Role.ANALYST, username="agree-analyst"),
        "accreditation_expert": make_user(Role.ACCREDITATION_EXPERT, username="agree-expert"),
        "founder_riga": make_user(Role.FOUNDER, username="agree-founder-riga", founder=riga),
        "founder_ogre": make_user(Role.FOUNDER, username="agree-founder-ogre", founder=ogre),
        "head_a1": make_user(Role.INSTITUTION_HEAD, username="agree-head-a1", institution=a1),
        "no_role": make_user(None, username="agree-norole"),
        "conviction_commission": make_user(Role.CONVICTION_COMMISSION, username="agree-commission"),
        "conviction_secretary": make_user(Role.CONVICTION_SECRETARY, username="agree-secretary"),
        "data_protection_officer": make_user(Role.DATA_PROTECTION_OFFICER, username="agree-dpo"),
    }
    assert set(users) == set(ROLES), "the roles of tests/test_url_auth.py"

    # monitoring: two complete runs, then a recomputation of b1 alone (its values and flags replace the run's)
    n = {i: i.registration_number for i in (a1, a2, b1, b2)}
    munis = ["LV-RIX", "LV-067"]
    store_run("2022/2023", _values("2022/2023", {n[a1]: ("secondary", 110), n[a2]: ("preschool", 4),
                                                 n[b1]: ("secondary", 60), n[b2]: ("secondary", 30)}, munis),
              [{"rule": "R4", "institution": n[a1]}, {"rule": "R5", "institution": n[b2]}], minutes_ago=40)
    full = store_run("2023/2024", _values("2023/2024", {n[a1]: ("secondary", 120), n[a2]: ("preschool", 4),
                                                        n[b1]: ("secondary", 60)}, munis),
                     [{"rule": "R2", "institution": n[a1]}, {"rule": "R4", "institution": n[a1]},
                      {"rule": "R1", "institution": n[b1]}], minutes_ago=30)
    partial = store_run("2023/2024", [v for v in _values("2023/2024", {n[b1]: ("secondary", 61)}, [])
                                      if v["grain"] == "institution"],
                        [{"rule": "R3", "institution": n[b1]}], scope=[n[b1]], minutes_ago=20)

    # the visit plan
    today = timezone.localdate()
    visits = [visit_plan_add(actor=users["quality_expert"], institution=i, reason="random", note="Izlases kārtā",
                             planned_date=today + dt.timedelta(days=d)) for i, d in ((a1, 7), (b1, 14))]

    # accreditation: a1's case decided (the world's expert chairs it) with a task; b1's case applied by its founder
    people = {"chair": users["accreditation_expert"],
              "member": make_user(Role.ACCREDITATION_EXPERT, username="agree-expert-2"),
              "head": users["head_a1"], "ikvd": users["quality_expert"]}
    case_a1 = drive(new_case(institution=a1, head=people["head"]), "decided", people)
    task = accreditation.task_create(actor=people["ikvd"], case=case_a1, criterion="2.1", description="Uzdevums",
                                     deadline=today + dt.timedelta(days=90))
    case_b1 = new_case(institution=b1, head=users["founder_ogre"])

    # self-evaluation reports of a1: 2023/2024 published (agreed by the founder), 2024/2025 a draft
    head = users["head_a1"]
    published = accreditation.self_evaluation_create(
        actor=head, institution=a1, school_year="2023/2024",
        sections={s.code: "Publiskais teksts" for s in self_evaluation().sections},
        self_ratings={c.code: {"level": "good", "justification": "Pamatojums"} for c in framework().criteria},
        goals=[{"goal": "Mērķis", "measure": "Rādītājs", "target": "90 %", "deadline": "2026-06-30"}])
    accreditation.self_evaluation_submit(actor=head, report=published)
    accreditation.self_evaluation_agree(actor=users["founder_riga"], report=published)
    accreditation.self_evaluation_publish(actor=head, report=published)
    draft = accreditation.self_evaluation_create(actor=head, institution=a1, school_year="2024/2025")

    complaints = _complaints(users, a1=a1, b1=b1, b2=b2, riga=riga, ogre=ogre)
    inspections = _inspections(users, a1=a1, a2=a2, b1=b1, complaint=complaints[0])

    return World(users=users, institutions={"a1": a1, "a2": a2, "b1": b1, "b2": b2, "x": x},
                 objects={"programmes": programmes, "runs": [full, partial], "visits": visits,
                          "cases": [case_a1, case_b1], "tasks": [task], "reports": [published, draft],
                          "complaints": complaints, "inspections": inspections})


#: The submitters of the world's complaints: (name, contact, personal code). Rūta sent three complaints (the same
#: personal code), one of them asking for confidentiality; Pēteris one, asking for confidentiality.
ANNA = ("Rūta Zvaigzne", "ruta.zvaigzne@example.lv", "010190-12345")
PETERIS = ("Pēteris Kalniņš", "Brīvības iela 7-3, Ogre", "020285-11111")


def _complaints(users, *, a1, b1, b2, riga, ogre) -> list:
    """c_a1 (Rūta, forwarded to Riga's founder), c_b1 (Pēteris, confidential, forwarded to Ogre's), c_b2 (Rūta,
    kept by IKVD, closed) and c_none (Rūta again, confidential, about no institution). Each text is signed."""
    from ikms.complaints import services as complaints

    inspector = users["supervision_inspector"]

    def register(institution, who, *, anonymous=False, received=dt.date(2024, 9, 2), topic="teacher_ethics"):
        name, contact, code = who
        return complaints.complaint_register(
            actor=inspector, channel="email", submitter_type="parent", received_on=received,
            text=f"Skolotāja neievēro ētikas kodeksu. Ar cieņu, {name}", institutions=[institution] if institution
            else [], topics=[topic], anonymous=anonymous, submitter_name=name, submitter_contact=contact,
            personal_code=code)

    c_a1 = register(a1, ANNA)
    complaints.complaint_forward(actor=inspector, complaint=c_a1, founder=riga, forwarded_on=dt.date(2024, 9, 4),
                                 summary="Lūdzam izvērtēt skolotājas rīcību.")
    c_b1 = register(b1, PETERIS, anonymous=True, received=dt.date(2024, 10, 1), topic="safety")
    complaints.complaint_forward(actor=inspector, complaint=c_b1, founder=ogre, forwarded_on=dt.date(2024, 10, 2),
                                 summary="Lūdzam pārbaudīt drošību sporta zālē.")
    complaints.complaint_founder_answer(actor=users["founder_ogre"], complaint=c_b1, text="Zāle ir pārbaudīta.")
    c_b2 = register(b2, ANNA, received=dt.date(2023, 5, 3))
    complaints.complaint_record_outcome(actor=inspector, complaint=c_b2, outcome="not_confirmed")
    complaints.complaint_reply(actor=inspector, complaint=c_b2, text="Sūdzība nav apstiprinājusies.")
    complaints.complaint_close(actor=inspector, complaint=c_b2, closed_on=dt.date(2023, 6, 1))
    c_none = register(None, ANNA, anonymous=True, received=dt.date(2024, 11, 4), topic="other")
    return [c_a1, c_b1, c_b2, c_none]


def _inspections(users, *, a1, a2, b1, complaint) -> list:
    """a1's inspection prompted by c_a1, in follow-up (an order with evidence submitted, a recommendation); a1's
    planned one; b1's closed one; a2's thematic visit with its answers (IKVD staff only)."""
    from ikms.inspections import services as inspections
    from ikms.inspections.testing import drive

    inspector, today = users["supervision_inspector"], timezone.localdate()
    prompted = inspections.inspection_plan(actor=inspector, institution=a1, kind="complaint",
                                           complaint=complaint, subject="Sūdzības pārbaude",
                                           planned_on=today - dt.timedelta(days=20))
    inspections.visit_record(actor=inspector, inspection=prompted, visited_on=today - dt.timedelta(days=15))
    inspections.act_write(actor=inspector, inspection=prompted, dated_on=today - dt.timedelta(days=10),
                          summary="Konstatēti ētikas pārkāpumi.")
    finding = inspections.finding_add(actor=inspector, inspection=prompted, severity="major",
                                      text="Skolotāja pazemo skolēnus.", legal_basis="Izglītības likuma 51. pants")
    order = inspections.order_issue(actor=inspector, inspection=prompted, kind="order", finding=finding,
                                    text="Izvērtēt skolotājas rīcību.", due_on=today + dt.timedelta(days=30))
    inspections.order_issue(actor=inspector, inspection=prompted, kind="recommendation", finding=None,
                            text="Apmācīt pedagogus.", due_on=None)
    inspections.act_send(actor=inspector, inspection=prompted)
    inspections.evidence_submit(actor=users["head_a1"], order=order, text="Disciplinārlieta ierosināta.")
    planned = drive(inspector=inspector, head=users["head_a1"], institution=a1, state="planned")
    closed = drive(inspector=inspector, head=users["founder_ogre"], institution=b1, state="closed")
    thematic = inspections.inspection_plan(actor=inspector, institution=a2, subject="Vienotā skola",
                                           questionnaire_code="unified_school_2023_2024", stream="thematic",
                                           planned_on=today - dt.timedelta(days=5))
    inspections.visit_record(actor=inspector, inspection=thematic, visited_on=today - dt.timedelta(days=1),
                             answers={"fully_in_latvian": True, "overall_level": "good"})
    return [prompted, planned, closed, thematic]


@pytest.fixture(scope="module")
def agreement_world(django_db_setup, django_db_blocker):
    """The world, built once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        cache.clear()  # the dashboards and the risk list are cached fragments: none from another module
        world = _build_world()
        yield world
        transaction.set_rollback(True)
        cache.clear()


# --- reading keys ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refused:
    status: int
    url: str

    def __repr__(self) -> str:
        return f"refused {self.status} ({self.url})"


Outcome = frozenset | tuple | Refused


def _page_refused(response) -> bool:
    """Refused: 403, or the redirect to the sign-in page (in whichever language the address had)."""
    return response.status_code == 403 or (response.status_code == 302 and urlsplit(response["Location"]).path
                                           .removeprefix("/en").startswith(LOGIN))


def _api_refused(response) -> bool:
    return response.status_code in (401, 403)


def _lists(world: World, role: str, resource: Resource) -> tuple[Outcome | None, Outcome | None]:
    """The (page, API) keys of a resource for a role, read once per module (the world does not change)."""
    memo = world.objects.setdefault("lists", {})
    if (role, resource.name) not in memo:
        client = _client(world, role)
        memo[role, resource.name] = (resource.page_list(client, world) if resource.page_list else None,
                                     resource.api_list(client, world) if resource.api_list else None)
    return memo[role, resource.name]


def _client(world: World, role: str) -> Client:
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


def _page_objects(client: Client, url: str, name: str = "page_obj") -> list | Refused:
    """The objects a paginated (or plain) list page shows, every page followed."""
    out, page = [], 1
    while True:
        response = client.get(url, {"page": page} if page > 1 else {})
        if _page_refused(response):
            return Refused(response.status_code, url)
        assert response.status_code == 200, (url, response.status_code)
        shown = response.context[name]
        out += list(shown.object_list if hasattr(shown, "object_list") else shown)
        if not (hasattr(shown, "has_next") and shown.has_next()):
            return out
        page += 1


def _api_rows(client: Client, url: str, params: dict | None = None) -> list | Refused:
    """Every row an API list gives, all pages followed."""
    response = client.get(url, {**(params or {}), "page_size": 500})
    rows = []
    while True:
        if _api_refused(response):
            return Refused(response.status_code, url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        body = response.json()
        rows += body["results"]
        if not body.get("next"):
            return rows
        response = client.get(body["next"])


def _keys(rows, key: Callable) -> frozenset | Refused:
    return rows if isinstance(rows, Refused) else frozenset(key(r) for r in rows)


def _union_of_pages(client: Client, pages: list[tuple[str, Callable]], *, entry: str | None = None,
                    ) -> frozenset | Refused:
    """The keys shown on one page per object (a flag on its institution's page...): refused if the entry page
    (or, without one, every page) refuses; otherwise every page must be a 200 or a 404."""
    if entry is not None:
        response = client.get(entry)
        if _page_refused(response):
            return Refused(response.status_code, entry)
    keys, statuses = set(), {}
    for url, read in pages:
        response = client.get(url)
        statuses[url] = response.status_code
        if response.status_code == 200:
            keys |= set(read(response))
        elif entry is None and _page_refused(response):
            statuses[url] = "refused"
    if entry is None and set(statuses.values()) == {"refused"}:
        return Refused(client.get(pages[0][0]).status_code, pages[0][0])
    assert set(statuses.values()) <= {200, 404}, f"pages neither shown nor hidden: {statuses}"
    return frozenset(keys)


# monitoring pages (HTML: their tables are built lazily inside cached fragments)
_DASHBOARD_ROW = re.compile(r'/raditaji/[^/"]+/\?grain=(\w+)&amp;unit=([^&"]+)&amp;year=([^&"]+)&amp;slice=([^"]+)"')
_FLAG_TITLE = re.compile(r'govuk-summary-card__title">(R\d+) —')
_RISK_ENTRY = re.compile(r'<li class="govuk-!-margin-bottom-6" data-institution="(\d+)">(.*?)</li>\s*(?=<li class|$)',
                         re.S)


def _dashboard_keys(response) -> set[tuple]:
    """(year, grain, unit, indicator, semester, level, category) of every row of a dashboard."""
    out = set()
    for grain, unit, year, slice_ in _DASHBOARD_ROW.findall(response.content.decode()):
        indicator, semester, level, category = unquote(unescape(slice_)).split("|")
        out.add((unescape(year), grain, unescape(unit), indicator, None if semester == "None" else int(semester),
                 level, category))
    return out


def _value_key(year: str):
    return lambda r: (year, r["grain"], r["unit"], r["indicator"], r["semester"], r["level"], r["category"])


def _flags_on_page(number: str, year: str) -> Callable:
    return lambda response: {(year, number, rule) for rule in _FLAG_TITLE.findall(response.content.decode())}


def _risk_entries(response) -> tuple:
    """(institution, score, rules) of every entry of the risk list page, in rank order."""
    html = response.content.decode()
    html = html[html.index('class="govuk-list ikms-risk-list"'):]
    html = html[:html.index("</ol>")]
    out = []
    for number, body in _RISK_ENTRY.findall(html):
        score = int(re.search(r"<strong>(\d+)</strong>", body).group(1))
        out.append((number, score, tuple(sorted(set(_FLAG_TITLE.findall(body))))))
    return tuple(out)


# --- the resources --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Obj:
    """One object of the world: its key in the lists, its page and API detail URLs (None: no such twin)."""

    key: object
    page: str | None
    api: str | None
    listed: bool = True  # False: not in the lists by design (a flag of an earlier run), only the statuses compared
    page_shown: frozenset = frozenset({200})  # what the detail page answers for an object the role sees


@dataclass(frozen=True)
class Resource:
    name: str
    page_list: Callable[[Client, World], Outcome] | None
    api_list: Callable[[Client, World], Outcome] | None
    objects: Callable[[World], list[Obj]]
    public: bool = False


def _numbers(world: World, *names: str) -> list[str]:
    return [world.institutions[n].registration_number for n in (names or world.institutions)]


def _monitored(world: World) -> list[str]:
    """Every institution of the world, the application too (its monitoring pages are a 404 for everyone)."""
    return _numbers(world)


def _institution_pages(world: World, year: str) -> list[tuple[str, str]]:
    return [(n, reverse("monitoring:institution", args=[n]) + f"?year={year}") for n in _monitored(world)]


def _institutions_page(client, world):
    return _keys(_page_objects(client, reverse("registry:institution-list")), lambda i: i.registration_number)


def _institutions_api(client, world):
    return _keys(_api_rows(client, reverse("registry-api:institution-list")), lambda r: r["registration_number"])


def _institution_objects(world):
    return [Obj(i.registration_number, reverse("registry:institution-detail", args=[i.pk]),
                reverse("registry-api:institution-detail", args=[i.pk])) for i in world.institutions.values()]


def _programmes_page(client, world):
    def read(response):
        return {p.pk for p in response.context["programmes"]}

    return _union_of_pages(client, [(reverse("registry:institution-detail", args=[i.pk]), read)
                                    for i in world.institutions.values()], entry=reverse("registry:institution-list"))


def _programmes_api(client, world):
    return _keys(_api_rows(client, reverse("registry-api:programme-list")), lambda r: r["id"])


def _programme_objects(world):
    return [Obj(p.pk, reverse("registry:programme-detail", args=[p.pk]), None)
            for p in world.objects["programmes"].values()]


def _decisions_page(client, world):
    return _keys(_page_objects(client, reverse("registry:decision-list")), lambda d: d.pk)


def _decisions_api(client, world):
    return _keys(_api_rows(client, reverse("registry-api:decision-list")), lambda r: r["id"])


def _decision_objects(world):
    from ikms.registry.models import Decision

    return [Obj(pk, reverse("registry:decision-detail", args=[pk]), None)
            for pk in Decision.objects.order_by("pk").values_list("pk", flat=True)]


def _institution_values_page(client, world):
    return _union_of_pages(client, [(url, _dashboard_keys) for y in YEARS for _n, url in _institution_pages(world, y)])


def _grain_values_api(grain: str):
    def read(client, world):
        keys = set()
        for year in YEARS:
            rows = _api_rows(client, reverse("monitoring-api:value-list"), {"school_year": year, "grain": grain})
            if isinstance(rows, Refused):
                return rows
            keys |= {_value_key(year)(r) for r in rows}
        return frozenset(keys)

    return read


def _institution_value_objects(world):
    """An institution's values: its monitoring page ↔ the values API narrowed to it (`unit`)."""
    api = reverse("monitoring-api:value-list")
    return [Obj(None, url, f"{api}?{urlencode({'unit': n, 'school_year': year, 'grain': 'institution'})}",
                listed=False) for year in YEARS for n, url in _institution_pages(world, year)]


def _municipality_values_page(client, world):
    return _union_of_pages(client, [(reverse("monitoring:municipality", args=[m]) + f"?year={y}", _dashboard_keys)
                                    for y in YEARS for m in ("LV-RIX", "LV-067")])


def _municipality_value_objects(world):
    api = reverse("monitoring-api:value-list")
    return [Obj(None, reverse("monitoring:municipality", args=[m]) + f"?year={y}",
                f"{api}?{urlencode({'unit': m, 'school_year': y, 'grain': 'municipality'})}", listed=False)
            for y in YEARS for m in ("LV-RIX", "LV-067")]


def _nation_values_page(client, world):
    keys = set()
    for year in YEARS:
        response = client.get(reverse("monitoring:nation"), {"year": year})
        if _page_refused(response):
            return Refused(response.status_code, reverse("monitoring:nation"))
        assert response.status_code == 200
        keys |= _dashboard_keys(response)
    return frozenset(keys)


def _flags_page(client, world):
    return _union_of_pages(client, [(url, _flags_on_page(n, y)) for y in YEARS
                                    for n, url in _institution_pages(world, y)])


def _flags_api(client, world):
    keys = set()
    for year in YEARS:
        rows = _api_rows(client, reverse("monitoring-api:flag-list"), {"school_year": year})
        if isinstance(rows, Refused):
            return rows
        keys |= {(r["school_year"], r["institution"], r["rule"]) for r in rows}
    return frozenset(keys)


def _flag_objects(world):
    """Every flag of every run: its API detail ↔ its institution's monitoring page of the flag's year. Only the
    current flags (not replaced by a later recomputation) are in the lists."""
    from ikms.monitoring import selectors
    from ikms.monitoring.models import RiskFlag

    current = {f.pk for y in YEARS for f in selectors.risk_flags(y)}
    return [Obj((f.school_year, f.institution, f.rule),
                reverse("monitoring:institution", args=[f.institution]) + f"?year={f.school_year}",
                reverse("monitoring-api:flag-detail", args=[f.pk]), listed=f.pk in current)
            for f in RiskFlag.objects.order_by("pk")]


def _risk_list_page(client, world):
    out = []
    for year in YEARS:
        response = client.get(reverse("monitoring:risks"), {"year": year})
        if _page_refused(response):
            return Refused(response.status_code, reverse("monitoring:risks"))
        out.append((year, _risk_entries(response)))
    return tuple(out)


def _risk_list_api(client, world):
    out = []
    for year in YEARS:
        rows = _api_rows(client, reverse("monitoring-api:risk-list"), {"school_year": year})
        if isinstance(rows, Refused):
            return rows
        out.append((year, tuple((r["institution"], r["score"], tuple(sorted(set(r["rules"])))) for r in rows)))
    return tuple(out)


def _visits_page(client, world):
    return _keys(_page_objects(client, reverse("monitoring:visits"), "entries"), lambda e: e.pk)


def _visits_api(client, world):
    return _keys(_api_rows(client, reverse("monitoring-api:visit-list")), lambda r: r["id"])


def _visit_objects(world):
    return [Obj(v.pk, None, reverse("monitoring-api:visit-detail", args=[v.pk])) for v in world.objects["visits"]]


def _dossier_visits_page(client, world):
    def read(number):
        return lambda response: {(number, e.date.isoformat()) for e in response.context["events"]
                                 if e.kind == "visit"}

    return _union_of_pages(client, [(reverse("web:dossier", args=[n]), read(n)) for n in _monitored(world)])


def _dossier_visits_api(client, world):
    """The visits API; a user who may use monitoring but not the visit plan (founders, heads) sees no visit on
    the dossier either (VISIT policy), so the API's refusal counts as an empty set for them."""
    rows = _api_rows(client, reverse("monitoring-api:visit-list"))
    if isinstance(rows, Refused) and client.get(reverse("monitoring-api:run-list")).status_code == 200:
        return frozenset()
    return _keys(rows, lambda r: (r["institution"], r["planned_date"]))


def _runs_api(client, world):
    return _keys(_api_rows(client, reverse("monitoring-api:run-list")), lambda r: r["id"])


def _run_objects(world):
    from ikms.monitoring.models import ComputationRun

    return [Obj(pk, None, reverse("monitoring-api:run-detail", args=[pk]))
            for pk in ComputationRun.objects.order_by("pk").values_list("pk", flat=True)]


def _cases_page(client, world):
    return _keys(_page_objects(client, reverse("accreditation:case-list"), "cases"), lambda c: c.pk)


def _case_objects(world):
    return [Obj(c.pk, reverse("accreditation:case-detail", args=[c.pk]), None) for c in world.objects["cases"]]


def _tasks_page(client, world):
    return _keys(_page_objects(client, reverse("accreditation:task-list"), "rows"), lambda r: r["task"].pk)


def _task_objects(world):
    # the task's page is its update form: a role that sees the task but may not update it gets a 403 there
    return [Obj(t.pk, reverse("accreditation:task-update", args=[t.pk]), None, page_shown=frozenset({200, 403}))
            for t in world.objects["tasks"]]


def _reports_page(client, world):
    return _keys(_page_objects(client, reverse("accreditation:self-evaluation-list"), "reports"), lambda r: r.pk)


def _report_objects(world):
    return [Obj(r.pk, reverse("accreditation:self-evaluation-detail", args=[r.pk]), None)
            for r in world.objects["reports"]]


def _public_institutions_page(client, world):
    return _keys(_page_objects(client, reverse("portal:institution-list")), lambda i: i.registration_number)


def _public_institutions_api(client, world):
    return _keys(_api_rows(client, reverse("registry-api:public-institution-list")),
                 lambda r: r["registration_number"])


def _public_institution_objects(world):
    return [Obj(n, reverse("portal:institution-detail", args=[n]), None) for n in _numbers(world)]


def _public_programmes_page(client, world):
    return _keys(_page_objects(client, reverse("portal:programme-list")), lambda p: p.pk)


def _public_programmes_api(client, world):
    return _keys(_api_rows(client, reverse("registry-api:public-programme-list")), lambda r: r["id"])


def _profiles_page(client, world):
    return _keys(_page_objects(client, reverse("portal:profile-search")), lambda i: i.registration_number)


def _profiles_api(client, world):
    return _keys(_api_rows(client, reverse("public-api:profile-list")), lambda r: r["registration_number"])


def _profile_objects(world):
    return [Obj(n, reverse("portal:profile", args=[n]), reverse("public-api:profile-detail", args=[n]))
            for n in _numbers(world)]


def _complaints_page(client, world):
    return _keys(_page_objects(client, reverse("complaints:list"), "page"), lambda c: c.pk)


def _complaints_api(client, world):
    return _keys(_api_rows(client, reverse("complaints-api:complaint-list")), lambda r: r["id"])


def _complaint_objects(world):
    return [Obj(c.pk, reverse("complaints:detail", args=[c.pk]), reverse("complaints-api:complaint-detail",
                                                                          args=[c.pk]))
            for c in world.objects["complaints"]]


def _inspections_page(client, world):
    return _keys(_page_objects(client, reverse("inspections:list")), lambda i: i.pk)


def _inspections_api(client, world):
    return _keys(_api_rows(client, reverse("inspections-api:inspection-list")), lambda r: r["id"])


def _inspection_objects(world):
    return [Obj(i.pk, reverse("inspections:detail", args=[i.pk]), reverse("inspections-api:inspection-detail",
                                                                           args=[i.pk]))
            for i in world.objects["inspections"]]


#: The resources: name, page side, API side, the objects whose detail pages/API answers are compared.
#:
#: ======================  ==========================================  ===========================================
#: resource                page side (keys)                            API side (keys)
#: ======================  ==========================================  ===========================================
#: institutions            /staff/institutions/ (page_obj)             /api/v1/institutions/ (+ detail)
#: programmes              programme tables of /staff/institutions/N/  /api/v1/programmes/ (no detail route)
#: decisions               /staff/decisions/ (page_obj)                /api/v1/decisions/ (no detail route)
#: institution_values      /monitoring/iestades/N/?year= (rows)        /api/v1/monitoring/values/?grain=institution
#: municipality_values     /monitoring/pasvaldibas/M/?year= (rows)     /api/v1/monitoring/values/?grain=municipality
#: nation_values           /monitoring/valsts/?year= (rows)            /api/v1/monitoring/values/?grain=nation
#: risk_flags              flag cards of /monitoring/iestades/N/       /api/v1/monitoring/flags/ (+ detail)
#: risk_list               /monitoring/riski/ (ranked entries)         /api/v1/monitoring/risks/
#: visit_plan              /monitoring/apmeklejumi/ (entries)          /api/v1/monitoring/visits/ (+ detail)
#: dossier_visits          visit events of /monitoring/iestades/N/lieta/  /api/v1/monitoring/visits/
#: runs                    — (NO_PAGE_TWIN; test_runs_…)               /api/v1/monitoring/runs/ (+ detail)
#: accreditation_cases     /akreditacija/ (cases) + case pages         — (NO_API_TWIN)
#: accreditation_tasks     /akreditacija/uzdevumi/ (rows) + task pages — (NO_API_TWIN)
#: self_evaluations        /akreditacija/pasnovertejumi/ + reports     — (NO_API_TWIN)
#: public_institutions     /registrs/iestades/ (page_obj)              /api/v1/public/institutions/
#: public_programmes       /registrs/programmas/ (page_obj)            /api/v1/public/programmes/
#: public_profiles         /profili/ (page_obj) + /profili/N/          /api/v1/public/profiles/ (+ detail; figures:
#:                                                                     test_public_profile_figures_agree)
#: complaints              /iesniegumi/ (page) + complaint pages       /api/v1/complaints/ (+ detail; fields:
#:                                                                     test_complaint_fields_agree)
#: inspections             /parbaudes/ (page_obj) + inspection pages   /api/v1/inspections/ (+ detail; fields:
#:                                                                     test_inspection_fields_agree)
#: ======================  ==========================================  ===========================================
RESOURCES = [
    Resource("institutions", _institutions_page, _institutions_api, _institution_objects),
    Resource("programmes", _programmes_page, _programmes_api, _programme_objects),
    Resource("decisions", _decisions_page, _decisions_api, _decision_objects),
    Resource("institution_values", _institution_values_page, _grain_values_api("institution"),
             _institution_value_objects),
    Resource("municipality_values", _municipality_values_page, _grain_values_api("municipality"),
             _municipality_value_objects),
    Resource("nation_values", _nation_values_page, _grain_values_api("nation"), lambda world: []),
    Resource("risk_flags", _flags_page, _flags_api, _flag_objects),
    Resource("risk_list", _risk_list_page, _risk_list_api, lambda world: []),
    Resource("visit_plan", _visits_page, _visits_api, _visit_objects),
    Resource("dossier_visits", _dossier_visits_page, _dossier_visits_api, lambda world: []),
    Resource("runs", None, _runs_api, _run_objects),
    Resource("accreditation_cases", _cases_page, None, _case_objects),
    Resource("accreditation_tasks", _tasks_page, None, _task_objects),
    Resource("self_evaluations", _reports_page, None, _report_objects),
    Resource("public_institutions", _public_institutions_page, _public_institutions_api, _public_institution_objects,
             public=True),
    Resource("public_programmes", _public_programmes_page, _public_programmes_api, lambda world: [], public=True),
    Resource("public_profiles", _profiles_page, _profiles_api, _profile_objects, public=True),
    Resource("complaints", _complaints_page, _complaints_api, _complaint_objects),
    Resource("inspections", _inspections_page, _inspections_api, _inspection_objects),
]
BY_NAME = {r.name: r for r in RESOURCES}

#: Every read route of the API, and the resource above that checks it against the pages (None: why not).
API_ROUTES = {
    "registry-api:institution-list": "institutions",
    "registry-api:institution-detail": "institutions",
    "registry-api:programme-list": "programmes",
    "registry-api:decision-list": "decisions",
    "registry-api:public-institution-list": "public_institutions",
    "registry-api:public-programme-list": "public_programmes",
    "public-api:profile-list": "public_profiles",
    "public-api:profile-detail": "public_profiles",
    "monitoring-api:value-list": "institution_values",  # and municipality_values, nation_values
    "monitoring-api:flag-list": "risk_flags",
    "monitoring-api:flag-detail": "risk_flags",
    "monitoring-api:risk-list": "risk_list",
    "monitoring-api:visit-list": "visit_plan",  # and dossier_visits
    "monitoring-api:visit-detail": "visit_plan",
    "monitoring-api:visit-status": None,  # POST only (a write): ikms/monitoring/tests/test_api.py
    "monitoring-api:run-list": "runs",
    "monitoring-api:run-detail": "runs",
    # the indicator catalogue: definitions, no institution's data; the same for everyone who may use monitoring
    # (test_url_auth), as the indicator pages are
    "monitoring-api:indicator-list": None,
    "monitoring-api:indicator-detail": None,
    "complaints-api:complaint-list": "complaints",
    "complaints-api:complaint-detail": "complaints",
    "inspections-api:inspection-list": "inspections",
    "inspections-api:inspection-detail": "inspections",
}
API_NAMESPACES = ("registry-api", "monitoring-api", "public-api", "complaints-api", "inspections-api")

def _params(test: str):
    for resource in RESOURCES:
        for role in ROLES:
            yield pytest.param(role, resource.name, id=f"{role}-{resource.name}")


# --- the tests ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "name"), list(_params("lists")))
def test_lists_agree(agreement_world, role, name):
    resource = BY_NAME[name]
    page, api = _lists(agreement_world, role, resource)
    if role == "anonymous" and not resource.public:
        assert page is None or (isinstance(page, Refused) and page.status == 302), f"page: {page}"
        assert api is None or (isinstance(api, Refused) and api.status in (401, 403)), f"API: {api}"
        return
    if page is None or api is None:  # one side only (NO_API_TWIN / NO_PAGE_TWIN): checked in test_details_agree
        return
    if isinstance(page, Refused) or isinstance(api, Refused):
        assert isinstance(page, Refused) and isinstance(api, Refused), f"page: {page}; API: {api}"
        assert page.status == 403 and api.status in (401, 403), f"page: {page}; API: {api}"
        return
    assert page == api, (f"{role} {name}: only on the page {sorted(_diff(page, api), key=repr)}; "
                         f"only in the API {sorted(_diff(api, page), key=repr)}")


def _diff(a, b):
    if isinstance(a, frozenset):
        return a - b
    return [x for x in a if x not in b]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "name"), list(_params("details")))
def test_details_agree(agreement_world, role, name):
    resource = BY_NAME[name]
    client = _client(agreement_world, role)
    lists = [x for x in _lists(agreement_world, role, resource) if x is not None]
    refused = all(isinstance(x, Refused) for x in lists)
    failures = []
    for obj in resource.objects(agreement_world):
        page_status = client.get(obj.page).status_code if obj.page else None
        api_status = client.get(obj.api).status_code if obj.api else None
        if role == "anonymous" and not resource.public:
            ok = page_status in (None, 302) and api_status in (None, 401, 403)
        elif refused:
            ok = page_status in (None, 403, 404) and api_status in (None, 401, 403, 404)
        else:
            page_seen = None if page_status is None else page_status in obj.page_shown
            api_seen = None if api_status is None else api_status == 200
            ok = ((page_status is None or page_status in obj.page_shown | {404})
                  and api_status in (None, 200, 404)
                  and (None in (page_seen, api_seen) or page_seen == api_seen))
            seen = page_seen if page_seen is not None else api_seen
            if ok and obj.listed:
                ok = all(seen == (obj.key in keys) for keys in lists)
        if not ok:
            failures.append((obj.key, obj.page, page_status, obj.api, api_status))
    assert not failures, f"{role} {name} (key, page, status, API, status): {failures}"


# --- nobody sees beyond their scope ---------------------------------------------------------------------------

#: The institutions each role may see (the register's and monitoring's scope), by the world's names. Agreement
#: alone cannot catch a scoper that both channels share going wrong the same way; this can.
SCOPE = {**{role: {"a1", "a2", "b1", "b2", "x"} for role in IKVD}, "founder_riga": {"a1", "a2", "x"},
         "founder_ogre": {"b1", "b2"}, "head_a1": {"a1"}, "accreditation_expert": set(), "no_role": set(),
         "conviction_commission": set(), "conviction_secretary": set(), "data_protection_officer": set(),
         "anonymous": set()}


def _institution_of(world: World, name: str) -> Callable[[object], str] | None:
    """How to read the institution (registration number) from a resource's key; None: not one institution's."""
    from ikms.accreditation.models import Case, SelfEvaluationReport, Task
    from ikms.inspections.models import Inspection
    from ikms.registry.models import Decision, Programme

    def by_pk(model, path: str):
        return lambda pk: model.objects.values_list(path, flat=True).get(pk=pk)

    return {
        "institutions": lambda key: key,
        "programmes": by_pk(Programme, "institution__registration_number"),
        "decisions": by_pk(Decision, "institution__registration_number"),
        "institution_values": lambda key: key[2],
        "risk_flags": lambda key: key[1],
        "dossier_visits": lambda key: key[0],
        "accreditation_cases": by_pk(Case, "institution__registration_number"),
        "accreditation_tasks": by_pk(Task, "institution__registration_number"),
        "self_evaluations": by_pk(SelfEvaluationReport, "institution__registration_number"),
        "inspections": by_pk(Inspection, "institution__registration_number"),
        # complaints: a founder's scope is what was forwarded to it, not its institutions
        # (test_complaints_are_seen_by_supervision_and_the_founder_forwarded_to)
    }.get(name)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_nobody_sees_beyond_their_scope(agreement_world, role):
    """What the pages and the API show a role lies within its institutions (the expert: its commission's case)."""
    allowed = {agreement_world.institutions[n].registration_number for n in SCOPE[role]}
    if role == "accreditation_expert":
        allowed_cases = {agreement_world.objects["cases"][0].institution.registration_number}  # it chairs a1's
    beyond = {}
    for resource in RESOURCES:
        institution_of = _institution_of(agreement_world, resource.name)
        if institution_of is None:
            continue
        seen = set()
        for keys in _lists(agreement_world, role, resource):
            if isinstance(keys, frozenset):
                seen |= {institution_of(k) for k in keys}
        scope = allowed_cases if role == "accreditation_expert" and resource.name in (
            "accreditation_cases", "accreditation_tasks") else allowed
        if seen - scope:
            beyond[resource.name] = sorted(seen - scope)
    assert not beyond, f"{role} sees institutions beyond its scope: {beyond}"


@pytest.mark.django_db
def test_the_world_is_seen(agreement_world):
    """IKVD's administrator sees something of every resource on both sides (so no reader silently reads nothing)."""
    for resource in RESOURCES:
        for keys in _lists(agreement_world, "ikvd_admin", resource):
            assert keys is None or (not isinstance(keys, Refused) and len(keys) > 0), (resource.name, keys)
        assert resource.objects(agreement_world) or resource.name in (
            "nation_values", "risk_list", "dossier_visits", "public_programmes"), resource.name


# --- complaints and inspections: who sees which, and the same fields ----------------------------------------------

#: The world's complaints (by position in world.objects["complaints"]) each role sees, on the pages and in the API:
#: supervision staff every one, a founder those forwarded to it; nobody else may open the list (None).
COMPLAINTS_SEEN = {"ikvd_admin": {0, 1, 2, 3}, "supervision_inspector": {0, 1, 2, 3}, "founder_riga": {0},
                   "founder_ogre": {1}}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_complaints_are_seen_by_supervision_and_the_founder_forwarded_to(agreement_world, role):
    complaints = agreement_world.objects["complaints"]
    page, api = _lists(agreement_world, role, BY_NAME["complaints"])
    if role not in COMPLAINTS_SEEN:
        assert isinstance(page, Refused) and isinstance(api, Refused), (page, api)
        return
    expected = frozenset(complaints[i].pk for i in COMPLAINTS_SEEN[role])
    assert page == expected and api == expected, (page, api, expected)


def _json_text(response) -> str:
    """The answer's JSON as text with the letters as they are (whatever escaping the renderer chose)."""
    return json.dumps(response.json(), ensure_ascii=False)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_complaint_fields_agree(agreement_world, role):
    """Each complaint a role sees: the API gives what its page shows (reference, institutions, topics, the answer
    deadline, the outcome and the forwarding, the founder's texts), and the submitter (name, contact, the signed
    text, the same submitter's other complaints) only where the page shows it, and never for a complaint whose
    submitter asked for confidentiality; a founder never."""
    client = _client(agreement_world, role)
    seen = 0
    for complaint in agreement_world.objects["complaints"]:
        page = client.get(reverse("complaints:detail", args=[complaint.pk]))
        if page.status_code != 200:
            continue
        seen += 1
        response = client.get(reverse("complaints-api:complaint-detail", args=[complaint.pk]))
        assert response.status_code == 200
        api, ctx, html = response.json(), page.context, page.content.decode()
        assert api["reference"] == ctx["complaint"].reference
        assert [i["registration_number"] for i in api["institutions"]] == [
            i.registration_number for i in ctx["institutions"]]
        assert [t["name"] for t in api["topics"]] == ctx["topics"]
        assert api["answer_deadline"]["due_on"] == ctx["deadline"].due_on.isoformat()
        assert api["urgency"] == ctx["urgency"]
        assert api["outcome"] == ctx["complaint"].outcome
        for name in ("forwarded_summary", "reply_text", "founder_answer", "appeal_note"):
            assert api[name] == getattr(ctx["complaint"], name), name
        assert api["forwarded_to_founder"] == (ctx["complaint"].founder.name if ctx["complaint"].founder else None)
        page_names = ctx["show_identity"] and complaint.submitter_name in html
        assert page_names == (role in ("ikvd_admin", "supervision_inspector")), role
        api_names = "submitter" in api
        assert api_names == (page_names and not complaint.anonymous), (role, complaint.reference)
        assert ("text" in api) == api_names
        if api_names:
            assert (api["submitter"]["name"], api["submitter"]["contact"]) == (
                complaint.submitter_name, complaint.submitter_contact)
            assert api["text"] == complaint.text
            assert {r["reference"] for r in api["submitter"]["same_submitter"]} == {
                c.reference for c in ctx["same_submitter"] if not c.anonymous}
        else:
            text = _json_text(response)
            assert complaint.submitter_name not in text and complaint.submitter_contact not in text
    assert seen == len(COMPLAINTS_SEEN.get(role, ())), (role, seen)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_inspection_fields_agree(agreement_world, role):
    """Each inspection a role sees: the API gives its page's act, findings, recommendations and orders (deadline,
    status, evidence) and answers; the visit-plan entry and the complaint it came from only where the page shows
    them (IKVD staff)."""
    client = _client(agreement_world, role)
    for inspection in agreement_world.objects["inspections"]:
        page = client.get(reverse("inspections:detail", args=[inspection.pk]))
        if page.status_code != 200:
            continue
        response = client.get(reverse("inspections-api:inspection-detail", args=[inspection.pk]))
        assert response.status_code == 200
        api, ctx = response.json(), page.context
        assert (api["state"], api["subject"], api["institution"]["registration_number"]) == (
            ctx["inspection"].state, ctx["inspection"].subject, ctx["inspection"].institution.registration_number)
        assert (api["act"] is None) == (ctx["act"] is None)
        if ctx["act"] is not None:
            assert api["act"]["number"] == ctx["act"].number
            assert [f["id"] for f in api["act"]["findings"]] == [f.pk for f in ctx["findings"]]
        assert [(o["id"], o["kind"], o["due_on"], o["state"], [e["text"] for e in o["evidence"]])
                for o in api["orders"]] == [
            (o.pk, o.kind, o.due_on.isoformat() if o.due_on else None, o.state, [e.text for e in o.evidence.all()])
            for o in ctx["orders"]]
        assert [(a["text"], a["value"] is None) for a in api["answers"]] == [
            (text, value is None) for text, value in ctx["answers"]]
        staff = ctx["is_staff_view"]
        assert ("visit" in api) == staff and ("complaint" in api) == staff, (role, staff)
        reference = inspection.complaint.reference if inspection.complaint_id else None
        if staff:
            assert api["complaint"] == reference
        elif reference:
            assert reference not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["ikvd_admin", "founder_ogre", "head_a1"])
def test_complaint_and_inspection_filters_agree(agreement_world, role):
    """The list pages and the API filter alike: the same query gives the same complaints and inspections."""
    client = _client(agreement_world, role)
    year = str(timezone.localdate().year)
    checks = [(reverse("complaints:list"), reverse("complaints-api:complaint-list"), "page", query)
              for query in ({"state": "open"}, {"state": "closed"}, {"state": "overdue"}, {"topic": "safety"},
                            {"topic": "teacher_ethics", "year": "2024"}, {"outcome": "not_confirmed"},
                            {"outcome": "referred_founder"}, {"year": "2023"})]
    checks += [(reverse("inspections:list"), reverse("inspections-api:inspection-list"), "page_obj", query)
               for query in ({"state": "follow_up"}, {"kind": "complaint"}, {"stream": "thematic"}, {"year": year},
                             {"q": "sūdzības"}, {"state": "closed", "year": year})]
    found = False
    for page_url, api_url, name, query in checks:
        page = _keys(_page_objects(client, f"{page_url}?{urlencode(query)}", name), lambda o: o.pk)
        api = _keys(_api_rows(client, api_url, query), lambda r: r["id"])
        if isinstance(page, Refused) or isinstance(api, Refused):
            assert isinstance(page, Refused) and isinstance(api, Refused), (query, page, api)
            continue
        assert page == api, (role, query, page, api)
        found |= bool(page)
    assert found, f"{role}: every filter gave an empty list"


def _api_answers(client, world) -> dict[str, str]:
    """Every GET answer of the API a client receives (200s): each list route (its largest page) and the detail of
    every object of the world, by URL, as JSON text."""
    from tests.test_url_auth import _named_routes

    urls = []
    for name in _named_routes():
        if name.split(":")[0] in API_NAMESPACES:
            with contextlib.suppress(NoReverseMatch):  # a detail route needs an object: its URLs are added below
                urls.append(reverse(name) + "?page_size=500")
    urls += [o.api for r in RESOURCES for o in r.objects(world) if o.api]
    answers = {}
    for url in urls:
        response = client.get(url)
        if response.status_code == 200:
            answers[url] = _json_text(response)
    return answers


def _identity(complaint) -> list[str]:
    """What would tell who sent a complaint: the name, the contact, the personal code (as written and as digits),
    its keyed hash and the signed text."""
    code = next(c for n, _contact, c in (ANNA, PETERIS) if n == complaint.submitter_name)
    return [complaint.submitter_name, complaint.submitter_contact, code, code.replace("-", ""),
            complaint.personal_code_digest, complaint.text]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["founder_riga", "founder_ogre", "head_a1"])
def test_no_founder_or_head_api_answer_names_a_submitter(agreement_world, role):
    """No API answer a founder or a head receives holds a submitter's name, contact, personal code or its keyed
    hash, or a complaint's own (signed) text: every list and every object's detail, of every resource."""
    answers = _api_answers(_client(agreement_world, role), agreement_world)
    assert any("/complaints/" in url for url in answers) == role.startswith("founder")
    found = {(url, secret) for complaint in agreement_world.objects["complaints"] for secret in _identity(complaint)
             for url, text in answers.items() if secret and secret in text}
    assert not found, f"{role}: {sorted(found)}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["ikvd_admin", "supervision_inspector"])
def test_supervision_api_names_only_submitters_not_kept_confidential(agreement_world, role):
    """Supervision staff get a submitter's identity only in the detail of a complaint whose submitter did not ask
    for confidentiality; the personal code and its hash in no answer; a confidential complaint not even among the
    same submitter's other complaints."""
    c_a1, c_b1, c_b2, c_none = agreement_world.objects["complaints"]
    answers = _api_answers(_client(agreement_world, role), agreement_world)
    named = {reverse("complaints-api:complaint-detail", args=[c.pk]) for c in (c_a1, c_b2)}
    assert named <= set(answers)
    for url, text in answers.items():
        for complaint in (c_a1, c_b1, c_b2, c_none):
            _name, _contact, code, digits, digest, _text = _identity(complaint)
            assert code not in text and digits not in text and digest not in text, url
        assert PETERIS[0] not in text and PETERIS[1] not in text, url
        if url in named:
            assert ANNA[0] in text and ANNA[1] in text, url
            assert c_none.reference not in text, url
        else:
            assert ANNA[0] not in text and ANNA[1] not in text, url


# --- runs: the run the pages name ------------------------------------------------------------------------------


def _landing(client: Client):
    """The monitoring page a role lands on (IKVD the nation, a founder its municipality, a head its school)."""
    response = client.get(reverse("monitoring:home"))
    if response.status_code == 302 and not response["Location"].startswith(LOGIN):
        return response["Location"]
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("role", [pytest.param(r, id=f"{r}-runs") for r in ROLES])
def test_runs_the_pages_name_are_in_the_api(agreement_world, role):
    """Runs have no page (NO_PAGE_TWIN); the pages' 'data as of' line names the run their figures come from and
    counts the recomputations since. The API lists that run, and as many later recomputations of the year."""
    client = _client(agreement_world, role)
    landing = _landing(client)
    runs = _api_rows(client, reverse("monitoring-api:run-list"))
    if not isinstance(landing, str):
        assert _page_refused(landing) and isinstance(runs, Refused), (landing.status_code, runs)
        assert (landing.status_code == 302) == (role == "anonymous")
        return
    assert not isinstance(runs, Refused), runs
    by_id = {r["id"]: r for r in runs}
    for year in YEARS:
        summary = client.get(landing, {"year": year}).context["summary"]
        run = by_id.get(summary["run"].pk)
        assert run is not None, f"{role}: the pages show run {summary['run'].pk}, the API does not list it"
        later = [r for r in runs if r["school_year"] == year and r["scope"] and r["started_at"] > run["started_at"]]
        assert len(summary["partials"]) == len(later), (
            f"{role} {year}: the pages count {len(summary['partials'])} recomputations since the run, the API "
            f"lists {len(later)}")


# --- public profiles: the same figures ----------------------------------------------------------------------------

_PROFILE_ROW = re.compile(r'<tr class="govuk-table__row" data-key="([^"]*)">(.*?)</tr>', re.S)
_PROFILE_CELL = re.compile(r'<td class="govuk-table__cell govuk-table__cell--numeric"( data-hidden)?>(.*?)</td>', re.S)


def _profile_page(client: Client, number: str):
    response = client.get(reverse("portal:profile", args=[number]))
    assert response.status_code == 200
    years = list(response.context["profile"].indicators.years)
    latest = response.context["profile"].indicators.latest
    school, nation = set(), set()
    for key, body in _PROFILE_ROW.findall(response.content.decode()):
        cells = _PROFILE_CELL.findall(body)
        assert len(cells) == len(years) + 1, (key, cells)
        for year, (hidden, text) in zip([*years, None], cells, strict=True):
            if "govuk-visually-hidden" in text:  # not published: a gap, no figure
                continue
            figure = (unescape(key), year or latest, unescape(text).strip(), bool(hidden))
            (school if year else nation).add(figure)
    return response, school, nation, latest


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["a1", "a2", "b1", "b2"])
def test_public_profile_figures_agree(agreement_world, name):
    """The public profile page and the public profile API publish the same figures (and the same hidden ones),
    the same programmes and the same accreditation."""
    from ikms.portal.profiles import NO_DATA_TEXT

    client = Client()
    number = agreement_world.institutions[name].registration_number
    response, page_school, page_nation, latest = _profile_page(client, number)
    api = client.get(reverse("public-api:profile-detail", args=[number])).json()
    api_school = {(row["key"], v["school_year"], v["text"], v["hidden"]) for row in api["indicators"]
                  for v in row["values"]}
    api_nation = {(row["key"], v["school_year"], v["text"], v["hidden"]) for row in api["indicators"]
                  for v in row["national"] if v["school_year"] == latest}
    no_data = str(NO_DATA_TEXT)
    assert {f for f in page_school if f[2] != no_data} == {f for f in api_school if f[2] != no_data}
    assert {f for f in page_nation if f[2] != no_data} == {f for f in api_nation if f[2] != no_data}
    assert sorted(p.code for p in response.context["programmes"]) == sorted(p["code"] for p in api["programmes"])
    accreditation = response.context["accreditation"]
    assert (accreditation.state if accreditation else None) == (api["accreditation"] or {}).get("state")
    assert page_school or name == "b2", "the profile shows figures"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["a1", "a2", "b1", "b2"])
def test_public_profile_self_evaluation_agrees(agreement_world, name):
    """The published self-evaluation report's public part: on the page and in the API alike."""
    client = Client()
    number = agreement_world.institutions[name].registration_number
    page = 'id="self-evaluation"' in client.get(reverse("portal:profile", args=[number])).content.decode()
    api = bool(client.get(reverse("public-api:profile-detail", args=[number])).json().get("self_evaluation"))
    assert page == api, f"{name}: on the page {page}, in the API {api}"


# --- the table is complete ------------------------------------------------------------------------------------


def test_every_api_route_has_a_twin_or_a_reason():
    """A new API route fails here until it is given a resource above (or a reason why not)."""
    from tests.test_url_auth import _named_routes

    api = {name for name in _named_routes() if name.split(":")[0] in API_NAMESPACES}
    assert {name.split(":")[0] for name in _named_routes() if name.split(":")[0].endswith("-api")} == set(
        API_NAMESPACES), "a new API namespace: add it to API_NAMESPACES"
    assert api == set(API_ROUTES), f"missing {sorted(api - set(API_ROUTES))}; gone {sorted(set(API_ROUTES) - api)}"
    assert {r for r in API_ROUTES.values() if r} <= set(BY_NAME)
    assert {r.name for r in RESOURCES if r.api_list is None} <= set(NO_API_TWIN)
    assert {r.name for r in RESOURCES if r.page_list is None} <= set(NO_PAGE_TWIN)
