"""The classifier's WORKS_FOR yields to the rules' reading of a past employment in the same sentence.

The classifier sees "les anciens ingénieurs de DeepMind X et Y ont quitté le navire" or "former Acme engineers
X and Y" as an employment: its lexical features do not weigh "former"/"ancien" or the departure against the
pair's many present-tense positives. The rules read these words (`FORMER_ROLE`, LEFT, HIRED_FROM), so where they
say the subject's employment by the object is past, in the sentence the model's fact comes from, the model's
WORKS_FOR is dropped. The rules' own WORKS_FOR is untouched: a former role with an ended stated period ("former
CEO of A (2015-2019)") is a WORKS_FOR over that period, which the rules give themselves."""

from __future__ import annotations

from collections.abc import Iterable

from ingest.extraction.candidates import FORMER_ROLE, Candidate

PAST_EMPLOYMENT = frozenset({FORMER_ROLE, "LEFT", "HIRED_FROM"})  # the subject worked for the object, no longer

PairInSentence = tuple[int, str, str]  # (sentence start token, subject key, object key)


def _is_model(c: Candidate) -> bool:
    return c.rule.startswith("model:")


def past_employment(rule_candidates: Iterable[Candidate]) -> set[PairInSentence]:
    """The (sentence, person, employer) pairs whose employment the rules read as past."""
    return {(c.sent.start, c.subject.key, c.object.key) for c in rule_candidates
            if c.predicate in PAST_EMPLOYMENT and c.object is not None and not _is_model(c)}


def drop_contradicted_employment(cands: list[Candidate], rule_candidates: Iterable[Candidate]) -> list[Candidate]:
    """`cands` without the model's WORKS_FOR of a pair the rules read as a past employment in its sentence.

    `rule_candidates` are every rule's candidates, those of predicates the mode does not keep included: the
    rules' reading of the sentence counts even when their facts are not emitted (mode `model`)."""
    past = past_employment(rule_candidates)
    if not past:
        return cands
    return [c for c in cands if not (_is_model(c) and c.predicate == "WORKS_FOR" and c.object is not None
                                     and (c.sent.start, c.subject.key, c.object.key) in past)]
