/* Pins you can trust: a drag keeps the view and says "saved" (or the whole error) on the
 * pin; every pin names itself on hover and keyboard focus (the faded places of earlier days
 * too); a pin's Edit lists the places its name could be with kind, state and country; words
 * selected in the text become a place, not a place, or a person; and the map's search box
 * finds a place in the gazetteer, GeoNames, the packs and earlier online answers — online
 * too, only when the teacher ticks the box that says where the words go. */

import {
  t, el, button, field, input, openDialog, closeDialog, post, say, api, edit, fold,
  spanText, placeLabel, address
} from "./core.js";

var pins = {};  // place id → its Leaflet layer

function placeKinds() {
  var node = document.getElementById("sm-place-kinds");
  return node ? JSON.parse(node.textContent) : ["area"];
}

/** Every place of the story whose text says ``name`` (folded), with its documents. */
function namesLike(app, name) {
  var key = fold(name), out = {};
  app.model.story.mentions.forEach(function (m) {
    var doc = app.model.docs[m.doc];
    if (!doc) return;
    var text = spanText(doc.text, m.start, m.end);
    if (fold(text) !== key) return;
    (out[text] = out[text] || {})[m.doc] = 1;
  });
  return Object.keys(out).map(function (text) { return { name: text, docs: Object.keys(out[text]) }; });
}

function mentionsOf(app, id) {
  var out = [];
  app.model.story.mentions.forEach(function (m) {
    if (m.place_id !== id) return;
    var doc = app.model.docs[m.doc];
    if (doc) out.push({ doc: m.doc, text: spanText(doc.text, m.start, m.end) });
  });
  return out;
}

/** A names entry reading ``name`` as place ``id``: in ``doc`` only, or everywhere. */
function nameFix(name, id, doc, everywhere) {
  var fix = { name: name, place: id };
  if (!everywhere && doc) fix.doc = doc;
  return { names: [fix] };
}

export function choicesList(box, choices, onPick) {
  var ul = el("ul", "sm-edit-choices");
  choices.forEach(function (c) {
    var li = el("li");
    li.appendChild(button(placeLabel(c) + (c.chosen ? " — " + t("edit_current") : ""), function () { onPick(c); }, "sm-edit-choice"));
    ul.appendChild(li);
  });
  box.appendChild(ul);
}

// ---- dragging ---------------------------------------------------------------------------------
function distanceKm(a, b) {
  var r = Math.PI / 180, dlat = (b.lat - a.lat) * r, dlon = (b.lng - a.lng) * r;
  var h = Math.sin(dlat / 2) * Math.sin(dlat / 2) + Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.sin(dlon / 2) * Math.sin(dlon / 2);
  return 12742 * Math.asin(Math.sqrt(h));
}

function kmText(km) { return km < 1 ? Math.round(km * 1000) + " m" : (km < 10 ? km.toFixed(1) : Math.round(km)) + " km"; }

/** Say ``text`` on the pin of ``id`` for a while ("saved", or what went wrong). */
export function tellOnPin(id, text, bad) {
  var layer = pins[id];
  if (!layer || !layer.bindTooltip) return;
  layer.unbindTooltip();
  layer.bindTooltip(text, { permanent: true, direction: "top", offset: [0, -8], className: bad ? "sm-edit-pin-error" : "sm-edit-saved" }).openTooltip();
  setTimeout(function () { if (pins[id] === layer) { layer.unbindTooltip(); hoverLabel(edit.app, layer, id); } }, bad ? 12000 : 6000);
}

