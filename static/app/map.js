/* The Leaflet map: tiles with the offline basemap as fallback, one marker or area per
 * place, the day's places strong and earlier ones faded, the rivers its sentences name as
 * highlighted lines (never a pin), fitting the view to the day, and the place popup.
 * Calls back into the app (app.showPlace, app.focusPanel, app.stepLabel). */

import { $, el, readJSON } from "./dom.js";
import { basemapAttribution, basemapStyle, createDetail, decodeBasemap } from "./basemap.js";
import { CLUSTER_AT, createClusters } from "./clusters.js";
import { createPins, pinRadius, pinStyle } from "./pins.js";
import { createRivers } from "./rivers.js";

// Where the map looks comes from the story (page data "map", from places/regions/): the
// regions its places lie in with their bounds and zoom levels, its home region and first
// view. This module knows no city.
var WORLD = { regions: [], home: null, view: [[-58, -180], [80, 180]], basemaps: [], basemap_credits: [], detail: null };

function inBox(b, ll) { return ll[0] >= b[0][0] && ll[0] <= b[1][0] && ll[1] >= b[0][1] && ll[1] <= b[1][1]; }

/** The innermost of the story's regions whose bounds hold every point (null if none). */
function regionOf(view, points) {
  var found = null;
  view.regions.forEach(function (r) {  // root first, inner last
    if (points.every(function (ll) { return inBox(r.bounds, ll); })) found = r;
  });
  return found;
}

/** Offline, the root region's basemap (the world at 1:110m: coasts, borders, the big
 * places' names) shows nothing past this zoom: a day or a place outside every finer region
 * is seen with its country around it, not as a pin on blank land. With the detail by zoom
 * (towns, rivers: basemap.js) it goes as far as the detail does. */
var OFFLINE_ROOT_ZOOM = 6;

/** True if region ``r`` is ``ancestor`` or lies inside it. */
function within(view, r, ancestor) {
  var byId = {};
  view.regions.forEach(function (x) { byId[x.id] = x; });
  for (var x = r; x; x = x.parent ? byId[x.parent] : null) if (x.id === ancestor) return true;
  return false;
}

