/* The About and Share dialogs: opening them, the share link and embed code for the current
 * step, and copying them. */

import { $ } from "./dom.js";

/** Open the dialog with this id (filling the share fields first). */
export function openDialog(app, id) {
  var d = $(id);
  if (id === "sm-share") fillShare(app);
  if (d.showModal) d.showModal(); else d.setAttribute("open", "");
}

/** Put the link to the current step and the iframe code that embeds it in the Share dialog. */
export function fillShare(app) {
  var step = app.model.steps[app.state.step];
  var day = step ? "day=" + encodeURIComponent(step.date) + (step.kind === "event" ? "&event=" + encodeURIComponent(step.id) : "") : "";
  var lang = "&lang=" + app.state.lang;
  var link, src;
  var note = "";
  if (app.standalone) {
    var base = location.href.split("#")[0];
    if (location.protocol === "file:") {
      // A file:///home/… path opens on this computer only (and tells the world its
      // folders): give the file's name, for a copy of the file sent or uploaded beside.
      base = decodeURIComponent(location.pathname.split("/").pop() || "");
      note = app.t("share_file_note");
    }
    link = base + "#" + day + lang;
    src = base + "#embed&" + day + lang;
  } else {
    var origin = location.origin && location.origin !== "null" ? location.origin : "";
    var pagePath = app.embed ? location.pathname.replace(/embed\/?$/, "") : location.pathname;
    link = origin + pagePath + "?" + day + lang;
    src = origin + app.config.embed_path + "?" + day + lang;
  }
  var title = document.title.replace(/"/g, "&quot;").replace(/</g, "&lt;");
  src = src.replace(/&/g, "&amp;").replace(/"/g, "%22");
  $("sm-share-link").value = link;
  var noteBox = $("sm-share-note");
  if (!noteBox) {
    noteBox = document.createElement("p");
    noteBox.id = "sm-share-note";
    noteBox.className = "sm-count";
    $("sm-share-link").parentNode.insertAdjacentElement("afterend", noteBox);
  }
  noteBox.textContent = note;
  noteBox.hidden = !note;
  $("sm-share-embed").value =
    '<div style="position:relative;width:100%;padding-bottom:62.5%;height:0;overflow:hidden">\n' +
    '  <iframe src="' + src + '" title="' + title + '" loading="lazy" allowfullscreen\n' +
    '    style="position:absolute;top:0;left:0;width:100%;height:100%;border:0"></iframe>\n</div>';
  $("sm-copy-status").textContent = "";
}

/** Return the address of the full page at the current step (from an embed). */
export function fullMapUrl(app, query) {
  query = query.split("&").filter(function (p) { return p && p !== "embed"; }).join("&");
  if (app.standalone) return location.href.split("#")[0] + (query ? "#" + query : "");
  var origin = location.origin && location.origin !== "null" ? location.origin : "";
  var pagePath = location.pathname.replace(/embed\/?$/, "");
  return origin + pagePath + (query ? "?" + query : "");
}

/** Copy the field's text to the clipboard (or leave it selected for Ctrl+C). */
export function copyFrom(app, id) {
  var field = $(id);
  field.focus();
  field.select();
  var done = function () { $("sm-copy-status").textContent = app.t("copied"); };
  if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(field.value).then(done, function () {});
  else {
    try { if (document.execCommand("copy")) done(); } catch (err) { /* the text stays selected for Ctrl+C */ }
  }
}

/** Wire the dialogs' open, close and copy buttons, and the map's "Sources" link. */
export function bindDialogs(app) {
  $("sm-about-open").addEventListener("click", function () { openDialog(app, "sm-about"); });
  $("sm-about-open-embed").addEventListener("click", function () { openDialog(app, "sm-about"); });
  $("sm-share-open").addEventListener("click", function () { openDialog(app, "sm-share"); });
  var full = $("sm-open-full");
  if (full) {
    // The link is made when used, so it opens the step shown now.
    var aim = function () { full.href = fullMapUrl(app, app.urlQuery()); };
    full.addEventListener("focus", aim);
    full.addEventListener("mousedown", aim);
    full.addEventListener("click", aim);
  }
  document.querySelectorAll(".sm-dialog .sm-close").forEach(function (b) {
    b.addEventListener("click", function () { b.closest("dialog").close(); });
  });
  document.querySelectorAll(".sm-copy").forEach(function (b) {
    b.addEventListener("click", function () { copyFrom(app, b.getAttribute("data-copy")); });
  });
  $("sm-map").addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[data-about]");
    if (a) { e.preventDefault(); openDialog(app, "sm-about"); }
  });
}
