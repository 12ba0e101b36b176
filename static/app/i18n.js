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
  if (asked && typeof asked === "string") return tables[asked] ? asked : "en";
  return browserLang();
}

/** Return the text functions for the tables and a function giving the current language. */
export function createI18n(tables, currentLang) {
  var formatters = {};

  function t(key, vars) {
    var table = tables[currentLang()] || tables.en;
    var text = table[key] !== undefined ? table[key] : tables.en[key] || key;
    if (vars) Object.keys(vars).forEach(function (k) { text = text.split("{" + k + "}").join(vars[k]); });
    return text;
  }

  function countText(n) { return n === 1 ? t("events_one") : t("events_other", { n: n }); }

  function locale() { return currentLang() === "hu" ? "hu-HU" : "en-GB"; }

  function fmt(kind) {
    var key = currentLang() + kind;
    if (!formatters[key]) {
      var o = { year: "numeric", timeZone: "UTC" };
      if (kind !== "year") o.month = "long";
      if (kind === "day" || kind === "weekday") o.day = "numeric";
      if (kind === "weekday") o.weekday = "long";
      formatters[key] = new Intl.DateTimeFormat(locale(), o);
    }
    return formatters[key];
  }

  /** Format an ISO date at its precision: "23 October 1956", "June 1958", "1989". */
  function formatDate(iso, precision, weekday) {
    if (!iso) return "";
    precision = precision || (iso.length === 10 ? "day" : iso.length === 7 ? "month" : "year");
    if (precision === "year") return iso.slice(0, 4);
    return fmt(precision === "month" ? "month" : weekday ? "weekday" : "day").format(toDate(iso));
  }

  function formatRange(ev) {
    if (!ev.end_date || ev.end_date === ev.date) return formatDate(ev.date, ev.precision);
    return formatDate(ev.date, ev.precision) + " – " + formatDate(ev.end_date, ev.precision);
  }

  function placeName(p) { return (p.names && p.names[currentLang()]) || p.name; }

  /** Return a time tag in the interface's language: clock times as they are, named parts
   * of the day ("afternoon") translated where we have the word. */
  function timeLabel(time) {
    var key = "time_" + String(time).toLowerCase();
    var table = tables[currentLang()] || tables.en;
    return table[key] !== undefined ? table[key] : time;
  }

  return { t: t, countText: countText, formatDate: formatDate, formatRange: formatRange, placeName: placeName,
    timeLabel: timeLabel };
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
