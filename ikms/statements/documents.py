"""The statement as a PDF, always in Latvian (the language of IKVD's letters to other authorities), laid out like
the case core's letters (ikms.cases.letters, ikms.core.pdf: DejaVu Sans prints the Latvian letters). It is built
from the statement's frozen content only, so the same content always gives the same text.

"No records found" is a statement too, and says so in words, with the school years the monitoring data cover: a
person not found there may have studied before those years, or abroad."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ikms.core.formatting import date_text
from ikms.core.pdf import build, paragraph, styles
from ikms.statements.choices import LEVELS_LV

SENDER = "Izglītības kvalitātes valsts dienests"
TITLE = "Izziņa par personas izglītības gaitu"
SOURCE = "Izglītības kvalitātes monitoringa sistēmas (IKMS) dati par izglītojamajiem"


def _date(value: str | None) -> str:
    if not value:
        return ""
    with translation.override("lv"):
        return date_text(dt.date.fromisoformat(value[:10]))


def school_year_lv(year: str) -> str:
    """ "2023/2024" → "2023./2024." """
    return "/".join(f"{part}." for part in year.split("/"))


def years_lv(years: list[str]) -> str:
    """School years as a Latvian list: "2022./2023., 2023./2024. un 2024./2025."."""
    parts = [school_year_lv(y) for y in years]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " un " + parts[-1]


def _grades(e: dict) -> str:
    unit = "kurss" if e["level"] == "vocational" else "klase"
    if e["level"] == "preschool" or (e["first_grade"] == 0 and e["last_grade"] == 0):
        return "pirmsskolas grupa"
    if e["first_grade"] == e["last_grade"]:
        return f"{e['first_grade']}. {unit}"
    return f"{e['first_grade']}.–{e['last_grade']}. {unit}"


def institution_lv(number: str, name: str) -> str:
    if name:
        return f"{name} (reģistrācijas Nr. {number})"
    return f"Izglītības iestāde ar reģistrācijas Nr. {number} (iestāžu reģistrā nav atrodama)"


def enrolment_lv(e: dict) -> str:
    programme = e.get("programme_name") or e.get("programme_type_lv") or "izglītības programma"
    if e.get("end_date"):
        period = f"no {_date(e['start_date'])} līdz {_date(e['end_date'])}"
    else:
        period = (
            f"no {_date(e['start_date'])}; beigu datums nav reģistrēts "
            f"(mācījās vēl {school_year_lv(e['last_school_year'])} mācību gadā)"
        )
    level = LEVELS_LV.get(e["level"], e["level"])
    text = (
        f"{institution_lv(e['institution'], e.get('institution_name', ''))}: {programme} "
        f"(kods {e['programme_code']}), {level}, {_grades(e)}; {period}"
    )
    return text if text.endswith(".") else f"{text}."  # a Latvian date ends with its own full stop


def graduation_lv(g: dict) -> str:
    level = LEVELS_LV.get(g["level"], g["level"])
    return (
        f"{level[:1].upper()}{level[1:]} iegūta {school_year_lv(g['school_year'])} mācību gadā: "
        f"{institution_lv(g['institution'], g.get('institution_name', ''))}."
    )


def coverage_lv(history: dict) -> str:
    years, graduates = history.get("coverage") or [], history.get("graduate_coverage") or []
    text = f"Izziņa sagatavota no IKMS datiem. {SOURCE} ir par {years_lv(years)} mācību gadu"
    if graduates and graduates != years:
        text += f", ziņas par izglītības ieguvi — par {years_lv(graduates)} mācību gadu"
    elif not graduates:
        text += ", ziņu par izglītības ieguvi IKMS nav"
    return text + ". Par citiem mācību gadiem IKMS ziņu nav, un šī izziņa par tiem neko neapliecina."


def body_lv(content: dict) -> list[str]:
    """The statement's paragraphs after its heading (the web page shows the same facts in the reader's language)."""
    history = content["history"]
    enrolments, graduations = history.get("enrolments") or [], history.get("graduations") or []
    out = [
        f"Izglītības kvalitātes valsts dienests sniedz ziņas par personas izglītības gaitu. Persona: "
        f"{content['person_name']} (personas kods norādīts pieprasījumā).",
        f"Pieprasījuma mērķis: {content['purpose']}. Tiesiskais pamats: {content['legal_basis']}.",
    ]
    if not enrolments and not graduations:
        out.append(
            f"Par šo personu IKMS datos ierakstu nav: {years_lv(history.get('coverage') or [])} mācību gadā "
            "tā nav reģistrēta kā izglītojamais nevienā izglītības iestādē."
        )
    else:
        if enrolments:
            out.append("Persona reģistrēta kā izglītojamais šādās izglītības iestādēs un programmās:")
            out += [f"{k}. {enrolment_lv(e)}" for k, e in enumerate(enrolments, start=1)]
        else:
            out.append("Ziņu par personas mācībām izglītības iestādēs IKMS datos nav.")
        if graduations:
            out.append("Iegūtā izglītība:")
            out += [f"{k}. {graduation_lv(g)}" for k, g in enumerate(graduations, start=1)]
        else:
            out.append("Ziņu par personas iegūto izglītību IKMS datos nav.")
    out.append(coverage_lv(history))
    return out


def statement_pdf(content: dict) -> bytes:
    """The statement on IKVD's letter form: sender, place, date and reference, addressee, title, text, signatory."""
    sheet = styles()
    body = sheet["BodyText"]
    story = [
        paragraph(SENDER, sheet["Heading1"]),
        Spacer(1, 2 * mm),
        paragraph(f"Rīgā, {_date(content['issued_on'])}   Nr. {content['reference']}", body),
        Spacer(1, 6 * mm),
        paragraph(content["authority"], body),
        paragraph(f"Uz {_date(content['authority_date'])} Nr. {content['authority_reference']}", body),
        Spacer(1, 6 * mm),
        paragraph(TITLE, sheet["Heading2"]),
    ]
    story += [paragraph(p, body) for p in body_lv(content)]
    story += [Spacer(1, 10 * mm), paragraph(content["signatory"], body)]
    return build(story, title=TITLE, subject=f"Nr. {content['reference']}")
