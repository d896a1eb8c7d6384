"""Figure 1 and table 8 of the annual report counted from licensing decisions (selectors.licensing_counts), the VIIS
entry kinds the licensing services record, the page that shows the counts, and the lapse of licences not
implemented within a year."""

import datetime
import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from ikms.core.models import AuditEvent
from ikms.registry import services
from ikms.registry.choices import DecisionKind, InternationalProgramme, LicenceEntryKind, LicenceStatus
from ikms.registry.models import Decision, Programme
from ikms.registry.selectors import licensing_counts
from ikms.registry.services import ContentUpdate, DecisionInput, LicenceIssue, PlaceInput
from ikms.registry.testing import decision_input, municipal_founder, register_institution

DAY = datetime.date(2024, 4, 2)


def _issue(actor, inst, code, *, entry_kind=LicenceEntryKind.NEW_PROGRAMME, form="full_time", international="",
           day=DAY, name="Programma"):
    return services.programme_license(
        actor=actor, decision=decision_input(day), institution=inst, code=code, name=name, form=form,
        places=[PlaceInput(address=inst.address, municipality=inst.municipality)], entry_kind=entry_kind,
        international=international)


@pytest.fixture
def schools(officer):
    riga = municipal_founder("LV-RIX")
    return {"pre": register_institution(actor=officer, founder=riga, type_code="preschool"),
            "sec": register_institution(actor=officer, founder=riga),
            "voc": register_institution(actor=officer, founder=riga, type_code="vocational_secondary"),
            "music": register_institution(actor=officer, founder=riga, type_code="music_art_school")}


def test_every_category_of_figure_1_and_table_8_is_counted_from_its_decisions(officer, schools):
    pre, sec, voc, music = schools["pre"], schools["sec"], schools["voc"], schools["music"]
    _issue(officer, pre, "01011111")
    _issue(officer, pre, "01015611")  # special: programme group 015
    _issue(officer, sec, "21015611")
    _issue(officer, sec, "11011111", international=InternationalProgramme.IB)
    _issue(officer, sec, "21011111", form="distance")
    ib = _issue(officer, sec, "31011011", international=InternationalProgramme.IB)
    wrong = _issue(officer, sec, "31011011")
    services.decision_revoke(actor=officer, decision=decision_input(DAY), target=wrong.decisions.get())
    _issue(officer, pre, "01011111", day=datetime.date(2023, 12, 30))  # another year
    services.programme_licence_refuse(actor=officer, decision=DecisionInput("R-1", DAY, "MK 253", "Telpas"),
                                      institution=sec, code="21011111", name="Programma")
    services.programme_licence_change(actor=officer, decision=decision_input(DAY), programme=ib,
                                      kind=DecisionKind.LICENCE_AMEND, values={"name": "IBDP"})
    services.programme_content_updates_record(actor=officer, entry_kind=LicenceEntryKind.STUDY_PLAN_UPDATE,
                                              updates=[ContentUpdate(decision_input(DAY), ib)])

    new_voc = _issue(officer, voc, "33481031")
    _issue(officer, voc, "30T48101", entry_kind=LicenceEntryKind.DERIVED)
    _issue(officer, voc, "30P48101", entry_kind=LicenceEntryKind.DERIVED)
    _issue(officer, voc, "33481031", entry_kind=LicenceEntryKind.RELICENSING_NEW_ENTRY)
    orientation = _issue(officer, music, "20V21201")
    old = _issue(officer, voc, "33521011", day=datetime.date(2021, 5, 5))
    services.programme_licence_change(actor=officer, decision=decision_input(datetime.date(2022, 6, 1)),
                                      programme=old, kind=DecisionKind.LICENCE_LAPSE)
    _issue(officer, voc, "33521011", entry_kind=LicenceEntryKind.RIGHTS_RESTORED)
    services.programme_content_updates_record(actor=officer, entry_kind=LicenceEntryKind.MODULAR_RELICENSING,
                                              updates=[ContentUpdate(decision_input(DAY), new_voc)])
    services.programme_content_updates_record(actor=officer, entry_kind=LicenceEntryKind.ORIENTATION_RELICENSING,
                                              updates=[ContentUpdate(decision_input(DAY), orientation)])
    services.programme_licence_change(
        actor=officer, decision=decision_input(DAY), programme=new_voc, kind=DecisionKind.LICENCE_AMEND,
        entry_kind=LicenceEntryKind.NEW_PLACE,
        places=[PlaceInput(voc.address, voc.municipality), PlaceInput("Cita iela 1, Rīga", voc.municipality)])
    services.programme_licence_change(actor=officer, decision=decision_input(DAY), programme=new_voc,
                                      kind=DecisionKind.LICENCE_AMEND, values={"name": "Cits"})  # not in table 8

    counts = licensing_counts(year=2024)
    assert counts["general"] == {
        "total": 6, "preschool": 2, "preschool_special": 1, "basic": 3, "basic_special": 1, "basic_international": 1,
        "basic_distance": 1, "secondary": 1, "viis_amendment_entries": 1, "secondary_study_plans_updated": 1,
        "refusals": 1}
    assert counts["vocational"] == {
        "viis_entries_total": 8, "new_programmes": 2, "derived_registrations": 2, "rights_restored": 1,
        "modular_relicensing": 1, "relicensing_new_viis_entry": 1, "vocational_oriented_relicensing": 1,
        "new_place_of_implementation": 1}
    assert counts["details"]["secondary_international_baccalaureate"] == 1
    assert counts["details"]["new_vocational"] == 1 and counts["details"]["new_vocational_orientation"] == 1
    assert counts["details"]["derived_continuing_vocational"] == 1
    assert counts["details"]["derived_professional_development"] == 1
    assert licensing_counts(year=2023)["general"]["total"] == 1


