/* "Print this day": a hand-out of the current step on paper (A4 or Letter). The day's map
 * as a picture that fits the page, its events with their quotes and sources, and the
 * credits of the About panel. The events are grouped as in the panel: the day's news,
 * then a "Continuing" heading over the ranges and looks back. Built into #sm-print (hidden on screen; static/app/print.css
 * shows only it when printing) by the button, and by the browser's own print command.
 *
 * The picture is an SVG copy of what the map shows: the loaded tiles as <image>s, the
 * Leaflet vector panes (offline basemap, areas, pins) and the labels, each placed where it
 * is on screen. It stays inline (not an <img>) so the tiles, which an SVG image may not
 * load, still print. Story strings go in with textContent only. */

import { $, el } from "./dom.js";
import { fillAbout } from "./dialogs.js";
import { isContinuing } from "./steps.js";

var SVG = "http://www.w3.org/2000/svg";

function svgEl(tag, attrs) {
  var node = document.createElementNS(SVG, tag);
  Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
  return node;
}

/** Return an <svg> picture of the map as it is on screen. */
export function mapPicture(map) {
  var box = map.getContainer().getBoundingClientRect();
  var w = Math.max(1, Math.round(box.width)), h = Math.max(1, Math.round(box.height));
  var out = svgEl("svg", { xmlns: SVG, viewBox: "0 0 " + w + " " + h, width: w, height: h, role: "img" });
  out.appendChild(svgEl("rect", { x: 0, y: 0, width: w, height: h, fill: "#e9e6df" }));
  var inside = function (r) { return r.right > box.left && r.left < box.right && r.bottom > box.top && r.top < box.bottom; };
  map.getContainer().querySelectorAll("img.leaflet-tile-loaded").forEach(function (img) {
    var r = img.getBoundingClientRect();
    if (!inside(r)) return;
    out.appendChild(svgEl("image", { href: img.src, x: r.left - box.left, y: r.top - box.top, width: r.width, height: r.height }));
  });
  // Panes stack by z-index, not by their order in the page (the basemap's pane comes last
  // in the DOM and sits under the pins).
  var svgs = Array.prototype.slice.call(map.getContainer().querySelectorAll(".leaflet-pane > svg"));
  var z = function (node) { return +getComputedStyle(node.parentNode).zIndex || 0; };
  svgs.sort(function (a, b) { return z(a) - z(b); });
  svgs.forEach(function (svg) {
    var r = svg.getBoundingClientRect();
    if (!inside(r)) return;
    var copy = svg.cloneNode(true);
    copy.setAttribute("x", String(r.left - box.left));
    copy.setAttribute("y", String(r.top - box.top));
    copy.setAttribute("width", String(r.width));
    copy.setAttribute("height", String(r.height));
    copy.removeAttribute("style");
    copy.removeAttribute("class");
    out.appendChild(copy);
  });
  map.getContainer().querySelectorAll(".sm-label-text, .sm-stack").forEach(function (node) {
    var r = node.getBoundingClientRect();
    if (!inside(r)) return;
    var x = r.left - box.left, y = r.top - box.top;
    var stack = node.classList.contains("sm-stack");
    var base = node.classList.contains("sm-label-base");
    if (stack) {
      out.appendChild(svgEl("circle", { cx: x + r.width / 2, cy: y + r.height / 2, r: r.width / 2, fill: "#1d2125", stroke: "#fff", "stroke-width": 2 }));
    } else {
      out.appendChild(svgEl("rect", { x: x, y: y, width: r.width, height: r.height, rx: 3, fill: "#fff", "fill-opacity": base ? 0 : 0.85 }));
    }
    var text = svgEl("text", {
      x: x + r.width / 2, y: y + r.height / 2, "text-anchor": "middle", "dominant-baseline": "central",
      "font-family": "system-ui, 'DejaVu Sans', sans-serif", "font-size": base ? 12 : 13,
      "font-weight": base ? 400 : 600, "font-style": base ? "italic" : "normal", fill: stack ? "#fff" : base ? "#50575e" : "#1d2125"
    });
    text.textContent = node.textContent;
    out.appendChild(text);
  });
  return out;
}

