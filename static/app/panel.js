/* The side panel: the step's heading and events (title, time, places, quote, sources,
 * people) and the list of every event at the chosen place. Story strings go in with
 * textContent only. */

import { $, el } from "./dom.js";
import { isContinuing } from "./steps.js";

/** Return the label of a step: the weekday and date of a day, the date range of an event. */
export function stepLabel(app, step) {
  return step.kind === "day" ? app.formatDate(step.date, "day", step.weekday) : app.formatRange(step.events[0]);
}

/** Return the step's labels, longest first: a function giving the k-th form ("Thursday,
 * 25 October 1956", "25 October 1956", "25 Oct 1956", "25/10/1956"; null past the last),
 * made only when asked (a date format is slow to make, and the first form usually fits). */
export function stepLabels(app, step) {
  var sizes = [undefined, "short", "numeric"], made = [stepLabel(app, step)];
  return function (k) {
    while (made.length <= k && sizes.length) {
      var size = sizes.shift();
      var label = step.kind === "day" ? (size ? app.formatDate(step.date, "day", false, size) : app.formatDate(step.date, "day"))
        : app.formatRange(step.events[0], size || "long");
      if (made.indexOf(label) < 0) made.push(label);
    }
    return k < made.length ? made[k] : null;
  };
}

function placesLine(app, ev) {
  var pl = el("p", "sm-event-places");
  pl.appendChild(el("span", "sm-label", app.t("places") + ": "));
  ev.places.forEach(function (ref, i) {
    if (i) pl.appendChild(document.createTextNode(", "));
    var p = app.model.places[ref.place_id];
    if (p) {
      var b = el("button", "sm-link sm-place-link", app.pinName(p));  // "(approximate)" if estimated
      b.lang = app.placeLang(p);
      b.type = "button";
      b.setAttribute("data-place", p.id);
      b.addEventListener("click", function () {
        if (app.state.view === "list") app.setView("map", true);
        app.mapView.zoomTo(p, { keepCloser: true });
        app.mapView.openPlace(p.id);
      });
      pl.appendChild(b);
    } else {
      var unplaced = el("span", "sm-unplaced");
      unplaced.appendChild(el("span", "", ref.mention)).lang = app.textLang;
      unplaced.appendChild(document.createTextNode(" (" + app.t("not_on_map") + ")"));
      pl.appendChild(unplaced);
    }
  });
  return pl;
}

function eventItem(app, ev) {
  var li = el("li", "sm-event");
  li.id = "ev-" + ev.id;
  var head = el("div", "sm-event-head");
  if (ev.time) head.appendChild(el("span", "sm-time", app.timeLabel(ev.time)));
  // Titles and quotes are in the language of the texts, whatever the interface's.
  var title = el("h3", "sm-event-title", ev.title);
  title.lang = app.textLang;
  head.appendChild(title);
  li.appendChild(head);
  if (ev.end_date || ev.precision !== "day") li.appendChild(el("p", "sm-event-date", app.formatRange(ev)));
  if (ev.places.length) li.appendChild(placesLine(app, ev));
  var quote = el("blockquote", "sm-quote", ev.quote);
  quote.lang = app.textLang;
  li.appendChild(quote);
  ev.sources.forEach(function (src) {
    var doc = app.model.docs[src.doc];
    var cite = el("p", "sm-cite");
    cite.appendChild(el("span", "sm-label", app.t("source") + ": "));
    cite.appendChild(el("cite", "", doc ? doc.title : src.doc)).lang = app.textLang;
    if (doc) {
      var b = el("button", "sm-link sm-in-text", app.t("show_in_text"));
      b.type = "button";
      b.addEventListener("click", function () { app.textView.showInText(src); });
      cite.appendChild(document.createTextNode(" · "));
      cite.appendChild(b);
    }
    li.appendChild(cite);
  });
  if (ev.people && ev.people.length) {
    var people = el("p", "sm-people", app.t("people") + ": ");
    people.appendChild(el("span", "", ev.people.join(", "))).lang = app.textLang;
    li.appendChild(people);
  }
  return li;
}

/** Fill the panel with the events of ``step`` (a large story's, once their words came). */
export function renderEvents(app, step) {
  var list = $("sm-events");
  list.textContent = "";
  $("sm-day-title").textContent = stepLabel(app, step);
  $("sm-day-count").textContent = step.events.length ? app.countText(step.events.length) : app.t("no_events");
  if (app.details && app.details.missing(step.events).length) {
    list.appendChild(el("li", "sm-loading", app.t("loading")));
    return;
  }
  var headed = false;
  step.events.forEach(function (ev) {
    var later = step.kind === "day" && isContinuing(ev, step.date);
    if (later && !headed) {
      // Ranges and looks back go below the day's news, under their own heading.
      headed = true;
      var head = el("li", "sm-continuing-head");
      head.appendChild(el("h3", "sm-h3", app.t("continuing")));
      list.appendChild(head);
    }
    var item = eventItem(app, ev);
    if (later) item.classList.add("sm-continuing");
    list.appendChild(item);
  });
}

/** Show the events of the chosen place (app.state.place), or hide the box when none. */
export function renderPlace(app) {
  var box = $("sm-place");
  var id = app.state.place;
  if (!id) { box.hidden = true; return; }
  var p = app.model.places[id];
  var title = $("sm-place-title");
  title.textContent = "";
  title.appendChild(app.frame("place_events", { place: { text: app.placeName(p), lang: app.placeLang(p) } }));
  var list = $("sm-place-events");
  list.textContent = "";
  var events = app.model.placeEvents[id] || [];
  if (app.details && app.details.missing(events).length) {
    list.appendChild(el("li", "sm-loading", app.t("loading")));
    box.hidden = false;
    app.details.place(id).then(function () { if (app.state.place === id) renderPlace(app); }, function () {});
    return;
  }
  events.forEach(function (ev) {
    var li = el("li");
    var b = el("button", "sm-link");
    b.type = "button";
    b.appendChild(el("span", "sm-mini-date", app.formatRange(ev)));
    b.appendChild(el("span", "", ev.title)).lang = app.textLang;
    b.addEventListener("click", function () { var i = app.model.stepOfEvent(ev); if (i >= 0) app.go(i, { push: true, fit: true }); });
    li.appendChild(b);
    list.appendChild(li);
  });
  box.hidden = false;
}
