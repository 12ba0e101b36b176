/* DOM helpers shared by every module: find by id, build an element with text (never
 * innerHTML: story strings are untrusted), read a JSON <script> element. */

/** Return the element with this id (or null). */
export function $(id) { return document.getElementById(id); }

/** Return a new element with an optional class and text; text is set with textContent. */
export function el(tag, className, text) {
  var node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** Return the parsed JSON of the <script type="application/json"> with this id, or null. */
export function readJSON(id) {
  var node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

/** Return an icon: a 24×24 SVG drawing the stroked path ``d`` (built, never parsed). */
export function icon(d) {
  var ns = "http://www.w3.org/2000/svg";
  var svg = document.createElementNS(ns, "svg"), path = document.createElementNS(ns, "path");
  svg.setAttribute("class", "sm-svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  [["fill", "none"], ["stroke", "currentColor"], ["stroke-width", "2.5"], ["stroke-linecap", "round"],
    ["stroke-linejoin", "round"], ["d", d]].forEach(function (a) { path.setAttribute(a[0], a[1]); });
  svg.appendChild(path);
  return svg;
}
