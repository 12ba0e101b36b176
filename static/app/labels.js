/* Labels on the map: today's places carry their name where there is room, stacked pins
 * become one badge with a count that opens as a list, and the offline basemap names the
 * big places it draws.
 *
 * Collision-aware: labels are placed in rank order (today's events at the place, then
 * story order), each at the first of four spots beside its pin that overlaps no label
 * placed before it and stays inside the map; a label with no free spot is left out, so
 * the lower-ranked label is the one hidden and no two labels ever overlap. Basemap names
 * come last (they are context). Pins closer than STACK_PX on screen are one stack: the
 * highest-ranked place leads it, the badge says how many, a click lists them.
 * Story strings go in with textContent only. */

import { el } from "./dom.js";
import { pinRadius } from "./pins.js";

var STACK_PX = 14;      // pins closer than this (screen px) are drawn as one stack
var GAP = 3;            // px kept free around each label
var FONT = "600 13px system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', sans-serif";
var TOWN_FONT = "12px system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', sans-serif";
var BIG_FONT = "600 " + TOWN_FONT, DIVISION_FONT = "11px" + TOWN_FONT.slice(4);
var BASE_FONT = "italic 12px system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', sans-serif";

/** Return a function measuring text width in px for a CSS font (cached per string). */
function measurer() {
  var ctx = null, cache = {};
  return function (text, font) {
    var key = font + "\u0000" + text;
    if (cache[key] === undefined) {
      if (!ctx) ctx = document.createElement("canvas").getContext("2d");
      if (ctx) { ctx.font = font; cache[key] = Math.ceil(ctx.measureText(text).width); }
      else cache[key] = text.length * 7;
    }
    return cache[key];
  };
}

function overlaps(a, b) {
  return a.x < b.x + b.w + GAP && b.x < a.x + a.w + GAP && a.y < b.y + b.h + GAP && b.y < a.y + a.h + GAP;
}

/** Return the first box beside point ``pt`` (radius r) of size w×h that is free, or null. */
function placeBox(pt, r, w, h, taken, size) {
  var spots = [
    { x: pt.x + r + 3, y: pt.y - h / 2 },          // right
    { x: pt.x - r - 3 - w, y: pt.y - h / 2 },      // left
    { x: pt.x - w / 2, y: pt.y - r - 2 - h },      // above
    { x: pt.x - w / 2, y: pt.y + r + 2 }           // below
  ];
  for (var i = 0; i < spots.length; i++) {
    var box = { x: spots[i].x, y: spots[i].y, w: w, h: h };
    if (box.x < 2 || box.y < 2 || box.x + w > size.x - 2 || box.y + h > size.y - 2) continue;
    var free = true;
    for (var j = 0; j < taken.length && free; j++) free = !overlaps(box, taken[j]);
    if (free) return box;
  }
  return null;
}

/** Group ranked points into stacks: a point within STACK_PX of a stack's lead joins it. */
export function stacksOf(items) {
  var stacks = [];
  items.forEach(function (it) {
    for (var i = 0; i < stacks.length; i++) {
      var lead = stacks[i].lead;
      if (Math.abs(lead.pt.x - it.pt.x) < STACK_PX && Math.abs(lead.pt.y - it.pt.y) < STACK_PX) {
        stacks[i].members.push(it);
        return;
      }
    }
    stacks.push({ lead: it, members: [it] });
  });
  return stacks;
}

/** Return a point to name a basemap feature at: a polygon's centre, a line's middle vertex. */
function anchorOf(layer) {
  var type = (layer.feature && layer.feature.geometry && layer.feature.geometry.type) || "";
  if (/Polygon/.test(type)) return layer.getBounds().getCenter();
  if (!layer.getLatLngs) return null;
  var flat = layer.getLatLngs();
  // A multi-line: name its longest part.
  while (flat.length && Array.isArray(flat[0])) flat = flat.reduce(function (a, b) { return a.length > b.length ? a : b; });
  return flat.length ? flat[Math.floor(flat.length / 2)] : null;
}

