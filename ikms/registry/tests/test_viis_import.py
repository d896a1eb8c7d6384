"""The VIIS register import: the 2021 reform mapping, founder classification, and the real 2020
export (../shared, read and never copied) imported through recorded decisions, all or nothing."""

import csv
import datetime
from collections import Counter
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.exceptions import ValidationError

from ikms.accounts.testing import make_user
from ikms.core.exceptions import PermissionDeniedError
from ikms.core.models import AuditEvent
from ikms.registry import services, viis
from ikms.registry.choices import DecisionKind, FounderKind, InstitutionStatus
from ikms.registry.models import Decision, Founder, Institution, Municipality
from ikms.registry.viis import (
    ViisImportError,
    classify_founder,
    fit_founder_name,
    import_viis_register,
    municipality_for_address,
    reform_mapping,
    reform_target,
)

REAL = Path(settings.IKMS_SHARED_DIR) / "data" / "real"
VIIS_FILE = REAL / "lv-viis-register-2020" / "viis_institutions_2020.csv"
FORMER_FILE = REAL / "lv-municipalities" / "lv_municipalities_2009_2021_atvk.csv"
CURRENT_FILE = REAL / "lv-municipalities" / "lv_municipalities_2021_iso3166_2.csv"
HEADER = ["Nosaukums", "Reģistrācijas numurs", "Juridiskais status", "Filiāļu skaits", "Strukturvienību skaits",
          "Veids", "Tips", "Faktiskais dibinātājs", "Deklarētais dibinātājs", "Likvidēta", "Adrese"]

#: VIIS "Veids" counts of the 2020 export, from ../shared/data/real/lv-viis-register-2020/SOURCE.md.
SOURCE_KIND_COUNTS = {
    "preschool": 662, "general": 649, "continuing_vocational": 640, "vocational_orientation": 249, "adult": 192,
    "interest": 125, "higher": 99, "vocational": 53, "special": 44,
}


def _read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _row(number: str, *, name: str = "Testa pamatskola", kind: str = "Vispārējās izglītības iestāde",
         type_name: str = "Vispārizglītojošā pamatskola", founder: str = "Aglonas novada dome",
         status: str = "Pastarpinātās pārvaldes iestāde",
         address: str = "SKOLAS IELA 1, AGLONA, AGLONAS PAGASTS, AGLONAS NOVADS, LV-5304") -> list[str]:
    return [name, number, status, "0", "0", kind, type_name, founder, founder, "Nē", address]


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _register_state() -> tuple[int, int, int, int]:
    return (Institution.objects.count(), Founder.objects.count(), Decision.objects.count(),
            AuditEvent.objects.count())


# --- The reform mapping --------------------------------------------------------------------------


def test_reform_mapping_maps_all_119_former_municipalities_onto_the_43():
    former = _read_csv(FORMER_FILE)
    current = {r["iso_3166_2"] for r in _read_csv(CURRENT_FILE)}
    mapping = reform_mapping()
    assert len(former) == 119
    assert len(mapping.former) == 119
    ours = {f.atvk: f for f in mapping.former}
    assert set(ours) == {r["atvk_code"] for r in former}
    for r in former:
        assert ours[r["atvk_code"]].name == r["name"], r
        assert ours[r["atvk_code"]].to in current, r
    assert {f.to for f in mapping.former} == current  # every one of the 43 is reached
    for splits in mapping.splits.values():
        for split in splits:
            assert split.to in current
            assert split.to != split.former.to
    # The 43 of the classifier are the same 43.
    yaml_codes = {m["code"] for m in yaml.safe_load(
        (viis.DATA / "municipalities.yaml").read_text(encoding="utf-8"))["municipalities"]}
    assert yaml_codes == current


@pytest.mark.parametrize(("former", "code"), [
    ("AGLONAS NOVADS", "LV-073"), ("Jēkabpils", "LV-042"), ("VALMIERA", "LV-113"), ("Carnikavas novads", "LV-011"),
    ("Babītes novads", "LV-062"), ("Garkalnes novads", "LV-080"), ("Mālpils novads", "LV-091"),
    ("Baldones novads", "LV-052"), ("Ilūkstes novads", "LV-111"), ("Daugavpils novads", "LV-111"),
    ("DAUGAVPILS", "LV-DGV"), ("Priekules novads", "LV-112"), ("Vaiņodes novads", "LV-112"),
    ("Krimuldas novads", "LV-091"), ("Inčukalna novads", "LV-091"), ("Stopiņu novads", "LV-080"),
    ("Apes novads", "LV-094"), ("Raunas novads", "LV-094"), ("Strenču novads", "LV-113"),
    ("Varakļānu novads", "LV-102"), ("Viļānu novads", "LV-077"), ("RĪGA", "LV-RIX"), ("Nav tāda novads", None),
])
def test_reform_target(former, code):
    assert reform_target(former) == code


