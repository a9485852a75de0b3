"""The extractor as a whole: its contract (extract, extract_many, EXTRACTOR_VERSION), evidence offsets, the
spaCy components, the knowledge base as data, mixed-language articles, and the graph accepting its output."""

from __future__ import annotations

import json

from ingest import extractor
from ingest.extraction.resources import knowledge_base
from ingest.nlp import pipeline_for
from kg.model import Article, ArticleExtraction
from kg.store import GraphWriter
from kg.validation import validate_entity, validate_fact

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
    for article, result in zip(articles, many, strict=True):
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
    text = "Musk said Elon Musk would buy GPUs. Musk bought them."
    result = extractor.extract(Article(id="kb", text=text, lang="en"))
    names = {e.name for e in result.entities}
    assert "Musk" not in names


def test_knowledge_base_is_data_a_user_can_extend(tmp_path):
    from ingest.extraction.resources import knowledge_base as load

    (tmp_path / "mine.jsonl").write_text(json.dumps(
        {"name": "Acme Quantum", "type": "Organization", "kind": "company", "aliases": ["AcmeQ"],
         "wikidata": "Q1"}) + "\n")
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


def _canonical(result: ArticleExtraction) -> tuple:
    """Everything the graph receives from one article, in a form two runs can be compared by."""
    facts = sorted((f.id, f.predicate, f.subject.id, f.subject.type, f.object.id, f.object.type,
                    tuple(sorted(f.qualifiers.as_dict().items())),
                    tuple((e.start, e.end, e.extractor, e.confidence) for e in f.evidence)) for f in result.facts)
    entities = sorted((e.id, e.type, e.name, tuple(sorted(e.aliases))) for e in result.entities)
    return tuple(facts), tuple(entities)


def test_an_articles_extraction_does_not_depend_on_its_batch_or_its_neighbours_in_mode_both():
    """Issue 11: with the trained classifier, an interrupted ingest that is re-run (other batches, other
    neighbours, other order) must write what one clean run writes: extraction is a function of the article."""
    from ingest.nlp import extractor_mode_set
    from ingest.training.data import annotations_dir, gold_articles, load_split

    golds = gold_articles(load_split(annotations_dir(), "valid"))
    articles = ([g.to_article() for g in golds if g.lang == "en"][:5]
                + [g.to_article() for g in golds if g.lang == "fr"][:5])
    assert len(articles) == 10
    with extractor_mode_set("both"):
        alone = {a.id: _canonical(extractor.extract(a)) for a in articles}
        batched = {r.article.id: _canonical(r) for r in extractor.extract_many(articles[::-1], batch_size=4)}
        shifted = {r.article.id: _canonical(r) for r in extractor.extract_many(articles[3:] + articles[:3])}
    assert any(facts for facts, _ in alone.values()), "the articles should give facts"
    assert batched == alone
    assert shifted == alone


def test_a_knowledge_base_entity_keeps_its_type_in_every_slot_of_the_model():
    """A KB entity's graph id carries no type: typing it by the slot it fills would give one id two types in two
    articles, and which one the graph keeps would depend on ingest order."""
    from ingest.extraction.mentions import Mention
    from ingest.extraction.relations import _slot_of
    from ingest.extraction.resources import KbEntry

    google = KbEntry("google", "Google", "Organization", None, (), None)
    assert _slot_of(Mention(0, 1, "Google", "Organization", kb=google), "LAUNCHED", 1, "Organization") is None
    assert _slot_of(Mention(0, 1, "Google", "Organization", kb=google), "ACQUIRED", 1, "Product") == "Organization"
    assert _slot_of(Mention(0, 1, "Pixel", "Organization"), "LAUNCHED", 1, "Organization") == "Product"


def test_pronouns_stand_for_the_person_named_last_and_the_company_for_the_salient_organisation():
    from ingest.nlp import build_pipeline

    nlp = build_pipeline("en", "both")
    doc = nlp("Satya Nadella runs Microsoft. Microsoft sells Windows. He joined the company in 1992. "
              "Analysts were pleased. Nobody was surprised. Then he left.")
    anaphors = {doc[m.start].lower_ + str(m.start): m for m in doc._.kg.mentions if m.anaphor}
    he = [m for k, m in anaphors.items() if k.startswith("he")]
    company = [m for k, m in anaphors.items() if k.startswith("company")]
    assert len(he) == 1 and he[0].text == "Satya Nadella"  # the second "he" is three sentences away
    assert company and company[0].text == "Microsoft"


