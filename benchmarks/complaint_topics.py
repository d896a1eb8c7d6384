"""Complaint topic benchmark: precision and recall per topic of the offline topic classifier.

    uv run python -m benchmarks.complaint_topics                    # writes results/complaint_topics.json
    uv run python -m benchmarks.complaint_topics --n 600 --out /tmp/topics.json   # a quick look

Three scores, from optimistic to sober:

1. ``held_out_n``, ``macro_f1``, ``topics`` …: a stratified held-out part (``--test-size``) of ``--n``
   synthetic complaints; the model is trained on the rest. The held-out texts are new combinations of the
   same sentence templates, so this mostly measures how well the generator's wordings are learnt.
2. ``unseen_phrasings``: trained on texts built from 70 % of every topic's templates, scored on texts of
   another seed built only from the other 30 %: wordings the model has never seen.
3. ``handwritten``: the model of 1 on the hand-written texts of ``complaint_texts.yaml`` (5 per topic).

All three are on invented texts and overstate accuracy on real complaints (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import simplemma
import sklearn
import yaml

from analytics.complaints.topics import evaluate, save, score, suggest, train
from analytics.synth.complaints import generate_complaints

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "complaint_topics.json"
HANDWRITTEN = ROOT / "benchmarks" / "complaint_texts.yaml"


def handwritten_texts(path: Path = HANDWRITTEN) -> list[tuple[str, str]]:
    """(text, topic) of the hand-written check set."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(entry["text"], entry["topic"]) for entry in document["texts"]]


def run(n: int, seed: int, test_size: float) -> dict[str, Any]:
    items = generate_complaints(n, seed)
    started = time.perf_counter()
    model, result = evaluate(items, seed=seed, test_size=test_size)
    train_s = time.perf_counter() - started  # training plus scoring the held-out part

    n_train = result["train_n"]
    unseen_model = train(generate_complaints(n_train, seed, phrasings="train"), seed)
    unseen_test = generate_complaints(result["held_out_n"], seed + 1, phrasings="held_out")
    unseen = score(unseen_model, [i.text for i in unseen_test], [i.topic for i in unseen_test])
    unseen["train_n"] = n_train

    checks = handwritten_texts()
    handwritten = score(model, [t for t, _ in checks], [c for _, c in checks])
    handwritten["misses"] = [
        {"topic": topic, "suggested": suggest(model, text, k=3)[0][0], "text": text[:80]}
        for text, topic in checks
        if suggest(model, text, k=1)[0][0] != topic
    ]

    timings = []
    for item in items[:200]:
        started = time.perf_counter()
        suggest(model, item.text)
        timings.append(time.perf_counter() - started)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "topics.joblib"
        save(model, path)
        model_bytes = path.stat().st_size

    return {
        "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"),
        "command": f"python -m benchmarks.complaint_topics --n {n} --seed {seed} --test-size {test_size}",
        "seed": seed,
        "n_items": n,
        "test_size": test_size,
        "model": model.description,
        "versions": {"scikit-learn": sklearn.__version__, "simplemma": simplemma.__version__},
        **{
            key: result[key]
            for key in (
                "train_n",
                "held_out_n",
                "macro_f1",
                "accuracy",
                "top_k",
                "top_k_accuracy",
                "topics",
                "confusion",
            )
        },
        "unseen_phrasings": unseen,
        "handwritten": handwritten,
        "train_and_score_s": round(train_s, 2),
        "suggest_ms_median": round(1000 * statistics.median(timings), 2),
        "model_bytes": model_bytes,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=4000, help="synthetic complaints generated (default 4000)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--test-size", type=float, default=0.25, help="held-out share (default 0.25)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    results = run(args.n, args.seed, args.test_size)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    summary = {key: results[key] for key in ("held_out_n", "macro_f1", "accuracy", "top_k_accuracy")}
    summary["unseen_phrasings_macro_f1"] = results["unseen_phrasings"]["macro_f1"]
    summary["handwritten_accuracy"] = results["handwritten"]["accuracy"]
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