@pytest.mark.parametrize(("address", "code", "split"), [
    ("SKOLAS IELA 6, PRIEŽMALE, KASTUĻINAS PAGASTS, AGLONAS NOVADS, LV-5685", "LV-073", None),
    ('"Skola", LĒDURGA, LĒDURGAS PAGASTS, KRIMULDAS NOVADS, LV-4012', "LV-054", "Lēdurgas pagasts"),
    ("SKOLAS IELA 11, RAGANA, KRIMULDAS PAGASTS, KRIMULDAS NOVADS, LV-2144", "LV-091", None),
    ("GAUJAS IELA 2, VANGAŽI, INČUKALNA NOVADS, LV-2136", "LV-080", "Vangaži"),
    ("ZVAIGŽŅU IELA 2, INČUKALNS, INČUKALNA PAGASTS, INČUKALNA NOVADS, LV-2141", "LV-091", None),
    ("PARTIZĀNU IELA 16, BALVI, BALVU NOVADS, BALVU RAJONS, LV-4501", "LV-015", None),
    ("CĒSU IELA 4, VALMIERA, LV-4200", "LV-113", None),
    ("BRĪVĪBAS IELA 1, CENTRA RAJONS, RĪGA, LV-1050", "LV-RIX", None),
    ("LIELĀ IELA 1, AIZPUTE, DIENVIDKURZEMES NOVADS, LV-3456", "LV-112", None),  # a 2021 name
])
def test_municipality_for_address(address, code, split):
    where = municipality_for_address(address)
    assert where is not None
    assert where.code == code
    assert (where.split.unit if where.split else None) == split


@pytest.mark.parametrize("address", ["3, LV-2166", "21, GULBENES RAJONS, LV-4401", ""])
def test_address_without_a_municipality_is_not_guessed(address):
    assert municipality_for_address(address) is None


# --- Founders ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "status", "kind", "codes"), [
    ("Aglonas novada dome", "Pastarpinātās pārvaldes iestāde", FounderKind.MUNICIPALITY, ("LV-073",)),
    ("Rīgas Dome", "Pastarpinātās pārvaldes iestāde", FounderKind.MUNICIPALITY, ("LV-RIX",)),
    ("Valmieras pilsētas pašvaldība", "Pastarpinātās pārvaldes iestāde", FounderKind.MUNICIPALITY, ("LV-113",)),
    ("Jēkabpils pilsētas pašvaldība", "Pastarpinātās pārvaldes iestāde", FounderKind.MUNICIPALITY, ("LV-042",)),
    ("Daugavpils novada Dome, Krāslavas novada Dome", "Pastarpinātās pārvaldes iestāde", FounderKind.MUNICIPALITY,
     ("LV-111", "LV-047")),
    ("Aglonas bazilikas draudze, Aglonas novada dome", "Pastarpinātās pārvaldes iestāde",
     FounderKind.MUNICIPALITY, ("LV-073",)),
    ("Izglītības un zinātnes ministrija", "Valsts tiešās pārvaldes iestāde", FounderKind.STATE, ()),
    ("Kultūras ministrija", "Atvasināta publiskā persona", FounderKind.STATE, ()),
    ("Valsts", "", FounderKind.STATE, ()),
    ("Latvijas Universitāte", "Valsts", FounderKind.STATE, ()),
    ("Rīgas Tehniskā universitāte", "Pastarpinātās pārvaldes iestāde", FounderKind.STATE, ()),
    ('Sabiedrība ar ierobežotu atbildību "Dialogs AB"', "Juridiskā vai fiziskā persona", FounderKind.PRIVATE_LEGAL,
     ()),
    ('Biedrība "Rīgas jaunā skola"', "Biedrības struktūrvienība", FounderKind.PRIVATE_LEGAL, ()),
    ('"5tā diena", SIA', "Komercsabiedrības struktūrvienība", FounderKind.PRIVATE_LEGAL, ()),
    ("Gulbenes Valdorfskola", "Biedrības struktūrvienība", FounderKind.PRIVATE_LEGAL, ()),
    ("Afrograde Limited", "Komercsabiedrība", FounderKind.PRIVATE_LEGAL, ()),
    ("LATVIJAS PAREIZTICĪGĀ BAZNĪCA", "Reliģiskas organizācijas iestāde", FounderKind.PRIVATE_LEGAL, ()),
    ("ARBRA LIONS CLUB, BOLLNAS LIONS CLUB, Ogres novada Dome", "Komercsabiedrība", FounderKind.PRIVATE_LEGAL, ()),
    ('SIA "HAIRTEX"', "Fiziskas personas dibināta iestāde", FounderKind.PRIVATE_LEGAL, ()),
    ("Jūlija Pasnaka", "Komercsabiedrība", FounderKind.PRIVATE_NATURAL, ()),
    ("Skaidrīte Alma Gūtmane", "Komercsabiedrība", FounderKind.PRIVATE_NATURAL, ()),
    ("Anželika Žuravska - Rozenberga", "Fiziskas personas dibināta iestāde", FounderKind.PRIVATE_NATURAL, ()),
    ("Z.Soboļeva, M.Ēķe, A.Vīgante", "Biedrība", FounderKind.PRIVATE_NATURAL, ()),
    ('IK "AAA"', "Fiziskas personas dibināta iestāde", FounderKind.PRIVATE_NATURAL, ()),
    ('SIA "IK Grupa"', "Komercsabiedrība", FounderKind.PRIVATE_LEGAL, ()),
    ("Ceļabiedri", "Biedrības struktūrvienība", FounderKind.PRIVATE_LEGAL, ()),
])
def test_classify_founder(name, status, kind, codes):
    result = classify_founder(name, status)
    assert result.kind == kind
    assert result.municipality_codes == codes