/** Create the map in #sm-map and return {map, draw, fitTo, openPlace, zoomTo, userMoved, resetUserMoved}. */
export function createMap(app) {
  var L = window.L;
  var model = app.model, places = model.places;
  var view = model.story.map || WORLD;
  var map = L.map("sm-map", { zoomControl: false, preferCanvas: false, attributionControl: true });
  // Leaflet's own words (zoom buttons, the popup's close button) in the page's language.
  L.control.zoom({ zoomInTitle: app.t("zoom_in"), zoomOutTitle: app.t("zoom_out") }).addTo(map);
  [["in", "zoom_in"], ["out", "zoom_out"]].forEach(function (pair) {
    var b = map.getContainer().querySelector(".leaflet-control-zoom-" + pair[0]);
    if (b) { b.setAttribute("data-i18n-title", pair[1]); b.setAttribute("data-i18n-aria", pair[1]); }
  });
  map.on("popupopen", function (e) {
    var close = e.popup.getElement() && e.popup.getElement().querySelector(".leaflet-popup-close-button");
    if (close) close.setAttribute("aria-label", app.t("close"));
  });
  // The offline basemap gets its own pane: above the (failed) tiles, below every overlay.
  map.createPane("sm-basemap").style.zIndex = "250";
  function prefix() {
    var link = el("a", "", app.t("sources_link"));
    link.href = "#about";
    link.setAttribute("data-about", "1");
    return '<a href="https://leafletjs.com" target="_blank" rel="noopener">Leaflet</a> | ' + link.outerHTML;
  }
  function tilesCredit() {
    var a = el("a", "", app.named("credit_name_", "OpenStreetMap"));
    a.href = "https://www.openstreetmap.org/copyright"; a.target = "_blank"; a.rel = "noopener";
    return a.outerHTML;
  }
  map.attributionControl.setPrefix(prefix());
  var first = regionOf(view, view.view);
  map.fitBounds(view.view, { maxZoom: first ? first.max_zoom : 10 });
  var autoMoving = false, userMoved = false;
  map.on("dragstart", function () { userMoved = true; });
  map.on("zoomstart", function () { if (!autoMoving) userMoved = true; });
  map.on("moveend", function () { autoMoving = false; });
  // The zoom shown, for what reads the page from outside (the browser tests).
  function showZoom() { map.getContainer().setAttribute("data-zoom", map.getZoom()); }
  map.on("zoomend", showZoom);
  showZoom();

  var basemapLayer = null, basemapCredit = "", tileLayer = null, offline = false;
  var detail = null, detailCredit = "", rootZoom = OFFLINE_ROOT_ZOOM;

  /** The zoom a view of ``region`` goes to at most: its own, and offline no further than its
   * basemap has something to draw (a region of the root only: finer ones have detail). */
  function zoomCap(region, own) {
    return offline && (!region || !region.parent) ? Math.min(own, rootZoom) : own;
  }

  /** The detail's credits (GeoNames, Natural Earth) that the basemap's do not already say. */
  function detailAttribution() {
    var named = view.basemap_credits.map(function (c) { return c.name; });
    return basemapAttribution(app, view.detail.credits.filter(function (c) { return named.indexOf(c.name) < 0; }));
  }

  function showBasemap() {
    if (offline) return;
    offline = true;
    // The view fitted before the tiles failed may be closer than the basemap draws.
    var b = map.getBounds(), here = regionOf(view, [[b.getSouth(), b.getWest()], [b.getNorth(), b.getEast()]]);
    detail = createDetail(map, "sm-basemap", basemapStyle, decodeBasemap, function (features) {
      if (app.labels) app.labels.addNames(features);
    });
    var inline = readJSON("basemap-data");
    // The detail (towns, rivers) where the page has it: served, or the file's own area.
    var detailOn = view.detail && (inline ? inline.detail_zoom : app.config.basemap_url && window.fetch);
    if (detailOn) {
      rootZoom = Math.max(rootZoom, inline ? inline.detail_zoom : view.detail.zoom);
      detailCredit = detailAttribution();
      if (detailCredit) map.attributionControl.addAttribution(detailCredit);
    }
    if (!userMoved && map.getZoom() > zoomCap(here, map.getZoom())) {
      autoMoving = true;
      map.setZoom(zoomCap(here, map.getZoom()), { animate: false });
    }
    if (tileLayer) { map.removeLayer(tileLayer); tileLayer = null; }
    app.root.classList.add("sm-offline");
    var note = $("sm-map").querySelector(".sm-offline-note");
    if (!note) {
      note = el("p", "sm-offline-note", app.t("offline_map"));
      note.setAttribute("data-i18n", "offline_map");
      $("sm-map").appendChild(note);
    }
    var draw = function (data) {
      if (!data || basemapLayer) return;
      data = decodeBasemap(data);
      // Features with a zoom range are the detail (towns, rivers): drawn only in that range.
      var ranged = data.features.filter(function (f) { return f.properties.zooms && f.properties.layer !== "country"; });
      data.features = data.features.filter(function (f) { return ranged.indexOf(f) < 0; });
      basemapLayer = L.geoJSON(data, {
        pane: "sm-basemap", interactive: false, style: basemapStyle,
        // Points of the basemap only carry names, which labels.js draws: no marker of their own.
        pointToLayer: function () { return L.layerGroup(); }
      });
      basemapLayer.addTo(map);
      // Credited once by the control, not by each of the layer's shapes (which would each
      // count it, and it could not be said again in another language).
      basemapCredit = basemapAttribution(app, view.basemap_credits);
      if (basemapCredit) map.attributionControl.addAttribution(basemapCredit);
      if (app.labels) app.labels.setBasemap(basemapLayer);
      detail.add(ranged);
    };
    if (inline) draw(inline);
    else if (app.config.basemap_url && window.fetch && view.basemaps.length) {
      // Only the story's regions: the world, and a city's layers when it has places there.
      Promise.all(view.basemaps.map(function (name) {
        return fetch(app.config.basemap_url + name).then(function (r) { return r.ok ? r.json() : null; });
      })).then(function (parts) {
        var features = [];
        parts.forEach(function (p) { if (p) features = features.concat(decodeBasemap(p).features); });
        draw({ type: "FeatureCollection", features: features });
        if (detailOn) detail.load(app.config.basemap_url + view.detail.index);
      }, function () {});
    }
  }

  if (navigator.onLine === false) {
    showBasemap();
  } else {
    tileLayer = L.tileLayer("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: tilesCredit()
    });
    tileLayer.on("tileerror", showBasemap);
    tileLayer.addTo(map);
  }

  var riverLayer = L.layerGroup().addTo(map);
  var areaLayer = L.layerGroup().addTo(map);
  var markerLayer = L.layerGroup().addTo(map);
  var markers = {}, areas = {};

  var riverLines = createRivers(map, model, riverLayer, function (id, ll) { openPlace(id, ll); });
  var isLine = riverLines.isLine, drawRivers = riverLines.draw;

  var pins = createPins(app, map, function (id) { return markers[id] || areas[id]; },
    function (id) { openPlace(id); });

  function areaFor(p) {
    if (!areas[p.id]) {
      areas[p.id] = L.geoJSON(p.geometry, { style: { weight: 1 } });
      areas[p.id].on("click", function (e) { openPlace(p.id, e.latlng); });
      pins.bind(p, areas[p.id]);
    }
    return areas[p.id];
  }

  function markerFor(p) {
    if (!markers[p.id]) {
      markers[p.id] = L.circleMarker([p.lat, p.lon], { radius: 7 });
      markers[p.id].on("click", function () { openPlace(p.id); });
      pins.bind(p, markers[p.id]);
    }
    return markers[p.id];
  }

  /** Return the screen boxes of the pins of earlier days (basemap names keep off them). */
  function pinBoxes() {
    return pins.boxes(Object.keys(shown).filter(function (id) { return shown[id] === "earlier" && !places[id].geometry; }), places);
  }

  function todayCounts(step) {
    var counts = {};
    step.events.forEach(function (ev) {
      ev.places.forEach(function (ref) { if (places[ref.place_id]) counts[ref.place_id] = (counts[ref.place_id] || 0) + 1; });
    });
    return counts;
  }

  var shown = {}; // place id -> "today:n" | "earlier" (what its layer shows now)
  var placeIds = Object.keys(places);
  var clusters = createClusters(app, map, places, function (id) { openPlace(id); });

  /** Draw today's places strong and earlier ones faded; touch only layers that change.
   * Returns today's points as [lat, lon] pairs. */
  function draw(step) {
    var counts = todayCounts(step);
    var today = [], clustered = [];
    // Past CLUSTER_AT earlier pins (a large story), they are drawn by zoom in clusters.
    var many = app.state.soFar && placeIds.filter(function (id) {
      return model.placeFirst[id] !== undefined && model.placeFirst[id] < app.state.step;
    }).length > CLUSTER_AT;
    placeIds.forEach(function (id) {
      var p = places[id];
      var n = counts[id] || 0;
      var earlier = !n && app.state.soFar && model.placeFirst[id] !== undefined && model.placeFirst[id] < app.state.step;
      if (isLine(p)) return;  // drawn by drawRivers, as a line
      if (earlier && many && !p.geometry) { clustered.push(id); earlier = false; }
      var want = n ? "today:" + n : earlier ? "earlier" : p.geometry && model.placeEvents[id] ? "idle" : "";
      if (n) today.push([p.lat, p.lon]);
      if (n && p.geometry) {
        // An area is fitted whole, not just its centre: no district cut by the map's edge.
        var b = areaFor(p).getBounds();
        today.push([b.getSouth(), b.getWest()], [b.getNorth(), b.getEast()]);
      }
      if (shown[id] === want) return;
      var layer = p.geometry ? areaFor(p) : markerFor(p);
      var group = p.geometry ? areaLayer : markerLayer;
      if (!want) { group.removeLayer(layer); delete shown[id]; return; }
      if (p.geometry) {
        layer.setStyle(n ? { color: "#8c1d18", weight: 2, dashArray: null, fillColor: "#c0392b", fillOpacity: Math.min(0.25 + 0.08 * n, 0.6) }
          : earlier ? { color: "#6b6f76", weight: 1, dashArray: null, fillColor: "#6b6f76", fillOpacity: 0.12 }
            : { color: "#8a8f96", weight: 1, dashArray: "3 3", fillColor: "#8a8f96", fillOpacity: 0.02 });
      } else {
        layer.setStyle(pinStyle(n, p.estimated));
        if (layer.setRadius) layer.setRadius(pinRadius(n, p.estimated));
      }
      if (!shown[id]) group.addLayer(layer);
      // an estimate's ring lies under the pins: the town it rings stays the one clicked
      if (!p.geometry && p.estimated) layer.bringToBack();
      else if (n && !p.geometry) layer.bringToFront();
      shown[id] = want;
    });
    // Tab reaches today's busiest place first, then the others, then the earlier days'.
    pins.order(Object.keys(shown).sort(function (a, b) {
      return (counts[b] || 0) - (counts[a] || 0) || (model.placeFirst[a] || 0) - (model.placeFirst[b] || 0);
    }));
    clusters.set(clustered);
    var riverCorners = drawRivers(step);
    return today.length ? today : riverCorners;
  }

  /** Move the view to ``points``; animated unless the reader prefers reduced motion. */
  function fitTo(points, animate) {
    if (!points.length) return;
    var region = regionOf(view, points);
    var bounds = L.latLngBounds(points);
    // A small frame keeps less margin; the card of a small embed covers the map's bottom.
    var size = map.getSize(), pad = Math.max(12, Math.min(40, Math.round(Math.min(size.x, size.y) / 8)));
    var o = { paddingTopLeft: [pad, pad], paddingBottomRight: [pad, pad + (app.card ? app.card.height() : 0)],
      maxZoom: zoomCap(region, region ? region.max_zoom : 10) };
    var home = view.home && view.regions.filter(function (r) { return r.id === view.home; })[0];
    if (home && !within(view, region, home.id)) {
      // A day that leaves the story's home region is seen together with it (a day in a
      // distant capital still shows the country the story is set in).
      bounds.extend(home.bounds);
    }
    autoMoving = true;
    if (animate && !app.reducedMotion) map.flyToBounds(bounds, Object.assign({ duration: 0.6 }, o));
    else {
      // Not animated at all: Leaflet would still animate a small zoom, starting it a frame
      // later, when the move no longer counts as ours and reads as the reader's own.
      map.fitBounds(bounds, Object.assign({ animate: false }, o));
      autoMoving = false;
    }
  }

  /** Centre the map on place ``p`` at a zoom that suits it. */
  function zoomTo(p, o) {
    var region = regionOf(view, [[p.lat, p.lon]]);
    var zoom = zoomCap(region, region ? region.place_zoom : 10);
    if (o && o.keepCloser) map.setView([p.lat, p.lon], Math.max(map.getZoom(), zoom));
    else map.setView([p.lat, p.lon], zoom, { animate: !app.reducedMotion });
  }

  /** Return the popup's widest content (px): the map's width less the popup's frame. */
  function popupWidth() { return Math.max(150, Math.min(300, map.getSize().x - 110)); }

  /** Return the options of a popup at a place: as wide as fits, panned clear of the zoom
   * buttons (top left) and of the attribution (bottom): its box and the pin under its tip.
   * Leaflet pans the popup's box into view; the pin stands below the tip (the popup's
   * offset, 7 px, above the point; a pin's radius, up to ~14 px, below it), and on a phone
   * the attribution wraps to two or three lines, so the bottom padding is measured. */
  function popupOptions() {
    var attribution = map.attributionControl && map.attributionControl.getContainer();
    var below = (attribution ? attribution.offsetHeight : 0) + 26;
    return { maxWidth: popupWidth(), autoPanPaddingTopLeft: [52, 12],
      autoPanPaddingBottomRight: [12, Math.max(34, below)] };
  }

  /** Scroll the map on screen first (on a phone the panel is below it), so a popup opened
   * from the panel or the text is seen where it opens. */
  function bringIntoView() {
    var box = map.getContainer().getBoundingClientRect();
    var bottom = window.innerHeight || document.documentElement.clientHeight;
    if (box.top < 0 || box.top > bottom - 80) map.getContainer().scrollIntoView({ block: "start", behavior: "auto" });
  }

  /** Open the popup of place ``id``: today's events there and a button for all of them. */
  function openPlace(id, latlng) {
    var p = places[id];
    if (!p) return;
    if (isLine(p)) riverLines.show(id);
    // A frame too small for a popup shows the place's events on its card (card.js).
    if (app.card && app.card.showPlaces([id])) { app.showPlace(id, true); return; }
    // A large story's day shows its words once they came (details.js).
    var shownStep = model.steps[app.state.step];
    if (shownStep && app.details.missing(shownStep.events).length) {
      app.details.step(app.state.step).then(function () { openPlace(id, latlng); }, function () {});
      return;
    }
    var step = model.steps[app.state.step];
    var box = el("div", "sm-popup");
    box.appendChild(el("h3", "sm-popup-title", app.placeName(p))).lang = app.placeLang(p);
    if (p.estimated) {
      // No data places it: say so, and from what its point is borrowed (the source).
      var est = box.appendChild(el("p", "sm-popup-estimated"));
      est.appendChild(el("strong", "", app.t("estimated_place")));
      if (p.source) est.appendChild(el("span", "", " " + p.source)).lang = "en";
    }
    var todays = step ? step.events.filter(function (ev) {
      return ev.places.some(function (r) { return r.place_id === id; });
    }) : [];
    box.appendChild(el("p", "sm-popup-sub", step ? app.t("today_here") + " · " + app.stepLabel(step) : ""));
    if (todays.length) {
      var ul = el("ul", "sm-popup-list");
      todays.forEach(function (ev) {
        var li = el("li");
        if (ev.time) li.appendChild(el("span", "sm-time", app.timeLabel(ev.time)));
        li.appendChild(el("span", "", ev.title)).lang = app.textLang;
        ul.appendChild(li);
      });
      // The list scrolls, so the popup fits the map and its button stays in sight.
      ul.style.maxHeight = Math.max(48, map.getSize().y - 166 - popupOptions().autoPanPaddingBottomRight[1]) + "px";
      box.appendChild(ul);
    } else {
      box.appendChild(el("p", "sm-popup-sub", app.t("nothing_today_here")));
    }
    var all = model.placeEvents[id] || [];
    var btn = el("button", "sm-btn sm-small", app.t("events_here", { n: all.length }));
    btn.type = "button";
    btn.addEventListener("click", function () { app.showPlace(id, true); map.closePopup(); app.focusPanel(); });
    box.appendChild(btn);
    bringIntoView();
    // Fit a phone: clear of the zoom buttons (top left) and the attribution (bottom).
    L.popup(popupOptions())
      .setLatLng(latlng || [p.lat, p.lon]).setContent(box).openOn(map);
    app.showPlace(id, true);
  }

  /** Say the map's credits again in the language now chosen (the buttons relabel with the page). */
  function relabel() {
    var control = map.attributionControl;
    control.setPrefix(prefix());
    if (tileLayer && tileLayer.options.attribution !== tilesCredit()) {
      control.removeAttribution(tileLayer.options.attribution);
      tileLayer.options.attribution = tilesCredit();
      control.addAttribution(tileLayer.options.attribution);
    }
    if (basemapCredit) {
      control.removeAttribution(basemapCredit);
      basemapCredit = basemapAttribution(app, view.basemap_credits);
      control.addAttribution(basemapCredit);
    }
    if (detailCredit) {
      control.removeAttribution(detailCredit);
      detailCredit = detailAttribution();
      control.addAttribution(detailCredit);
    }
  }

  return {
    map: map, draw: draw, fitTo: fitTo, openPlace: openPlace, zoomTo: zoomTo, relabel: relabel, pinBoxes: pinBoxes,
    basemap: function () { return basemapLayer; }, popupWidth: popupWidth, popupOptions: popupOptions, bringIntoView: bringIntoView,
    userMoved: function () { return userMoved; },
    resetUserMoved: function () { userMoved = false; }
  };
}
