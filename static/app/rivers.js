/* Rivers on the map: a river a day's sentences name is drawn as its highlighted line
 * (storymap.geo.divisions gives it), never as a pin. Used by map.js. */

/** Return {isLine, draw(step) -> corners to fit, show(id)} over ``riverLayer``. */
export function createRivers(map, model, riverLayer, open) {
  var L = window.L, places = model.places, rivers = {};
  /** True for a place drawn as its line: a river (storymap.geo.divisions), never a pin. */
  function isLine(p) {
    return !!(p && p.geometry && /LineString$/.test(p.geometry.type));
  }

  function riverFor(p) {
    if (!rivers[p.id]) {
      // A casing under the blue line keeps it readable over tiles and the offline basemap.
      var casing = L.geoJSON(p.geometry, { style: { color: "#ffffff", weight: 9, opacity: 0.8 }, interactive: false });
      var line = L.geoJSON(p.geometry, { style: { color: "#1565c0", weight: 5, opacity: 0.9, lineCap: "round" } });
      line.on("click", function (e) { open(p.id, e.latlng); });
      line.on("add", function () {
        line.eachLayer(function (l) { var path = l.getElement && l.getElement(); if (path) path.setAttribute("data-river", p.id); });
      });
      rivers[p.id] = L.layerGroup([casing, line]);
      rivers[p.id].sm_bounds = line.getBounds();
    }
    return rivers[p.id];
  }

  // The rivers named in each document, by mention: a day shows the rivers its events'
  // sentences name (a river is no event's place: too wide to be where something happens).
  var riverMentions = null;
  function riversOf(step) {
    if (!riverMentions) {
      riverMentions = {};
      (model.story.mentions || []).forEach(function (m) {
        if (m.place_id && isLine(places[m.place_id])) (riverMentions[m.doc] = riverMentions[m.doc] || []).push(m);
      });
    }
    var out = {};
    step.events.forEach(function (ev) {
      (ev.sources || []).forEach(function (s) {
        (riverMentions[s.doc] || []).forEach(function (m) {
          if (m.start >= s.start && m.end <= s.end) out[m.place_id] = true;
        });
      });
    });
    return out;
  }

  var riversShown = {};
  /** Draw the day's rivers; return the corners of their lines (fitted only on a day that
   * has no other place: a river's whole course would pull the view off the day's towns). */
  function drawRivers(step) {
    var today = riversOf(step), corners = [];
    Object.keys(riversShown).forEach(function (id) {
      if (!today[id]) { riverLayer.removeLayer(riverFor(places[id])); delete riversShown[id]; }
    });
    Object.keys(today).forEach(function (id) {
      var layer = riverFor(places[id]);
      if (!riversShown[id]) { riverLayer.addLayer(layer); riversShown[id] = true; }
      var b = layer.sm_bounds;
      corners.push([b.getSouth(), b.getWest()], [b.getNorth(), b.getEast()]);
    });
    return corners;
  }

  function show(id) {
    if (!riversShown[id]) { riverLayer.addLayer(riverFor(places[id])); riversShown[id] = true; }
  }

  return { isLine: isLine, draw: drawRivers, show: show };
}
