"""Form rendering with GOV.UK Frontend markup (labels, hints, error messages, error summary)."""

from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    """Renders every form field through templates/forms/govuk_field.html."""

    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


from django import forms  # noqa: E402

_WIDGET_CLASSES = {
    forms.Select: "govuk-select",
    forms.SelectMultiple: "govuk-select",
    forms.Textarea: "govuk-textarea",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.DateInput: "govuk-input govuk-input--width-10",
    forms.NumberInput: "govuk-input govuk-input--width-10",
}


class GovukFormMixin:
    """Adds GOV.UK Frontend classes (and error classes) to every widget of a form."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            css = next((c for cls, c in _WIDGET_CLASSES.items() if isinstance(widget, cls)), "govuk-input")
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in getattr(self, "_errors", None) or {}:
            if name in self.fields:  # type: ignore[attr-defined]
                widget = self.fields[name].widget  # type: ignore[attr-defined]
                error_css = {"govuk-select": "govuk-select--error", "govuk-textarea": "govuk-textarea--error"}
                base = widget.attrs.get("class", "")
                extra = next((v for k, v in error_css.items() if k in base), "govuk-input--error")
                if extra not in base:
                    widget.attrs["class"] = f"{base} {extra}"
                widget.attrs["aria-describedby"] = f"id_{self.add_prefix(name)}_error"  # type: ignore[attr-defined]


class GovukForm(GovukFormMixin, forms.Form):
    """A plain form rendered with GOV.UK Frontend classes."""


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    """A model form rendered with GOV.UK Frontend classes."""
