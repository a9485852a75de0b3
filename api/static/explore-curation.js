/* Curation in the explorer, for whoever holds the API key: merge two selected entities, split a merge, reject or
   confirm a fact, read an entity's audit trail. The key and the curator's name live in sessionStorage only (gone
   when the tab closes) and go out as X-API-Key and X-Curator. Without a key that the server accepts, none of these
   controls is shown. After each action the view is read again from the API (explorer.refresh). Loaded after
   explore.js; talks only to /v1. Text from the graph is inserted as text, never as HTML. */
(function () {
  "use strict";

  const API = "/v1";
  const KEY_ITEM = "kg-curation-key";
  const CURATOR_ITEM = "kg-curation-curator";
  const FACT_PAGES = 5;  // pages of 200 facts read per entity and side for verdicts (rejected, confirmed)
  const x = window.explorer;
  const { cy, el, words, formatDate } = x;
  const $ = (sel) => document.querySelector(sel);
  const enc = encodeURIComponent;
  const store = window.sessionStorage;
  const messageEl = $("#curation-message");

  let curating = false;
  const verdictCache = new Map();  // entity id -> Promise of the facts touching it that carry a verdict

  // ------------------------------------------------------------------------------------------ talking to the API
  // A problem from the curation API is shown with its own text: it is written for the curator ("… is merged into
  // …", "the X-API-Key header does not hold this server's key").
  class CurationError extends Error {}

  async function call(method, path, body) {
    const headers = { Accept: "application/json", "X-API-Key": store.getItem(KEY_ITEM) || "" };
    const who = store.getItem(CURATOR_ITEM);
    if (who) headers["X-Curator"] = who;
    if (body) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(API + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
    } catch (e) {
      throw new CurationError("Cannot reach the server: check the connection and try again.");
    }
    if (response.status === 204) return null;
    let answer = null;
    try { answer = await response.json(); } catch (e) { /* not JSON */ }
    if (!response.ok) {
      throw new CurationError((answer && (answer.detail || answer.title)) || `The server answered ${response.status}.`);
    }
    return answer;
  }

  function say(text, isError) {
    messageEl.textContent = text;
    messageEl.classList.toggle("error", Boolean(isError));
  }

  // Run one action, then read the view again and show `after` (an entity id or "fact:<id>") in the panel.
  async function act(path, body, done, after) {
    let outcome;
    try {
      outcome = await call("POST", path, body);
    } catch (err) {
      say(err.message, true);
      return false;
    }
    verdictCache.clear();
    await x.refresh();
    if (after && after.startsWith("fact:")) x.showFact(after.slice(5), { quiet: true });
    else if (after && cy.getElementById(after).nonempty()) x.selectEntity(after);
    else if (after) x.showEntity(after, { quiet: true });
    say(`${done} ${outcome.entry.detail}.`);
    return true;
  }

  // ------------------------------------------------------------------------------------------ the key
  async function useKey(key, who) {
    store.setItem(KEY_ITEM, key);
    if (who) store.setItem(CURATOR_ITEM, who); else store.removeItem(CURATOR_ITEM);
    try {
      await call("GET", "/curation/access");
    } catch (err) {
      setCurating(false);
      say(err.message, true);
      return;
    }
    setCurating(true);
    say(`Curation on, as ${who || "api"}.`);
  }

  function forgetKey() {
    store.removeItem(KEY_ITEM);
    store.removeItem(CURATOR_ITEM);
    $("#curation-key").value = "";
    setCurating(false);
    say("Key forgotten: curation off.");
  }

  function setCurating(on) {
    curating = on;
    document.body.classList.toggle("curating", on);
    $("#curation-tools").hidden = !on;
    $("#curation-forget").hidden = !on;
    verdictCache.clear();
    if (!on) {
      cy.edges(".rejected").remove();
      cy.edges().removeClass("confirmed");
    }
    renderMerge();
    markVerdicts();
    redrawPanel();
  }

  // The panel shows its entity or fact again, so that the curation controls appear or go.
  function redrawPanel() {
    const selected = x.state.selected;
    if (!selected) return;
    if (selected.startsWith("fact:")) x.showFact(selected.slice(5), { quiet: true });
    else x.showEntity(selected, { quiet: true });
  }

  $("#curation-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = $("#curation-key").value.trim();
    if (!key) { say("Give the API key first.", true); return; }
    useKey(key, $("#curator").value.trim());
  });
  $("#curation-forget").addEventListener("click", forgetKey);

  // ------------------------------------------------------------------------------------------ a reason
  // A small form asking why, with one submit button per action; `actions` maps a button's label to what it does.
  function reasonForm(label, actions) {
    const input = el("input", { type: "text", required: true, maxlength: 2000, class: "why" });
    const form = el("form", { class: "reason-form" }, el("label", {}, label, " ", input),
      Object.keys(actions).map((name) => el("button", { type: "submit", value: name, class: "link-button" }, name)));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const why = input.value.trim();
      if (!why) { say("Say why first: the reason goes into the audit log.", true); input.focus(); return; }
      const name = event.submitter ? event.submitter.value : Object.keys(actions)[0];
      actions[name](why);
    });
    return form;
  }

  // ------------------------------------------------------------------------------------------ merge
  // Two entities selected in the graph (Shift-click, or Space on the keyboard cursor): the curator picks the one
  // that stays and says why.
  function renderMerge() {
    const box = $("#merge-box");
    const nodes = cy.nodes(":selected");
    if (!curating) { box.replaceChildren(); return; }
    if (nodes.length !== 2) {
      box.replaceChildren(el("p", { class: "empty" }, "To merge two entities, select both in the graph (Shift-click, "
        + "or Space on each with the keyboard)."));
      return;
    }
    const same = nodes[0].data("type") === nodes[1].data("type");
    const choices = nodes.map((n, i) => el("label", { class: "check" },
      el("input", { type: "radio", name: "merge-into", value: n.id(), checked: i === 0 }), n.data("name")));
    const form = reasonForm("Why", {
      Merge: (why) => {
        const into = box.querySelector("input[name=merge-into]:checked").value;
        const merge = nodes.map((n) => n.id()).find((id) => id !== into);
        act("/curation/merge", { into, merge, why }, "Merged:", into);
      },
    });
    form.querySelector("button").id = "merge-submit";
    box.replaceChildren(el("fieldset", { id: "merge-into" }, el("legend", {}, "Merge: which one stays?"), choices),
      same ? "" : el("p", { class: "error" }, "These two are of different types: the server will refuse the merge."),
      form);
  }

  let mergeTimer = null;
  cy.on("select unselect", "node", () => {
    clearTimeout(mergeTimer);
    mergeTimer = setTimeout(renderMerge, 30);  // one render for a whole box selection
  });

  // ------------------------------------------------------------------------------------------ an entity's panel
  function mergedItem(entity, merged) {
    const name = merged.names.find((n) => n) || merged.id;
    const form = reasonForm("Why split", {
      Split: (why) => act("/curation/split", { entity: entity.id, merged: merged.id, why }, "Split:", entity.id),
    });
    return el("li", { dataset: { merged: merged.id } },
      el("b", {}, name), ` (${merged.id}) — by ${merged.by}, ${formatDate(merged.at)}: ${merged.why}`,
      el("details", { class: "split" }, el("summary", {}, `Split ${name} off`), form));
  }

  function logItem(entry) {
    return el("li", { dataset: { action: entry.action } },
      el("span", { class: "when" }, formatDate(entry.at)), " ", el("b", {}, entry.action), ` by ${entry.by}: `,
      entry.detail, el("span", { class: "why" }, `“${entry.why}”`));
  }

  async function auditTrail(entityId, list) {
    let page;
    try {
      page = await call("GET", `/curation/log?entity=${enc(entityId)}&limit=50`);
    } catch (err) {
      list.replaceChildren(el("li", { class: "error" }, err.message));
      return;
    }
    list.replaceChildren(...(page.items.length ? page.items.map(logItem) : [el("li", { class: "empty" }, "No curation yet.")]));
  }

  x.hooks.entity.push((entity, panel) => {
    if (!curating) return;
    const log = el("ol", { class: "audit" }, el("li", { class: "empty" }, "Loading…"));
    panel.append(el("section", { class: "curation", "aria-label": "Curation" },
      el("h3", {}, "Merged into it"),
      entity.merged.length ? el("ul", { class: "merged" }, entity.merged.map((m) => mergedItem(entity, m)))
        : el("p", { class: "empty" }, "Nothing."),
      el("h3", {}, "Audit trail"), log));
    auditTrail(entity.id, log);
  });

  // ------------------------------------------------------------------------------------------ a fact's panel
  x.hooks.fact.push((fact, panel) => {
    if (!curating) return;
    const title = panel.querySelector(".fact-title");
    if (fact.curation === "rejected") {
      title.replaceChildren(el("del", {}, ...title.childNodes));
      panel.append(el("section", { class: "curation", "aria-label": "Curation" },
        el("p", {}, el("span", { class: "badge rejected" }, "rejected"), " A curator rejected this fact: it is "
          + "out of every read and stays out when its articles are ingested again.")));
      return;
    }
    const factId = fact.id;
    const actions = {
      Reject: (why) => act(`/curation/facts/${enc(factId)}/reject`, { why }, "Rejected:", fact.subject.id),
    };
    if (fact.curation !== "confirmed") {
      actions.Confirm = (why) => act(`/curation/facts/${enc(factId)}/confirm`, { why }, "Confirmed:", "fact:" + factId);
    }
    panel.append(el("section", { class: "curation", "aria-label": "Curation" },
      fact.curation === "confirmed" ? el("p", {}, el("span", { class: "badge confirmed" }, "confirmed"),
                                         " A curator checked this fact.") : "",
      reasonForm("Why", actions)));
  });

  // ------------------------------------------------------------------------------------------ verdicts in view
  // The graph endpoints do not say which facts a curator confirmed or rejected: read them per expanded entity from
  // GET /v1/facts?include_rejected=true (as subject and as object), keep those with a verdict.
  async function factsWithVerdicts(entityId) {
    const found = [];
    for (const side of ["subject", "object"]) {
      let cursor = null;
      for (let i = 0; i < FACT_PAGES; i++) {
        const page = await call("GET", `/facts?${side}=${enc(entityId)}&include_rejected=true&limit=200`
                                       + (cursor ? `&cursor=${enc(cursor)}` : ""));
        found.push(...page.items.filter((f) => f.curation));
        cursor = page.nextCursor;
        if (!cursor) break;
      }
    }
    return found;
  }

  function verdictsOf(entityId) {
    if (!verdictCache.has(entityId)) verdictCache.set(entityId, factsWithVerdicts(entityId).catch(() => []));
    return verdictCache.get(entityId);
  }

  const edgeOf = (f) => ({ id: f.id, predicate: f.predicate, source: f.subject.id, target: f.object.id,
                           date: f.placedAt, dated: f.placedBy === "fact_date", modality: f.modality,
                           evidenceCount: Math.max(1, f.evidenceCount) });

  let marking = 0;
  async function markVerdicts() {
    if (!curating) return;
    const seq = ++marking;
    const lists = await Promise.all(x.state.expanded.map(verdictsOf));
    if (seq !== marking || !curating) return;
    const facts = new Map(lists.flat().map((f) => [f.id, f]));
    const showRejected = $("#show-rejected").checked;
    const rejected = showRejected ? [...facts.values()].filter((f) => f.curation === "rejected") : [];
    const shown = new Set(rejected.map((f) => "fact:" + f.id));
    const ends = new Map(rejected.flatMap((f) => [f.subject, f.object]).map((n) => [n.id, n]));
    cy.edges(".rejected").filter((e) => !shown.has(e.id())).remove();
    // an end that only a rejected fact brought into view leaves with it
    cy.nodes(".rejected-end").filter((n) => !ends.has(n.id()) && !n.hasClass("expanded")
      && n.connectedEdges().not(".rejected").empty()).remove();
    rejected.forEach((f) => x.factCache.set(f.id, f));
    const missing = [...ends.values()].filter((n) => cy.getElementById(n.id).empty());
    const added = x.addSubgraph({ nodes: missing.map((n) => ({ ...n, degree: 0 })), edges: rejected.map(edgeOf) });
    added.edges().addClass("rejected");
    added.nodes().addClass("rejected-end");
    cy.edges().forEach((e) => e.toggleClass("confirmed", (facts.get(e.data("factId")) || {}).curation === "confirmed"));
    x.applyView();
  }

  x.hooks.graph.push(markVerdicts);
  $("#show-rejected").addEventListener("change", markVerdicts);

  // ------------------------------------------------------------------------------------------ start
  const saved = store.getItem(KEY_ITEM);
  $("#curator").value = store.getItem(CURATOR_ITEM) || "";
  if (saved) useKey(saved, store.getItem(CURATOR_ITEM) || "");
  else setCurating(false);
  x.curation = { useKey, forgetKey, markVerdicts };
})();
