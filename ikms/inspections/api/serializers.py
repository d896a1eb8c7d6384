"""What the inspections API accepts (Filter) and answers (Output): the fields of the inspection pages."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ikms.core.api import QueryChoiceField, WithheldFieldsMixin
from ikms.inspections import permissions, selectors
from ikms.inspections.choices import (
    ActType,
    EvidenceState,
    InspectionKind,
    InspectionState,
    OrderKind,
    OrderState,
    Severity,
    Stream,
)
from ikms.monitoring.models import VisitReason
from ikms.registry.api import InstitutionRefSerializer


class InspectionFilterSerializer(serializers.Serializer):
    """The filters of the inspection list page (forms.InspectionFilterForm), checked (an unknown value is a 400)."""

    state = QueryChoiceField(choices=InspectionState.choices, help_text="The inspection's state.")
    kind = QueryChoiceField(choices=InspectionKind.choices, help_text="Planned, complaint, ad hoc or thematic.")
    stream = QueryChoiceField(choices=Stream.choices, help_text="Which of IKVD's counts it belongs to.")
    year = serializers.IntegerField(
        required=False,
        default=None,
        min_value=2000,
        max_value=2100,
        help_text="The year of the visit (of the planned date while not visited).",
    )
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=100,
        help_text="A part of the institution's name or of the subject (case ignored).",
    )


class InspectionOutputSerializer(serializers.Serializer):
    """A row of the inspection list."""

    id = serializers.IntegerField()
    institution = InstitutionRefSerializer()
    subject = serializers.CharField()
    kind = serializers.ChoiceField(choices=InspectionKind.choices)
    stream = serializers.ChoiceField(choices=Stream.choices)
    state = serializers.ChoiceField(choices=InspectionState.choices)
    planned_on = serializers.DateField()
    visited_on = serializers.DateField(allow_null=True)
    closed_on = serializers.DateField(allow_null=True)
    open_orders = serializers.IntegerField(help_text="Orders (not recommendations) not yet met.")


class FindingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    severity = serializers.ChoiceField(choices=Severity.choices)
    legal_basis = serializers.CharField()


class ActSerializer(serializers.Serializer):
    number = serializers.CharField()
    act_type = serializers.ChoiceField(choices=ActType.choices)
    dated_on = serializers.DateField()
    summary = serializers.CharField()
    findings = FindingSerializer(many=True, source="findings.all")


class EvidenceSerializer(serializers.Serializer):
    submitted_on = serializers.DateField()
    text = serializers.CharField()
    state = serializers.ChoiceField(choices=EvidenceState.choices)
    review_note = serializers.CharField(allow_blank=True)


class OrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=OrderKind.choices, help_text="An order always has a deadline.")
    text = serializers.CharField(help_text="What the institution must do.")
    finding = serializers.IntegerField(source="finding_id", allow_null=True, help_text="The finding's id.")
    due_on = serializers.DateField(allow_null=True, help_text="The deadline the act gave.")
    current_due_on = serializers.DateField(
        allow_null=True, help_text="The deadline now: the act's, or a later one after an extension with its reason."
    )
    state = serializers.ChoiceField(choices=OrderState.choices)
    met_on = serializers.DateField(allow_null=True)
    evidence = EvidenceSerializer(many=True, source="evidence.all", help_text="The follow-up evidence submitted.")


class AnswerSerializer(serializers.Serializer):
    question = serializers.CharField(help_text="The question's code.")
    text = serializers.CharField(help_text="The question, in the language of the request.")
    type = serializers.CharField(help_text="yes_no, level, number or text.")
    value = serializers.JSONField(allow_null=True, help_text="The answer (null: not answered).")


class VisitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=VisitReason.choices)
    planned_date = serializers.DateField()


class InspectionDetailOutputSerializer(WithheldFieldsMixin, InspectionOutputSerializer):
    """One inspection with what its page shows the user: `visit` and `complaint` (the reference of the complaint that
    prompted it) only for IKVD staff."""

    open_orders = None  # an annotation of the list only; the orders are given in full
    questionnaire = serializers.CharField(allow_blank=True, help_text="A thematic questionnaire's code.")
    answers = serializers.SerializerMethodField()
    act = ActSerializer(allow_null=True, help_text="Null until the act is written.")
    orders = serializers.SerializerMethodField()
    visit = VisitRefSerializer(required=False, allow_null=True, help_text="The visit-plan entry it came from.")
    complaint = serializers.CharField(
        source="complaint.reference",
        required=False,
        allow_null=True,
        default=None,
        help_text="The reference of the complaint that prompted it (null: none).",
    )

    @extend_schema_field(AnswerSerializer(many=True))
    def get_answers(self, obj) -> list[dict]:
        return [
            {"question": q.code, "text": q.text, "type": q.type, "value": value}
            for q, value in selectors.inspection_answers(obj)
        ]

    @extend_schema_field(OrderSerializer(many=True))
    def get_orders(self, obj) -> list[dict]:
        return OrderSerializer(selectors.inspection_orders(obj), many=True).data

    def withheld(self, instance) -> set[str]:
        if permissions.sees_every_inspection(self.context["request"].user):
            return set()
        return {"visit", "complaint"}
