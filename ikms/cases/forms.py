"""Forms of the case pages (GOV.UK markup through ikms.core.forms). They parse and check the shape of the input;
the services decide the rest (a closed case, the law's limit), and their messages land on the same fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ikms.cases.choices import Direction
from ikms.cases.files import accepted_list, max_size_text
from ikms.cases.letters import LETTERS
from ikms.cases.models import Team
from ikms.core.forms import GovukDateField, GovukForm, GovukRadios, conditional


class AttachmentForm(GovukForm):
    file = forms.FileField(
        label=_("Document"),
        allow_empty_file=True,
        widget=forms.FileInput,
        error_messages={"required": _("Choose the file to upload.")},
    )
    title = forms.CharField(
        label=_("What the document is"),
        max_length=300,
        error_messages={"required": _("Enter what the document is, for example “Complaint of 3 March”.")},
    )
    dated_on = GovukDateField(label=_("Date of the document"), help_text=_("For example 27 3 2025"))
    direction = forms.ChoiceField(
        label=_("The document was"), choices=Direction.choices, widget=GovukRadios, initial=Direction.RECEIVED
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("%(types)s; at most %(size)s.") % {
            "types": accepted_list(),
            "size": max_size_text(),
        }


class DeadlineExtendForm(GovukForm):
    due_on = GovukDateField(label=_("New deadline"), help_text=_("A working day, for example 27 3 2025"))
    reason = forms.CharField(
        label=_("Reason for the extension"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Recorded with the deadline and quoted in the notice to the submitter."),
        error_messages={"required": _("Give the reason for extending the deadline.")},
    )


class AssignForm(GovukForm):
    assignee = forms.ModelChoiceField(label=_("Assigned to"), queryset=None, required=False, empty_label=_("Nobody"))
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), required=False, empty_label=_("No team")
    )

    def __init__(self, *args, people=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = people


class LetterForm(GovukForm):
    template = forms.ChoiceField(
        label=_("Kind of letter"), widget=GovukRadios, choices=[(t.code, t.label) for t in LETTERS.values()]
    )
    addressee = forms.CharField(
        label=_("Addressee"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Name and address, as they go on the letter."),
        error_messages={"required": _("Enter the addressee: a name and an address.")},
    )
    deadline = forms.ModelChoiceField(
        label=_("Deadline the letter is about"), queryset=None, required=False, empty_label=_("The next open deadline")
    )
    text = conditional(
        forms.CharField(
            label=_("Text of the letter"),
            widget=forms.Textarea(attrs={"rows": 8}),
            required=False,
            help_text=_("In Latvian. A reply needs it; the other letters add it after their own text."),
        )
    )

    def __init__(self, *args, deadlines=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deadline"].queryset = deadlines

    def clean(self):
        data = super().clean()
        if data.get("template") == "reply" and not (data.get("text") or "").strip():
            self.add_error("text", _("Write the answer."))
        return data
