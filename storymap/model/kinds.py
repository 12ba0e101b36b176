"""The one vocabulary of place kinds, for the gazetteer, corrections, outputs and the editor.

The editor's kind menu is this list, sent with the edit page (storymap.web.edit), so the
Python that checks a kind and the page that offers one never disagree.
"""

from __future__ import annotations

__all__ = ["COARSE_KINDS", "LANDMARK_KINDS", "PLACE_KINDS", "WIDE_KINDS"]

#: Every kind a place may have, narrowest first: the order the editor offers them in.
PLACE_KINDS = (
    "building", "monument", "memorial", "street", "square", "junction", "cemetery",
    "industrial", "airfield", "neighbourhood", "district", "village", "town", "city",
    "area", "island", "lake", "river", "mountains", "sea", "region", "country",
)

#: Kinds whose point only represents a wide area (a country's centroid, a point on a
#: river): such a place says nothing about which city a story is set in, so it does not
#: pull in a region's detail or move the first view.
WIDE_KINDS = frozenset(("country", "region", "river", "sea", "mountains"))

#: Kinds too coarse to be where an event happens: mentioned, never an event's place.
COARSE_KINDS = frozenset({"country", "region", "sea", "river", "continent"})

#: Kinds of the places inside a city (its squares, buildings, districts): their names are
#: often generic ("the Parliament", "the National Theatre", "District VIII"), so a curated
#: one of a region's files names that region's place only in a story set in the region.
LANDMARK_KINDS = frozenset({"building", "monument", "memorial", "street", "square", "junction",
                            "cemetery", "industrial", "airfield", "neighbourhood", "district"})
