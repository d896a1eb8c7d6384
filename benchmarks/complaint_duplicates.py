"""Near-duplicate complaints: how far apart the similarity (analytics.complaints.similar) puts a complaint sent again
and two different complaints of one topic, on the synthetic texts.

    uv run python -m benchmarks.complaint_duplicates          # writes results/complaint_duplicates.json

* ``different``: every pair of a topic's first text with up to 40 others of the same topic (different complaints
  that share a subject, the hardest case for a false alarm): the highest similarity and the 99th percentile.
* ``sent_again``: each of the first 100 texts against itself with its sentences shuffled and, for half of them,
  retyped without diacritics: the lowest similarity and the 5th percentile.

A threshold between the two (``DEFAULT_THRESHOLD``) separates them; on real complaints the margin will be
narrower (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path

import numpy as np

from analytics.complaints.similar import DEFAULT_THRESHOLD, similar
from analytics.complaints.text import fold
from analytics.synth.complaints import generate_complaints

RESULTS = Path(__file__).resolve().parent / "results" / "complaint_duplicates.json"


def run(n: int, seed: int) -> dict:
    texts = generate_complaints(n, seed=seed)
    by_topic: dict[str, list[int]] = {}
    for i, c in enumerate(texts):
        by_topic.setdefault(c.topic, []).append(i)
    different = []
    for idx in by_topic.values():
        others = [(j, texts[j].text) for j in idx[1:41]]
        different += [score for _, score in similar(texts[idx[0]].text, others, threshold=0.0)]
    rng = random.Random(seed)
    again = []
    for k, c in enumerate(texts[:100]):
        sentences = c.text.split(". ")
        rng.shuffle(sentences)
        copy = ". ".join(sentences)
        copy = fold(copy) if k % 2 else copy
        found = dict(similar(c.text, [("copy", copy)] + [(j, texts[j].text) for j in range(100, 130)], threshold=0.0))
        again.append(found["copy"])
    d, a = np.array(different), np.array(again)
    return {
        "generated": dt.datetime.now(dt.UTC).date().isoformat(),
        "command": f"python -m benchmarks.complaint_duplicates --n {n} --seed {seed}",
        "threshold": DEFAULT_THRESHOLD,
        "different": {"pairs": len(d), "max": round(float(d.max()), 3), "p99": round(float(np.percentile(d, 99)), 3)},
        "sent_again": {"pairs": len(a), "min": round(float(a.min()), 3), "p5": round(float(np.percentile(a, 5)), 3)},
        "false_alarms": int((d >= DEFAULT_THRESHOLD).sum()),
        "missed": int((a < DEFAULT_THRESHOLD).sum()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    result = run(args.n, args.seed)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
