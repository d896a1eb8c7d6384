"""History in words: decisions and register versions as field labels with old → new values, audit actions with
labels in both languages, and the decision list searched by number, institution, kind and date (pages and API
alike)."""

import ast
import datetime
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation import override

from ikms.accounts.roles import Role
from ikms.accounts.testing import make_user
from ikms.accreditation import workflow
from ikms.childcare.choices import DecisionKind as ChildcareDecisionKind
from ikms.core.audit_labels import audit_label, has_label
from ikms.core.models import AuditEvent
from ikms.inspections import workflow as inspections_workflow
from ikms.practice.choices import DecisionKind as PracticeDecisionKind
from ikms.registry import history, services, views
from ikms.registry.choices import AmendmentReason, DecisionKind
from ikms.registry.models import Decision, InstitutionType, Municipality
from ikms.registry.services import DecisionInput
from ikms.registry.testing import license_programme

pytestmark = pytest.mark.django_db


def _text(html: bytes | str) -> str:
    """The page's visible text: tags removed, white space collapsed."""
    html = html.decode() if isinstance(html, bytes) else html
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _decision(number: str, day: datetime.date) -> DecisionInput:
    return DecisionInput(number=number, date=day, legal_basis="Izglītības likuma 24. pants")


def _amend(officer, institution, number: str, day: datetime.date, reason=AmendmentReason.HEAD, **values):
    return services.institution_amend(actor=officer, decision=_decision(number, day), institution=institution,
                                      reason=reason, values=values)


@pytest.fixture
def head_change(world, officer):
    """a1's head amended twice: Anna Bērziņa → Ivars Kļaviņš → Inese Bērziņa."""
    a1 = world["a1"]
    _amend(officer, a1, "4-1/2024/101", datetime.date(2024, 2, 1), head_name="Ivars Kļaviņš")
    return _amend(officer, a1, "4-1/2024/102", datetime.date(2024, 3, 5), head_name="Inese Bērziņa")


@pytest.fixture(autouse=True)
def latvian():
    """Latvian active (the default), so that reverse() gives unprefixed URLs whatever ran before."""
    with override("lv"):
        yield


@pytest.fixture
def staff(client, officer):
    client.force_login(officer)
    return client


# --- Decision page ------------------------------------------------------------------------------------------


def test_decision_page_shows_field_labels_and_old_to_new_values(staff, head_change):
    url = reverse("registry:decision-detail", args=[head_change.pk])
    page = staff.get(url)
    text = _text(page.content)
    assert "Vadītājs Ivars Kļaviņš → Inese Bērziņa" in text
    assert "Maiņas iemesls" not in text and "(Vadītāja maiņa)" in text  # the reason in words, not "head"
    assert "{'" not in text and "_id" not in text and "head_name" not in text
    english = _text(staff.get("/en" + url).content)
    assert "Head Ivars Kļaviņš → Inese Bērziņa" in english
    assert "(Change of head)" in english


def test_decision_page_names_foreign_keys_choices_and_dates(staff, world, officer):
    a1, ogre_founder = world["a1"], world["ogre"]
    old_type, new_type = a1.type, InstitutionType.objects.get(code="basic")
    ogre = Municipality.objects.get(code="LV-067")
    amend = _amend(officer, a1, "4-1/2024/200", datetime.date(2024, 4, 2), reason=AmendmentReason.REORGANISATION,
                   type=new_type, founder=ogre_founder, municipality=ogre)
    text = _text(staff.get(reverse("registry:decision-detail", args=[amend.pk])).content)
    assert f"Tips {old_type.name_lv} → {new_type.name_lv}" in text
    assert f"Dibinātājs {world['riga'].name} → {ogre_founder.name}" in text
    assert f"Pašvaldība Rīga → {ogre.name_lv}" in text
    with override("en"):
        rows = [str(c) for c in history.decision_changes(amend)]
    assert f"Type: {old_type.name_en} → {new_type.name_en}" in rows
    assert f"Municipality: Riga → {ogre.name_en}" in rows

    strike = services.institution_strike_off(actor=officer, decision=_decision("4-1/2024/201",
                                              datetime.date(2024, 5, 2)), institution=world["b1"])
    text = _text(staff.get(reverse("registry:decision-detail", args=[strike.pk])).content)
    assert "Statuss Reģistrēta → Likvidēta / svītrota" in text
    programme_b = world["programme_b"]
    assert f"Licences, kas zaudējušas spēku {programme_b.code} {programme_b.name}" in text

    quality = make_user(Role.QUALITY_EXPERT, username="q-history")
    accreditation = services.accreditation_decide(actor=quality, decision=_decision("A-2024/1",
                                                  datetime.date(2024, 3, 1)), institution=world["a2"],
                                                  kind=DecisionKind.ACCREDITATION_GRANT)
    text = _text(staff.get(reverse("registry:decision-detail", args=[accreditation.decision.pk])).content)
    assert "Akreditācijas statuss Akreditēta" in text
    assert "Akreditēta līdz — → 01.03.2030." in text
    with override("en"):
        changes = [str(c) for c in history.decision_changes(accreditation.decision)]
        assert "Accredited until: — → 1 March 2030" in changes
    for raw in ("{'", "_id", "accredited_until", "valid_until", "2030-03-01"):
        assert raw not in text


