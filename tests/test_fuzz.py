"""Property-based fuzzing of every parser we own: 10,000 generated inputs each (fewer for the whole extractor).

For each input the parser must return a well-formed result or raise one of the project's own errors (KgError and
its subclasses; ApiProblem for the API's cursor parser) whose message is a readable sentence. Anything else - a
crash, a stray exception type, a silently malformed result - fails. Every example runs under a SIGALRM time
limit (`PER_EXAMPLE_SECONDS`), so a parser that hangs fails too instead of stalling CI.

Inputs are generated from grammars close to the real formats (HTML trees, RSS/Atom documents, JSON records, money
and date phrases in English and French) mixed with raw noise, so both the deep paths and the edges are reached."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import signal
import tempfile
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.loaders import MAX_ARTICLE_CHARS, RefusedInput, expand_paths, read_source
from ingest.loaders.article import language_code, normalise_published
from ingest.loaders.decoding import decode_bytes
from ingest.loaders.htmltext import html_to_text
from ingest.loaders.ids import article_id_from_path, article_id_from_url
from kg.errors import KgError
from kg.model import ISO_DATE, Article

pytestmark = pytest.mark.slow  # left out of `make test-fast`

PER_EXAMPLE_SECONDS = 5.0
EXAMPLES = int(os.environ.get("KG_FUZZ_EXAMPLES", "10000"))  # fewer only for quick local runs
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=False,
                suppress_health_check=list(HealthCheck))
ISO_PREFIX = ISO_DATE  # the one pattern, kg/model.py
ISO_CURRENCY = re.compile(r"^[A-Z]{3}$")


class Hang(BaseException):
    """Raised by the alarm; a BaseException so that no `except Exception` in the parser can swallow it."""


@contextmanager
def time_limit(seconds: float = PER_EXAMPLE_SECONDS):
    def on_alarm(_signum: int, _frame: object) -> None:
        raise Hang(f"the parser ran longer than {seconds} s on one input")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def assert_clear(message: str) -> None:
    """A refusal a person can act on: a few words, no traceback, no Python repr of an exception."""
    assert message.strip(), "an empty error message"
    assert len(message.split()) >= 2, f"too terse to act on: {message!r}"
    assert "Traceback" not in message and "object at 0x" not in message, message


def outcome(parse: Callable[[], Any], allowed: tuple[type[BaseException], ...] = (KgError,),
            seconds: float = PER_EXAMPLE_SECONDS) -> Any:
    """Run `parse` under the time limit; a project error is a valid outcome (returned), anything else fails."""
    with time_limit(seconds):
        try:
            result = parse()
            if isinstance(result, Iterable) and not isinstance(result, (str, bytes, dict)):
                result = list(result)
            return result
        except allowed as exc:
            assert_clear(str(getattr(exc, "detail", None) or exc))
            return exc


# ------------------------------------------------------------------------------------------- strategies
WORDS = ["Microsoft", "Google", "a racheté", "acquired", "le", "the", "Nvidia", "for", "pour", "in", "en", "€",
         "$", "million", "milliards", "bn", "2023", "mars", "March", "Satya Nadella", "PDG", "CEO", "\u00a0",
         "\u202f", "é", "ß", "😀", "\u200b", "\ufeff", "\x00", "\r\n", "\t", ".", ",", "'", '"', "<", ">", "&"]
noise_text = st.text(max_size=300)
wordy_text = st.lists(st.sampled_from(WORDS) | st.text(max_size=12), max_size=40).map(" ".join)
any_text = st.one_of(noise_text, wordy_text)
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                         any_text)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
date_like = st.one_of(
    any_text, st.dates().map(dt.date.isoformat), st.datetimes().map(dt.datetime.isoformat),
    st.datetimes().map(lambda d: d.strftime("%a, %d %b %Y %H:%M:%S +0000")),
    st.from_regex(r"\A[0-9]{1,5}(-[0-9]{1,3}(-[0-9]{1,3})?)?([T ][0-9:.+Z-]{0,20})?\Z", fullmatch=True),
    st.integers(), st.floats(), st.none(), st.booleans())
lang_like = st.one_of(st.sampled_from(["en", "fr", "EN", "fr-FR", "en_US", "de", "zz", "", "x" * 40, "fr-"]),
                      st.text(max_size=10), st.integers(), st.none(), st.lists(st.text(max_size=3), max_size=2))


def article_record() -> st.SearchStrategy[dict]:
    fields = {"id": st.one_of(any_text, st.integers(), st.none(), st.booleans(), json_values),
              "text": st.one_of(wordy_text, noise_text, st.none(), json_values, st.just("")),
              "title": st.one_of(any_text, st.none(), json_values), "url": st.one_of(
                  any_text, st.none(), st.just("https://example.com/a/b.html?x=1#y"), st.just("http://"), json_values),
              "published": date_like, "lang": lang_like, "source": st.one_of(any_text, st.none(), json_values)}
    return st.fixed_dictionaries({}, optional=fields)


jsonl_lines = st.one_of(article_record().map(lambda r: json.dumps(r, ensure_ascii=False, allow_nan=True)),
                        json_values.map(lambda v: json.dumps(v, allow_nan=True)),
                        any_text.map(lambda t: t.replace("\n", " ")))
jsonl_documents = st.lists(jsonl_lines, max_size=6).map(lambda lines: "\n".join(lines).encode("utf-8", "surrogatepass"))

TAGS = ["p", "div", "span", "b", "script", "style", "article", "main", "header", "footer", "nav", "h1", "br", "li",
        "ul", "table", "tr", "td", "svg", "template", "iframe", "noscript", "pre", "time", "meta", "title", "a"]
ATTRS = st.lists(st.tuples(st.sampled_from(["lang", "class", "href", "content", "name", "property", "datetime",
                                            "charset", "id", "onload"]), any_text), max_size=3)


def _attrs(pairs: list[tuple[str, str]]) -> str:
    return "".join(f' {k}="{v.replace(chr(34), "&quot;")}"' for k, v in pairs)


html_leaves = st.one_of(any_text.map(lambda t: t.replace("<", "&lt;")),
                        st.sampled_from(["&amp;", "&#x110000;", "&#99999999;", "&bogus;", "<!--", "-->", "<![CDATA[",
                                         "]]>", "</p>", "<", "</", "<p", "<br/>", "&#0;", "<!DOCTYPE html>"]))
html_trees = st.recursive(html_leaves,
                          lambda inner: st.tuples(st.sampled_from(TAGS), ATTRS, st.lists(inner, max_size=4))
                          .map(lambda t: f"<{t[0]}{_attrs(t[1])}>{''.join(t[2])}</{t[0]}>"), max_leaves=25)
html_pages = st.tuples(lang_like.map(str), html_trees, html_trees).map(
    lambda t: f"<!DOCTYPE html><html lang=\"{t[0]}\"><head><title>x</title>{t[1]}</head><body>{t[2]}</body></html>")


def _feed(kind: str, lang: str, entries: list[tuple[str, str, str, str]]) -> str:
    if kind == "rss":
        items = "".join(f"<item><title>{t}</title><link>{link}</link><pubDate>{d}</pubDate>"
                        f"<description><![CDATA[{c}]]></description></item>" for t, link, d, c in entries)
        return f'<?xml version="1.0"?><rss version="2.0"><channel><language>{lang}</language>{items}</channel></rss>'
    items = "".join(f"<entry><title>{t}</title><link href=\"{link}\"/><id>{link}</id><updated>{d}</updated>"
                    f"<content type=\"html\"><![CDATA[{c}]]></content></entry>" for t, link, d, c in entries)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">'
            f'{items}</feed>')


xml_safe = any_text.map(lambda t: t.replace("&", "&amp;").replace("<", "&lt;").replace("]]>", ""))
feed_entry = st.tuples(xml_safe, st.one_of(st.just("https://example.com/x"), xml_safe),
                       date_like.map(lambda d: str(d).replace("&", "").replace("<", "")),
                       st.one_of(html_trees, wordy_text).map(lambda c: c.replace("]]>", "")))
feed_documents = st.builds(_feed, st.sampled_from(["rss", "atom"]), lang_like.map(lambda v: str(v).replace("<", "")),
                           st.lists(feed_entry, max_size=4))


def mutated(documents: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """Well-formed documents, sometimes cut short or with noise spliced in, then encoded."""

    @st.composite
    def build(draw) -> bytes:
        doc = draw(documents)
        choice = draw(st.integers(0, 3))
        if choice == 1 and doc:
            doc = doc[:draw(st.integers(0, len(doc)))]
        elif choice == 2:
            at = draw(st.integers(0, len(doc)))
            doc = doc[:at] + draw(noise_text) + doc[at:]
        encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]))
        return doc.encode(encoding, "replace")

    return build()


raw_bytes = st.binary(max_size=600)


# ------------------------------------------------------------------------------------------- loaders
_WORKDIR = Path(tempfile.mkdtemp(prefix="kg-fuzz-"))


def load_bytes(raw: bytes, suffix: str) -> list[Article | RefusedInput]:
    """Write `raw` to a file with `suffix` and read it as `kg ingest` does (format chosen by suffix)."""
    path = _WORKDIR / f"input{suffix}"
    path.write_bytes(raw)
    sources = list(expand_paths([path]))
    assert len(sources) == 1 and not isinstance(sources[0], RefusedInput)
    items = outcome(lambda: read_source(sources[0]))
    assert not isinstance(items, BaseException), f"read_source raised instead of refusing: {items!r}"
    return items


def check_loaded(items: list[Article | RefusedInput]) -> None:
    from ingest.language import supported_languages

    for item in items:
        if isinstance(item, RefusedInput):
            assert item.source
            assert_clear(item.reason)
            assert_clear(str(item))
            continue
        assert isinstance(item, Article), item
        assert item.id and item.id.strip() == item.id, item
        assert item.text.strip() and len(item.text) <= MAX_ARTICLE_CHARS
        assert item.lang in supported_languages(), item.lang
        assert item.published is None or isinstance(item.published, str)
        assert item.content_hash


@FUZZ
@given(st.one_of(raw_bytes, mutated(any_text), mutated(wordy_text)))
def test_fuzz_text_loader(raw: bytes) -> None:
    check_loaded(load_bytes(raw, ".txt"))


@FUZZ
@given(st.one_of(mutated(html_pages), mutated(html_trees), raw_bytes))
def test_fuzz_html_loader(raw: bytes) -> None:
    check_loaded(load_bytes(raw, ".html"))


@FUZZ
@given(st.one_of(jsonl_documents, mutated(st.lists(jsonl_lines, max_size=4).map("\n".join)), raw_bytes))
def test_fuzz_jsonl_loader(raw: bytes) -> None:
    check_loaded(load_bytes(raw, ".jsonl"))


@FUZZ
@given(st.one_of(st.lists(article_record(), max_size=4).map(lambda r: json.dumps(r, allow_nan=True).encode()),
                 article_record().map(lambda r: json.dumps(r, allow_nan=True).encode()),
                 json_values.map(lambda v: json.dumps(v, allow_nan=True).encode()), mutated(any_text), raw_bytes))
def test_fuzz_json_loader(raw: bytes) -> None:
    check_loaded(load_bytes(raw, ".json"))


@FUZZ
@given(st.one_of(mutated(feed_documents), raw_bytes))
def test_fuzz_feed_loader(raw: bytes) -> None:
    check_loaded(load_bytes(raw, ".rss"))


@FUZZ
@given(raw_bytes)
def test_fuzz_decoding(raw: bytes) -> None:
    text = outcome(lambda: decode_bytes(raw))
    assert isinstance(text, (str, KgError))
    if isinstance(text, str):
        assert "\r" not in text


@FUZZ
@given(st.one_of(html_trees, any_text))
def test_fuzz_html_fragment_to_text(fragment: str) -> None:
    text = outcome(lambda: html_to_text(fragment))
    assert isinstance(text, str) and text == text.strip()
    assert "<script" not in text.lower() or "<script" in fragment.lower()


@FUZZ
@given(date_like)
def test_fuzz_published_dates(value: Any) -> None:
    result = outcome(lambda: normalise_published(value))
    assert result is None or isinstance(result, (str, KgError))


@FUZZ
@given(lang_like)
def test_fuzz_language_tags(tag: Any) -> None:
    code = outcome(lambda: language_code(tag))
    assert code is None or (isinstance(code, str) and code.isalpha() and code == code.lower())


@FUZZ
@given(any_text, any_text)
def test_fuzz_article_ids(url: str, path: str) -> None:
    for made in (outcome(lambda: article_id_from_url(url)), outcome(lambda: article_id_from_path(path or "x"))):
        assert isinstance(made, str) and made and len(made) <= 80 and made == made.strip(), made
        assert re.fullmatch(r"[a-z0-9-]+", made), made


# ------------------------------------------------------------------------------------------- qualifiers
MONEY_WORDS = {"en": ["$", "€", "£", "USD", "dollars", "euros", "million", "billion", "bn", "m", "trillion", "about",
                      "nearly", ",", ".", " "],
               "fr": ["€", "$", "euros", "dollars", "d'euros", "de dollars", "millions", "milliard", "milliards", "Md",
                      "près de", "environ", ",", ".", " ", "\u00a0", "\u202f"]}


def money_text(lang: str) -> st.SearchStrategy[str]:
    pieces = st.one_of(st.sampled_from(MONEY_WORDS[lang]), st.integers(0, 10**15).map(str),
                       st.from_regex(r"\A\d{1,3}([ ,.\u00a0]\d{3}){0,4}([.,]\d{1,3})?\Z", fullmatch=True),
                       st.text(max_size=5))
    return st.one_of(st.lists(pieces, max_size=12).map("".join), st.lists(pieces, max_size=12).map(" ".join))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_fuzz_money_amounts(lang: str) -> None:
    from ingest.extraction.qualifiers import reader_for

    reader = reader_for(lang)

    @FUZZ
    @given(st.one_of(money_text(lang), any_text))
    def check(text: str) -> None:
        found = outcome(lambda: reader.money(text))
        assert isinstance(found, list), found
        for money in found:
            assert math.isfinite(money.amount) and money.amount >= 0, money
            assert ISO_CURRENCY.match(money.currency), money
            assert 0 <= money.start <= len(text)
        normalised = outcome(lambda: reader.normalise_numbers(text))
        assert isinstance(normalised, str)

    check()


def date_text(lang: str) -> st.SearchStrategy[str]:
    from ingest.extraction.resources import lexicon

    dates = lexicon(lang)["dates"]
    vocabulary = [*dates["months"], *dates["weekdays"], *dates["relative_days"], *dates["relative_months"],
                  *dates["relative_years"], "in", "en", "since", "depuis", "le", "the", "1er", "1st", "31", "29", "0",
                  "99", "2023", "1999", "2099", "May", "Mars", "planète"]
    pieces = st.one_of(st.sampled_from(vocabulary), st.integers(0, 3000).map(str), st.text(max_size=6))
    return st.lists(pieces, max_size=14).map(" ".join)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_fuzz_date_expressions(lang: str) -> None:
    """Dates read from a sentence resolve to None or a real calendar date, whatever the publication date."""
    import spacy

    from ingest.extraction.qualifiers import reader_for

    reader = reader_for(lang)
    tokenizer = spacy.blank(lang)
    published = st.one_of(st.none(), st.dates().map(dt.date.isoformat), date_like.map(str))

    @FUZZ
    @given(date_text(lang), published, st.booleans())
    def check(text: str, pub: str | None, future: bool) -> None:
        doc = tokenizer(text)
        found = outcome(lambda: reader.dates(doc[:]))
        assert isinstance(found, list), found
        for expr in found:
            assert expr.month is None or 1 <= expr.month <= 12, expr
            resolved = outcome(lambda expr=expr: expr.resolve(pub, future))
            assert resolved is None or isinstance(resolved, str), resolved
            if isinstance(resolved, str):
                assert ISO_PREFIX.match(resolved), resolved
                year, month, day = (resolved.split("-") + ["1", "1"])[:3]
                dt.date(int(year), int(month), int(day))  # a real calendar date, or this raises

    check()


# ------------------------------------------------------------------------------------------- API and guard parsers
@FUZZ
@given(st.one_of(any_text, st.binary(max_size=80).map(lambda b: __import__("base64").urlsafe_b64encode(b).decode()),
                 json_values.map(lambda v: __import__("base64").urlsafe_b64encode(
                     json.dumps(v, allow_nan=True).encode()).decode().rstrip("="))))
def test_fuzz_api_cursors(cursor: str) -> None:
    from api.pagination import decode_key, decode_offset
    from api.problems import ApiProblem

    for decode in (decode_key, decode_offset):
        result = outcome(lambda decode=decode: decode("entities", cursor), allowed=(ApiProblem,))
        if isinstance(result, ApiProblem):
            assert 400 <= result.status < 500


CYPHER_WORDS = ["MATCH", "(n)", "RETURN", "n", "CREATE", "MERGE", "DELETE", "SET", "CALL", "db.labels()",
                "apoc.load.json", "LOAD", "CSV", "FROM", "'", '"', "`", "//", "/*", "*/", ";", "{", "}", "IN",
                "TRANSACTIONS", "USE", "\\", "\u0421REATE", "\u200b", ".", "(", ")", "WITH", "UNWIND", "[1,2]", "AS",
                "x", ":", "-[r]->"]


@FUZZ
@given(st.one_of(st.lists(st.sampled_from(CYPHER_WORDS) | st.text(max_size=6), max_size=20).map(" ".join), any_text))
def test_fuzz_cypher_guard_text_check(query: str) -> None:
    from kg.store.cypher_guard import check_text

    result = outcome(lambda: check_text(query))
    if isinstance(result, str):
        # an accepted query may hold these words only inside string literals or comments, or as map keys
        unquoted = "'" not in result and '"' not in result and "/" not in result and "`" not in result
        without_map_keys = re.sub(r"[{,]\s*(CREATE|MERGE|DELETE)\s*:(?!:)", " ", result.upper())
        # a keyword is a token: `MERGE0`, `x.merge`, `:Merge` and `$merge` are names, not clauses
        for clause in (r"(?<![\w$.:])(CREATE|MERGE|DELETE)(?![\w$])", r"\bLOAD\s+CSV\b", r"(?<![\w$])APOC\s*\."):
            assert not unquoted or not re.search(clause, without_map_keys), result


# ------------------------------------------------------------------------------------------- the extractor
@pytest.fixture(scope="module")
def warm_pipelines() -> None:
    """Load both spaCy pipelines once, outside the per-example time limit."""
    from ingest.nlp import pipeline_for

    for lang in ("en", "fr"):
        pipeline_for(lang)("Warm up.")


@pytest.mark.usefixtures("warm_pipelines")
@settings(max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(text=st.one_of(wordy_text, noise_text, money_text("fr"), date_text("en")), lang=st.sampled_from(["en", "fr"]),
       published=st.one_of(st.none(), st.dates().map(dt.date.isoformat)))
def test_fuzz_whole_extractor(text: str, lang: str, published: str | None) -> None:
    """The whole pipeline on hostile text: an extraction (possibly empty) whose facts pass the ontology checks."""
    from ingest.extractor import extract
    from kg.validation import validate_fact

    if not text.strip():
        text = "x"
    article = Article(id="fuzz", text=text, lang=lang, published=published, source="fuzz")
    extraction = outcome(lambda: extract(article), seconds=20.0)
    if isinstance(extraction, KgError):
        return
    for fact in extraction.facts:
        validate_fact(fact)
        for ev in fact.evidence:
            assert 0 <= ev.start <= ev.end <= len(text)