function makeDraggable(app, layer, id) {
  var L = window.L, map = app.mapView.map;
  layer.on("mousedown", function (e) {
    if (e.originalEvent) L.DomEvent.stop(e.originalEvent);
    map.dragging.disable();
    var start = layer.getLatLng(), moved = false;
    function move(ev) { moved = true; layer.setLatLng(ev.latlng); }
    function up(ev) {
      map.off("mousemove", move);
      map.off("mouseup", up);
      map.dragging.enable();
      if (!moved) return;
      var p = app.model.places[id];
      var ll = ev.latlng || layer.getLatLng();
      var name = app.placeName(p), far = kmText(distanceKm(start, ll));
      var entry = { id: p.id, name: p.name, kind: p.kind, lat: +ll.lat.toFixed(6), lon: +ll.lng.toFixed(6), note: "moved on the map" };
      if (p.source) entry.source = p.source;  // where its name came from still holds
      post({ places: [entry] }, {
        keep: { saved: id, message: t("edit_moved", { name: name, km: far }) },
        failed: function (message) { layer.setLatLng(start); tellOnPin(id, message, true); }
      });
    }
    map.on("mousemove", move);
    map.on("mouseup", up);
  });
}

/** The place's name on hover and on keyboard focus (Tab reaches every pin). */
function hoverLabel(app, layer, id) {
  var p = app.model.places[id];
  if (!p) return;
  layer.bindTooltip(app.placeName(p), { direction: "top", offset: [0, -6], className: "sm-edit-hover" });
  var node = layer.getElement && layer.getElement();
  if (node && !node.hasAttribute("tabindex")) {
    node.setAttribute("tabindex", "0");
    node.setAttribute("role", "button");
    node.setAttribute("aria-label", app.placeName(p));
    node.addEventListener("focus", function () { layer.openTooltip(); });
    node.addEventListener("blur", function () { layer.closeTooltip(); });
    node.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); app.mapView.openPlace(id); }
    });
  }
}

export function watchPins(app) {
  var L = window.L, map = app.mapView.map;
  function hook(layer) {
    if (!(layer instanceof L.CircleMarker) || layer._smProposal) return;
    var node = layer.getElement && layer.getElement();
    var id = node && node.getAttribute("data-place");
    if (!id || layer._smEdit) return;
    layer._smEdit = true;
    pins[id] = layer;
    node.classList.add("sm-edit-draggable");
    makeDraggable(app, layer, id);
    hoverLabel(app, layer, id);
  }
  map.eachLayer(hook);
  map.on("layeradd", function (e) { setTimeout(function () { hook(e.layer); }, 0); });
  map.on("popupopen", function (e) {
    var content = e.popup.getContent();
    if (!content || !content.querySelector || content.querySelector(".sm-edit-pin")) return;
    // the app marks the place as chosen just after opening its popup: read it on click
    content.appendChild(button(t("edit_place_button"), function () {
      var id = app.state.place;
      map.closePopup();
      if (id) editPlace(app, id);
    }, "sm-edit-pin"));
  });
}

// ---- a pin's name: where is it really? --------------------------------------------------------
export function editPlace(app, id) {
  var p = app.model.places[id];
  if (!p) return;
  var said = mentionsOf(app, id);
  var box = openDialog(t("edit_place_title", { name: app.placeName(p) }));
  box.appendChild(el("p", "", t("edit_place_help")));
  if (!said.length) return;
  var first = said[0];
  var everywhere = el("input");
  everywhere.type = "checkbox";
  field(box, t("edit_everywhere_but", { doc: first.doc }), everywhere);
  box.appendChild(el("p", "sm-edit-label", t("edit_could_be", { name: first.text })));
  var holder = el("div");
  box.appendChild(holder);
  api("GET", "/api/candidates?name=" + encodeURIComponent(first.text)).then(function (r) {
    var choices = (r.data.choices || []).map(function (c) { c.chosen = c.id === id; return c; });
    choicesList(holder, choices, function (c) { post(nameFix(first.text, c.id, first.doc, everywhere.checked)); });
  });
  box.appendChild(el("p", "sm-edit-label", t("edit_or_search")));
  searchInto(app, box, first.text, function (c) { post(nameFix(first.text, c.id, first.doc, everywhere.checked)); });
  box.appendChild(button(t("edit_not_place"), function () {
    var fix = { name: first.text, not_a_place: true };
    if (!everywhere.checked) fix.doc = first.doc;
    post({ names: [fix] });
  }));
  box.appendChild(button(t("edit_person"), function () {
    var fix = { name: first.text, person: true };
    if (!everywhere.checked) fix.doc = first.doc;
    post({ names: [fix] });
  }));
}

