from django import forms
from django.utils.translation import gettext_lazy as _

from ikms.core.forms import GovukDateField, GovukForm
from ikms.crosschecks.choices import Check
from ikms.registry.models import Municipality


class FindingFilterForm(GovukForm):
    mark_optional = False

    check = forms.ChoiceField(label=_("Check"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["check"].choices = [("", _("All checks")), *Check.choices]
        self.fields["municipality"].choices = [("", _("All municipalities"))] + [
            (m.code, m.name) for m in Municipality.objects.order_by("name_lv")
        ]

    def filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}


class OfferListForm(GovukForm):
    file = forms.FileField(
        label=_("Offer list (CSV or XLSX)"),
        help_text=_("Columns: the provider's registration number, the programme code, the programme name (optional) "
                    "and the address where it is offered."),
    )
    checked_on = GovukDateField(label=_("Date of the check"))
