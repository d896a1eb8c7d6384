"""The shared case core with its first case type, accreditation (ADR 0022): a case opens its file with the decision's
deadline, documents are checked, kept privately and served only through the access policy with every download
audited, bad input changes nothing and reads in Latvian and English, deadlines are extended only with a reason, a
closed case takes nothing more, letters are PDFs with Latvian letters, and the work queue lists what is the user's
and their team's, feeding "Mani darbi"."""

import base64
import datetime as dt
import re
import zlib
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from ikms.accounts.models import User
from ikms.accreditation.testing import drive, experts, new_case
from ikms.cases import forms as f
from ikms.cases import selectors, services
from ikms.cases import testing as t
from ikms.cases.deadlines import working_calendar
from ikms.cases.models import Attachment, CaseFile, Deadline, DeadlineExtension, Team
from ikms.core.exceptions import ApplicationError, PermissionDeniedError
from ikms.core.models import AuditEvent


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    """Each test keeps its case documents in a folder of its own, to look at what was written."""
    settings.IKMS_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    with translation.override("lv"):
        yield


@pytest.fixture
def people(world):
    users = dict(world["users"])
    users.update(experts())
    users["head"] = users["head_a1"]
    users["ikvd"] = users["quality_expert"]
    return users


@pytest.fixture
def case(world, people):
    """A1's accreditation case, registered by the quality expert (so on their queue)."""
    return drive(new_case(institution=world["a1"], head=people["head"]), "registered", people)


def _files(settings) -> list[Path]:
    root = Path(settings.IKMS_PRIVATE_MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _state() -> tuple:
    """Everything an upload, an extension or a letter could write."""
    return (
        Attachment.objects.count(),
        AuditEvent.objects.count(),
        DeadlineExtension.objects.count(),
        list(Deadline.objects.values_list("due_on", flat=True)),
    )


# --- the case file of an accreditation case ---------------------------------------------------------------------


def test_an_application_opens_a_case_file_with_the_decisions_deadline(world, people, case):
    case_file = CaseFile.objects.get(pk=case.case_file_id)
    assert case_file.kind == "accreditation" and case_file.institution == world["a1"]
    assert case_file.subject == "Izglītības iestādes akreditācija: Rīgas Testa vidusskola"
    deadline = case_file.deadlines.get()
    assert deadline.rule == "accreditation_decision" and deadline.starts_on == case.applied_on
    assert deadline.statutory_due_on == deadline.due_on > case.applied_on
    assert case_file.assignee == people["ikvd"]  # the officer who registered the application
    assert AuditEvent.objects.filter(action="cases.assign", actor=people["ikvd"]).exists()


def test_a_decision_closes_the_file_and_meets_its_deadline(world, people, case):
    decided = drive(new_case(institution=world["a1"], head=people["head"], kind="head"), "decided", people)
    case_file = CaseFile.objects.get(pk=decided.case_file_id)
    assert case_file.closed_on == decided.decided_on
    assert case_file.deadlines.get().met_on == decided.decided_on


def test_the_migration_gives_older_cases_a_file(world, people, case):
    """Cases made before the core (case_file empty) get one from migration 0004, with the same deadline."""
    migration = import_module("ikms.accreditation.migrations.0004_open_case_files")
    type(case).objects.filter(pk=case.pk).update(case_file=None)
    migration.open_case_files(apps, None)
    case.refresh_from_db()
    assert case.case_file is not None and case.case_file.pk != CaseFile.objects.order_by("pk").first().pk
    assert case.case_file.deadlines.get().due_on == CaseFile.objects.order_by("pk").first().deadlines.get().due_on


# --- documents ----------------------------------------------------------------------------------------------


def test_a_document_is_kept_privately_and_downloaded_only_through_the_policy(client, settings, world, people, case):
    client.force_login(people["head"])
    response = client.post(
        reverse("cases:attachment-add", args=[case.case_file_id]),
        {
            "file": t.upload("Iesniegums.pdf", t.PDF),
            "title": "Akreditācijas iesniegums",
            "dated_on_day": "2",
            "dated_on_month": "1",
            "dated_on_year": "2025",
            "direction": "received",
        },
    )
    assert response.status_code == 302
    doc = Attachment.objects.get()
    stored = _files(settings)
    assert len(stored) == 1 and stored[0].read_bytes() == t.PDF
    assert "Iesniegums" not in str(stored[0])  # stored by a random name; the original name is in the row
    assert not str(stored[0]).startswith(str(settings.STATIC_ROOT))
    with pytest.raises(ValueError, match="no public address"):
        doc.file.url  # noqa: B018

    url = reverse("cases:attachment-download", args=[doc.pk])
    for role in ("founder_ogre", "accreditation_expert", "no_role"):  # not theirs: the same 404 as a missing one
        client.force_login(people[role])
        assert client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="cases.attachment_download").exists()
    for role in ("founder_riga", "quality_expert"):
        client.force_login(people[role])
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == t.PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "no-store" in response["Cache-Control"]
    events = AuditEvent.objects.filter(action="cases.attachment_download").order_by("id")
    assert [e.actor for e in events] == [people["founder_riga"], people["quality_expert"]]
    assert events[0].target_id == str(doc.pk) and events[0].data["sha256"] == doc.sha256


