/* The day stepper: the bar chart of events per step, the slider, the buttons, autoplay and
 * the keyboard (arrows, PageUp/PageDown, Home, End, Space). */

import { $, el } from "./dom.js";

/** Return where each step sits on the slider (0…SCALE) and how wide it is: the main phase
 * gets most of the width, the background before it and the aftermath after it at most
 * BACKGROUND_SHARE each, however many steps they have. Without a main phase, even steps. */
var SCALE = 1000, BACKGROUND_SHARE = 0.14;
export function stepLayout(steps) {
  var n = steps.length, counts = { before: 0, main: 0, after: 0 };
  steps.forEach(function (s) { counts[s.phase] = (counts[s.phase] || 0) + 1; });
  var share = { before: counts.before / n, main: counts.main / n, after: counts.after / n };
  if (counts.main) {
    share.before = Math.min(share.before, BACKGROUND_SHARE);
    share.after = Math.min(share.after, BACKGROUND_SHARE);
    share.main = 1 - share.before - share.after;
  }
  var at = 0, out = [];
  steps.forEach(function (s) {
    var w = (share[s.phase] || 0) * SCALE / Math.max(1, counts[s.phase] || 1);
    out.push({ pos: at + w / 2, width: w });
    at += w;
  });
  return out;
}

/** Return the step nearest slider value ``v``. */
function stepAt(layout, v) {
  var best = 0;
  for (var i = 1; i < layout.length; i++) if (Math.abs(layout[i].pos - v) < Math.abs(layout[best].pos - v)) best = i;
  return best;
}

/** Draw one bar per step (height: its number of events; width: its share of the slider),
 * with a visible break where the background, main phase and aftermath meet; a click goes
 * to that step. */
export function buildChart(app) {
  var steps = app.model.steps;
  var layout = app.stepLayout = stepLayout(steps);
  var chart = $("sm-chart");
  chart.textContent = "";
  var max = 1;
  steps.forEach(function (s) { max = Math.max(max, s.events.length); });
  steps.forEach(function (s, i) {
    var bar = el("span", "sm-bar sm-bar-" + s.phase + (i && s.phase !== steps[i - 1].phase ? " sm-phase-start" : ""));
    bar.style.height = (s.events.length ? 12 + 88 * s.events.length / max : 3) + "%";
    bar.style.flexGrow = String(layout[i].width);
    bar.setAttribute("data-i", String(i));
    chart.appendChild(bar);
  });
  chart.addEventListener("click", function (e) {
    var i = e.target.getAttribute && e.target.getAttribute("data-i");
    if (i !== null && i !== undefined) app.go(+i, { push: true, fit: true, user: true });
  });
  var slider = $("sm-slider");
  slider.max = String(steps.length > 1 ? SCALE : 0);
  slider.step = "any";
}

/** Show the first of ``labels`` (a function of k: the k-th form, null past the last) that
 * fits ``node`` on its line (the last one if none does); a shortened label keeps the whole
 * one as its title. Where the line may wrap (a wide page) the first is shown unmeasured. */
export function fitText(node, labels) {
  var k = 0, label = labels(0);
  node.textContent = label;
  if (getComputedStyle(node).whiteSpace === "nowrap") {
    var range = document.createRange();
    for (var next = labels(1); next !== null; next = labels(k + 1)) {
      // Measured in fractions of a pixel: scrollWidth rounds, and an ellipsis shows for less.
      range.selectNodeContents(node);
      if (range.getBoundingClientRect().width <= node.getBoundingClientRect().width) break;
      k++;
      node.textContent = next;
    }
  }
  if (k) node.title = label; else node.removeAttribute("title");
}

function listOf(items) { return function (k) { return k < items.length ? items[k] : null; }; }

var shown = null;  // the labels of the step shown: fitted again when the frame is resized

/** Mark step ``i`` on the chart, slider and buttons; ``labels(k)`` are its date, longest
 * first ("Thursday, 25 October 1956" … "25/10/1956"): the date shows whole in any frame. */
export function showStep(app, i, labels) {
  var steps = app.model.steps, step = steps[i];
  var slider = $("sm-slider");
  slider.value = String(app.stepLayout && app.stepLayout[i] ? app.stepLayout[i].pos : i);
  slider.setAttribute("aria-valuetext", labels(0));
  var phase = app.t("phase_" + step.phase);
  shown = { date: labels, phase: listOf([phase + " · " + app.t("step_of", { i: i + 1, n: steps.length }),
    phase + " · " + app.t("step_short", { i: i + 1, n: steps.length }), app.t("step_short", { i: i + 1, n: steps.length })]) };
  fitText($("sm-date"), shown.date);
  fitText($("sm-phase"), shown.phase);
  var prev = $("sm-chart").querySelector(".sm-current");
  if (prev) prev.classList.remove("sm-current");
  var bar = $("sm-chart").querySelector('[data-i="' + i + '"]');
  if (bar) bar.classList.add("sm-current");
  $("sm-prev").disabled = $("sm-first").disabled = i === 0;
  $("sm-next").disabled = $("sm-last").disabled = i === steps.length - 1;
}