def test_an_undated_report_of_an_event_joins_the_articles_one_dated_fact_of_it():
    """A headline ("Nvidia and Oracle sign a deal") and a dated sentence of the same partnership are one fact with
    two pieces of evidence, so the writer never has to fold across articles in an order-dependent way."""
    from ingest.extraction.events import fold_undated_reports
    from kg.model import Entity, Evidence, Fact, Qualifiers

    nvidia, oracle = Entity("organization:nvidia", "Nvidia", "Organization"), Entity("organization:oracle", "Oracle",
                                                                                      "Organization")
    headline = Fact(oracle, "PARTNERED_WITH", nvidia, Qualifiers(),
                    [Evidence("a", "Nvidia and Oracle sign a deal", 0, 29, "model:x", 0.4)])
    dated = Fact(nvidia, "PARTNERED_WITH", oracle, Qualifiers(date="2017-03"),
                 [Evidence("a", "Nvidia partnered with Oracle in March 2017.", 31, 74, "rule:x", 0.7)])
    works = Fact(Entity("person:jensen-huang", "Jensen Huang", "Person"), "WORKS_FOR", nvidia, Qualifiers(),
                 [Evidence("a", "Jensen Huang runs Nvidia.", 75, 100, "rule:x", 0.7)])
    folded = fold_undated_reports([headline, dated, works])
    assert folded == [dated, works]
    assert [e.start for e in dated.evidence] == [31, 0] and dated.qualifiers.date == "2017-03"
    # two dated facts (a leave and a rejoin): the undated report could be either, it stays apart
    later = Fact(nvidia, "PARTNERED_WITH", oracle, Qualifiers(date="2020"),
                 [Evidence("a", "They partnered again in 2020.", 101, 130, "rule:x", 0.7)])
    assert len(fold_undated_reports([headline, dated, later])) == 3


def test_a_name_cut_at_a_glued_hyphen_is_one_mention_and_a_name_loses_a_trailing_preposition():
    """"Anne-Elisabeth Lemoine" became two people ("Anne", "Elisabeth Lemoine"); NER's "Institut national
    d'astrophysique en" kept the preposition, so the name matched no annotation."""
    fr = pipeline_for("fr")
    doc = fr("Anne-Elisabeth Lemoine présente l'émission. Maria De Sanctis, de l'Institut national "
             "d'astrophysique en Italie, a parlé.")
    names = [m.text for m in doc._.kg.mentions]
    assert "Anne-Elisabeth Lemoine" in names and "Anne" not in names and "Elisabeth Lemoine" not in names
    assert not any(n.endswith(" en") for n in names), names
    spaced = fr("Le match Lyon - Marseille a eu lieu.")  # spaces around the dash: two names
    assert not any("-" in m.text for m in spaced._.kg.mentions)


def test_the_classifier_pairs_a_product_name_with_its_model_number_but_not_a_quantity():
    from ingest.nlp import build_pipeline

    nlp = build_pipeline("en", "both")
    from ingest.extraction.relations import _model_number_end

    doc = nlp("The Pixel 4 unveiled this week by Google continues this tradition. Zorblax 10 percent of the "
              "shares were sold.")
    assert [(m.text, m.type) for m in doc._.kg.mentions if m.start == 1][-1] == ("Pixel 4", "Product")
    assert [t.text for t in doc[12:15]] == ["Zorblax", "10", "percent"]
    assert _model_number_end(doc, 13, set()) == 13  # "10 percent" is a quantity, not a model number
    assert _model_number_end(doc, 2, set()) == 3
    clf = nlp.get_pipe("kg_relation_classifier_v1")
    pairs = clf.pairs(doc)
    assert pairs and not any(p.subject.start < p.object.end and p.object.start < p.subject.end for p in pairs)
