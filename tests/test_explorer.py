"""The explorer page in headless Chromium (Debian's package, driven by Playwright), on a graph of more than 200
entities: search and its ranking, expansion that keeps placed nodes in place, labels that do not overlap, filters,
the time slider, paths, exports, a link that restores the view, the panel following every click, a 400 px screen,
keyboard only, and axe-core's accessibility check; all offline. Screenshots go to test-artifacts/."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from api_graphs import Sample, write_sample
from api_server import serve
from playwright.sync_api import Page, sync_playwright

from api.app import create_app
from api.settings import ApiSettings
from kg.model import Article, ArticleExtraction, Entity, Evidence, Fact, Qualifiers
from kg.store import GraphConnection, GraphWriter, connect

pytestmark = pytest.mark.slow  # left out of `make test-fast`

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture
def live_api(graph, neo4j_target) -> Iterator[str]:
    del graph  # asked for so that the app starts on an empty graph
    app = create_app(ApiSettings(), connection_factory=lambda: connect(neo4j_target.settings()))
    with serve(app) as base:
        yield base


@contextmanager
def explorer_browser(base: str) -> Iterator[tuple[Page, list[str], list[str]]]:
    """A Chromium page that may load only from `base`; with the requests that tried to leave it and the console
    errors, for the test to assert on."""
    outside: list[str] = []
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 900})

        def route(r):
            if r.request.url.startswith(base):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            yield page, outside, errors
        finally:
            browser.close()


@pytest.fixture
def browser_page(live_api) -> Iterator[tuple[Page, list[str], list[str]]]:
    """A page on the explorer; returns it with the list of requests that left the app and console errors."""
    with explorer_browser(live_api) as opened:
        yield opened


def click_element(page: Page, selector_js: str) -> None:
    """Click a Cytoscape node or edge where it is drawn on the canvas (a real mouse click); an edge is clicked at
    a point of it that no node covers."""
    box = page.locator("#cy").bounding_box()
    page.mouse.move(box["x"] + 2, box["y"] + box["height"] - 2)  # off any node: hover highlights settle
    page.wait_for_timeout(50)
    point = page.evaluate(f"""() => {{
        const ele = {selector_js};
        if (ele.empty()) return null;
        if (ele.isNode()) return ele.renderedPosition();
        // a point of the edge away from every node and every other edge (where edges cross, either may answer)
        const cy = ele.cy(), m = ele.renderedMidpoint(), a = ele.renderedSourceEndpoint(),
              b = ele.renderedTargetEndpoint();
        const segment = (p, s, t) => {{
            const dx = t.x - s.x, dy = t.y - s.y, len = dx * dx + dy * dy || 1;
            const k = Math.max(0, Math.min(1, ((p.x - s.x) * dx + (p.y - s.y) * dy) / len));
            return Math.hypot(p.x - s.x - k * dx, p.y - s.y - k * dy);
        }};
        const edges = cy.edges().filter(e => e.visible() && !e.same(ele));
        const nodes = cy.nodes().filter(n => n.visible());
        const clear = p => nodes.every(n => Math.hypot(n.renderedPosition().x - p.x, n.renderedPosition().y - p.y)
                                            > n.renderedWidth() / 2 + 8)
            && edges.every(e => segment(p, e.renderedSourceEndpoint(), e.renderedTargetEndpoint()) > 12);
        const ts = [0.5, 0.4, 0.6, 0.3, 0.7, 0.25, 0.75, 0.2, 0.8, 0.15, 0.85];
        const straight = ts.map(t => ({{x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y)}}));
        const curved = ele.parallelEdges().length > 1;
        return [m, ...(curved ? [] : straight)].find(clear) || m;
    }}""")
    assert point is not None, selector_js
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


# ------------------------------------------------------------------------------------------------ a graph of 200+
@dataclass(frozen=True)
class World:
    sample: Sample
    hub: Entity
    people: list[Entity]
    hub_facts: list[Fact]


HUB_PREDICATES = ("JOINED", "WORKS_FOR", "LEFT", "HIRED_FROM")


def write_world(graph: GraphConnection) -> World:
    """The sample graph, a hub with 200 people (four predicates, dates from 2019 to 2024, a few reported or
    planned, some facts with two sources), a chain from Société Générale to the hub, and three "micro" companies."""
    sample = write_sample(graph)
    hub = Entity.named("Hub Corp", "Organization", kind="company")
    people = [Entity.named(f"Person Number {i:03d}", "Person") for i in range(200)]
    sentences, facts = [], []
    for i, person in enumerate(people):
        sentence = f"Person Number {i:03d} and Hub Corp, story {i}."
        sentences.append(sentence)
        modality = "reported" if i % 10 == 0 else "planned" if i % 10 == 5 else "asserted"
        date = f"{2019 + i % 6}-{1 + i % 12:02d}"
        facts.append((person, HUB_PREDICATES[i % 4], hub, Qualifiers(date=date, modality=modality), sentence))
    first = Article(id="world-1", text=" ".join(sentences), title="Hub Corp people", published="2024-02-01",
                    url="https://news.example.org/hub", lang="en")
    bridge = "Person Number 000 had been hired from DeepMind."
    second_text = " ".join(sentences[::20]) + " " + bridge
    second = Article(id="world-2", text=second_text, title="Hub Corp, again", published="2024-03-01",
                     url="https://other.example.org/hub", lang="en")
    hub_facts, again = [], []
    for person, predicate, obj, qualifiers, sentence in facts:
        hub_facts.append(Fact(person, predicate, obj, qualifiers, [_evidence(first, sentence)]))
        if sentence in second_text:  # the same fact, told again by the second article
            again.append(Fact(person, predicate, obj, qualifiers, [_evidence(second, sentence)]))
    writer = GraphWriter(graph, extractor_version="test")
    writer.write(ArticleExtraction(first, [hub, *people], hub_facts))
    link = Fact(people[0], "HIRED_FROM", sample.deepmind, Qualifiers(date="2018"), [_evidence(second, bridge)])
    writer.write(ArticleExtraction(second, [hub, *people[::20], sample.deepmind], [*again, link]))
    micro = [Entity.named(n, "Organization", kind="company") for n in ("Trend Micro", "Micro Focus", "Microsoft")]
    text = ("Trend Micro partnered with Alphabet. Trend Micro partnered with DeepMind. Trend Micro partnered with "
            "xAI. Micro Focus partnered with Alphabet. Micro Focus partnered with xAI. Microsoft partnered with "
            "Alphabet.")
    third = Article(id="world-3", text=text, title="Partners", published="2024-05-02", url=None, lang="en")
    partners = {"Trend Micro": ("Alphabet", "DeepMind", "xAI"), "Micro Focus": ("Alphabet", "xAI"),
                "Microsoft": ("Alphabet",)}
    by_name = {e.name: e for e in (sample.alphabet, sample.deepmind, sample.xai)}
    micro_facts = [Fact(m, "PARTNERED_WITH", by_name[o], Qualifiers(),
                        [_evidence(third, f"{m.name} partnered with {o}.")]) for m in micro for o in partners[m.name]]
    writer.write(ArticleExtraction(third, [*micro, *by_name.values()], micro_facts))
    return World(sample, hub, people, hub_facts)


def _evidence(article: Article, sentence: str) -> Evidence:
    start = article.text.index(sentence)
    return Evidence(article.id, sentence, start, start + len(sentence), "rule:test.hand-built", 0.7)


def open_on(page: Page, base: str, query: str = "", nodes: int = 1) -> None:
    page.goto(f"{base}/explore{query}")
    page.wait_for_function(f"window.explorer.cy.nodes().length >= {nodes}", timeout=60_000)
    page.wait_for_load_state("networkidle")


def visible_edges(page: Page) -> list[dict]:
    return page.evaluate("window.explorer.cy.edges().filter(e => e.visible()).map(e => e.data())")


def visible_node_ids(page: Page) -> list[str]:
    return sorted(page.evaluate("window.explorer.cy.nodes().filter(n => n.visible()).map(n => n.id())"))


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


# ------------------------------------------------------------------------------------------------ the tests
def test_search_expand_click_edge_and_read_evidence(graph, live_api, browser_page):
    sample = write_sample(graph)
    page, outside, errors = browser_page
    page.goto(live_api + "/explore")
    assert page.title().startswith("Tech industry knowledge graph")
    assert page.locator("#legend").inner_text().split()[:5] == ["Person", "Organization", "Product", "Document",
                                                                 "reported"]

    page.fill("#search", "deepm")
    page.locator("#results li[data-id]", has_text="DeepMind").click()
    page.wait_for_function("window.explorer.cy.nodes().length === 4")
    names = sorted(page.evaluate("window.explorer.cy.nodes().map(n => n.data('name'))"))
    assert names == ["Alphabet", "DeepMind", "Igor Babuschkin", "Société Générale"]
    page.wait_for_function("document.querySelectorAll('#timeline li[data-fact-id]').length === 3")
    timeline = page.locator("#timeline li").all_inner_texts()
    assert timeline[0].startswith("2021") and "invested in" in timeline[0] and "reported" in timeline[0]
    assert timeline[1].startswith("March 2023") and "Igor Babuschkin" in timeline[1]
    assert timeline[2].startswith("≈ Apr 14, 2023") and "subsidiary of" in timeline[2]

    # click Babuschkin's node: it expands (xAI appears) and the panel switches to him
    click_element(page, f"window.explorer.cy.getElementById('{sample.babuschkin.id}')")
    page.wait_for_function(f"window.explorer.cy.getElementById('{sample.xai.id}').nonempty()")
    page.wait_for_function("document.querySelector('#timeline-entity').textContent.includes('Igor Babuschkin')")
    page.wait_for_function("document.querySelector('#details h2').textContent.includes('Igor Babuschkin')")

    # click the HIRED_FROM edge: its qualifiers and evidence, with the article's title, date, site and a link
    click_element(page, f"window.explorer.cy.getElementById('fact:{sample.hired.id}')")
    page.wait_for_selector("#details ol.evidence li")
    details = page.locator("#details")
    assert "hired from" in details.locator("h2").inner_text()
    assert "March 2023" in details.locator("table.qualifiers").inner_text()
    sentence = "Igor Babuschkin left DeepMind to join xAI in March 2023."
    assert details.locator("blockquote").first.inner_text() == sentence
    link = details.locator("ol.evidence a").first
    assert link.inner_text() == "xAI hires from DeepMind" and link.get_attribute("href") == "https://example.org/news/a1"
    assert "Apr 14, 2023" in details.locator(".source").first.inner_text()
    assert "example.org" in details.locator(".source").first.inner_text()
    # extraction internals are behind a "details" toggle
    internals = details.locator("ol.evidence details.internals").first
    assert not internals.locator("dd").first.is_visible()
    internals.locator("summary").click()
    assert internals.locator("dd").first.inner_text() == "test:hand-built"

    # the reader view: the stored article, the sentence marked
    details.locator("ol.evidence button", has_text="Read here").first.click()
    page.wait_for_selector("#reader mark")
    assert page.locator("#reader mark").inner_text() == sentence
    assert "DeepMind is the AI research arm of Alphabet." in page.locator("#reader-text").inner_text()
    shot(page, "explorer-reader.png")
    page.keyboard.press("Escape")

    # amounts formatted for the reader's language, never raw
    page.evaluate(f"window.explorer.showFact('{sample.invested.id}')")
    page.wait_for_function("document.querySelector('#details table.qualifiers')")
    qualifiers = page.locator("#details table.qualifiers").inner_text()
    assert "€10M" in qualifiers and "10000000" not in qualifiers
    page.evaluate(f"window.explorer.showFact('{sample.hired.id}')")
    page.wait_for_selector("#details ol.evidence li")
    shot(page, "explorer.png")
    assert outside == [] and errors == []


def test_search_ranks_exact_and_prefix_matches_first_then_by_facts(graph, live_api, browser_page):
    write_world(graph)
    page, outside, errors = browser_page
    page.goto(live_api + "/explore")
    page.fill("#search", "micro")
    page.wait_for_selector("#results li[data-id]")
    names = page.locator("#results li[data-id] .name").all_inner_texts()
    # the prefixes first (2 facts, then 1), then Trend Micro (3 facts)
    assert names == ["Micro Focus", "Microsoft", "Trend Micro"]
    page.fill("#search", "microsoft")
    page.wait_for_function("document.querySelector('#results .name').textContent === 'Microsoft'")
    assert outside == [] and errors == []


def test_an_unknown_entity_gets_a_sentence_for_people_not_api_text(live_api, browser_page):
    page, outside, errors = browser_page
    page.goto(live_api + "/explore?e=organization:no-such-company")
    page.wait_for_function("document.querySelector('#status').textContent.length > 0 && "
                           "!document.querySelector('#status').textContent.includes('Loading')")
    status = page.locator("#status").inner_text()
    assert status == "This entity is not in the graph. Search for it by name."
    assert "GET" not in status and "/v1" not in status
    assert outside == []


def test_two_hundred_nodes_stay_readable(graph, live_api, browser_page):
    world = write_world(graph)
    page, outside, errors = browser_page
    open_on(page, live_api, f"?e={world.hub.id}&limit=200", nodes=201)
    page.evaluate("window.explorer.declutterLabels()")
    layout = page.evaluate("""() => {
        const cy = window.explorer.cy;
        const ps = cy.nodes().map(n => n.renderedPosition());
        let close = 0;
        for (let i = 0; i < ps.length; i++) for (let j = i + 1; j < ps.length; j++)
            if (Math.hypot(ps[i].x - ps[j].x, ps[i].y - ps[j].y) < 4) close++;
        const boxes = cy.nodes('.nolabel').length;
        const labels = cy.nodes().filter(n => !n.hasClass('nolabel'))
            .map(n => n.boundingBox({includeNodes: false, includeEdges: false, includeLabels: true}));
        let overlaps = 0;
        for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) {
            const a = labels[i], b = labels[j];
            if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) overlaps++;
        }
        const bb = cy.elements().renderedBoundingBox();
        const hub = cy.nodes().max(n => n.data('degree')).ele;
        return {n: ps.length, close, overlaps, shown: labels.length, hidden: boxes, w: bb.w, h: bb.h,
                width: cy.width(), height: cy.height(), hubSize: hub.width(), hub: hub.data('name'),
                personSize: cy.nodes('[type = "Person"]')[0].width()};
    }""")
    assert layout["n"] >= 201 and layout["close"] == 0
    assert layout["overlaps"] == 0 and layout["shown"] >= 15  # labels never overlap; the best connected are shown
    assert layout["w"] <= layout["width"] + 2 and layout["h"] <= layout["height"] + 2
    assert layout["hub"] == "Hub Corp" and layout["hubSize"] > 2 * layout["personSize"]  # size by number of facts
    shot(page, "explorer-200-nodes.png")
    assert outside == [] and errors == []


def test_expanding_keeps_what_is_placed_in_place(graph, live_api, browser_page):
    world = write_world(graph)
    page, outside, errors = browser_page
    open_on(page, live_api, f"?e={world.hub.id}&limit=200", nodes=201)
    before = page.evaluate("Object.fromEntries(window.explorer.cy.nodes().map(n => [n.id(), n.renderedPosition()]))")
    person = world.people[0].id
    click_element(page, f"window.explorer.cy.getElementById('{person}')")
    page.wait_for_function(f"window.explorer.cy.getElementById('{world.sample.deepmind.id}').nonempty()")
    page.wait_for_function(f"window.explorer.state.expanded.includes('{person}')")
    page.evaluate(f"window.explorer.expand('{world.sample.deepmind.id}')")
    page.wait_for_function(f"window.explorer.cy.getElementById('{world.sample.socgen.id}').nonempty()")
    after = page.evaluate("Object.fromEntries(window.explorer.cy.nodes().map(n => [n.id(), n.renderedPosition()]))")
    assert len(after) > len(before)
    moved = max(abs(after[k]["x"] - p["x"]) + abs(after[k]["y"] - p["y"]) for k, p in before.items())
    assert moved < 3, f"a placed node moved {moved:.1f} px"
    # the new nodes sit next to the node they came from, when there is room around it (DeepMind, outside the star)
    dist = page.evaluate(f"""() => {{
        const cy = window.explorer.cy, d = cy.getElementById('{world.sample.deepmind.id}'), p = d.position();
        return d.neighborhood('node').filter(n => !n.same(cy.getElementById('{person}')))
            .map(n => Math.hypot(n.position().x - p.x, n.position().y - p.y));
    }}""")
    assert len(dist) >= 4 and max(dist) < 240
    shot(page, "explorer-expanded.png")
    assert outside == [] and errors == []


def test_filters_and_the_time_slider_change_what_is_drawn(graph, live_api, browser_page):
    world = write_world(graph)
    page, outside, errors = browser_page
    open_on(page, live_api, f"?e={world.hub.id}&limit=200", nodes=201)
    everything = visible_edges(page)
    assert {e["predicate"] for e in everything} >= set(HUB_PREDICATES)

    page.locator("#predicate-filter input[data-predicate=LEFT]").uncheck()
    edges = visible_edges(page)
    assert edges and all(e["predicate"] != "LEFT" for e in edges)
    assert len(edges) == len(everything) - sum(e["predicate"] == "LEFT" for e in everything)
    assert len(visible_node_ids(page)) == 201 - 50  # the people who only left are no longer drawn

    page.locator("#modality-filter input[data-modality=reported]").uncheck()
    assert all(e["modality"] != "reported" for e in visible_edges(page))
    page.fill("#date-from", "2021")
    page.fill("#date-to", "2022-06")
    edges = visible_edges(page)
    assert edges and all("2021" <= e["date"][:7] <= "2022-06" for e in edges)
    shot(page, "explorer-filtered.png")
    page.locator("#modality-filter input[data-modality=reported]").check()
    page.fill("#date-from", "")
    page.fill("#date-to", "")
    page.fill("#min-evidence", "2")
    edges = visible_edges(page)
    assert len(edges) == 10 and all(e["evidenceCount"] >= 2 for e in edges)  # told by both articles
    page.click("#reset-filters")
    assert len(visible_edges(page)) == len(everything)

    # the time slider: the graph as of a date
    slider = page.locator("#asof")
    steps = int(slider.get_attribute("max"))
    assert steps > 10
    slider.focus()
    page.keyboard.press("Home")
    for _ in range(steps // 3):
        page.keyboard.press("ArrowRight")
    as_of = page.evaluate("window.explorer.state.asOf")
    edges = visible_edges(page)
    assert as_of and 0 < len(edges) < len(everything)
    assert all(e["date"][:len(as_of)] <= as_of for e in edges)
    assert page.locator("#asof-label").inner_text().startswith("up to ")
    shot(page, "explorer-time.png")
    page.keyboard.press("End")
    assert len(visible_edges(page)) == len(everything)
    assert outside == [] and errors == []


def test_a_path_is_found_and_shown_with_each_hops_evidence(graph, live_api, browser_page):
    world = write_world(graph)
    page, outside, errors = browser_page
    open_on(page, live_api, f"?e={world.sample.socgen.id}", nodes=2)
    page.click("#paths-box summary")
    page.fill("#path-from", "Société Générale")
    page.fill("#path-to", "Hub Corp")
    page.click("#path-form button[type=submit]")
    page.wait_for_selector("#path-results .path-card")
    card = page.locator("#path-results .path-card").first
    hops = card.locator("ol.hops > li")
    assert hops.count() == 3
    text = card.inner_text()
    assert "invested in" in text and "hired from" in text and "Hub Corp" in text
    assert card.locator("blockquote").count() == 3  # each hop's evidence sentence
    assert "Person Number 000 had been hired from DeepMind." in text
    on_path = page.evaluate("window.explorer.cy.edges('.path').filter(e => e.visible()).length")
    assert on_path == 3
    # a hop opens its fact in the panel
    card.locator("ol.hops button").first.click()
    page.wait_for_selector("#details ol.evidence li")
    assert "invested in" in page.locator("#details h2").inner_text()
    shot(page, "explorer-path.png")
    assert outside == [] and errors == []


def test_exports_and_a_link_that_restores_the_view(graph, live_api, browser_page):
    world = write_world(graph)
    page, outside, errors = browser_page
    open_on(page, live_api, f"?e={world.hub.id}&limit=200", nodes=201)
    page.locator("#predicate-filter input[data-predicate=WORKS_FOR]").uncheck()
    page.fill("#date-from", "2019")
    click_element(page, f"window.explorer.cy.getElementById('{world.people[0].id}')")
    page.wait_for_function(f"window.explorer.cy.getElementById('{world.sample.deepmind.id}').nonempty()")
    page.wait_for_function(f"window.explorer.state.expanded.includes('{world.people[0].id}')")
    page.evaluate(f"window.explorer.cy.getElementById('{world.people[1].id}').select()")
    page.click("#hide")
    page.evaluate(f"window.explorer.cy.getElementById('{world.people[2].id}').select()")
    page.click("#pin")
    fact = world.hub_facts[4]
    page.evaluate(f"window.explorer.showFact('{fact.id}')")
    page.wait_for_selector("#details ol.evidence li")

    with page.expect_download() as png:
        page.click("#export-png")
    data = Path(png.value.path()).read_bytes()
    assert png.value.suggested_filename == "techgraph.png" and data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    with page.expect_download() as csv_download:
        page.click("#export-csv")
    rows = list(csv.reader(Path(csv_download.value.path()).read_text(encoding="utf-8").splitlines()))
    assert rows[0][:4] == ["subject", "predicate", "object", "date"]
    drawn = visible_edges(page)
    assert len(rows) - 1 == len(drawn) and {r[-1] for r in rows[1:]} == {e["factId"] for e in drawn}
    assert all(r[1] != "WORKS_FOR" and r[3] >= "2019" for r in rows[1:])

    url = page.url
    view = {"nodes": visible_node_ids(page), "edges": sorted(e["id"] for e in drawn)}
    fresh = page.context.browser.new_page(viewport={"width": 1400, "height": 900})
    fresh.route("**/*", lambda r: r.continue_() if r.request.url.startswith(live_api) else r.abort())
    fresh.goto(url)
    fresh.wait_for_function(f"window.explorer.cy.getElementById('{world.sample.deepmind.id}').nonempty()",
                            timeout=60_000)
    fresh.wait_for_function(f"document.querySelector('#details').dataset.factId === '{fact.id}' && "
                            "document.querySelector('#details ol.evidence li')")
    assert visible_node_ids(fresh) == view["nodes"]
    assert sorted(e["id"] for e in visible_edges(fresh)) == view["edges"]
    assert not fresh.locator("#predicate-filter input[data-predicate=WORKS_FOR]").is_checked()
    assert fresh.input_value("#date-from") == "2019"
    assert fresh.evaluate(f"window.explorer.cy.getElementById('{world.people[2].id}').locked()")
    assert outside == [] and errors == []


def test_the_panel_shows_the_clicked_edge_every_time(graph, live_api, browser_page):
    world = write_world(graph)
    page, outside, errors = browser_page
    open_on(page, live_api, f"?e={world.sample.deepmind.id}", nodes=5)
    page.evaluate("window.explorer.cy.fit(undefined, 60)")
    edges = page.evaluate("window.explorer.cy.edges().map(e => e.data('factId'))")
    nodes = page.evaluate("window.explorer.cy.nodes().map(n => n.id())")
    assert len(edges) >= 4
    for i, fact_id in enumerate(edges * 2):
        # a node, then an edge right after it (before the node's details arrive): the edge wins
        click_element(page, f"window.explorer.cy.getElementById('{nodes[i % len(nodes)]}')")
        click_element(page, f"window.explorer.cy.getElementById('fact:{fact_id}')")
        page.wait_for_function(f"document.querySelector('#details').dataset.factId === '{fact_id}' && "
                               "document.querySelector('#details ol.evidence li') !== null")
        page.wait_for_load_state("networkidle")
        assert page.locator("#details").get_attribute("data-fact-id") == fact_id
        assert page.locator("#details ol.evidence li").count() >= 1
    assert outside == [] and errors == []


def test_the_page_works_at_400_pixels(graph, live_api, browser_page):
    world = write_world(graph)
    page, outside, errors = browser_page
    page.set_viewport_size({"width": 400, "height": 800})
    open_on(page, live_api, f"?e={world.sample.deepmind.id}", nodes=5)
    page.wait_for_function("!document.body.classList.contains('drawer-open')")
    fits = page.evaluate("""() => {
        const out = [...document.querySelectorAll('header *, #toolbar *')].filter(e => e.getClientRects().length)
            .filter(e => { const r = e.getBoundingClientRect(); return r.right > innerWidth + 1 || r.left < -1; });
        return {scroll: document.documentElement.scrollWidth, outside: out.map(e => e.id || e.tagName)};
    }""")
    assert fits["scroll"] <= 400 and fits["outside"] == []
    assert not page.locator("#panel").is_visible()  # the graph has the screen
    assert page.locator("#cy").bounding_box()["width"] >= 398
    shot(page, "explorer-400px.png")
    edge = page.evaluate("window.explorer.cy.edges()[0].data('factId')")
    click_element(page, f"window.explorer.cy.getElementById('fact:{edge}')")
    page.wait_for_selector("#details ol.evidence li")
    assert page.locator("#panel").is_visible()  # a drawer over the graph
    assert page.locator("#panel").bounding_box()["width"] <= 400.5  # sub-pixel layout
    shot(page, "explorer-400px-drawer.png")
    page.click("#panel-close")
    page.wait_for_function("getComputedStyle(document.querySelector('#panel')).visibility === 'hidden'")
    page.click("#panel-toggle")
    assert page.locator("#panel").is_visible()
    assert outside == [] and errors == []


def test_keyboard_only(graph, live_api, browser_page):
    world = write_world(graph)
    page, outside, errors = browser_page
    page.goto(live_api + "/explore")
    page.keyboard.type("deepmi")  # the search box has the focus
    page.wait_for_selector("#results li[data-id]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_function(f"window.explorer.cy.getElementById('{world.sample.deepmind.id}').hasClass('expanded')")
    for _ in range(40):  # Tab until the graph has the focus
        if page.evaluate("document.activeElement.id") == "cy":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "cy"
    page.keyboard.press("ArrowRight")
    cursor = page.evaluate("window.explorer.cy.nodes('.kbd').map(n => n.id())")
    assert len(cursor) == 1
    page.keyboard.press("ArrowRight")
    cursor = page.evaluate("window.explorer.cy.nodes('.kbd')[0].data('name')")
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.querySelector('#details h2').textContent.includes({cursor!r})")
    page.keyboard.press("h")
    assert page.evaluate("window.explorer.state.hidden.size") == 1
    assert outside == [] and errors == []


def _axe(page: Page) -> list[dict]:
    page.add_script_tag(url="/static/vendor/axe.min.js")
    return page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}));
    }""")