// Basemap layers that get a name, with the least zoom at which they do and their rank
// (lower first: a label placed first wins a collision). The region files' own names (a
// city, a lake, a city's districts) outrank the detail's; a town ranks by the zoom it is
// named from (its size); a division's name comes after the towns of 100,000 people.
var BASE_NAMES = { city: 6, country: 5, lake: 7, river: 6, district: 12 };
var BASE_RANK = { city: 0, country: 1, lake: 2, river: 2.5, district: 3, division: 7.5, waterway: 9.5 };

/** Create the labels of ``app.mapView``; return {update(step), setBasemap(layer), stacks()}. */
export function createLabels(app) {
  var L = window.L, map = app.mapView.map;
  var pane = map.createPane("sm-labels");
  pane.style.zIndex = "640";   // above markers (600), below tooltips and popups (650, 700)
  pane.style.pointerEvents = "none";
  var width = measurer();
  var current = null, basemap = [], frame = 0, lastStacks = [];
  var nodes = [];

  function clear() {
    nodes.forEach(function (n) { if (n.parentNode) n.parentNode.removeChild(n); });
    nodes = [];
  }

  function todayItems(step) {
    var counts = {}, order = [];
    step.events.forEach(function (ev) {
      ev.places.forEach(function (ref) {
        if (!app.model.places[ref.place_id]) return;
        if (!counts[ref.place_id]) order.push(ref.place_id);
        counts[ref.place_id] = (counts[ref.place_id] || 0) + 1;
      });
    });
    var ranked = order.map(function (id, i) { return { id: id, n: counts[id], i: i }; });
    // A place the data knows leads a stack before one estimated at its point.
    var est = function (r) { return app.model.places[r.id].estimated ? 1 : 0; };
    ranked.sort(function (a, b) { return b.n - a.n || est(a) - est(b) || a.i - b.i; });
    return ranked.map(function (r) {
      var p = app.model.places[r.id];
      return { id: r.id, place: p, n: r.n, radius: p.geometry ? 4 : pinRadius(r.n, p.estimated),
               pt: map.latLngToContainerPoint([p.lat, p.lon]) };
    });
  }

  function labelNode(box, text, cls) {
    var origin = map.containerPointToLayerPoint([0, 0]);
    var node = el("span", "sm-label-text " + cls, text);
    node.style.left = Math.round(box.x + origin.x) + "px";
    node.style.top = Math.round(box.y + origin.y) + "px";
    node.setAttribute("aria-hidden", "true");   // the panel lists the same names for screen readers
    pane.appendChild(node);
    nodes.push(node);
    return node;
  }

  function badgeNode(stack) {
    var origin = map.containerPointToLayerPoint([0, 0]);
    var btn = el("button", "sm-stack", String(stack.members.length));
    btn.type = "button";
    btn.setAttribute("aria-label", app.t("stack_places", { n: stack.members.length }));
    btn.style.left = Math.round(stack.lead.pt.x + origin.x) + "px";
    btn.style.top = Math.round(stack.lead.pt.y + origin.y) + "px";
    L.DomEvent.disableClickPropagation(btn);
    btn.addEventListener("click", function () { openStack(stack); });
    pane.appendChild(btn);
    nodes.push(btn);
  }

  /** Open the list of a stack's places: each opens its own popup. */
  function openStack(stack) {
    if (app.card && app.card.showPlaces(stack.members.map(function (m) { return m.id; }))) return;
    var box = el("div", "sm-popup");
    box.appendChild(el("h3", "sm-popup-title", app.t("stack_places", { n: stack.members.length })));
    var ul = el("ul", "sm-popup-list sm-stack-list");
    stack.members.forEach(function (m) {
      var li = el("li");
      var b = el("button", "sm-link", app.pinName(m.place));
      b.lang = app.placeLang(m.place);
      b.type = "button";
      b.addEventListener("click", function () { map.closePopup(); app.mapView.openPlace(m.id); });
      li.appendChild(b);
      li.appendChild(document.createTextNode(" · " + app.countText(m.n)));
      ul.appendChild(li);
    });
    box.appendChild(ul);
    var p = stack.lead.place;
    L.popup(app.mapView.popupOptions ? app.mapView.popupOptions() : { maxWidth: popupWidth() }).setLatLng([p.lat, p.lon]).setContent(box).openOn(map);
  }

  function popupWidth() { return app.mapView.popupWidth ? app.mapView.popupWidth() : 300; }

  function draw() {
    frame = 0;
    clear();
    if (!current || !map._loaded) return;
    var size = map.getSize();
    var taken = [];
    var stacks = lastStacks = stacksOf(todayItems(current));
    // Every pin's disc is taken first: a label never covers a pin of today.
    stacks.forEach(function (s) {
      s.members.forEach(function (m) { taken.push({ x: m.pt.x - m.radius, y: m.pt.y - m.radius, w: 2 * m.radius, h: 2 * m.radius }); });
    });
    stacks.forEach(function (s) {
      var text = app.pinName(s.lead.place);
      if (s.members.length > 1) {
        badgeNode(s);
        text += " +" + (s.members.length - 1);
      }
      var box = placeBox(s.lead.pt, s.lead.radius + (s.members.length > 1 ? 6 : 0), width(text, FONT) + 8, 20, taken, size);
      if (!box) return;
      taken.push(box);
      labelNode(box, text, "sm-label-place").lang = app.placeLang(s.lead.place);
    });
    // The story's other pins (earlier days) are not covered by a basemap name either.
    app.mapView.pinBoxes().forEach(function (box) { taken.push(box); });
    // Nor hidden under the map's controls (credits, zoom buttons) and the offline note.
    var origin = map.getContainer().getBoundingClientRect();
    map.getContainer().querySelectorAll(".leaflet-control, .sm-offline-note").forEach(function (c) {
      var r = c.getBoundingClientRect();
      if (r.width) taken.push({ x: r.left - origin.left, y: r.top - origin.top, w: r.width, h: r.height });
    });
    var zoom = map.getZoom(), view = map.getBounds().pad(0.1), inner = map.getBounds().pad(-0.15);
    basemap.forEach(function (b) {
      if (zoom < b.minZoom || zoom > (b.maxZoom === undefined ? 99 : b.maxZoom)) return;
      // A district is named in the interface's language when drawn (it may change).
      var name = b.district ? app.t("district_name", { n: b.district }) : b.name;
      var w = baseWidth(b, name) + 4;
      // A river may be named at any of its vertices in view, the nearest the centre first.
      var anchors = b.line ? nearest(b.line, inner) : b.anchor && view.contains(b.anchor) ? [b.anchor] : [];
      for (var a = 0; a < anchors.length; a++) {
        var pt = map.latLngToContainerPoint(anchors[a]);
        var box = { x: pt.x - w / 2, y: pt.y - 8, w: w, h: 16 }, free = true;
        if (box.x < 2 || box.y < 2 || box.x + w > size.x - 2 || box.y + 16 > size.y - 2) continue;
        for (var j = 0; j < taken.length && free; j++) free = !overlaps(box, taken[j]);
        if (!free) continue;
        taken.push(box);
        labelNode(box, name, "sm-label-base sm-label-" + b.layer + (b.big ? " sm-label-big" : ""));
        return;
      }
    });
  }

  function schedule() {
    if (frame) return;
    frame = (window.requestAnimationFrame || setTimeout)(draw);
  }

  map.on("zoomstart", function () { clear(); });
  map.on("moveend zoomend resize", schedule);

  var added = 0;

  function entry(name, layer, minZoom, maxZoom, anchor, rank) {
    // District names read "V. Belváros-Lipótváros": the numeral is the short name.
    var district = layer === "district" ? name.split(" ")[0].replace(/\.$/, "") : null;
    return { name: name, district: district, layer: layer, minZoom: minZoom, maxZoom: maxZoom, anchor: anchor, rank: rank, i: added++ };
  }

  /** Keep the names in rank order, each name of a region's layer once: a country both the
   * world and a finer region name is named by the finer region (its features come later). */
  function rerank() {
    basemap.sort(function (a, b) { return a.rank - b.rank || a.i - b.i; });
    var seen = {};
    basemap = basemap.reverse().filter(function (b) {
      var k = b.layer + "|" + b.name;
      return b.detail || (seen[k] ? false : (seen[k] = true));
    }).reverse();
    schedule();
  }

  /** Return up to 12 vertices of ``line`` inside ``box``, the nearest its centre first (a
   * river is named where the reader sees it, clear of the labels placed before). */
  function nearest(line, box) {
    var c = box.getCenter();
    return line.filter(function (ll) { return box.contains(ll); }).map(function (ll) {
      return [Math.abs(ll.lat - c.lat) + Math.abs(ll.lng - c.lng), ll];
    }).sort(function (a, b) { return a[0] - b[0]; }).slice(0, 12).map(function (x) { return x[1]; });
  }

  /** The width of a basemap name as classroom.css draws it: countries and divisions in
   * spaced capitals (.12em of 12 px, .08em of 11 px), towns upright, the rest italic. */
  function baseWidth(b, name) {
    if (b.layer === "country") return width(name.toUpperCase(), BASE_FONT) + Math.ceil(1.44 * name.length);
    if (b.layer === "division") return width(name.toUpperCase(), DIVISION_FONT) + Math.ceil(0.88 * name.length);
    return width(name, b.layer !== "town" ? BASE_FONT : b.big ? BIG_FONT : TOWN_FONT);
  }

  /** Name the points of a MultiPoint of names (country names, towns, divisions). */
  function namePoints(f, minZoom, out) {
    var props = f.properties, zooms = props.zooms || [minZoom, 99];
    f.geometry.coordinates.forEach(function (c, i) {
      var from = props.from ? props.from[i] : zooms[0];
      var e = entry(props.names[i], props.layer, from, zooms[1], L.latLng(c[1], c[0]),
        props.layer === "town" ? from : BASE_RANK[props.layer]);
      e.big = props.layer === "town" && from <= 6;
      out.push(e);
    });
  }

  /** Name the offline basemap's big features (called once it is drawn). */
  function setBasemap(layer) {
    basemap = basemap.filter(function (b) { return b.detail; });
    layer.eachLayer(function (l) {
      var props = (l.feature && l.feature.properties) || {};
      var minZoom = BASE_NAMES[props.layer];
      if (minZoom === undefined) return;
      if (props.names && l.feature.geometry.type === "MultiPoint") {
        // The world's country names: one point each, most populous first (build_basemap.py names).
        namePoints(l.feature, minZoom, basemap);
        return;
      }
      if (props.name) basemap.push(entry(props.name, props.layer, minZoom, undefined, anchorOf(l), BASE_RANK[props.layer]));
    });
    rerank();
  }

  /** Name the detail's features (towns, divisions, rivers: basemap.js), in their zoom ranges. */
  function addNames(features) {
    var fresh = [];
    features.forEach(function (f) {
      var props = f.properties;
      if (props.names && f.geometry.type === "MultiPoint") namePoints(f, props.zooms[0], fresh);
      else if (props.name) {
        // A river is named at its vertex nearest the view's centre, wherever the view is.
        var e = entry(props.name, props.layer, props.zooms[0], props.zooms[1], null, BASE_RANK[props.layer]);
        e.line = [];
        f.geometry.coordinates.forEach(function (part) { part.forEach(function (c) { e.line.push(L.latLng(c[1], c[0])); }); });
        fresh.push(e);
      }
    });
    fresh.forEach(function (e) { e.detail = true; basemap.push(e); });
    if (fresh.length) rerank();
  }

  if (app.mapView.basemap && app.mapView.basemap()) setBasemap(app.mapView.basemap());

  return {
    update: function (step) { current = step; schedule(); },
    setBasemap: setBasemap,
    addNames: addNames,
    redraw: draw,
    stacks: function () { return lastStacks; }
  };
}
