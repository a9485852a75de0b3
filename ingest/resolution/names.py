"""The forms a name is compared in: folded words without legal suffixes, leading articles, honorifics and web
domains; its compact form; its initials; its words with French generic words put in English.

Everything here is a pure function of one name, so that the resolver, the gold-set builder and the blocking keys
agree on what "the same name" means. Folding is `kg.model.fold` (case, accents, spaces): transliterated or accented
forms ("Jose"/"José") already fold to one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.model import fold

# Legal forms and their abbreviations, removed at the end of a name ("Google Inc." -> "google").
LEGAL_SUFFIXES = frozenset({
    "inc", "incorporated", "ltd", "limited", "llc", "plc", "corp", "corporation", "co", "company", "sa", "sas",
    "sarl", "se", "ag", "gmbh", "nv", "bv", "spa", "group", "groupe", "holding", "holdings", "lp", "llp",
})
# Articles removed at the start of a name ("The New York Times", "La Française des jeux", "l'Equipe").
LEADING_ARTICLES = frozenset({"the", "le", "la", "les", "l"})
# Titles before a person's name ("M. Drareni", "Mr Fogg", "Mme Ernotte", "Dr. Gebru").
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "m", "mme", "mlle", "dr", "sir", "dame", "prof", "me"})
# Words an acronym may skip ("Massachusetts Institute of Technology" -> MIT).
LINK_WORDS = frozenset({"of", "and", "the", "for", "de", "du", "des", "la", "le", "les", "et", "pour", "d", "l"})
# French generic words of organisation names -> English, so that "Université Yale" meets "Yale University" and
# "Commission européenne" meets "European Commission" (compared as sets of words, in any order).
FRENCH_TO_ENGLISH = {
    "universite": "university", "europeenne": "european", "europeen": "european", "nationale": "national",
    "ministere": "ministry", "banque": "bank", "centrale": "central", "federale": "federal", "federal": "federal",
    "agence": "agency", "conseil": "council", "parlement": "parliament", "cour": "court", "institut": "institute",
    "societe": "society", "fondation": "foundation", "organisation": "organization", "mondiale": "world",
    "internationale": "international", "international": "international", "gouvernement": "government",
    "departement": "department", "tresor": "treasury", "justice": "justice", "commerce": "commerce",
    "americain": "american", "americaine": "american", "francais": "french", "francaise": "french",
    "britannique": "british", "allemand": "german", "chinois": "chinese", "parti": "party",
}
_WEB_DOMAIN = re.compile(r"\.(com|net|org|tv|fr|io|co\.uk)$")
_WORD = re.compile(r"[a-z0-9]+")
_RAW_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class NameForms:
    """One surface name in every form the rules compare.

    words: folded words, without leading article, trailing legal suffixes and (for people) honorifics;
    compact: the words joined without spaces ("jp morgan" and "jpmorgan" are one); initials: candidate acronyms
    built from the words (with and without link words); english_words: the words with French generic words put in
    English and link words dropped, as a set; is_acronym: the surface name is one upper-case word of 2-6 letters."""

    surface: str
    words: tuple[str, ...]
    compact: str
    initials: frozenset[str]
    english_words: frozenset[str]
    is_acronym: bool
    has_acronym_word: bool = False  # an upper-case word of 2+ letters inside a longer name ("In-Stat/MDR")

    @property
    def digits(self) -> frozenset[str]:
        """The numbers in the name: "iPhone 3G" and "iPhone 7", "France 2" and "France 3" differ by them."""
        return frozenset(w for w in self.words if any(ch.isdigit() for ch in w))

    @property
    def last_word(self) -> str:
        return self.words[-1] if self.words else ""


def _strip_affixes(words: list[str], person: bool) -> list[str]:
    while len(words) > 1 and words[0] in LEADING_ARTICLES:
        words = words[1:]
    if person:
        while len(words) > 1 and words[0] in HONORIFICS:
            words = words[1:]
    else:
        while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
            words = words[:-1]
    return words


def _initials(words: tuple[str, ...]) -> frozenset[str]:
    if len(words) < 2:
        return frozenset()
    every = "".join(w[0] for w in words)
    content = "".join(w[0] for w in words if w not in LINK_WORDS)
    return frozenset(x for x in (every, content) if len(x) >= 2)


@lru_cache(maxsize=65536)
def name_forms(name: str, is_person: bool = False) -> NameForms:
    """The forms of `name` (a person's name keeps its legal-looking words: "Co" may be a surname)."""
    folded = _WEB_DOMAIN.sub("", fold(name))
    words = tuple(_strip_affixes(_WORD.findall(folded), is_person))
    stripped = name.strip().replace(".", "")
    english = frozenset(FRENCH_TO_ENGLISH.get(w, w) for w in words if w not in LINK_WORDS)
    return NameForms(surface=name, words=words, compact="".join(words), initials=_initials(words),
                     english_words=english,
                     is_acronym=2 <= len(stripped) <= 6 and stripped.isalpha() and stripped.isupper(),
                     has_acronym_word=len(words) > 1 and any(len(w) >= 2 and w.isupper()
                                                             for w in _RAW_WORD.findall(name)))


def blocking_keys(forms: NameForms) -> set[str]:
    """The keys a name is filed under, and looked up by: its content words of 3+ letters, its compact form, its
    acronyms, and a 6-letter prefix of a long single word (to meet one-letter spelling variants). Two names that a
    rule could match share at least one key."""
    keys = {w for w in forms.words if len(w) >= 3 and w not in LINK_WORDS and w not in LEGAL_SUFFIXES}
    keys.update(forms.initials)
    if forms.compact:
        keys.add(forms.compact)
    keys.update(f"{w[:6]}*" for w in forms.words if len(w) >= 9)
    return keys
