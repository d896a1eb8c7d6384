"""The commission's pages for every role: outsiders (IKVD's administrators and the data protection officer included)
get 403 on a page and 404 on a record, and no read is logged for them; each page, export and download the
commission opens writes one read-log row naming the records shown; the data protection officer reads the log and
never a record; the secretary's work through the forms, with bad input refused in both languages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from ikms.cases import services as case_services
from ikms.cases.testing import PDF, upload
from ikms.convictions.choices import DecisionKind, ReadKind
from ikms.convictions.models import Application, Decision, Meeting, Opinion, ReadLog
from ikms.convictions.testing import OTHER_CODE, application, decide, meeting

TODAY = timezone.localdate
COMMISSION = ["conviction_commission", "conviction_secretary"]
OUTSIDERS = [
    "ikvd_admin",
    "registry_officer",
    "quality_expert",
    "supervision_inspector",
    "analyst",
    "accreditation_expert",
    "founder_riga",
    "founder_ogre",
    "head_a1",
    "no_role",
    "data_protection_officer",
]
NAME = "Jānis Paraudziņš"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.IKMS_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    with translation.override("lv"):  # addresses reversed in Latvian, whatever a request before left active
        yield


@pytest.fixture
def records(world):
    u = world["users"]
    secretary, member = u["conviction_secretary"], u["conviction_commission"]
    decided = application(secretary, person_name=NAME)
    waiting = application(secretary, person_name="Ilze Gaidīte", personal_code=OTHER_CODE)
    at = meeting(secretary, [member], number="2026/1")
    decide(secretary, decided, at)
    document = case_services.attachment_add(
        actor=secretary,
        case_file=waiting.case_file,
        upload=upload("iesniegums.pdf", PDF),
        title="Iesniegums",
        dated_on=TODAY(),
    )
    return {"decided": decided, "waiting": waiting, "meeting": at, "document": document}


def _pages(records) -> tuple[list[str], list[str]]:
    """(pages without a record: 403 for outsiders, pages of a record: 404 for outsiders)."""
    decided, waiting = records["decided"], records["waiting"]
    return (
        [
            reverse("convictions:list"),
            reverse("convictions:list") + "?format=csv",
            reverse("convictions:register"),
            reverse("convictions:meetings"),
            reverse("convictions:meeting-record"),
            reverse("convictions:figures"),
        ],
        [
            reverse("convictions:detail", args=[decided.pk]),
            reverse("convictions:decide", args=[waiting.pk]),
            reverse("convictions:annul", args=[decided.pk]),
            reverse("convictions:opinion", args=[waiting.pk]),
            reverse("convictions:meeting", args=[records["meeting"].pk]),
            reverse("cases:case-file", args=[waiting.case_file_id]),
            reverse("cases:attachment-download", args=[records["document"].pk]),
            f"/en{reverse('convictions:detail', args=[waiting.pk])}",
        ],
    )


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_get_nothing_and_no_read_is_logged(client, world, records, role):
    client.force_login(world["users"][role])
    pages, record_pages = _pages(records)
    before = ReadLog.objects.count()
    for url in pages:
        response = client.get(url)
        assert response.status_code == 403, url
        assert NAME not in response.content.decode() and "PIK-" not in response.content.decode(), url
    for url in record_pages:
        response = client.get(url)
        assert response.status_code == 404, url
        assert NAME not in response.content.decode(), url
    assert client.post(reverse("convictions:register"), {"person_name": "X"}).status_code == 403
    assert ReadLog.objects.count() == before
    start = client.get(reverse("web:my-work")).content.decode()
    assert "/personu-izvertesana/" not in start or role == "data_protection_officer"
    assert "PIK-" not in start and NAME not in start


def test_anonymous_is_sent_to_sign_in(client, records):
    pages, record_pages = _pages(records)
    for url in pages + record_pages:
        assert client.get(url).status_code == 302, url
    assert client.get(reverse("convictions:read-log")).status_code == 302
    assert ReadLog.objects.count() == 0


@pytest.mark.parametrize("role", COMMISSION)
def test_every_read_of_the_commission_is_logged(client, world, records, role):
    reader = world["users"][role]
    client.force_login(reader)
    decided, waiting = records["decided"], records["waiting"]

    def read(url, kind, shown, *, meeting=None):
        before = ReadLog.objects.count()
        response = client.get(url)
        assert response.status_code == 200, url
        assert ReadLog.objects.count() == before + 1, url
        entry = ReadLog.objects.order_by("-id").first()
        assert (entry.reader, entry.kind, entry.meeting) == (reader, kind, meeting), url
        assert {a.pk for a in entry.applications.all()} == {a.pk for a in shown}, url
        assert entry.rows == len(shown)
        return response

    listing = read(reverse("convictions:list"), ReadKind.LIST, [decided, waiting]).content.decode()
    assert NAME in listing and decided.reference in listing
    read(reverse("convictions:list") + "?state=open", ReadKind.LIST, [waiting])
    export = read(reverse("convictions:list") + "?format=csv", ReadKind.EXPORT, [decided, waiting])
    text = export.content.decode("utf-8-sig")
    assert decided.reference in text and NAME not in text and "Gaidīte" not in text and "11231" not in text
    read(reverse("convictions:list") + "?format=xlsx", ReadKind.EXPORT, [decided, waiting])
    detail = read(reverse("convictions:detail", args=[decided.pk]), ReadKind.APPLICATION, [decided])
    assert NAME in detail.content.decode()
    read(reverse("convictions:meetings"), ReadKind.MEETINGS, [])
    read(
        reverse("convictions:meeting", args=[records["meeting"].pk]),
        ReadKind.MEETING,
        [decided],
        meeting=records["meeting"],
    )
    figures = read(reverse("convictions:figures"), ReadKind.FIGURES, []).content.decode()
    assert 'id="fig-permits">1<' in figures
    read(reverse("cases:case-file", args=[waiting.case_file_id]), ReadKind.CASE_FILE, [waiting])
    download = read(reverse("cases:attachment-download", args=[records["document"].pk]), ReadKind.DOCUMENT, [waiting])
    assert b"".join(download.streaming_content) == PDF
    form_page = "decide" if role == "conviction_secretary" else "opinion"
    read(reverse(f"convictions:{form_page}", args=[waiting.pk]), ReadKind.APPLICATION, [waiting])


def test_the_data_protection_officer_reads_the_log_not_the_records(client, world, records):
    member = world["users"]["conviction_commission"]
    client.force_login(member)
    client.get(reverse("convictions:detail", args=[records["decided"].pk]))
    client.get(reverse("convictions:list"))
    assert client.get(reverse("convictions:read-log")).status_code == 403  # the commission does not read its log
    client.force_login(world["users"]["data_protection_officer"])
    page = client.get(reverse("convictions:read-log"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "commission" in html and records["decided"].reference in html and records["waiting"].reference in html
    assert NAME not in html and "Gaidīte" not in html and "sporta skolotājs" not in html
    assert "2 ieraksti žurnālā" in html
    one = client.get(reverse("convictions:read-log") + f"?reference={records['waiting'].reference.lower()}")
    assert "1 ieraksts žurnālā" in one.content.decode()
    english = client.get("/en" + reverse("convictions:read-log")).content.decode()
    assert "Read log of the spent-conviction records" in english and "2 reads" in english
    assert ReadLog.objects.count() == 2  # reading the log reads no record
    for role in ("ikvd_admin", "conviction_secretary", "analyst", "no_role"):
        client.force_login(world["users"][role])
        assert client.get(reverse("convictions:read-log")).status_code == 403, role


def test_the_secretary_works_through_the_forms(client, world, records):
    secretary, member = world["users"]["conviction_secretary"], world["users"]["conviction_commission"]
    client.force_login(secretary)
    form = {
        "received_on": TODAY().isoformat(),
        "person_name": "Līga Jaunā",
        "personal_code": "32123456789",
        "intended_work": "mūzikas skolotāja",
        "employer": "privāta mūzikas skola",
        "conviction_article": "Krimināllikuma 177. panta pirmā daļa",
        "conviction_date": "2011",
    }
    response = client.post(reverse("convictions:register"), form)
    assert response.status_code == 302
    new = Application.objects.get(person_name="Līga Jaunā")
    assert response["Location"] == reverse("convictions:detail", args=[new.pk])
    response = client.post(
        reverse("convictions:meeting-record"),
        {"number": "2026/2", "held_on": TODAY().isoformat(), "members": [member.pk]},
    )
    assert response.status_code == 302
    second = Meeting.objects.get(number="2026/2")
    response = client.post(
        reverse("convictions:decide", args=[new.pk]),
        {
            "meeting": second.pk,
            "kind": DecisionKind.PERMIT_LIMITED,
            "target_groups": ["adults", "higher"],
            "number": "2026/2-1",
            "date": TODAY().isoformat(),
            "legal_basis": "MK noteikumi Nr. 414",
            "justification": "Darbs tikai ar pieaugušajiem.",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get(number="2026/2-1")
    assert decision.target_groups == ["adults", "higher"] and decision.meeting == second
    page = client.get(reverse("convictions:detail", args=[new.pk])).content.decode()
    assert "Atļauja ar mērķgrupu ierobežojumu: Pieaugušie izglītojamie, Augstākās izglītības studenti" in page
    response = client.post(
        reverse("convictions:annul", args=[new.pk]),
        {
            "meeting": second.pk,
            "number": "2026/2-2",
            "date": TODAY().isoformat(),
            "legal_basis": "MK noteikumi Nr. 414",
            "justification": "Jauni apstākļi.",
        },
    )
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.outcome == DecisionKind.ANNULMENT
    client.force_login(member)
    response = client.post(
        reverse("convictions:opinion", args=[records["waiting"].pk]), {"position": "refusal", "note": "Pārāk agri."}
    )
    assert response.status_code == 302
    assert Opinion.objects.get().position == "refusal"
    assert client.get(reverse("convictions:decide", args=[records["waiting"].pk])).status_code == 403


@pytest.mark.parametrize(
    ("prefix", "message"),
    [("", "Ievadiet personas kodu — 11 ciparus"), ("/en", "Enter the personal code as 11 digits")],
)
def test_bad_input_on_the_forms_writes_nothing(client, world, records, prefix, message):
    secretary = world["users"]["conviction_secretary"]
    client.force_login(secretary)
    counts = (Application.objects.count(), Meeting.objects.count(), Decision.objects.count())
    register, decide_url = reverse("convictions:register"), reverse("convictions:decide", args=[records["waiting"].pk])
    response = client.post(
        prefix + register,
        {
            "received_on": TODAY().isoformat(),
            "person_name": "Līga Jaunā",
            "personal_code": "12-34",
            "intended_work": "skolotāja",
            "conviction_article": "KL 177",
        },
    )
    assert response.status_code == 200 and message in response.content.decode()
    taken = client.post(
        prefix + decide_url,
        {
            "meeting": records["meeting"].pk,
            "kind": "permit_limited",
            "number": "N-1",
            "date": (TODAY() + dt.timedelta(days=1)).isoformat(),
            "legal_basis": "MK noteikumi Nr. 414",
            "justification": "",
        },
    )
    html = taken.content.decode()
    assert taken.status_code == 200
    assert ("nākotnē" in html) if not prefix else ("cannot be in the future" in html)
    response = client.post(
        prefix + decide_url,
        {
            "meeting": records["meeting"].pk,
            "kind": "permit_limited",
            "number": "N-1",
            "date": TODAY().isoformat(),
            "legal_basis": "MK noteikumi Nr. 414",
            "justification": "Pamatojums.",
        },
    )
    html = response.content.decode()
    assert ("Izvēlieties mērķgrupas" in html) if not prefix else ("Choose the target groups" in html)
    assert (Application.objects.count(), Meeting.objects.count(), Decision.objects.count()) == counts


def test_the_start_page_and_navigation_of_each_role(client, world, records):
    client.force_login(world["users"]["conviction_secretary"])
    page = client.get(reverse("web:my-work")).content.decode()
    assert "1 iesniegums gaida komisijas lēmumu" in page and 'href="/personu-izvertesana/"' in page
    assert NAME not in page and "PIK-" not in page
    client.force_login(world["users"]["data_protection_officer"])
    page = client.get(reverse("web:my-work")).content.decode()
    assert "Datu aizsardzība" in page and reverse("convictions:read-log") in page
    assert 'href="/personu-izvertesana/"' not in page
    client.force_login(world["users"]["ikvd_admin"])
    page = client.get(reverse("web:my-work")).content.decode()
    assert "/personu-izvertesana/" not in page and "sodīt" not in page
