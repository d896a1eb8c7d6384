"""How pages write things (issue 12, item 7): one date format per language (27.03.2025. / 27 March 2025), the
decimal comma in Latvian, pages and exports alike; Latvian plural forms; the data note in plain words with the
details behind "About the data"; the help page with its glossary and the accessibility statement, public in both
languages; the favicon, sign-out in the header, the print style sheet and sortable tables."""

import csv
import datetime as dt
import gettext
import io
import json
import re
from html import unescape
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from openpyxl import load_workbook

from ikms.core.exports import export_response
from ikms.core.formatting import date_text, export_value, number_text
from ikms.monitoring import selectors
from ikms.registry.viis import ViisImportError, ViisImportReport, ViisRowIssue
from ikms.web.help_pages import TERMS

pytestmark = pytest.mark.django_db

PO = Path(settings.BASE_DIR) / "locale" / "lv" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
STATIC = Path(settings.BASE_DIR) / "static" / "ikms"


def _render(source: str, **context) -> str:
    return Template("{% load ikms %}" + source).render(Context(context))


# --- dates ---------------------------------------------------------------------------------------------------


def test_one_date_format_per_language():
    day, moment = dt.date(2025, 3, 27), dt.datetime(2025, 3, 27, 14, 30)  # noqa: DTZ001 (a wall-clock time)
    with translation.override("lv"):
        assert _render("{{ d|date }}", d=day) == "27.03.2025."
        assert _render('{{ d|date:"DATETIME_FORMAT" }}', d=moment) == "27.03.2025. 14:30"
        assert date_text(day) == "27.03.2025."
    with translation.override("en"):
        assert _render("{{ d|date }}", d=day) == "27 March 2025"
        assert _render('{{ d|date:"DATETIME_FORMAT" }}', d=moment) == "27 March 2025, 14:30"
        assert date_text(moment, with_time=True) == "27 March 2025, 14:30"


def test_no_template_writes_a_date_format_of_its_own():
    """Dates are shown through the language's format (`|date`, `|date:"DATETIME_FORMAT"`); only machine-readable
    attributes (<time datetime>, data-sort-value) may name one."""
    templates = Path(settings.BASE_DIR) / "templates"
    offenders = []
    for path in templates.rglob("*.html"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in re.finditer(r"""\|date:(["'])([^"']*)\1""", line):
                if match.group(2) in ("DATETIME_FORMAT", "DATE_FORMAT", "SHORT_DATE_FORMAT"):
                    continue
                if match.group(2) == "Y-m-d" and match.group(1) == "'":  # inside an attribute: ISO for machines
                    continue
                offenders.append(f"{path.relative_to(templates)}:{n}: {match.group(0)}")
    assert offenders == []


def test_latvian_page_shows_dates_as_dd_mm_yyyy(client, world):
    a1 = world["a1"]
    a1.registered_on = dt.date(2019, 9, 2)
    a1.save(update_fields=["registered_on"])
    lv = client.get(f"/registrs/iestades/{a1.registration_number}/").content.decode()
    assert "02.09.2019." in lv and "2019-09-02" not in lv
    en = client.get(f"/en/registrs/iestades/{a1.registration_number}/").content.decode()
    assert "2 September 2019" in en


# --- numbers -------------------------------------------------------------------------------------------------


def test_num_rounds_and_localises():
    with translation.override("lv"):
        assert [number_text(v) for v in (66.84, 66.85, 45.0, 12345, None, 2.25)] == [
            "66,8", "66,9", "45", "12\xa0345", "–", "2,3"]
        assert _render("{{ v|num }} {{ v|num:2 }}", v=3.14159) == "3,1 3,14"
        assert number_text(66.50, 2, trim=True) == "66,5"
    with translation.override("en"):
        assert [number_text(v) for v in (66.84, 12345)] == ["66.8", "12,345"]


def test_latvian_page_writes_decimals_with_a_comma(client, monitored):
    client.force_login(monitored["users"]["analyst"])
    lv = client.get("/monitoring/valsts/?year=2023/2024").content.decode()
    assert ">36,8<" in lv  # average class size in the country: 184 learners / 5 classes
    assert ">36.8<" not in lv
    en = client.get("/en/monitoring/valsts/?year=2023/2024").content.decode()
    assert ">36.8<" in en


# --- exports -------------------------------------------------------------------------------------------------


def _export(fmt: str, language: str, rows):
    with translation.override(language):
        return export_response(fmt=fmt, filename="t", headers=["a", "b", "c", "d"], rows=rows)


def test_csv_counts_are_whole_numbers_and_latvian_decimals_have_a_comma():
    rows = [[45.0, 66.8, dt.date(2025, 3, 27), None], [3, 0.125, "teksts", True]]
    lv = list(csv.reader(io.StringIO(_export("csv", "lv", rows).content.decode("utf-8-sig"))))
    assert lv[1] == ["45", "66,8", "27.03.2025.", ""]
    assert lv[2] == ["3", "0,125", "teksts", "True"]
    en = list(csv.reader(io.StringIO(_export("csv", "en", rows).content.decode("utf-8-sig"))))
    assert en[1] == ["45", "66.8", "2025-03-27", ""]


def test_xlsx_keeps_numbers_and_dates():
    response = _export("xlsx", "lv", [[45.0, 66.8, dt.date(2025, 3, 27), None]])
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = next(sheet.iter_rows(min_row=2, values_only=True))
    assert cells[0] == 45 and isinstance(cells[0], int)
    assert cells[1] == 66.8
    assert cells[2].date() == dt.date(2025, 3, 27)  # a real date (openpyxl reads it back as a datetime)
    assert sheet.cell(row=2, column=3).number_format == "dd.mm.yyyy."


def test_export_value_of_moments_is_local_time():
    from django.utils import timezone

    moment = dt.datetime(2025, 3, 27, 12, 0, tzinfo=dt.UTC)
    with translation.override("lv"), timezone.override("Europe/Riga"):
        assert export_value(moment, for_csv=True) == "27.03.2025. 14:00"
        assert export_value(moment, for_csv=False) == dt.datetime(2025, 3, 27, 14, 0)  # noqa: DTZ001 (Excel: none)


def test_register_csv_writes_latvian_dates(client, world):
    a1 = world["a1"]
    a1.registered_on = dt.date(2019, 9, 2)
    a1.save(update_fields=["registered_on"])
    text = client.get("/registrs/iestades/?format=csv").content.decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(text)) if r[0] == a1.registration_number)
    assert "02.09.2019." in row


