"""The town a text is its own, and the estimates that fall back to it.

A lesson headed "The Easter Rising: Dublin, 24-29 April 1916" names Liberty Hall and
Sackville Street in paragraphs that name no town; a dispatch opens "SAN FRANCISCO, April
19, 1906. — …"; a Great Fire account never names London but its "Londoners". Such a text
has a town of its own (docs/decisions.md, "The town a text is set in"):

* **declared** by its title or dateline — the first town of a short first paragraph that
  has text after it and no full stop, or the town that opens the text followed by a comma
  or a dash — or, failing those, by its people ("Londoners", the profile's
  ``city_people``);
* else the sure town it **names most** (twice at least, and :data:`MOSTLY` of its sure
  towns' names).

Only a sure town counts (50,000 people or more, or one of storymap's own places): "Four
Statues near Whitehall" took Whitehall for a small American town. A street or a building
whose paragraph names a town only in another sentence goes to the text's own town
(:func:`storymap.pipeline.estimate.in_named_town`); a feature of a town nothing else
placed goes to a declared one, the last of the estimates (:func:`estimate_unplaced`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from ..geo.candidates import Candidate
from ..geo.distance import distance_km
from ..lang.cache import PerProfile
from ..lang.profile import Profile
from ..text.folding import fold
from .context import TOWN_KINDS
from .estimate import (
    MOSTLY,
    WEAK,
    OwnTown,
    estimate_places,
    estimated_near,
    feature_of,
    in_named_town,
    most_named,
    placed_town,
    sure_town,
)
from .mentions import Mention

__all__ = ["at_home", "estimate_unplaced", "feature_words", "own_town", "people_town"]

#: A first passage this short (with more after it, no full stop) is a title; else a town
#: named this near its start, then a comma or a dash, is a dateline ("SAN FRANCISCO, April
#: 19, 1906. — The city is still burning").
TITLE_CHARS = 150
#: A small town of another country (of any, for a name read as a feature) this far from a
#: text's own town is not the place meant (:func:`at_home`); a candidate this near it is.
ABROAD_KM = 1000.0
HOME_KM = 50.0
DATELINE_CHARS = 2
_AFTER_DATELINE = frozenset(",.—–-(")


def _feature_words(profile: Profile) -> tuple[frozenset[str], frozenset[str]]:
    # a street or square a text names in the local words is one too ("Bornholmer Straße")
    local = frozenset(fold(w) for k in ("local_feature_tails", "local_feature_tails_lower")
                      if profile.has(k) for w in profile.words(k))
    return (profile.words("town_features") | local, profile.words("street_features") | local)


#: The last words of a town's features and of its streets (``town_features`` and
#: ``street_features`` of :func:`estimate_unplaced`), made once per profile: resolving
#: asks for them for every document, and folding the local words was 40 µs each time.
feature_words = PerProfile(_feature_words)


def estimate_unplaced(mentions: Sequence[Mention], places: Sequence[Candidate | None],
                      texts: Mapping[tuple[str, int], str], *, town_features: frozenset[str],
                      street_features: frozenset[str],
                      people: Callable[[], Candidate | None] = lambda: None,
                      choices: Sequence[Sequence[Candidate]] = (),
                      ) -> dict[int, Candidate]:
    """Return estimated places for one document's names still unplaced (``places[j]`` is
    None), from the places the text names beside them (storymap.pipeline.estimate): first
    a town the text names them in, then the document's towns, then the town it declares
    its own (``people`` gives the town whose people it names, :func:`people_town`, asked
    only when its title or dateline names none). One name, one place in a text: the
    estimate of its first mention. ``choices`` are each name's candidates: a small town
    abroad a text with a town of its own was read as goes home first (:func:`at_home`)."""
    keys = [fold(m.name) for m in mentions]
    own = _OwnTowns(mentions, places, texts, people)
    moved = at_home(mentions, places, keys, own, choices) if choices else {}
    todo = [j for j, p in enumerate(places) if p is None]
    if not todo:
        return moved
    # What went home is no town to judge the others by (Kingstown, brought home to Dún
    # Laoghaire, would draw a Dublin lesson's streets to it): their own town does.
    places = [None if j in moved else p for j, p in enumerate(places)]
    found = in_named_town(mentions, places, keys, texts, todo, town_features=town_features,
                          street_features=street_features, own=own)
    rest = [j for j in todo if j not in found]
    if rest:
        found.update(estimate_places(mentions, places, keys, rest))
    for j in rest:
        m = mentions[j]
        home = own(m.doc)
        if j in found or home is None or not home.declared or m.how != "feature" \
                or not feature_of(keys[j], town_features):
            continue
        found[j] = estimated_near(home.town, m.name, keys[j], home.why)
    first: dict[tuple[str, str], Candidate] = {}
    return moved | {j: first.setdefault((mentions[j].doc, keys[j]), found[j])
                    for j in sorted(found)}


def at_home(mentions: Sequence[Mention], places: Sequence[Candidate | None],
            keys: Sequence[str], own: Callable[[str], OwnTown | None],
            choices: Sequence[Sequence[Candidate]]) -> dict[int, Candidate]:
    """Return new places for the names a text set in a town of its own (declared: title,
    dateline or people) was read as small towns abroad.

    A text set in London names Whitehall, Cheapside and the Temple; a Dublin lesson
    Kingstown; a San Francisco dispatch North Beach. The data knows small towns of those
    names an ocean away (not sure towns: under 50,000 people). A town in another country
    than the text's own and more than :data:`ABROAD_KM` from it is taken for one of its
    own town's places: the name's candidate within :data:`HOME_KM` of the town if it has
    one (Kingstown is Dún Laoghaire), else an estimate at the town itself. A name read as
    a feature (a hill, a street) goes home from that far in the same country too: Bunker
    Hill of a Boston account is not a village 1,600 km west.
    """
    out: dict[int, Candidate] = {}
    for j, (m, place) in enumerate(zip(mentions, places, strict=True)):
        if not placed_town(place) or sure_town(place) or m.how == WEAK or not place.country:
            continue
        home = own(m.doc)
        if home is None or not home.declared or not home.town.country or (
                place.country == home.town.country and m.how != "feature"):
            continue
        town = home.town
        far = distance_km(town.lat, town.lon, place.lat, place.lon)
        if far <= ABROAD_KM:
            continue
        near = [(distance_km(town.lat, town.lon, c.lat, c.lon), n, c)
                for n, c in enumerate(choices[j]) if not c.estimated]
        near = [x for x in near if x[0] <= HOME_KM]
        out[j] = min(near)[2] if near else estimated_near(
            town, m.name, keys[j], home.why,
            lacking=f"no data places {m.name} near {town.name} (its {place.name}, in "
                    f"{place.country}, lies {far:,.0f} km away)")
    return out


class _OwnTowns:
    """Each document's own town, found when first asked for."""

    def __init__(self, mentions: Sequence[Mention], places: Sequence[Candidate | None],
                 texts: Mapping[tuple[str, int], str],
                 people: Callable[[], Candidate | None]) -> None:
        self._args = (mentions, places, texts, people)
        self._found: dict[str, OwnTown | None] = {}

    def __call__(self, doc: str) -> OwnTown | None:
        if doc not in self._found:
            mentions, places, texts, people = self._args
            self._found[doc] = own_town(mentions, places, texts, doc, people=people)
        return self._found[doc]


