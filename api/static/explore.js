/* The explorer: search an entity, see its neighbourhood, expand it node by node without the view jumping, filter
   what is drawn (kinds of fact, how they are stated, dates, number of sources), replay time with a slider, find
   paths between two entities, pin, hide, focus, export, and share the view as a link. Talks only to the API (/v1),
   never to Neo4j. Every piece of text from the graph is inserted with textContent, never as HTML. */
(function () {
  "use strict";

  const API = "/v1";
  const LOCALE = navigator.language || "en";
  const TYPE_COLOURS = {
    Person: "#4e79a7", Organization: "#f28e2b", Product: "#59a14f", Document: "#b07aa1", Entity: "#9aa5b1",
  };
  const MODALITIES = ["asserted", "reported", "planned", "denied"];
  const MODALITY_TEXT = { asserted: "stated as fact", reported: "reported (attributed)", planned: "planned",
                          denied: "denied" };
  const QUALIFIER_LABELS = {
    date: "date", quantity: "how many", approximate: "approximate", amount: "amount", currency: "currency",
    role: "role", status: "deal status", modality: "stated as", reportedBy: "reported by", vendor: "vendor",
    round: "round",
  };
  const MIN_GAP = 54;        // model units between the centres of two placed nodes
  const RING_STEP = 64;      // distance between the rings new nodes are placed on
  const EDGE_LABELS_UP_TO = 60; // more edges than this in view: edge labels only on the selected or hovered ones

  const $ = (sel) => document.querySelector(sel);
  const statusEl = $("#status");
  const resultsEl = $("#results");
  const searchEl = $("#search");
  const detailsEl = $("#details");
  const timelineEl = $("#timeline");
  const moreEl = $("#timeline-more");
  const panelEl = $("#panel");

  // ------------------------------------------------------------------------------------------ small helpers
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

  function hostOf(url) {
    try { return new URL(url).hostname.replace(/^www\./, ""); } catch (e) { return null; }
  }

  function setStatus(text, isError) {
    statusEl.textContent = text || "";
    statusEl.classList.toggle("error", Boolean(isError));
  }

  const fold = (s) => String(s || "").toLowerCase().normalize("NFD").replace(/\p{Diacritic}/gu, "").trim();
  const words = (p) => String(p || "").toLowerCase().replace(/_/g, " ");

  // Dates stay at the precision the source gave: "2023" is a year, not 1 January.
  function formatDate(iso) {
    if (!iso) return "";
    const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(String(iso));
    if (!m) return String(iso);
    const [, y, mo, d] = m;
    if (!mo) return new Intl.DateTimeFormat(LOCALE, { year: "numeric", timeZone: "UTC" }).format(Date.UTC(+y, 0, 1));
    if (!d) {
      return new Intl.DateTimeFormat(LOCALE, { year: "numeric", month: "long", timeZone: "UTC" })
        .format(Date.UTC(+y, +mo - 1, 1));
    }
    return new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeZone: "UTC" }).format(Date.UTC(+y, +mo - 1, +d));
  }

  function formatAmount(amount, currency) {
    try {
      return new Intl.NumberFormat(LOCALE, currency ? { style: "currency", currency, notation: "compact",
                                                       maximumFractionDigits: 1 } : { notation: "compact" })
        .format(amount);
    } catch (e) {
      return `${new Intl.NumberFormat(LOCALE).format(amount)} ${currency || ""}`.trim();
    }
  }

  const formatNumber = (n) => new Intl.NumberFormat(LOCALE).format(n);

  // A problem from the API becomes a sentence for the reader; the API's own text (meant for developers) is not shown.
  class ApiError extends Error {
    constructor(status, type) { super(`HTTP ${status}`); this.status = status; this.type = type || ""; }
  }

  function userMessage(err, what) {
    if (!(err instanceof ApiError)) return `Cannot reach the server to load ${what}: check the connection and try again.`;
    if (err.status === 404) {
      if (what.includes("article")) return "This article's text is not stored in the graph.";
      if (what.includes("fact")) return "This fact is no longer in the graph.";
      return "This entity is not in the graph. Search for it by name.";
    }
    if (err.status === 503) return "The graph database is not answering. Try again in a moment.";
    if (err.status === 401 || err.status === 403) return "This server asks for a key to read the graph.";
    if (err.status === 422 || err.status === 400) return `The server did not accept the request for ${what}.`;
    return `Something went wrong loading ${what}. Try again.`;
  }

  async function getJSON(path) {
    let response;
    try {
      response = await fetch(API + path, { headers: { Accept: "application/json" } });
    } catch (e) {
      throw new Error("network");
    }
    let body = null;
    try { body = await response.json(); } catch (e) { /* not JSON */ }
    if (!response.ok) throw new ApiError(response.status, body && body.type);
    return body;
  }

  const enc = encodeURIComponent;

  function download(blob, filename) {
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: filename, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  // ------------------------------------------------------------------------------------------ view state
  const state = {
    expanded: [],            // entity ids expanded, in order (a link replays them)
    hidden: new Set(),       // entity ids the user hid
    pinned: new Set(),       // entity ids the user pinned
    focus: null,             // ids shown in focus mode, or null
    path: null,              // [fromId, toId] of the last path search
    xPredicates: new Set(),  // predicates filtered out
    xModalities: new Set(),  // modalities filtered out
    from: "", to: "", minEvidence: 1,
    asOf: null,              // show facts dated up to this day (null: all)
    selected: null,          // node id or "fact:<id>" shown in the panel
  };
  const factCache = new Map();
  const entityCache = new Map();

  // Add-on modules (explore-curation.js) hook in here: "entity" and "fact" run after the panel shows one (with the
  // API's answer and the panel element), "graph" after the graph changed (an expansion, a path, a refresh).
  const hooks = { entity: [], fact: [], graph: [] };
  const notify = (name, ...args) => hooks[name].forEach((fn) => fn(...args));

  // ------------------------------------------------------------------------------------------ the graph view
  const cy = cytoscape({
    container: $("#cy"),
    minZoom: 0.08,
    maxZoom: 4,
    boxSelectionEnabled: true,
    selectionType: "single",
    style: [
      { selector: "node", style: {
          "background-color": (n) => TYPE_COLOURS[n.data("type")] || TYPE_COLOURS.Entity,
          "label": "data(name)", "font-size": (n) => Math.round(10 + (n.data("size") - 16) / 8),
          "font-weight": (n) => (n.data("degree") >= 20 ? 600 : 400), "min-zoomed-font-size": 6, "color": "#1f2933",
          "text-valign": "bottom", "text-margin-y": 3, "text-wrap": "ellipsis", "text-max-width": 130,
          "text-outline-color": "#fff", "text-outline-width": 2,
          "width": "data(size)", "height": "data(size)",
          "border-width": 1, "border-color": "#fff" } },
      { selector: "node.nolabel", style: { "text-opacity": 0 } },
      { selector: "node.expanded", style: { "border-width": 3, "border-color": "#1f2933" } },
      { selector: "node.centre", style: { "border-width": 4, "border-color": "#d64545" } },
      { selector: "node.pinned", style: { "border-style": "double", "border-width": 6, "border-color": "#7b4b00" } },
      { selector: "node.kbd", style: { "outline-width": 3, "outline-color": "#0b69a3", "outline-offset": 3 } },
      { selector: "node:selected", style: { "overlay-color": "#0b69a3", "overlay-opacity": 0.22, "overlay-padding": 6,
                                            "text-opacity": 1, "z-index": 20 } },
      { selector: "edge", style: {
          "width": "mapData(evidenceCount, 1, 5, 1.5, 4)", "line-color": "#9aa5b1", "target-arrow-color": "#9aa5b1",
          "target-arrow-shape": "triangle", "curve-style": "bezier", "arrow-scale": 0.8,
          "label": "data(label)", "font-size": 8, "min-zoomed-font-size": 8, "color": "#52606d",
          "text-rotation": "autorotate", "text-outline-color": "#fff", "text-outline-width": 1.5 } },
      { selector: "edge.nolabel", style: { "text-opacity": 0 } },
      { selector: "edge[modality = 'reported']", style: { "line-style": "dashed" } },
      { selector: "edge[modality = 'planned']", style: { "line-style": "dashed", "line-dash-pattern": [2, 4] } },
      { selector: "edge[modality = 'denied']", style: { "line-style": "dotted", "line-color": "#e12d39" } },
      { selector: "edge.path", style: { "line-color": "#d64545", "target-arrow-color": "#d64545", "width": 4,
                                        "z-index": 10, "text-opacity": 1 } },
      { selector: "node.path", style: { "border-width": 4, "border-color": "#d64545" } },
      { selector: "edge:selected", style: { "line-color": "#0b69a3", "target-arrow-color": "#0b69a3", "width": 4,
                                            "text-opacity": 1, "z-index": 20 } },
      { selector: "edge.confirmed", style: { "line-color": "#2f8132", "target-arrow-color": "#2f8132",
                                             "label": (e) => "✓ " + e.data("label") } },
      { selector: "edge.rejected", style: { "line-color": "#ab091e", "target-arrow-color": "#ab091e", "opacity": 0.7,
                                            "line-style": "dashed", "mid-source-arrow-shape": "tee",
                                            "mid-source-arrow-color": "#ab091e", "arrow-scale": 1.2,
                                            "label": (e) => "rejected: " + e.data("label") } },
      { selector: ".hovered", style: { "text-opacity": 1, "z-index": 30 } },
      { selector: ".faded", style: { "opacity": 0.25 } },
      { selector: ".filtered", style: { "display": "none" } },
    ],
  });

  const nodeSize = (degree) => Math.min(64, 16 + 7 * Math.log2(1 + Math.max(0, degree || 0)));

  function renderLegend() {
    $("#legend").replaceChildren(
      ...Object.entries(TYPE_COLOURS).filter(([t]) => t !== "Entity").map(([type, colour]) =>
        el("div", { dataset: { type } }, el("span", { class: "swatch", style: `background:${colour}` }), type)),
      el("div", {}, el("span", { class: "swatch line dashed" }), "reported"),
      el("div", { class: "legend-note" }, "size: number of facts"),
    );
  }

  // ------------------------------------------------------------------------------------------ placement
  // New nodes go on rings around the node they came from, on the first free spot facing away from the rest of
  // the graph; nodes already placed never move (only "New layout" moves them).
  function spatialIndex(nodes) {
    const cells = new Map();
    const key = (x, y) => `${Math.floor(x / MIN_GAP)},${Math.floor(y / MIN_GAP)}`;
    const add = (p) => {
      const k = key(p.x, p.y);
      if (!cells.has(k)) cells.set(k, []);
      cells.get(k).push(p);
    };
    nodes.forEach((n) => add({ ...n.position() }));
    const free = (x, y) => {
      const cx = Math.floor(x / MIN_GAP), cyy = Math.floor(y / MIN_GAP);
      for (let i = -1; i <= 1; i++) for (let j = -1; j <= 1; j++) {
        for (const p of cells.get(`${cx + i},${cyy + j}`) || []) {
          if (Math.hypot(p.x - x, p.y - y) < MIN_GAP) return false;
        }
      }
      return true;
    };
    return { add, free };
  }

  function freeSpot(index, anchor, outward) {
    for (let ring = 1; ring < 60; ring++) {
      const r = 40 + ring * RING_STEP;
      const count = Math.max(6, Math.floor((2 * Math.PI * r) / MIN_GAP));
      const candidates = [];
      for (let i = 0; i < count; i++) {
        const angle = outward + (i % 2 ? 1 : -1) * Math.ceil(i / 2) * (2 * Math.PI / count);
        candidates.push({ x: anchor.x + r * Math.cos(angle), y: anchor.y + r * Math.sin(angle) });
      }
      for (const c of candidates) if (index.free(c.x, c.y)) return c;
    }
    return { x: anchor.x + Math.random() * 2000, y: anchor.y + Math.random() * 2000 };
  }

  function placeNew(added) {
    const fresh = added.nodes();
    if (fresh.empty()) return;
    const placed = cy.nodes().not(fresh);
    const index = spatialIndex(placed);
    const centroid = placed.nonempty() ? placed.boundingBox() : null;
    const done = new Set();
    const positionOf = new Map();
    placed.forEach((n) => positionOf.set(n.id(), n.position()));
    const order = fresh.sort((a, b) => (a.data("depth") ?? 99) - (b.data("depth") ?? 99));
    order.forEach((node) => {
      // the source: a neighbour already placed (the expanded node, or the node it was reached through)
      const source = node.neighborhood("node").filter((m) => positionOf.has(m.id()) && (!fresh.contains(m) || done.has(m.id())))
        .sort((a, b) => (a.data("depth") ?? 99) - (b.data("depth") ?? 99))[0];
      let anchor;
      let outward = -Math.PI / 2;
      if (source) {
        anchor = positionOf.get(source.id());
        const from = centroid && !fresh.contains(source)
          ? { x: (centroid.x1 + centroid.x2) / 2, y: (centroid.y1 + centroid.y2) / 2 } : null;
        if (from && Math.hypot(anchor.x - from.x, anchor.y - from.y) > 1) {
          outward = Math.atan2(anchor.y - from.y, anchor.x - from.x);
        }
      } else if (positionOf.size) {
        const ext = cy.extent();
        anchor = { x: (ext.x1 + ext.x2) / 2, y: (ext.y1 + ext.y2) / 2 };
      } else {
        anchor = null;
      }
      const spot = anchor ? (index.free(anchor.x, anchor.y) && !source ? anchor : freeSpot(index, anchor, outward))
                          : { x: 0, y: 0 };
      node.position(spot);
      index.add(spot);
      positionOf.set(node.id(), spot);
      done.add(node.id());
    });
  }

  // ------------------------------------------------------------------------------------------ labels
  // Node labels never overlap: the best connected (and the selected, pinned, centre) keep theirs, a label that would
  // cover one already shown is hidden until the user zooms in. Edge labels only when the view is not crowded.
  let labelTimer = null;
  function scheduleLabels() {
    clearTimeout(labelTimer);
    labelTimer = setTimeout(declutterLabels, 60);
  }

  function declutterLabels() {
    const nodes = cy.nodes().filter((n) => n.visible());
    const rank = (n) => (n.selected() ? 4e6 : 0) + (n.hasClass("centre") ? 3e6 : 0) + (n.hasClass("pinned") ? 2e6 : 0)
      + (n.hasClass("path") ? 1e6 : 0) + (n.data("degree") || 0);
    const sorted = nodes.sort((a, b) => rank(b) - rank(a) || a.data("name").localeCompare(b.data("name")));
    const shown = [];
    const hits = (a, b) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
    // other nodes' bodies are obstacles too: a label drawn under a node is not readable
    const bodies = nodes.map((n) => ({ id: n.id(), ...n.boundingBox({ includeLabels: false, includeOverlays: false }) }));
    cy.batch(() => {
      sorted.forEach((n) => {
        const box = n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true });
        const pad = { x1: box.x1 - 2, x2: box.x2 + 2, y1: box.y1 - 1, y2: box.y2 + 1 };
        const id = n.id();
        const clear = box.w > 0 && !shown.some((b) => hits(b, pad)) && !bodies.some((b) => b.id !== id && hits(b, pad));
        n.toggleClass("nolabel", !clear);
        if (clear) shown.push(pad);
      });
      const edges = cy.edges().filter((e) => e.visible());
      edges.toggleClass("nolabel", edges.length > EDGE_LABELS_UP_TO);
    });
  }
  cy.on("viewport", scheduleLabels);

  // ------------------------------------------------------------------------------------------ filters and time
  // A fact's date and a window's bounds are ISO prefixes: compare on the common prefix (as the API does).
  const cut = (a, b) => a.slice(0, Math.min(a.length, b.length));
  const notBefore = (date, from) => cut(date, from) >= cut(from, date);
  const notAfter = (date, to) => cut(date, to) <= cut(to, date);

  function edgePasses(e) {
    const d = e.data();
    if (state.xPredicates.has(d.predicate)) return false;
    if (state.xModalities.has(d.modality || "asserted")) return false;
    if (d.evidenceCount < state.minEvidence) return false;
    if (state.from && !(d.date && notBefore(d.date, state.from))) return false;
    if (state.to && !(d.date && notAfter(d.date, state.to))) return false;
    if (state.asOf && !(d.date && notAfter(d.date, state.asOf))) return false;
    return true;
  }

  function applyView() {
    const focus = state.focus ? new Set(state.focus) : null;
    cy.batch(() => {
      cy.edges().forEach((e) => { e.toggleClass("filtered", !edgePasses(e)); });
      cy.nodes().forEach((n) => {
        const id = n.id();
        const edges = n.connectedEdges();
        const orphan = edges.nonempty() && edges.every((e) => e.hasClass("filtered"))
          && !n.hasClass("centre") && !state.pinned.has(id) && !n.hasClass("path");
        n.toggleClass("filtered", state.hidden.has(id) || (focus !== null && !focus.has(id)) || orphan);
      });
    });
    const drawnNodes = cy.nodes().filter((n) => n.visible()).length;
    const drawnEdges = cy.edges().filter((e) => e.visible()).length;
    const total = cy.nodes().length;
    $("#filter-count").textContent = drawnNodes < total ? `(${drawnNodes} of ${total} entities shown)` : "";
    if (total) setStatus(`${drawnNodes} entities, ${drawnEdges} facts in view` + (state.hidden.size ? `, ${state.hidden.size} hidden` : ""));
    scheduleLabels();
    saveUrl();
  }

  function renderPredicateFilter() {
    const counts = new Map();
    cy.edges().forEach((e) => counts.set(e.data("predicate"), (counts.get(e.data("predicate")) || 0) + 1));
    const box = $("#predicate-filter");
    const items = [...counts.keys()].sort().map((p) => el("label", { class: "check" },
      el("input", { type: "checkbox", value: p, checked: !state.xPredicates.has(p), dataset: { predicate: p },
                    onchange: (ev) => { ev.target.checked ? state.xPredicates.delete(p) : state.xPredicates.add(p); applyView(); } }),
      ` ${words(p)} `, el("span", { class: "count" }, `(${counts.get(p)})`)));
    box.replaceChildren(el("legend", {}, "Kinds of fact"), ...(items.length ? items : [el("p", { class: "empty" }, "None in view yet.")]));
  }

  function renderModalityFilter() {
    $("#modality-filter").replaceChildren(el("legend", {}, "How the source states it"), ...MODALITIES.map((m) =>
      el("label", { class: "check" }, el("input", { type: "checkbox", value: m, checked: !state.xModalities.has(m), dataset: { modality: m },
        onchange: (ev) => { ev.target.checked ? state.xModalities.delete(m) : state.xModalities.add(m); applyView(); } }),
      ` ${MODALITY_TEXT[m]}`)));
  }

  function readDateInput(input) {
    const v = input.value.trim();
    const ok = v === "" || /^\d{4}(-\d{2}(-\d{2})?)?$/.test(v);
    input.setAttribute("aria-invalid", ok ? "false" : "true");
    return ok ? v : null;
  }

  function onDateChange() {
    const from = readDateInput($("#date-from"));
    const to = readDateInput($("#date-to"));
    if (from === null || to === null) { setStatus("Dates are a year (2023), a month (2023-03) or a day (2023-03-18).", true); return; }
    state.from = from; state.to = to;
    applyView();
  }
  $("#date-from").addEventListener("input", onDateChange);
  $("#date-to").addEventListener("input", onDateChange);
  $("#min-evidence").addEventListener("input", (ev) => {
    state.minEvidence = Math.max(1, Number(ev.target.value) || 1);
    applyView();
  });
  $("#filters").addEventListener("submit", (ev) => ev.preventDefault());
  $("#reset-filters").addEventListener("click", () => {
    state.xPredicates.clear(); state.xModalities.clear(); state.from = ""; state.to = ""; state.minEvidence = 1;
    syncFilterInputs();
    applyView();
  });

  function syncFilterInputs() {
    $("#date-from").value = state.from;
    $("#date-to").value = state.to;
    $("#min-evidence").value = String(state.minEvidence);
    renderPredicateFilter();
    renderModalityFilter();
  }

  // The time slider: one step per distinct fact date in the graph, the last step is "all dates".
  let timeSteps = [];
  const slider = $("#asof");
  function renderTimeSlider() {
    timeSteps = [...new Set(cy.edges().map((e) => e.data("date")).filter(Boolean))].sort();
    slider.max = String(timeSteps.length);
    slider.disabled = timeSteps.length === 0;
    let pos = timeSteps.length;
    if (state.asOf) {
      pos = 0;
      timeSteps.forEach((d, i) => { if (notAfter(d, state.asOf)) pos = i; });
    }
    slider.value = String(pos);
    labelTimeSlider();
  }

  function labelTimeSlider() {
    const text = state.asOf ? `up to ${formatDate(state.asOf)}` : "all dates";
    $("#asof-label").textContent = text;
    slider.setAttribute("aria-valuetext", text);
  }

  slider.addEventListener("input", () => {
    const i = Number(slider.value);
    state.asOf = i >= timeSteps.length ? null : timeSteps[i];
    labelTimeSlider();
    applyView();
  });

  // ------------------------------------------------------------------------------------------ adding to the graph
  function addSubgraph(data) {
    const added = [];
    for (const node of data.nodes) {
      const existing = cy.getElementById(node.id);
      if (existing.nonempty()) {
        existing.data({ name: node.name, degree: node.degree, size: nodeSize(node.degree) });
        continue;
      }
      added.push({ group: "nodes", data: { id: node.id, name: node.name, type: node.type, kind: node.kind,
                                           degree: node.degree, size: nodeSize(node.degree), depth: node.depth } });
    }
    for (const edge of data.edges) {
      const known = cy.getElementById("fact:" + edge.id);
      if (known.nonempty()) {
        known.data("evidenceCount", Math.max(1, edge.evidenceCount));
        continue;
      }
      added.push({ group: "edges", data: {
        id: "fact:" + edge.id, factId: edge.id, source: edge.source, target: edge.target, predicate: edge.predicate,
        // only a date the text gives goes on the edge's label; a publication date is shown in the panel, marked
        label: words(edge.predicate) + (edge.dated && edge.date ? ` (${edge.date})` : ""), date: edge.date,
        dated: edge.dated, modality: edge.modality || "asserted", evidenceCount: Math.max(1, edge.evidenceCount) } });
    }
    const eles = cy.add(added);
    placeNew(eles);
    state.pinned.forEach((id) => cy.getElementById(id).addClass("pinned").lock());
    renderPredicateFilter();
    renderTimeSlider();
    refreshPathNames();
    return eles;
  }

  // Fit to the elements given (all drawn ones by default), never closer than a comfortable reading zoom.
  function fitView(eles, padding) {
    const target = eles && eles.nonempty() ? eles : cy.elements().filter((e) => e.visible());
    cy.fit(target, padding || 40);
    if (cy.zoom() > 1.4) {
      cy.zoom(1.4);
      cy.center(target);
    }
  }

  function runLayout() {
    const unlocked = cy.nodes().filter((n) => !n.locked());
    const layout = cy.layout({
      name: "cose", animate: false, randomize: false, fit: false, padding: 40, nodeDimensionsIncludeLabels: true,
      nodeRepulsion: () => 9000, idealEdgeLength: () => 90, edgeElasticity: () => 80, numIter: 1200,
      componentSpacing: 60, eles: unlocked.union(unlocked.connectedEdges()),
    });
    layout.run();
    fitView();
    scheduleLabels();
  }

  async function expand(entityId, options) {
    const depth = Number($("#depth").value) || 1;
    const limit = Number($("#limit").value) || 50;
    setStatus("Loading…");
    let data;
    try {
      data = await getJSON(`/graph/neighborhood/${enc(entityId)}?depth=${depth}&limit=${limit}`);
    } catch (err) {
      setStatus(userMessage(err, "this entity's neighbours"), true);
      return false;
    }
    const wasEmpty = cy.nodes().empty();
    const before = cy.nodes().length;
    const added = addSubgraph(data);
    cy.getElementById(entityId).addClass("expanded");
    if (!state.expanded.includes(entityId)) state.expanded.push(entityId);
    if (wasEmpty || (options && options.fit)) fitView();
    applyView();
    const more = cy.nodes().length - before;
    const ext = cy.extent();
    const offscreen = !wasEmpty && added.nodes().some((n) => {
      const p = n.position();
      return p.x < ext.x1 || p.x > ext.x2 || p.y < ext.y1 || p.y > ext.y2;
    });
    setStatus(`${cy.nodes().length} entities, ${cy.edges().length} facts` + (more && !wasEmpty ? ` (+${more})` : "")
      + (data.truncated ? " — some neighbours left out" : "") + (offscreen ? " — some outside the view: Fit shows all" : ""));
    notify("graph");
    return true;
  }

  async function focusEntity(entityId) {
    clearGraph();
    $("#hint").hidden = true;
    const ok = await expand(entityId, { fit: true });
    if (!ok) return;
    cy.nodes().removeClass("centre");
    const node = cy.getElementById(entityId);
    node.addClass("centre");
    cy.elements().unselect();
    node.select();
    applyView();
    await showEntity(entityId, { quiet: true });
  }

  function clearGraph() {
    cy.elements().remove();
    Object.assign(state, { expanded: [], hidden: new Set(), pinned: new Set(), focus: null, path: null,
                           asOf: null, selected: null });
    focusRoots = [];
    $("#path-results").replaceChildren();
    renderPredicateFilter();
    renderTimeSlider();
  }

  // Read the view again from the API after the graph changed under it (a curation action): each expanded entity's
  // neighbourhood and the last path. What the API no longer returns leaves the view (a merged-away entity, a
  // rejected fact), what is new is placed beside its neighbours, and nothing that stays moves.
  async function neighbourhoodOrNone(id, depth, limit) {
    try {
      return await getJSON(`/graph/neighborhood/${enc(id)}?depth=${depth}&limit=${limit}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;  // merged away: no longer an entity
      throw err;
    }
  }

  async function refresh() {
    const depth = Number($("#depth").value) || 1;
    const limit = Number($("#limit").value) || 50;
    const answers = await Promise.all(state.expanded.map((id) => neighbourhoodOrNone(id, depth, limit)));
    const path = state.path
      ? await getJSON(`/graph/paths?from=${enc(state.path[0])}&to=${enc(state.path[1])}&max_depth=6&limit=10`)
        .catch(() => null) : null;
    const views = answers.filter(Boolean).concat(path ? [path] : []);
    const nodeIds = new Set(views.flatMap((v) => v.nodes.map((n) => n.id)));
    const edgeIds = new Set(views.flatMap((v) => v.edges.map((e) => "fact:" + e.id)));
    state.expanded = state.expanded.filter((id, i) => answers[i] && nodeIds.has(id));
    for (const set of [state.hidden, state.pinned]) [...set].forEach((id) => { if (!nodeIds.has(id)) set.delete(id); });
    if (!path) state.path = null;
    factCache.clear();
    entityCache.clear();
    cy.batch(() => {
      cy.edges().filter((e) => !edgeIds.has(e.id())).remove();
      cy.nodes().filter((n) => !nodeIds.has(n.id())).remove();
    });
    views.forEach(addSubgraph);
    cy.elements().removeClass("path");
    if (path) path.paths.flat().forEach((id) => cy.getElementById("fact:" + id).addClass("path").connectedNodes().addClass("path"));
    state.expanded.forEach((id) => cy.getElementById(id).addClass("expanded"));
    applyView();
    notify("graph");
  }

  // ------------------------------------------------------------------------------------------ search
  // Ranking: a name (or alias) equal to the text, then one starting with it, then the other matches; within each,
  // the entity with more facts first. The API is asked for more than is shown, and the ranking is done here.
  let searchTimer = null;
  let searchSeq = 0;
  let activeIndex = -1;

  function matchClass(item, q) {
    const names = [item.name, ...(item.aliases || [])].map(fold);
    if (names.some((n) => n === q)) return 0;
    if (names.some((n) => n.startsWith(q))) return 1;
    return 2;
  }

  async function factTotal(id) {
    if (!entityCache.has(id)) {
      entityCache.set(id, getJSON(`/entities/${enc(id)}`).catch(() => null));
    }
    const entity = await entityCache.get(id);
    return entity ? entity.factTotal : 0;
  }

  async function rankedSearch(text, shown) {
    const page = await getJSON(`/entities?q=${enc(text)}&limit=50`);
    const q = fold(text);
    const items = page.items.map((item, i) => ({ item, cls: matchClass(item, q), i }));
    items.sort((a, b) => a.cls - b.cls || a.i - b.i);
    const head = items.slice(0, Math.max(shown + 8, 20));
    await Promise.all(head.map(async (x) => { x.facts = await factTotal(x.item.id); }));
    head.sort((a, b) => a.cls - b.cls || b.facts - a.facts || a.i - b.i);
    return head.slice(0, shown).map((x) => Object.assign({ facts: x.facts }, x.item));
  }

  function renderResults(items) {
    activeIndex = -1;
    resultsEl.replaceChildren(...items.map((item, i) => el("li", {
      role: "option", id: `result-${i}`, "aria-selected": "false", dataset: { id: item.id },
      onclick: () => { hideResults(); searchEl.value = item.name; focusEntity(item.id); },
    }, el("span", { class: "swatch", style: `background:${TYPE_COLOURS[item.type] || TYPE_COLOURS.Entity}` }),
       el("span", { class: "name" }, item.name), el("span", { class: "badge" }, item.type),
       el("span", { class: "facts" }, `${formatNumber(item.facts || 0)} facts`),
       el("span", { class: "aliases" }, (item.aliases || []).filter((a) => a !== item.name).slice(0, 3).join(" · ")))));
    if (!items.length) resultsEl.replaceChildren(el("li", { class: "empty", role: "option", "aria-disabled": "true" }, "No entity matches."));
    resultsEl.hidden = false;
    searchEl.setAttribute("aria-expanded", "true");
  }

  function hideResults() {
    resultsEl.hidden = true;
    searchEl.setAttribute("aria-expanded", "false");
    searchEl.removeAttribute("aria-activedescendant");
  }

  async function search(text) {
    const seq = ++searchSeq;
    if (!text.trim()) { hideResults(); return; }
    try {
      const items = await rankedSearch(text, 12);
      if (seq === searchSeq) renderResults(items);
    } catch (err) {
      if (seq === searchSeq) setStatus(userMessage(err, "the search"), true);
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
      options.forEach((o, i) => { o.classList.toggle("active", i === activeIndex); o.setAttribute("aria-selected", String(i === activeIndex)); });
      searchEl.setAttribute("aria-activedescendant", options[activeIndex].id);
    } else if (event.key === "Escape") {
      hideResults();
    }
  });
  $("#search-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    clearTimeout(searchTimer);
    const options = [...resultsEl.querySelectorAll("li[data-id]")];
    if (options.length && !resultsEl.hidden) { options[Math.max(activeIndex, 0)].click(); return; }
    await search(searchEl.value);
    const first = resultsEl.querySelector("li[data-id]");
    if (first) first.click();
  });
  document.addEventListener("click", (event) => {
    if (!$("#search-form").contains(event.target)) hideResults();
  });

  // ------------------------------------------------------------------------------------------ the panel
  // Every click on a node or an edge shows it at once (a heading, then the details when they arrive); a slower
  // answer for an earlier click is dropped, so the panel always shows the last thing clicked.
  let panelSeq = 0;

  function openDrawer() {
    if (window.matchMedia("(max-width: 760px)").matches) {
      document.body.classList.add("drawer-open");
      $("#panel-toggle").setAttribute("aria-expanded", "true");
    }
  }

  function closeDrawer() {
    document.body.classList.remove("drawer-open");
    $("#panel-toggle").setAttribute("aria-expanded", "false");
  }

  $("#panel-toggle").addEventListener("click", () => {
    if (document.body.classList.contains("drawer-open")) closeDrawer();
    else { document.body.classList.add("drawer-open"); $("#panel-toggle").setAttribute("aria-expanded", "true"); panelEl.focus(); }
  });
  $("#panel-close").addEventListener("click", () => { closeDrawer(); $("#panel-toggle").focus(); });

  function entityButton(entity) {
    return el("button", { type: "button", class: "entity-link", dataset: { id: entity.id },
                          onclick: () => selectEntity(entity.id) }, entity.name);
  }

  // An entity in the panel: in the graph already, select it; otherwise start from it.
  function selectEntity(id) {
    const node = cy.getElementById(id);
    if (node.nonempty()) {
      cy.elements().unselect();
      node.select();
      if (node.hasClass("filtered")) { state.hidden.delete(id); state.focus = null; applyView(); }
      cy.animate({ center: { eles: node } }, { duration: 200 });
      showEntity(id);
    } else {
      focusEntity(id);
    }
  }

  function actionButton(label, onclick, title) {
    return el("button", { type: "button", class: "link-button", title, onclick }, label);
  }

  async function showEntity(entityId, options) {
    const seq = ++panelSeq;
    state.selected = entityId;
    saveUrl();
    const node = cy.getElementById(entityId);
    detailsEl.dataset.kind = "entity";
    detailsEl.dataset.id = entityId;
    delete detailsEl.dataset.factId;
    detailsEl.replaceChildren(el("h2", {}, node.nonempty() ? node.data("name") : "Loading…"));
    if (!(options && options.quiet)) openDrawer();
    let entity;
    try {
      entity = await getJSON(`/entities/${enc(entityId)}`);
    } catch (err) {
      if (seq === panelSeq) detailsEl.append(el("p", { class: "error" }, userMessage(err, "this entity")));
      return;
    }
    if (seq !== panelSeq) return;
    entityCache.set(entityId, Promise.resolve(entity));
    const otherNames = entity.aliases.filter((a) => a !== entity.name);
    const counts = entity.factCounts.map((c) => el("li", {}, `${words(c.predicate)}: ${formatNumber(c.total)}`));
    const pinned = state.pinned.has(entityId);
    detailsEl.replaceChildren(
      el("h2", {}, el("span", { class: "swatch", style: `background:${TYPE_COLOURS[entity.type] || TYPE_COLOURS.Entity}` }),
         " ", entity.name),
      el("p", {}, el("span", { class: "badge" }, entity.type), entity.kind ? [" ", el("span", { class: "badge" }, words(entity.kind))] : "",
         entity.wikidataId ? [" ", el("a", { href: `https://www.wikidata.org/wiki/${enc(entity.wikidataId)}`, target: "_blank",
                                             rel: "noopener" }, `Wikidata ${entity.wikidataId}`)] : ""),
      otherNames.length ? el("p", {}, "Also known as ", otherNames.join(" · ")) : "",
      el("h3", {}, `${formatNumber(entity.factTotal)} facts`),
      el("ul", { class: "counts" }, counts),
      el("div", { class: "actions" },
        actionButton("Expand", () => expand(entity.id), "Add its neighbours to the graph"),
        actionButton(pinned ? "Unpin" : "Pin", () => { togglePin([entity.id]); showEntity(entity.id); }, "Keep it where it is"),
        actionButton("Hide", () => hideNodes([entity.id]), "Take it out of the view"),
        actionButton("Focus", () => focusOn([entity.id]), "Show only it and its neighbours"),
        actionButton("Path from here", () => { $("#path-from").value = entity.name; openPaths(); }),
        actionButton("Path to here", () => { $("#path-to").value = entity.name; openPaths(); })),
    );
    notify("entity", entity, detailsEl);
    await loadTimeline(entity, null);
  }

  let timelineState = null;

  async function loadTimeline(entity, cursor) {
    if (!cursor) {
      timelineEl.replaceChildren();
      $("#timeline-entity").textContent = `— ${entity.name}`;
    }
    timelineState = { entity, cursor };
    let page;
    try {
      page = await getJSON(`/entities/${enc(entity.id)}/timeline?limit=30` + (cursor ? `&cursor=${enc(cursor)}` : ""));
    } catch (err) {
      setStatus(userMessage(err, "the timeline"), true);
      return;
    }
    if (timelineState.entity.id !== entity.id) return;
    for (const item of page.items) {
      const fact = item.fact;
      factCache.set(fact.id, fact);
      const approx = fact.placedBy !== "fact_date";
      const first = fact.evidence[0];
      timelineEl.append(el("li", { dataset: { factId: fact.id } },
        el("span", { class: "when" + (approx ? " approx" : ""), dataset: { date: fact.placedAt || "" },
                     title: approx ? "No date in the text: placed at its article's publication date" : "Date stated in the text" },
           fact.placedAt ? (approx ? `≈ ${formatDate(fact.placedAt)}` : formatDate(fact.placedAt)) : "undated"),
        item.role === "subject"
          ? [el("b", {}, words(fact.predicate)), " → ", entityButton(item.counterpart)]
          : [entityButton(item.counterpart), " → ", el("b", {}, words(fact.predicate)), " → ", entity.name],
        fact.modality !== "asserted" ? [" ", el("span", { class: `badge modality-${fact.modality}` }, fact.modality)] : "",
        " ", el("button", { type: "button", class: "evidence-button", title: "Read the fact and its sources",
                            onclick: () => selectFact(fact.id) }, `sources (${fact.evidenceCount})`),
        first ? el("span", { class: "sentence" }, `“${first.sentence}”`) : ""));
    }
    if (!page.items.length && !cursor) timelineEl.append(el("li", { class: "empty" }, "No facts."));
    moreEl.hidden = !page.nextCursor;
    moreEl.onclick = () => loadTimeline(entity, page.nextCursor);
  }

  function selectFact(factId, options) {
    const edge = cy.getElementById("fact:" + factId);
    cy.elements().unselect();
    if (edge.nonempty()) edge.select();
    showFact(factId, options);
  }

  function qualifierRows(fact) {
    const q = fact.qualifiers;
    const rows = [];
    const row = (label, value, title) => rows.push(el("tr", {}, el("th", { scope: "row" }, label), el("td", { title }, value)));
    if (q.date) row("date", formatDate(q.date), q.date);
    else if (fact.placedAt) row("date", `≈ ${formatDate(fact.placedAt)}`, "No date in the text: the article's publication date");
    if (q.amount !== null && q.amount !== undefined) {
      row("amount", (q.approximate ? "about " : "") + formatAmount(q.amount, q.currency),
          `${formatNumber(q.amount)} ${q.currency || ""}`.trim());
    }
    if (q.quantity !== null && q.quantity !== undefined) row("how many", (q.approximate ? "about " : "") + formatNumber(q.quantity));
    for (const key of ["role", "status", "round", "vendor", "reportedBy"]) {
      if (q[key]) row(QUALIFIER_LABELS[key], words(q[key]));
    }
    row("stated as", MODALITY_TEXT[fact.modality] || fact.modality);
    return rows;
  }

  function evidenceItem(ev) {
    const url = ev.articleUrl && safeUrl(ev.articleUrl);
    const title = ev.articleTitle || "Untitled article";
    const host = url && hostOf(url);
    return el("li", {},
      el("blockquote", {}, ev.sentence),
      el("div", { class: "source" }, [
         url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, title) : el("span", { class: "title" }, title),
         ev.published ? el("time", { datetime: ev.published.slice(0, 10) }, formatDate(ev.published)) : null,
         host,
         el("button", { type: "button", class: "link-button small", title: "Read the article's text with this sentence marked",
                        onclick: () => openReader(ev) }, "Read here"),
       ].filter(Boolean).flatMap((part, i) => (i ? [" · ", part] : [part]))),
      el("details", { class: "internals" }, el("summary", {}, "Details"),
         el("dl", {},
            el("dt", {}, "Found by"), el("dd", {}, ev.extractor || "—"),
            el("dt", {}, "Confidence"), el("dd", {}, typeof ev.confidence === "number"
              ? new Intl.NumberFormat(LOCALE, { style: "percent" }).format(ev.confidence) : "—"),
            el("dt", {}, "Article id"), el("dd", {}, ev.articleId))));
  }

  async function showFact(factId, options) {
    const seq = ++panelSeq;
    state.selected = "fact:" + factId;
    saveUrl();
    const edge = cy.getElementById("fact:" + factId);
    detailsEl.dataset.kind = "fact";
    detailsEl.dataset.factId = factId;
    detailsEl.dataset.id = factId;
    detailsEl.replaceChildren(el("h2", { class: "fact-title" }, edge.nonempty()
      ? `${edge.source().data("name")} — ${words(edge.data("predicate"))} → ${edge.target().data("name")}` : "Loading…"));
    if (!(options && options.quiet)) openDrawer();
    let fact = factCache.get(factId);
    if (!fact) {
      try {
        fact = await getJSON(`/facts/${enc(factId)}`);
      } catch (err) {
        if (seq === panelSeq) detailsEl.append(el("p", { class: "error" }, userMessage(err, "this fact")));
        return;
      }
      factCache.set(factId, fact);
    }
    if (seq !== panelSeq) return;
    detailsEl.replaceChildren(
      el("h2", { class: "fact-title" }, entityButton(fact.subject), ` — ${words(fact.predicate)} → `, entityButton(fact.object)),
      el("table", { class: "qualifiers" }, el("tbody", {}, qualifierRows(fact))),
      el("h3", {}, fact.evidence.length === 1 ? "Source" : `Sources (${fact.evidence.length})`),
      el("ol", { class: "evidence" }, fact.evidence.map(evidenceItem)),
      el("details", { class: "internals" }, el("summary", {}, "Fact details"),
         el("dl", {}, el("dt", {}, "Fact id"), el("dd", {}, fact.id), el("dt", {}, "Predicate"), el("dd", {}, fact.predicate))),
    );
    notify("fact", fact, detailsEl);
  }

  // ------------------------------------------------------------------------------------------ reader view
  async function openReader(ev) {
    const dialog = $("#reader");
    $("#reader-title").textContent = ev.articleTitle || "Article";
    $("#reader-meta").textContent = "Loading…";
    $("#reader-text").replaceChildren();
    dialog.showModal();
    let article;
    try {
      article = await getJSON(`/articles/${enc(ev.articleId)}`);
    } catch (err) {
      $("#reader-meta").textContent = userMessage(err, "the article");
      return;
    }
    const url = article.url && safeUrl(article.url);
    $("#reader-meta").replaceChildren(
      article.published ? formatDate(article.published) : "", url ? [" · ", el("a", { href: url, target: "_blank", rel: "noopener noreferrer" },
        `Original on ${hostOf(url)}`)] : "");
    const text = article.text || "";
    let start = ev.start, end = ev.end;
    if (!(typeof start === "number" && text.slice(start, end) === ev.sentence)) {
      start = text.indexOf(ev.sentence);
      end = start + ev.sentence.length;
    }
    const paragraphs = [];
    if (start >= 0) {
      const mark = el("mark", {}, text.slice(start, end));
      paragraphs.push(el("p", {}, text.slice(0, start), mark, text.slice(end)));
      $("#reader-text").replaceChildren(...paragraphs);
      mark.scrollIntoView({ block: "center" });
    } else {
      $("#reader-text").replaceChildren(el("p", {}, text));
    }
  }

  // ------------------------------------------------------------------------------------------ pin, hide, focus
  const selectedIds = () => cy.nodes(":selected").map((n) => n.id());

  function togglePin(ids) {
    const pin = ids.some((id) => !state.pinned.has(id));
    ids.forEach((id) => {
      const n = cy.getElementById(id);
      if (pin) { state.pinned.add(id); n.addClass("pinned").lock(); }
      else { state.pinned.delete(id); n.removeClass("pinned").unlock(); }
    });
    setStatus(pin ? `Pinned ${ids.length}` : `Unpinned ${ids.length}`);
    saveUrl();
  }

  function hideNodes(ids) {
    ids.forEach((id) => state.hidden.add(id));
    cy.elements().unselect();
    applyView();
  }

  function focusOn(ids) {
    const keep = new Set(ids);
    ids.forEach((id) => cy.getElementById(id).neighborhood("node").forEach((n) => keep.add(n.id())));
    state.focus = [...keep];
    focusRoots = ids;
    applyView();
    fitView();
  }

  function needSelection(action) {
    const ids = selectedIds();
    if (!ids.length) { setStatus("Select one or more entities first (click, or shift-click for several).", true); return; }
    action(ids);
  }

  $("#pin").addEventListener("click", () => needSelection(togglePin));
  $("#hide").addEventListener("click", () => needSelection(hideNodes));
  $("#focus").addEventListener("click", () => needSelection(focusOn));
  $("#show-all").addEventListener("click", () => { state.hidden.clear(); state.focus = null; applyView(); });
  $("#fit").addEventListener("click", () => fitView());
  $("#relayout").addEventListener("click", () => runLayout());
  $("#clear").addEventListener("click", () => {
    clearGraph();
    detailsEl.replaceChildren(el("p", { class: "empty" }, "Nothing selected."));
    timelineEl.replaceChildren();
    moreEl.hidden = true;
    setStatus("");
    saveUrl();
  });

  // ------------------------------------------------------------------------------------------ export
  function csvCell(value) {
    let text = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;  // a spreadsheet must not read a cell as a formula
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }

  function factsCsv() {
    const header = ["subject", "predicate", "object", "date", "date_from", "modality", "sources", "subject_id",
                    "object_id", "fact_id"];
    const rows = cy.edges().filter((e) => e.visible() && !e.hasClass("rejected")).map((e) => {  // facts only
      const d = e.data();
      return [e.source().data("name"), d.predicate, e.target().data("name"), d.date || "",
              d.dated ? "text" : "publication", d.modality, d.evidenceCount, d.source, d.target, d.factId];
    });
    return [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
  }

  $("#export-csv").addEventListener("click", () => {
    download(new Blob([factsCsv()], { type: "text/csv;charset=utf-8" }), "techgraph-facts.csv");
  });
  $("#export-png").addEventListener("click", () => {
    const blob = cy.png({ output: "blob", full: true, bg: "#ffffff", scale: 2, maxWidth: 4000, maxHeight: 4000 });
    download(blob, "techgraph.png");
  });

  // ------------------------------------------------------------------------------------------ the view as a link
  let restoring = false;
  let focusRoots = [];

  function viewParams() {
    const p = new URLSearchParams();
    state.expanded.forEach((id) => p.append("e", id));
    if (state.path) p.set("path", state.path.join("|"));
    state.hidden.forEach((id) => p.append("hide", id));
    state.pinned.forEach((id) => p.append("pin", id));
    if (state.focus) p.set("focus", focusRoots.join("|"));
    state.xPredicates.forEach((x) => p.append("xp", x));
    state.xModalities.forEach((x) => p.append("xm", x));
    if (state.from) p.set("from", state.from);
    if (state.to) p.set("to", state.to);
    if (state.minEvidence > 1) p.set("min", String(state.minEvidence));
    if (state.asOf) p.set("asof", state.asOf);
    if (state.selected) p.set("sel", state.selected);
    if ($("#depth").value !== "1") p.set("depth", $("#depth").value);
    if ($("#limit").value !== "50") p.set("limit", $("#limit").value);
    return p;
  }

  function saveUrl() {
    if (restoring) return;
    const query = viewParams().toString();
    history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
  }

  async function restore(params) {
    restoring = true;
    try {
      const depth = params.get("depth"), limit = params.get("limit");
      if (depth) $("#depth").value = depth;
      if (limit) $("#limit").value = limit;
      state.xPredicates = new Set(params.getAll("xp"));
      state.xModalities = new Set(params.getAll("xm"));
      state.from = params.get("from") || "";
      state.to = params.get("to") || "";
      state.minEvidence = Math.max(1, Number(params.get("min")) || 1);
      syncFilterInputs();
      const expanded = params.getAll("e");
      const legacy = params.get("entity");
      if (legacy && !expanded.length) expanded.push(legacy);
      $("#hint").hidden = expanded.length > 0;
      for (const [i, id] of expanded.entries()) {
        const ok = await expand(id, { fit: i === 0 });
        if (i === 0 && ok) cy.getElementById(id).addClass("centre");
      }
      const path = params.get("path");
      if (path && path.includes("|")) await findPaths(...path.split("|", 2));
      params.getAll("pin").forEach((id) => { state.pinned.add(id); cy.getElementById(id).addClass("pinned").lock(); });
      params.getAll("hide").forEach((id) => state.hidden.add(id));
      const focus = params.get("focus");
      state.asOf = params.get("asof") || null;
      renderTimeSlider();
      if (focus) focusOn(focus.split("|"));
      applyView();
      fitView();
    } finally {
      restoring = false;
    }
    const sel = params.get("sel");
    // the panel shows what the link selected, without opening the drawer over the graph on a small screen
    if (sel && sel.startsWith("fact:")) selectFact(sel.slice(5), { quiet: true });
    else if (sel) { cy.getElementById(sel).select(); await showEntity(sel, { quiet: true }); }
    else if (state.expanded.length) await showEntity(state.expanded[0], { quiet: true });
    saveUrl();
  }

  $("#share").addEventListener("click", async () => {
    saveUrl();
    try {
      await navigator.clipboard.writeText(window.location.href);
      setStatus("Link to this view copied.");
    } catch (e) {
      setStatus("The address bar holds the link to this view: copy it from there.");
    }
  });
  $("#depth").addEventListener("change", saveUrl);
  $("#limit").addEventListener("change", saveUrl);

  // ------------------------------------------------------------------------------------------ paths
  function openPaths() {
    $("#paths-box").open = true;
    $("#path-to").value ? $("#path-form button[type=submit]").focus() : $("#path-to").focus();
  }

  function refreshPathNames() {
    const names = [...new Set(cy.nodes().map((n) => n.data("name")))].sort((a, b) => a.localeCompare(b));
    $("#path-names").replaceChildren(...names.slice(0, 500).map((name) => el("option", { value: name })));
  }

  async function resolveEntity(text) {
    const q = fold(text);
    const inGraph = cy.nodes().filter((n) => fold(n.data("name")) === q || n.id() === text);
    if (inGraph.nonempty()) return { id: inGraph[0].id(), name: inGraph[0].data("name") };
    const items = await rankedSearch(text, 1);
    return items[0] || null;
  }

  async function findPaths(fromId, toId) {
    const box = $("#path-results");
    box.replaceChildren(el("p", {}, "Looking for paths…"));
    let data;
    try {
      data = await getJSON(`/graph/paths?from=${enc(fromId)}&to=${enc(toId)}&max_depth=6&limit=10`);
    } catch (err) {
      box.replaceChildren(el("p", { class: "error" }, userMessage(err, "the paths")));
      return;
    }
    state.path = [fromId, toId];
    cy.elements().removeClass("path");
    if (!data.paths.length) {
      box.replaceChildren(el("p", {}, "No chain of up to six facts links these two entities."));
      saveUrl();
      return;
    }
    $("#hint").hidden = true;
    addSubgraph(data);
    data.paths.flat().forEach((id) => {
      const e = cy.getElementById("fact:" + id);
      e.addClass("path");
      e.connectedNodes().addClass("path");
    });
    applyView();
    fitView(cy.elements(".path"), 60);
    notify("graph");
    await renderPaths(data, box);
  }

  async function renderPaths(data, box) {
    const edges = new Map(data.edges.map((e) => [e.id, e]));
    const name = (id) => (data.nodes.find((n) => n.id === id) || { name: id }).name;
    const shown = data.paths.slice(0, 5);
    const ids = [...new Set(shown.flat())];
    await Promise.all(ids.map(async (id) => {
      if (!factCache.has(id)) {
        try { factCache.set(id, await getJSON(`/facts/${enc(id)}`)); } catch (e) { /* shown without its source */ }
      }
    }));
    const steps = shown[0].length;
    box.replaceChildren(
      el("p", {}, `${data.paths.length} shortest ${data.paths.length === 1 ? "path" : "paths"} of ${steps} ${steps === 1 ? "step" : "steps"}`
        + (data.paths.length > shown.length ? ` (the first ${shown.length} below)` : "") + "."),
      ...shown.map((path, i) => el("section", { class: "path-card", "aria-label": `Path ${i + 1}` },
        el("h3", {}, `Path ${i + 1}`),
        el("ol", { class: "hops" }, path.map((id) => {
          const e = edges.get(id);
          const fact = factCache.get(id);
          const ev = fact && fact.evidence[0];
          return el("li", { dataset: { factId: id } },
            el("button", { type: "button", class: "entity-link", onclick: () => selectFact(id) },
               `${name(e.source)} — ${words(e.predicate)} → ${name(e.target)}`),
            e.date ? ` · ${e.dated ? "" : "≈ "}${formatDate(e.date)}` : "",
            ev ? el("blockquote", {}, ev.sentence) : "",
            ev ? el("div", { class: "source" }, ev.articleTitle || "Untitled article",
                    ev.published ? ` · ${formatDate(ev.published)}` : "") : "");
        })))));
  }

  $("#path-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const box = $("#path-results");
    let from, to;
    try {
      [from, to] = await Promise.all([resolveEntity($("#path-from").value), resolveEntity($("#path-to").value)]);
    } catch (err) {
      box.replaceChildren(el("p", { class: "error" }, userMessage(err, "the two entities")));
      return;
    }
    if (!from || !to) {
      box.replaceChildren(el("p", { class: "error" }, `No entity is called “${!from ? $("#path-from").value : $("#path-to").value}”.`));
      return;
    }
    if (from.id === to.id) {
      box.replaceChildren(el("p", { class: "error" }, "Pick two different entities."));
      return;
    }
    await findPaths(from.id, to.id);
  });

  // ------------------------------------------------------------------------------------------ graph events
  cy.on("tap", "node", (event) => {
    const node = event.target;
    const oe = event.originalEvent;
    if (oe && (oe.shiftKey || oe.ctrlKey || oe.metaKey)) {
      // several at once: toggle this one in the selection (Cytoscape would otherwise keep only it)
      const wasSelected = node.selected();
      setTimeout(() => { wasSelected ? node.unselect() : node.select(); }, 0);
      return;
    }
    cy.nodes().removeClass("centre");
    node.addClass("centre");
    showEntity(node.id());
    if (!node.hasClass("expanded")) expand(node.id());
  });
  cy.on("tap", "edge", (event) => showFact(event.target.data("factId")));
  cy.on("mouseover", "node", (event) => {
    const hood = event.target.closedNeighborhood();
    cy.elements().not(hood).addClass("faded");
    hood.addClass("hovered");
  });
  cy.on("mouseout", "node", () => cy.elements().removeClass("faded hovered"));
  cy.on("mouseover", "edge", (event) => event.target.addClass("hovered"));
  cy.on("mouseout", "edge", (event) => event.target.removeClass("hovered"));
  cy.on("select unselect", "node", scheduleLabels);
  cy.on("dragfree", "node", scheduleLabels);

  // Keyboard: arrows move a cursor to the nearest entity in that direction, Enter opens it, Space selects.
  let cursorId = null;
  function moveCursor(dx, dy) {
    const nodes = cy.nodes().filter((n) => n.visible());
    if (nodes.empty()) return;
    const current = cursorId && cy.getElementById(cursorId);
    let next;
    if (!current || current.empty() || !current.visible()) {
      next = cy.nodes(".centre").filter((n) => n.visible())[0] || nodes[0];
    } else {
      const p = current.position();
      let best = null;
      nodes.forEach((n) => {
        if (n.same(current)) return;
        const q = n.position();
        const along = (q.x - p.x) * dx + (q.y - p.y) * dy;
        if (along <= 0) return;
        const across = Math.abs((q.x - p.x) * dy - (q.y - p.y) * dx);
        const score = along + 2 * across;
        if (!best || score < best.score) best = { n, score };
      });
      next = best ? best.n : current;
    }
    cy.nodes().removeClass("kbd");
    next.addClass("kbd");
    cursorId = next.id();
    const ext = cy.extent(), q = next.position();
    if (q.x < ext.x1 || q.x > ext.x2 || q.y < ext.y1 || q.y > ext.y2) cy.center(next);
    setStatus(`${next.data("name")} (${next.data("type")}, ${formatNumber(next.data("degree") || 0)} facts)`);
  }

  $("#cy").addEventListener("keydown", (event) => {
    const dirs = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    const node = cursorId ? cy.getElementById(cursorId) : cy.collection();
    if (dirs[event.key]) { event.preventDefault(); moveCursor(...dirs[event.key]); return; }
    if (event.key === "Escape") { cy.elements().unselect(); return; }
    if (node.empty()) return;
    if (event.key === "Enter") {
      event.preventDefault();
      cy.elements().unselect();
      node.select();
      cy.nodes().removeClass("centre");
      node.addClass("centre");
      showEntity(node.id());
      if (!node.hasClass("expanded")) expand(node.id());
    } else if (event.key === " ") {
      event.preventDefault();
      node.selected() ? node.unselect() : node.select();
    } else if (event.key === "p" || event.key === "P") {
      togglePin(node.selected() ? selectedIds() : [node.id()]);
    } else if (event.key === "h" || event.key === "H" || event.key === "Delete") {
      hideNodes(node.selected() ? selectedIds() : [node.id()]);
    } else if (event.key === "f" || event.key === "F") {
      focusOn(node.selected() ? selectedIds() : [node.id()]);
    }
  });

  // ------------------------------------------------------------------------------------------ start
  renderLegend();
  renderModalityFilter();
  renderTimeSlider();
  window.explorer = { cy, state, focusEntity, expand, showFact, showEntity, findPaths, applyView, factsCsv,
                      rankedSearch, declutterLabels, refresh, addSubgraph, selectEntity, hooks, factCache, el, words,
                      formatDate, userMessage };

  const params = new URLSearchParams(window.location.search);
  if (params.toString()) restore(params);
})();
