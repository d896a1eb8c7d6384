"""The final report as PDF (reportlab, DejaVu Sans for Latvian letters)."""

import io
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ikms.accreditation.framework import framework
from ikms.accreditation.selectors import case_ratings

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]


def _font() -> tuple[str, str]:
    """DejaVu Sans when installed (Debian fonts-dejavu-core); else Helvetica (no Latvian letters)."""
    for d in FONT_DIRS:
        regular, bold = d / "DejaVuSans.ttf", d / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
                pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
            return "DejaVuSans", "DejaVuSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(text or "—").replace("\n", "<br/>"), style)


def report_pdf(case, *, include_private: bool) -> bytes:
    regular, bold = _font()
    styles = getSampleStyleSheet()
    for s in styles.byName.values():
        s.fontName = bold if s.name.startswith("Heading") or s.name == "Title" else regular
    body, h2 = styles["BodyText"], styles["Heading2"]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            title=str(case), author="IKVD")
    story = [Paragraph(escape(str(case.get_kind_display())), styles["Title"]),
             _p(f"{case.institution.name} ({case.institution.registration_number})", body),
             _p(f"{_('Regulation')}: {framework().version(case.version).name}", body), Spacer(1, 4 * mm),
             Paragraph(escape(_("Report: public part")), h2), _p(case.report_public, body),
             Paragraph(escape(_("Levels by criterion")), h2)]
    rows = [[_p(_("Criterion"), body), _p(_("Level"), body), _p(_("Justification"), body)]]
    for criterion, rating in case_ratings(case):
        level = framework().level(rating.level).name if rating else "—"
        rows.append([_p(criterion.label, body), _p(level, body), _p(rating.justification if rating else "", body)])
    table = Table(rows, colWidths=[55 * mm, 30 * mm, 89 * mm], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#b1b4b6"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(table)
    if case.institution_comments:
        story += [Paragraph(escape(_("Institution's comments")), h2), _p(case.institution_comments, body)]
    if include_private:
        story += [Paragraph(escape(_("Report: non-public part")), h2), _p(case.report_private, body)]
    doc.build(story)
    return buffer.getvalue()
