"""Display names of the codes the engine's results carry (levels, categories, themes, institution groups).

The codes come from the lake's vocabularies (analytics/lake/schemas.py); an unknown code is shown as it is
rather than hidden, so a new category never disappears from a table."""

from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from analytics.graduates import study_fields
from analytics.surveys import wellbeing_questions
from analytics.teaching import subject_names

THEMES = {
    "institutions": _("Institutions, classes and staff"),
    "absences": _("Absences"),
    "marks": _("Marks"),
    "exams": _("Centralised examinations"),
    "graduates": _("Graduates' destinations"),
    "out_of_school": _("Out-of-school children"),
    "declared_children": _("Children declared in the municipality by year of birth"),
    "complaints": _("Complaints"),
    "support": _("Support to continue studies"),
    "risk_shares": _("Shares of institutions at risk"),
    "teaching": _("The teaching profession"),
    "diagnostics": _("Diagnostics"),
    "wellbeing": _("Well-being"),
}

#: The data lake's sources (analytics/lake/schemas.py DATASETS) as people call them (the data-quality page,
#: the coverage of an institution).
SOURCES = {
    "learners": _("Learners"),
    "enrolments": _("Enrolments"),
    "classes": _("Classes"),
    "grades": _("Marks"),
    "absences": _("Absences"),
    "long_term_absences": _("Long-term unexcused absences"),
    "exams": _("Centralised examinations"),
    "exam_results": _("Examination results by institution"),
    "staff": _("Staff"),
    "vacancies": _("Vacancies"),
    "graduates": _("Graduates' destinations"),
    "out_of_school": _("Out-of-school children"),
    "declared_children": _("Children declared in the municipality by year of birth"),
    "diagnostics": _("Diagnostic assessments"),
    "wellbeing": _("Well-being survey"),
    "complaints": _("Complaints"),
}

LEVELS = {
    "preschool": _("Pre-school"),
    "basic": _("Basic education"),
    "secondary": _("Secondary education"),
    "vocational": _("Vocational education"),
}

CATEGORIES = {
    # absence reasons
    "justified": _("Justified"),
    "illness": _("Illness"),
    "unjustified": _("Unjustified"),
    # long-term absence reasons
    "lack_of_motivation": _("Lack of motivation"),
    "health_without_doctors_note": _("Health problems without a doctor's note"),
    "family_circumstances": _("Family circumstances"),
    "other": pgettext_lazy("reason", "Other"),
    "not_recorded": _("Not recorded"),
    # long-term absence actions
    "talk_with_pupil_and_parents": _("Talk with the pupil and parents"),
    "social_service": _("Social service informed"),
    "orphans_court": _("Orphans' court informed"),
    "police": _("Police informed"),
    "interagency_meeting": _("Inter-agency meeting"),
    "addiction_treatment": _("Addiction treatment"),
    "none_recorded": _("No action recorded"),
    # graduates' destinations
    "general_secondary": _("General secondary education"),
    "vocational": _("Vocational education"),
    "higher_education": _("Higher education"),
    "employment": _("Employment"),
    "abroad": _("Abroad"),
    "repeat_or_other": _("Repeating or other"),
    "unknown": _("Unknown"),
    # basic → secondary transitions (issue 15)
    "not_found": _("Not found at any institution"),
    # staff positions
    "teacher": _("Teacher"),
    "psychologist": _("Psychologist"),
    "teacher_assistant": _("Teacher's assistant"),
    "speech_therapist": _("Speech therapist"),
    "special_educator": _("Special educator"),
    "social_pedagogue": _("Social pedagogue"),
    # examinations
    "MAT": _("Mathematics (secondary)"),
    "LAT": _("Latvian (secondary)"),
    "ENG": _("English (secondary)"),
    "MAT9": _("Mathematics (grade 9)"),
    "LAT9": _("Latvian (grade 9)"),
    "ENG9": _("English (grade 9)"),
    # teachers' age bands (the teaching profession)
    "under_30": _("Under 30"),
    "30_39": _("30–39"),
    "40_49": _("40–49"),
    "50_59": _("50–59"),
    "60_64": _("60–64"),
    "65_plus": _("65 and over"),
    # diagnostic domains (skill groups)
    "numeracy": _("Numeracy"),
    "literacy": _("Literacy"),
    "science": _("Science"),
    # out-of-school children (annual report table 5)
    "no_or_insufficient_assessment_expelled_from_distance_or_part_time":
        _("No or insufficient assessment, expelled from distance or part-time learning"),
    "expelled_from_preschool_for_non_attendance": _("Expelled from pre-school for non-attendance"),
    "arrived_from_another_country": _("Arrived from another country"),
    "long_term_ill": _("Long-term illness"),
    "disabled": _("Disability"),
    "preschool_in_family": _("Pre-school education in the family"),
    "starts_basic_education_next_school_year": _("Starts basic education next school year"),
    "lives_in_latvia_studies_abroad": _("Lives in Latvia, studies abroad"),
    "no_information": _("No information"),
    "family_left_country": _("Family has left the country"),
    "ukrainian_children_in_ukrainian_distance_schools": _("Ukrainian children in Ukrainian distance schools"),
    "ukrainian_children_no_information": _("Ukrainian children, no information"),
    "foreign_citizens_with_residence_permit": _("Foreign citizens with a residence permit"),
}

