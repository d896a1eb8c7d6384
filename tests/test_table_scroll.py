"""Every table sits in a scroll box the server writes (the `table_scroll` template tag), so a wide table never
widens the page on a phone, with or without JavaScript: a focusable region named by the table's caption (or a
label). The templates are checked as written, and the monitoring dashboards as rendered."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_every_table_in_the_templates_is_in_a_scroll_box():
    bare = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        source = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<table\b", source):
            before = source[:match.start()]
            if before.rfind("{% table_scroll") <= before.rfind("{% endtable_scroll %}"):
                bare.append(f"{path.relative_to(TEMPLATES)}:{source.count(chr(10), 0, match.start()) + 1}")
    assert bare == [], f"write {{% table_scroll %}}<table>…</table>{{% endtable_scroll %}}: {bare}"


def _render(source: str, **context) -> str:
    return Template("{% load ikms %}" + source).render(Context(context))


def test_the_box_is_a_named_focusable_region():
    table = ('<table class="govuk-table"><caption class="govuk-table__caption">Skolēni &amp; <b>klases</b></caption>'
             "</table>")
    assert _render("{% table_scroll %}" + table + "{% endtable_scroll %}") == (
        '<div class="ikms-table-scroll" tabindex="0" role="region" aria-label="Skolēni &amp; klases">'
        + table + "</div>")
    bare = "<table><tr><td>1</td></tr></table>"
    assert 'aria-label="Rezultāti"' in _render('{% table_scroll label=name %}' + bare + "{% endtable_scroll %}",
                                               name="Rezultāti")
    assert 'aria-labelledby="results-heading"' in _render(
        '{% table_scroll labelledby="results-heading" %}' + bare + "{% endtable_scroll %}")
    with pytest.raises(TemplateSyntaxError):
        _render("{% table_scroll %}" + bare + "{% endtable_scroll %}")
    with pytest.raises(TemplateSyntaxError):
        _render('{% table_scroll title="x" %}' + bare + "{% endtable_scroll %}")


class _Tables(HTMLParser):
    """Each <table> with the scroll box it sits in (the attributes of the nearest div.ikms-table-scroll)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.tables: list[dict | None] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            box = next((a for t, a in reversed(self.stack)
                        if t == "div" and "ikms-table-scroll" in (a.get("class") or "").split()), None)
            self.tables.append(box)
        if tag not in self.VOID:
            self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break


PAGES = ["/monitoring/valsts/?year=2023/2024", "/monitoring/pasvaldibas/{riga}/?year=2023/2024",
         "/monitoring/iestades/{a1}/?year=2023/2024",
         "/monitoring/raditaji/learners_enrolled/?year=2023/2024", "/monitoring/riski/?year=2023/2024",
         "/monitoring/apmeklejumi/", "/monitoring/kavejumi/", "/monitoring/kavejumi/iestades/?year=2023/2024",
         "/monitoring/datu-kvalitate/", "/en/monitoring/valsts/?year=2023/2024"]


@pytest.mark.django_db
def test_the_monitoring_dashboards_write_every_table_in_a_scroll_box(client, monitored):
    client.force_login(monitored["users"]["ikvd_admin"])
    names = {"riga": monitored["a1"].municipality.code, "a1": monitored["a1"].registration_number}
    seen = 0
    for page in PAGES:
        url = page.format(**names)
        response = client.get(url)
        assert response.status_code == 200, url
        parser = _Tables()
        parser.feed(response.content.decode())
        for box in parser.tables:
            assert box is not None, f"a table outside a scroll box on {url}"
            assert box.get("tabindex") == "0" and box.get("role") == "region", url
            assert (box.get("aria-label") or "").strip() or box.get("aria-labelledby"), url
        seen += len(parser.tables)
    assert seen >= 20
