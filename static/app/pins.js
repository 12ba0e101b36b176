/* Pins you can point at and tab to. Every pin names its place in a tooltip on hover and on
 * keyboard focus (a grey pin of an earlier day has no label of its own). The pins are one
 * Tab stop (a roving tabindex): ↑/↓ move between them, today's busiest first, then the
 * earlier days'; Enter opens the place. The page's ←/→ still step the days. Used by map.js. */

import { el } from "./dom.js";

/** The style of a point pin: today's red, sized by its events; an earlier day's grey. A
 * point estimated from the places the text names beside it (no data places it) is a
 * hollow dashed ring: it says "about here", never "here". */
export function pinStyle(n, estimated) {
  var colour = n ? "#b3261e" : "#5f6368";
  if (estimated) {  // wider than a pin: it rings the place its point is borrowed from
    return { radius: pinRadius(n, true), color: colour, weight: n ? 3 : 2, dashArray: n ? "4 3" : "3 2",
      fillColor: colour, fillOpacity: n ? 0.18 : 0.1 };
  }
  return n ? { radius: pinRadius(n), color: "#ffffff", weight: 2, dashArray: null, fillColor: colour, fillOpacity: 0.95 }
    : { radius: pinRadius(0), color: "#ffffff", weight: 1, dashArray: null, fillColor: colour, fillOpacity: 0.55 };
}

/** The radius (px) of a pin with ``n`` events today (0: an earlier day's). */
export function pinRadius(n, estimated) { return (n ? 7 + 2 * Math.sqrt(n) : 5) + (estimated ? 5 : 0); }

/** Return {bind(p, layer), order(ids), boxes(ids)}: ``layerOf(id)`` is a place's marker or
 * area, ``open(id)`` opens its popup, ``map`` the Leaflet map. */
export function createPins(app, map, layerOf, open) {
  var order = [], current = null, tipped = null;

  function pathOf(id) {
    var layer = layerOf(id);
    if (layer && layer.getLayers) layer = layer.getLayers()[0];
    return layer && layer.getElement ? layer.getElement() : null;
  }

  /** Make pin ``id`` (else the first) the one Tab reaches. */
  function rove(id) {
    if (order.indexOf(id) < 0) id = order[0];
    order.forEach(function (x) { var path = pathOf(x); if (path) path.setAttribute("tabindex", x === id ? "0" : "-1"); });
    current = id;
  }

  /** Name place ``p`` on its ``layer`` (tooltip, label for screen readers) and take its keys. */
  function bind(p, layer) {
    // An estimated point says so wherever its name is shown (map.js draws it as a ring).
    var label = function () { return app.pinName(p); };
    layer.bindTooltip(function () { var tip = el("span", null, label()); tip.lang = app.placeLang(p); return tip; },
      { direction: "right", offset: [8, 0], className: "sm-tip" });
    // One name at a time: the pin pointed at or focused last.
    layer.on("tooltipopen", function () { if (tipped && tipped !== layer) tipped.closeTooltip(); tipped = layer; });
    layer.on("add", function () {
      var path = pathOf(p.id);
      if (!path || path.getAttribute("data-place")) return;
      path.setAttribute("data-place", p.id);
      path.setAttribute("role", "button");
      path.setAttribute("tabindex", "-1");
      // The name is the place's, in the language it is written in (the story's own words).
      var name = function () { path.setAttribute("aria-label", label()); path.setAttribute("lang", app.placeLang(p)); };
      name();
      // Leaflet opens the tooltip on focus and closes it on blur itself.
      path.addEventListener("focus", function () { current = p.id; name(); });
      path.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(p.id); return; }
        if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
        e.preventDefault(); e.stopPropagation();
        var to = order[(order.indexOf(p.id) + (e.key === "ArrowDown" ? 1 : -1) + order.length) % order.length];
        var next = pathOf(to);
        if (next) { rove(to); next.focus(); }
      });
    });
  }

  /** The pins shown, in the order ↓ walks them; the one Tab reaches stays if still shown. */
  function setOrder(ids) { order = ids; rove(current); }

  /** Return the screen boxes of the pins ``ids`` (points, r ≤ 6 px; an estimate's ring
   * r ≤ 11 px): names keep off them. */
  function boxes(ids, places) {
    return ids.map(function (id) {
      var pt = map.latLngToContainerPoint([places[id].lat, places[id].lon]);
      var r = pinRadius(0, places[id].estimated) + 1;
      return { x: pt.x - r, y: pt.y - r, w: 2 * r, h: 2 * r };
    });
  }

  return { bind: bind, order: setOrder, boxes: boxes };
}
