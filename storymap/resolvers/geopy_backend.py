"""The "geopy:<service>" resolver: online geocoding, only when the user asks for it.

Any geocoder geopy knows can be named (OpenStreetMap Nominatim by default; Photon, also
OpenStreetMap data, and the keyed services work too). Politeness is built in:

* one request per second at most, shared by every storymap process on the machine
  (:class:`~storymap.resolvers.ratelimit.SharedRateLimit`), as Nominatim's usage policy asks;
* an identifying User-Agent with the project's URL (``user_agent`` in
  ``$STORYMAP_GEOPY_OPTIONS`` overrides it);
* every answer — "not found" included — is kept in a SQLite cache (``geocode.sqlite`` in
  storymap's cache directory), so a question is asked once, ever;
* a service that cannot be reached is given one more chance at most and is then *down*
  for the rest of the run: later questions fail at once, without a request, and a
  question the service refused is not asked again either.

Failures raise GeocoderError (one line); an empty answer is ``()``.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import ConfigError, GeocoderError
from ..geo.admin1 import division_code
from ..resources import cache_dir
from ..text.folding import fold
from .base import Box, Candidate
from .ratelimit import SharedRateLimit

__all__ = ["PROJECT_URL", "Box", "GeopyResolver", "default_user_agent", "service_label"]

#: Where storymap lives: named in the User-Agent of every request, as usage policies ask.
PROJECT_URL = "https://github.com/storymap/storymap"

#: Services whose answers are OpenStreetMap data (credited "© OpenStreetMap contributors").
_OSM_SERVICES = {"nominatim": "Nominatim", "photon": "Photon", "openmapquest": "MapQuest Open"}
_OSM_LICENSE = "ODbL 1.0"

#: Kinds for OpenStreetMap classes and types, as Nominatim (and Photon) report them.
_OSM_TYPES = {
    "country": "country", "state": "region", "region": "region", "county": "region",
    "province": "region", "city": "city", "town": "town", "village": "village",
    "hamlet": "village", "suburb": "district", "city_district": "district",
    "borough": "district", "quarter": "neighbourhood", "neighbourhood": "neighbourhood",
    "square": "square", "river": "river", "stream": "river", "canal": "river",
    "lake": "lake", "sea": "sea", "island": "island", "islet": "island",
    "mountain_range": "mountains", "peak": "mountains", "aerodrome": "airfield",
    "cemetery": "cemetery", "grave_yard": "cemetery", "memorial": "memorial",
    "monument": "monument", "statue": "monument", "park": "area", "garden": "area",
    "bridge": "building", "station": "building", "road": "street",
}
_OSM_CLASSES = {"highway": "street", "building": "building", "amenity": "building",
                "tourism": "building", "historic": "monument", "waterway": "river",
                "landuse": "industrial", "aeroway": "airfield", "railway": "building",
                "leisure": "area", "man_made": "building", "office": "building",
                "shop": "building", "natural": "area", "boundary": "region"}
_PHOTON_TYPES = {"N": "node", "W": "way", "R": "relation"}
#: Address parts that name a first-level division, most usual first.
_DIVISION_KEYS = ("state", "province", "region", "state_district")


def default_user_agent() -> str:
    """The User-Agent storymap identifies itself with: its version and where it lives."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        number = version("storymap")
    except PackageNotFoundError:  # pragma: no cover - run from a bare checkout
        number = "0"
    return f"storymap/{number} (+{PROJECT_URL})"


def service_label(service: str, domain: str | None = None) -> str:
    """Name a geocoding service for people: "OpenStreetMap Nominatim", "Photon (OpenStreetMap)".

    >>> service_label("nominatim"), service_label("nominatim", "geo.school.example")
    ('OpenStreetMap Nominatim', 'OpenStreetMap Nominatim at geo.school.example')
    >>> service_label("photon"), service_label("bing")
    ('Photon (OpenStreetMap)', 'geopy bing')
    """
    name = {"nominatim": "OpenStreetMap Nominatim", "photon": "Photon (OpenStreetMap)"}.get(
        service, f"geopy {service}")
    public = {"nominatim": "nominatim.openstreetmap.org", "photon": "photon.komoot.io"}
    if domain and domain != public.get(service):
        name += f" at {domain}"
    return name


