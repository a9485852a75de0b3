"""The languages an entity's names were seen in, so that an RDF export can tag them ("Commission européenne"@fr).

The writer stores, on each entity, `nameLanguages`: one "lang|name" entry per (language, name) pair, the language
being that of the article the name was written from (`Article.lang`). Neo4j properties cannot be maps, hence the
entries; `|` never occurs in a language tag, and a name keeps everything after the first `|`. Entries only grow
(as aliases do). A name's language is known when every article it was seen in has one language, and the same
one: "Google", seen in English and French articles, stays untagged. Names given by a knowledge base carry no
language of their own: they are tagged only through the articles they were seen in.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

SEPARATOR = "|"
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")  # BCP 47, as RDF literals take it (en, fr, pt-BR)


def seen_names(names: Iterable[str], lang: str | None) -> list[str]:
    """The entries recording that these names were seen in an article of this language; none when the language is
    unknown or not a language tag."""
    if lang is None or not LANGUAGE_TAG.match(lang):
        return []
    return sorted({f"{lang}{SEPARATOR}{name}" for name in names})


def languages_by_name(entries: Iterable[str] | None) -> dict[str, str]:
    """Each name seen in exactly one language -> that language (names seen in several are left out)."""
    seen: dict[str, set[str]] = defaultdict(set)
    for entry in entries or ():
        lang, _, name = entry.partition(SEPARATOR)
        seen[name].add(lang)
    return {name: langs.pop() for name, langs in seen.items() if len(langs) == 1}