def test_names_are_read_with_one_query_per_model(world, officer, head_change, django_assert_num_queries):
    a1 = world["a1"]
    amend = _amend(officer, a1, "4-1/2024/400", datetime.date(2024, 4, 2), reason=AmendmentReason.REORGANISATION,
                   type=InstitutionType.objects.get(code="basic"), founder=world["ogre"],
                   municipality=Municipality.objects.get(code="LV-067"))
    amend = Decision.objects.get(pk=amend.pk)
    with django_assert_num_queries(3):  # institution types, founders, municipalities
        history.decision_changes(amend)
    with django_assert_num_queries(5):  # versions, then types, founders, municipalities, decision numbers
        entries = history.object_history(a1)
    assert len(entries) == 4


def test_registration_and_revocation_read_as_values(staff, world, officer):
    register = Decision.objects.get(institution=world["a1"], kind=DecisionKind.REGISTER)
    text = _text(staff.get(reverse("registry:decision-detail", args=[register.pk])).content)
    assert "Statuss Iesniegums izskatīšanā → Reģistrēta" in text
    assert f"Nosaukums {world['a1'].name}" in text
    assert f"Tips {world['a1'].type.name_lv}" in text
    assert "{'" not in text and "_id" not in text

    licence = Decision.objects.get(programme=world["programme_a"], kind=DecisionKind.LICENCE_ISSUE)
    text = _text(staff.get(reverse("registry:decision-detail", args=[licence.pk])).content)
    assert f"Licences numurs {world['programme_a'].licence_number}" in text
    assert "Īstenošanas vietas" in text

    revoke = services.decision_revoke(actor=officer, decision=_decision("R-2024/1", datetime.date(2024, 6, 1)),
                                      target=licence)
    text = _text(staff.get(reverse("registry:decision-detail", args=[revoke.pk])).content)
    assert "Licences statuss Anulēta" in text
    assert "licence_status" not in text and "{'" not in text


# --- Record history -----------------------------------------------------------------------------------------


def test_record_history_shows_labels_and_only_changed_fields(staff, world, officer, head_change):
    a1 = world["a1"]
    ogre = Municipality.objects.get(code="LV-067")
    _amend(officer, a1, "4-1/2024/300", datetime.date(2024, 4, 2), reason=AmendmentReason.FOUNDER,
           founder=world["ogre"], municipality=ogre)
    entries = history.object_history(a1)
    assert [e.number for e in entries] == ["4-1/2024/300", "4-1/2024/102", "4-1/2024/101",
                                           Decision.objects.get(institution=a1, kind=DecisionKind.REGISTER).number]
    assert [str(c) for c in entries[1].changes] == ["Vadītājs: Ivars Kļaviņš → Inese Bērziņa"]
    assert {str(c) for c in entries[0].changes} == {f"Dibinātājs: {world['riga'].name} → {world['ogre'].name}",
                                                    f"Pašvaldība: Rīga → {ogre.name_lv}"}
    assert entries[-1].initial and not entries[0].initial
    assert all(e.user == officer and e.decision_id for e in entries)

    html = staff.get(reverse("registry:institution-detail", args=[a1.pk])).content.decode()
    text = _text(html)
    assert "Vadītājs: Ivars Kļaviņš → Inese Bērziņa" in text
    assert f"Dibinātājs: {world['riga'].name} → {world['ogre'].name}" in text
    assert f"Tips: {a1.type.name_lv}" in text  # the first version: the values it was recorded with
    for raw in ("type_id", "founder_id", "municipality_id", "head_name", "registered_on", "{'"):
        assert raw not in text
    assert reverse("registry:decision-detail", args=[head_change.pk]) in html
    english = _text(staff.get("/en" + reverse("registry:institution-detail", args=[a1.pk])).content)
    assert "Head: Ivars Kļaviņš → Inese Bērziņa" in english


