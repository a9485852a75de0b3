"""Lightly edited copies of an article, as republishers make them, from a seeded random generator (the same seed
gives the same copies): each edit alone, and all of them at once."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Literal

EditKind = Literal["exact", "sentence-drop", "word-edits", "boilerplate", "headline", "combined"]
EDIT_KINDS: tuple[EditKind, ...] = ("exact", "sentence-drop", "word-edits", "boilerplate", "headline", "combined")

# after . ! or ?, before a capital or a quote: OrangeSum's parser joined paragraphs without a space ("fin.Début")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s*(?=[A-ZÀ-Ý\"«])")
_DATELINES = ["(AFP) - ", "PARIS (Reuters) - ", "SAN FRANCISCO — ", "Mise à jour : "]
_FOOTERS = [
    "Copyright 2024 The Daily Wire. All rights reserved. This material may not be published, broadcast, rewritten "
    "or redistributed. Sign up for our morning newsletter to get the day's top technology stories in your inbox.",
    "Tous droits de reproduction et de représentation réservés. Retrouvez toute l'actualité de la tech dans notre "
    "newsletter quotidienne et suivez-nous sur les réseaux sociaux pour ne rien manquer.",
]
_HEADLINES = ["Breaking: the story everyone is talking about", "Ce qu'il faut retenir de l'annonce",
              "Industry shaken by surprise move", "Tech: the deal in five points"]


def drop_sentences(text: str, rng: random.Random) -> str:
    """One sentence in ten left out (at least one, never the only one)."""
    sentences = _SENTENCE_END.split(text)
    if len(sentences) < 3:
        return text
    dropped = set(rng.sample(range(len(sentences)), max(1, len(sentences) // 10)))
    return " ".join(s for i, s in enumerate(sentences) if i not in dropped)


def edit_words(text: str, rng: random.Random) -> str:
    """One word in forty swapped with its neighbour or replaced by another word of the text."""
    words = text.split(" ")
    for i in rng.sample(range(len(words) - 1), max(1, len(words) // 40)):
        if rng.random() < 0.5:
            words[i], words[i + 1] = words[i + 1], words[i]
        else:
            words[i] = rng.choice(words)
    return " ".join(words)


def add_boilerplate(text: str, rng: random.Random) -> str:
    return f"{rng.choice(_DATELINES)}{text}\n\n{rng.choice(_FOOTERS)}"


def change_headline(text: str, rng: random.Random) -> str:
    """A new first line: the headline of a text that has one, else one put on top."""
    head, sep, body = text.partition("\n")
    if sep and len(head.split()) <= 15:
        return f"{rng.choice(_HEADLINES)}\n{body}"
    return f"{rng.choice(_HEADLINES)}\n\n{text}"


_EDITS: dict[EditKind, list[Callable[[str, random.Random], str]]] = {
    "exact": [],
    "sentence-drop": [drop_sentences],
    "word-edits": [edit_words],
    "boilerplate": [add_boilerplate],
    "headline": [change_headline],
    "combined": [change_headline, drop_sentences, edit_words, add_boilerplate],
}


def edited_copy(text: str, kind: EditKind, rng: random.Random) -> str:
    for edit in _EDITS[kind]:
        text = edit(text, rng)
    return text
