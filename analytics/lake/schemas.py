"""The data lake's datasets: Parquet, partitioned by school year (folder `school_year=2023-2024`).

One declaration per dataset serves three purposes: the Parquet schema the generator and imports
write, the validation rules imports apply to every row, and the documentation in docs/data/.
Identifiers of people are pseudonymous (a keyed hash, never the personal code).

Most datasets come from other systems (`written_by` "import": `import_data`, or the demo generator). A dataset
the web application holds itself (`written_by` "web": the complaints IKVD received) is written from its records
(`ikms/complaints/lake.py`), one whole partition per school year, and is never imported."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

SCHOOL_YEARS = ("2022/2023", "2023/2024", "2024/2025")
LEVELS = ("preschool", "basic", "secondary", "vocational")
ABSENCE_REASONS = ("justified", "illness", "unjustified")
LONG_ABSENCE_REASONS = ("lack_of_motivation", "health_without_doctors_note", "family_circumstances", "other")
LONG_ABSENCE_ACTIONS = ("talk_with_pupil_and_parents", "social_service", "orphans_court", "police",
                        "interagency_meeting", "addiction_treatment", "none_recorded")
STAFF_POSITIONS = ("teacher", "head", "deputy_head", "psychologist", "speech_therapist", "special_educator",
                   "social_pedagogue", "teacher_assistant", "librarian", "career_counsellor")
SUPPORT_POSITIONS = ("psychologist", "speech_therapist", "special_educator", "social_pedagogue",
                     "teacher_assistant")
#: ISCED-F 2013 broad fields of education and training (analytics/definitions/study_fields.yaml has the names).
STUDY_FIELDS = ("00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10")
#: The destinations that are further study (a field of study applies to these).
STUDY_DESTINATIONS = ("general_secondary", "vocational", "higher_education")
DESTINATIONS = ("general_secondary", "vocational", "higher_education", "employment", "abroad", "repeat_or_other",
                "unknown")
OUT_OF_SCHOOL_STATUSES = (
    "no_or_insufficient_assessment_expelled_from_distance_or_part_time",
    "expelled_from_preschool_for_non_attendance", "arrived_from_another_country", "long_term_ill", "disabled",
    "preschool_in_family", "starts_basic_education_next_school_year", "lives_in_latvia_studies_abroad",
    "no_information", "family_left_country", "ukrainian_children_in_ukrainian_distance_schools",
    "ukrainian_children_no_information", "foreign_citizens_with_residence_permit",
)
COURSE_LEVELS = ("general", "advanced")
SEXES = ("F", "M")
CITIZENSHIP = ("citizen", "non_citizen", "foreign", "stateless")
DIAGNOSTIC_DOMAINS = ("numeracy", "literacy", "science")
SURVEY_ROLES = ("pupil", "teacher")
#: Subjects a teacher teaches / a teacher vacancy is for (analytics/definitions/subjects.yaml, with their names):
#: the subject codes of the marks data, PRI for a primary-grade class teacher, SPE for special education, RUS for
#: Russian (a foreign language at school), PRE for pre-school education and PRO for vocational subjects.
SUBJECT_CODES = ("LAT", "LIT", "MAT", "ENG", "FL2", "RUS", "NAT", "BIO", "CHE", "PHY", "GEO", "HIS", "SOC", "SPO",
                 "MUS", "ART", "DES", "INF", "ECO", "PRO", "PRI", "PRE", "SPE")
#: Who writes a dataset: "import" (`import_data` and the demo generator) or "web" (the web application, from its
#: own records; not an import source).
WRITERS = ("import", "web")


@dataclass(frozen=True)
class Column:
    """One column: Arrow type, meaning, and what a valid value is."""

    name: str
    type: pa.DataType
    description: str
    nullable: bool = False
    allowed: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None
    reference: str | None = None  # "institution" or "programme": must exist in the register
    #: May be absent from an import file (a column added to a dataset after files of its first format were
    #: made): such a file still imports and the column is empty (null) in its rows. Only for nullable columns.
    optional: bool = False

    def __post_init__(self) -> None:
        if self.optional and not self.nullable:
            raise ValueError(f"Column {self.name}: an optional column must be nullable")


@dataclass(frozen=True)
class Dataset:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = field(default_factory=tuple)  # duplicate keys are import errors
    written_by: str = "import"  # one of WRITERS

    @property
    def schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in self.columns])

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _c(name: str, type_: pa.DataType, description: str, **kw: object) -> Column:
    return Column(name, type_, description, **kw)  # type: ignore[arg-type]


LEARNER = _c("learner_id", pa.string(), "Pseudonymous learner id: keyed hash of the personal code")
INSTITUTION = _c("institution", pa.string(), "Institution registration number (10 digits)",
                 reference="institution")
SEMESTER = _c("semester", pa.int8(), "Semester of the school year (1 or 2)", min=1, max=2)

DATASETS: dict[str, Dataset] = {d.name: d for d in [
    Dataset("learners", "Learners known in the school year (one row per learner)", (
        LEARNER,
        _c("birth_year", pa.int16(), "Year of birth", min=1940, max=2025),
        _c("sex", pa.string(), "Sex", allowed=SEXES),
        _c("citizenship", pa.string(), "Citizenship status", allowed=CITIZENSHIP),
        _c("declared_municipality", pa.string(), "Declared municipality (ISO 3166-2:LV code)"),
    ), key=("learner_id",)),
    Dataset("enrolments", "Enrolments: a learner in a programme, grade and class of an institution", (
        LEARNER, INSTITUTION,
        _c("programme_code", pa.string(), "Programme code (Latvian Education Classification)",
           reference="programme"),
        _c("level", pa.string(), "Education level", allowed=LEVELS),
        _c("special", pa.bool_(), "Special education programme"),
        _c("grade", pa.int8(), "Grade (0 = pre-school group, 1–12; vocational course 1–4)", min=0, max=12),
        _c("class_id", pa.string(), "Class identifier within the institution"),
        _c("start_date", pa.date32(), "Enrolled from"),
        _c("end_date", pa.date32(), "Left on (empty while enrolled)", nullable=True),
    ), key=("learner_id", "institution", "programme_code", "start_date")),
    Dataset("classes", "Classes; a combined class teaches several grades together", (
        INSTITUTION,
        _c("class_id", pa.string(), "Class identifier within the institution"),
        _c("grades", pa.string(), "Grades taught together, comma-separated (e.g. \"5,6\")"),
        _c("combined", pa.bool_(), "More than one grade taught together"),
        _c("learners", pa.int16(), "Learners in the class", min=0, max=60),
    ), key=("institution", "class_id")),
    Dataset("grades", "Marks on the 10-point scale (daily and term marks)", (
        LEARNER, INSTITUTION,
        _c("subject", pa.string(), "Subject code"),
        _c("date", pa.date32(), "Date of the mark"),
        SEMESTER,
        _c("mark", pa.int8(), "Mark 1–10", min=1, max=10),
        _c("course_level", pa.string(), "Course level", allowed=COURSE_LEVELS),
    )),
    Dataset("absences", "Missed lessons (one row per learner and day)", (
        LEARNER, INSTITUTION,
        _c("date", pa.date32(), "School day"),
        SEMESTER,
        _c("lessons", pa.int8(), "Lessons missed that day", min=1, max=10),
        _c("reason", pa.string(), "Reason", allowed=ABSENCE_REASONS),
    ), key=("learner_id", "institution", "date", "reason")),
    Dataset("long_term_absences", "Long-term unexcused absentees with the reasons and actions recorded", (
        LEARNER, INSTITUTION, SEMESTER,
        _c("level", pa.string(), "Education level", allowed=LEVELS),
        _c("reason", pa.string(), "Main reason recorded (empty if none)", allowed=LONG_ABSENCE_REASONS,
           nullable=True),
        _c("action", pa.string(), "Action taken", allowed=LONG_ABSENCE_ACTIONS),
    ), key=("learner_id", "institution", "semester")),
    Dataset("exams", "Centralised examination results", (
        LEARNER, INSTITUTION,
        _c("exam", pa.string(), "Examination code"),
        _c("mandatory", pa.bool_(), "Mandatory examination"),
        _c("grade", pa.int8(), "Grade in which it was taken (9 or 12)", min=9, max=12),
        _c("score_pct", pa.float32(), "Score, percent", min=0, max=100),
    ), key=("learner_id", "exam")),
    Dataset("exam_results", "Centralised examination results as published per institution and exam (no learners: "
            "the mean score and the number of takers)", (
        INSTITUTION,
        _c("exam", pa.string(), "Examination code"),
        _c("mandatory", pa.bool_(), "Mandatory examination"),
        _c("grade", pa.int8(), "Grade in which it was taken (9 or 12)", min=9, max=12),
        _c("takers", pa.int16(), "Learners of the institution who took the exam", min=1, max=10000),
        _c("mean_score_pct", pa.float32(), "Mean score of those learners, percent", min=0, max=100),
    ), key=("institution", "exam")),
    Dataset("staff", "Staff positions of an institution", (
        _c("staff_id", pa.string(), "Pseudonymous staff id"), INSTITUTION,
        _c("position", pa.string(), "Position", allowed=STAFF_POSITIONS),
        _c("fte", pa.float32(), "Full-time equivalent", min=0.05, max=2),
        _c("start_date", pa.date32(), "From"),
        _c("end_date", pa.date32(), "Until", nullable=True),
        _c("birth_year", pa.int16(), "Year of birth (empty: unknown)", min=1930, max=2010, nullable=True,
           optional=True),
        _c("qualified", pa.bool_(), "Holds the qualification the post requires (empty: unknown)", nullable=True,
           optional=True),
        _c("subject", pa.string(), "Main subject taught, for teachers (analytics/definitions/subjects.yaml; empty: "
           "unknown or not a teacher)", allowed=SUBJECT_CODES, nullable=True, optional=True),
    ), key=("staff_id", "institution", "position", "start_date")),
    Dataset("vacancies", "Vacancies: opened and (if so) filled", (
        _c("vacancy_id", pa.string(), "Vacancy id"), INSTITUTION,
        _c("position", pa.string(), "Position", allowed=STAFF_POSITIONS),
        _c("opened", pa.date32(), "Opened on"),
        _c("filled", pa.date32(), "Filled on (empty if still open)", nullable=True),
        _c("subject", pa.string(), "Subject of a teacher vacancy (analytics/definitions/subjects.yaml; empty: "
           "unknown)", allowed=SUBJECT_CODES, nullable=True, optional=True),
    ), key=("vacancy_id",)),
    Dataset("graduates", "Graduates and their destination the following autumn", (
        LEARNER, INSTITUTION,
        _c("level", pa.string(), "Completed level", allowed=("basic", "secondary", "vocational")),
        _c("destination", pa.string(), "Destination", allowed=DESTINATIONS),
        _c("programme_code", pa.string(), "Code of the programme completed (Latvian Education Classification; "
           "empty if not reported)", nullable=True, optional=True, reference="programme"),
        _c("field", pa.string(), "Broad field of the further study (ISCED-F 2013 code 00–10; empty if not studying "
           "or not known)", nullable=True, optional=True, allowed=STUDY_FIELDS),
    ), key=("learner_id", "level")),
    Dataset("out_of_school", "Declared 5–18 year olds not enrolled anywhere, with the status found", (
        _c("child_id", pa.string(), "Pseudonymous child id"),
        _c("birth_year", pa.int16(), "Year of birth", min=2000, max=2025),
        _c("declared_municipality", pa.string(), "Declared municipality (ISO 3166-2:LV code)"),
        _c("status", pa.string(), "Status entered by the municipality (annual report table 5)",
           allowed=OUT_OF_SCHOOL_STATUSES),
        _c("as_of", pa.date32(), "Snapshot date"),
    ), key=("child_id", "as_of")),
    Dataset("declared_children", "Children with their declared place of residence in a municipality, by year of "
            "birth, as counted in the population register (Office of Citizenship and Migration Affairs, PMLP): "
            "counts only, no persons. The learner-number projections of the school network tool start from them", (
        _c("declared_municipality", pa.string(), "Declared municipality (ISO 3166-2:LV code)"),
        _c("birth_year", pa.int16(), "Year of birth", min=2000, max=2030),
        _c("children", pa.int32(), "Children declared in the municipality", min=0, max=200000),
        _c("as_of", pa.date32(), "Date of the population register count"),
    ), key=("declared_municipality", "birth_year", "as_of")),
    Dataset("diagnostics", "Pre-school, grade 3 and grade 6 diagnostic assessments", (
        LEARNER, INSTITUTION,
        _c("grade", pa.int8(), "0 = pre-school, 3 or 6", min=0, max=6),
        _c("domain", pa.string(), "Domain", allowed=DIAGNOSTIC_DOMAINS),
        _c("score_pct", pa.float32(), "Score, percent", min=0, max=100),
    ), key=("learner_id", "grade", "domain")),
    Dataset("wellbeing", "Annual pupil and teacher well-being survey answers (scale 1–5)", (
        _c("respondent_id", pa.string(), "Pseudonymous respondent id"), INSTITUTION,
        _c("role", pa.string(), "Respondent", allowed=SURVEY_ROLES),
        _c("question", pa.string(), "Question code"),
        _c("answer", pa.int8(), "Answer 1–5", min=1, max=5),
    ), key=("respondent_id", "question")),
    Dataset("complaints", "Complaints IKVD received in the school year (1 September – 31 August) concerning the "
            "institution, counted from the web application's complaint register: one row for every institution of "
            "the year's register snapshot, 0 where none came. A school year without any complaint record has no "
            "partition (the register was not in use: no data, not zero). A complaint concerning several "
            "institutions counts at each. No submitter data", (
        INSTITUTION,
        _c("complaints", pa.int32(), "Complaints received", min=0),
        _c("confirmed", pa.int32(), "Of which: examined, confirmed", min=0),
        _c("not_confirmed", pa.int32(), "Of which: examined, not confirmed", min=0),
        _c("explanation", pa.int32(), "Of which: an explanation given", min=0),
        _c("referred", pa.int32(), "Of which: forwarded to the founder or another authority", min=0),
        _c("no_outcome", pa.int32(), "Of which: no outcome recorded yet", min=0),
    ), key=("institution",), written_by="web"),
]}
#: The datasets received from other systems (the sources of `import_data` and of the demo generator).
IMPORTED_DATASETS = tuple(name for name, d in DATASETS.items() if d.written_by == "import")

#: The register dimension the lake is generated and validated against (exported from the web DB).
INSTITUTIONS = Dataset("institutions", "Register of institutions as of the school year (from the web system)", (
    _c("institution", pa.string(), "Registration number"),
    _c("name", pa.string(), "Name"),
    _c("type", pa.string(), "Institution type code"),
    _c("kind", pa.string(), "Institution kind code"),
    _c("municipality", pa.string(), "Municipality code"),
    _c("founder_kind", pa.string(), "Founder kind"),
    _c("capacity", pa.int32(), "Design capacity, learners (a register attribute set by a decision; empty where not "
       "recorded)", nullable=True, min=1),
))


def partition_dir(school_year: str) -> str:
    """Folder name of a school year's partition, e.g. school_year=2023-2024."""
    return "school_year=" + school_year.replace("/", "-")
