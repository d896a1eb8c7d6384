"""A course certificate as PDF (ikms.core.pdf: reportlab, DejaVu Sans for Latvian letters). The certificate is a
Latvian document whatever the page's language: the reference number, the participant, the course, its dates and
hours, the organiser, and the day issued."""

import datetime
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from ikms.core.pdf import build, paragraph, styles


def latvian_date(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y.")


def latvian_hours(hours: int) -> str:
    """8 stundas, 1 stunda, 21 stunda, 11 stundas (Latvian plural forms)."""
    return f"{hours} stunda" if hours % 10 == 1 and hours % 100 != 11 else f"{hours} stundas"


def period_text(event) -> str:
    if event.starts_on == event.ends_on:
        return latvian_date(event.starts_on)
    return f"{latvian_date(event.starts_on)}–{latvian_date(event.ends_on)}"


def certificate_pdf(registration) -> bytes:
    event, course = registration.event, registration.event.course
    sheet = styles()
    body, h2 = sheet["BodyText"], sheet["Heading2"]
    place = (
        "tiešsaistē"
        if event.online and not event.place
        else (f"{event.place} un tiešsaistē" if event.online else event.place)
    )
    rows = [
        ("Kurss", course.name_lv),
        ("Norises laiks", period_text(event)),
        ("Norises vieta", place),
        ("Apjoms", latvian_hours(course.hours)),
        ("Organizētājs", course.organiser),
    ]
    table = Table([[paragraph(k, body), paragraph(v, body)] for k, v in rows], colWidths=[45 * mm, 129 * mm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#b1b4b6"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story = [
        paragraph("Izglītības kvalitātes valsts dienests", body),
        Spacer(1, 8 * mm),
        Paragraph(escape("APLIECĪBA"), sheet["Title"]),
        paragraph(f"Nr. {registration.certificate_number}", sheet["Heading3"]),
        Spacer(1, 6 * mm),
        paragraph(
            f"Apliecinām, ka {registration.person_name} ir apguvis(-usi) kursu "
            f"„{course.name_lv}” ({latvian_hours(course.hours)}).",
            body,
        ),
        Spacer(1, 4 * mm),
        table,
        Paragraph(escape("Programma"), h2),
        paragraph(course.programme_lv, body),
        Spacer(1, 8 * mm),
        paragraph(f"Izsniegta {latvian_date(registration.certificate_issued_on)}", body),
    ]
    return build(story, title=f"Apliecība {registration.certificate_number}", subject=course.name_lv)