def test_a_founder_list_too_long_for_the_field_is_shortened_without_repeats():
    name = ", ".join(f"{n} novada Dome" for n in ["Ādažu", "Babītes", "Ādažu"] * 3 + [
        "Baldones", "Garkalnes", "Inčukalna", "Krimuldas", "Mārupes", "Mālpils", "Ropažu", "Stopiņu", "Sējas",
        "Saulkrastu", "Siguldas", "Carnikavas", "Ikšķiles", "Ogres", "Lielvārdes"])
    short = fit_founder_name(name)
    assert len(name) > 255 >= len(short)
    assert short.startswith("Ādažu novada Dome, Babītes novada Dome, Baldones novada Dome")
    assert short.endswith("u. c. (kopā 17)")
    assert fit_founder_name("Rīgas Dome") == "Rīgas Dome"


# --- The real 2020 export ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_real_2020_export_imports_completely_and_a_reimport_changes_nothing(officer):
    """The whole file (2,713 rows, about 20 s on SQLite): every row registered by a VIIS decision."""
    report = import_viis_register(VIIS_FILE, actor=officer)

    assert report.ok
    assert (report.rows, report.created, report.skipped) == (2713, 2713, 0)
    assert Institution.objects.count() == 2713
    assert Institution.objects.filter(status=InstitutionStatus.REGISTERED).count() == 2713
    kinds = Counter(Institution.objects.values_list("type__kind__code", flat=True))
    assert kinds == SOURCE_KIND_COUNTS
    assert dict(report.by_kind) == SOURCE_KIND_COUNTS

    # Every institution in one of the 43, and all 43 have institutions.
    all_codes = set(Municipality.objects.values_list("code", flat=True))
    assert len(all_codes) == 43
    assert set(Institution.objects.values_list("municipality__code", flat=True)) == all_codes
    assert not Founder.objects.filter(kind=FounderKind.MUNICIPALITY, municipality__isnull=True).exists()

    # Every entry came from its own recorded registration decision.
    decisions = Decision.objects.filter(number__startswith="VIIS-2020/")
    assert decisions.count() == 2713
    d = decisions.select_related("institution").get(number="VIIS-2020/4212902579")
    assert d.kind == DecisionKind.REGISTER
    assert d.date == datetime.date(2020, 12, 31)
    assert d.legal_basis == "Izglītības iestāžu reģistrs (VIIS eksports, 2020)"
    assert d.decided_by == officer
    assert d.institution.registration_number == "4212902579"

    def inst(number: str) -> Institution:
        return Institution.objects.select_related("municipality", "founder", "founder__municipality",
                                                  "type").get(registration_number=number)

    # Spot checks against the file and the Annex.
    priezmala = inst("4212902579")  # Kastuļinas pagasts, Aglonas novads (postal code LV-5685 is Krāslava's)
    assert priezmala.name == "Priežmalas pamatskola"
    assert priezmala.municipality.code == "LV-073"
    assert priezmala.type.code == "basic"
    aglona = inst("4213900381")
    assert aglona.name == "Aglonas vidusskola"
    assert aglona.municipality.code == "LV-073"
    assert aglona.type.code == "secondary"
    assert (aglona.founder.name, aglona.founder.kind) == ("Aglonas novada dome", FounderKind.MUNICIPALITY)
    assert aglona.founder.municipality.code == "LV-073"
    assert aglona.founder == priezmala.founder  # founders are reused by name
    assert inst("4312900169").municipality.code == "LV-054"  # Lēdurgas pamatskola: Krimulda split → Limbaži
    assert inst("4313901104").municipality.code == "LV-080"  # Vangažu vidusskola: Inčukalns split → Ropaži
    assert inst("4301901909").municipality.code == "LV-080"  # Vangaži pre-school "Jancis"
    assert inst("4313901107").municipality.code == "LV-080"  # Ulbrokas vidusskola: Stopiņi → Ropaži
    assert inst("2543001659").municipality.code == "LV-113"  # Vidzemes Augstskola, Valmiera
    assert inst("2060800358").municipality.code == "LV-062"  # "3, LV-2166": postal code of Jaunmārupe
    assert inst("1960800221").municipality.code == "LV-077"  # "Dārznieki, LV-4652": Rogovka's postal code
    assert inst("4448802642").municipality.code == "LV-033"  # "21, GULBENES RAJONS, LV-4401"
    hotel = inst("3347802926")
    assert (hotel.founder.name, hotel.founder.kind) == ("Jūlija Pasnaka", FounderKind.PRIVATE_NATURAL)
    assert hotel.type.code == "college"

    riga = Founder.objects.get(name="Rīgas Dome")
    assert (riga.kind, riga.municipality.code) == (FounderKind.MUNICIPALITY, "LV-RIX")
    assert riga.institutions.count() == 283
    assert Founder.objects.get(name="Izglītības un zinātnes ministrija").kind == FounderKind.STATE
    assert Founder.objects.filter(kind=FounderKind.PRIVATE_NATURAL).exists()
    assert Founder.objects.filter(kind=FounderKind.PRIVATE_LEGAL).count() > 900
    assert max(len(n) for n in Founder.objects.values_list("name", flat=True)) <= 255
    assert {n.code for n in report.notes} == {"split", "postal_code", "founder_shortened"}
    assert dict(report.by_founder_kind) == {FounderKind.MUNICIPALITY: 1377, FounderKind.STATE: 106,
                                            FounderKind.PRIVATE_LEGAL: 1087, FounderKind.PRIVATE_NATURAL: 143}
    assert report.founders_created == Founder.objects.count() == 1313

    # Importing the same file again writes nothing.
    before = _register_state()
    again = import_viis_register(VIIS_FILE, actor=officer)
    assert (again.created, again.skipped, again.founders_created) == (0, 2713, 0)
    assert _register_state() == before


