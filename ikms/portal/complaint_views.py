"""The public complaint form and the satisfaction survey (issue 13). Anti-spam with no third party: a honeypot field
people do not see, a minimum time between showing the form and sending it (a signed timestamp in the form), and
at most `IKMS_COMPLAINT_FORM_PER_HOUR` complaints an hour from one address (the shared cache). A refused sending
stores nothing. The confirmation page shows the complaint's reference number."""

import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ikms.accounts.throttling import client_ip
from ikms.complaints import services
from ikms.complaints.choices import Channel
from ikms.complaints.forms import PublicComplaintForm, SurveyForm
from ikms.complaints.models import SurveyInvitation
from ikms.core.exceptions import ApplicationError
from ikms.registry.models import Institution

SALT = "ikms.portal.complaint-form"
SESSION_KEY = "complaint_reference"


def form_stamp(at: float | None = None) -> str:
    """The signed time the form was shown."""
    return signing.dumps({"t": time.time() if at is None else at}, salt=SALT)


def _seconds_since(stamp: str) -> float | None:
    try:
        return time.time() - float(signing.loads(stamp, salt=SALT, max_age=24 * 3600)["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def _throttle_key(request) -> str:
    return f"complaint-form:{client_ip(request) or 'unknown'}"


def _refusal(request, form) -> str | None:
    """Why the sending is refused as spam or too frequent (a message), or None."""
    if form.data.get("website"):
        return _("The form could not be sent. Please try again.")
    elapsed = _seconds_since(form.data.get("shown_at", ""))
    if elapsed is None or elapsed < settings.IKMS_COMPLAINT_FORM_MIN_SECONDS:
        return _("The form was sent too quickly. Please check what you wrote and send it again.")
    if cache.get(_throttle_key(request), 0) >= settings.IKMS_COMPLAINT_FORM_PER_HOUR:
        return _("Too many complaints have been sent from your address in the last hour. Please try again later.")
    return None


@login_not_required
def complaint_form(request):
    form = PublicComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refusal = _refusal(request, form)
        if refusal:
            form.add_error(None, refusal)
        else:
            d = form.cleaned_data
            institutions = (
                list(Institution.objects.filter(name__iexact=d["institution_name"].strip())[:1])
                if d["institution_name"].strip()
                else []
            )
            text = d["text"]
            if d["institution_name"].strip() and not institutions:
                text = f"{d['institution_name'].strip()}\n\n{text}"
            try:
                complaint = services.complaint_register(
                    actor=None,
                    public=True,
                    channel=Channel.PORTAL,
                    submitter_type=d["submitter_type"],
                    text=text,
                    received_on=timezone.localdate(),
                    institutions=institutions,
                    anonymous=d["anonymous"],
                    submitter_name=d["submitter_name"],
                    submitter_contact=d["submitter_contact"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                key = _throttle_key(request)
                cache.add(key, 0, 3600)
                try:
                    cache.incr(key)
                except ValueError:
                    cache.set(key, 1, 3600)
                request.session[SESSION_KEY] = complaint.reference
                return redirect("portal:complaint-sent")
    stamped = form.data.copy() if form.is_bound else None
    if stamped is not None:
        stamped["shown_at"] = form_stamp()
        form.data = stamped
    else:
        form.initial["shown_at"] = form_stamp()
    return render(request, "portal/complaint_form.html", {"form": form})


@login_not_required
def complaint_sent(request):
    reference = request.session.get(SESSION_KEY)
    if not reference:
        return redirect("portal:complaint-form")
    return render(request, "portal/complaint_sent.html", {"reference": reference})


@login_not_required
def survey(request, token: str):
    invitation = SurveyInvitation.objects.filter(token=token).first()
    if invitation is None:
        raise Http404
    form = SurveyForm(request.POST or None)
    done = invitation.answered_on is not None
    if request.method == "POST" and not done and form.is_valid():
        try:
            services.survey_answer(token=token, score=form.cleaned_data["score"], comment=form.cleaned_data["comment"])
        except (ValidationError, ApplicationError) as exc:
            form.add_error(None, getattr(exc, "message", None) or exc.messages)
        else:
            done = True
    return render(request, "portal/survey.html", {"form": form, "done": done})
