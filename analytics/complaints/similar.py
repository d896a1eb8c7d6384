"""Near-duplicate complaints: the same matter sent twice (by e-mail and by post, or by two parents of one class),
found by how alike the texts are, offline.

Each text, folded (``text.fold``: lower case, without diacritics, so "skolotāja" and "skolotaja" meet), becomes
its character 3–5-grams within words, weighted by TF-IDF over the texts compared; the cosine similarity of two
such vectors says how alike they are (1: the same text). A pair at or above the threshold is a *possible*
duplicate for a person to check, never merged automatically. Character n-grams were chosen over lemmas because a
copy retyped without diacritics lemmatises differently but keeps its n-grams. The threshold is the caller's (a
setting); the default 0.7 was chosen on the synthetic texts (``analytics/synth/complaints.py``, 400 texts): two
different complaints of one topic reached at most 0.58 (99th percentile 0.45), and a complaint with its sentences
reordered and half of them retyped without diacritics stayed at or above 0.92 (``analytics/tests`` checks both).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from analytics.complaints.text import fold

DEFAULT_THRESHOLD = 0.7


def similar(
    text: str, others: Sequence[tuple[Hashable, str]], *, threshold: float = DEFAULT_THRESHOLD
) -> list[tuple[Hashable, float]]:
    """The keys of ``others`` (key, text) whose text is at least ``threshold`` alike ``text``, the most alike
    first, each with its similarity (0–1, rounded to two decimals)."""
    if not others:
        return []
    docs = [text, *(t for _, t in others)]
    if not fold(text):
        return []
    vectoriser = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), preprocessor=fold, sublinear_tf=True)
    try:
        matrix = vectoriser.fit_transform(docs)
    except ValueError:  # no n-grams at all (texts of one- or two-letter words)
        return []
    scores = cosine_similarity(matrix[0], matrix[1:]).ravel()
    found = [(key, round(float(s), 2)) for (key, _), s in zip(others, scores, strict=True) if s >= threshold]
    return sorted(found, key=lambda pair: -pair[1])
