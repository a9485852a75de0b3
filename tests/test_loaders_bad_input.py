"""Bad input: each file, line or entry is refused with a reason a person can act on, and the batch goes on."""

from __future__ import annotations

import codecs
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from ingest.loaders import MAX_ARTICLE_CHARS, Article, RefusedInput, read_inputs

FR_TEXT = "Le groupe a annoncé mardi qu'il rachetait l'éditeur de jeux pour 69 milliards de dollars. Éric répond."
EN_TEXT = "Microsoft said on Tuesday that it would buy the games maker for $69bn, the biggest deal in its history."
NOBODY = 65534


def read(*paths: Path) -> tuple[list[Article], list[RefusedInput]]:
    items = list(read_inputs(list(paths)))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, RefusedInput)]


def refusal(path: Path) -> str:
    articles, refused = read(path)
    assert articles == []
    (item,) = refused
    assert item.source == str(path)
    return item.reason


# --- files that are not text -----------------------------------------------------------------------------------

def test_empty_and_blank_files_are_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\t\n")
    assert refusal(tmp_path / "empty.txt") == "is empty"
    assert refusal(tmp_path / "blank.txt") == "is empty"


@pytest.mark.parametrize(("content", "reason"), [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "is a PNG image, not text"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "is a PDF document, not text"),
    (b"PK\x03\x04\x14\x00\x06\x00", "is a ZIP archive (or a Word/OpenDocument file), not text"),
    (bytes([7, 0, 200, 0, 0, 13, 0, 0, 255, 1, 2, 3]) * 50, "looks binary (it holds NUL bytes), not text"),
    (bytes(range(1, 32)) * 40, "looks binary (too many control characters), not text"),
])
def test_binary_files_are_refused(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    assert refusal(path) == reason


# --- encodings -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [
    pytest.param(FR_TEXT.encode("utf-8"), id="utf-8"),
    pytest.param(codecs.BOM_UTF8 + FR_TEXT.encode("utf-8"), id="utf-8 with BOM"),
    # Python writes the BOM in native (little-endian) order
    pytest.param(FR_TEXT.encode("utf-16"), id="utf-16 LE with BOM"),
    pytest.param(codecs.BOM_UTF16_BE + FR_TEXT.encode("utf-16-be"), id="utf-16 BE with BOM"),
    pytest.param(FR_TEXT.encode("utf-16-le"), id="utf-16 LE without BOM"),
    pytest.param(FR_TEXT.encode("cp1252"), id="windows-1252"),
    pytest.param(FR_TEXT.replace(". ", ".\r\n").encode("utf-8"), id="windows line ends"),
])
def test_encodings_are_decoded(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(raw)
    articles, refused = read(path)
    assert refused == []
    assert articles[0].text.replace("\n", " ") == FR_TEXT
    assert articles[0].lang == "fr"


def test_windows_1252_punctuation_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "quote.txt"
    path.write_bytes("Musk’s “plan” costs €10bn – reportedly.".encode("cp1252"))
    assert read(path)[0][0].text == "Musk’s “plan” costs €10bn – reportedly."


def test_broken_utf16_is_refused_with_the_encoding(tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "abc".encode("utf-16-le") + b"\x00\xd8")  # a lone high surrogate
    assert refusal(path).startswith("is not valid utf-16-le text")


# --- size ------------------------------------------------------------------------------------------------------

def test_a_10_mb_article_is_refused_with_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text((EN_TEXT + "\n") * (10 * 1024 * 1024 // (len(EN_TEXT) + 1)), encoding="utf-8")
    reason = refusal(path)
    assert "bytes is over the 4,000,000-byte limit for a text file" in reason
    assert f"one article may hold at most {MAX_ARTICLE_CHARS:,} characters" in reason


def test_an_article_over_the_character_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"id": "long", "text": "a" * (MAX_ARTICLE_CHARS + 1)}), encoding="utf-8")
    articles, refused = read(path)
    assert articles == []
    assert refused[0].reason.startswith(f"{MAX_ARTICLE_CHARS + 1:,} characters is more than one article may hold")


