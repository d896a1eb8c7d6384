"""What a case document may be (ADR 0022): one of the accepted types (settings.IKMS_ATTACHMENT_TYPES, of
`FILE_TYPES`), no bigger than settings.IKMS_ATTACHMENT_MAX_BYTES, and its content what its name claims. The type
is claimed by the file name's extension; the browser's Content-Type is not trusted. The content is read by the
`filetype` package (magic numbers: PDF, PNG, JPEG, and the Office Open XML and OpenDocument containers, which it
recognises by their first entries), and a container must also open as a ZIP archive holding its main part; a text
file must be UTF-8 without NUL bytes and match no binary type. Each refusal is one message, in the active
language."""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ikms.core.formatting import number_text

#: Bytes read to recognise a type (filetype looks at the first 8 KiB at most).
HEAD_BYTES = 8192


@dataclass(frozen=True)
class FileType:
    code: str
    label: object  # str, or a lazy translation
    media_type: str
    extensions: tuple[str, ...]
    main_part: str = ""  # a ZIP container's entry that must be there (word/document.xml)
    text: bool = False


FILE_TYPES: dict[str, FileType] = {
    t.code: t
    for t in (
        FileType("pdf", "PDF", "application/pdf", (".pdf",)),
        FileType(
            "docx",
            "Word (DOCX)",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (".docx",),
            main_part="word/document.xml",
        ),
        FileType(
            "odt", "OpenDocument (ODT)", "application/vnd.oasis.opendocument.text", (".odt",), main_part="content.xml"
        ),
        FileType(
            "xlsx",
            "Excel (XLSX)",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (".xlsx",),
            main_part="xl/workbook.xml",
        ),
        FileType(
            "ods",
            "OpenDocument (ODS)",
            "application/vnd.oasis.opendocument.spreadsheet",
            (".ods",),
            main_part="content.xml",
        ),
        FileType("png", "PNG", "image/png", (".png",)),
        FileType("jpeg", "JPEG", "image/jpeg", (".jpg", ".jpeg")),
        FileType("txt", gettext_lazy("Text (TXT)"), "text/plain", (".txt",), text=True),
        FileType("csv", "CSV", "text/csv", (".csv",), text=True),
    )
}


def accepted_types() -> list[FileType]:
    """The types this deployment accepts (settings.IKMS_ATTACHMENT_TYPES), in FILE_TYPES' order."""
    wanted = set(settings.IKMS_ATTACHMENT_TYPES)
    return [t for code, t in FILE_TYPES.items() if code in wanted]


def accepted_list() -> str:
    """The accepted types as a list for a hint or a message: "PDF, Word (DOCX), …"."""
    return ", ".join(str(t.label) for t in accepted_types())


def max_size_text() -> str:
    """The size limit in megabytes, in the active language."""
    mb = settings.IKMS_ATTACHMENT_MAX_BYTES / (1024 * 1024)
    return _("%(mb)s MB") % {"mb": number_text(mb, 1, trim=True)}


def clean_name(name: str) -> str:
    """The file name without folders or control characters (kept for the download, never used as a path)."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = re.sub(r"[\x00-\x1f\x7f\"]", "", name).strip().strip(".")
    return name[:200] or "dokuments"


def _type_by_name(name: str) -> FileType | None:
    lower = name.lower()
    return next((t for t in accepted_types() if lower.endswith(t.extensions)), None)


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _container_holds(data: bytes, part: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return part in archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks: its clean name, type, content, size and SHA-256."""

    name: str
    type: FileType
    content: bytes
    size: int
    sha256: str


def check_upload(upload) -> CheckedFile:
    """Check an uploaded file (a Django UploadedFile, or any object with name, size and read()); raise a
    ValidationError with one message when it is refused."""
    name = clean_name(getattr(upload, "name", ""))
    size = int(getattr(upload, "size", 0) or 0)
    limit = settings.IKMS_ATTACHMENT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("The file is too big: it can be at most %(limit)s.") % {"limit": max_size_text()}, code="too_big"
        )
    ftype = _type_by_name(name)
    if ftype is None:
        raise ValidationError(
            _("This type of file is not accepted. Upload one of: %(types)s.") % {"types": accepted_list()}, code="type"
        )
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(
            _("The file is too big: it can be at most %(limit)s.") % {"limit": max_size_text()}, code="too_big"
        )
    if not content:
        raise ValidationError(_("The file is empty."), code="empty")
    head = content[:HEAD_BYTES]
    detected = filetype.guess(head)
    if ftype.text:
        ok = detected is None and _is_text(content)
    else:
        ok = detected is not None and detected.mime == ftype.media_type
        if ok and ftype.main_part:
            ok = _container_holds(content, ftype.main_part)
    if not ok:
        raise ValidationError(
            _(
                "The file's content is not %(type)s, as its name says. Check that it is the right "
                "file, or save it again as %(type)s."
            )
            % {"type": ftype.label},
            code="content",
        )
    return CheckedFile(
        name=name, type=ftype, content=content, size=len(content), sha256=hashlib.sha256(content).hexdigest()
    )


def size_text(size: int) -> str:
    """A file's size for a list: kB under a megabyte, MB above."""
    if size < 1024 * 1024:
        kb = max(round(size / 1024), 1)
        return _("%(n)s kB") % {"n": number_text(kb, 0)}
    return _("%(mb)s MB") % {"mb": number_text(size / (1024 * 1024), 1, trim=True)}
