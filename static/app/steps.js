/* The story as the page steps through it: events within the view's range, one step per
 * day of the main phase and one per event before and after it, and per place its first
 * step and its events. Pure data: no DOM, no map. */

import { addDays } from "./i18n.js";
import { ISO } from "./url.js";

/** Expand the renderer's compact rows (see storymap.outputs.render.page_data) into objects. */
export function expandRows(story) {
  // Left out by the renderer when they say what the page assumes: no places, a day's date.
  story.events.forEach(function (ev) {
    if (!ev.places) ev.places = [];
    if (!ev.precision) ev.precision = "day";
    // A large story's events name their places by id until their words come (details.js).
    if (typeof ev.places[0] === "string") ev.places = ev.places.map(function (id) { return { place_id: id }; });
  });
  if (Array.isArray(story.continuing)) {
    // The renderer lists the events that look back on every day (storymap.pipeline.timeorder.looks_back).
    var going = {};
    story.continuing.forEach(function (id) { going[id] = true; });
    story.events.forEach(function (ev) { ev.continuing = !!going[ev.id]; });
    story.continuing = null;
  }
  if (!story.compact) return story;
  // The served page has no mentions and dates until its text view fetches them.
  if (story.compact.indexOf("mentions") >= 0) {
    story.mentions = story.mentions.map(function (r) {
      return { doc: (story.documents[r[0]] || {}).id, start: r[1], end: r[2], place_id: r[3] };
    });
  }
  if (story.compact.indexOf("dates") >= 0) {
    story.dates = story.dates.map(function (r) {
      return { doc: (story.documents[r[0]] || {}).id, start: r[1], end: r[2], date: r[3], precision: r[4], end_date: r[5], time: r[6] };
    });
  }
  if ((story.compact || []).indexOf("sources") >= 0) {
    story.events.forEach(function (ev) {
      ev.sources = ev.sources.map(function (r) { return { doc: (story.documents[r[0]] || {}).id, start: r[1], end: r[2] }; });
    });
  }
  story.compact = null;
  return story;
}

/** Return the days an event covers (day precision only; at most 4000). */
export function eventDays(ev) {
  if (ev.precision !== "day") return [];
  var out = [ev.date];
  var last = ev.end_date && ev.end_date > ev.date ? ev.end_date : ev.date;
  while (out[out.length - 1] < last && out.length < 4000) out.push(addDays(out[out.length - 1], 1));
  return out;
}

function eventEnd(ev) { return (ev.end_date || ev.date) + "-99"; }

/** Return the main phase [first, last] cut to the view's start and end, or null. */
export function clipPhase(phase, opts) {
  if (!phase) return null;
  if (opts.start && opts.start.length === 10 && opts.start > phase[0]) phase = [opts.start, phase[1]];
  if (opts.end && opts.end.length === 10 && opts.end < phase[1]) phase = [phase[0], opts.end];
  return phase[0] > phase[1] ? null : phase;
}

/** Return true if ``ev`` goes on over ``day`` rather than being its news (as
 * storymap.model.Event.continues_on): a range of days on the days after its first, an
 * event that looks back (the renderer's ``continuing``) on every day. It groups a day's
 * events under the "Continuing" heading; it orders nothing. */
export function isContinuing(ev, day) {
  if (ev.continuing === true) return true;
  return !!(ev.end_date && ev.end_date !== ev.date && day && day > ev.date);
}

/** Return the steps: each day of ``phase``, one step per event before and after it.
 *
 * The page sorts nothing: Python decided the order (storymap.pipeline.timeorder, then
 * Story.events_by_day). ``events`` come in the story's order (by day, then time of day) and
 * ``dayOrder`` (the renderer's ``day_order``: day → indices into the story's events) lists
 * each day of the main phase in the order it is told: its news, then what continues.
 * ``weekdays`` (the renderer's: day → weekday, 0 = Monday, or null) names the days its
 * texts count in another calendar (storymap.model.calendar); a day step carries its
 * ``weekday``: that, or true for the Gregorian one. */
