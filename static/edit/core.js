/* What every part of the editor shares: the app, its strings, the token, the API, the
 * status line and the one dialog. Strings reach the DOM only through textContent. */

import { sliceCodePoints } from "../app/offsets.js";

var TOKEN_KEY = "storymap-edit-token";
var PANEL_KEY = "storymap-edit-panel";
var VIEW_KEY = "storymap-edit-view";

export var edit = { app: null, etag: null, status: null, dialog: null, panel: "", onClose: null };

/** The editor's string ``key`` in the page's language (static/app/i18n.json, edit_…). */
export function t(key, vars) { return edit.app.t(key, vars); }

/** Merge the editor's strings (sent with the edit page only) into the app's tables. */
export function loadStrings(app) {
  var node = document.getElementById("sm-edit-i18n");
  var extra = node ? JSON.parse(node.textContent) : {};
  Object.keys(extra).forEach(function (lang) {
    if (app.config.i18n[lang]) Object.assign(app.config.i18n[lang], extra[lang]);
  });
}

export function el(tag, className, text) {
  var node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

export function button(text, onClick, className) {
  var b = el("button", "sm-btn sm-small " + (className || ""), text);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

/** A story span's words: offsets count code points, the string UTF-16 units. */
export function spanText(text, start, end) { return sliceCodePoints(text, start, end); }

/** Fold a name as the server compares names: case and accents do not matter. */
export function fold(text) {
  return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
}

// ---- the token: from ?token= once, then kept for this tab only --------------------------
(function keepToken() {
  var params = new URLSearchParams(location.search);
  var token = params.get("token");
  if (token) {
    sessionStorage.setItem(TOKEN_KEY, token);
    params.delete("token");
    var query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }
})();

export function token() { return sessionStorage.getItem(TOKEN_KEY) || ""; }

/** Show ``text`` in the status line (whole: it wraps), as an error when ``bad``. */
export function say(text, bad) {
  if (!edit.status) return;
  edit.status.textContent = text;
  edit.status.className = "sm-edit-status" + (bad ? " sm-edit-bad" : "");
}

export function api(method, path, body) {
  var headers = { "X-Storymap-Token": token() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method === "POST" && edit.etag) headers["If-Match"] = edit.etag;
  return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body) })
    .then(function (r) {
      return r.json().then(function (data) { return { status: r.status, data: data, etag: r.headers.get("ETag") }; },
        function () { return { status: r.status, data: {}, etag: null }; });
    });
}

/** Send one correction (or undo/remove). On success: ``done(data)`` if given, else reload
 * the story keeping the view (``keep``: what to say once it is back). On failure: the
 * error, whole, to ``failed`` (else the status line); nothing was saved. */
export function write(path, body, o) {
  o = o || {};
  say(t("edit_saving"));
  return api("POST", path, body).then(function (r) {
    if (r.status === 200) {
      edit.etag = r.etag;
      if (o.done) return o.done(r.data);
      reload(o.keep || { message: t("edit_saved_status") });
    } else if (r.status === 409) {
      say(t("edit_stale"), true);
      setTimeout(function () { reload({}); }, 800);
    } else {
      var message = (r.data && r.data.error) || t("edit_error_status", { status: r.status });
      if (o.failed) o.failed(message);
      say(message, true);
    }
  }, function () {
    var message = t("edit_no_server");
    if (o.failed) o.failed(message);
    say(message, true);
  });
}

export function post(entry, o) { return write("/api/corrections", entry, o); }

/** Reload the page for the saved story, keeping the map where it is, and the open panel. */
export function reload(keep) {
  var map = edit.app.mapView.map, c = map.getCenter();
  sessionStorage.setItem(PANEL_KEY, edit.panel || "");
  sessionStorage.setItem(VIEW_KEY, JSON.stringify(Object.assign({
    lat: c.lat, lng: c.lng, zoom: map.getZoom(), view: edit.app.state.view
  }, keep || {})));
  location.reload();
}

/** What ``reload`` kept (once): the view, the panel, what to say. */
export function kept() {
  var panel = sessionStorage.getItem(PANEL_KEY) || "";
  var view = null;
  try { view = JSON.parse(sessionStorage.getItem(VIEW_KEY) || "null"); } catch (e) { view = null; }
  sessionStorage.removeItem(PANEL_KEY);
  sessionStorage.removeItem(VIEW_KEY);
  return { panel: panel, view: view };
}

// ---- the one dialog -----------------------------------------------------------------------
export function openDialog(title, panel) {
  closeDialog();
  edit.panel = panel || "";
  var dialog = edit.dialog = el("div", "sm-edit-dialog");
  dialog.setAttribute("role", "dialog");
  dialog.setAttribute("aria-label", title);
  var head = el("div", "sm-edit-dialog-head");
  head.appendChild(el("h2", "sm-h2", title));
  head.appendChild(button(t("edit_close"), closeDialog, "sm-edit-close"));
  dialog.appendChild(head);
  var body = el("div", "sm-edit-dialog-body");
  dialog.appendChild(body);
  document.body.appendChild(dialog);
  return body;
}

export function closeDialog() {
  if (edit.dialog) edit.dialog.remove();
  edit.dialog = null;
  edit.panel = "";
  if (edit.onClose) { var f = edit.onClose; edit.onClose = null; f(); }
}

export function field(box, label, input) {
  var row = el("label", "sm-edit-field");
  row.appendChild(el("span", "sm-edit-label", label));
  row.appendChild(input);
  box.appendChild(row);
  return input;
}

export function input(value, placeholder) {
  var i = el("input", "sm-edit-input");
  i.value = value || "";
  if (placeholder) i.placeholder = placeholder;
  return i;
}

/** "Columbia — town, Pennsylvania, US · 12 km away": how a place is told from its namesakes. */
export function placeLabel(c) {
  var where = [c.kind, c.division, c.country].filter(Boolean).join(", ");
  var label = where ? c.name + " — " + where : c.name;
  if (c.distance_km !== null && c.distance_km !== undefined) label += " · " + t("edit_km", { km: c.distance_km });
  return label;
}

/** The address an online answer came with ("OpenStreetMap Nominatim: …" → "…"). */
export function address(c) {
  var m = /^(OpenStreetMap [^:]*|geopy [^:]*): (.*)$/.exec(c.source || "");
  return m ? m[2] : "";
}
