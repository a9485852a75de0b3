"""Which language a text is in, for a whole article and for each stretch of it.

Languages are data: each JSON file in `ingest/language/profiles/` (and in any folder named by the
`KG_LANGUAGE_PROFILES` environment variable, paths separated by the OS path separator) gives a language code,
the function words that are common in it and rare elsewhere, and letters that hint at it. Adding a language is
adding a file. Scoring counts those words (and, at half weight, words with hint letters): no model, no download,
a few microseconds per sentence.

`detect_language(text)` names the main language of a text; `language_spans(text)` cuts a text that mixes
languages (a French article quoting an English tweet) into `LanguageSpan(start, end, lang)` pieces that cover
it end to end.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import NamedTuple

from kg.errors import ConfigurationError

PROFILES_ENV = "KG_LANGUAGE_PROFILES"
DEFAULT_LANGUAGE = "en"
MAX_SCORED_CHARS = 100_000  # enough to name an article's language; keeps very long inputs cheap
MIN_SEGMENT_EVIDENCE = 2.0  # a sentence needs this much evidence to get a language of its own
SEGMENT_MARGIN = 2.0  # ... and its best language must score this many times the runner-up
HINT_LETTER_WEIGHT = 0.5

_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*'?")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'"})
_SEGMENT_END = re.compile(r"\n+|(?<=[.!?…])[\"»”)\]]*\s+")
_LANG_CODE = re.compile(r"^[a-z]{2,3}$")


class LanguageSpan(NamedTuple):
    start: int
    end: int
    lang: str


@dataclass(frozen=True)
class LanguageProfile:
    code: str
    name: str
    words: frozenset[str]
    letters: frozenset[str]


@dataclass(frozen=True)
class _Lexicon:
    """Every profile folded into lookups: word → languages that claim it, letter → languages it hints at."""

    languages: tuple[str, ...]
    words: dict[str, tuple[str, ...]]
    letters: dict[str, tuple[str, ...]]


def _profile_dirs(env_value: str) -> Iterator[Traversable]:
    """The packaged profiles folder, then each folder named in `env_value` (the `KG_LANGUAGE_PROFILES` value)."""
    yield files("ingest.language") / "profiles"
    for extra in filter(None, env_value.split(os.pathsep)):
        path = Path(extra)
        if not path.is_dir():
            raise ConfigurationError(f"{PROFILES_ENV} names {extra}, which is not a folder: point it at a folder "
                                     "of language profile JSON files.")
        yield path


def _read_profile(source: Traversable, text: str) -> LanguageProfile:
    try:
        data = json.loads(text)
        code, words = data["code"], data["words"]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ConfigurationError(f"Language profile {source} is not valid: it needs a JSON object with "
                                 f"\"code\" and \"words\" ({exc}).") from exc
    if not isinstance(code, str) or not _LANG_CODE.match(code) or not isinstance(words, list):
        raise ConfigurationError(f"Language profile {source} needs a lowercase 2- or 3-letter \"code\" and a "
                                 "list of \"words\".")
    folded = frozenset(str(w).lower().translate(_APOSTROPHES) for w in words)
    return LanguageProfile(code, data.get("name", code), folded, frozenset(str(data.get("letters", "")).lower()))


@lru_cache(maxsize=1)
def _cached_profiles(env_value: str) -> tuple[LanguageProfile, ...]:
    """Cached per `KG_LANGUAGE_PROFILES` value, so a changed variable is read afresh."""
    profiles: dict[str, LanguageProfile] = {}
    for folder in _profile_dirs(env_value):
        for entry in sorted(folder.iterdir(), key=lambda p: p.name):
            if entry.name.endswith(".json"):
                profile = _read_profile(entry, entry.read_text(encoding="utf-8"))
                profiles[profile.code] = profile  # a later folder may redefine a language
    if not profiles:
        raise ConfigurationError("No language profiles found: reinstall the package or set KG_LANGUAGE_PROFILES.")
    return tuple(profiles.values())


def load_profiles() -> tuple[LanguageProfile, ...]:
    """The language profiles in use (packaged ones, then those under `KG_LANGUAGE_PROFILES`)."""
    return _cached_profiles(os.environ.get(PROFILES_ENV, ""))


def supported_languages() -> list[str]:
    return [p.code for p in load_profiles()]


@lru_cache(maxsize=4)
def _lexicon_for(profiles: tuple[LanguageProfile, ...]) -> _Lexicon:
    words: dict[str, list[str]] = {}
    letters: dict[str, list[str]] = {}
    for profile in profiles:
        for word in profile.words:
            words.setdefault(word, []).append(profile.code)
        for letter in profile.letters:
            letters.setdefault(letter, []).append(profile.code)
    return _Lexicon(tuple(p.code for p in profiles),
                    {w: tuple(c) for w, c in words.items()}, {ch: tuple(c) for ch, c in letters.items()})


def _lexicon() -> _Lexicon:
    return _lexicon_for(load_profiles())


def _token_keys(token: str) -> Iterator[str]:
    """The lexicon keys a token may hit: itself, or the parts around its apostrophe (l'homme → l', homme)."""
    yield token
    if "'" in token.rstrip("'"):
        head, _, tail = token.partition("'")
        yield head + "'"
        yield "'" + tail
        if head.endswith("n") and tail == "t":
            yield "n't"
        yield tail


def language_scores(text: str) -> dict[str, float]:
    """Evidence for each language in `text`: function words found, plus half a point per word with hint letters."""
    lexicon = _lexicon()
    scores = dict.fromkeys(lexicon.languages, 0.0)
    for token in _TOKEN.findall(text[:MAX_SCORED_CHARS].lower().translate(_APOSTROPHES)):
        for key in _token_keys(token):
            langs = lexicon.words.get(key)
            if langs:
                for lang in langs:
                    scores[lang] += 1.0
                break
        if not token.isascii():
            hinted = {lang for ch in token for lang in lexicon.letters.get(ch, ())}
            for lang in hinted:
                scores[lang] += HINT_LETTER_WEIGHT
    return scores


def detect_language(text: str, default: str = DEFAULT_LANGUAGE) -> str:
    """The main language of `text` (a profile code such as "en" or "fr"); `default` when nothing gives it away."""
    scores = language_scores(text)
    best = max(scores, key=lambda lang: (scores[lang], lang == default))
    return best if scores[best] > 0 else default


def _segments(text: str) -> Iterator[tuple[int, int]]:
    """Sentences and lines of `text` as (start, end) offsets, surrounding blanks excluded."""
    start = 0
    for match in _SEGMENT_END.finditer(text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def _segment_language(text: str) -> str | None:
    scores = language_scores(text)
    ranked = sorted(scores.values(), reverse=True)
    best = max(scores, key=scores.get)
    runner_up = ranked[1] if len(ranked) > 1 else 0.0
    if scores[best] >= MIN_SEGMENT_EVIDENCE and scores[best] >= SEGMENT_MARGIN * runner_up:
        return best
    return None


def language_spans(text: str, default: str | None = None) -> list[LanguageSpan]:
    """Cut `text` into stretches of one language each, covering it from 0 to len(text).

    Each sentence or line with enough evidence gets its own language; one without (a name, a date line, a
    sentence of proper nouns) takes the language of the sentence before it, or of the first one after it at
    the start of the text. With no evidence at all, the whole text is one span in `default` (or the detected
    language of the whole text)."""
    if not text:
        return []
    decided: list[tuple[int, str | None]] = []
    for start, end in _segments(text):
        if text[start:end].strip():
            decided.append((start, _segment_language(text[start:end])))
    known = [lang for _, lang in decided if lang]
    if not known:
        return [LanguageSpan(0, len(text), default or detect_language(text))]
    previous = known[0]
    spans: list[LanguageSpan] = []
    for start, lang in decided:
        lang = lang or previous
        previous = lang
        if spans and spans[-1].lang == lang:
            continue
        if spans:
            spans[-1] = spans[-1]._replace(end=start)
        spans.append(LanguageSpan(0 if not spans else start, len(text), lang))
    return spans


def language_at(spans: list[LanguageSpan], offset: int) -> str | None:
    """The language of the span holding character `offset`, or None outside every span."""
    for span in spans:
        if span.start <= offset < span.end:
            return span.lang
    return None
