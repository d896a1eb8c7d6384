"""Latvian text preparation for the complaint topic classifier, offline.

Tokens are runs of letters (digits and punctuation dropped), lower-cased and lemmatised with simplemma's
Latvian dictionary (bundled with the package; nothing is downloaded). The lemma is then folded to plain
Latin letters (ā → a, š → s ...), so a text typed without diacritics ("skolotaja neatbild") meets the same
features as one typed with them wherever the lemma is unchanged; stop words (``stopwords_lv.txt``: the
stopwords-iso list that spaCy also uses, plus pronouns) are removed after lemmatising.

spaCy's Latvian tokenizer is not used: spaCy is not a dependency of this project, and for topic words a
letter-run tokenizer plus simplemma does the same job. The character n-grams of ``fold`` (see
``topics.py``) catch what lemmas miss: typos and forms simplemma does not know.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import simplemma

STOPWORDS_FILE = Path(__file__).with_name("stopwords_lv.txt")
_WORD = re.compile(r"[^\W\d_]+")
_SPACES = re.compile(r"\s+")
# Latvian letters with diacritics and their plain forms; other accented letters lose their marks through NFKD.
_FOLD = str.maketrans("āčēģīķļņōŗšūžĀČĒĢĪĶĻŅŌŖŠŪŽ", "acegiklnorsuzACEGIKLNORSUZ")


def fold(text: str) -> str:
    """Lower case, Latvian diacritics removed (ā → a, ž → z), runs of white space made one space."""
    plain = text.lower().translate(_FOLD)
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", plain) if not unicodedata.combining(ch))
    return _SPACES.sub(" ", plain).strip()


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The stop words of ``stopwords_lv.txt``, folded (so "arī" and "ari" both match)."""
    lines = STOPWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(fold(line) for line in lines if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=200_000)
def lemma(token: str) -> str:
    """The folded simplemma lemma of a lower-case token ("skolotājai" → "skolotaja")."""
    return fold(simplemma.lemmatize(token, lang="lv"))


def lemmas(text: str) -> list[str]:
    """The text's folded lemmas in order, stop words and one-letter tokens left out."""
    stop = stopwords()
    out = []
    for token in _WORD.findall(text.lower()):
        if len(token) < 2:
            continue
        word = lemma(token)
        if len(word) > 1 and word not in stop and fold(token) not in stop:
            out.append(word)
    return out


def lemma_text(text: str) -> str:
    """``lemmas`` joined by spaces: the input of the word n-gram vectoriser."""
    return " ".join(lemmas(text))
