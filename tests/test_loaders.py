"""Every input format, from files made here: text, HTML, JSONL, JSON, RSS, Atom, folders of them."""

from __future__ import annotations

import json
from pathlib import Path

from ingest.loaders import Article, RefusedInput, read_inputs
from ingest.loaders.htmltext import html_to_text

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

FR_TEXT = ("Elon Musk aurait acheté près de 10 000 processeurs graphiques pour Twitter, selon Business Insider. "
           "Le projet en est à ses débuts.")
EN_TEXT = "Microsoft said on Tuesday that it would buy the games maker for $69bn, the biggest deal in its history."


def read(*paths: Path) -> tuple[list[Article], list[RefusedInput]]:
    items = list(read_inputs(list(paths)))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, RefusedInput)]


def only_article(*paths: Path) -> Article:
    articles, refused = read(*paths)
    assert refused == []
    (article,) = articles
    return article


# --- plain text ------------------------------------------------------------------------------------------------

def test_text_file_with_headline(tmp_path: Path) -> None:
    path = tmp_path / "musk.txt"
    path.write_text(f"Musk buys GPUs\n\n{EN_TEXT}\n", encoding="utf-8")
    article = only_article(path)
    assert article.text == f"Musk buys GPUs\n\n{EN_TEXT}"
    assert article.title == "Musk buys GPUs"
    assert article.lang == "en"
    assert article.source == str(path)
    assert article.published is None


def test_text_ids_are_stable_and_distinct_for_same_names_in_different_folders(tmp_path: Path) -> None:
    for folder in ("tech", "business"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "001.txt").write_text(FR_TEXT, encoding="utf-8")
    first, _ = read(tmp_path)
    again, _ = read(tmp_path)
    assert [a.id for a in first] == [a.id for a in again]
    assert len({a.id for a in first}) == 2
    assert all(a.id.startswith("001-") for a in first)
    assert all(a.lang == "fr" for a in first)


def test_a_file_named_directly_keeps_the_id_it_has_in_its_folder_root(tmp_path: Path) -> None:
    path = tmp_path / "seed.txt"
    path.write_text(FR_TEXT, encoding="utf-8")
    assert only_article(path).id == only_article(tmp_path).id


def test_seed_article_is_read_as_french() -> None:
    article = only_article(SHARED / "examples" / "seed-fr.txt")
    assert article.lang == "fr"
    assert article.text.startswith("L'homme d'affaires milliardaire Elon Musk")


