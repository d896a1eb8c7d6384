"""Reads of cases and tasks. Scopers own who sees which rows; `*_get_for_user` raises Http404 for
both "missing" and "not yours" (an expert never learns that someone else's case exists)."""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ikms.accounts.roles import Role
from ikms.accreditation import permissions
from ikms.accreditation.audit_actions import CASE_STEPS_DONE
from ikms.accreditation.choices import CaseKind, CaseState, Confirmation, ConflictKind, TaskStatus
from ikms.accreditation.framework import Criterion, framework, self_evaluation
from ikms.accreditation.models import (
    Case,
    ExpertConflict,
    ExpertProfile,
    ExpertTraining,
    ExpertUnavailability,
    Rating,
    SelfEvaluationReport,
    SelfEvaluationState,
    Task,
)
from ikms.core.audit import audit_events_for
from ikms.courses import selectors as courses
from ikms.monitoring import selectors as monitoring
from ikms.registry.models import Institution
from ikms.registry.permissions import HEADED_INSTITUTION
from ikms.registry.selectors import search_pattern

NEEDS_IMPROVEMENT = ("needs_improvement", "insufficient")
#: How IKVD's annual report groups institutions (registry kind codes): "general" includes special
#: schools, "vocational" includes vocational orientation (music, art, sports) schools [inferred].
SECTORS = {
    "general": ("general", "special"),
    "vocational": ("vocational", "vocational_orientation", "continuing_vocational"),
    "preschool": ("preschool",),
}


def sector_of(kind_code: str) -> str:
    return next((s for s, kinds in SECTORS.items() if kind_code in kinds), "other")


def _case_base() -> QuerySet[Case]:
    return Case.objects.select_related("institution", "institution__type", "institution__type__kind",
                                       "institution__founder").prefetch_related("members__user")


def case_visible_to(user) -> QuerySet[Case]:
    """Cases the user may see (permissions.CASE)."""
    return permissions.CASE.scope(user, _case_base())


def case_get_for_user(*, user, pk) -> Case:
    return permissions.CASE.get(user, _case_base(), pk=pk)


def case_filter(cases: QuerySet[Case], *, state: str = "", kind: str = "") -> QuerySet[Case]:
    """Filter cases by state and kind."""
    if state:
        cases = cases.filter(state=state)
    if kind:
        cases = cases.filter(kind=kind)
    return cases


def cases_on_commission_of(user) -> QuerySet[Case]:
    """The cases the user may see (case_visible_to) whose commission they sit on, as chair or expert."""
    return case_visible_to(user).filter(members__user=user)


def case_unrated_criteria(cases: Iterable[Case]) -> dict[int, list[Criterion]]:
    """Per case (its id), the criteria it rates (case_criteria) that have no rating yet, in the framework's order:
    the commission gives one rating per criterion (Rating is unique per case and criterion), so a criterion
    without one is a rating the commission still owes. One query for all the cases."""
    cases = list(cases)
    rated: dict[int, set[str]] = defaultdict(set)
    for case_id, criterion in Rating.objects.filter(case__in=[c.pk for c in cases]).values_list("case_id",
                                                                                                "criterion"):
        rated[case_id].add(criterion)
    return {c.pk: [k for k in case_criteria(c) if k.code not in rated[c.pk]] for c in cases}


def case_criteria(case: Case) -> list[Criterion]:
    """The criteria the case rates: the 12 for an accreditation; the head's 3 (+ the founder's under MK 618)."""
    version = framework().version(case.version)
    if case.kind == CaseKind.ACCREDITATION:
        return [framework().criterion(c) for c in version.institution_criteria]
    crits = [framework().criterion(c) for c in version.head_criteria]
    if version.founder_criterion and case.founder_criterion:
        crits.append(Criterion(code="F", name_lv=case.founder_criterion, name_en=case.founder_criterion,
                               domain="good_governance"))
    return crits


def case_ratings(case: Case) -> list[tuple[Criterion, Rating | None]]:
    found = {r.criterion: r for r in case.ratings.select_related("rated_by")}
    return [(c, found.get(c.code)) for c in case_criteria(case)]


