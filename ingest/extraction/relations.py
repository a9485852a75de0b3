"""The trained relation classifier: `kg_relation_classifier_v1`, added after the rule component.

For every ordered pair of entity mentions in a sentence it scores the 14 predicates and "none" with a linear
model over hashed, sparse features (words between and around the two mentions, lemmas, the dependency path,
mention types, order, distance, and what the rules said about the pair). Mentions are the rule component's
(spaCy NER + the curated knowledge base) plus the names of a gazetteer drawn from the annotated train split;
mention types come from one explicit typing pass (gazetteer first, then the knowledge base, then NER); anaphors
("the company", "it", "he", "il") are mentions of the entity they stand for.

The weights, the gazetteer and the settings live in a folder (`ingest/data/model/` by default), written by
`kg train`. The component's `mode` says which facts leave the extractor: `rules` (the rule layer alone),
`model` (the classifier alone) or `both` (the default: the classifier's facts plus the rules' facts of the
predicates in `ModelSettings.rule_predicates`, every predicate since `kg train` keeps them all).

An article's facts depend on that article alone: no state is kept between documents, and a knowledge-base
entity keeps its knowledge-base type in every slot (`_slot_of`), so no two articles give one graph id two types."""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ingest.evaluation.names import fold_name
from ingest.extraction.candidates import Candidate
from ingest.extraction.mentions import EntityInfo, Mention
from ingest.extraction.word_clusters import WordClusters, cluster_features
from kg.errors import ConfigurationError
from kg.model import entity_id_for

COMPONENT_NAME = "kg_relation_classifier_v1"
DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[1] / "data" / "model"
PREDICATES = ("HIRED_FROM", "JOINED", "LEFT", "WORKS_FOR", "FOUNDED", "OWNS", "SUBSIDIARY_OF", "ACQUIRED",
              "PURCHASED", "INVESTED_IN", "PARTNERED_WITH", "LAUNCHED", "SUED", "SIGNED")
LABELS = ("NONE", *PREDICATES)
MODES = ("rules", "model", "both")
DEAL_PREDICATES = ("ACQUIRED", "INVESTED_IN", "PURCHASED")
ENTITY_TYPES = ("Person", "Organization", "Product", "Document")
MAX_MENTIONS = 14  # per sentence: pairs grow with the square
MAX_GAP = 40  # tokens between the two mentions of a pair
PERSON_PRONOUNS = {"en": frozenset({"he", "she", "his", "her"}), "fr": frozenset({"il", "elle"})}
PERSON_WINDOW = 2  # sentences back in which a pronoun looks for its person
SUBJECT_OR_POSSESSOR = ("nsubj", "nsubjpass", "nsubj:pass", "poss")
DEFINITE_ARTICLES = ("the", "le", "la", "l'", "l’")
MODEL_NUMBER = re.compile(r"[A-Z]{0,3}\d{1,4}[A-Za-z]{0,2}")  # "4", "13", "C12", "V12", "S20", "5G" is not
YEAR = re.compile(r"(19|20)\d\d")
MODEL_SUFFIXES = frozenset({"XL", "Pro", "Max", "Plus", "Ultra", "Mini", "mini", "Lite", "Air", "Edge", "+"})
QUANTITY_WORDS = frozenset({"%", "percent", "pour", "million", "millions", "billion", "milliard", "milliards", "bn",
                            "m", "k", "m€", "euros", "dollars", "ans", "years", "fois", "times"})


# -- the typing pass ----------------------------------------------------------------------------------------

