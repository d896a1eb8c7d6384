"""Load the YAML definitions into typed specs and validate them.

Every error is a `SpecError` naming the file and the offending key, so a definition author can
fix it without reading this code. Versions are content hashes: sha256 of the spec's canonical
JSON (defaults filled in, key order and YAML formatting irrelevant) plus the revision of the
measure builder it uses; the catalogue's version hashes all of them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import yaml

from analytics.lake.schemas import DATASETS, INSTITUTIONS, Dataset
from analytics.spec.model import (
    COMBINE_MODES,
    DEFAULT_MIN_DENOMINATOR,
    EVIDENCE_EXTRA,
    EVIDENCE_FIELDS,
    EVIDENCE_QUANTITIES,
    FILTER_OPERATORS,
    GRAIN_DIMS,
    GRAIN_UNITS,
    HASHED_WHEN_SET,
    IMPORTANCE,
    INDICATOR_TYPES,
    INSTITUTION_TYPES,
    LANGUAGES,
    PERIOD_TYPES,
    PERIODS,
    PLURAL_CATEGORIES,
    RELATIVE_TO_NATION,
    RULE_OPERATORS,
    Catalogue,
    Condition,
    Filter,
    FilterValue,
    Indicator,
    MeasureSignature,
    Operand,
    Parameter,
    RiskRule,
    Scalar,
    Text,
    Unit,
)
from analytics.spec.texts import TEXT_FIELDS, TemplateError, literal_text, placeholders

DEFINITIONS_ROOT = Path(__file__).resolve().parent.parent / "definitions"

INDICATOR_KEYS = frozenset({
    "code", "name", "description", "type", "measure", "sources", "numerator", "denominator", "factor", "grain",
    "category", "filters", "params", "min_denominator", "relative_to_nation", "rule", "institution_types",
    "technical", "units",
})
RULE_KEYS = frozenset({
    "code", "name", "description", "applies_to", "left", "operator", "right", "parameters", "importance",
    "period_type", "periods", "combine", "combine_by_type", "min_denominator", "min_numerator", "missing_value",
    "evidence",
})
PARAMETER_KEYS = ("value", "from", "unit", "label")
PARAMETER_SOURCES = ("indicator",)
EVIDENCE_KEYS = ("fields", "units", "text")
UNIT_KEYS = ("lv", "en", "digits")
UNITS_FILE = "units.yaml"
#: A code name (snake_case) written in a text instead of a placeholder or words.
CODE_NAME = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
#: A data field (`dataset.column`) written in a text meant for people.
FIELD_NAME = re.compile(r"\b[a-z][a-z0-9_]+\.[a-z][a-z0-9_]+\b")
INDICATOR_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
RULE_CODE = re.compile(r"^R[0-9]+$")


class SpecError(ValueError):
    """A definition file is malformed or inconsistent; the message names the file and key."""


def all_datasets() -> dict[str, Dataset]:
    """The lake's datasets plus the institutions register dimension."""
    return {**DATASETS, INSTITUTIONS.name: INSTITUTIONS}


# --- small typed readers ---------------------------------------------------------------------------------------


class _Where:
    """Where in which file we are, for error messages."""

    def __init__(self, path: Path | str, context: str = "") -> None:
        self.path = str(path)
        self.context = context

    def at(self, context: str) -> _Where:
        return _Where(self.path, f"{self.context}: {context}" if self.context else context)

    def error(self, message: str) -> SpecError:
        where = f"{self.path}: {self.context}" if self.context else self.path
        return SpecError(f"{where}: {message}")


def _mapping(value: object, where: _Where, allowed: Iterable[str], required: Iterable[str] = ()) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise where.error(f"expected a mapping, got {type(value).__name__}")
    allowed = frozenset(allowed)
    for key in value:
        if key not in allowed:
            raise where.error(f"unknown key {key!r} (allowed: {', '.join(sorted(allowed))})")
    for key in required:
        if key not in value or value[key] is None:
            raise where.error(f"missing required key {key!r}")
    return value


