"""Topic suggestions for complaint texts: the topic catalogue, a linear text classifier, its evaluation.

The catalogue (``analytics/definitions/complaint_topics.yaml``) holds the recurring topics of IKVD's 2024
report and "other"; the supervision app takes its topic choices from ``load_topics``.

The classifier only **suggests**: ``suggest`` gives the likeliest topics with their probabilities, and the
inspector confirms or changes the topic; nothing labels a complaint by itself. It runs offline: simplemma's
Latvian dictionary ships with the package, the stop words are a data file (``text.py``), and the model is
trained where it is used (at setup or demo time) from the synthetic complaints of
``analytics.synth.complaints``; nothing is downloaded. Training is deterministic for the same items.

The model: two TF-IDF feature sets side by side, word uni- and bigrams of the lemmas (diacritics folded, stop
words out) and character 2–5-grams within words of the folded text (they carry typos, missing diacritics
and forms the lemmatiser does not know), feeding a multinomial logistic regression with balanced class
weights, whose ``predict_proba`` are the probabilities shown.

Scores measured on synthetic texts overstate accuracy on real complaints (``docs/benchmarks.md``).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import train_test_split
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer
from threadpoolctl import threadpool_limits

from analytics.complaints.text import fold, lemma_text

TOPICS_FILE = Path(__file__).resolve().parents[1] / "definitions" / "complaint_topics.yaml"
MODEL_FORMAT = 1
DEFAULT_SEED = 2024
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_WORDS = r"\S+"  # lemma_text already split the words
MODEL_DESCRIPTION = (
    "TF-IDF of word 1-2-grams of simplemma lemmas (diacritics folded, stop words removed, min_df 2) + TF-IDF "
    "of character 2-5-grams within words of the folded text (min_df 2), sublinear tf; multinomial logistic "
    "regression (lbfgs, C={C}, balanced class weights)"
)
C = 10.0


@dataclass(frozen=True)
class Topic:
    """A complaint topic of the catalogue: a stable code, names and descriptions in Latvian and English."""

    code: str
    name: dict[str, str]
    description: dict[str, str]


@dataclass
class TopicModel:
    """A trained classifier with what is needed to trust it later: topics, seed, size, library version."""

    pipeline: Pipeline
    topics: tuple[str, ...]
    seed: int
    trained_on: int
    description: str = MODEL_DESCRIPTION.format(C=C)
    format: int = MODEL_FORMAT
    sklearn_version: str = sklearn.__version__
    extra: dict[str, Any] = field(default_factory=dict)


class StaleModelError(ValueError):
    """A saved model from another model format or scikit-learn version: train a new one."""


def load_topics(path: Path = TOPICS_FILE) -> list[Topic]:
    """The topic catalogue in file order; codes must be unique snake_case and names and descriptions bilingual."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    topics = []
    for entry in document["topics"]:
        code = entry["code"]
        if not _CODE.match(code):
            raise ValueError(f"{path.name}: topic code {code!r} is not short snake_case")
        for key in ("name", "description"):
            if not all(str(entry[key].get(lang) or "").strip() for lang in ("lv", "en")):
                raise ValueError(f"{path.name}: topic {code!r} needs {key} in lv and en")
        topics.append(Topic(code, dict(entry["name"]), dict(entry["description"])))
    codes = [t.code for t in topics]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{path.name}: duplicate topic codes")
    return topics


def topic_codes() -> tuple[str, ...]:
    return tuple(t.code for t in load_topics())


def _lemma_texts(texts: Iterable[str]) -> list[str]:
    return [lemma_text(t) for t in texts]


def build_pipeline(seed: int = DEFAULT_SEED) -> Pipeline:
    """The untrained feature extraction and classifier (see the module docstring)."""
    words = Pipeline(
        [
            ("lemmas", FunctionTransformer(_lemma_texts)),
            ("tfidf", TfidfVectorizer(token_pattern=_WORDS, ngram_range=(1, 2), min_df=2, sublinear_tf=True)),
        ]
    )
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), preprocessor=fold, min_df=2, sublinear_tf=True)
    return Pipeline(
        [
            ("features", FeatureUnion([("words", words), ("chars", chars)])),
            ("classifier", LogisticRegression(C=C, class_weight="balanced", max_iter=3000, random_state=seed)),
        ]
    )


def _split(items: Iterable[Sequence[str]]) -> tuple[list[str], list[str]]:
    """Texts and topics of (text, topic, ...) items such as ``SyntheticComplaint``."""
    texts, topics = [], []
    for item in items:
        texts.append(item[0])
        topics.append(item[1])
    return texts, topics


