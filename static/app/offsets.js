/* Offsets into a story's texts: the story counts code points (Python's str), JavaScript
 * strings count UTF-16 units. An emoji, a flag or a mathematical letter before a name is
 * two units but one code point, so every offset from the story goes through here before it
 * slices a JavaScript string (the text view and the editor share this one helper). */

/** True if ``text`` holds a character outside the Basic Multilingual Plane. */
function astral(text) { return /[\uD800-\uDFFF]/.test(text); }

/** Return code point → UTF-16 index (null when the text has no astral characters, where
 * both count alike); one entry past the end. */
export function utf16Index(text) {
  if (!astral(text)) return null;
  var map16 = [], i = 0;
  for (var cp = 0; i < text.length; cp++) {
    map16[cp] = i;
    var c = text.charCodeAt(i);
    i += c >= 0xd800 && c < 0xdc00 && i + 1 < text.length ? 2 : 1;
  }
  map16.push(text.length);
  return map16;
}

/** Return a function from code point offsets of ``text`` to UTF-16 indices (clamped). */
export function utf16At(text) {
  var idx = utf16Index(text);
  return function (n) {
    if (!idx) return Math.max(0, Math.min(n, text.length));
    return idx[Math.max(0, Math.min(n, idx.length - 1))];
  };
}

/** Return ``text`` from code point ``start`` to code point ``end`` (a story span). */
export function sliceCodePoints(text, start, end) {
  var at = utf16At(text);
  return text.slice(at(start), at(end));
}

/** Return the code point offset of UTF-16 index ``i`` of ``text`` (for a selection). */
export function codePointAt16(text, i) {
  if (!astral(text)) return i;
  var cp = 0;
  for (var j = 0; j < i && j < text.length; cp++) {
    var c = text.charCodeAt(j);
    j += c >= 0xd800 && c < 0xdc00 && j + 1 < text.length ? 2 : 1;
  }
  return cp;
}
