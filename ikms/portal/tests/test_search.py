"""Public profiles a parent can use: the school search that ignores case, diacritics, punctuation and word order and
forgives a slip; filters by type and municipality; the API searching the same way; the compare basket that keeps up
to three schools across searches and pages; no English on the Latvian pages."""

import csv
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from ikms.portal import profile_views, search
from ikms.portal.basket import SESSION_KEY
from ikms.portal.search import Entry, NameIndex, fold, near_prefix, words
from ikms.registry.signals import register_changed
from ikms.registry.testing import municipal_founder, register_institution

VIIS = Path(settings.IKMS_SHARED_DIR) / "data" / "real" / "lv-viis-register-2020" / "viis_institutions_2020.csv"


# --- folding and matching, no database -------------------------------------------------------------------------


def test_fold_drops_case_and_every_latvian_diacritic():
    assert fold("ĀČĒĢĪĶĻŅŠŪŽ āčēģīķļņšūž") == "acegiklnsuz acegiklnsuz"
    assert words("Rīgas 10. vidusskola") == ["rigas", "10", "vidusskola"]
    assert words("pirmsskolas izglītības iestāde “Saulīte”") == ["pirmsskolas", "izglitibas", "iestade", "saulite"]
    assert words("  ...  ") == []


@pytest.mark.parametrize(("word", "candidate", "near"), [
    ("vidusskola", "vidusskola", True),
    ("vidus", "vidusskola", True),  # a beginning
    ("vidusskla", "vidusskola", True),  # a letter left out
    ("viduskola", "vidusskola", True),
    ("vidusskoola", "vidusskola", True),  # one too many
    ("vidusskoka", "vidusskola", True),  # one replaced
    ("vidussokla", "vidusskola", True),  # two swapped
    ("riigas", "rigas", True),
    ("rigas", "riga", True),  # one too many at the end
    ("rigas", "iestade", False),
    ("vidussk0l", "vidusskola", True),
    ("vidsskla", "vidusskola", False),  # two slips
    ("ogres", "rigas", False),
])
def test_near_prefix_is_one_edit_from_a_beginning(word, candidate, near):
    assert near_prefix(word, candidate) is near


def _index(names: list[str]) -> NameIndex:
    return NameIndex(Entry(i, f"{4000000000 + i}", name, "secondary", "LV-RIX") for i, name in enumerate(names))


NAMES = ["Rīgas 10. vidusskola", "Rīgas 1. vidusskola", "Rīgas 13. vidusskola", "Rīgas 2. vidusskola",
         "Rīgas Valsts 1. ģimnāzija", "Pierīgas pamatskola", "Daugavpils 3. vidusskola", "Ogres Testa vidusskola",
         "Rīgas pirmsskolas izglītības iestāde “Saulīte”", "Rīga Business School"]


def _names(index: NameIndex, q: str) -> list[str]:
    by_key = {e.pk: e.name for e in index.entries}
    return [by_key[k] for k in index.search(q).keys]


def test_words_in_any_order_without_diacritics_or_full_stops():
    index = _index(NAMES)
    for q in ("rigas 10 vidusskola", "Rīgas 10. vidusskola", "RIGAS 10 VIDUSSKOLA", "vidusskola rigas 10",
              "rig 10 vid"):
        assert _names(index, q) == ["Rīgas 10. vidusskola"], q
    rigas = _names(index, "rigas")
    assert "Pierīgas pamatskola" not in rigas  # words begin with the query's words
    assert set(rigas) == {n for n in NAMES if "rigas" in words(n)}
    assert _names(index, "saulite") == ["Rīgas pirmsskolas izglītības iestāde “Saulīte”"]


def test_whole_words_first_then_alphabetically_numbers_by_value():
    index = _index(NAMES)
    assert _names(index, "rigas 1 vidusskola") == ["Rīgas 1. vidusskola", "Rīgas 10. vidusskola",
                                                   "Rīgas 13. vidusskola"]
    assert _names(index, "vidusskola")[:4] == ["Daugavpils 3. vidusskola", "Ogres Testa vidusskola",
                                               "Rīgas 1. vidusskola", "Rīgas 2. vidusskola"]


def test_one_slip_in_a_longer_word_is_forgiven_only_when_nothing_matches_exactly():
    index = _index(NAMES)
    for q in ("riigas 10 vidusskola", "rigas 10 vidusskla", "rigas 10 vidussokla", "rigaz 10 vidusskola"):
        hits = index.search(q)
        assert _names(index, q) == ["Rīgas 10. vidusskola"], q
        assert hits.approximate, q
    assert not index.search("rigas 10 vidusskola").approximate
    # "testa" is one slip from "iesta(de)", but "Testa" matches exactly, so no pre-school comes along
    assert _names(index, "testa") == ["Ogres Testa vidusskola"]
    # words under 5 letters must be right: "ogrs" finds nothing
    assert _names(index, "ogrs") == []


