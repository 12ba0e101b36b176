/* The text view: each source text with its place mentions, dates and event quotes marked;
 * a mark is a button that opens its place or its day. Built on first use. */

import { $, el } from "./dom.js";

/** Return code point → UTF-16 index (null when the text has no astral characters):
 * story offsets count code points, JavaScript strings count UTF-16 units. */
export function utf16Index(text) {
  if (!/[\uD800-\uDFFF]/.test(text)) return null;
  var map16 = [], i = 0;
  for (var cp = 0; i < text.length; cp++) {
    map16[cp] = i;
    var c = text.charCodeAt(i);
    i += c >= 0xd800 && c < 0xdc00 ? 2 : 1;
  }
  map16.push(text.length);
  return map16;
}

function docMeta(doc) {
  var meta = el("p", "sm-doc-meta", doc.license || "");
  if (/^https?:\/\//i.test(doc.url || "")) {
    var a = el("a", "", doc.url);
    a.href = doc.url; a.target = "_blank"; a.rel = "noopener noreferrer";
    meta.appendChild(document.createTextNode(doc.license ? " · " : ""));
    meta.appendChild(a);
  }
  return meta;
}

/** Create the text view of #sm-text; return {build, built, showInText, relabel}. */
export function createTextView(app) {
  var story = app.model.story;
  var textBuilt = false, segments = {};

  function markFor(r, covering) {
    var span = el(r.kind === "unplaced" ? "span" : "mark", "");
    covering.forEach(function (c) { span.classList.add("hl-" + c.kind); });
    if (r.kind !== "unplaced") {
      span.tabIndex = 0;
      span.setAttribute("role", "button");
      span.setAttribute("data-" + (r.kind === "date" ? "d" : "m"), String(r.i));
      span.title = app.t(r.kind === "date" ? "highlight_date" : "highlight_place");
    } else {
      span.title = app.t("unplaced");
    }
    return span;
  }

  function buildDoc(doc) {
    var idx = utf16Index(doc.text);
    var at = function (n) { return idx ? idx[Math.min(n, idx.length - 1)] : n; };
    var ranges = [];
    story.mentions.forEach(function (m, i) { if (m.doc === doc.id) ranges.push({ s: at(m.start), e: at(m.end), kind: m.place_id ? "place" : "unplaced", i: i }); });
    story.dates.forEach(function (d, i) { if (d.doc === doc.id) ranges.push({ s: at(d.start), e: at(d.end), kind: "date", i: i }); });
    var cuts = { 0: 1 };
    cuts[doc.text.length] = 1;
    ranges.forEach(function (r) { cuts[r.s] = 1; cuts[r.e] = 1; });
    app.model.events.forEach(function (ev) {
      ev.sources.forEach(function (s) { if (s.doc === doc.id) { cuts[at(s.start)] = 1; cuts[at(s.end)] = 1; } });
    });
    var points = Object.keys(cuts).map(Number).filter(function (n) { return n >= 0 && n <= doc.text.length; })
      .sort(function (a, b) { return a - b; });
    ranges.sort(function (a, b) { return a.s - b.s || (b.e - b.s) - (a.e - a.s); });
    var art = el("article", "sm-doc");
    art.appendChild(el("h3", "sm-doc-title", doc.title));
    if (doc.license || doc.url) art.appendChild(docMeta(doc));
    var body = el("div", "sm-doc-text");
    var segs = [];
    var ri = 0, open = [];
    for (var k = 0; k + 1 < points.length; k++) {
      var s = points[k], e = points[k + 1];
      if (e <= s) continue;
      while (ri < ranges.length && ranges[ri].s <= s) { open.push(ranges[ri]); ri++; }
      open = open.filter(function (r) { return r.e > s; });
      var span;
      var covering = open.filter(function (r) { return r.s <= s && r.e >= e; });
      if (covering.length) {
        // The innermost (shortest) range is what a click means.
        covering.sort(function (a, b) { return (a.e - a.s) - (b.e - b.s); });
        span = markFor(covering[0], covering);
      } else {
        span = el("span", "");
      }
      span.textContent = doc.text.slice(s, e);
      segs.push({ s: s, e: e, node: span });
      body.appendChild(span);
    }
    segments[doc.id] = { segs: segs, at: at };
    art.appendChild(body);
    return art;
  }

  function build() {
    if (textBuilt) return;
    textBuilt = true;
    var box = $("sm-text");
    box.appendChild(el("h2", "sm-h2 sm-vh", app.t("text_label")));
    story.documents.forEach(function (doc) { box.appendChild(buildDoc(doc)); });
    box.addEventListener("click", onActivate);
    box.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { if (onActivate(e)) e.preventDefault(); }
    });
  }

  function onActivate(e) {
    var node = e.target.closest ? e.target.closest("[data-m],[data-d]") : null;
    if (!node) return false;
    if (node.hasAttribute("data-m")) {
      var m = story.mentions[+node.getAttribute("data-m")];
      var here = app.model.placeEvents[m.place_id] || [];
      var evs = here.filter(function (ev) {
        return ev.sources.some(function (s) { return s.doc === m.doc && s.start <= m.start && s.end >= m.end; });
      });
      var target = evs[0] || here[0];
      if (target) app.go(app.model.stepOfEvent(target), { push: true, fit: false });
      var p = app.model.places[m.place_id];
      if (p) {
        app.mapView.zoomTo(p);
        app.mapView.openPlace(p.id);
      }
    } else {
      var d = story.dates[+node.getAttribute("data-d")];
      var i = app.model.findStep(d.date);
      if (i >= 0) app.go(i, { push: true, fit: true });
    }
    return true;
  }

  /** Switch to the text view and highlight (and focus) the quote of source ``src``. */
  function showInText(src) {
    app.setView("text", true);
    var info = segments[src.doc];
    if (!info) return;
    var s = info.at(src.start), e = info.at(src.end);
    var first = null;
    $("sm-text").querySelectorAll(".hl-quote").forEach(function (n) { n.classList.remove("hl-quote"); });
    info.segs.forEach(function (seg) {
      if (seg.s >= s && seg.e <= e) {
        seg.node.classList.add("hl-quote");
        if (!first) first = seg.node;
      }
    });
    if (first) {
      first.scrollIntoView({ block: "center", behavior: app.reducedMotion ? "auto" : "smooth" });
      if (!first.hasAttribute("tabindex")) first.tabIndex = -1;
      first.focus({ preventScroll: true });
    }
  }

  /** Retitle the marks after a language change. */
  function relabel() {
    if (!textBuilt) return;
    $("sm-text").querySelectorAll("[data-m]").forEach(function (n) { n.title = app.t("highlight_place"); });
    $("sm-text").querySelectorAll("[data-d]").forEach(function (n) { n.title = app.t("highlight_date"); });
  }

  return { build: build, showInText: showInText, relabel: relabel };
}