@dataclass
class Gazetteer:
    """Names of annotated entities (train split): folded name → {type: number of articles naming it so}."""

    names: dict[str, dict[str, int]] = field(default_factory=dict)
    surface: dict[str, str] = field(default_factory=dict)  # folded → one surface form (for the matcher)

    def add_article(self, entities: Iterable[dict[str, Any]]) -> None:
        seen: dict[str, str] = {}
        for e in entities:
            for name in [e.get("name"), *(e.get("aliases") or [])]:
                if isinstance(name, str) and len(fold_name(name)) >= 2 and e.get("type") in ENTITY_TYPES:
                    seen[fold_name(name)] = e["type"]
                    self.surface.setdefault(fold_name(name), name)
        for folded, type_name in seen.items():
            counts = self.names.setdefault(folded, {})
            counts[type_name] = counts.get(type_name, 0) + 1

    def type_of(self, text: str, exclude: dict[str, str] | None = None) -> str | None:
        """The majority type of a name; `exclude` (folded → type) takes one article's own votes away."""
        folded = fold_name(text)
        counts = dict(self.names.get(folded, {}))
        if exclude and folded in exclude and exclude[folded] in counts:
            counts[exclude[folded]] -= 1
        counts = {k: v for k, v in counts.items() if v > 0}
        if not counts:
            return None
        return max(sorted(counts), key=lambda k: counts[k])

    def to_dict(self) -> dict[str, Any]:
        return {"names": self.names, "surface": self.surface}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Gazetteer:
        return cls(dict(data.get("names", {})), dict(data.get("surface", {})))


def mention_type(m: Mention, gazetteer: Gazetteer, exclude: dict[str, str] | None = None) -> str:
    """One mention's type for the classifier: the gazetteer's, else the knowledge base's, else NER's."""
    gaz = gazetteer.type_of(m.text, exclude)
    if gaz is not None:
        return gaz
    if m.kb is not None:
        return m.kb.type
    return m.type


# -- features -----------------------------------------------------------------------------------------------

def _bucket(n: int) -> str:
    for limit in (0, 1, 2, 3, 5, 8, 12, 20):
        if n <= limit:
            return str(limit)
    return "more"


def _word(tok) -> str:
    if tok.like_num:
        return "<num>"
    return tok.lemma_.lower() or tok.lower_


def _path(doc: Doc, a: int, b: int) -> tuple[list[Any], list[Any], Any]:
    """Tokens from a up to the lowest common ancestor, and from b up to it."""
    up_a = [doc[a], *doc[a].ancestors]
    ids_a = {t.i: k for k, t in enumerate(up_a)}
    up_b = [doc[b]]
    for t in doc[b].ancestors:
        if up_b[-1].i in ids_a:
            break
        up_b.append(t)
    if up_b[-1].i not in ids_a:
        return up_a, up_b, None
    lca = up_b[-1]
    return up_a[:ids_a[lca.i] + 1], up_b, lca


def trigger_words(lexicon: dict[str, Any]) -> dict[str, set[str]]:
    """Lemma → the predicates (or ROLE) the rule lexicon says it signals: the same feature names in every
    language, so what English articles teach about "buy" helps with "racheter"."""
    out: dict[str, set[str]] = {}

    def add(phrase: str, label: str) -> None:
        words = phrase.lower().split()
        if words:
            out.setdefault(words[-1] if label == "ROLE" else words[0], set()).add(label)

    for frame in lexicon.get("frames", []):
        for lemma in frame.get("lemmas", []):
            if len(lemma.split()) == 1:
                add(lemma, frame["predicate"].lstrip("_"))
    for predicate, phrases in lexicon.get("relations", {}).items():
        for phrase in phrases:
            add(phrase, predicate)
    for phrase in lexicon.get("roles", {}):
        add(phrase, "ROLE")
    return out


