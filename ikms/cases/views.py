"""The case file's pages (ADR 0022): documents, deadlines, letters and who works on the case, for every case type.
Thin: the file comes through the case type's policy (404 when not visible), a predicate decides the action (403
when visible but not allowed), one service writes, and its errors go back onto the form with nothing written."""

from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ikms.cases import forms as f
from ikms.cases import permissions, selectors, services
from ikms.cases.files import size_text
from ikms.cases.types import case_type
from ikms.core.views import require, run_service

_require = require
_run = run_service

def _read(request, case_file, attachment=None) -> None:
    """Tell the case type that the user opened its case file (or a document of it), when it wants to know."""
    t = case_type(case_file.kind)
    if t is not None and t.on_read is not None:
        t.on_read(user=request.user, case_file=case_file, attachment=attachment)


def _context(request, case_file, **extra) -> dict:
    t = case_type(case_file.kind)
    _read(request, case_file)
    return {"case_file": case_file, "case_type": t, "case_url": t.url(case_file) if t else "", **extra}


def case_file_detail(request, pk: int):
    """The documents, deadlines (with their extensions) and letters of a case, and who works on it."""
    case_file = selectors.case_file_get_for_user(user=request.user, pk=pk)
    today = timezone.localdate()
    deadlines = list(selectors.case_file_deadlines(case_file))
    return render(
        request,
        "cases/case_file.html",
        _context(
            request,
            case_file,
            today=today,
            documents=[(d, size_text(d.size)) for d in selectors.case_file_documents(case_file)],
            deadlines=[(d, selectors.urgency(d, today)) for d in deadlines],
            can_manage=permissions.can_manage_case_file(request.user, case_file),
            can_add=permissions.can_add_document(request.user, case_file),
        ),
    )


def attachment_add(request, pk: int):
    case_file = selectors.case_file_get_for_user(user=request.user, pk=pk)
    _require(permissions.can_add_document(request.user, case_file))
    form = f.AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def action():
            services.attachment_add(
                actor=request.user,
                case_file=case_file,
                upload=d["file"],
                title=d["title"],
                dated_on=d["dated_on"],
                direction=d["direction"],
            )

        if _run(request, form, action, _("The document is added to the case.")):
            return redirect("cases:case-file", pk=case_file.pk)
    return render(
        request,
        "cases/form.html",
        _context(request, case_file, form=form, multipart=True, title=_("Add a document"), submit_label=_("Upload")),
    )


def attachment_download(request, pk: int):
    """The document's file, to a user who sees its case; every download is recorded in the event log."""
    attachment = selectors.attachment_get_for_user(user=request.user, pk=pk)
    handle = services.attachment_download(actor=request.user, attachment=attachment)
    _read(request, attachment.case_file, attachment)
    response = FileResponse(handle, as_attachment=True, filename=attachment.name, content_type=attachment.media_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def deadline_extend(request, pk: int):
    deadline = selectors.deadline_get_for_user(user=request.user, pk=pk)
    case_file = deadline.case_file
    _require(permissions.can_extend_deadline(request.user, deadline))
    form = f.DeadlineExtendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def action():
            services.deadline_extend(actor=request.user, deadline=deadline, due_on=d["due_on"], reason=d["reason"])

        if _run(request, form, action, _("The deadline is extended.")):
            return redirect("cases:case-file", pk=case_file.pk)
    return render(
        request,
        "cases/form.html",
        _context(
            request, case_file, form=form, deadline=deadline, title=_("Extend the deadline"), submit_label=_("Extend")
        ),
    )


def case_file_assign(request, pk: int):
    case_file = selectors.case_file_get_for_user(user=request.user, pk=pk)
    _require(permissions.can_manage_case_file(request.user, case_file))
    form = f.AssignForm(
        request.POST or None,
        people=selectors.assignable_people(),
        initial={"assignee": case_file.assignee_id, "team": case_file.team_id},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def action():
            services.case_file_assign(actor=request.user, case_file=case_file, assignee=d["assignee"], team=d["team"])

        if _run(request, form, action, _("The case is assigned.")):
            return redirect("cases:case-file", pk=case_file.pk)
    return render(
        request,
        "cases/form.html",
        _context(request, case_file, form=form, title=_("Assign the case"), submit_label=_("Save")),
    )


def letter_create(request, pk: int):
    case_file = selectors.case_file_get_for_user(user=request.user, pk=pk)
    _require(permissions.can_manage_case_file(request.user, case_file))
    form = f.LetterForm(request.POST or None, deadlines=case_file.deadlines.all())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def action():
            services.letter_issue(
                actor=request.user,
                case_file=case_file,
                template=d["template"],
                addressee=d["addressee"],
                text=d["text"],
                deadline=d["deadline"],
            )

        if _run(request, form, action, _("The letter is written and kept among the case's documents.")):
            return redirect("cases:case-file", pk=case_file.pk)
    return render(
        request,
        "cases/form.html",
        _context(request, case_file, form=form, title=_("Write a letter"), submit_label=_("Write the letter (PDF)")),
    )


def work_queue(request):
    """The whole work queue of the signed-in user and their teams (the start page shows its top)."""
    queue = selectors.work_queue(request.user, today=timezone.localdate())
    return render(request, "cases/queue.html", {"queue": queue, "today": timezone.localdate()})
