"""Form rendering with GOV.UK Frontend markup (labels, hints, error messages, error summary), and the school-year
field every form uses."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from ikms.core.school_year import SCHOOL_YEAR_ERROR, school_year_label


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


class SchoolYearFormField(forms.CharField):
    """A school year in a form or a page's query string: cleans to the canonical label ("2023/2024") by
    `ikms.core.school_year.school_year_label`, with its message for anything else (the API's `SchoolYearField`
    and the commands' `school_year_arg` say the same). Left blank (when not required): "".

    `years` (optional) are the only years accepted, e.g. those with results; the field is then a select of
    them, newest first (with a blank choice first if `blank_label` is given), and another well-formed year gets
    the message `not_held`. A form whose years are known only when it is built sets `field.years` then."""

    default_error_messages = {
        "invalid": SCHOOL_YEAR_ERROR,
        "not_held": _("Choose one of the school years listed; %(year)s is not one of them."),
    }

    def __init__(self, *, years: Iterable[str] | None = None, blank_label: str | None = None, **kwargs) -> None:
        kwargs.setdefault("widget", forms.Select if years is not None else forms.TextInput(attrs={"maxlength": "9"}))
        super().__init__(**kwargs)
        self.blank_label = blank_label
        self.years = years

    @property
    def years(self) -> list[str] | None:
        return self._years

    @years.setter
    def years(self, years: Iterable[str] | None) -> None:
        self._years = None if years is None else list(years)
        if self._years is not None and isinstance(self.widget, forms.Select):
            blank = [("", self.blank_label)] if self.blank_label is not None else []
            self.widget.choices = blank + [(y, y) for y in reversed(self._years)]

    def to_python(self, value) -> str:
        value = super().to_python(value)
        if value in self.empty_values:
            return ""
        try:
            return school_year_label(value)
        except ValidationError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value) -> None:
        super().validate(value)
        if value and self._years is not None and value not in self._years:
            raise ValidationError(self.error_messages["not_held"], code="not_held", params={"year": value})


def year_error_response(request, form: forms.Form) -> HttpResponse:
    """A page's answer to a wrong year in its address (a school year or a calendar year): the year form with its
    message, and a 400; the page's other query parameters are kept for the corrected request. Never another
    year in its place."""
    kept = [(k, v) for k, values in request.GET.lists() if k not in form.fields and k not in ("page", "format")
            for v in values]
    return render(request, "bad_year.html", {"form": form, "kept": kept}, status=400)