def pair_features(doc: Doc, sent: Span, s: Mention, o: Mention, s_type: str, o_type: str, lang: str,
                  rule_labels: Sequence[str] = (), hypothetical: bool = False,
                  triggers: dict[str, set[str]] | None = None, lean: bool = False) -> list[str]:
    """The sparse features of the ordered pair (subject candidate s, object candidate o); `lean` leaves out
    the most specific lexical conjunctions (bigrams, word sequences, context words)."""
    first, second = (s, o) if s.start < o.start else (o, s)
    order = "so" if first is s else "os"
    types = f"{s_type}>{o_type}"
    between = doc[first.end:second.start]
    words = [_word(t) for t in between if not t.is_space]
    feats = [f"lang={lang}", f"types={types}", f"order={order}", f"to={types}|{order}",
             f"dist={_bucket(len(words))}", f"tod={types}|{order}|{_bucket(len(words))}"]
    for w in set(words):
        feats.append(f"bw={w}")
        feats.append(f"bwo={w}|{order}")
    if words:
        feats += [f"b1={words[0]}", f"bl={words[-1]}", f"b1o={words[0]}|{order}"]
    else:
        feats.append("adjacent")
    if len(words) <= 4 and not lean:
        feats.append(f"bseq={' '.join(words)}|{order}")
    if len(words) >= 2 and not lean:
        feats += [f"bbi={a}_{b}" for a, b in zip(words, words[1:], strict=False)]
    for k in (1, 2) if not lean else ():
        i = first.start - k
        if i >= sent.start:
            feats.append(f"L{k}={_word(doc[i])}")
        j = second.end + k - 1
        if j < sent.end:
            feats.append(f"R{k}={_word(doc[j])}")
    if second.end < sent.end:
        feats.append(f"R1o={_word(doc[second.end])}|{order}")
    up_s, up_o, lca = _path(doc, s.root, o.root)
    if lca is not None and len(up_s) + len(up_o) <= 12:
        deps = "^".join(t.dep_ for t in up_s[:-1]) + "|" + "^".join(t.dep_ for t in up_o[:-1])
        lemmas = [_word(t) for t in up_s[1:-1] + up_o[1:-1]]
        feats += [f"path={deps}", f"lca={_word(lca)}|{lca.pos_}", f"lcat={_word(lca)}|{types}"]
        if not lean:
            feats.append(f"lcad={_word(lca)}|{deps}")
        for lem in lemmas:
            feats.append(f"pw={lem}")
        # which side of the verb each mention sits (subject, object, oblique): direction of the fact
        feats.append(f"sdep={up_s[-2].dep_ if len(up_s) > 1 else 'self'}")
        feats.append(f"odep={up_o[-2].dep_ if len(up_o) > 1 else 'self'}")
        if lca.i not in range(first.start, first.end) and lca.i not in range(second.end, second.end + 0):
            feats.append(f"lcapos={lca.pos_}|{'in' if first.end <= lca.i < second.start else 'out'}")
    else:
        feats.append("nopath")
    if triggers:
        cues = set()
        for t in between:
            for label in triggers.get(t.lemma_.lower(), ()):
                cues.add(("b", label))
        for k in (1, 2, 3):
            for i in (first.start - k, second.end + k - 1):
                if sent.start <= i < sent.end:
                    for label in triggers.get(doc[i].lemma_.lower(), ()):
                        cues.add(("o", label))
        if lca is not None:
            for label in triggers.get(lca.lemma_.lower(), ()):
                cues.add(("lca", label))
            for t in up_s[1:-1] + up_o[1:-1]:
                for label in triggers.get(t.lemma_.lower(), ()):
                    cues.add(("p", label))
        for where, label in cues:
            feats += [f"cue={where}:{label}", f"cuet={where}:{label}|{types}|{order}", f"cue1={label}|{types}"]
    for label in rule_labels:
        feats.append(f"rule={label}")
        feats.append(f"rulet={label}|{types}")
    if hypothetical:
        feats.append("hyp")
    if s.anaphor or o.anaphor:
        feats.append(f"anaphor={'s' if s.anaphor else ''}{'o' if o.anaphor else ''}|{types}")
        feats.append(f"anaphor_tok={doc[(s if s.anaphor else o).start].lower_}")
    feats.append("bias")
    return feats


def hash_features(feats: Iterable[str], n_buckets: int) -> np.ndarray:
    mask = n_buckets - 1
    return np.unique(np.fromiter((zlib.crc32(f.encode("utf-8")) & mask for f in feats), dtype=np.int64))


# -- the linear model -----------------------------------------------------------------------------------------

