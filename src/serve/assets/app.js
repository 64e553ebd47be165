// newsdex page: every piece of data is put in the page as text (textContent, DOM nodes), never
// parsed as HTML. The URL holds the whole state: a link reproduces the view.
"use strict";

const FILTERS = ["country", "person", "org", "topic", "source"];
const FACET_TITLES = { country: "Countries", person: "People", org: "Organisations", topic: "Topics", source: "Sources", lang: "Languages" };
const PAGE = 20;
const $ = (id) => document.getElementById(id);

// A token given as #token=... is kept for this tab and sent as a bearer token; it never
// reaches the server in a URL.
(function keepToken() {
  const match = /^#token=(.+)$/.exec(location.hash);
  if (match) {
    sessionStorage.setItem("newsdex-token", decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
})();

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function state() {
  return new URLSearchParams(location.search);
}

function hrefWith(change) {
  const params = state();
  change(params);
  const text = params.toString();
  return text ? "/?" + text : "/";
}

function go(change) {
  history.pushState(null, "", hrefWith(change));
  render();
}

async function api(path, params) {
  const query = params ? "?" + params.toString() : "";
  const headers = {};
  const token = sessionStorage.getItem("newsdex-token");
  if (token) headers.Authorization = "Bearer " + token;
  const response = await fetch("/api/" + path + query, { headers });
  const body = await response.json();
  if (!response.ok) {
    const where = body.parameter ? " (" + body.parameter + ")" : "";
    throw new Error((body.error || response.statusText) + where);
  }
  return body;
}

// The filters and query of the state, as API parameters.
function queryParams(params) {
  const out = new URLSearchParams();
  const q = params.get("q");
  if (q) out.set("q", q);
  for (const name of FILTERS) for (const value of params.getAll(name)) out.append(name, value);
  for (const name of ["since", "until"]) if (params.get(name)) out.set(name, params.get(name));
  return out;
}

// The snippet marks matches with <b> on HTML-escaped text: split on the marks, unescape the
// rest and make text nodes.
function snippetNodes(snippet) {
  const unescape = (text) => text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
  const nodes = [];
  let bold = false;
  for (const part of snippet.split(/(<b>|<\/b>)/)) {
    if (part === "<b>") bold = true;
    else if (part === "</b>") bold = false;
    else if (part) nodes.push(bold ? el("b", {}, unescape(part)) : document.createTextNode(unescape(part)));
  }
  return nodes;
}

function dateOf(published) {
  return published ? published.slice(0, 10) : "undated";
}

function renderChips(params) {
  const chips = $("chips");
  chips.replaceChildren();
  for (const name of [...FILTERS, "since", "until"]) {
    for (const value of params.getAll(name)) {
      chips.append(el("button", {
        class: "chip", type: "button", title: "Remove this filter",
        onclick: () => go((p) => {
          const rest = p.getAll(name).filter((v) => v !== value);
          p.delete(name);
          for (const v of rest) p.append(name, v);
          p.delete("offset");
        }),
      }, name + ": " + value + " ✕"));
    }
  }
}

function addFilter(name, value) {
  go((p) => {
    if (!p.getAll(name).includes(value)) p.append(name, value);
    p.delete("offset");
    p.delete("article");
  });
}

function renderFacets(facets, sources) {
  const aside = $("facets");
  aside.replaceChildren();
  const groups = Object.assign({}, facets || {});
  if (sources) groups.source = sources.buckets;
  for (const kind of ["country", "person", "org", "topic", "source", "lang"]) {
    const buckets = groups[kind];
    if (!buckets || buckets.length === 0) continue;
    const list = el("ul", {});
    for (const bucket of buckets) {
      const label = bucket.name ? bucket.name + " (" + bucket.value + ")" : bucket.value;
      list.append(el("li", {}, el("button", {
        type: "button", "data-facet": kind, "data-value": bucket.value,
        onclick: () => addFilter(kind, bucket.value),
      }, el("span", {}, label), el("span", { class: "count" }, bucket.count))));
    }
    aside.append(el("h2", {}, FACET_TITLES[kind] || kind), list);
  }
}

function renderTimeline(table) {
  const box = $("timeline");
  box.replaceChildren();
  const old = $("timeline-axis");
  if (old) old.remove();
  const buckets = (table && table.buckets) || [];
  if (buckets.length < 2) { box.hidden = true; return; }
  box.hidden = false;
  const max = Math.max(...buckets.map((b) => b.count), 1);
  for (const bucket of buckets) {
    const bar = el("button", {
      type: "button", "data-month": bucket.value,
      title: bucket.value + ": " + bucket.count + " articles",
      "aria-label": bucket.value + ": " + bucket.count + " articles",
      onclick: () => go((p) => { p.set("since", bucket.value); p.set("until", bucket.value); p.delete("offset"); }),
    });
    bar.style.height = Math.max(2, Math.round((bucket.count / max) * 100)) + "%";
    box.append(bar);
  }
  box.after(el("div", { id: "timeline-axis" }, el("span", {}, buckets[0].value), el("span", {}, buckets[buckets.length - 1].value)));
}

function articleLink(hit) {
  return el("a", {
    href: hrefWith((p) => p.set("article", hit.id)),
    "data-id": hit.id,
    onclick: (event) => { event.preventDefault(); go((p) => p.set("article", hit.id)); },
  }, hit.title || hit.path);
}

function renderHits(result, offset) {
  const list = $("hits");
  list.replaceChildren();
  for (const hit of result.hits) {
    const meta = [dateOf(hit.published), hit.source, hit.path].filter(Boolean).join(" · ");
    const tags = [...hit.countries.map((c) => c.name), ...hit.people.slice(0, 3), ...hit.topics.slice(0, 2)].join(" · ");
    list.append(el("li", {},
      articleLink(hit),
      el("div", { class: "meta" }, meta),
      el("p", { class: "snippet" }, ...snippetNodes(hit.snippet)),
      tags ? el("div", { class: "tags" }, tags) : null));
  }
  const shown = result.hits.length;
  $("summary").textContent = result.total === 0 ? "No article matches."
    : (offset + 1) + "–" + (offset + shown) + " of " + result.total + " articles";
  const pager = $("pager");
  pager.replaceChildren();
  if (offset > 0) pager.append(el("button", { type: "button", onclick: () => go((p) => p.set("offset", Math.max(0, offset - PAGE))) }, "← Newer results"));
  if (offset + shown < result.total) pager.append(el("button", { type: "button", onclick: () => go((p) => p.set("offset", offset + PAGE)) }, "More results →"));
}

async function renderArticle(id) {
  const view = $("article");
  const main = document.querySelector("main");
  if (!id) { view.hidden = true; main.classList.remove("reading"); return; }
  view.hidden = false;
  main.classList.add("reading");
  view.replaceChildren(el("p", {}, "Loading…"));
  try {
    const [article, similar] = await Promise.all([
      api("articles/" + encodeURIComponent(id)),
      api("similar/" + encodeURIComponent(id), new URLSearchParams({ limit: "5" })),
    ]);
    const entity = (kind, value, label) => el("button", { type: "button", class: "chip", onclick: () => addFilter(kind, value) }, label);
    const similarList = el("ul", {});
    for (const hit of similar.hits) similarList.append(el("li", {}, articleLink(hit), " ", el("span", { class: "meta" }, dateOf(hit.published))));
    const section = (title, nodes) => (nodes.length ? [el("h2", {}, title), el("div", {}, ...nodes)] : []);
    const parts = [
      el("button", { id: "close", type: "button", title: "Close (Esc)", onclick: closeArticle }, "Close ✕"),
      el("h1", {}, article.title),
      article.subtitle ? el("p", {}, el("em", {}, article.subtitle)) : null,
      el("div", { class: "meta" }, [dateOf(article.published), article.source, article.byline, article.path].filter(Boolean).join(" · ")),
      article.url && /^https?:\/\//i.test(article.url) ? el("p", {}, el("a", { href: article.url, rel: "noreferrer noopener", target: "_blank" }, article.url)) : null,
      ...section("Countries", article.countries.map((c) => entity("country", c.code, c.name))),
      ...section("People", article.people.map((p) => entity("person", p, p))),
      ...section("Organisations", (article.orgs || []).map((o) => entity("org", o, o))),
      ...section(article.topic_confidence > 0 ? "Topics (confidence " + article.topic_confidence.toFixed(2) + ")" : "Topics", article.topics.map((t) => entity("topic", t, t))),
      el("div", { class: "body" }, article.body),
      el("h2", {}, "Similar articles"),
      similar.hits.length ? similarList : el("p", {}, "None."),
    ];
    view.replaceChildren(...parts.filter((part) => part !== null));
    view.focus({ preventScroll: true });
  } catch (error) {
    view.replaceChildren(el("p", { class: "error" }, error.message));
  }
}

function closeArticle() {
  go((p) => p.delete("article"));
}

let generation = 0;

async function render() {
  const params = state();
  const mine = ++generation;
  $("q").value = params.get("q") || "";
  $("sort").value = params.get("sort") === "date" ? "date" : "relevance";
  renderChips(params);
  const offset = parseInt(params.get("offset") || "0", 10) || 0;
  const search = queryParams(params);
  search.set("facets", "true");
  search.set("limit", String(PAGE));
  if (offset) search.set("offset", String(offset));
  if (params.get("sort") === "date") search.set("sort", "date");
  const sources = queryParams(params);
  sources.set("by", "source");
  sources.set("top", "10");
  const months = queryParams(params);
  months.set("by", "month");
  const articleView = renderArticle(params.get("article"));
  try {
    const [result, sourceTable, monthTable] = await Promise.all([
      api("search", search), api("facets", sources), api("facets", months),
    ]);
    if (mine !== generation) return;
    renderFacets(result.facets, sourceTable);
    renderTimeline(monthTable);
    renderHits(result, offset);
  } catch (error) {
    if (mine !== generation) return;
    $("hits").replaceChildren();
    $("pager").replaceChildren();
    $("summary").replaceChildren(el("span", { class: "error" }, error.message));
  }
  await articleView;
  document.body.dataset.ready = String(mine);
}

function start() {
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    go((p) => {
      const q = $("q").value.trim();
      if (q) p.set("q", q); else p.delete("q");
      p.delete("offset");
      p.delete("article");
    });
  });
  $("sort").addEventListener("change", () => go((p) => {
    if ($("sort").value === "date") p.set("sort", "date"); else p.delete("sort");
    p.delete("offset");
  }));
  $("home").addEventListener("click", (event) => { event.preventDefault(); go((p) => { for (const k of [...p.keys()]) p.delete(k); }); });
  document.addEventListener("keydown", (event) => {
    const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName);
    if (event.key === "/" && !typing) { event.preventDefault(); $("q").focus(); $("q").select(); }
    else if (event.key === "Escape" && state().get("article")) { event.preventDefault(); closeArticle(); }
  });
  window.addEventListener("popstate", render);
  render();
}

start();
