"""The quality framework (domains, criteria, levels, versions, decision rules), read from
data/framework.yaml at runtime and validated strictly (ADR 0011): unknown or missing keys and
dangling references raise FrameworkError, so a bad edit fails at start-up, not in a case."""

import datetime
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from django.utils.translation import get_language

PATH = Path(__file__).parent / "data" / "framework.yaml"


class FrameworkError(ValueError):
    """The framework file is invalid (message in English and Latvian)."""


def _lang_en() -> bool:
    return (get_language() or "lv").startswith("en")


@dataclass(frozen=True)
class _Named:
    code: str
    name_lv: str
    name_en: str

    @property
    def name(self) -> str:
        return self.name_en if _lang_en() else self.name_lv

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Level(_Named):
    rank: int = 0
    description_lv: str = ""
    description_en: str = ""
    description_inferred: bool = False

    @property
    def description(self) -> str:
        """What the level means (the descriptor shown beside it where a level is chosen)."""
        return self.description_en if _lang_en() else self.description_lv


@dataclass(frozen=True)
class Criterion(_Named):
    domain: str = ""
    inferred: bool = False
    #: The criterion's own descriptors of some levels: ((level code, text lv, text en), ...).
    descriptors: tuple[tuple[str, str, str], ...] = ()

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"

    def descriptor(self, level: "Level") -> str:
        """What `level` means for this criterion: its own descriptor, else the level's."""
        for code, text_lv, text_en in self.descriptors:
            if code == level.code:
                return text_en if _lang_en() else text_lv
        return level.description


@dataclass(frozen=True)
class Domain(_Named):
    number: int = 0
    criteria: tuple[Criterion, ...] = ()


@dataclass(frozen=True)
class Rule:
    condition: str
    outcome: str
    levels: tuple[str, ...] = ()
    count: int = 1
    years: int | None = None
    tasks: bool = False

    def matches(self, levels: list[str]) -> bool:
        if self.condition == "always":
            return True
        hits = sum(1 for lv in levels if lv in self.levels)
        return hits >= (self.count if self.condition == "count_at_least" else 1)


@dataclass(frozen=True)
class Proposal:
    outcome: str  # accredit | refuse
    years: int | None
    tasks: bool


@dataclass(frozen=True)
class Version(_Named):
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    legal_basis: str = ""
    levels: tuple[str, ...] = ()
    levels_inferred: bool = False
    institution_criteria: tuple[str, ...] = ()
    head_criteria: tuple[str, ...] = ()
    founder_criterion: bool = False
    rules: tuple[Rule, ...] = field(default=())
    rules_inferred: bool = True

    def propose(self, levels: list[str]) -> Proposal:
        """What the decision rule proposes for a set of criterion levels."""
        for rule in self.rules:
            if rule.matches(levels):
                return Proposal(rule.outcome, rule.years, rule.tasks)
        raise FrameworkError("no decision rule matched / neviens lēmuma noteikums neatbilst")


@dataclass(frozen=True)
class Framework:
    levels: tuple[Level, ...]
    domains: tuple[Domain, ...]
    versions: tuple[Version, ...]

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for d in self.domains for c in d.criteria)

    def criterion(self, code: str) -> Criterion:
        for c in self.criteria:
            if c.code == code:
                return c
        raise KeyError(code)

    def level(self, code: str) -> Level:
        for lv in self.levels:
            if lv.code == code:
                return lv
        raise KeyError(code)

    def domain(self, code: str) -> Domain:
        for d in self.domains:
            if d.code == code:
                return d
        raise KeyError(code)

    def version(self, code: str) -> Version:
        for v in self.versions:
            if v.code == code:
                return v
        raise KeyError(code)

    def version_on(self, day: datetime.date) -> Version:
        """The version in force on a day (the newest that has started)."""
        started = [v for v in self.versions if v.valid_from is None or v.valid_from <= day]
        return (started or list(self.versions))[-1]


