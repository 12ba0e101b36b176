/* The embed API. A page that frames the map hears {type: "storymap:day", day, event} when
 * the step changes and may send {type: "storymap:goto", day, event?}, "storymap:play" or
 * "storymap:pause". Scripts in the page itself (and the tests) use window.storymap. */

import { ISO } from "./url.js";

/** Tell the framing page which step is shown (once per step; nothing when not framed). */
export function createAnnouncer() {
  var lastPosted = null;
  return function announce(step) {
    if (window.parent === window || lastPosted === step.date + step.id) return;
    lastPosted = step.date + step.id;
    window.parent.postMessage({ type: "storymap:day", day: step.date, event: step.kind === "event" ? step.id : null }, "*");
  };
}

/** Listen for the framing page's messages; only from window.parent, only known types. */
export function listen(app) {
  window.addEventListener("message", function (e) {
    if (e.source !== window.parent || window.parent === window) return;
    var msg = e.data;
    if (!msg || typeof msg !== "object" || typeof msg.type !== "string") return;
    if (msg.type === "storymap:goto" && typeof msg.day === "string" && ISO.test(msg.day)) {
      var i = app.model.findStep(msg.day, typeof msg.event === "string" ? msg.event : null);
      if (i >= 0) app.go(i, { push: false, fit: true, user: true });
    } else if (msg.type === "storymap:play") {
      app.setPlaying(true);
    } else if (msg.type === "storymap:pause") {
      app.setPlaying(false);
    }
  });
}

/** Publish window.storymap: the steps and go(day). */
export function publish(app) {
  window.storymap = {
    steps: app.model.steps,
    go: function (day) {
      var i = app.model.findStep(day);
      if (i >= 0) app.go(i, { push: true, fit: true, user: true });
    }
  };
}