def test_programme_history_is_in_words(staff, world):
    text = _text(staff.get(reverse("registry:programme-detail", args=[world["programme_a"].pk])).content)
    assert "Licences statuss: Licencēta" in text
    assert "institution_id" not in text and "licence_date" not in text


# --- Audit action labels ------------------------------------------------------------------------------------

SOURCES = Path(settings.BASE_DIR) / "ikms"

#: Actions written with an f-string: the values each can take (a new dynamic action fails the test below until
#: it is listed here).
DYNAMIC = {
    "decision.": lambda: list(DecisionKind.values),
    "accreditation.": lambda: [t.action for t in workflow.TRANSITIONS]
    + _constant_args("_audit", 2, module="accreditation"),
    "self_evaluation.": lambda: _constant_args("_se_audit", 2),
    "cases.": lambda: _constant_args("_case_audit", 2),
    "inspections.": lambda: [t.action for t in inspections_workflow.TRANSITIONS]
    + _constant_args("_inspection_audit", 2),
    "complaints.": lambda: _constant_args("_complaint_audit", 2),
    "accreditation.expert_": lambda: _constant_args("_expert_audit", 2),
    "convictions.": lambda: _constant_args("_audit", 2, module="convictions"),
    "licensing.": lambda: _constant_args("_audit", 2, module="licensing"),
    "childcare.": lambda: list(ChildcareDecisionKind.values),
    "practice.": lambda: list(PracticeDecisionKind.values),
    "statements.": lambda: _constant_args("_audit", 2, module="statements"),
}


def _modules():
    for path in sorted(SOURCES.rglob("*.py")):
        if "tests" not in path.parts and "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def _called(node: ast.Call) -> str:
    return node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")


def _constant_args(function: str, position: int, module: str = "") -> list[str]:
    """The constant argument at `position` of every call of `function` (the action of an audit helper), in the
    modules whose path holds `module` (every module when empty)."""
    found = []
    for path, tree in _modules():
        if module and module not in path.relative_to(SOURCES).parts:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called(node) == function and len(node.args) > position:
                arg = node.args[position]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.append(arg.value)
    return found


def _emitted_actions() -> set[str]:
    """Every action code the code writes: the `action` of each audit_log() call, f-strings expanded."""
    actions: set[str] = set()
    for path, tree in _modules():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _called(node) == "audit_log"):
                continue
            action = next((k.value for k in node.keywords if k.arg == "action"), None)
            if isinstance(action, ast.Constant):
                actions.add(action.value)
            elif isinstance(action, ast.JoinedStr):
                first = action.values[0]
                prefix = first.value if isinstance(first, ast.Constant) else ""
                assert prefix in DYNAMIC, f"{path}: list the values of the dynamic audit action {prefix!r}…"
                actions.update(f"{prefix}{value}" for value in DYNAMIC[prefix]())
            else:
                pytest.fail(f"{path}:{node.lineno}: audit_log(action=…) must be a string or an f-string")
    return actions


def test_every_emitted_audit_action_has_a_label_in_both_languages():
    actions = _emitted_actions()
    assert {"decision.record", "decision.amend", "accreditation.apply", "accreditation.task_create",
            "self_evaluation.publish", "monitoring.compute", "user.sign_in_lock", "role.grant",
            "founder.create"} <= actions
    missing = sorted(a for a in actions if not has_label(a))
    assert missing == []
    code_like = re.compile(r"\b[a-z_]+\.[a-z_]+\b")
    for action in sorted(actions):
        with override("lv"):
            lv = audit_label(action)
        with override("en"):
            en = audit_label(action)
        assert lv and en and lv != en, f"{action}: {lv!r} / {en!r} (not translated?)"
        assert not code_like.search(lv) and not code_like.search(en), action