# --- plurals -------------------------------------------------------------------------------------------------


def test_latvian_catalogue_has_three_plural_forms():
    """CLDR's Latvian rule, which the units of the risk-rule texts (analytics/definitions/units.yaml) use too:
    form 0 for 0, 10–20, 30 … (11 izglītojamo), form 1 for 1, 21, 31 … but not 11 (21 izglītojamais), form 2 for
    the rest (2 izglītojamie)."""
    header = polib.pofile(str(PO)).metadata["Plural-Forms"]
    assert header.startswith("nplurals=3;")
    catalogue = gettext.GNUTranslations(MO.open("rb"))
    forms = {n: catalogue.ngettext("%(n)s task", "%(n)s tasks", n) for n in (0, 1, 2, 11, 21, 22)}
    assert forms == {0: "%(n)s uzdevumu", 1: "%(n)s uzdevums", 2: "%(n)s uzdevumi", 11: "%(n)s uzdevumu",
                     21: "%(n)s uzdevums", 22: "%(n)s uzdevumi"}
    with translation.override("lv"):
        assert {n: translation.ngettext("%(n)s task", "%(n)s tasks", n) % {"n": n} for n in (1, 2, 11, 21)} == {
            1: "1 uzdevums", 2: "2 uzdevumi", 11: "11 uzdevumu", 21: "21 uzdevums"}


def test_every_plural_entry_has_three_latvian_forms():
    entries = [e for e in polib.pofile(str(PO)) if e.msgid_plural and not e.obsolete]
    assert entries
    assert [e.msgid for e in entries if sorted(e.msgstr_plural) != [0, 1, 2] or not all(e.msgstr_plural.values())] == []


LV_FORMS = {0: "zero", 1: "one", 11: "zero", 21: "one", 2: "other", 22: "other"}


