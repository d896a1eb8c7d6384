"""Synthetic Latvian complaint texts with a topic and a submitter, for training and testing the topic classifier
(``analytics.complaints``) and for demo complaints.

Each text is assembled from the phrase bank of ``complaint_phrases.py``: an optional greeting and
introduction in the submitter's voice (a parent, a pupil, a teacher or someone else, e.g. a grandparent),
one to four sentences of the main topic, often one or two of a second topic (the report's topics overlap: a
mark lowered by a rude teacher, an injury the school did not report), sentences any complaint may contain
("we spoke to the head, nothing changed"), a request and a signature. Every sentence template has slots (the
child, the teacher, the subject, the school, dates, marks) and alternatives, so few texts repeat. Then the
noise people's writing has: a third of pupils and a fifth of adults type without diacritics, some
transliterate (ā → aa, š → sh), some make typos, pupils often write in lower case without full stops.

What makes the task hard on purpose, so that the held-out score means something:

* topics share their vocabulary (teacher, marks, e-klase, the head, the school did nothing);
* some sentences sit on a boundary and are labelled one way (a teacher grabbing a child: safety);
* a text with one sentence of its main topic and one of another, in either order, is ambiguous: the label
  is the topic the generator meant, which the text alone cannot always tell;
* a fifth of the "other" texts are vague complaints with nothing but the shared sentences.

Deterministic: item ``i`` of a seed is the same text whatever ``n`` is asked for (a random stream per item,
seeded with the seed and the index). The topic shares are assumptions: the 2024 report names the frequent
topics but gives no counts.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Mapping
from typing import NamedTuple

from analytics.synth.complaint_phrases import (
    CHILDREN,
    CLOSINGS,
    FIRST_NAMES,
    GREETINGS,
    HEADS,
    INTRODUCTIONS,
    MONTHS_LOC,
    REQUESTS,
    SCHOOL_TYPES,
    SHARED_SENTENCES,
    SINCE,
    SUBJECTS,
    SURNAMES,
    TEACHERS,
    TOPIC_SENTENCES,
    TOWNS,
    WHEN,
)

TOPICS = tuple(TOPIC_SENTENCES)
SUBMITTER_TYPES = ("parent", "pupil", "teacher", "other")
DEFAULT_SEED = 2024
PHRASINGS = ("all", "train", "held_out")
HELD_OUT_PHRASINGS = 0.3

# Assumed shares of the topics (the report lists them without counts; most complaints concern teachers' work).
TOPIC_WEIGHTS = {
    "programme_implementation": 0.15,
    "assessment": 0.17,
    "teacher_ethics": 0.18,
    "safety": 0.17,
    "pupil_rights": 0.13,
    "parent_communication": 0.12,
    "other": 0.08,
}
# Who writes, per topic: parent, pupil, teacher, other (parents most often, as the report says).
SUBMITTER_WEIGHTS = {
    "programme_implementation": (0.60, 0.12, 0.18, 0.10),
    "assessment": (0.65, 0.20, 0.05, 0.10),
    "teacher_ethics": (0.68, 0.14, 0.08, 0.10),
    "safety": (0.65, 0.14, 0.07, 0.14),
    "pupil_rights": (0.60, 0.20, 0.08, 0.12),
    "parent_communication": (0.82, 0.03, 0.05, 0.10),
    "other": (0.55, 0.10, 0.20, 0.15),
}
# Which second topic a text of a topic tends to mention (weights).
SECOND_TOPIC = {
    "programme_implementation": {
        "assessment": 2,
        "pupil_rights": 2,
        "other": 1,
        "parent_communication": 1,
        "teacher_ethics": 1,
    },
    "assessment": {"teacher_ethics": 2, "parent_communication": 2, "pupil_rights": 2, "programme_implementation": 1},
    "teacher_ethics": {"assessment": 2, "safety": 2, "parent_communication": 2, "pupil_rights": 1},
    "safety": {"teacher_ethics": 2, "parent_communication": 2, "pupil_rights": 1, "other": 1},
    "pupil_rights": {
        "programme_implementation": 1,
        "assessment": 1,
        "teacher_ethics": 2,
        "safety": 1,
        "parent_communication": 2,
    },
    "parent_communication": {"teacher_ethics": 2, "safety": 1, "assessment": 2, "pupil_rights": 1},
    "other": {"parent_communication": 1, "safety": 1, "pupil_rights": 1, "programme_implementation": 1},
}
# The perspectives of the phrase bank a submitter writes in, with weights.
PERSPECTIVES = {
    "parent": {"about": 0.55, "parent": 0.45},
    "other": {"about": 0.6, "parent": 0.4},
    "pupil": {"pupil": 0.65, "about": 0.35},
    "teacher": {"staff": 0.55, "about": 0.45},
}
SHARED_PERSPECTIVE = {
    "parent": ("about", "parent"),
    "other": ("about", "parent"),
    "pupil": ("pupil", "about"),
    "teacher": ("staff",),
}
FORMAL_SHARE = {"parent": 0.6, "other": 0.6, "teacher": 0.8, "pupil": 0.15}
FEMALE_SHARE = {"parent": 0.75, "other": 0.7, "teacher": 0.85, "pupil": 0.5}
NO_DIACRITICS_SHARE = {"parent": 0.2, "other": 0.2, "teacher": 0.08, "pupil": 0.35}
LENGTHS = {"short": 0.3, "medium": 0.45, "long": 0.25}
SECOND_TOPIC_SHARE = {"short": 0.15, "medium": 0.4, "long": 0.55}

_CHOICE = re.compile(r"\[([^\[\]]*)\]")
_SLOT = re.compile(r"\{(\w+)(?::([^{}]*))?\}")
_FOLD = str.maketrans("āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ", "acegiklnsuzACEGIKLNSUZ")
_TRANSLIT = {
    "ā": "aa",
    "ē": "ee",
    "ī": "ii",
    "ū": "uu",
    "š": "sh",
    "ž": "zh",
    "č": "ch",
    "ķ": "k",
    "ļ": "l",
    "ņ": "n",
    "ģ": "g",
}
_NEAR_KEYS = {
    "a": "s",
    "s": "a",
    "d": "f",
    "f": "d",
    "g": "h",
    "h": "g",
    "j": "k",
    "k": "j",
    "l": "k",
    "e": "r",
    "r": "e",
    "t": "r",
    "i": "o",
    "o": "i",
    "u": "i",
    "n": "m",
    "m": "n",
    "v": "b",
    "b": "v",
    "p": "o",
}


class SyntheticComplaint(NamedTuple):
    """One synthetic complaint: its text, its (main) topic code and who wrote it."""

    text: str
    topic: str
    submitter_type: str


def generate_complaints(n: int, seed: int = DEFAULT_SEED, phrasings: str = "all") -> list[SyntheticComplaint]:
    """``n`` labelled complaint texts (items 0 … n − 1 of the seed).

    ``phrasings`` picks the topic sentence templates used: ``"all"``, or one of two disjoint parts of every
    pool, ``"train"`` (about 70 %) and ``"held_out"`` (the rest), for scoring a classifier on wordings it has
    never seen. Greetings, introductions, shared sentences and requests are the same in both parts."""
    if phrasings not in PHRASINGS:
        raise ValueError(f"phrasings must be one of {PHRASINGS}")
    return [synthetic_complaint(seed, i, phrasings) for i in range(n)]


def synthetic_complaint(seed: int, index: int, phrasings: str = "all") -> SyntheticComplaint:
    """Item ``index`` of ``seed``: its own random stream, so it does not depend on how many are drawn."""
    rng = random.Random(f"ikms-complaints:{seed}:{phrasings}:{index}")
    topic = _weighted(rng, TOPIC_WEIGHTS)
    submitter = rng.choices(SUBMITTER_TYPES, weights=SUBMITTER_WEIGHTS[topic])[0]
    ctx = slots(rng, submitter)
    formal = rng.random() < FORMAL_SHARE[submitter]
    length = _weighted(rng, LENGTHS)

    n_main = {"short": 1, "medium": rng.choice((1, 2, 2, 3)), "long": rng.choice((2, 3, 3, 4))}[length]
    vague = topic == "other" and rng.random() < 0.2
    main = [] if vague else _sentences(rng, topic, submitter, n_main, phrasings)
    second: list[str] = []
    if not vague and rng.random() < SECOND_TOPIC_SHARE[length]:
        other_topic = _weighted(rng, SECOND_TOPIC[topic])
        n_second = rng.choice((1, 2)) if n_main >= 3 else 1
        second = _sentences(rng, other_topic, submitter, n_second, phrasings)
    n_shared = {"short": 0, "medium": rng.choice((0, 0, 1)), "long": rng.choice((1, 1, 2))}[length]
    shared = _shared(rng, submitter, max(n_shared, 2 if vague else 0))

    body = main + second + shared
    if (len(main) == 1 and len(second) == 1) or rng.random() < 0.25:
        rng.shuffle(body)  # which topic comes first says nothing then
    else:
        rest = body[1:]
        rng.shuffle(rest)
        body = body[:1] + rest

    register = "formal" if formal else "informal"
    head: list[str] = []
    if length != "short" and rng.random() < (0.8 if formal else 0.5):
        head.append(rng.choice(GREETINGS[register]))
    if length != "short" and rng.random() < 0.55:
        head.append(rng.choice(INTRODUCTIONS[submitter if submitter in INTRODUCTIONS else "parent"]))
    tail: list[str] = []
    if rng.random() < (0.35 if length == "short" else 0.75):
        tail.append(rng.choice(REQUESTS[register]))
    if formal and length != "short" and rng.random() < 0.6:
        tail.append(rng.choice(CLOSINGS))

    seen: set[str] = set()
    parts = [render(part, rng, ctx, seen) for part in [*head, *body, *tail]]
    separator = "\n" if formal and length == "long" and rng.random() < 0.7 else " "
    text = _noise(separator.join(parts), rng, submitter, formal)
    return SyntheticComplaint(text, topic, submitter)


def render(template: str, rng: random.Random, ctx: dict[str, str], seen: set[str] | None = None) -> str:
    """A template with its alternatives drawn and its slots filled, as a sentence (capitalised, single spaces).

    A person (``child``, ``teacher``, ``head``) is named in full the first time; later mentions of the same
    item (``seen`` carries them over between sentences) use the bare noun ("skolotāja") or a pronoun."""
    seen = set() if seen is None else seen
    text = template
    while _CHOICE.search(text):
        text = _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), text)
    for _ in range(3):  # slot values may hold slots ("{grade} klases skolēns")
        text = _SLOT.sub(lambda m: _slot(m, rng, ctx, seen), text)
    text = re.sub(r"[ \t]+", " ", text).replace(" ,", ",").replace(" .", ".").strip()
    return text[:1].upper() + text[1:]


_PRONOUNS = {"": ("viņš", "viņa"), "_gen": ("viņa", "viņas"), "_dat": ("viņam", "viņai"), "_acc": ("viņu", "viņu")}


def _slot(match: re.Match[str], rng: random.Random, ctx: dict[str, str], seen: set[str]) -> str:
    name, forms = match.group(1), match.group(2)
    if forms is not None:
        masculine, feminine = forms.split("~")
        return feminine if ctx[f"{name}_gender"] == "f" else masculine
    person, _, case = name.partition("_")
    if person not in ("child", "teacher", "head") or case not in ("", "gen", "dat", "acc"):
        return ctx[name]
    if person not in seen:
        seen.add(person)
        return ctx[name]
    if rng.random() < 0.4:
        return _PRONOUNS["_" + case if case else ""][ctx[f"{person}_gender"] == "f"]
    return ctx[name].split(" ")[-1]  # the bare noun: "skolotāja", "dēlu", "audzinātājai"


def _weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def template_pool(topic: str, perspective: str, phrasings: str = "all") -> list[str]:
    """The sentence templates of a topic and perspective in a part of the phrasings (see ``generate_complaints``).

    The held-out part is a fixed 30 % of each pool (at least one template), chosen by a hash of the template
    text, so it does not move when templates are added elsewhere; a pool of one template is in both parts."""
    pool = TOPIC_SENTENCES[topic].get(perspective, [])
    if phrasings == "all" or len(pool) < 2:
        return pool
    ranked = sorted(pool, key=lambda t: zlib.crc32(t.encode()))
    held_out = set(ranked[: max(1, round(len(pool) * HELD_OUT_PHRASINGS))])
    return [t for t in pool if (t in held_out) == (phrasings == "held_out")]


def _sentences(rng: random.Random, topic: str, submitter: str, k: int, phrasings: str) -> list[str]:
    """``k`` different sentence templates of a topic in the submitter's perspectives."""
    pools = {p: template_pool(topic, p, phrasings) for p in PERSPECTIVES[submitter]}
    perspectives = {p: w for p, w in PERSPECTIVES[submitter].items() if pools[p]}
    chosen: list[str] = []
    for _ in range(k * 4):
        if len(chosen) == k:
            break
        template = rng.choice(pools[_weighted(rng, perspectives)])
        if template not in chosen:
            chosen.append(template)
    return chosen


