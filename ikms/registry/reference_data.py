"""Register classifiers (municipalities, institution kinds and types) loaded from YAML.

Used by migration 0002 (with historical models) and by transactional tests, which flush tables."""

from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"


def load_classifiers(municipality_model, kind_model, type_model) -> None:
    """Create or update every classifier row from the YAML files (idempotent)."""
    munis = yaml.safe_load((DATA / "municipalities.yaml").read_text(encoding="utf-8"))["municipalities"]
    for row in munis:
        municipality_model.objects.update_or_create(
            code=row["code"], defaults={"name_lv": row["name_lv"], "name_en": row["name_en"], "kind": row["kind"]})
    types = yaml.safe_load((DATA / "institution_types.yaml").read_text(encoding="utf-8"))
    kinds = {}
    for row in types["kinds"]:
        kinds[row["code"]], _ = kind_model.objects.update_or_create(
            code=row["code"], defaults={"name_lv": row["name_lv"], "name_en": row["name_en"]})
    for row in types["types"]:
        type_model.objects.update_or_create(
            code=row["code"], defaults={"name_lv": row["name_lv"], "name_en": row["name_en"],
                                        "kind": kinds[row["kind"]]})


def ensure_classifiers() -> None:
    """Reload the classifiers when a table was emptied (transactional tests flush the database)."""
    from ikms.registry.models import InstitutionKind, InstitutionType, Municipality

    if not Municipality.objects.exists() or not InstitutionType.objects.exists():
        load_classifiers(Municipality, InstitutionKind, InstitutionType)