def case_timeline(case: Case) -> list[dict]:
    """The case's audit events, oldest first, with the table's label of each step."""
    rows = []
    for event in audit_events_for(target=case).order_by("at", "id"):
        action = event.action.removeprefix("accreditation.")
        label = CASE_STEPS_DONE.get(action)
        rows.append({"at": event.at, "actor": event.actor, "label": str(label) if label else event.action_label,
                     "from": CaseState(event.data["from"]).label if event.data.get("from") in CaseState.values else "",
                     "to": CaseState(event.data["to"]).label if event.data.get("to") in CaseState.values else ""})
    return rows


def institution_institutions_for_apply(user):
    """Registered institutions the user may apply for (its head or founder: permissions.OWN_INSTITUTION)."""
    return permissions.OWN_INSTITUTION.scope(user, Institution.objects.filter(status="registered").order_by("name"))


# --- tasks -----------------------------------------------------------------------------------------


def _task_base() -> QuerySet[Task]:
    return Task.objects.select_related("institution", "case")


def task_visible_to(user) -> QuerySet[Task]:
    """Tasks of the cases the user may see (permissions.TASK)."""
    return permissions.TASK.scope(user, _task_base())


def task_get_for_user(*, user, pk) -> Task:
    return permissions.TASK.get(user, _task_base(), pk=pk)


def _linked(task: Task) -> bool:
    return bool(task.indicator) and task.target_value is not None and bool(task.target_year)


def _confirmations(targets: Iterable[tuple]) -> dict:
    """Whether the monitoring data confirm each target: `targets` are (key, indicator, operator, target value,
    target school year, institution registration number); the answer maps each key to (Confirmation, the value
    compared). One read of the current values per target school year, however many targets."""
    targets = list(targets)
    by_year: dict[str, list[tuple]] = defaultdict(list)
    for t in targets:
        by_year[t[4]].append(t)
    latest: dict[tuple[str, str, str], tuple[int, float]] = {}  # (year, unit, indicator) → (semester, value)
    for year, group in by_year.items():
        rows = monitoring.values(year=year, grain="institution", units={t[5] for t in group},
                                 indicators_={t[1] for t in group})
        for v in rows:
            if v.level or v.category or v.value is None or v.suppressed:
                continue
            key = (year, v.unit, v.indicator)
            if key not in latest or (v.semester or 0) > latest[key][0]:  # the latest semester of the year
                latest[key] = (v.semester or 0, v.value)
    out = {}
    for key, indicator, operator, target, year, unit in targets:
        found = latest.get((year, unit, indicator))
        if found is None:
            out[key] = (Confirmation.NO_DATA, None)
            continue
        value = found[1]
        ok = value <= target if operator == "<=" else value >= target
        out[key] = (Confirmation.CONFIRMED if ok else Confirmation.NOT_CONFIRMED), value
    return out


def task_confirmations(tasks: Iterable[Task]) -> dict[int, tuple[str, float | None]]:
    """Whether the monitoring data confirm each task's target: task id → (Confirmation, the value compared)."""
    tasks = list(tasks)
    found = _confirmations((t.pk, t.indicator, t.target_operator, t.target_value, t.target_year,
                            t.institution.registration_number) for t in tasks if _linked(t))
    return {t.pk: found.get(t.pk, (Confirmation.NOT_LINKED, None)) for t in tasks}


def task_confirmation(task: Task) -> tuple[str, float | None]:
    """Whether the monitoring data confirm the task's target: (Confirmation, the value compared)."""
    return task_confirmations([task])[task.pk]


def task_rows(tasks) -> list[dict]:
    """Tasks with their data confirmation (read in one pass); `flagged` = closed on paper, not confirmed by the
    data."""
    tasks = list(tasks)
    confirmations = task_confirmations(tasks)
    rows = []
    for task in tasks:
        status, value = confirmations[task.pk]
        rows.append({"task": task, "confirmation": status, "confirmation_label": Confirmation(status).label,
                     "value": value,
                     "flagged": task.status == TaskStatus.DONE and status == Confirmation.NOT_CONFIRMED})
    return rows


