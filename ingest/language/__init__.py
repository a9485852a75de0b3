"""Which language an article is in (English or French for now), from function words."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-zà-ÿ']+")
FUNCTION_WORDS = {
    "en": {"the", "and", "of", "to", "in", "is", "that", "for", "was", "with", "on", "it", "as", "by", "has"},
    "fr": {"le", "la", "les", "et", "des", "du", "un", "une", "est", "que", "pour", "dans", "en", "qui", "sur", "a"},
}


def detect_language(text: str, default: str = "en") -> str:
    words = _WORD.findall(text.lower()[:20000])
    scores = {lang: sum(1 for w in words if w in vocab) for lang, vocab in FUNCTION_WORDS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] > 0 else default
