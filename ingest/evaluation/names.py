"""Names as SCORING.md compares them: Unicode NFKD, lowercase, no diacritics, no punctuation, no leading article."""

from __future__ import annotations

import re
import unicodedata

LEADING_ARTICLES = ("the", "a", "an", "la", "le", "les", "un", "une", "des", "du", "de la")
ELIDED_ARTICLES = ("l'", "d'")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'"})
_LEADING_WORDS = "|".join(sorted((re.escape(a) for a in LEADING_ARTICLES), key=len, reverse=True))
_LEADING = re.compile(rf"^(?:(?:{_LEADING_WORDS})\s+|(?:{'|'.join(re.escape(a) for a in ELIDED_ARTICLES)})\s*)")


def _is_punctuation(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS" and ch != "'"


def fold_name(name: str) -> str:
    """`L'Association nationale des gouverneurs` → `association nationale des gouverneurs`; `Canal+` → `canal`;
    `Alphabet Inc.` → `alphabet inc`. Apostrophes inside a name are dropped (`McDonald's` → `mcdonalds`), other
    punctuation and symbols split words (`Coca-Cola` → `coca cola`)."""
    decomposed = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().translate(_APOSTROPHES)
    text = " ".join("".join(" " if _is_punctuation(ch) else ch for ch in text).split())
    text = _LEADING.sub("", text, count=1)
    return " ".join(text.replace("'", "").split())
