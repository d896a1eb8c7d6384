"""Import of published international study results (issue 15, item 7): a good CSV and XLSX are written, a bad file
writes nothing and says why in Latvian and English, a re-import replaces the held rows; the demo file is marked as
demonstration values."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from ikms.monitoring.international import DEMO_FILE, import_international_results
from ikms.monitoring.models import InternationalResult

pytestmark = pytest.mark.django_db

HEADER = "study,cycle,group,domain,mean_score,standard_error,international_mean,source\n"


def test_a_good_csv_is_written_and_a_second_import_replaces(tmp_path):
    path = tmp_path / "results.csv"
    path.write_text(HEADER + "PISA,2022,15 years,mathematics,483.4,2.1,472,https://example.org/pisa\n"
                    "pirls,2021,grade 4,reading,\"552,0\",,,Report\n", encoding="utf-8")
    report = import_international_results(path)
    assert report.ok and report.written == 2
    pisa = InternationalResult.objects.get(study="PISA")
    assert (pisa.cycle, pisa.mean_score, pisa.standard_error, pisa.international_mean, pisa.demo) == (
        2022, Decimal("483.4"), Decimal("2.1"), Decimal("472.0"), False)
    assert InternationalResult.objects.get(study="PIRLS").standard_error is None
    path.write_text(HEADER + "PISA,2022,15 years,mathematics,480,2.0,472,Report 2\n", encoding="utf-8")
    assert import_international_results(path).written == 1
    assert InternationalResult.objects.count() == 2
    assert InternationalResult.objects.get(study="PISA").mean_score == Decimal("480.0")


def test_an_xlsx_is_read(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.strip().split(","))
    ws.append(["TIMSS", 2023, "grade 4", "mathematics", 540, 2.4, 503, "Report"])
    wb.save(tmp_path / "r.xlsx")
    assert import_international_results(tmp_path / "r.xlsx").written == 1
    assert InternationalResult.objects.get().study == "TIMSS"


def test_a_bad_file_writes_nothing_and_says_why_in_both_languages(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "PISA,2022,15 years,mathematics,483,2.1,472,Report\n"
                    "SAT,2022,15 years,reading,480,,,Report\n"
                    "PISA,20x2,15 years,science,abc,,,\n"
                    "PISA,2022,15 years,mathematics,483,2.1,472,Report\n", encoding="utf-8")
    report = import_international_results(path)
    assert not report.ok and report.written == 0
    assert InternationalResult.objects.count() == 0
    text = "\n".join(report.summary_lines())
    assert "rinda / row 3, study «SAT»: Pētījumam jābūt PISA, TIMSS, PIRLS vai ICCS." in text
    assert "rinda / row 4, cycle «20x2»: Tas nav skaitlis. / This is not a number." in text
    assert "rinda / row 4, source «»: Vērtība ir obligāta. / A value is required." in text
    assert "The same result is already in row 2." in text
    with pytest.raises(CommandError):
        call_command("import_international_results", str(path))
    assert InternationalResult.objects.count() == 0


def test_missing_columns(tmp_path):
    path = tmp_path / "cols.csv"
    path.write_text("study,cycle\nPISA,2022\n", encoding="utf-8")
    report = import_international_results(path)
    assert [e.en for e in report.errors] == ["Columns missing: group, domain, mean_score, source."]


def test_the_demo_file_is_demonstration_values():
    report = import_international_results(DEMO_FILE)
    assert report.ok and report.written >= 10
    assert set(InternationalResult.objects.values_list("demo", flat=True)) == {True}
    assert set(InternationalResult.objects.values_list("source", flat=True)) == {"IKMS demo data"}
