/* The text view: each source text with its place mentions, dates and event quotes marked;
 * a mark is a button that opens its place or its day. Built on first use. */

import { $, el } from "./dom.js";
import { expandRows } from "./steps.js";
// Story offsets count code points; one helper (offsets.js) converts them for the text
// view and the editor alike.
import { utf16At } from "./offsets.js";

/** Return the document's display edits (storymap.text.display: flat pairs of gap and a deleted
 * length or one new character, in code points) as sorted {s, e, text} in UTF-16 indices. */
export function decodeEdits(flat, at) {
  var out = [], pos = 0;
  for (var k = 0; k + 1 < (flat || []).length; k += 2) {
    var start = pos + flat[k], what = flat[k + 1];
    var end = start + (typeof what === "number" ? what : 1);
    out.push({ s: at(start), e: at(end), text: typeof what === "number" ? "" : String(what) });
    pos = end;
  }
  return out;
}

/** Return source ``text[s:e]`` as shown: the edits applied (``cursor.i`` moves forward as
 * the segments, built in order, do). */
function shownText(text, edits, s, e, cursor) {
  while (cursor.i < edits.length && edits[cursor.i].e <= s) cursor.i++;
  var out = "", pos = s;
  for (var j = cursor.i; j < edits.length && edits[j].s < e; j++) {
    var ed = edits[j];
    var a = Math.max(ed.s, s);
    if (a > pos) out += text.slice(pos, a);
    if (ed.text && ed.s >= s) out += ed.text;
    pos = Math.max(pos, Math.min(ed.e, e));
  }
  return out + text.slice(pos, e);
}

/** Give each event without a quote its first source as the text view shows it: the
 * standalone file leaves out the quotes that are exactly that (storymap.outputs.render
 * page_data, checked there with ``Document.shown``). */
export function fillQuotes(story) {
  var docs = {}, prepared = {};
  story.documents.forEach(function (d) { docs[d.id] = d; });
  story.events.forEach(function (ev) {
    if (typeof ev.quote === "string" || !ev.sources) return;  // no sources: words to come
    var src = ev.sources[0], doc = src && docs[src.doc];
    ev.quote = "";
    if (!doc || typeof doc.text !== "string") return;
    var c = prepared[doc.id];
    if (!c) {
      var at = utf16At(doc.text);
      c = prepared[doc.id] = { at: at, edits: decodeEdits(doc.edits, at) };
    }
    ev.quote = shownText(doc.text, c.edits, c.at(src.start), c.at(src.end), { i: 0 });
  });
  return story;
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

/** Create the text view of #sm-text; return {build, load, showInText, relabel}. The served
 * page carries no texts: they are fetched (config.text_url) when the view first opens. */
export function createTextView(app) {
  var story = app.model.story;
  var textBuilt = false, segments = {}, loading = null;

  /** Return a promise of the texts, their marks and dates in app.model.story. */
  function load() {
    if (loading) return loading;
    var url = app.config.text_url;
    if (!url) return (loading = Promise.resolve());
    loading = fetch(url).then(function (r) {
      if (!r.ok) throw new Error("texts: HTTP " + r.status);
      return r.json();
    }).then(function (data) {
      var byId = {};
      data.documents.forEach(function (d) { byId[d.id] = d; });
      story.documents.forEach(function (doc) {
        var got = byId[doc.id];
        if (got) { doc.text = got.text; doc.edits = got.edits; }
      });
      var rows = expandRows({ documents: story.documents, events: [], mentions: data.mentions,
        dates: data.dates, compact: data.compact });
      story.mentions = rows.mentions;
      story.dates = rows.dates;
    });
    return loading;
  }

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
    var at = utf16At(doc.text);
    var ranges = [];
    story.mentions.forEach(function (m, i) { if (m.doc === doc.id) ranges.push({ s: at(m.start), e: at(m.end), kind: m.place_id ? "place" : "unplaced", i: i }); });
    story.dates.forEach(function (d, i) { if (d.doc === doc.id) ranges.push({ s: at(d.start), e: at(d.end), kind: "date", i: i }); });
    var cuts = { 0: 1 };
    cuts[doc.text.length] = 1;
    ranges.forEach(function (r) { cuts[r.s] = 1; cuts[r.e] = 1; });
    app.model.events.forEach(function (ev) {
      (ev.sources || []).forEach(function (s) { if (s.doc === doc.id) { cuts[at(s.start)] = 1; cuts[at(s.end)] = 1; } });
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
    // Shown normalised and repaired (no "@-@", no "Pozna?"), marks still at source offsets.
    var edits = decodeEdits(doc.edits, at), cursor = { i: 0 };
    art.lang = app.textLang;
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
      span.textContent = shownText(doc.text, edits, s, e, cursor);
      segs.push({ s: s, e: e, node: span });
      body.appendChild(span);
    }
    segments[doc.id] = { segs: segs, at: at };
    art.appendChild(body);
    return art;
  }

  function build() {
    if (textBuilt) return loading;
    textBuilt = true;
    var box = $("sm-text");
    box.appendChild(el("h2", "sm-h2 sm-vh", app.t("text_label")));
    return load().then(function () {
      story.documents.forEach(function (doc) { box.appendChild(buildDoc(doc)); });
    }, function () {
      box.appendChild(el("p", "sm-count", app.t("text_failed")));
    }).then(bind);
  }

  function bind() {
    var box = $("sm-text");
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
        return (ev.sources || []).some(function (s) { return s.doc === m.doc && s.start <= m.start && s.end >= m.end; });
      });
      // The day of the event this very sentence tells, if any; never some other day of the
      // place (its first event may be years away): then the place's list of days opens.
      var target = evs[0];
      var i = target ? app.model.stepOfEvent(target) : -1;
      if (i >= 0) app.go(i, { push: true, fit: false });
      var p = app.model.places[m.place_id];
      if (p) {
        app.mapView.zoomTo(p);
        app.mapView.openPlace(p.id);
        if (i < 0) app.focusPanel();
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
    load().then(function () { highlight(src); }, function () {});
  }

  function highlight(src) {
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
      // A jump, not a glide: a smooth scroll across a long text can be cut short and leave
      // the quote at the screen's edge. Centred again once the view's layout has settled.
      first.scrollIntoView({ block: "center", behavior: "auto" });
      var again = first;
      (window.requestAnimationFrame || setTimeout)(function () { again.scrollIntoView({ block: "center", behavior: "auto" }); });
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

  return { build: build, load: load, showInText: showInText, relabel: relabel };
}