@pytest.mark.parametrize(("singular", "plural", "forms"), [
    ("%(n)s decision", "%(n)s decisions", {"zero": "%(n)s lēmumu", "one": "%(n)s lēmums", "other": "%(n)s lēmumi"}),
    ("%(n)s institution with long-term unexcused absentees.", "%(n)s institutions with long-term unexcused absentees.",
     {"zero": "%(n)s iestāžu ar", "one": "%(n)s iestāde ar", "other": "%(n)s iestādes ar"}),
    ("Comparator group: %(n)s institution of the same type with %(low)s to %(high)s learners (this one included).",
     "Comparator group: %(n)s institutions of the same type with %(low)s to %(high)s learners (this one included).",
     {"zero": "%(n)s tāda paša tipa iestāžu", "one": "%(n)s tāda paša tipa iestāde",
      "other": "%(n)s tāda paša tipa iestādes"}),
    ("The VIIS file was not imported: %(count)d error; nothing was written.",
     "The VIIS file was not imported: %(count)d errors; nothing was written.",
     {"zero": "%(count)d kļūdu;", "one": "%(count)d kļūda;", "other": "%(count)d kļūdas;"}),
])
def test_counts_take_the_latvian_plural_form(singular, plural, forms):
    """A number before a noun takes its form: 1 and 21 the singular, 0 and 11 the genitive plural, 2 and 22 the
    nominative plural ("21 izglītojamais", "11 izglītojamo", "2 izglītojamie")."""
    with translation.override("lv"):
        for n, category in LV_FORMS.items():
            assert forms[category] in translation.ngettext(singular, plural, n), (n, category)
    with translation.override("en"):
        assert translation.ngettext(singular, plural, 1) == singular
        assert translation.ngettext(singular, plural, 21) == plural


def test_a_one_row_import_error_reads_in_the_singular():
    issue = ViisRowIssue(row=2, column="Nosaukums", value="", code="required", message_lv="Nav.", message_en="No.")
    report = ViisImportReport(path="x.csv", as_of=dt.date(2025, 1, 1), errors=[issue])
    with translation.override("en"):
        assert "not imported: 1 error; nothing" in str(ViisImportError(report))
    with translation.override("lv"):
        report.errors = [issue] * 21
        assert "tajā ir 21 kļūda;" in str(ViisImportError(report))
        report.errors = [issue] * 11
        assert "tajā ir 11 kļūdu;" in str(ViisImportError(report))


def test_comparator_group_counts_in_the_right_form(client, monitored):
    client.force_login(monitored["users"]["analyst"])
    a1 = monitored["a1"].registration_number
    html = client.get(f"/monitoring/iestades/{a1}/?year=2023/2024").content.decode()
    n, noun = re.search(r"Salīdzināmā grupa: (\d+) tāda paša tipa (\w+)", html).groups()
    assert noun == {"zero": "iestāžu", "one": "iestāde", "other": "iestādes"}[LV_FORMS.get(int(n), "other")]
    en = client.get(f"/en/monitoring/iestades/{a1}/?year=2023/2024").content.decode()
    n, noun = re.search(r"Comparator group: (\d+) (institutions?) of the same type", en).groups()
    assert noun == ("institution" if n == "1" else "institutions")


def test_home_page_counts_with_plural_forms(client, world):
    en = client.get("/en/").content.decode()
    assert "3 registered educational institutions" in en
    assert "2 licensed education programmes" in en


# --- the data note -------------------------------------------------------------------------------------------


def test_data_note_is_plain_with_details_about_the_data(client, monitored):
    client.force_login(monitored["users"]["analyst"])
    lv = client.get("/monitoring/valsts/?year=2023/2024").content.decode()
    note = lv[lv.index('class="ikms-data-note"'):]
    note = note[:note.index("</details>")]
    plain = note[:note.index("<details")]
    assert "Mācību gads 2023/2024. Dati līdz 30.06.2025.; aprēķināti " in plain
    for jargon in ("momentuzņēmum", "specifikācij", "datu ezer", "000000000000"):
        assert jargon not in plain, jargon
    assert 'class="govuk-details' in note and "Par datiem" in note
    assert "rādītāju definīciju versija: 000000000000" in note
    en = client.get("/en/monitoring/valsts/?year=2023/2024").content.decode()
    assert "School year 2023/2024. Data as of 30 June 2025; computed " in en and "About the data" in en


def test_public_profile_has_the_same_note(client, monitored):
    page = client.get(f"/profili/{monitored['a1'].registration_number}/").content.decode()
    assert "Dati līdz 30.06.2025.; aprēķināti" in page and "Par datiem" in page
    assert "45,0" in page  # a decimal on a Latvian page


