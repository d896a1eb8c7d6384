"""Near-duplicate complaints by text (analytics.complaints.similar): a complaint sent again, reordered or retyped
without diacritics, is found; different complaints of the same topic are not."""

import random

from analytics.complaints.similar import DEFAULT_THRESHOLD, similar
from analytics.complaints.text import fold
from analytics.synth.complaints import generate_complaints

TEXTS = generate_complaints(200, seed=11)


def _retyped(text: str, rng: random.Random) -> str:
    sentences = text.split(". ")
    rng.shuffle(sentences)
    return fold(". ".join(sentences))


def test_a_complaint_sent_again_reordered_and_without_diacritics_is_found_first() -> None:
    rng = random.Random(3)
    for k, original in enumerate(TEXTS[:40]):
        others = [("copy", _retyped(original.text, rng))] + [(j, TEXTS[j].text) for j in range(100, 130) if j != k]
        found = similar(original.text, others)
        assert found and found[0][0] == "copy", original.text
        assert found[0][1] >= DEFAULT_THRESHOLD


def test_different_complaints_of_one_topic_are_not_duplicates() -> None:
    by_topic: dict[str, list[str]] = {}
    for c in TEXTS:
        by_topic.setdefault(c.topic, []).append(c.text)
    pairs = 0
    for texts in by_topic.values():
        if len(texts) > 1:
            assert similar(texts[0], list(enumerate(texts[1:]))) == []
            pairs += len(texts) - 1
    assert pairs > 150


def test_empty_texts_and_no_candidates_give_nothing() -> None:
    assert similar("Skolā nav stundu.", []) == []
    assert similar("  ", [(1, "Skolā nav stundu.")]) == []
    assert similar("a b", [(1, "c d")]) == []
    assert similar("Skolā nav stundu.", [(1, "Skolā nav stundu.")]) == [(1, 1.0)]
