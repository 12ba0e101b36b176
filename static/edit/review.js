/* The review list (what the reader is unsure of, grouped by kind, most doubtful first), the
 * online lookup of the names nothing placed — a button that says where the names go; each
 * answer a proposal to accept or reject, shown on the map as a hollow pin — and the
 * history of corrections. */

import {
  t, el, button, input, openDialog, post, write, api, edit, placeLabel, address
} from "./core.js";
import { choicesList, placeWords } from "./pins.js";

var GROUPS = ["unmatched", "ambiguous", "estimated", "unplaced", "person", "inherited", "counted"];
var proposalLayer = null, polling = null;

export function showPanel(app, which) {
  var box = openDialog(which === "review" ? t("edit_review_title") : t("edit_history_title"), which);
  if (which === "review") {
    edit.onClose = clearProposals;
    api("GET", "/api/review").then(function (r) { drawReview(app, box, r.data); });
  } else {
    api("GET", "/api/corrections").then(function (r) { drawHistory(box, r.data); });
  }
}

function clearProposals() {
  if (proposalLayer) proposalLayer.remove();
  proposalLayer = null;
  if (polling) clearTimeout(polling);
  polling = null;
}

/** Hollow, dashed pins for the online proposals: where each answer would put the name. */
function drawProposals(app, items) {
  var L = window.L;
  if (proposalLayer) proposalLayer.remove();
  proposalLayer = L.layerGroup().addTo(app.mapView.map);
  items.forEach(function (item) {
    onlineChoices(item).forEach(function (c) {
      var m = L.circleMarker([c.lat, c.lon], { radius: 8, color: c.best ? "#1a5fb4" : "#8a8f96", weight: 2, dashArray: "3 3", fill: true, fillOpacity: 0.1 });
      m._smProposal = true;
      m.bindTooltip(item.text + " → " + placeLabel(c), { direction: "top" });
      proposalLayer.addLayer(m);
    });
  });
}

/** The online answers an item offers: an unplaced name's choices, an estimate's others. */
function onlineChoices(item) {
  if (item.kind === "unplaced") return item.choices;
  if (item.kind === "estimated") return item.choices.filter(function (c) { return !c.chosen; });
  return [];
}

function drawReview(app, box, data) {
  var items = data.items || [];
  var online = data.online || {};
  edit.service = online.service || edit.service;
  box.textContent = "";
  if (!items.length) { box.appendChild(el("p", "", t("edit_nothing_left"))); return; }
  box.appendChild(el("p", "sm-count", t("edit_to_check", { n: items.length })));
  drawProposals(app, items);
  // one "Look these up online" button: in the first group whose names it asks about
  var lookupIn = ["estimated", "unplaced"].filter(function (kind) {
    return items.some(function (i) { return i.kind === kind; });
  })[0];
  GROUPS.forEach(function (kind) {
    var mine = items.filter(function (i) { return i.kind === kind; });
    if (!mine.length) return;
    var section = el("section", "sm-edit-group sm-edit-group-" + kind);
    section.appendChild(el("h3", "sm-edit-group-title", t("edit_group_" + kind) + " (" + mine.length + ")"));
    if (kind === lookupIn) section.appendChild(onlineBox(app, box, online));
    var ol = el("ol", "sm-edit-review");
    mine.forEach(function (item) { ol.appendChild(reviewItem(app, box, item)); });
    section.appendChild(ol);
    box.appendChild(section);
  });
}

/** The "Look these up online" button and, while it runs, its progress. */
function onlineBox(app, box, online) {
  var wrap = el("div", "sm-edit-online");
  var state = el("p", "sm-edit-online-state");
  state.setAttribute("aria-live", "polite");
  var service = online.service || "OpenStreetMap Nominatim";
  var go = button(t("edit_lookup_online", { service: service }), function () {
    go.disabled = true;
    api("POST", "/api/online/lookup", {}).then(function (r) {
      if (r.status !== 200) { state.textContent = r.data.error || t("edit_error_status", { status: r.status }); go.disabled = false; return; }
      follow(app, box, state, r.data);
    });
  }, "sm-edit-lookup");
  wrap.appendChild(go);
  wrap.appendChild(state);
  if (online.state === "running") { go.disabled = true; follow(app, box, state, online); }
  else if (online.state === "done" || online.state === "failed") state.textContent = outcome(online);
  return wrap;
}

function outcome(job) {
  if (job.state === "failed") return t("edit_online_failed", { failure: job.failure || "" });
  return t("edit_online_done", { placed: job.placed || 0, proposed: job.proposed || 0, names: job.names || 0 });
}

