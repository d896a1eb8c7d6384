"""The municipal report's forms: the municipality and school years, and a section's narrative."""

from django import forms
from django.utils.translation import gettext_lazy as _


class NarrativeForm(forms.Form):
    """A section's text (one form per section, prefixed with the section's key)."""

    text = forms.CharField(label=_("The municipality's assessment"), required=False,
                           widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("Separate paragraphs with an empty line. Saving a draft keeps it to "
                                       "yourselves; the report prints the published version."))