# --- Validation: all or nothing ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_bad_file_writes_nothing_and_reports_row_column_value(officer, tmp_path):
    path = _write(tmp_path / "bad.csv", [
        _row("4213999001"),
        _row("421399900"),  # 9 digits
        _row("4213999003", type_name="Kosmosa skola"),
        _row("4213999004", address="3, LV-9999"),
        _row("4213999001", name="Atkārtots numurs"),
    ])
    before = _register_state()
    with pytest.raises(ViisImportError) as caught:
        import_viis_register(path, actor=officer)
    report = caught.value.report
    assert not report.ok
    found = {(e.row, e.column, e.value, e.code) for e in report.errors}
    assert found == {
        (3, "Reģistrācijas numurs", "421399900", "registration_number"),
        (4, "Tips", "Kosmosa skola", "unknown_type"),
        (5, "Adrese", "3, LV-9999", "municipality"),
        (6, "Reģistrācijas numurs", "4213999001", "duplicate_in_file"),
    }
    for error in report.errors:
        assert error.message_lv
        assert error.message_en
        assert error.message_lv != error.message_en
    assert "3. rinda / row 3" in "\n".join(report.summary_lines())
    assert _register_state() == before


@pytest.mark.django_db
def test_a_type_of_another_kind_and_an_unknown_kind_are_errors(officer, tmp_path):
    path = _write(tmp_path / "kinds.csv", [
        _row("4213999011", type_name="Sporta skola"),
        _row("4213999012", kind="Kosmosa iestāde"),
        _row("4213999013", name=""),
    ])
    with pytest.raises(ViisImportError) as caught:
        import_viis_register(path, actor=officer)
    codes = {(e.row, e.code) for e in caught.value.report.errors}
    assert codes == {(2, "type_kind_mismatch"), (3, "unknown_kind"), (4, "empty")}
    assert Institution.objects.count() == 0


