"""No view reads a year from the request by hand: a school year comes through `SchoolYearFormField` (pages and
forms) or `SchoolYearField` (the API), a calendar year through a form field, so a wrong one is always answered
with the one message (ikms/core/school_year.py) and never silently replaced by another year."""

import re
from pathlib import Path

from django.conf import settings

#: request.GET.get("year"), request.GET["year"], request.POST.get("school_year"), self.request.query_params[...]
RAW_READ = re.compile(r"""\.(GET|POST|query_params|data)\s*(\.get\(|\.getlist\(|\.pop\(|\[)\s*["']"""
                      r"""(year|school_year|target_year)["']""")
ROOT = Path(settings.BASE_DIR)


def _sources() -> list[Path]:
    return [p for p in (ROOT / "ikms").rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts]


def test_the_pattern_catches_a_raw_read():
    for line in ('year = request.GET.get("year") or ""', "year = request.GET['year']",
                 'posted = request.POST.get("school_year")', 'y = self.request.query_params.get("school_year")',
                 'years = request.GET.getlist("year")'):
        assert RAW_READ.search(line), line
    assert not RAW_READ.search('form = YearForm(request.GET, years=years)')
    assert not RAW_READ.search('kind = request.GET.get("kind", "")')


def test_no_view_reads_a_year_from_the_request_by_hand():
    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
             for path in _sources()
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if RAW_READ.search(line)]
    assert len(_sources()) > 50  # the sweep really reads the code
    assert found == [], "read the year through SchoolYearFormField / SchoolYearField / a form field:\n" + "\n".join(
        found)
