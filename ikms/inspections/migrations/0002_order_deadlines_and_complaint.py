"""An inspection prompted by a complaint points to the complaint (its reference, kept as text until now, is
resolved; a reference that matches no complaint is left unlinked), and each order with a deadline gets the case
core's deadline (rule `inspection_order`, counted from the act's date, met when the order was met)."""

import django.db.models.deletion
from django.db import migrations, models


def link_forward(apps, schema_editor):
    Inspection = apps.get_model("inspections", "Inspection")
    Complaint = apps.get_model("complaints", "Complaint")
    Order = apps.get_model("inspections", "Order")
    Deadline = apps.get_model("cases", "Deadline")
    by_reference = dict(Complaint.objects.values_list("reference", "pk"))
    for inspection in Inspection.objects.exclude(origin_reference=""):
        pk = by_reference.get(inspection.origin_reference)
        if pk is not None:
            Inspection.objects.filter(pk=inspection.pk).update(complaint_id=pk)
    orders = Order.objects.filter(due_on__isnull=False, deadline__isnull=True).select_related(
        "inspection", "inspection__act"
    )
    for order in orders.iterator(chunk_size=500):
        inspection = order.inspection
        act = getattr(inspection, "act", None)
        if inspection.case_file_id is None or act is None or order.due_on <= act.dated_on:
            continue
        deadline = Deadline.objects.create(
            case_file_id=inspection.case_file_id,
            rule="inspection_order",
            regime="inspection_act",
            starts_on=act.dated_on,
            statutory_due_on=order.due_on,
            due_on=order.due_on,
            met_on=order.met_on,
        )
        Order.objects.filter(pk=order.pk).update(deadline=deadline)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("complaints", "0002_forwarded_summary"),
        ("inspections", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="inspection",
            name="complaint",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="inspections",
                to="complaints.complaint",
                verbose_name="complaint",
            ),
        ),
        migrations.AddField(
            model_name="order",
            name="deadline",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="order",
                to="cases.deadline",
                verbose_name="deadline",
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="due_on",
            field=models.DateField(blank=True, db_index=True, null=True, verbose_name="deadline in the act"),
        ),
        migrations.RunPython(link_forward, migrations.RunPython.noop),
    ]