function follow(app, box, state, job) {
  if (job.state !== "running") {
    api("GET", "/api/review").then(function (r) {
      drawReview(app, box, r.data);
      var again = box.querySelector(".sm-edit-online-state");
      if (again) again.textContent = outcome(job);
    });
    return;
  }
  state.textContent = t("edit_online_running", { done: job.done || 0, total: job.total || 0, service: job.service || "" });
  polling = setTimeout(function () {
    api("GET", "/api/online").then(function (r) { follow(app, box, state, r.data); });
  }, 700);
}

function reviewItem(app, box, item) {
  var li = el("li", "sm-edit-item sm-edit-" + item.kind);
  li.appendChild(el("span", "sm-edit-msg", item.message));
  var actions = el("div", "sm-edit-actions");
  if (item.remove) {
    actions.appendChild(button(t("edit_delete_correction"), function () {
      write("/api/corrections/remove", { section: item.remove[0], index: item.remove[1] });
    }, "sm-edit-accept"));
  } else if (item.accept) {
    actions.appendChild(button(item.kind === "unplaced" ? t("edit_not_place") : t("edit_accept"), function () { post(item.accept); }, "sm-edit-accept"));
  }
  if (item.kind === "ambiguous") {
    choicesList(li, item.choices.filter(function (c) { return !c.chosen; }), function (c) {
      post({ names: [{ doc: item.doc, name: item.text, place: c.id }] });
    });
  } else if (item.kind === "unplaced") {
    if (item.choices.length) li.appendChild(proposals(app, box, item));
    actions.appendChild(button(t("edit_it_is_place"), function () { placeWords(app, item.text, item.doc, false); }));
  } else if (item.kind === "person" || item.kind === "estimated") {
    if (onlineChoices(item).length) li.appendChild(proposals(app, box, item));
    actions.appendChild(button(t(item.kind === "person" ? "edit_it_is_place" : "edit_place_elsewhere"), function () { placeWords(app, item.text, item.doc, false); }));
  } else if (item.kind === "inherited" || item.kind === "counted") {
    var d = input(item.accept && item.accept.events ? item.accept.events[0].date : "");
    d.setAttribute("aria-label", t("edit_date"));
    actions.appendChild(d);
    actions.appendChild(button(t("edit_set_date"), function () { post({ events: [{ id: item.event_id, date: d.value.trim() }] }); }));
  }
  li.appendChild(actions);
  return li;
}

/** The online answers for a name: each with where it is, Accept and Reject. */
function proposals(app, box, item) {
  var ul = el("ul", "sm-edit-proposals");
  var offered = onlineChoices(item);
  var anyBest = offered.some(function (c) { return c.best; });
  offered.forEach(function (c) {
    var li = el("li", "sm-edit-proposal" + (c.best ? " sm-edit-best" : ""));
    li.appendChild(el("strong", "", placeLabel(c)));
    if (c.best) li.appendChild(el("span", "sm-edit-badge", t("edit_best")));
    else if (!anyBest) li.appendChild(el("span", "sm-edit-badge sm-edit-far", t("edit_far")));
    if (address(c)) li.appendChild(el("div", "sm-edit-address", address(c)));
    li.appendChild(button(t("edit_accept"), function () {
      post({ names: [{ doc: item.doc, name: item.text, place: c.id }] });
    }, "sm-edit-accept-proposal"));
    li.appendChild(button(t("edit_reject"), function () {
      api("POST", "/api/online/reject", { doc: item.doc, name: item.text, id: c.id }).then(function (r) {
        if (r.status === 200) drawReview(app, box, r.data);
      });
    }, "sm-edit-reject-proposal"));
    li.addEventListener("mouseenter", function () { app.mapView.map.panTo([c.lat, c.lon]); });
    ul.appendChild(li);
  });
  return ul;
}

function drawHistory(box, data) {
  box.appendChild(el("p", "", t("edit_saved_in", { path: data.path, n: data.corrections })));
  (data.unmatched || []).forEach(function (line) { box.appendChild(el("p", "sm-edit-bad", line)); });
  var ol = el("ol", "sm-edit-history");
  (data.history || []).slice().reverse().forEach(function (h) {
    var li = el("li");
    li.appendChild(el("time", "sm-edit-time", new Date(h.at).toLocaleString(edit.app.state.lang === "hu" ? "hu-HU" : "en-GB")));
    li.appendChild(el("span", "", " " + h.what + " "));
    li.appendChild(el("code", "", JSON.stringify(h.entry)));
    ol.appendChild(li);
  });
  if (!ol.children.length) box.appendChild(el("p", "", t("edit_no_history")));
  box.appendChild(ol);
}
