/* The About and Share dialogs: opening them, the share link and embed code for the current
 * step, and copying them. */

import { $, el } from "./dom.js";

/** Return one credit line (an <li>): {kind, name, license, url} framed in the interface's
 * language ("credit_<kind>": "Data: {name}, {license}"). A text's title and licence are
 * the story's own words (marked with the texts' language); a dataset's name and licence
 * are shown as credited in the interface's language ("credit_name_…", "license_…"). */
function creditItem(app, c) {
  var own = c.kind === "text";
  var lang = own ? app.textLang : null;
  var href = /^https?:\/\//i.test(c.url || "") ? c.url : null;
  var li = el("li");
  var name = own ? c.name : app.named("credit_name_", c.name);
  var license = own ? c.license : app.named("license_", c.license);
  li.appendChild(app.frame("credit_" + c.kind + (c.license ? "" : "_plain"), {
    name: { text: name, lang: lang, href: href, name: !own && name === c.name },
    license: { text: license, lang: lang, name: !own && license === c.license }
  }));
  return li;
}

/** Fill About's lists (the texts, the story's credits, the map's) in the current language. */
export function fillAbout(app) {
  var story = app.model.story;
  var docs = $("sm-about-documents");
  docs.textContent = "";
  story.documents.forEach(function (d) {
    var li = el("li");
    var href = /^https?:\/\//i.test(d.url || "") ? d.url : null;
    li.appendChild(app.frame(d.license ? "document_line" : "document_line_plain", {
      title: { text: d.title, lang: app.textLang, href: href }, license: { text: d.license, lang: app.textLang }
    }));
    docs.appendChild(li);
  });
  [["sm-about-credits", story.attributions || []], ["sm-about-map", app.config.map_credits || []]].forEach(function (pair) {
    var list = $(pair[0]);
    list.textContent = "";
    pair[1].forEach(function (c) { list.appendChild(creditItem(app, c)); });
  });
}

/** Open the dialog with this id (filling the share fields first). */
export function openDialog(app, id) {
  var d = $(id);
  if (id === "sm-share") fillShare(app);
  if (id === "sm-about") fillAbout(app);
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
