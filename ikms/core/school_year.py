"""A school year typed in by a person (a page's address, a form, an API query, a command's argument): one rule and
one message for all of them.

`school_year_label` is the rule (analytics.spec.periods.SchoolYear: "2023/2024", the second year following the
first; "2023/2025", "2023-2024" and "abc" are not school years) and `SCHOOL_YEAR_ERROR` the message. The inputs
built on it:

- forms and the pages' query strings: `ikms.core.forms.SchoolYearFormField`;
- the API: `ikms.core.api.SchoolYearField`;
- management commands: `school_year_arg`, an argparse type (`parser.add_argument("--year", type=school_year_arg)`).
"""

import argparse
import datetime

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from analytics.spec.periods import SchoolYear

SCHOOL_YEAR_ERROR = _("Enter the school year as YYYY/YYYY, for example 2023/2024.")


def school_year_label(value: object) -> str:
    """The canonical label of the school year written in `value` ("2023/2024"; spaces around are ignored);
    anything else is a ValidationError with `SCHOOL_YEAR_ERROR` (code "invalid")."""
    try:
        return SchoolYear.parse(str(value).strip()).label
    except ValueError:
        raise ValidationError(SCHOOL_YEAR_ERROR, code="invalid") from None


def school_year_of(day: datetime.date) -> str:
    """The label of the school year (1 September to 31 August) a day falls in: "2024/2025" for 15 March 2025."""
    return SchoolYear(day.year if day.month >= 9 else day.year - 1).label


def both_languages(message) -> str:
    """A message in Latvian and English, as commands print their errors ("lv / en")."""
    with translation.override("lv"):
        lv = str(message)
    with translation.override("en"):
        en = str(message)
    return f"{lv} / {en}"


def school_year_arg(value: str) -> str:
    """An argparse type for a command's school year: the canonical label, or the school-year message in both
    languages (Django's command parser turns it into a CommandError, or a usage error on the command line)."""
    try:
        return school_year_label(value)
    except ValidationError:
        raise argparse.ArgumentTypeError(both_languages(SCHOOL_YEAR_ERROR)) from None
