"""Forms of the statements' pages (GOV.UK markup through ikms.core.forms). They parse the input; the service decides
the rest (a valid personal code, no date in the future, a request not received before it was written), and its
messages land on the same fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ikms.core.forms import GovukDateField, GovukForm
from ikms.statements.services import LEGAL_BASIS


class RequestForm(GovukForm):
    authority = forms.CharField(
        label=_("Requesting authority"),
        max_length=300,
        help_text=_("For example the Office of Citizenship and Migration Affairs"),
        error_messages={
            "required": _("Enter the authority that asks, for example the Office of Citizenship and Migration Affairs.")
        },
    )
    authority_reference = forms.CharField(
        label=_("Authority's reference number"),
        max_length=100,
        error_messages={"required": _("Enter the number of the authority's request.")},
    )
    authority_date = GovukDateField(label=_("Date of the request"), help_text=_("For example 27 3 2025"))
    received_on = GovukDateField(label=_("Received on"), help_text=_("For example 27 3 2025"))
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=300,
        help_text=_("What the authority needs the statement for, for example naturalisation"),
        error_messages={"required": _("Enter what the statement is needed for, for example naturalisation.")},
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        initial=LEGAL_BASIS,
        error_messages={"required": _("Enter the legal basis on which the authority asks.")},
    )
    person_name = forms.CharField(
        label=_("Name of the person"), max_length=200, error_messages={"required": _("Enter the person's name.")}
    )
    personal_code = forms.CharField(
        label=_("Personal code"),
        max_length=20,
        help_text=_(
            "Not stored: it is used once to find the person in the monitoring data, and only a keyed hash is kept."
        ),
        error_messages={"required": _("Enter the person's personal code.")},
    )


class SearchForm(GovukForm):
    mark_optional = False

    q = forms.CharField(label=_("Statement or request number"), required=False, max_length=100)