def own_town(mentions: Sequence[Mention], places: Sequence[Candidate | None],
             texts: Mapping[tuple[str, int], str], doc: str, *,
             people: Callable[[], Candidate | None] = lambda: None) -> OwnTown | None:
    """The town document ``doc`` is its own (see the module docstring), or None;
    ``people()`` is the town whose people it names (:func:`people_town`)."""
    setting = _setting_town(mentions, places, texts, doc)
    if setting is not None:
        return OwnTown(setting, "the town its title or dateline names", declared=True)
    town = people()
    if town is not None and town.kind in TOWN_KINDS and sure_town(town):
        return OwnTown(town, "the town whose people the text names", declared=True)
    sure = [(k, p) for k, (m, p) in enumerate(zip(mentions, places, strict=True))
            if m.doc == doc and m.how != WEAK and placed_town(p) and sure_town(p)]
    if not sure:
        return None
    main = most_named(sure)
    named = sum(p.id == main.id for _, p in sure)
    if named < 2 or named < MOSTLY * len(sure):
        return None
    return OwnTown(main, "the town the text names most", declared=False)


def _setting_town(mentions: Sequence[Mention], places: Sequence[Candidate | None],
                  texts: Mapping[tuple[str, int], str], doc: str) -> Candidate | None:
    """The first town document ``doc``'s title or dateline names (read with a cue or a
    feature, not a bare word), placed by a source and sure; or None."""
    if (doc, 0) not in texts:
        return None
    # a title is followed by the text it heads and ends without a full stop; a short
    # text alone, or a first paragraph of one sentence, is no title
    head = texts[doc, 0]
    short = len(head) <= TITLE_CHARS and (doc, 1) in texts \
        and not head.rstrip().rstrip("\"')]’”").endswith((".", "!", "?"))
    for m, town in zip(mentions, places, strict=True):
        if m.doc != doc or m.passage != 0:
            continue
        # a dateline opens the text with its town, then a comma or a dash: "SAN
        # FRANCISCO, April 19", "BALLARAT. — Sunday" ("The Hessians at Trenton" is none)
        after = head[m.end:m.end + 3].lstrip()[:1]
        dateline = m.start <= DATELINE_CHARS and after in _AFTER_DATELINE
        if not short and not dateline:
            return None
        if m.how != WEAK and placed_town(town):
            # a town of 50,000 or more (or storymap's own): "Four Statues near Whitehall"
            # is no text set in the small American town the title's name was taken for
            return town if sure_town(town) else None
    return None