@pytest.mark.django_db
def test_a_missing_column_is_reported(officer, tmp_path):
    path = tmp_path / "columns.csv"
    path.write_text("Nosaukums,Reģistrācijas numurs\nSkola,4213999021\n", encoding="utf-8")
    with pytest.raises(ViisImportError) as caught:
        import_viis_register(path, actor=officer)
    missing = {e.column for e in caught.value.report.errors if e.code == "missing_column"}
    assert missing == {"Juridiskais status", "Veids", "Tips", "Faktiskais dibinātājs", "Likvidēta", "Adrese"}


@pytest.mark.django_db
def test_a_failure_while_writing_rolls_back_every_row(officer, tmp_path, monkeypatch):
    path = _write(tmp_path / "ok.csv", [_row("4213999031"), _row("4213999032"), _row("4213999033")])
    real = services.institution_register
    calls = []

    def failing(**kwargs):
        calls.append(kwargs["registration_number"])
        if len(calls) == 2:
            raise ValidationError("simulated")
        return real(**kwargs)

    monkeypatch.setattr(services, "institution_register", failing)
    before = _register_state()
    with pytest.raises(ViisImportError) as caught:
        import_viis_register(path, actor=officer)
    assert [(e.row, e.code) for e in caught.value.report.errors] == [(3, "service")]
    assert calls == ["4213999031", "4213999032"]  # the first row was written, then rolled back
    assert _register_state() == before


@pytest.mark.django_db
def test_same_number_with_other_data_is_an_error_not_an_overwrite(officer, tmp_path):
    import_viis_register(_write(tmp_path / "a.csv", [_row("4213999041"), _row("4213999042")]), actor=officer)
    before = _register_state()
    changed = _write(tmp_path / "b.csv", [_row("4213999041"), _row("4213999042", name="Cits nosaukums")])
    with pytest.raises(ViisImportError) as caught:
        import_viis_register(changed, actor=officer)
    [error] = caught.value.report.errors
    assert (error.row, error.code, error.value) == (3, "exists_different", "4213999042")
    assert "Nosaukums" in error.message_en
    assert _register_state() == before
    assert Institution.objects.get(registration_number="4213999042").name == "Testa pamatskola"


@pytest.mark.django_db
def test_dry_run_validates_and_counts_without_writing(officer, tmp_path):
    path = _write(tmp_path / "dry.csv", [_row("4213999051"), _row("4213999052", founder="Jānis Bērziņš",
                                                                     status="Komercsabiedrība")])
    before = _register_state()
    report = import_viis_register(path, actor=officer, dry_run=True)
    assert (report.ok, report.created, report.founders_created) == (True, 2, 2)
    assert dict(report.by_founder_kind) == {FounderKind.MUNICIPALITY: 1, FounderKind.PRIVATE_NATURAL: 1}
    assert _register_state() == before


@pytest.mark.django_db
def test_existing_founders_are_reused(officer, tmp_path):
    preili = Municipality.objects.get(code="LV-073")
    existing = services.founder_create(actor=officer, kind=FounderKind.MUNICIPALITY, name="Aglonas novada Dome",
                                       municipality=preili)
    report = import_viis_register(_write(tmp_path / "f.csv", [_row("4213999061")]), actor=officer)
    assert (report.founders_created, report.founders_reused) == (0, 1)
    assert Institution.objects.get(registration_number="4213999061").founder == existing


@pytest.mark.django_db
def test_only_a_registry_decider_may_import(tmp_path, officer):
    path = _write(tmp_path / "p.csv", [_row("4213999071")])
    with pytest.raises(PermissionDeniedError):
        import_viis_register(path, actor=make_user(None, username="nobody"))
    assert Institution.objects.count() == 0
