"""The explorer page in headless Chromium (Debian's package, driven by Playwright): search, expand, click an
edge, read the evidence, and stay offline. Screenshots go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from api.app import create_app
from api.settings import ApiSettings
from api_graphs import write_sample, write_star
from api_server import serve
from kg.store import connect

pytestmark = pytest.mark.slow  # left out of `make test-fast`

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture
def live_api(graph, neo4j_target) -> Iterator[str]:
    app = create_app(ApiSettings(), connection_factory=lambda: connect(neo4j_target.settings()))
    with serve(app) as base:
        yield base


@pytest.fixture
def browser_page(live_api) -> Iterator[tuple[Page, list[str], list[str]]]:
    """A page on the explorer; returns it with the list of requests that left the app and console errors."""
    outside: list[str] = []
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 900})

        def route(r):
            if r.request.url.startswith(live_api):
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


def click_element(page: Page, selector_js: str) -> None:
    """Click a Cytoscape node or edge where it is drawn on the canvas (a real mouse click)."""
    box = page.locator("#cy").bounding_box()
    point = page.evaluate(f"""() => {{
        const ele = {selector_js};
        if (ele.empty()) return null;
        return ele.isNode() ? ele.renderedPosition() : ele.renderedMidpoint();
    }}""")
    assert point is not None, selector_js
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def test_search_expand_click_edge_and_read_evidence(graph, live_api, browser_page):
    sample = write_sample(graph)
    page, outside, errors = browser_page
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(live_api + "/explore")
    assert page.title().startswith("Tech industry knowledge graph")
    assert page.locator("#legend").inner_text().split() == ["Person", "Organization", "Product", "Document",
                                                             "reported"]

    page.fill("#search", "deepm")
    page.locator("#results li[data-id]", has_text="DeepMind").click()
    page.wait_for_function("window.explorer.cy.nodes().length === 4")
    names = sorted(page.evaluate("window.explorer.cy.nodes().map(n => n.data('name'))"))
    assert names == ["Alphabet", "DeepMind", "Igor Babuschkin", "Société Générale"]
    page.wait_for_function("document.querySelectorAll('#timeline li[data-fact-id]').length === 3")
    timeline = page.locator("#timeline li").all_inner_texts()
    assert timeline[0].startswith("2021") and "INVESTED_IN" in timeline[0] and "reported" in timeline[0]
    assert timeline[1].startswith("2023-03") and "Igor Babuschkin" in timeline[1]
    assert timeline[2].startswith("≈ 2023-04-14") and "SUBSIDIARY_OF" in timeline[2]

    # click Babuschkin's node: it expands (xAI appears) and the timeline switches to him
    click_element(page, f"window.explorer.cy.getElementById('{sample.babuschkin.id}')")
    page.wait_for_function(f"window.explorer.cy.getElementById('{sample.xai.id}').nonempty()")
    page.wait_for_function("document.querySelector('#timeline-entity').textContent.includes('Igor Babuschkin')")
    assert page.locator("#details h2").inner_text().strip() == "Igor Babuschkin"

    # click the HIRED_FROM edge: its qualifiers and evidence, with a link to the article
    click_element(page, f"window.explorer.cy.getElementById('fact:{sample.hired.id}')")
    page.wait_for_selector("#details ol.evidence li")
    details = page.locator("#details")
    assert "HIRED_FROM" in details.locator("h2").inner_text()
    assert "2023-03" in details.locator("table.qualifiers").inner_text()
    sentence = "Igor Babuschkin left DeepMind to join xAI in March 2023."
    assert details.locator("blockquote").first.inner_text() == sentence
    link = details.locator("ol.evidence a").first
    assert link.inner_text() == "xAI hires from DeepMind" and link.get_attribute("href") == "https://example.org/news/a1"

    page.screenshot(path=str(ARTIFACTS / "explorer.png"))
    assert outside == [] and errors == []


def test_two_hundred_nodes_stay_readable(graph, live_api, browser_page):
    hub = write_star(graph, "Hub Corp", 200)
    page, outside, errors = browser_page
    page.goto(f"{live_api}/explore")
    page.select_option("#limit", "200")
    page.evaluate(f"window.explorer.focusEntity('{hub.id}')")
    page.wait_for_function("window.explorer.cy.nodes().length === 201", timeout=60_000)
    assert page.evaluate("window.explorer.cy.edges().length") == 200
    # laid out, not piled up: no two nodes on the same spot, and the whole graph fits the view
    spread = page.evaluate("""() => {
        const ps = window.explorer.cy.nodes().map(n => n.renderedPosition());
        let close = 0;
        for (let i = 0; i < ps.length; i++) for (let j = i + 1; j < ps.length; j++)
            if (Math.hypot(ps[i].x - ps[j].x, ps[i].y - ps[j].y) < 4) close++;
        const bb = window.explorer.cy.elements().renderedBoundingBox();
        return {close, w: bb.w, h: bb.h, width: window.explorer.cy.width(), height: window.explorer.cy.height()};
    }""")
    assert spread["close"] == 0
    assert spread["w"] <= spread["width"] + 2 and spread["h"] <= spread["height"] + 2
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "explorer-200-nodes.png"))
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