// ---- the text view: selected words ----------------------------------------------------------
function docOf(node) {
  var art = node && (node.nodeType === 1 ? node : node.parentNode).closest("article.sm-doc");
  if (!art) return null;
  var arts = Array.prototype.slice.call(document.querySelectorAll("#sm-text article.sm-doc"));
  return arts.indexOf(art);
}

export function selectionTools(app) {
  var tools = el("div", "sm-edit-selection");
  tools.hidden = true;
  document.body.appendChild(tools);
  document.addEventListener("mouseup", function (e) {
    if (tools.contains(e.target)) return;
    setTimeout(function () {
      var sel = window.getSelection();
      var words = sel ? sel.toString().replace(/\s+/g, " ").trim() : "";
      var i = sel && sel.rangeCount ? docOf(sel.getRangeAt(0).startContainer) : null;
      if (!words || words.length > 120 || i === null || i < 0) { tools.hidden = true; return; }
      showSelectionTools(app, tools, words, app.model.story.documents[i].id, e.pageX, e.pageY);
    }, 0);
  });
}

function showSelectionTools(app, tools, words, doc, x, y) {
  tools.textContent = "";
  tools.appendChild(el("span", "sm-edit-label", "“" + words + "”: "));
  var everywhere = el("input");
  everywhere.type = "checkbox";
  function entry(extra) {
    var fix = Object.assign({ name: words }, extra);
    if (!everywhere.checked) fix.doc = doc;
    return { names: [fix] };
  }
  tools.appendChild(button(t("edit_is_place"), function () { tools.hidden = true; placeWords(app, words, doc, everywhere.checked); }, "sm-edit-is-place"));
  tools.appendChild(button(t("edit_not_place"), function () { tools.hidden = true; post(entry({ not_a_place: true })); }, "sm-edit-not-place"));
  tools.appendChild(button(t("edit_person"), function () { tools.hidden = true; post(entry({ person: true })); }, "sm-edit-person"));
  var lab = el("label", "sm-edit-everywhere");
  lab.appendChild(everywhere);
  lab.appendChild(document.createTextNode(" " + t("edit_everywhere")));
  tools.appendChild(lab);
  tools.style.left = Math.max(8, x - 40) + "px";
  tools.style.top = (y + 12) + "px";
  tools.hidden = false;
}

function slug(text) {
  var s = fold(text).replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  return (s || "place") + "-" + Math.random().toString(36).slice(2, 6);
}

export function placeWords(app, words, doc, everywhere) {
  var box = openDialog(t("edit_where_is", { name: words }));
  box.appendChild(el("p", "", t("edit_pick_or_click")));
  searchInto(app, box, words, function (c) { post(nameFix(words, c.id, doc, everywhere)); });
  var kind = el("select", "sm-select");
  placeKinds().forEach(function (k) { var o = el("option", "", k); o.value = k; kind.appendChild(o); });
  field(box, t("edit_kind"), kind);
  box.appendChild(button(t("edit_click_map"), function () {
    var map = app.mapView.map;
    if (app.state.view !== "map") app.setView("map", true);
    say(t("edit_click_where", { name: words }));
    closeDialog();
    map.getContainer().classList.add("sm-edit-picking");
    map.once("click", function (e) {
      map.getContainer().classList.remove("sm-edit-picking");
      var id = slug(words);
      post({ places: [{ id: id, name: words, kind: kind.value, lat: +e.latlng.lat.toFixed(6), lon: +e.latlng.lng.toFixed(6) }] },
        { done: function () { post(nameFix(words, id, doc, everywhere)); } });
    });
  }, "sm-edit-put"));
}