def task_unconfirmed_ids(tasks: QuerySet[Task]) -> list[int]:
    """The ids of the tasks of `tasks` that are closed (done) but not confirmed by the data, over all of them:
    only the done tasks linked to an indicator can be, and their confirmation is read in one pass."""
    candidates = (tasks.filter(status=TaskStatus.DONE, target_value__isnull=False).exclude(indicator="")
                  .exclude(target_year="").order_by()
                  .values_list("pk", "indicator", "target_operator", "target_value", "target_year",
                               "institution__registration_number"))
    found = _confirmations(candidates)
    return sorted(pk for pk, (status, _value) in found.items() if status == Confirmation.NOT_CONFIRMED)


def task_filter(tasks: QuerySet[Task], *, status: str = "", institution: str = "", deadline_passed: bool = False,
                today: datetime.date | None = None) -> QuerySet[Task]:
    """Filter tasks: status, institution (name with or without Latvian diacritics, or registration number) and
    whether the deadline has passed (before today)."""
    if status:
        tasks = tasks.filter(status=status)
    institution = " ".join((institution or "").split())
    if institution:
        cond = Q(institution__name__iregex=search_pattern(institution))
        if institution.isdigit():
            cond |= Q(institution__registration_number__startswith=institution)
        tasks = tasks.filter(cond)
    if deadline_passed:
        tasks = tasks.filter(deadline__lt=today or timezone.localdate())
    return tasks


@dataclass(frozen=True)
class TaskList:
    """The tasks a list shows (all that match, in order) and how many of them are closed but not confirmed."""

    tasks: QuerySet[Task]
    unconfirmed: int
    any_visible: bool


def task_list(user, *, status: str = "", institution: str = "", deadline_passed: bool = False,
              unconfirmed: bool = False) -> TaskList:
    """The user's tasks (task_visible_to) filtered, by deadline; with the count of those closed but not confirmed
    by the data over every matching row (not a page), and only those when `unconfirmed`."""
    visible = task_visible_to(user).order_by("deadline", "id")
    tasks = task_filter(visible, status=status, institution=institution, deadline_passed=deadline_passed)
    unconfirmed_ids = task_unconfirmed_ids(tasks)
    if unconfirmed:
        tasks = tasks.filter(pk__in=unconfirmed_ids)
    return TaskList(tasks=tasks, unconfirmed=len(unconfirmed_ids), any_visible=visible.exists())


def task_institution_count(user) -> int:
    """How many institutions the user's tasks belong to (up to 2: whether a list needs an institution filter)."""
    return len(task_visible_to(user).order_by().values_list("institution_id", flat=True).distinct()[:2])


# --- analytics ---------------------------------------------------------------------------------------


def evaluation_counts() -> list[dict]:
    """Decided cases by year, case kind and institution kind, with how many had a "Jāpilnveido"."""
    low = Rating.objects.filter(level__in=("needs_improvement",)).values("case")
    rows = (Case.objects.filter(state=CaseState.DECIDED)
            .values("decided_on__year", "kind", "institution__type__kind__code")
            .annotate(n=Count("id"), low=Count("id", filter=Q(pk__in=low))))
    grouped: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        key = (r["decided_on__year"], r["kind"], sector_of(r["institution__type__kind__code"]))
        grouped[key][0] += r["n"]
        grouped[key][1] += r["low"]
    labels = {"general": _("General"), "vocational": _("Vocational"), "preschool": _("Pre-school"),
              "other": _("Other")}
    return [{"year": y, "kind": CaseKind(k).label, "institution_kind": labels[s], "n": n, "needs_improvement": low}
            for (y, k, s), (n, low) in sorted(grouped.items(), key=lambda kv: (-kv[0][0], kv[0][1], kv[0][2]))]


