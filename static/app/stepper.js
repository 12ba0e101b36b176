/* The day stepper: the bar chart of events per step, the slider, the buttons, autoplay and
 * the keyboard (arrows, Home, End, Space). */

import { $, el } from "./dom.js";

/** Draw one bar per step (height: its number of events); a click goes to that step. */
export function buildChart(app) {
  var steps = app.model.steps;
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
    if (i !== null && i !== undefined) app.go(+i, { push: true, fit: true, user: true });
  });
  $("sm-slider").max = String(Math.max(steps.length - 1, 0));
}

/** Mark step ``i`` on the chart, slider and buttons. */
export function showStep(app, i, label) {
  var steps = app.model.steps, step = steps[i];
  var slider = $("sm-slider");
  slider.value = String(i);
  slider.setAttribute("aria-valuetext", label);
  $("sm-date").textContent = label;
  $("sm-phase").textContent = app.t("phase_" + step.phase) + " · " + app.t("step_of", { i: i + 1, n: steps.length });
  var bars = $("sm-chart").children;
  var prev = $("sm-chart").querySelector(".sm-current");
  if (prev) prev.classList.remove("sm-current");
  if (bars[i]) bars[i].classList.add("sm-current");
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
  $("sm-prev").addEventListener("click", function () { app.go(app.state.step - 1, user); });
  $("sm-next").addEventListener("click", function () { app.go(app.state.step + 1, user); });
  $("sm-first").addEventListener("click", function () { app.go(0, user); });
  $("sm-last").addEventListener("click", function () { app.go(app.model.steps.length - 1, user); });
  $("sm-play").addEventListener("click", function () { app.setPlaying(!app.player.playing()); });
  $("sm-speed").addEventListener("change", function () { if (app.player.playing()) app.setPlaying(true); });
  slider.addEventListener("input", function () { app.go(+slider.value, { push: false, fit: true, user: true }); });
  slider.addEventListener("change", function () { app.writeUrl(true); });
  $("sm-sofar").addEventListener("change", function () {
    app.state.soFar = $("sm-sofar").checked;
    app.mapView.draw(app.model.steps[app.state.step] || { events: [] });
  });
  document.addEventListener("keydown", function (e) { onKey(app, e); });
}

function onKey(app, e) {
  if (e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) return;
  var tgt = e.target;
  var tag = (tgt.tagName || "").toLowerCase();
  if (tag === "textarea" || tag === "select" || tgt.isContentEditable || document.querySelector("dialog[open]")) return;
  if (tag === "input" && tgt.type !== "checkbox") return;
  if (tgt.closest && tgt.closest("#sm-map")) return; // Leaflet pans with the arrow keys
  var k = e.key;
  var user = { push: true, fit: true, user: true };
  if (k === "ArrowRight" || k === "ArrowLeft") {
    app.go(app.state.step + (k === "ArrowRight" ? 1 : -1), user);
  } else if (k === "Home" || k === "End") {
    app.go(k === "Home" ? 0 : app.model.steps.length - 1, user);
  } else if (k === " " || k === "Spacebar") {
    if (tag === "button" || tag === "a" || tag === "input" || tgt.getAttribute("role") === "button") return;
    app.setPlaying(!app.player.playing());
  } else {
    return;
  }
  e.preventDefault();
}
