"""The complaint topic benchmark (benchmarks/complaint_topics.py) on a few synthetic texts: it writes the JSON
with the keys docs/benchmarks.md and the supervision issue name. It asserts no scores (the full run is in
docs/benchmarks.md)."""

import json

from analytics.complaints.topics import topic_codes
from benchmarks.complaint_topics import handwritten_texts, main

SCORE_KEYS = {"held_out_n", "macro_f1", "accuracy", "top_k_accuracy", "topics", "confusion"}


def test_the_benchmark_writes_held_out_scores_per_topic(tmp_path):
    out = tmp_path / "topics.json"
    assert main(["--n", "280", "--seed", "3", "--out", str(out)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))

    assert SCORE_KEYS | {"seed", "n_items", "train_n", "model", "command"} <= set(result)
    assert (result["seed"], result["n_items"], result["held_out_n"], result["train_n"]) == (3, 280, 70, 210)
    assert 0.0 <= result["macro_f1"] <= 1.0
    assert set(result["topics"]) == set(topic_codes())
    for figures in result["topics"].values():
        assert {"precision", "recall", "support"} <= set(figures)
    assert sum(f["support"] for f in result["topics"].values()) == 70
    assert SCORE_KEYS <= set(result["unseen_phrasings"]) and result["unseen_phrasings"]["held_out_n"] == 70
    assert result["handwritten"]["held_out_n"] == len(handwritten_texts()) == 35
    assert "--n 280 --seed 3" in result["command"]


def test_the_handwritten_texts_cover_every_topic_five_times():
    topics = [topic for _, topic in handwritten_texts()]
    assert sorted(set(topics)) == sorted(topic_codes())
    assert all(topics.count(code) == 5 for code in topic_codes())
