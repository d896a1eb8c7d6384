"""What the complaints API accepts (Filter) and answers (Output). The fields are those of the complaint pages: the
list's columns, and on the complaint the summary, the answer deadline, the forwarding, the timeline and the texts
a founder reads; the submitter and the complaint's text only for those the permissions allow."""

from itertools import islice

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ikms.cases.choices import Urgency
from ikms.complaints import permissions, selectors
from ikms.complaints.choices import Channel, ListState, Outcome, SubmitterType
from ikms.core.api import CalendarYearField, QueryChoiceField, WithheldFieldsMixin
from ikms.registry.api import InstitutionRefSerializer


def _topic_choices() -> list[tuple[str, str]]:
    return sorted(selectors.topic_names().items())


class ComplaintFilterSerializer(serializers.Serializer):
    """The filters of the complaint list page, checked (an unknown value is a 400, not an empty list)."""

    state = QueryChoiceField(
        choices=ListState.choices, help_text="open, overdue (open past the answer deadline) or closed."
    )
    topic = QueryChoiceField(choices=_topic_choices, help_text="A topic code (the complaint topics' classifier).")
    outcome = QueryChoiceField(choices=Outcome.choices, help_text="The outcome recorded.")
    year = CalendarYearField(help_text="The calendar year the complaint was received.")


class TopicSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(help_text="In the language of the request.")


class AnswerDeadlineSerializer(serializers.Serializer):
    """The statutory answer deadline (the Law on Submissions, by the regime of the day received)."""

    label = serializers.CharField()
    statutory_due_on = serializers.DateField(help_text="The day the law gives.")
    due_on = serializers.DateField(help_text="The day it falls due now, after any extension.")
    met_on = serializers.DateField(allow_null=True, help_text="The day the answer was sent.")


class ReferenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()


class SubmitterSerializer(serializers.Serializer):
    """Who sent the complaint: only for supervision staff, and never for a complaint whose submitter asked for
    confidentiality."""

    name = serializers.CharField(source="submitter_name", allow_blank=True)
    contact = serializers.CharField(source="submitter_contact", allow_blank=True)
    same_submitter = serializers.SerializerMethodField(
        help_text="The same submitter's other complaints (by the personal code's keyed hash or the contact) whose "
        "submitter is named too, newest first, at most 20."
    )

    @extend_schema_field(ReferenceSerializer(many=True))
    def get_same_submitter(self, obj) -> list[dict]:
        user = self.context["request"].user
        # a confidential complaint is not named here either: it would tell who sent it
        others = (c for c in selectors.same_submitter(obj) if permissions.api_names_submitter(user, c))
        return [{"id": c.pk, "reference": c.reference} for c in islice(others, 20)]


class ComplaintOutputSerializer(serializers.Serializer):
    """A row of the complaint list."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    received_on = serializers.DateField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    submitter_type = serializers.ChoiceField(choices=SubmitterType.choices)
    anonymous = serializers.BooleanField(help_text="The submitter asked that their identity be kept confidential.")
    institutions = InstitutionRefSerializer(many=True, source="institutions.all")
    topics = serializers.SerializerMethodField()
    answer_due_on = serializers.SerializerMethodField(help_text="The answer deadline (null: none).")
    urgency = serializers.SerializerMethodField(
        help_text="Where the answer deadline stands: overdue, due_soon or open (met, or not yet near)."
    )
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_blank=True, help_text="Blank until recorded.")
    closed_on = serializers.DateField(source="case_file.closed_on", allow_null=True)

    @extend_schema_field(TopicSerializer(many=True))
    def get_topics(self, obj) -> list[dict]:
        names = self.context.setdefault("topic_names", selectors.topic_names())
        return [{"code": t, "name": names.get(t, t)} for t in obj.topics]

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_answer_due_on(self, obj):
        deadline = selectors.answer_deadline(obj)
        return deadline.due_on if deadline else None

    @extend_schema_field(serializers.ChoiceField(choices=Urgency.choices))
    def get_urgency(self, obj) -> str:
        return selectors.complaint_urgency(obj, self.context.setdefault("today", timezone.localdate()))


class ComplaintDetailOutputSerializer(WithheldFieldsMixin, ComplaintOutputSerializer):
    """One complaint, with what its page shows the user. `submitter` and `text` are left out for everyone but
    supervision staff, and for them too when the submitter asked for confidentiality."""

    answer_deadline = serializers.SerializerMethodField()
    forwarded_to_founder = serializers.CharField(
        source="founder.name", allow_null=True, help_text="The founder the complaint was forwarded to."
    )
    other_authority = serializers.CharField(allow_blank=True, help_text="Another authority it was forwarded to.")
    forwarded_summary = serializers.CharField(
        allow_blank=True, help_text="What the founder is asked to examine (written without the submitter's identity)."
    )
    outcome_on = serializers.DateField(allow_null=True)
    replied_on = serializers.DateField(allow_null=True)
    reply_text = serializers.CharField(allow_blank=True)
    founder_answered_on = serializers.DateField(allow_null=True)
    founder_answer = serializers.CharField(allow_blank=True)
    appeal_note = serializers.CharField(allow_blank=True)
    submitter = SubmitterSerializer(source="*", required=False)
    text = serializers.CharField(
        required=False, help_text="The complaint as received (it may be signed): with `submitter` only."
    )

    @extend_schema_field(AnswerDeadlineSerializer(allow_null=True))
    def get_answer_deadline(self, obj) -> dict | None:
        deadline = selectors.answer_deadline(obj)
        return AnswerDeadlineSerializer(deadline).data if deadline else None

    def withheld(self, instance) -> set[str]:
        if permissions.api_names_submitter(self.context["request"].user, instance):
            return set()
        return {"submitter", "text"}