class LinearModel:
    """Multinomial logistic regression over hashed features, trained with AdaGrad."""

    def __init__(self, n_buckets: int = 2 ** 19, labels: Sequence[str] = LABELS) -> None:
        self.n_buckets = n_buckets
        self.labels = tuple(labels)
        self.W = np.zeros((n_buckets, len(self.labels)), dtype=np.float32)
        self._G: np.ndarray | None = None

    def scores(self, ids: np.ndarray) -> np.ndarray:
        z = self.W[ids].sum(axis=0)
        z = z - z.max()
        e = np.exp(z)
        return e / e.sum()

    def scores_many(self, ids: list[np.ndarray]) -> np.ndarray:
        """Probabilities of many examples at once (one row each)."""
        if not ids:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        offsets = np.cumsum([0] + [len(x) for x in ids[:-1]])
        z = np.add.reduceat(self.W[np.concatenate(ids)], offsets, axis=0)
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def update(self, ids: np.ndarray, gold: int, lr: float, l2: float = 0.0, weight: float = 1.0) -> None:
        if self._G is None:
            self._G = np.full(self.W.shape, 1e-6, dtype=np.float32)
        p = self.scores(ids)
        grad = p
        grad[gold] -= 1.0
        grad = np.broadcast_to(grad * weight, (len(ids), len(self.labels))).copy()
        if l2:
            grad += l2 * self.W[ids]
        self._G[ids] += grad * grad
        self.W[ids] -= lr * grad / np.sqrt(self._G[ids])

    def to_disk(self, path: Path) -> None:
        rows = np.flatnonzero(np.abs(self.W).sum(axis=1) > 0)
        np.savez_compressed(path, rows=rows.astype(np.int32), weights=self.W[rows].astype(np.float16),
                            n_buckets=np.array([self.n_buckets]), labels=np.array(self.labels))

    @classmethod
    def from_disk(cls, path: Path) -> LinearModel:
        data = np.load(path, allow_pickle=False)
        model = cls(int(data["n_buckets"][0]), [str(x) for x in data["labels"]])
        model.W[data["rows"]] = data["weights"].astype(np.float32)
        return model


# -- the settings and the files ----------------------------------------------------------------------------------

@dataclass
class ModelSettings:
    threshold: float = 0.5  # a pair's best predicate is kept when its probability reaches this
    rule_predicates: list[str] = field(default_factory=list)  # mode "both": the rules kept for these predicates
    use_rule_features: bool = True
    lean_features: bool = False
    n_buckets: int = 2 ** 19
    cluster_bits: int = 0  # word clusters from the pipeline's static vectors (`word_clusters`); 0: none
    # predicate → its own threshold (chosen on valid where valid has enough facts of it); else `threshold`
    predicate_thresholds: dict[str, float] = field(default_factory=dict)

    def threshold_of(self, predicate: str) -> float:
        return self.predicate_thresholds.get(predicate, self.threshold)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelSettings:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


def model_files(model_dir: Path) -> list[Path]:
    return [model_dir / "weights.npz", model_dir / "settings.json", model_dir / "gazetteer.json"]


def model_sha256(model_dir: Path = DEFAULT_MODEL_DIR) -> str | None:
    """sha256 of the model's files (weights, settings, gazetteer, in that order); None when no trained model is
    there. The model card records it; the extractor version carries its first 12 hex digits."""
    files = model_files(model_dir)
    if not all(p.exists() for p in files):
        return None
    h = hashlib.sha256()
    for p in files:
        h.update(p.read_bytes())
    return h.hexdigest()


def model_hash(model_dir: Path = DEFAULT_MODEL_DIR) -> str | None:
    """The first 12 hex digits of `model_sha256` (in the extractor version); None when no trained model is there."""
    full = model_sha256(model_dir)
    return full[:12] if full else None


@dataclass
class TrainedModel:
    linear: LinearModel
    settings: ModelSettings
    gazetteer: Gazetteer

    def to_disk(self, model_dir: Path, meta: dict[str, Any] | None = None) -> None:
        model_dir.mkdir(parents=True, exist_ok=True)
        self.linear.to_disk(model_dir / "weights.npz")
        (model_dir / "settings.json").write_text(json.dumps(self.settings.__dict__, indent=1, sort_keys=True) + "\n")
        (model_dir / "gazetteer.json").write_text(json.dumps(self.gazetteer.to_dict(), ensure_ascii=False,
                                                             sort_keys=True) + "\n", encoding="utf-8")
        if meta is not None:
            (model_dir / "meta.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")

    @classmethod
    def from_disk(cls, model_dir: Path) -> TrainedModel:
        if not all(p.exists() for p in model_files(model_dir)):
            raise ConfigurationError(f"No trained relation model in {model_dir}: run `kg train` (or set the "
                                     f"extractor mode to `rules`).")
        settings = ModelSettings.from_dict(json.loads((model_dir / "settings.json").read_text()))
        gazetteer = Gazetteer.from_dict(json.loads((model_dir / "gazetteer.json").read_text(encoding="utf-8")))
        return cls(LinearModel.from_disk(model_dir / "weights.npz"), settings, gazetteer)