@pytest.mark.parametrize(
    "bad",
    [
        (
            lambda: t.upload("programma.exe", b"MZ\x90\x00"),
            {},
            ("Šāda veida datne netiek pieņemta", "This type of file is not accepted"),
        ),
        (lambda: t.upload("attēls.pdf", t.PNG), {}, ("Datnes saturs nav PDF", "The file&#x27;s content is not PDF")),
        (lambda: t.upload("liels.pdf", t.PDF + b"0" * 2048), {}, ("Datne ir par lielu", "The file is too big")),
        (
            lambda: t.upload("vēstule.pdf", t.PDF),
            {"dated_on_year": "2999"},
            ("Datums nevar būt nākotnē", "The date cannot be in the future"),
        ),
    ],
)
def test_a_bad_upload_changes_nothing_and_says_why(client, settings, people, case, bad):
    upload, fields, (lv, en) = bad
    settings.IKMS_ATTACHMENT_MAX_BYTES = 1024
    client.force_login(people["head"])
    before = _state()
    for prefix, text in (("", lv), ("/en", en)):
        data = {
            "file": upload(),
            "title": "Dokuments",
            "dated_on_day": "2",
            "dated_on_month": "1",
            "dated_on_year": "2025",
            "direction": "received",
            **fields,
        }
        response = client.post(f"{prefix}/lietas/{case.case_file_id}/dokumenti/jauns/", data)
        assert response.status_code == 200
        assert text in response.content.decode(), prefix
        assert "govuk-error-summary" in response.content.decode()
    assert _state() == before
    assert _files(settings) == []


def test_a_closed_case_takes_no_documents_letters_or_extensions(world, people, settings):
    decided = drive(new_case(institution=world["a1"], head=people["head"]), "decided", people)
    case_file = decided.case_file
    before = _state()
    for language, text in (("lv", "Šī lieta ir slēgta"), ("en", "This case is closed")):
        with translation.override(language):
            with pytest.raises(ApplicationError, match=text):
                services.attachment_add(
                    actor=people["ikvd"],
                    case_file=case_file,
                    upload=t.upload("a.pdf", t.PDF),
                    title="Atbilde",
                    dated_on=timezone.localdate(),
                )
            with pytest.raises(ApplicationError, match=text):
                services.letter_issue(
                    actor=people["ikvd"],
                    case_file=case_file,
                    template="reply",
                    addressee="Jānis Bērziņš",
                    text="Atbilde",
                )
            with pytest.raises(ApplicationError, match=text):
                services.deadline_extend(
                    actor=people["ikvd"],
                    deadline=case_file.deadlines.get(),
                    due_on=timezone.localdate() + dt.timedelta(days=30),
                    reason="Iemesls",
                )
    assert _state() == before and _files(settings) == []


def test_who_may_add_documents(world, people, case):
    for role in ("founder_ogre", "analyst"):  # cannot see the case, or sees it but is no party
        with pytest.raises(PermissionDeniedError):
            services.attachment_add(
                actor=people[role],
                case_file=case.case_file,
                upload=t.upload("a.pdf", t.PDF),
                title="X",
                dated_on=timezone.localdate(),
            )
    assert not Attachment.objects.exists()