class GeopyResolver:
    """Resolve names with a geopy geocoder, rate-limited, cached on disk, polite.

    Raises ConfigError for a service geopy does not know (or cannot set up) and
    GeocoderError (from :meth:`lookup`) when the service fails.
    """

    def __init__(
        self,
        service: str = "nominatim",
        *,
        domain: str | None = None,
        scheme: str = "https",
        user_agent: str | None = None,
        min_delay_seconds: float = 1.0,
        retry_wait_seconds: float = 2.0,
        timeout: float = 5.0,
        limit: int = 8,
        cache_path: Path | None = None,
        geocoder_options: Mapping[str, Any] | None = None,
    ) -> None:
        from geopy.exc import GeocoderNotFound
        from geopy.geocoders import get_geocoder_for_service

        try:
            cls = get_geocoder_for_service(service)
        except GeocoderNotFound as exc:
            raise ConfigError(
                f"unknown geopy service {service!r}: {exc}; use a name from "
                "geopy.geocoders.SERVICE_TO_GEOCODER such as 'nominatim' or 'photon'"
            ) from None
        from geopy.adapters import URLLibAdapter

        agent = user_agent or default_user_agent()
        # urllib, not requests: requests' adapter retries a timeout twice on its own, and
        # a service that does not answer must cost two timeouts at most (≤ 15 s in all)
        options: dict[str, Any] = {"user_agent": agent, "scheme": scheme, "timeout": timeout,
                                   "adapter_factory": URLLibAdapter}
        if domain:
            options["domain"] = domain
        options.update(geocoder_options or {})  # api_key, domain, user_agent, timeout…
        domain = str(options.get("domain") or "") or None
        try:
            self._geocoder = cls(**options)
        except Exception as exc:  # geopy raises ConfigurationError, TypeError for missing keys
            raise ConfigError(
                f"geopy service {service!r} could not be set up: {exc}; "
                "services other than nominatim and photon usually need an API key in "
                "$STORYMAP_GEOPY_OPTIONS"
            ) from exc
        self.service = service
        self.name = f"geopy:{service}"
        self.label = service_label(service, domain)
        self.osm = service in _OSM_SERVICES
        #: the licence of the answers, written beside them in corrections.yaml
        self.license = _OSM_LICENSE if self.osm else ""
        self._cache_service = f"{service}@{domain}" if domain else service
        import inspect

        accepted = inspect.signature(self._geocoder.geocode).parameters
        self._accepts = frozenset(accepted)
        self._extra: dict[str, Any] = {"exactly_one": False}
        if "limit" in accepted:
            self._extra["limit"] = limit
        if "addressdetails" in accepted:  # Nominatim: country and state of each answer
            self._extra["addressdetails"] = True
        self.cache_path = cache_path or cache_dir() / "geocode.sqlite"
        safe = re.sub(r"[^a-z0-9.]+", "-", self._cache_service.lower()).strip("-")
        self._gate = SharedRateLimit(self.cache_path.parent / f"geocode-{safe}.time",
                                     min_delay_seconds)
        self._retry_wait = retry_wait_seconds
        self._lock = threading.Lock()
        self._con: sqlite3.Connection | None = None
        #: requests sent to the service in this run (cache answers are free)
        self.requests = 0
        #: why the service is down for the rest of this run ("" while it answers)
        self.down = ""
        self._failed: dict[str, str] = {}

    # -- the cache ------------------------------------------------------------------------
    def _db(self) -> sqlite3.Connection:
        if self._con is None:
            try:
                self.cache_path.parent.mkdir(parents=True, exist_ok=True)
                con = sqlite3.connect(self.cache_path, check_same_thread=False, timeout=30)
                con.execute(
                    "CREATE TABLE IF NOT EXISTS geocode (service TEXT NOT NULL,"
                    " query TEXT NOT NULL, results TEXT NOT NULL, PRIMARY KEY (service, query))"
                )
            except (OSError, sqlite3.Error) as exc:
                raise GeocoderError(
                    f"geocoding cache {self.cache_path} cannot be opened: {exc}; "
                    "set STORYMAP_CACHE_DIR to a writable directory"
                ) from exc
            self._con = con
        return self._con

    @staticmethod
    def _key(query: str, near: Box | None) -> str:
        if near is None:
            return query
        return query + " | near " + ",".join(f"{v:.2f}" for v in near)

    def cached(self, name: str, *, near: Box | None = None) -> tuple[Candidate, ...] | None:
        """Return the cached answer to ``name`` (asked with ``near``), None if never asked."""
        query = " ".join(name.split())
        if not query:
            return ()
        with self._lock:
            db = self._db()
            row = db.execute(
                "SELECT results FROM geocode WHERE service = ? AND query = ?",
                (self._cache_service, self._key(query, near)),
            ).fetchone()
            if row is None:
                # The same question asked about a slightly different area (the text gained
                # a place since): its answers serve, judged again by the caller, unasked.
                like = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                row = db.execute(
                    "SELECT results FROM geocode WHERE service = ? AND (query = ? OR query LIKE ?"
                    " ESCAPE '\\') LIMIT 1",
                    (self._cache_service, query, like + " | near %"),
                ).fetchone()
        if row is None:
            return None
        return tuple(self._candidate(r) for r in json.loads(row[0]))

    def search_cache(self, name: str, *, limit: int = 20) -> list[Candidate]:
        """Places called ``name`` (or starting so) among the answers asked before, no request."""
        key = fold(name)
        if not key:
            return []
        pattern = name.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        with self._lock:
            rows = self._db().execute(
                "SELECT results FROM geocode WHERE service = ? AND query LIKE ? ESCAPE '\\'"
                " LIMIT 200", (self._cache_service, pattern + "%"),
            ).fetchall()
        out: dict[str, Candidate] = {}
        for (results,) in rows:
            for r in json.loads(results):
                c = self._candidate(r)
                if fold(c.name).startswith(key):
                    out.setdefault(c.id, c)
        return list(out.values())[:limit]

    # -- asking -----------------------------------------------------------------------------
    def candidates(self, name: str) -> tuple[Candidate, ...]:
        """Return the places the service finds for ``name`` (the Resolver interface)."""
        return self.lookup(name)

    def lookup(self, name: str, *, near: Box | None = None) -> tuple[Candidate, ...]:
        """Return the places the service finds for ``name``, preferring the area ``near``.

        From the cache when asked before. Raises GeocoderError when the service fails,
        or failed before in this run (no request is made then).
        """
        query = " ".join(name.split())
        if not query:
            return ()
        found = self.cached(query, near=near)
        if found is not None:
            return found
        key = self._key(query, near)
        if self.down:
            raise GeocoderError(self.down)
        if key in self._failed:
            raise GeocoderError(self._failed[key])
        results = self._ask(query, key, near)
        with self._lock:
            db = self._db()
            with db:
                db.execute("INSERT OR REPLACE INTO geocode VALUES (?, ?, ?)",
                           (self._cache_service, key, json.dumps(results, ensure_ascii=False)))
        return tuple(self._candidate(r) for r in results)

    def _ask(self, query: str, key: str, near: Box | None) -> list[dict[str, Any]]:
        """Ask the service (one turn of the shared gate; one retry for a busy service)."""
        from geopy import exc as gexc
        from geopy.point import Point

        extra = dict(self._extra)
        if near is not None:
            south, west, north, east = near
            if "viewbox" in self._accepts:  # Nominatim: prefer answers there, not only there
                extra["viewbox"] = [Point(south, west), Point(north, east)]
                extra["bounded"] = False
            elif "location_bias" in self._accepts:  # Photon
                extra["location_bias"] = Point((south + north) / 2, (west + east) / 2)
        for attempt in (1, 2):
            try:
                with self._gate.turn():
                    self.requests += 1
                    found = self._geocoder.geocode(query, **extra)
                break
            except (gexc.GeocoderRateLimited, gexc.GeocoderTimedOut,
                    gexc.GeocoderServiceError) as exc:
                if isinstance(exc, gexc.GeocoderQueryError):  # this question, not the service
                    self._failed[key] = self._message(query, exc, "the service refused it")
                    raise GeocoderError(self._failed[key]) from None
                if attempt == 2 or _hard(exc):
                    self.down = self._message(query, exc, "")
                    raise GeocoderError(self.down) from None
                after = getattr(exc, "retry_after", None)
                time.sleep(min(float(after), 5.0) if after else self._retry_wait)
            except (gexc.GeopyError, OSError, ValueError) as exc:
                self.down = self._message(query, exc, "")
                raise GeocoderError(self.down) from None
        results = []
        for loc in found or ():
            raw = loc.raw if isinstance(loc.raw, dict) else {}
            results.append({"address": str(loc.address), "lat": float(loc.latitude),
                            "lon": float(loc.longitude), "raw": _plain(raw)})
        return results

    def _message(self, query: str, exc: BaseException, why: str) -> str:
        detail = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
        what = f"{type(exc).__name__}{': ' + detail if detail else ''}"
        if why:
            return f"{self.label} could not look up {query[:60]!r} ({why}: {what})"
        return (f"{self.label} cannot be reached ({what}); check the network, or the "
                "service's domain in $STORYMAP_GEOPY_OPTIONS")

    def _candidate(self, result: Mapping[str, Any]) -> Candidate:
        raw = result.get("raw") or {}
        if raw.get("osm_type") and raw.get("osm_id"):
            key = f"{raw['osm_type']}{raw['osm_id']}"
        elif raw.get("place_id"):
            key = str(raw["place_id"])
        else:
            key = f"{result['lat']:.5f}_{result['lon']:.5f}"
        address = raw.get("address") or {}
        kind = (_OSM_TYPES.get(str(raw.get("addresstype", "")))
                or _OSM_TYPES.get(str(raw.get("type", "")))
                or _OSM_CLASSES.get(str(raw.get("class", "")), "area"))
        country = str(address.get("country_code", "")).upper()
        state = next((str(address[k]) for k in _DIVISION_KEYS if address.get(k)), "")
        shown = str(result.get("address") or "")
        prefix = f"OpenStreetMap {_OSM_SERVICES[self.service]}" if self.osm else \
            f"geopy {self.service}"
        return Candidate(
            id=f"geopy:{self.service}:{key.lower()}",
            name=str(raw.get("name") or shown.split(",")[0]).strip() or shown[:80],
            lat=float(result["lat"]),
            lon=float(result["lon"]),
            kind=kind,
            country=country,
            source=f"{prefix}: {shown}",
            parent=division_code(country, state) if state else "",
        )

    def close(self) -> None:
        """Close the cache file."""
        if self._con is not None:
            self._con.close()
            self._con = None


