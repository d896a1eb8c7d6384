"""GOV.UK dress of the form widgets: checkboxes stay checkboxes (Django's CheckboxSelectMultiple is a RadioSelect)."""

from django import forms

from ikms.core.forms import GovukCheckboxes, GovukForm, GovukRadios

CHOICES = [("a", "A"), ("b", "B")]


class _Form(GovukForm):
    several = forms.MultipleChoiceField(choices=CHOICES, widget=GovukCheckboxes)
    plain_several = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple)
    one = forms.ChoiceField(choices=CHOICES, widget=GovukRadios)
    plain_one = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect)


def test_checkboxes_are_drawn_as_checkboxes_and_radios_as_radios():
    form = _Form()
    for name in ("several", "plain_several"):
        html = str(form[name])
        assert 'class="govuk-checkboxes"' in html and "govuk-checkboxes__label" in html, name
        assert "govuk-radios" not in html, name
    for name in ("one", "plain_one"):
        html = str(form[name])
        assert 'class="govuk-radios"' in html and "govuk-checkboxes" not in html, name
