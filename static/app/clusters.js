/* Earlier places in clusters. When more than CLUSTER_AT places would be drawn faded as
 * "earlier" (a large story, late in its run: thousands of grey pins), they are grouped by
 * zoom instead: one counted disc per cell of a CELL-pixel grid at the map's zoom, cut
 * again when the reader zooms or pans, only where the map shows. A disc zooms in to its
 * places; a place alone in its cell is its own faded pin, which opens like any other.
 * Today's pins are never clustered (labels.js stacks those that touch). Used by map.js. */

import { el } from "./dom.js";

/** More earlier places than this are clustered. */
export var CLUSTER_AT = 250;
var CELL = 56;  // px: a disc stands for the places of one such square

/** Return {set(ids), count()}: ``open(id)`` opens a place, ``places`` the story's places. */
export function createClusters(app, map, places, open) {
  var L = window.L;
  // Under today's pins (the overlay pane, 400), over the basemap (250).
  map.createPane("sm-clusters").style.zIndex = "390";
  var layer = L.layerGroup().addTo(map);
  var ids = [], drawn = {};  // cell key -> {marker, n}

  function cells() {
    var zoom = map.getZoom(), view = map.getPixelBounds();
    var x0 = view.min.x - CELL, y0 = view.min.y - CELL, x1 = view.max.x + CELL, y1 = view.max.y + CELL;
    var out = {};
    ids.forEach(function (id) {
      var p = places[id];
      var pt = map.project([p.lat, p.lon], zoom);
      if (pt.x < x0 || pt.x > x1 || pt.y < y0 || pt.y > y1) return;
      var key = Math.floor(pt.x / CELL) + ":" + Math.floor(pt.y / CELL);
      var c = out[key] || (out[key] = { ids: [], lat: 0, lon: 0 });
      c.ids.push(id);
      c.lat += p.lat;
      c.lon += p.lon;
    });
    return out;
  }

  function disc(c) {
    var n = c.ids.length, size = Math.round(22 + 6 * Math.log(n));
    var icon = L.divIcon({ className: "sm-cluster", html: "", iconSize: [size, size] });
    var marker = L.marker([c.lat / n, c.lon / n], { icon: icon, keyboard: true, pane: "sm-clusters",
      title: app.t("cluster_places", { n: n }) });
    marker.on("add", function () {
      var node = marker.getElement();
      node.textContent = String(n);
      node.setAttribute("role", "button");
      node.setAttribute("aria-label", app.t("cluster_places", { n: n }));
    });
    marker.on("click", function () {
      var bounds = L.latLngBounds(c.ids.map(function (id) { return [places[id].lat, places[id].lon]; }));
      map.fitBounds(bounds, { padding: [40, 40], maxZoom: Math.max(map.getZoom() + 2, 6) });
    });
    return marker;
  }

  function single(id) {
    var p = places[id];
    var marker = L.circleMarker([p.lat, p.lon], { radius: 5, color: "#ffffff", weight: 1, fillColor: "#5f6368", fillOpacity: 0.55 });
    marker.on("add", function () {
      var path = marker.getElement();
      if (!path) return;
      path.setAttribute("data-place", id);
      path.setAttribute("aria-label", app.pinName(p));
      path.setAttribute("lang", app.placeLang(p));
    });
    marker.on("click", function () { open(id); });
    return marker;
  }

  /** Draw the clusters of the current view: only the cells whose places changed. */
  function redraw() {
    var want = cells(), keep = {};
    Object.keys(want).forEach(function (key) {
      var c = want[key], sig = c.ids.length === 1 ? c.ids[0] : String(c.ids.length) + "@" + c.ids[0];
      var old = drawn[key];
      if (old && old.sig === sig) { keep[key] = old; return; }
      if (old) layer.removeLayer(old.marker);
      keep[key] = { sig: sig, marker: c.ids.length === 1 ? single(c.ids[0]) : disc(c) };
      layer.addLayer(keep[key].marker);
    });
    Object.keys(drawn).forEach(function (key) { if (!keep[key]) layer.removeLayer(drawn[key].marker); });
    drawn = keep;
  }

  map.on("zoomend moveend", function () { if (ids.length) redraw(); });

  return {
    /** Cluster the places ``ids`` (none: clear). */
    set: function (list) {
      var same = list.length === ids.length && list.every(function (id, i) { return id === ids[i]; });
      ids = list;
      if (!same || !list.length) redraw();
    },
    count: function () { return Object.keys(drawn).length; }
  };
}
