/* Presenter mode (?present in the URL, #present in the standalone file): large type for a
 * projector, and a day's events revealed one at a time. Next (button, →, PageDown, a
 * clicker) shows the day's next event, and only after the last one moves to the next day;
 * Previous hides the last shown event, then goes back a day with all of its events shown.
 * Outside presenter mode, stepping is plain: one step per press. */

import { $ } from "./dom.js";

/** Set up stepping (app.advance) and, when asked for, presenter mode (app.present). */
export function createPresenter(app, asked) {
  var on = !!asked;
  var shown = 1, pending = null, lastStep = -1;
  var user = { push: true, fit: true, user: true };

  if (on) app.root.classList.add("sm-present");

  function count() {
    var step = app.model.steps[app.state.step];
    return step ? step.events.length : 0;
  }

  /** Hide the events of the step not revealed yet; announce the newest one. */
  function apply(step) {
    if (!on) return;
    if (pending !== null) shown = pending;
    else if (app.state.step !== lastStep) shown = 1;
    pending = null;
    lastStep = app.state.step;
    var n = step.events.length;
    shown = Math.max(1, Math.min(shown, n || 1));
    var items = $("sm-events").querySelectorAll(".sm-event");
    for (var i = 0; i < items.length; i++) items[i].classList.toggle("sm-later", i >= shown);
    // The "Continuing" heading shows with the first event under it.
    var head = $("sm-events").querySelector(".sm-continuing-head");
    if (head) head.classList.toggle("sm-later", !head.nextElementSibling || head.nextElementSibling.classList.contains("sm-later"));
    var newest = items[Math.min(shown, items.length) - 1];
    var more = $("sm-present-more");
    if (more) more.textContent = n > shown ? app.t("present_more", { n: n - shown }) : "";
    if (newest && shown > 1) {
      // Scroll the panel only (scrollIntoView would also nudge the page under the header).
      var panel = $("sm-panel");
      var below = newest.getBoundingClientRect().bottom - panel.getBoundingClientRect().bottom;
      if (below > 0) panel.scrollTop += below + 16;
    }
  }

  /** Step forward (dir 1) or back (dir -1): in presenter mode one event at a time. */
  function advance(dir) {
    var n = count();
    if (on && dir > 0 && shown < n) {
      shown++;
      apply(app.model.steps[app.state.step]);
      var items = $("sm-events").querySelectorAll(".sm-event");
      var title = items[shown - 1] && items[shown - 1].querySelector(".sm-event-title");
      if (title) $("sm-live").textContent = title.textContent;
      return;
    }
    if (on && dir < 0 && shown > 1) {
      shown--;
      apply(app.model.steps[app.state.step]);
      return;
    }
    var target = app.state.step + dir;
    if (target < 0 || target >= app.model.steps.length) return;
    if (on) pending = dir < 0 ? Infinity : 1;
    app.go(target, user);
  }

  if (on) {
    var more = document.createElement("p");
    more.id = "sm-present-more";
    more.className = "sm-present-more";
    more.setAttribute("aria-hidden", "true");
    var list = $("sm-events");
    list.parentNode.insertBefore(more, list.nextSibling);
  }

  return { on: on, apply: apply, advance: advance, shown: function () { return shown; } };
}
