"""Every accreditation case made before the shared case core gets its case file (ADR 0022): subject, institution,
opened on the application day, closed when decided or withdrawn, and the decision's deadline (80 working days from
the application), met when the case was decided or withdrawn. New cases get theirs from services.case_apply."""

from django.db import migrations
from django.utils import translation
from django.utils.translation import gettext

KIND_LABELS = {"accreditation": "Accreditation of the institution", "head": "Evaluation of the head"}


def open_case_files(apps, schema_editor):
    from ikms.cases.deadlines import rules

    Case = apps.get_model("accreditation", "Case")
    CaseFile = apps.get_model("cases", "CaseFile")
    Deadline = apps.get_model("cases", "Deadline")
    rule = rules()["accreditation_decision"]
    for case in Case.objects.filter(case_file__isnull=True).select_related("institution").order_by("id"):
        closed = None
        if case.state == "decided":
            closed = max(case.decided_on or case.updated_at.date(), case.applied_on)
        elif case.state == "withdrawn":
            closed = max(case.updated_at.date(), case.applied_on)
        with translation.override("lv"):
            subject = f"{gettext(KIND_LABELS.get(case.kind, case.kind))}: {case.institution.name}"[:300]
        case_file = CaseFile.objects.create(kind="accreditation", subject=subject, institution_id=case.institution_id,
                                            opened_on=case.applied_on, closed_on=closed)
        regime = rule.regime_for(case.applied_on)
        due = regime.term.end(case.applied_on)
        Deadline.objects.create(case_file=case_file, rule=rule.code, regime=regime.code, starts_on=case.applied_on,
                                statutory_due_on=due, due_on=due, met_on=closed)
        Case.objects.filter(pk=case.pk).update(case_file=case_file)


class Migration(migrations.Migration):
    dependencies = [
        ("accreditation", "0003_case_case_file"),
        ("cases", "0001_initial"),
    ]

    operations = [migrations.RunPython(open_case_files, migrations.RunPython.noop)]