def _keys(obj, where: str, required: set[str], optional: set[str] = frozenset()) -> dict:
    if not isinstance(obj, dict):
        raise FrameworkError(f"{where}: expected a mapping / gaidīta vārdnīca")
    unknown = set(obj) - required - set(optional)
    if unknown:
        raise FrameworkError(f"{where}: unknown keys / nezināmas atslēgas: {sorted(unknown)}")
    missing = required - set(obj)
    if missing:
        raise FrameworkError(f"{where}: missing keys / trūkst atslēgu: {sorted(missing)}")
    return obj


def parse(data) -> Framework:
    """Validate the parsed YAML and build the framework."""
    _keys(data, "framework", {"levels", "domains", "versions", "decision_rules"})
    levels = tuple(Level(**_keys(lv, f"levels[{i}]", {"code", "rank", "name_lv", "name_en"},
                                 {"description_lv", "description_en", "description_inferred"}))
                   for i, lv in enumerate(data["levels"]))
    level_codes = [lv.code for lv in levels]
    if len(set(level_codes)) != len(level_codes) or [lv.rank for lv in levels] != sorted(lv.rank for lv in levels):
        raise FrameworkError("levels: codes must be unique and ordered by rank / "
                             "līmeņiem jābūt unikāliem un sakārtotiem")
    domains, seen = [], set()
    for i, d in enumerate(data["domains"]):
        _keys(d, f"domains[{i}]", {"code", "number", "name_lv", "name_en", "criteria"})
        crits = []
        for j, c in enumerate(d["criteria"]):
            _keys(c, f"domains[{i}].criteria[{j}]", {"code", "name_lv", "name_en"}, {"inferred", "descriptors"})
            if c["code"] in seen:
                raise FrameworkError(f"criterion {c['code']} repeated / kritērijs atkārtojas")
            seen.add(c["code"])
            descriptors = []
            for level, texts in (c.get("descriptors") or {}).items():
                if level not in level_codes:
                    raise FrameworkError(f"criterion {c['code']}: unknown level / nezināms līmenis {level}")
                _keys(texts, f"criterion {c['code']}.descriptors.{level}", {"lv", "en"})
                descriptors.append((level, texts["lv"], texts["en"]))
            crits.append(Criterion(code=str(c["code"]), name_lv=c["name_lv"], name_en=c["name_en"], domain=d["code"],
                                   inferred=bool(c.get("inferred", False)), descriptors=tuple(descriptors)))
        domains.append(Domain(code=d["code"], number=int(d["number"]), name_lv=d["name_lv"], name_en=d["name_en"],
                              criteria=tuple(crits)))
    rule_sets = {}
    for name, rs in (data["decision_rules"] or {}).items():
        _keys(rs, f"decision_rules.{name}", {"rules"}, {"inferred"})
        rules = []
        for k, r in enumerate(rs["rules"]):
            _keys(r, f"decision_rules.{name}[{k}]", {"condition", "outcome"}, {"levels", "count", "years", "tasks"})
            if r["condition"] not in ("any_level_in", "count_at_least", "always"):
                raise FrameworkError(f"decision_rules.{name}[{k}]: unknown condition / nezināms nosacījums")
            if r["outcome"] not in ("accredit", "refuse"):
                raise FrameworkError(f"decision_rules.{name}[{k}]: unknown outcome / nezināms iznākums")
            if r["outcome"] == "accredit" and not r.get("years"):
                raise FrameworkError(f"decision_rules.{name}[{k}]: accredit needs years / jānorāda gadi")
            bad = set(r.get("levels", [])) - set(level_codes)
            if bad:
                raise FrameworkError(f"decision_rules.{name}[{k}]: unknown levels / nezināmi līmeņi {sorted(bad)}")
            rules.append(Rule(condition=r["condition"], outcome=r["outcome"], levels=tuple(r.get("levels", [])),
                              count=int(r.get("count", 1)), years=r.get("years"), tasks=bool(r.get("tasks", False))))
        if not rules or rules[-1].condition != "always":
            raise FrameworkError(f"decision_rules.{name}: the last rule must be 'always' / pēdējam jābūt 'always'")
        rule_sets[name] = (tuple(rules), bool(rs.get("inferred", False)))
    versions = []
    for i, v in enumerate(data["versions"]):
        _keys(v, f"versions[{i}]", {"code", "name_lv", "name_en", "valid_from", "valid_to", "legal_basis", "levels",
                                   "institution_criteria", "head_criteria", "founder_criterion", "decision_rule"},
              {"levels_inferred"})
        if set(v["levels"]) - set(level_codes):
            raise FrameworkError(f"versions[{i}]: unknown levels / nezināmi līmeņi")
        inst = tuple(seen_code for d in domains for seen_code in (c.code for c in d.criteria)) \
            if v["institution_criteria"] == "all" else tuple(v["institution_criteria"])
        for code in (*inst, *v["head_criteria"]):
            if code not in seen:
                raise FrameworkError(f"versions[{i}]: unknown criterion / nezināms kritērijs {code}")
        if v["decision_rule"] not in rule_sets:
            raise FrameworkError(f"versions[{i}]: unknown decision rule / nezināms lēmuma noteikums")
        rules, rules_inferred = rule_sets[v["decision_rule"]]
        versions.append(Version(code=v["code"], name_lv=v["name_lv"], name_en=v["name_en"],
                                valid_from=v["valid_from"], valid_to=v["valid_to"], legal_basis=v["legal_basis"],
                                levels=tuple(v["levels"]), levels_inferred=bool(v.get("levels_inferred", False)),
                                institution_criteria=inst, head_criteria=tuple(v["head_criteria"]),
                                founder_criterion=bool(v["founder_criterion"]), rules=rules,
                                rules_inferred=rules_inferred))
    if not versions:
        raise FrameworkError("versions: at least one / vismaz viena versija")
    return Framework(levels=levels, domains=tuple(domains), versions=tuple(versions))