def test_a_number_alone_also_finds_registration_numbers():
    index = _index(NAMES)
    assert _names(index, "4000000003") == ["Rīgas 2. vidusskola"]
    assert _names(index, "10") == ["Rīgas 10. vidusskola"]  # a word of the name
    assert len(_names(index, "400000000")) == len(NAMES)  # the beginning of every number


def test_the_real_register_names():
    """The 2,713 names of the 2020 VIIS export (read from ../shared, never copied); timing is in the report, not
    asserted here."""
    with VIIS.open(encoding="utf-8") as f:
        names = [row["Nosaukums"] for row in csv.DictReader(f)]
    assert len(names) == 2713
    index = _index(names)
    for q in ("rigas 10 vidusskola", "Rīgas 10. vidusskola", "riigas 10 vidusskola", "vidusskola rigas 10"):
        assert _names(index, q)[0] == "Rīgas 10. vidusskola", q
    found = _names(index, "rigas")
    assert len(found) == sum("rigas" in words(n) for n in names) > 300
    assert _names(index, "rigas") == _names(index, "RĪGAS")


# --- the page and the API ----------------------------------------------------------------------------------------


@pytest.fixture
def schools(world, officer):
    """`world` and four more: three Riga secondary schools with numbers in their names and one in Daugavpils."""
    riga, daugavpils = world["riga"], municipal_founder("LV-DGV")
    made = {name: register_institution(actor=officer, founder=riga, name=name)
            for name in ("Rīgas 10. vidusskola", "Rīgas 1. vidusskola", "Rīgas 13. vidusskola")}
    made["Daugavpils 3. vidusskola"] = register_institution(actor=officer, founder=daugavpils,
                                                            name="Daugavpils 3. vidusskola")
    return {**world, **made}


def _page_names(client, query: dict) -> list[str]:
    response = client.get(reverse("portal:profile-search"), query)
    assert response.status_code == 200
    return [i.name for i in response.context["page_obj"].object_list]


def _api_names(client, query: dict) -> list[str]:
    response = client.get(reverse("public-api:profile-list"), {**query, "page_size": 500})
    assert response.status_code == 200, response.content
    return [r["name"] for r in response.json()["results"]]


@pytest.mark.django_db
def test_search_page_finds_without_diacritics_and_with_a_slip(client, schools):
    assert _page_names(client, {"q": "rigas 10 vidusskola"}) == ["Rīgas 10. vidusskola"]
    assert _page_names(client, {"q": "riigas 10 vidusskola"}) == ["Rīgas 10. vidusskola"]
    page = client.get(reverse("portal:profile-search"), {"q": "riigas 10 vidusskola"}).content.decode()
    assert "data-approximate" in page
    assert _page_names(client, {"q": "rigas"}) == ["Rīgas 1. vidusskola", "Rīgas 10. vidusskola",
                                                   "Rīgas 13. vidusskola",
                                                   "Rīgas pirmsskolas izglītības iestāde “Saulīte”",
                                                   "Rīgas Testa vidusskola"]


@pytest.mark.django_db
def test_filters_by_type_and_municipality(client, schools):
    assert _page_names(client, {"type": "preschool"}) == ["Rīgas pirmsskolas izglītības iestāde “Saulīte”"]
    assert _page_names(client, {"municipality": "LV-DGV"}) == ["Daugavpils 3. vidusskola"]
    assert _page_names(client, {"q": "vidusskola", "municipality": "LV-067"}) == ["Ogres Testa vidusskola"]
    assert _page_names(client, {"q": "rigas", "type": "secondary"}) == [
        "Rīgas 1. vidusskola", "Rīgas 10. vidusskola", "Rīgas 13. vidusskola", "Rīgas Testa vidusskola"]
    page = client.get(reverse("portal:profile-search")).content.decode()
    assert 'name="type"' in page and "<optgroup" in page and 'name="municipality"' in page
    bad = client.get(reverse("portal:profile-search"), {"type": "nonsense"})
    assert "govuk-error-summary" in bad.content.decode()


@pytest.mark.django_db
def test_filters_are_kept_across_pages(client, schools, monkeypatch):
    monkeypatch.setattr(profile_views, "PAGE_SIZE", 2)
    query = {"q": "vidusskola", "type": "secondary", "municipality": "LV-RIX"}
    first = client.get(reverse("portal:profile-search"), query)
    assert [i.name for i in first.context["page_obj"]] == ["Rīgas 1. vidusskola", "Rīgas 10. vidusskola"]
    next_link = re.search(r'href="([^"]+)" rel="next"', first.content.decode()).group(1).replace("&amp;", "&")
    for part in ("q=vidusskola", "type=secondary", "municipality=LV-RIX", "page=2"):
        assert part in next_link
    second = client.get(reverse("portal:profile-search") + next_link)
    assert [i.name for i in second.context["page_obj"]] == ["Rīgas 13. vidusskola", "Rīgas Testa vidusskola"]


