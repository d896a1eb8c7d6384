"""A municipal board's view (issue 12): its own institutions ranked by risk with the rules in words, their evidence
and the rules not evaluated; sorting and filters; the export of exactly the table shown (rounded as shown, raw with
?raw=1); charts with their tables and axes that do not mislead; breadcrumbs. The world is `board` (conftest.py)."""

import csv
import io
import json
import re
from html import unescape

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from ikms.core import charts
from ikms.monitoring import selectors
from ikms.monitoring.models import ComputationRun, IndicatorValue

pytestmark = pytest.mark.django_db

YEAR = "2023/2024"
RIGA = "/en/monitoring/pasvaldibas/LV-RIX/"


def _client(client, world, role):
    client.force_login(world["users"][role])
    return client


def _table(html: str) -> tuple[list[str], list[list[str]]]:
    """The ranking table as read: its header labels (without the hidden sort hints and arrows) and its rows'
    cell texts (the evidence cell's text, the whole disclosure)."""
    table = html[html.index('id="institutions-table"'):]
    table = table[:table.index("</table>")]
    head = table[table.index("<thead"):table.index("</thead>")]
    headers = [_text(re.sub(r'<span class="govuk-visually-hidden">.*?</span>|<span aria-hidden="true">.*?</span>',
                            "", cell, flags=re.S)) for cell in re.findall(r"<th\b[^>]*>(.*?)</th>", head, re.S)]
    rows = []
    for row in re.findall(r'<tr class="govuk-table__row" data-institution[^>]*>(.*?)</tr>', table, re.S):
        rows.append([_text(c) for c in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", row, re.S)])
    return headers, rows


def _text(fragment: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _numbers(html: str) -> list[str]:
    return re.findall(r'<tr class="govuk-table__row" data-institution="(\d+)"', html)


def test_a_founder_sees_its_schools_ranked_by_score_with_the_rules_in_words(client, board):
    c = _client(client, board, "founder_riga")
    html = c.get(RIGA, {"year": YEAR}).content.decode()
    a1, a2, a3, a4, a5 = (board[k].registration_number for k in ("a1", "a2", "a3", "a4", "a5"))
    # ranked by the national list's score (R1 2 + R2 3 + R3 3; R2 3 + R4 2; R5 3), then the rest by name
    assert _numbers(html) == [a4, a1, a3, a5, a2]
    assert [r.score for r in selectors.municipality_risk_rows(
        user=board["users"]["founder_riga"], year=YEAR, institutions=[board[k] for k in ("a1", "a3", "a4")])] \
        == [8, 5, 3]
    headers, rows = _table(html)
    assert headers == ["Rank", "Institution", "Institution type", "Learners", "Risk score", "Risk rules triggered",
                       "Evidence", "Risk rules not evaluated"]
    assert rows[0][:5] == ["1", "Rīgas Bērzu pamatskola", "Basic school", "80", "8"]
    assert rows[3][0] == "–" and rows[3][4] == "0"  # no triggered rule: no rank
    # the rules in words, with their codes beside them, not a bare list of codes
    assert "Long-term unexcused absences (R2)" in rows[1][5] and "Teacher vacancy over one month (R4)" in rows[1][5]
    assert "R2, R4" not in html
    # the evidence sentences, in a disclosure
    assert "12 learners missed more than 20 lessons without a valid reason" in rows[1][6]
    assert '<details class="govuk-details' in html
    # not the national risk list, and not another founder's schools
    assert board["b1"].name not in html
    assert c.get("/monitoring/riski/").status_code == 403
    assert c.get("/monitoring/pasvaldibas/LV-067/").status_code == 404
    ogre = _client(client, board, "founder_ogre").get("/en/monitoring/pasvaldibas/LV-067/").content.decode()
    assert _numbers(ogre) == [board["b1"].registration_number]
    assert "Rīgas" not in ogre


def test_a_rule_not_evaluated_is_shown_as_such_never_as_a_pass(client, board):
    html = _client(client, board, "founder_riga").get(RIGA, {"year": YEAR}).content.decode()
    _headers, rows = _table(html)
    a2 = next(r for r in rows if r[1] == board["a2"].name)
    assert a2[5] == "No rule triggered (some not evaluated)"
    assert a2[7].startswith("not evaluated No support staff (R3): no data received for 2022/2023: Staff")
    a5 = next(r for r in rows if r[1] == "Rīgas Ciedru pamatskola")
    assert a5[5] == "None" and a5[7] == "–"
    lv = _client(client, board, "founder_riga").get("/monitoring/pasvaldibas/LV-RIX/").content.decode()
    assert "nav novērtēts" in lv and "Neviens noteikums neizpildās (daži nav novērtēti)" in lv


def test_the_ranking_sorts_by_its_column_headers(client, board):
    c = _client(client, board, "founder_riga")
    a1, a2, a3, a4, a5 = (board[k].registration_number for k in ("a1", "a2", "a3", "a4", "a5"))
    html = c.get(RIGA, {"year": YEAR}).content.decode()
    assert re.search(r'aria-sort="descending"><a class="govuk-link" href="\?[^"]*sort=score&amp;order=asc', html)
    assert html.count("aria-sort=") == 1
    by_name = c.get(RIGA, {"year": YEAR, "sort": "name", "order": "asc"}).content.decode()
    assert _numbers(by_name) == [a3, a4, a5, a2, a1]  # Ā right after A, Latvian alphabetical order
    assert 'aria-sort="ascending"><a class="govuk-link" href="?year=2023%2F2024&amp;sort=name&amp;order=desc"' \
        in by_name
    assert _numbers(c.get(RIGA, {"sort": "name", "order": "desc"}).content.decode()) == [a1, a2, a5, a4, a3]
    # learners: 250.4 (a3), 120 (a1), 80 (a4), 40 (a5), 4 (a2)
    assert _numbers(c.get(RIGA, {"sort": "learners"}).content.decode()) == [a3, a1, a4, a5, a2]
    assert _numbers(c.get(RIGA, {"sort": "score", "order": "asc"}).content.decode()) == [a5, a2, a3, a1, a4]
    assert _numbers(c.get(RIGA, {"sort": "type", "order": "asc"}).content.decode())[:2] == [a4, a5]  # Basic school
    assert _numbers(c.get(RIGA, {"sort": "nonsense"}).content.decode()) == [a4, a1, a3, a5, a2]


def test_the_ranking_filters(client, board):
    c = _client(client, board, "founder_riga")
    a1, a2, a3, a4 = (board[k].registration_number for k in ("a1", "a2", "a3", "a4"))
    assert _numbers(c.get(RIGA, {"rule": "R5"}).content.decode()) == [a3]
    assert _numbers(c.get(RIGA, {"rule": "R2"}).content.decode()) == [a4, a1]
    assert _numbers(c.get(RIGA, {"min_score": "5"}).content.decode()) == [a4, a1]
    assert _numbers(c.get(RIGA, {"at_risk": "on"}).content.decode()) == [a4, a1, a3]
    assert _numbers(c.get(RIGA, {"type": "preschool"}).content.decode()) == [a2]
    assert _numbers(c.get(RIGA, {"type": "secondary", "at_risk": "on"}).content.decode()) == [a1, a3]
    # ranks count within the filtered table
    html = c.get(RIGA, {"type": "basic"}).content.decode()
    assert [r[0] for r in _table(html)[1]] == ["1", "–"]
    # a wrong value is shown as an error and left out, never a 500
    bad = c.get(RIGA, {"min_score": "many"})
    assert bad.status_code == 200 and "govuk-error-summary" in bad.content.decode()
    assert len(_numbers(bad.content.decode())) == 5


def test_the_ranking_pages(client, board):
    from ikms.monitoring.views import dashboards

    c = _client(client, board, "founder_riga")
    original = dashboards.RISK_PAGE_SIZE
    dashboards.RISK_PAGE_SIZE = 2
    try:
        first = c.get(RIGA).content.decode()
        second = c.get(RIGA, {"page": "2"}).content.decode()
        csv_text = c.get(RIGA, {"format": "csv", "table": "institutions"}).content.decode("utf-8-sig")
    finally:
        dashboards.RISK_PAGE_SIZE = original
    assert len(_numbers(first)) == 2 and len(_numbers(second)) == 2
    assert 'class="govuk-pagination"' in first
    assert len(list(csv.reader(io.StringIO(csv_text)))) == 6  # the header and every page's rows


def test_the_export_is_exactly_the_table_shown(client, board):
    c = _client(client, board, "founder_riga")
    query = {"year": YEAR, "sort": "learners", "order": "desc", "at_risk": "on"}
    headers, rows = _table(c.get(RIGA, query).content.decode())
    response = c.get(RIGA, {**query, "format": "csv", "table": "institutions"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="iestades-LV-RIX-2023-2024.csv"' in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == headers
    assert [line[1] for line in lines[1:]] == [r[1] for r in rows] == ["Rīgas Ābeļu vidusskola",
                                                                        "Rīgas Testa vidusskola",
                                                                        "Rīgas Bērzu pamatskola"]
    for line, row in zip(lines[1:], rows, strict=True):
        # the same cells: numbers with a decimal point, the importance after a dash rather than in a tag, the
        # evidence without the disclosure's summary ("Evidence: <institution>")
        assert line[:5] == [row[0], row[1], row[2], row[3].replace(",", "."), row[4]]
        assert line[5].replace(" – ", " ").replace("; ", " ") == row[5]
        assert row[6] == f"Evidence : {row[1]} {line[6]}"
        assert line[7] == "" and row[7] == "–"
    # rounded as shown (250,4 on the page), unrounded with raw=1
    assert rows[0][3] == "250.4" and lines[1][3] == "250.4"
    raw = c.get(RIGA, {**query, "format": "csv", "table": "institutions", "raw": "1"}).content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(raw)))[1][3] == "250.4444"
    # the same table as XLSX, with numbers as numbers
    xlsx = c.get(RIGA, {**query, "format": "xlsx", "table": "institutions"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0] == headers and [r[1] for r in cells[1:]] == [r[1] for r in rows]
    assert cells[1][3] == 250.4 and cells[1][4] == 3 and cells[1][0] == 3
    # the indicator table is a separate, labelled export
    page = c.get(RIGA, query).content.decode()
    assert 'id="institutions-export"' in page and page.count("Download the table:") == 2
    assert "table=indicators" in page
    indicators = c.get(RIGA, {"format": "csv", "table": "indicators"}).content.decode("utf-8-sig")
    assert "learners_enrolled" in indicators and "Rīgas Ābeļu vidusskola" not in indicators


def test_the_indicator_export_rounds_as_shown(client, board):
    c = _client(client, board, "analyst")
    run = ComputationRun.objects.get(school_year=YEAR, scope=[])
    IndicatorValue.objects.filter(run=run, indicator="average_class_size", grain="municipality").update(
        value=1.2704462442432904)
    cache.clear()
    shown = c.get(RIGA, {"format": "csv", "table": "indicators"}).content.decode("utf-8-sig")
    assert "1.3" in shown and "1.2704462442432904" not in shown
    raw = c.get(RIGA, {"format": "csv", "table": "indicators", "raw": "1"}).content.decode("utf-8-sig")
    assert "1.2704462442432904" in raw


def _figure(html: str, chart_id: str) -> dict:
    block = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', html, re.S)
    assert block, chart_id
    return json.loads(block.group(1))


def test_charts_with_their_tables_on_the_municipal_institution_and_indicator_pages(client, board):
    c = _client(client, board, "founder_riga")
    html = c.get(RIGA, {"year": YEAR}).content.decode()
    scores = _figure(html, "risk-scores")
    bars = scores["data"][0]
    assert bars["type"] == "bar" and bars["x"] == [str(s) for s in range(9)]
    assert bars["y"] == [2, 0, 0, 1, 0, 1, 0, 0, 1]
    assert scores["layout"]["yaxis"]["rangemode"] == "tozero"
    assert 'role="img"' in html and "Institutions by risk score" in html and "plotly/plotly.min.js" in html
    table = html[html.index('<caption class="govuk-table__caption govuk-table__caption--s">Institutions by risk'):]
    body = table[table.index("<tbody"):table.index("</tbody>")]
    assert [_text(r) for r in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)] == [
        "0 2", "1 0", "2 0", "3 1", "4 0", "5 1", "6 0", "7 0", "8 1"]

    a1 = board["a1"].registration_number
    inst = c.get(f"/en/monitoring/iestades/{a1}/", {"year": YEAR}).content.decode()
    trend = _figure(inst, "trend-1")
    assert [t["name"] for t in trend["data"]] == ["Rīgas Testa vidusskola", "Riga", "Latvia"]
    assert trend["data"][0]["y"] == [22.0, 24.0] and trend["data"][2]["y"] == [34.8, 36.8]
    assert 'data-chart-table="trend-1"' in inst and "Key indicators over the school years" in inst

    indicator = c.get(f"/en/monitoring/raditaji/learners_enrolled/?grain=institution&unit={a1}").content.decode()
    assert 'data-plotly="trend"' in indicator and "Values by school year" in indicator
    assert _figure(indicator, "trend")["data"][0]["y"] == [110, 120]


def test_a_line_chart_not_from_zero_says_so(client, board):
    # average class size: 22-24 here, 34.8-36.8 nationally: all in the upper half, so the axis is narrowed
    a1 = board["a1"].registration_number
    html = _client(client, board, "founder_riga").get(f"/en/monitoring/iestades/{a1}/").content.decode()
    figure = _figure(html, "trend-1")
    assert figure["layout"]["yaxis"]["range"][0] > 0
    chart = html[html.index('data-chart="trend-1"'):]
    chart = chart[:chart.index("</figure>")]
    assert "The vertical axis does not start at zero." in chart
    assert "The vertical axis does not start at zero." in re.search(r'aria-label="([^"]*)"', chart).group(1)
    lv = _client(client, board, "founder_riga").get(f"/monitoring/iestades/{a1}/").content.decode()
    assert "ass nesākas no nulles" in lv
    # the indicator page's national trend (349.5k → 346.4k): narrowed, noted, and the dip stays a dip
    axis, zero_based = charts.value_axis([349_500, 346_400, 348_000])
    assert not zero_based and axis["range"][0] > 0
    assert (349_500 - 346_400) / (axis["range"][1] - axis["range"][0]) < 0.1
    # from zero where that does not flatten the values, and always for bars
    assert charts.value_axis([10, 40])[1] and charts.value_axis([-5, 3])[1] and charts.value_axis([None])[1]
    assert charts.bar_chart("x", "t", ["a"], [5]).figure["layout"]["yaxis"]["rangemode"] == "tozero"
    municipal = _client(client, board, "founder_riga").get(RIGA).content.decode()
    assert "does not start at zero" not in municipal


def test_chart_labels_cannot_carry_markup():
    chart = charts.bar_chart("x", "t", ["<a href='x'>Skola</a>"], [1])
    assert chart.figure["data"][0]["x"] == ["&lt;a href='x'&gt;Skola&lt;/a&gt;"]


def test_breadcrumbs_on_the_monitoring_pages(client, board):
    c = _client(client, board, "founder_riga")
    a1 = board["a1"].registration_number

    def crumbs(url):
        html = c.get(url).content.decode()
        nav = html[html.index('<nav class="govuk-breadcrumbs"'):]
        return [_text(item) for item in re.findall(r"<li[^>]*>(.*?)</li>", nav[:nav.index("</nav>")], re.S)]

    assert crumbs(RIGA) == ["Home", "Monitoring", "Riga"]
    assert crumbs(f"/en/monitoring/iestades/{a1}/") == ["Home", "Monitoring", "Riga", "Rīgas Testa vidusskola"]
    assert crumbs(f"/en/monitoring/raditaji/learners_enrolled/?grain=institution&unit={a1}") == [
        "Home", "Monitoring", "Riga", "Rīgas Testa vidusskola", "Learners enrolled"]
    assert crumbs("/monitoring/pasvaldibas/LV-RIX/")[:2] == ["Sākumlapa", "Monitorings"]
    html = c.get(f"/en/monitoring/iestades/{a1}/?year={YEAR}").content.decode()
    assert 'href="/en/monitoring/pasvaldibas/LV-RIX/?year=2023%2F2024">Riga</a>' in html
    assert '<li class="govuk-breadcrumbs__list-item" aria-current="page">Rīgas Testa vidusskola</li>' in html
    # a head may not open the municipality's page: no link to it
    head = _client(client, board, "head_a1").get(f"/en/monitoring/iestades/{a1}/").content.decode()
    nav = head[head.index('<nav class="govuk-breadcrumbs"'):]
    assert "pasvaldibas" not in nav[:nav.index("</nav>")]
    staff = _client(client, board, "analyst")
    for url in ("/en/monitoring/valsts/", "/en/monitoring/riski/", "/en/monitoring/apmeklejumi/",
                "/en/monitoring/kavejumi/"):
        assert '<nav class="govuk-breadcrumbs"' in staff.get(url).content.decode(), url