@cache
def framework() -> Framework:
    """The framework of data/framework.yaml (read once per process)."""
    return parse(yaml.safe_load(PATH.read_text(encoding="utf-8")))


def version_choices() -> list[tuple[str, str]]:
    return [(v.code, v.name) for v in framework().versions]


def level_choices() -> list[tuple[str, str]]:
    return [(lv.code, lv.name) for lv in framework().levels]


# --- Self-evaluation report sections (data/self_evaluation.yaml, domain.md §2.1) ---

SELF_EVALUATION_PATH = Path(__file__).parent / "data" / "self_evaluation.yaml"


@dataclass(frozen=True)
class Section(_Named):
    public: bool = False
    inferred: bool = False


@dataclass(frozen=True)
class SelfEvaluationSpec:
    sections: tuple[Section, ...]
    goals_public: bool
    ratings_public: bool

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.sections)

    @property
    def public_sections(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.public)


def parse_self_evaluation(data) -> SelfEvaluationSpec:
    """Validate the parsed YAML of the self-evaluation sections."""
    _keys(data, "self_evaluation", {"sections", "goals_public", "ratings_public"})
    sections, seen = [], set()
    for i, s in enumerate(data["sections"] or []):
        _keys(s, f"sections[{i}]", {"code", "public", "name_lv", "name_en"}, {"inferred"})
        if s["code"] in seen:
            raise FrameworkError(f"section {s['code']} repeated / sadaļa atkārtojas")
        seen.add(s["code"])
        sections.append(Section(code=str(s["code"]), name_lv=s["name_lv"], name_en=s["name_en"],
                                public=bool(s["public"]), inferred=bool(s.get("inferred", False))))
    if not sections:
        raise FrameworkError("sections: at least one / vismaz viena sadaļa")
    return SelfEvaluationSpec(sections=tuple(sections), goals_public=bool(data["goals_public"]),
                              ratings_public=bool(data["ratings_public"]))


@cache
def self_evaluation() -> SelfEvaluationSpec:
    """The sections of data/self_evaluation.yaml (read once per process)."""
    return parse_self_evaluation(yaml.safe_load(SELF_EVALUATION_PATH.read_text(encoding="utf-8")))
