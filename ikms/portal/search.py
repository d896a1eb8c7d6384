"""Finding schools by name the way people type them: without diacritics, case or punctuation, words in any order,
each word the beginning of a word of the name, and one slip of the keyboard forgiven in longer words.

"rigas 10 vidusskola", "Vidusskola rīgas 10." and "riigas 10 vidusskola" all find "Rīgas 10. vidusskola".

The search runs in Python over the public list, not in SQL, so it answers the same on SQLite and PostgreSQL (whose
collations, `unaccent` and regular expressions differ). Each process keeps the folded names of the public list
(`public_index()`), about 3,000 schools, and rebuilds them when the register changes: at once when
`ikms.registry.signals.register_changed` arrives in this process (`apps.PortalConfig.ready`), and otherwise when the
register's fingerprint (how many entries, when one last changed) differs, which a change made by another process
leaves, or one whose signal never came (a test's rolled-back transaction)."""

from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import overload

from django.db.models import Count, Max

from ikms.registry import selectors as registry
from ikms.registry.models import Institution

#: A query word of at least this many letters may be one edit (a letter wrong, missing, extra, or two swapped) away
#: from the beginning of a word of the name.
TYPO_MIN_LETTERS = 5
_WORD = re.compile(r"[^\W_]+")
#: How many query words each index remembers the matches of (a list page and its next pages ask again).
_REMEMBERED_WORDS = 512

# the quality of a word's match, best first
_WHOLE, _PREFIX, _TYPO = 0, 1, 2


def fold(text: str) -> str:
    """Case-folded, without diacritics (ā→a, č→c, ģ→g, ķ→k, ļ→l, ņ→n, š→s, ž→z, ō→o …)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The folded words of a text; punctuation and spaces only separate them ("Rīgas 10." → rigas, 10)."""
    return _WORD.findall(fold(text or ""))


def near_prefix(word: str, candidate: str) -> bool:
    """Whether `word` is the beginning of `candidate` after at most one edit: one letter replaced, left out, added,
    or two neighbours swapped. One edit can always be made at the first difference, so only that place is tried."""
    n, m = len(word), len(candidate)
    i = 0
    while i < n and i < m and word[i] == candidate[i]:
        i += 1
    if i == n:
        return True
    rest = word[i + 1:]
    if i < m and candidate.startswith(rest, i + 1):  # a letter replaced (or, at the end, one too many)
        return True
    if candidate.startswith(rest, i):  # a letter too many
        return True
    if i < m and candidate.startswith(word[i:], i + 1):  # a letter left out
        return True
    return (i + 1 < n and i + 1 < m and word[i] == candidate[i + 1] and word[i + 1] == candidate[i]
            and candidate.startswith(word[i + 2:], i + 2))  # two letters swapped


def _sort_key(name: str) -> tuple:
    """Alphabetical without diacritics and case, numbers by value ("Rīgas 2." before "Rīgas 10.")."""
    return tuple((0, int(w), "") if w.isdigit() else (1, 0, w) for w in words(name))


@dataclass(frozen=True)
class Entry:
    """A school the index finds: its key, registration number, name and the two classifiers it filters by."""

    pk: int
    registration_number: str
    name: str
    type: str
    municipality: str


