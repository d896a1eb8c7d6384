"""Load the register classifiers (municipalities, institution kinds and types) from YAML, so that
tests and production share the same reference data."""

from pathlib import Path

import yaml
from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    Municipality = apps.get_model("registry", "Municipality")
    InstitutionKind = apps.get_model("registry", "InstitutionKind")
    InstitutionType = apps.get_model("registry", "InstitutionType")
    munis = yaml.safe_load((DATA / "municipalities.yaml").read_text(encoding="utf-8"))["municipalities"]
    for row in munis:
        Municipality.objects.update_or_create(
            code=row["code"], defaults={"name_lv": row["name_lv"], "name_en": row["name_en"], "kind": row["kind"]})
    types = yaml.safe_load((DATA / "institution_types.yaml").read_text(encoding="utf-8"))
    kinds = {}
    for row in types["kinds"]:
        kinds[row["code"]], _ = InstitutionKind.objects.update_or_create(
            code=row["code"], defaults={"name_lv": row["name_lv"], "name_en": row["name_en"]})
    for row in types["types"]:
        InstitutionType.objects.update_or_create(
            code=row["code"], defaults={"name_lv": row["name_lv"], "name_en": row["name_en"],
                                        "kind": kinds[row["kind"]]})


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
