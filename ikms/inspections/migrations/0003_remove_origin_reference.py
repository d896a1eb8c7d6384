"""The complaint's reference kept as text is replaced by the link to the complaint (0002); on its own migration so
that PostgreSQL alters the table outside the transaction that wrote the links."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("inspections", "0002_order_deadlines_and_complaint")]

    operations = [migrations.RemoveField(model_name="inspection", name="origin_reference")]