class NameIndex:
    """The folded names of some schools, searched by query words (see the module docstring)."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries = sorted(entries, key=lambda e: (_sort_key(e.name), e.name, e.registration_number))
        postings: dict[str, set[int]] = {}
        for position, entry in enumerate(self.entries):
            for word in words(entry.name):
                postings.setdefault(word, set()).add(position)
        self._vocabulary = sorted(postings)
        self._postings = {w: tuple(sorted(p)) for w, p in postings.items()}
        self._matches: dict[str, dict[int, int]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.entries)

    def _word_matches(self, word: str) -> dict[int, int]:
        """{entry position: quality} of the entries with a word that `word` begins (or nearly begins)."""
        with self._lock:
            found = self._matches.get(word)
        if found is not None:
            return found
        found = {}
        vocabulary = self._vocabulary
        start = bisect_left(vocabulary, word)
        for v in vocabulary[start:]:  # every word beginning with `word` sorts right after it
            if not v.startswith(word):
                break
            quality = _WHOLE if v == word else _PREFIX
            for position in self._postings[v]:
                if found.get(position, _TYPO) > quality:
                    found[position] = quality
        if len(word) >= TYPO_MIN_LETTERS and word.isalpha():
            shortest = len(word) - 1
            for v in vocabulary:
                if len(v) >= shortest and not v.startswith(word) and near_prefix(word, v):
                    for position in self._postings[v]:
                        found.setdefault(position, _TYPO)
        with self._lock:
            if len(self._matches) >= _REMEMBERED_WORDS:
                self._matches.clear()
            self._matches[word] = found
        return found

    def search(self, q: str = "", *, type: str = "", municipality: str = "") -> Hits:
        """The entries whose name has every word of `q` (in any order), filtered by type and municipality codes,
        best first: whole words before word beginnings, then alphabetically. A query of one number also finds
        registration numbers beginning with it. Names that need a forgiven slip are given only when no name
        matches without one (then `approximate`): "testa" finds "Testa", not also "iestāde"."""
        query = list(dict.fromkeys(words(q)))

        def wanted(entry: Entry) -> bool:
            return (not type or entry.type == type) and (not municipality or entry.municipality == municipality)

        if not query:
            return Hits([e.pk for e in self.entries if wanted(e)], approximate=False)
        per_word = [self._word_matches(w) for w in query]
        if len(query) == 1 and query[0].isdigit():
            numbers = {p: _WHOLE if e.registration_number == query[0] else _PREFIX
                       for p, e in enumerate(self.entries) if e.registration_number.startswith(query[0])}
            per_word = [{**per_word[0], **numbers}]
        per_word.sort(key=len)
        ranked = []
        for position, quality in per_word[0].items():
            qualities = [quality]
            for other in per_word[1:]:
                found = other.get(position)
                if found is None:
                    break
                qualities.append(found)
            else:
                if wanted(self.entries[position]):
                    ranked.append(((qualities.count(_TYPO), qualities.count(_PREFIX)), position))
        exact = [item for item in ranked if item[0][0] == 0]
        approximate = bool(ranked) and not exact
        ranked = sorted(ranked if approximate else exact)
        return Hits([self.entries[position].pk for _rank, position in ranked], approximate=approximate)


@dataclass(frozen=True)
class Hits:
    """The keys of the entries a search found, best first; `approximate` when they needed a forgiven slip."""

    keys: list[int]
    approximate: bool


# --- the public list, kept per process -----------------------------------------------------------------------


_cache: dict[str, tuple[tuple, NameIndex]] = {}
_cache_lock = threading.Lock()


def _fingerprint() -> tuple:
    """What changes whenever an entry of the register is added, changed or removed (one small query)."""
    agg = Institution.objects.aggregate(n=Count("pk"), changed=Max("updated_at"))
    return agg["n"], agg["changed"]


def public_index() -> NameIndex:
    """The index of the public list of schools (built once per process and register state)."""
    fingerprint = _fingerprint()
    cached = _cache.get("public")
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    rows = registry.institution_public_list().values_list(
        "pk", "registration_number", "name", "type__code", "municipality__code")
    index = NameIndex(Entry(*row) for row in rows)
    with _cache_lock:
        _cache["public"] = (fingerprint, index)
    return index


def forget_public_index(**kwargs) -> None:
    """Receiver of `register_changed`: the next search rebuilds the index."""
    with _cache_lock:
        _cache.clear()


class Found(Sequence[Institution]):
    """The schools a search found, in its order; a page of them (a slice) is read from the database when asked
    for, so a paginator or the API's pagination reads one page at a time. `approximate`: see `NameIndex.search`."""

    def __init__(self, hits: Hits) -> None:
        self.keys = hits.keys
        self.approximate = hits.approximate

    def __len__(self) -> int:
        return len(self.keys)

    @overload
    def __getitem__(self, item: int) -> Institution: ...

    @overload
    def __getitem__(self, item: slice) -> list[Institution]: ...

    def __getitem__(self, item):
        if isinstance(item, slice):
            keys = self.keys[item]
            found = registry.institution_public_list().in_bulk(keys)
            return [found[k] for k in keys if k in found]
        return registry.institution_public_list().get(pk=self.keys[item])

    def __iter__(self) -> Iterator[Institution]:
        return iter(self[:])
