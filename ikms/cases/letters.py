"""Outgoing letters and decisions as PDFs from templates, in Latvian (ADR 0022). A letter template is a Django
template of plain Latvian text in templates/cases/letters/: its first line is the letter's title, and blank lines
part its paragraphs. It is rendered with the case file, the addressee, the deadlines and the text the writer adds,
laid out on IKVD's letter form and built by ikms.core.pdf (DejaVu Sans: correct Latvian letters). A new kind of
letter is a template file and a row in LETTERS."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from ikms.core.formatting import date_text
from ikms.core.pdf import build, paragraph, styles

SENDER = "Izglītības kvalitātes valsts dienests"


@dataclass(frozen=True)
class LetterTemplate:
    code: str
    label: object
    template: str
    needs_deadline: bool = False  # the letter names a deadline (an extension notice)
    needs_text: bool = False  # the writer's text is the letter's substance (a reply, a decision)


LETTERS: dict[str, LetterTemplate] = {
    t.code: t
    for t in (
        LetterTemplate("acknowledgement", _("Acknowledgement of receipt"), "cases/letters/acknowledgement.txt"),
        LetterTemplate(
            "extension", _("Notice of an extended deadline"), "cases/letters/extension.txt", needs_deadline=True
        ),
        LetterTemplate("reply", _("Reply on the merits"), "cases/letters/reply.txt", needs_text=True),
        LetterTemplate(
            "deficiencies",
            _("Request to remedy deficiencies"),
            "cases/letters/deficiencies.txt",
            needs_deadline=True,
            needs_text=True,
        ),
        LetterTemplate("decision", _("Notice of a decision"), "cases/letters/decision.txt", needs_text=True),
    )
}


@dataclass(frozen=True)
class Letter:
    """A letter's text, ready to lay out: number, date, addressee, title, paragraphs and signatory."""

    number: str
    dated_on: dt.date
    addressee: str
    title: str
    paragraphs: list[str]
    signatory: str


def compose(
    template: LetterTemplate, *, number: str, dated_on: dt.date, addressee: str, context: dict, signatory: str
) -> Letter:
    """Render the template in Latvian and split it into a title and paragraphs."""
    with translation.override("lv"):
        text = render_to_string(template.template, {**context, "dated_on": dated_on, "addressee": addressee})
    blocks = [
        " ".join(line.strip() for line in block.splitlines() if line.strip())
        for block in text.replace("\r\n", "\n").split("\n\n")
    ]
    blocks = [b for b in blocks if b]
    return Letter(
        number=number,
        dated_on=dated_on,
        addressee=addressee.strip(),
        title=blocks[0],
        paragraphs=blocks[1:],
        signatory=signatory,
    )


def letter_pdf(letter: Letter) -> bytes:
    """The letter on IKVD's form: sender, place and date, number, addressee, title, text and signatory."""
    sheet = styles()
    body, title = sheet["BodyText"], sheet["Heading2"]
    with translation.override("lv"):
        dated = date_text(letter.dated_on)
    story = [
        Paragraph(SENDER, sheet["Heading1"]),
        Spacer(1, 2 * mm),
        paragraph(f"Rīgā, {dated}   Nr. {letter.number}", body),
        Spacer(1, 6 * mm),
        paragraph(letter.addressee, body),
        Spacer(1, 6 * mm),
        paragraph(letter.title, title),
    ]
    story += [paragraph(p, body) for p in letter.paragraphs]
    story += [Spacer(1, 10 * mm), paragraph(letter.signatory, body)]
    return build(story, title=letter.title, subject=f"Nr. {letter.number}")
