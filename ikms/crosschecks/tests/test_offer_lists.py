"""The offer-list import: each line checked against the licence and accreditation registers, the lines and the
totals stored (the totals as an offer-list programme check); a file that cannot be used writes nothing."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from ikms.core.exceptions import PermissionDeniedError
from ikms.core.models import AuditEvent
from ikms.crosschecks import services
from ikms.crosschecks.models import OfferLine, OfferListImport
from ikms.crosschecks.testing import HEADER, offer_csv
from ikms.inspections.choices import ProgrammeCheckKind
from ikms.inspections.models import ProgrammeCheck
from ikms.registry.choices import DecisionKind, LicenceStatus
from ikms.registry.models import Programme
from ikms.registry.services import accreditation_decide
from ikms.registry.testing import decision_input, license_programme, register_institution

DAY = dt.date(2024, 6, 3)


@pytest.fixture
def registers(world, officer):
    """a1: programme 21011111 at its address, a lapsed 31011111; b1: accreditation expired in 2023."""
    a1, b1 = world["a1"], world["b1"]
    lapsed = license_programme(actor=officer, institution=a1, code="31011111")
    Programme.objects.filter(pk=lapsed.pk).update(status=LicenceStatus.LAPSED)
    accreditation_decide(actor=world["users"]["ikvd_admin"], decision=decision_input(dt.date(2017, 1, 1)),
                         institution=b1, kind=DecisionKind.ACCREDITATION_GRANT, valid_until=dt.date(2023, 1, 1))
    return world


def _rows(world):
    a1, b1 = world["a1"], world["b1"]
    return [
        (a1.registration_number, "21011111", "Pamatizglītības programma", a1.address.upper() + "."),  # ok
        ("9999999999", "21011111", "", "Kaut kur 1"),  # unknown provider
        (a1.registration_number, "41011111", "", a1.address),  # not licensed to it
        (a1.registration_number, "31011111", "", a1.address),  # licence lapsed
        (b1.registration_number, "21011111", "", b1.address),  # accreditation expired
        (a1.registration_number, "21011111", "", "Citāda iela 9, Rīga"),  # not a place
    ]


RESULTS = ["ok", "unknown_provider", "unknown_programme", "licence_not_in_force", "accreditation_expired",
           "address_not_place"]


@pytest.mark.django_db
def test_each_line_checked_and_the_totals_recorded(registers):
    inspector = registers["users"]["supervision_inspector"]
    offer = services.offer_list_import(actor=inspector, file_name="saraksts.csv", content=offer_csv(_rows(registers)),
                                       checked_on=DAY)
    assert [line.result for line in offer.offer_lines.order_by("row")] == RESULTS
    assert [line.row for line in offer.offer_lines.order_by("row")] == [2, 3, 4, 5, 6, 7]
    assert (offer.lines, offer.mismatches, offer.provider, offer.imported_by) == (6, 5, None, inspector)
    check = offer.programme_check
    assert (check.kind, check.programmes, check.mismatches, check.checked_on) == (
        ProgrammeCheckKind.OFFER_LIST, 6, 5, DAY)
    assert AuditEvent.objects.filter(action="crosschecks.offer_list_import").count() == 1
    ok = offer.offer_lines.get(result="ok")
    assert ok.programme == registers["programme_a"] and ok.provider == registers["a1"]


@pytest.mark.django_db
def test_an_xlsx_list_of_one_provider(registers):
    a1 = registers["a1"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Provider registration number", "Programme code", "Address"])  # English headings, no name column
    ws.append([int(a1.registration_number), 21011111, a1.address])
    ws.append([int(a1.registration_number), 21011111, "Cita iela 1"])
    buf = io.BytesIO()
    wb.save(buf)
    offer = services.offer_list_import(actor=registers["users"]["ikvd_admin"], file_name="Saraksts.XLSX",
                                       content=buf.getvalue(), checked_on=DAY)
    assert [line.result for line in offer.offer_lines.order_by("row")] == ["ok", "address_not_place"]
    assert offer.provider == a1 and offer.programme_check.institution == a1


def _xlsx_bytes() -> bytes:
    return b"PK\x03\x04 not really a workbook"


BAD = {
    "columns": ("a.csv", offer_csv([("1", "2", "3")], header=["Nosaukums", "Kods", "Adrese"]),
                "Kolonnas neatbilst formātam", "The columns do not match the format"),
    "unreadable": ("a.xlsx", _xlsx_bytes(), "nevar nolasīt", "cannot be read"),
    "empty": ("a.csv", b"", "nav galvenes", "no header row"),
    "header only": ("a.csv", offer_csv([]), "nav nevienas programmas", "no programme lines"),
    "format": ("a.pdf", b"%PDF", "Neatbalstīts faila formāts", "Unsupported file format"),
    "encoding": ("a.csv", ";".join(HEADER).encode("utf-8") + b"\n\xff\xfe;1;2\n", "UTF-8", "UTF-8"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD)
def test_a_file_that_cannot_be_used_writes_nothing(registers, case):
    name, content, lv, en = BAD[case]
    for language, text in (("lv", lv), ("en", en)):
        with translation.override(language), pytest.raises(ValidationError) as exc:
            services.offer_list_import(actor=registers["users"]["supervision_inspector"], file_name=name,
                                       content=content, checked_on=DAY)
        messages = " ".join(exc.value.message_dict["file"])
        assert text in messages, messages
    assert not OfferListImport.objects.exists() and not OfferLine.objects.exists()
    assert not ProgrammeCheck.objects.exists()


@pytest.mark.django_db
def test_only_inspectors_import_and_not_in_the_future(registers, officer):
    with pytest.raises(PermissionDeniedError):
        services.offer_list_import(actor=registers["users"]["analyst"], file_name="a.csv",
                                   content=offer_csv(_rows(registers)), checked_on=DAY)
    with pytest.raises(ValidationError):
        services.offer_list_import(actor=registers["users"]["supervision_inspector"], file_name="a.csv",
                                   content=offer_csv(_rows(registers)),
                                   checked_on=timezone.localdate() + dt.timedelta(2))
    assert not OfferListImport.objects.exists()


@pytest.mark.django_db
def test_a_liquidated_or_unknown_provider(registers, officer):
    other = register_institution(actor=officer, founder=registers["riga"])
    offer = services.offer_list_import(
        actor=registers["users"]["supervision_inspector"], file_name="a.csv",
        content=offer_csv([(other.registration_number, "21011111", "", other.address)]), checked_on=DAY)
    assert offer.offer_lines.get().result == "unknown_programme"  # registered, nothing licensed
