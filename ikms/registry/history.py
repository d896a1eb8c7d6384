"""Register history in words: what a decision changed and what each saved version of an entry changed, as
field labels with old → new values, in the active language.

A decision's `changes` (written by services.py) and a version's saved values (django-reversion) hold codes and
ids: `{"head_name": {"old": …, "new": …}}`, `{"type": {"id": 5, "label": …}}`, `type_id: 5`, `"2024-03-01"`.
Here each value is read through its model field: a foreign key shows the object's name (one query per model
for a whole page), a choice its label, a date dd.mm.gggg., a yes/no field Jā/Nē, an empty value "—"."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reversion.errors import RevertError
from reversion.models import Version

from ikms.core.formatting import date_text
from ikms.registry.choices import AmendmentReason, DecisionKind, LicenceEntryKind, StrikeOffReason
from ikms.registry.models import Accreditation, Decision, ImplementationPlace, Institution, Programme

EMPTY = "—"

#: Fields never shown in a version's changes (identity and timestamps).
HIDDEN_FIELDS = frozenset({"id", "created_at", "updated_at"})

LICENCE_KINDS = frozenset({DecisionKind.LICENCE_ISSUE, DecisionKind.LICENCE_AMEND, DecisionKind.LICENCE_ANNUL,
                           DecisionKind.LICENCE_LAPSE})
ACCREDITATION_KINDS = frozenset({DecisionKind.ACCREDITATION_GRANT, DecisionKind.ACCREDITATION_EXTEND,
                                 DecisionKind.ACCREDITATION_REFUSE})

_REASONS = {**dict(StrikeOffReason.choices), **dict(AmendmentReason.choices), **dict(LicenceEntryKind.choices)}


@dataclass(frozen=True)
class Change:
    """One changed field: its label, and its value before (None: no earlier value is recorded) and after."""

    label: str
    new: str
    old: str | None = None

    @property
    def has_old(self) -> bool:
        return self.old is not None

    def __str__(self) -> str:
        return f"{self.label}: {self.old} → {self.new}" if self.has_old else f"{self.label}: {self.new}"


@dataclass
class VersionEntry:
    """One saved version of a register entry: when, under which decision, by whom, and what changed."""

    at: datetime.datetime
    number: str
    user: Any
    changes: list[Change] = field(default_factory=list)
    decision_id: int | None = None
    unreadable: bool = False
    initial: bool = False  # the first version: its changes are the values the entry was recorded with


def format_date(value: datetime.date) -> str:
    """The date as the pages write it: 27.03.2025. in Latvian, 27 March 2025 in English (ikms.core.formatting)."""
    return date_text(value)


def reason_label(decision: Decision) -> str:
    """The reason of a decision (amendment, strike-off, or what a licence decision records in VIIS) in words."""
    return str(_REASONS.get(decision.reason, decision.reason)) if decision.reason else ""


def _is_empty(value: Any) -> bool:
    return value is None or value in ("", [], {})


def _pk_of(value: Any) -> Any:
    """The primary key in a stored foreign-key value: {"id": 5, "label": …} (decisions) or 5 (versions)."""
    return value.get("id") if isinstance(value, dict) else value


class _Values:
    """Turns stored values into words. Values are first `note`d, so that the objects behind foreign keys are
    read with one query per model (`load`), then `show`n."""

    def __init__(self) -> None:
        self._wanted: dict[type[models.Model], set] = defaultdict(set)
        self._objects: dict[type[models.Model], dict] = {}

    def note(self, field: models.Field | None, value: Any) -> None:
        if field is not None and field.is_relation and field.related_model is not None:
            for item in value if isinstance(value, list) else [value]:
                pk = _pk_of(item)
                if isinstance(pk, int | str) and pk != "":
                    self._wanted[field.related_model].add(pk)

    def load(self) -> None:
        for model, pks in self._wanted.items():
            self._objects[model] = model._default_manager.in_bulk(list(pks))

    def show(self, field: models.Field | None, value: Any) -> str:
        if _is_empty(value):
            return EMPTY
        if isinstance(value, list):
            return "; ".join(self.show(field, item) for item in value)
        if field is not None and field.is_relation and field.related_model is not None:
            obj = self._objects.get(field.related_model, {}).get(_pk_of(value))
            if obj is not None:
                return str(obj)
            return str(value.get("label") or EMPTY) if isinstance(value, dict) else EMPTY
        if isinstance(value, dict):
            return str(value.get("label", EMPTY))
        if field is not None and field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(field, models.BooleanField) or isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            if isinstance(value, str):
                try:
                    value = datetime.date.fromisoformat(value)
                except ValueError:
                    return value
            if isinstance(value, datetime.date):
                return format_date(value)
        return str(value)


def _field(model: type[models.Model], name: str) -> models.Field | None:
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def _label(field: models.Field | None, key: str) -> str:
    if field is not None:
        return capfirst(str(field.verbose_name))
    return capfirst(key.replace("_", " "))


# --- Decisions ----------------------------------------------------------------------------------------------

#: Keys of `Decision.changes` that are not fields of the decided entry: (model whose field they are, field),
#: or a label of their own.
_SPECIAL_KEYS: dict[str, tuple[type[models.Model], str]] = {
    "licence_status": (Programme, "status"),
    "lapsed_programmes": (Decision, "programme"),
}


def _subject_model(decision: Decision) -> type[models.Model]:
    if decision.kind in LICENCE_KINDS:
        return Programme
    if decision.kind in ACCREDITATION_KINDS:
        return Accreditation
    return Institution


@dataclass
class _Row:
    field: models.Field | None
    label: str
    new: Any
    old: Any = None
    has_old: bool = False
    order: int = 10_000


def _order(model: type[models.Model], field: models.Field | None) -> int:
    """Rows follow the order of the model's fields; keys that are not its fields come last."""
    names = [f.name for f in model._meta.fields]
    return names.index(field.name) if field is not None and field.model is model and field.name in names else 10_000


