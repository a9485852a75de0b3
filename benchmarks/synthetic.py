"""Synthetic extractions shaped like real ones, generated lazily and reproducibly from a seed.

Shape (what the writer and the queries care about):
- entities of the four ontology types (Person 40 %, Organization 40 %, Product 15 %, Document 5 %), each picked
  half the time from a Zipf law (a few hubs such as "Google" take part in a large share of facts: power-law degrees)
  and half the time uniformly (a long tail, so that most entities appear at all);
- facts of every predicate with the ontology's subject and object types, qualifiers where real ones have them
  (date from the article, amount and currency on deals, role on employment);
- articles of 1 to 9 facts (5 on average) with a short text whose sentences are the evidence; one fact in ten
  repeats a fact already reported by an earlier article (the same story in another outlet), so popular facts carry
  several pieces of evidence.
The same seed gives the same articles, facts and ids: generating twice re-ingests the same facts."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from kg.model import Article, ArticleExtraction, Entity, Evidence, Fact, Qualifiers

TYPES = (("Person", 0.40, None), ("Organization", 0.40, "company"), ("Product", 0.15, "software"),
         ("Document", 0.05, "report"))
# predicate, weight, subject types, object types (all allowed by the ontology)
PREDICATES = (
    ("WORKS_FOR", 18, ("Person",), ("Organization",)),
    ("JOINED", 8, ("Person",), ("Organization",)),
    ("LEFT", 4, ("Person",), ("Organization",)),
    ("HIRED_FROM", 3, ("Person",), ("Organization",)),
    ("FOUNDED", 5, ("Person", "Organization"), ("Organization",)),
    ("OWNS", 5, ("Organization",), ("Product", "Organization")),
    ("SUBSIDIARY_OF", 4, ("Organization",), ("Organization",)),
    ("ACQUIRED", 10, ("Organization",), ("Organization",)),
    ("PURCHASED", 3, ("Organization",), ("Product",)),
    ("INVESTED_IN", 10, ("Organization", "Person"), ("Organization",)),
    ("PARTNERED_WITH", 12, ("Organization",), ("Organization",)),
    ("LAUNCHED", 12, ("Organization",), ("Product",)),
    ("SUED", 4, ("Organization", "Person"), ("Organization",)),
    ("SIGNED", 2, ("Person", "Organization"), ("Document",)),
)
SYLLABLES = ("ka", "lo", "mi", "ra", "to", "ve", "zan", "qu", "bel", "dor", "fin", "gra", "hex", "jun", "nox", "pel")
FIRST_NAMES = ("Anna", "Marc", "Li", "Sofia", "Omar", "Julia", "Kenji", "Claire", "Ravi", "Elena", "Tom", "Ines")


@dataclass(frozen=True)
class Shape:
    entities: int = 250_000
    seed: int = 7
    zipf_exponent: float = 1.15
    repeat_share: float = 0.10
    extractor: str = "synthetic"

    def __post_init__(self) -> None:
        if self.entities < 100:
            raise ValueError("a synthetic graph needs at least 100 entities")


def _name(rng: random.Random, type_name: str, index: int) -> str:
    stem = "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()
    if type_name == "Person":
        return f"{rng.choice(FIRST_NAMES)} {stem} {index}"
    if type_name == "Organization":
        return f"{stem} {rng.choice(('Systems', 'Labs', 'Corp', 'Networks', 'AI'))} {index}"
    if type_name == "Product":
        return f"{stem} {rng.choice(('Cloud', 'Phone', 'OS', 'Chip', 'Model'))} {index}"
    return f"{stem} report {index}"


class EntityPools:
    """Entities per type, with a sampler that mixes a Zipf law (hubs) and a uniform draw (long tail)."""

    def __init__(self, shape: Shape) -> None:
        rng = random.Random(shape.seed)
        self.shape = shape
        self.by_type: dict[str, list[Entity]] = {}
        self._cumulative: dict[str, list[float]] = {}
        for type_name, share, kind in TYPES:
            count = max(10, int(shape.entities * share))
            pool = []
            for index in range(count):
                name = _name(rng, type_name, index)
                pool.append(Entity.named(name, type_name, kind=kind))
            self.by_type[type_name] = pool
            weights = [1.0 / (rank + 1) ** shape.zipf_exponent for rank in range(count)]
            total, running = sum(weights), 0.0
            cumulative = []
            for weight in weights:
                running += weight / total
                cumulative.append(running)
            self._cumulative[type_name] = cumulative

    def pick(self, rng: random.Random, type_name: str) -> Entity:
        pool = self.by_type[type_name]
        if rng.random() < 0.5:
            import bisect

            index = min(len(pool) - 1, bisect.bisect_left(self._cumulative[type_name], rng.random()))
            return pool[index]
        return rng.choice(pool)

    @property
    def count(self) -> int:
        return sum(len(pool) for pool in self.by_type.values())


@dataclass
class _FactSeed:
    subject: Entity
    predicate: str
    object: Entity
    qualifiers: Qualifiers


def _new_fact(rng: random.Random, pools: EntityPools, date: str) -> _FactSeed:
    predicate, _, subject_types, object_types = rng.choices(PREDICATES, weights=[p[1] for p in PREDICATES])[0]
    subject = pools.pick(rng, rng.choice(subject_types))
    obj = pools.pick(rng, rng.choice(object_types))
    while obj.id == subject.id:
        obj = pools.pick(rng, rng.choice(object_types))
    qualifiers = Qualifiers(date=date if rng.random() < 0.6 else date[:7])
    if predicate in ("ACQUIRED", "INVESTED_IN") and rng.random() < 0.5:
        qualifiers.amount = float(rng.choice((5, 20, 150, 900, 2500))) * 1e6
        qualifiers.currency = rng.choice(("USD", "EUR", "GBP"))
    if predicate in ("WORKS_FOR", "JOINED") and rng.random() < 0.6:
        qualifiers.role = rng.choice(("chief executive", "engineer", "chairman", "chief technology officer"))
    if rng.random() < 0.1:
        qualifiers.modality = "reported"
    return _FactSeed(subject, predicate, obj, qualifiers)


def _sentence(seed: _FactSeed) -> str:
    verb = seed.predicate.lower().replace("_", " ")
    return f"{seed.subject.name} {verb} {seed.object.name}."


def extractions(shape: Shape, facts: int, pools: EntityPools | None = None) -> Iterator[ArticleExtraction]:
    """Articles until `facts` fact mentions (distinct facts are ~`1 - repeat_share` of them) have been produced."""
    pools = pools or EntityPools(shape)
    rng = random.Random(shape.seed + 1)
    recent: list[_FactSeed] = []
    produced = 0
    article_index = 0
    while produced < facts:
        day = article_index % 3650
        date = f"{2015 + day // 365:04d}-{(day % 365) // 31 % 12 + 1:02d}-{(day % 31) % 28 + 1:02d}"
        seeds = []
        for _ in range(min(rng.randint(1, 9), facts - produced)):
            if recent and rng.random() < shape.repeat_share:
                seeds.append(rng.choice(recent))
            else:
                seed = _new_fact(rng, pools, date)
                seeds.append(seed)
                if len(recent) < 50_000:
                    recent.append(seed)
                else:
                    recent[rng.randrange(len(recent))] = seed
        article_id = f"synthetic-{article_index:08d}"
        sentences = [_sentence(s) for s in seeds]
        title = f"News {article_index}"
        text = title + "\n\n" + " ".join(sentences)
        article = Article(id=article_id, text=text, title=title, url=f"https://example.org/{article_id}",
                          published=date, lang="en", source="synthetic")
        offset = len(title) + 2
        facts_out = []
        for seed, sentence in zip(seeds, sentences, strict=True):
            evidence = Evidence(article_id, sentence, offset, offset + len(sentence), shape.extractor,
                                round(0.5 + rng.random() / 2, 3))
            offset += len(sentence) + 1
            facts_out.append(Fact(seed.subject, seed.predicate, seed.object, seed.qualifiers, [evidence]))
        produced += len(seeds)
        article_index += 1
        yield ArticleExtraction(article, [], facts_out)
