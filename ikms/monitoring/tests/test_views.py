"""Monitoring pages on hand-made stored results (the `monitored` fixture): dashboards with comparisons and
trends, scoping per role, the risk list with evidence sentences, the visit plan and tables 5-7 (the dossier is
tested in ikms/web/tests/test_dossier.py)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from ikms.core.models import AuditEvent
from ikms.monitoring import selectors, services
from ikms.monitoring.models import VisitPlanEntry
from ikms.monitoring.testing import store_run

pytestmark = pytest.mark.django_db


def reverse_lv(name, *args):
    """The Latvian (unprefixed) path, whatever language an earlier request left active."""
    with translation.override("lv"):
        return reverse(name, args=args)


def _client(client, world, role):
    client.force_login(world["users"][role])
    return client


def test_nation_dashboard_shows_values_trend_and_spread(client, monitored):
    c = _client(client, monitored, "analyst")
    response = c.get("/en/monitoring/valsts/?year=2023/2024")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Learners enrolled" in html
    assert "2022/2023" in html and "2023/2024" in html
    # the nation's value (120 + 64) and the previous year's (110 + 64)
    assert ">184<" in html and ">174<" in html
    assert "Data as of" in html and "specification version 000000000000" in html


def test_dashboard_export_csv_and_xlsx(client, monitored):
    c = _client(client, monitored, "analyst")
    csv = c.get("/en/monitoring/valsts/?year=2023/2024&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "learners_enrolled" in text and "184" in text
    xlsx = c.get("/en/monitoring/valsts/?year=2023/2024&format=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_institution_dashboard_compares_with_municipality_nation_and_group(client, monitored):
    c = _client(client, monitored, "head_a1")
    a1 = monitored["a1"].registration_number
    html = c.get(f"/en/monitoring/iestades/{a1}/?year=2023/2024").content.decode()
    rows = selectors.institution_dashboard(year="2023/2024", institution=monitored["a1"])
    enrolled = next(r for r in rows if r.info.code == "learners_enrolled")
    assert (enrolled.value, enrolled.municipality, enrolled.nation) == (120, 124, 184)
    assert enrolled.history == {"2022/2023": 110, "2023/2024": 120}
    # comparator group: same type (a1 and b1 are secondary schools), same size band (100-299 vs 0-99): alone
    assert enrolled.comparator == 120 and enrolled.comparator_n == 1
    assert "Comparator group" in html
    # its own risk flags, with the evidence sentence
    assert "In semester 2 of 2023/2024, 12 learners missed more than 20 lessons without a valid reason" in html


def test_many_institutions_against_their_groups_at_once_equal_their_dashboards(monitored,
                                                                             django_assert_max_num_queries):
    """The municipal report's comparator table reads every institution in a few queries, however many: each row
    equals the institution's own dashboard row (but the history), comparator median and count included."""
    from dataclasses import replace

    from ikms.registry.models import Institution

    institutions = list(Institution.objects.order_by("registration_number"))
    expected = {i.registration_number: [replace(r, history={})
                                        for r in selectors.institution_dashboard(year="2023/2024", institution=i)]
                for i in institutions}
    assert any(expected.values())
    # The runs, the institutions' values, their municipalities, the municipal and the national values, the groups'
    # members' values (the groups themselves are cached by the dashboards above).
    with selectors.results_memo(), django_assert_max_num_queries(6):
        bulk = selectors.institutions_against_groups(year="2023/2024", institutions=institutions)
    assert bulk == expected
    some = selectors.institutions_against_groups(year="2023/2024", institutions=institutions,
                                                 indicators_=["learners_enrolled"])
    assert some == {u: [r for r in rows if r.info.code == "learners_enrolled"] for u, rows in expected.items()}


def test_comparator_group_is_same_type_and_size_band(monitored):
    b1 = monitored["b1"]
    group = selectors.comparator_group("2023/2024", b1)
    assert group == [b1.registration_number]  # a1 has 120 learners: another band
    assert selectors.size_band(60) == (0, 100) and selectors.size_band(1200) == (1000, None)


def test_founder_sees_only_own_municipality_and_institutions(client, monitored):
    c = _client(client, monitored, "founder_riga")
    assert c.get("/monitoring/").url == reverse_lv("monitoring:municipality", "LV-RIX")
    page = c.get("/en/monitoring/pasvaldibas/LV-RIX/").content.decode()
    assert monitored["a1"].name in page and monitored["b1"].name not in page
    assert c.get("/monitoring/pasvaldibas/LV-067/").status_code == 404
    assert c.get(f"/monitoring/iestades/{monitored['b1'].registration_number}/").status_code == 404
    assert c.get("/monitoring/valsts/").status_code == 403
    assert c.get("/monitoring/riski/").status_code == 403
    assert c.get("/monitoring/kavejumi/?municipality=LV-067").status_code == 404


