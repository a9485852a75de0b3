"""The resolution gold set: every entity mention of the annotated corpus (`annotations/gold/*.json`), the entity it
is across articles, and the labelled cross-article pairs, built into `annotations/resolution/`.

How labels are decided (docs/resolution.md says more):
- one folded name and one type in two articles is one entity, unless `judgements.tsv` splits it (read in the text);
- two names are one entity where `judgements.tsv` says `same` (each line read from the names or the texts), or
  where an annotator gave one as an alias of the other (`alias_links`) and no judgement says `different`;
- every other pair is different. The pairs a careful reader might doubt (`similar_name_pairs`: similar strings,
  one name's words inside the other's, an acronym, a shared surname) were all read; those not joined are the hard
  negatives, with same-name pairs of different types.
The split of a mention is its article's (annotations/splits); articles excluded from train and valid are left out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Literal

from rapidfuzz import fuzz, process

from ingest.annotation.files import ANNOTATIONS_DIR
from kg.errors import InputError
from kg.model import fold

Split = Literal["train", "valid", "test"]
SPLITS: tuple[Split, ...] = ("train", "valid", "test")
RESOLUTION_DIR = ANNOTATIONS_DIR / "resolution"
JUDGEMENTS = RESOLUTION_DIR / "judgements.tsv"
MENTIONS_FILE = RESOLUTION_DIR / "mentions.jsonl"
PAIRS_FILE = RESOLUTION_DIR / "pairs.jsonl"
SIMILARITY_TO_READ = 80  # rapidfuzz ratio (token-set ratio for non-persons) from which a pair of names was read
_WORD = re.compile(r"[a-z0-9]+")
_LINK = frozenset({"of", "and", "the", "for", "de", "du", "des", "la", "le", "l", "d", "et"})

EntityKey = tuple[str, str]  # (type, folded name), or "name@article" for a name split by a judgement


@dataclass(frozen=True)
class GoldFact:
    subject: str
    predicate: str
    object: str


@dataclass
class GoldMention:
    """One entity of one article's annotation, and the entity (`cluster`) it is across the corpus."""

    id: str  # "<article id>#<index in the annotation>"
    article_id: str
    lang: str
    split: Split
    type: str
    name: str
    aliases: list[str]
    cluster: str = ""

    @property
    def key(self) -> EntityKey:
        return (self.type, fold(self.name))


@dataclass
class GoldArticle:
    id: str
    lang: str
    split: Split
    mentions: list[GoldMention] = field(default_factory=list)
    facts: list[GoldFact] = field(default_factory=list)


@dataclass(frozen=True)
class Judgement:
    label: Literal["same", "different", "split"]
    type: str
    a: str
    b: str  # the other name, or for a split the comma-separated article ids
    basis: str


def split_of_articles(root: Path = ANNOTATIONS_DIR) -> dict[str, Split]:
    out: dict[str, Split] = {}
    for split in SPLITS:
        for line in (root / "splits" / f"{split}.txt").read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                out[line.split()[0]] = split
    return out


