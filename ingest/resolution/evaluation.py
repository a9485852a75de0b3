"""Scoring the resolver on the gold set: pairwise precision and recall over cross-article mention pairs, and B-cubed,
per split and language; and the choice of the merge threshold.

The resolver sees each annotated article as an extraction would give it (the gold entities, with the knowledge
base's id where the extractor would use it, and the gold facts as context), all articles in id order in one run, as
`kg ingest` of the corpus would. A pair belongs to the later split of its two articles (`gold.pair_split`).
Threshold choice (`choose_threshold`): over the train and valid pairs together, the threshold with the highest
recall whose pairwise precision is >= `PRECISION_FLOOR`; on a tie, the higher precision, then the higher threshold
(a wrong merge costs more than a missed one). The test split gives the reported figure only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

from ingest.extraction.resources import KnowledgeBase
from ingest.resolution.gold import GoldArticle, GoldMention, Split, load_articles, load_judgements, pair_split
from ingest.resolution.gold import assign_clusters as assign_gold_clusters
from ingest.resolution.resolver import Resolver
from kg.model import Article, ArticleExtraction, Entity, Fact, entity_id_for

PRECISION_FLOOR = 0.97
NO_MERGE = 1.01  # a threshold above every score: the ids alone (resolution off)
THRESHOLDS = (0.6, 0.8, 0.85, 0.88, 0.9, 0.92, 0.93, 0.95, 0.97, 0.98, 1.0)
Language = Literal["en", "fr", "all"]
LANGUAGES: tuple[Language, ...] = ("en", "fr", "all")


@dataclass(frozen=True, kw_only=True)
class PairCounts:
    """Pairwise counts of cross-article mention pairs, and the precision and recall they give."""

    true_pairs: int  # cross-article pairs of one entity (gold)
    merged_pairs: int  # cross-article pairs the resolver put in one entity
    right_pairs: int  # both

    @property
    def precision(self) -> float:
        return self.right_pairs / self.merged_pairs if self.merged_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.right_pairs / self.true_pairs if self.true_pairs else 1.0


@dataclass(frozen=True, kw_only=True)
class Scores(PairCounts):
    split: Split
    lang: Language
    variant_pairs: int  # gold pairs whose names differ (the hard positives)
    variant_right: int
    bcubed_precision: float
    bcubed_recall: float

    @property
    def variant_recall(self) -> float:
        return self.variant_right / self.variant_pairs if self.variant_pairs else 1.0

    @property
    def bcubed_f1(self) -> float:
        p, r = self.bcubed_precision, self.bcubed_recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _entity(mention: GoldMention, kb: KnowledgeBase, with_aliases: bool) -> Entity:
    """The entity the extractor would give: the knowledge base's id for a name it lists, else the type and name's;
    with the annotator's aliases, or (`with_aliases=False`) with the name alone, as a poorer extraction would."""
    entry = kb.lookup(mention.name)
    kb_id = entry.id if entry is not None and entry.type == mention.type else None
    aliases = set(mention.aliases) - {mention.name} if with_aliases else set()
    return Entity.named(mention.name, mention.type, id=kb_id or entity_id_for(mention.type, mention.name),
                        aliases=aliases)


def as_extraction(article: GoldArticle, kb: KnowledgeBase,
                  with_aliases: bool = True) -> tuple[ArticleExtraction, dict[str, str]]:
    """The article as an extraction, and the entity id of each of its mentions."""
    entities = {m.id: _entity(m, kb, with_aliases) for m in article.mentions}
    by_name = {m.name: entities[m.id] for m in article.mentions}
    facts = [Fact(by_name[f.subject], f.predicate, by_name[f.object])  # type: ignore[arg-type]
             for f in article.facts if f.subject in by_name and f.object in by_name]
    extraction = ArticleExtraction(Article(article.id, "", lang=article.lang),
                                   entities=list({e.id: e for e in entities.values()}.values()), facts=facts)
    return extraction, {mention_id: e.id for mention_id, e in entities.items()}


def predict(articles: list[GoldArticle], threshold: float, with_aliases: bool = True) -> dict[str, str]:
    """Each mention's entity once the resolver has seen every article (merges followed to their end)."""
    resolver = Resolver(threshold=threshold)
    ids: dict[str, str] = {}
    for article in articles:
        extraction, mention_ids = as_extraction(article, resolver.kb, with_aliases)
        resolver.resolve(extraction)
        ids.update(mention_ids)
    return {mention_id: resolver.index.final_id(entity_id) for mention_id, entity_id in ids.items()}


