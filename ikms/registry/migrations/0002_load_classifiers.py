"""Load the register classifiers (municipalities, institution kinds and types) from YAML, so that
tests and production share the same reference data."""

from django.db import migrations

from ikms.registry.reference_data import load_classifiers


def load(apps, schema_editor):
    load_classifiers(apps.get_model("registry", "Municipality"), apps.get_model("registry", "InstitutionKind"),
                     apps.get_model("registry", "InstitutionType"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