# -- the component --------------------------------------------------------------------------------------------------

@dataclass
class Pair:
    sent: Span
    subject: Mention
    object: Mention
    s_type: str
    o_type: str
    trigger: int
    features: list[str]


class RelationClassifier:
    """Scores mention pairs; writes its facts into `doc._.kg.candidates` next to (or instead of) the rules'."""

    def __init__(self, nlp: Language, name: str, lang: str, mode: str, model_dir: str | None,
                 rules_component: str) -> None:
        if mode not in MODES:
            raise ConfigurationError(f"Unknown extractor mode {mode!r}; use one of {', '.join(MODES)}.")
        self.name = name
        self.lang = lang
        self.mode = mode
        self.nlp = nlp
        self.rules_component = rules_component
        self.model_dir = Path(model_dir) if model_dir else DEFAULT_MODEL_DIR
        from ingest.extraction.resources import lexicon

        lex = lexicon(lang)
        self._generic_nouns = set(lex["generic_org_nouns"])
        self._pronouns = {"it", "its"} if lang == "en" else {"il"}
        self._person_pronouns = PERSON_PRONOUNS.get(lang, frozenset())
        self.triggers = trigger_words(lex)
        self.model: TrainedModel | None = None
        self.matcher: PhraseMatcher | None = None
        self.clusters: WordClusters | None = None
        if mode != "rules":
            self.set_model(TrainedModel.from_disk(self.model_dir))

    # the model can be swapped in place (training evaluates each epoch's weights on the same parsed documents)
    def set_model(self, model: TrainedModel) -> None:
        gazetteer_changed = self.model is None or self.model.gazetteer is not model.gazetteer
        self.model = model
        bits = model.settings.cluster_bits
        if bits and (self.clusters is None or self.clusters.planes.shape[1] != bits):
            self.clusters = WordClusters(self.nlp.vocab, bits)
        elif not bits:
            self.clusters = None
        if gazetteer_changed or self.matcher is None:
            self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
            forms = [s for s in model.gazetteer.surface.values() if len(s) >= 3 and any(c.isupper() for c in s)]
            self.matcher.add("GAZ", [self.nlp.make_doc(f) for f in forms])

    @property
    def rules(self):
        return self.nlp.get_pipe(self.rules_component)

    def __call__(self, doc: Doc) -> Doc:
        facts = doc._.kg
        if facts is None or self.mode == "rules":
            return doc
        assert self.model is not None
        facts.candidates = facts.candidates + self.predict(doc)
        facts.rule_predicates = set(self.model.settings.rule_predicates) if self.mode == "both" else set()
        return doc

    # -- pairs ----------------------------------------------------------------------------------------------
    def add_mentions(self, doc: Doc) -> None:
        """The mentions the classifier pairs beyond the mention finder's: gazetteer names, product names with
        their model number, then anaphors."""
        self.add_gazetteer_mentions(doc)
        self.add_model_numbers(doc)
        self.add_anaphors(doc)

    def add_model_numbers(self, doc: Doc) -> None:
        """"Pixel 4", "iOS 13", "Tecnomar 63", "Pixel 4 XL": a name followed by a model number names a product
        (the mention finder leaves a bare number out of the name). The longer mention is added beside the
        name's own; pairs never join two overlapping mentions."""
        facts = doc._.kg
        taken = {i for m in facts.mentions for i in range(m.start, m.end)}
        added = []
        for m in facts.mentions:
            if m.kb is not None or m.anaphor or m.type not in ("Unknown", "Proper", "Organization", "Product"):
                continue
            end = _model_number_end(doc, m.end, taken)
            if end == m.end:
                continue
            text = doc[m.start:end].text
            key = entity_id_for("Product", text)
            facts.entities.setdefault(key, EntityInfo(key, text, "Product")).aliases.add(text)
            added.append(Mention(m.start, end, text, "Product", key=key))
        if added:
            facts.mentions = sorted(facts.mentions + added, key=lambda m: (m.start, m.end))

    def add_anaphors(self, doc: Doc) -> None:
        """"The company", "it" (as a subject or possessor), "le groupe", "l'entreprise": a mention of the
        organisation named most often so far (ties: the latest). "He", "she", "his", "her", "il", "elle" (as a
        subject or possessor): a mention of the person named last, when one was named in this sentence or the
        `PERSON_WINDOW` sentences before it (French "il" goes to that person, else to the organisation)."""
        facts = doc._.kg
        taken = {i for m in facts.mentions for i in range(m.start, m.end)}
        gaz = self.model.gazetteer if self.model else Gazetteer()
        named = [m for m in facts.mentions if m.key and not m.anaphor]
        orgs = [m for m in named if mention_type(m, gaz) in ("Organization", "Unknown", "Proper")]
        people = [m for m in named if mention_type(m, gaz) == "Person"]
        added = []
        for tok in doc:
            if tok.i in taken:
                continue
            ref = None
            if tok.lower_ in self._person_pronouns and tok.dep_ in SUBJECT_OR_POSSESSOR:
                ref = _last_person(doc, people, tok)
            if ref is None and (self._is_org_noun(tok) or (tok.lower_ in self._pronouns
                                                          and tok.dep_ in SUBJECT_OR_POSSESSOR)):
                ref = _salient_org(orgs, tok.i)
            if ref is not None:
                added.append(Mention(tok.i, tok.i + 1, ref.text, ref.type, kb=ref.kb, key=ref.key, anaphor=True))
        if added:
            facts.mentions = sorted(facts.mentions + added, key=lambda m: m.start)

    def _is_org_noun(self, tok) -> bool:
        """"the company", "le groupe": a generic organisation noun with a definite article."""
        return tok.lemma_.lower() in self._generic_nouns and tok.pos_ == "NOUN" and any(
            c.lower_ in DEFINITE_ARTICLES and c.dep_ == "det" for c in tok.children)

    def add_gazetteer_mentions(self, doc: Doc) -> None:
        """Names of the gazetteer that the mention finder missed become mentions (typed by the gazetteer)."""
        facts = doc._.kg
        if self.matcher is None or self.model is None:
            return
        taken = set()
        for m in facts.mentions:
            taken.update(range(m.start, m.end))
        spans = sorted(((s, e) for _, s, e in self.matcher(doc)), key=lambda x: (-(x[1] - x[0]), x[0]))
        keys_by_fold = {fold_name(m.text): m.key for m in facts.mentions if m.key}
        added = []
        for s, e in spans:
            if any(i in taken for i in range(s, e)):
                continue
            text = doc[s:e].text
            type_name = self.model.gazetteer.type_of(text) or "Unknown"
            folded = fold_name(text)
            key = keys_by_fold.get(folded) or entity_id_for(type_name, text)
            keys_by_fold[folded] = key
            facts.entities.setdefault(key, EntityInfo(key, text, type_name)).aliases.add(text)
            added.append(Mention(s, e, text, type_name, key=key))
            taken.update(range(s, e))
        if added:
            facts.mentions = sorted(facts.mentions + added, key=lambda m: m.start)

    def pairs(self, doc: Doc, exclude_types: dict[str, str] | None = None) -> list[Pair]:
        """Every ordered pair of mentions of two different entities in one sentence, with its features."""
        assert self.model is not None
        facts = doc._.kg
        gaz = self.model.gazetteer
        rules = self.rules
        use_rules = self.model.settings.use_rule_features
        rule_index: dict[tuple[int, str, str], list[str]] = {}
        if use_rules:
            for c in facts.candidates:
                if c.object is not None and not c.predicate.startswith("_") and not c.rule.startswith("model:"):
                    rule_index.setdefault((c.sent.start, c.subject.key, c.object.key), []).append(c.predicate)
        types = {id(m): mention_type(m, gaz, exclude_types) for m in facts.mentions}
        out: list[Pair] = []
        hypothetical: dict[int, bool] = {}
        mi = 0
        mentions = [m for m in facts.mentions if m.key]
        for sent in doc.sents:
            while mi < len(mentions) and mentions[mi].start < sent.start:
                mi += 1
            inside = []
            j = mi
            while j < len(mentions) and mentions[j].start < sent.end:
                if mentions[j].end <= sent.end:
                    inside.append(mentions[j])
                j += 1
            if len(inside) < 2 or rules._foreign(sent):  # a sentence quoted in another language
                continue
            inside = inside[:MAX_MENTIONS]
            for s in inside:
                for o in inside:
                    if s is o or s.key == o.key or abs(s.start - o.start) > MAX_GAP or _overlap(s, o):
                        continue
                    trigger = self._trigger(doc, s, o)
                    hyp = False
                    if trigger is not None:
                        if trigger not in hypothetical:  # pairs share their ancestor: read each once
                            hypothetical[trigger] = rules.qualifiers.modality(sent, doc[trigger], False)[0] is None
                        hyp = hypothetical[trigger]
                    labels = rule_index.get((sent.start, s.key, o.key), []) if use_rules else []
                    feats = pair_features(doc, sent, s, o, types[id(s)], types[id(o)], self.lang, labels, hyp,
                                          self.triggers, self.model.settings.lean_features)
                    if self.clusters is not None:
                        gap = range(min(s.end, o.end), max(s.start, o.start))
                        feats += cluster_features(self.clusters, doc, gap, trigger)
                    out.append(Pair(sent, s, o, types[id(s)], types[id(o)],
                                    trigger if trigger is not None else s.root, feats))
        return out

    @staticmethod
    def _trigger(doc: Doc, s: Mention, o: Mention) -> int | None:
        _, _, lca = _path(doc, s.root, o.root)
        if lca is None:
            return None
        return lca.i

    # -- prediction -------------------------------------------------------------------------------------------
    def predict(self, doc: Doc) -> list[Candidate]:
        assert self.model is not None
        self.add_mentions(doc)
        pairs = self.pairs(doc)
        n = self.model.linear.n_buckets
        return self.classify(doc, pairs, [hash_features(p.features, n) for p in pairs])

    def classify(self, doc: Doc, pairs: list[Pair], ids: list[np.ndarray],
                 threshold: float | None = None) -> list[Candidate]:
        """The facts of scored pairs (each pair's best predicate, when its probability reaches the predicate's
        threshold, or `threshold` for every predicate when given: training filters such a list afterwards)."""
        assert self.model is not None
        linear, settings = self.model.linear, self.model.settings
        found: dict[tuple[int, str, str, str], tuple[float, Pair, str, str]] = {}
        for pair, p in zip(pairs, linear.scores_many(ids), strict=True):
            best = int(p[1:].argmax()) + 1
            predicate = linear.labels[best]
            if p[best] < (settings.threshold_of(predicate) if threshold is None else threshold):
                continue
            s_type = _slot_of(pair.subject, predicate, 0, pair.s_type)
            o_type = _slot_of(pair.object, predicate, 1, pair.o_type)
            if s_type is None or o_type is None:
                continue
            key = (pair.sent.start, pair.subject.key, predicate, pair.object.key)
            if predicate == "PARTNERED_WITH":
                a, b = sorted((pair.subject.key, pair.object.key))
                key = (pair.sent.start, a, predicate, b)
            if key not in found or found[key][0] < p[best]:
                found[key] = (float(p[best]), pair, s_type, o_type)
        out = []
        for (_, _, predicate, _), (prob, pair, s_type, o_type) in found.items():
            out.append(Candidate(pair.subject, predicate, pair.object, pair.sent, f"model:{self.name}", prob,
                                 pair.trigger, subject_type=s_type, object_type=o_type))
        self._qualify(doc, out)
        return out

    def _qualify(self, doc: Doc, cands: list[Candidate]) -> None:
        """Dates, amounts, quantities, roles, modality and deal status, read as the rules read them."""
        from ingest.extraction.sentence import SentenceView

        rules = self.rules
        role_spans = [s for s in rules.roles.spans(doc) if s.label_.startswith("ROLE:")]
        by_sent: dict[int, list[Candidate]] = {}
        for c in cands:
            by_sent.setdefault(c.sent.start, []).append(c)
        for group in by_sent.values():
            sent = group[0].sent
            mentions = [m for m in doc._.kg.mentions if sent.start <= m.start and m.end <= sent.end]
            view = SentenceView(sent, mentions, doc._.kg.mentions)
            spans = [s for s in role_spans if sent.start <= s.start < sent.end]
            for c in group:
                modality, status = rules.qualifiers.modality(sent, doc[c.trigger], c.predicate in DEAL_PREDICATES)
                c.modality = modality or "asserted"
                if c.predicate == "ACQUIRED":
                    c.status = status or "completed"
                if c.predicate in ("WORKS_FOR", "JOINED", "LEFT", "HIRED_FROM") and spans:
                    near = min(spans, key=lambda sp: min(abs(sp.start - c.subject.end), abs(c.subject.start - sp.end)))
                    if min(abs(near.start - c.subject.end), abs(c.subject.start - near.end)) <= 8:
                        c.role = near.label_.split(":", 1)[1]
            rules._qualify(view, group, spans)


