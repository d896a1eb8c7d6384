"""The Content-Security-Policy in headless Chromium: a representative set of pages (the public register, public
profiles and a comparison with Plotly charts, monitoring dashboards and an indicator page with charts, a decision
form submitted with errors, the password pages), in Latvian and English, as the public and as staff, causes no CSP
violation: nothing inline is blocked, GOV.UK Frontend initialises from its static file and the charts draw."""

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser

# Runs before any script of each page (an init script is injected by the browser, not subject to the policy).
LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push({directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile,
                               line: e.lineNumber, sample: e.sample});
});
"""


@pytest.fixture
def csp_page(browser, live_server):
    """A page (no CSP bypass) with the violation listener and the console messages about the policy."""
    context = browser.new_context(base_url=live_server.url, locale="lv-LV")
    context.add_init_script(LISTENER)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.csp_console = []
    pg.on("console", lambda m: "Content Security Policy" in m.text and pg.csp_console.append(m.text))
    yield pg
    context.close()


def _visit(page, url: str, *, charts: bool = False) -> list:
    response = page.goto(url)
    assert response.status == 200, url
    assert "script-src 'self'" in response.headers["content-security-policy"], url
    page.wait_for_load_state("networkidle")
    assert "govuk-frontend-supported" in page.locator("body").get_attribute("class"), url  # static init ran
    plots = page.locator("[data-plotly]")
    assert plots.count() > 0 or not charts, url
    for i in range(plots.count()):  # every chart of the page drawn
        plots.nth(i).locator("svg.main-svg").first.wait_for(state="attached")
    return [{**v, "url": url} for v in page.evaluate("window.__cspViolations")]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_public_pages_and_charts_cause_no_csp_violation(csp_page, monitored, prefix):
    a1, a2, b1 = (monitored[k].registration_number for k in ("a1", "a2", "b1"))
    violations = []
    for url, charts in [("/", False), ("/registrs/iestades/", False), (f"/registrs/iestades/{a1}/", False),
                        ("/registrs/programmas/", False), ("/profili/?q=Testa", False), (f"/profili/{a1}/", True),
                        (f"/profili/salidzinat/?i={a1}&i={a2}&i={b1}", True), ("/accounts/login/", False),
                        ("/accounts/password/reset/", False)]:
        violations += _visit(csp_page, prefix + url, charts=charts)
    assert violations == []
    assert csp_page.csp_console == []


def test_staff_pages_forms_and_dashboards_cause_no_csp_violation(csp_page, monitored):
    a1 = monitored["a1"]
    login(csp_page, "admin")
    violations = []
    for url, charts in [("/mani-darbi/", False), ("/staff/", False), ("/monitoring/valsts/", False),
                        ("/monitoring/raditaji/learners_enrolled/?grain=nation&unit=LV", True),
                        (f"/monitoring/iestades/{a1.registration_number}/", True), ("/monitoring/riski/", False),
                        ("/monitoring/pasvaldibas/LV-RIX/", True),
                        ("/en/monitoring/raditaji/learners_enrolled/?grain=nation&unit=LV", True),
                        ("/accounts/password/", False),
                        ("/akreditacija/", False)]:
        violations += _visit(csp_page, url, charts=charts)

    # A form with an error: GOV.UK Frontend's error summary takes the focus (its JavaScript runs under the policy).
    violations += _visit(csp_page, f"/staff/institutions/{a1.pk}/decide/amend/")
    csp_page.fill("#id_number", "")
    with csp_page.expect_navigation():
        csp_page.click("main button[type=submit]")
    csp_page.locator(".govuk-error-summary").wait_for()
    csp_page.wait_for_function("document.activeElement.classList.contains('govuk-error-summary')")
    violations += [{**v, "url": "decision form with errors"} for v in csp_page.evaluate("window.__cspViolations")]
    assert violations == []
    assert csp_page.csp_console == []


def test_an_inline_script_would_be_reported(csp_page, world):
    """The listener works: a script added inline after load is blocked and reported."""
    _visit(csp_page, "/")
    csp_page.evaluate("""() => { const s = document.createElement("script");
                                 s.textContent = "window.__ran = true"; document.body.appendChild(s); }""")
    csp_page.wait_for_function("window.__cspViolations.length > 0")
    assert csp_page.evaluate("window.__ran === undefined")
    assert csp_page.evaluate("window.__cspViolations")[0]["directive"] == "script-src-elem"


def test_api_docs_run_under_their_policy(csp_page, world):
    """Swagger UI (relaxed style-src only, config/urls.py) loads the schema and draws it without a violation."""
    response = csp_page.goto("/api/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    csp_page.locator(".opblock").first.wait_for()
    assert csp_page.evaluate("window.__cspViolations") == []


def test_two_factor_pages_cause_no_csp_violation_and_pass_axe(csp_page, world, settings):
    """The second factor's journey with IKMS_REQUIRE_2FA on (ADR 0019): sign-in sends an analyst to the set-up page,
    whose QR code is an inline <svg> drawn on the server; the code confirms it, the recovery codes are shown; the
    next sign-in asks for the code. No CSP violation and no axe-core violation on any of its pages."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.browser.conftest import axe_violations

    settings.IKMS_REQUIRE_2FA = True
    page = csp_page

    def sign_in() -> None:
        page.goto("/accounts/login/")
        page.fill("#id_username", "analyst")
        page.fill("#id_password", "test-password-123")
        page.click("main button[type=submit]")

    def code() -> str:
        device = TOTPDevice.objects.get(user=world["users"]["analyst"])
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
        return f"{totp(device.bin_key, drift=device.drift):06d}"

    sign_in()
    page.wait_for_url("**/accounts/two-factor/setup/?next=*")
    page.wait_for_load_state("networkidle")
    assert page.locator("svg.ikms-qr").is_visible()
    assert page.locator("svg.ikms-qr").bounding_box()["width"] > 150
    assert axe_violations(page) == []
    page.click("summary")  # the key for typing in
    assert page.locator("#totp-secret").is_visible()
    page.fill("#id_code", code())
    page.click("main button[type=submit]")
    page.locator(".ikms-codes li").nth(9).wait_for()
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.click("main a.govuk-button")
    assert page.url.endswith("/mani-darbi/")
    violations = [{**v, "url": "set-up"} for v in page.evaluate("window.__cspViolations")]
    for url in ["/accounts/two-factor/", "/en/accounts/two-factor/", "/accounts/two-factor/recovery-codes/"]:
        violations += _visit(page, url)
        assert axe_violations(page) == [], url

    page.click("#sign-out")  # sign out, from the header
    page.wait_for_url("**/")
    sign_in()
    page.wait_for_url("**/accounts/two-factor/verify/?next=*")
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == []
    page.fill("#id_code", "000000" if code() != "000000" else "111111")  # wrong: the error summary takes the focus
    page.click("main button[type=submit]")
    page.locator(".govuk-error-summary").wait_for()
    assert axe_violations(page) == []
    violations += [{**v, "url": "verify"} for v in page.evaluate("window.__cspViolations")]
    TOTPDevice.objects.update(throttling_failure_timestamp=None)  # as if the throttle's second had passed
    page.fill("#id_code", code())
    page.click("main button[type=submit]")
    page.wait_for_url("**/mani-darbi/")
    violations += [{**v, "url": "verified"} for v in page.evaluate("window.__cspViolations")]
    assert violations == []
    assert page.csp_console == []
