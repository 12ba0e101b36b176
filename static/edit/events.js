/* Editing an event: its title, dates, time, places, or hiding it. A date is checked here,
 * as the view options check one (storymap.outputs.options), so the teacher reads what is
 * wrong in plain words and in the page's language before anything is sent: "1956-02-30 is
 * not a date: February 1956 has 29 days". The server checks again. */

import { t, el, button, field, input, openDialog, closeDialog, post, say, edit } from "./core.js";

var ISO = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
var CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;
var PARTS = ["early morning", "morning", "noon", "afternoon", "evening", "night", "midnight"];

function monthName(month) {
  var names = (t("months") || "").split(/\s+/);
  return names[month - 1] || String(month);
}

/** Why ``value`` is not a date (YYYY, YYYY-MM or YYYY-MM-DD), in words; "" if it is one. */
export function dateProblem(value) {
  var m = ISO.exec(value);
  var why = "";
  if (!m) why = t("opt_not_date");
  else {
    var year = +m[1], month = m[2] ? +m[2] : 0, day = m[3] ? +m[3] : 0;
    if (year === 0) why = t("opt_no_year_zero");
    else if (m[2] && (month < 1 || month > 12)) why = t("opt_no_month", { month: month });
    else if (m[3] && day === 0) why = t("opt_no_day_zero");
    else if (m[3]) {
      var days = new Date(Date.UTC(2000, month, 0)).getUTCDate();
      if (month === 2) days = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
      if (day > days) why = t("opt_month_days", { month: monthName(month), year: year, n: days });
    }
  }
  return why ? t("edit_not_a_date", { value: value, reason: why }) : "";
}

/** Why ``value`` is not a time of day, in words; "" if it is one (or empty). */
export function timeProblem(value) {
  if (!value || CLOCK.test(value) || PARTS.indexOf(value) >= 0) return "";
  return t("edit_not_a_time", { value: value });
}

export function editEvent(app, ev) {
  var box = openDialog(t("edit_event_title"));
  box.appendChild(el("blockquote", "sm-quote", ev.quote));
  var title = field(box, t("edit_title"), input(ev.title));
  var date = field(box, t("edit_date"), input(ev.date));
  var end = field(box, t("edit_end_date"), input(ev.end_date || ""));
  var time = field(box, t("edit_time"), input(ev.time || ""));
  var hide = el("input");
  hide.type = "checkbox";
  field(box, t("edit_hide"), hide);
  var places = ev.places.map(function (r) { return r.place_id; });
  var list = el("ul", "sm-edit-places");
  function drawPlaces() {
    list.textContent = "";
    places.forEach(function (id, i) {
      var p = app.model.places[id];
      var li = el("li", "", p ? app.placeName(p) : id);
      li.appendChild(button(t("edit_remove"), function () { places.splice(i, 1); drawPlaces(); }));
      list.appendChild(li);
    });
  }
  drawPlaces();
  box.appendChild(el("p", "sm-edit-label", t("edit_places")));
  box.appendChild(list);
  var pick = el("select", "sm-select");
  pick.appendChild(el("option", "", t("edit_add_place"))).value = "";
  Object.keys(app.model.places).map(function (id) { return app.model.places[id]; })
    .sort(function (a, b) { return a.name < b.name ? -1 : 1; })
    .forEach(function (p) { var o = el("option", "", app.placeName(p)); o.value = p.id; pick.appendChild(o); });
  pick.addEventListener("change", function () {
    if (pick.value && places.indexOf(pick.value) < 0) places.push(pick.value);
    pick.value = "";
    drawPlaces();
  });
  box.appendChild(pick);
  var problem = el("p", "sm-edit-bad sm-edit-problem");
  problem.setAttribute("role", "alert");
  box.appendChild(problem);
  box.appendChild(button(t("edit_save"), function () {
    var d = date.value.trim(), e = end.value.trim(), tm = time.value.trim();
    var why = dateProblem(d) || (e && dateProblem(e)) ||
      (e && e < d ? t("edit_end_before", { start: d, end: e }) : "") || timeProblem(tm);
    problem.textContent = why;
    if (why) { say(why, true); return; }
    var fix = { id: ev.id };
    if (hide.checked) fix.hide = true;
    if (title.value.trim() !== ev.title) fix.title = title.value.trim();
    if (d !== ev.date) fix.date = d;
    if (e !== (ev.end_date || "")) fix.end_date = e || null;
    if (tm !== (ev.time || "")) fix.time = tm || null;
    var before = ev.places.map(function (r) { return r.place_id; });
    if (places.join("\n") !== before.join("\n")) fix.places = places;
    if (Object.keys(fix).length === 1) { closeDialog(); return; }
    post({ events: [fix] }, { failed: function (message) { problem.textContent = message; } });
  }, "sm-edit-save"));
}

export function decorateEvents(app) {
  document.querySelectorAll("#sm-events li.sm-event").forEach(function (li) {
    if (li.querySelector(".sm-edit-event")) return;
    var ev = app.model.byId[li.id.replace(/^ev-/, "")];
    if (!ev) return;
    li.querySelector(".sm-event-head").appendChild(button(t("edit_edit"), function () { editEvent(app, ev); }, "sm-edit-event"));
  });
  return edit;
}
