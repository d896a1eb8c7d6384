"""Pages of the reports: the kinds a user may make and the user's recent runs, a start form per kind, a run's page
with its progress (polled by htmx until the run is finished), the report as a web page and its files. Thin: the
kind and the policy decide, a selector reads, one service writes; a run the user may not open is a 404."""

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from ikms.cases.storage import private_storage
from ikms.core.views import require
from ikms.reports import kinds, permissions, selectors, services
from ikms.reports.models import ReportRun
from ikms.reports.render.xlsx import XLSX_TYPE

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {"pdf": "application/pdf", "xlsx": XLSX_TYPE, "docx": DOCX_TYPE}
#: how often the run page asks for the progress, in seconds
POLL_SECONDS = 1


def index(request):
    kinds_allowed = selectors.kinds_for(request.user)
    runs = selectors.recent_runs(request.user)
    require(bool(kinds_allowed) or runs.exists())
    return render(request, "reports/index.html", {"kinds": kinds_allowed, "runs": runs})


def _kind(code: str) -> kinds.ReportKind:
    try:
        return kinds.get(code)
    except KeyError:
        raise Http404 from None


def start(request, kind):
    kind = _kind(kind)
    require(permissions.may_run_some(request.user, kind))
    data = request.POST if request.method == "POST" else request.GET
    errors: list[str] = []
    if request.method == "POST":
        try:
            params = kind.parse(request.user, data)
            run = services.report_run_start(actor=request.user, kind=kind, params=params,
                                            language=translation.get_language() or "lv")
        except ValidationError as exc:
            errors = exc.messages
        else:
            return redirect("reports:run", pk=run.pk)
    fields = [(f, data.get(f.name, ""), f.choices(request.user) if f.choices else None) for f in kind.fields]
    return render(request, "reports/start.html", {"kind": kind, "fields": fields, "errors": errors})


def _run(request, pk) -> ReportRun:
    run = get_object_or_404(ReportRun, pk=pk)
    if not permissions.may_open_run(request.user, run):
        raise Http404
    return run


def _run_context(run: ReportRun) -> dict:
    formats = [f for f in ("pdf", "xlsx", "docx") if f in run.outputs]
    return {"run": run, "formats": formats, "poll_seconds": POLL_SECONDS}


def run(request, pk):
    return render(request, "reports/run.html", _run_context(_run(request, pk)))


def run_progress(request, pk):
    """The progress panel alone (htmx swaps it in every `POLL_SECONDS` until the run is finished)."""
    return render(request, "reports/_progress.html", _run_context(_run(request, pk)))


def run_view(request, pk):
    """The report as a web page: the body rendered when the run was made, inside the site's layout."""
    run = _run(request, pk)
    if run.status != ReportRun.Status.DONE or "html" not in run.outputs:
        raise Http404
    with private_storage().open(run.outputs["html"]) as handle:
        body = handle.read().decode()
    return render(request, "reports/report.html", {"run": run, "body": body, "formats": _run_context(run)["formats"],
                                                   "has_charts": 'data-plotly="' in body})


def run_download(request, pk, fmt):
    run = _run(request, pk)
    if run.status != ReportRun.Status.DONE or fmt not in CONTENT_TYPES or fmt not in run.outputs:
        raise Http404
    handle = services.report_run_download(actor=request.user, run=run, fmt=fmt)
    filename = f"{_('report')}-{run.kind}-{run.pk}.{fmt}"
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt])