# --- HTML ------------------------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="fr-FR"><head><meta charset="utf-8"><title>Musk achète des GPU | Le Journal</title>
<meta property="og:title" content="Musk achète des GPU">
<meta property="article:published_time" content="2023-04-12T10:00:00+02:00">
<link rel="canonical" href="https://www.journal.example/tech/musk-achete-des-gpu?utm_source=rss">
<script>var tracking = "le la les des du";</script></head>
<body><nav><a href="/">Accueil</a> <a href="/tech">Tech</a></nav>
<article><h1>Musk achète des GPU</h1>
<p>{p1}</p>
<p>Des sources ayant une connaissance de l'entreprise ont confirmé l'achat, qui indique que le projet est engagé.</p>
</article><footer>© Le Journal, tous droits réservés</footer></body></html>"""


def test_html_page_gives_text_title_date_url_language(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE.format(p1=FR_TEXT), encoding="utf-8")
    article = only_article(path)
    assert FR_TEXT in article.text
    assert "Accueil" not in article.text and "tracking" not in article.text and "droits réservés" not in article.text
    assert article.title == "Musk achète des GPU"
    assert article.published == "2023-04-12"
    assert article.url == "https://www.journal.example/tech/musk-achete-des-gpu"  # tracking query dropped
    assert article.lang == "fr"
    assert article.id.startswith("journal-example-musk-achete-des-gpu-")


def test_html_ids_come_from_the_canonical_url_wherever_the_file_is(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "saved.html").write_text(PAGE.format(p1=FR_TEXT), encoding="utf-8")
    (tmp_path / "b" / "copy.htm").write_text(PAGE.format(p1=FR_TEXT), encoding="utf-8")
    articles, _ = read(tmp_path)
    assert len(articles) == 2 and articles[0].id == articles[1].id


def test_html_lang_attribute_is_overruled_by_the_text(tmp_path: Path) -> None:
    path = tmp_path / "wrong-lang.html"
    path.write_text(PAGE.format(p1=FR_TEXT).replace("fr-FR", "en"), encoding="utf-8")
    assert only_article(path).lang == "fr"  # the page is French whatever the template says


# --- JSONL and JSON --------------------------------------------------------------------------------------------

def test_jsonl_articles_with_their_fields(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [
        {"id": "a-1", "text": FR_TEXT, "title": "Musk", "published": "2023-04-12", "url": "https://x.example/1",
         "lang": "fr"},
        {"text": EN_TEXT, "url": "https://www.news.example/tech/msft-deal.html"},
        {"text": EN_TEXT, "published": "2023-04-12T08:30:00Z"},
        {"id": 42, "text": EN_TEXT, "lang": "en-GB"},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n", encoding="utf-8")
    articles, refused = read(path)
    assert refused == []
    first, from_url, from_path, numeric = articles
    assert (first.id, first.title, first.published, first.url, first.lang) == (
        "a-1", "Musk", "2023-04-12", "https://x.example/1", "fr")
    assert from_url.id.startswith("news-example-msft-deal-") and from_url.lang == "en"
    assert from_path.id.startswith("batch-line3-") and from_path.published == "2023-04-12T08:30:00Z"
    assert (numeric.id, numeric.lang) == ("42", "en")
    assert first.source == f"{path}:1"


def test_jsonl_keeps_the_text_exactly() -> None:
    gold = SHARED / "eval" / "dev.jsonl"
    records = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles, refused = read(gold)
    assert refused == []
    assert [a.id for a in articles] == [r["id"] for r in records]
    assert all(a.text == r["text"] and a.lang == r["lang"] and a.published == r["published"]
               for a, r in zip(articles, records, strict=True))


def test_json_file_with_one_article_or_a_list(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text(json.dumps({"id": "solo", "text": EN_TEXT}, indent=2), encoding="utf-8")
    (tmp_path / "many.json").write_text(json.dumps([{"id": "m1", "text": EN_TEXT}, {"id": "m2", "text": ""}]),
                                        encoding="utf-8")
    articles, refused = read(tmp_path)
    assert sorted(a.id for a in articles) == ["m1", "solo"]
    assert [(r.source, r.reason) for r in refused] == [(f"{tmp_path / 'many.json'}[2]",
                                                       'has no "text" field with the article text')]


# --- feeds -----------------------------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Tech</title><link>https://news.example/</link><language>en-us</language>
<item><title>Microsoft buys games maker</title><link>https://news.example/2023/msft-games</link>
<guid>https://news.example/?p=1</guid><pubDate>Tue, 18 Apr 2023 10:00:00 GMT</pubDate>
<description>Short summary.</description>
<content:encoded><![CDATA[<p>{en}</p><p>The deal <b>still</b> needs approval.<script>evil()</script></p>]]>
</content:encoded>
</item>
<item><title>Musk et les GPU</title><link>https://news.example/2023/musk-gpu</link>
<pubDate>Wed, 19 Apr 2023 09:00:00 +0200</pubDate>
<description>&lt;p&gt;{fr}&lt;/p&gt;</description></item>
<item><title>Empty</title><link>https://news.example/2023/empty</link><description></description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
<title>Actu</title><id>urn:feed:1</id><updated>2023-04-20T00:00:00Z</updated>
<entry><title>Musk</title><id>urn:entry:1</id><updated>2023-04-20T08:00:00Z</updated>
<published>2023-04-19T08:00:00Z</published>
<content type="html">&lt;p&gt;{fr}&lt;/p&gt;</content></entry>
</feed>"""


