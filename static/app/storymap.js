/* storymap: the day-by-day map. One script for the served page, the embed and the
 * standalone file. It reads its configuration and the story from JSON script elements,
 * builds every story string into the DOM with textContent (never innerHTML), and keeps
 * the state (day, place, view, language) in the URL: the query string when served, the
 * #hash in the standalone file (so file:// works; "#embed" turns on embed mode). */
(function () {
  "use strict";

  var perf = window.performance;
  perf.mark("storymap:start");

  function readJSON(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  var config = readJSON("storymap-config");
  var story = readJSON("story-data");
  var root = document.documentElement;
  var standalone = config.mode === "standalone";
  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var BUDAPEST = { south: 47.34, north: 47.62, west: 18.92, east: 19.34 };
  var ISO = /^\d{4}(-\d{2}(-\d{2})?)?$/;

  function $(id) { return document.getElementById(id); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // ---- URL state ---------------------------------------------------------------------
  function readUrl() {
    var raw = standalone ? location.hash.replace(/^#/, "") : location.search.replace(/^\?/, "");
    var params = {};
    raw.split("&").forEach(function (part) {
      if (!part) return;
      var i = part.indexOf("=");
      var key = decodeURIComponent(i < 0 ? part : part.slice(0, i));
      params[key] = i < 0 ? true : decodeURIComponent(part.slice(i + 1).replace(/\+/g, " "));
    });
    return params;
  }

  var initialUrl = readUrl();
  var embed = config.mode === "embed" || (standalone && initialUrl.embed === true);
  var opts = Object.assign({}, config.options);
  if (standalone || embed) {
    ["start", "end", "controls"].forEach(function (k) {
      if (typeof initialUrl[k] === "string" && initialUrl[k]) opts[k] = initialUrl[k];
    });
    if (initialUrl.autoplay !== undefined) opts.autoplay = /^(1|true|yes|on)$/.test(String(initialUrl.autoplay)) || initialUrl.autoplay === true;
  }
  if (["full", "minimal", "none"].indexOf(opts.controls) < 0) opts.controls = "full";
  if (embed) {
    root.classList.remove("mode-page", "mode-standalone");
    root.classList.add("mode-embed");
  }
  root.classList.remove("controls-full", "controls-minimal", "controls-none");
  root.classList.add("controls-" + opts.controls);

  // ---- language ----------------------------------------------------------------------
  function pickLang() {
    var asked = initialUrl.lang || config.lang;
    if (asked && config.i18n[asked]) return asked;
    var nav = (navigator.languages && navigator.languages[0]) || navigator.language || "en";
    return /^hu\b/i.test(nav) ? "hu" : "en";
  }
  var state = { step: 0, place: null, view: "map", lang: pickLang(), soFar: true };

  function t(key, vars) {
    var table = config.i18n[state.lang] || config.i18n.en;
    var text = table[key] !== undefined ? table[key] : config.i18n.en[key] || key;
    if (vars) Object.keys(vars).forEach(function (k) { text = text.split("{" + k + "}").join(vars[k]); });
    return text;
  }

  function countText(n) { return n === 1 ? t("events_one") : t("events_other", { n: n }); }

  function locale() { return state.lang === "hu" ? "hu-HU" : "en-GB"; }

  var formatters = {};
  function fmt(kind) {
    var key = state.lang + kind;
    if (!formatters[key]) {
      var o = { year: "numeric", timeZone: "UTC" };
      if (kind !== "year") o.month = "long";
      if (kind === "day" || kind === "weekday") o.day = "numeric";
      if (kind === "weekday") o.weekday = "long";
      formatters[key] = new Intl.DateTimeFormat(locale(), o);
    }
    return formatters[key];
  }

  function toDate(iso) {
    var p = iso.split("-");
    return new Date(Date.UTC(+p[0], p[1] ? +p[1] - 1 : 0, p[2] ? +p[2] : 1));
  }

  /** Format an ISO date honestly at its precision: "23 October 1956", "June 1958", "1989". */
  function formatDate(iso, precision, weekday) {
    if (!iso) return "";
    precision = precision || (iso.length === 10 ? "day" : iso.length === 7 ? "month" : "year");
    if (precision === "year") return iso.slice(0, 4);
    return fmt(precision === "month" ? "month" : weekday ? "weekday" : "day").format(toDate(iso));
  }

  function formatRange(ev) {
    if (!ev.end_date || ev.end_date === ev.date) return formatDate(ev.date, ev.precision);
    return formatDate(ev.date, ev.precision) + " – " + formatDate(ev.end_date, ev.precision);
  }

  // ---- the story model ----------------------------------------------------------------
  // The renderer sends mentions and dates as rows (see storymap.render.page_data).
  if (story.compact) {
    story.mentions = story.mentions.map(function (r) {
      return { doc: (story.documents[r[0]] || {}).id, start: r[1], end: r[2], place_id: r[3] };
    });
    story.dates = story.dates.map(function (r) {
      return { doc: (story.documents[r[0]] || {}).id, start: r[1], end: r[2], date: r[3], precision: r[4], end_date: r[5], time: r[6] };
    });
  }
  var places = {};
  story.places.forEach(function (p) { places[p.id] = p; });
  var docs = {};
  story.documents.forEach(function (d) { docs[d.id] = d; });

  function addDays(iso, n) {
    var d = toDate(iso);
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  }

  function eventDays(ev) {
    if (ev.precision !== "day") return [];
    var out = [ev.date];
    var last = ev.end_date && ev.end_date > ev.date ? ev.end_date : ev.date;
    while (out[out.length - 1] < last && out.length < 4000) out.push(addDays(out[out.length - 1], 1));
    return out;
  }

  function eventEnd(ev) { return (ev.end_date || ev.date) + "-99"; }

  var events = story.events.filter(function (ev) {
    if (opts.start && eventEnd(ev) < opts.start) return false;
    if (opts.end && ev.date > opts.end + "-99") return false;
    return true;
  });
  events.forEach(function (ev, i) { ev._order = i; });
  var byId = {};
  events.forEach(function (ev) { byId[ev.id] = ev; });

  function sortKey(ev) { return ev.date + "|" + (ev.time || " ") + "|" + String(1e6 + ev._order); }

  var phase = config.main_phase;
  if (phase) {
    if (opts.start && opts.start.length === 10 && opts.start > phase[0]) phase = [opts.start, phase[1]];
    if (opts.end && opts.end.length === 10 && opts.end < phase[1]) phase = [phase[0], opts.end];
    if (phase[0] > phase[1]) phase = null;
  }

  /** Steps: each day of the main phase, and one step per event before and after it. */
  var steps = (function buildSteps() {
    var before = [], after = [], byDay = {};
    var sorted = events.slice().sort(function (a, b) { return sortKey(a) < sortKey(b) ? -1 : 1; });
    sorted.forEach(function (ev) {
      var inMain = false;
      if (phase) {
        eventDays(ev).forEach(function (d) {
          if (d >= phase[0] && d <= phase[1]) { (byDay[d] = byDay[d] || []).push(ev); inMain = true; }
        });
      }
      var starts = ev.precision === "day" ? ev.date : ev.date;
      if (inMain && ev.date >= phase[0]) return;
      if (!phase || starts < phase[0]) before.push(ev); else after.push(ev);
    });
    function eventStep(ph) {
      return function (ev) {
        return { kind: "event", date: ev.date, precision: ev.precision, events: [ev], phase: ph, id: ev.id };
      };
    }
    var out = before.map(eventStep("before"));
    if (phase) {
      for (var d = phase[0]; d <= phase[1]; d = addDays(d, 1)) {
        out.push({ kind: "day", date: d, precision: "day", events: byDay[d] || [], phase: "main", id: d });
      }
    }
    return out.concat(after.map(eventStep("after")));
  })();

  // Per place: the first step it appears on (for "so far") and all its events.
  var placeFirst = {}, placeEvents = {};
  steps.forEach(function (step, i) {
    step.events.forEach(function (ev) {
      ev.places.forEach(function (ref) {
        if (placeFirst[ref.place_id] === undefined) placeFirst[ref.place_id] = i;
      });
    });
  });
  events.forEach(function (ev) {
    ev.places.forEach(function (ref) {
      var list = placeEvents[ref.place_id] = placeEvents[ref.place_id] || [];
      if (list.indexOf(ev) < 0) list.push(ev);
    });
  });

  function stepOfEvent(ev) {
    for (var i = 0; i < steps.length; i++) if (steps[i].events.indexOf(ev) >= 0) return i;
    return -1;
  }

  function findStep(day, eventId) {
    var i;
    if (eventId && byId[eventId]) {
      i = stepOfEvent(byId[eventId]);
      if (i >= 0) return i;
    }
    if (!day || !ISO.test(day)) return -1;
    for (i = 0; i < steps.length; i++) if (steps[i].date === day) return i;
    for (i = 0; i < steps.length; i++) if (steps[i].date >= day) return i;
    return steps.length - 1;
  }

  function placeName(p) { return state.lang === "hu" && p.name_hu ? p.name_hu : p.name; }

  // ---- the map ------------------------------------------------------------------------
  var L = window.L;
  var map = L.map("sm-map", { zoomControl: true, preferCanvas: false, attributionControl: true });
  // The offline basemap gets its own pane: above the (failed) tiles, below every overlay.
  map.createPane("sm-basemap").style.zIndex = "250";
  map.attributionControl.setPrefix(
    '<a href="https://leafletjs.com" target="_blank" rel="noopener">Leaflet</a> | ' +
    '<a href="#about" data-about="1">Sources &amp; licences</a>');
  map.setView([47.4979, 19.0402], 12);
  var autoMoving = false, userMoved = false;
  map.on("dragstart", function () { userMoved = true; });
  map.on("zoomstart", function () { if (!autoMoving) userMoved = true; });
  map.on("moveend", function () { autoMoving = false; });

  var basemapLayer = null, tileLayer = null, offline = false;
  function showBasemap() {
    if (offline) return;
    offline = true;
    if (tileLayer) { map.removeLayer(tileLayer); tileLayer = null; }
    root.classList.add("sm-offline");
    var note = $("sm-map").querySelector(".sm-offline-note");
    if (!note) {
      note = el("p", "sm-offline-note", t("offline_map"));
      note.setAttribute("data-i18n", "offline_map");
      $("sm-map").appendChild(note);
    }
    var draw = function (data) {
      if (!data || basemapLayer) return;
      basemapLayer = L.geoJSON(data, {
        pane: "sm-basemap",
        interactive: false,
        attribution: '© <a href="https://www.openstreetmap.org/copyright" target="_blank" rel="noopener">OpenStreetMap</a> contributors, <a href="https://www.naturalearthdata.com" target="_blank" rel="noopener">Natural Earth</a>',
        style: function (f) {
          var layer = f.properties.layer;
          // Europe (first in the file, so under Hungary): land a shade off the sea grey,
          // hairline borders; it is context, Hungary and the story's dots stay in front.
          if (layer === "land") return { stroke: false, fillColor: "#f1eee7", fillOpacity: 1 };
          if (layer === "border") return { color: "#aaa398", weight: 0.8, fill: false };
          if (layer === "country") return { color: "#7a7264", weight: 1.5, fillColor: "#fbf8f1", fillOpacity: 1 };
          if (layer === "lake") return { color: "#7fa9cf", weight: 1, fillColor: "#b9d4ec", fillOpacity: 1 };
          if (layer === "river" || layer === "river-city") return { color: "#7fa9cf", weight: layer === "river" ? 2 : 4, fill: false };
          if (layer === "city") return { color: "#9b917f", weight: 1.5, fillColor: "#f2ede2", fillOpacity: 1 };
          return { color: "#b8ad99", weight: 0.8, fill: false };
        }
      });
      basemapLayer.addTo(map);
    };
    var inline = readJSON("basemap-data");
    if (inline) draw(inline);
    else if (config.basemap_url && window.fetch) {
      fetch(config.basemap_url).then(function (r) { return r.ok ? r.json() : null; }).then(draw, function () {});
    }
  }

  if (navigator.onLine === false) {
    showBasemap();
  } else {
    tileLayer = L.tileLayer("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: '© <a href="https://www.openstreetmap.org/copyright" target="_blank" rel="noopener">OpenStreetMap</a> contributors'
    });
    tileLayer.on("tileerror", showBasemap);
    tileLayer.addTo(map);
  }

  var areaLayer = L.layerGroup().addTo(map);
  var markerLayer = L.layerGroup().addTo(map);
  var markers = {}, areas = {};

  function areaFor(p) {
    if (!areas[p.id]) {
      areas[p.id] = L.geoJSON(p.geometry, { style: { weight: 1 } });
      areas[p.id].on("click", function (e) { openPlace(p.id, e.latlng); });
    }
    return areas[p.id];
  }

  function markerFor(p) {
    if (!markers[p.id]) {
      markers[p.id] = L.circleMarker([p.lat, p.lon], { radius: 7 });
      markers[p.id].on("click", function () { openPlace(p.id); });
      markers[p.id].on("add", function () {
        var path = markers[p.id].getElement && markers[p.id].getElement();
        if (path) { path.setAttribute("data-place", p.id); }
      });
    }
    return markers[p.id];
  }

  function todayCounts(step) {
    var counts = {};
    step.events.forEach(function (ev) {
      ev.places.forEach(function (ref) { if (places[ref.place_id]) counts[ref.place_id] = (counts[ref.place_id] || 0) + 1; });
    });
    return counts;
  }

  var shown = {}; // place id -> "today:n" | "earlier" (what its layer shows now)

  /** Draw today's places strong and earlier ones faded; touch only layers that change. */
  function drawMap(step) {
    var counts = todayCounts(step);
    var today = [];
    Object.keys(places).forEach(function (id) {
      var p = places[id];
      var n = counts[id] || 0;
      var earlier = !n && state.soFar && placeFirst[id] !== undefined && placeFirst[id] < state.step;
      var want = n ? "today:" + n : earlier ? "earlier" : p.geometry && placeEvents[id] ? "idle" : "";
      if (n) today.push([p.lat, p.lon]);
      if (shown[id] === want) return;
      var layer = p.geometry ? areaFor(p) : markerFor(p);
      var group = p.geometry ? areaLayer : markerLayer;
      if (!want) { group.removeLayer(layer); delete shown[id]; return; }
      if (p.geometry) {
        layer.setStyle(n ? { color: "#8c1d18", weight: 2, dashArray: null, fillColor: "#c0392b", fillOpacity: Math.min(0.25 + 0.08 * n, 0.6) }
          : earlier ? { color: "#6b6f76", weight: 1, dashArray: null, fillColor: "#6b6f76", fillOpacity: 0.12 }
            : { color: "#8a8f96", weight: 1, dashArray: "3 3", fillColor: "#8a8f96", fillOpacity: 0.02 });
      } else {
        layer.setStyle(n ? { radius: 7 + 2 * Math.sqrt(n), color: "#ffffff", weight: 2, fillColor: "#b3261e", fillOpacity: 0.95 }
          : { radius: 5, color: "#ffffff", weight: 1, fillColor: "#5f6368", fillOpacity: 0.55 });
        if (layer.setRadius) layer.setRadius(n ? 7 + 2 * Math.sqrt(n) : 5);
      }
      if (!shown[id]) group.addLayer(layer);
      if (n && !p.geometry) layer.bringToFront();
      shown[id] = want;
    });
    return today;
  }

  function fitTo(points, animate) {
    if (!points.length) return;
    var all = points.every(function (ll) {
      return ll[0] > BUDAPEST.south && ll[0] < BUDAPEST.north && ll[1] > BUDAPEST.west && ll[1] < BUDAPEST.east;
    });
    var bounds = L.latLngBounds(points);
    var o = { padding: [40, 40], maxZoom: all ? 13 : 7 };
    if (!all) {
      // Spread events: at least the whole of Hungary, wider when they reach further.
      bounds.extend([45.7, 16.1]).extend([48.6, 22.9]);
    }
    autoMoving = true;
    if (animate && !reducedMotion) map.flyToBounds(bounds, Object.assign({ duration: 0.6 }, o));
    else { map.fitBounds(bounds, o); autoMoving = false; }
  }

  // ---- popups and the place list ------------------------------------------------------
  function openPlace(id, latlng) {
    var p = places[id];
    if (!p) return;
    var step = steps[state.step];
    var box = el("div", "sm-popup");
    box.appendChild(el("h3", "sm-popup-title", placeName(p)));
    var todays = step ? step.events.filter(function (ev) {
      return ev.places.some(function (r) { return r.place_id === id; });
    }) : [];
    box.appendChild(el("p", "sm-popup-sub", step ? t("today_here") + " · " + stepLabel(step) : ""));
    if (todays.length) {
      var ul = el("ul", "sm-popup-list");
      todays.forEach(function (ev) {
        var li = el("li");
        if (ev.time) li.appendChild(el("span", "sm-time", ev.time));
        li.appendChild(document.createTextNode(ev.title));
        ul.appendChild(li);
      });
      box.appendChild(ul);
    } else {
      box.appendChild(el("p", "sm-popup-sub", t("nothing_today_here")));
    }
    var all = placeEvents[id] || [];
    var btn = el("button", "sm-btn sm-small", t("events_here", { n: all.length }));
    btn.type = "button";
    btn.addEventListener("click", function () { showPlace(id, true); map.closePopup(); focusPanel(); });
    box.appendChild(btn);
    L.popup({ maxWidth: 320, autoPanPadding: [30, 30] })
      .setLatLng(latlng || [p.lat, p.lon]).setContent(box).openOn(map);
    showPlace(id, true);
  }

  function focusPanel() {
    if (state.view === "text") setView("map", true);
    $("sm-panel").focus({ preventScroll: false });
  }

  function showPlace(id, push) {
    state.place = id && places[id] ? id : null;
    renderPlace();
    if (push) writeUrl(true);
  }

  function renderPlace() {
    var box = $("sm-place");
    var id = state.place;
    if (!id) { box.hidden = true; return; }
    var p = places[id];
    $("sm-place-title").textContent = t("place_events", { place: placeName(p) });
    var list = $("sm-place-events");
    list.textContent = "";
    (placeEvents[id] || []).forEach(function (ev) {
      var li = el("li");
      var b = el("button", "sm-link");
      b.type = "button";
      b.appendChild(el("span", "sm-mini-date", formatRange(ev)));
      b.appendChild(document.createTextNode(ev.title));
      b.addEventListener("click", function () { var i = stepOfEvent(ev); if (i >= 0) go(i, { push: true, fit: true }); });
      li.appendChild(b);
      list.appendChild(li);
    });
    box.hidden = false;
  }

  // ---- the side panel: events of the step ----------------------------------------------
  function stepLabel(step) {
    return step.kind === "day" ? formatDate(step.date, "day", true) : formatRange(step.events[0]);
  }

  function renderEvents(step) {
    var list = $("sm-events");
    list.textContent = "";
    $("sm-day-title").textContent = stepLabel(step);
    $("sm-day-count").textContent = step.events.length ? countText(step.events.length) : t("no_events");
    step.events.forEach(function (ev) {
      var li = el("li", "sm-event");
      li.id = "ev-" + ev.id;
      var head = el("div", "sm-event-head");
      if (ev.time) head.appendChild(el("span", "sm-time", ev.time));
      head.appendChild(el("h3", "sm-event-title", ev.title));
      li.appendChild(head);
      if (ev.end_date || ev.precision !== "day") li.appendChild(el("p", "sm-event-date", formatRange(ev)));
      if (ev.places.length) {
        var pl = el("p", "sm-event-places");
        pl.appendChild(el("span", "sm-label", t("places") + ": "));
        ev.places.forEach(function (ref, i) {
          if (i) pl.appendChild(document.createTextNode(", "));
          var p = places[ref.place_id];
          if (p) {
            var b = el("button", "sm-link sm-place-link", placeName(p));
            b.type = "button";
            b.setAttribute("data-place", p.id);
            b.addEventListener("click", function () {
              if (state.view === "list") setView("map", true);
              map.setView([p.lat, p.lon], Math.max(map.getZoom(), p.lat > BUDAPEST.south && p.lat < BUDAPEST.north ? 14 : 8));
              openPlace(p.id);
            });
            pl.appendChild(b);
          } else {
            pl.appendChild(el("span", "sm-unplaced", ref.mention + " (" + t("not_on_map") + ")"));
          }
        });
        li.appendChild(pl);
      }
      var q = el("blockquote", "sm-quote", ev.quote);
      li.appendChild(q);
      ev.sources.forEach(function (src) {
        var doc = docs[src.doc];
        var cite = el("p", "sm-cite");
        cite.appendChild(el("span", "sm-label", t("source") + ": "));
        cite.appendChild(el("cite", "", doc ? doc.title : src.doc));
        if (doc) {
          var b = el("button", "sm-link sm-in-text", t("show_in_text"));
          b.type = "button";
          b.addEventListener("click", function () { showInText(src); });
          cite.appendChild(document.createTextNode(" · "));
          cite.appendChild(b);
        }
        li.appendChild(cite);
      });
      if (ev.people && ev.people.length) {
        li.appendChild(el("p", "sm-people", t("people") + ": " + ev.people.join(", ")));
      }
      list.appendChild(li);
    });
  }

  // ---- the text view --------------------------------------------------------------------
  var textBuilt = false, segments = {};

  function utf16Index(text) {
    // Story offsets count code points; JavaScript strings count UTF-16 units.
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

  function buildText() {
    if (textBuilt) return;
    textBuilt = true;
    var box = $("sm-text");
    box.appendChild(el("h2", "sm-h2 sm-vh", t("text_label")));
    story.documents.forEach(function (doc) {
      var idx = utf16Index(doc.text);
      var at = function (n) { return idx ? idx[Math.min(n, idx.length - 1)] : n; };
      var ranges = [];
      story.mentions.forEach(function (m, i) { if (m.doc === doc.id) ranges.push({ s: at(m.start), e: at(m.end), kind: m.place_id ? "place" : "unplaced", i: i }); });
      story.dates.forEach(function (d, i) { if (d.doc === doc.id) ranges.push({ s: at(d.start), e: at(d.end), kind: "date", i: i }); });
      var cuts = { 0: 1 };
      cuts[doc.text.length] = 1;
      ranges.forEach(function (r) { cuts[r.s] = 1; cuts[r.e] = 1; });
      events.forEach(function (ev) {
        ev.sources.forEach(function (s) { if (s.doc === doc.id) { cuts[at(s.start)] = 1; cuts[at(s.end)] = 1; } });
      });
      var points = Object.keys(cuts).map(Number).filter(function (n) { return n >= 0 && n <= doc.text.length; })
        .sort(function (a, b) { return a - b; });
      ranges.sort(function (a, b) { return a.s - b.s || (b.e - b.s) - (a.e - a.s); });
      var art = el("article", "sm-doc");
      art.appendChild(el("h3", "sm-doc-title", doc.title));
      if (doc.license || doc.url) {
        var meta = el("p", "sm-doc-meta", doc.license || "");
        if (/^https?:\/\//i.test(doc.url || "")) {
          var a = el("a", "", doc.url);
          a.href = doc.url; a.target = "_blank"; a.rel = "noopener noreferrer";
          meta.appendChild(document.createTextNode(doc.license ? " · " : ""));
          meta.appendChild(a);
        }
        art.appendChild(meta);
      }
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
          var r = covering[0];
          span = el(r.kind === "unplaced" ? "span" : "mark", "");
          covering.forEach(function (c) { span.classList.add("hl-" + c.kind); });
          if (r.kind !== "unplaced") {
            span.tabIndex = 0;
            span.setAttribute("role", "button");
            span.setAttribute("data-" + (r.kind === "date" ? "d" : "m"), String(r.i));
            span.title = t(r.kind === "date" ? "highlight_date" : "highlight_place");
          } else {
            span.title = t("unplaced");
          }
        } else {
          span = el("span", "");
        }
        span.textContent = doc.text.slice(s, e);
        segs.push({ s: s, e: e, node: span });
        body.appendChild(span);
      }
      segments[doc.id] = { segs: segs, at: at };
      art.appendChild(body);
      box.appendChild(art);
    });
    box.addEventListener("click", onTextActivate);
    box.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { if (onTextActivate(e)) e.preventDefault(); }
    });
  }

  function onTextActivate(e) {
    var node = e.target.closest ? e.target.closest("[data-m],[data-d]") : null;
    if (!node) return false;
    if (node.hasAttribute("data-m")) {
      var m = story.mentions[+node.getAttribute("data-m")];
      var evs = (placeEvents[m.place_id] || []).filter(function (ev) {
        return ev.sources.some(function (s) { return s.doc === m.doc && s.start <= m.start && s.end >= m.end; });
      });
      var target = evs[0] || (placeEvents[m.place_id] || [])[0];
      if (target) go(stepOfEvent(target), { push: true, fit: false });
      var p = places[m.place_id];
      if (p) {
        map.setView([p.lat, p.lon], p.lat > BUDAPEST.south && p.lat < BUDAPEST.north ? 14 : 8, { animate: !reducedMotion });
        openPlace(p.id);
      }
    } else {
      var d = story.dates[+node.getAttribute("data-d")];
      var i = findStep(d.date);
      if (i >= 0) go(i, { push: true, fit: true });
    }
    return true;
  }

  function showInText(src) {
    setView("text", true);
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
      first.scrollIntoView({ block: "center", behavior: reducedMotion ? "auto" : "smooth" });
      if (!first.hasAttribute("tabindex")) first.tabIndex = -1;
      first.focus({ preventScroll: true });
    }
  }

  // ---- stepper, chart, slider ------------------------------------------------------------
  var slider = $("sm-slider");
  function buildChart() {
    var chart = $("sm-chart");
    chart.textContent = "";
    var max = 1;
    steps.forEach(function (s) { max = Math.max(max, s.events.length); });
    steps.forEach(function (s, i) {
      var bar = el("span", "sm-bar sm-bar-" + s.phase);
      bar.style.height = (s.events.length ? 12 + 88 * s.events.length / max : 3) + "%";
      bar.setAttribute("data-i", String(i));
      chart.appendChild(bar);
    });
    chart.addEventListener("click", function (e) {
      var i = e.target.getAttribute && e.target.getAttribute("data-i");
      if (i !== null && i !== undefined) go(+i, { push: true, fit: true, user: true });
    });
    slider.max = String(Math.max(steps.length - 1, 0));
  }

  var playTimer = null;
  function setPlaying(on) {
    if (on && state.step >= steps.length - 1) go(0, { push: false, fit: true, user: true });
    if (playTimer) { clearInterval(playTimer); playTimer = null; }
    if (on) {
      playTimer = setInterval(function () {
        if (state.step >= steps.length - 1) { setPlaying(false); return; }
        go(state.step + 1, { push: false, fit: true });
      }, +$("sm-speed").value || 1500);
    }
    var btn = $("sm-play");
    btn.setAttribute("aria-pressed", on ? "true" : "false");
    btn.setAttribute("aria-label", t(on ? "pause" : "play"));
    btn.setAttribute("data-i18n-aria", on ? "pause" : "play");
    root.classList.toggle("sm-playing", !!on);
    if (!on) writeUrl(false);
  }

  var lastPosted = null, ready = false;

  /** Show step i. opts: push (new history entry), fit (move the map), user (a control: refit). */
  function go(i, o) {
    o = o || {};
    if (!steps.length) return;
    i = Math.max(0, Math.min(steps.length - 1, i));
    if (ready) perf.mark("storymap:step-start");
    var changed = i !== state.step || !ready;
    state.step = i;
    if (o.user) userMoved = false;
    var step = steps[i];
    var today = drawMap(step);
    renderEvents(step);
    slider.value = String(i);
    var label = stepLabel(step);
    slider.setAttribute("aria-valuetext", label);
    $("sm-date").textContent = label;
    $("sm-phase").textContent = t("phase_" + step.phase) + " · " + t("step_of", { i: i + 1, n: steps.length });
    var bars = $("sm-chart").children;
    var prev = $("sm-chart").querySelector(".sm-current");
    if (prev) prev.classList.remove("sm-current");
    if (bars[i]) bars[i].classList.add("sm-current");
    $("sm-prev").disabled = $("sm-first").disabled = i === 0;
    $("sm-next").disabled = $("sm-last").disabled = i === steps.length - 1;
    if (changed) $("sm-live").textContent = t("announce", { date: label, count: step.events.length ? countText(step.events.length) : t("no_events") });
    if (o.fit !== false && !userMoved) fitTo(today, ready);
    if (ready) {
      perf.mark("storymap:step-end");
      perf.measure("storymap:step", "storymap:step-start", "storymap:step-end");
    }
    writeUrl(!!o.push);
    if (window.parent !== window && lastPosted !== step.date + step.id) {
      lastPosted = step.date + step.id;
      window.parent.postMessage({ type: "storymap:day", day: step.date, event: step.kind === "event" ? step.id : null }, "*");
    }
  }

  // ---- URL writing and reading --------------------------------------------------------------
  var applyingUrl = false, lastHash = null;
  function urlParams() {
    var step = steps[state.step];
    var parts = [];
    if (standalone && embed) parts.push("embed");
    if (step) parts.push("day=" + encodeURIComponent(step.date));
    if (step && step.kind === "event") parts.push("event=" + encodeURIComponent(step.id));
    if (state.place) parts.push("place=" + encodeURIComponent(state.place));
    if (state.view !== "map") parts.push("view=" + state.view);
    if (state.lang !== (config.lang || pickLangFromBrowser())) parts.push("lang=" + state.lang);
    if (standalone || embed) {
      if (opts.start) parts.push("start=" + encodeURIComponent(opts.start));
      if (opts.end) parts.push("end=" + encodeURIComponent(opts.end));
      if (opts.controls !== "full") parts.push("controls=" + opts.controls);
    }
    return parts.join("&");
  }

  function pickLangFromBrowser() {
    var nav = (navigator.languages && navigator.languages[0]) || navigator.language || "en";
    return /^hu\b/i.test(nav) ? "hu" : "en";
  }

  function writeUrl(push) {
    if (applyingUrl || !ready) return;
    var q = urlParams();
    if (standalone) {
      var hash = "#" + q;
      if (location.hash === hash || (location.hash === "" && q === "")) return;
      lastHash = hash;
      if (push && !embed) location.hash = q; else location.replace(hash);
    } else {
      var url = location.pathname + (q ? "?" + q : "");
      if (url === location.pathname + location.search) return;
      // Inside an iframe a new history entry would hijack the host page's back button.
      if (push && !embed) history.pushState(null, "", url); else history.replaceState(null, "", url);
    }
  }

  function applyUrl(params) {
    applyingUrl = true;
    try {
      if (params.lang && config.i18n[params.lang] && params.lang !== state.lang) setLang(params.lang);
      var view = params.view === "list" || params.view === "text" ? params.view : "map";
      setView(view, false);
      var i = findStep(typeof params.day === "string" ? params.day : null, params.event);
      if (i >= 0 && i !== state.step) go(i, { push: false, fit: true, user: true });
      showPlace(typeof params.place === "string" ? params.place : null, false);
    } finally {
      applyingUrl = false;
    }
  }

  window.addEventListener("popstate", function () { if (!standalone) applyUrl(readUrl()); });
  window.addEventListener("hashchange", function () {
    if (!standalone || location.hash === lastHash) return;
    applyUrl(readUrl());
  });

  // ---- views and language -------------------------------------------------------------------
  function setView(view, push) {
    if (embed && view === "text") view = "map";
    state.view = view;
    root.classList.remove("view-map", "view-list", "view-text");
    root.classList.add("view-" + view);
    document.querySelectorAll(".sm-view").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-view") === view ? "true" : "false");
    });
    if (view === "text") buildText();
    $("sm-text").hidden = view !== "text";
    $("sm-panel").hidden = view === "text";
    setTimeout(function () { map.invalidateSize(); }, 0);
    if (push) writeUrl(true);
  }

  function setLang(lang) {
    state.lang = lang;
    root.lang = lang;
    $("sm-lang").value = lang;
    document.querySelectorAll("[data-i18n]").forEach(function (n) { n.textContent = t(n.getAttribute("data-i18n")); });
    document.querySelectorAll("[data-i18n-aria]").forEach(function (n) { n.setAttribute("aria-label", t(n.getAttribute("data-i18n-aria"))); });
    document.querySelectorAll("[data-i18n-title]").forEach(function (n) { n.title = t(n.getAttribute("data-i18n-title")); });
    if (textBuilt) {
      $("sm-text").querySelectorAll("[data-m]").forEach(function (n) { n.title = t("highlight_place"); });
      $("sm-text").querySelectorAll("[data-d]").forEach(function (n) { n.title = t("highlight_date"); });
    }
    if (ready) { go(state.step, { push: false, fit: false }); renderPlace(); }
  }

  // ---- dialogs: About and Share ----------------------------------------------------------------
  function openDialog(id) {
    var d = $(id);
    if (id === "sm-share") fillShare();
    if (d.showModal) d.showModal(); else d.setAttribute("open", "");
  }

  function fillShare() {
    var step = steps[state.step];
    var day = step ? "day=" + encodeURIComponent(step.date) + (step.kind === "event" ? "&event=" + encodeURIComponent(step.id) : "") : "";
    var lang = "&lang=" + state.lang;
    var link, src;
    if (standalone) {
      var base = location.href.split("#")[0];
      link = base + "#" + day + lang;
      src = base + "#embed&" + day + lang;
    } else {
      var origin = location.origin && location.origin !== "null" ? location.origin : "";
      var pagePath = embed ? location.pathname.replace(/embed\/?$/, "") : location.pathname;
      link = origin + pagePath + "?" + day + lang;
      src = origin + config.embed_path + "?" + day + lang;
    }
    var title = document.title.replace(/"/g, "&quot;").replace(/</g, "&lt;");
    src = src.replace(/&/g, "&amp;").replace(/"/g, "%22");
    $("sm-share-link").value = link;
    $("sm-share-embed").value =
      '<div style="position:relative;width:100%;padding-bottom:62.5%;height:0;overflow:hidden">\n' +
      '  <iframe src="' + src + '" title="' + title + '" loading="lazy" allowfullscreen\n' +
      '    style="position:absolute;top:0;left:0;width:100%;height:100%;border:0"></iframe>\n</div>';
    $("sm-copy-status").textContent = "";
  }

  function copyFrom(id) {
    var field = $(id);
    field.focus();
    field.select();
    var done = function () { $("sm-copy-status").textContent = t("copied"); };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(field.value).then(done, function () {});
    else {
      try { if (document.execCommand("copy")) done(); } catch (err) { /* the text stays selected for Ctrl+C */ }
    }
  }

  // ---- wiring ------------------------------------------------------------------------------------
  function bind() {
    $("sm-prev").addEventListener("click", function () { go(state.step - 1, { push: true, fit: true, user: true }); });
    $("sm-next").addEventListener("click", function () { go(state.step + 1, { push: true, fit: true, user: true }); });
    $("sm-first").addEventListener("click", function () { go(0, { push: true, fit: true, user: true }); });
    $("sm-last").addEventListener("click", function () { go(steps.length - 1, { push: true, fit: true, user: true }); });
    $("sm-play").addEventListener("click", function () { setPlaying(!playTimer); });
    $("sm-speed").addEventListener("change", function () { if (playTimer) setPlaying(true); });
    slider.addEventListener("input", function () { go(+slider.value, { push: false, fit: true, user: true }); });
    slider.addEventListener("change", function () { writeUrl(true); });
    $("sm-sofar").addEventListener("change", function () {
      state.soFar = $("sm-sofar").checked;
      drawMap(steps[state.step] || { events: [] });
    });
    $("sm-lang").addEventListener("change", function () { setLang($("sm-lang").value); writeUrl(true); });
    document.querySelectorAll(".sm-view").forEach(function (b) {
      b.addEventListener("click", function () { setView(b.getAttribute("data-view"), true); });
    });
    $("sm-place-close").addEventListener("click", function () { showPlace(null, true); });
    $("sm-about-open").addEventListener("click", function () { openDialog("sm-about"); });
    $("sm-about-open-embed").addEventListener("click", function () { openDialog("sm-about"); });
    $("sm-share-open").addEventListener("click", function () { openDialog("sm-share"); });
    document.querySelectorAll(".sm-dialog .sm-close").forEach(function (b) {
      b.addEventListener("click", function () { b.closest("dialog").close(); });
    });
    document.querySelectorAll(".sm-copy").forEach(function (b) {
      b.addEventListener("click", function () { copyFrom(b.getAttribute("data-copy")); });
    });
    $("sm-map").addEventListener("click", function (e) {
      var a = e.target.closest && e.target.closest("a[data-about]");
      if (a) { e.preventDefault(); openDialog("sm-about"); }
    });
    document.addEventListener("keydown", onKey);
    window.addEventListener("message", onMessage);
  }

  function onKey(e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) return;
    var tgt = e.target;
    var tag = (tgt.tagName || "").toLowerCase();
    if (tag === "textarea" || tag === "select" || tgt.isContentEditable || document.querySelector("dialog[open]")) return;
    if (tag === "input" && tgt.type !== "checkbox") return;
    if (tgt.closest && tgt.closest("#sm-map")) return; // Leaflet pans with the arrow keys
    var k = e.key;
    if (k === "ArrowRight" || k === "ArrowLeft") {
      go(state.step + (k === "ArrowRight" ? 1 : -1), { push: true, fit: true, user: true });
    } else if (k === "Home" || k === "End") {
      go(k === "Home" ? 0 : steps.length - 1, { push: true, fit: true, user: true });
    } else if (k === " " || k === "Spacebar") {
      if (tag === "button" || tag === "a" || tag === "input" || tgt.getAttribute("role") === "button") return;
      setPlaying(!playTimer);
    } else {
      return;
    }
    e.preventDefault();
  }

  function onMessage(e) {
    if (e.source !== window.parent || window.parent === window) return;
    var msg = e.data;
    if (!msg || typeof msg !== "object" || typeof msg.type !== "string") return;
    if (msg.type === "storymap:goto" && typeof msg.day === "string" && ISO.test(msg.day)) {
      var i = findStep(msg.day, typeof msg.event === "string" ? msg.event : null);
      if (i >= 0) go(i, { push: false, fit: true, user: true });
    } else if (msg.type === "storymap:play") {
      setPlaying(true);
    } else if (msg.type === "storymap:pause") {
      setPlaying(false);
    }
  }

  // ---- start ---------------------------------------------------------------------------------------
  bind();
  buildChart();
  if (state.lang !== (root.lang || "en")) setLang(state.lang);
  var startParams = readUrl();
  var startView = startParams.view === "list" || startParams.view === "text" ? startParams.view : "map";
  setView(startView, false);
  var first = findStep(typeof startParams.day === "string" ? startParams.day : config.day,
    typeof startParams.event === "string" ? startParams.event : null);
  if (!steps.length) {
    $("sm-day-title").textContent = t("no_steps");
  } else {
    go(first >= 0 ? first : 0, { push: false, fit: true });
  }
  if (typeof startParams.place === "string") showPlace(startParams.place, false);
  ready = true;
  if (standalone) lastHash = location.hash;
  perf.mark("storymap:ready");
  perf.measure("storymap:load", "storymap:start", "storymap:ready");
  root.classList.add("sm-ready");
  if (opts.autoplay) setPlaying(true);
  window.storymap = { steps: steps, go: function (day) { var i = findStep(day); if (i >= 0) go(i, { push: true, fit: true, user: true }); } };
})();