/** Return setPlaying(on): start or stop stepping forward at the chosen speed. */
export function createPlayer(app) {
  var playTimer = null;
  function setPlaying(on) {
    var last = app.model.steps.length - 1;
    if (on && app.state.step >= last) app.go(0, { push: false, fit: true, user: true });
    if (playTimer) { clearInterval(playTimer); playTimer = null; }
    if (on) {
      playTimer = setInterval(function () {
        if (app.state.step >= last) { setPlaying(false); return; }
        app.go(app.state.step + 1, { push: false, fit: true });
      }, +$("sm-speed").value || 1500);
    }
    var btn = $("sm-play");
    btn.setAttribute("aria-pressed", on ? "true" : "false");
    btn.setAttribute("aria-label", app.t(on ? "pause" : "play"));
    btn.setAttribute("data-i18n-aria", on ? "pause" : "play");
    app.root.classList.toggle("sm-playing", !!on);
    if (!on) app.writeUrl(false);
  }
  return { setPlaying: setPlaying, playing: function () { return playTimer !== null; } };
}

/** Wire the buttons, slider, speed and "so far" box. */
export function bindStepper(app) {
  var user = { push: true, fit: true, user: true };
  var slider = $("sm-slider");
  $("sm-prev").addEventListener("click", function () { app.advance(-1); });
  $("sm-next").addEventListener("click", function () { app.advance(1); });
  $("sm-first").addEventListener("click", function () { app.go(0, user); });
  $("sm-last").addEventListener("click", function () { app.go(app.model.steps.length - 1, user); });
  $("sm-play").addEventListener("click", function () { app.setPlaying(!app.player.playing()); });
  $("sm-speed").addEventListener("change", function () { if (app.player.playing()) app.setPlaying(true); });
  slider.addEventListener("input", function () {
    var i = stepAt(app.stepLayout || [], +slider.value);
    if (i !== app.state.step) app.go(i, { push: false, fit: true, user: true, drag: true });
  });
  slider.addEventListener("change", function () { app.writeUrl(true); });
  $("sm-sofar").addEventListener("change", function () {
    app.state.soFar = $("sm-sofar").checked;
    app.writeUrl(false);  // kept on reload
    app.mapView.draw(app.model.steps[app.state.step] || { events: [] });
  });
  // On a phone, speed and "Earlier places" open above the stepper (one row less).
  var more = $("sm-more");
  var openExtra = function (on) {
    app.root.classList.toggle("sm-extra-open", on);
    more.setAttribute("aria-expanded", on ? "true" : "false");
  };
  more.addEventListener("click", function () { openExtra(!app.root.classList.contains("sm-extra-open")); });
  $("sm-extra").addEventListener("keydown", function (e) {
    if (e.key === "Escape" && app.root.classList.contains("sm-extra-open")) { openExtra(false); more.focus(); }
  });
  var frame = 0;
  window.addEventListener("resize", function () {
    if (frame || !shown) return;
    frame = (window.requestAnimationFrame || setTimeout)(function () {
      frame = 0;
      fitText($("sm-date"), shown.date);
      fitText($("sm-phase"), shown.phase);
    });
  });
  // Capture on window: the keys step whatever has focus (the map too: Leaflet would pan
  // with ←/→ and never see them), unless a text field or a dialog has it.
  window.addEventListener("keydown", function (e) { onKey(app, e); }, true);
}

// Keys that step back and forward: arrows, and PageUp/PageDown, which presentation
// clickers send.
var BACK = { ArrowLeft: 1, PageUp: 1 }, FORWARD = { ArrowRight: 1, PageDown: 1 };

function onKey(app, e) {
  if (e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) return;
  var tgt = e.target;
  var tag = (tgt.tagName || "").toLowerCase();
  if (tag === "textarea" || tag === "select" || tgt.isContentEditable || document.querySelector("dialog[open]")) return;
  if (tag === "input" && ["checkbox", "radio", "range", "button"].indexOf(tgt.type) < 0) return;
  var k = e.key;
  if (FORWARD[k] || BACK[k]) {
    app.advance(FORWARD[k] ? 1 : -1);
  } else if (k === "Home" || k === "End") {
    app.go(k === "Home" ? 0 : app.model.steps.length - 1, { push: true, fit: true, user: true });
  } else if (k === " " || k === "Spacebar") {
    if (tag === "button" || tag === "a" || tag === "input" || tgt.getAttribute("role") === "button") return;
    app.setPlaying(!app.player.playing());
  } else {
    return;
  }
  e.preventDefault();
  e.stopPropagation();
}