def _overlap(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


def _model_number_end(doc: Doc, i: int, taken: set[int]) -> int:
    """Where a model number starting at token i ends ("4", "13", "C12", then "XL", "Pro"…); i when none does."""
    j = i
    while j < len(doc) and j not in taken and MODEL_NUMBER.fullmatch(doc[j].text) and not YEAR.fullmatch(
            doc[j].text) and doc[j - 1].whitespace_ and not doc[j - 1].is_sent_end:
        j += 1
    if j == i or (j < len(doc) and (doc[j].lower_ in QUANTITY_WORDS or doc[j].pos_ == "NOUN")):
        return i
    while j < len(doc) and j not in taken and doc[j].text in MODEL_SUFFIXES:
        j += 1
    return j


def _salient_org(orgs: list[Mention], before: int) -> Mention | None:
    """The organisation named most often before token `before` (ties: the one named last), at its last mention."""
    counts: dict[str, int] = {}
    last: dict[str, Mention] = {}
    for m in orgs:
        if m.start >= before:
            break
        counts[m.key] = counts.get(m.key, 0) + 1
        last[m.key] = m
    if not counts:
        return None
    return last[max(counts, key=lambda k: (counts[k], last[k].start))]


def _last_person(doc: Doc, people: list[Mention], tok: Any) -> Mention | None:
    """The person named last before `tok`, if named in its sentence or the PERSON_WINDOW sentences before."""
    sents = [s.start for s in doc.sents if s.start <= tok.i]
    earliest = sents[max(0, len(sents) - 1 - PERSON_WINDOW)] if sents else 0
    before = [m for m in people if earliest <= m.start and m.end <= tok.i]
    return before[-1] if before else None


def _signature(predicate: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    from ingest.extraction.candidates import SIGNATURES

    return SIGNATURES[predicate]


def _slot_of(m: Mention, predicate: str, index: int, type_name: str) -> str | None:
    """The type a mention takes in a slot. A knowledge-base entity keeps the knowledge base's type (or does not
    fit): its graph id does not carry the type, so typing it by slot would give one id two types across
    articles, and the writer keeps whichever article came first — the graph would depend on ingest order."""
    if m.kb is not None:
        return m.kb.type if m.kb.type in _signature(predicate)[index] else None
    return _slot(predicate, index, type_name)


def _slot(predicate: str, index: int, type_name: str) -> str | None:
    """The type a mention takes in a slot: its own when allowed; an untyped name takes the slot's first
    type; a person never becomes anything else, nothing else becomes a person."""
    allowed = _signature(predicate)[index]
    if type_name in allowed:
        return type_name
    if type_name == "Person":
        return None
    if type_name in ("Unknown", "Proper", "Place"):
        return next((t for t in allowed if t != "Person" or type_name == "Unknown"), None)
    # Organization ↔ Product ↔ Document: NER often calls a product or a document an organisation
    return next((t for t in allowed if t != "Person"), None)


@Language.factory(COMPONENT_NAME, default_config={"lang": None, "mode": "both", "model_dir": None,
                                                  "rules_component": "kg_fact_extractor_v1"})
def make_relation_classifier(nlp: Language, name: str, lang: str | None, mode: str, model_dir: str | None,
                             rules_component: str) -> RelationClassifier:
    return RelationClassifier(nlp, name, lang or nlp.lang, mode, model_dir, rules_component)
