"""The extractor as a whole: its contract (extract, extract_many, EXTRACTOR_VERSION), evidence offsets, the
spaCy components, the knowledge base as data, mixed-language articles, and the graph accepting its output."""

from __future__ import annotations

import json

from kg.model import Article, ArticleExtraction
from kg.store import GraphWriter
from kg.validation import validate_entity, validate_fact
from ingest import extractor
from ingest.extraction.resources import knowledge_base
from ingest.nlp import pipeline_for

EN = ("Oracle has agreed to buy Cerner for $28.3bn. Larry Ellison, Oracle's chairman, welcomed the deal.\n\n"
      "Separately, Sarah Jones left Google to join OpenAI.")
FR = ("Selon Les Echos, Apple aurait racheté Shazam. Le directeur général d'Apple, Tim Cook, n'a pas commenté.")


def test_extract_keeps_the_contract_and_every_fact_has_exact_evidence():
    article = Article(id="a1", text=EN, lang=None)
    result = extractor.extract(article)
    assert isinstance(result, ArticleExtraction) and result.article.lang == "en"
    assert isinstance(extractor.EXTRACTOR_VERSION, str) and extractor.EXTRACTOR_VERSION
    assert result.facts
    for fact in result.facts:
        validate_fact(fact)
        for ev in fact.evidence:
            assert ev.article_id == "a1"
            assert article.text[ev.start:ev.end] == ev.sentence
            assert ev.extractor.startswith(("rule:", "model:")) and 0 < ev.confidence <= 1
    for entity in result.entities:
        validate_entity(entity)


def test_extract_many_matches_extract_and_keeps_order_across_languages():
    articles = [Article(id=f"m{i}", text=text, lang=None) for i, text in enumerate([EN, FR, EN, FR])]
    many = list(extractor.extract_many(articles, batch_size=3))
    assert [r.article.id for r in many] == ["m0", "m1", "m2", "m3"]
    assert [r.article.lang for r in many] == ["en", "fr", "en", "fr"]
    for article, result in zip(articles, many):
        single = extractor.extract(article)
        assert sorted(f.id for f in single.facts) == sorted(f.id for f in result.facts)


def test_the_fact_components_are_registered_spacy_factories_in_both_pipelines():
    for lang in ("en", "fr"):
        nlp = pipeline_for(lang)
        assert nlp.pipe_names[-2:] == ["kg_fact_extractor_v1", "kg_relation_classifier_v1"]
        assert "kg_paragraph_splitter_v1" in nlp.pipe_names
        assert nlp.get_pipe_meta("kg_fact_extractor_v1").factory == "kg_fact_extractor_v1"
        assert nlp.get_pipe_meta("kg_relation_classifier_v1").factory == "kg_relation_classifier_v1"


def test_knowledge_base_gives_ids_wikidata_and_canonical_names():
    kb = knowledge_base()
    assert kb.lookup("unités de traitement graphique").name == "GPU"
    assert kb.lookup("Alphabet Inc.").wikidata == "Q20800404"
    result = extractor.extract(Article(id="kb", text="Musk said Elon Musk would buy GPUs. Musk bought them.", lang="en"))
    names = {e.name for e in result.entities}
    assert "Musk" not in names


def test_knowledge_base_is_data_a_user_can_extend(tmp_path):
    from ingest.extraction.resources import knowledge_base as load

    (tmp_path / "mine.jsonl").write_text(json.dumps(
        {"name": "Acme Quantum", "type": "Organization", "kind": "company", "aliases": ["AcmeQ"], "wikidata": "Q1"}) + "\n")
    kb = load(tmp_path)
    entry = kb.lookup("acmeq")
    assert (entry.name, entry.type, entry.wikidata) == ("Acme Quantum", "Organization", "Q1")


def test_in_document_resolution_and_surname_mentions():
    text = "Elon Musk runs Tesla. Musk, chief executive of SpaceX, spoke on Monday."
    result = extractor.extract(Article(id="r", text=text, lang="en"))
    works = {(f.subject.name, f.object.name) for f in result.facts if f.predicate == "WORKS_FOR"}
    assert ("Elon Musk", "SpaceX") in works
    musk = next(e for e in result.entities if e.name == "Elon Musk")
    assert "Musk" in musk.aliases and musk.wikidata_id == "Q317521"


def test_an_english_sentence_quoted_in_a_french_article_gives_no_garbage():
    text = ("Le groupe a publié ses résultats mardi et les analystes sont restés prudents sur la suite. "
            "The company said that Microsoft bought GitHub and that the deal closed last year. "
            "Les investisseurs attendent désormais la prochaine annonce du groupe.")
    result = extractor.extract(Article(id="mix", text=text, lang=None))
    assert result.article.lang == "fr"
    assert result.facts == []


def test_extraction_is_written_to_a_real_graph(graph):
    from ingest.nlp import extractor_mode_set

    with extractor_mode_set("rules"):  # the rule layer's output on these sentences is known exactly
        result = extractor.extract(Article(id="g1", text=EN, lang="en", published="2024-05-15"))
        written = GraphWriter(graph, extractor_version=extractor.EXTRACTOR_VERSION).write(result)
    assert not written.refused
    assert written.facts_written == len(result.facts) >= 3
    assert written.facts_by_predicate["HIRED_FROM"] == 1 and written.facts_by_predicate["ACQUIRED"] == 1
    # the default extractor's output (the trained model and the rules it keeps) is accepted as well
    result = extractor.extract(Article(id="g2", text=EN, lang="en", published="2024-05-15"))
    written = GraphWriter(graph, extractor_version=extractor.EXTRACTOR_VERSION).write(result)
    assert result.facts and not written.refused and written.facts_written == len(result.facts)
