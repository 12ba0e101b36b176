/* The compact card of a small embed: when the frame is too small for the side panel
 * (300×200, 320×240: classroom.css hides it), the selected event of the day is read on a
 * card over the bottom of the map — its time, title and places — with ‹ › through the
 * day's events. A pin (or a stack of pins) selects its events on the card instead of
 * opening a popup that the frame would clip, and the map's credits fold behind an ⓘ
 * button (open on demand, as OpenStreetMap allows on small maps). Story strings go in
 * with textContent only. */

import { $, el, icon } from "./dom.js";

function iconButton(cls, path, key, app) {
  var b = el("button", "sm-btn sm-icon " + cls);
  b.type = "button";
  b.setAttribute("aria-label", app.t(key));
  b.setAttribute("data-i18n-aria", key);
  b.appendChild(icon(path));
  return b;
}

/** Create the card and the credits button; return {on, update(step), showPlaces(ids), height}. */
export function createCard(app) {
  var L = window.L, map = app.mapView.map;
  var box = el("section", "sm-card");
  box.id = "sm-card";
  box.hidden = true;
  box.setAttribute("aria-label", app.t("panel_label"));
  box.setAttribute("data-i18n-aria", "panel_label");
  var nav = el("div", "sm-card-nav");
  var prev = iconButton("sm-card-prev", "M15 5l-7 7 7 7", "card_prev", app);
  var count = el("span", "sm-card-count");
  var next = iconButton("sm-card-next", "M9 5l7 7-7 7", "card_next", app);
  nav.appendChild(prev);
  nav.appendChild(count);
  nav.appendChild(next);
  var body = el("div", "sm-card-body");
  box.appendChild(nav);
  box.appendChild(body);
  $("sm-map").appendChild(box);
  L.DomEvent.disableClickPropagation(box);
  L.DomEvent.disableScrollPropagation(box);

  // The credits behind an ⓘ (shown only in a small frame: classroom.css).
  var Credits = L.Control.extend({
    options: { position: "bottomright" },
    onAdd: function () {
      var b = el("button", "sm-credits-btn", "i");
      b.type = "button";
      b.setAttribute("aria-expanded", "false");
      b.setAttribute("aria-label", app.t("map_credits"));
      b.setAttribute("data-i18n-aria", "map_credits");
      L.DomEvent.disableClickPropagation(b);
      b.addEventListener("click", function () {
        var open = map.getContainer().classList.toggle("sm-credits-open");
        b.setAttribute("aria-expanded", open ? "true" : "false");
      });
      return b;
    }
  });
  new Credits().addTo(map);

  var list = [], index = 0, on = false, note = null;

  function render() {
    body.textContent = "";
    var ev = list[index];
    box.hidden = !on || (!ev && !note);
    nav.hidden = !!note || list.length < 2;
    if (note) {
      body.appendChild(el("p", "sm-card-title", note.name)).lang = note.lang;
      body.appendChild(el("p", "sm-card-places", app.t("nothing_today_here")));
      return;
    }
    if (!ev) return;
    count.textContent = app.t("step_short", { i: index + 1, n: list.length });
    prev.disabled = index === 0;
    next.disabled = index >= list.length - 1;
    var head = el("p", "sm-card-title");
    if (typeof ev.title !== "string") {  // a large story's words are on their way (details.js)
      body.appendChild(el("p", "sm-card-places", app.t("loading")));
      return;
    }
    if (ev.time) head.appendChild(el("span", "sm-time", app.timeLabel(ev.time)));
    head.appendChild(el("span", "", ev.title)).lang = app.textLang;
    body.appendChild(head);
    var where = el("p", "sm-card-places");
    ev.places.forEach(function (ref, i) {
      var p = app.model.places[ref.place_id];
      if (i) where.appendChild(document.createTextNode(", "));
      where.appendChild(el("span", "", p ? app.pinName(p) : ref.mention)).lang = p ? app.placeLang(p) : app.textLang;
    });
    if (ev.places.length) body.appendChild(where);
  }

  prev.addEventListener("click", function () { if (index > 0) { index--; render(); } });
  next.addEventListener("click", function () { if (index < list.length - 1) { index++; render(); } });

  /** Show the day's events of ``step``, its first one selected. */
  function update(step) {
    list = step ? step.events.slice() : [];
    index = 0;
    note = null;
    render();
  }

  /** Select the first of the day's events at any of the places ``ids`` (a pin, a stack);
   * a place with none today says so. Returns false when the card is not in use. */
  function showPlaces(ids) {
    if (!on) return false;
    var found = -1;
    for (var i = 0; i < list.length && found < 0; i++) {
      if (list[i].places.some(function (r) { return ids.indexOf(r.place_id) >= 0; })) found = i;
    }
    var p = app.model.places[ids[0]];
    note = found < 0 && p ? { name: app.placeName(p), lang: app.placeLang(p) } : null;
    if (found >= 0) index = found;
    render();
    return true;
  }

  /** The card is used when the frame has no room for the panel. */
  function refresh() {
    var was = on;
    on = !!app.embed && getComputedStyle($("sm-panel")).display === "none";
    app.root.classList.toggle("sm-compact", on);
    if (on !== was) render();
  }
  var frame = 0;
  window.addEventListener("resize", function () {
    if (!frame) frame = (window.requestAnimationFrame || setTimeout)(function () { frame = 0; refresh(); });
  });
  refresh();

  return {
    on: function () { return on; },
    update: update,
    showPlaces: showPlaces,
    relabel: render,
    height: function () { return on && !box.hidden ? box.offsetHeight : 0; }
  };
}