# --- deadlines ----------------------------------------------------------------------------------------------


def test_an_extension_without_a_reason_changes_nothing_and_says_why(client, people, case):
    deadline = case.case_file.deadlines.get()
    url = reverse("cases:deadline-extend", args=[deadline.pk])
    new_day = deadline.due_on + dt.timedelta(days=7)
    client.force_login(people["ikvd"])
    before = _state()
    for prefix, text in (("", "Norādiet termiņa pagarinājuma iemeslu"), ("/en", "Give the reason for extending")):
        response = client.post(
            f"{prefix}{url}",
            {"due_on_day": new_day.day, "due_on_month": new_day.month, "due_on_year": new_day.year, "reason": "   "},
        )
        assert response.status_code == 200 and text in response.content.decode()
    assert _state() == before
    client.force_login(people["head"])  # sees the case, may not extend
    assert client.get(url).status_code == 403


def test_an_extension_is_recorded_with_its_reason_who_and_when(people, case):
    deadline = case.case_file.deadlines.get()
    new_day = working_calendar().next_working_day(deadline.due_on + dt.timedelta(days=10))
    ext = services.deadline_extend(
        actor=people["ikvd"], deadline=deadline, due_on=new_day, reason="Komisija lūdz papildu laiku"
    )
    deadline.refresh_from_db()
    assert (deadline.due_on, deadline.statutory_due_on < deadline.due_on) == (new_day, True)
    assert (ext.previous_due_on, ext.reason, ext.extended_by) == (
        deadline.statutory_due_on,
        "Komisija lūdz papildu laiku",
        people["ikvd"],
    )
    event = AuditEvent.objects.get(action="cases.deadline_extend")
    assert event.data["reason"] == "Komisija lūdz papildu laiku" and event.actor == people["ikvd"]