def test_head_lands_on_own_institution(client, monitored):
    c = _client(client, monitored, "head_a1")
    assert c.get("/monitoring/").url == reverse_lv("monitoring:institution", monitored["a1"].registration_number)
    assert c.get(f"/monitoring/iestades/{monitored['a2'].registration_number}/").status_code == 404


def test_risk_list_ranks_and_explains(client, monitored):
    entries = selectors.risk_list(user=monitored["users"]["analyst"], year="2023/2024")
    assert [e.institution for e in entries] == [monitored["a1"], monitored["b1"]]
    assert entries[0].rule_codes == ["R2", "R4"] and entries[0].score == 5  # R2 high (3) + R4 medium (2)
    assert entries[1].score == 2  # R1 is medium
    html = _client(client, monitored, "analyst").get("/en/monitoring/riski/?year=2023/2024").content.decode()
    assert html.index(monitored["a1"].name) < html.index(monitored["b1"].name)
    assert "(of 120 learners in all); the rule: at least 1 learner." in html
    assert ("In 2023/2024 the institution had 2 teacher vacancies open more than 30 days; the rule: at least 1 "
            "teacher vacancy.") in html
    only_r1 = selectors.risk_list(user=monitored["users"]["analyst"], year="2023/2024", rule="R1")
    assert [e.institution for e in only_r1] == [monitored["b1"]]
    ogre = selectors.risk_list(user=monitored["users"]["analyst"], year="2023/2024", municipality="LV-067")
    assert [e.institution for e in ogre] == [monitored["b1"]]


def test_risk_list_latvian_sentence(client, monitored):
    html = _client(client, monitored, "analyst").get("/monitoring/riski/?year=2023/2024").content.decode()
    assert ("Mācību gada 2023/2024 2. semestrī 12 izglītojamo bez attaisnojoša iemesla kavēja vairāk nekā 20 mācību "
            "stundu (iestādē kopā 120 izglītojamo); noteikums: vismaz 1 izglītojamais.") in html
    assert ("Mācību gadā 2023/2024 iestādē bija 1 apvienotā klase (kopā 6 klases); noteikums: vismaz 1 apvienotā "
            "klase.") in html


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_rule_texts_show_values_with_units_never_code_names(client, monitored, prefix):
    """The risk list's rule catalogue and every flag's evidence, in both languages: the parameters' values with
    their units, no parameter's code name."""
    c = _client(client, monitored, "analyst")
    html = c.get(f"{prefix}/monitoring/riski/?year=2023/2024").content.decode()
    html += c.get(f"{prefix}/monitoring/iestades/{monitored['a1'].registration_number}/").content.decode()
    body = re.sub(r"<script\b.*?</script>", " ", html.split("<body", 1)[1], flags=re.S)  # charts' data blocks
    text = re.sub(r"<[^>]*>", " ", body)  # what is read, not the links' query strings
    for rule in selectors.catalogue().rules:
        for name in (*rule.parameters, rule.left):
            assert name not in text, name
    assert "threshold_" not in text and "_pct" not in text and "{" not in text
    if prefix:
        assert "The institution has at least 1 combined class (several grades taught together)" in html
        assert "10% to 30% below that exam" in html
    else:
        assert "Iestādē mācību gadā ir vismaz 1 apvienotā klase (vairākas klases māca kopā)." in html
        assert "par 10 % līdz 30 % zemāks" in html


def test_put_on_visit_plan_from_risk_list(client, monitored):
    c = _client(client, monitored, "quality_expert")
    a1 = monitored["a1"]
    url = reverse_lv("monitoring:visit-add", a1.registration_number) + "?year=2023/2024"
    planned = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = c.post(url, {"planned_date": planned, "reason": "risk", "note": "R2 un R4",
                            "year": "2023/2024"})
    assert response.status_code == 302
    entry = VisitPlanEntry.objects.get(institution=a1)
    assert entry.rules == ["R2", "R4"] and entry.status == "planned" and entry.school_year == "2023/2024"
    assert AuditEvent.objects.filter(action="monitoring.visit_planned").exists()
    # on the list, marked as planned; a second entry is refused with a message and nothing written
    assert "On the visit plan" in c.get("/en/monitoring/riski/?year=2023/2024").content.decode()
    again = c.post("/en" + url, {"planned_date": planned, "reason": "risk", "year": "2023/2024"})
    assert again.status_code == 200 and "already on the visit plan" in again.content.decode()
    assert VisitPlanEntry.objects.count() == 1
    plan = c.get("/en/monitoring/apmeklejumi/").content.decode()
    assert a1.name in plan and "Risk-based" in plan