def calibration_counts(*, year: int) -> dict[str, int]:
    """The year's decided evaluations in the shape of calibration-2024.yaml `accreditation`: cases by kind and
    sector, those with a criterion "to be improved", and the institutions whose transition to the unified school
    an evaluation of the year included (each counted once, by sector)."""
    low_cases = set(Rating.objects.filter(level="needs_improvement").values_list("case_id", flat=True))
    rows = Case.objects.filter(state=CaseState.DECIDED, decided_on__year=year).values_list(
        "pk", "kind", "institution__type__kind__code", "institution_id", "unified_school")
    out = {k: 0 for k in ("institution_accreditations", "general", "vocational", "institutions_with_needs_improvement",
                          "of_which_general", "of_which_vocational", "head_evaluations", "heads_general",
                          "heads_vocational", "heads_preschool", "heads_with_needs_improvement",
                          "unified_school_institutions_evaluated")}
    unified: dict[str, set[int]] = defaultdict(set)
    for pk, kind, kind_code, institution, unified_school in rows:
        sector, low = sector_of(kind_code), pk in low_cases
        if unified_school:
            unified[sector].add(institution)
        if kind == CaseKind.ACCREDITATION:
            out["institution_accreditations"] += 1
            out[sector] = out.get(sector, 0) + 1
            out["institutions_with_needs_improvement"] += low
            out[f"of_which_{sector}"] = out.get(f"of_which_{sector}", 0) + low
        else:
            out["head_evaluations"] += 1
            out[f"heads_{sector}"] = out.get(f"heads_{sector}", 0) + 1
            out["heads_with_needs_improvement"] += low
    out["unified_school_institutions_evaluated"] = len(set().union(*unified.values()))
    for sector in ("preschool", "general"):
        out[f"unified_school_{sector}"] = len(unified[sector])
    return out


def level_counts() -> dict[str, int]:
    rows = Rating.objects.filter(case__state=CaseState.DECIDED).values("level").annotate(n=Count("id"))
    found = {r["level"]: r["n"] for r in rows}
    return {lv.code: found.get(lv.code, 0) for lv in framework().levels}


def task_counts_by_domain(*, year_from: int, year_to: int) -> dict[str, int]:
    rows = (Task.objects.filter(set_on__year__gte=year_from, set_on__year__lte=year_to)
            .values("domain").annotate(n=Count("id")))
    found = {r["domain"]: r["n"] for r in rows}
    return {d.code: found.get(d.code, 0) for d in framework().domains}


def expert_consistency() -> dict:
    """Levels given per expert and per criterion, and self-rating vs commission divergence."""
    levels = [lv.code for lv in framework().levels]
    rank = {lv.code: lv.rank for lv in framework().levels}
    per_expert: dict[str, Counter] = defaultdict(Counter)
    per_criterion: dict[str, Counter] = defaultdict(Counter)
    diffs: dict[str, list[int]] = defaultdict(list)
    for username, criterion, level, self_level in Rating.objects.values_list(
            "rated_by__username", "criterion", "level", "self_level"):
        per_expert[username or "—"][level] += 1
        per_criterion[criterion][level] += 1
        if self_level in rank and level in rank:
            diffs[criterion].append(rank[self_level] - rank[level])

    def table(counter_map, order):
        return [{"key": k, "counts": [counter_map[k][lv] for lv in levels], "total": sum(counter_map[k].values())}
                for k in order]

    criteria = [c.code for c in framework().criteria] + [k for k in per_criterion if k == "F"]
    return {
        "levels": [framework().level(lv) for lv in levels],
        "per_expert": table(per_expert, sorted(per_expert)),
        "per_criterion": table(per_criterion, [c for c in criteria if c in per_criterion]),
        "divergence": [{"criterion": c, "n": len(diffs[c]), "mean": sum(diffs[c]) / len(diffs[c]),
                        "higher": sum(1 for d in diffs[c] if d > 0)}
                       for c in criteria if diffs.get(c)],
    }


# --- Self-evaluation reports ---

def _self_evaluation_base() -> QuerySet[SelfEvaluationReport]:
    return SelfEvaluationReport.objects.select_related("institution", "institution__founder")


def self_evaluation_visible_to(user) -> QuerySet[SelfEvaluationReport]:
    """IKVD staff read all; a founder its institutions'; a head their own (permissions.SELF_EVALUATION)."""
    return permissions.SELF_EVALUATION.scope(user, _self_evaluation_base())


def self_evaluation_get_for_user(*, user, pk) -> SelfEvaluationReport:
    return permissions.SELF_EVALUATION.get(user, _self_evaluation_base(), pk=pk)


def institutions_for_self_evaluation(user) -> QuerySet[Institution]:
    """The institutions whose head the user is (they write the report: registry HEADED_INSTITUTION)."""
    return HEADED_INSTITUTION.scope(user, Institution.objects.order_by("name"))


