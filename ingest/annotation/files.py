"""Annotation files: one JSON file per article and annotator, checked against the text and the vocabulary.

An annotator writes `annotations/<pass>/<article id>.json`:

    {"id": "bbc-tech-042", "annotator": "A1",
     "entities": [{"name": "Google", "type": "Organization", "kind": "company", "aliases": ["Google Inc"]}],
     "facts": [{"subject": "Google", "predicate": "LAUNCHED", "object": "Google Video",
                "qualifiers": {"date": "2005-01"}, "optional": false,
                "evidence": "Google has launched a TV search service"}],
     "notes": "free text: hard cases, doubts"}

`check_annotation` verifies it (names declared, types fit the predicate's signature, qualifiers known and well
formed, the evidence an exact quote of the text) and fills in what a tool must not guess by hand: the text's
sha256, the language and the character offsets of each evidence quote (`evidence_start`, `evidence_end`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.annotation.corpus import CorpusDoc, load_doc, text_sha256
from kg.vocabulary import vocabulary

ANNOTATIONS_DIR = Path(__file__).resolve().parents[2] / "annotations"
PASSES = ("gold", "second")
QUALIFIERS = ("date", "quantity", "approximate", "amount", "currency", "role", "status", "modality", "reported_by",
              "vendor", "round")
ISO_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


@dataclass
class CheckResult:
    path: Path
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def annotation_path(doc_id: str, pass_name: str = "gold", root: Path = ANNOTATIONS_DIR) -> Path:
    return root / pass_name / f"{doc_id}.json"


def _names(entities: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    names: dict[str, dict[str, Any]] = {}
    for entity in entities:
        for name in [entity.get("name"), *(entity.get("aliases") or [])]:
            if isinstance(name, str):
                names[name] = entity
    return names


def _check_entities(entities: list[dict[str, Any]], doc: CorpusDoc, result: CheckResult) -> None:
    types = vocabulary().entity_types
    lowered = doc.text.lower()
    for entity in entities:
        name, kind = entity.get("name"), entity.get("kind")
        if not isinstance(name, str) or not name.strip():
            result.errors.append(f"entity without a name: {entity}")
            continue
        spec = types.get(str(entity.get("type")))
        if spec is None:
            result.errors.append(f"{name}: type {entity.get('type')!r} is not one of {sorted(types)}")
        elif kind is not None and kind not in spec.kinds:
            result.errors.append(f"{name}: kind {kind!r} is not one of {sorted(spec.kinds)} for {spec.name}")
        surface = [name, *(entity.get("aliases") or [])]
        if not any(s.lower() in lowered for s in surface):
            result.warnings.append(f"{name}: neither the name nor an alias occurs in the text")


def _check_qualifiers(label: str, qualifiers: dict[str, Any], result: CheckResult) -> None:
    vocab = vocabulary()
    for key, value in qualifiers.items():
        if key not in QUALIFIERS:
            result.errors.append(f"{label}: unknown qualifier {key!r} (known: {', '.join(QUALIFIERS)})")
        elif key == "date" and not (isinstance(value, str) and ISO_DATE.match(value)):
            result.errors.append(f"{label}: date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        elif key in ("quantity", "amount") and not isinstance(value, int | float):
            result.errors.append(f"{label}: {key} {value!r} must be a number")
        elif key == "approximate" and not isinstance(value, bool):
            result.errors.append(f"{label}: approximate must be true or false")
        elif key in ("status", "modality", "currency") and value not in vocab.allowed_values(key):
            result.errors.append(f"{label}: {key} {value!r} is not allowed")


def _locate(quote: str, text: str) -> tuple[int, int] | None:
    start = text.find(quote)
    if start >= 0:
        return start, start + len(quote)
    pattern = r"\s+".join(re.escape(part) for part in quote.split())
    match = re.search(pattern, text) if pattern else None
    return (match.start(), match.end()) if match else None


def _check_fact(fact: dict[str, Any], names: dict[str, dict[str, Any]], doc: CorpusDoc, result: CheckResult) -> None:
    predicates = vocabulary().predicates
    label = f"{fact.get('subject')} -{fact.get('predicate')}-> {fact.get('object')}"
    spec = predicates.get(str(fact.get("predicate")))
    if spec is None:
        result.errors.append(f"{label}: unknown predicate (known: {', '.join(predicates)})")
        return
    for slot, allowed in (("subject", spec.subject_types), ("object", spec.object_types)):
        for name in [fact.get(slot), *(fact.get(f"alt_{slot}s") or [])]:
            entity = names.get(str(name))
            if entity is None:
                result.errors.append(f"{label}: {slot} {name!r} is not an entity name or alias")
            elif entity.get("type") not in allowed:
                result.errors.append(f"{label}: {slot} {name!r} is a {entity.get('type')}, "
                                     f"{spec.name} needs {' or '.join(sorted(allowed))}")
    _check_qualifiers(label, dict(fact.get("qualifiers") or {}), result)
    quote = fact.get("evidence")
    span = _locate(quote, doc.text) if isinstance(quote, str) and quote.strip() else None
    if span is None:
        result.errors.append(f"{label}: evidence {quote!r} is not an exact quote of the text")
    else:
        fact["evidence_start"], fact["evidence_end"] = span


def check_annotation(path: Path, write: bool = True) -> CheckResult:
    """Check one annotation file; with `write`, store the hash, language and evidence offsets back into it."""
    result = CheckResult(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        doc = load_doc(str(data["id"]))
    except (OSError, ValueError, KeyError) as exc:
        result.errors.append(f"cannot read: {exc}")
        return result
    if path.stem != data["id"]:
        result.errors.append(f"the file name must be {data['id']}.json")
    entities = list(data.get("entities") or [])
    _check_entities(entities, doc, result)
    names = _names(entities)
    for fact in data.get("facts") or []:
        _check_fact(fact, names, doc, result)
    data["sha256"], data["lang"] = doc.sha256, doc.lang
    if write and result.ok:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return result


def load_annotation(path: Path) -> dict[str, Any]:
    return dict(json.loads(path.read_text(encoding="utf-8")))


def gold_line(annotation: dict[str, Any]) -> dict[str, Any]:
    """The SCORING.md gold line of an annotation, with the corpus text joined back and checked against its hash."""
    doc = load_doc(str(annotation["id"]))
    if annotation.get("sha256") and annotation["sha256"] != text_sha256(doc.text):
        raise ValueError(f"{doc.id}: the corpus text changed since it was annotated (sha256 differs)")
    facts = [{"subject": f["subject"], "predicate": f["predicate"], "object": f["object"],
              "alt_subjects": f.get("alt_subjects", []), "alt_objects": f.get("alt_objects", []),
              "qualifiers": f.get("qualifiers", {}), "optional": bool(f.get("optional")),
              "evidence": {"start": f.get("evidence_start"), "end": f.get("evidence_end")}}
             for f in annotation.get("facts") or []]
    return {"id": doc.id, "lang": doc.lang, "published": doc.published, "source": doc.source, "title": doc.title,
            "text": doc.text, "entities": annotation.get("entities") or [], "facts": facts}
