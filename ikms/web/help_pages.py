"""Public pages about the service itself: help with a glossary, and the accessibility statement.

Both are open to everyone (login_not_required), in Latvian and English. The glossary of indicators is built from
the indicator catalogue (`ikms.monitoring.selectors`: the YAML definitions the figures are computed with), so it
lists every indicator there is, in the active language; the main terms are written here.

The accessibility statement follows the structure Latvian public bodies use for their sites (Cabinet Regulation
No. 445 of 14 July 2020, "Kārtība, kādā iestādes ievieto informāciju internetā"): conformity status against
WCAG 2.1 AA / EN 301 549, the content known not to be accessible, how the statement was prepared, feedback and
contact, and where to turn next. `STATEMENT_PREPARED` and `STATEMENT_REVIEWED` change when it is reviewed.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ikms.monitoring import selectors
from ikms.monitoring.labels import SOURCES, THEMES, source_label

#: When the accessibility statement was prepared, and last reviewed.
STATEMENT_PREPARED = dt.date(2026, 12, 6)
STATEMENT_REVIEWED = dt.date(2026, 12, 6)

#: Sources of the indicators that are no lake data set of their own.
_OTHER_SOURCES = {"institutions": gettext_lazy("Register of educational institutions")}

#: The main terms of the pages, in the order a newcomer meets them: (term, explanation).
TERMS = (
    (gettext_lazy("Educational institution"),
     gettext_lazy("A school, pre-school or other institution in the Register of educational institutions, known "
                  "by its 10-digit registration number.")),
    (gettext_lazy("Founder"),
     gettext_lazy("The state, a municipality or a private person or company that founded an institution and is "
                  "responsible for it.")),
    (gettext_lazy("Municipality"),
     gettext_lazy("A state city or a municipality (novads). Its figures count the institutions in its "
                  "territory.")),
    (gettext_lazy("School year"),
     gettext_lazy("From 1 September to 31 August, written as two years: 2023/2024.")),
    (gettext_lazy("Indicator"),
     gettext_lazy("A figure computed in the same way for every institution, every municipality and the whole "
                  "country from the data IKVD receives, for example the share of learners with an average mark "
                  "of 7 or more. The indicators are listed below.")),
    (gettext_lazy("National value"),
     gettext_lazy("The figure for all institutions in Latvia together.")),
    (gettext_lazy("Median and percentiles"),
     gettext_lazy("The median is the middle value of the institutions' figures: half of the institutions are "
                  "above it, half below. The 25th and 75th percentiles enclose the middle half.")),
    (gettext_lazy("Comparator group"),
     gettext_lazy("Institutions of the same type with a similar number of learners. An institution's figures are "
                  "compared with the median of its group.")),
    (gettext_lazy("Risk rule and risk flag"),
     gettext_lazy("A risk rule compares an indicator with a threshold. When an institution's figure crosses it, "
                  "the institution gets a risk flag, shown with the figures that raised it. Risk flags are seen "
                  "by IKVD staff, by the founder and by the head of the institution, never by the public.")),
    (gettext_lazy("Not evaluated"),
     gettext_lazy("A rule that could not be checked because the data it needs were not received. Missing data "
                  "are never counted as zero.")),
    (gettext_lazy("Fewer than 5 learners"),
     gettext_lazy("Figures computed from fewer than 5 learners are not published, so that nobody can be "
                  "recognised from them; the pages say “fewer than 5 learners” instead.")),
    (gettext_lazy("Data as of, and computed"),
     gettext_lazy("Every page with figures says which data they come from: the newest data received and when the "
                  "figures were computed. “About the data” under it names the computation and the version of the "
                  "indicator definitions, so the same figures can be computed again.")),
    (gettext_lazy("Register decision"),
     gettext_lazy("Every change to the registers is made by a recorded IKVD decision with a number, a date and a "
                  "legal basis.")),
    (gettext_lazy("Licensed programme"),
     gettext_lazy("An education programme an institution has a licence to implement, with its 8-character "
                  "code.")),
    (gettext_lazy("Accreditation"),
     gettext_lazy("IKVD's evaluation of the quality of an institution's work. An institution is accredited for a "
                  "term, at most six years.")),
    (gettext_lazy("Self-evaluation report"),
     gettext_lazy("The institution's own report on its work and its goals, agreed with the founder and "
                  "published by the institution.")),
)


@dataclass(frozen=True)
class GlossaryIndicator:
    """One indicator as the help page explains it."""

    code: str
    name: str
    description: str
    technical: str
    unit: str
    sources: list[str]


def _unit(kind: str, factor: float) -> str:
    if kind == "share_of_units":
        return _("per cent of institutions (%)")
    if factor == 100:
        return _("per cent (%)")
    if kind == "count":
        return _("number")
    if kind == "mean":
        return _("average")
    if factor == 1:
        return _("ratio")
    return _("per %(n)s") % {"n": f"{factor:g}"}


def _source(code: str) -> str:
    return source_label(code) if code in SOURCES else str(_OTHER_SOURCES.get(code, code))


def indicator_glossary() -> list[tuple[str, list[GlossaryIndicator]]]:
    """Every indicator of the catalogue, grouped by theme in the pages' order: name, description, unit and data
    sources in the active language."""
    specs = {i.code: i for i in selectors.catalogue().indicators}
    groups: dict[str, list[GlossaryIndicator]] = {}
    for info in selectors.indicators().values():
        spec = specs[info.code]
        groups.setdefault(info.theme, []).append(GlossaryIndicator(
            code=info.code, name=info.name, description=info.description, technical=info.technical,
            unit=_unit(info.type, info.factor),
            sources=[_source(s) for s in spec.sources]))
    return [(str(THEMES.get(theme, theme)), items) for theme, items in groups.items()]


@login_not_required
def help_page(request):
    return render(request, "web/help.html", {"terms": TERMS, "indicator_groups": indicator_glossary(),
                                             "contact_email": settings.IKMS_CONTACT_EMAIL})


@login_not_required
def accessibility_statement(request):
    return render(request, "web/accessibility.html", {
        "prepared": STATEMENT_PREPARED, "reviewed": STATEMENT_REVIEWED,
        "contact_email": settings.IKMS_CONTACT_EMAIL, "site": request.build_absolute_uri("/"),
    })