def self_evaluation_sections(report, *, public_only: bool = False) -> list[dict]:
    """The report's sections in the order of the data file, with title, text and visibility."""
    return [{"code": s.code, "title": s.name, "public": s.public, "text": (report.sections or {}).get(s.code, "")}
            for s in self_evaluation().sections if s.public or not public_only]


def self_evaluation_ratings(report) -> list[dict]:
    """One row per criterion of the framework: the self-rating and its justification."""
    rows = []
    for c in framework().criteria:
        r = (report.self_ratings or {}).get(c.code) or {}
        level = r.get("level", "")
        try:
            level_name = framework().level(level).name if level else ""
        except KeyError:
            level_name = level
        rows.append({"criterion": c, "level": level, "level_name": level_name,
                     "justification": r.get("justification", "")})
    return rows


def self_evaluation_goals(report) -> list[dict]:
    """The head's goals of the report, each deadline as a date (the report's JSON keeps it as an ISO date; one
    that is not a date is shown as it is)."""
    rows = []
    for goal in report.goals or []:
        row = dict(goal)
        try:
            row["deadline"] = datetime.date.fromisoformat(str(row.get("deadline") or ""))
        except ValueError:
            pass
        rows.append(row)
    return rows


def published_self_evaluation(institution) -> dict | None:
    """The public part of the institution's latest published self-evaluation report (for the public
    profile): only public sections (and the goals when the data file makes them public); nothing
    from a report that is not published."""
    report = (SelfEvaluationReport.objects.filter(institution=institution, state=SelfEvaluationState.PUBLISHED)
              .order_by("-school_year", "-published_at").first())
    if report is None:
        return None
    spec = self_evaluation()
    return {"school_year": report.school_year, "published_at": report.published_at,
            "head_name": report.head_name,
            "sections": [s for s in self_evaluation_sections(report, public_only=True) if s["text"]],
            "goals": self_evaluation_goals(report) if spec.goals_public else [],
            "ratings": self_evaluation_ratings(report) if spec.ratings_public else []}


# --- the accreditation experts register (issue 14 item 6) ----------------------------------------------------


def active_experts(on: datetime.date | None = None) -> QuerySet:
    """Users holding the accreditation expert role on the day (today by default), by name."""
    from ikms.accounts.models import User

    day = on or timezone.localdate()
    return (User.objects.filter(role_assignments__role=Role.ACCREDITATION_EXPERT, role_assignments__valid_from__lte=day)
            .filter(Q(role_assignments__valid_to__isnull=True) | Q(role_assignments__valid_to__gte=day))
            .distinct().order_by("last_name", "first_name", "username"))


def evaluation_period(case: Case) -> tuple[datetime.date, datetime.date]:
    """The days the commission is expected to work on the case: the planned evaluation when it is set, else the
    application date and the configured window after it (settings.IKMS_ACCREDITATION_EVALUATION_WINDOW_DAYS)."""
    if case.visit_start and case.visit_end:
        return case.visit_start, case.visit_end
    window = datetime.timedelta(days=settings.IKMS_ACCREDITATION_EVALUATION_WINDOW_DAYS)
    return case.applied_on, case.applied_on + window


def conflict_reason(conflict: ExpertConflict) -> str:
    if conflict.kind == ConflictKind.WORKED and conflict.until:
        kind = gettext("worked at this institution until %(date)s") % {"date": date_format(conflict.until)}
    else:
        kind = conflict.get_kind_display()
    return gettext("conflict of interest: %(kind)s") % {"kind": kind}


def unavailability_reason(period: ExpertUnavailability) -> str:
    return gettext("not available %(start)s–%(end)s") % {"start": date_format(period.starts_on),
                                                         "end": date_format(period.ends_on)}


def expert_exclusions(case: Case, user_ids: Iterable[int] | None = None) -> dict[int, list[str]]:
    """Why each expert may not sit on this case's commission (user id → reasons): a conflict of interest declared
    with the case's institution, or unavailability overlapping the evaluation period. Experts not named have none."""
    start, end = evaluation_period(case)
    conflicts = ExpertConflict.objects.filter(institution_id=case.institution_id).select_related("profile")
    periods = ExpertUnavailability.objects.filter(starts_on__lte=end, ends_on__gte=start).select_related("profile")
    if user_ids is not None:
        ids = list(user_ids)
        conflicts = conflicts.filter(profile__user_id__in=ids)
        periods = periods.filter(profile__user_id__in=ids)
    out: dict[int, list[str]] = defaultdict(list)
    for conflict in conflicts:
        out[conflict.profile.user_id].append(conflict_reason(conflict))
    for period in periods:
        out[period.profile.user_id].append(unavailability_reason(period))
    return dict(out)