def test_an_article_at_the_limit_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    sentence = EN_TEXT + " "
    text = (sentence * (MAX_ARTICLE_CHARS // len(sentence) + 1))[:MAX_ARTICLE_CHARS - 1] + "."
    path.write_text(text, encoding="utf-8")
    (article,) = read(path)[0]
    assert len(article.text) == MAX_ARTICLE_CHARS


# --- HTML, JSONL and feeds -------------------------------------------------------------------------------------

@pytest.mark.parametrize("html", [
    "<html><head><title>Only a title</title></head></html>",
    "<html><head><title>Scripts</title><script>var a = 1;</script></head><body><script>go()</script></body></html>",
    "<!DOCTYPE html><html><body></body></html>",
])
def test_html_without_article_text_is_refused(tmp_path: Path, html: str) -> None:
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    assert refusal(path) == "is an HTML page with no article text in it (no body, or only navigation)"


def test_bad_jsonl_lines_are_refused_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "ok-1", "text": EN_TEXT}),
        '{"id": "broken", "text": ',
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "no-text"}),
        json.dumps({"id": "blank", "text": "   "}),
        json.dumps({"id": "number", "text": 12}),
        json.dumps({"id": "bad-date", "text": EN_TEXT, "published": "last Tuesday"}),
        json.dumps({"id": "bad-lang", "text": EN_TEXT, "lang": "de"}),
        json.dumps({"id": "bad-title", "text": EN_TEXT, "title": ["x"]}),
        "",
        json.dumps({"id": "ok-2", "text": FR_TEXT}),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    articles, refused = read(path)
    assert [a.id for a in articles] == ["ok-1", "ok-2"]
    assert [(r.source.rsplit(":", 1)[1], r.reason) for r in refused] == [
        ("2", "is not JSON (Expecting value at column 26)"),
        ("3", 'is a JSON list, not an object with a "text" field'),
        ("4", 'has no "text" field with the article text'),
        ("5", 'has no "text" field with the article text'),
        ("6", 'field "text" should be a string, not int'),
        ("7", "published value 'last Tuesday' is not a date; give an ISO 8601 date such as 2023-03-18"),
        ("8", "lang 'de' is not supported; supported: en, fr"),
        ("9", "field 'title' should be a string, not list"),
    ]


def test_a_feed_that_is_not_a_feed_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.xml").write_text("<?xml version='1.0'?><notes><note>hi</note></notes>", encoding="utf-8")
    (tmp_path / "broken.rss").write_text("this is plain text, not a feed", encoding="utf-8")
    (tmp_path / "empty-feed.rss").write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>T</title></channel></rss>", encoding="utf-8")
    assert refusal(tmp_path / "notes.xml").startswith("is not an RSS or Atom feed")
    assert refusal(tmp_path / "broken.rss").startswith("is not an RSS or Atom feed")
    assert refusal(tmp_path / "empty-feed.rss") == "is a feed with no entries"


def test_a_json_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "article.json"
    path.write_text("{'single': 'quotes'}", encoding="utf-8")
    assert refusal(path).startswith("is not JSON (Expecting property name")


# --- paths -----------------------------------------------------------------------------------------------------

def test_missing_paths_and_unsupported_files_are_refused(tmp_path: Path) -> None:
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    (tmp_path / "ok.txt").write_text(EN_TEXT, encoding="utf-8")
    articles, refused = read(tmp_path, tmp_path / "missing.txt")
    assert len(articles) == 1
    assert [(r.source, r.reason) for r in refused] == [
        (str(tmp_path / "photo.png"), "is not an article file (.png); supported: .atom, .htm, .html, .json, "
                                      ".jsonl, .md, .ndjson, .rss, .text, .txt, .xhtml, .xml"),
        (str(tmp_path / "missing.txt"), "does not exist; check the path"),
    ]


