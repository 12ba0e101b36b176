/* The offline basemap: its encoded lines (scripts/build_basemap.py), the look of each
 * layer, its credits, and the detail by zoom: towns, rivers and division names (built by
 * scripts/basemap_detail.py). Each detail feature carries ``zooms`` [least, most] and is
 * drawn only in that range. The served page fetches the tiles of the bands the view needs
 * (static/basemap/<folder>/<band>/<x>-<y>.json, listed in its index.json); the standalone
 * file has the detail of its story's area inline and fetches nothing. */

/** Decode the encoded lines of a basemap (scripts/build_basemap.py encode_line) in place. */
function decodeLine(text, decimals) {
  var out = [], value = [0, 0], i = 0, k = 0, factor = Math.pow(10, decimals);
  while (i < text.length) {
    var shift = 0, result = 0, b;
    do { b = text.charCodeAt(i++) - 63; result |= (b & 0x1f) << shift; shift += 5; } while (b >= 0x20);
    value[k] += result & 1 ? ~(result >> 1) : result >> 1;
    if (k === 1) out.push([value[0] / factor, value[1] / factor]);
    k = 1 - k;
  }
  return out;
}

function decodeCoords(c, decimals) {
  return typeof c === "string" ? decodeLine(c, decimals) : c.map(function (x) { return decodeCoords(x, decimals); });
}

export function decodeBasemap(data) {
  if (data.encoding !== "polyline") return data;
  return { type: "FeatureCollection", features: data.features.map(function (f) {
    return { type: "Feature", properties: f.properties,
      geometry: { type: f.geometry.type, coordinates: decodeCoords(f.geometry.coordinates, f.geometry.precision) } };
  }) };
}

/** Return the credits' links, named in the page's language (app.named "credit_name_"). */
export function basemapAttribution(app, credits) {
  return credits.map(function (c) {
    var a = document.createElement("a");
    a.textContent = c.name ? app.named("credit_name_", c.name) : c.text;
    if (/^https?:\/\//i.test(c.url || "")) { a.href = c.url; a.target = "_blank"; a.rel = "noopener"; }
    return a.outerHTML;
  }).join(", ");
}

export function basemapStyle(f) {
  var style = layerStyle(f);
  style.className = "sm-bm-" + f.properties.layer;  // which layer a path draws (tests, print)
  return style;
}

function layerStyle(f) {
  var layer = f.properties.layer;
  // The world (first, so under every region): land a shade off the sea grey, hairline
  // borders; it is context, the regions' layers and the story's dots stay in front.
  if (layer === "land") return { stroke: false, fillColor: "#f1eee7", fillOpacity: 1 };
  if (layer === "border") return { color: "#aaa398", weight: 0.8, fill: false };
  if (layer === "country") return { color: "#7a7264", weight: 1.5, fillColor: "#fbf8f1", fillOpacity: 1 };
  if (layer === "lake") return { color: "#7fa9cf", weight: 1, fillColor: "#b9d4ec", fillOpacity: 1 };
  if (layer === "waterway") return { color: "#8fb5d6", weight: f.properties.zooms[0] < 7 ? 1 : 1.6, fill: false };
  if (layer === "river" || layer === "river-city") return { color: "#7fa9cf", weight: layer === "river" ? 2 : 4, fill: false };
  if (layer === "city") return { color: "#9b917f", weight: 1.5, fillColor: "#f2ede2", fillOpacity: 1 };
  return { color: "#b8ad99", weight: 0.8, fill: false };
}

/** Return the Web Mercator tile [x, y] at zoom ``z`` holding latitude/longitude ``ll``. */
function tileOf(ll, z) {
  var n = Math.pow(2, z), lat = Math.max(Math.min(ll[0], 85), -85) * Math.PI / 180;
  var x = Math.floor((ll[1] + 180) / 360 * n), y = Math.floor((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2 * n);
  return [Math.min(Math.max(x, 0), n - 1), Math.min(Math.max(y, 0), n - 1)];
}

/** Create the detail of ``map`` in ``pane``: ``style`` styles a line, ``decode`` turns a
 * fetched tile into plain GeoJSON, ``named(features)`` hands new features to the labels.
 * Return {add(features), load(url), zoom()}: zoom() is the most zoom the detail reaches. */
export function createDetail(map, pane, style, decode, named) {
  var L = window.L, ranged = [], bands = null, loaded = {}, folder = "", most = 0;

  function show() {
    var z = map.getZoom();
    ranged.forEach(function (r) {
      var want = z >= r.zooms[0] && z <= r.zooms[1];
      if (want !== r.on) { r.on = want; if (want) r.layer.addTo(map); else map.removeLayer(r.layer); }
    });
  }

  /** Draw ``features`` (each with properties.zooms) from now on, in their zoom ranges. */
  function add(features) {
    features.forEach(function (f) {
      var zooms = f.properties.zooms;
      most = Math.max(most, zooms[1]);
      if (f.geometry.type === "MultiPoint") return;  // names only: labels.js draws them
      ranged.push({ zooms: zooms, on: false, layer: L.geoJSON(f, { pane: pane, interactive: false, style: style }) });
    });
    named(features);
    show();
  }

  /** Fetch the tiles the view needs of every band whose zooms hold the map's zoom. */
  function fetchView() {
    if (!bands) return;
    var z = map.getZoom(), b = map.getBounds().pad(0.25);
    bands.forEach(function (band) {
      if (z < band.zooms[0] || z > band.zooms[1]) return;
      var a = tileOf([b.getNorth(), b.getWest()], band.tile_zoom), c = tileOf([b.getSouth(), b.getEast()], band.tile_zoom);
      var n = Math.pow(2, band.tile_zoom);
      for (var x = a[0]; x <= c[0]; x++) for (var y = a[1]; y <= c[1]; y++) {
        var key = band.id + "/" + x + "-" + y;
        if (loaded[key] || !band.has[x * n + y]) continue;
        loaded[key] = true;
        fetch(folder + key + ".json").then(function (r) { return r.ok ? r.json() : null; })
          .then(function (tile) { if (tile) add(decode(tile).features); }, function () {});
      }
    });
  }

  /** Start fetching the tiles listed by the index at ``url`` as the map moves. */
  function load(url) {
    folder = url.replace(/[^/]*$/, "");
    fetch(url).then(function (r) { return r.ok ? r.json() : null; }).then(function (index) {
      if (!index) return;
      bands = index.bands.map(function (band) {
        var has = {}, key = 0;
        band.tiles.forEach(function (d) { key += d; has[key] = true; });
        return { id: band.id, zooms: band.zooms, tile_zoom: band.tile_zoom, has: has };
      });
      bands.forEach(function (band) { most = Math.max(most, band.zooms[1]); });
      fetchView();
    }, function () {});
    map.on("moveend", fetchView);
  }

  map.on("zoomend", show);
  return { add: add, load: load, zoom: function () { return most; } };
}