def test_axe_finds_no_serious_or_critical_violation(graph, live_api, browser_page):
    world = write_world(graph)
    page, outside, errors = browser_page
    open_on(page, live_api, f"?e={world.sample.deepmind.id}", nodes=5)
    page.evaluate(f"window.explorer.showFact('{world.sample.invested.id}')")
    page.wait_for_selector("#details ol.evidence li")
    page.click("#paths-box summary")
    page.fill("#search", "micro")
    page.wait_for_selector("#results li[data-id]")
    wide = [v for v in _axe(page) if v["impact"] in ("serious", "critical")]
    page.set_viewport_size({"width": 400, "height": 800})
    page.click("#panel-toggle")
    narrow = [v for v in _axe(page) if v["impact"] in ("serious", "critical")]
    assert wide == [] and narrow == []
    assert outside == [] and errors == []


def test_vendored_libraries_are_the_locked_versions():
    """The committed builds of Cytoscape.js, Swagger UI and axe-core are the ones the npm lock file pins (rebuild:
    cd api/explorer && npm ci && npm run build), so a fresh clone needs no npm and the two cannot drift apart."""
    import json

    root = Path(__file__).resolve().parents[1]
    lock = json.loads((root / "api/explorer/package-lock.json").read_text())
    for package, built in (("cytoscape", "cytoscape.min.js"), ("swagger-ui-dist", "swagger-ui-bundle.js"),
                           ("axe-core", "axe.min.js")):
        version = lock["packages"][f"node_modules/{package}"]["version"]
        assert f'"{version}"' in (root / "api/static/vendor" / built).read_text(), package
    html = (root / "api/static/explore.html").read_text()
    assert "/static/vendor/cytoscape.min.js" in html and "http" not in html.replace("http-equiv", "")


def test_api_docs_render_offline(live_api, browser_page):
    page, outside, errors = browser_page
    page.goto(live_api + "/docs")
    page.wait_for_selector(".opblock", timeout=30_000)
    summaries = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/v1/entities/{entity_id}/timeline" in s.replace("\u200b", "") for s in summaries)
    assert outside == [] and errors == []