def _shared(rng: random.Random, submitter: str, k: int) -> list[str]:
    pool = [s for p in SHARED_PERSPECTIVE[submitter] for s in SHARED_SENTENCES[p]]
    return rng.sample(pool, min(k, len(pool)))


def slots(rng: random.Random, submitter: str) -> dict[str, str]:
    """The item's people, school, subject and dates, in the cases the templates ask for."""
    child = rng.choice(CHILDREN[submitter])
    teacher = rng.choice(TEACHERS)
    head = rng.choice(HEADS)
    subject = rng.choice(SUBJECTS)
    grade_number = rng.randint(5, 12) if submitter == "pupil" else rng.randint(1, 12)
    grade = f"{grade_number}.{rng.choice(('', '', 'a', 'b', 'c'))}"
    town = rng.choice(TOWNS)
    number = rng.choice(("", "", "1. ", "2. ", "3. ", "4. ", "5. ", "12. ", "45. "))
    school_loc, school_gen = rng.choice(SCHOOL_TYPES)
    gender = "f" if rng.random() < FEMALE_SHARE[submitter] else "m"
    month = rng.choice(MONTHS_LOC)
    ctx = {
        "child": child[0],
        "child_gen": child[1],
        "child_dat": child[2],
        "child_acc": child[3],
        "child_gender": child[4],
        "g_gender": child[4],
        "he": "viņa" if child[4] == "f" else "viņš",
        "him": "viņai" if child[4] == "f" else "viņam",
        "his": "viņas" if child[4] == "f" else "viņa",
        "him_acc": "viņu",
        "teacher": teacher[0],
        "teacher_gen": teacher[1],
        "teacher_dat": teacher[2],
        "teacher_acc": teacher[3],
        "teacher_gender": teacher[4],
        "tg_gender": teacher[4],
        "head": head[0],
        "head_gen": head[1],
        "head_dat": head[2],
        "head_acc": head[3],
        "head_gender": head[4],
        "sg_gender": gender,
        "subject": subject[0],
        "subject_gen": subject[1],
        "subject_loc": subject[2],
        "grade": grade,
        "age": str(grade_number + 6),
        "years": str(rng.randint(3, 25)),
        "school_loc": f"{town} {number}{school_loc}",
        "school_gen": f"{town} {number}{school_gen}",
        "when": rng.choice(WHEN).replace("{day}", str(rng.randint(1, 28))).replace("{month}", month),
        "since": rng.choice(SINCE),
        "mark": str(rng.randint(1, 4)),
        "mark_hi": str(rng.randint(6, 9)),
        "pct": str(rng.randint(30, 58)),
        "n": str(rng.randint(3, 9)),
        "name": f"{rng.choice(FIRST_NAMES[gender])} {rng.choice(SURNAMES)[1 if gender == 'f' else 0]}",
    }
    for key in ("teacher", "teacher_gen", "teacher_dat", "teacher_acc"):
        ctx[key] = ctx[key].replace("{S}", subject[1])
    return ctx


