"""Browser fixtures: Debian's headless Chromium driven by Playwright, and axe-core from npm."""

import datetime as dt
import functools
import gettext
import io
import re
import shutil
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is required for browser tests (make test installs it)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="lv-LV")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core on the current page for WCAG 2.1 A and AA; return the violations."""
    assert AXE.exists(), "axe-core is installed from npm by make test"
    # Through the DevTools protocol: the page's Content-Security-Policy allows no inline <script> tag.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


def page_width(page) -> int:
    """The page's width in CSS pixels once it has loaded (more than the viewport: it scrolls sideways)."""
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth")


def unreachable_scroll_boxes(page) -> list[str]:
    """Scroll boxes that need scrolling but cannot take the keyboard focus."""
    return page.evaluate("""() => [...document.querySelectorAll('.ikms-table-scroll')]
        .filter(b => b.scrollWidth > b.clientWidth + 1 && b.tabIndex < 0)
        .map(b => (b.querySelector('caption') || b).textContent.trim().slice(0, 60))""")


def login(page, username: str, password: str = "test-password-123", prefix: str = "") -> None:
    page.goto(f"{prefix}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url("**/mani-darbi/")


# --- the page's language: no string of the other language ---------------------------------------------------

#: The texts of a page as a reader meets them: text nodes, the labels of controls and the title, each with the
#: language it is marked with (the nearest `lang`).
_TEXTS_JS = """() => {
    const lang = el => { const holder = el && el.closest('[lang]'); return holder ? holder.lang : ''; };
    const out = [[document.title, document.documentElement.lang, false]];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        // A technical note for specialists names data fields and codes (institutions.type = basic) in either language.
        if (el && !['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'CODE'].includes(el.tagName)
                && !el.closest('[data-technical-note]'))
            out.push([n.textContent, lang(el), !!el.closest('svg')]);
    }
    for (const el of document.body.querySelectorAll('[aria-label], [placeholder], [title], [alt]'))
        for (const a of ['aria-label', 'placeholder', 'title', 'alt'])
            if (el.getAttribute(a)) out.push([el.getAttribute(a), lang(el), false]);
    return out.map(([t, l, svg]) => [t.replace(/\\s+/g, ' ').trim(), l, svg]).filter(([t]) => t);
}"""
_PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[sd]")
#: Words of English that Latvian never writes; one in a Latvian page's text is English left untranslated.
_ENGLISH_WORDS = re.compile(r"\b(?:the|and|of|with|your|for|is|are|this|not|has|have|from|will|which|here)\b", re.I)
_LATVIAN_LETTERS = re.compile("[āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ]")


def _catalogue() -> list[tuple[str, str]]:
    """(English, Latvian) of every message the pages may show: the project's catalogue and Django's own."""
    import django

    pairs = []
    for path in (Path(settings.BASE_DIR) / "locale/lv/LC_MESSAGES/django.mo",
                 Path(django.__file__).parent / "conf/locale/lv/LC_MESSAGES/django.mo"):
        assert path.exists(), f"{path} is compiled by make messages"
        with path.open("rb") as f:
            catalog = gettext.GNUTranslations(f)._catalog
        for key, latvian in catalog.items():
            english = key[0] if isinstance(key, tuple) else key
            pairs.append((english.split("\x04")[-1], latvian))
    return pairs


def _pattern(messages: set[str]) -> re.Pattern:
    """One regular expression finding any of the messages in a text (its placeholders stand for any words);
    messages of under 12 letters only as the whole text."""
    whole, inside = [], []
    for m in sorted(messages, key=len, reverse=True):
        literal = _PLACEHOLDER.sub("", m)
        if sum(c.isalpha() for c in literal) < 4 or "%" in literal:
            continue
        expr = ".+?".join(re.escape(part) for part in _PLACEHOLDER.split(m.replace("%%", "%")))
        (inside if sum(c.isalpha() for c in literal) >= 12 else whole).append(expr)
    return re.compile(rf"^(?:{'|'.join(whole)})$|(?<!\w)(?:{'|'.join(inside)})(?!\w)")


@functools.cache
def _foreign_messages() -> dict[str, re.Pattern]:
    """For each language, the messages of the other one that a page in it must not show."""
    pairs = [(en, lv) for en, lv in _catalogue() if lv and en != lv]
    english, latvian = {en for en, _lv in pairs}, {lv for _en, lv in pairs}
    return {"lv": _pattern(english - latvian), "en": _pattern(latvian - english)}


def language_slips(page, names: Iterable[str] = ()) -> list[str]:
    """Texts of the page that are in the other language (Latvian on an English page, English on a Latvian one)
    and not marked with their own `lang`: a message of the catalogue shown in the wrong language, Latvian letters
    on an English page or English words on a Latvian one. `names` (schools, places, people, texts the user
    typed) are proper names or data, written as they are in either language; a chart may break a name over lines,
    so in a chart each word of a name is one."""
    lang = page.evaluate("document.documentElement.lang")
    assert lang in ("lv", "en"), lang
    foreign = _foreign_messages()[lang]
    names = sorted({n for n in names if n}, key=len, reverse=True)
    words = sorted({w for n in names for w in n.split() if len(w) > 2}, key=len, reverse=True)
    slips = []
    for shown, marked, in_chart in page.evaluate(_TEXTS_JS):
        if marked and marked != lang:
            continue
        text = shown
        for name in names + words if in_chart else names:
            text = text.replace(name, " ")
        if foreign.search(text) or (_LATVIAN_LETTERS.search(text) if lang == "en" else _ENGLISH_WORDS.search(text)):
            slips.append(shown)
    return slips


# --- a journey's key pages, each checked at two widths and in both languages --------------------------------

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}


