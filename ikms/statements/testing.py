"""Helpers for tests of the statements (here and in the root tests): a tiny lake in which one person studied, and a
request recorded and issued from it."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from django.conf import settings

from analytics.tests.fixtures.history_lake import enrolment, learner, write_rows
from ikms.statements import services
from ikms.statements.models import Statement, StatementRequest

#: A valid old-format personal code (check digit right) of the person the tiny lake knows, and one it does not.
CODE = "010190-10001"
UNKNOWN_CODE = "140785-11239"
YEARS = ("2022/2023", "2023/2024")


def tiny_lake(root: Path | None = None, *, institution: str = "1111111111", programme: str = "21011111") -> Path:
    """Enrolments in two school years and a graduation of the person with CODE (at `institution`)."""
    root = Path(root or tempfile.mkdtemp(prefix="ikms-statements-lake-"))
    me = learner(CODE, str(settings.IKMS_PSEUDONYM_KEY))
    start = dt.date(2014, 9, 1)
    write_rows(root, "enrolments", YEARS[0], [enrolment(me, institution, programme, start, grade=8)])
    write_rows(
        root,
        "enrolments",
        YEARS[1],
        [enrolment(me, institution, programme, start, grade=9, end_date=dt.date(2024, 6, 20))],
    )
    write_rows(root, "graduates", YEARS[1], [{"learner_id": me, "institution": institution, "level": "basic"}])
    return root


def record(actor, *, lake_root: Path | None = None, **overrides) -> StatementRequest:
    data = {
        "authority": "Pilsonības un migrācijas lietu pārvalde",
        "authority_reference": "1/2-3/456",
        "authority_date": dt.date(2025, 3, 3),
        "received_on": dt.date(2025, 3, 5),
        "purpose": "Latvijas pilsonības piešķiršana naturalizācijas kārtībā",
        "legal_basis": services.LEGAL_BASIS,
        "person_name": "Anna Bērziņa",
        "personal_code": CODE,
        **overrides,
    }
    return services.request_record(actor=actor, lake_root=lake_root, **data)


def issued(actor, *, lake_root: Path | None = None, **overrides) -> Statement:
    """A request recorded from a tiny lake (made for it unless given) and its statement issued."""
    request = record(actor, lake_root=lake_root or tiny_lake(), **overrides)
    return services.statement_issue(actor=actor, request=request)
