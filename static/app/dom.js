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