def test_written_events_have_labels_and_unknown_actions_read_as_words(world):
    written = set(AuditEvent.objects.values_list("action", flat=True))
    assert written and all(has_label(a) for a in written)
    with override("lv"):
        assert audit_label("decision.record") == "Lēmums ierakstīts"
        assert audit_label("decision.amend") == "Reģistra ierakstā izdarīti grozījumi"
        assert audit_label("decision.no_such_kind") == "Reģistra lēmums: cits notikums"
        assert audit_label("nothing") == "Cits notikums"
    with override("en"):
        assert audit_label("decision.record") == "Decision recorded"
        assert audit_label("zzz.unknown") == "Other event"


def test_event_log_shows_labels_not_codes(staff, head_change, world):
    text = _text(staff.get(reverse("registry:institution-detail", args=[world["a1"].pk])).content)
    assert "Lēmums ierakstīts" in text
    assert "decision.record" not in text and "decision.amend" not in text
    text = _text(staff.get(reverse("registry:decision-detail", args=[head_change.pk])).content)
    assert "Lēmums ierakstīts" in text and "decision.record" not in text
    assert "Ierakstu vēsture" not in text  # decisions have no row history of their own


def test_event_log_names_its_objects_in_the_readers_language(staff, head_change, world):
    """A decision written while Latvian was active reads in English on the English page (its kind and date), and an
    object since deleted keeps the text stored with its event."""
    url = reverse("registry:institution-detail", args=[world["a1"].pk])
    assert "4-1/2024/102 (05.03.2024.) Izdarīt grozījumus reģistra ierakstā" in _text(staff.get(url).content)
    english = _text(staff.get("/en" + url).content)
    assert "4-1/2024/102 (5 March 2024) Amend register entry" in english
    assert "grozījumus" not in english
    event = AuditEvent.objects.filter(target_id=str(head_change.pk), action="decision.record").get()
    AuditEvent.objects.filter(pk=event.pk).update(target_id="999999", target_repr="Dzēsts lēmums")
    assert "Dzēsts lēmums" in _text(staff.get(url).content)


# --- Decision list search -----------------------------------------------------------------------------------


@pytest.fixture
def decisions(world, officer, head_change):
    _amend(officer, world["b1"], "4-1/2023/7", datetime.date(2023, 6, 1), head_name="Pēteris Ozols")
    return world


def _page_numbers(client, params: dict, language: str = "") -> list[str]:
    page = client.get(f"{language}{reverse('registry:decision-list')}", params)
    assert page.status_code == 200
    return re.findall(r'href="[^"]*/decisions/\d+/">([^<]+)</a>', page.content.decode())


def _api_numbers(client, params: dict) -> list[str]:
    answer = client.get(reverse("registry-api:decision-list"), {**params, "page_size": 500})
    assert answer.status_code == 200, answer.content
    return [row["number"] for row in answer.json()["results"]]


SEARCHES = [
    ({"number": "4-1/2024"}, {"4-1/2024/101", "4-1/2024/102"}),
    ({"number": "4-1/2024/101"}, {"4-1/2024/101"}),
    ({"number": " 4-1/2023/7 "}, {"4-1/2023/7"}),
    ({"date_from": "2024-01-01", "date_to": "2024-12-31"}, {"4-1/2024/101", "4-1/2024/102"}),
    ({"date_from": "2023-06-01", "date_to": "2023-06-01"}, {"4-1/2023/7"}),
    ({"institution": "ogres testa", "kind": "amend"}, {"4-1/2023/7"}),
    ({"institution": "RIGAS TESTA", "kind": "amend"}, {"4-1/2024/101", "4-1/2024/102"}),
    ({"institution": "rīgas testa", "date_from": "2024-03-01"}, {"4-1/2024/102"}),
]


@pytest.mark.parametrize(("params", "expected"), SEARCHES)
def test_decision_list_searches_like_the_api(staff, decisions, params, expected):
    assert set(_page_numbers(staff, params)) == expected
    assert set(_api_numbers(staff, params)) == expected


def test_decision_list_also_reads_dates_as_typed(staff, decisions):
    """A person may type dd.mm.gggg. where the browser has no date picker."""
    assert set(_page_numbers(staff, {"date_from": "01.06.2023", "date_to": "01.06.2023."})) == {"4-1/2023/7"}


