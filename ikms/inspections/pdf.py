"""The inspection act as PDF (ikms.core.pdf: reportlab, DejaVu Sans for Latvian letters): the act's heading, the
institution, the visit, the summary, the findings with severity and legal basis, and the recommendations and
orders with their deadlines."""

from xml.sax.saxutils import escape

from django.template.defaultfilters import date as date_filter
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from ikms.core.pdf import build, paragraph, styles


def act_pdf(inspection) -> bytes:
    act = inspection.act
    sheet = styles()
    body, h2 = sheet["BodyText"], sheet["Heading2"]
    story = [
        Paragraph(escape(f"{act.get_act_type_display()} {act.number}"), sheet["Title"]),
        paragraph(f"{inspection.institution.name} ({inspection.institution.registration_number})", body),
        paragraph(
            f"{_('Visit date')}: {date_filter(inspection.visited_on)}; {_('Act date')}: {date_filter(act.dated_on)}",
            body,
        ),
        paragraph(f"{_('Subject')}: {inspection.subject}", body),
        Spacer(1, 4 * mm),
        Paragraph(escape(_("Summary")), h2),
        paragraph(act.summary, body),
        Paragraph(escape(_("Findings")), h2),
    ]
    rows = [[paragraph(_("Finding"), body), paragraph(_("Severity"), body), paragraph(_("Legal basis"), body)]]
    for f in act.findings.all():
        rows.append(
            [paragraph(f.text, body), paragraph(f.get_severity_display(), body), paragraph(f.legal_basis, body)]
        )
    table = Table(rows, colWidths=[85 * mm, 34 * mm, 55 * mm], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#b1b4b6"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(table)
    orders = list(inspection.orders.all())
    if orders:
        story.append(Paragraph(escape(_("Recommendations and orders")), h2))
        rows = [
            [
                paragraph(_("Kind"), body),
                paragraph(_("What the institution must do"), body),
                paragraph(_("Deadline"), body),
            ]
        ]
        for o in orders:
            rows.append(
                [
                    paragraph(o.get_kind_display(), body),
                    paragraph(o.text, body),
                    paragraph(date_filter(o.due_on) if o.due_on else "—", body),
                ]
            )
        table = Table(rows, colWidths=[34 * mm, 105 * mm, 35 * mm], repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#b1b4b6"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(table)
    return build(story, title=f"{act.number} {inspection.institution.name}")
