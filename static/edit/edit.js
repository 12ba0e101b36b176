/* storymap edit mode (`storymap serve --edit` only; never in the embed or the export).
 *
 * Loaded before the app's main.js, it waits for the "storymap:app" event, then adds: an Edit
 * button on every event and in every pin's popup; pins that can be dragged (the view stays,
 * the pin says "saved"); hover and focus labels on every pin; a place search box on the map;
 * the runners-up of a name (kind, state, country, distance); in the text view, selected words
 * → "this is a place", "not a place", "a person"; the review list with the online lookup of
 * what nothing placed; undo; and the history. Every change is one POST with the server's
 * token and the story's ETag (If-Match); the page then reloads the story where it was.
 * Its words follow the page's language (static/app/i18n.json, edit_…).
 *
 *   core.js     strings, token, API, status line, the dialog, reload keeping the view
 *   events.js   the event form, with dates checked in plain words
 *   pins.js     dragging, pin labels, a pin's Edit, selected words, the search box
 *   review.js   the review list, online proposals, the history */

import { edit, t, el, button, say, write, kept, loadStrings, api, closeDialog } from "./core.js";
import { decorateEvents } from "./events.js";
import { watchPins, selectionTools, mapSearch, tellOnPin } from "./pins.js";
import { showPanel } from "./review.js";

var labelled = [];  // [node, key] of the bar, relabelled when the language changes

function labelled_(node, key) { labelled.push([node, key]); node.textContent = t(key); return node; }

function buildBar(app) {
  var bar = el("div", "sm-edit-bar");
  bar.setAttribute("role", "region");
  bar.setAttribute("aria-label", t("edit_mode"));
  bar.appendChild(labelled_(el("strong"), "edit_mode"));
  bar.appendChild(labelled_(button("", function () { showPanel(app, "review"); }, "sm-edit-open-review"), "edit_review"));
  bar.appendChild(labelled_(button("", function () { showPanel(app, "history"); }, "sm-edit-open-history"), "edit_history"));
  bar.appendChild(labelled_(button("", function () { write("/api/corrections/undo", {}, { keep: { message: t("edit_undone") } }); }, "sm-edit-undo"), "edit_undo"));
  edit.status = el("span", "sm-edit-status");
  edit.status.setAttribute("aria-live", "polite");
  bar.appendChild(edit.status);
  document.body.appendChild(bar);
  document.documentElement.classList.add("sm-editing");
}

/** Put the map back where the teacher had it before the story was reloaded. */
function restore(app, view) {
  if (!view || typeof view.lat !== "number") return;
  if (view.view && view.view !== app.state.view) app.setView(view.view, false);
  var map = app.mapView.map;
  map.setView([view.lat, view.lng], view.zoom, { animate: false });
  // as if the teacher had moved it: the offline basemap does not zoom it back out
  map.fire("dragstart");
  map.fire("dragend");
}

function start(app) {
  edit.app = app;
  loadStrings(app);
  buildBar(app);
  var before = kept();
  fetch("/api/story", { method: "HEAD" }).then(function (r) { edit.etag = r.headers.get("ETag"); });
  // the search box says where its "also online" sends the words: the service's name first
  var searchBox = function () { mapSearch(app); };
  api("GET", "/api/online").then(function (r) {
    if (r.data && r.data.service) edit.service = r.data.service;
  }).then(searchBox, searchBox);
  var go = app.go;
  app.go = function () { var out = go.apply(app, arguments); decorateEvents(app); return out; };
  var setLang = app.setLang;
  app.setLang = function (lang) {
    var out = setLang.apply(app, arguments);
    closeDialog();  // its words were the old language's: open it again to read it anew
    labelled.forEach(function (pair) { pair[0].textContent = t(pair[1]); });
    document.querySelectorAll(".sm-edit-event").forEach(function (b) { b.textContent = t("edit_edit"); });
    return out;
  };
  decorateEvents(app);
  watchPins(app);
  selectionTools(app);
  restore(app, before.view);
  if (before.panel) showPanel(app, before.panel);
  if (!edit.app.config || !sessionStorage.getItem("storymap-edit-token")) say(t("edit_no_token"), true);
  else if (before.view && before.view.message) say(before.view.message);
  else say(t("edit_ready"));
  if (before.view && before.view.saved) tellOnPin(before.view.saved, t("edit_saved_pin"), false);
  window.storymapEdit = { ready: true };
}

window.addEventListener("storymap:app", function (e) { start(e.detail); }, { once: true });
