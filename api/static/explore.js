/* The explorer: search an entity, see its neighbourhood, click a node to expand it (and read its timeline),
   click an edge to read the fact's qualifiers and evidence. Talks only to the API (/v1), never to Neo4j.
   Every piece of text from the graph is inserted with textContent, never as HTML. */
(function () {
  "use strict";

  const API = "/v1";
  const TYPE_COLOURS = {
    Person: "#4e79a7", Organization: "#f28e2b", Product: "#59a14f", Document: "#b07aa1", Entity: "#9aa5b1",
  };
  const QUALIFIER_LABELS = {
    date: "date", quantity: "quantity", approximate: "approximate", amount: "amount", currency: "currency",
    role: "role", status: "status", modality: "modality", reportedBy: "reported by", vendor: "vendor", round: "round",
  };

  const $ = (sel) => document.querySelector(sel);
  const statusEl = $("#status");
  const resultsEl = $("#results");
  const searchEl = $("#search");
  const detailsEl = $("#details");
  const timelineEl = $("#timeline");
  const moreEl = $("#timeline-more");

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key === "dataset") Object.assign(node.dataset, value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function safeUrl(url) {
    try {
      const parsed = new URL(url, window.location.href);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) { return null; }
  }

  function setStatus(text, isError) {
    statusEl.textContent = text || "";
    statusEl.classList.toggle("error", Boolean(isError));
  }

  async function getJSON(path) {
    const response = await fetch(API + path, { headers: { Accept: "application/json" } });
    let body = null;
    try { body = await response.json(); } catch (e) { /* not JSON */ }
    if (!response.ok) {
      throw new Error((body && (body.detail || body.title)) || `${response.status} ${response.statusText}`);
    }
    return body;
  }

  const enc = encodeURIComponent;

  // ------------------------------------------------------------------------------------------ the graph view
  const cy = cytoscape({
    container: $("#cy"),
    minZoom: 0.1,
    maxZoom: 4,
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: {
          "background-color": (n) => TYPE_COLOURS[n.data("type")] || TYPE_COLOURS.Entity,
          "label": "data(name)", "font-size": 11, "min-zoomed-font-size": 7, "color": "#1f2933",
          "text-valign": "bottom", "text-margin-y": 3, "text-wrap": "ellipsis", "text-max-width": 120,
          "text-outline-color": "#fff", "text-outline-width": 2,
          "width": "mapData(degree, 0, 40, 16, 44)", "height": "mapData(degree, 0, 40, 16, 44)",
          "border-width": 1, "border-color": "#fff" } },
      { selector: "node.expanded", style: { "border-width": 3, "border-color": "#1f2933" } },
      { selector: "node.centre", style: { "border-width": 4, "border-color": "#d64545" } },
      { selector: "node:selected", style: { "overlay-color": "#0b69a3", "overlay-opacity": 0.18, "overlay-padding": 6 } },
      { selector: "edge", style: {
          "width": "mapData(evidenceCount, 1, 5, 1.5, 4)", "line-color": "#9aa5b1", "target-arrow-color": "#9aa5b1",
          "target-arrow-shape": "triangle", "curve-style": "bezier", "arrow-scale": 0.8,
          "label": "data(label)", "font-size": 8, "min-zoomed-font-size": 9, "color": "#52606d",
          "text-rotation": "autorotate", "text-background-color": "#fff", "text-background-opacity": 0.85,
          "text-background-padding": 1 } },
      { selector: "edge[modality = 'reported']", style: { "line-style": "dashed" } },
      { selector: "edge[modality = 'denied']", style: { "line-style": "dotted", "line-color": "#e12d39" } },
      { selector: "edge:selected", style: { "line-color": "#0b69a3", "target-arrow-color": "#0b69a3", "width": 4 } },
      { selector: ".faded", style: { "opacity": 0.25 } },
    ],
  });

  function renderLegend() {
    const legend = $("#legend");
    legend.replaceChildren(
      ...Object.entries(TYPE_COLOURS).filter(([t]) => t !== "Entity").map(([type, colour]) =>
        el("div", { dataset: { type } }, el("span", { class: "swatch", style: `background:${colour}` }), type)),
      el("div", {}, el("span", { class: "swatch", style: "background:none;border:2px dashed #9aa5b1;border-radius:0;height:0" }),
        "reported"),
    );
  }

  function addSubgraph(data) {
    const added = [];
    for (const node of data.nodes) {
      const existing = cy.getElementById(node.id);
      if (existing.nonempty()) { existing.data("degree", node.degree); continue; }
      added.push({ group: "nodes", data: { id: node.id, name: node.name, type: node.type, kind: node.kind,
                                           degree: node.degree } });
    }
    for (const edge of data.edges) {
      if (cy.getElementById("fact:" + edge.id).nonempty()) continue;
      added.push({ group: "edges", data: {
        id: "fact:" + edge.id, factId: edge.id, source: edge.source, target: edge.target, predicate: edge.predicate,
        // only a date the text gives goes on the edge; a publication date is shown in the panels, marked as such
        label: edge.predicate + (edge.dated && edge.date ? ` (${edge.date})` : ""), date: edge.date, modality: edge.modality,
        evidenceCount: Math.max(1, edge.evidenceCount) } });
    }
    return cy.add(added);
  }

  function runLayout(around) {
    const layout = cy.layout({
      name: "cose", animate: false, randomize: false, fit: true, padding: 40, nodeDimensionsIncludeLabels: true,
      nodeRepulsion: () => 9000, idealEdgeLength: () => 90, edgeElasticity: () => 80, numIter: 1200,
      componentSpacing: 60,
    });
    layout.run();
    // small graphs stay whole in view; in a big one, keep the expanded node in the middle
    if (around && around.nonempty() && cy.nodes().length > 120) cy.center(around);
  }

  async function expand(entityId) {
    const depth = Number($("#depth").value) || 1;
    const limit = Number($("#limit").value) || 50;
    setStatus("Loading…");
    try {
      const data = await getJSON(`/graph/neighborhood/${enc(entityId)}?depth=${depth}&limit=${limit}`);
      const node = cy.getElementById(entityId);
      const added = addSubgraph(data);
      const centre = cy.getElementById(entityId);
      if (node.nonempty()) {
        // place the new nodes around the node that was expanded before the layout refines them
        const p = centre.position();
        added.nodes().forEach((n, i) => n.position({ x: p.x + 80 * Math.cos(i), y: p.y + 80 * Math.sin(i) }));
      }
      centre.addClass("expanded");
      runLayout(centre);
      setStatus(`${cy.nodes().length} entities, ${cy.edges().length} facts` + (data.truncated ? " (some left out)" : ""));
    } catch (err) {
      setStatus(err.message, true);
    }
  }

  async function focusEntity(entityId) {
    cy.elements().remove();
    $("#hint").hidden = true;
    await expand(entityId);
    cy.nodes().removeClass("centre");
    cy.getElementById(entityId).addClass("centre").select();
    await showEntity(entityId);
  }

  // ------------------------------------------------------------------------------------------ search
  let searchTimer = null;
  let searchSeq = 0;
  let activeIndex = -1;

  function renderResults(items) {
    activeIndex = -1;
    resultsEl.replaceChildren(...items.map((item) => el("li", {
      role: "option", dataset: { id: item.id },
      onclick: () => { hideResults(); searchEl.value = item.name; focusEntity(item.id); },
    }, el("span", { class: "swatch", style: `background:${TYPE_COLOURS[item.type] || TYPE_COLOURS.Entity}` }),
       el("span", { class: "name" }, item.name), el("span", { class: "badge" }, item.type),
       el("span", { class: "aliases" }, (item.aliases || []).filter((a) => a !== item.name).slice(0, 3).join(" · ")))));
    if (!items.length) resultsEl.replaceChildren(el("li", { class: "empty" }, "No entity matches."));
    resultsEl.hidden = false;
  }

  function hideResults() { resultsEl.hidden = true; }

  async function search(text) {
    const seq = ++searchSeq;
    if (!text.trim()) { hideResults(); return; }
    try {
      const page = await getJSON(`/entities?q=${enc(text)}&limit=12`);
      if (seq === searchSeq) renderResults(page.items);
    } catch (err) {
      setStatus(err.message, true);
    }
  }

  searchEl.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => search(searchEl.value), 180);
  });
  searchEl.addEventListener("keydown", (event) => {
    const options = [...resultsEl.querySelectorAll("li[data-id]")];
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!options.length) return;
      event.preventDefault();
      activeIndex = (activeIndex + (event.key === "ArrowDown" ? 1 : -1) + options.length) % options.length;
      options.forEach((o, i) => o.classList.toggle("active", i === activeIndex));
    } else if (event.key === "Escape") {
      hideResults();
    }
  });
  $("#search-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const options = [...resultsEl.querySelectorAll("li[data-id]")];
    if (options.length && !resultsEl.hidden) { options[Math.max(activeIndex, 0)].click(); return; }
    await search(searchEl.value);
    const first = resultsEl.querySelector("li[data-id]");
    if (first) first.click();
  });
  document.addEventListener("click", (event) => {
    if (!$("#search-form").contains(event.target)) hideResults();
  });

  // ------------------------------------------------------------------------------------------ panels
  function entityButton(entity) {
    return el("button", { type: "button", class: "entity-link", dataset: { id: entity.id },
                          onclick: () => focusEntity(entity.id) }, entity.name);
  }

  async function showEntity(entityId) {
    try {
      const entity = await getJSON(`/entities/${enc(entityId)}`);
      const otherNames = entity.aliases.filter((a) => a !== entity.name);
      const counts = entity.factCounts.map((c) => el("li", {}, `${c.predicate}: ${c.total}`,
        c.asSubject && c.asObject ? ` (${c.asSubject} as subject, ${c.asObject} as object)` : ""));
      detailsEl.replaceChildren(
        el("h2", {}, el("span", { class: "swatch", style: `background:${TYPE_COLOURS[entity.type] || TYPE_COLOURS.Entity}` }),
           " ", entity.name),
        el("p", {}, el("span", { class: "badge" }, entity.type), entity.kind ? [" ", el("span", { class: "badge" }, entity.kind)] : "",
           entity.wikidataId ? [" ", el("a", { href: `https://www.wikidata.org/wiki/${enc(entity.wikidataId)}`, target: "_blank",
                                               rel: "noopener" }, entity.wikidataId)] : ""),
        otherNames.length ? el("p", {}, "Also: ", otherNames.join(" · ")) : "",
        el("h3", {}, `${entity.factTotal} facts`),
        el("ul", {}, counts),
        el("button", { type: "button", class: "link-button", onclick: () => expand(entity.id) }, "Expand in graph"),
      );
      await loadTimeline(entity, null);
    } catch (err) {
      setStatus(err.message, true);
    }
  }

  let timelineState = null;

  async function loadTimeline(entity, cursor) {
    if (!cursor) {
      timelineEl.replaceChildren();
      $("#timeline-entity").textContent = `— ${entity.name}`;
    }
    timelineState = { entity, cursor };
    const page = await getJSON(`/entities/${enc(entity.id)}/timeline?limit=30` + (cursor ? `&cursor=${enc(cursor)}` : ""));
    if (timelineState.entity.id !== entity.id) return;
    for (const item of page.items) {
      const fact = item.fact;
      const approx = fact.placedBy !== "fact_date";
      const when = fact.placedAt || "undated";
      const first = fact.evidence[0];
      timelineEl.append(el("li", { dataset: { factId: fact.id } },
        el("span", { class: "when" + (approx ? " approx" : ""),
                     title: approx ? "No date in the text: placed at its article's publication date" : "Date stated in the text" },
           approx && fact.placedAt ? `≈ ${when}` : when),
        item.role === "subject"
          ? [el("b", {}, fact.predicate), " → ", entityButton(item.counterpart)]
          : [entityButton(item.counterpart), " → ", el("b", {}, fact.predicate), " → ", entity.name],
        fact.modality !== "asserted" ? [" ", el("span", { class: `badge modality-${fact.modality}` }, fact.modality)] : "",
        " ", el("button", { type: "button", class: "evidence-button", title: "Read the fact and its evidence",
                            onclick: () => showFact(fact.id) }, `evidence (${fact.evidenceCount})`),
        first ? el("span", { class: "sentence" }, `“${first.sentence}”`) : ""));
    }
    if (!page.items.length && !cursor) timelineEl.append(el("li", { class: "empty" }, "No facts."));
    moreEl.hidden = !page.nextCursor;
    moreEl.onclick = () => loadTimeline(entity, page.nextCursor);
  }

  async function showFact(factId) {
    try {
      const fact = await getJSON(`/facts/${enc(factId)}`);
      const rows = Object.entries(fact.qualifiers).filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => el("tr", {}, el("th", {}, QUALIFIER_LABELS[k] || k), el("td", {}, String(v))));
      if (fact.placedBy === "evidence_published" && !fact.qualifiers.date) {
        rows.push(el("tr", {}, el("th", {}, "placed at"), el("td", {}, `${fact.placedAt} (publication date, no date in the text)`)));
      }
      detailsEl.replaceChildren(
        el("h2", { class: "fact-title" }, entityButton(fact.subject), ` —${fact.predicate}→ `, entityButton(fact.object)),
        el("table", { class: "qualifiers" }, el("tbody", {}, rows)),
        el("h3", {}, `Evidence (${fact.evidence.length})`),
        el("ol", { class: "evidence" }, fact.evidence.map((ev) => {
          const url = ev.articleUrl && safeUrl(ev.articleUrl);
          const title = ev.articleTitle || ev.articleId;
          return el("li", {},
            el("blockquote", {}, ev.sentence),
            el("div", { class: "source" },
               url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, title) : title,
               ev.published ? ` · ${ev.published.slice(0, 10)}` : "",
               ev.extractor ? ` · ${ev.extractor}` : "",
               typeof ev.confidence === "number" ? ` · confidence ${ev.confidence.toFixed(2)}` : ""));
        })),
      );
      detailsEl.dataset.factId = fact.id;
    } catch (err) {
      setStatus(err.message, true);
    }
  }

  // ------------------------------------------------------------------------------------------ graph events
  cy.on("tap", "node", async (event) => {
    const id = event.target.id();
    cy.nodes().removeClass("centre");
    event.target.addClass("centre");
    if (!event.target.hasClass("expanded")) await expand(id);
    await showEntity(id);
  });
  cy.on("tap", "edge", (event) => showFact(event.target.data("factId")));
  cy.on("mouseover", "node", (event) => {
    const hood = event.target.closedNeighborhood();
    cy.elements().not(hood).addClass("faded");
  });
  cy.on("mouseout", "node", () => cy.elements().removeClass("faded"));

  $("#fit").addEventListener("click", () => cy.fit(undefined, 40));
  $("#relayout").addEventListener("click", () => runLayout());
  $("#clear").addEventListener("click", () => {
    cy.elements().remove();
    detailsEl.replaceChildren(el("p", { class: "empty" }, "Nothing selected."));
    timelineEl.replaceChildren();
    moreEl.hidden = true;
    setStatus("");
  });

  renderLegend();
  window.explorer = { cy, focusEntity, expand, showFact, showEntity };

  const start = new URLSearchParams(window.location.search).get("entity");
  if (start) focusEntity(start);
})();