@pytest.mark.django_db
@pytest.mark.parametrize("query", [
    {}, {"q": "rigas"}, {"q": "RĪGAS 10."}, {"q": "vidusskola rigas"}, {"q": "riigas 10 vidusskola"},
    {"q": "testa"}, {"q": "saulite", "municipality": "LV-RIX"}, {"q": "vidusskola", "type": "secondary"},
    {"type": "preschool"}, {"municipality": "LV-DGV"}, {"q": "nekas tads"},
])
def test_the_api_finds_what_the_page_finds_in_the_same_order(client, schools, query):
    assert _api_names(client, query) == _page_names(client, query)


@pytest.mark.django_db
def test_the_api_searches_by_registration_number(client, schools):
    a1 = schools["a1"].registration_number
    assert _api_names(client, {"q": a1}) == [schools["a1"].name]


@pytest.mark.django_db
def test_the_index_follows_the_register(client, schools, officer):
    assert _page_names(client, {"q": "jauna"}) == []
    # the test's transaction never commits, so no register_changed: the register's fingerprint notices
    register_institution(actor=officer, founder=schools["riga"], name="Jaunā sākumskola")
    assert _page_names(client, {"q": "jauna"}) == ["Jaunā sākumskola"]
    search.public_index()
    assert search._cache
    register_changed.send(sender=None, decisions=1)
    assert not search._cache  # the receiver (PortalConfig.ready) forgot the index


# --- the compare basket ---------------------------------------------------------------------------------------


def _add(client, institution, next_url: str, language: str = ""):
    return client.post(f"{language}{reverse('portal:compare-add')}",
                       {"i": institution.registration_number, "next": next_url}, follow=True)


@pytest.mark.django_db
def test_parent_compares_three_schools_found_without_diacritics(client, monitored, officer, monkeypatch):
    """The basket keeps three schools across two searches and two pages, refuses a fourth with a message, and the
    compare page shows the three."""
    monkeypatch.setattr(profile_views, "PAGE_SIZE", 1)
    a1, a2, b1 = monitored["a1"], monitored["a2"], monitored["b1"]
    fourth = register_institution(actor=officer, founder=monitored["riga"], name="Rīgas 10. vidusskola")

    # search 1: "vidusskola", page 1 is Ogres; add it
    response = client.get("/profili/", {"q": "vidusskola"})
    assert [i.name for i in response.context["page_obj"]] == [b1.name]
    page = _add(client, b1, "/profili/?q=vidusskola")
    assert page.redirect_chain[-1][0] == "/profili/?q=vidusskola"
    assert "Pievienots salīdzinājumam: Ogres Testa vidusskola (1 no 3)." in page.content.decode()
    # page 3 of the same search: Rīgas Testa vidusskola
    response = client.get("/profili/", {"q": "vidusskola", "page": 3})
    assert [i.name for i in response.context["page_obj"]] == [a1.name]
    _add(client, a1, "/profili/?q=vidusskola&page=3")
    # search 2, without diacritics: "rigas saulite"
    response = client.get("/profili/", {"q": "rigas saulite"})
    assert [i.name for i in response.context["page_obj"]] == [a2.name]
    page = _add(client, a2, "/profili/?q=rigas+saulite").content.decode()
    assert "(3 no 3)" in page
    assert client.session[SESSION_KEY] == [b1.registration_number, a1.registration_number, a2.registration_number]

    # the basket is shown, by name, on another search and page, with the chosen rows marked
    page = client.get("/profili/", {"q": "vidusskola", "page": 2}).content.decode()
    basket = page[page.index('id="basket"'):page.index("</section>", page.index('id="basket"'))]
    for school in (a1, a2, b1):
        assert school.name in basket
    assert basket.count("Izņemt no salīdzinājuma") == 3
    assert 'href="/profili/salidzinat/"' in basket

    # a fourth is refused, in Latvian and in English
    page = _add(client, fourth, "/profili/?q=rigas+10").content.decode()
    assert ("Vienlaikus var salīdzināt ne vairāk kā trīs skolas. Lai pievienotu iestādi Rīgas 10. vidusskola, "
            "vispirms izņemiet kādu no jau izvēlētajām.") in page
    page = _add(client, fourth, "/en/profili/?q=rigas+10", language="/en").content.decode()
    assert ("You can compare up to three schools at a time. To add Rīgas 10. vidusskola, first remove one of the "
            "chosen schools.") in page
    assert len(client.session[SESSION_KEY]) == 3

    # the compare page takes the basket: the three side by side, no registration numbers to type
    page = client.get("/profili/salidzinat/").content.decode()
    header = page[page.index('data-block="chart-school"'):]
    header = header[:header.index("</thead>")]
    for school in (b1, a1, a2):
        assert school.name in header
    assert 'inputmode="numeric"' not in page and "data-plotly" in page
    share = f"?i={b1.registration_number}&amp;i={a1.registration_number}&amp;i={a2.registration_number}"
    assert share in page  # a link to share the comparison

    # remove one, then the fourth fits
    client.post(reverse("portal:compare-remove"), {"i": a2.registration_number, "next": "/profili/salidzinat/"})
    page = _add(client, fourth, "/profili/").content.decode()
    assert "Pievienots salīdzinājumam: Rīgas 10. vidusskola (3 no 3)." in page
    assert client.session[SESSION_KEY] == [b1.registration_number, a1.registration_number,
                                           fourth.registration_number]


