/* Interface language: choosing it, looking up strings (static/app/i18n.json, sent in the
 * page's config), relabelling the page, and formatting dates honestly at their precision. */

/** Return the browser's preferred interface language among ours ("hu" or "en"). */
export function browserLang() {
  var nav = (navigator.languages && navigator.languages[0]) || navigator.language || "en";
  return /^hu\b/i.test(nav) ? "hu" : "en";
}

/** Return ``asked`` when we have strings for it, English for another language (as the
 * server does, storymap/outputs/options.py), the browser's language when none was asked. */
export function pickLang(asked, tables) {
  if (asked && typeof asked === "string") {
    var code = asked.split(/[-_]/)[0].toLowerCase();  // "hu-HU" is Hungarian, as on the server
    return tables[code] ? code : "en";
  }
  return browserLang();
}

/** Return the text functions for the tables, a function giving the current language and
 * the language of the story's texts (what its titles, quotes and names are written in). */
export function createI18n(tables, currentLang, textLang) {

  function t(key, vars) {
    var table = tables[currentLang()] || tables.en;
    var text = table[key] !== undefined ? table[key] : tables.en[key] || key;
    if (vars) Object.keys(vars).forEach(function (k) { text = text.split("{" + k + "}").join(vars[k]); });
    return text;
  }

  /** Return the string ``prefix + value`` when there is one (a dataset's name as credited,
   * a licence's name), else ``value`` itself. */
  function named(prefix, value) {
    var table = tables[currentLang()] || tables.en;
    var key = prefix + value;
    return table[key] !== undefined ? table[key] : tables.en[key] !== undefined ? tables.en[key] : value;
  }

  /** Return string ``key`` as a fragment, each {name} replaced by parts[name]: a string, or
   * {text, lang, href, name} (a span, or a link, marked with the language it is written in, or
 * as a name that no language translates). */
  function frame(key, parts) {
    var out = document.createDocumentFragment();
    t(key).split(/(\{\w+\})/).forEach(function (piece) {
      var m = /^\{(\w+)\}$/.exec(piece);
      var part = m ? parts[m[1]] : piece;
      if (part === undefined || part === null || part === "") return;
      if (typeof part === "string") { out.appendChild(document.createTextNode(part)); return; }
      var node = document.createElement(part.href ? "a" : "span");
      node.textContent = part.text;
      if (part.lang) node.lang = part.lang;
      // A name that is the same in every language (a licence, a dataset): not to translate.
      if (part.name) node.translate = false;
      if (part.href) { node.href = part.href; node.target = "_blank"; node.rel = "noopener noreferrer"; }
      out.appendChild(node);
    });
    return out;
  }

  function countText(n) { return n === 1 ? t("events_one") : t("events_other", { n: n }); }

  /** Format an ISO date at its precision: "23 October 1956", "June 1958", "1989", with the
   * weekday ("Thursday, 1 November 1956": ``weekday`` true for the Gregorian one, or the
   * one a text's own calendar gives, 0 = Monday; null for none); ``size`` "short" abbreviates the month ("23 Oct
   * 1956"), "numeric" writes it in figures ("23/10/1956", "1956. 10. 23."): for a date
   * that must fit a small frame. The names and patterns are interface strings. */
  function formatDate(iso, precision, weekday, size) {
    if (!iso) return "";
    precision = precision || (iso.length === 10 ? "day" : iso.length === 7 ? "month" : "year");
    var p = iso.split("-"), y = String(+p[0]);
    if (precision === "year") return y;
    var m = +p[1], vars = { y: y, mm: p[1], dd: p[2], d: String(+p[2]),
      month: t(size === "short" ? "months_short" : "months").split(" ")[m - 1] };
    if (size === "numeric") return t(precision === "month" ? "date_month_numeric" : "date_numeric", vars);
    if (precision === "month") return t("date_month", vars);
    if ((weekday === true || typeof weekday === "number") && !size) {
      var sunday0 = weekday === true ? toDate(iso).getUTCDay() : (weekday + 1) % 7;
      vars.weekday = t("weekdays").split(" ")[sunday0];
      return t("date_weekday", vars);
    }
    return t("date_day", vars);
  }

  function formatRange(ev, size) {
    var first = formatDate(ev.date, ev.precision, false, size);
    if (!ev.end_date || ev.end_date === ev.date) return first;
    return first + (size ? "–" : " – ") + formatDate(ev.end_date, ev.precision, false, size);
  }

  function placeName(p) { return (p.names && p.names[currentLang()]) || p.name; }

  /** A pin's name: an estimated place (its point borrowed from a place the text names
   * beside it) says it is approximate wherever its pin is named. */
  function pinName(p) { return p.estimated ? t("estimated_name", { name: placeName(p) }) : placeName(p); }

  /** The language a place's name is shown in: the interface's when the place has a name
   * in it, else the texts' (the name as they write it). */
  function placeLang(p) { return p.names && p.names[currentLang()] ? currentLang() : textLang(); }

  /** Return a time tag in the interface's language: clock times as they are, named parts
   * of the day ("afternoon") translated where we have the word. */
  function timeLabel(time) {
    var key = "time_" + String(time).toLowerCase();
    var table = tables[currentLang()] || tables.en;
    return table[key] !== undefined ? table[key] : time;
  }

  return { t: t, named: named, frame: frame, countText: countText, formatDate: formatDate, formatRange: formatRange,
    placeName: placeName, pinName: pinName, placeLang: placeLang, timeLabel: timeLabel };
}

/** Relabel every element marked data-i18n, data-i18n-aria or data-i18n-title. */
export function relabel(t) {
  document.querySelectorAll("[data-i18n]").forEach(function (n) { n.textContent = t(n.getAttribute("data-i18n")); });
  document.querySelectorAll("[data-i18n-aria]").forEach(function (n) { n.setAttribute("aria-label", t(n.getAttribute("data-i18n-aria"))); });
  document.querySelectorAll("[data-i18n-title]").forEach(function (n) { n.title = t(n.getAttribute("data-i18n-title")); });
}

/** Return the UTC midnight of an ISO date (month and year dates: their first day). */
export function toDate(iso) {
  var p = iso.split("-");
  return new Date(Date.UTC(+p[0], p[1] ? +p[1] - 1 : 0, p[2] ? +p[2] : 1));
}

/** Return the ISO day ``n`` days after ``iso``. */
export function addDays(iso, n) {
  var d = toDate(iso);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
