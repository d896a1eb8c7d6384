"""Who sees which rows: one access policy per protected resource (ADR 0017).

A `Policy` names, for one resource, the roles that see every row and the roles that see the rows of their
own institutions (a founder: the institutions it founded; a head: the institution it heads), and how a row
reaches its institution. From that one declaration come both answers the code needs:

* `policy.scope(user, queryset)` — the rows the user may see (lists, the API, exports, counts);
* `policy.allows(user, obj)` — may the user see this one object (detail pages, the dossier, services);
* `policy.get(user, queryset, **lookup)` — one visible object or Http404, the same for missing and forbidden.

`allows` asks the database through `scope`, so the two cannot disagree. Assignments count only while valid
today (`ikms.accounts.selectors.active_assignments`). Data Hub's association checker is the model: a role
either sees everything or only what it is associated with, and the association is one declared path.

A `Gate` is the other kind of rule: a page or an action that some roles may use at all (the national
dashboard, planning visits). Policies and gates register themselves, so the access matrix in the docs is
generated from them (`manage.py access_matrix`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from ikms.accounts.roles import Role
from ikms.accounts.selectors import has_role, scoped_founder_ids, scoped_institution_ids, user_roles
from ikms.registry.models import Institution, Municipality

#: Every declared policy and gate, by name, in declaration order (the access matrix reads these).
POLICIES: dict[str, Policy] = {}
GATES: dict[str, Gate] = {}


def _roles(roles: Iterable[Role | Iterable[Role]]) -> frozenset[Role]:
    out: set[Role] = set()
    for r in roles:
        out |= {r} if isinstance(r, Role) else set(r)
    return frozenset(out)


@dataclass(frozen=True, eq=False)
class Policy:
    """Who sees the rows of one resource.

    `everything`: roles that see every row. `founder` / `head`: whether a founder role sees the rows of its
    institutions and a head role the rows of its institution. The row reaches its institution by `path`
    (an ORM path to the Institution: "" for the institution itself, "institution", "case__institution"), or by
    `number` (a field holding the institution's registration number, for analytics results), or the resource
    is a municipality (`municipality=True`: a founder sees its own municipality). `member` is an ORM path to
    a user: rows where the user is that member are visible to the `member_role` (e.g. a commission member).
    `residence` is an ORM path to a Municipality that a row concerns other than through its institution (a
    learner's declared residence): a founder role sees the rows of the municipality it is the founder of."""

    name: str
    label: object
    everything: frozenset[Role]
    founder: bool = False
    head: bool = False
    path: str = ""
    number: str = ""
    municipality: bool = False
    member: str = ""
    member_role: Role | None = None
    note: object = ""
    extra_roles: frozenset[Role] = field(default_factory=frozenset)
    residence: str = ""

    def __post_init__(self):
        if self.name in POLICIES:
            raise ValueError(f"access policy {self.name!r} is declared twice")
        POLICIES[self.name] = self

    # --- the rule ------------------------------------------------------------------------------------------

    @property
    def roles(self) -> frozenset[Role]:
        """Every role that sees at least some rows."""
        scoped = {Role.FOUNDER} if (self.founder or self.municipality or self.residence) else set()
        scoped |= {Role.INSTITUTION_HEAD} if self.head else set()
        scoped |= {self.member_role} if self.member_role else set()
        return self.everything | scoped | self.extra_roles

    def may_open(self, user) -> bool:
        """May the user open the resource's list at all (each then sees their own rows)."""
        return has_role(user, self.roles)

    def sees_everything(self, user) -> bool:
        return has_role(user, self.everything)

    def _q(self, user) -> Q | None:
        """The filter for the user's rows (None: every row; an empty Q match: none)."""
        if self.sees_everything(user):
            return None
        held = user_roles(user)
        q = Q(pk__in=[])
        if self.municipality:
            if Role.FOUNDER in held:
                q |= Q(founders__id__in=scoped_founder_ids(user))
            return q
        if self.number:
            q |= Q(**{f"{self.number}__in": self.institutions(user).values("registration_number")})
        else:
            owned = self._institution_q(held, user, prefix=f"{self.path}__" if self.path else "")
            if owned is not None:
                q |= owned
        if self.member and self.member_role in held:
            q |= Q(**{self.member: user})
        if self.residence and Role.FOUNDER in held:
            founded = Municipality.objects.filter(founders__id__in=scoped_founder_ids(user)).values("pk")
            q |= Q(**{f"{self.residence}__in": founded})
        return q

    def _institution_q(self, held: set[Role], user, *, prefix: str) -> Q | None:
        q = None
        if self.founder and Role.FOUNDER in held:
            q = Q(**{f"{prefix}founder_id__in": scoped_founder_ids(user)})
        if self.head and Role.INSTITUTION_HEAD in held:
            own = Q(**{f"{prefix}id__in": scoped_institution_ids(user)})
            q = own if q is None else q | own
        return q

    def _founders_q(self, founder_ids: list[int]) -> Q | None:
        """The filter for the rows a founder role scoped to `founder_ids` sees (None: founders see no row)."""
        if self.municipality:
            return Q(founders__id__in=founder_ids)
        q = None
        if self.founder and self.number:
            founded = Institution.objects.filter(founder_id__in=founder_ids).values("registration_number")
            q = Q(**{f"{self.number}__in": founded})
        elif self.founder:
            q = Q(**{f"{self.path}__founder_id__in" if self.path else "founder_id__in": founder_ids})
        if self.residence:
            founded_munis = Municipality.objects.filter(founders__id__in=founder_ids).values("pk")
            residence = Q(**{f"{self.residence}__in": founded_munis})
            q = residence if q is None else q | residence
        return q

    def founders_scope(self, founder_ids: Iterable[int], qs: QuerySet) -> QuerySet:
        """The rows of `qs` a founder role scoped to these founders sees: the same rule as `scope`, for a report made
        for a municipality outside a request (ikms.reports.municipal), where no user is at hand."""
        q = self._founders_q(list(founder_ids))
        return qs.none() if q is None else qs.filter(q).distinct()

    def institutions(self, user, qs: QuerySet[Institution] | None = None) -> QuerySet[Institution]:
        """The institutions whose rows of this resource the user may see (of `qs`, default all)."""
        qs = Institution.objects.all() if qs is None else qs
        if self.sees_everything(user):
            return qs
        owned = self._institution_q(user_roles(user), user, prefix="") if self.may_open(user) else None
        return qs.none() if owned is None else qs.filter(owned)

    def allows_institution(self, user, institution: Institution) -> bool:
        """May the user see this resource's rows of one institution."""
        if institution is None or not self.may_open(user):
            return False
        return self.sees_everything(user) or self.institutions(user).filter(pk=institution.pk).exists()

    def via(self, relation: str, *, name: str, label, note="") -> Policy:
        """The same rule for the rows of another resource that reach this one through `relation` (an ORM path from
        that resource's rows to this resource's): a case file's documents and deadlines follow its case's policy
        (ADR 0022). The roles that see every row see every row of the other resource too, so scope a queryset that
        holds only rows related this way (a case type's files)."""
        if self.number or self.municipality:
            raise ValueError(f"policy {self.name!r} cannot be followed through a relation")

        def joined(path: str) -> str:
            return f"{relation}__{path}" if path else relation

        return Policy(
            name=name,
            label=label,
            everything=self.everything,
            founder=self.founder,
            head=self.head,
            path=joined(self.path),
            member=joined(self.member) if self.member else "",
            member_role=self.member_role,
            note=note or self.note,
            extra_roles=self.extra_roles,
            residence=joined(self.residence) if self.residence else "",
        )

    # --- the three answers ---------------------------------------------------------------------------------

    def scope(self, user, qs: QuerySet) -> QuerySet:
        """The rows of `qs` the user may see."""
        q = self._q(user)
        if q is None:
            return qs
        if not self.may_open(user):
            return qs.none()
        filtered = qs.filter(q)
        return filtered.distinct() if (self.member or self.municipality) else filtered

    def allows(self, user, obj: Model) -> bool:
        """May the user see this object: the same rule as `scope`, asked of the database for this one row."""
        if obj is None or not self.may_open(user):
            return False
        if self.sees_everything(user):
            return True
        return self.scope(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()

    def get(self, user, qs: QuerySet, **lookup) -> Model:
        """One row the user may see, or Http404 (the same answer for a missing and a forbidden row)."""
        try:
            return self.scope(user, qs).get(**lookup)
        except (qs.model.DoesNotExist, qs.model.MultipleObjectsReturned, ValueError, TypeError):
            raise Http404 from None


@dataclass(frozen=True, eq=False)
class Gate:
    """A page or an action some roles may use at all (no rows to scope): `gate.allows(user)`."""

    name: str
    label: object
    roles: frozenset[Role]
    note: object = ""

    def __post_init__(self):
        if self.name in GATES:
            raise ValueError(f"access gate {self.name!r} is declared twice")
        GATES[self.name] = self

    def allows(self, user) -> bool:
        return has_role(user, self.roles)


def policy(name: str, label, *, everything: Iterable[Role | Iterable[Role]] = (), **kwargs) -> Policy:
    """Declare a resource's policy (once, in its app's permissions.py)."""
    return Policy(name=name, label=label, everything=_roles(everything), **kwargs)


def gate(name: str, label, *roles: Role | Iterable[Role], note="") -> Gate:
    """Declare a gate (once, in its app's permissions.py)."""
    return Gate(name=name, label=label, roles=_roles(roles), note=note)


def scope_key(user) -> str:
    """A fingerprint of the rows a user's roles reach (for cache keys): "all" for a role that sees every row
    of the institution-scoped resources, else the founders and institutions of the user's assignments."""
    held = user_roles(user)
    if held & POLICIES["institution"].everything:
        return "all"
    return f"f{sorted(scoped_founder_ids(user))}i{sorted(scoped_institution_ids(user))}"


def predicate(rule: Policy | Gate) -> Callable:
    """The rule as a `can_…(user[, obj])` predicate (for `ikms.core.api.predicate_permission` and templates)."""
    return rule.allows
