"""The "geopy:<service>" resolver: online geocoding, only when the user asks for it.

Any geocoder geopy knows can be named (Nominatim by default). Requests go through geopy's
RateLimiter, and every answer — "not found" included — is kept in a SQLite cache
(``geocode.sqlite`` in storymap's cache directory), so a second run asks no server.
Failing services raise GeocoderError; an empty answer is ``()``.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import ConfigError, GeocoderError
from ..resources import cache_dir
from .base import Candidate

__all__ = ["GeopyResolver"]

#: Kinds for OpenStreetMap classes and types, as Nominatim reports them.
_OSM_TYPES = {
    "country": "country", "state": "region", "region": "region", "county": "region",
    "city": "city", "town": "town", "village": "village", "hamlet": "village",
    "suburb": "district", "city_district": "district", "borough": "district",
    "quarter": "neighbourhood", "neighbourhood": "neighbourhood", "square": "square",
    "river": "river", "lake": "lake", "sea": "sea", "island": "island", "islet": "island",
    "mountain_range": "mountains", "peak": "mountains", "aerodrome": "airfield",
    "cemetery": "cemetery", "grave_yard": "cemetery", "memorial": "monument",
    "monument": "monument", "statue": "monument",
}
_OSM_CLASSES = {"highway": "street", "building": "building", "amenity": "building",
                "tourism": "building", "historic": "monument", "waterway": "river",
                "landuse": "industrial", "aeroway": "airfield"}


class GeopyResolver:
    """Resolve names with a geopy geocoder, rate-limited and cached on disk.

    Raises ConfigError for a service geopy does not know and GeocoderError (from
    ``candidates``) when the service fails.
    """

    def __init__(
        self,
        service: str = "nominatim",
        *,
        domain: str | None = None,
        scheme: str = "https",
        user_agent: str = "storymap/0.1",
        min_delay_seconds: float = 1.0,
        max_retries: int = 2,
        error_wait_seconds: float = 5.0,
        timeout: float = 10.0,
        limit: int = 5,
        cache_path: Path | None = None,
        geocoder_options: Mapping[str, Any] | None = None,
    ) -> None:
        from geopy.exc import GeocoderNotFound
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import get_geocoder_for_service

        try:
            cls = get_geocoder_for_service(service)
        except GeocoderNotFound as exc:
            raise ConfigError(
                f"unknown geopy service {service!r}: {exc}; use a name from "
                "geopy.geocoders.SERVICE_TO_GEOCODER such as 'nominatim'"
            ) from None
        options: dict[str, Any] = {"user_agent": user_agent, "scheme": scheme, "timeout": timeout}
        if domain:
            options["domain"] = domain
        options.update(geocoder_options or {})  # api_key, … as the service's geopy class takes
        domain = str(options.get("domain") or "") or None
        try:
            self._geocoder = cls(**options)
        except Exception as exc:  # geopy raises ConfigurationError, TypeError for missing keys
            raise ConfigError(
                f"geopy service {service!r} could not be set up: {exc}; "
                "services other than nominatim usually need an API key in their own config"
            ) from exc
        self.service = service
        self.name = f"geopy:{service}"
        self._cache_service = f"{service}@{domain}" if domain else service
        import inspect

        accepted = inspect.signature(self._geocoder.geocode).parameters
        self._extra: dict[str, Any] = {"exactly_one": False}
        if "limit" in accepted:
            self._extra["limit"] = limit
        if "addressdetails" in accepted:  # Nominatim: country codes for disambiguation
            self._extra["addressdetails"] = True
        self._geocode = RateLimiter(
            self._geocoder.geocode,
            min_delay_seconds=min_delay_seconds,
            max_retries=max_retries,
            error_wait_seconds=error_wait_seconds,
            swallow_exceptions=False,
        )
        self.cache_path = cache_path or cache_dir() / "geocode.sqlite"
        self._lock = threading.Lock()
        self._con: sqlite3.Connection | None = None

    def _db(self) -> sqlite3.Connection:
        if self._con is None:
            try:
                self.cache_path.parent.mkdir(parents=True, exist_ok=True)
                con = sqlite3.connect(self.cache_path, check_same_thread=False)
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

    def candidates(self, name: str) -> tuple[Candidate, ...]:
        """Return the places the service finds for ``name``, from the cache when asked before."""
        query = " ".join(name.split())
        if not query:
            return ()
        with self._lock:
            db = self._db()
            row = db.execute(
                "SELECT results FROM geocode WHERE service = ? AND query = ?",
                (self._cache_service, query),
            ).fetchone()
            if row is not None:
                results = json.loads(row[0])
            else:
                results = self._ask(query)
                with db:
                    db.execute(
                        "INSERT OR REPLACE INTO geocode VALUES (?, ?, ?)",
                        (self._cache_service, query, json.dumps(results, ensure_ascii=False)),
                    )
        return tuple(self._candidate(r) for r in results)

    def _ask(self, query: str) -> list[dict[str, Any]]:
        """Ask the service (rate-limited); return plain JSON-able results."""
        from geopy.exc import GeopyError

        try:
            found = self._geocode(query, **self._extra)
        except GeopyError as exc:
            raise GeocoderError(
                f"geocoding {query!r} with {self.name} failed: {type(exc).__name__}: {exc}; "
                "check the network and the service's usage limits, or run without geopy"
            ) from exc
        results = []
        for loc in found or ():
            raw = loc.raw if isinstance(loc.raw, dict) else {}
            results.append({
                "address": str(loc.address),
                "lat": float(loc.latitude),
                "lon": float(loc.longitude),
                "raw": {k: raw[k] for k in ("place_id", "osm_type", "osm_id", "class", "type",
                                            "addresstype", "importance", "name", "address")
                        if k in raw},
            })
        return results

    def _candidate(self, result: dict[str, Any]) -> Candidate:
        raw = result.get("raw") or {}
        if raw.get("osm_type") and raw.get("osm_id"):
            key = f"{raw['osm_type']}{raw['osm_id']}"
        elif raw.get("place_id"):
            key = str(raw["place_id"])
        else:
            key = f"{result['lat']:.5f},{result['lon']:.5f}"
        address = raw.get("address") or {}
        kind = (_OSM_TYPES.get(str(raw.get("addresstype", "")))
                or _OSM_TYPES.get(str(raw.get("type", "")))
                or _OSM_CLASSES.get(str(raw.get("class", "")), "town"))
        return Candidate(
            id=f"geopy:{self.service}:{key}",
            name=str(raw.get("name") or result["address"].split(",")[0]),
            lat=float(result["lat"]),
            lon=float(result["lon"]),
            kind=kind,
            country=str(address.get("country_code", "")).upper(),
            source=f"geopy {self.service}: {result['address']}",
        )

    def close(self) -> None:
        """Close the cache file."""
        if self._con is not None:
            self._con.close()
            self._con = None
