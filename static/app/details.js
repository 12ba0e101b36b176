/* The words of a large story's events, fetched as they are shown. The served page of a
 * story past storymap.outputs.pagedata.LAZY_EVENTS events carries each event's dates and
 * places only: enough for the steps, the slider, the pins and the clusters. A step's
 * titles, quotes, sources and people come from /api/days/<day> (a day), or /api/events?ids=
 * (an event before or after the main phase) when the step is shown, and the steps around
 * it are fetched ahead, so Next and Previous wait for nothing; a place's list fetches
 * /api/places/<id>. Every answer is kept. A page that carries its words fetches nothing. */

/** Return {lazy, missing(list), step(i), ahead(i), place(id)}. */
export function createDetails(app) {
  var base = app.config.details_url, lazy = !!base;
  var asked = {};  // url -> promise

  function missing(list) { return list.filter(function (ev) { return typeof ev.title !== "string"; }); }

  function merge(rows) {
    rows.forEach(function (j) {
      var ev = app.model.byId[j.id];
      if (!ev) return;
      ev.title = j.title;
      ev.quote = j.quote;
      ev.sources = j.sources || [];
      ev.people = j.people || [];
      if (j.places) ev.places = j.places;
    });
  }

  function get(url) {
    if (!asked[url]) {
      asked[url] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": HTTP " + r.status);
        return r.json();
      }).then(function (body) { merge(body.events || []); }, function (err) {
        delete asked[url];  // asked again next time
        throw err;
      });
    }
    return asked[url];
  }

  function byIds(list) {
    var need = missing(list);
    if (!need.length) return Promise.resolve();
    return get(base + "events?ids=" + need.slice(0, 200).map(function (ev) { return encodeURIComponent(ev.id); }).join(","));
  }

  /** Return a promise that every event of step ``i`` has its words. */
  function step(i) {
    var s = app.model.steps[i];
    if (!lazy || !s || !missing(s.events).length) return Promise.resolve();
    // A day's answer lists the events covering it; one it misses is asked for by id.
    var first = s.kind === "day" ? get(base + "days/" + s.date) : byIds(s.events);
    return first.then(function () { return byIds(s.events); });
  }

  /** Fetch the steps around ``i`` now, so stepping to them waits for nothing. */
  function ahead(i) {
    if (!lazy) return;
    [i + 1, i - 1, i + 2].forEach(function (k) { step(k).catch(function () {}); });
  }

  /** Return a promise that every event at place ``id`` has its words. */
  function place(id) {
    var list = app.model.placeEvents[id] || [];
    if (!lazy || !missing(list).length) return Promise.resolve();
    return get(base + "places/" + encodeURIComponent(id)).then(function () { return byIds(list); });
  }

  return { lazy: lazy, missing: missing, step: step, ahead: ahead, place: place };
}