def _hard(exc: BaseException) -> bool:
    """True for a failure that waiting will not mend: no connection (refused, no such
    host), no access (key, ban, quota). A busy service (429, 5xx, a timeout) may answer
    a second time."""
    from urllib.error import HTTPError

    from geopy import exc as gexc
    from geopy.adapters import AdapterHTTPError

    if isinstance(exc, (gexc.GeocoderUnavailable, gexc.GeocoderAuthenticationFailure,
                        gexc.GeocoderInsufficientPrivileges)):
        return True
    if isinstance(exc, gexc.GeocoderQuotaExceeded):
        return not isinstance(exc, gexc.GeocoderRateLimited)
    if isinstance(exc, gexc.GeocoderTimedOut):
        return False
    seen: set[int] = set()
    cause = exc.__cause__ or exc.__context__
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, (HTTPError, AdapterHTTPError)):
            return False  # the service answered, with an error
        if isinstance(cause, OSError):
            return True  # refused, reset, no route, no such host
        cause = cause.__cause__ or cause.__context__
    return False


def _plain(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The parts of a service's raw answer storymap reads, as plain JSON (Photon's
    GeoJSON properties in Nominatim's words)."""
    props = raw.get("properties")
    if isinstance(props, Mapping):  # Photon
        address = {k: props[k] for k in ("state", "county", "city") if props.get(k)}
        if props.get("countrycode"):
            address["country_code"] = str(props["countrycode"]).lower()
        return {"osm_type": _PHOTON_TYPES.get(str(props.get("osm_type")), "node"),
                "osm_id": props.get("osm_id"), "class": props.get("osm_key"),
                "type": props.get("osm_value"), "addresstype": props.get("type"),
                "name": props.get("name"), "address": address}
    return {k: raw[k] for k in ("place_id", "osm_type", "osm_id", "class", "type",
                                "addresstype", "importance", "name", "address") if k in raw}