function eventBlock(app, ev) {
  var li = el("li", "sm-print-event");
  if (typeof ev.title !== "string") return li;  // a large story's words not come yet
  var head = el("h3", "sm-print-title");
  if (ev.time) head.appendChild(el("span", "sm-print-time", app.timeLabel(ev.time)));
  head.appendChild(el("span", "", ev.title)).lang = app.textLang;
  li.appendChild(head);
  if (ev.end_date || ev.precision !== "day") li.appendChild(el("p", "sm-print-date", app.formatRange(ev)));
  if (ev.places.length) {
    var line = li.appendChild(el("p", "sm-print-places", app.t("places") + ": "));
    ev.places.forEach(function (ref, i) {
      var p = app.model.places[ref.place_id];
      if (i) line.appendChild(document.createTextNode(", "));
      line.appendChild(el("span", "", p ? app.pinName(p) : ref.mention)).lang = p ? app.placeLang(p) : app.textLang;
    });
  }
  li.appendChild(el("blockquote", "sm-print-quote", ev.quote)).lang = app.textLang;
  var seen = {};
  ev.sources.forEach(function (src) {
    if (seen[src.doc]) return;
    seen[src.doc] = true;
    var doc = app.model.docs[src.doc];
    var cite = el("p", "sm-print-source", app.t("source") + ": ");
    cite.appendChild(el("cite", "", doc ? doc.title : src.doc)).lang = app.textLang;
    if (doc && /^https?:\/\//i.test(doc.url || "")) cite.appendChild(document.createTextNode(" — " + doc.url));
    li.appendChild(cite);
  });
  return li;
}

/** Build the hand-out of the current step into #sm-print; return the section. */
export function buildPrint(app) {
  var section = $("sm-print");
  if (!section) {
    section = el("section", "sm-print");
    section.id = "sm-print";
    document.body.appendChild(section);
  }
  section.textContent = "";
  var step = app.model.steps[app.state.step];
  if (!step) return section;
  var title = document.querySelector(".sm-title");
  var story = section.appendChild(el("p", "sm-print-story", title ? title.textContent : document.title));
  if (title && title.lang) story.lang = title.lang;
  section.appendChild(el("h1", "sm-print-day", app.stepLabel(step)));
  section.appendChild(el("p", "sm-print-count", step.events.length ? app.countText(step.events.length) : app.t("no_events")));
  if (app.state.view !== "list" && app.state.view !== "text") {
    var figure = el("figure", "sm-print-map");
    figure.appendChild(mapPicture(app.mapView.map));
    section.appendChild(figure);
  }
  // The panel's grouping (panel.js renderEvents): the day's news, then what is continuing
  // under its own heading; step.events is already in that order (steps.js).
  var list = el("ol", "sm-print-events");
  section.appendChild(list);
  step.events.forEach(function (ev) {
    if (list.className === "sm-print-events" && step.kind === "day" && isContinuing(ev, step.date)) {
      section.appendChild(el("h2", "sm-print-continuing", app.t("continuing")));
      list = el("ol", "sm-print-events sm-print-events-continuing");
      section.appendChild(list);
    }
    list.appendChild(eventBlock(app, ev));
  });
  if (!section.querySelector(".sm-print-events").firstChild) section.removeChild(section.querySelector(".sm-print-events"));
  var credits = el("section", "sm-print-credits");
  credits.appendChild(el("h2", "", app.t("about_credits")));
  var about = $("sm-about");
  if (about) {
    fillAbout(app);  // in the language shown now
    about.querySelectorAll(".sm-about-list li").forEach(function (li) {
      // A copy of the line, so its parts keep the language they are marked with.
      var line = el("p", "");
      li.childNodes.forEach(function (n) { line.appendChild(n.cloneNode(true)); });
      var a = li.querySelector("a[href^='http']");
      if (a && line.textContent.indexOf(a.href) < 0) line.appendChild(document.createTextNode(" (" + a.href + ")"));
      credits.appendChild(line);
    });
  }
  credits.appendChild(el("p", "sm-print-url", app.t("print_from") + " " + shareUrl()));
  section.appendChild(credits);
  app.root.classList.add("sm-print-ready");
  return section;
}

// A file:// path says nothing on paper; the address of a served page does.
function shareUrl() { return /^https?:/.test(location.protocol) ? location.href : document.title; }

/** Add the "Print this day" button to the toolbar and keep the print section current. */
export function bindPrint(app) {
  var bar = document.querySelector(".sm-toolbar");
  if (bar) {
    var btn = el("button", "sm-btn", app.t("print_day"));
    btn.type = "button";
    btn.id = "sm-print-open";
    btn.setAttribute("data-i18n", "print_day");
    btn.addEventListener("click", function () { buildPrint(app); window.print(); });
    var about = $("sm-about-open");
    bar.insertBefore(btn, about && about.parentNode === bar ? about : null);
  }
  // The browser's own print command (Ctrl+P) prints the same hand-out.
  window.addEventListener("beforeprint", function () { if (app.ready) buildPrint(app); });
}
