"""Every import error and warning, in Latvian and English. Keys are the stable error codes of reports."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- File-level ----------------------------------------------------------------------------
    "unknown_source": (
        "Nezināms datu avots „{source}”. Atļautie avoti: {sources}.",
        "Unknown data source “{source}”. Allowed sources: {sources}.",
    ),
    "bad_school_year": (
        "Mācību gads jānorāda formātā GGGG/GGGG, piemēram, 2023/2024.",
        "The school year must be given as YYYY/YYYY, e.g. 2023/2024.",
    ),
    "file_not_found": (
        "Fails nav atrasts vai nav nolasāms.",
        "The file does not exist or cannot be read.",
    ),
    "unsupported_format": (
        "Neatbalstīts faila formāts „{ext}”. Izmantojiet CSV (.csv), Excel (.xlsx) vai Parquet (.parquet) failu.",
        "Unsupported file format “{ext}”. Use a CSV (.csv), Excel (.xlsx) or Parquet (.parquet) file.",
    ),
    "encoding": (
        "Fails nav UTF-8 kodējumā (nederīga baitu virkne {line}. rindā). Saglabājiet failu ar kodējumu "
        "UTF-8 un importējiet to vēlreiz.",
        "The file is not UTF-8 encoded (invalid byte sequence on line {line}). Save the file as UTF-8 "
        "and import it again.",
    ),
    "empty_file": (
        "Fails ir tukšs vai tam nav galvenes rindas.",
        "The file is empty or has no header row.",
    ),
    "no_rows": (
        "Failā nav nevienas datu rindas.",
        "The file contains no data rows.",
    ),
    "missing_columns": (
        "Failā trūkst kolonnu: {columns}.",
        "Missing columns: {columns}.",
    ),
    "extra_columns": (
        "Failā ir neparedzētas kolonnas: {columns}. Atļautās kolonnas: {allowed}.",
        "Unexpected columns: {columns}. Allowed columns: {allowed}.",
    ),
    "columns_mismatch": (
        "Kolonnas neatbilst formātam. Trūkst: {missing}. Neparedzētas: {extra}. Gaidītās kolonnas: {allowed}.",
        "The columns do not match the format. Missing: {missing}. Unexpected: {extra}. Expected columns: "
        "{allowed}.",
    ),
    "unknown_covered": (
        "Norādītās iestādes nav reģistrā: {institutions}.",
        "The institutions given as covered are not in the register: {institutions}.",
    ),
    "bad_covers": (
        "--covers jābūt „rows” (iestādes, kurām failā ir rindas), „all” (pilns valsts izraksts) vai "
        "reģistrācijas numuru sarakstam.",
        "--covers must be “rows” (the institutions with rows in the file), “all” (a complete national "
        "extract) or a list of registration numbers.",
    ),
    "duplicate_columns": (
        "Galvenes rindā kolonna „{column}” norādīta vairākas reizes.",
        "Column “{column}” appears more than once in the header row.",
    ),
    "malformed_csv": (
        "CSV faila {line}. rindā ir nepareizs lauku skaits vai nepareizi lietotas pēdiņas.",
        "Line {line} of the CSV file has a wrong number of fields or misplaced quotes.",
    ),
    "unreadable_xlsx": (
        "Failu nevar nolasīt kā Excel darbgrāmatu (.xlsx).",
        "The file cannot be read as an Excel workbook (.xlsx).",
    ),
    "unreadable_parquet": (
        "Failu nevar nolasīt kā Parquet failu.",
        "The file cannot be read as a Parquet file.",
    ),
    "institution_and_name": (
        "Iestādi norādiet vai nu ar reģistrācijas numuru (kolonna institution), vai ar nosaukumu (kolonna "
        "institution_name un, ja nosaukums atkārtojas, municipality), ne ar abiem.",
        "Identify institutions either by registration number (column institution) or by name (column "
        "institution_name and, where names repeat, municipality), not both.",
    ),
    "names_not_available": (
        "Iestāžu nosaukumu saraksts šim importam nav pieejams; norādiet iestāžu reģistrācijas numurus "
        "(kolonna institution).",
        "The register of institution names is not available to this import; give the institutions' "
        "registration numbers (column institution).",
    ),
    "imported_other_year": (
        "Šis fails jau ir importēts mācību gadam {year}.",
        "This file has already been imported for the school year {year}.",
    ),
    # --- Values --------------------------------------------------------------------------------
    "required": (
        "Obligātā vērtība nav norādīta.",
        "A required value is missing.",
    ),
    "not_integer": (
        "Vērtībai jābūt veselam skaitlim.",
        "The value must be a whole number.",
    ),
    "not_number": (
        "Vērtībai jābūt skaitlim (decimāldaļu atdala ar punktu vai komatu).",
        "The value must be a number (decimal point or decimal comma).",
    ),
    "not_date": (
        "Datumam jābūt derīgam un formātā GGGG-MM-DD, piemēram, 2024-01-15.",
        "The date must be a valid date in the format YYYY-MM-DD, e.g. 2024-01-15.",
    ),
    "not_boolean": (
        "Vērtībai jābūt true vai false (vai 1 vai 0).",
        "The value must be true or false (or 1 or 0).",
    ),
    "out_of_range": (
        "Vērtībai jābūt robežās no {min} līdz {max}.",
        "The value must be between {min} and {max}.",
    ),
    "not_allowed": (
        "Neatļauta vērtība. Atļautās vērtības: {allowed}.",
        "Value not allowed. Allowed values: {allowed}.",
    ),
    "bad_registration_number": (
        "Reģistrācijas numuram jābūt no 10 cipariem.",
        "The registration number must consist of 10 digits.",
    ),
    "unknown_institution": (
        "Izglītības iestāžu reģistrā nav izglītības iestādes ar šādu reģistrācijas numuru.",
        "There is no educational institution with this registration number in the Register of "
        "Educational Institutions.",
    ),
    "unknown_institution_name": (
        "Izglītības iestāžu reģistrā nav iestādes ar šādu nosaukumu (un norādīto pašvaldību, ja tā norādīta). "
        "Nosaukumam jāsakrīt ar reģistrā ierakstīto (lielie un mazie burti un atstarpes netiek ņemti vērā); "
        "vai norādiet reģistrācijas numuru.",
        "There is no institution with this name (in the municipality given, if any) in the Register of "
        "Educational Institutions. The name must be as registered (letter case and spacing aside); or give "
        "the registration number.",
    ),
    "ambiguous_institution_name": (
        "Šāds nosaukums reģistrā ir vairākām iestādēm (reģistrācijas numuri {candidates}); norādiet pašvaldību "
        "(kolonna municipality) vai iestādes reģistrācijas numuru.",
        "Several institutions in the register have this name (registration numbers {candidates}); give the "
        "municipality (column municipality) or the institution's registration number.",
    ),
    "unknown_municipality": (
        "Nav atpazīstama pašvaldība: norādiet ISO 3166-2:LV kodu (piemēram, LV-RIX) vai pašvaldības nosaukumu.",
        "Unknown municipality: give its ISO 3166-2:LV code (e.g. LV-RIX) or its name.",
    ),
    "bad_programme_code": (
        "Izglītības programmas kodam jābūt no 8 rakstzīmēm.",
        "The education programme code must be 8 characters long.",
    ),
    "unknown_programme": (
        "Licencēto izglītības programmu reģistrā nav programmas ar šādu kodu.",
        "There is no licensed education programme with this code.",
    ),
    "bad_municipality": (
        "Pašvaldības kodam jābūt ISO 3166-2:LV formātā, piemēram, LV-RIX.",
        "The municipality code must be an ISO 3166-2:LV code, e.g. LV-RIX.",
    ),
    "bad_grade_list": (
        "Klasēm jābūt norādītām ar komatu atdalītiem skaitļiem no 0 līdz 12, piemēram, „5,6”.",
        "Grades must be comma-separated numbers from 0 to 12, e.g. “5,6”.",
    ),
    "combined_mismatch": (
        "Pazīme „apvienotā klase” neatbilst norādīto klašu skaitam.",
        "The “combined” flag does not match the number of grades given.",
    ),
    "looks_like_personal_code": (
        "Vērtība izskatās pēc personas koda; šajā kolonnā personas kodu norādīt nedrīkst.",
        "The value looks like a personal code; personal codes must not be entered in this column.",
    ),
    "date_outside_year": (
        "Datumam jābūt mācību gada {year} laikā (no {start} līdz {end}).",
        "The date must be within the school year {year} ({start} to {end}).",
    ),
    "date_outside_window": (
        "Datums ir ārpus pieļaujamā laikposma no {start} līdz {end}.",
        "The date is outside the allowed period {start} to {end}.",
    ),
    "end_before_start": (
        "Beigu datums nedrīkst būt agrāks par sākuma datumu ({start_column}).",
        "The end date must not be earlier than the start date ({start_column}).",
    ),
    "semester_mismatch": (
        "Semestris neatbilst datumam (1. semestris: septembris–decembris, 2. semestris: janvāris–augusts).",
        "The semester does not match the date (semester 1: September–December, semester 2: January–August).",
    ),
    "birth_year_mismatch": (
        "Dzimšanas gads neatbilst personas kodā norādītajam dzimšanas datumam.",
        "The year of birth does not match the date of birth in the personal code.",
    ),
    # --- Personal codes ------------------------------------------------------------------------
    "pc_format": (
        "Personas kodam jābūt formātā DDMMGG-XNNNN vai 32NNNN-NNNNN (11 cipari; defise pēc sestā cipara "
        "nav obligāta).",
        "The personal code must have the format DDMMYY-XNNNN or 32NNNN-NNNNN (11 digits; the hyphen after "
        "the sixth digit is optional).",
    ),
    "pc_birth_date": (
        "Personas kodā ir neiespējams dzimšanas datums.",
        "The personal code contains an impossible date of birth.",
    ),
    "pc_birth_future": (
        "Personas kodā norādītais dzimšanas datums ir nākotnē.",
        "The date of birth in the personal code is in the future.",
    ),
    "pc_legacy_too_late": (
        "Vecā formāta personas kodus piešķīra līdz 2017. gada 30. jūnijam; dzimšanas datums šajā kodā ir vēlāks.",
        "Old-format personal codes were issued until 30 June 2017; the date of birth in this code is later.",
    ),
    "pc_checksum": (
        "Personas koda kontrolcipars nav pareizs.",
        "The check digit of the personal code is wrong.",
    ),
    "pc_checksum_new": (
        "Jaunā formāta personas koda kontrolcipars neatbilst pārbaudes algoritmam.",
        "The check digit of the new-format personal code does not match the check algorithm.",
    ),
    # --- Keys ----------------------------------------------------------------------------------
    "duplicate_in_file": (
        "Ieraksts ar tādu pašu atslēgu ({key}) jau ir faila {first}. rindā.",
        "A record with the same key ({key}) is already in row {first} of the file.",
    ),
    "duplicate_in_lake": (
        "Ieraksts ar tādu pašu atslēgu ({key}) jau ir importēts mācību gadam {year}.",
        "A record with the same key ({key}) has already been imported for the school year {year}.",
    ),
}

#: Appended to warnings in the report so that a reader knows the row was still imported.
WARNING_SUFFIX = (" (brīdinājums — ieraksts importēts)", " (warning — the record was imported)")


def message(code: str, **params: object) -> tuple[str, str]:
    """The (Latvian, English) message for an error code, with its parameters filled in."""
    lv, en = MESSAGES[code]
    return lv.format(**params), en.format(**params)
