"""Curation in the explorer, in headless Chromium (Debian's package, driven by Playwright) against a real API and a
real Neo4j: without a key no curation control shows, a wrong key shows the API's problem; with the key, merge two
selected entities and split them again, confirm and reject an edge (and see it struck through with "show
rejected"), read an entity's audit trail; the view is read again from the API after each action."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from api_graphs import Sample, write_sample
from api_server import serve
from playwright.sync_api import Page
from pydantic import SecretStr
from test_explorer import _axe, click_element, explorer_browser, open_on, shot

from api.app import create_app
from api.settings import ApiSettings
from kg.model import Article, ArticleExtraction, Entity, Evidence, Fact, Qualifiers
from kg.store import GraphConnection, GraphWriter, connect

pytestmark = pytest.mark.slow  # left out of `make test-fast`

KEY = "explorer-curation-key"
FAILED_LOAD = "Failed to load resource"  # Chromium's console line for an HTTP error answer (the wrong-key test)


@pytest.fixture
def live_api(graph, neo4j_target) -> Iterator[str]:
    del graph  # asked for so that the app starts on an empty graph
    app = create_app(ApiSettings(key=SecretStr(KEY)), connection_factory=lambda: connect(neo4j_target.settings()))
    with serve(app) as base:
        yield base


@pytest.fixture
def browser_page(live_api) -> Iterator[tuple[Page, list[str], list[str]]]:
    """A page on the explorer; returns it with the requests that left the app and the console errors."""
    with explorer_browser(live_api) as opened:
        yield opened


@dataclass(frozen=True)
class Deal:
    sample: Sample
    symantec: Entity
    giant: Entity
    gcs: Entity
    bought_giant: Fact
    bought_gcs: Fact


def write_deal(graph: GraphConnection) -> Deal:
    """The sample graph and one deal told twice: Symantec acquired "Giant" and "Giant Company Software"."""
    sample = write_sample(graph)
    symantec = Entity.named("Symantec", "Organization", kind="company")
    giant = Entity.named("Giant", "Organization", kind="company")
    gcs = Entity.named("Giant Company Software", "Organization", kind="company")
    s1, s2 = "Symantec acquired Giant in 2004.", "Symantec bought Giant Company Software in December 2004."
    a1 = Article(id="deal-1", text=s1, title="Symantec buys Giant", url="https://example.org/deal1",
                 published="2004-12-17", lang="en")
    a2 = Article(id="deal-2", text=s2, title="Giant Company Software sold", url="https://example.org/deal2",
                 published="2004-12-18", lang="en")
    bought_giant = Fact(symantec, "ACQUIRED", giant, Qualifiers(date="2004"), [_evidence(a1, s1)])
    bought_gcs = Fact(symantec, "ACQUIRED", gcs, Qualifiers(date="2004-12"), [_evidence(a2, s2)])
    writer = GraphWriter(graph, extractor_version="test")
    writer.write(ArticleExtraction(a1, [symantec, giant], [bought_giant]))
    writer.write(ArticleExtraction(a2, [symantec, gcs], [bought_gcs]))
    return Deal(sample, symantec, giant, gcs, bought_giant, bought_gcs)


def _evidence(article: Article, sentence: str) -> Evidence:
    return Evidence(article.id, sentence, 0, len(sentence), "rule:test.hand-built", 0.8)


def use_key(page: Page, key: str, who: str = "alice") -> None:
    page.click("#curation-box summary")
    page.fill("#curation-key", key)
    page.fill("#curator", who)
    page.click("#curation-form button[type=submit]")


def curating(page: Page) -> None:
    use_key(page, KEY)
    page.wait_for_function("document.body.classList.contains('curating')")


def node_ids(page: Page) -> list[str]:
    return sorted(page.evaluate("window.explorer.cy.nodes().map(n => n.id())"))


def edge(fact_id: str) -> str:
    return f"window.explorer.cy.getElementById('fact:{fact_id}')"


# ------------------------------------------------------------------------------------------------ the tests
def test_without_a_key_no_control_shows_and_a_wrong_key_shows_the_problem(graph, live_api, browser_page):
    sample = write_sample(graph)
    page, outside, errors = browser_page
    open_on(page, live_api, f"?e={sample.deepmind.id}", nodes=4)
    assert page.locator("#curation-tools").is_hidden()
    click_element(page, edge(sample.invested.id))
    page.wait_for_selector("#details ol.evidence li")
    assert page.locator("#details section.curation").count() == 0
    assert page.locator("#details .reason-form").count() == 0
    page.evaluate(f"window.explorer.showEntity('{sample.deepmind.id}')")
    page.wait_for_selector("#details h3")
    assert page.locator("#details section.curation").count() == 0

    use_key(page, "not-the-key")
    page.wait_for_function("document.querySelector('#curation-message').textContent.length > 0")
    message = page.locator("#curation-message")
    assert "does not hold this server's key" in message.inner_text()
    assert "error" in (message.get_attribute("class") or "")
    assert page.locator("#curation-tools").is_hidden() and page.locator("#details section.curation").count() == 0
    assert page.evaluate("sessionStorage.getItem('kg-curation-key')") == "not-the-key"
    assert page.evaluate("localStorage.length") == 0  # the key is kept for the tab only
    assert outside == [] and [e for e in errors if FAILED_LOAD not in e] == []


def test_merge_two_selected_nodes_then_split_them(graph, live_api, browser_page):
    deal = write_deal(graph)
    page, outside, errors = browser_page
    open_on(page, live_api, f"?e={deal.symantec.id}", nodes=3)
    curating(page)
    assert page.locator("#merge-box").inner_text().startswith("To merge two entities")

    page.keyboard.down("Shift")
    click_element(page, f"window.explorer.cy.getElementById('{deal.giant.id}')")
    click_element(page, f"window.explorer.cy.getElementById('{deal.gcs.id}')")
    page.keyboard.up("Shift")
    page.wait_for_selector("#merge-box input[name=merge-into]")
    page.check(f"#merge-box input[value='{deal.gcs.id}']")
    page.fill("#merge-box input.why", "the same company")
    shot(page, "explorer-curation-merge.png")
    page.click("#merge-submit")

    # the merged node leaves the view; the two deals are one fact on the survivor; the panel shows the survivor
    page.wait_for_function(f"window.explorer.cy.getElementById('{deal.giant.id}').empty()")
    assert node_ids(page) == sorted([deal.symantec.id, deal.gcs.id])
    edges = page.evaluate("window.explorer.cy.edges().map(e => [e.data('source'), e.data('predicate'), "
                          "e.data('target')])")
    assert edges == [[deal.symantec.id, "ACQUIRED", deal.gcs.id]]
    page.wait_for_selector(f"#details ul.merged li[data-merged='{deal.giant.id}']")
    assert "Giant Company Software" in page.locator("#details h2").inner_text()
    page.wait_for_selector("#details ol.audit li[data-action=merge]")
    entry = page.locator("#details ol.audit li[data-action=merge]").inner_text()
    assert "by alice" in entry and "the same company" in entry
    assert "Merged:" in page.locator("#curation-message").inner_text()

    # split it off again: Giant and its own deal are back
    merged = page.locator(f"#details ul.merged li[data-merged='{deal.giant.id}']")
    merged.locator("summary").click()
    merged.locator("input.why").fill("two companies after all")
    merged.locator("button", has_text="Split").click()
    page.wait_for_function(f"window.explorer.cy.getElementById('{deal.giant.id}').nonempty()")
    assert node_ids(page) == sorted([deal.symantec.id, deal.gcs.id, deal.giant.id])
    assert sorted(page.evaluate("window.explorer.cy.edges().map(e => e.data('factId'))")) == sorted(
        [deal.bought_giant.id, deal.bought_gcs.id])
    page.wait_for_selector("#details ol.audit li[data-action=split]")
    assert page.locator("#details ol.audit li").all_inner_texts()[0].find("two companies after all") > 0
    assert page.locator("#details ul.merged li").count() == 0
    assert outside == [] and errors == []


def test_confirm_and_reject_an_edge_and_read_the_audit_trail(graph, live_api, browser_page):
    sample = write_sample(graph)
    page, outside, errors = browser_page
    open_on(page, live_api, f"?e={sample.deepmind.id}", nodes=4)
    curating(page)

    click_element(page, edge(sample.invested.id))
    page.wait_for_selector("#details .reason-form")
    page.fill("#details .reason-form input.why", "checked with the bank")
    page.click("#details .reason-form button[value=Confirm]")
    page.wait_for_selector("#details .badge.confirmed")
    page.wait_for_function(f"{edge(sample.invested.id)}.hasClass('confirmed')")
    assert page.locator("#details .reason-form button[value=Confirm]").count() == 0  # confirmed already

    click_element(page, edge(sample.hired.id))
    page.wait_for_function(f"document.querySelector('#details').dataset.factId === '{sample.hired.id}'")
    page.wait_for_selector("#details .reason-form")
    page.fill("#details .reason-form input.why", "misread sentence")
    page.click("#details .reason-form button[value=Reject]")
    page.wait_for_function(f"{edge(sample.hired.id)}.empty()")
    assert page.evaluate(f"{edge(sample.invested.id)}.hasClass('confirmed')")

    # "show rejected": the rejected edge comes back struck through, and its panel says so
    page.check("#show-rejected")
    page.wait_for_function(f"{edge(sample.hired.id)}.hasClass('rejected')")
    shot(page, "explorer-curation-rejected.png")
    click_element(page, edge(sample.hired.id))
    page.wait_for_selector("#details .badge.rejected")
    assert page.locator("#details .fact-title del").count() == 1
    page.uncheck("#show-rejected")
    page.wait_for_function(f"{edge(sample.hired.id)}.empty()")

    # the audit trail of DeepMind: both verdicts, newest first, with who and why
    page.evaluate(f"window.explorer.showEntity('{sample.deepmind.id}')")
    page.wait_for_selector("#details ol.audit li[data-action]")
    page.wait_for_function("document.querySelectorAll('#details ol.audit li[data-action]').length === 2")
    actions = page.eval_on_selector_all("#details ol.audit li", "lis => lis.map(li => li.dataset.action)")
    assert actions == ["reject", "confirm"]
    trail = page.locator("#details ol.audit").inner_text()
    assert "misread sentence" in trail and "checked with the bank" in trail and "by alice" in trail
    assert [v for v in _axe(page) if v["impact"] in ("serious", "critical")] == []  # with every curation control
    assert outside == [] and errors == []


def test_curation_by_keyboard_only(graph, live_api, browser_page):
    """Key, selection of two entities (Space on the graph cursor), survivor, reason and Merge: no mouse."""
    deal = write_deal(graph)
    page, outside, errors = browser_page
    open_on(page, live_api, f"?e={deal.symantec.id}", nodes=3)
    page.focus("#curation-box summary")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.type(KEY)
    page.keyboard.press("Tab")
    page.keyboard.type("bob")
    page.keyboard.press("Enter")
    page.wait_for_function("document.body.classList.contains('curating')")

    page.focus("#cy")
    chosen: set[str] = set()
    giants = {deal.giant.id, deal.gcs.id}
    for key in ["ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp"] * 3:  # move the cursor; Space selects a Giant
        page.keyboard.press(key)
        here = page.evaluate("window.explorer.cy.nodes('.kbd')[0].id()")
        if here in giants - chosen:
            page.keyboard.press(" ")
            chosen.add(here)
        if chosen == giants:
            break
    assert len(chosen) == 2, chosen
    page.wait_for_selector("#merge-box input[name=merge-into]")
    page.focus("#merge-box input[name=merge-into]")
    page.keyboard.press("Tab")
    page.keyboard.type("same deal")
    page.keyboard.press("Enter")
    page.wait_for_function("window.explorer.cy.nodes().length === 2")
    assert outside == [] and errors == []