def test_entry_kinds_must_fit_the_decision_and_the_programme(officer, schools):
    sec, voc = schools["sec"], schools["voc"]
    with pytest.raises(ValidationError) as exc:  # derived: only continuing or professional development
        _issue(officer, voc, "33481031", entry_kind=LicenceEntryKind.DERIVED)
    assert "entry_kind" in exc.value.message_dict
    with pytest.raises(ValidationError):  # nothing lapsed to restore
        _issue(officer, voc, "33481031", entry_kind=LicenceEntryKind.RIGHTS_RESTORED)
    with pytest.raises(ValidationError):  # an amendment's kind on a licence issue
        _issue(officer, sec, "21011111", entry_kind=LicenceEntryKind.STUDY_PLAN_UPDATE)
    basic = _issue(officer, sec, "21011111")
    with pytest.raises(ValidationError):  # study plans: secondary programmes only
        services.programme_licence_change(actor=officer, decision=decision_input(DAY), programme=basic,
                                          kind=DecisionKind.LICENCE_AMEND,
                                          entry_kind=LicenceEntryKind.STUDY_PLAN_UPDATE)
    with pytest.raises(ValidationError):  # a new place adds a place
        services.programme_licence_change(actor=officer, decision=decision_input(DAY), programme=basic,
                                          kind=DecisionKind.LICENCE_AMEND, entry_kind=LicenceEntryKind.NEW_PLACE)
    # a content amendment changes no field and is recorded
    d = services.programme_licence_change(actor=officer, decision=decision_input(DAY), programme=basic,
                                          kind=DecisionKind.LICENCE_AMEND,
                                          entry_kind=LicenceEntryKind.CONTENT_AMENDMENT)
    assert d.reason == LicenceEntryKind.CONTENT_AMENDMENT and d.changes == {}
    assert Programme.objects.filter(institution=sec).count() == 1


def test_a_batch_is_all_or_nothing_and_audited_like_single_decisions(officer, schools):
    voc = schools["voc"]
    good = LicenceIssue(decision=decision_input(DAY), institution=voc, code="33481031", name="Programmēšana",
                        form="full_time", places=(PlaceInput(voc.address, voc.municipality),))
    bad = LicenceIssue(decision=decision_input(DAY), institution=voc, code="XX", name="?", form="full_time",
                       places=(PlaceInput(voc.address, voc.municipality),))
    before = (Programme.objects.count(), Decision.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError):
        services.programme_license_many(actor=officer, issues=[good, bad])
    assert (Programme.objects.count(), Decision.objects.count(), AuditEvent.objects.count()) == before
    with pytest.raises(ValidationError):  # the same decision number twice
        services.programme_license_many(actor=officer, issues=[good, good])
    first, second = services.programme_license_many(actor=officer, issues=[
        good, LicenceIssue(decision=decision_input(DAY), institution=voc, code="33521011", name="Mehatronika",
                           form="full_time", places=(PlaceInput(voc.address, voc.municipality),))])
    assert int(second.licence_number[2:]) == int(first.licence_number[2:]) + 1
    assert first.places.count() == 1 and first.decisions.get().reason == LicenceEntryKind.NEW_PROGRAMME
    decision = first.decisions.get()
    assert AuditEvent.objects.filter(action="decision.licence_issue", target_id=str(first.pk)).exists()
    assert AuditEvent.objects.filter(action="decision.record", target_id=str(decision.pk)).exists()
    with pytest.raises(ValidationError):  # a content batch refuses a kind that changes the entry
        services.programme_content_updates_record(actor=officer, entry_kind=LicenceEntryKind.NEW_PLACE,
                                                  updates=[ContentUpdate(decision_input(DAY), first)])


