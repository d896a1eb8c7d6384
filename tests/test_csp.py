"""Security headers on every HTML page of the URL sweep (tests/test_url_auth.py), and nothing in the templates that
a strict Content-Security-Policy blocks: no inline <script> (JSON data blocks aside), no event-handler attributes,
no style attributes or <style> elements, no javascript: URLs. The browser side is tests/browser/test_csp.py."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.test_url_auth import RULES, _client, _kwargs

TEMPLATES = Path(settings.BASE_DIR) / "templates"
DIRECTIVES = ["default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
              "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'"]
DOCS = {"api-docs", "api-redoc"}  # their third-party bundles need inline styles (config/urls.py)


def _assert_security_headers(response, url: str, *, strict: bool = True) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    for directive in DIRECTIVES:
        if strict or not directive.startswith("style-src"):
            assert directive in policy, (url, directive, policy)
    assert "unsafe-eval" not in policy and ("unsafe-inline" not in policy or not strict), (url, policy)
    assert response.headers["X-Frame-Options"] == "DENY", url
    assert response.headers["X-Content-Type-Options"] == "nosniff", url
    assert response.headers["Referrer-Policy"] == "same-origin", url
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin", url
    assert "camera=()" in response.headers["Permissions-Policy"], url


@pytest.mark.parametrize("role", ["anonymous", "ikvd_admin", "head_a1"])
def test_every_html_response_of_the_url_sweep_has_the_security_headers(client, world, role):
    html = 0
    for name, rule in RULES.items():
        if rule is None or rule == "per-action":
            continue
        url = reverse(name, kwargs=_kwargs(name, world))
        for prefix in ("", "/en") if not url.startswith("/api/") else ("",):
            response = _client(client, world, role).get(prefix + url)
            if response.headers.get("Content-Type", "").startswith("text/html"):
                html += 1
                _assert_security_headers(response, prefix + url, strict=name not in DOCS)
    assert html > 40


def test_admin_and_error_pages_have_the_security_headers(client, world):
    client.force_login(world["users"]["ikvd_admin"])
    for url in ["/admin/", "/admin/registry/institution/", "/no-such-page/"]:
        _assert_security_headers(client.get(url), url)


def _templates():
    return sorted(TEMPLATES.rglob("*.html"))


def test_no_template_has_an_inline_script():
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for tag in re.finditer(r"<script\b[^>]*>", text, flags=re.IGNORECASE):
            attrs = tag.group(0)
            if "src=" in attrs:
                continue
            if 'type="application/json"' in attrs:
                continue
            offenders.append(f"{path.relative_to(TEMPLATES)}: {attrs}")
    assert offenders == []


def test_no_template_has_inline_handlers_styles_or_javascript_urls():
    pattern = re.compile(r"""\son[a-z]+\s*=|\sstyle\s*=|<style\b|javascript:|\shx-on""", flags=re.IGNORECASE)
    offenders = [f"{path.relative_to(TEMPLATES)}:{n}: {line.strip()}" for path in _templates()
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                 if pattern.search(line)]
    assert offenders == []


def test_json_script_blocks_are_data_not_scripts():
    """The charts' figures come through Django's json_script, which writes a JSON data block the policy does not
    run (and escapes <, > and & so a value cannot close the element)."""
    from django.utils.html import json_script

    block = json_script({"label": "</script><script>alert(1)</script>"}, "fig")
    assert block.startswith('<script id="fig" type="application/json">')
    assert "</script><script>" not in block


def test_plotly_css_matches_the_bundle():
    """static/ikms/plotly.css replaces plotly.js's inline <style>; it is regenerated with the bundle's version."""
    import plotly

    bundle = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(encoding="utf-8")[:500]
    version = re.search(r"plotly\.js v([0-9.]+)", bundle).group(1)
    css = (Path(settings.BASE_DIR) / "static" / "ikms" / "plotly.css").read_text(encoding="utf-8")
    assert css.startswith(f"/* plotly.js v{version}:"), "run scripts/plotly_css.py after upgrading plotly"
    assert ".js-plotly-plot .plotly" in css