// ---- searching for a place --------------------------------------------------------------------
/** A search field with its results in ``box``, filled with ``query``; ``onPick(choice)``. */
export function searchInto(app, box, query, onPick) {
  var form = el("form", "sm-edit-search");
  form.setAttribute("role", "search");
  var q = input(query || "", t("edit_search_placeholder"));
  q.setAttribute("aria-label", t("edit_search_placeholder"));
  q.classList.add("sm-edit-search-input");
  form.appendChild(q);
  var go = el("button", "sm-btn sm-small sm-edit-search-go", t("edit_search"));
  go.type = "submit";
  form.appendChild(go);
  var consent = el("input");
  consent.type = "checkbox";
  consent.className = "sm-edit-search-online";
  var lab = el("label", "sm-edit-consent");
  lab.appendChild(consent);
  lab.appendChild(document.createTextNode(" " + t("edit_search_online", { service: edit.service || "OpenStreetMap Nominatim" })));
  form.appendChild(lab);
  var results = el("div", "sm-edit-results");
  results.setAttribute("aria-live", "polite");
  form.appendChild(results);
  box.appendChild(form);
  var asked = 0;
  function search(online) {
    var text = q.value.trim();
    if (!text) { results.textContent = ""; return; }
    var mine = ++asked;
    if (online) results.textContent = t("edit_searching_online");
    api("GET", "/api/places/search?q=" + encodeURIComponent(text) + (online ? "&online=1" : "")).then(function (r) {
      if (mine !== asked) return;
      results.textContent = "";
      if (r.data.error) results.appendChild(el("p", "sm-edit-bad", r.data.error));
      var choices = r.data.choices || [];
      if (!choices.length) { results.appendChild(el("p", "", t("edit_no_match"))); return; }
      var ul = el("ul", "sm-edit-choices");
      choices.forEach(function (c) {
        var li = el("li");
        var b = button(placeLabel(c), function () { onPick(c); }, "sm-edit-result");
        if (address(c)) b.title = address(c);
        li.appendChild(b);
        ul.appendChild(li);
      });
      results.appendChild(ul);
    });
  }
  var timer = null;
  q.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { search(false); }, 250); });
  form.addEventListener("submit", function (e) { e.preventDefault(); search(consent.checked); });
  consent.addEventListener("change", function () { if (consent.checked && q.value.trim()) search(true); });
  if (query) search(false);
  return q;
}

/** The map's own search box: find a place, then say which name of the text it is. */
export function mapSearch(app) {
  var L = window.L;
  var control = L.control({ position: "topright" });
  control.onAdd = function () {
    var box = el("div", "sm-edit-mapsearch leaflet-bar");
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    searchInto(app, box, "", function (c) { usePlace(app, c, box.querySelector(".sm-edit-search-input").value); });
    return box;
  };
  control.addTo(app.mapView.map);
}

/** A search result picked on the map: show it, and put the name(s) it may be there. */
function usePlace(app, c, query) {
  var map = app.mapView.map;
  map.setView([c.lat, c.lon], Math.max(map.getZoom(), 12));
  var box = openDialog(placeLabel(c));
  if (address(c)) box.appendChild(el("p", "sm-edit-address", address(c)));
  var same = namesLike(app, query).concat(query && fold(query) !== fold(c.name) ? namesLike(app, c.name) : []);
  if (same.length) {
    same.forEach(function (n) {
      var doc = n.docs.length === 1 ? n.docs[0] : "";
      box.appendChild(button(t("edit_put_here", { name: n.name }), function () { post(nameFix(n.name, c.id, doc, !doc)); }, "sm-edit-put-here"));
    });
    return;
  }
  box.appendChild(el("p", "", t("edit_which_name")));
  var pick = el("select", "sm-select");
  var seen = {};
  app.model.story.mentions.forEach(function (m) {
    var doc = app.model.docs[m.doc];
    var text = doc ? spanText(doc.text, m.start, m.end) : "";
    if (!text || seen[m.doc + "\n" + text]) return;
    seen[m.doc + "\n" + text] = 1;
    var o = el("option", "", text + (m.place_id ? "" : " — " + t("edit_not_placed_yet")));
    o.value = m.doc + "\n" + text;
    pick.appendChild(o);
  });
  box.appendChild(pick);
  box.appendChild(button(t("edit_put_it_here"), function () {
    var parts = pick.value.split("\n");
    post(nameFix(parts[1], c.id, parts[0], false));
  }, "sm-edit-put-here"));
}