def test_institution_search_by_registration_number_and_name(staff, decisions):
    b1 = decisions["b1"]
    by_number = set(_page_numbers(staff, {"institution": b1.registration_number}))
    expected = set(Decision.objects.filter(institution=b1).values_list("number", flat=True))
    assert by_number == expected == set(_api_numbers(staff, {"institution": b1.registration_number}))
    assert set(_page_numbers(staff, {"institution": "Saulite"})) == set(
        Decision.objects.filter(institution=decisions["a2"]).values_list("number", flat=True))


def test_decision_list_shows_the_count_and_keeps_filters_when_paging(staff, decisions, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    page = staff.get(reverse("registry:decision-list"), {"institution": "rigas testa", "kind": "amend"})
    html = page.content.decode()
    assert "Atrasti 2 lēmumi" in _text(html)
    next_link = re.search(r'href="([^"]*page=2[^"]*)"', html).group(1).replace("&amp;", "&")
    assert "institution=rigas+testa" in next_link or "institution=rigas%20testa" in next_link
    assert "kind=amend" in next_link
    assert len(_page_numbers(staff, dict(parse_qsl(urlsplit(next_link).query)))) == 1


REAL_DATE = ("Ievadiet derīgu datumu, piemēram, 01.03.2024.",
             "Enter a real date, for example 2024-03-01 or 01.03.2024.")
API_DATE = ("Ievadiet datumu formātā GGGG-MM-DD, piemēram, 2024-03-01.",
            "Enter the date as YYYY-MM-DD, for example 2024-03-01.")
DATE_ORDER = ("Beigu datums nevar būt agrāks par sākuma datumu.", "The end date cannot be before the start date.")


@pytest.mark.parametrize(("params", "field", "page_messages", "api_messages"), [
    ({"date_from": "2024-02-30"}, "date_from", REAL_DATE, API_DATE),
    ({"date_to": "vakar"}, "date_to", REAL_DATE, API_DATE),
    ({"date_from": "2024-05-01", "date_to": "2024-04-01"}, "date_to", DATE_ORDER, DATE_ORDER),
])
@pytest.mark.usefixtures("decisions")
def test_invalid_dates_give_a_clear_message(staff, params, field, page_messages, api_messages):
    url = reverse("registry:decision-list")
    for prefix, message in zip(("", "/en"), page_messages, strict=True):
        page = staff.get(prefix + url, params)
        assert page.status_code == 200
        assert message in _text(page.content)
        assert "govuk-error-summary" in page.content.decode()
    for language, message in zip(("lv", "en"), api_messages, strict=True):
        answer = staff.get(reverse("registry-api:decision-list"), params, HTTP_ACCEPT_LANGUAGE=language)
        assert answer.status_code == 400
        assert answer.json()["extra"][field] == [message]


def test_api_dates_are_iso_only(staff, decisions):
    """The API takes exactly YYYY-MM-DD (its schema's `format: date`); a blank date is rejected, not ignored."""
    for value in ("", "01.06.2023", "2023-6-1", "20230601"):
        assert staff.get(reverse("registry-api:decision-list"), {"date_from": value}).status_code == 400
    assert set(_api_numbers(staff, {"date_from": "2023-06-01", "date_to": "2023-06-01"})) == {"4-1/2023/7"}


def test_decision_search_keeps_the_scope(client, decisions):
    """A founder searching every decision still sees only its own institutions' decisions."""
    client.force_login(decisions["users"]["founder_ogre"])
    mine = set(Decision.objects.filter(institution__founder=decisions["ogre"]).values_list("number", flat=True))
    assert set(_page_numbers(client, {"number": "4-1/"})) == {"4-1/2023/7"}
    assert set(_api_numbers(client, {"institution": "testa"})) <= mine
    assert set(_page_numbers(client, {"institution": "rigas"})) == set()


def test_licence_page_history_after_amend(staff, world, officer):
    programme = license_programme(actor=officer, institution=world["a1"], code="31011011")
    services.programme_licence_change(actor=officer, decision=_decision("L-2024/1", datetime.date(2024, 2, 2)),
                                      programme=programme, kind=DecisionKind.LICENCE_AMEND,
                                      values={"form": "distance"})
    text = _text(staff.get(reverse("registry:programme-detail", args=[programme.pk])).content)
    assert "Ieguves forma: Klātiene → Tālmācība" in text
    assert "Licences datums: 05.05.2021." in text  # the first version: the values it was recorded with
    decision = Decision.objects.get(number="L-2024/1")
    with override("en"):
        assert [str(c) for c in history.decision_changes(decision)] == ["Form: Full-time → Distance"]
