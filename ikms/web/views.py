"""Pages of the top layer. "Mani darbi" (My work): every signed-in user's start page, what waits for their action
(`ikms.web.work`). The institution dossier: one institution's timeline across the register, monitoring and
accreditation.

Thin like every view: the dossier's institution through monitoring's scoped selector (invisible → 404), monitoring's
predicates (→ 403), then the timeline of `ikms.web.dossier`; "Mani darbi" reads only through the apps' scopers."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ikms.core.exports import export_response
from ikms.monitoring import data_quality as dq
from ikms.monitoring import permissions, selectors
from ikms.web import dossier, work


def my_work(request):
    """The start page after sign-in (settings.LOGIN_REDIRECT_URL) for every signed-in user: a section for each kind
    of work the user's roles carry; with no role, what to do to get one."""
    return render(request, "web/my_work.html", {"sections": work.sections(request.user,
                                                                          today=timezone.localdate())})


def institution_dossier(request, registration_number: str):
    user = request.user
    if not permissions.can_use_monitoring(user):
        raise PermissionDenied
    inst = selectors.institution_for_monitoring(user, registration_number)
    if not permissions.can_view_institution_monitoring(user, inst):
        raise PermissionDenied
    kinds = dossier.KINDS
    chosen = [k for k in request.GET.getlist("kind") if k in kinds] or list(kinds)
    events = dossier.timeline(inst, user=user, kinds=chosen)
    if request.GET.get("format") in ("csv", "xlsx"):
        return export_response(fmt=request.GET["format"], filename=f"lieta-{inst.registration_number}",
                               headers=[_("Date"), _("Kind"), _("Event"), _("Details")],
                               rows=[(e.date, str(kinds[e.kind]), e.title, e.detail) for e in events])
    return render(request, "web/dossier.html", {"institution": inst, "events": events, "kinds": kinds,
                                                "chosen": chosen,
                                                "coverage": dq.institution_coverage(inst.registration_number)})
