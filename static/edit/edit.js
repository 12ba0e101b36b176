/* storymap edit mode (`storymap serve --edit` only; never in the embed or the export).
 *
 * Loaded before the app's main.js, it waits for the "storymap:app" event, then adds:
 * an Edit button on every event of the panel and in every pin's popup; pins that can be
 * dragged; the runners-up of a name (country, distance); in the text view, selected words
 * → "this is a place" (pick a match or click the map), "not a place", "a person", for this
 * document or everywhere; the review list (accept or correct in one click); undo; and the
 * history with times. Every change is one POST /api/corrections with the server's token and
 * the story's ETag (If-Match); the page then reloads the story. Strings reach the DOM only
 * through textContent. */

var TOKEN_KEY = "storymap-edit-token";
var PANEL_KEY = "storymap-edit-panel";

function el(tag, className, text) {
  var node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

// The kinds a pin may have: the model's vocabulary, sent with the edit page (storymap.model.kinds).
function placeKinds() {
  var node = document.getElementById("sm-place-kinds");
  return node ? JSON.parse(node.textContent) : ["area"];
}

function button(text, onClick, className) {
  var b = el("button", "sm-btn sm-small " + (className || ""), text);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

// ---- the token: from ?token= once, then kept for this tab only --------------------------
(function keepToken() {
  var params = new URLSearchParams(location.search);
  var token = params.get("token");
  if (token) {
    sessionStorage.setItem(TOKEN_KEY, token);
    params.delete("token");
    var query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }
})();

function token() { return sessionStorage.getItem(TOKEN_KEY) || ""; }

var etag = null;
var bar = null, status = null;

function say(text, bad) {
  if (!status) return;
  status.textContent = text;
  status.className = "sm-edit-status" + (bad ? " sm-edit-bad" : "");
}

function api(method, path, body) {
  var headers = { "X-Storymap-Token": token() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method === "POST" && etag) headers["If-Match"] = etag;
  return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body) })
    .then(function (r) {
      return r.json().then(function (data) { return { status: r.status, data: data, etag: r.headers.get("ETag") }; });
    });
}

/** Send one correction (or undo/remove); reload the story on success or when stale. */
function write(path, body, done) {
  say("Saving…");
  return api("POST", path, body).then(function (r) {
    if (r.status === 200) {
      etag = r.etag;
      if (done) return done(r.data);
      reload();
    } else if (r.status === 409) {
      say("The story changed in another tab; reloading it…", true);
      setTimeout(reload, 800);
    } else {
      say(r.data.error || ("Error " + r.status), true);
    }
  }, function () { say("The server did not answer; is `storymap serve --edit` still running?", true); });
}

function post(entry, done) { return write("/api/corrections", entry, done); }

function reload() {
  sessionStorage.setItem(PANEL_KEY, openPanel || "");
  location.reload();
}

// ---- dialogs ------------------------------------------------------------------------------
var dialog = null;

function openDialog(title) {
  closeDialog();
  openPanel = "";
  dialog = el("div", "sm-edit-dialog");
  dialog.setAttribute("role", "dialog");
  dialog.setAttribute("aria-label", title);
  var head = el("div", "sm-edit-dialog-head");
  head.appendChild(el("h2", "sm-h2", title));
  head.appendChild(button("Close", closeDialog, "sm-edit-close"));
  dialog.appendChild(head);
  var body = el("div", "sm-edit-dialog-body");
  dialog.appendChild(body);
  document.body.appendChild(dialog);
  return body;
}

function closeDialog() {
  if (dialog) dialog.remove();
  dialog = null;
}

function field(box, label, input) {
  var row = el("label", "sm-edit-field");
  row.appendChild(el("span", "sm-edit-label", label));
  row.appendChild(input);
  box.appendChild(row);
  return input;
}

function input(value, placeholder) {
  var i = el("input", "sm-edit-input");
  i.value = value || "";
  if (placeholder) i.placeholder = placeholder;
  return i;
}