@pytest.mark.django_db
def test_basket_buttons_are_posts_that_return_only_to_this_site(client, world):
    a1 = world["a1"]
    assert client.get(reverse("portal:compare-add")).status_code == 405
    response = client.post(reverse("portal:compare-add"), {"i": a1.registration_number,
                                                          "next": "https://example.com/"})
    assert response.status_code == 302 and response["Location"] == "/profili/"
    response = client.post(reverse("portal:compare-add"), {"i": "0000000000", "next": "/profili/"})
    assert response.status_code == 404
    response = client.post(reverse("portal:compare-add"), {"i": "\x00", "next": "/profili/"})
    assert response.status_code == 404
    page = client.post(reverse("portal:compare-add"), {"i": a1.registration_number, "next": "/profili/"},
                       follow=True).content.decode()
    assert "Jau izvēlēts salīdzināšanai: Rīgas Testa vidusskola." in page
    # the profile page has the button too, and says the school is chosen
    page = client.get(reverse("portal:profile", args=[a1.registration_number])).content.decode()
    assert "Šī skola ir izvēlēta salīdzināšanai (izvēlēts: 1 no 3)." in page
    assert f'action="{reverse("portal:compare-remove")}"' in page


@pytest.mark.django_db
def test_the_basket_works_with_csrf_checks(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("portal:profile-search")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    a1 = world["a1"]
    assert client.post(reverse("portal:compare-add"), {"i": a1.registration_number}).status_code == 403
    response = client.post(reverse("portal:compare-add"), {"i": a1.registration_number,
                                                          "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and client.session[SESSION_KEY] == [a1.registration_number]


@pytest.mark.django_db
def test_shared_links_still_compare_by_registration_number_and_leave_the_basket(client, monitored):
    numbers = [monitored[k].registration_number for k in ("a1", "b1")]
    page = client.get("/profili/salidzinat/", {"i": numbers}).content.decode()
    assert monitored["a1"].name in page and monitored["b1"].name in page and "data-plotly" in page
    assert SESSION_KEY not in client.session


# --- no English on the Latvian pages ------------------------------------------------------------------------


class _Text(HTMLParser):
    """The text a visitor meets: visible text, labels of controls and regions, and the charts' JSON."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.parts += [v for k, v in attrs if k in ("aria-label", "title", "alt") and v]
        if tag == "script":
            self._script = a.get("type") == "application/json"

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is None or self._script:
            self.parts.append(data)


ENGLISH = ("Share", "learners", "Learners", "Compare", "comparison", "Search", "School", "National", "Indicator",
           "Add", "Remove", "chosen", "fewer", "Chart", "This school", "Find")


@pytest.mark.django_db
def test_no_english_on_the_latvian_profile_list_and_compare_pages(client, monitored):
    numbers = [monitored[k].registration_number for k in ("a1", "a2", "b1")]
    session = client.session
    session[SESSION_KEY] = numbers
    session.save()
    pages = ["/", "/profili/", "/profili/?q=rigas", "/profili/?q=riigas", f"/profili/{numbers[0]}/",
             f"/profili/{numbers[1]}/", "/profili/salidzinat/", "/profili/salidzinat/?i=" + "&i=".join(numbers)]
    for url in pages:
        parser = _Text()
        parser.feed(client.get(url).content.decode())
        text = " ".join(parser.parts).replace("English", "")  # the language switch names itself
        found = [w for w in ENGLISH if re.search(rf"\b{w}\b", text)]
        assert found == [], (url, found)
    # the same check finds English where it is
    parser = _Text()
    parser.feed(client.get(f"/en/profili/{numbers[0]}/").content.decode())
    assert "Share of learners" in " ".join(parser.parts)