def _str(value: object, where: _Where, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise where.error(f"key {key!r}: expected a non-empty string, got {value!r}")
    return value


def _choice(value: object, where: _Where, key: str, choices: Iterable[str]) -> str:
    choices = tuple(choices)
    text = _str(value, where, key)
    if text not in choices:
        raise where.error(f"key {key!r}: unknown value {text!r} (allowed: {', '.join(choices)})")
    return text


def _str_list(value: object, where: _Where, key: str, choices: Iterable[str] | None = None) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise where.error(f"key {key!r}: expected a non-empty list, got {value!r}")
    items = tuple(_choice(v, where, key, choices) if choices is not None else _str(v, where, key) for v in value)
    if len(set(items)) != len(items):
        raise where.error(f"key {key!r}: duplicate entries in {list(items)}")
    return items


def _number(value: object, where: _Where, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise where.error(f"key {key!r}: expected a number, got {value!r}")
    return float(value)


def _int(value: object, where: _Where, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise where.error(f"key {key!r}: expected a non-negative integer, got {value!r}")
    return value


def _text(value: object, where: _Where, key: str) -> Text:
    inner = where.at(key)
    data = _mapping(value, inner, ("lv", "en"), ("lv", "en"))
    return Text(lv=_str(data["lv"], inner, "lv"), en=_str(data["en"], inner, "en"))


def _params(value: object, where: _Where) -> dict[str, Scalar]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise where.error("key 'params': expected a mapping of name: value")
    out: dict[str, Scalar] = {}
    for name, item in value.items():
        if not isinstance(name, str) or not INDICATOR_CODE.match(name):
            raise where.error(f"key 'params': bad parameter name {name!r}")
        if not isinstance(item, str | int | float | bool | dt.date):
            raise where.error(f"key 'params.{name}': expected a scalar, got {item!r}")
        out[name] = item
    return out


# --- filters -------------------------------------------------------------------------------------------------

_ARROW_KINDS: tuple[tuple[Any, type | tuple[type, ...]], ...] = (
    (pa.types.is_boolean, bool),
    (pa.types.is_integer, int),
    (pa.types.is_floating, (int, float)),
    (pa.types.is_string, str),
    (pa.types.is_date, dt.date),
)


def _check_filter_value(value: object, dataset: Dataset, column: str, where: _Where) -> None:
    col = dataset.column(column)
    expected = next((kind for test, kind in _ARROW_KINDS if test(col.type)), None)
    if expected is None:
        raise where.error(f"column {dataset.name}.{column} of type {col.type} cannot be filtered")
    if isinstance(value, bool) and expected is not bool:
        raise where.error(f"value {value!r} is not of the type of {dataset.name}.{column} ({col.type})")
    if not isinstance(value, expected):
        raise where.error(f"value {value!r} is not of the type of {dataset.name}.{column} ({col.type})")
    if col.allowed is not None and isinstance(value, str) and value not in col.allowed:
        raise where.error(f"value {value!r} is not allowed in {dataset.name}.{column} "
                          f"(allowed: {', '.join(col.allowed)})")


def _condition(raw: object, where: _Where) -> Condition:
    data = _mapping(raw, where, ("column", "op", "value"), ("column", "op"))
    ref = _str(data["column"], where, "column")
    if ref.count(".") != 1:
        raise where.error(f"key 'column': expected <dataset>.<column>, got {ref!r}")
    dataset_name, column = ref.split(".")
    datasets = all_datasets()
    if dataset_name not in datasets:
        raise where.error(f"key 'column': unknown dataset {dataset_name!r}")
    dataset = datasets[dataset_name]
    if column not in {c.name for c in dataset.columns}:
        raise where.error(f"key 'column': dataset {dataset_name!r} has no column {column!r}")
    op = _choice(data["op"], where, "op", FILTER_OPERATORS)
    if "value" not in data:
        raise where.error("missing required key 'value'")
    raw_value = data["value"]
    value: FilterValue
    if op in ("in", "not_in", "between"):
        if not isinstance(raw_value, list) or not raw_value or (op == "between" and len(raw_value) != 2):
            size = "two values" if op == "between" else "a non-empty list"
            raise where.error(f"key 'value': operator {op!r} needs {size}, got {raw_value!r}")
        for item in raw_value:
            _check_filter_value(item, dataset, column, where.at("value"))
        value = tuple(raw_value)
    else:
        _check_filter_value(raw_value, dataset, column, where.at("value"))
        value = raw_value
    return Condition(dataset=dataset_name, column=column, op=op, value=value)


def _filters(value: object, where: _Where) -> tuple[Filter, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise where.error("key 'filters': expected a list")
    out = []
    for i, raw in enumerate(value):
        inner = where.at(f"filters[{i}]")
        if isinstance(raw, dict) and "exclude" in raw:
            data = _mapping(raw, inner, ("exclude",))
            if not isinstance(data["exclude"], list) or not data["exclude"]:
                raise inner.error("key 'exclude': expected a non-empty list of conditions")
            conditions = tuple(_condition(c, inner.at(f"exclude[{j}]")) for j, c in enumerate(data["exclude"]))
            if len({c.dataset for c in conditions}) != 1:
                raise inner.error("key 'exclude': all conditions must be on the same dataset")
            out.append(Filter(conditions=conditions, exclude=True))
        else:
            out.append(Filter(conditions=(_condition(raw, inner),)))
    return tuple(out)


# --- indicators and rules --------------------------------------------------------------------------------------


def _numeric_params(params: Mapping[str, Scalar]) -> tuple[str, ...]:
    return tuple(name for name, v in params.items() if isinstance(v, int | float) and not isinstance(v, bool))


def _indicator_texts(data: Mapping[str, Any], where: _Where, params: Mapping[str, Scalar],
                     units: Mapping[str, Unit]) -> tuple[Text, Text, Text | None, dict[str, Unit]]:
    """The indicator's name, description and technical note, checked, and the units of its parameters.

    The name and description are for people: placeholders for numeric parameters, no code name or data field.
    The technical note may name fields and codes."""
    numeric = _numeric_params(params)
    raw_units = data.get("units") or {}
    if not isinstance(raw_units, dict):
        raise where.error("key 'units': expected a mapping of parameter: unit")
    param_units: dict[str, Unit] = {}
    for name, code in raw_units.items():
        if name not in numeric:
            raise where.error(f"key 'units': {name!r} is not one of the numeric params "
                              f"({', '.join(numeric) or 'none'})")
        unit = _unit(code, where, f"units.{name}", units)
        assert unit is not None
        param_units[name] = unit
    name = _text(data["name"], where, "name")
    description = _text(data["description"], where, "description")
    _check_template(name, where, "name", known=numeric, numeric=numeric)
    _check_template(description, where, "description", known=numeric, numeric=numeric)
    technical = None
    if data.get("technical") is not None:
        technical = _text(data["technical"], where, "technical")
        _check_template(technical, where, "technical", known=numeric, numeric=numeric, code_names=True)
    return name, description, technical, param_units


def _check_params_shown(ind: Indicator, where: _Where) -> None:
    """Every numeric parameter is stated in the description, so that changing it changes what the pages say (one
    that does not bear on the result, in the technical note)."""
    shown = {n for n, _ in placeholders(ind.description.lv)}
    if ind.technical is not None:
        shown |= {n for n, _ in placeholders(ind.technical.lv)}
    for param in _numeric_params(ind.params):
        if param not in shown:
            raise where.error(f"key 'description': parameter {param!r} is not shown: write {{{param}}} where the "
                              "description states it (or, if it does not bear on the result, in 'technical')")


def _parse_indicator(raw: object, where: _Where, text_units: Mapping[str, Unit]) -> Indicator:
    if isinstance(raw, dict) and isinstance(raw.get("code"), str):
        where = where.at(f"indicator {raw['code']!r}")
    data = _mapping(raw, where, INDICATOR_KEYS, ("code", "name", "description", "type", "sources", "grain"))
    code = _str(data["code"], where, "code")
    if not INDICATOR_CODE.match(code):
        raise where.error(f"key 'code': {code!r} is not snake_case")
    kind = _choice(data["type"], where, "type", INDICATOR_TYPES)
    grain_items = _str_list(data["grain"], where, "grain", GRAIN_UNITS + GRAIN_DIMS)
    units = tuple(g for g in GRAIN_UNITS if g in grain_items)
    if not units:
        raise where.error(f"key 'grain': needs at least one of {', '.join(GRAIN_UNITS)}")
    category = _str(data["category"], where, "category") if data.get("category") is not None else None
    dims = tuple(d for d in GRAIN_DIMS if d in grain_items) + (("category",) if category else ())
    sources = _str_list(data["sources"], where, "sources")
    for source in sources:
        if source not in all_datasets():
            raise where.error(f"key 'sources': unknown dataset {source!r} (known: {', '.join(all_datasets())})")
    factor = _number(data.get("factor", 1), where, "factor")
    relative = data.get("relative_to_nation")
    params = _params(data.get("params"), where)
    name, description, technical, param_units = _indicator_texts(data, where, params, text_units)
    return Indicator(
        code=code,
        name=name,
        description=description,
        technical=technical,
        param_units=param_units,
        type=kind,
        sources=sources,
        grain=units,
        dims=dims,
        measure=_str(data["measure"], where, "measure") if data.get("measure") is not None else None,
        numerator=_str(data["numerator"], where, "numerator") if data.get("numerator") is not None else None,
        denominator=_str(data["denominator"], where, "denominator") if data.get("denominator") is not None else None,
        factor=factor,
        category=category,
        filters=_filters(data.get("filters"), where),
        params=params,
        min_denominator=_int(data.get("min_denominator", DEFAULT_MIN_DENOMINATOR), where, "min_denominator"),
        relative_to_nation=_choice(relative, where, "relative_to_nation", RELATIVE_TO_NATION) if relative else None,
        rule=_str(data["rule"], where, "rule") if data.get("rule") is not None else None,
        institution_types=(_str_list(data["institution_types"], where, "institution_types", INSTITUTION_TYPES)
                           if data.get("institution_types") is not None else ()),
        path=where.path,
    )


# --- rule texts ------------------------------------------------------------------------------------------------


#: libyaml's parser where PyYAML was built with it (the wheels are): the same safe subset of YAML, about ten times
#: faster than the pure-Python one, which every process reading the catalogue would otherwise pay.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml(text: str) -> object:
    return yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 — a safe loader (C or Python)


def _load_units(root: Path) -> dict[str, Unit]:
    """The units texts may show numbers in (`units.yaml` beside the definition folders; none if it is absent)."""
    path = root / UNITS_FILE
    if not path.exists():
        return {}
    try:
        document = _yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SpecError(f"{path}: not valid YAML: {exc}") from exc
    where = _Where(path)
    raw_units = _mapping(document, where, ("units",), ("units",))["units"]
    if not isinstance(raw_units, dict):
        raise where.error("key 'units': expected a mapping of unit code: forms")
    units: dict[str, Unit] = {}
    for code, raw in raw_units.items():
        inner = where.at(f"unit {code!r}")
        if not isinstance(code, str) or not INDICATOR_CODE.match(code):
            raise inner.error("unit codes are snake_case")
        data = _mapping(raw, inner, UNIT_KEYS, LANGUAGES)
        forms: dict[str, dict[str, str]] = {}
        for lang in LANGUAGES:
            categories = PLURAL_CATEGORIES[lang]
            value = data[lang]
            if isinstance(value, str):
                forms[lang] = {c: _str(value, inner, lang) for c in categories}
                continue
            by_category = _mapping(value, inner.at(lang), categories, categories)
            forms[lang] = {c: _str(by_category[c], inner.at(lang), c) for c in categories}
        units[code] = Unit(code=code, forms=forms, digits=_int(data.get("digits", 1), inner, "digits"))
    return units


def _unit(value: object, where: _Where, key: str, units: Mapping[str, Unit]) -> Unit | None:
    if value is None:
        return None
    code = _str(value, where, key)
    if code not in units:
        raise where.error(f"key {key!r}: unknown unit {code!r} (units.yaml has: {', '.join(sorted(units)) or 'none'})")
    return units[code]


def _parameters(value: object, where: _Where,
                units: Mapping[str, Unit]) -> tuple[dict[str, Scalar], dict[str, Parameter]]:
    """The rule's own parameter values, and how texts show every parameter."""
    if value is None:
        return {}, {}
    if not isinstance(value, dict):
        raise where.error("key 'parameters': expected a mapping of name: {value or from, unit, label}")
    params: dict[str, Scalar] = {}
    parameters: dict[str, Parameter] = {}
    for name, raw in value.items():
        if not isinstance(name, str) or not INDICATOR_CODE.match(name):
            raise where.error(f"key 'parameters': bad parameter name {name!r}")
        inner = where.at(f"parameters.{name}")
        if name in EVIDENCE_FIELDS or name in EVIDENCE_EXTRA:
            raise inner.error(f"{name!r} is an evidence field; give the parameter another name")
        data = _mapping(raw, inner, PARAMETER_KEYS, ("label",))
        if ("value" in data) == ("from" in data):
            raise inner.error("give either 'value' (the rule's own parameter) or 'from: indicator' (a parameter of "
                              "the left indicator of the same name)")
        label = _text(data["label"], inner, "label")
        unit = _unit(data.get("unit"), inner, "unit", units)
        if "value" in data:
            raw_value = data["value"]
            if isinstance(raw_value, bool) or not isinstance(raw_value, int | float):
                raise inner.error(f"key 'value': expected a number, got {raw_value!r}")
            params[name] = raw_value
            parameters[name] = Parameter(name=name, label=label, unit=unit)
        else:
            source = _choice(data["from"], inner, "from", PARAMETER_SOURCES)
            parameters[name] = Parameter(name=name, label=label, unit=unit, source=source)
    return params, parameters


def _evidence(value: object, where: _Where, units: Mapping[str, Unit]) -> tuple[tuple[str, ...], Text,
                                                                                 dict[str, Unit]]:
    """The evidence fields a flag records per matching row, the sentence that tells one row, and the fields'
    units."""
    inner = where.at("evidence")
    data = _mapping(value, inner, EVIDENCE_KEYS, ("fields", "text"))
    fields = _str_list(data["fields"], inner, "fields", EVIDENCE_FIELDS)
    raw_units = data.get("units") or {}
    if not isinstance(raw_units, dict):
        raise inner.error("key 'units': expected a mapping of evidence field: unit")
    field_units: dict[str, Unit] = {}
    for name, code in raw_units.items():
        if name not in fields or name not in EVIDENCE_QUANTITIES:
            raise inner.error(f"key 'units': {name!r} is not one of the quantities among the fields "
                              f"({', '.join(f for f in fields if f in EVIDENCE_QUANTITIES) or 'none'})")
        unit = _unit(code, inner, f"units.{name}", units)
        assert unit is not None
        field_units[name] = unit
    return fields, _text(data["text"], inner, "text"), field_units


def _check_template(text: Text, where: _Where, key: str, *, known: Iterable[str], numeric: Iterable[str],
                    code_names: bool = False) -> None:
    """Both languages' templates are well formed, name only `known` placeholders (the same ones in both), use
    `{name:number}` only on numbers and, unless `code_names`, write no code name or data field as text."""
    known, numeric = tuple(known), set(numeric)
    named: dict[str, set[str]] = {}
    for lang in LANGUAGES:
        template = text.of(lang)
        at = f"key '{key}.{lang}'"
        try:
            found = placeholders(template)
        except TemplateError as exc:
            raise where.error(f"{at}: {exc}") from exc
        for name, fmt in found:
            if name not in known:
                raise where.error(f"{at}: unknown placeholder {{{name}}} (known: {', '.join(known) or 'none'})")
            if fmt is not None and name not in numeric:
                raise where.error(f"{at}: {{{name}:{fmt}}}: {name!r} is not a number")
        code_name = None if code_names else CODE_NAME.search(literal_text(template))
        if code_name:
            raise where.error(f"{at}: the code name {code_name.group()!r} is written as text: write a placeholder "
                              "{name} for a parameter, or words")
        field_name = None if code_names else FIELD_NAME.search(literal_text(template))
        if field_name:
            raise where.error(f"{at}: the data field {field_name.group()!r} is written as text: say it in words "
                              "(a specialist's definition goes in the indicator's 'technical' note)")
        named[lang] = {name for name, _ in found}
    if named["lv"] != named["en"]:
        lv, en = (", ".join(sorted(named[lang])) or "none" for lang in ("lv", "en"))
        raise where.error(f"key {key!r}: the Latvian and English texts name different placeholders "
                          f"(lv: {lv}; en: {en})")


def _operand(value: object, where: _Where, key: str, params: Mapping[str, Scalar]) -> Operand:
    if isinstance(value, str):
        if value not in params:
            raise where.error(f"key {key!r}: {value!r} is neither a number nor one of the rule's own parameters")
        return Operand(param=value)
    return Operand(constant=_number(value, where, key))


def _parse_rule(raw: object, where: _Where, units: Mapping[str, Unit]) -> RiskRule:
    if isinstance(raw, dict) and isinstance(raw.get("code"), str):
        where = where.at(f"risk rule {raw['code']!r}")
    data = _mapping(raw, where, RULE_KEYS, ("code", "name", "description", "applies_to", "left", "operator",
                                             "right", "importance", "period_type", "evidence"))
    code = _str(data["code"], where, "code")
    if not RULE_CODE.match(code):
        raise where.error(f"key 'code': rule codes look like R1, R2 ..., got {code!r}")
    params, parameters = _parameters(data.get("parameters"), where, units)
    operator = _choice(data["operator"], where, "operator", RULE_OPERATORS)
    raw_right = data["right"]
    if operator == "between":
        if not isinstance(raw_right, list) or len(raw_right) != 2:
            raise where.error(f"key 'right': operator 'between' needs [low, high], got {raw_right!r}")
        right = tuple(_operand(v, where, "right", params) for v in raw_right)
    else:
        right = (_operand(raw_right, where, "right", params),)
    applies_to = _str_list(data["applies_to"], where, "applies_to", INSTITUTION_TYPES)
    combine_by_type: dict[str, str] = {}
    raw_by_type = data.get("combine_by_type") or {}
    if not isinstance(raw_by_type, dict):
        raise where.error("key 'combine_by_type': expected a mapping of institution type: all|any")
    for type_code, mode in raw_by_type.items():
        if type_code not in applies_to:
            raise where.error(f"key 'combine_by_type': {type_code!r} is not in applies_to")
        combine_by_type[type_code] = _choice(mode, where, f"combine_by_type.{type_code}", COMBINE_MODES)
    raw_min = data.get("min_denominator")
    raw_min_numerator = data.get("min_numerator")
    raw_missing = data.get("missing_value")
    fields, evidence_text, evidence_units = _evidence(data["evidence"], where, units)
    description = _text(data["description"], where, "description")
    numeric = set(parameters)
    _check_template(description, where, "description", known=parameters, numeric=numeric)
    _check_template(evidence_text, where, "evidence.text", known=(*parameters, *fields, *EVIDENCE_EXTRA),
                    numeric=numeric | {f for f in fields if f not in TEXT_FIELDS})
    shown = {name for text in (description, evidence_text) for lang in LANGUAGES
             for name, _ in placeholders(text.of(lang))}
    described = {name for name, _ in placeholders(description.lv)}
    for name, p in parameters.items():
        if p.source == "rule" and name not in described:
            raise where.error(f"key 'description': parameter {name!r} is not shown: write {{{name}}} where the "
                              "description states it")
        if name not in shown:
            raise where.error(f"key 'parameters': parameter {name!r} is shown in no text")
    return RiskRule(
        code=code,
        name=_text(data["name"], where, "name"),
        description=description,
        applies_to=applies_to,
        left=_str(data["left"], where, "left"),
        operator=operator,
        right=right,
        importance=_choice(data["importance"], where, "importance", IMPORTANCE),
        period_type=_choice(data["period_type"], where, "period_type", PERIOD_TYPES),
        evidence=fields,
        evidence_text=evidence_text,
        evidence_units=evidence_units,
        params=params,
        parameters=parameters,
        periods=_str_list(data.get("periods", ["current"]), where, "periods", PERIODS),
        combine=_choice(data.get("combine", "all"), where, "combine", COMBINE_MODES),
        combine_by_type=combine_by_type,
        min_denominator=_operand(raw_min, where, "min_denominator", params) if raw_min is not None else None,
        min_numerator=(_operand(raw_min_numerator, where, "min_numerator", params)
                       if raw_min_numerator is not None else None),
        missing_value=_number(raw_missing, where, "missing_value") if raw_missing is not None else None,
        path=where.path,
    )


# --- cross-checks ----------------------------------------------------------------------------------------------


def _check_signature(sig: MeasureSignature) -> None:
    """A builder may only read columns that exist: catches schema drift at load time."""
    datasets = all_datasets()
    for dataset, columns in sig.columns.items():
        if dataset not in datasets or dataset not in sig.sources:
            raise SpecError(f"measure builder {sig.name!r}: reads undeclared or unknown dataset {dataset!r}")
        names = {c.name for c in datasets[dataset].columns}
        for column in columns:
            if column not in names:
                raise SpecError(f"measure builder {sig.name!r}: dataset {dataset!r} has no column {column!r}")
    grouped: set[str] = set()
    for group in sig.alternatives:
        if len(group) < 2 or len(set(group)) != len(group):
            raise SpecError(f"measure builder {sig.name!r}: alternatives {list(group)} need two or more sources")
        for dataset in group:
            if dataset not in sig.sources or dataset not in DATASETS:
                raise SpecError(f"measure builder {sig.name!r}: alternative {dataset!r} is not one of its lake sources")
            if dataset in grouped:
                raise SpecError(f"measure builder {sig.name!r}: source {dataset!r} is in two groups of alternatives")
            grouped.add(dataset)


def _expected_sources(ind: Indicator, sig: MeasureSignature) -> set[str]:
    expected = set(sig.sources) | {f.dataset for f in ind.filters}
    if sig.unit == "institution" and "municipality" in ind.grain:
        expected.add("institutions")  # the register maps institutions to municipalities
    return expected


def _check_measure_indicator(ind: Indicator, measures: Mapping[str, MeasureSignature]) -> None:
    where = _Where(ind.path, f"indicator {ind.code!r}")
    for key in ("rule", "institution_types"):
        if getattr(ind, key):
            raise where.error(f"key {key!r} is only for share_of_units indicators")
    if ind.measure is None:
        raise where.error("missing required key 'measure'")
    if ind.measure not in measures:
        raise where.error(f"key 'measure': unknown measure builder {ind.measure!r} "
                          f"(registered: {', '.join(sorted(measures))})")
    sig = measures[ind.measure]
    if ind.numerator is None:
        raise where.error("missing required key 'numerator'")
    if ind.type in ("ratio", "mean") and ind.denominator is None:
        raise where.error(f"missing required key 'denominator' (type {ind.type})")
    for key in ("numerator", "denominator"):
        name = getattr(ind, key)
        if name is not None and name not in sig.measures:
            raise where.error(f"key {key!r}: measure builder {sig.name!r} has no measure {name!r} "
                              f"(it offers: {', '.join(sig.measures)})")
    if ind.type == "count" and ind.factor != 1:
        raise where.error("key 'factor': a count has factor 1")
    if ind.relative_to_nation is not None:
        if ind.type not in ("ratio", "mean"):
            raise where.error("key 'relative_to_nation': only ratio and mean indicators compare to the nation")
        if "nation" in ind.grain:
            raise where.error("key 'grain': an indicator relative to the nation has no nation grain")
    if sig.unit == "municipality" and "institution" in ind.grain:
        raise where.error(f"key 'grain': measure {sig.name!r} has no institution (its rows are municipalities)")
    for dim in ind.dims:
        if dim not in sig.dims:
            key = "category" if dim == "category" else "grain"
            raise where.error(f"key {key!r}: measure {sig.name!r} has no {dim!r} breakdown "
                              f"(it has: {', '.join(sig.dims) or 'none'})")
    for dim in sig.required_dims:
        if dim not in ind.dims:
            key = "category" if dim == "category" else "grain"
            raise where.error(f"key {key!r}: measure {sig.name!r} needs the {dim!r} breakdown "
                              "(its rows cannot be summed over it)")
    for name in ind.params:
        if name not in sig.params:
            raise where.error(f"key 'params': unknown parameter {name!r} for measure {sig.name!r} "
                              f"(it takes: {', '.join(sig.params) or 'none'})")
    for name, kind in sig.params.items():
        if name not in ind.params:
            raise where.error(f"key 'params': missing parameter {name!r} of measure {sig.name!r}")
        value = ind.params[name]
        ok = (isinstance(value, int | float) and not isinstance(value, bool)) if kind in (int, float) \
            else isinstance(value, kind)
        if not ok:
            raise where.error(f"key 'params.{name}': expected {kind.__name__}, got {value!r}")
    for f in ind.filters:
        if f.dataset not in ind.sources:
            raise where.error(f"key 'filters': dataset {f.dataset!r} is not among the sources")
        if f.dataset != "institutions" and f.dataset not in sig.sources:
            raise where.error(f"key 'filters': measure {sig.name!r} does not read {f.dataset!r}")
    _check_params_shown(ind, where)
    expected = _expected_sources(ind, sig)
    if set(ind.sources) != expected:
        raise where.error(f"key 'sources': expected exactly {sorted(expected)}, got {sorted(ind.sources)}")
    for group in sig.alternatives:
        # Alternatives stand in for each other, so one source or the other must give the same rows.
        wanted = {d: sorted(_filter_key(f) for f in ind.filters_on(d)) for d in group}
        if any(w != wanted[group[0]] for w in wanted.values()):
            raise where.error(f"key 'filters': {', '.join(group)} are alternative sources of measure {sig.name!r} "
                              "(an institution's rows come from one or the other), so their filters must be the "
                              "same: give each the same conditions")


def _filter_key(f: Filter) -> tuple[bool, tuple[tuple[str, str, str], ...]]:
    """A filter without its dataset, comparable across alternative sources."""
    return f.exclude, tuple((c.column, c.op, repr(c.value)) for c in f.conditions)


def _check_share_indicator(ind: Indicator, rules: Mapping[str, RiskRule], indicators: Mapping[str, Indicator]) -> None:
    where = _Where(ind.path, f"indicator {ind.code!r}")
    for key in ("measure", "numerator", "denominator", "relative_to_nation", "category"):
        if getattr(ind, key) is not None:
            raise where.error(f"key {key!r} does not apply to share_of_units (it counts a rule's flags)")
    if ind.filters or ind.params:
        raise where.error("keys 'filters'/'params' do not apply to share_of_units; use institution_types")
    if ind.rule is None or not ind.institution_types:
        raise where.error("share_of_units needs 'rule' and 'institution_types'")
    if ind.rule not in rules:
        raise where.error(f"key 'rule': unknown risk rule {ind.rule!r}")
    rule = rules[ind.rule]
    for type_code in ind.institution_types:
        if type_code not in rule.applies_to:
            raise where.error(f"key 'institution_types': rule {rule.code} does not apply to {type_code!r}")
    if "institution" in ind.grain or ind.dims:
        raise where.error("key 'grain': share_of_units is at municipality and/or nation grain, no breakdowns")
    expected = set(indicators[rule.left].sources) | {"institutions", "enrolments"}
    if set(ind.sources) != expected:
        raise where.error(f"key 'sources': expected exactly {sorted(expected)}, got {sorted(ind.sources)}")


def _check_rule(rule: RiskRule, indicators: Mapping[str, Indicator]) -> RiskRule:
    """Check the rule against its left indicator; return it with the values of the indicator's parameters its
    texts show."""
    where = _Where(rule.path, f"risk rule {rule.code!r}")
    if rule.left not in indicators:
        raise where.error(f"key 'left': unknown indicator {rule.left!r}")
    left = indicators[rule.left]
    if left.type == "share_of_units" or "institution" not in left.grain:
        raise where.error(f"key 'left': indicator {rule.left!r} has no institution grain")
    used = {o.param for o in rule.right if o.param}
    for operand in (rule.min_denominator, rule.min_numerator):
        if operand is not None and operand.param:
            used.add(operand.param)
    if rule.operator == "between" and rule.right[0].param is None and rule.right[1].param is None:
        low, high = rule.thresholds()
        if low > high:
            raise where.error(f"key 'right': low {low} > high {high}")
    for name in rule.params:
        if name not in used:
            raise where.error(f"key 'parameters': parameter {name!r} is not used by right, min_denominator or "
                              "min_numerator")
    parameters = dict(rule.parameters)
    for name, p in rule.parameters.items():
        if p.source != "indicator":
            continue
        value = left.params.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise where.error(f"key 'parameters.{name}': indicator {left.code!r} has no numeric parameter {name!r} "
                              f"(it has: {', '.join(left.params) or 'none'})")
        parameters[name] = dataclasses.replace(p, value=value)
    return dataclasses.replace(rule, parameters=parameters)


# --- versions and loading --------------------------------------------------------------------------------------


def _canonical(obj: object) -> object:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _canonical(getattr(obj, f.name)) for f in dataclasses.fields(obj)
                if f.name not in ("version", "path")
                and not (f.metadata.get(HASHED_WHEN_SET) and getattr(obj, f.name) == f.default)}
    if isinstance(obj, Mapping):
        return {str(k): _canonical(v) for k, v in sorted(obj.items())}
    if isinstance(obj, tuple | list):
        return [_canonical(v) for v in obj]
    if isinstance(obj, dt.date):
        return obj.isoformat()
    if isinstance(obj, int) and not isinstance(obj, bool):
        return float(obj)
    return obj


def content_hash(obj: object) -> str:
    """sha256 of the canonical JSON of a spec (or any JSON-able structure of specs)."""
    text = json.dumps(_canonical(obj), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read(path: Path, key: str) -> list[object]:
    try:
        document = _yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SpecError(f"{path}: not valid YAML: {exc}") from exc
    where = _Where(path)
    data = _mapping(document, where, (key,), (key,))
    items = data[key]
    if not isinstance(items, list) or not items:
        raise where.error(f"key {key!r}: expected a non-empty list")
    return items


def load_catalogue(measures: Mapping[str, MeasureSignature], root: Path = DEFINITIONS_ROOT) -> Catalogue:
    """Load and validate every definition under `root` (indicators/*.yaml, risk_rules/*.yaml, and units.yaml, the
    units the texts of indicators and rules use)."""
    for sig in measures.values():
        _check_signature(sig)
    units = _load_units(root)
    indicators: dict[str, Indicator] = {}
    for path in sorted((root / "indicators").glob("*.yaml")):
        for i, raw in enumerate(_read(path, "indicators")):
            ind = _parse_indicator(raw, _Where(path, f"indicators[{i}]"), units)
            if ind.code in indicators:
                raise SpecError(f"{path}: duplicate indicator code {ind.code!r} "
                                f"(first defined in {indicators[ind.code].path})")
            indicators[ind.code] = ind
    rules: dict[str, RiskRule] = {}
    for path in sorted((root / "risk_rules").glob("*.yaml")):
        for i, raw in enumerate(_read(path, "risk_rules")):
            rule = _parse_rule(raw, _Where(path, f"risk_rules[{i}]"), units)
            if rule.code in rules:
                raise SpecError(f"{path}: duplicate risk rule code {rule.code!r} "
                                f"(first defined in {rules[rule.code].path})")
            rules[rule.code] = rule
    for ind in indicators.values():
        if ind.type == "share_of_units":
            _check_share_indicator(ind, rules, indicators)
        else:
            _check_measure_indicator(ind, measures)
    for code, rule in rules.items():
        rules[code] = _check_rule(rule, indicators)
    # A result depends on its whole chain of definitions, so versions chain: a rule's version includes its
    # left indicator's, and a share-of-units indicator's includes its rule's.
    versions = {
        ind.code: content_hash({"spec": ind, "measure_revision": measures[ind.measure].revision})
        for ind in indicators.values() if ind.measure is not None
    }
    versioned_rules = tuple(
        dataclasses.replace(rule, version=content_hash({"spec": rule, "left": versions[rule.left]}))
        for rule in rules.values()
    )
    rule_versions = {r.code: r.version for r in versioned_rules}
    for ind in indicators.values():
        if ind.rule is not None:
            versions[ind.code] = content_hash({"spec": ind, "rule": rule_versions[ind.rule]})
    versioned_indicators = tuple(dataclasses.replace(ind, version=versions[ind.code]) for ind in indicators.values())
    catalogue_version = content_hash(sorted(
        [["indicator", i.code, i.version] for i in versioned_indicators]
        + [["rule", r.code, r.version] for r in versioned_rules]
    ))
    return Catalogue(indicators=versioned_indicators, rules=versioned_rules, version=catalogue_version)
