"""Cross-article entity resolution: each entity of a new article is linked to an entity already known (in the
graph, or from an earlier article of the run) when a rule says they are one, above a threshold.

Invariants:
- The extraction's ids are never rewritten: decisions are appended to `ArticleExtraction.merges` as
  `EntityMerge(source_id, target_id, names, score, rule, by="resolver")`, and the writer applies them.
- Only an entity of the article is a merge source, never an entity with a knowledge-base id (curated), and never
  into another entity of the same article (the extractor told them apart) nor across types.
- When two different candidates tie for the best score, nothing is merged: a wrong merge costs more than a missed
  one (`MERGE_THRESHOLD` is chosen by that rule too, see docs/resolution.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.extraction.resources import KnowledgeBase, knowledge_base
from ingest.resolution.index import EntityIndex, GraphCandidates
from ingest.resolution.known import KnownEntity, known_from_extraction
from ingest.resolution.names import blocking_keys
from ingest.resolution.rules import SCORE_CURATED, RuleMatch, best_rule
from kg.model import ArticleExtraction, EntityMerge

# The lowest score merged: the highest-recall threshold with pairwise precision >= 0.97 on the train and valid
# pairs of the resolution gold set (`kg resolution eval` prints the sweep; docs/resolution.md has the figures).
MERGE_THRESHOLD = 0.95


@dataclass(frozen=True)
class Decision:
    source: KnownEntity
    target_id: str
    match: RuleMatch

    def as_merge(self) -> EntityMerge:
        a, b = self.match.names
        return EntityMerge(source_id=self.source.id, target_id=self.target_id, names=(a, b),
                           score=round(self.match.score, 4), rule=self.match.rule, by="resolver",
                           why=f"{self.match.rule}: {a!r} ~ {b!r}")


def _kb_match(known: KnownEntity, kb: KnowledgeBase) -> Decision | None:
    """The knowledge base's entity for one of `known`'s names, as written or without suffixes and articles."""
    for forms in known.forms():
        for name in (forms.surface, " ".join(forms.words)):
            entry = kb.lookup(name)
            if entry is not None and entry.type == known.type and entry.id != known.id and not entry.ambiguous:
                return Decision(known, entry.id, RuleMatch("kb-alias", SCORE_CURATED, (forms.surface, entry.name)))
    return None


def curated_ids(kb: KnowledgeBase) -> frozenset[str]:
    """The ids the knowledge base gives: an entity with one is never merged into another."""
    return frozenset(entry.id for entry in kb.entries)


@dataclass
class Resolver:
    """Resolves articles one after another; what it learns from one article (names, context) serves the next."""

    threshold: float = MERGE_THRESHOLD
    graph: GraphCandidates | None = None
    index: EntityIndex = field(default_factory=EntityIndex)
    kb: KnowledgeBase = field(default_factory=knowledge_base)
    merges_made: int = 0
    decided: dict[str, Decision] = field(default_factory=dict)  # source id -> its merge, reused by later articles
    curated_ids: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.curated_ids = curated_ids(self.kb)

    def resolve(self, extraction: ArticleExtraction) -> ArticleExtraction:
        """Append this article's merges to `extraction.merges`, then remember its entities for the next articles."""
        article = [known_from_extraction(e, extraction.facts, self.curated_ids) for e in extraction.entities]
        keys = {e.id: set().union(*(blocking_keys(f) for f in e.forms())) for e in article}
        if self.graph is not None:
            self.graph.fill(self.index, set().union(*keys.values()))
        article_ids = {e.id for e in article}
        context = article_ids | {self.index.final_id(i) for i in article_ids}
        decisions = [d for e in article if (d := self._decide(e, keys[e.id], article_ids, context)) is not None]
        kept = self._one_per_target(decisions, article_ids)
        extraction.merges.extend(d.as_merge() for d in kept)
        self.merges_made += len(kept)
        self._remember(article, kept)
        return extraction

    def _decide(self, known: KnownEntity, keys: set[str], article_ids: set[str],
                context: set[str]) -> Decision | None:
        if known.curated:
            return None
        if (earlier := self.decided.get(known.id)) is not None:
            target = self.index.final_id(earlier.target_id)
            return Decision(known, target, earlier.match) if target != known.id else None
        if (kb := _kb_match(known, self.kb)) is not None and kb.match.score >= self.threshold:
            return kb
        scored: list[Decision] = []
        for candidate in self.index.find(keys):
            if candidate.type != known.type or candidate.id in article_ids or candidate.id == known.id:
                continue
            match = self._match(known, candidate, context)
            if match is not None and match.score >= self.threshold:
                scored.append(Decision(known, candidate.id, match))
        scored.sort(key=lambda d: d.match.score, reverse=True)
        if len(scored) > 1 and scored[1].match.score == scored[0].match.score:
            return None  # two candidates equally likely: leave it to a curator
        return scored[0] if scored else None

    @staticmethod
    def _match(known: KnownEntity, candidate: KnownEntity, context: set[str]) -> RuleMatch | None:
        if known.wikidata_id and known.wikidata_id == candidate.wikidata_id:
            return RuleMatch("wikidata", SCORE_CURATED, (min(known.names), min(candidate.names)))
        agrees = bool(candidate.neighbour_ids & context)
        return best_rule(known.type, known.forms(), candidate.forms(), agrees)

    @staticmethod
    def _one_per_target(decisions: list[Decision], article_ids: set[str]) -> list[Decision]:
        """At most one entity of an article per target (two the extractor told apart stay apart), never a target
        that is itself an entity of the article."""
        best: dict[str, Decision] = {}
        for d in sorted(decisions, key=lambda d: d.match.score, reverse=True):
            if d.target_id not in article_ids and d.target_id not in best:
                best[d.target_id] = d
        return list(best.values())

    def _remember(self, article: list[KnownEntity], kept: list[Decision]) -> None:
        for decision in kept:
            self.decided[decision.source.id] = decision
            self.index.merged(decision.source.id, decision.target_id)
        for known in article:
            known.neighbour_ids = {self.index.final_id(i) for i in known.neighbour_ids}
            self.index.add(known)
