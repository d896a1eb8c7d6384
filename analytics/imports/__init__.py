"""Validated imports of source files into the data lake (see docs/data/imports.md).

`import_file(source, path, lake_root=..., school_year=..., known_institutions=..., known_programmes=...,
pseudonym_key=...)` checks every row, replaces personal codes by keyed pseudonyms and writes one Parquet
part atomically, or writes nothing and returns the row-level errors in Latvian and English."""

from analytics.imports.importer import import_file
from analytics.imports.personal_code import PersonalCodePolicy
from analytics.imports.pseudonym import pseudonymise
from analytics.imports.report import ImportReport, Issue
from analytics.imports.sources import SOURCES

__all__ = ["SOURCES", "ImportReport", "Issue", "PersonalCodePolicy", "import_file", "pseudonymise"]