def _noise(text: str, rng: random.Random, submitter: str, formal: bool) -> str:
    """Missing diacritics or transliteration, typos, and for informal writers lower case and no last full stop."""
    roll = rng.random()
    if roll < NO_DIACRITICS_SHARE[submitter]:
        text = text.translate(_FOLD)
    elif roll < NO_DIACRITICS_SHARE[submitter] + 0.03:
        text = "".join(_TRANSLIT.get(ch, ch) for ch in text)
    rate = rng.choice((0.0, 0.0, 0.01, 0.02, 0.04) if submitter != "pupil" else (0.0, 0.02, 0.04, 0.06))
    if rate:
        text = " ".join(
            _typo(word, rng) if len(word) >= 4 and rng.random() < rate else word for word in text.split(" ")
        )
    if not formal:
        if rng.random() < (0.5 if submitter == "pupil" else 0.1):
            text = text.lower()
        if rng.random() < 0.3:
            text = text.rstrip(".!")
    return text


def _typo(word: str, rng: random.Random) -> str:
    """One slip of the keyboard: two letters swapped, one dropped, doubled or replaced by a neighbour."""
    letters = [i for i, ch in enumerate(word) if ch.isalpha()]
    if len(letters) < 3:
        return word
    i = rng.choice(letters[1:-1])
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    return word[:i] + _NEAR_KEYS.get(word[i], word[i]) + word[i + 1 :]