def test_a_deadline_cannot_start_in_the_future(people, case):
    before = _state()
    with pytest.raises(ValidationError) as exc:
        services.deadline_start(
            actor=people["ikvd"],
            case_file=case.case_file,
            rule="submission_answer",
            starts_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert "starts_on" in exc.value.message_dict
    assert _state() == before


# --- letters ------------------------------------------------------------------------------------------------


def _unescape(raw: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(raw):
        if raw[i] == 0x5C:  # backslash
            octal = re.match(rb"[0-7]{1,3}", raw[i + 1 :])
            if octal:
                out.append(int(octal.group(0), 8))
                i += 1 + len(octal.group(0))
                continue
            out.append({ord("n"): 10, ord("r"): 13, ord("t"): 9}.get(raw[i + 1], raw[i + 1]))
            i += 2
            continue
        out.append(raw[i])
        i += 1
    return bytes(out)


def pdf_text(pdf: bytes) -> str:
    """The text of a reportlab PDF, decoded through each font's ToUnicode map (what a reader copies out)."""
    objects = {int(m.group(1)): m.group(2) for m in re.finditer(rb"(\d+) 0 obj\n(.*?)endobj", pdf, re.S)}

    def stream(body: bytes) -> bytes:
        data = re.search(rb"stream\r?\n(.*?)endstream", body, re.S).group(1)
        if b"ASCII85Decode" in body:
            data = base64.a85decode(b"<~" + data.strip(), adobe=True)
        return zlib.decompress(data) if b"FlateDecode" in body else data

    fonts = {
        name: int(ref) for body in objects.values() for name, ref in re.findall(rb"/(F\d+(?:\+\d+)?) (\d+) 0 R", body)
    }
    maps = {}
    for name, ref in fonts.items():
        found = re.search(rb"/ToUnicode (\d+) 0 R", objects[ref])
        if found:
            cmap = stream(objects[int(found.group(1))])
            maps[name] = {int(a, 16): chr(int(b, 16)) for a, b in re.findall(rb"<([0-9A-F]{2})> <([0-9A-F]{4})>", cmap)}
    lines = []
    for body in objects.values():
        if b"stream" not in body or b"Length1" in body or b"begincmap" in body:
            continue
        content, font = stream(body), None
        for m in re.finditer(rb"/(F\d+(?:\+\d+)?) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj", content, re.S):
            if m.group(1):
                font = m.group(1)
            else:
                lines.append("".join(maps.get(font, {}).get(b, chr(b)) for b in _unescape(m.group(2))))
    return "\n".join(lines)


def test_a_letter_is_a_pdf_in_latvian_with_correct_letters_kept_as_a_sent_document(client, settings, people, case):
    people["ikvd"].first_name, people["ikvd"].last_name = "Šarlote", "Žagata"
    people["ikvd"].save()
    client.force_login(people["ikvd"])
    response = client.post(
        reverse("cases:letter-create", args=[case.case_file_id]),
        {
            "template": "acknowledgement",
            "addressee": "Ģirts Ķēniņš\nĻaudonas iela 1, Rīga",
            "text": "Lūdzam iesniegt arī pašnovērtējuma ziņojumu; ūdens, čūska, ņēma, īss.",
        },
    )
    assert response.status_code == 302
    letter = Attachment.objects.get()
    assert (letter.direction, letter.file_type, letter.title) == ("sent", "pdf", "Par iesnieguma saņemšanu")
    content = _files(settings)[0].read_bytes()
    assert content.startswith(b"%PDF") and b"DejaVuSans" in content
    text = pdf_text(content)
    for expected in (
        "Izglītības kvalitātes valsts dienests",
        "Par iesnieguma saņemšanu",
        "Ģirts Ķēniņš",
        "Ļaudonas iela 1, Rīga",
        "Šarlote Žagata",
        "ūdens, čūska, ņēma, īss",
        f"Nr. IKVD/{case.case_file_id}/1",
        "Rīgas Testa vidusskola",
    ):
        assert expected in text, expected
    assert "Atbildi uz iesniegumu sniegsim ne vēlāk kā" in text
    assert AuditEvent.objects.filter(action="cases.letter_issue", actor=people["ikvd"]).exists()
    client.force_login(people["head"])  # the applicant sees the case, so the letter; may not write one
    assert client.get(reverse("cases:attachment-download", args=[letter.pk])).status_code == 200
    assert client.get(reverse("cases:letter-create", args=[case.case_file_id])).status_code == 403


def test_a_reply_without_text_or_an_addressee_changes_nothing(people, case):
    before = _state()
    with pytest.raises(ValidationError) as exc:
        services.letter_issue(actor=people["ikvd"], case_file=case.case_file, template="reply", addressee=" ", text="")
    assert set(exc.value.message_dict) == {"addressee", "text"}
    assert _state() == before


# --- the work queue -----------------------------------------------------------------------------------------


def test_the_queue_lists_mine_and_my_teams_overdue_first(world, people, case):
    today = timezone.localdate()
    team = Team.objects.create(code="kvalitate", name_lv="Kvalitātes nodaļa", name_en="Quality unit")
    colleague = people["ikvd_admin"]
    team.members.add(people["ikvd"], colleague)
    other = drive(new_case(institution=world["b1"], head=people["founder_ogre"]), "registered", people)
    services.case_file_assign(actor=people["ikvd"], case_file=other.case_file, assignee=None, team=team)
    Deadline.objects.filter(case_file=other.case_file).update(
        due_on=today - dt.timedelta(days=3),
        statutory_due_on=today - dt.timedelta(days=3),
        starts_on=today - dt.timedelta(days=120),
    )

    mine = selectors.work_queue(people["ikvd"], today=today)
    assert [i.case_file for i in mine.mine] == [case.case_file]
    assert [i.case_file for i in mine.team] == [other.case_file]
    assert mine.team[0].urgency == "overdue" and mine.overdue == 1 and mine.team[0].days_left < 0
    theirs = selectors.work_queue(colleague, today=today)
    assert theirs.mine == [] and [i.case_file for i in theirs.team] == [other.case_file]
    for role in ("analyst", "head"):  # nothing assigned to them, no team
        queue = selectors.work_queue(people[role], today=today)
        assert (queue.mine, queue.team) == ([], [])


def test_the_queue_shows_only_cases_the_user_may_see(world, people, case):
    """A case assigned to someone who has since lost sight of it (an ended role) leaves their queue."""
    CaseFile.objects.filter(pk=case.case_file_id).update(assignee=people["founder_ogre"])
    assert selectors.work_queue(people["founder_ogre"], today=timezone.localdate()).mine == []
    with pytest.raises(ValidationError) as exc:
        services.case_file_assign(actor=people["ikvd"], case_file=case.case_file, assignee=people["founder_ogre"])
    assert "assignee" in exc.value.message_dict


def test_due_soon_counts_working_days(people, case, settings):
    settings.IKMS_DEADLINE_DUE_SOON_WORKING_DAYS = 5
    deadline = case.case_file.deadlines.get()
    cal = working_calendar()
    five_before = deadline.due_on
    for _i in range(5):
        five_before -= dt.timedelta(days=1)
        while not cal.is_working_day(five_before):
            five_before -= dt.timedelta(days=1)
    assert selectors.urgency(deadline, five_before) == "due_soon"
    assert selectors.urgency(deadline, five_before - dt.timedelta(days=7)) == "open"
    assert selectors.urgency(deadline, deadline.due_on + dt.timedelta(days=1)) == "overdue"


def test_my_work_shows_the_queue(client, people, case):
    client.force_login(people["ikvd"])
    page = client.get(reverse("web:my-work")).content.decode()
    assert "Jūsu lietas un termiņi" in page
    assert reverse("cases:case-file", args=[case.case_file_id]) in page
    assert "Izglītības iestādes akreditācija: Rīgas Testa vidusskola" in page
    client.force_login(people["head"])
    assert "Jūsu lietas un termiņi" not in client.get(reverse("web:my-work")).content.decode()
    client.force_login(people["ikvd"])
    assert client.get(reverse("cases:queue")).status_code == 200


def test_the_case_file_page_lists_deadlines_and_documents(client, people, case):
    client.force_login(people["ikvd"])
    services.attachment_add(
        actor=people["head"],
        case_file=case.case_file,
        upload=t.upload("a.pdf", t.PDF),
        title="Iesniegums",
        dated_on=timezone.localdate(),
    )
    page = client.get(reverse("cases:case-file", args=[case.case_file_id])).content.decode()
    assert "Lēmums par akreditāciju vai vadītāja novērtēšanu" in page and "Iesniegums" in page
    assert reverse("cases:deadline-extend", args=[case.case_file.deadlines.get().pk]) in page
    detail = client.get(reverse("accreditation:case-detail", args=[case.pk])).content.decode()
    assert reverse("cases:case-file", args=[case.case_file_id]) in detail


# --- reminders ----------------------------------------------------------------------------------------------


def test_deadlines_due_soon_are_reminded_once_a_week(people, case):
    User.objects.filter(pk=people["ikvd"].pk).update(email="ikvd@example.lv")
    deadline = case.case_file.deadlines.get()
    mail.outbox.clear()
    call_command("send_reminders", today=(deadline.due_on - dt.timedelta(days=1)).isoformat())
    reminders = [m for m in mail.outbox if "Tuvojas termiņš" in m.subject]
    assert len(reminders) == 1 and reminders[0].to == ["ikvd@example.lv"]
    call_command("send_reminders", today=deadline.due_on.isoformat())
    assert len([m for m in mail.outbox if "termiņš" in m.subject]) == 1


# --- the forms ----------------------------------------------------------------------------------------------


def test_the_case_forms_are_govuk_markup(world, case):
    control = re.compile(r"<(input|select|textarea)\b[^>]*>")
    for form in (
        f.AttachmentForm(),
        f.DeadlineExtendForm(),
        f.AssignForm(people=selectors.assignable_people()),
        f.LetterForm(deadlines=case.case_file.deadlines.all()),
    ):
        for name in form.fields:
            html = str(form[name].as_field_group())
            assert html.startswith('<div class="govuk-form-group'), name
            for tag in control.finditer(html):
                classes = re.search(r'class="([^"]*)"', tag.group(0))
                assert classes and classes.group(1).startswith("govuk-"), (name, tag.group(0))
    upload = str(f.AttachmentForm()["file"].as_field_group())
    assert "govuk-file-upload" in upload and "PDF, Word (DOCX)" in upload and "20 MB" in upload
    assert "(neobligāts)" not in str(f.LetterForm(deadlines=Deadline.objects.none())["text"].as_field_group())
