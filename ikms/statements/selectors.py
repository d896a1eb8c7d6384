"""Reads of the statements: the requests the user may see (the policy's scope), searched by a reference number (the
statement's or the authority's) or the request's number. Never by the person: the list shows names, but a search by
name or personal code is not offered (an authority's request names its own reference)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ikms.statements import permissions
from ikms.statements.models import StatementRequest


def request_visible_to(user) -> QuerySet[StatementRequest]:
    qs = StatementRequest.objects.select_related("statement", "recorded_by")
    return permissions.STATEMENT.scope(user, qs)


def request_get_for_user(*, user, pk: int) -> StatementRequest:
    return permissions.STATEMENT.get(user, request_visible_to(user), pk=pk)


def search(qs: QuerySet[StatementRequest], text: str) -> QuerySet[StatementRequest]:
    text = (text or "").strip()
    if not text:
        return qs
    q = Q(statement__reference__icontains=text) | Q(authority_reference__icontains=text)
    if text.isdigit() and len(text) <= 9:  # the request's own number
        q |= Q(pk=int(text))
    return qs.filter(q)