def test_visit_plan_rejects_bad_input(client, monitored):
    c = _client(client, monitored, "ikvd_admin")
    url = reverse_lv("monitoring:visit-add", monitored["b1"].registration_number)
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    lv = c.post(url, {"planned_date": past, "reason": "random"}).content.decode()
    assert "nevar būt pagātnē" in lv
    en = c.post("/en" + url, {"planned_date": "not a date", "reason": "nonsense"}).content.decode()
    assert "Enter a valid date" in en and "Select a valid choice" in en
    assert not VisitPlanEntry.objects.exists()


def test_registry_officer_may_see_but_not_plan(client, monitored):
    c = _client(client, monitored, "registry_officer")
    url = reverse_lv("monitoring:visit-add", monitored["a1"].registration_number)
    assert c.get(url).status_code == 403
    assert c.post(url, {"planned_date": "2030-01-01", "reason": "random"}).status_code == 403
    assert not VisitPlanEntry.objects.exists()


def test_visit_status_change(client, monitored):
    admin = monitored["users"]["ikvd_admin"]
    entry = services.visit_plan_add(actor=admin, institution=monitored["b1"],
                                    planned_date=timezone.localdate() + dt.timedelta(days=3), reason="complaint",
                                    note="Sūdzība Nr. 12")
    c = _client(client, monitored, "ikvd_admin")
    url = reverse_lv("monitoring:visit-status", entry.pk)
    no_note = c.post("/en" + url, {"status": "cancelled"}).content.decode()
    assert "Say why the visit is cancelled" in no_note
    assert c.post(url, {"status": "done", "note": "Apmeklēts"}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == "done"
    assert AuditEvent.objects.filter(action="monitoring.visit_status").count() == 1


def test_absence_tables_for_nation_and_founder(client, monitored):
    html = _client(client, monitored, "analyst").get("/en/monitoring/kavejumi/").content.decode()
    table5 = html.split('id="table5"')[1].split("</table>")[0]
    assert "No information" in table5 and ">7<" in table5 and ">2<" in table5
    table6 = html.split('id="table6-2"')[1].split("</table>")[0]
    assert ">12<" in table6  # secondary, both semesters, 2023/2024
    founder = _client(client, monitored, "founder_riga").get("/en/monitoring/kavejumi/")
    assert founder.status_code == 200
    assert monitored["a1"].municipality.name_en in founder.content.decode()  # its own municipality, not the nation
    assert _client(client, monitored, "head_a1").get("/monitoring/kavejumi/").status_code == 403
    csv = _client(client, monitored, "analyst").get("/monitoring/kavejumi/?format=csv&table=5")
    assert "7" in csv.content.decode("utf-8-sig")


def test_single_institution_recompute_overlays_the_national_run(monitored):
    a1 = monitored["a1"].registration_number
    store_run("2023/2024", [{"indicator": "learners_enrolled", "grain": "institution", "unit": a1, "value": 130,
                             "numerator": 130, "denominator": 130}], scope=[a1], minutes_ago=1)
    current = {v.unit: v.value for v in selectors.values(year="2023/2024", grain="institution",
                                                         indicators_=["learners_enrolled"])}
    assert current[a1] == 130 and current[monitored["b1"].registration_number] == 60
    assert selectors.risk_flags("2023/2024", [a1]) == []  # the recomputation found no flag


def test_indicator_page_has_chart_and_table(client, monitored):
    c = _client(client, monitored, "analyst")
    a1 = monitored["a1"].registration_number
    html = c.get(f"/en/monitoring/raditaji/learners_enrolled/?grain=institution&unit={a1}").content.decode()
    assert 'data-plotly="trend"' in html and "Values by school year" in html
    assert "plotly/plotly.min.js" in html
    csv = c.get(f"/monitoring/raditaji/learners_enrolled/?grain=institution&unit={a1}&format=csv")
    assert "110" in csv.content.decode("utf-8-sig") and "120" in csv.content.decode("utf-8-sig")
    founder = _client(client, monitored, "founder_ogre")
    assert founder.get(f"/monitoring/raditaji/learners_enrolled/?grain=institution&unit={a1}").status_code == 404
    assert founder.get("/monitoring/raditaji/learners_enrolled/?grain=nation&unit=LV").status_code == 403
    assert c.get("/monitoring/raditaji/no_such_indicator/").status_code == 404


def test_no_results_yet_page(client, world):
    response = _client(client, world, "analyst").get("/en/monitoring/valsts/")
    assert response.status_code == 200 and "No indicators have been computed yet" in response.content.decode()