def _pairs(groups: Iterable[list[GoldMention]], keep: Callable[[GoldMention, GoldMention], bool]) -> int:
    return sum(1 for group in groups for x, y in combinations(group, 2) if x.article_id != y.article_id and keep(x, y))


def _grouped(mentions: list[GoldMention], key: Callable[[GoldMention], object]) -> list[list[GoldMention]]:
    groups: dict[object, list[GoldMention]] = {}
    for m in mentions:
        groups.setdefault(key(m), []).append(m)
    return list(groups.values())


def _bcubed(mentions: list[GoldMention], predicted: dict[str, str], split: Split) -> tuple[float, float]:
    gold = {k: {m.id for m in g} for g in _grouped(mentions, lambda m: m.cluster) for k in [g[0].cluster]}
    pred = {k: {m.id for m in g} for g in _grouped(mentions, lambda m: predicted[m.id]) for k in [predicted[g[0].id]]}
    scored = [m for m in mentions if m.split == split]
    if not scored:
        return 1.0, 1.0
    both = [len(gold[m.cluster] & pred[predicted[m.id]]) for m in scored]
    precision = sum(n / len(pred[predicted[m.id]]) for n, m in zip(both, scored, strict=True)) / len(scored)
    recall = sum(n / len(gold[m.cluster]) for n, m in zip(both, scored, strict=True)) / len(scored)
    return precision, recall


def score(mentions: list[GoldMention], predicted: dict[str, str], split: Split, lang: Language) -> Scores:
    subset = [m for m in mentions if lang == "all" or m.lang == lang]

    def in_split(x: GoldMention, y: GoldMention) -> bool:
        return pair_split(x.split, y.split) == split

    gold_groups = _grouped(subset, lambda m: m.cluster)
    right_groups = _grouped(subset, lambda m: (m.cluster, predicted[m.id]))
    bp, br = _bcubed(subset, predicted, split)
    return Scores(
        split=split, lang=lang,
        true_pairs=_pairs(gold_groups, in_split),
        merged_pairs=_pairs(_grouped(subset, lambda m: predicted[m.id]), in_split),
        right_pairs=_pairs(right_groups, in_split),
        variant_pairs=_pairs(gold_groups, lambda x, y: in_split(x, y) and x.key != y.key),
        variant_right=_pairs(right_groups, lambda x, y: in_split(x, y) and x.key != y.key),
        bcubed_precision=bp, bcubed_recall=br)


@dataclass(frozen=True)
class GoldSet:
    articles: list[GoldArticle]

    @classmethod
    def load(cls) -> GoldSet:
        articles = load_articles()
        assign_gold_clusters(articles, load_judgements())
        return cls(articles)

    @property
    def mentions(self) -> list[GoldMention]:
        return [m for a in self.articles for m in a.mentions]

    def scores(self, threshold: float, split: Split, with_aliases: bool = True) -> list[Scores]:
        predicted = predict(self.articles, threshold, with_aliases)
        return [score(self.mentions, predicted, split, lang) for lang in LANGUAGES]


@dataclass(frozen=True, kw_only=True)
class SweepPoint(PairCounts):
    """Pairwise figures of one threshold over the train and valid pairs together (all languages)."""

    threshold: float


def sweep(gold: GoldSet, thresholds: Iterable[float] = THRESHOLDS) -> list[SweepPoint]:
    points = []
    for t in thresholds:
        predicted = predict(gold.articles, t)
        both = [score(gold.mentions, predicted, split, "all") for split in ("train", "valid")]
        points.append(SweepPoint(threshold=t, true_pairs=sum(s.true_pairs for s in both),
                                 merged_pairs=sum(s.merged_pairs for s in both),
                                 right_pairs=sum(s.right_pairs for s in both)))
    return points


def choose_threshold(points: list[SweepPoint]) -> float:
    """The highest-recall threshold whose precision is >= PRECISION_FLOOR; among equal recalls, the higher
    precision, then the higher threshold (a wrong merge costs more than a missed one). NO_MERGE if none fits."""
    fitting = [p for p in points if p.precision >= PRECISION_FLOOR]
    if not fitting:
        return NO_MERGE
    return max(fitting, key=lambda p: (round(p.recall, 6), round(p.precision, 6), p.threshold)).threshold