class Pages:
    """The key pages of a journey, each checked in Latvian at 1280 and 375 px and in English at 1280 px; the
    problems found are collected, so that one run names them all."""

    def __init__(self, page, screenshots=None, name: str = ""):
        from ikms.registry.models import Municipality

        self.page, self.problems, self.screenshots, self.name, self.shots = page, [], screenshots, name, 0
        # Data the pages show as it is stored, in either language: place names and what the journey typed.
        self.names = {n for row in Municipality.objects.values_list("name_lv", "name_en") for n in row}
        page.set_viewport_size(DESKTOP)
        # The first page a live server answers loads every app's URLs and templates: slow on a busy machine.
        page.set_default_navigation_timeout(60000)

    def _view(self, url: str, width: dict) -> None:
        page = self.page
        page.set_viewport_size(width)
        page.goto(url)
        page.wait_for_load_state("load")
        where = f"{url} at {width['width']} px"
        if page.locator("h1").count() != 1:
            self.problems.append(f"{where}: {page.locator('h1').count()} h1 headings")
        if page_width(page) > width["width"]:
            self.problems.append(f"{where}: {page_width(page)} px wide")
        if boxes := unreachable_scroll_boxes(page):
            self.problems.append(f"{where}: scroll boxes without focus {boxes}")
        if violations := axe_violations(page):
            self.problems.append(f"{where}: axe {violations}")
        if width is DESKTOP and (slips := language_slips(page, self.names)):
            self.problems.append(f"{where}: other language {slips}")
        if self.screenshots is not None:
            self.shots += 1
            where = urlsplit(url).path.strip("/").replace("/", "_")
            self.screenshots(page, f"{self.name}-{self.shots:02d}-{where}-{width['width']}")

    def check(self, *names: str) -> None:
        """The page now open (after a link or a form): Latvian at 1280 and 375 px, English at 1280 px; the page is
        open again in Latvian at 1280 px after."""
        self.names.update(names)
        parts = urlsplit(self.page.url)
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        for address, width in ((url, DESKTOP), (url, PHONE), (f"/en{url}", DESKTOP)):
            self._view(address, width)
        self.page.set_viewport_size(DESKTOP)
        self.page.goto(url)

    def open(self, url: str, *names: str) -> None:
        self.page.goto(url)
        self.check(*names)

    def assert_clean(self) -> None:
        assert self.problems == [], "\n".join(self.problems)


def as_user(page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username)


def submit(page) -> None:
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    assert page.locator(".govuk-error-summary").count() == 0, page.locator(".govuk-error-summary").inner_text()


def fill_date(page, name: str, day: dt.date) -> None:
    page.fill(f"#id_{name}_day", str(day.day))
    page.fill(f"#id_{name}_month", str(day.month))
    page.fill(f"#id_{name}_year", str(day.year))


# --- screenshots of the journeys' key pages (make screenshots) -----------------------------------------------

#: A screenshot keeps the page from its top down to this many CSS pixels, or further down to the end of the part it
#: is taken for, never more than SCREENSHOT_MAX.
SCREENSHOT_HEIGHT = 2400
SCREENSHOT_MAX = 5000


@pytest.fixture(scope="session")
def screenshots(request):
    """With `--screenshots DIR`, a function saving the page as DIR/<name>.png in at most 256 colours, from its
    top down to SCREENSHOT_HEIGHT pixels or to the end of the element `until` (a selector); without it, None."""
    folder = request.config.getoption("--screenshots")
    if not folder:
        return None
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)

    def save(page, name: str, until: str | None = None) -> None:
        from PIL import Image

        page.evaluate("document.fonts.ready")
        page.mouse.move(0, 0)  # no hover or focus on the picture
        page.evaluate("document.activeElement && document.activeElement.blur()")
        bottom = page.locator(until).first.evaluate("e => e.getBoundingClientRect().bottom + window.scrollY") \
            if until else 0
        height = min(page.evaluate("document.documentElement.scrollHeight"),
                     max(SCREENSHOT_HEIGHT, int(bottom) + 24), SCREENSHOT_MAX)
        png = page.screenshot(full_page=True, animations="disabled", caret="hide",
                              clip={"x": 0, "y": 0, "width": page.viewport_size["width"], "height": height})
        image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        image.save(folder / f"{name}.png", optimize=True)

    return save