def test_rss_entries_become_articles_and_an_empty_entry_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "feed.rss"
    path.write_text(RSS.format(en=EN_TEXT, fr=FR_TEXT), encoding="utf-8")
    articles, refused = read(path)
    english, french = articles
    assert english.text == f"{EN_TEXT}\nThe deal still needs approval."  # content, not summary; no script
    assert (english.title, english.url, english.published, english.lang) == (
        "Microsoft buys games maker", "https://news.example/2023/msft-games", "2023-04-18", "en")
    assert english.id.startswith("news-example-msft-games-")
    assert (french.text, french.published, french.lang) == (FR_TEXT, "2023-04-19", "fr")  # feed says en-us
    (empty,) = refused
    assert empty.source == f"{path}#3 (Empty)"
    assert empty.reason == "has neither content nor summary text"


def test_atom_entry_with_id_and_no_link(tmp_path: Path) -> None:
    path = tmp_path / "actu.atom"
    path.write_text(ATOM.format(fr=FR_TEXT), encoding="utf-8")
    article = only_article(path)
    assert (article.text, article.published, article.lang, article.url) == (FR_TEXT, "2023-04-19", "fr", None)
    assert article.id == only_article(path).id


def test_feed_in_an_xml_file_and_with_no_suffix(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_text(RSS.format(en=EN_TEXT, fr=FR_TEXT), encoding="utf-8")
    named = tmp_path / "feed-without-suffix"
    named.write_text(ATOM.format(fr=FR_TEXT), encoding="utf-8")
    assert len(read(tmp_path / "feed.xml")[0]) == 2
    assert len(read(named)[0]) == 1


def test_html_fragment_to_text() -> None:
    assert html_to_text("<p>Musk <b>bought</b>&nbsp;GPUs &amp; more.</p><ul><li>one</li><li>two</li></ul>"
                        "<style>p{}</style>") == "Musk bought GPUs & more.\none\ntwo"


# --- folders ---------------------------------------------------------------------------------------------------

def test_folder_is_read_recursively_in_name_order_skipping_hidden_entries(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deep").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD.txt").write_text(EN_TEXT, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(EN_TEXT, encoding="utf-8")
    (tmp_path / "a.txt").write_text(EN_TEXT, encoding="utf-8")
    (tmp_path / "b" / "deep" / "c.jsonl").write_text(json.dumps({"id": "c", "text": FR_TEXT}), encoding="utf-8")
    (tmp_path / "b" / "page.html").write_text(PAGE.format(p1=FR_TEXT), encoding="utf-8")
    (tmp_path / "b" / "feed.rss").write_text(RSS.format(en=EN_TEXT, fr=FR_TEXT), encoding="utf-8")
    articles, refused = read(tmp_path)
    assert [a.source for a in articles] == [
        str(tmp_path / "a.txt"), f"{tmp_path / 'b' / 'deep' / 'c.jsonl'}:1", str(tmp_path / "b" / "feed.rss"),
        str(tmp_path / "b" / "feed.rss"), str(tmp_path / "b" / "page.html")]
    assert len(refused) == 1  # the feed's empty entry


def test_html_lang_attribute_decides_when_the_text_says_little(tmp_path: Path) -> None:
    path = tmp_path / "short.html"
    path.write_text('<html lang="fr"><body><article><p>Apple, Google, Microsoft : 2023.</p></article></body></html>',
                    encoding="utf-8")
    assert only_article(path).lang == "fr"


def test_jsonl_reads_common_field_names_of_news_dumps(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_text(json.dumps({"id": 36, "date": "2020-07-01", "headline": "Un titre", "article": FR_TEXT,
                                "link": "https://actu.example/a.html", "language": "fr"}), encoding="utf-8")
    article = only_article(path)
    assert (article.id, article.published, article.title, article.text, article.url, article.lang) == (
        "36", "2020-07-01", "Un titre", FR_TEXT, "https://actu.example/a.html", "fr")
