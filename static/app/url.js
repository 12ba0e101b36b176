/* URL state: what the address says (day, event, place, view, lang and the embed options)
 * and how the page writes its state back. Served pages use the query string; the
 * standalone file uses the #hash (file:// has no query to change), where "#embed" turns
 * on embed mode. */

/** ISO dates at day, month or year precision. */
export var ISO = /^\d{4}(-\d{2}(-\d{2})?)?$/;
var CONTROLS = ["full", "minimal", "none"];

/** Return the URL's parameters: a bare key is true, key=value a decoded string. */
export function readUrl(standalone) {
  var raw = standalone ? location.hash.replace(/^#/, "") : location.search.replace(/^\?/, "");
  var params = {};
  raw.split("&").forEach(function (part) {
    if (!part) return;
    var i = part.indexOf("=");
    var key = decodeURIComponent(i < 0 ? part : part.slice(0, i));
    params[key] = i < 0 ? true : decodeURIComponent(part.slice(i + 1).replace(/\+/g, " "));
  });
  return params;
}

/** Return {embed, opts}: the server's view options, overridden by the URL where the
 * page cannot ask the server (standalone) or the embed may change them itself. */
export function viewOptions(config, params) {
  var standalone = config.mode === "standalone";
  var embed = config.mode === "embed" || (standalone && params.embed === true);
  var opts = Object.assign({}, config.options);
  if (standalone || embed) {
    ["start", "end", "controls"].forEach(function (k) {
      if (typeof params[k] === "string" && params[k]) opts[k] = params[k];
    });
    if (params.autoplay !== undefined) opts.autoplay = /^(1|true|yes|on)$/.test(String(params.autoplay)) || params.autoplay === true;
  }
  if (CONTROLS.indexOf(opts.controls) < 0) opts.controls = "full";
  return { embed: embed, opts: opts };
}

/** Return the query (without ? or #) that describes the app's current state. */
export function urlQuery(app, defaultLang) {
  var step = app.model.steps[app.state.step];
  var parts = [];
  if (app.standalone && app.embed) parts.push("embed");
  if (step) parts.push("day=" + encodeURIComponent(step.date));
  if (step && step.kind === "event") parts.push("event=" + encodeURIComponent(step.id));
  if (app.state.place) parts.push("place=" + encodeURIComponent(app.state.place));
  if (app.state.view !== "map") parts.push("view=" + app.state.view);
  if (app.state.lang !== defaultLang) parts.push("lang=" + app.state.lang);
  if (app.presenter && app.presenter.on) parts.push("present");
  if (!app.state.soFar) parts.push("earlier=0");
  if (app.standalone || app.embed) {
    if (app.opts.start) parts.push("start=" + encodeURIComponent(app.opts.start));
    if (app.opts.end) parts.push("end=" + encodeURIComponent(app.opts.end));
    if (app.opts.controls !== "full") parts.push("controls=" + app.opts.controls);
  }
  return parts.join("&");
}

/** Write ``query`` to the address: a new history entry when ``push`` (never inside an
 * iframe: it would hijack the host page's back button). Returns the hash written in the
 * standalone file (so its own hashchange can be told apart), else null. */
export function writeQuery(query, push, standalone, embed) {
  if (standalone) {
    var hash = "#" + query;
    if (location.hash === hash || (location.hash === "" && query === "")) return null;
    if (push && !embed) location.hash = query; else location.replace(hash);
    return hash;
  }
  var url = location.pathname + (query ? "?" + query : "");
  if (url === location.pathname + location.search) return null;
  if (push && !embed) history.pushState(null, "", url); else history.replaceState(null, "", url);
  return null;
}