@contextmanager
def unprivileged() -> Iterator[None]:
    """Run the block as a user that file permissions apply to (root reads everything)."""
    if os.geteuid() != 0:
        yield
        return
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A folder any user may enter (pytest's tmp_path is private to its owner)."""
    folder = Path(tempfile.mkdtemp(prefix="kg-loaders-"))
    folder.chmod(0o755)
    yield folder
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(folder)


def test_unreadable_files_and_folders_are_refused_and_the_rest_is_read(open_folder: Path) -> None:
    (open_folder / "ok.txt").write_text(EN_TEXT, encoding="utf-8")
    (open_folder / "ok.txt").chmod(0o644)
    locked = open_folder / "locked.txt"
    locked.write_text(EN_TEXT, encoding="utf-8")
    locked.chmod(0o000)
    closed = open_folder / "closed"
    closed.mkdir()
    (closed / "inside.txt").write_text(EN_TEXT, encoding="utf-8")
    closed.chmod(0o000)
    with unprivileged():
        articles, refused = read(open_folder)
    assert [a.source for a in articles] == [str(open_folder / "ok.txt")]
    assert [(r.source, r.reason) for r in refused] == [
        (str(locked), "cannot be read (permission denied); give your user read access to it"),
        (str(closed), "folder cannot be read (permission denied or gone); give your user read access to it"),
    ]


def test_a_feed_with_a_garbled_encoding_declaration_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "feed.rss"
    path.write_bytes(b'<?xml version="1.0" encoding="\x80\x81"?><rss version="2.0"><channel><title>T</title>'
                     b"<item><title>Deal</title><link>https://news.example/deal</link><description>"
                     + EN_TEXT.encode() + b"</description></item></channel></rss>")
    articles, refused = read(path)
    assert refused == []
    assert articles[0].text == EN_TEXT


def test_json_nested_too_deeply_is_refused(tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    (tmp_path / "deep.json").write_text(deep, encoding="utf-8")
    (tmp_path / "deep.jsonl").write_text(deep + "\n" + json.dumps({"id": "ok", "text": EN_TEXT}), encoding="utf-8")
    assert refusal(tmp_path / "deep.json") == "is JSON nested too deeply to be an article"
    articles, refused = read(tmp_path / "deep.jsonl")
    assert [a.id for a in articles] == ["ok"]
    assert [r.reason for r in refused] == ["is JSON nested too deeply to be an article"]


@pytest.mark.parametrize(("given", "kept"), [
    ("2023", "2023"), ("2023-03", "2023-03"), ("2023-03-18", "2023-03-18"),
    ("2023-04-12T08:30:00Z", "2023-04-12T08:30:00Z"), ("Tue, 18 Apr 2023 10:00:00 GMT", "2023-04-18"),
    ("2023-13", None), ("2023-02-30", None), ("18/04/2023", None),
])
def test_published_dates_are_checked(tmp_path: Path, given: str, kept: str | None) -> None:
    path = tmp_path / "dated.jsonl"
    path.write_text(json.dumps({"id": "d", "text": EN_TEXT, "published": given}), encoding="utf-8")
    articles, refused = read(path)
    if kept is None:
        assert articles == [] and "is not a" in refused[0].reason and "ISO 8601" in refused[0].reason
    else:
        assert refused == [] and articles[0].published == kept


def test_html_declared_charset_is_used_when_the_bytes_are_not_utf8(tmp_path: Path) -> None:
    body = f"<p>{FR_TEXT} Le prix : 10 €.</p>"
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-15"></head>'
            f"<body><article>{body}</article></body></html>")
    path = tmp_path / "latin9.html"
    path.write_bytes(page.encode("iso-8859-15"))  # € is 0xA4 here, ¤ in Windows-1252
    assert "Le prix : 10 €." in read(path)[0][0].text


def test_a_wrong_charset_declaration_does_not_garble_utf8(tmp_path: Path) -> None:
    page = f'<html><head><meta charset="iso-8859-1"></head><body><article><p>{FR_TEXT}</p></article></body></html>'
    path = tmp_path / "utf8.html"
    path.write_bytes(page.encode("utf-8"))
    assert FR_TEXT in read(path)[0][0].text


@pytest.mark.parametrize("declared", ["base64", "rot13", "x-no-such-charset", "utf-16", "punycode"])
def test_a_nonsense_charset_declaration_falls_back_to_sniffing(tmp_path: Path, declared: str) -> None:
    page = f'<html><head><meta charset="{declared}"></head><body><article><p>{FR_TEXT}</p></article></body></html>'
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("cp1252"))
    assert FR_TEXT in read(path)[0][0].text


def test_a_malformed_marked_section_is_read_as_text() -> None:
    """html.parser asserts on "<![0" (found by the HTML fuzz test): the fragment is text, not a crash."""
    from ingest.loaders.htmltext import html_to_text

    assert html_to_text("<![0") == "<![0"
    assert html_to_text("<p>Acme <![0 bought</p>") == "Acme <![0 bought"
