// kg explorer: search, filters, neighbourhood and evidence panel over a vis-network graph.
// Every string that comes from the graph reaches the page through textContent, a title
// attribute or vis-network's canvas and tooltips (innerText): never through HTML parsing.
(function () {
  "use strict";

  var payload = JSON.parse(document.getElementById("kg-data").textContent);
  var details = payload.details;
  var wording = payload.wording;
  var panel = document.getElementById("kg-details");
  var progress = document.getElementById("kg-progress");
  var shown = document.getElementById("kg-shown");
  var hoodBox = document.getElementById("kg-hood");
  var orphansBox = document.getElementById("kg-orphans");
  var depthBox = document.getElementById("kg-depth");
  var search = document.getElementById("kg-search");
  var suggestionList = document.getElementById("kg-suggestions");

  var state = { hiddenClasses: {}, hiddenRelations: {}, hood: false, depth: 1, selected: null, hideOrphans: false };
  var nodeHidden = {};
  var edgeHidden = {};
  var adjacency = {};
  var ready = false;

  // --- helpers -------------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function label(id) { return details.nodes[id] ? details.nodes[id].label : id; }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : (many || one + "s")); }
  function linkButton(text, onClick) {
    var button = el("button", "kg-link", text);
    button.type = "button";
    button.addEventListener("click", onClick);
    return button;
  }
  function articleCount(evidence) {
    var seen = {};
    evidence.forEach(function (ev) { if (ev.article) { seen[ev.article] = true; } });
    return Object.keys(seen).length;
  }

  // --- the network ---------------------------------------------------------------------

  payload.nodes.forEach(function (n) { adjacency[n.id] = []; nodeHidden[n.id] = false; });
  payload.edges.forEach(function (e) {
    adjacency[e.from].push(e.id);
    if (e.to !== e.from) { adjacency[e.to].push(e.id); }
    edgeHidden[e.id] = false;
  });

  var nodes = new vis.DataSet(payload.nodes);
  var edges = new vis.DataSet(payload.edges);
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, {}, payload.options);
  // Nothing to lay out when there are no nodes: vis-network then never stabilises.
  var stable = !payload.nodes.length || !(payload.options.physics && payload.options.physics.enabled !== false);
  if (!payload.nodes.length) { network.setOptions({ physics: false }); }
  var started = performance.now();

  function markReady() {
    if (ready) { return; }
    ready = true;
    var done = function () {
      api.readyAt = performance.now();
      api.drawMs = api.readyAt - started;
      document.documentElement.setAttribute("data-kg-ready", "true");
    };
    if (window.requestIdleCallback) { window.requestIdleCallback(done, { timeout: 2000 }); } else { setTimeout(done, 0); }
  }

  network.on("stabilizationProgress", function (p) {
    progress.textContent = "laying out " + Math.round(100 * p.iterations / Math.max(1, p.total)) + "%";
  });
  network.once("stabilizationIterationsDone", function () {
    // Physics stabilises once, then stops: the page stays still and cheap afterwards.
    network.setOptions({ physics: false });
    stable = true;
    progress.textContent = "";
    network.once("afterDrawing", markReady);
    network.redraw();
  });
  network.on("afterDrawing", function () { if (stable) { markReady(); } });

  // Handlers first, data second: a stabilisation that finishes at once is not missed.
  network.setData({ nodes: nodes, edges: edges });

  document.getElementById("kg-stats").textContent =
    plural(payload.stats.entities, "entity", "entities") + " · " + plural(payload.stats.relations, "relation") +
    " · " + plural(payload.stats.articles, "article");

  // --- what is visible -----------------------------------------------------------------

  function edgeAllowed(edgeId) {
    var e = details.edges[edgeId];
    return !state.hiddenRelations[e.predicate] &&
      !state.hiddenClasses[details.nodes[e.from].cls] && !state.hiddenClasses[details.nodes[e.to].cls];
  }

  function neighbourhood(center, depth) {
    var seen = {};
    seen[center] = true;
    var frontier = [center];
    for (var hop = 0; hop < depth && frontier.length; hop++) {
      var next = [];
      frontier.forEach(function (id) {
        adjacency[id].forEach(function (edgeId) {
          if (!edgeAllowed(edgeId)) { return; }
          var e = details.edges[edgeId];
          var other = e.from === id ? e.to : e.from;
          if (!seen[other]) { seen[other] = true; next.push(other); }
        });
      });
      frontier = next;
    }
    return seen;
  }

  function applyVisibility(fit) {
    var center = state.hood && state.selected && !state.hiddenClasses[details.nodes[state.selected].cls] ? state.selected : null;
    var hood = center ? neighbourhood(center, state.depth) : null;
    var nodeChanges = [], edgeChanges = [], visibleNodes = [], visibleEdges = 0;
    payload.nodes.forEach(function (n) {
      var hidden = !!state.hiddenClasses[details.nodes[n.id].cls] || (hood !== null && !hood[n.id]) ||
        (state.hideOrphans && !adjacency[n.id].length);
      if (hidden !== nodeHidden[n.id]) { nodeHidden[n.id] = hidden; nodeChanges.push({ id: n.id, hidden: hidden }); }
      if (!hidden) { visibleNodes.push(n.id); }
    });
    payload.edges.forEach(function (e) {
      // vis-network leaves out the edges of hidden nodes by itself; updating edges is the costly
      // part on a large graph, so only the relation filter touches them.
      var hidden = !!state.hiddenRelations[details.edges[e.id].predicate];
      if (hidden !== edgeHidden[e.id]) { edgeHidden[e.id] = hidden; edgeChanges.push({ id: e.id, hidden: hidden }); }
      if (!hidden && !nodeHidden[e.from] && !nodeHidden[e.to]) { visibleEdges++; }
    });
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    if (edgeChanges.length) { edges.update(edgeChanges); }
    var text = "Showing " + visibleNodes.length + " of " + payload.nodes.length + " entities, " +
      visibleEdges + " of " + payload.edges.length + " relations.";
    if (state.hood && !center) { text += " Select an entity to see its neighbourhood."; }
    shown.textContent = text;
    if (fit && hood) { network.fit({ nodes: visibleNodes, animation: { duration: 300 } }); }
  }

  // --- the side panel ------------------------------------------------------------------

  function evidenceList(items) {
    var list = el("ol", "kg-evidence");
    if (!items.length) { list.appendChild(el("li", "kg-hint", "no evidence recorded")); }
    items.forEach(function (ev) {
      var item = el("li");
      var meta = el("div", "kg-meta");
      var article = el("span", "kg-article", "article " + (ev.article || "unknown"));
      if (ev.title) { article.setAttribute("title", ev.title); }
      meta.appendChild(article);
      meta.appendChild(el("span", "kg-date", ev.date || "undated"));
      if (ev.confidence !== null && ev.confidence !== undefined) { meta.appendChild(el("span", "kg-confidence", "confidence " + ev.confidence)); }
      if (ev.rule) { meta.appendChild(el("span", "kg-rule", ev.rule)); }
      if (ev.hedged) { meta.appendChild(el("span", "kg-hedged", "hedged")); }
      item.appendChild(meta);
      if (ev.sentence) { item.appendChild(el("blockquote", "kg-sentence", ev.sentence)); }
      if (ev.chain && ev.chain.length) { item.appendChild(el("div", "kg-chain", "coreference: " + ev.chain.join("; "))); }
      list.appendChild(item);
    });
    return list;
  }

  function factText(fact) {
    if (fact.kind === "age") {
      var text = "Age " + fact.value + " on " + (fact.asOf || "an unknown date");
      if (fact.birthYear !== null && fact.birthYear !== undefined) { text += " (born " + (fact.birthYear - 1) + " or " + fact.birthYear + ")"; }
      return text;
    }
    return (fact.kind === "birthDate" ? "Born " : "Died ") + fact.value;
  }

  function warnings(conflicts) {
    var box = el("div");
    conflicts.forEach(function (c) { box.appendChild(el("div", "kg-warning", "Contradiction: " + (c.text || c))); });
    return box;
  }

  function mergeLedger(merges) {
    // The merge ledger: which names became this entity and why; merges kept from happening.
    var box = el("div", "kg-merges");
    box.appendChild(el("h4", null, "Names and merges"));
    var list = el("ul", "kg-relations");
    merges.forEach(function (m) {
      var li = el("li", "kg-merge");
      li.setAttribute("data-kind", m.kind);
      var names = m.names.join(", ");
      var head = m.kind === "merged" ?
        "also called " + names + ": merged because " + (m.reason || "of rule " + m.rule) :
        (names ? names + ": " : "") + "kept apart" + (m.others.length ? " from " + m.others.join(", ") : "") +
          " because " + (m.reason || "of rule " + m.rule);
      li.appendChild(el("div", null, head));
      var meta = el("div", "kg-meta");
      if (m.rule) { meta.appendChild(el("span", "kg-rule", m.rule)); }
      m.articles.forEach(function (a) { meta.appendChild(el("span", "kg-article", "article " + a)); });
      li.appendChild(meta);
      list.appendChild(li);
    });
    box.appendChild(list);
    return box;
  }

  function showHint() {
    clear(panel);
    panel.appendChild(el("h2", null, "Evidence"));
    panel.appendChild(el("p", "kg-hint", "Click a node or an edge, or find an entity by name, to see what the articles say and which sentences say it."));
  }

  var predicateOrder = {};
  payload.relations.forEach(function (r, i) { predicateOrder[r.name] = i; });

  function relationGroups(id) {
    // One group per way of being related ("child", "parent", "co-star"), family first.
    var groups = {}, order = [];
    adjacency[id].forEach(function (edgeId) {
      var e = details.edges[edgeId];
      var outgoing = e.from === id;
      var words = wording[e.predicate] || { forward: e.predicate, inverse: e.predicate };
      var name = outgoing ? words.forward : words.inverse;
      if (!groups[name]) { groups[name] = { name: name, key: 2 * predicateOrder[e.predicate] + (outgoing ? 0 : 1), items: [] }; order.push(groups[name]); }
      groups[name].items.push({ edgeId: edgeId, other: outgoing ? e.to : e.from });
    });
    order.sort(function (a, b) { return a.key - b.key; });
    order.forEach(function (group) {
      group.items.sort(function (a, b) { return label(a.other).localeCompare(label(b.other)); });
    });
    return order;
  }

  function showNode(id) {
    var info = details.nodes[id];
    if (!info) { return; }
    clear(panel);
    panel.scrollTop = 0;
    panel.setAttribute("data-node", id);
    panel.removeAttribute("data-edge");
    panel.appendChild(el("h2", null, "Entity"));
    panel.appendChild(el("h3", "kg-title", info.label));
    var badges = el("div");
    badges.appendChild(el("span", "kg-badge", info.cls));
    if (info.conflicts.length) { badges.appendChild(el("span", "kg-badge kg-bad", plural(info.conflicts.length, "contradiction"))); }
    panel.appendChild(badges);
    panel.appendChild(el("div", "kg-iri", info.iri));
    if (info.aliases.length) { panel.appendChild(el("p", "kg-aliases", "Also called: " + info.aliases.join(", "))); }
    panel.appendChild(warnings(info.conflicts));
    if (info.merges && info.merges.length) { panel.appendChild(mergeLedger(info.merges)); }

    if (info.facts.length) {
      panel.appendChild(el("h4", null, "Facts"));
      info.facts.forEach(function (fact) {
        panel.appendChild(el("div", "kg-fact", factText(fact)));
        panel.appendChild(evidenceList(fact.evidence));
      });
    }

    var groups = relationGroups(id);
    var total = adjacency[id].length;
    panel.appendChild(el("h4", null, "Relations (" + total + ")"));
    if (!total) { panel.appendChild(el("p", "kg-hint", "none recorded")); }
    var collapse = total > 25;
    groups.forEach(function (group) {
      panel.appendChild(el("h5", "kg-group", group.name + " (" + group.items.length + ")"));
      var list = el("ul", "kg-relations");
      group.items.forEach(function (item) {
        var edge = details.edges[item.edgeId];
        var li = el("li", "kg-relation");
        li.setAttribute("data-edge", item.edgeId);
        var head = el("div", "kg-rel-head");
        head.appendChild(linkButton(label(item.other), function () { select(item.other, true); }));
        head.appendChild(el("span", "kg-sub", details.nodes[item.other].cls + " · " +
          plural(articleCount(edge.evidence), "article") + " · " + plural(edge.evidence.length, "sentence")));
        head.appendChild(linkButton("relation ›", function () { selectEdge(item.edgeId); }));
        li.appendChild(head);
        edge.conflicts.forEach(function (text) { li.appendChild(el("div", "kg-warning", "Contradiction: " + text)); });
        if (collapse) {
          var more = el("details");
          more.appendChild(el("summary", null, "evidence"));
          more.appendChild(evidenceList(edge.evidence));
          li.appendChild(more);
        } else {
          li.appendChild(evidenceList(edge.evidence));
        }
        list.appendChild(li);
      });
      panel.appendChild(list);
    });
  }

  function showEdge(id) {
    var info = details.edges[id];
    if (!info) { return; }
    clear(panel);
    panel.scrollTop = 0;
    panel.setAttribute("data-edge", id);
    panel.removeAttribute("data-node");
    panel.appendChild(el("h2", null, "Relation"));
    var heading = el("h3", "kg-title");
    heading.appendChild(linkButton(label(info.from), function () { select(info.from, true); }));
    heading.appendChild(document.createTextNode(" " + info.predicate + " "));
    heading.appendChild(linkButton(label(info.to), function () { select(info.to, true); }));
    panel.appendChild(heading);
    var words = wording[info.predicate];
    if (words && words.forward !== words.inverse) {
      panel.appendChild(el("p", "kg-hint", label(info.to) + " is " + words.forward + " of " + label(info.from) + "; " +
        label(info.from) + " is " + words.inverse + " of " + label(info.to) + "."));
    }
    panel.appendChild(warnings(info.conflicts));
    var others = adjacency[info.from].filter(function (edgeId) {
      var e = details.edges[edgeId];
      return edgeId !== id && (e.from === info.to || e.to === info.to);
    });
    if (others.length) {
      panel.appendChild(el("h4", null, "Also between them"));
      var list = el("ul", "kg-relations");
      others.forEach(function (edgeId) {
        var e = details.edges[edgeId];
        var li = el("li");
        li.appendChild(linkButton(label(e.from) + " " + e.predicate + " " + label(e.to), function () { selectEdge(edgeId); }));
        list.appendChild(li);
      });
      panel.appendChild(list);
    }
    panel.appendChild(el("h4", null, "Evidence: " + plural(articleCount(info.evidence), "article") + ", " + plural(info.evidence.length, "sentence")));
    panel.appendChild(evidenceList(info.evidence));
  }

  // --- selecting -----------------------------------------------------------------------

  function reveal(id) {
    var cls = details.nodes[id].cls;
    if (state.hiddenClasses[cls]) { toggleClass(cls); }
  }

  // --- edge labels: from a zoom up, and always for the hovered edge and the selected entity's

  var edgeFont = payload.options.edges && payload.options.edges.font ? payload.options.edges.font.size : 10;
  var labelThreshold = payload.options.edges && payload.options.edges.scaling ?
    payload.options.edges.scaling.label.drawThreshold : 5;
  var emphasised = {};

  function labelUpdate(edgeId, on) {
    var size = on ? Math.max(edgeFont, Math.round(12 / Math.max(network.getScale(), 0.05))) : edgeFont;
    return { id: edgeId, font: { size: size }, scaling: { label: { drawThreshold: on ? 1 : labelThreshold } } };
  }
  function emphasise(ids) {
    var changes = [];
    Object.keys(emphasised).forEach(function (edgeId) {
      if (ids.indexOf(edgeId) < 0) { delete emphasised[edgeId]; changes.push(labelUpdate(edgeId, false)); }
    });
    ids.forEach(function (edgeId) { emphasised[edgeId] = true; changes.push(labelUpdate(edgeId, true)); });
    if (changes.length && payload.edges.length && payload.edges[0].label !== undefined) { edges.update(changes); }
  }
  function selectedEdges() { return state.selected && adjacency[state.selected] ? adjacency[state.selected].slice() : []; }
  network.on("hoverEdge", function (params) { emphasise(selectedEdges().concat([String(params.edge)])); });
  network.on("blurEdge", function () { emphasise(selectedEdges()); });
  network.on("zoom", function () { emphasise(Object.keys(emphasised)); });

  function select(id, focus) {
    if (!details.nodes[id]) { return; }
    reveal(id);
    state.selected = id;
    emphasise(selectedEdges());
    if (state.hood) { applyVisibility(false); }
    network.selectNodes([id]);
    if (focus) {
      network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 350, easingFunction: "easeInOutQuad" } });
    }
    showNode(id);
  }

  function selectEdge(edgeId) {
    var e = details.edges[edgeId];
    reveal(e.from);
    reveal(e.to);
    if (state.hiddenRelations[e.predicate]) { toggleRelation(e.predicate); }
    if (nodeHidden[e.from] || nodeHidden[e.to]) { state.selected = e.from; applyVisibility(false); }
    network.selectEdges([edgeId]);
    showEdge(edgeId);
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      state.selected = params.nodes[0];
      emphasise(selectedEdges());
      if (state.hood) { applyVisibility(true); }
      showNode(params.nodes[0]);
    } else if (params.edges.length) {
      showEdge(params.edges[0]);
    } else {
      state.selected = null;
      emphasise([]);
      if (state.hood) { applyVisibility(false); }
      showHint();
    }
  });

  // --- search with completion ----------------------------------------------------------

  var index = payload.nodes.map(function (n) {
    var info = details.nodes[n.id];
    return { id: n.id, label: info.label, low: info.label.toLowerCase(), aliases: info.aliases, lowAliases: info.aliases.map(function (a) { return a.toLowerCase(); }) };
  });
  index.sort(function (a, b) { return a.low < b.low ? -1 : a.low > b.low ? 1 : 0; });
  var suggestions = [];
  var active = -1;

  function rank(entry, query) {
    if (entry.low === query) { return [0, null]; }
    if (entry.low.indexOf(query) === 0) { return [1, null]; }
    for (var i = 0; i < entry.lowAliases.length; i++) { if (entry.lowAliases[i] === query) { return [2, entry.aliases[i]]; } }
    if (entry.low.indexOf(" " + query) >= 0) { return [3, null]; }
    for (i = 0; i < entry.lowAliases.length; i++) { if (entry.lowAliases[i].indexOf(query) === 0) { return [4, entry.aliases[i]]; } }
    if (entry.low.indexOf(query) >= 0) { return [5, null]; }
    for (i = 0; i < entry.lowAliases.length; i++) { if (entry.lowAliases[i].indexOf(query) >= 0) { return [6, entry.aliases[i]]; } }
    return null;
  }

  function matches(query) {
    var found = [];
    index.forEach(function (entry, order) {
      var r = rank(entry, query);
      if (r) { found.push({ id: entry.id, rank: r[0], alias: r[1], order: order }); }
    });
    found.sort(function (a, b) { return a.rank - b.rank || a.order - b.order; });
    return found.slice(0, 12);
  }

  function closeSuggestions() {
    suggestions = [];
    active = -1;
    clear(suggestionList);
    suggestionList.hidden = true;
    search.setAttribute("aria-expanded", "false");
    search.removeAttribute("aria-activedescendant");
  }

  function setActive(i) {
    active = i;
    Array.prototype.forEach.call(suggestionList.children, function (li, j) { li.setAttribute("aria-selected", j === i ? "true" : "false"); });
    if (i >= 0) { search.setAttribute("aria-activedescendant", "kg-option-" + i); }
  }

  function openSuggestions() {
    var query = search.value.trim().toLowerCase();
    clear(suggestionList);
    suggestions = query ? matches(query) : [];
    active = -1;
    if (!suggestions.length) {
      if (query) {
        suggestionList.appendChild(el("li", "kg-hint", "no entity matches"));
        suggestionList.hidden = false;
      } else {
        suggestionList.hidden = true;
      }
      search.setAttribute("aria-expanded", query ? "true" : "false");
      return;
    }
    suggestions.forEach(function (s, i) {
      var info = details.nodes[s.id];
      var li = el("li");
      li.id = "kg-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.setAttribute("data-node", s.id);
      li.appendChild(el("span", "kg-name", info.label));
      li.appendChild(el("span", "kg-sub", info.cls + (s.alias ? " · also called " + s.alias : "") +
        " · " + plural(adjacency[s.id].length, "relation")));
      li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
      suggestionList.appendChild(li);
    });
    suggestionList.hidden = false;
    search.setAttribute("aria-expanded", "true");
    setActive(0);
  }

  function choose(i) {
    var s = suggestions[i];
    if (!s) { return; }
    search.value = details.nodes[s.id].label;
    closeSuggestions();
    select(s.id, true);
  }

  search.addEventListener("input", openSuggestions);
  search.addEventListener("focus", function () { if (search.value.trim()) { openSuggestions(); } });
  search.addEventListener("blur", function () { setTimeout(closeSuggestions, 0); });
  search.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (suggestionList.hidden) { openSuggestions(); }
      if (suggestions.length) {
        var step = event.key === "ArrowDown" ? 1 : -1;
        setActive((active + step + suggestions.length) % suggestions.length);
      }
      event.preventDefault();
    } else if (event.key === "Enter") {
      if (!suggestions.length) { openSuggestions(); }
      choose(active >= 0 ? active : 0);
      event.preventDefault();
    } else if (event.key === "Escape") {
      closeSuggestions();
    }
  });

  // --- filters -------------------------------------------------------------------------

  function toggleClass(cls) {
    state.hiddenClasses[cls] = !state.hiddenClasses[cls];
    var button = document.querySelector('#kg-legend button[data-class="' + cls + '"]');
    if (button) { button.setAttribute("aria-pressed", state.hiddenClasses[cls] ? "false" : "true"); }
    applyVisibility(false);
  }

  function toggleRelation(predicate) {
    state.hiddenRelations[predicate] = !state.hiddenRelations[predicate];
    var button = document.querySelector('#kg-legend button[data-relation="' + predicate + '"]');
    if (button) { button.setAttribute("aria-pressed", state.hiddenRelations[predicate] ? "false" : "true"); }
    applyVisibility(false);
  }

  Array.prototype.forEach.call(document.querySelectorAll("#kg-legend button[data-class]"), function (button) {
    button.addEventListener("click", function () { toggleClass(button.getAttribute("data-class")); });
  });
  Array.prototype.forEach.call(document.querySelectorAll("#kg-legend button[data-relation]"), function (button) {
    button.addEventListener("click", function () { toggleRelation(button.getAttribute("data-relation")); });
  });
  hoodBox.addEventListener("change", function () { state.hood = hoodBox.checked; applyVisibility(true); });
  orphansBox.addEventListener("change", function () { state.hideOrphans = orphansBox.checked; applyVisibility(false); });
  depthBox.addEventListener("change", function () { state.depth = parseInt(depthBox.value, 10) || 1; applyVisibility(true); });
  document.getElementById("kg-fit").addEventListener("click", function () { network.fit({ animation: { duration: 300 } }); });
  document.getElementById("kg-reset").addEventListener("click", function () {
    state.hiddenClasses = {};
    state.hiddenRelations = {};
    state.hood = false;
    hoodBox.checked = false;
    state.hideOrphans = false;
    orphansBox.checked = false;
    Array.prototype.forEach.call(document.querySelectorAll("#kg-legend button[aria-pressed]"), function (b) { b.setAttribute("aria-pressed", "true"); });
    applyVisibility(false);
    network.fit({ animation: { duration: 300 } });
  });

  // --- for scripts and tests: read-only handles on the page's state --------------------

  var api = {
    network: network,
    nodes: nodes,
    edges: edges,
    layout: payload.layout,
    readyAt: null,
    drawMs: null,
    selected: function () { return state.selected; },
    select: function (id) { select(id, true); },
    selectEdge: selectEdge,
    toggleClass: toggleClass,
    toggleRelation: toggleRelation,
    focus: payload.focus,
    edgeLabelShown: function (edgeId) {
      var e = network.body.edges[edgeId];
      if (!e || e.options.label === undefined || e.options.label === null) { return false; }
      return e.labelModule.fontOptions.size * network.getScale() >= e.options.scaling.label.drawThreshold - 1;
    },
    hoverEdge: function (edgeId) { emphasise(selectedEdges().concat([edgeId])); },
    blurEdge: function () { emphasise(selectedEdges()); }
  };
  window.kgExplorer = api;

  applyVisibility(false);
  if (payload.focus && details.nodes[payload.focus]) {
    // kg viz --focus NAME: the page opens with that entity selected.
    select(payload.focus, false);
  } else {
    showHint();
  }
}());
