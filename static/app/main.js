/* storymap: the day-by-day map. The entry module of the served page, the embed and the
 * standalone file (where storymap.outputs.jsbundle inlines every module into one script). It
 * builds the app object that the other modules share, wires them and shows the first step.
 *
 *   url.js       URL state (query, or #hash in the standalone file) and view options
 *   i18n.js      interface language, strings, date formats
 *   steps.js     the story as steps (pure data)
 *   map.js       the Leaflet map, markers, popups, pins you can tab to
 *   basemap.js   the offline basemap: its lines, styles, credits, the detail by zoom
 *   pins.js      pins named on hover and focus, one Tab stop, ↑/↓ between them
 *   panel.js     the side panel: the step's events, a place's events
 *   textview.js  the source texts with their marks
 *   stepper.js   chart, slider, buttons, autoplay, keyboard
 *   dialogs.js   About and Share
 *   embed.js     postMessage API for framing pages, window.storymap
 *   labels.js    place labels, stacked pins, basemap names
 *   card.js      a small embed's card of the day's events, its credits behind an ⓘ
 *   details.js   a large story's words, fetched step by step (and clusters.js, via map.js)
 *   present.js   stepping (app.advance) and presenter mode (?present)
 *   print.js     "Print this day"
 *
 * Story strings reach the DOM only through textContent (dom.js el), never innerHTML. */

import { $, readJSON } from "./dom.js";
import { readUrl, viewOptions, urlQuery, writeQuery } from "./url.js";
import { browserLang, createI18n, pickLang, relabel } from "./i18n.js";
import { buildModel, expandRows } from "./steps.js";
import { createMap } from "./map.js";
import { renderEvents, renderPlace, stepLabel, stepLabels } from "./panel.js";
import { createTextView, fillQuotes } from "./textview.js";
import { bindStepper, buildChart, createPlayer, showStep } from "./stepper.js";
import { bindDialogs } from "./dialogs.js";
import { createAnnouncer, listen, publish } from "./embed.js";
import { createLabels } from "./labels.js";
import { createCard } from "./card.js";
import { createDetails } from "./details.js";
import { createPresenter } from "./present.js";
import { bindPrint } from "./print.js";

var perf = window.performance;
perf.mark("storymap:start");

var config = readJSON("storymap-config");
var root = document.documentElement;
var standalone = config.mode === "standalone";
var initialUrl = readUrl(standalone);
var view = viewOptions(config, initialUrl);

var app = {
  config: config,
  root: root,
  standalone: standalone,
  embed: view.embed,
  opts: view.opts,
  reducedMotion: !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches),
  state: { step: 0, place: null, view: "map", lang: pickLang(initialUrl.lang || config.lang, config.i18n),
    soFar: initialUrl.earlier !== "0" },  // "Earlier places" off is kept in the URL
  ready: false
};
Object.assign(app, createI18n(config.i18n, function () { return app.state.lang; },
  function () { return app.textLang; }));

if (app.embed) {
  root.classList.remove("mode-page", "mode-standalone");
  root.classList.add("mode-embed");
}
root.classList.remove("controls-full", "controls-minimal", "controls-none");
root.classList.add("controls-" + app.opts.controls);

// The language the texts are in (the pipeline reads English): quotes are marked with it.
var storyData = readJSON("story-data");
app.textLang = storyData.lang || "en";
app.model = buildModel(fillQuotes(expandRows(storyData)), app.opts, config.main_phase);
app.stepLabel = function (step) { return stepLabel(app, step); };
app.details = createDetails(app);
app.mapView = createMap(app);
app.labels = createLabels(app);
app.card = createCard(app);
app.presenter = createPresenter(app, initialUrl.present !== undefined);
app.advance = app.presenter.advance;
app.textView = createTextView(app);
app.player = createPlayer(app);
app.setPlaying = app.player.setPlaying;
var announce = createAnnouncer();

// ---- URL ------------------------------------------------------------------------------
var applyingUrl = false, lastHash = null;

app.urlQuery = function () { return urlQuery(app, config.lang || browserLang()); };

app.writeUrl = function (push) {
  if (applyingUrl || !app.ready) return;
  var written = writeQuery(urlQuery(app, config.lang || browserLang()), push, standalone, app.embed);
  if (written !== null) lastHash = written;
};

function applyUrl(params) {
  applyingUrl = true;
  try {
    if (params.lang && config.i18n[params.lang] && params.lang !== app.state.lang) app.setLang(params.lang);
    app.setView(params.view === "list" || params.view === "text" ? params.view : "map", false);
    var i = app.model.findStep(typeof params.day === "string" ? params.day : null, params.event);
    if (i >= 0 && i !== app.state.step) app.go(i, { push: false, fit: true, user: true });
    app.showPlace(typeof params.place === "string" ? params.place : null, false);
  } finally {
    applyingUrl = false;
  }
}

window.addEventListener("popstate", function () { if (!standalone) applyUrl(readUrl(false)); });
window.addEventListener("hashchange", function () {
  if (!standalone || location.hash === lastHash) return;
  applyUrl(readUrl(true));
});

// ---- stepping ---------------------------------------------------------------------------