// ---- events -------------------------------------------------------------------------------
function editEvent(app, ev) {
  var box = openDialog("Edit event");
  box.appendChild(el("blockquote", "sm-quote", ev.quote));
  var title = field(box, "Title", input(ev.title));
  var date = field(box, "Date (YYYY-MM-DD, YYYY-MM or YYYY)", input(ev.date));
  var end = field(box, "End date (empty: none)", input(ev.end_date || ""));
  var time = field(box, "Time (HH:MM, morning, evening…; empty: none)", input(ev.time || ""));
  var hide = el("input");
  hide.type = "checkbox";
  field(box, "Hide this event", hide);
  var places = ev.places.map(function (r) { return r.place_id; });
  var list = el("ul", "sm-edit-places");
  function drawPlaces() {
    list.textContent = "";
    places.forEach(function (id, i) {
      var p = app.model.places[id];
      var li = el("li", "", p ? app.placeName(p) : id);
      li.appendChild(button("Remove", function () { places.splice(i, 1); drawPlaces(); }));
      list.appendChild(li);
    });
  }
  drawPlaces();
  box.appendChild(el("p", "sm-edit-label", "Places"));
  box.appendChild(list);
  var pick = el("select", "sm-select");
  pick.appendChild(el("option", "", "Add a place of the story…")).value = "";
  Object.keys(app.model.places).map(function (id) { return app.model.places[id]; })
    .sort(function (a, b) { return a.name < b.name ? -1 : 1; })
    .forEach(function (p) { var o = el("option", "", app.placeName(p)); o.value = p.id; pick.appendChild(o); });
  pick.addEventListener("change", function () {
    if (pick.value && places.indexOf(pick.value) < 0) places.push(pick.value);
    pick.value = "";
    drawPlaces();
  });
  box.appendChild(pick);
  box.appendChild(button("Save", function () {
    var fix = { id: ev.id };
    if (hide.checked) fix.hide = true;
    if (title.value.trim() !== ev.title) fix.title = title.value.trim();
    if (date.value.trim() !== ev.date) fix.date = date.value.trim();
    if (end.value.trim() !== (ev.end_date || "")) fix.end_date = end.value.trim() || null;
    if (time.value.trim() !== (ev.time || "")) fix.time = time.value.trim() || null;
    var before = ev.places.map(function (r) { return r.place_id; });
    if (places.join("\n") !== before.join("\n")) fix.places = places;
    if (Object.keys(fix).length === 1) { closeDialog(); return; }
    post({ events: [fix] });
  }, "sm-edit-save"));
}

function decorateEvents(app) {
  document.querySelectorAll("#sm-events li.sm-event").forEach(function (li) {
    if (li.querySelector(".sm-edit-event")) return;
    var ev = app.model.byId[li.id.replace(/^ev-/, "")];
    if (!ev) return;
    li.querySelector(".sm-event-head").appendChild(button("Edit", function () { editEvent(app, ev); }, "sm-edit-event"));
  });
}

// ---- pins: drag, edit, runners-up ---------------------------------------------------------
function mentionsOf(app, id) {
  var story = app.model.story, out = [];
  story.mentions.forEach(function (m) {
    if (m.place_id !== id) return;
    var doc = app.model.docs[m.doc];
    if (doc) out.push({ doc: m.doc, text: doc.text.slice(m.start, m.end) });
  });
  return out;
}

function choicesList(box, choices, onPick) {
  var ul = el("ul", "sm-edit-choices");
  choices.forEach(function (c) {
    var li = el("li");
    var label = c.name + " (" + (c.country || "?") + (c.distance_km !== null && c.distance_km !== undefined ? ", " + c.distance_km + " km" : "") + ", " + c.kind + ")";
    li.appendChild(button(label + (c.chosen ? " — current" : ""), function () { onPick(c); }, "sm-edit-choice"));
    ul.appendChild(li);
  });
  box.appendChild(ul);
}

function editPlace(app, id) {
  var p = app.model.places[id];
  if (!p) return;
  var box = openDialog("Edit place: " + app.placeName(p));
  box.appendChild(el("p", "", "Drag the pin on the map to move it, or choose where this name really is."));
  var said = mentionsOf(app, id);
  if (!said.length) return;
  var first = said[0];
  var everywhere = el("input");
  everywhere.type = "checkbox";
  field(box, "Apply to every document (not only " + first.doc + ")", everywhere);
  box.appendChild(el("p", "sm-edit-label", "“" + first.text + "” could be:"));
  var holder = el("div");
  box.appendChild(holder);
  api("GET", "/api/candidates?name=" + encodeURIComponent(first.text)).then(function (r) {
    var choices = (r.data.choices || []).map(function (c) { c.chosen = c.id === id; return c; });
    choicesList(holder, choices, function (c) {
      var fix = { name: first.text, place: c.id };
      if (!everywhere.checked) fix.doc = first.doc;
      post({ names: [fix] });
    });
  });
  box.appendChild(button("Not a place", function () {
    var fix = { name: first.text, not_a_place: true };
    if (!everywhere.checked) fix.doc = first.doc;
    post({ names: [fix] });
  }));
  box.appendChild(button("A person", function () {
    var fix = { name: first.text, person: true };
    if (!everywhere.checked) fix.doc = first.doc;
    post({ names: [fix] });
  }));
}