export function buildSteps(events, phase, dayOrder, weekdays) {
  var before = [], after = [], byDay = {};
  var listed = {};
  events.forEach(function (ev) { listed[ev._index] = ev; });
  if (phase && dayOrder) {
    Object.keys(dayOrder).forEach(function (d) {
      if (d < phase[0] || d > phase[1]) return;
      byDay[d] = dayOrder[d].map(function (i) { return listed[i]; }).filter(Boolean);
    });
  }
  events.forEach(function (ev) {
    var inMain = false;
    if (phase) {
      eventDays(ev).forEach(function (d) {
        if (d < phase[0] || d > phase[1]) return;
        inMain = true;
        // A story without the renderer's day lists: each day in the story's order.
        if (!dayOrder) (byDay[d] = byDay[d] || []).push(ev);
      });
    }
    if (inMain && ev.date >= phase[0]) return;
    if (!phase || ev.date < phase[0]) before.push(ev); else after.push(ev);
  });
  function eventStep(ph) {
    return function (ev) {
      return { kind: "event", date: ev.date, precision: ev.precision, events: [ev], phase: ph, id: ev.id };
    };
  }
  var out = before.map(eventStep("before"));
  if (phase) {
    for (var d = phase[0]; d <= phase[1]; d = addDays(d, 1)) {
      var weekday = weekdays && Object.prototype.hasOwnProperty.call(weekdays, d) ? weekdays[d] : true;
      out.push({ kind: "day", date: d, precision: "day", events: byDay[d] || [], phase: "main", id: d, weekday: weekday });
    }
  }
  return out.concat(after.map(eventStep("after")));
}

/** Return the page's model of ``story`` (already expanded) for the view options ``opts``:
 * places, docs, events, steps and the lookups the other modules use. */
export function buildModel(story, opts, mainPhase) {
  var places = {}, docs = {}, byId = {}, placeFirst = {}, placeEvents = {};
  story.places.forEach(function (p) { places[p.id] = p; });
  story.documents.forEach(function (d) { docs[d.id] = d; });
  story.events.forEach(function (ev, i) { ev._index = i; });  // day_order's indices
  var events = story.events.filter(function (ev) {
    if (opts.start && eventEnd(ev) < opts.start) return false;
    if (opts.end && ev.date > opts.end + "-99") return false;
    return true;
  });
  events.forEach(function (ev) { byId[ev.id] = ev; });
  var steps = buildSteps(events, clipPhase(mainPhase, opts), story.day_order || null,
                         story.weekdays || null);
  // Per place: the first step it appears on (for "so far") and all its events.
  steps.forEach(function (step, i) {
    step.events.forEach(function (ev) {
      ev.places.forEach(function (ref) {
        if (placeFirst[ref.place_id] === undefined) placeFirst[ref.place_id] = i;
      });
    });
  });
  events.forEach(function (ev) {
    ev.places.forEach(function (ref) {
      var list = placeEvents[ref.place_id] = placeEvents[ref.place_id] || [];
      if (list.indexOf(ev) < 0) list.push(ev);
    });
  });

  function stepOfEvent(ev) {
    for (var i = 0; i < steps.length; i++) if (steps[i].events.indexOf(ev) >= 0) return i;
    return -1;
  }

  /** The step of event ``eventId`` if known, else the first step on or after ``day``. */
  function findStep(day, eventId) {
    var i;
    if (eventId && byId[eventId]) {
      i = stepOfEvent(byId[eventId]);
      if (i >= 0) return i;
    }
    if (!day || !ISO.test(day)) return -1;
    for (i = 0; i < steps.length; i++) if (steps[i].date === day) return i;
    for (i = 0; i < steps.length; i++) if (steps[i].date >= day) return i;
    return steps.length - 1;
  }

  return {
    story: story, places: places, docs: docs, events: events, byId: byId, steps: steps,
    placeFirst: placeFirst, placeEvents: placeEvents, stepOfEvent: stepOfEvent, findStep: findStep
  };
}