def train(items: Iterable[Sequence[str]], seed: int = DEFAULT_SEED) -> TopicModel:
    """A model trained on (text, topic, ...) items; every topic must be a code of the catalogue."""
    texts, topics = _split(items)
    unknown = set(topics) - set(topic_codes())
    if unknown:
        raise ValueError(f"topics not in the catalogue: {sorted(unknown)}")
    if len(set(topics)) < 2:
        raise ValueError("training needs texts of at least two topics")
    pipeline = build_pipeline(seed)
    # One BLAS thread: the problem is small, and several threads on a busy machine made fitting 3 × slower.
    # (threadpoolctl is a dependency of scikit-learn.)
    with threadpool_limits(1):
        pipeline.fit(texts, topics)
    return TopicModel(pipeline, tuple(str(c) for c in pipeline.classes_), seed, len(texts))


def suggest(model: TopicModel, text: str, k: int = 3) -> list[tuple[str, float]]:
    """The ``k`` likeliest topics for a text with their probabilities, likeliest first.

    A suggestion for the inspector, never a label: the probabilities of all topics sum to 1, so those of the
    first ``k`` sum to at most 1."""
    probabilities = model.pipeline.predict_proba([text])[0]
    order = np.argsort(-probabilities, kind="stable")[: max(k, 0)]
    return [(model.topics[i], float(probabilities[i])) for i in order]


def save(model: Any, path: Path) -> None:
    """Write a model (this one, or another of analytics' saved models) with joblib, atomically (a temporary file in
    the same folder, then renamed)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    os.close(fd)
    try:
        joblib.dump(model, tmp, compress=3)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def load(path: Path) -> TopicModel:
    """A model written by ``save``. joblib unpickles, so load only files this system wrote itself.

    Raises ``StaleModelError`` when the file is of another model format or scikit-learn version."""
    return load_checked(path, TopicModel, MODEL_FORMAT, "a complaint topic model")


def load_checked(path: Path, kind: type, model_format: int, what: str) -> Any:
    """A model of class ``kind`` written by ``save``, checked for staleness (shared by the saved models of
    ``analytics``: this one and the risk score's). joblib unpickles, so load only files this system wrote.

    Raises ``StaleModelError`` when the file holds another class, model format or scikit-learn version."""
    model: Any = joblib.load(Path(path))
    if not isinstance(model, kind):
        raise StaleModelError(f"{path}: not {what}")
    found_format, found_version = getattr(model, "format", None), getattr(model, "sklearn_version", None)
    if found_format != model_format or found_version != sklearn.__version__:
        raise StaleModelError(
            f"{path}: model format {found_format} / scikit-learn {found_version}, "
            f"expected {model_format} / {sklearn.__version__}"
        )
    return model


def evaluate(
    items: Sequence[Sequence[str]], seed: int = DEFAULT_SEED, test_size: float = 0.25, k: int = 3
) -> tuple[TopicModel, dict[str, Any]]:
    """Train on a stratified part of the items and score the held-out rest.

    Returns the model and the scores: ``held_out_n``, ``train_n``, ``macro_f1``, ``accuracy``,
    ``top_k_accuracy`` (the right topic among the first ``k`` suggestions), per topic ``precision``,
    ``recall``, ``f1``, ``support`` (held-out texts of the topic), and the confusion matrix (rows: true topic)."""
    texts, topics = _split(items)
    train_x, test_x, train_y, test_y = train_test_split(
        texts, topics, test_size=test_size, stratify=topics, random_state=seed
    )
    model = train(zip(train_x, train_y, strict=True), seed)
    return model, score(model, test_x, test_y, k=k) | {"train_n": len(train_x)}


def score(model: TopicModel, texts: Sequence[str], topics: Sequence[str], k: int = 3) -> dict[str, Any]:
    """The scores of ``evaluate`` for a trained model on labelled texts."""
    probabilities = model.pipeline.predict_proba(list(texts))
    classes = np.array(model.topics)
    predicted = classes[np.argmax(probabilities, axis=1)]
    top_k = classes[np.argsort(-probabilities, axis=1, kind="stable")[:, :k]]
    truth = np.array(topics)
    labels = [c for c in topic_codes() if c in set(model.topics) | set(topics)]
    precision, recall, f1, support = precision_recall_fscore_support(truth, predicted, labels=labels, zero_division=0)
    return {
        "held_out_n": len(truth),
        "macro_f1": round(float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)), 4),
        "accuracy": round(float(np.mean(predicted == truth)), 4),
        "top_k": k,
        "top_k_accuracy": round(float(np.mean([t in row for t, row in zip(truth, top_k, strict=True)])), 4),
        "topics": {
            code: {
                "precision": round(float(p), 4),
                "recall": round(float(r), 4),
                "f1": round(float(f), 4),
                "support": int(s),
            }
            for code, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
        },
        "confusion": {"labels": labels, "matrix": confusion_matrix(truth, predicted, labels=labels).tolist()},
    }