/** Show step i. o: push (new history entry), fit (move the map), user (a control: refit). */
app.go = function (i, o) {
  o = o || {};
  var steps = app.model.steps;
  if (!steps.length) return;
  i = Math.max(0, Math.min(steps.length - 1, i));
  if (app.ready) perf.mark("storymap:step-start");
  var changed = i !== app.state.step || !app.ready;
  app.state.step = i;
  if (o.user) app.mapView.resetUserMoved();
  var step = steps[i];
  var today = app.mapView.draw(step);
  renderEvents(app, step);
  app.presenter.apply(step);
  app.labels.update(step);
  app.card.update(step);
  var labels = stepLabels(app, step), label = labels(0);
  showStep(app, i, labels);
  if (changed) {
    $("sm-live").textContent = app.t("announce", { date: label, count: step.events.length ? app.countText(step.events.length) : app.t("no_events") });
  }
  if (o.fit !== false && !app.mapView.userMoved()) app.mapView.fitTo(today, app.ready && !o.drag);
  if (app.ready) {
    perf.mark("storymap:step-end");
    perf.measure("storymap:step", "storymap:step-start", "storymap:step-end");
  }
  app.writeUrl(!!o.push);
  announce(step);
  // A large story's words come as its steps are shown (details.js); while the slider is
  // dragged, only for the step it rests on.
  if (app.details.lazy) {
    if (o.drag) setTimeout(function () { fetchWords(i); }, 150);
    else fetchWords(i);
  }
};

function fetchWords(i) {
  if (app.state.step !== i) return;
  var step = app.model.steps[i];
  if (app.details.missing(step.events).length) {
    app.details.step(i).then(function () {
      if (app.state.step !== i) return;
      renderEvents(app, step);
      app.presenter.apply(step);
      app.card.update(step);
    }, function () { $("sm-day-count").textContent = app.t("words_failed"); });
  }
  app.details.ahead(i);
}

// ---- views, places, language ------------------------------------------------------------
app.setView = function (name, push) {
  if (app.embed && name === "text") name = "map";
  app.state.view = name;
  root.classList.remove("view-map", "view-list", "view-text");
  root.classList.add("view-" + name);
  document.querySelectorAll(".sm-view").forEach(function (b) {
    b.setAttribute("aria-pressed", b.getAttribute("data-view") === name ? "true" : "false");
  });
  if (name === "text") app.textView.build();
  $("sm-text").hidden = name !== "text";
  $("sm-panel").hidden = name === "text";
  setTimeout(function () { app.mapView.map.invalidateSize(); }, 0);
  if (push) app.writeUrl(true);
};

app.showPlace = function (id, push) {
  app.state.place = id && app.model.places[id] ? id : null;
  renderPlace(app);
  if (push) app.writeUrl(true);
};

app.focusPanel = function () {
  if (app.state.view === "text") app.setView("map", true);
  $("sm-panel").focus({ preventScroll: false });
};

app.setLang = function (lang) {
  app.state.lang = lang;
  root.lang = lang;
  $("sm-lang").value = lang;
  relabel(app.t);
  $("sm-live").textContent = "";  // an announcement in the language left behind
  app.mapView.relabel();
  app.card.relabel();
  app.textView.relabel();
  if (app.ready) { app.go(app.state.step, { push: false, fit: false }); renderPlace(app); }
};

// ---- start ----------------------------------------------------------------------------------
$("sm-sofar").checked = app.state.soFar;
bindStepper(app);
bindDialogs(app);
bindPrint(app);
$("sm-lang").addEventListener("change", function () { app.setLang($("sm-lang").value); app.writeUrl(true); });
document.querySelectorAll(".sm-view").forEach(function (b) {
  b.addEventListener("click", function () { app.setView(b.getAttribute("data-view"), true); });
});
$("sm-place-close").addEventListener("click", function () { app.showPlace(null, true); });
listen(app);
buildChart(app);
if (app.state.lang !== (root.lang || "en")) app.setLang(app.state.lang);
var startParams = readUrl(standalone);
app.setView(startParams.view === "list" || startParams.view === "text" ? startParams.view : "map", false);
var first = app.model.findStep(typeof startParams.day === "string" ? startParams.day : config.day,
  typeof startParams.event === "string" ? startParams.event : null);
if (first < 0) {
  // Nothing asked: open on the main phase (the densest run of days), on its first day with
  // a pin (Story.opening_day), not on the oldest background event.
  first = app.model.steps.findIndex(function (s) { return s.phase === "main" && s.date === config.opens; });
  if (first < 0) first = app.model.steps.findIndex(function (s) { return s.phase === "main"; });
}
if (!app.model.steps.length) {
  $("sm-day-title").textContent = app.t("no_steps");
} else {
  app.go(first >= 0 ? first : 0, { push: false, fit: true });
}
if (typeof startParams.place === "string") app.showPlace(startParams.place, false);
app.ready = true;
if (standalone) lastHash = location.hash;
perf.mark("storymap:ready");
perf.measure("storymap:load", "storymap:start", "storymap:ready");
root.classList.add("sm-ready");
if (app.opts.autoplay) app.setPlaying(true);
publish(app);
// Edit mode (storymap serve --edit) adds its tools to this app; nothing listens elsewhere.
window.dispatchEvent(new CustomEvent("storymap:app", { detail: app }));