def load_articles(root: Path = ANNOTATIONS_DIR) -> list[GoldArticle]:
    """Every first-pass annotation of an article in a split, in id order."""
    splits = split_of_articles(root)
    articles = []
    for path in sorted((root / "gold").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        split = splits.get(data["id"])
        if split is None:
            continue
        article = GoldArticle(data["id"], data.get("lang", "en"), split)
        for i, entity in enumerate(data["entities"]):
            article.mentions.append(GoldMention(f"{data['id']}#{i}", data["id"], article.lang, split, entity["type"],
                                                entity["name"], list(entity.get("aliases", []))))
        article.facts = [GoldFact(f["subject"], f["predicate"], f["object"]) for f in data["facts"]]
        articles.append(article)
    return articles


def load_judgements(path: Path = JUDGEMENTS) -> list[Judgement]:
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 5 or parts[0] not in ("same", "different", "split"):
            raise InputError(f"{path}:{number}: expected 'label<TAB>type<TAB>name<TAB>name<TAB>basis' with label "
                             "same, different or split; fix that line.")
        out.append(Judgement(parts[0], parts[1], parts[2], parts[3], parts[4]))  # type: ignore[arg-type]
    return out


class _Clusters:
    """Union-find over entity keys."""

    def __init__(self) -> None:
        self.parent: dict[EntityKey, EntityKey] = {}

    def find(self, key: EntityKey) -> EntityKey:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def join(self, a: EntityKey, b: EntityKey) -> None:
        self.parent[self.find(a)] = self.find(b)


def _mention_key(mention: GoldMention, splits: dict[EntityKey, dict[str, str]]) -> EntityKey:
    split_name = splits.get(mention.key, {}).get(mention.article_id)
    return (mention.type, split_name) if split_name else mention.key


def assign_clusters(articles: list[GoldArticle], judgements: list[Judgement]) -> None:
    """Set each mention's `cluster`: its key joined with the keys judged the same."""
    splits: dict[EntityKey, dict[str, str]] = {}
    for j in (j for j in judgements if j.label == "split"):
        ids = j.b.split(",")
        splits.setdefault((j.type, j.a), {}).update({i: f"{j.a}@{ids[0]}" for i in ids})
    clusters = _Clusters()
    for j in (j for j in judgements if j.label == "same"):
        clusters.join((j.type, j.a), (j.type, j.b))
    different = {frozenset(((j.type, j.a), (j.type, j.b))) for j in judgements if j.label == "different"}
    for a, b in alias_links(articles):
        if frozenset((a, b)) not in different:
            clusters.join(a, b)
    for article in articles:
        for mention in article.mentions:
            root = clusters.find(_mention_key(mention, splits))
            mention.cluster = f"{root[0]}|{root[1]}"


def alias_links(articles: list[GoldArticle]) -> set[tuple[EntityKey, EntityKey]]:
    """(entity, entity) joined by the annotators: an alias of an entity in one article is the name of an entity of
    the same type in another ("Aston Martin Lagonda", alias "Aston Martin"). A person's one-word alias ("Smith",
    "Mark") names nobody on its own and links nothing."""
    keys_by_article: dict[EntityKey, set[str]] = {}
    for article in articles:
        for m in article.mentions:
            keys_by_article.setdefault(m.key, set()).add(article.id)
    links = set()
    for article in articles:
        for m in article.mentions:
            for alias in m.aliases:
                other = (m.type, fold(alias))
                if m.type == "Person" and len(other[1].split()) < 2:
                    continue
                if other != m.key and keys_by_article.get(other, set()) - {article.id}:
                    links.add((m.key, other))
    return links


def _words(name: str) -> set[str]:
    return set(_WORD.findall(name))


def _initials(name: str) -> set[str]:
    words = _WORD.findall(name)
    if len(words) < 2:
        return set()
    return {"".join(w[0] for w in words), "".join(w[0] for w in words if w not in _LINK)}


def _similar_strings(names: list[str], person: list[bool]) -> set[tuple[int, int]]:
    """Index pairs of similar strings: rapidfuzz ratio >= SIMILARITY_TO_READ, or token-set ratio (one name's words
    inside the other's, for non-persons), computed as matrices (rapidfuzz.process.cdist)."""
    ratio = process.cdist(names, names, scorer=fuzz.ratio, score_cutoff=SIMILARITY_TO_READ, workers=-1)
    token_set = process.cdist(names, names, scorer=fuzz.token_set_ratio, score_cutoff=SIMILARITY_TO_READ, workers=-1)
    pairs = {(int(i), int(j)) for i, j in zip(*ratio.nonzero(), strict=True) if i < j}
    pairs |= {(int(i), int(j)) for i, j in zip(*token_set.nonzero(), strict=True)
              if i < j and not person[i] and not person[j]}
    return pairs


def _shared_surname_or_acronym(names: list[str], person: list[bool]) -> set[tuple[int, int]]:
    """Index pairs where (people) one name is one word of the other or both end in the same surname, or (others)
    one name spells the other's initials."""
    by_word: dict[str, set[int]] = {}
    by_initials: dict[str, set[int]] = {}
    for i, name in enumerate(names):
        words = name.split()
        if person[i] and words:
            by_word.setdefault(words[-1], set()).add(i)
        elif not person[i]:
            for initials in _initials(name):
                by_initials.setdefault(initials, set()).add(i)
    pairs: set[tuple[int, int]] = set()
    for i, name in enumerate(names):
        if person[i] and len(name.split()) == 1:
            pairs |= {(min(i, j), max(i, j)) for n, js in by_word.items() for j in js
                      if name in n.split() or name in names[j].split()}
        partners = by_word.get(name.split()[-1], set()) if person[i] and name else \
            by_initials.get(name.replace(" ", ""), set())
        pairs |= {(min(i, j), max(i, j)) for j in partners if j != i}
    return pairs


def similar_name_pairs(articles: list[GoldArticle]) -> set[frozenset[EntityKey]]:
    """Pairs of distinct keys of one type, from different articles, whose names (or aliases) are worth reading (the
    builder's criterion, independent of the resolver's rules): similar strings, one's words inside the other's,
    an acronym of the other, or (people) a shared surname."""
    owner: list[EntityKey] = []
    names: list[str] = []
    where: dict[EntityKey, set[str]] = {}
    for article in articles:
        for m in article.mentions:
            where.setdefault(m.key, set()).add(article.id)
            for name in {fold(n) for n in (m.name, *m.aliases)}:
                owner.append(m.key)
                names.append(name)
    person = [key[0] == "Person" for key in owner]
    found = _similar_strings(names, person) | _shared_surname_or_acronym(names, person)
    return {frozenset((owner[i], owner[j])) for i, j in found
            if owner[i] != owner[j] and owner[i][0] == owner[j][0] and where[owner[i]] != where[owner[j]]}


PairCategory = Literal["same-name", "variant", "judged-different", "type-differs", "name-split"]


@dataclass(frozen=True)
class LabelledPair:
    a: str  # mention ids
    b: str
    split: Split  # the later split of its two mentions' articles (pair_split)
    same: bool
    category: PairCategory


def pair_split(a: Split, b: Split) -> Split:
    """A pair counts in test if either mention is a test mention, else in valid if either is, else in train: test
    mentions are resolved against everything before them, as an article is against the graph."""
    return max(a, b, key=SPLITS.index)


def _cross_article(group: list[GoldMention]) -> Iterator[tuple[GoldMention, GoldMention]]:
    return ((x, y) for x, y in combinations(group, 2) if x.article_id != y.article_id)


def _grouped(mentions: list[GoldMention], key: Callable[[GoldMention], object]) -> list[list[GoldMention]]:
    groups: dict[object, list[GoldMention]] = {}
    for m in mentions:
        groups.setdefault(key(m), []).append(m)
    return list(groups.values())


def labelled_pairs(articles: list[GoldArticle]) -> Iterator[LabelledPair]:
    """Every cross-article positive pair, and the hard negatives: pairs of names read and judged different,
    same-name pairs a judgement split, and same-name pairs of different types."""
    mentions = [m for a in articles for m in a.mentions]

    def pair(x: GoldMention, y: GoldMention, same: bool, category: PairCategory) -> LabelledPair:
        return LabelledPair(x.id, y.id, pair_split(x.split, y.split), same, category)

    for group in _grouped(mentions, lambda m: m.cluster):
        yield from (pair(x, y, True, "same-name" if x.key == y.key else "variant") for x, y in _cross_article(group))
    for group in _grouped(mentions, lambda m: m.key):
        yield from (pair(x, y, False, "name-split") for x, y in _cross_article(group) if x.cluster != y.cluster)
    for group in _grouped(mentions, lambda m: fold(m.name)):
        yield from (pair(x, y, False, "type-differs") for x, y in _cross_article(group) if x.type != y.type)
    by_key = {tuple(g[0].key): g for g in _grouped(mentions, lambda m: m.key)}
    for key_pair in sorted(similar_name_pairs(articles), key=sorted):
        a, b = sorted(key_pair)
        yield from (pair(x, y, False, "judged-different") for x in by_key[a] for y in by_key[b]
                    if x.article_id != y.article_id and x.cluster != y.cluster)


def build(root: Path = ANNOTATIONS_DIR) -> tuple[int, int]:
    """Write mentions.jsonl and pairs.jsonl under annotations/resolution; return (mentions, pairs) written."""
    articles = load_articles(root)
    judgements = load_judgements(root / "resolution" / JUDGEMENTS.name)
    assign_clusters(articles, judgements)
    mentions = [m for a in articles for m in a.mentions]
    with (root / "resolution" / MENTIONS_FILE.name).open("w", encoding="utf-8") as out:
        for m in mentions:
            out.write(json.dumps(asdict(m), ensure_ascii=False) + "\n")
    pairs = 0
    with (root / "resolution" / PAIRS_FILE.name).open("w", encoding="utf-8") as out:
        for pair in labelled_pairs(articles):
            out.write(json.dumps(asdict(pair), ensure_ascii=False) + "\n")
            pairs += 1
    return len(mentions), pairs
