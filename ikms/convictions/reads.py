"""The read log: every page, export and download that shows the commission's records writes one `ReadLog` row (who,
when, what, which records), in its own short transaction, before the response leaves. The row is the record of the
read, so it is not also an audit event. IKVD's data protection officer reads the log (`selectors.read_log`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from ikms.convictions import permissions
from ikms.convictions.choices import ReadKind
from ikms.convictions.models import Application, Meeting, ReadLog
from ikms.core.exceptions import PermissionDeniedError


@transaction.atomic
def read_record(
    *, reader, kind: str, applications: Iterable[Application] = (), meeting: Meeting | None = None, path: str = ""
) -> ReadLog:
    """Record that `reader` was shown `applications` (and `meeting`) on a page of `kind`. Only the commission reads
    the records, so only its reads are recorded; anyone else is refused (and must have been refused the page)."""
    if not permissions.can_use_convictions(reader):
        raise PermissionDeniedError("not a reader of the commission's records")
    if kind not in ReadKind.values:
        raise ValueError(f"unknown kind of read: {kind!r}")
    shown = list({a.pk: a for a in applications}.values())
    entry = ReadLog(
        at=timezone.now(), reader=reader, kind=kind, path=(path or "")[:300], meeting=meeting, rows=len(shown)
    )
    entry.full_clean()
    entry.save()
    if shown:
        entry.applications.set(shown)
    return entry


def case_file_read(*, reader, case_file, attachment=None) -> ReadLog:
    """A page of an application's case file, or one of its documents, opened through the case core's pages."""
    application = Application.objects.get(case_file=case_file)
    return read_record(
        reader=reader,
        kind=ReadKind.DOCUMENT if attachment is not None else ReadKind.CASE_FILE,
        applications=[application],
        path=f"document:{attachment.pk}" if attachment is not None else f"case_file:{case_file.pk}",
    )