#: Table 5 of the annual report: the statuses inside the table, in its order; the rest are listed below it.
TABLE5_STATUSES = (
    "no_or_insufficient_assessment_expelled_from_distance_or_part_time",
    "expelled_from_preschool_for_non_attendance",
    "arrived_from_another_country",
    "long_term_ill",
    "disabled",
    "preschool_in_family",
    "starts_basic_education_next_school_year",
    "lives_in_latvia_studies_abroad",
    "no_information",
)
TABLE5_OUTSIDE = (
    "family_left_country",
    "ukrainian_children_in_ukrainian_distance_schools",
    "ukrainian_children_no_information",
    "foreign_citizens_with_residence_permit",
)

IMPORTANCE = {"high": _("High"), "medium": _("Medium"), "low": _("Low")}
IMPORTANCE_WEIGHT = {"high": 3, "medium": 2, "low": 1}


def level_label(code: str) -> str:
    return str(LEVELS.get(code, code)) if code else ""


def field_label(code: str) -> str:
    """An ISCED-F broad field of study (issue 15) with its name in the active language; `unknown`: not reported."""
    if code == "unknown":
        return str(_("Field unknown"))
    names = study_fields().get(code)
    return f"{code} {names['lv' if (get_language() or 'lv').startswith('lv') else 'en']}" if names else code


def category_label(code: str) -> str:
    """A category's name: a field of study (`00`–`10`) by its name, `<programme>|<destination>` (destinations
    by programme) as the programme code and the destination's name; a subject code without a name of its own (the
    teaching indicators' subjects, also exam codes such as PHY) by the subject list
    (analytics/definitions/subjects.yaml); any other code as it is."""
    if not code:
        return ""
    if "|" in code:
        programme, destination = code.split("|", 1)
        return f"{programme if programme != 'unknown' else _('Programme unknown')} · {category_label(destination)}"
    if code in CATEGORIES:
        return str(CATEGORIES[code])
    if code in study_fields():
        return field_label(code)
    names = subject_names().get(code)
    if names is not None:
        return names["en"] if (get_language() or "lv").startswith("en") else names["lv"]
    return code
    """A category in words; a well-being question code is its question (analytics/surveys.py)."""
    if not code:
        return ""
    if code in CATEGORIES:
        return str(CATEGORIES[code])
    question = wellbeing_questions().get(code)
    return f"{code}: {question.text(get_language() or 'lv')}" if question else code


def semester_label(semester: int | None) -> str:
    if not semester:
        return ""
    return str(_("Semester %(n)s") % {"n": semester})


def slice_label(semester: int | None, level: str, category: str) -> str:
    """'Basic education · Semester 2 · Illness' (empty for an indicator without breakdowns)."""
    return " · ".join(p for p in (level_label(level), semester_label(semester), category_label(category)) if p)


def source_label(code: str) -> str:
    """A lake source's name in the active language (the code itself for a source without a label)."""
    return str(SOURCES.get(code, code))


def not_received_label(source: str, year: str) -> str:
    """Why a rule could not be evaluated: 'no Staff data for 2023/2024'."""
    return _("no data received for %(year)s: %(source)s") % {"source": source_label(source), "year": year}


def missing_label(missing: list) -> str:
    """The (source, school year) pairs a rule lacked, in words, joined by semicolons."""
    return "; ".join(not_received_label(str(s), str(y)) for s, y in missing)