def test_the_licensing_page_shows_figure_1_and_table_8_in_both_languages(client, world, officer, schools):
    _issue(officer, schools["pre"], "01015611")
    _issue(officer, schools["music"], "20V21201")
    url = reverse("registry:licensing-statistics")
    client.force_login(world["users"]["analyst"])
    page = client.get(url, {"year": 2024}).content.decode()
    assert "Programmu licencēšana 2024. gadā" in page
    assert 'id="licensing-general"' in page and 'id="licensing-vocational"' in page
    assert 'data-chart="licensing-figure-1"' in page
    with translation.override("en"):
        url = reverse("registry:licensing-statistics")
    assert url.startswith("/en/")
    page = client.get(url, {"year": 2024}).content.decode()
    assert "Programme licensing in 2024" in page
    assert "of them special pre-school programmes" in page
    csv = client.get(url, {"year": 2024, "format": "csv"})
    assert csv.status_code == 200 and "of them special pre-school programmes" in csv.content.decode("utf-8-sig")
    assert client.get(url, {"year": "abc"}).status_code == 400
    client.force_login(world["users"]["head_a1"])
    assert client.get(url).status_code == 403


def _lake(tmp_path, rows_by_year):
    for school_year, rows in rows_by_year.items():
        folder = tmp_path / "enrolments" / f"school_year={school_year.replace('/', '-')}"
        folder.mkdir(parents=True)
        pq.write_table(pa.table({"institution": [r[0] for r in rows], "programme_code": [r[1] for r in rows],
                                 "start_date": [r[2] for r in rows]}), folder / "part-0.parquet")


def test_licences_not_implemented_within_a_year_lapse_and_unknown_ones_stay(officer, schools, tmp_path, settings):
    sec, pre, music = schools["sec"], schools["pre"], schools["music"]
    day = datetime.date(2023, 3, 1)
    implemented = _issue(officer, sec, "21011111", day=day)
    idle = _issue(officer, sec, "21015611", day=day)
    unknown = _issue(officer, music, "20V21201", day=day)  # the lake holds no music school
    not_known = _issue(officer, pre, "01011111", day=day)  # the pre-school is missing from 2023/2024
    recent = _issue(officer, sec, "31011011", day=datetime.date(2024, 6, 1))  # its year has not ended
    sec_no, pre_no = sec.registration_number, pre.registration_number
    _lake(tmp_path, {"2022/2023": [(sec_no, "21011111", datetime.date(2022, 9, 1)), (pre_no, "01015611", day)],
                     "2023/2024": [(sec_no, "21011111", datetime.date(2023, 9, 1))]})
    settings.IKMS_LAKE_DIR = tmp_path
    out = io.StringIO()
    call_command("licences_lapse", actor="officer", date="2024-06-30", dry_run=True, stdout=out)
    assert "1 would lapse" in out.getvalue() and idle.licence_number in out.getvalue()
    assert not Decision.objects.filter(kind=DecisionKind.LICENCE_LAPSE).exists()
    call_command("licences_lapse", actor="officer", date="2024-06-30", stdout=out)
    lapse = Decision.objects.get(kind=DecisionKind.LICENCE_LAPSE)
    assert lapse.programme == idle and lapse.reason == LicenceEntryKind.NOT_IMPLEMENTED
    assert lapse.legal_basis.endswith("Nr. 253") and lapse.date == datetime.date(2024, 6, 30)
    states = dict(Programme.objects.values_list("pk", "status"))
    assert states[idle.pk] == LicenceStatus.LAPSED
    for p in (implemented, unknown, not_known, recent):
        assert states[p.pk] == LicenceStatus.LICENSED, p
    with pytest.raises(CommandError):
        call_command("licences_lapse", actor="officer", date="2999-01-01", stdout=out)


def test_the_officer_annuls_and_records_a_lapse_from_the_programme_page(client, world, officer):
    programme = world["programme_a"]
    page = reverse("registry:programme-detail", args=[programme.pk])
    decide = reverse("registry:programme-decide", args=[programme.pk])
    client.force_login(officer)
    assert decide in client.get(page).content.decode()
    form = {"kind": DecisionKind.LICENCE_ANNUL, "programme_name": programme.name, "form": programme.form,
            "number": "A-2024/1", "date": "2024-05-02", "legal_basis": "MK 253"}
    answer = client.post(decide, form)
    assert answer.status_code == 200 and "Norādiet anulēšanas iemeslus." in answer.content.decode()
    assert not Decision.objects.filter(number="A-2024/1").exists()
    assert client.post(decide, {**form, "justification": "Nepatiesas ziņas iesniegumā"}).status_code == 302
    programme.refresh_from_db()
    assert programme.status == LicenceStatus.ANNULLED
    other = world["programme_b"]
    answer = client.post(reverse("registry:programme-decide", args=[other.pk]), {
        **form, "kind": DecisionKind.LICENCE_LAPSE, "number": "L-2024/9", "programme_name": other.name})
    assert answer.status_code == 302
    lapse = Decision.objects.get(number="L-2024/9")
    assert lapse.reason == LicenceEntryKind.NOT_IMPLEMENTED and lapse.programme.status == LicenceStatus.LAPSED