def people_town(texts: Sequence[str], profile: Profile,
                towns: Callable[[str], Sequence[Candidate]]) -> Candidate | None:
    """The town whose people a document's ``texts`` name most ("Londoners", "Muscovites":
    the profile's ``city_people``), as ``towns`` finds it (its first sure town), or None."""
    found = _people_words(profile)
    if found is None:
        return None
    pattern, table, quick = found
    # most texts name no city's people: a plain search of the words' last parts in the
    # lower-cased text first (the pattern over every text of a 1,322-text corpus took
    # 0.17 s, this half of it)
    texts = [t for t in texts if quick.search(t.lower())]
    counts: dict[str, int] = {}
    for text in texts:
        for hit in pattern.finditer(text):
            name = table[fold(hit.group(0))]
            counts[name] = counts.get(name, 0) + 1
    for name in sorted(counts, key=lambda n: -counts[n]):
        town = next((c for c in towns(name) if c.kind in TOWN_KINDS and sure_town(c)), None)
        if town is not None:
            return town
    return None


_People = tuple[re.Pattern[str], dict[str, str], re.Pattern[str]]
_PEOPLE: dict[str, _People | None] = {}  # by profile code


def _people_words(profile: Profile) -> _People | None:
    """The profile's ``city_people`` as one pattern, a table of folded word → town, and
    a pattern of what a lower-cased text must hold for the first to find anything."""
    if profile.code not in _PEOPLE:
        raw = {str(k): str(v) for k, v in profile.table("city_people").items()} \
            if profile.has("city_people") else {}
        table = {fold(k): v for k, v in raw.items()}
        words = "|".join(sorted((re.escape(k).replace(r"\ ", r"\s+") for k in table),
                                key=len, reverse=True))
        # the last word of each, as written and folded ("Zürichers", "zurichers"; "New
        # Yorkers": "yorkers"), no look-arounds: a plain alternation is searched fast
        tails = {w.split()[-1] for k in raw for w in (k.lower(), fold(k))}
        quick = "|".join(sorted(map(re.escape, tails), key=len, reverse=True))
        _PEOPLE[profile.code] = (re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE),
                                 table, re.compile(quick)) if table else None
    return _PEOPLE[profile.code]
