"""The final report as PDF (ikms.core.pdf: reportlab, DejaVu Sans for Latvian letters)."""

from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from ikms.accreditation.framework import framework
from ikms.accreditation.selectors import case_ratings
from ikms.core.pdf import build, paragraph, styles


def report_pdf(case, *, include_private: bool) -> bytes:
    sheet = styles()
    body, h2 = sheet["BodyText"], sheet["Heading2"]
    story = [Paragraph(escape(str(case.get_kind_display())), sheet["Title"]),
             paragraph(f"{case.institution.name} ({case.institution.registration_number})", body),
             paragraph(f"{_('Regulation')}: {framework().version(case.version).name}", body), Spacer(1, 4 * mm),
             Paragraph(escape(_("Report: public part")), h2), paragraph(case.report_public, body),
             Paragraph(escape(_("Levels by criterion")), h2)]
    rows = [[paragraph(_("Criterion"), body), paragraph(_("Level"), body), paragraph(_("Justification"), body)]]
    for criterion, rating in case_ratings(case):
        level = framework().level(rating.level).name if rating else "—"
        rows.append([paragraph(criterion.label, body), paragraph(level, body),
                     paragraph(rating.justification if rating else "", body)])
    table = Table(rows, colWidths=[55 * mm, 30 * mm, 89 * mm], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#b1b4b6"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(table)
    if case.institution_comments:
        story += [Paragraph(escape(_("Institution's comments")), h2), paragraph(case.institution_comments, body)]
    if include_private:
        story += [Paragraph(escape(_("Report: non-public part")), h2), paragraph(case.report_private, body)]
    return build(story, title=str(case))