function makeDraggable(app, layer, id) {
  var L = window.L, map = app.mapView.map;
  if (layer._smEdit) return;
  layer._smEdit = true;
  layer.on("mousedown", function (e) {
    if (e.originalEvent) L.DomEvent.stop(e.originalEvent);
    map.dragging.disable();
    var moved = false;
    function move(ev) { moved = true; layer.setLatLng(ev.latlng); }
    function up(ev) {
      map.off("mousemove", move);
      map.off("mouseup", up);
      map.dragging.enable();
      if (!moved) return;
      var p = app.model.places[id];
      var ll = ev.latlng || layer.getLatLng();
      post({ places: [{ id: p.id, name: p.name, kind: p.kind, lat: +ll.lat.toFixed(6), lon: +ll.lng.toFixed(6), note: "moved on the map" }] });
    }
    map.on("mousemove", move);
    map.on("mouseup", up);
  });
}

function watchPins(app) {
  var L = window.L, map = app.mapView.map;
  function hook(layer) {
    if (!(layer instanceof L.CircleMarker)) return;
    var node = layer.getElement && layer.getElement();
    var id = node && node.getAttribute("data-place");
    if (id) { node.classList.add("sm-edit-draggable"); makeDraggable(app, layer, id); }
  }
  map.eachLayer(hook);
  map.on("layeradd", function (e) { hook(e.layer); });
  map.on("popupopen", function (e) {
    var content = e.popup.getContent();
    if (!content || !content.querySelector || content.querySelector(".sm-edit-pin")) return;
    // the app marks the place as chosen just after opening its popup: read it on click
    content.appendChild(button("Edit place", function () {
      var id = app.state.place;
      map.closePopup();
      if (id) editPlace(app, id);
    }, "sm-edit-pin"));
  });
}

// ---- the text view: selected words --------------------------------------------------------
function docOf(node) {
  var art = node && (node.nodeType === 1 ? node : node.parentNode).closest("article.sm-doc");
  if (!art) return null;
  var arts = Array.prototype.slice.call(document.querySelectorAll("#sm-text article.sm-doc"));
  return arts.indexOf(art);
}

function selectionTools(app) {
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
      var doc = app.model.story.documents[i].id;
      showSelectionTools(app, tools, words, doc, e.pageX, e.pageY);
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
  tools.appendChild(button("This is a place", function () { tools.hidden = true; placeWords(app, words, doc, everywhere.checked); }, "sm-edit-is-place"));
  tools.appendChild(button("Not a place", function () { tools.hidden = true; post(entry({ not_a_place: true })); }, "sm-edit-not-place"));
  tools.appendChild(button("A person", function () { tools.hidden = true; post(entry({ person: true })); }, "sm-edit-person"));
  var lab = el("label", "sm-edit-everywhere");
  lab.appendChild(everywhere);
  lab.appendChild(document.createTextNode(" everywhere"));
  tools.appendChild(lab);
  tools.style.left = Math.max(8, x - 40) + "px";
  tools.style.top = (y + 12) + "px";
  tools.hidden = false;
}

function slug(text) {
  var s = text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  return (s || "place") + "-" + Math.random().toString(36).slice(2, 6);
}

function placeWords(app, words, doc, everywhere) {
  var box = openDialog("Where is “" + words + "”?");
  function nameFix(id) {
    var fix = { name: words, place: id };
    if (!everywhere) fix.doc = doc;
    return { names: [fix] };
  }
  box.appendChild(el("p", "", "Pick a match, or click the map to put it there."));
  var holder = el("div");
  box.appendChild(holder);
  api("GET", "/api/candidates?name=" + encodeURIComponent(words)).then(function (r) {
    var choices = r.data.choices || [];
    if (!choices.length) holder.appendChild(el("p", "", "No gazetteer or GeoNames match."));
    choicesList(holder, choices, function (c) { post(nameFix(c.id)); });
  });
  var kind = el("select", "sm-select");
  placeKinds().forEach(function (k) {
    var o = el("option", "", k); o.value = k; kind.appendChild(o);
  });
  field(box, "Kind (for a point you put on the map)", kind);
  box.appendChild(button("Click the map to put it", function () {
    var map = app.mapView.map;
    if (app.state.view !== "map") app.setView("map", true);
    say("Click the map where “" + words + "” is.");
    closeDialog();
    map.getContainer().classList.add("sm-edit-picking");
    map.once("click", function (e) {
      map.getContainer().classList.remove("sm-edit-picking");
      var id = slug(words);
      post({ places: [{ id: id, name: words, kind: kind.value, lat: +e.latlng.lat.toFixed(6), lon: +e.latlng.lng.toFixed(6) }] },
        function () { post(nameFix(id)); });
    });
  }, "sm-edit-put"));
}

