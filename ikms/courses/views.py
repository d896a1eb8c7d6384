"""Pages of IKVD's courses and events: the list (IKVD's staff: every course and event; heads, founders and experts:
the events meant for them), a course with its events, an event with its participants and the attendance form, the
forms that create courses and events, enrol and mark attendance, the certificates (PDF, every download recorded),
and "My training". Thin: objects come through the selectors (404 when not visible), the policies decide the action
(403), one service writes, and its refusal goes back onto the form with nothing written."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ikms.core.views import require, run_service
from ikms.courses import permissions, selectors, services
from ikms.courses.forms import (
    AttendanceForm,
    CourseForm,
    EnrolForm,
    EnrolOtherForm,
    EventForm,
    IssueCertificatesForm,
)


def event_list(request):
    require(permissions.can_use_courses(request.user))
    manage = permissions.can_manage(request.user)
    return render(
        request,
        "courses/event_list.html",
        {
            "events": selectors.event_list(request.user, upcoming_only=not manage),
            "courses": selectors.course_list(request.user),
            "can_manage": manage,
        },
    )


def course_new(request):
    require(permissions.can_manage(request.user))
    form = CourseForm(request.POST or None)
    created = {}
    if request.method == "POST" and form.is_valid():

        def action():
            created["course"] = services.course_create(actor=request.user, data=form.course_input())

        if run_service(request, form, action, _("The course is created.")):
            return redirect("courses:course-detail", pk=created["course"].pk)
    return render(
        request, "courses/form.html", {"form": form, "title": _("New course"), "submit": _("Create the course")}
    )


def course_detail(request, pk: int):
    course = selectors.course_get_for_user(user=request.user, pk=pk)
    events = [e for e in selectors.event_list(request.user, upcoming_only=False) if e.course_id == course.pk]
    return render(
        request,
        "courses/course_detail.html",
        {"course": course, "events": events, "can_manage": permissions.can_manage(request.user)},
    )


def event_new(request, pk: int):
    course = selectors.course_get_for_user(user=request.user, pk=pk)
    require(permissions.can_manage(request.user))
    form = EventForm(request.POST or None)
    created = {}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def action():
            created["event"] = services.event_create(
                actor=request.user,
                course=course,
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                place=d["place"],
                online=d["online"],
                capacity=d["capacity"],
            )

        if run_service(request, form, action, _("The event is scheduled.")):
            return redirect("courses:event-detail", pk=created["event"].pk)
    return render(
        request,
        "courses/form.html",
        {"form": form, "title": _("Schedule an event"), "course": course, "submit": _("Schedule the event")},
    )


def event_detail(request, pk: int):
    event = selectors.event_get_for_user(user=request.user, pk=pk)
    manage = permissions.can_manage(request.user)
    own = event.registrations.filter(user=request.user).first()
    return render(
        request,
        "courses/event_detail.html",
        {
            "event": event,
            "registrations": selectors.event_registrations(event) if manage else [],
            "places_left": selectors.places_left(event),
            "own": own,
            "can_manage": manage,
            "can_enrol": own is None and permissions.can_enrol(request.user, event),
        },
    )


def event_enrol(request, pk: int):
    """A head, founder or expert enrols themselves (a confirmation, then the service)."""
    event = selectors.event_get_for_user(user=request.user, pk=pk)
    require(permissions.can_enrol(request.user, event))
    form = EnrolForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():

        def action():
            services.registration_enrol(actor=request.user, event=event, user=request.user)

        if run_service(request, form, action, _("You are enrolled.")):
            return redirect("courses:event-detail", pk=event.pk)
    return render(
        request,
        "courses/form.html",
        {"form": form, "title": _("Enrol in the event"), "event": event, "submit": _("Enrol")},
    )


def event_register(request, pk: int):
    """IKVD's staff enrol a user or an outside person."""
    event = selectors.event_get_for_user(user=request.user, pk=pk)
    require(permissions.can_manage(request.user))
    form = EnrolOtherForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def action():
            services.registration_enrol(
                actor=request.user,
                event=event,
                user=d["user"],
                person_name=d["person_name"] if d["user"] is None else "",
            )

        if run_service(request, form, action, _("The participant is enrolled.")):
            return redirect("courses:event-detail", pk=event.pk)
    return render(
        request,
        "courses/form.html",
        {"form": form, "title": _("Enrol a participant"), "event": event, "submit": _("Enrol")},
    )


def event_attendance(request, pk: int):
    event = selectors.event_get_for_user(user=request.user, pk=pk)
    require(permissions.can_manage(request.user))
    form = AttendanceForm(request.POST or None, registrations=selectors.event_registrations(event))
    if request.method == "POST" and form.is_valid():

        def action():
            services.attendance_record(actor=request.user, event=event, marks=form.marks())

        if run_service(request, form, action, _("The attendance is saved.")):
            return redirect("courses:event-detail", pk=event.pk)
    return render(
        request,
        "courses/form.html",
        {"form": form, "title": _("Attendance and completion"), "event": event, "submit": _("Save")},
    )


def event_certificates(request, pk: int):
    event = selectors.event_get_for_user(user=request.user, pk=pk)
    require(permissions.can_manage(request.user))
    form = IssueCertificatesForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():

        def action():
            services.event_certificates_issue(actor=request.user, event=event)

        if run_service(request, form, action, _("The certificates are issued.")):
            return redirect("courses:event-detail", pk=event.pk)
    waiting = [r for r in selectors.event_registrations(event) if r.completed and not r.has_certificate]
    return render(
        request,
        "courses/form.html",
        {
            "form": form,
            "title": _("Issue certificates"),
            "event": event,
            "waiting": waiting,
            "submit": _("Issue the certificates"),
        },
    )


def certificate_download(request, pk: int):
    registration = selectors.registration_get_for_user(user=request.user, pk=pk)
    if not registration.has_certificate:
        raise Http404
    content = services.certificate_download(actor=request.user, registration=registration)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="aplieciba-{registration.certificate_number}.pdf"'
    response["Content-Language"] = "lv"
    return response


def my_training(request):
    require(permissions.can_use_courses(request.user))
    registrations = selectors.my_training(request.user)
    enrolled = {r.event_id for r in registrations}
    return render(
        request,
        "courses/my_training.html",
        {
            "registrations": registrations,
            "upcoming": [
                e
                for e in selectors.event_list(request.user, upcoming_only=True)
                if e.pk not in enrolled and permissions.can_enrol(request.user, e)
            ],
        },
    )
