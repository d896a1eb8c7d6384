"""PDF documents with Latvian letters (reportlab): the fonts, the styles and the build of a document, shared by
accreditation's report and the case core's letters and decisions (ikms.cases.letters). DejaVu Sans (Debian's
fonts-dejavu-core) is embedded, so ā, č, ē, ģ, ī, ķ, ļ, ņ, š, ū and ž print; without it reportlab's Helvetica has
no Latvian letters, and `manage.py check` warns (ikms.core.checks)."""

import io
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]
UNICODE_FONT = "DejaVuSans"


def fonts() -> tuple[str, str]:
    """The regular and bold font: DejaVu Sans when installed; else Helvetica (no Latvian letters)."""
    for d in FONT_DIRS:
        regular, bold = d / "DejaVuSans.ttf", d / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            if UNICODE_FONT not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(UNICODE_FONT, str(regular)))
                pdfmetrics.registerFont(TTFont(f"{UNICODE_FONT}-Bold", str(bold)))
            return UNICODE_FONT, f"{UNICODE_FONT}-Bold"
    return "Helvetica", "Helvetica-Bold"


def has_unicode_font() -> bool:
    return fonts()[0] == UNICODE_FONT


def styles() -> StyleSheet1:
    """reportlab's sample styles in the fonts above (headings and the title bold)."""
    regular, bold = fonts()
    sheet = getSampleStyleSheet()
    for s in sheet.byName.values():
        s.fontName = bold if s.name.startswith("Heading") or s.name == "Title" else regular
    return sheet


def paragraph(text: str, style) -> Paragraph:
    """Plain text as a paragraph (escaped; line breaks kept; a dash for nothing)."""
    return Paragraph(escape(text or "—").replace("\n", "<br/>"), style)


def build(story: list[Flowable], *, title: str, author: str = "IKVD", subject: str = "") -> bytes:
    """An A4 document of the flowables, with its title and author in the PDF's properties."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=author,
        subject=subject,
        lang="lv",
    )
    doc.build(story)
    return buffer.getvalue()