# --- help and the accessibility statement ---------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_help_page_is_public_and_lists_every_indicator(client, prefix):
    response = client.get(f"{prefix}/palidziba/")
    assert response.status_code == 200
    html = response.content.decode()
    listed = set(re.findall(r'data-indicator="([^"]+)"', html))
    assert listed == set(selectors.indicators())
    with translation.override("en" if prefix else "lv"):
        for info in selectors.indicators().values():
            assert escape(info.name) in html, info.code
        for term, _explanation in TERMS:
            assert escape(str(term)) in html
    assert ("Main terms" if prefix else "Galvenie termini") in html


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_accessibility_statement_is_public(client, prefix):
    response = client.get(f"{prefix}/pieklustamiba/")
    assert response.status_code == 200
    html = response.content.decode()
    if prefix:
        for text in ("Accessibility statement", "partially compliant", "WCAG", "EN 301 549", "Tiesībsarga birojs",
                     settings.IKMS_CONTACT_EMAIL, "6 December 2026"):
            assert text in html, text
    else:
        for text in ("Paziņojums par piekļūstamību", "daļēji atbilst", "Nepiekļūstams saturs", "Tiesībsarga birojā",
                     "06.12.2026.", "Nr. 445", settings.IKMS_CONTACT_EMAIL):
            assert text in html, text


def test_footer_links_help_and_the_statement(client, db):
    html = client.get("/").content.decode()
    assert f'href="{reverse("pages:help")}"' in html
    assert 'href="/pieklustamiba/"' in html
    assert "Paziņojums par piekļūstamību" in html


# --- header, favicon, print, sorting -------------------------------------------------------------------------


def test_favicon_is_linked_and_served(client, db):
    html = client.get("/").content.decode()
    assert re.search(r'<link rel="icon" href="/static/ikms/favicon\.svg" type="image/svg\+xml">', html)
    assert '<link rel="icon" href="/static/ikms/favicon.ico"' in html
    assert (STATIC / "favicon.svg").read_text(encoding="utf-8").startswith("<svg")
    assert (STATIC / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"


def test_sign_out_is_a_button_in_the_header(client, world):
    client.force_login(world["users"]["analyst"])
    html = client.get("/").content.decode()
    header = html[html.index('class="govuk-service-navigation"'):html.index('id="main-content"')]
    form = re.search(r'<form class="ikms-nav-form" action="/accounts/logout/" method="post">(.*?)</form>', header, re.S)
    assert form, header
    assert 'name="csrfmiddlewaretoken"' in form.group(1) and "Iziet" in form.group(1)
    footer = html[html.index('<footer'):]
    assert "logout" not in footer
    anonymous = client.__class__().get("/").content.decode()
    assert "ikms-nav-form" not in anonymous


def test_print_style_sheet_hides_navigation_and_filters():
    css = (STATIC / "site.css").read_text(encoding="utf-8")
    rules = css[css.index("@media print"):]
    for selector in (".govuk-service-navigation", ".govuk-footer", ".govuk-pagination", ".govuk-button", "form",
                     ".govuk-skip-link", ".govuk-breadcrumbs", ".ikms-table-scroll { overflow: visible; }",
                     '[href^="/"].govuk-link::after'):
        assert selector in rules, selector
    assert re.search(r"\.govuk-table \{ width: 100%", rules)


def test_sortable_tables_and_their_script(client, world):
    html = client.get("/registrs/iestades/").content.decode()
    assert re.search(r"<table [^>]*data-sortable", html)
    texts = re.search(r'<script src="/static/ikms/tables.js" data-texts="([^"]*)" defer></script>', html).group(1)
    assert json.loads(unescape(texts))["ascending"] == "augošā secībā"
    script = (STATIC / "tables.js").read_text(encoding="utf-8")
    assert "aria-sort" in script and "ikms-table-scroll" in script


def test_latvian_csv_of_a_page_has_no_float_counts(client, world):
    """The register's statistics: counts in the CSV are whole numbers."""
    client.force_login(world["users"]["registry_officer"])
    text = client.get("/staff/statistics/?format=csv").content.decode("utf-8-sig")
    assert not re.search(r"\b\d+\.0\b", text), text
