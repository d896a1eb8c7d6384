"""Complaint topics: the catalogue, the synthetic complaint generator and the offline topic classifier.

That analytics/ (these modules included) never imports Django is checked in tests/test_architecture.py."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from analytics.complaints.text import fold, lemma_text, lemmas, stopwords
from analytics.complaints.topics import (
    StaleModelError,
    TopicModel,
    evaluate,
    load,
    load_topics,
    save,
    score,
    suggest,
    topic_codes,
    train,
)
from analytics.synth.complaint_phrases import GREETINGS, INTRODUCTIONS, REQUESTS, SHARED_SENTENCES, TOPIC_SENTENCES
from analytics.synth.complaints import (
    PHRASINGS,
    SUBMITTER_TYPES,
    SyntheticComplaint,
    generate_complaints,
    render,
    slots,
    template_pool,
)

CODES = (
    "programme_implementation",
    "assessment",
    "teacher_ethics",
    "safety",
    "pupil_rights",
    "parent_communication",
    "other",
)
BULLYING = "Manu dēlu klasē jau vairākus mēnešus apsaukā un sit klasesbiedri, viņš baidās iet uz skolu."


@pytest.fixture(scope="module")
def model() -> TopicModel:
    return train(generate_complaints(300, seed=11), seed=11)


# --- catalogue -------------------------------------------------------------------------------------------


def test_catalogue_has_the_report_topics_and_other_with_stable_codes() -> None:
    topics = load_topics()
    assert tuple(t.code for t in topics) == CODES == topic_codes()
    assert topics[1].name == {
        "lv": "Izglītojamo mācību sasniegumu vērtēšana",
        "en": "Assessment of pupils' achievements",
    }
    assert topics[-1].name["lv"] == "Cits"
    for topic in topics:
        assert topic.description["lv"] and topic.description["en"]


def test_catalogue_rejects_a_code_that_is_not_snake_case(tmp_path: Path) -> None:
    path = tmp_path / "topics.yaml"
    path.write_text(
        "topics:\n  - code: Safety-Topic\n    name: {lv: a, en: b}\n    description: {lv: a, en: b}\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="snake_case"):
        load_topics(path)


def test_catalogue_rejects_a_missing_translation(tmp_path: Path) -> None:
    path = tmp_path / "topics.yaml"
    path.write_text(
        "topics:\n  - code: safety\n    name: {lv: Drošība}\n    description: {lv: a, en: b}\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="lv and en"):
        load_topics(path)


# --- text preparation ------------------------------------------------------------------------------------


def test_fold_removes_latvian_diacritics_and_case() -> None:
    assert fold("  Skolotāja   ŅIRGĀJAS  par Ģirtu ") == "skolotaja nirgajas par girtu"


def test_lemmas_are_folded_and_drop_stop_words_digits_and_punctuation() -> None:
    assert lemmas("Skolotājai un bērniem, 3 reizes!") == ["skolotaja", "berns", "reize"]
    assert "ari" in stopwords() and "es" in stopwords()
    assert lemma_text("mani apsaukā") == "apsauka"  # "mani" → "es", a stop word


# --- generator -------------------------------------------------------------------------------------------


def test_generation_is_deterministic_and_item_by_item() -> None:
    first = generate_complaints(40, seed=5)
    assert first == generate_complaints(40, seed=5)
    assert generate_complaints(10, seed=5) == first[:10]  # item i does not depend on n
    assert generate_complaints(10, seed=6) != first[:10]
    assert all(isinstance(item, SyntheticComplaint) for item in first)
    text, topic, submitter = first[0]
    assert (text, topic, submitter) == (first[0].text, first[0].topic, first[0].submitter_type)


def test_generator_covers_every_topic_and_submitter_with_varied_texts() -> None:
    items = generate_complaints(600, seed=1)
    assert set(TOPIC_SENTENCES) == set(CODES)
    assert {i.topic for i in items} == set(CODES)
    assert {i.submitter_type for i in items} == set(SUBMITTER_TYPES)
    texts = [i.text for i in items]
    assert len(set(texts)) >= 0.98 * len(texts)  # a few short texts may repeat, as in life
    assert all(i.text.strip() for i in items)
    assert not [t for t in texts if any(mark in t for mark in "{}[]~")], "unrendered template markup"
    lengths = sorted(len(t.split()) for t in texts)
    assert lengths[0] <= 12 and lengths[-1] >= 60  # short and long texts
    plain = [t for t in texts if not any(ch in t for ch in "āēīūšžčņļķģ")]
    assert 0.1 < len(plain) / len(texts) < 0.6  # some typed without diacritics, most with


def test_every_template_renders_for_every_submitter() -> None:
    templates = [t for pools in TOPIC_SENTENCES.values() for pool in pools.values() for t in pool]
    templates += [t for pool in SHARED_SENTENCES.values() for t in pool]
    templates += [t for pool in (*GREETINGS.values(), *INTRODUCTIONS.values(), *REQUESTS.values()) for t in pool]
    for submitter in SUBMITTER_TYPES:
        rng = random.Random(submitter)
        for template in templates:
            ctx = slots(rng, submitter)
            text = render(template, rng, ctx, set())
            assert not any(mark in text for mark in "{}[]~"), (template, text)
            assert text[:1] == text[:1].upper()


def test_phrasing_parts_split_every_pool() -> None:
    assert PHRASINGS == ("all", "train", "held_out")
    for topic, pools in TOPIC_SENTENCES.items():
        for perspective, pool in pools.items():
            train_part = template_pool(topic, perspective, "train")
            held_out = template_pool(topic, perspective, "held_out")
            if len(pool) >= 2:
                assert train_part and held_out and not set(train_part) & set(held_out), (topic, perspective)
            assert set(train_part) | set(held_out) == set(pool)
    with pytest.raises(ValueError, match="phrasings"):
        generate_complaints(1, phrasings="test")


# --- classifier ------------------------------------------------------------------------------------------


def test_suggest_gives_the_likeliest_topics_first_with_probabilities(model: TopicModel) -> None:
    assert set(model.topics) == set(CODES)
    suggestions = suggest(model, "Skolotāja ielika nepamatoti zemu vērtējumu matemātikā un neparāda darbu.")
    assert len(suggestions) == 3
    probabilities = [p for _, p in suggestions]
    assert probabilities == sorted(probabilities, reverse=True)
    assert all(0.0 <= p <= 1.0 for p in probabilities) and sum(probabilities) <= 1.0 + 1e-9
    assert {code for code, _ in suggestions} <= set(CODES)
    everything = suggest(model, "", k=10)
    assert len(everything) == len(CODES) and sum(p for _, p in everything) == pytest.approx(1.0)


@pytest.mark.parametrize("text", [BULLYING, fold(BULLYING), "mani klase apsauka un grūž, baidos iet uz skolu"])
def test_a_text_about_bullying_gets_the_safety_topic_in_its_top_three(model: TopicModel, text: str) -> None:
    assert "safety" in [code for code, _ in suggest(model, text, k=3)]


def test_training_is_deterministic() -> None:
    items = generate_complaints(150, seed=3)
    first, second = train(items, seed=3), train(items, seed=3)
    assert suggest(first, BULLYING, k=7) == suggest(second, BULLYING, k=7)


def test_training_rejects_a_topic_outside_the_catalogue() -> None:
    with pytest.raises(ValueError, match="not in the catalogue"):
        train([("Teksts", "safety"), ("Cits teksts", "weather")])


def test_a_saved_model_loads_and_suggests_the_same(model: TopicModel, tmp_path: Path) -> None:
    path = tmp_path / "models" / "topics.joblib"
    save(model, path)
    assert [p.name for p in path.parent.iterdir()] == ["topics.joblib"]  # no temporary file left
    loaded = load(path)
    assert loaded.topics == model.topics and loaded.trained_on == 300 and loaded.seed == 11
    assert suggest(loaded, BULLYING, k=7) == suggest(model, BULLYING, k=7)


def test_a_model_of_another_scikit_learn_version_is_stale(model: TopicModel, tmp_path: Path) -> None:
    path = tmp_path / "topics.joblib"
    model.sklearn_version, kept = "0.0", model.sklearn_version
    try:
        save(model, path)
    finally:
        model.sklearn_version = kept
    with pytest.raises(StaleModelError, match=r"scikit-learn 0\.0"):
        load(path)


def test_evaluation_reports_the_held_out_scores_per_topic() -> None:
    items = generate_complaints(280, seed=2)
    trained, result = evaluate(items, seed=2, test_size=0.25)
    assert result["held_out_n"] == 70 and result["train_n"] == 210 and trained.trained_on == 210
    assert 0.0 <= result["macro_f1"] <= 1.0 and 0.0 <= result["accuracy"] <= result["top_k_accuracy"] <= 1.0
    assert set(result["topics"]) == set(CODES)
    for figures in result["topics"].values():
        assert {"precision", "recall", "support"} <= set(figures)
    assert sum(f["support"] for f in result["topics"].values()) == 70
    matrix = result["confusion"]["matrix"]
    assert sum(map(sum, matrix)) == 70
    assert [sum(row) for row in matrix] == [result["topics"][c]["support"] for c in result["confusion"]["labels"]]


def test_score_counts_a_hit_and_a_miss(model: TopicModel) -> None:
    result = score(model, [BULLYING, BULLYING], ["safety", "other"])
    top = suggest(model, BULLYING, k=1)[0][0]
    assert top == "safety"
    assert result["accuracy"] == 0.5 and result["topics"]["safety"]["recall"] == 1.0
    assert result["topics"]["other"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
