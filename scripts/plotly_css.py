"""Writes static/ikms/plotly.css: the style rules plotly.js would otherwise insert as an inline <style> element,
which the Content-Security-Policy (style-src 'self') blocks. templates/includes/plotly.html links the file with
id="plotly.js-style-global" class="no-inline-styles", and plotly.js then leaves its own <style> out. Run it after
upgrading plotly: `uv run --frozen python scripts/plotly_css.py` (tests/test_csp.py checks the version)."""

import re
import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "ikms" / "plotly.css"


def main() -> None:
    import plotly

    bundle = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    version = re.search(r"plotly\.js v([0-9.]+)", bundle.read_text(encoding="utf-8")[:500]).group(1)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), headless=True, args=["--no-sandbox"])
        page = browser.new_page()
        page.set_content("<html><head></head><body></body></html>")
        page.add_script_tag(path=str(bundle))
        rules = page.evaluate("""() => Array.from(document.getElementById("plotly.js-style-global").sheet.cssRules)
                                       .map(r => r.cssText)""")  # the order of the sheet (the cascade)
        browser.close()
    header = f"/* plotly.js v{version}: its global style rules, written by scripts/plotly_css.py (do not edit). */"
    OUT.write_text(header + "\n" + "\n".join(rules) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
