"""The map's view of a story: where the map looks, which offline basemaps it draws, credits.

What a region *is* (bounds, zoom levels, basemap files, credits) is knowledge in
storymap.geo.regions; which of them a story's page shows is decided here, for the page,
the embed, the standalone file and the notebook alike.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..geo.regions import Bounds, Regions, load_regions
from ..model import Attribution, Place, Story
from ..model.kinds import WIDE_KINDS
from . import assets
from .basemapdetail import detail_features, detail_index

__all__ = ["BASEMAP_DIR", "basemap_data", "map_credits", "map_view"]

#: Where the regions' offline basemaps are, under static/ (built by scripts/build_basemap.py).
BASEMAP_DIR = "basemap/"


def _story_places(story: Story) -> list[Place]:
    """The places the map shows (those of events), else every place of the story."""
    return story.places_of(story.events) or list(story.places)


def _where_it_happens(story: Story, places: Sequence[Place]) -> list[Place]:
    """The narrow places of the main phase's events, else of all events, else all places."""
    phase = story.main_phase()
    if phase is not None:
        busy = [e for e in story.events if e.days() and phase[0] <= e.days()[0] <= phase[1]]
        narrow = [p for p in story.places_of(busy) if p.kind not in WIDE_KINDS]
        if narrow:
            return narrow
    return [p for p in places if p.kind not in WIDE_KINDS] or list(places)


def map_view(story: Story, regions: Regions | None = None) -> dict[str, Any]:
    """Return what the page's map needs to follow the story's places.

    ``regions``: the regions the story uses (root first) with their bounds and zoom levels;
    ``home``: the id of the used country-level region that holds most of its events' places
    (a day elsewhere is shown together with it), or None; ``view``: the first view's
    bounds (the home region, else the box around the places of the story's main phase,
    its densest run of days); ``basemaps``: the files under
    static/basemap/ to draw when tiles cannot load, outer first, and ``basemap_credits``
    the datasets the map's corner credits while they are drawn (by name: the page frames
    them in its language); ``detail``: where the detail by zoom is (``index`` under
    static/basemap/), the most zoom it reaches and the datasets it credits, or None.
    """
    regions = regions or load_regions()
    places = _story_places(story)
    used = regions.used_by(places)
    counts: dict[str, int] = {}
    for _event, _ref, place in story.iter_features():
        chain = regions.of(place)
        if len(chain) > 1:  # counted for its country-level region, just below the root
            counts[chain[1].id] = counts.get(chain[1].id, 0) + 1
    home = max(sorted(counts), key=lambda k: counts[k]) if counts else None
    box = regions.by_id[home].bounds if home else Bounds.around(
        (p.lat, p.lon) for p in _where_it_happens(story, places))
    return {
        "regions": [
            {"id": r.id, "name": r.name, "names": dict(r.names), "parent": r.parent or None,
             "bounds": r.bounds.leaflet(), "max_zoom": r.max_zoom, "place_zoom": r.place_zoom}
            for r in used
        ],
        "home": home,
        "view": (box or regions.root.bounds).leaflet(),
        "basemaps": [str(r.basemap["file"]) for r in used if r.basemap.get("file")],
        "basemap_credits": list({a.name: {"name": a.name, "url": a.url}
                                 for r in used for a in r.basemap_credits}.values()),
        "detail": _detail(regions),
    }


def _detail(regions: Regions) -> dict[str, Any] | None:
    spec = regions.root.basemap.get("detail")
    index = detail_index(str(spec["folder"])) if spec else None
    if not spec or index is None:
        return None
    return {"index": f"{spec['folder']}/index.json",
            "zoom": max(int(b["zooms"][1]) for b in index["bands"]),
            "credits": [{"name": str(c["name"]), "url": str(c["url"])}
                        for c in spec.get("credits") or ()]}


def _detail_area(story: Story, regions: Regions) -> list[tuple[float, float]]:
    """Return the points whose surroundings a standalone file carries the detail of.

    The places where the story happens (those of its home region, when it has one), less
    those inside a finer region with a basemap of its own: a region's own layers (Budapest's
    districts, Hungary's rivers) are its detail in the file, and the budget of the built-in
    story's file has no room for both (docs/decisions.md). The served page draws both.
    """
    places = _story_places(story)
    home = map_view(story, regions)["home"]
    where = _where_it_happens(story, places)
    if home:
        where = [p for p in where if home in {r.id for r in regions.of(p)}]
    return [(p.lat, p.lon) for p in where
            if not any(r.basemap.get("file") for r in regions.of(p) if r is not regions.root)]


def basemap_data(story: Story, regions: Regions | None = None) -> dict[str, Any]:
    """Return the offline basemaps of the story's regions as one collection, outer first.

    The standalone export inlines it (a file:// page cannot fetch); features keep the
    encoded lines of static/basemap/ (``"encoding": "polyline"``), which the page decodes.
    The detail by zoom comes with it for the story's own area (:func:`_detail_area`), with
    ``detail_zoom``, the most zoom it reaches.
    """
    regions = regions or load_regions()
    features: list[Any] = []
    for name in map_view(story, regions)["basemaps"]:
        features += json.loads(assets.read_text(BASEMAP_DIR + name))["features"]
    out: dict[str, Any] = {"type": "FeatureCollection", "encoding": "polyline",
                           "features": features}
    spec = regions.root.basemap.get("detail")
    detail = detail_features(str(spec["folder"]), _detail_area(story, regions)) if spec else []
    if detail:
        out["features"] = features + detail
        out["detail_zoom"] = max(int(f["properties"]["zooms"][1]) for f in detail)
    return out


def map_credits(story: Story, regions: Regions | None = None) -> tuple[Attribution, ...]:
    """Return the credits of the map data the story's regions draw, each dataset once.

    Datasets the story credits already (``Story.attributions``, by name) are left out.
    """
    regions = regions or load_regions()
    seen: dict[str, Attribution] = {a.name: a for a in story.attributions}
    out: list[Attribution] = []
    for region in regions.used_by(_story_places(story)):
        for credit in region.attributions:
            if credit.name not in seen:
                seen[credit.name] = credit
                out.append(credit)
    return tuple(out)