def _decision_rows(decision: Decision) -> list[_Row]:
    model = _subject_model(decision)
    changes = decision.changes if isinstance(decision.changes, dict) else {}
    rows: list[_Row] = []

    def add(key: str, value: Any, *, old: Any = None, has_old: bool = False) -> None:
        if key in _SPECIAL_KEYS:
            owner, name = _SPECIAL_KEYS[key]
            f = _field(owner, name)
            label = _("Lapsed licences") if key == "lapsed_programmes" else _label(f, key)
        elif key == "places":
            f = None
            label = capfirst(str(ImplementationPlace._meta.verbose_name_plural))
        else:
            f = _field(model, key)
            label = _label(f, key)
        rows.append(_Row(f, label, value, old, has_old, _order(model, f)))

    for key, value in changes.items():
        if key == "revoked":  # the page shows which decision is revoked
            continue
        if key == "previous" and "valid_until" in changes:
            continue
        if key in ("entry", "undone") and isinstance(value, dict):
            for sub, sub_value in value.items():
                add(sub, sub_value)
        elif key == "valid_until" and "previous" in changes:
            add(key, value, old=changes["previous"], has_old=True)
        elif key == "lapsed_programmes" and not value:
            continue
        elif isinstance(value, dict) and set(value) == {"old", "new"}:
            add(key, value["new"], old=value["old"], has_old=True)
        else:
            add(key, value)
    rows.sort(key=lambda r: r.order)
    return rows


def decision_changes(decision: Decision) -> list[Change]:
    """What a decision changed in its entry, in words (field label, old → new)."""
    rows = _decision_rows(decision)
    values = _Values()
    for row in rows:
        values.note(row.field, row.new)
        values.note(row.field, row.old)
    values.load()
    return [Change(label=row.label, new=values.show(row.field, row.new),
                   old=values.show(row.field, row.old) if row.has_old else None) for row in rows]


# --- Versions of register entries ---------------------------------------------------------------------------


def _shown_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in HIDDEN_FIELDS]


def _saved_values(version: Version) -> dict[str, Any] | None:
    try:
        return dict(version.field_dict)
    except RevertError:
        return None


def _version_entries(versions: list[Version]) -> list[VersionEntry]:
    """Versions oldest first → entries with the fields each changed against the one before."""
    values = _Values()
    pending: list[tuple[VersionEntry, list[tuple[models.Field, Any, Any, bool]]]] = []
    previous: dict[str, Any] | None = None
    for version in versions:
        revision = version.revision
        entry = VersionEntry(at=revision.date_created, number=revision.comment, user=revision.user)
        saved = _saved_values(version)
        diffs: list[tuple[models.Field, Any, Any, bool]] = []
        if saved is None:
            entry.unreadable = True
        else:
            entry.initial = previous is None
            for f in _shown_fields(version._model):
                new = saved.get(f.attname)
                if previous is None:
                    if not _is_empty(new):
                        diffs.append((f, new, None, False))
                elif previous.get(f.attname) != new:
                    diffs.append((f, new, previous.get(f.attname), True))
            for f, new, old, _has_old in diffs:
                values.note(f, new)
                values.note(f, old)
            previous = saved
        pending.append((entry, diffs))
    values.load()
    entries = []
    for entry, diffs in pending:
        entry.changes = [Change(label=_label(f, f.name), new=values.show(f, new),
                                old=values.show(f, old) if has_old else None) for f, new, old, has_old in diffs]
        entries.append(entry)
    return entries


def object_history(obj: models.Model, *, limit: int = 100) -> list[VersionEntry]:
    """The saved versions of a register entry, newest first, each with only the fields it changed (the first
    version: the values it was recorded with), its decision number and who saved it."""
    versions = list(Version.objects.get_for_object(obj).select_related("revision", "revision__user")[:limit + 1])
    versions.reverse()  # oldest first
    entries = _version_entries(versions)
    if len(versions) > limit:  # the oldest was read only to compare the next one with
        entries = entries[1:]
    numbers = {e.number for e in entries if e.number}
    decisions = dict(Decision.objects.filter(number__in=numbers).values_list("number", "pk")) if numbers else {}
    for entry in entries:
        entry.decision_id = decisions.get(entry.number)
    entries.reverse()
    return entries