// ---- review, history, undo ------------------------------------------------------------------
var openPanel = "";

function showPanel(app, which) {
  openPanel = which;
  var box = openDialog(which === "review" ? "What the reader is unsure of" : "Corrections");
  openPanel = which;
  if (which === "review") {
    api("GET", "/api/review").then(function (r) { drawReview(app, box, r.data.items || []); });
  } else {
    api("GET", "/api/corrections").then(function (r) { drawHistory(box, r.data); });
  }
}

function drawReview(app, box, items) {
  if (!items.length) { box.appendChild(el("p", "", "Nothing left to check.")); return; }
  box.appendChild(el("p", "sm-count", items.length + " readings to check, most doubtful first."));
  var ol = el("ol", "sm-edit-review");
  items.forEach(function (item) {
    var li = el("li", "sm-edit-item sm-edit-" + item.kind);
    li.appendChild(el("span", "sm-edit-kind", item.kind));
    li.appendChild(el("span", "sm-edit-msg", item.message));
    var actions = el("div", "sm-edit-actions");
    if (item.remove) {
      actions.appendChild(button("Delete the correction", function () {
        write("/api/corrections/remove", { section: item.remove[0], index: item.remove[1] });
      }, "sm-edit-accept"));
    } else if (item.accept) {
      actions.appendChild(button(item.kind === "unplaced" ? "Not a place" : "Accept", function () { post(item.accept); }, "sm-edit-accept"));
    }
    if (item.kind === "ambiguous") {
      choicesList(li, item.choices.filter(function (c) { return !c.chosen; }), function (c) {
        post({ names: [{ doc: item.doc, name: item.text, place: c.id }] });
      });
    } else if (item.kind === "unplaced" || item.kind === "person") {
      actions.appendChild(button("It is a place…", function () { placeWords(app, item.text, item.doc, false); }));
    } else if (item.kind === "inherited" || item.kind === "counted") {
      var d = input(item.accept && item.accept.events ? item.accept.events[0].date : "");
      d.setAttribute("aria-label", "Date");
      actions.appendChild(d);
      actions.appendChild(button("Set date", function () { post({ events: [{ id: item.event_id, date: d.value.trim() }] }); }));
    }
    li.appendChild(actions);
    ol.appendChild(li);
  });
  box.appendChild(ol);
}

function drawHistory(box, data) {
  box.appendChild(el("p", "", "Saved in " + data.path + " (" + data.corrections + " corrections)."));
  (data.unmatched || []).forEach(function (line) { box.appendChild(el("p", "sm-edit-bad", line)); });
  var ol = el("ol", "sm-edit-history");
  (data.history || []).slice().reverse().forEach(function (h) {
    var li = el("li");
    li.appendChild(el("time", "sm-edit-time", new Date(h.at).toLocaleString()));
    li.appendChild(el("span", "", " " + h.what + " "));
    li.appendChild(el("code", "", JSON.stringify(h.entry)));
    ol.appendChild(li);
  });
  if (!ol.children.length) box.appendChild(el("p", "", "No corrections made here yet."));
  box.appendChild(ol);
}

function buildBar(app) {
  bar = el("div", "sm-edit-bar");
  bar.setAttribute("role", "region");
  bar.setAttribute("aria-label", "Edit mode");
  bar.appendChild(el("strong", "", "Edit mode"));
  bar.appendChild(button("Review", function () { showPanel(app, "review"); }, "sm-edit-open-review"));
  bar.appendChild(button("History", function () { showPanel(app, "history"); }, "sm-edit-open-history"));
  bar.appendChild(button("Undo", function () { write("/api/corrections/undo", {}); }, "sm-edit-undo"));
  status = el("span", "sm-edit-status");
  status.setAttribute("aria-live", "polite");
  bar.appendChild(status);
  document.body.appendChild(bar);
  document.documentElement.classList.add("sm-editing");
}

function start(app) {
  buildBar(app);
  if (!token()) say("No edit token: open the URL `storymap serve --edit` printed.", true);
  fetch("/api/story", { method: "HEAD" }).then(function (r) { etag = r.headers.get("ETag"); });
  var go = app.go;
  app.go = function () { var out = go.apply(app, arguments); decorateEvents(app); return out; };
  decorateEvents(app);
  watchPins(app);
  selectionTools(app);
  var again = sessionStorage.getItem(PANEL_KEY);
  sessionStorage.removeItem(PANEL_KEY);
  if (again) showPanel(app, again);
  else say("Ready: Edit on any event or pin; select words in the text view.");
  window.storymapEdit = { ready: true };
}

window.addEventListener("storymap:app", function (e) { start(e.detail); }, { once: true });
