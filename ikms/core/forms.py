"""Form rendering with GOV.UK Frontend markup (labels, hints, error messages, error summary, fieldsets for
radios, checkboxes and dates), the GOV.UK date input, and the school-year field every form uses.

* Every form is rendered by `GovukFormRenderer`: templates/forms/govuk_form.html (the error summary, then each
  field) and templates/forms/govuk_field.html (one field: a label, or a fieldset with a legend for radios,
  checkboxes and dates; its hint; its error message).
* "(optional)" follows a field's `required`, and only that: a field that is needed only in some cases (the
  evidence of a task reported done) sets `conditional = True` (`conditional()` below), says when in its hint,
  and its form checks it with a message of its own.
* A date is `GovukDateField`: day, month and year in three boxes, cleaned to a `datetime.date`.
* A required choice with one option only is chosen already, with no blank option (`GovukFormMixin`)."""

import datetime
import re
from collections.abc import Iterable, Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from ikms.core.school_year import SCHOOL_YEAR_ERROR, school_year_label

#: The class of each kind of widget; the class of its error state is the first class + "--error".
_WIDGET_CLASSES = (
    (forms.CheckboxSelectMultiple, "govuk-checkboxes__input"),
    (forms.RadioSelect, "govuk-radios__input"),
    (forms.Select, "govuk-select"),
    (forms.Textarea, "govuk-textarea"),
    (forms.CheckboxInput, "govuk-checkboxes__input"),
    (forms.DateInput, "govuk-input govuk-input--width-10"),
    (forms.NumberInput, "govuk-input govuk-input--width-10"),
    (forms.FileInput, "govuk-file-upload"),
)
_ERROR_CLASSES = {"govuk-select": "govuk-select--error", "govuk-textarea": "govuk-textarea--error",
                  "govuk-input": "govuk-input--error", "govuk-file-upload": "govuk-file-upload--error"}


class GovukBoundField(BoundField):
    """A field as the GOV.UK templates need it: whether to say "(optional)", where the error summary links to,
    what a fieldset is described by, and the error class on the input."""

    @property
    def show_optional(self) -> bool:
        """"(optional)" after the label: only for a field that is not required in any case (and never in a form
        of filters, `mark_optional = False`, where every field is)."""
        return (not self.field.required and not getattr(self.field, "conditional", False)
                and self.widget_type != "checkbox" and getattr(self.form, "mark_optional", True))

    @property
    def anchor(self) -> str:
        """The id of the input the error summary links to (the first box of a date, the first radio)."""
        widget = self.field.widget
        suffix = "_0" if isinstance(widget, forms.RadioSelect) else getattr(widget, "anchor_suffix", "")
        return f"{self.auto_id}{suffix}" if self.auto_id else ""

    @property
    def fieldset_describedby(self) -> str:
        """The ids of the hint and the error message, for a fieldset's aria-describedby."""
        ids = []
        if self.auto_id and self.help_text:
            ids.append(f"{self.auto_id}_helptext")
        if self.auto_id and self.errors:
            ids.append(f"{self.auto_id}_error")
        return " ".join(ids)

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        css = (widget or self.field.widget).attrs.get("class", "")
        if self.errors and css:
            extra = _ERROR_CLASSES.get(css.split()[0])
            if extra and extra not in css:
                attrs["class"] = f"{css} {extra}"
        return attrs


class GovukFormRenderer(TemplatesSetting):
    """Renders every form through templates/forms/govuk_form.html and every field through
    templates/forms/govuk_field.html, with `GovukBoundField`."""

    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"
    bound_field_class = GovukBoundField


def conditional(field: forms.Field, *, needed: bool = True) -> forms.Field:
    """Mark a field that is needed only in some cases (no "(optional)" after its label); its form checks it."""
    field.conditional = needed
    return field


class _HintedOptions:
    """Radios or checkboxes with a hint under an option (`hints`: value → text), GOV.UK's item hint."""

    def __init__(self, attrs=None, choices=(), *, hints: Mapping[str, str] | None = None, small: bool = False):
        super().__init__(attrs, choices)
        self.hints = dict(hints or {})
        self.small = small

    def __deepcopy__(self, memo):
        obj = super().__deepcopy__(memo)
        obj.hints = dict(self.hints)
        return obj

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["small"] = self.small
        return context

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):  # noqa: PLR0917 (Django's)
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["hint"] = self.hints.get(str(value), "")
        if option["hint"] and option["attrs"].get("id"):
            option["hint_id"] = f"{option['attrs']['id']}_hint"
            option["attrs"]["aria-describedby"] = option["hint_id"]
        return option


class GovukRadios(_HintedOptions, forms.RadioSelect):
    """GOV.UK radios (a fieldset with a legend), optionally with a hint under each option."""

    template_name = "forms/widgets/govuk_radios.html"


class GovukCheckboxes(_HintedOptions, forms.CheckboxSelectMultiple):
    """GOV.UK checkboxes for a multiple choice (a fieldset with a legend), instead of a multiple select."""

    template_name = "forms/widgets/govuk_checkboxes.html"