def expert_get(pk: int):
    """A user holding (or having held) the expert role, or Http404."""
    from django.http import Http404

    from ikms.accounts.models import User

    user = User.objects.filter(pk=pk, role_assignments__role=Role.ACCREDITATION_EXPERT).first()
    if user is None:
        raise Http404
    return user


def expert_profile_of(user) -> ExpertProfile | None:
    return (ExpertProfile.objects.filter(user=user).prefetch_related("areas", "unavailability", "training",
                                                                     "conflicts__institution").first())


@dataclass(frozen=True)
class TrainingRow:
    """One completed course on an expert's entry: recorded by hand (`ExpertTraining`, removable) or an IKMS course
    the expert completed (from ikms.courses, with its certificate number; never copied into `ExpertTraining`)."""

    course: str
    hours: int
    completed_on: datetime.date
    recorded: ExpertTraining | None = None
    certificate_number: str = ""

    @property
    def from_courses(self) -> bool:
        return self.recorded is None


def expert_training(expert, profile: ExpertProfile | None = None, completed: list | None = None
                    ) -> tuple[list[TrainingRow], int]:
    """An expert's completed training, the latest first: the IKMS courses completed and the training recorded on
    the entry, with the total hours. A recorded row naming the same course on the same day as a completed IKMS
    course is the same training: it is shown (and counted) once, as the IKMS course."""
    completed = courses.completed_training(expert) if completed is None else completed
    rows = [TrainingRow(course=c.course, hours=c.hours, completed_on=c.completed_on,
                        certificate_number=c.certificate_number) for c in completed]
    seen = {(name.casefold(), c.completed_on) for c in completed for name in (c.course, c.course_lv) if name}
    recorded = profile.training.all() if profile is not None else ExpertTraining.objects.filter(profile__user=expert)
    rows += [TrainingRow(course=t.course, hours=t.hours, completed_on=t.completed_on, recorded=t)
             for t in recorded if (t.course.casefold(), t.completed_on) not in seen]
    rows.sort(key=lambda r: r.completed_on, reverse=True)
    return rows, sum(r.hours for r in rows)


@dataclass
class ExpertRow:
    user: object
    profile: ExpertProfile | None
    completed_courses: list = field(default_factory=list)

    @property
    def areas(self) -> list:
        return list(self.profile.areas.all()) if self.profile else []

    @property
    def languages(self) -> list[str]:
        return self.profile.language_names if self.profile else []

    @property
    def training_hours(self) -> int:
        """Hours of the training recorded on the entry and of the IKMS courses completed (`expert_training`)."""
        if self.profile is None and not self.completed_courses:
            return 0
        return expert_training(self.user, self.profile, self.completed_courses)[1]

    @property
    def conflict_count(self) -> int:
        return len(self.profile.conflicts.all()) if self.profile else 0


def expert_register(*, area=None, language: str = "", available_on: datetime.date | None = None) -> list[ExpertRow]:
    """The register's rows: every active expert with their entry, filtered by area (an InstitutionKind), language
    of instruction and availability on a day."""
    users = list(active_experts())
    profiles = {p.user_id: p for p in ExpertProfile.objects.filter(user__in=users)
                .prefetch_related("areas", "training", "conflicts", "unavailability")}
    completed = courses.completed_training_by_user(users)
    rows = [ExpertRow(u, profiles.get(u.pk), completed.get(u.pk, [])) for u in users]
    if area is not None:
        rows = [r for r in rows if r.profile and any(a.pk == area.pk for a in r.profile.areas.all())]
    if language:
        rows = [r for r in rows if r.profile and language in r.profile.languages]
    if available_on is not None:
        rows = [r for r in rows if not r.profile or not any(p.starts_on <= available_on <= p.ends_on
                                                            for p in r.profile.unavailability.all())]
    return rows