class GovukFormMixin:
    """Adds GOV.UK Frontend classes to every widget of a form (radios and checkboxes get GOV.UK's templates),
    and chooses the only option of a required choice (no blank "---------" to pick first).

    Both happen when a field is first looked up (`form[name]`: rendering, cleaning), after the form's own
    __init__ has added its fields and set their querysets and choices."""

    _dressed = False

    def __getitem__(self, name):
        if not self._dressed:
            self._dressed = True
            self.dress_fields()
            self.choose_single_options()
        return super().__getitem__(name)  # type: ignore[misc]

    def dress_fields(self) -> None:
        """The GOV.UK class of each widget (the date input dresses its own boxes)."""
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.MultiWidget):
                continue
            # Django's CheckboxSelectMultiple is a RadioSelect: checkboxes are told apart first, and keep theirs.
            if isinstance(widget, forms.CheckboxSelectMultiple):
                if not isinstance(widget, GovukCheckboxes):
                    widget.template_name = GovukCheckboxes.template_name
            elif isinstance(widget, forms.RadioSelect) and not isinstance(widget, GovukRadios):
                widget.template_name = GovukRadios.template_name
            css = next((c for cls, c in _WIDGET_CLASSES if isinstance(widget, cls)), "govuk-input")
            if css.split()[0] not in widget.attrs.get("class", "").split():
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"

    def choose_single_options(self) -> None:
        """A required choice with exactly one option: that option is chosen, and there is no blank one."""
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if not field.required or isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
                continue
            if self.initial.get(name) not in (None, "") or field.initial not in (None, ""):  # type: ignore[attr-defined]
                continue
            if isinstance(field, forms.ModelChoiceField):
                only = list(field.queryset[:2])
                if len(only) == 1:
                    field.empty_label = None
                    field.initial = only[0].pk
            elif isinstance(field, forms.ChoiceField):
                options = [(v, label) for v, label in field.choices if v not in ("", None)]
                if len(options) == 1 and not isinstance(options[0][1], list | tuple):
                    field.choices = options
                    field.initial = options[0][0]


class GovukForm(GovukFormMixin, forms.Form):
    """A plain form rendered with GOV.UK Frontend classes."""

    @property
    def has_text_search(self) -> bool:
        """Whether the form has a text box: a filter form's button then reads "Search", otherwise "Apply filters"
        (templates/includes/filter_button.html)."""
        return any(type(field.widget) is forms.TextInput for field in self.fields.values())


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    """A model form rendered with GOV.UK Frontend classes."""


# --- dates -------------------------------------------------------------------------------------------------

_DATE_PARTS = ("day", "month", "year")
_PART_LABELS = {"day": _("Day"), "month": _("Month"), "year": _("Year")}
#: A date given as one value (a script, an older page): ISO or the Latvian way of writing it.
_ONE_VALUE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%Y.", "%d/%m/%Y")


def _one_value_date(text: str) -> datetime.date | None:
    for fmt in _ONE_VALUE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    return None


class GovukDateInput(forms.MultiWidget):
    """GOV.UK's date input: day, month and year in three boxes, posted as `<name>_day`, `<name>_month` and
    `<name>_year` (ids `id_<name>_day`, ...). A single value posted under `<name>` itself (2025-03-27 or
    27.03.2025) is read as well, when none of the three boxes was posted."""

    template_name = "forms/widgets/govuk_date_input.html"
    anchor_suffix = "_day"

    def __init__(self, attrs=None) -> None:
        widgets = {part: forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                                "maxlength": "4" if part == "year" else "2"})
                   for part in _DATE_PARTS}
        super().__init__(widgets, attrs)

    def decompress(self, value) -> list[str]:
        if isinstance(value, str):
            value = _one_value_date(value) or value
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return ["", "", ""]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        invalid = widget["attrs"].get("aria-invalid") == "true"
        id_ = widget["attrs"].get("id")
        for part, sub in zip(_DATE_PARTS, widget["subwidgets"], strict=True):
            width = 4 if part == "year" else 2
            sub["attrs"]["class"] = (f"govuk-input govuk-date-input__input govuk-input--width-{width}"
                                     + (" govuk-input--error" if invalid else ""))
            if id_:
                sub["attrs"]["id"] = f"{id_}_{part}"
            sub["part"], sub["label"] = part, _PART_LABELS[part]
        return context

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else ""

    def value_from_datadict(self, data, files, name):
        parts = super().value_from_datadict(data, files, name)
        if all(p in (None, "") for p in parts) and data.get(name):
            return data.get(name)
        return parts

    def value_omitted_from_data(self, data, files, name):
        return super().value_omitted_from_data(data, files, name) and name not in data


class GovukDateField(forms.Field):
    """A date in GOV.UK's date input, cleaned to a `datetime.date`; messages with an example for a date left
    out, a date with a part missing and a date that does not exist (31.02.2025)."""

    widget = GovukDateInput
    default_error_messages = {
        "required": _("Enter a date, for example 27 3 2025"),
        "incomplete": _("Enter the day, the month and the year of the date, for example 27 3 2025"),
        "invalid": _("There is no such date. Enter a date, for example 27 3 2025"),
    }

    def to_python(self, value) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            if not value.strip():
                return None
            date = _one_value_date(value)
            if date is None:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            return date
        parts = [str(p or "").strip() for p in (value or ["", "", ""])]
        if not any(parts):
            return None
        if not all(parts):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        day, month, year = parts
        if not (day.isdigit() and month.isdigit() and re.fullmatch(r"\d{4}", year)):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def has_changed(self, initial, data) -> bool:
        try:
            return self.to_python(data) != (self.to_python(initial) if initial not in (None, "") else None)
        except ValidationError:
            return True


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
